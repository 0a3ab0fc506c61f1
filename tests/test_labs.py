"""The lab notebooks as students get them: clean, runnable as shipped and when solved."""

import json
import re

import nbformat
import pytest
from book_pages import BrowserMissing, require_chromium
from nbclient import NotebookClient

from autograder.authoring import solved_notebook
from autograder.labs import LAB_IDS, get_spec

# The longest cell, lab 2's training, takes about 250 s on 2 idle cores; a cell stopped
# only past this limit leaves room for a busy machine (the time is not what is tested).
CELL_TIMEOUT = 1800


def _execute(nb, cwd):
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    )
    client.execute()
    return nb


def _skip_when_jupyterlab_runs_it(what):
    """tests/test_jupyterlab.py runs the shipped labs and the solved lab 1 with Run All in
    JupyterLab and checks all that is checked here and more (no stderr, every check line);
    where it can (Chromium is here) the same notebook is not executed a second time."""
    try:
        require_chromium()
    except BrowserMissing:
        return
    pytest.skip(f"{what} runs in JupyterLab: tests/test_jupyterlab.py checks it")


def _outputs_text(nb):
    text = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text.append(out.get("text", "") + json.dumps(out.get("data", {}).get("text/plain", "")))
    return "\n".join(text)


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_lab_ships_without_outputs_and_with_marked_exercises(repo, lab_id):
    spec = get_spec(lab_id)
    nb = nbformat.read(repo / spec.notebook, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None
    exercise_cells = [c for c in nb.cells if "exercise" in c.metadata.get("tags", [])]
    assert [c.metadata["mit6s191"]["exercise"] for c in exercise_cells] == [
        ex.name for ex in spec.exercises
    ]
    for number, (cell, ex) in enumerate(zip(exercise_cells, spec.exercises), start=1):
        first = cell.source.splitlines()[0]
        assert first == f"# ✏️ EXERCISE {number} — {ex.name}  [{ex.points:g} point" + (
            "s]" if ex.points != 1 else "]"
        )
        assert "raise NotImplementedError" in cell.source
        assert "# --- your code here ---" in cell.source
        assert '"""' in cell.source, f"{ex.name} needs a docstring with inputs and outputs"


@pytest.mark.slow
@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_shipped_lab_runs_top_to_bottom(repo, lab_id, tmp_path):
    _skip_when_jupyterlab_runs_it(f"the shipped {lab_id}")
    nb = nbformat.read(repo / get_spec(lab_id).notebook, as_version=4)
    text = _outputs_text(_execute(nb, tmp_path))
    assert "not attempted" in text
    assert "✔" not in text


@pytest.mark.slow
@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_solved_lab_runs_clean_and_passes_every_public_check(lab_id, tmp_path):
    if lab_id == "lab1":
        _skip_when_jupyterlab_runs_it("the solved lab1")
    spec = get_spec(lab_id)
    text = _outputs_text(_execute(solved_notebook(lab_id), tmp_path))
    for ex in spec.exercises:
        assert f"✔ {ex.name}" in text, f"{ex.name} fails its public check with the solution"
    assert "✘" not in text and "Skipped" not in text
    if lab_id == "lab2":
        # the lab's model, trained as shipped, composes music (benchmarks/lab2.md: target 90 %)
        valid = re.search(r"(\d+) of (\d+) generated tunes are valid music", text)
        assert valid, "lab 2 did not report how many generated tunes are valid"
        assert int(valid[2]) == 20 and int(valid[1]) >= 16, valid[0]
