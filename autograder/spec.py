"""What a lab's grading is made of: exercises, their probes, inputs and tolerances."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# A probe calls one implementation (student's or reference) on the inputs and returns
# plain numeric arrays. It runs in the student's process, so it never sees an answer.
Probe = Callable[[Any, dict[str, np.ndarray]], dict[str, np.ndarray]]
InputMaker = Callable[[np.random.Generator], dict[str, np.ndarray]]


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


@dataclass(frozen=True)
class LabSpec:
    """A lab: its shipped notebook, the imports exercise code may rely on, its exercises."""

    lab_id: str
    title: str
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
