"""Resumable grading: what a grade depends on, and when an old report may be reused.

* **Fingerprint.** :func:`grading_fingerprint` hashes what decides a grade besides the
  submission and the seed: the lab's spec module, the modules of its probes and input
  makers, the reference solution file, the time scale and the grader's own code. A report
  is reused only under the same fingerprint; two shards merge only under the same
  fingerprint (:mod:`autograder.merge`).
* **Resume.** :func:`reusable` says whether a report in ``--out`` still stands for a
  submission: same student, same content (sha256), same lab, same fingerprint, same seed
  (with ``--seed``), and not an error of the grader itself.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from pathlib import Path

from autograder.results import GradeReport
from mit6s191_utils.datasets import sha256_of as _file_digest

FINGERPRINT_KEY = "grading_fingerprint"  # the key in each per-student JSON report
# Errors that say the grader failed, not the submission: such a report is graded again.
GRADER_ERRORS = ("internal grader error", "the grading process crashed")


def _module_file(name: str) -> Path:
    return Path(sys.modules[name].__file__)


def grading_fingerprint(
    lab_id: str, solutions_dir: str | os.PathLike | None = None, time_scale: float = 1.0
) -> str:
    """sha256 of what decides a grade of ``lab_id`` besides the submission and the seed:
    the spec module, the modules of its probes, input makers and explainers, the reference
    solution file (raises FileNotFoundError where there is none), the time scale, and the
    grader's own code (every module of ``autograder/``, the checks' dtype rule and
    ``mit6s191_utils.guards``)."""
    from autograder.labs import get_spec
    from autograder.solutions import REPO_ROOT

    spec = get_spec(lab_id)
    modules = {type(spec).__module__, sys.modules[f"autograder.labs.{lab_id}"].__name__}
    for ex in spec.exercises:
        for fn in (ex.probe, ex.make_inputs, ex.explain):
            if fn is not None and getattr(fn, "__module__", None) in sys.modules:
                modules.add(fn.__module__)
    solution = Path(solutions_dir or REPO_ROOT / "solutions") / spec.solutions_module
    if not solution.is_file():
        raise FileNotFoundError(
            f"no reference solution {solution}: pass --solutions DIR (the course's solutions/)"
        )
    parts = [f"lab {lab_id}", f"time_scale {float(time_scale)!r}"]
    parts += [f"module {m} {_file_digest(_module_file(m))}" for m in sorted(modules)]
    parts.append(f"solution {spec.solutions_module} {_file_digest(solution)}")
    # The grader's own code too (comparison, execution, the runner and its protocol, the
    # dtype rule of the checks, the rules the probes enforce): after any change to how
    # grades are decided, no old report is taken for a new one.
    package = Path(__file__).resolve().parent
    used = ("mit6s191_utils.checks", "mit6s191_utils.guards")
    shared = [*sorted(package.rglob("*.py"))]
    shared += [Path(importlib.util.find_spec(name).origin) for name in used]
    for path in shared:
        name = path.relative_to(package.parent).as_posix()
        parts.append(f"grader {name} {_file_digest(path)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def read_report(path: Path) -> tuple[GradeReport | None, dict, str]:
    """(report, its raw dict, "") from a per-student JSON file, or (None, {}, why not)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return GradeReport.from_dict(data), data, ""
    except FileNotFoundError:
        return None, {}, "no report"
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        return None, {}, f"unreadable report ({type(exc).__name__})"


def reusable(
    path: Path,
    student: str,
    sha256: str,
    lab_id: str | None,
    fingerprints,
    seed: int | None,
) -> tuple[GradeReport | None, str]:
    """The report at ``path`` if it still stands for this submission, else (None, why).

    ``fingerprints(lab_id)`` gives the current fingerprint of a lab; ``lab_id`` None
    accepts any lab (the batch guesses labs); ``seed`` None accepts any seed."""
    report, data, why = read_report(path)
    if report is None:
        return None, why
    if report.student != student:
        return None, "the report is another student's"
    if not sha256 or report.sha256 != sha256:
        return None, "the submission changed since it was graded"
    if lab_id is not None and report.lab_id != lab_id:
        return None, f"the report is of {report.lab_id}, not {lab_id}"
    try:
        current = fingerprints(report.lab_id)
    except (ValueError, FileNotFoundError):
        return None, f"{report.lab_id} cannot be fingerprinted"
    if data.get(FINGERPRINT_KEY) != current:
        return None, "the lab's spec, probes, solution or time scale changed"
    if seed is not None and report.seed != seed:
        return None, f"graded with seed {report.seed}, not {seed}"
    if report.error and report.error.startswith(GRADER_ERRORS):
        return None, "the grader itself failed on it"
    return report, ""


def submission_sha256(path: Path | None) -> str:
    """The sha256 of a submission's file ("" for none, or one that cannot be read): what a
    reused report must have graded."""
    if path is None:
        return ""
    try:
        return _file_digest(path)
    except OSError:
        return ""
