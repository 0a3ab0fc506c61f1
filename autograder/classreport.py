"""The class report: one self-contained HTML page that an instructor opens after a batch.

:func:`class_report_html` draws, from the batch's :class:`GradeReport` objects, the score
distribution, each exercise's pass rate, the most common failure messages of each exercise
(grouped: numbers, quoted names and paths are normalised, so the same mistake made on
different inputs counts once), the students whose grading errored or timed out, and the
grading environment (:func:`grading_environment`).

The page is offline and safe to open: no script, no external asset (a Content Security
Policy forbids loading any), the charts are inline SVG, each with a ``<title>``, a
``<desc>`` and a data table beside it. Every text that a submission controls is cleaned
with :func:`autograder.text.clean_text` and HTML-escaped. The numbers are those of the
gradebook written from the same reports (``gradebook.csv``): a submission that could not be
graded counts with score 0 there and here.
"""

from __future__ import annotations

import html
import os
import platform
import re
import statistics
import time
from collections import Counter
from importlib import metadata
from pathlib import Path

from autograder.results import GradeReport
from autograder.text import clean_text

REPORT_FILE = "report.html"
FAILING = ("wrong", "error", "timeout")  # statuses whose messages are grouped
STATUS_ORDER = ("passed", "wrong", "error", "timeout", "not attempted", "missing")
TOP_MESSAGES = 5  # message groups shown per exercise; the rest are counted
STUDENTS_SHOWN = 8  # students named per message group; the rest are counted
UNISOLATED = "graded WITHOUT full isolation"  # how autograder.sandbox marks such reports


def _e(text, limit: int = 300) -> str:
    """Cleaned (one printable line) and escaped for HTML text and attribute values."""
    return html.escape(clean_text(text, limit), quote=True)


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x)}"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def student_name(report: GradeReport) -> str:
    """The student as the gradebook names them."""
    return clean_text(report.student or Path(report.submission).stem, 120)


# --- grouping of failure messages -----------------------------------------------------------

_QUOTED = re.compile(r"'[^']{0,200}'|\"[^\"]{0,200}\"")
_HEX = re.compile(r"\b0x[0-9a-fA-F]+\b")
_PATH = re.compile(r"(?<![\w.])(?:/[\w.+-]+){2,}/?")
_NUMBER = re.compile(r"(?<![A-Za-z_\d.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![A-Za-z_\d])")


def normalise_message(message: str) -> str:
    """The shape of a failure message, for grouping: numbers become ``#``, quoted text
    ``'…'``, addresses ``0x…`` and file paths ``…/`` (names such as ``float32`` stay)."""
    text = clean_text(message, 2000)
    text = _QUOTED.sub("'…'", text)
    text = _HEX.sub("0x…", text)
    text = _PATH.sub("…/", text)
    return _NUMBER.sub("#", text)


def failure_groups(reports: list[GradeReport]) -> dict[str, list[dict]]:
    """Per exercise (in lab order), the groups of failures with the same normalised message,
    most common first: ``{"status", "pattern", "example", "students"}`` (students sorted)."""
    groups: dict[str, dict[tuple[str, str], dict]] = {}
    for report in sorted(reports, key=student_name):
        for r in report.results:
            if r.status not in FAILING:
                continue
            key = (r.status, normalise_message(r.feedback))
            group = groups.setdefault(r.name, {}).setdefault(
                key,
                {
                    "status": r.status,
                    "pattern": key[1],
                    "example": clean_text(r.feedback, 400),
                    "students": [],
                },
            )
            group["students"].append(student_name(report))
    order = exercise_names(reports)
    return {
        name: sorted(groups[name].values(), key=lambda g: (-len(g["students"]), g["pattern"]))
        for name in order
        if name in groups
    }


# --- numbers --------------------------------------------------------------------------------


def exercise_names(reports: list[GradeReport]) -> list[str]:
    """The exercises in the order the gradebook's columns have them."""
    names: list[str] = []
    for report in reports:
        for r in report.results:
            if r.name not in names:
                names.append(r.name)
    return names


def exercise_stats(reports: list[GradeReport]) -> list[dict]:
    """Per exercise: how many submissions have a result for it, the count of each status,
    the points given and the points possible."""
    stats = []
    for name in exercise_names(reports):
        results = [r for report in reports for r in report.results if r.name == name]
        counts = Counter(r.status for r in results)
        stats.append(
            {
                "name": name,
                "title": results[0].title,
                "graded": len(results),
                "passed": counts.get("passed", 0),
                "counts": counts,
                "points": sum(r.points for r in results),
                "max_points": max(r.max_points for r in results),
            }
        )
    return stats


def score_bins(max_score: float) -> list[tuple[float, float]]:
    """Histogram bins ``[low, high)`` covering 0..max_score, the last one closed: one per point
    when the maximum is a whole number up to 30, otherwise ten equal bins."""
    if max_score <= 0:
        return [(0.0, 0.0)]
    if max_score == int(max_score) and max_score <= 30:
        return [(float(k), float(k + 1)) for k in range(int(max_score))] + [(max_score, max_score)]
    width = max_score / 10
    return [(k * width, (k + 1) * width) for k in range(10)]


def bin_counts(scores: list[float], bins: list[tuple[float, float]]) -> list[int]:
    """How many scores fall in each bin (the last bin also takes its upper edge)."""
    counts = [0] * len(bins)
    for score in scores:
        for i, (low, high) in enumerate(bins):
            last = i == len(bins) - 1
            if low <= score < high or (last and low <= score <= high):
                counts[i] += 1
                break
        else:  # above the maximum or below 0: the nearest end
            counts[0 if score < 0 else -1] += 1
    return counts


def _bin_label(low: float, high: float, last: bool) -> str:
    if low == high or (high - low == 1 and low == int(low) and not last):
        return _num(low)
    return f"{_num(low)}–{_num(high)}"


# --- the environment ------------------------------------------------------------------------


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def isolation_level(reports: list[GradeReport]) -> str:
    """How the batch's student code was isolated, from the notes its reports carry."""
    notes = sorted({clean_text(n, 300) for r in reports for n in r.isolation})
    unisolated = sum(any(n.startswith(UNISOLATED) for n in r.isolation) for r in reports)
    if unisolated:
        return (
            f"NOT isolated for {unisolated} of {len(reports)} submissions (--allow-unisolated: "
            "student code could read files and reach the network; not a grade of record). "
            + " ".join(notes)
        )
    if notes:
        return "isolated, with these limits missing: " + "; ".join(notes)
    return (
        "full: namespaces (mount, network, PID, IPC, UTS), a uid of its own per runner, "
        "resource limits and cgroups; solutions and other submissions not visible"
    )


def seed_policy(reports: list[GradeReport]) -> str:
    """Which seeds drew the hidden inputs, from the reports that were graded."""
    seeds = sorted({r.seed for r in reports if not r.error or r.results})
    if not seeds:
        return "no submission was graded"
    if len(seeds) == 1:
        return (
            f"one seed for every submission: {seeds[0]} (a regrade with --seed {seeds[0]} "
            "draws the same hidden inputs)"
        )
    return (
        f"a fresh seed per submission ({len(seeds)} different seeds; each student's JSON "
        "report records its own)"
    )


def grading_environment(
    reports: list[GradeReport], when: float | None = None, fingerprints: dict | None = None
) -> dict:
    """What graded the batch, as label -> text, for :func:`class_report_html`. The versions
    are those of the Python that writes the report; the time honours SOURCE_DATE_EPOCH;
    ``fingerprints`` (lab id -> grading fingerprint: spec, probes, solution, time scale)
    name the exact version of each lab's grading."""
    if when is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        when = float(epoch) if epoch.isdigit() else time.time()
    labs = sorted({r.lab_id for r in reports})
    seconds = [r.seconds for r in reports]
    environment = {
        "Lab": ", ".join(labs) or "–",
        "Isolation": isolation_level(reports),
        "Seed policy": seed_policy(reports),
        "Course package": f"mit6s191-course {_version('mit6s191-course')}",
        "Python": f"{platform.python_version()} ({platform.system()} {platform.machine()})",
        "TensorFlow": _version("tensorflow"),
        "Keras": _version("keras"),
        "NumPy": _version("numpy"),
        "Grading time": (
            f"{sum(seconds):.0f} s in all, {statistics.mean(seconds):.1f} s per submission "
            "(summed over processes and machines)"
            if seconds
            else "–"
        ),
        "Report written": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(when)),
    }
    if fingerprints:
        environment["Grading fingerprint"] = "; ".join(
            f"{lab}: {fingerprints[lab]}" for lab in sorted(fingerprints)
        )
    return environment


# --- the page -------------------------------------------------------------------------------

_CSS = """
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;
color:#1d2125;background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.3rem;margin-top:2rem;
border-bottom:1px solid #d0d7de}h3{font-size:1.05rem;margin-bottom:.3rem}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5rem 0;font-size:.92rem}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td,th,p,li,code{overflow-wrap:break-word}
caption{text-align:left;font-weight:600;padding:.2rem 0}
details{margin:.5rem 0}summary{cursor:pointer}
svg{display:block;width:100%;max-width:30rem;height:auto}
.stats{display:flex;flex-wrap:wrap;gap:.5rem;padding:0;list-style:none}
.stats li{border:1px solid #d0d7de;border-radius:.4rem;padding:.3rem .6rem}
.warn{background:#fff4e5;border-left:4px solid #b35900;padding:.5rem .8rem}
.muted{color:#57606a}code{font-size:.9em}
@media (max-width:40rem){table.stack,.stack caption,.stack tbody,.stack tr,.stack td{
display:block}
.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.stack tr{border:1px solid #d0d7de;margin:.5rem 0}.stack td{border:0;text-align:left}
.stack td:before{content:attr(data-label) ": ";font-weight:600}}
"""


def _table(
    caption: str,
    head: list[str],
    rows: list[list[str]],
    table_id: str,
    numeric=(),
    attrs=(),
    stack: bool = False,
):
    """An HTML table; cells are already escaped HTML. ``numeric``: right-aligned columns;
    ``attrs``: each row's attributes (escaped HTML), when given; ``stack``: on a narrow
    screen each row is shown as a block, each cell labelled with its column."""
    th = "".join(
        f'<th scope="col"{" class=n" if i in numeric else ""}>{h}</th>' for i, h in enumerate(head)
    )
    attrs = list(attrs) or [""] * len(rows)
    body = "".join(
        f"<tr{attr}>"
        + "".join(
            f'<td data-label="{head[i]}"{" class=n" if i in numeric else ""}>{c}</td>'
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row, attr in zip(rows, attrs, strict=True)
    )
    return (
        f'<div class="scroll"><table id="{table_id}"{" class=stack" if stack else ""}>'
        f"<caption>{caption}</caption>"
        f"<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _svg(chart_id: str, title: str, desc: str, size: tuple[int, int], body: str, data: str):
    """An inline SVG chart with its text alternatives: a title, a description and the id of
    the table holding its data (``data-table`` and ``aria-details``)."""
    width, height = size
    return (
        f'<svg id="{chart_id}" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" aria-details="{data}" '
        f'data-table="{data}">'
        f'<title id="{chart_id}-title">{title}</title><desc id="{chart_id}-desc">{desc}</desc>'
        f"{body}</svg>"
    )


def _histogram(scores: list[float], max_score: float, errored: int) -> str:
    bins = score_bins(max_score)
    counts = bin_counts(scores, bins)
    labels = [_bin_label(lo, hi, i == len(bins) - 1) for i, (lo, hi) in enumerate(bins)]
    width, height, left, bottom, top = 420, 220, 30, 40, 20
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max(counts) or 1
    step = plot_w / len(bins)
    bars = []
    for i, count in enumerate(counts):
        h = plot_h * count / peak
        x = left + i * step
        bars.append(
            f'<rect x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{max(step - 2, 1):.1f}" '
            f'height="{h:.1f}" fill="#3b6ea8"><title>{_e(labels[i])}: {count}</title></rect>'
        )
        if count:
            bars.append(
                f'<text x="{x + step / 2:.1f}" y="{top + plot_h - h - 4:.1f}" '
                f'text-anchor="middle" font-size="12">{count}</text>'
            )
        if len(bins) <= 11 or i % 2 == 0:
            bars.append(
                f'<text x="{x + step / 2:.1f}" y="{top + plot_h + 16:.1f}" '
                f'text-anchor="middle" font-size="12">{_e(labels[i])}'
                "</text>"
            )
    axis = (
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        'stroke="#57606a"/>'
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle" '
        f'font-size="12">score (of {_num(max_score)})</text>'
    )
    desc = "; ".join(f"{lab}: {n}" for lab, n in zip(labels, counts))
    chart = _svg(
        "score-histogram",
        f"Score distribution of {len(scores)} submissions",
        _e(f"Number of submissions per score: {desc}.", 4000),
        (width, height),
        axis + "".join(bars),
        "score-table",
    )
    rows = [[_e(lab), str(n), _pct(n, len(scores))] for lab, n in zip(labels, counts, strict=True)]
    table = _table(
        "Submissions per score (the chart's data; a row counts the scores from its value "
        "up to the next row's, the last row up to the maximum included)",
        ["Score", "Submissions", "Share"],
        rows,
        "score-table",
        numeric=(1, 2),
        # The bins' edges, for readers that check the numbers (and the tests).
        attrs=[f' data-low="{lo!r}" data-high="{hi!r}"' for lo, hi in bins],
    )
    note = (
        f'<p class="muted">{errored} submission{"s" if errored != 1 else ""} that could not be '
        "graded count with score 0, as in gradebook.csv.</p>"
        if errored
        else ""
    )
    return chart + f"<details><summary>The chart's data</summary>{table}</details>{note}"


def _pass_rates(stats: list[dict]) -> str:
    if not stats:
        return "<p>No exercise was graded.</p>"
    row_h, left, width = 28, 160, 420
    height = row_h * len(stats) + 10
    plot_w = width - left - 50
    body = []
    for i, s in enumerate(stats):
        rate = s["passed"] / s["graded"] if s["graded"] else 0.0
        y = 5 + i * row_h
        body.append(
            f'<text x="{left - 6}" y="{y + 17}" text-anchor="end" font-size="12">'
            f"{_e(s['name'], 22)}</text>"
            f'<rect x="{left}" y="{y + 4}" width="{plot_w}" height="{row_h - 8}" fill="#e6ebf1"/>'
            f'<rect x="{left}" y="{y + 4}" width="{plot_w * rate:.1f}" height="{row_h - 8}" '
            f'fill="#2f7d4f"><title>{_e(s["name"])}: {s["passed"]} of {s["graded"]}'
            "</title></rect>"
            f'<text x="{left + plot_w + 6}" y="{y + 17}" font-size="13">'
            f"{_pct(s['passed'], s['graded'])}</text>"
        )
    desc = "; ".join(
        f"{s['name']}: {s['passed']} of {s['graded']} passed ({_pct(s['passed'], s['graded'])})"
        for s in stats
    )
    chart = _svg(
        "pass-rates",
        "Pass rate of each exercise",
        _e(f"Share of graded submissions that passed each exercise: {desc}.", 4000),
        (width, height),
        "".join(body),
        "exercise-table",
    )
    rows = []
    for s in stats:
        c = s["counts"]
        rows.append(
            [
                f"<code>{_e(s['name'])}</code><br>{_e(s['title'])}",
                f"{s['passed']} of {s['graded']}",
                _pct(s["passed"], s["graded"]),
                *[str(c.get(k, 0)) for k in STATUS_ORDER[1:]],
                f"{_num(s['points'] / s['graded']) if s['graded'] else '–'} "
                f"/ {_num(s['max_points'])}",
            ]
        )
    table = _table(
        "Exercises: status of each graded submission (the chart's data)",
        [
            "Exercise",
            "Passed",
            "Pass rate",
            "Wrong",
            "Error",
            "Timeout",
            "Not attempted",
            "Missing",
            "Mean points",
        ],
        rows,
        "exercise-table",
        numeric=(1, 2, 3, 4, 5, 6, 7, 8),
    )
    return chart + table


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
            shown = ", ".join(_e(s, 60) for s in students[:STUDENTS_SHOWN])
            more = len(students) - STUDENTS_SHOWN
            rows.append(
                [
                    str(len(students)),
                    _e(g["status"]),
                    _e(g["example"], 400),
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
            f"<h3><code>{_e(name)}</code>: {total} failing submission"
            f"{'s' if total != 1 else ''}</h3>"
            + _table(
                f"Most common failures of {_e(name)}",
                ["Submissions", "Status", "Message (first example)", "Students"],
                rows,
                f"failures-{_e(re.sub(r'[^A-Za-z0-9_-]', '_', name), 60)}",
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
            rows.append([_e(student_name(report)), "could not be graded", _e(report.error, 600)])
        if timeouts:
            rows.append(
                [
                    _e(student_name(report)),
                    "timed out",
                    "in " + ", ".join(f"<code>{_e(t)}</code>" for t in timeouts),
                ]
            )
    if not rows:
        return "<p>Every submission was graded, and no exercise timed out.</p>"
    return _table(
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
            ("Mean score", f"{statistics.mean(scores):.2f} / {_num(max_score)}"),
            ("Median score", f"{_num(statistics.median(scores))} / {_num(max_score)}"),
            ("Full marks", str(sum(1 for s in scores if max_score and s >= max_score))),
        ]
    else:
        summary = [("Submissions", "0")]
    stats_html = "".join(
        f'<li><span class="muted">{_e(k)}:</span> <strong data-stat="{_e(k)}">{_e(v)}</strong></li>'
        for k, v in summary
    )
    warning = ""
    if any(n.startswith(UNISOLATED) for r in reports for n in r.isolation):
        warning = (
            '<p class="warn" role="alert"><strong>Not a grade of record:</strong> student code '
            "ran without full isolation (--allow-unisolated).</p>"
        )
    env_rows = [[_e(k, 80), _e(v, 1000)] for k, v in environment.items()]
    if reports:
        body = (
            f"<h2>Score distribution</h2>{_histogram(scores, max_score, errored)}"
            f"<h2>Pass rate of each exercise</h2>{_pass_rates(exercise_stats(reports))}"
            f"<h2>Most common failures</h2>{_failures(reports)}"
            f"<h2>Errors and time-outs</h2>{_troubled(reports)}"
        )
    else:
        body = "<p>This batch holds no submission.</p>"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>\n"
        f"<body><main><h1>{_e(title)}</h1>{warning}"
        f'<ul class="stats">{stats_html}</ul>'
        f"{body}"
        "<h2>Grading environment</h2>"
        + _table("How this batch was graded", ["", "Value"], env_rows, "environment-table")
        + '<p class="muted">Written by mit6s191-grade. The numbers are those of gradebook.csv '
        "in the same folder.</p></main></body></html>\n"
    )


def class_report(reports: list[GradeReport], fingerprints: dict | None = None) -> str:
    """The page for ``reports`` with this machine's environment (what write_reports writes)."""
    return class_report_html(reports, grading_environment(reports, fingerprints=fingerprints))
