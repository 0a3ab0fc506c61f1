"""Grading one submission: the orchestration of the grader's parts.

Trust model: the student's notebook contributes only the text of its code cells; lab,
points, time limits, input generators and hints come from the trusted
``autograder/labs/labN.py``, and the references from ``solutions/``; neither ever enters
the sandbox. The code runs in a separate, isolated process started from the folder
``autograder/inside/`` (runner, isolation, probes, protocol: :mod:`autograder.supervisor`
starts and always ends it, :mod:`autograder.execution` reads what it says) on inputs drawn
fresh from a secret seed; only plain numeric arrays come back, and the comparison with
the hidden reference happens here (:mod:`autograder.compare`). Everything the student's
process says is data, and every message shown to people is cleaned
(:mod:`autograder.text`). The report is :class:`autograder.results.GradeReport`.

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

import os
import secrets
import time
from pathlib import Path

import numpy as np

from autograder.compare import compare
from autograder.execution import Job, run_notebook, runner_budget
from autograder.inside.notebook import SubmissionError, read_code_cells
from autograder.inside.protocol import plain
from autograder.labs import get_spec, guess_lab
from autograder.lease import LeaseError
from autograder.results import ExerciseResult, GradeReport
from autograder.solutions import REPO_ROOT, load_solutions, solutions_path
from autograder.spec import as_cases
from autograder.supervisor import Runner
from autograder.text import clean_text
from mit6s191_utils.datasets import sha256_of

__all__ = ["grade_notebook"]


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
        digest = sha256_of(path) if path.is_file() else ""
        report = _grade(path, lab_id, seed, solutions_dir, time_scale, digest)
    except (SubmissionError, ValueError, LeaseError) as exc:
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
    sol_dir = Path(solutions_dir) if solutions_dir else None
    sol_path = solutions_path(spec, sol_dir)
    hide = [str(REPO_ROOT), str(sol_path.resolve().parent), str(path.resolve().parent)]
    names = [ex.name for ex in spec.exercises]
    limits = {ex.name: ex.time_limit * time_scale for ex in spec.exercises}
    # Start the student's process now: it imports TensorFlow while we get references.
    runner = Runner(spec.lab_id, hide, runner_budget(Job(cells, names, {}, limits), names))
    with runner:  # ended on any exception; run_notebook ends it too
        solutions = load_solutions(spec, sol_dir)
        rng = np.random.default_rng(seed)
        inputs = {ex.name: as_cases(ex.make_inputs(rng)) for ex in spec.exercises}
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
                expected = {k: plain(v) for k, v in ex.probe(reference, case).items()}
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
