"""The grading side: draws inputs, runs the student's code elsewhere, compares here."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from autograder.labs import get_spec, guess_lab
from autograder.notebook import SubmissionError, extract_exercises, read_code_cells
from autograder.spec import Exercise, LabSpec

REPO_ROOT = Path(__file__).resolve().parents[1]
STARTUP_ALLOWANCE = 60.0  # seconds for the runner to import TensorFlow before the first exercise


@dataclass
class ExerciseResult:
    """How one exercise went: points, a status and a sentence the student can act on."""

    name: str
    title: str
    points: float
    max_points: float
    status: str  # passed | wrong | error | timeout | not attempted | missing
    feedback: str


@dataclass
class GradeReport:
    """The grade of one submission."""

    lab_id: str
    submission: str
    sha256: str
    seed: int
    results: list[ExerciseResult] = field(default_factory=list)
    error: str | None = None  # the whole submission could not be graded
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return float(sum(r.points for r in self.results))

    @property
    def max_score(self) -> float:
        return float(sum(r.max_points for r in self.results))

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(score=self.score, max_score=self.max_score)
        return data

    def summary(self) -> str:
        width = max((len(r.name) for r in self.results), default=10)
        lines = [f"{self.lab_id}: {Path(self.submission).name}"]
        if self.error:
            lines.append(f"  could not grade: {self.error}")
        for r in self.results:
            mark = "✔" if r.status == "passed" else "✘"
            lines.append(
                f"  {mark} {r.name:<{width}}  {r.points:g}/{r.max_points:g}  {r.status}"
                + (f" — {r.feedback}" if r.feedback else "")
            )
        lines.append(f"  score: {self.score:g}/{self.max_score:g}")
        return "\n".join(lines)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_solutions(spec: LabSpec, solutions_dir: Path | None = None):
    """Import the hidden reference module for a lab from ``solutions/``."""
    path = Path(solutions_dir or REPO_ROOT / "solutions") / spec.solutions_module
    if not path.is_file():
        raise FileNotFoundError(
            f"hidden solutions {path} not found: grading needs the instructor's copy of the "
            "course repository (the student release leaves solutions/ out)"
        )
    module_spec = importlib.util.spec_from_file_location(f"_solutions_{spec.lab_id}", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


# --- comparison ---------------------------------------------------------------------------


def compare(exercise: Exercise, got: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> str:
    """'' when ``got`` matches ``want``; otherwise a sentence saying what differs."""
    for key, expected in want.items():
        label = f"`{key}`" if len(want) > 1 else "the result"
        if key not in got:
            return f"{label} is missing from what your code returned"
        actual = got[key]
        if actual.shape != expected.shape:
            return f"{label} has the wrong shape: expected {expected.shape}, got {actual.shape}"
        if actual.dtype != expected.dtype:
            return f"{label} has the wrong dtype: expected {expected.dtype}, got {actual.dtype}"
        if expected.dtype.kind in "biu":
            bad = actual != expected
        else:
            close = np.isclose(
                actual, expected, rtol=exercise.rtol, atol=exercise.atol, equal_nan=True
            )
            bad = ~close
        if np.any(bad):
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


def _runner_env(job_dir: Path) -> dict[str, str]:
    """A minimal environment: no secrets, no proxies, nothing pointing at our files."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(job_dir),
        "TMPDIR": str(job_dir),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "CUDA_VISIBLE_DEVICES": "",
        "MPLBACKEND": "Agg",
        "OMP_NUM_THREADS": "1",
    }
    return env


def run_student_code(
    spec: LabSpec, codes: dict[str, str], inputs: dict[str, dict[str, np.ndarray]]
) -> dict[str, tuple[str, str, dict | None]]:
    """Run each exercise's code in a separate process; returns name -> (status, msg, outputs)."""
    job_dir = Path(tempfile.mkdtemp(prefix="mit6s191-grade-"))
    results: dict[str, tuple[str, str, dict | None]] = {}
    try:
        job = {"lab_id": spec.lab_id, "exercises": []}
        for name, code in codes.items():
            job["exercises"].append({"name": name, "code": code})
            np.savez(job_dir / f"inputs_{name}.npz", **inputs[name])
        (job_dir / "job.json").write_text(json.dumps(job))
        pending = list(codes)
        while pending:
            budget = STARTUP_ALLOWANCE + sum(spec.exercise(n).time_limit + 5 for n in pending)
            with open(job_dir / "runner.log", "ab") as log:
                proc = subprocess.Popen(
                    [sys.executable, "-I", "-m", "autograder.runner", str(job_dir)],
                    cwd=job_dir,
                    env=_runner_env(job_dir),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                    start_new_session=True,
                )
                try:
                    proc.wait(timeout=budget)
                    timed_out = False
                except subprocess.TimeoutExpired:
                    timed_out = True
                    _kill(proc)
            progressed = False
            for name in list(pending):
                result_file = job_dir / f"result_{name}.json"
                if result_file.exists():
                    results[name] = _read_result(job_dir, name)
                    pending.remove(name)
                    progressed = True
                elif (job_dir / f"started_{name}").exists():
                    # The runner died or hung while running this exercise.
                    why = (
                        "took too long (the whole process was stopped)"
                        if timed_out
                        else f"the process running your code stopped (exit code {proc.returncode})"
                        " — e.g. os._exit(), a crash or running out of memory"
                    )
                    results[name] = ("timeout" if timed_out else "error", why, None)
                    pending.remove(name)
                    progressed = True
                    break
            if not progressed:  # the runner failed before any exercise: give up on the rest
                tail = (job_dir / "runner.log").read_bytes()[-400:].decode("utf-8", "replace")
                for name in pending:
                    results[name] = ("error", f"the grader could not run your code: {tail}", None)
                pending = []
            else:
                for name in pending:  # mark the rest to be run by a fresh runner
                    (job_dir / f"started_{name}").unlink(missing_ok=True)
    finally:
        shutil.rmtree(job_dir, ignore_errors=True)
    return results


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, 9)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _read_result(job_dir: Path, name: str) -> tuple[str, str, dict | None]:
    try:
        meta = json.loads((job_dir / f"result_{name}.json").read_text())
        status, message = str(meta["status"]), str(meta["message"])[:500]
    except (ValueError, KeyError, TypeError):
        return "error", "the grader could not read the result of your code", None
    outputs = None
    out_file = job_dir / f"output_{name}.npz"
    if status == "ran":
        try:
            with np.load(out_file, allow_pickle=False) as data:
                outputs = {k: np.array(data[k]) for k in data.files}
        except Exception:
            return "error", "your code's output could not be read back as plain numbers", None
    return status, message, outputs


# --- the whole submission -----------------------------------------------------------------


def grade_notebook(
    path: str | os.PathLike,
    lab_id: str | None = None,
    seed: int | None = None,
    solutions_dir: str | os.PathLike | None = None,
) -> GradeReport:
    """Grade one notebook. Never raises for a bad submission: the report says what went wrong."""
    start = time.monotonic()
    path = Path(path)
    seed = secrets.randbits(32) if seed is None else int(seed)
    digest = sha256_file(path) if path.is_file() else ""
    try:
        cells = read_code_cells(path)
        lab_id = lab_id or guess_lab(path.name, cells)
    except (SubmissionError, ValueError) as exc:
        return GradeReport(
            lab_id or "unknown",
            str(path),
            digest,
            seed,
            error=str(exc),
            seconds=time.monotonic() - start,
        )
    spec = get_spec(lab_id)
    report = GradeReport(lab_id, str(path), digest, seed)
    solutions = load_solutions(spec, Path(solutions_dir) if solutions_dir else None)
    sources = extract_exercises(cells, [ex.name for ex in spec.exercises])

    rng = np.random.default_rng(seed)
    inputs = {ex.name: ex.make_inputs(rng) for ex in spec.exercises}
    to_run = {}
    early: dict[str, ExerciseResult] = {}
    for ex in spec.exercises:
        src = sources[ex.name]
        if src.syntax_error:
            early[ex.name] = ExerciseResult(
                ex.name,
                ex.title,
                0,
                ex.points,
                "error",
                f"syntax error in the cell that defines `{ex.name}`, {src.syntax_error}",
            )
        elif src.code is None:
            early[ex.name] = ExerciseResult(
                ex.name,
                ex.title,
                0,
                ex.points,
                "missing",
                f"no cell defines `{ex.name}`: restore the exercise cell from the original lab",
            )
        else:
            to_run[ex.name] = src.code
    ran = run_student_code(spec, to_run, inputs) if to_run else {}

    for ex in spec.exercises:
        if ex.name in early:
            report.results.append(early[ex.name])
            continue
        status, message, outputs = ran[ex.name]
        if status == "ran":
            expected = ex.probe(getattr(solutions, ex.name), inputs[ex.name])
            expected = {
                k: np.asarray(v.numpy() if hasattr(v, "numpy") else v) for k, v in expected.items()
            }
            problem = compare(ex, outputs, expected)
            if problem:
                status, message = "wrong", problem + (f". Hint: {ex.hint}" if ex.hint else "")
            else:
                status, message = "passed", ""
        elif status == "not attempted":
            message = "the cell still raises NotImplementedError"
        points = ex.points if status == "passed" else 0
        report.results.append(ExerciseResult(ex.name, ex.title, points, ex.points, status, message))
    report.seconds = time.monotonic() - start
    return report
