"""The class report (autograder/classreport.py): hostile text escaped, failures grouped, the
numbers those of the gradebook, and in Chromium: offline, every chart with a text
alternative, readable at 390 px. Built from hand-made reports (no student code is run)."""

import csv
import io
import re
import statistics
from html.parser import HTMLParser
from pathlib import Path

import pytest

from autograder import classreport
from autograder.classreport import REPORT_FILE, class_report, class_report_html
from autograder.classstats import (
    bin_counts,
    failure_groups,
    grading_environment,
    normalise_message,
    score_bins,
)
from autograder.labs import get_spec
from autograder.reports import gradebook_csv, write_reports
from autograder.results import ExerciseResult, GradeReport

SPEC = get_spec("lab1")
HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
FEEDBACK = {
    "wrong": "the result has the wrong shape: expected (4, {n}), got ({n}, 4)",
    "error": "NameError: name 'tmp_{n}' is not defined (line {n})",
    "timeout": "took longer than {n} s: make it faster",
    "not attempted": "not attempted: replace the raise NotImplementedError",
}


def make_report(student, statuses, error=None, seed=7, isolation=(), lab="lab1"):
    """A report of lab 1 where exercise i has ``statuses[i]`` (passed: full points)."""
    results = []
    if error is None:
        for i, (ex, status) in enumerate(zip(SPEC.exercises, statuses)):
            text = FEEDBACK.get(status, "").format(n=i + len(student))
            results.append(
                ExerciseResult(
                    ex.name,
                    ex.title,
                    ex.points if status == "passed" else 0,
                    ex.points,
                    status,
                    text,
                )
            )
    return GradeReport(
        lab, f"/class/{student}/lab1.ipynb", "ab" * 32, seed, results, error, 4.5,
        list(isolation), student,
    )  # fmt: skip


def class_of(size=12):
    """A class with a spread of scores, one crash, one hostile name and one time-out."""
    statuses = ["passed", "wrong", "error", "passed", "not attempted", "timeout"]
    reports = []
    for k in range(size):
        row = [statuses[(k * 7 + j * 3) % 5 if k % 3 else 0] for j in range(len(SPEC.exercises))]
        reports.append(make_report(f"student{k:02d}", row))
    reports[1] = make_report("student01", ["timeout"] + ["passed"] * 10)
    reports.append(make_report(HOSTILE, ["wrong"] * 11))
    reports.append(make_report("crashed", [], error="notebook is not valid JSON " + HOSTILE))
    return reports


class Elements(HTMLParser):
    """The tags and attributes of a page, to check what it can make a browser do."""

    def __init__(self):
        super().__init__()
        self.tags, self.attrs = set(), set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)


def test_hostile_names_and_messages_are_escaped():
    page = class_report_html(class_of(), {"Lab": HOSTILE, HOSTILE: "x"})
    parsed = Elements()
    parsed.feed(page)
    assert not parsed.tags & {"script", "img", "iframe", "link", "object", "embed", "a"}
    assert not any(a.startswith("on") for a in parsed.attrs), parsed.attrs
    assert "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;" in page
    assert "http:" not in page and "https:" not in page and "url(" not in page
    assert "default-src 'none'" in page  # nothing can be loaded, even by mistake


def test_placeholders_in_student_text_stay_text():
    """The page's skeleton (package data, ``$`` placeholders) is filled once: a student
    named like a placeholder is shown as named, and the stylesheet is the package's."""
    page = class_report_html([make_report("$title ${css}", ["wrong"] * 11)], {"$body": "$$"})
    assert "<title>Class report: lab1</title>" in page and "$title ${css}" in page
    assert page.count("$") == page.count("$title ${css}") * 2 + 3  # the name, $body, $$
    assert '<td data-label="">$body</td>' in page and ">$$</td>" in page
    css = (Path(classreport.__file__).parent / "templates" / "class_report.css").read_text()
    assert f"<style>\n{css}</style>" in page and page.startswith("<!DOCTYPE html>\n")


def test_terminal_escapes_and_ci_commands_are_cleaned():
    report = make_report("eve\x1b[31m\n::error::owned", ["wrong"] * 11)
    report.results[0].feedback = "bad\x1b]8;;x\x07 ::warning::x\u202e"
    page = class_report_html([report], {})
    assert "\x1b" not in page and "\u202e" not in page and "::error" not in page
    assert "eve owned" not in page and "eve : :error: :owned" in page


def test_normalise_message_sets_numbers_quotes_and_paths_aside():
    assert (
        normalise_message("expected (3, 4), got (4, 3.5e-3) at 0x7f3a in /tmp/x/y.py")
        == "expected (#, #), got (#, #) at 0x… in …/"
    )
    assert normalise_message("name 'foo' is not defined") == "name '…' is not defined"
    assert normalise_message("expected float32, got int64") == "expected float32, got int64"


def test_failures_group_the_same_mistake_and_count_it():
    reports = [
        make_report("a", ["wrong"] * 11),
        make_report("bb", ["wrong"] * 11),
        make_report("ccc", ["error"] * 11),
        make_report("d", ["passed"] * 11),
    ]
    groups = failure_groups(reports)
    first = groups[SPEC.exercises[0].name]
    assert [(g["status"], g["students"]) for g in first] == [
        ("wrong", ["a", "bb"]),  # different numbers, one mistake
        ("error", ["ccc"]),
    ]
    assert first[0]["pattern"] == "the result has the wrong shape: expected (#, #), got (#, #)"
    page = class_report_html(reports, {})
    assert "expected (4, 1), got (1, 4)" in page  # the first student's message, as it was


def test_score_bins_and_counts():
    assert score_bins(20) == [(float(k), float(k + 1)) for k in range(20)] + [(20, 20)]
    bins = score_bins(42.5)
    assert len(bins) == 10 and bins[-1][1] == pytest.approx(42.5)
    assert bin_counts([0, 4.25, 42.5, 42.5, 10], bins) == [1, 1, 1, 0, 0, 0, 0, 0, 0, 2]
    assert sum(bin_counts([0, 0.5, 19.5, 20, 13], score_bins(20))) == 5
    assert bin_counts([0, 0.5, 19.5, 20, 13], score_bins(20))[-1] == 1  # 20 alone


def table_rows(page: str, table_id: str) -> list[list[str]]:
    """The text of each body row's cells of a table of the page."""
    body = page.split(f'id="{table_id}"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)
    ]


def test_numbers_agree_with_the_gradebook():
    reports = class_of()
    page = class_report_html(reports, {})
    rows = list(csv.DictReader(io.StringIO(gradebook_csv(reports))))
    scores = [float(r["score"]) for r in rows]
    assert f">{len(rows)}</strong>" in page
    assert f"{statistics.mean(scores):.2f} / 20" in page
    counts = [int(r[1]) for r in table_rows(page, "score-table")]
    assert counts == bin_counts(scores, score_bins(20)) and sum(counts) == len(rows)
    for ex, row in zip(SPEC.exercises, table_rows(page, "exercise-table"), strict=True):
        cells = [r[ex.name] for r in rows if r[ex.name] != ""]
        passed = sum(float(c) == ex.points for c in cells)
        assert row[1] == f"{passed} of {len(cells)}", ex.name
    trouble = table_rows(page, "trouble-table")
    assert ["crashed", "could not be graded"] == trouble[0][:2]
    assert any(r[:2] == ["student01", "timed out"] for r in trouble)


def test_environment_isolation_seed_and_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    reports = [make_report("a", ["passed"] * 11), make_report("b", ["wrong"] * 11)]
    env = grading_environment(reports)
    assert env["Report written"] == "2023-11-14 22:13:20 UTC"
    assert env["Isolation"].startswith("full:")
    assert "one seed for every submission: 7" in env["Seed policy"]
    assert "Grading fingerprint" not in env
    env = grading_environment(reports, fingerprints={"lab1": "f00d"})
    assert env["Grading fingerprint"] == "lab1: f00d"
    for key in ("Python", "TensorFlow", "Keras", "Course package"):
        assert env[key] and env[key] != "not installed", key
    reports[1].seed = 8
    assert "fresh seed per submission (2" in grading_environment(reports)["Seed policy"]
    assert "Not a grade of record" not in class_report(reports)
    reports[0].isolation = ["graded WITHOUT full isolation (--allow-unisolated): not root"]
    assert grading_environment(reports)["Isolation"].startswith("NOT isolated for 1 of 2")
    assert "Not a grade of record" in class_report(reports)


def test_an_empty_batch_is_a_page_too():
    page = class_report_html([], {"Lab": "–"})
    assert "holds no submission" in page and page.rstrip().endswith("</html>")


def test_write_reports_writes_the_class_report(tmp_path):
    written = write_reports(class_of(3), tmp_path, fingerprints={"lab1": "f00d"})
    assert tmp_path / REPORT_FILE in written
    page = (tmp_path / REPORT_FILE).read_text(encoding="utf-8")
    assert "Class report: lab1" in page and "lab1: f00d" in page


def test_a_class_report_that_fails_never_stops_the_other_files(tmp_path, monkeypatch):
    def broken(reports, fingerprints=None):
        raise ValueError("boom")

    monkeypatch.setattr(classreport, "class_report", broken)
    problems = []
    write_reports(class_of(3), tmp_path, problems)
    assert (tmp_path / "gradebook.csv").is_file() and not (tmp_path / REPORT_FILE).exists()
    assert problems == [f"{REPORT_FILE}: not written (ValueError: boom)"]


# --- in the browser -------------------------------------------------------------------------


def test_class_report_in_the_browser(browser, tmp_path):
    reports = class_of()
    write_reports(reports, tmp_path)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "gradebook.csv").read_text())))
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto((tmp_path / REPORT_FILE).as_uri())
        page.wait_for_load_state("load")
        assert requests == [(tmp_path / REPORT_FILE).as_uri()]  # nothing else fetched
        assert page.evaluate("window.__pwned") is None

        charts = page.evaluate(
            """() => [...document.querySelectorAll('svg')].map(svg => ({
                role: svg.getAttribute('role'),
                label: (svg.getAttribute('aria-labelledby') || '').split(' ')
                    .map(id => (document.getElementById(id) || {}).textContent || ''),
                table: document.getElementById(svg.getAttribute('aria-details'))
                    ?.tagName,
                rows: document.getElementById(svg.getAttribute('aria-details'))
                    ?.querySelectorAll('tbody tr').length,
            }))"""
        )
        assert len(charts) == 2
        for chart in charts:
            assert chart["role"] == "img" and chart["table"] == "TABLE" and chart["rows"]
            assert len(chart["label"]) == 2 and all(len(t) > 10 for t in chart["label"])

        stats = page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll('[data-stat]')]
                .map(e => [e.dataset.stat, e.textContent]))"""
        )
        scores = [float(r["score"]) for r in rows]
        assert stats["Submissions"] == str(len(rows))
        assert stats["Could not be graded"] == str(sum(r["error"] != "" for r in rows))
        assert stats["Mean score"] == f"{statistics.mean(scores):.2f} / 20"
        assert stats["Full marks"] == str(sum(s == 20 for s in scores))

        bins = page.evaluate(
            """() => [...document.querySelectorAll('#score-table tbody tr')].map(tr => [
                Number(tr.dataset.low), Number(tr.dataset.high),
                Number(tr.cells[1].textContent)])"""
        )
        assert [n for _, _, n in bins] == bin_counts(scores, [(lo, hi) for lo, hi, _ in bins])
        assert sum(n for _, _, n in bins) == len(rows)

        passed = page.evaluate(
            """() => [...document.querySelectorAll('#exercise-table tbody tr')]
                .map(tr => tr.cells[1].textContent)"""
        )
        for ex, shown in zip(SPEC.exercises, passed, strict=True):
            cells = [r[ex.name] for r in rows if r[ex.name] != ""]
            assert shown == f"{sum(float(c) == ex.points for c in cells)} of {len(cells)}"

        text = page.inner_text("body")
        assert "Grading environment" in text and "Isolation" in text
        assert HOSTILE in text  # shown as text, not run
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width} px wide at 390 px"
    finally:
        context.close()
