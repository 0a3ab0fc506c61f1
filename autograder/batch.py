"""Grading a class: find the submissions in a folder, grade them on all cores, never stop."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from autograder import sandbox
from autograder.grade import grade_notebook
from autograder.results import GradeReport
from autograder.text import clean_path, clean_text


@dataclass
class Submission:
    """One student's submission: a notebook, or why none could be chosen."""

    student: str
    path: Path | None
    problem: str = ""


def _notebooks(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts and not p.is_symlink() and p.is_file()
    )


def find_submissions(path: Path, lab_id: str | None = None) -> list[Submission]:
    """The submissions at ``path``: a notebook; a folder of notebooks (one per student);
    or a folder of folders (one per student, holding that student's notebook).
    """
    path = Path(path)
    if path.is_file():
        return [Submission(path.stem, path)]
    if not path.is_dir():
        raise FileNotFoundError(f"{path} does not exist")
    subs = [Submission(p.stem, p) for p in sorted(path.glob("*.ipynb")) if p.is_file()]
    folders = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    for folder in folders:
        found = _notebooks(folder)
        if lab_id and len(found) > 1:
            number = lab_id[3:]
            matching = [p for p in found if f"lab{number}" in p.name.lower().replace("_", "")]
            found = matching if len(matching) == 1 else found
        if not found:
            subs.append(Submission(folder.name, None, "no .ipynb notebook in this folder"))
        elif len(found) > 1:
            names = ", ".join(str(p.relative_to(folder)) for p in found[:5])
            subs.append(
                Submission(
                    folder.name,
                    None,
                    f"{len(found)} notebooks in this folder ({names}); keep only the lab's one",
                )
            )
        else:
            subs.append(Submission(folder.name, found[0]))
    if not subs:
        raise FileNotFoundError(f"no .ipynb notebook and no student folder in {path}")
    return subs


def clean_report(report: GradeReport) -> GradeReport:
    """Every string of a report that a submission controls, cleaned once, here: the student's
    name and path (escapes, newlines, CI commands, bytes that are not UTF-8), messages, notes.
    Every output format (terminal, JSON, CSV, JUnit, Classroom) can then take it as it is."""
    report.student = clean_text(report.student, 200)
    report.submission = clean_path(report.submission)
    report.error = clean_text(report.error, 2000) if report.error else report.error
    report.isolation = [clean_text(n, 300) for n in report.isolation]
    for r in report.results:
        r.name, r.title = clean_text(r.name, 200), clean_text(r.title, 200)
        r.status, r.feedback = clean_text(r.status, 40), clean_text(r.feedback, 2000)
    return report


def _grade_one(sub: Submission, options: dict) -> GradeReport:
    if sub.path is None:
        return clean_report(
            GradeReport(
                options.get("lab_id") or "unknown",
                sub.student,
                "",
                options.get("seed") or 0,  # the class seed where there is one (shards agree)
                error=sub.problem,
                student=sub.student,
            )
        )
    return clean_report(grade_notebook(sub.path, student=sub.student, **options))


def _progress(done: int, total: int, report: GradeReport, stream) -> None:
    what = (
        f"could not grade: {clean_text(report.error, 80)}"
        if report.error
        else (f"{report.score:g}/{report.max_score:g}")
    )
    print(
        f"[{done}/{total}] {clean_text(report.student, 60)}: {what} ({report.seconds:.1f} s)",
        file=stream,
        flush=True,
    )


def grade_batch(
    subs: list[Submission],
    jobs: int | None = None,
    progress=sys.stderr,
    allow_unisolated: bool = False,
    on_report=None,
    **options,
) -> list[GradeReport]:
    """Grade every submission, ``jobs`` at a time (default: one per core), in input order.

    ``options`` go to :func:`grade_notebook` (lab_id, seed, solutions_dir, time_scale).
    A submission that breaks the grading process itself is retried once, then reported.
    Fails closed: raises :class:`autograder.sandbox.IsolationUnavailable` before running any
    code when this machine cannot isolate it, unless ``allow_unisolated`` (trusted runs).
    ``on_report(i, report)`` is called as soon as ``subs[i]`` is graded (e.g. to write its
    report at once, so that a batch killed half-way keeps what it finished).
    """
    allowed = sandbox.require_isolation(allow_unisolated)

    def finished(i: int, report: GradeReport) -> None:
        report.isolation = sorted(set(report.isolation) | set(allowed))
        reports[i] = report
        if on_report is not None:
            on_report(i, report)
        _progress(len(reports), len(subs), report, progress)

    jobs = max(1, min(jobs or os.cpu_count() or 1, len(subs)))
    reports: dict[int, GradeReport] = {}
    todo = list(range(len(subs)))
    start = time.monotonic()
    for attempt in range(2):
        if not todo:
            break
        if jobs == 1 and attempt == 0:
            for i in todo:
                finished(i, _grade_one(subs[i], options))
            todo = []
            break
        broken = []
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            futures = {pool.submit(_grade_one, subs[i], options): i for i in todo}
            for future in as_completed(futures):
                i = futures[future]
                try:
                    report = future.result()
                except (BrokenProcessPool, OSError, RuntimeError) as exc:
                    if attempt == 0:
                        broken.append(i)
                        continue
                    report = clean_report(
                        GradeReport(
                            options.get("lab_id") or "unknown",
                            str(subs[i].path),
                            "",
                            options.get("seed") or 0,
                            error=f"the grading process crashed on this submission ({exc!r:.100})",
                            student=subs[i].student,
                        )
                    )
                finished(i, report)
        todo, jobs = broken, 1
    if progress:
        print(
            f"graded {len(subs)} submissions in {time.monotonic() - start:.0f} s",
            file=progress,
            flush=True,
        )
    return [reports[i] for i in range(len(subs))]
