"""Sharded class grading: which shard owns a student, and a class run with ``--out``.

* **Shards.** ``--shard K/N`` grades the students whose id hashes to K: the first 8 bytes
  of sha256(student id, UTF-8), mod N, plus 1. The same student lands in the same shard on
  every machine, whatever the order of the folder's listing. Where ``--shard`` is not
  given, ``--shard-count N`` takes the 0-based index from the engine: Kubernetes Indexed
  Jobs' ``JOB_COMPLETION_INDEX``, Slurm arrays' ``SLURM_ARRAY_TASK_ID`` (``--array=0-(N-1)``)
  or ``MIT6S191_SHARD_INDEX`` (e.g. a GitHub Actions matrix).
* **A class run.** :class:`ClassRun` grades a whole class or one shard of it into
  ``--out``, reusing every report that still stands (:mod:`autograder.resume`: the grading
  fingerprint and the rules of reuse), and writes ``shard.json`` for the merge.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from autograder.results import GradeReport
from autograder.resume import grading_fingerprint, reusable, submission_sha256

SHARD_FILE = "shard.json"  # in a shard's --out, beside the class files
# Engine variables holding a 0-based shard index, in the order they are looked at.
INDEX_VARIABLES = ("JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "MIT6S191_SHARD_INDEX")


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
        self.shas = [submission_sha256(s.path) for s in subs]
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
