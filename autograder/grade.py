"""The grading side: draws inputs, runs the student's notebook elsewhere, compares here.

Trust model: the student's notebook contributes only the text of its code cells; lab,
points, time limits, input generators and probes come from the trusted
``autograder/labs/labN.py`` (which never enters the sandbox; only the probes of
``autograder/probes/labN.py`` do). The code runs in a separate, isolated process
(:mod:`autograder.sandbox`, :mod:`autograder.runner`) on inputs drawn fresh from a secret
seed; only plain numeric arrays come back, and the comparison with the hidden reference
happens here. Everything the student's process says is data: unknown statuses, pickles,
non-numeric or oversized outputs are refused, and every message shown to people is cleaned
of control characters, terminal escapes and CI workflow commands.

Execution model (decided so that the grade agrees with the notebook and its public checks):
the grader runs what the notebook runs. In the sandbox, after the lab's preamble, the code
cells run in notebook order in one namespace: each exercise cell (a cell that defines an
exercise's name) whole, every other cell only its imports, ``def`` and ``class``
statements; a first-line ``%%time`` and the like run their body. Each exercise is probed on
every case of its inputs (the decisive cases first, then random ones) right after the last
cell that defines it, so a student may call their own earlier exercise; when an exercise
fails and calls another exercise that fails, the feedback says to fix that one first. A
crash or time-out costs only the exercise (or the cell) it happened in: a fresh runner
re-runs the cells before the next exercise, without probing and without the cell that
stopped the last one, and carries on. Parsing the notebook's text (magics, ``ast``) happens
in the sandbox too, under its limits; here only the JSON is read, with its size capped.
Once every result is in, the runner is stopped at once.
"""

from __future__ import annotations

import atexit
import base64
import functools
import hashlib
import importlib.util
import io
import json
import os
import queue
import secrets
import shutil
import signal
import site
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from autograder.labs import get_spec, guess_lab
from autograder.notebook import SubmissionError, read_code_cells
from autograder.results import ExerciseResult, GradeReport  # noqa: F401 - re-exported for now
from autograder.spec import Exercise, LabSpec, as_cases
from autograder.text import clean_text
from mit6s191_utils.labcheck import dtype_problem

REPO_ROOT = Path(__file__).resolve().parents[1]
STARTUP_ALLOWANCE = 90.0  # seconds for the runner to start and import TensorFlow
GRACE = 3.0  # seconds past an exercise's limit before the whole runner is killed
PARSE_LIMIT = 30.0  # seconds for the runner to read the notebook's code (IPython, ast)
OTHER_CELL_LIMIT = 30.0  # seconds for one cell that defines no exercise (its definitions)
OTHER_CELLS_LIMIT = 60.0  # seconds for all of them together
MAX_CHANNEL_BYTES = 64 << 20  # what one runner may send back, in all
MAX_OUTPUT_BYTES = 32 << 20  # what one exercise's outputs may hold (the runner checks)
STATUSES = ("passed", "wrong", "error", "timeout", "not attempted", "missing")

# Limits of the process that runs student code (see autograder/sandbox.py). TensorFlow
# alone reserves about 2 GB of address space, so RLIMIT_AS must stay well above that.
LIMITS = {
    "memory_mb": int(os.environ.get("MIT6S191_GRADER_MEMORY_MB", 4096)),
    "file_mb": 64,  # largest file the student's code may write
    "tmp_mb": 64,  # size of its private /tmp
    "processes": 256,  # threads included (TensorFlow starts about 10)
}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@functools.cache
def _load_module(path: str, name: str):
    module_spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def load_solutions(spec: LabSpec, solutions_dir: Path | None = None):
    """Import the hidden reference module for a lab from ``solutions/`` (once per process)."""
    path = Path(solutions_dir or REPO_ROOT / "solutions") / spec.solutions_module
    if not path.is_file():
        raise FileNotFoundError(
            f"hidden solutions {path} not found: grading needs the instructor's copy of the "
            "course repository (the student release leaves solutions/ out)"
        )
    return _load_module(str(path.resolve()), f"_solutions_{spec.lab_id}")


# --- comparison ---------------------------------------------------------------------------


def compare(exercise: Exercise, got: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> str:
    """'' when ``got`` matches ``want``; otherwise a sentence saying what differs.

    Shapes must be equal. Dtypes follow the course's one rule
    (:func:`mit6s191_utils.labcheck.dtype_problem`, which the public checks use too): any
    float dtype where floats are expected, values within the exercise's tolerance; any
    integer dtype where integers are expected, values exactly equal. Where values differ,
    the exercise's ``explain`` may say it in the lab's own terms.
    """
    for key, expected in want.items():
        label = f"`{key}`" if len(want) > 1 else "the result"
        if key not in got:
            return f"{label} is missing from what your code returned"
        actual = got[key]
        if actual.shape != expected.shape:
            return f"{label} has the wrong shape: expected {expected.shape}, got {actual.shape}"
        problem = dtype_problem(label, actual.dtype, expected.dtype)
        if problem:
            return problem[0].upper() + problem[1:] if label == "the result" else problem
        if expected.dtype.kind in "biu":
            bad = actual.astype(np.int64) != expected.astype(np.int64)
        else:
            close = np.isclose(
                actual.astype(np.float64),
                expected.astype(np.float64),
                rtol=exercise.rtol,
                atol=exercise.atol,
                equal_nan=True,
            )
            bad = ~close
        if np.any(bad):
            if exercise.explain is not None:
                try:
                    sentence = exercise.explain(key, actual, expected)
                except Exception:  # noqa: BLE001 - fall back to the generic sentence
                    sentence = ""
                if sentence:
                    return clean_text(sentence, 600)
            idx = tuple(int(i) for i in np.argwhere(bad)[0]) if actual.ndim else ()
            where = f" at index {idx}" if idx else ""
            diff = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
            finite = diff[np.isfinite(diff)]
            size = f"max abs error {finite.max():.3g}; " if finite.size else ""
            return (
                f"{label} has wrong values ({int(np.sum(bad))} of {expected.size} differ; "
                f"{size}first{where}: expected {expected[idx] if idx else expected.item():.6g}, "
                f"got {actual[idx] if idx else actual.item():.6g})"
            )
    return ""


# --- running the student's code -----------------------------------------------------------

_LIB: str | None = None


def trusted_lib() -> str:
    """A private, read-only copy of the code the runner needs (no grader, no solutions).

    The student's process imports only from here: the runner, the sandbox, the probes
    (``autograder/probes/``: no answers, and never the input generators of
    ``autograder/labs/``) and the course utilities.
    """
    global _LIB
    if _LIB and os.path.isdir(_LIB):
        return _LIB
    lib = Path(tempfile.mkdtemp(prefix="mit6s191-runner-lib-"))
    pkg = lib / "autograder"
    (pkg / "probes").mkdir(parents=True)
    (pkg / "__init__.py").write_text('"""The trusted runner side of the autograder."""\n')
    here = Path(__file__).resolve().parent
    for name in ("runner.py", "sandbox.py", "notebook.py"):
        shutil.copy2(here / name, pkg / name)
    for src in sorted((here / "probes").glob("*.py")):
        shutil.copy2(src, pkg / "probes" / src.name)
    utils = REPO_ROOT / "mit6s191_utils"
    if utils.is_dir():
        shutil.copytree(utils, lib / "mit6s191_utils", ignore=shutil.ignore_patterns("__pycache__"))
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


def _npz_b64(arrays: dict[str, np.ndarray]) -> str:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return base64.b64encode(buf.getvalue()).decode()


def _decode_outputs(b64: str) -> dict[str, np.ndarray]:
    """Plain numeric arrays from the runner's npz (no pickles, sizes checked first)."""
    raw = base64.b64decode(b64, validate=True)
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        if sum(info.file_size for info in zf.infolist()) > MAX_CHANNEL_BYTES:
            raise ValueError("too large")
    out = {}
    with np.load(io.BytesIO(raw), allow_pickle=False) as data:
        for key in data.files:
            arr = data[key]
            if type(arr) is not np.ndarray or arr.dtype.kind not in "biuf":
                raise ValueError(f"not plain numbers: {arr.dtype}")
            out[key] = np.array(arr)
    return out


def _reader(stream, q: queue.Queue) -> None:
    total = 0
    try:
        while True:
            line = stream.readline(MAX_CHANNEL_BYTES + 1)
            if not line:
                break
            total += len(line)
            if total > MAX_CHANNEL_BYTES:
                q.put({"event": "overflow"})
                break
            try:
                msg = json.loads(line)
            except ValueError:
                continue  # not ours: ignore
            if isinstance(msg, dict):
                q.put(msg)
    except (OSError, ValueError):
        pass
    q.put({"event": "eof"})


def _kill(proc: subprocess.Popen) -> None:
    """End the runner and everything it started: its cgroups and its uid (see
    :class:`autograder.sandbox.Lease`), its process group, then the runner itself."""
    from autograder.sandbox import Lease

    lease = Lease.for_pid_file(proc.pid)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.kill()
    except OSError:
        pass
    proc.wait()
    if lease is not None:
        lease.release()  # no process of this run is left when the next one starts
    Lease.sweep()


def _sandbox_config(workdir: Path, root: Path, hide: list[str], total_s: float) -> dict:
    """The runner's sandbox settings, with a uid and cgroups of its own (a fresh
    :class:`autograder.sandbox.Lease`, released by :func:`_kill`)."""
    from autograder import sandbox

    sandbox.Lease.sweep()
    total_mb = int(os.environ.get("MIT6S191_GRADER_TOTAL_MEMORY_MB", LIMITS["memory_mb"]))
    lease = sandbox.Lease(total_mb, LIMITS["processes"])
    lease.pid_file = str(root.parent / "runner.pid")
    return {
        "lib": trusted_lib(),
        "binds": sandbox.system_binds(_python_paths()),
        "hide": hide,
        "root": str(root),
        "fallback_workdir": str(workdir),
        "uid": lease.uid,
        "pid_file": lease.pid_file,
        "cgroups": lease.procs_files(),
        "notes": lease.notes,
        "cpu_s": int(total_s) + 30,
        **LIMITS,
    }


# What running one exercise gave: status, message, outputs per case, exercises it calls.
Outcome = tuple[str, str, "list[dict[str, np.ndarray]] | None", list[str]]


class Runner:
    """One isolated runner process. Started early (it imports TensorFlow while the grader
    prepares inputs and references), then given the exercises to run."""

    def __init__(self, spec: LabSpec, hide: list[str], budget: float):
        self.spec = spec
        self.tmp = Path(tempfile.mkdtemp(prefix="mit6s191-grade-"))
        self.tmp.chmod(0o711)  # without namespaces, the runner's own uid must reach work/
        workdir, root = self.tmp / "work", self.tmp / "root"
        workdir.mkdir()
        root.mkdir()
        setup = {"lab_id": spec.lab_id, "sandbox": _sandbox_config(workdir, root, hide, budget)}
        lib = setup["sandbox"]["lib"]
        boot = f"import sys; sys.path.insert(0, {lib!r}); from autograder.runner import main; "
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-c", boot + "sys.exit(main())"],
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
        self._send(setup, close=False)

    def _send(self, message: dict, close: bool) -> None:
        try:
            self.proc.stdin.write(json.dumps(message).encode() + b"\n")
            self.proc.stdin.flush()
            if close:
                self.proc.stdin.close()
        except (OSError, ValueError):
            pass

    def close(self) -> None:
        _kill(self.proc)
        self.reader.join(timeout=5)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run(self, job: Job, pending: list[str], notes: list[str]):
        """Run the notebook, probing the ``pending`` exercises; returns (results, cells to
        leave out next time, whether anything changed)."""
        try:
            return self._run(job, pending, notes)
        finally:
            self.close()

    def _run(self, job: Job, pending: list[str], notes: list[str]):
        results: dict[str, Outcome] = {}
        limits = job.limits
        exercise_cell_limit = max(limits.values(), default=STARTUP_ALLOWANCE)
        self._send(
            {
                "cells": job.cells,
                "names": job.names,
                "exercises": [
                    {
                        "name": n,
                        "cases": [_npz_b64(case) for case in job.inputs[n]],
                        "time_limit": limits[n],
                        "max_output_bytes": MAX_OUTPUT_BYTES,
                    }
                    for n in pending
                ],
                "skip_cells": sorted(job.skip_cells),
                "parse_limit": PARSE_LIMIT,
                "other_cell_limit": OTHER_CELL_LIMIT,
                "other_cells_limit": OTHER_CELLS_LIMIT,
                "exercise_cell_limit": exercise_cell_limit,
            },
            close=True,
        )
        start = self.started
        total = runner_budget(job, pending)
        ready, fatal, killed_for = False, "", ""
        phase: tuple = ()  # ("parse",) | ("cell", index, defines) | ("probe", name)
        since, limit = 0.0, 0.0
        skipped: set[int] = set()
        while len(results) < len(pending):
            try:
                msg = self.queue.get(timeout=0.1)
            except queue.Empty:
                msg = {}
            event = msg.get("event")
            now = time.monotonic()
            if event == "eof":
                break
            if event == "ready" and not ready:
                ready = True
                notes.extend(clean_text(n, 200) for n in msg.get("notes", []) if n)
            elif event == "fatal" and not ready:
                fatal = clean_text(msg.get("message", ""), 300)
            elif event == "parse" and ready and not phase:
                phase, since, limit = ("parse",), now, PARSE_LIMIT
            elif event == "cell" and ready and isinstance(msg.get("index"), int):
                defines = msg.get("defines")
                defines = [n for n in defines if n in pending] if isinstance(defines, list) else []
                if defines:
                    limit = max(limits[n] for n in defines)
                else:
                    limit = exercise_cell_limit
                phase, since = ("cell", int(msg["index"]), defines), now
            elif event == "started" and ready and msg.get("name") in pending:
                phase, since, limit = ("probe", msg["name"]), now, limits[msg["name"]]
            elif event == "result" and ready and msg.get("name") in pending:
                name = msg["name"]
                if name not in results:
                    results[name] = _parse_result(msg, job.names)
                if phase == ("probe", name):
                    phase = ("done",)
            elif event == "overflow":
                killed_for = "overflow"
            if not killed_for:
                if not ready and now - start > STARTUP_ALLOWANCE:
                    killed_for = "startup"
                elif phase and phase[0] != "done" and now - since > limit + GRACE:
                    killed_for = "timeout"
                elif now - start > total:
                    killed_for = "timeout"
            if killed_for:
                break
        _kill(self.proc)  # also when every result is in: nothing of the student's code waits
        left = [n for n in pending if n not in results]
        if not left:
            return results, skipped, True
        if not ready:
            why = fatal or (
                "it did not start in time" if killed_for == "startup" else "it stopped at start"
            )
            for name in left:
                results[name] = ("error", f"the grader could not run your code: {why}", None, [])
            return results, skipped, False
        if killed_for == "timeout":
            how = "took longer than {:g} s"
        elif killed_for == "overflow":
            how = f"returned or sent more than {MAX_CHANNEL_BYTES >> 20} MB of data"
        else:
            code = self.proc.returncode
            how = (
                "stopped the process running your code"
                + (f" (exit code {code})" if code not in (None, 0, -9) else "")
                + " — e.g. os._exit(), a crash, killing processes or running out of memory"
            )
        status = "timeout" if killed_for == "timeout" else "error"
        if phase and phase[0] == "parse":
            for name in left:
                what = "reading your notebook's code " + how.format(PARSE_LIMIT)
                results[name] = ("error", f"the grader could not read your code: {what}", None, [])
        elif phase and phase[0] == "probe":
            results[phase[1]] = (status, how.format(limits[phase[1]]), None, [])
        elif phase and phase[0] == "cell":
            skipped.add(phase[1])
            for name in phase[2]:
                if name not in results:
                    what = "the cell that defines it " + how.format(limit)
                    results[name] = (status, what, None, [])
        progressed = bool(results) or bool(skipped)
        return results, skipped, progressed


def _parse_result(msg: dict, names: list[str]) -> Outcome:
    status = msg.get("status")
    message = clean_text(msg.get("message", ""), 300)
    calls = msg.get("calls")
    calls = [n for n in names if isinstance(calls, list) and n in calls and n != msg.get("name")]
    if status not in ("ran", "not attempted", "error", "timeout", "missing"):
        return "error", "the grader got an invalid result from your code's process", None, []
    if status != "ran":
        return status, message, None, calls
    try:
        cases = msg.get("cases")
        if not isinstance(cases, list) or not cases:
            raise ValueError("no cases")
        return "ran", "", [_decode_outputs(str(case)) for case in cases], calls
    except Exception:  # noqa: BLE001 - anything unreadable is the submission's problem
        return "error", "your code's output could not be read back as plain numbers", None, calls


@dataclass
class Job:
    """What the runner is given: the notebook's code cells (raw text: the runner parses
    them), every exercise name, the input cases and time limits, and the cells to leave
    out because they stopped an earlier runner."""

    cells: list[str]
    names: list[str]
    inputs: dict[str, list[dict[str, np.ndarray]]]
    limits: dict[str, float]
    skip_cells: set[int] = field(default_factory=set)


def runner_budget(job: Job, pending: list[str]) -> float:
    """The most one runner may take, all phases together (each phase has its own limit)."""
    per_cell = sum(job.limits.values()) + GRACE * len(job.limits)
    probes = sum(job.limits[n] + GRACE for n in pending)
    return STARTUP_ALLOWANCE + PARSE_LIMIT + OTHER_CELLS_LIMIT + per_cell + probes


def run_notebook(
    spec: LabSpec,
    cells: list[str],
    inputs: dict[str, list[dict[str, np.ndarray]]],
    time_limits: dict[str, float] | None = None,
    hide: list[str] | None = None,
    notes: list[str] | None = None,
    runner: Runner | None = None,
) -> dict[str, Outcome]:
    """Run the notebook's code in an isolated process and probe every exercise; returns
    name -> (status, message, outputs per case, the other exercises its code calls).

    A crash or a time-out costs only the exercise (or cell) it happened in: a fresh runner
    re-runs the cells, without probing what is already graded and without the cell that
    stopped the last one, and carries on. ``runner``: one started beforehand.
    """
    names = [ex.name for ex in spec.exercises]
    limits = {n: float((time_limits or {}).get(n, spec.exercise(n).time_limit)) for n in names}
    job = Job(list(cells), names, inputs, limits)
    notes = [] if notes is None else notes
    results: dict[str, Outcome] = {}
    pending = list(names)
    while pending:
        runner = runner or Runner(spec, hide or [], runner_budget(job, pending))
        got, skipped, progressed = runner.run(job, pending, notes)
        runner = None
        results.update(got)
        job.skip_cells |= skipped
        pending = [n for n in pending if n not in results]
        if not progressed:
            for name in pending:
                results[name] = (
                    "error",
                    "the process running your code stopped before this exercise — e.g. "
                    "os._exit(), a crash, killing processes or running out of memory",
                    None,
                    [],
                )
            break
    return results


# --- the whole submission -----------------------------------------------------------------


def grade_notebook(
    path: str | os.PathLike,
    lab_id: str | None = None,
    seed: int | None = None,
    solutions_dir: str | os.PathLike | None = None,
    time_scale: float = 1.0,
    student: str = "",
) -> GradeReport:
    """Grade one notebook. Never raises for a bad submission: the report says what went wrong.

    ``time_scale`` multiplies every exercise's time limit (e.g. for a slower machine).
    """
    start = time.monotonic()
    path = Path(path)
    seed = secrets.randbits(32) if seed is None else int(seed)
    digest = ""
    try:
        digest = sha256_file(path) if path.is_file() else ""
        report = _grade(path, lab_id, seed, solutions_dir, time_scale, digest)
    except (SubmissionError, ValueError) as exc:
        report = GradeReport(lab_id or "unknown", str(path), digest, seed, error=str(exc))
    except FileNotFoundError:
        raise  # no hidden solutions: the grader is misconfigured, not the submission
    except Exception as exc:  # noqa: BLE001 - one broken submission never stops a batch
        report = GradeReport(
            lab_id or "unknown",
            str(path),
            digest,
            seed,
            error=f"internal grader error ({type(exc).__name__}: {clean_text(exc, 200)}); "
            "please report it to the course staff",
        )
    report.student = student
    report.seconds = time.monotonic() - start
    return report


def _grade(path, lab_id, seed, solutions_dir, time_scale, digest) -> GradeReport:
    cells = read_code_cells(path)
    lab_id = lab_id or guess_lab(path.name, cells)
    spec = get_spec(lab_id)
    report = GradeReport(lab_id, str(path), digest, seed)
    sol_path = Path(solutions_dir or REPO_ROOT / "solutions") / spec.solutions_module
    hide = [str(REPO_ROOT), str(sol_path.resolve().parent), str(path.resolve().parent)]
    names = [ex.name for ex in spec.exercises]
    limits = {ex.name: ex.time_limit * time_scale for ex in spec.exercises}
    # Start the student's process now: it imports TensorFlow while we get references.
    runner = Runner(spec, hide, runner_budget(Job(cells, names, {}, limits), names))
    try:
        solutions = load_solutions(spec, Path(solutions_dir) if solutions_dir else None)
        rng = np.random.default_rng(seed)
        inputs = {ex.name: as_cases(ex.make_inputs(rng)) for ex in spec.exercises}
    except BaseException:
        runner.close()
        raise
    notes: list[str] = []
    ran = run_notebook(spec, cells, inputs, limits, hide=hide, notes=notes, runner=runner)
    report.isolation = sorted(set(notes))

    verdicts: dict[str, tuple[str, str]] = {}
    for ex in spec.exercises:
        status, message, outputs, _ = ran[ex.name]
        if status == "ran":
            problem = ""
            if len(outputs) != len(inputs[ex.name]):
                problem = "the grader got results for the wrong number of cases"
            reference = getattr(solutions, ex.name)
            for got, case in zip(outputs, inputs[ex.name]):
                expected = {
                    k: np.asarray(v.numpy() if hasattr(v, "numpy") else v)
                    for k, v in ex.probe(reference, case).items()
                }
                problem = problem or compare(ex, got, expected)
                if problem:
                    break
            if problem:
                status, message = "wrong", problem + (f". Hint: {ex.hint}" if ex.hint else "")
            else:
                status, message = "passed", ""
        elif status == "not attempted":
            message = "the cell still raises NotImplementedError"
        elif status == "missing":
            message = (
                f"no cell defines `{ex.name}`: restore the exercise cell from the original lab"
            )
        elif status == "error" and message.startswith("syntax error "):
            message = clean_text(
                f"syntax error in the cell that defines `{ex.name}`, {message[13:]}"
            )
        verdicts[ex.name] = (status, message)

    for ex in spec.exercises:
        status, message = verdicts[ex.name]
        if status in ("wrong", "error", "timeout"):
            broken = [c for c in ran[ex.name][3] if verdicts[c][0] != "passed"]
            if broken:
                which = " and ".join(f"`{c}`, which {_FAILS[verdicts[c][0]]}" for c in broken)
                message = (
                    f"`{ex.name}` calls {which}: fix that first. {message[:1].upper()}{message[1:]}"
                )
        points = ex.points if status == "passed" else 0
        report.results.append(ExerciseResult(ex.name, ex.title, points, ex.points, status, message))
    return report


# How an exercise that another one calls is failing, for the sentence "x calls y, which ...".
_FAILS = {
    "wrong": "is wrong",
    "error": "fails with an error",
    "timeout": "takes too long",
    "not attempted": "is not attempted yet",
    "missing": "is missing",
}
