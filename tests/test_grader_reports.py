"""Report files and the command line, on hand-made results (no student code is run)."""

import base64
import csv
import io
import json
import os
import xml.etree.ElementTree as ET

import nbformat
import pytest

from autograder import cli, reports, sandbox
from autograder.batch import Submission, clean_report, grade_batch
from autograder.labs import get_spec
from autograder.reports import (
    CLASS_FILES,
    STUDENTS_DIR,
    classroom_output_line,
    classroom_result,
    gradebook_csv,
    junit_xml,
    safe_name,
    write_reports,
)
from autograder.results import ExerciseResult, GradeReport
from autograder.text import clean_text

TOTAL = get_spec("lab1").total_points


def _report(student, statuses, error=None):
    results = [
        ExerciseResult(f"ex{i}", f"Exercise {i}", 2 if s == "passed" else 0, 2, s, f"because {s}")
        for i, s in enumerate(statuses)
    ]
    return GradeReport(
        "lab1", f"/x/{student}/lab1.ipynb", "ab" * 32, 7, results, error, student=student
    )


HOSTILE_NAME = "=cmd|'/c calc'!A1 ::set-output name=x::1 \x1b[2J"


def test_clean_text_removes_escapes_ci_commands_and_fake_points():
    text = clean_text("::notice::Points 18/18\x1b[31m red\u202e\nnext line" + "y" * 500)
    assert "::" not in text and "\x1b" not in text and "\u202e" not in text and "\n" not in text
    assert "18/18" not in text and len(text) <= 300


def test_gradebook_junit_and_classroom(tmp_path):
    reports = [
        _report("alice", ["passed", "passed"]),
        _report("bob", ["wrong", "timeout"]),
        _report(HOSTILE_NAME, ["passed", "error"]),
        GradeReport("lab1", "/x/dave", "", 0, error="no .ipynb notebook", student="dave"),
    ]
    rows = list(csv.DictReader(io.StringIO(gradebook_csv(reports))))
    by = {r["student"]: r for r in rows}
    assert by["alice"]["score"] == "4" and by["alice"]["ex1"] == "2"
    assert by["dave"]["error"] == "no .ipynb notebook" and by["dave"]["max_score"] == f"{TOTAL:g}"
    hostile = next(r for r in rows if "calc" in r["student"])
    assert hostile["student"].startswith("'=")  # no spreadsheet formula
    suites = ET.fromstring(junit_xml(reports))
    assert suites.get("tests") == "7" and suites.get("failures") == "4"
    payload = classroom_result(reports)
    assert payload["max_score"] == 4 * 3 + TOTAL and payload["status"] == "error"
    assert sum(t["score"] for t in payload["tests"]) == 6
    line = classroom_output_line(reports[:1])
    assert line.startswith("result=") and line.endswith("\n") and line.count("\n") == 1
    single = json.loads(base64.b64decode(line[len("result=") :]))
    assert single["status"] == "pass" and single["tests"][0]["name"] == "ex0 (2 points)"
    written = write_reports(reports, tmp_path / "out")
    names = sorted(p.name for p in written)
    assert "alice.json" in names and "gradebook.csv" in names and "junit.xml" in names
    assert all(safe_name(HOSTILE_NAME) and "/" not in n and "\x1b" not in n for n in names)
    data = json.loads((tmp_path / "out" / STUDENTS_DIR / "alice.json").read_text())
    assert data["score"] == 4 and data["max_score"] == 4


def test_cli_grades_a_folder_and_writes_reports(tmp_path, repo, capsys):
    """The shipped lab twice (one per student folder), a folder with no notebook."""
    subs = tmp_path / "subs"
    for student in ("s1", "s2"):
        (subs / student).mkdir(parents=True)
        nb = nbformat.read(repo / "labs" / "lab1_intro_to_deep_learning.ipynb", as_version=4)
        nbformat.write(nb, subs / student / "lab1_intro_to_deep_learning.ipynb")
    (subs / "empty").mkdir()
    gh = tmp_path / "github_output"
    code = cli.main(
        [
            str(subs),
            "--lab",
            "lab1",
            "--out",
            str(tmp_path / "out"),
            "--jobs",
            "2",
            "--github-output",
            str(gh),
            "--quiet",
        ]
    )
    assert code == 0
    out = capsys.readouterr()
    assert "[3/3]" in out.err and "reports written" in out.out
    assert sorted(p.name for p in (tmp_path / "out" / STUDENTS_DIR).iterdir()) == [
        "empty.json",
        "s1.json",
        "s2.json",
    ]
    rows = list(csv.DictReader((tmp_path / "out" / "gradebook.csv").open()))
    assert [(r["student"], r["score"]) for r in rows] == [("empty", "0"), ("s1", "0"), ("s2", "0")]
    assert gh.read_text().startswith("result=")


# --- issue 12: strings a submission controls, report files, failing closed ----------------

# What a submission controls, as the grader gets it: a lone surrogate and XML-invalid
# characters in a message (items 3), a name with escapes, a newline and a CI command and a
# path that is not UTF-8 (Python gives its bytes as surrogates) (items 3 and 5).
HOSTILE_STRINGS = {
    "student": "\x1b[31mmallory\n::error title=pwn::owned\udcff",
    "submission": "/subs/\x1b]0;title\x07lab1\n::error::x\udcfe\udcff.ipynb",
    "feedback": "ValueError: \ud800 lone \ufffe and \uffff \x1b[2J::warning::Points 18/18",
    "error": "bad \udc80\x00\x1b[1m::set-output name=score::18",
}


def _hostile_report():
    report = _report(HOSTILE_STRINGS["student"], ["passed", "error"])
    report.submission = HOSTILE_STRINGS["submission"]
    report.results[1].feedback = HOSTILE_STRINGS["feedback"]
    report.error = HOSTILE_STRINGS["error"]
    report.isolation = ["note \ud800"]
    return report


def _assert_clean(text: str) -> None:
    for bad in ("\x1b", "\\u001b", "::", "\n", "\ufffe", "\uffff", "\\ud", "\\udc", "18/18"):
        assert bad not in text, (bad, text)
    text.encode("utf-8")  # no lone surrogate left


def test_strings_from_a_submission_are_cleaned_once_for_every_format(tmp_path):
    report = clean_report(_hostile_report())
    for value in (report.student, report.submission, report.error, *report.isolation):
        _assert_clean(value)
        assert "\n" not in value
    for r in report.results:
        _assert_clean(r.feedback)
    assert "\\xff" in report.submission and "\\xfe" in report.submission  # bytes stay legible
    honest = clean_report(_report("alice", ["passed", "passed"]))
    assert honest.student == "alice" and honest.results[0].feedback == "because passed"
    written = write_reports([report, honest], tmp_path / "out")
    assert len(written) == 2 + len(CLASS_FILES)
    for path in written:
        raw = path.read_bytes()
        raw.decode("utf-8")
        _assert_clean(raw.decode("utf-8").replace("\n", " "))
    ET.parse(tmp_path / "out" / "junit.xml")  # valid XML
    for path in (tmp_path / "out" / STUDENTS_DIR).iterdir():
        json.loads(path.read_text(encoding="utf-8"))
    _assert_clean(classroom_output_line([report, honest]).rstrip("\n"))
    _assert_clean(report.summary().replace("\n", " "))


def test_a_student_named_like_a_class_file_keeps_their_report(tmp_path):
    names = ["classroom", "gradebook", "junit", "Classroom", "students"]
    written = write_reports([_report(n, ["passed"]) for n in names], tmp_path)
    students = {p.name for p in written if p.parent.name == STUDENTS_DIR}
    assert students == {
        "classroom.json",
        "gradebook.json",
        "junit.json",
        "Classroom_.json",
        "students.json",
    }
    payload = json.loads((tmp_path / "classroom.json").read_text())
    assert payload["version"] == 1 and len(payload["tests"]) == len(names)
    ET.parse(tmp_path / "junit.xml")
    data = json.loads((tmp_path / STUDENTS_DIR / "classroom.json").read_text())
    assert data["student"] == "classroom" and data["score"] == 2


def test_one_report_failing_never_stops_the_others(tmp_path):
    good, bad = _report("alice", ["passed"]), _report("bob", ["wrong"])
    bad.as_dict = lambda: {"unserialisable": object()}
    problems = []
    written = write_reports([bad, good], tmp_path, problems)
    assert [p.name for p in written] == ["alice.json", *CLASS_FILES]
    assert len(problems) == 1 and "bob.json" in problems[0] and "TypeError" in problems[0]
    with pytest.raises(OSError, match="bob.json"):
        write_reports([bad, good], tmp_path / "again")
    assert (tmp_path / "again" / "junit.xml").is_file()  # written before raising


def test_reports_are_replaced_atomically(tmp_path, monkeypatch):
    write_reports([_report("alice", ["passed"])], tmp_path)
    before = (tmp_path / "junit.xml").read_bytes()
    monkeypatch.setattr(reports, "junit_xml", lambda rs: "<testsuites>" + "x" * 100000 + "\ud800")
    problems = []
    write_reports([_report("alice", ["wrong"])], tmp_path, problems)
    assert len(problems) == 1 and "junit.xml" in problems[0]
    assert (tmp_path / "junit.xml").read_bytes() == before  # never half written
    assert sorted(os.listdir(tmp_path)) == sorted([STUDENTS_DIR, *CLASS_FILES])  # no temp left


def test_cli_survives_hostile_names_and_messages(tmp_path, capsys, monkeypatch):
    """Unreadable notebooks (no code runs) with hostile and non-UTF-8 file names."""
    subs = tmp_path / "subs"
    subs.mkdir()
    name = b"\x1b[31mmal\nlory ::error title=pwn::owned \xff\xfe.ipynb"
    with open(os.path.join(os.fsencode(subs), name), "wb") as fh:
        fh.write(b'{"cells": [')
    (subs / "bob.ipynb").write_text("[1, 2]")
    gh = tmp_path / "gh"
    code = cli.main(
        [
            str(subs),
            "--lab",
            "lab1",
            "--out",
            str(tmp_path / "out"),
            "--github-output",
            str(gh),
            "--jobs",
            "1",
        ]
    )
    out = capsys.readouterr()
    assert code == 0
    for text in (out.out, out.err):
        assert "\x1b" not in text and "::error" not in text
        text.encode("utf-8")
    assert out.out.count("\n") == len(out.out.splitlines())  # no name split a line
    for path in (tmp_path / "out" / STUDENTS_DIR).iterdir():
        raw = path.read_text(encoding="utf-8")
        assert "\\u001b" not in raw and "::error" not in raw and "\\udc" not in raw
        assert json.loads(raw)["max_score"] == TOTAL
    ET.parse(tmp_path / "out" / "junit.xml")
    assert gh.read_text().startswith("result=") and gh.read_text().count("\n") == 1


def _no_namespaces(monkeypatch, root: bool):
    monkeypatch.setattr(sandbox, "available", lambda: False)
    if not root:
        monkeypatch.setattr(sandbox.os, "geteuid", lambda: 1000)


def test_grading_refuses_where_the_os_cannot_isolate(tmp_path, capsys, monkeypatch, repo):
    _no_namespaces(monkeypatch, root=False)
    monkeypatch.delenv(sandbox.ALLOW_ENV, raising=False)
    out = tmp_path / "out"
    code = cli.main([str(repo / get_spec("lab1").notebook), "--lab", "lab1", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()  # nothing graded, nothing written
    for needed in (
        "refusing to grade",
        "sudo",
        "root",
        "namespaces",
        "CAP_SYS_ADMIN",
        "user.max_user_namespaces",
        "--allow-unisolated",
    ):
        assert needed in err, needed
    with pytest.raises(sandbox.IsolationUnavailable):
        grade_batch([Submission("x", None, "none")], lab_id="lab1", progress=None)


def test_allow_unisolated_grades_and_says_so(tmp_path, capsys, monkeypatch):
    _no_namespaces(monkeypatch, root=True)
    monkeypatch.delenv(sandbox.ALLOW_ENV, raising=False)
    nb = tmp_path / "lab1.ipynb"
    nb.write_text("{}")
    code = cli.main(
        [str(nb), "--lab", "lab1", "--out", str(tmp_path / "out"), "--allow-unisolated"]
    )
    err = capsys.readouterr().err
    assert code == 0 and "WITHOUT full isolation" in err
    data = json.loads((tmp_path / "out" / STUDENTS_DIR / "lab1.json").read_text())
    assert any("WITHOUT full isolation" in n for n in data["isolation"])
    monkeypatch.setenv(sandbox.ALLOW_ENV, "1")  # the same, for a trusted test run
    assert grade_batch([Submission("x", None, "none")], lab_id="lab1", progress=None)
