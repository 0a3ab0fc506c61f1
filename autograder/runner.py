"""The student side of grading: runs in its own process, never sees an answer.

Usage: ``python -I -m autograder.runner JOBDIR``. ``JOBDIR/job.json`` names the lab and
holds each exercise's code; ``JOBDIR/inputs_<name>.npz`` its inputs. For each exercise the
runner writes ``started_<name>`` before running it, then ``result_<name>.json`` (status and
message) and, when the code ran, ``output_<name>.npz`` (plain arrays, no pickles).
Exercises that already have a result are skipped, so the grader can restart the runner
after a crash or a time-out and carry on with the rest.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from pathlib import Path

STUDENT_FILE = "<your exercise code>"


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
    if arr.dtype.kind not in "biuf":
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
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = type(exc).__name__ + (f": {msg}" if msg else "")
    return text[:300] + _student_frame(exc)


def run_one(spec, exercise, code: str, inputs: dict) -> tuple[str, str, dict | None]:
    """Run one exercise; returns (status, message, outputs)."""
    namespace: dict = {"__name__": "__student__"}
    try:
        exec(compile(spec.preamble, "<lab setup>", "exec"), namespace)
        compiled = compile(code, STUDENT_FILE, "exec")
    except SyntaxError as exc:
        return "error", f"syntax error on line {exc.lineno} of your code: {exc.msg}", None
    try:
        exec(compiled, namespace)
        impl = namespace.get(exercise.name)
        if impl is None:
            return "missing", f"`{exercise.name}` is not defined by your code", None
        outputs = exercise.probe(impl, inputs)
        return "ran", "", {key: _plain(val) for key, val in outputs.items()}
    except NotImplementedError:
        return "not attempted", "still raises NotImplementedError", None
    except ExerciseTimeout:
        return "timeout", f"took longer than {exercise.time_limit:g} s", None
    except SystemExit as exc:
        return "error", f"your code called sys.exit({exc.code!r})", None
    except KeyboardInterrupt:
        return "error", "your code raised KeyboardInterrupt", None
    except BaseException as exc:  # noqa: BLE001 - any failure of student code is a result
        return "error", _describe(exc), None


def main(argv: list[str]) -> int:
    job_dir = Path(argv[0])
    job = json.loads((job_dir / "job.json").read_text())
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import numpy as np

    from autograder.labs import get_spec

    spec = get_spec(job["lab_id"])
    signal.signal(signal.SIGALRM, _on_alarm)
    for item in job["exercises"]:
        name = item["name"]
        result_file = job_dir / f"result_{name}.json"
        if result_file.exists():
            continue
        (job_dir / f"started_{name}").touch()
        exercise = spec.exercise(name)
        with np.load(job_dir / f"inputs_{name}.npz", allow_pickle=False) as data:
            inputs = {k: data[k] for k in data.files}
        signal.setitimer(signal.ITIMER_REAL, exercise.time_limit)
        try:
            status, message, outputs = run_one(spec, exercise, item["code"], inputs)
        except ExerciseTimeout:
            status, message, outputs = (
                "timeout",
                f"took longer than {exercise.time_limit:g} s",
                None,
            )
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if outputs is not None:
            np.savez(job_dir / f"output_{name}.npz", **outputs)
        tmp = result_file.with_suffix(".tmp")
        tmp.write_text(json.dumps({"status": status, "message": message}))
        os.replace(tmp, result_file)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
