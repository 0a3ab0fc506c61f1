"""The class report: one self-contained HTML page that an instructor opens after a batch.

:func:`class_report_html` draws, from the batch's :class:`GradeReport` objects, the score
distribution, each exercise's pass rate, the most common failure messages of each exercise
(grouped: numbers, quoted names and paths are normalised, so the same mistake made on
different inputs counts once), the students whose grading errored or timed out, and the
grading environment (:func:`autograder.classstats.grading_environment`). The numbers come
from :mod:`autograder.classstats`, the charts and tables from :mod:`autograder.classcharts`,
the page's skeleton and stylesheet from the package's ``templates/`` folder.

The page is offline and safe to open: no script, no external asset (a Content Security
Policy forbids loading any), the charts are inline SVG, each with a ``<title>``, a
``<desc>`` and a data table beside it. Every text that a submission controls is cleaned
with :func:`autograder.text.clean_text` and HTML-escaped. The numbers are those of the
gradebook written from the same reports (``gradebook.csv``): a submission that could not be
graded counts with score 0 there and here.
"""

from __future__ import annotations

import re
import statistics
from functools import cache
from importlib import resources
from string import Template

from autograder.classcharts import esc, histogram, html_table, num, pass_rates
from autograder.classstats import (
    UNISOLATED,
    exercise_stats,
    failure_groups,
    grading_environment,
    student_name,
)
from autograder.results import GradeReport

REPORT_FILE = "report.html"
TOP_MESSAGES = 5  # message groups shown per exercise; the rest are counted
STUDENTS_SHOWN = 8  # students named per message group; the rest are counted


@cache
def _template(name: str) -> Template:
    """A file of the package's ``templates/`` folder (package data: the page's skeleton,
    with ``$`` placeholders, and its stylesheet)."""
    path = resources.files("autograder").joinpath("templates", name)
    try:
        return Template(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(
            f"the class report's template {name} is missing from the installed autograder "
            "package (autograder/templates/): reinstall the course package "
            "(pip install .), whose package data carries it"
        ) from None


def _failures(reports: list[GradeReport]) -> str:
    groups = failure_groups(reports)
    if not groups:
        return "<p>No exercise was answered wrongly, failed or timed out.</p>"
    parts = [
        '<p class="muted">Failures with the same message, numbers, quoted names and paths '
        "set aside (shown as <code>#</code>, <code>'…'</code>, <code>…/</code>), count as one "
        "mistake; the message shown is the first student's.</p>"
    ]
    for name, exercise_groups in groups.items():
        rows = []
        for g in exercise_groups[:TOP_MESSAGES]:
            students = g["students"]
            shown = ", ".join(esc(s, 60) for s in students[:STUDENTS_SHOWN])
            more = len(students) - STUDENTS_SHOWN
            rows.append(
                [
                    str(len(students)),
                    esc(g["status"]),
                    esc(g["example"], 400),
                    shown + (f" and {more} more" if more > 0 else ""),
                ]
            )
        rest = exercise_groups[TOP_MESSAGES:]
        extra = (
            f'<p class="muted">and {len(rest)} other message{"s" if len(rest) != 1 else ""} '
            f"({sum(len(g['students']) for g in rest)} failures).</p>"
            if rest
            else ""
        )
        total = sum(len(g["students"]) for g in exercise_groups)
        parts.append(
            f"<h3><code>{esc(name)}</code>: {total} failing submission"
            f"{'s' if total != 1 else ''}</h3>"
            + html_table(
                f"Most common failures of {esc(name)}",
                ["Submissions", "Status", "Message (first example)", "Students"],
                rows,
                f"failures-{esc(re.sub(r'[^A-Za-z0-9_-]', '_', name), 60)}",
                numeric=(0,),
                stack=True,
            )
            + extra
        )
    return "".join(parts)


def _troubled(reports: list[GradeReport]) -> str:
    rows = []
    for report in sorted(reports, key=student_name):
        timeouts = [r.name for r in report.results if r.status == "timeout"]
        if report.error:
            rows.append([esc(student_name(report)), "could not be graded", esc(report.error, 600)])
        if timeouts:
            rows.append(
                [
                    esc(student_name(report)),
                    "timed out",
                    "in " + ", ".join(f"<code>{esc(t)}</code>" for t in timeouts),
                ]
            )
    if not rows:
        return "<p>Every submission was graded, and no exercise timed out.</p>"
    return html_table(
        "Submissions that could not be graded, or where an exercise ran out of time",
        ["Student", "What happened", "Details"],
        rows,
        "trouble-table",
        stack=True,
    )


def class_report_html(reports: list[GradeReport], environment: dict) -> str:
    """The class report for ``reports`` (one batch or a merge of shards) as one
    self-contained HTML page. ``environment`` (label -> text, e.g. from
    :func:`grading_environment`) is shown as the grading environment."""
    reports = sorted(reports, key=student_name)
    scores = [r.score for r in reports]
    max_score = max((r.max_score for r in reports), default=0.0)
    errored = sum(1 for r in reports if r.error)
    labs = ", ".join(sorted({r.lab_id for r in reports})) or "no lab"
    title = f"Class report: {labs}"
    if reports:
        summary = [
            ("Submissions", str(len(reports))),
            ("Graded", str(len(reports) - errored)),
            ("Could not be graded", str(errored)),
            ("Mean score", f"{statistics.mean(scores):.2f} / {num(max_score)}"),
            ("Median score", f"{num(statistics.median(scores))} / {num(max_score)}"),
            ("Full marks", str(sum(1 for s in scores if max_score and s >= max_score))),
        ]
    else:
        summary = [("Submissions", "0")]
    stats_html = "".join(
        f'<li><span class="muted">{esc(k)}:</span> '
        f'<strong data-stat="{esc(k)}">{esc(v)}</strong></li>'
        for k, v in summary
    )
    warning = ""
    if any(n.startswith(UNISOLATED) for r in reports for n in r.isolation):
        warning = (
            '<p class="warn" role="alert"><strong>Not a grade of record:</strong> student code '
            "ran without full isolation (--allow-unisolated).</p>"
        )
    env_rows = [[esc(k, 80), esc(v, 1000)] for k, v in environment.items()]
    if reports:
        body = (
            f"<h2>Score distribution</h2>{histogram(scores, max_score, errored)}"
            f"<h2>Pass rate of each exercise</h2>{pass_rates(exercise_stats(reports))}"
            f"<h2>Most common failures</h2>{_failures(reports)}"
            f"<h2>Errors and time-outs</h2>{_troubled(reports)}"
        )
    else:
        body = "<p>This batch holds no submission.</p>"
    return _template("class_report.html").substitute(
        title=esc(title),
        css=_template("class_report.css").template,
        warning=warning,
        stats=stats_html,
        body=body,
        environment=html_table(
            "How this batch was graded", ["", "Value"], env_rows, "environment-table"
        ),
    )


def class_report(reports: list[GradeReport], fingerprints: dict | None = None) -> str:
    """The page for ``reports`` with this machine's environment (what write_reports writes)."""
    return class_report_html(reports, grading_environment(reports, fingerprints=fingerprints))
