"""``mit6s191-assign --check``: passes on the repository, fails naming the field on broken
copies (made in a temporary folder; the real files are never touched)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from testkit import check_solved_full_marks

from autograder.agreement import check_lab
from autograder.assign import main
from autograder.generate import AuthoringError, generate, notebook_text
from autograder.labs import LAB_IDS, get_spec

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = get_spec("lab1").notebook


def test_check_passes_on_the_repository(capsys):
    assert main(["--check"]) == 0, capsys.readouterr().out
    assert "agree" in capsys.readouterr().out


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_every_lab_agrees(lab_id):
    assert check_lab(ROOT, lab_id) == []


def test_generation_is_a_no_op_on_the_repository(copy, capsys):
    """Generating every lab's exercise cells from the solutions and the specs gives the
    notebooks as committed, byte for byte (run on a copy: the real files are not touched)."""
    assert main(["--root", str(copy)]) == 0
    assert capsys.readouterr().out.count("is up to date") == len(LAB_IDS)
    for lab_id in LAB_IDS:
        notebook = get_spec(lab_id).notebook
        assert (copy / notebook).read_bytes() == (ROOT / notebook).read_bytes()


def test_unknown_lab_is_refused(capsys):
    assert main(["--check", "lab99"]) == 2
    assert "unknown lab lab99" in capsys.readouterr().out


@pytest.fixture
def copy(tmp_path):
    for folder in ("labs", "solutions", "autograder", "mit6s191_utils"):
        shutil.copytree(
            ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    return tmp_path


def edit_notebook(root: Path, change) -> None:
    path = root / NOTEBOOK
    nb = nbformat.read(path, as_version=4)
    change(nb)
    nbformat.write(nb, path)


def exercise_index(nb, name: str) -> int:
    return next(
        i for i, c in enumerate(nb.cells) if c.metadata.get("mit6s191", {}).get("exercise") == name
    )


def problems(root: Path, capsys) -> str:
    assert main(["--check", "lab1", "--root", str(root)]) == 1
    return capsys.readouterr().out


def test_the_copy_itself_passes(copy, capsys):
    assert main(["--check", "--root", str(copy)]) == 0, capsys.readouterr().out


def rename(nb):
    cell = nb.cells[exercise_index(nb, "tanh_derivative")]
    cell.source = cell.source.replace("tanh_derivative", "tanh_prime")
    cell.metadata["mit6s191"]["exercise"] = "tanh_prime"


def points_in_metadata(nb):
    nb.cells[exercise_index(nb, "softmax_cross_entropy")].metadata["mit6s191"]["points"] = 5


def points_in_header(nb):
    cell = nb.cells[exercise_index(nb, "softmax_cross_entropy")]
    cell.source = cell.source.replace("[2 points]", "[3 points]", 1)


def add_parameter(nb):
    cell = nb.cells[exercise_index(nb, "mean_squared_error")]
    cell.source = cell.source.replace(
        "def mean_squared_error(y_true, y_pred):",
        "def mean_squared_error(y_true, y_pred, weights=None):",
    )


def swap(nb):
    a, b = exercise_index(nb, "sigmoid_derivative"), exercise_index(nb, "tanh_derivative")
    # swap the two cells with their check cells, keeping the headers' numbers in place
    cells = nb.cells
    cells[a], cells[b] = cells[b], cells[a]
    cells[a + 1], cells[b + 1] = cells[b + 1], cells[a + 1]


def remove_check_cell(nb):
    del nb.cells[exercise_index(nb, "dropout") + 1]


def solve_and_run(nb):
    i = exercise_index(nb, "relu_derivative")
    nb.cells[i].source = nb.cells[i].source.replace(
        'raise NotImplementedError("Exercise 3: relu_derivative")', "return z"
    )
    nb.cells[i].outputs = [nbformat.v4.new_output("stream", text="hi\n")]


# A broken copy of lab 1's notebook -> the lines --check must print about it.
BROKEN = {
    "exercise renamed": (
        rename,
        [
            "lab1: exercise 2 tanh_derivative: name: the spec has it, the notebook lacks it",
            "lab1: exercise 2 tanh_prime: name: the notebook has it, the spec lacks it",
        ],
    ),
    "points changed in the metadata": (
        points_in_metadata,
        ["lab1: exercise 7 softmax_cross_entropy: the metadata says 5 points, the header 2 points"],
    ),
    "points changed in the header": (
        points_in_header,
        ["exercise 7 softmax_cross_entropy: the notebook says 3 points, the spec 2 points"],
    ),
    "parameter added to a signature": (
        add_parameter,
        [
            "lab1: exercise 6 mean_squared_error: the signature differs: the notebook has "
            "mean_squared_error(y_true, y_pred, weights=None), the solution "
            "mean_squared_error(y_true, y_pred)"
        ],
    ),
    "two exercises swapped in order": (
        swap,
        [
            "lab1: exercise 1 sigmoid_derivative: order: the notebook has tanh_derivative",
            "exercise 1 tanh_derivative: the header numbers it 2, its position is 1",
        ],
    ),
    "check cell removed": (
        remove_check_cell,
        ["lab1: exercise 10 dropout: the next code cell is not its check cell"],
    ),
    "stub solved and outputs stored": (
        solve_and_run,
        [
            "exercise 3 relu_derivative: the stub does not raise NotImplementedError",
            "lab1: notebook: cell",
            "stores outputs; ship the notebook without outputs",
        ],
    ),
}


@pytest.mark.parametrize("change, expected", BROKEN.values(), ids=list(BROKEN))
def test_a_broken_notebook_is_reported(copy, capsys, change, expected):
    edit_notebook(copy, change)
    out = problems(copy, capsys)
    for line in expected:
        assert line in out


def test_a_hand_edited_stub_is_regenerated(copy, capsys):
    """A stub edited in the notebook (its docstring here) is what --check reports as
    'regenerating changes'; generation restores the committed notebook."""

    def edit(nb):
        cell = nb.cells[exercise_index(nb, "sigmoid_derivative")]
        cell.source = cell.source.replace("element-wise", "elementwise")

    edit_notebook(copy, edit)
    out = problems(copy, capsys)
    assert (
        "lab1: notebook: regenerating it from solutions/lab1.py changes sigmoid_derivative; "
        "run 'mit6s191-assign lab1'" in out
    )
    assert main(["lab1", "--root", str(copy)]) == 0
    assert "regenerated the exercise cells" in capsys.readouterr().out
    assert (copy / NOTEBOOK).read_bytes() == (ROOT / NOTEBOOK).read_bytes()


def test_the_authored_source_changes_the_notebook(copy, capsys):
    """The docstring and the points are written once (solution, spec); generation carries
    them into the header, the metadata and the stub, and leaves the answer out."""
    solution = copy / "solutions" / "lab1.py"
    solution.write_text(
        solution.read_text().replace("Mean squared error.", "Mean squared error (MSE).")
    )
    spec = copy / "autograder" / "labs" / "lab1.py"
    text = spec.read_text()
    anchor = '"mean_squared_error",\n            1,'
    assert anchor in text
    spec.write_text(text.replace(anchor, '"mean_squared_error",\n            4,'))
    assert main(["lab1", "--root", str(copy)]) == 0, capsys.readouterr().out
    nb = nbformat.read(copy / NOTEBOOK, as_version=4)
    cell = nb.cells[exercise_index(nb, "mean_squared_error")]
    assert cell.source.startswith("# ✏️ EXERCISE 6 — mean_squared_error  [4 points]\n")
    assert '"""Mean squared error (MSE).' in cell.source
    assert 'raise NotImplementedError("Exercise 6: mean_squared_error")' in cell.source
    assert "tf.square" not in cell.source and "SOLUTION" not in cell.source
    assert cell.metadata["mit6s191"] == {"exercise": "mean_squared_error", "points": 4}
    capsys.readouterr()
    assert main(["--check", "lab1", "--root", str(copy)]) == 0, capsys.readouterr().out


def test_an_answer_without_markers_is_refused(copy, capsys):
    """A solution whose answer is not marked would ship whole: generation refuses, names
    the exercise and leaves the notebook as it was; --check reports it too."""
    solution = copy / "solutions" / "lab1.py"
    text = solution.read_text()
    start = text.index("def dropout(")
    body = text[start:]
    body = body.replace("    # BEGIN SOLUTION\n", "", 1).replace("    # END SOLUTION\n", "", 1)
    solution.write_text(text[:start] + body)
    before = (copy / NOTEBOOK).read_bytes()
    assert main(["lab1", "--root", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "lab1: solutions/lab1.py: dropout marks no answer; put it between" in out
    assert "the notebook is unchanged" in out
    assert (copy / NOTEBOOK).read_bytes() == before
    assert "lab1: generation: solutions/lab1.py: dropout marks no answer" in problems(copy, capsys)


def test_unbalanced_markers_are_refused(copy, capsys):
    solution = copy / "solutions" / "lab1.py"
    text = solution.read_text()
    start = text.index("def early_stopping(")
    solution.write_text(text[:start] + text[start:].replace("    # END SOLUTION\n", "", 1))
    assert main(["lab1", "--root", str(copy)]) == 1
    assert "# BEGIN SOLUTION without # END SOLUTION" in capsys.readouterr().out


def test_a_check_missing_from_the_public_checks(copy, capsys):
    path = copy / "mit6s191_utils" / "checks" / "lab1.py"
    path.write_text(path.read_text().replace("def dropout(fn)", "def _dropout(fn)"))
    out = problems(copy, capsys)
    assert "exercise 10 dropout: name: the spec has it, mit6s191_utils.checks.lab1 lacks it" in out


def test_the_solved_lab_scores_full_marks(tmp_path):
    """The reference code put into the notebook and graded as a student's: full marks."""
    check_solved_full_marks("lab1", tmp_path, seeds=(5,))


AUTHORED = '''
def double(x):
    """Twice x.

    Args:
        x: a number.
    """
    # BEGIN SOLUTION
    return 2 * x
    # END SOLUTION


class Counter:
    """Counts."""

    def __init__(self):
        self.n = 0  # scaffold the student keeps

    def add(self, k):
        # BEGIN SOLUTION
        self.n += k
        return self.n
        # END SOLUTION
'''


def small_notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    return nb


def test_generate_places_new_exercises_under_their_prose():
    """In a notebook of prose only, each exercise goes under the markdown cell that names
    it, followed by its check cell; a class keeps its scaffold and gets a stub per block."""
    nb = small_notebook(
        nbformat.v4.new_markdown_cell("# Lab"),
        nbformat.v4.new_markdown_cell("Write `double`."),
        nbformat.v4.new_markdown_cell("Now a class, `Counter`."),
    )
    out = generate(nb, "lab9", [("double", 1), ("Counter", 2.5)], AUTHORED)
    kinds = [(c.cell_type, c.source.splitlines()[0]) for c in out.cells]
    assert kinds == [
        ("markdown", "# Lab"),
        ("markdown", "Write `double`."),
        ("code", "# ✏️ EXERCISE 1 — double  [1 point]"),
        ("code", "checks.double(double);"),
        ("markdown", "Now a class, `Counter`."),
        ("code", "# ✏️ EXERCISE 2 — Counter  [2.5 points]"),
        ("code", "checks.Counter(Counter);"),
    ]
    counter = out.cells[5]
    assert "self.n = 0  # scaffold the student keeps" in counter.source
    assert 'raise NotImplementedError("Exercise 2: Counter.add")' in counter.source
    assert "self.n += k" not in counter.source
    assert counter.metadata["mit6s191"] == {"exercise": "Counter", "points": 2.5}
    assert len({c.id for c in out.cells}) == len(out.cells)
    again = generate(out, "lab9", [("double", 1), ("Counter", 2.5)], AUTHORED)
    assert notebook_text(again) == notebook_text(out)  # a second run changes nothing


def test_generate_never_overwrites_or_deletes_an_authors_cell():
    helper = small_notebook(nbformat.v4.new_code_cell("def double(x):\n    return x + x"))
    with pytest.raises(AuthoringError, match="code cell 0 defines double too"):
        generate(helper, "lab9", [("double", 1)], AUTHORED)
    stray = generate(small_notebook(), "lab9", [("double", 1), ("Counter", 2)], AUTHORED)
    with pytest.raises(AuthoringError, match=r"exercise cells the spec does not list \(Counter\)"):
        generate(stray, "lab9", [("double", 1)], AUTHORED)
