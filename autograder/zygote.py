"""The grader's side of the runners' warm start (:mod:`autograder.inside.zygote`).

One zygote per grading process, started on first use with the runner's minimal environment
on the trusted folder; :func:`fork_runner` asks it for a runner and returns a
:class:`Forked` (what :class:`autograder.supervisor.Runner` uses of ``subprocess.Popen``),
or None when there is no zygote to ask (switched off with ``MIT6S191_GRADER_ZYGOTE=0``, it
did not start, or it died and did not start again): the caller then starts the runner
afresh, as before. Either way the runner isolates itself the same way
(:func:`autograder.inside.isolate.enter`) before it reads any student code.
"""

from __future__ import annotations

import atexit
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from autograder.inside.zygote import READY, REQUEST

SWITCH = "MIT6S191_GRADER_ZYGOTE"  # "0": every runner starts afresh
START_TIMEOUT = 180.0  # seconds for the zygote to import TensorFlow
FORK_TIMEOUT = 30.0  # seconds for a warm zygote to report the runner's pid
EXIT_TIMEOUT = 10.0  # seconds to learn a killed runner's exit code


def _read_line(fd: int, timeout: float, buffer: bytearray) -> str:
    """The next line on ``fd`` ('' at end-of-file or after ``timeout`` seconds)."""
    end = time.monotonic() + timeout
    while b"\n" not in buffer:
        left = end - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return ""
        chunk = os.read(fd, 256)
        if not chunk:
            return ""
        buffer += chunk
    line, _, rest = bytes(buffer).partition(b"\n")
    buffer[:] = rest
    return line.decode("ascii", "replace")


class Forked:
    """A runner forked by the zygote: its pid (a session leader), its stdin and channel,
    and, once it has ended, its exit code."""

    def __init__(self, pid: int, stdin: int, stdout: int, status: int, hold: int):
        self.pid = pid
        self.stdin = os.fdopen(stdin, "wb")
        self.stdout = os.fdopen(stdout, "rb")
        self.returncode: int | None = None
        self._status, self._hold, self._buffer = status, hold, bytearray()

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass

    def wait(self) -> int | None:
        """Its exit code (None if the monitor does not say it in time); lets it be reaped."""
        if self._status is not None:
            line = _read_line(self._status, EXIT_TIMEOUT, self._buffer)
            if line.startswith("exit "):
                try:
                    self.returncode = int(line[5:])
                except ValueError:
                    pass
            for fd in (self._status, self._hold):
                os.close(fd)
            self._status = self._hold = None
        return self.returncode


class _Zygote:
    def __init__(self, lib: str, env: dict[str, str]):
        self.owner = os.getpid()
        self.home = tempfile.mkdtemp(prefix="mit6s191-zygote-")
        os.chmod(self.home, 0o711)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        boot = (
            f"import sys; sys.path.insert(0, {lib!r}); from autograder.inside.zygote import "
            f"main; sys.exit(main({theirs.fileno()}))"
        )
        self.sock = ours
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-B", "-c", boot],
                cwd=self.home,
                env={**env, "HOME": self.home, "TMPDIR": self.home},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                start_new_session=True,
            )
        finally:
            theirs.close()
        ours.settimeout(START_TIMEOUT)
        try:
            ready = ours.recv(16) == READY
        except OSError:
            ready = False
        ours.settimeout(None)
        if not ready:
            self.close()
            raise OSError("the zygote did not start")

    def fork(self) -> Forked | None:
        """A new runner, or None; OSError when the zygote is gone."""
        stdin_r, stdin_w = os.pipe()
        chan_r, chan_w = os.pipe()
        status_r, status_w = os.pipe()
        hold_r, hold_w = os.pipe()
        theirs = [stdin_r, chan_w, status_w, hold_r]
        try:
            socket.send_fds(self.sock, [REQUEST], theirs)
        except OSError:
            for fd in theirs + [stdin_w, chan_r, status_r, hold_w]:
                os.close(fd)
            raise
        for fd in theirs:
            os.close(fd)
        buffer = bytearray()
        line = _read_line(status_r, FORK_TIMEOUT, buffer)
        if not line.startswith("pid ") or not line[4:].isdigit():
            for fd in (stdin_w, chan_r, status_r, hold_w):
                os.close(fd)
            return None
        forked = Forked(int(line[4:]), stdin_w, chan_r, status_r, hold_w)
        forked._buffer = buffer
        return forked

    def close(self) -> None:
        if os.getpid() != self.owner:
            return  # a forked copy of the grader: the zygote is its parent's
        self.sock.close()  # end-of-file: the zygote ends, and with it any monitor left
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.home, ignore_errors=True)


_lock = threading.Lock()
_zygote: _Zygote | None = None
_failed = False  # this process could not start one: never try again


def fork_runner(lib: str, env: dict[str, str]) -> Forked | None:
    """A runner forked from this process's zygote, or None (start one afresh instead)."""
    global _zygote, _failed
    if os.environ.get(SWITCH, "1") == "0":
        return None
    with _lock:
        for _attempt in range(2):
            if _zygote is not None and _zygote.owner != os.getpid():
                _zygote = None  # inherited by a forked process: its parent's, not ours
            if _zygote is None:
                if _failed:
                    return None
                try:
                    _zygote = _Zygote(lib, env)
                except OSError:
                    _failed = True
                    return None
                atexit.register(_zygote.close)
            try:
                return _zygote.fork()
            except OSError:  # it died: start another once
                _zygote.close()
                _zygote = None
        return None
