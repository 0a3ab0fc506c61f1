"""The hidden reference solutions: where they are and how the grader imports them.

They are imported only in the grading process (never copied into the sandbox, never
released to students): see ``autograder/inside/__init__.py`` for the boundary.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from autograder.spec import LabSpec

REPO_ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def _load_module(path: str, name: str):
    module_spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def solutions_path(spec: LabSpec, solutions_dir: Path | None = None) -> Path:
    """The file of ``spec``'s reference solutions (``solutions/`` unless told otherwise)."""
    return Path(solutions_dir or REPO_ROOT / "solutions") / spec.solutions_module


def load_solutions(spec: LabSpec, solutions_dir: Path | None = None):
    """Import the hidden reference module for a lab from ``solutions/`` (once per process)."""
    path = solutions_path(spec, solutions_dir)
    if not path.is_file():
        raise FileNotFoundError(
            f"hidden solutions {path} not found: grading needs the instructor's copy of the "
            "course repository (the student release leaves solutions/ out)"
        )
    return _load_module(str(path.resolve()), f"_solutions_{spec.lab_id}")
