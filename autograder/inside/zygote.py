"""A warm start for runners: TensorFlow imported once, one forked process per runner.

Importing TensorFlow costs a runner about 4 s of CPU, more than grading most exercises.
The grader (:mod:`autograder.zygote`) starts this process once, with the runner's minimal
environment and the trusted folder only; it imports numpy and TensorFlow, which start no
thread, says ``ready`` and waits on its socket. Each request carries four pipe ends and
nothing else: the runner's stdin, its channel, a status pipe and a hold pipe. For each
request it forks:

- a *monitor*, in a session of its own, that forks the runner, writes ``pid N`` on the
  status pipe, waits for it to end and writes ``exit N`` (its exit code, as
  ``Popen.returncode`` says it: negative for a signal); it reaps the runner, and ends,
  only when the grader closes the hold pipe, so that the runner's pid cannot be reused
  while the grader may still kill its process group;
- the *runner*, in a session of its own, with the two pipe ends as fd 0 and 1, which goes on
  exactly as a freshly started runner does (:func:`autograder.inside.runner.main`: read the
  set-up, isolate itself, probe). TensorFlow is already there: nothing else is shared.

No student code ever runs in this process or in a monitor. Every fd is closed in the child
but the ones it is given. The zygote ends when its socket reaches end-of-file: the grader
has ended, however it ended (no parent-death signal: that would fire when the grader's
thread that started it ends). A monitor dies with the zygote, and the runner with its
monitor (parent-death signals, set again by :func:`autograder.inside.isolate.enter`).
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket

PR_SET_PDEATHSIG = 1
REQUEST, READY = b"fork", b"ready"
MAX_FD = 1024


def _close_others(keep: set[int]) -> None:
    for fd in range(3, MAX_FD):
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _die_with_parent() -> None:
    parent = os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _monitor(stdin: int, channel: int, status: int, hold: int) -> None:
    """Runs in the forked child: fork the runner, report its pid and its exit code."""
    _die_with_parent()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()
    pid = os.fork()
    if pid == 0:
        os.close(status)
        os.close(hold)
        os.setsid()
        os.dup2(stdin, 0)
        os.dup2(channel, 1)
        for fd in (stdin, channel):
            if fd > 2:
                os.close(fd)
        from autograder.inside.runner import main

        code = 1
        try:
            code = main()
        finally:
            os._exit(code or 0)
    os.close(stdin)
    os.close(channel)
    os.write(status, f"pid {pid}\n".encode())
    # Ended, but not reaped: while the grader may still signal its pid and process group,
    # neither can be given to another process. Reaped once the grader lets go (``hold``).
    info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    code = info.si_status if info.si_code == os.CLD_EXITED else -info.si_status
    os.write(status, f"exit {code}\n".encode())
    os.read(hold, 1)
    os.waitpid(pid, 0)
    os._exit(0)


def main(fd: int) -> int:
    sock = socket.socket(fileno=fd)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    import numpy  # noqa: F401
    import tensorflow  # noqa: F401 - the point of this process

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # monitors are reaped by the kernel
    sock.send(READY)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(sock, 64, 4)
        except OSError:
            return 0
        if message != REQUEST or len(fds) != 4:
            for fd in fds:
                os.close(fd)
            if not message:
                return 0  # the grader has ended
            continue
        pid = os.fork()
        if pid == 0:
            try:
                sock.close()
                _close_others(set(fds))
                _monitor(*fds)
            finally:
                os._exit(1)
        for fd in fds:
            os.close(fd)
