"""A throw-away exercise end to end (issue 16): an author writes its authored source, its
spec entry, its public check and its notebook prose (``tests/fixtures/new_exercise/``),
runs ``mit6s191-assign lab1``, and the lab is right: ``--check`` passes, the new
exercise's cell and check cell are generated where the prose introduces it, the
exercises after it are renumbered, and the real grader (in the copy, through the sandbox)
gives the notebook as generated 0 and the solved one full marks.

Everything happens in a copy in a temporary folder, run as the copy's own code
(``PYTHONPATH``): the repository is never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.agreement import PROBES_DIR
from autograder.labs import get_spec

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "new_exercise"
NOTEBOOK = "labs/lab1_intro_to_deep_learning.ipynb"
NEW = "softplus_derivative"


def insert_before(path: Path, anchor: str, text: str) -> None:
    source = path.read_text()
    assert source.count(anchor) == 1, f"{anchor!r} not found once in {path}"
    path.write_text(source.replace(anchor, text + anchor))


def run(root: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, *args], cwd=root, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip


@pytest.fixture(scope="module")
def author(tmp_path_factory):
    """A copy of the course with the new exercise authored and generated."""
    root = tmp_path_factory.mktemp("course")
    for folder in ("labs", "solutions", "autograder", "mit6s191_utils"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    before = nbformat.read(root / NOTEBOOK, as_version=4)
    # 1. the authored source, 2. the spec entry and its probe, 3. the public check
    solution = (FIXTURE / "solution.py.txt").read_text()
    insert_before(root / "solutions" / "lab1.py", "class MyDenseLayer(", solution + "\n\n")
    insert_before(
        root / "autograder" / "labs" / "lab1.py",
        '        Exercise(\n            "MyDenseLayer",',
        (FIXTURE / "spec_entry.py.txt").read_text(),
    )
    insert_before(
        root / PROBES_DIR / "lab1.py",
        '    "MyDenseLayer": _probe_dense,',
        f'    "{NEW}": _probe_elementwise,\n',
    )
    check = (FIXTURE / "check.py.txt").read_text()
    insert_before(
        root / "mit6s191_utils" / "checks" / "lab1.py", "def MyDenseLayer(", check + "\n\n"
    )
    # 4. the prose, after relu_derivative's check cell
    nb = nbformat.read(root / NOTEBOOK, as_version=4)
    at = next(
        i for i, c in enumerate(nb.cells) if c.source == "checks.relu_derivative(relu_derivative);"
    )
    prose = nbformat.v4.new_markdown_cell((FIXTURE / "prose.md").read_text().strip())
    prose["id"] = "softplus-prose"
    nb.cells.insert(at + 1, prose)
    nbformat.write(nb, root / NOTEBOOK)
    # --check fails before generation: the notebook lacks the exercise
    pending = run(root, "-m", "autograder.assign", "--check", "lab1")
    generated = run(root, "-m", "autograder.assign", "lab1")
    assert generated.returncode == 0, generated.stdout + generated.stderr
    return root, before, pending


def test_check_fails_until_the_exercise_is_generated(author):
    _, _, pending = author
    assert pending.returncode == 1, pending.stdout + pending.stderr
    assert f"lab1: exercise 4 {NEW}: name: the spec has it, the notebook lacks it" in pending.stdout


def test_check_passes_and_generation_is_then_a_no_op(author):
    root, _, _ = author
    checked = run(root, "-m", "autograder.assign", "--check", "lab1")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = (root / NOTEBOOK).read_bytes()
    again = run(root, "-m", "autograder.assign", "lab1")
    assert again.returncode == 0 and "is up to date" in again.stdout
    assert (root / NOTEBOOK).read_bytes() == text


def test_the_generated_cells_sit_under_their_prose_and_renumber_the_rest(author):
    root, before, _ = author
    nb = nbformat.read(root / NOTEBOOK, as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if c.get("id") == "softplus-prose")
    cell, check = nb.cells[at + 1], nb.cells[at + 2]
    assert cell.source.splitlines()[0] == f"# ✏️ EXERCISE 4 — {NEW}  [2 points]"
    assert cell.metadata["tags"] == ["exercise"]
    assert cell.metadata["mit6s191"] == {"exercise": NEW, "points": 2}
    assert f'raise NotImplementedError("Exercise 4: {NEW}")' in cell.source
    assert '"""Derivative of the softplus log(1 + exp(z)), element-wise.' in cell.source
    assert "sigmoid(z)" not in cell.source and "SOLUTION" not in cell.source
    assert check.source == f"checks.{NEW}({NEW});"
    assert not cell.outputs and not check.outputs
    dense = next(
        c for c in nb.cells if c.metadata.get("mit6s191", {}).get("exercise") == "MyDenseLayer"
    )
    assert dense.source.startswith("# ✏️ EXERCISE 5 — MyDenseLayer  [3 points]")
    assert 'raise NotImplementedError("Exercise 5: MyDenseLayer.call")' in dense.source
    # every cell but the exercise cells and the three new ones is as it was
    others = [c for c in nb.cells if "exercise" not in c.metadata.get("tags", [])]
    old = [c for c in before.cells if "exercise" not in c.metadata.get("tags", [])]
    assert [c.source for c in others if c.get("id") != "softplus-prose" and c is not check] == [
        c.source for c in old
    ]


GRADE = """
import json, nbformat
from autograder import grade_notebook
from autograder.authoring import solved_notebook, solution_sources
from mit6s191_utils.checks import lab1 as checks

shipped = grade_notebook("labs/lab1_intro_to_deep_learning.ipynb", seed=4)
nbformat.write(solved_notebook("lab1"), "solved.ipynb")
solved = grade_notebook("solved.ipynb", seed=4)
ns = {}
exec("import tensorflow as tf\\n" + solution_sources("lab1")["softplus_derivative"], ns)
public = checks.softplus_derivative(ns["softplus_derivative"])
print(json.dumps({
    "public": public,
    "shipped": [shipped.score, shipped.max_score, shipped.error,
                {r.name: r.status for r in shipped.results}],
    "solved": [solved.score, solved.max_score, solved.error,
               {r.name: [r.status, r.feedback] for r in solved.results}],
}))
"""


def test_the_real_grader_gives_shipped_zero_and_solved_full_marks(author):
    root, _, _ = author
    graded = run(root, "-c", GRADE)
    assert graded.returncode == 0, graded.stdout[-2000:] + graded.stderr[-4000:]
    result = json.loads(graded.stdout.strip().splitlines()[-1])
    assert result["public"] is True
    score, total, error, statuses = result["shipped"]
    assert error is None and score == 0
    full = get_spec("lab1").total_points + 2  # lab 1's points and the new exercise's
    assert total == full
    assert statuses[NEW] == "not attempted" and set(statuses.values()) == {"not attempted"}
    score, total, error, results = result["solved"]
    assert error is None, error
    assert results[NEW][0] == "passed", results[NEW]
    assert score == total == full, {k: v for k, v in results.items() if v[0] != "passed"}
