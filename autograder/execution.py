"""Running a notebook's exercises in runners, from the grader's side: the job, the limits,
and what each message of the runner means.

One runner (:class:`autograder.supervisor.Runner`) runs the cells in order and probes the
pending exercises. Each phase has its own limit (start-up, parsing, a cell, a probe) plus
:data:`GRACE`, and the whole run a budget; past one, the runner is killed. A crash or a
time-out costs only the exercise (or the cell) it happened in: a fresh runner re-runs the
cells before the next exercise, without probing and without the cell that stopped the last
one, and carries on. Everything the runner says is data: only known events and statuses,
and plain arrays (:func:`autograder.inside.protocol.decode_arrays`), are taken.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from autograder.inside import protocol
from autograder.inside.protocol import Outcome
from autograder.spec import LabSpec
from autograder.supervisor import MAX_CHANNEL_BYTES, Runner
from autograder.text import clean_text

STARTUP_ALLOWANCE = 90.0  # seconds for the runner to start and import TensorFlow
GRACE = 3.0  # seconds past an exercise's limit before the whole runner is killed
PARSE_LIMIT = 30.0  # seconds for the runner to read the notebook's code (IPython, ast)
OTHER_CELL_LIMIT = 30.0  # seconds for one cell that defines no exercise (its definitions)
OTHER_CELLS_LIMIT = 60.0  # seconds for all of them together
MAX_OUTPUT_BYTES = 32 << 20  # what one exercise's outputs may hold (the runner checks)


@dataclass
class Job:
    """What the runner is given: the notebook's code cells (raw text: the runner parses
    them), every exercise name, the input cases and time limits, and the cells to leave
    out because they stopped an earlier runner."""

    cells: list[str]
    names: list[str]
    inputs: dict[str, list[dict[str, np.ndarray]]]
    limits: dict[str, float]
    skip_cells: set[int] = field(default_factory=set)


def runner_budget(job: Job, pending: list[str]) -> float:
    """The most one runner may take, all phases together (each phase has its own limit)."""
    per_cell = sum(job.limits.values()) + GRACE * len(job.limits)
    probes = sum(job.limits[n] + GRACE for n in pending)
    return STARTUP_ALLOWANCE + PARSE_LIMIT + OTHER_CELLS_LIMIT + per_cell + probes


def _collect(runner: Runner, job: Job, pending: list[str], notes: list[str]):
    """Give ``runner`` the job of probing ``pending`` and read its messages until every
    result is in or a limit is passed; returns (results, cells to leave out next time,
    whether anything changed). The runner is stopped before this returns."""
    results: dict[str, Outcome] = {}
    limits = job.limits
    exercise_cell_limit = max(limits.values(), default=STARTUP_ALLOWANCE)
    runner.send(
        {
            "cells": job.cells,
            "names": job.names,
            "exercises": [
                {
                    "name": n,
                    "cases": [protocol.encode_arrays(case) for case in job.inputs[n]],
                    "time_limit": limits[n],
                    "max_output_bytes": MAX_OUTPUT_BYTES,
                }
                for n in pending
            ],
            "skip_cells": sorted(job.skip_cells),
            "parse_limit": PARSE_LIMIT,
            "other_cell_limit": OTHER_CELL_LIMIT,
            "other_cells_limit": OTHER_CELLS_LIMIT,
            "exercise_cell_limit": exercise_cell_limit,
        },
        close=True,
    )
    start = runner.started
    total = runner_budget(job, pending)
    ready, fatal, killed_for = False, "", ""
    phase: tuple = ()  # ("parse",) | ("cell", index, defines) | ("probe", name)
    since, limit = 0.0, 0.0
    skipped: set[int] = set()
    while len(results) < len(pending):
        msg = runner.next_message(0.1)
        event = msg.get("event")
        now = time.monotonic()
        if event == protocol.EOF:
            break
        if event == protocol.READY and not ready:
            ready = True
            notes.extend(clean_text(n, 200) for n in msg.get("notes", []) if n)
        elif event == protocol.FATAL and not ready:
            fatal = clean_text(msg.get("message", ""), 300)
        elif event == protocol.PARSE and ready and not phase:
            phase, since, limit = ("parse",), now, PARSE_LIMIT
        elif event == protocol.CELL and ready and isinstance(msg.get("index"), int):
            defines = msg.get("defines")
            defines = [n for n in defines if n in pending] if isinstance(defines, list) else []
            if defines:
                limit = max(limits[n] for n in defines)
            else:
                limit = exercise_cell_limit
            phase, since = ("cell", int(msg["index"]), defines), now
        elif event == protocol.STARTED and ready and msg.get("name") in pending:
            phase, since, limit = ("probe", msg["name"]), now, limits[msg["name"]]
        elif event == protocol.RESULT and ready and msg.get("name") in pending:
            name = msg["name"]
            if name not in results:
                results[name] = _parse_result(msg, job.names)
            if phase == ("probe", name):
                phase = ("done",)
        elif event == protocol.OVERFLOW:
            killed_for = "overflow"
        if not killed_for:
            if not ready and now - start > STARTUP_ALLOWANCE:
                killed_for = "startup"
            elif phase and phase[0] != "done" and now - since > limit + GRACE:
                killed_for = "timeout"
            elif now - start > total:
                killed_for = "timeout"
        if killed_for:
            break
    runner.stop()  # also when every result is in: nothing of the student's code waits
    left = [n for n in pending if n not in results]
    if not left:
        return results, skipped, True
    if not ready:
        why = fatal or (
            "it did not start in time" if killed_for == "startup" else "it stopped at start"
        )
        for name in left:
            results[name] = Outcome("error", f"the grader could not run your code: {why}")
        return results, skipped, False
    if killed_for == "timeout":
        how = "took longer than {:g} s"
    elif killed_for == "overflow":
        how = f"returned or sent more than {MAX_CHANNEL_BYTES >> 20} MB of data"
    else:
        code = runner.returncode
        how = (
            "stopped the process running your code"
            + (f" (exit code {code})" if code not in (None, 0, -9) else "")
            + " — e.g. os._exit(), a crash, killing processes or running out of memory"
        )
    status = "timeout" if killed_for == "timeout" else "error"
    if phase and phase[0] == "parse":
        for name in left:
            what = "reading your notebook's code " + how.format(PARSE_LIMIT)
            results[name] = Outcome("error", f"the grader could not read your code: {what}")
    elif phase and phase[0] == "probe":
        results[phase[1]] = Outcome(status, how.format(limits[phase[1]]))
    elif phase and phase[0] == "cell":
        skipped.add(phase[1])
        for name in phase[2]:
            if name not in results:
                what = "the cell that defines it " + how.format(limit)
                results[name] = Outcome(status, what)
    progressed = bool(results) or bool(skipped)
    return results, skipped, progressed


def _parse_result(msg: dict, names: list[str]) -> Outcome:
    status = msg.get("status")
    message = clean_text(msg.get("message", ""), 300)
    calls = msg.get("calls")
    calls = [n for n in names if isinstance(calls, list) and n in calls and n != msg.get("name")]
    if status not in protocol.RESULT_STATUSES:
        return Outcome("error", "the grader got an invalid result from your code's process")
    if status != protocol.RAN:
        return Outcome(status, message, None, calls)
    try:
        cases = msg.get("cases")
        if not isinstance(cases, list) or not cases:
            raise ValueError("no cases")
        outputs = [protocol.decode_arrays(str(case), MAX_CHANNEL_BYTES) for case in cases]
        return Outcome(protocol.RAN, "", outputs, calls)
    except Exception:  # noqa: BLE001 - anything unreadable is the submission's problem
        message = "your code's output could not be read back as plain numbers"
        return Outcome("error", message, None, calls)


def run_notebook(
    spec: LabSpec,
    cells: list[str],
    inputs: dict[str, list[dict[str, np.ndarray]]],
    time_limits: dict[str, float] | None = None,
    hide: list[str] | None = None,
    notes: list[str] | None = None,
    runner: Runner | None = None,
) -> dict[str, Outcome]:
    """Run the notebook's code in an isolated process and probe every exercise; returns
    name -> (status, message, outputs per case, the other exercises its code calls).

    A crash or a time-out costs only the exercise (or cell) it happened in: a fresh runner
    re-runs the cells, without probing what is already graded and without the cell that
    stopped the last one, and carries on. ``runner``: one started beforehand.
    """
    names = [ex.name for ex in spec.exercises]
    limits = {n: float((time_limits or {}).get(n, spec.exercise(n).time_limit)) for n in names}
    job = Job(list(cells), names, inputs, limits)
    notes = [] if notes is None else notes
    results: dict[str, Outcome] = {}
    pending = list(names)
    while pending:
        runner = runner or Runner(spec.lab_id, hide or [], runner_budget(job, pending))
        with runner:
            got, skipped, progressed = _collect(runner, job, pending, notes)
        runner = None
        results.update(got)
        job.skip_cells |= skipped
        pending = [n for n in pending if n not in results]
        if not progressed:
            for name in pending:
                results[name] = Outcome(
                    "error",
                    "the process running your code stopped before this exercise — e.g. "
                    "os._exit(), a crash, killing processes or running out of memory",
                )
            break
    return results
