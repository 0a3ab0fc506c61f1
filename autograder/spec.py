"""What a lab's grading is made of: exercises, their probes, inputs and tolerances."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# A probe calls one implementation (student's or reference) on one case of inputs and
# returns plain numeric arrays. It runs in the student's process, so it never sees an
# answer; it lives in autograder/inside/probes/labN.py, the only lab code the runner gets.
Probe = Callable[[Any, dict[str, np.ndarray]], dict[str, np.ndarray]]
Case = dict[str, np.ndarray]
# An input maker returns one case, or a list of cases: the fixed decisive cases first (edge
# cases that separate the right answer from each plausible wrong one), then random ones
# drawn from the generator. Every case is probed and compared; the first that differs
# decides the feedback. It runs only in the trusted grading process.
InputMaker = Callable[[np.random.Generator], "Case | list[Case]"]
# explain(key, got, want): a sentence a student can act on about output ``key`` that
# differs (e.g. the two strings), replacing the generic "has wrong values"; "" keeps it.
Explain = Callable[[str, np.ndarray, np.ndarray], str]


def as_cases(made) -> list[Case]:
    """The cases of what an input maker returned (one dict or a list of dicts)."""
    if isinstance(made, dict):
        return [made]
    cases = list(made)
    if not cases or not all(isinstance(c, dict) for c in cases):
        raise TypeError("make_inputs must return a dict or a non-empty list of dicts")
    return cases


@dataclass(frozen=True)
class Exercise:
    """One graded exercise: a top-level function or class the student defines."""

    name: str
    points: float
    title: str
    probe: Probe
    make_inputs: InputMaker
    rtol: float = 1e-5
    atol: float = 1e-6
    time_limit: float = 60.0
    hint: str = ""
    explain: Explain | None = None


@dataclass(frozen=True)
class LabSpec:
    """A lab: its shipped notebook, the imports exercise code may rely on, its exercises."""

    lab_id: str
    notebook: str  # path of the shipped notebook, relative to the repository root
    solutions_module: str  # file name in solutions/, e.g. "lab1.py"
    preamble: str  # code run before each exercise (the lab's setup imports)
    exercises: tuple[Exercise, ...] = field(default_factory=tuple)

    @property
    def total_points(self) -> float:
        return float(sum(ex.points for ex in self.exercises))

    def exercise(self, name: str) -> Exercise:
        for ex in self.exercises:
            if ex.name == name:
                return ex
        raise KeyError(f"{self.lab_id} has no exercise named {name!r}")
