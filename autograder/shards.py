"""Sharded and resumable class grading: which shard owns a student, what a grading depends
on, and when an old report may be reused.

* **Shards.** ``--shard K/N`` grades the students whose id hashes to K: the first 8 bytes
  of sha256(student id, UTF-8), mod N, plus 1. The same student lands in the same shard on
  every machine, whatever the order of the folder's listing. Where ``--shard`` is not
  given, ``--shard-count N`` takes the 0-based index from the engine: Kubernetes Indexed
  Jobs' ``JOB_COMPLETION_INDEX``, Slurm arrays' ``SLURM_ARRAY_TASK_ID`` (``--array=0-(N-1)``)
  or ``MIT6S191_SHARD_INDEX`` (e.g. a GitHub Actions matrix).
* **Fingerprint.** :func:`grading_fingerprint` hashes what decides a grade besides the
  submission and the seed: the lab's spec module, the modules of its probes and input
  makers, the reference solution file, and the time scale. A report is reused only under
  the same fingerprint; two shards merge only under the same fingerprint.
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

SHARD_FILE = "shard.json"  # in a shard's --out, beside the class files
FINGERPRINT_KEY = "grading_fingerprint"  # the key in each per-student JSON report
# Engine variables holding a 0-based shard index, in the order they are looked at.
INDEX_VARIABLES = ("JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "MIT6S191_SHARD_INDEX")
# Errors that say the grader failed, not the submission: such a report is graded again.
GRADER_ERRORS = ("internal grader error", "the grading process crashed")


class ShardError(ValueError):
    """A shard or merge request that cannot be honoured; the message says what to do."""


def shard_of(student: str, count: int) -> int:
    """The shard (1..count) that owns ``student``: stable across machines and runs."""
    digest = hashlib.sha256(student.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def parse_shard(text: str) -> tuple[int, int]:
    """``"K/N"`` -> (K, N), with 1 <= K <= N."""
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise ShardError(
            f"--shard {text!r}: expected K/N, e.g. --shard 2/3 for the second of three shards"
        ) from None
    if n < 1 or not 1 <= k <= n:
        raise ShardError(f"--shard {text}: K must be between 1 and N (N >= 1), e.g. 1/{max(n, 1)}")
    return k, n


def shard_from_env(count: int, environ=os.environ) -> tuple[int, int]:
    """(K, N) for ``--shard-count N``: K is 1 + the 0-based index an engine sets."""
    if count < 1:
        raise ShardError(f"--shard-count {count}: the number of shards must be at least 1")
    found = {name: environ[name] for name in INDEX_VARIABLES if environ.get(name, "") != ""}
    if not found:
        raise ShardError(
            f"--shard-count {count} without --shard: none of {', '.join(INDEX_VARIABLES)} is "
            "set; give --shard K/N, or run under a Kubernetes Indexed Job, a Slurm array "
            f"(--array=0-{count - 1}) or with MIT6S191_SHARD_INDEX=0..{count - 1}"
        )
    if len(set(found.values())) > 1:
        said = ", ".join(f"{k}={v}" for k, v in found.items())
        raise ShardError(f"the engine variables disagree ({said}); unset all but one")
    name, value = next(iter(found.items()))
    try:
        index = int(value)
    except ValueError:
        raise ShardError(f"{name}={value!r} is not a whole number") from None
    if not 0 <= index < count:
        raise ShardError(
            f"{name}={index} is outside 0..{count - 1} for --shard-count {count}: indexes are "
            f"0-based (Slurm: --array=0-{count - 1}; Kubernetes: completions: {count})"
        )
    return index + 1, count


def _module_file(name: str) -> Path:
    return Path(sys.modules[name].__file__)


def grading_fingerprint(
    lab_id: str, solutions_dir: str | os.PathLike | None = None, time_scale: float = 1.0
) -> str:
    """sha256 of what decides a grade of ``lab_id`` besides the submission and the seed:
    the spec module, the modules of its probes, input makers and explainers, the reference
    solution file (raises FileNotFoundError where there is none), the time scale, and the
    grader's own code (every module of ``autograder/`` and the checks' dtype rule)."""
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
    # dtype rule of the checks): after any change to how grades are decided, no old report
    # is taken for a new one.
    package = Path(__file__).resolve().parent
    checks = importlib.util.find_spec("mit6s191_utils.checks").origin
    shared = [*sorted(package.rglob("*.py")), Path(checks)]
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


def _sha256_or_empty(path: Path | None) -> str:
    from mit6s191_utils.datasets import sha256_of as sha256_file

    if path is None:
        return ""
    try:
        return sha256_file(path)
    except OSError:
        return ""


class ClassRun:
    """A batch with ``--out``: a whole class, or one shard of it; resumable.

    Every student's file name comes from the whole class's list, so that a shard writes
    the files one run would. A report in ``out`` that :func:`reusable` accepts is kept;
    every other submission of this shard is graded, and its report written the moment it
    is graded. A shard also writes ``shard.json`` (before grading and when done)."""

    def __init__(self, subs, out, shard, options: dict, fresh: bool = False, source=None):
        from autograder.reports import student_file_names
        from autograder.text import clean_text

        self.subs, self.out, self.shard = subs, Path(out), shard
        self.options, self.fresh, self.source = options, fresh, source
        self.students = [clean_text(s.student, 200) for s in subs]
        self.files = student_file_names(self.students)
        self.owned = list(range(len(subs)))
        if shard:
            k, n = shard
            self.owned = [i for i, s in enumerate(subs) if shard_of(s.student, n) == k]
        self.shas = [_sha256_or_empty(s.path) for s in subs]
        self.problems: list[str] = []
        self._fingerprints: dict[str, str | None] = {}
        if options.get("lab_id"):  # a missing solution is said before anything is graded
            self.fingerprint(options["lab_id"], strict=True)

    def fingerprint(self, lab_id: str, strict: bool = False) -> str | None:
        if lab_id not in self._fingerprints:
            try:
                self._fingerprints[lab_id] = grading_fingerprint(
                    lab_id, self.options.get("solutions_dir"), self.options.get("time_scale", 1)
                )
            except (ValueError, FileNotFoundError):
                if strict:
                    raise
                self._fingerprints[lab_id] = None
        return self._fingerprints[lab_id]

    def _path(self, i: int) -> Path:
        from autograder.reports import STUDENTS_DIR

        return self.out / STUDENTS_DIR / self.files[i]

    def _fingerprint_or_raise(self, lab_id: str) -> str:
        found = self.fingerprint(lab_id)
        if found is None:
            raise ValueError(lab_id)
        return found

    def reusable_reports(self) -> dict[int, GradeReport]:
        """The owned submissions whose report in ``out`` still stands, by position."""
        found = {}
        for i in self.owned:
            if self.subs[i].path is None:  # nothing to grade: its report costs nothing
                continue
            report, _ = reusable(
                self._path(i),
                self.students[i],
                self.shas[i],
                self.options.get("lab_id"),
                self._fingerprint_or_raise,
                self.options.get("seed"),
            )
            if report is not None:
                found[i] = report
        return found

    def roster(self) -> list[dict]:
        from autograder.reports import STUDENTS_DIR
        from autograder.text import clean_path

        n = self.shard[1]
        return [
            {
                "student": self.students[i],
                "file": f"{STUDENTS_DIR}/{self.files[i]}",
                "submission": clean_path(str(s.path)) if s.path else "",
                "sha256": self.shas[i],
                "shard": shard_of(s.student, n),
            }
            for i, s in enumerate(self.subs)
        ]

    def write_shard_file(self, reused, graded, complete: bool, seconds: float) -> None:
        from autograder.reports import write_atomic
        from autograder.text import clean_path

        k, n = self.shard
        roster = self.roster()
        lab = self.options["lab_id"]
        seed = self.options["seed"]
        data = {
            "format": 1,
            "lab": lab,
            "grading_fingerprint": self.fingerprint(lab),
            "shard": f"{k}/{n}",
            "index": k,
            "count": n,
            "seed": seed,
            "seed_policy": f"class seed: every submission graded with --seed {seed}",
            "submissions": clean_path(str(self.source)) if self.source else "",
            "class_size": len(self.subs),
            "roster_sha256": hashlib.sha256(
                json.dumps(roster, sort_keys=True).encode()
            ).hexdigest(),
            "owned": [self.students[i] for i in self.owned],
            "reused": [self.students[i] for i in sorted(reused)],
            "graded": [self.students[i] for i in sorted(graded)],
            "complete": complete,
            "seconds": round(seconds, 1),
            "roster": roster,
        }
        write_atomic(self.out / SHARD_FILE, json.dumps(data, indent=2, ensure_ascii=True) + "\n")

    def grade(self, jobs: int | None = None, allow_unisolated: bool = False) -> list[GradeReport]:
        """Grade what has no standing report, write every file; the owned reports, in order."""
        import time

        from autograder.batch import grade_batch
        from autograder.reports import STUDENTS_DIR, student_json, write_atomic, write_reports

        start = time.monotonic()
        (self.out / STUDENTS_DIR).mkdir(parents=True, exist_ok=True)
        reused = {} if self.fresh else self.reusable_reports()
        todo = [i for i in self.owned if i not in reused]
        what = f"shard {self.shard[0]}/{self.shard[1]}: " if self.shard else ""
        if self.shard:
            print(
                f"{what}{len(self.owned)} of the class's {len(self.subs)} students",
                file=sys.stderr,
                flush=True,
            )
            self.write_shard_file(reused, [], False, 0.0)
        print(
            f"{what}reports reused: {len(reused)}, to grade: {len(todo)}"
            + (
                f" (the reports in {self.out} that still stand: same student, submission "
                "content, lab, grading fingerprint and seed; --fresh grades all)"
                if reused
                else ""
            ),
            file=sys.stderr,
            flush=True,
        )

        def save(j: int, report: GradeReport) -> None:
            try:
                text = student_json(report, self.fingerprint(report.lab_id))
                write_atomic(self._path(todo[j]), text)
            except Exception as exc:  # noqa: BLE001 - written again with the class files
                print(
                    f"warning: {self.files[todo[j]]} not saved yet ({exc!r:.100})", file=sys.stderr
                )

        graded = grade_batch(
            [self.subs[i] for i in todo],
            jobs=jobs,
            progress=sys.stderr if len(self.subs) > 1 else None,
            allow_unisolated=allow_unisolated,
            on_report=save,
            **self.options,
        )
        by_position = dict(zip(todo, graded)) | reused
        reports = [by_position[i] for i in self.owned]
        labs = {r.lab_id for r in reports}
        fingerprints = {lab: fp for lab in labs if (fp := self.fingerprint(lab))}
        write_reports(
            reports,
            self.out,
            self.problems,
            file_names=[self.files[i] for i in self.owned],
            fingerprints=fingerprints,
        )
        if self.shard:
            self.write_shard_file(reused, todo, True, time.monotonic() - start)
        return reports
