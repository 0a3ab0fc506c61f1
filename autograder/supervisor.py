"""The runner process, from the grader's side: started isolated, read, and always ended.

``with Runner(lab_id, hide, budget) as runner:`` forks a runner from the grading process's
zygote (:mod:`autograder.zygote`: TensorFlow imported once) or, where there is none, starts
``python -I`` on the trusted folder
``autograder/inside/`` (copied whole, read-only, by :func:`trusted_lib`), with a minimal
environment, a uid and cgroups of its own (:class:`autograder.lease.Lease`) and a private
temp folder. Leaving the block, by any exception or normally, kills the runner's process
group, everything of its uid and cgroups, releases the lease and removes the temp folder.
What the runner sends is read by a thread, one JSON object a line, at most
:data:`MAX_CHANNEL_BYTES` in all; anything else on the channel is ignored.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import shutil
import signal
import site
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from autograder import zygote
from autograder.inside import isolate, protocol
from autograder.lease import Lease
from autograder.solutions import REPO_ROOT

INSIDE = Path(__file__).resolve().parent / "inside"  # the trust boundary, copied whole
MAX_CHANNEL_BYTES = 64 << 20  # what one runner may send back, in all
# Limits of the process that runs student code (see autograder/inside/isolate.py).
# TensorFlow alone reserves about 2 GB of address space, so RLIMIT_AS must stay well above.
LIMITS = {
    "memory_mb": int(os.environ.get("MIT6S191_GRADER_MEMORY_MB", 4096)),
    "file_mb": 64,  # largest file the student's code may write
    "tmp_mb": 64,  # size of its private /tmp
    "processes": 256,  # threads included (TensorFlow starts about 10)
}

_LIB: str | None = None


def trusted_lib() -> str:
    """A private, read-only copy of what the runner may import (never written to: the
    runner starts with ``-B``, as ``-I`` ignores PYTHONDONTWRITEBYTECODE): the folder
    ``autograder/inside/`` whole (runner, isolation, notebook parser, probes, protocol)
    and the public course utilities. Never the grader, the lab specs or the solutions."""
    global _LIB
    if _LIB and os.path.isdir(_LIB):
        return _LIB
    lib = Path(tempfile.mkdtemp(prefix="mit6s191-runner-lib-"))
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(INSIDE, lib / "autograder" / "inside", ignore=skip)
    (lib / "autograder" / "__init__.py").write_text('"""Only autograder.inside is here."""\n')
    utils = REPO_ROOT / "mit6s191_utils"
    if utils.is_dir():
        shutil.copytree(utils, lib / "mit6s191_utils", ignore=skip)
    for path in [lib, *lib.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    _LIB = str(lib)
    atexit.register(shutil.rmtree, _LIB, True)
    return _LIB


def _runner_env(workdir: Path) -> dict[str, str]:
    """A minimal environment: no secrets, no proxies, nothing pointing at our files."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(workdir),
        "TMPDIR": str(workdir),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "TF_NUM_INTEROP_THREADS": "1",
        "TF_NUM_INTRAOP_THREADS": "1",
        "CUDA_VISIBLE_DEVICES": "",
        "MPLBACKEND": "Agg",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }


def _python_paths() -> list[str]:
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    try:
        paths.update(site.getsitepackages())
    except AttributeError:
        pass
    return sorted(p for p in paths if p and os.path.isdir(p))


def _reader(stream, q: queue.Queue) -> None:
    total = 0
    try:
        while True:
            line = stream.readline(MAX_CHANNEL_BYTES + 1)
            if not line:
                break
            total += len(line)
            if total > MAX_CHANNEL_BYTES:
                q.put({"event": protocol.OVERFLOW})
                break
            try:
                msg = json.loads(line)
            except ValueError:
                continue  # not ours: ignore
            if isinstance(msg, dict):
                q.put(msg)
    except (OSError, ValueError):
        pass
    q.put({"event": protocol.EOF})


def sandbox_config(workdir: Path, root: Path, hide: list[str], budget: float, lease) -> dict:
    """The settings :func:`autograder.inside.isolate.enter` gets: what the new root shows
    (``binds``, read-only, and ``lib``, the trusted copy), what it covers (``hide``), the
    lease's uid and cgroups, and the limits."""
    return {
        "lib": trusted_lib(),
        "binds": isolate.system_binds(_python_paths()),
        "hide": hide,
        "root": str(root),
        "fallback_workdir": str(workdir),
        "uid": lease.uid,
        "cgroups": lease.procs_files(),
        "notes": lease.notes,
        "cpu_s": int(budget) + 30,
        **LIMITS,
    }


class Runner:
    """One isolated runner process for lab ``lab_id``: started at once (it imports
    TensorFlow while the grader prepares inputs and references), given its job with
    :meth:`send`, read with :meth:`next_message`; ended by :meth:`close` (or the end of a
    ``with`` block), which is safe to call more than once."""

    def __init__(self, lab_id: str, hide: list[str], budget: float):
        self.proc: subprocess.Popen | None = None
        self.lease: Lease | None = None
        self.reader: threading.Thread | None = None
        self.tmp = Path(tempfile.mkdtemp(prefix="mit6s191-grade-"))
        try:
            self._start(lab_id, hide, budget)
        except BaseException:
            self.close()
            raise

    def _start(self, lab_id: str, hide: list[str], budget: float) -> None:
        self.tmp.chmod(0o711)  # without namespaces, the runner's own uid must reach work/
        workdir, root = self.tmp / "work", self.tmp / "root"
        workdir.mkdir()
        root.mkdir()
        total_mb = int(os.environ.get("MIT6S191_GRADER_TOTAL_MEMORY_MB", LIMITS["memory_mb"]))
        self.lease = Lease(total_mb, LIMITS["processes"])
        config = sandbox_config(workdir, root, hide, budget, self.lease)
        lib = config["lib"]
        # Forked from a process that has TensorFlow imported already, or started afresh.
        self.proc = zygote.fork_runner(lib, _runner_env(workdir))
        if self.proc is None:
            boot = f"import sys; sys.path.insert(0, {lib!r}); "
            boot += "from autograder.inside.runner import main"
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-B", "-c", boot + "; sys.exit(main())"],
                cwd=workdir,
                env=_runner_env(workdir),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.started = time.monotonic()
        self.queue: queue.Queue = queue.Queue()
        self.reader = threading.Thread(
            target=_reader, args=(self.proc.stdout, self.queue), daemon=True
        )
        self.reader.start()
        self.send({"lab_id": lab_id, "sandbox": config}, close=False)

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(self, message: dict, close: bool) -> None:
        """One JSON document to the runner's stdin (``close``: the last one)."""
        try:
            self.proc.stdin.write(json.dumps(message).encode() + b"\n")
            self.proc.stdin.flush()
            if close:
                self.proc.stdin.close()
        except (OSError, ValueError):
            pass

    def next_message(self, timeout: float) -> dict:
        """The next message from the runner ({} when none came within ``timeout``)."""
        try:
            return self.queue.get(timeout=timeout)
        except queue.Empty:
            return {}

    @property
    def returncode(self) -> int | None:
        return self.proc.returncode if self.proc else None

    def stop(self) -> None:
        """Kill the runner and everything it started: its process group, then (through
        its lease) every process of its uid and cgroups; release the lease."""
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.proc.kill()
            except OSError:
                pass
            self.proc.wait()
        if self.lease is not None:
            self.lease.release()  # no process of this run is left when the next one starts
            self.lease = None

    def close(self) -> None:
        """:meth:`stop`, then close the pipes and remove the temp folder."""
        self.stop()
        if self.reader is not None:
            self.reader.join(timeout=5)
        if self.proc is not None:
            for pipe in (self.proc.stdin, self.proc.stdout):
                try:
                    pipe.close()
                except (OSError, ValueError):
                    pass
        shutil.rmtree(self.tmp, ignore_errors=True)
