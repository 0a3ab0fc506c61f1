"""Wrong answers graded end to end, kept as data: one module per lab, ``cases/labN.py``.

Each module has ``WRONG``, a tuple of :class:`Wrong`: one plausible mistake in one exercise,
the status the real grader (sandboxed runner, a whole notebook solved but for that
exercise) must give it and a phrase its feedback must contain. ``tests/test_grader_labs.py``
finds them by lab and checks each loses exactly its points; a new lab gets that test by
adding ``cases/labN.py``. ``cases/hostile.py`` holds lab 1's hostile and odd submissions
(``tests/test_grader_hostile.py``); ``benchmarks/grading.py`` builds its class from both.

These are the expensive cases: every one is a grading run. Many more wrong variants, judged
in-process on ten seeds against the public checks, live in ``tests/corpus/labN.py``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Wrong:
    """Exercise ``exercise`` written as ``code``: it gets ``status`` and 0 points, with
    ``reason`` in its feedback; the exercises in ``costs`` call it and lose their points too
    (the grader says they call a wrong exercise); every other exercise keeps its points."""

    exercise: str
    code: str
    status: str
    reason: str
    label: str = ""  # tells apart two variants of one exercise (test id lab-exercise-label)
    costs: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.exercise}-{self.label}" if self.label else self.exercise


def wrong_cases(lab_id: str) -> tuple[Wrong, ...] | None:
    """The lab's ``WRONG`` cases, or None when ``cases/<lab_id>.py`` does not exist."""
    try:
        module = importlib.import_module(f"cases.{lab_id}")
    except ModuleNotFoundError as exc:
        if exc.name == f"cases.{lab_id}":
            return None
        raise
    return tuple(module.WRONG)
