"""The numbers of the class report (:mod:`autograder.classreport`), from a batch's
:class:`GradeReport` objects: each exercise's counts of every status, the score histogram's
bins, the groups of failures with the same message (numbers, quoted names and paths
normalised, so the same mistake made on different inputs counts once), and the grading
environment. The numbers are those of the gradebook written from the same reports
(``gradebook.csv``): a submission that could not be graded counts with score 0 there and
here.
"""

from __future__ import annotations

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

FAILING = ("wrong", "error", "timeout")  # statuses whose messages are grouped
STATUS_ORDER = ("passed", "wrong", "error", "timeout", "not attempted", "missing")
UNISOLATED = "graded WITHOUT full isolation"  # how autograder.sandbox marks such reports


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
