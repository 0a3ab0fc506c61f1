"""Report files and the command line, on hand-made results (no student code is run)."""

import base64
import csv
import io
import json
import xml.etree.ElementTree as ET

import nbformat

from autograder import cli
from autograder.grade import ExerciseResult, GradeReport, clean_text
from autograder.reports import (
    classroom_output_line,
    classroom_result,
    gradebook_csv,
    junit_xml,
    safe_name,
    write_reports,
)


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
    assert by["dave"]["error"] == "no .ipynb notebook" and by["dave"]["max_score"] == "18"
    hostile = next(r for r in rows if "calc" in r["student"])
    assert hostile["student"].startswith("'=")  # no spreadsheet formula
    suites = ET.fromstring(junit_xml(reports))
    assert suites.get("tests") == "7" and suites.get("failures") == "4"
    payload = classroom_result(reports)
    assert payload["max_score"] == 4 * 3 + 18 and payload["status"] == "error"
    assert sum(t["score"] for t in payload["tests"]) == 6
    line = classroom_output_line(reports[:1])
    assert line.startswith("result=") and line.endswith("\n") and line.count("\n") == 1
    single = json.loads(base64.b64decode(line[len("result=") :]))
    assert single["status"] == "pass" and single["tests"][0]["name"] == "ex0 (2 points)"
    written = write_reports(reports, tmp_path / "out")
    names = sorted(p.name for p in written)
    assert "alice.json" in names and "gradebook.csv" in names and "junit.xml" in names
    assert all(safe_name(HOSTILE_NAME) and "/" not in n and "\x1b" not in n for n in names)
    data = json.loads((tmp_path / "out" / "alice.json").read_text())
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
    rows = list(csv.DictReader((tmp_path / "out" / "gradebook.csv").open()))
    assert [(r["student"], r["score"]) for r in rows] == [("empty", "0"), ("s1", "0"), ("s2", "0")]
    assert gh.read_text().startswith("result=")
