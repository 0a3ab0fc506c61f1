"""The student side of grading: runs in its own, isolated process and never sees an answer.

Started by the grader as ``python -I -c 'import sys; sys.path.insert(0, LIB); from
autograder.runner import main; main()'`` where LIB is the grader's private copy of the
trusted code (this file, sandbox.py, probes/: never the input generators). Protocol:

- stdin: a JSON line with the set-up (lab id, sandbox settings); once the runner is
  isolated and has imported TensorFlow, a JSON document with each exercise's code and
  inputs (an ``.npz`` file, base64). Student code never sees stdin: fd 0 is /dev/null, so
  ``input()`` gets end-of-file.
- stdout (kept as a private channel; the student's own stdout and stderr go to /dev/null):
  JSON lines ``{"event": "ready", "notes": [...]}``, then per exercise ``{"event":
  "started", "name"}`` and ``{"event": "result", "name", "status", "message", "cases"}``
  where cases holds, per input case, an ``.npz`` of plain numeric arrays (``np.savez``,
  never a pickle).

Nothing the runner says is trusted: the grader accepts only known statuses and plain
arrays, and compares them with the reference itself. A time-out inside an exercise is
caught here (SIGALRM); the grader also kills the whole process tree when an exercise
overruns, and restarts the runner for the exercises left.
"""

from __future__ import annotations

import base64
import io
import json
import os
import signal
import sys
import traceback

STUDENT_FILE = "<your exercise code>"
STATUSES = ("ran", "not attempted", "error", "timeout")


class ExerciseTimeout(BaseException):
    """Raised in the runner when an exercise exceeds its time limit."""


def _on_alarm(signum, frame):
    raise ExerciseTimeout()


def _plain(value):
    """A plain numpy array of numbers from whatever the implementation returned."""
    import numpy as np

    if hasattr(value, "numpy") and callable(value.numpy):
        value = value.numpy()
    arr = np.array(value, copy=True, subok=False)
    if type(arr) is not np.ndarray or arr.dtype.kind not in "biuf":
        raise TypeError(f"expected numbers, got an array of dtype {arr.dtype}")
    return arr


def _student_frame(exc: BaseException) -> str:
    """Where in the student's code the exception happened, as 'line N'."""
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == STUDENT_FILE:
            line = lineno
    return f" (line {line} of your code)" if line else ""


def _describe(exc: BaseException) -> str:
    try:
        text = str(exc).strip()
    except BaseException:  # noqa: BLE001 - a hostile __str__
        text = ""
    msg = text.splitlines()[0] if text else ""
    out = type(exc).__name__ + (f": {msg}" if msg else "")
    if isinstance(exc, MemoryError):
        out += " — your code ran out of memory (the limit is a few GB)"
    return out[:300] + _student_frame(exc)


def run_one(probes, name, code: str, cases: list) -> tuple[str, str, list | None]:
    """Run one exercise on every case; returns (status, message, outputs per case)."""
    namespace: dict = {"__name__": "__student__"}
    try:
        exec(compile(probes.PREAMBLE, "<lab setup>", "exec"), namespace)
        compiled = compile(code, STUDENT_FILE, "exec")
    except SyntaxError as exc:
        return "error", f"syntax error on line {exc.lineno} of your code: {exc.msg}", None
    try:
        exec(compiled, namespace)
        impl = namespace.get(name)
        if impl is None:
            return "error", f"`{name}` is not defined by your code", None
        probe = probes.PROBES[name]
        outputs = []
        for inputs in cases:
            got = probe(impl, inputs)
            outputs.append({str(key): _plain(val) for key, val in dict(got).items()})
        return "ran", "", outputs
    except NotImplementedError:
        return "not attempted", "still raises NotImplementedError", None
    except ExerciseTimeout:
        return "timeout", "", None
    except SystemExit as exc:
        return "error", f"your code called sys.exit({str(exc.code)[:50]!r})", None
    except KeyboardInterrupt:
        return "error", "your code raised KeyboardInterrupt", None
    except BaseException as exc:  # noqa: BLE001 - any failure of student code is a result
        return "error", _describe(exc), None


def _send(chan, message: dict) -> None:
    chan.write(json.dumps(message).encode() + b"\n")
    chan.flush()


def main() -> int:
    stdin = os.fdopen(os.dup(0), "rb")
    job = json.loads(stdin.readline())  # the set-up; the exercises come once we are ready
    chan = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    try:
        from autograder import sandbox

        notes = sandbox.enter(job["sandbox"])
        import autograder

        if os.path.isdir(sandbox.INSIDE_LIB):
            autograder.__path__[:] = [os.path.join(sandbox.INSIDE_LIB, "autograder")]
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import importlib

        import numpy as np

        probes = importlib.import_module(f"autograder.probes.{job['lab_id']}")
        import tensorflow  # noqa: F401 - imported before the clock of the first exercise
    except BaseException as exc:  # noqa: BLE001
        _send(chan, {"event": "fatal", "message": _describe(exc)})
        return 1
    _send(chan, {"event": "ready", "notes": notes})
    try:
        job.update(json.loads(stdin.read()))
    except ValueError:
        return 1
    stdin.close()
    signal.signal(signal.SIGALRM, _on_alarm)
    me = os.getpid()
    for item in job["exercises"]:
        name = item["name"]
        limit = float(item["time_limit"])
        cases = []
        for blob in item["cases"]:
            with np.load(io.BytesIO(base64.b64decode(blob)), allow_pickle=False) as data:
                cases.append({k: data[k] for k in data.files})
        _send(chan, {"event": "started", "name": name})
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            status, message, outputs = run_one(probes, name, item["code"], cases)
        except ExerciseTimeout:
            status, message, outputs = "timeout", "", None
        finally:
            if os.getpid() != me:  # a process the student's code forked: it stops here
                os._exit(0)
            signal.setitimer(signal.ITIMER_REAL, 0)
        if status == "timeout":
            message = f"took longer than {limit:g} s"
        result = {"event": "result", "name": name, "status": status, "message": message}
        if outputs is not None:
            result["cases"] = []
            for case in outputs:
                buf = io.BytesIO()
                np.savez(buf, **case)
                result["cases"].append(base64.b64encode(buf.getvalue()).decode())
        _send(chan, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
