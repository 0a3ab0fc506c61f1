"""The building blocks of the class report's page (:mod:`autograder.classreport`): escaped
text, tables, and the two charts, the score histogram and each exercise's pass rate.

A chart is inline SVG with a ``<title>``, a ``<desc>`` and the id of the table holding its
data (``data-table`` and ``aria-details``), drawn beside it. Every text that a submission
controls goes through :func:`esc` (cleaned by :func:`autograder.text.clean_text`, then
HTML-escaped).
"""

from __future__ import annotations

import html

from autograder.classstats import STATUS_ORDER, bin_counts, score_bins
from autograder.text import clean_text


def esc(text, limit: int = 300) -> str:
    """Cleaned (one printable line) and escaped for HTML text and attribute values."""
    return html.escape(clean_text(text, limit), quote=True)


def num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x)}"


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _bin_label(low: float, high: float, last: bool) -> str:
    if low == high or (high - low == 1 and low == int(low) and not last):
        return num(low)
    return f"{num(low)}–{num(high)}"


def html_table(
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


def svg_chart(chart_id: str, title: str, desc: str, size: tuple[int, int], body: str, data: str):
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


def histogram(scores: list[float], max_score: float, errored: int) -> str:
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
            f'height="{h:.1f}" fill="#3b6ea8"><title>{esc(labels[i])}: {count}</title></rect>'
        )
        if count:
            bars.append(
                f'<text x="{x + step / 2:.1f}" y="{top + plot_h - h - 4:.1f}" '
                f'text-anchor="middle" font-size="12">{count}</text>'
            )
        if len(bins) <= 11 or i % 2 == 0:
            bars.append(
                f'<text x="{x + step / 2:.1f}" y="{top + plot_h + 16:.1f}" '
                f'text-anchor="middle" font-size="12">{esc(labels[i])}'
                "</text>"
            )
    axis = (
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        'stroke="#57606a"/>'
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle" '
        f'font-size="12">score (of {num(max_score)})</text>'
    )
    desc = "; ".join(f"{lab}: {n}" for lab, n in zip(labels, counts))
    chart = svg_chart(
        "score-histogram",
        f"Score distribution of {len(scores)} submissions",
        esc(f"Number of submissions per score: {desc}.", 4000),
        (width, height),
        axis + "".join(bars),
        "score-table",
    )
    rows = [[esc(lab), str(n), pct(n, len(scores))] for lab, n in zip(labels, counts, strict=True)]
    table = html_table(
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


def pass_rates(stats: list[dict]) -> str:
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
            f"{esc(s['name'], 22)}</text>"
            f'<rect x="{left}" y="{y + 4}" width="{plot_w}" height="{row_h - 8}" fill="#e6ebf1"/>'
            f'<rect x="{left}" y="{y + 4}" width="{plot_w * rate:.1f}" height="{row_h - 8}" '
            f'fill="#2f7d4f"><title>{esc(s["name"])}: {s["passed"]} of {s["graded"]}'
            "</title></rect>"
            f'<text x="{left + plot_w + 6}" y="{y + 17}" font-size="13">'
            f"{pct(s['passed'], s['graded'])}</text>"
        )
    desc = "; ".join(
        f"{s['name']}: {s['passed']} of {s['graded']} passed ({pct(s['passed'], s['graded'])})"
        for s in stats
    )
    chart = svg_chart(
        "pass-rates",
        "Pass rate of each exercise",
        esc(f"Share of graded submissions that passed each exercise: {desc}.", 4000),
        (width, height),
        "".join(body),
        "exercise-table",
    )
    rows = []
    for s in stats:
        c = s["counts"]
        rows.append(
            [
                f"<code>{esc(s['name'])}</code><br>{esc(s['title'])}",
                f"{s['passed']} of {s['graded']}",
                pct(s["passed"], s["graded"]),
                *[str(c.get(k, 0)) for k in STATUS_ORDER[1:]],
                f"{num(s['points'] / s['graded']) if s['graded'] else '–'} "
                f"/ {num(s['max_points'])}",
            ]
        )
    table = html_table(
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
