"""Helpers shared by the test modules: reading a chapter's MyST source, and the checks every
lab's grading tests make (shipped lab scores 0, solved lab full marks, one wrong exercise
loses exactly its points with a reason; the wrong exercises are data, ``tests/cases/``).

Imported as ``import testkit`` (pytest puts ``tests/`` on ``sys.path``: it has no
``__init__.py``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat

from autograder import grade_notebook
from autograder.authoring import solved_notebook
from autograder.inside.notebook import top_level_definitions
from autograder.labs import get_spec
from mit6s191_utils.datasets import sha256_of

REPO = Path(__file__).resolve().parents[1]
BOOK = REPO / "book"

# A `:::{note}` admonition (the book's "If you saw the slides" corrections).
NOTE = re.compile(r"^:::\{note\}.*?^:::$", re.DOTALL | re.MULTILINE)
# The body of a `{code-cell} ipython3` block of a MyST notebook.
CODE_CELL = re.compile(r"^```\{code-cell\} ipython3\n(.*?)^```$", re.DOTALL | re.MULTILINE)
CELL_OPTIONS = re.compile(r"^---\n.*?\n---\n", re.DOTALL)
# The short form of cell options: ``:key: value`` lines at the top of the cell.
COLON_OPTIONS = re.compile(r"^(?::[^\n]*\n)+")


# --- chapters -------------------------------------------------------------------------------


def chapter_source(filename: str) -> str:
    """The MyST text of ``book/<filename>``."""
    return (BOOK / filename).read_text(encoding="utf-8")


def code_cells(source: str) -> list[str]:
    """The code of every code cell of a MyST notebook, cell options (a ``---`` block or
    ``:key: value`` lines) removed."""
    return [
        COLON_OPTIONS.sub("", CELL_OPTIONS.sub("", cell, count=1), count=1)
        for cell in CODE_CELL.findall(source)
    ]


def definition(source: str, name: str) -> str:
    """The source of the top-level function or class ``name`` among the code cells."""
    for cell in code_cells(source):
        node = top_level_definitions(cell).get(name)
        if node is not None:
            return ast.get_source_segment(cell, node)
    raise AssertionError(f"no code cell of the chapter defines {name}")


# --- grading --------------------------------------------------------------------------------


def write_solved(lab_id: str, path: Path, wrong: dict[str, str] | None = None) -> Path:
    """Write the lab with the reference solutions (``wrong`` replaces some) to ``path``."""
    nbformat.write(solved_notebook(lab_id, wrong=wrong or {}), path)
    return path


def check_shipped_scores_zero(lab_id: str, total: int) -> None:
    """The lab as shipped grades without error: 0 of ``total`` points, all not attempted,
    and the file is byte-for-byte unchanged afterwards."""
    spec = get_spec(lab_id)
    path = REPO / spec.notebook
    before = sha256_of(path)
    report = grade_notebook(path, seed=1)
    assert report.error is None, report.error
    assert report.score == 0 and report.max_score == spec.total_points == total
    assert {r.status for r in report.results} == {"not attempted"}
    assert sha256_of(path) == before, "the grader must never modify a submission"


def check_solved_full_marks(lab_id: str, folder: Path, seeds=(2, 3)) -> None:
    """The reference solutions earn every point on each seed's fresh inputs, and the
    submission is unchanged afterwards."""
    spec = get_spec(lab_id)
    path = write_solved(lab_id, Path(folder) / f"{lab_id}_solved.ipynb")
    before = sha256_of(path)
    for seed in seeds:
        report = grade_notebook(path, seed=seed)
        failed = [(r.name, r.status, r.feedback) for r in report.results if r.status != "passed"]
        assert not failed, f"seed {seed}: {failed}"
        assert report.score == spec.total_points
    assert sha256_of(path) == before, "the grader must never modify a submission"


def check_wrong_loses_its_points(
    lab_id: str,
    folder: Path,
    name: str,
    code: str,
    status: str,
    reason: str,
    seed: int = 5,
    costs: tuple[str, ...] = (),
) -> None:
    """With exercise ``name`` replaced by ``code``, that exercise gets ``status`` and 0
    points with ``reason`` in its feedback; each exercise of ``costs`` (they call it) gets 0
    points and feedback saying so; every other exercise passes with its points, and the lab
    loses exactly the points of ``name`` and ``costs`` (from the spec)."""
    spec = get_spec(lab_id)
    path = write_solved(lab_id, Path(folder) / f"{lab_id}_wrong.ipynb", wrong={name: code})
    report = grade_notebook(path, seed=seed)
    assert report.error is None, report.error
    results = {r.name: r for r in report.results}
    result = results[name]
    assert result.status == status, result.feedback
    assert reason in result.feedback, f"{reason!r} is not in the feedback: {result.feedback}"
    assert result.points == 0
    for caller in costs:
        said = results[caller].feedback
        assert results[caller].points == 0, (caller, results[caller].status, said)
        assert f"`{caller}` calls `{name}`" in said and "fix that first" in said, said
    others = [
        (r.name, r.status, r.feedback)
        for r in report.results
        if r.name != name and r.name not in costs and r.points != r.max_points
    ]
    assert not others, f"exercises that should keep their points: {others}"
    lost = {name, *costs}
    assert report.score == spec.total_points - sum(spec.exercise(n).points for n in lost)
