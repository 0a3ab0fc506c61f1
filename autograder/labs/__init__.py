"""Grading specs, one module per lab. Each module defines ``SPEC`` (a LabSpec)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from autograder.spec import LabSpec


def lab_ids(folder: Path) -> tuple[str, ...]:
    """The labs of a folder of specs: each module ``labN.py`` in it, in numeric order."""
    found = (p.stem for p in Path(folder).glob("lab*.py") if p.stem[3:].isdigit())
    return tuple(sorted(found, key=lambda name: int(name[3:])))


LAB_IDS = lab_ids(Path(__file__).parent)  # every module labN.py beside this file


def get_spec(lab_id: str) -> LabSpec:
    """The LabSpec for ``lab_id`` (e.g. "lab1")."""
    if lab_id not in LAB_IDS:
        raise ValueError(f"unknown lab {lab_id!r}; known labs: {', '.join(LAB_IDS)}")
    return importlib.import_module(f"autograder.labs.{lab_id}").SPEC


def guess_lab(filename: str, sources: list[str] | None = None) -> str:
    """Which lab a notebook belongs to: from its file name, else from what it defines."""
    match = re.search(r"lab[_ -]?(\d+)", filename.lower())
    if match and f"lab{match.group(1)}" in LAB_IDS:
        return f"lab{match.group(1)}"
    if sources:
        text = "\n".join(sources)
        scores = {
            lab: sum(
                bool(re.search(rf"\b(def|class)\s+{ex.name}\b", text))
                for ex in get_spec(lab).exercises
            )
            for lab in LAB_IDS
        }
        best = max(scores, key=scores.get)
        if scores[best]:
            return best
    raise ValueError(
        f"cannot tell which lab {filename!r} is: name the file like 'lab1_....ipynb' or pass "
        f"--lab (one of {', '.join(LAB_IDS)})"
    )
