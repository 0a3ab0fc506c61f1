"""The student side of grading: runs in its own, isolated process and never sees an answer.

Forked from the grader's zygote (:mod:`autograder.inside.zygote`: TensorFlow already
imported), or started by the grader as ``python -I -c 'import sys; sys.path.insert(0, LIB);
from autograder.inside.runner import main; main()'``; either way, LIB holds the grader's
private copy of the folder ``autograder/inside/`` (this file, isolate.py, notebook.py, protocol.py,
probes/: never the input generators, points, hints or solutions).

What it runs (see :mod:`autograder.notebook` for the rule): the lab's preamble, then the
notebook's code cells in order in one namespace (exercise cells whole, other cells their
imports, ``def`` and ``class`` statements), probing each exercise on every case of its
inputs right after the last cell that defines it. Parsing the notebook's text happens here
too, under this process's limits.

Protocol (names and array encoding in :mod:`autograder.inside.protocol`):

- stdin: a JSON line with the set-up (lab id, sandbox settings); once the runner is
  isolated and has imported TensorFlow, a JSON document with the job: the code cells (raw
  text), every exercise name, the exercises to probe now (name, time limit, the cases as
  ``.npz`` files in base64), the cells to leave out (they stopped an earlier runner), and
  the limits for parsing and for cells that define no exercise. Student code never sees
  stdin: fd 0 is /dev/null, so ``input()`` gets end-of-file.
- stdout (kept as a private channel; the student's own stdout and stderr go to /dev/null):
  JSON lines ``{"event": "ready", "notes": [...]}``, ``{"event": "parse"}`` while parsing,
  ``{"event": "cell", "index", "defines"}`` before running a cell, ``{"event":
  "started", "name"}`` before probing an exercise, and ``{"event": "result", "name",
  "status", "message", "calls", "cases"}`` where cases holds, per input case, an ``.npz``
  of plain numeric arrays (``np.savez``, never a pickle) and calls names the other
  exercises its code calls. After the last result the process ends at once (``os._exit``:
  threads the student's code left running do not keep it alive).

Nothing the runner says is trusted: the grader accepts only known statuses and plain
arrays, and compares them with the reference itself. A time-out inside a cell or a probe is
caught here (SIGALRM); the grader also kills the whole process tree when one overruns, and
starts a fresh runner that re-runs the cells (without probing) and carries on.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback

from autograder.inside import protocol
from autograder.inside.protocol import plain

CELL_FILE = "<cell:{}>"  # file name of a notebook cell's code; {} says which cell


class ExerciseTimeout(BaseException):
    """Raised in the runner when a cell or an exercise exceeds its time limit."""


def _on_alarm(signum, frame):
    raise ExerciseTimeout()


def _student_frame(exc: BaseException) -> str:
    """Where in the student's code the exception happened, as 'line N of ...'."""
    where = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        name = frame.f_code.co_filename
        if name.startswith("<cell:") and name.endswith(">"):
            where = f"line {lineno} of {name[6:-1]}"
    return f" ({where})" if where else ""


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


def _failure(exc: BaseException) -> tuple[str, str]:
    """(status, message) for an exception raised by student code."""
    if isinstance(exc, NotImplementedError):
        return "not attempted", "still raises NotImplementedError"
    if isinstance(exc, ExerciseTimeout):
        return "timeout", ""
    if isinstance(exc, SystemExit):
        return "error", f"your code called sys.exit({str(exc.code)[:50]!r})"
    if isinstance(exc, KeyboardInterrupt):
        return "error", "your code raised KeyboardInterrupt"
    return "error", _describe(exc)


class _Shell:
    """What ``get_ipython()`` returns to notebook code here: magics and shell lines do
    nothing, except ``%time statement``, which runs the statement."""

    def __init__(self, namespace: dict, filename: list[str]):
        self._ns, self._file = namespace, filename

    def run_line_magic(self, magic, line, *args, **kwargs):
        if magic == "time":
            exec(compile(line, self._file[0], "exec"), self._ns)

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def new_namespace(preamble: str) -> tuple[dict, list[str]]:
    """The notebook's namespace after the lab's preamble, with ``get_ipython()`` and
    ``display()`` as a notebook has them; and the holder of the current cell's file name."""
    shell_file = ["<cell:?>"]
    namespace: dict = {"__name__": "__main__", "display": lambda *args, **kwargs: None}
    shell = _Shell(namespace, shell_file)
    namespace["get_ipython"] = lambda: shell
    exec(compile(preamble, "<lab setup>", "exec"), namespace)
    return namespace, shell_file


def cell_label(plan) -> str:
    if plan.defines:
        return "your `" + "`/`".join(plan.defines) + "` cell"
    return f"code cell {plan.index + 1}"


def run_cell(plan, namespace: dict, shell_file: list[str]) -> None:
    """Run a cell's statements (an exercise cell: all of them, stopping at the first
    exception, as the notebook does; another cell: each definition, failures ignored)."""
    import ast

    filename = CELL_FILE.format(cell_label(plan))
    shell_file[0] = filename
    if plan.kind == "exercise":
        module = ast.Module(body=plan.statements, type_ignores=[])
        exec(compile(module, filename, "exec"), namespace)
        return
    for node in plan.statements:
        try:
            exec(compile(ast.Module(body=[node], type_ignores=[]), filename, "exec"), namespace)
        except Exception:  # noqa: BLE001 - a helper that fails is not graded; callers say so
            pass


def main() -> int:
    stdin = os.fdopen(os.dup(0), "rb")
    job = json.loads(stdin.readline())  # the set-up; the exercises come once we are ready
    chan = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    try:
        from autograder.inside import isolate

        notes = isolate.enter(job["sandbox"])
        import autograder
        import autograder.inside

        if os.path.isdir(isolate.INSIDE_LIB):  # the copy as the new root shows it
            autograder.__path__[:] = [os.path.join(isolate.INSIDE_LIB, "autograder")]
            autograder.inside.__path__[:] = [os.path.join(autograder.__path__[0], "inside")]
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import importlib

        probes = importlib.import_module(f"autograder.inside.probes.{job['lab_id']}")
        import tensorflow  # noqa: F401 - imported before the clock of the first exercise

        from autograder.inside import notebook
    except BaseException as exc:  # noqa: BLE001
        protocol.send(chan, {"event": protocol.FATAL, "message": _describe(exc)})
        return 1
    protocol.send(chan, {"event": protocol.READY, "notes": notes})
    try:
        job.update(json.loads(stdin.read()))
    except ValueError:
        return 1
    stdin.close()
    signal.signal(signal.SIGALRM, _on_alarm)
    me = os.getpid()
    try:
        _grade(job, chan, probes, notebook)
    finally:
        if os.getpid() == me:
            chan.flush()
        os._exit(0)  # at once: no waiting for threads the student's code started
    return 0


def _grade(job, chan, probes, notebook) -> None:
    names = list(job["names"])
    todo = {item["name"]: item for item in job["exercises"]}
    skip = set(job.get("skip_cells", ()))

    # 1. Parse the notebook's text, here, under a time limit.
    protocol.send(chan, {"event": protocol.PARSE})
    signal.setitimer(signal.ITIMER_REAL, float(job["parse_limit"]))
    try:
        plans = notebook.plan_cells(list(job["cells"]), names)
        last = notebook.last_cells(plans, names)
        calls = notebook.dependencies(plans, names)
    except BaseException as exc:  # noqa: BLE001 - a notebook built to stall the parser
        signal.setitimer(signal.ITIMER_REAL, 0)
        status, message = _failure(exc)
        if status == "timeout":
            message = f"reading your notebook's code took longer than {job['parse_limit']:g} s"
        for name in todo:
            _result(chan, name, "error", "the grader could not read your code: " + message)
        return
    signal.setitimer(signal.ITIMER_REAL, 0)
    for name in list(todo):
        if name not in last:
            _result(chan, name, "missing", "")
            del todo[name]
        elif plans[last[name]].syntax_error:
            _result(chan, name, "error", "syntax error " + plans[last[name]].syntax_error)
            del todo[name]
    if not todo:
        return

    # 2. Run the cells in order; probe each exercise after the last cell defining it.
    namespace, shell_file = new_namespace(probes.PREAMBLE)
    other_left = float(job["other_cells_limit"])
    me = os.getpid()
    end = max(last[name] for name in todo)
    for plan in plans[: end + 1]:
        if plan.kind == "skip" or plan.index in skip:
            continue
        mine = [n for n in plan.defines if n in todo and last[n] == plan.index]
        limits = [float(todo[n]["time_limit"]) for n in mine]
        if plan.kind == "exercise":
            limit = max(limits or [float(job["exercise_cell_limit"])])
        else:
            limit = min(float(job["other_cell_limit"]), max(other_left, 0.01))
        protocol.send(
            chan, {"event": protocol.CELL, "index": plan.index, "defines": mine, "limit": limit}
        )
        started = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, limit)
        cell_error = None
        try:
            run_cell(plan, namespace, shell_file)
        except BaseException as exc:  # noqa: BLE001 - the cell stops, as in the notebook
            cell_error = exc
        finally:
            if os.getpid() != me:  # a process the student's code forked: it stops here
                os._exit(0)
            signal.setitimer(signal.ITIMER_REAL, 0)
        if plan.kind == "other":
            other_left -= time.monotonic() - started
        for name in mine:
            if isinstance(cell_error, ExerciseTimeout):
                _result(chan, name, "timeout", f"its cell took longer than {limit:g} s to run")
                continue
            if cell_error is not None and not callable(namespace.get(name)):
                status, message = _failure(cell_error)
                _result(chan, name, status, f"its cell raised {message}", calls.get(name))
                continue
            _probe(chan, name, todo[name], namespace, probes, calls.get(name))
            if os.getpid() != me:
                os._exit(0)


def _result(chan, name, status, message, calls=None, cases=None) -> None:
    msg = {"event": protocol.RESULT, "name": name, "status": status, "message": message}
    msg["calls"] = list(calls or [])
    if cases is not None:
        msg["cases"] = cases
    protocol.send(chan, msg)


def _probe(chan, name, item, namespace, probes, calls) -> None:
    """Probe exercise ``name`` on every case and send its result."""
    limit = float(item["time_limit"])
    cases = [protocol.decode_arrays(blob, kinds=None) for blob in item["cases"]]
    protocol.send(chan, {"event": protocol.STARTED, "name": name})
    me = os.getpid()
    signal.setitimer(signal.ITIMER_REAL, limit)
    status, message, outputs = "ran", "", []
    try:
        impl = namespace.get(name)
        if impl is None:
            status, message = "error", f"`{name}` is not defined by your code"
        else:
            probe = probes.PROBES[name]
            size, most = 0, int(item.get("max_output_bytes", 1 << 62))
            for inputs in cases:
                got = probe(impl, inputs)
                outputs.append({str(key): plain(val) for key, val in dict(got).items()})
                size += sum(arr.nbytes for arr in outputs[-1].values())
                if size > most:
                    status = "error"
                    message = f"your code returned more than {most >> 20} MB of data"
                    break
    except BaseException as exc:  # noqa: BLE001 - any failure of student code is a result
        status, message = _failure(exc)
    finally:
        if os.getpid() != me:  # a process the student's code forked: it stops here
            os._exit(0)
        signal.setitimer(signal.ITIMER_REAL, 0)
    if status == "timeout":
        message = f"took longer than {limit:g} s"
    if status != "ran":
        outputs = []
    cases = [protocol.encode_arrays(case) for case in outputs] if status == protocol.RAN else None
    _result(chan, name, status, message, calls, cases)


if __name__ == "__main__":
    sys.exit(main())
