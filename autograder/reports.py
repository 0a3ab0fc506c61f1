"""Report files: a JSON per submission, a CSV gradebook, JUnit XML, GitHub Classroom points.

Layout of ``--out``: the class files at the top (``gradebook.csv``, ``junit.xml``,
``classroom.json``, ``report.html``: the class report of :mod:`autograder.classreport`) and
one JSON per student under ``students/``, so that no student's name
can land on a class file. Every file is written atomically (a temporary file, then
``os.replace``): a reader never sees half a report, and one report that cannot be written
never stops the others.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import tempfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

from autograder import classreport
from autograder.results import GradeReport
from autograder.text import clean_text

STUDENTS_DIR = "students"  # per-student JSON reports; the class files sit beside it
CLASS_FILES = ("gradebook.csv", "junit.xml", "classroom.json", classreport.REPORT_FILE)


def safe_name(text: str) -> str:
    """A file name made of letters, digits, '.', '_' and '-' only."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "submission"
    return name[:120]


def _student(report: GradeReport) -> str:
    return clean_text(report.student or Path(report.submission).stem, 120)


def _xml_text(text: str) -> str:
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 32)


def junit_xml(reports: list[GradeReport]) -> str:
    """JUnit XML: a test suite per submission, a test case per exercise."""
    suites, total, failures = [], 0, 0
    for report in reports:
        name = _student(report)
        cases = []
        if report.error:
            cases.append(
                f'    <testcase classname={quoteattr(name)} name="submission">'
                f"<failure message={quoteattr(_xml_text(clean_text(report.error)))}/></testcase>"
            )
        for r in report.results:
            body = ""
            if r.status != "passed":
                msg = _xml_text(clean_text(f"{r.status}: {r.feedback}"))
                body = f"<failure message={quoteattr(msg)}/>"
            cases.append(
                f"    <testcase classname={quoteattr(name)} name={quoteattr(r.name)}>"
                f"{body}</testcase>"
            )
        bad = sum("<failure" in c for c in cases)
        total, failures = total + len(cases), failures + bad
        suites.append(
            f'  <testsuite name={quoteattr(name)} tests="{len(cases)}" failures="{bad}">\n'
            + "\n".join(cases)
            + "\n  </testsuite>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<testsuites name="mit6s191-grade" tests="{total}" failures="{failures}">\n'
        + "\n".join(suites)
        + "\n</testsuites>\n"
    )


def _cell(value) -> str:
    text = clean_text(value, 500) if isinstance(value, str) else f"{value:g}"
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text  # no spreadsheet formulas


def gradebook_csv(reports: list[GradeReport]) -> str:
    """One row per submission: score, points of each exercise (column per exercise), error."""
    names: list[str] = []
    for report in reports:
        for r in report.results:
            if r.name not in names:
                names.append(r.name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", "lab", "score", "max_score", *names, "error", "sha256"])
    for report in sorted(reports, key=_student):
        points = {r.name: r.points for r in report.results}
        writer.writerow(
            [
                _cell(_student(report)),
                report.lab_id,
                _cell(report.score),
                _cell(report.max_score),
                *[_cell(points[n]) if n in points else "" for n in names],
                _cell(report.error or ""),
                report.sha256,
            ]
        )
    return out.getvalue()


def classroom_result(reports: list[GradeReport]) -> dict:
    """The payload GitHub Classroom's autograding-grading-reporter reads (one runner)."""
    tests = []
    for report in reports:
        prefix = f"{_student(report)}: " if len(reports) > 1 else ""
        if report.error:
            tests.append(
                {
                    "name": prefix + "submission",
                    "status": "error",
                    "score": 0,
                    "message": clean_text(report.error),
                    "line_no": 0,
                    "execution_time": f"{report.seconds:.1f}s",
                }
            )
        for r in report.results:
            tests.append(
                {
                    "name": prefix
                    + f"{r.name} ({r.max_points:g} point{'s' if r.max_points != 1 else ''})",
                    "status": "pass" if r.status == "passed" else "fail",
                    "score": r.points,
                    "message": clean_text(f"{r.status}: {r.feedback}" if r.feedback else r.status),
                    "line_no": 0,
                    "execution_time": f"{report.seconds / max(len(report.results), 1):.1f}s",
                }
            )
    max_score = sum(report.max_score for report in reports)
    failed = any(t["status"] != "pass" for t in tests)
    errored = any(report.error for report in reports)
    return {
        "version": 1,
        "status": "error" if errored else ("fail" if failed else "pass"),
        "max_score": max_score,
        "tests": tests,
    }


def classroom_output_line(reports: list[GradeReport]) -> str:
    """``result=<base64 JSON>``: the line to append to $GITHUB_OUTPUT for the reporter."""
    payload = json.dumps(classroom_result(reports)).encode()
    return "result=" + base64.b64encode(payload).decode() + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def student_file_names(students: list[str]) -> list[str]:
    """The file name under ``students/`` of each student of a class, in class order: the
    safe name, with '_' appended until it differs (case-insensitively) from the earlier ones.
    A shard names its students' files from the whole class's list, so that they are the
    files one run would write."""
    names, used = [], set()
    for student in students:
        name = safe_name(student)
        while name.lower() in used:  # also distinct on case-insensitive file systems
            name += "_"
        used.add(name.lower())
        names.append(name + ".json")
    return names


def student_json(report: GradeReport, fingerprint: str | None = None) -> str:
    """A student's JSON report; ``fingerprint`` (what graded it: see
    :func:`autograder.resume.grading_fingerprint`) lets a resumed batch reuse it."""
    data = report.as_dict()
    if fingerprint:
        data["grading_fingerprint"] = fingerprint
    return json.dumps(data, indent=2, ensure_ascii=True) + "\n"


def write_reports(
    reports: list[GradeReport],
    out: Path,
    problems: list[str] | None = None,
    *,
    file_names: list[str] | None = None,
    fingerprints: dict[str, str] | None = None,
) -> list[Path]:
    """``students/<name>.json`` per submission, and gradebook.csv, junit.xml,
    classroom.json and report.html (the class report) in ``out``; returns the files
    written. A file that cannot be written is skipped and said in ``problems`` (when
    given; otherwise the first one is raised at the end, after all the others are
    written). ``file_names`` (one per report) name the
    students' files (default: :func:`student_file_names` of these reports); ``fingerprints``
    maps a lab id to its grading fingerprint, stored in each student's JSON."""
    out = Path(out)
    (out / STUDENTS_DIR).mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    failed: list[str] = []
    if file_names is None:
        file_names = student_file_names(
            [report.student or Path(report.submission).stem for report in reports]
        )
    fingerprints = fingerprints or {}

    def attempt(path: Path, make) -> None:
        try:
            write_atomic(path, make())
            written.append(path)
        except Exception as exc:  # noqa: BLE001 - one report never stops the others
            failed.append(f"{path.name}: not written ({type(exc).__name__}: {clean_text(exc)})")

    for report, name in zip(reports, file_names, strict=True):
        attempt(
            out / STUDENTS_DIR / name,
            lambda report=report: student_json(report, fingerprints.get(report.lab_id)),
        )
    for name, make in zip(
        CLASS_FILES,
        (
            lambda: gradebook_csv(reports),
            lambda: junit_xml(reports),
            lambda: json.dumps(classroom_result(reports), indent=2) + "\n",
            lambda: classreport.class_report(reports, fingerprints),
        ),
    ):
        attempt(out / name, make)
    if problems is not None:
        problems.extend(failed)
    elif failed:
        raise OSError("; ".join(failed))
    return written
