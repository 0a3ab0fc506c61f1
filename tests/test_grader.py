"""The autograder on lab 1's notebooks: a syntax error, a crashing cell, unreadable and
hostile files, and the execution model (the grader runs what the notebook runs). Shipped,
solved and each wrong answer of tests/cases/lab1.py: tests/test_grader_labs.py."""

import json

import testkit

from autograder import grade_notebook
from autograder.labs import get_spec

LAB = "lab1"
TOTAL = get_spec(LAB).total_points


def test_syntax_error_in_one_exercise_leaves_the_others_graded(tmp_path):
    broken = "def dropout(x, rate, noise, training)\n    return x\n"
    testkit.check_wrong_loses_its_points(
        LAB, tmp_path, "dropout", broken, "error", "syntax error", seed=6
    )


def test_unreadable_submission_is_reported_not_raised(tmp_path):
    bad = tmp_path / "lab1_bad.ipynb"
    bad.write_text('{"cells": [')
    report = grade_notebook(bad)
    assert report.error and "not valid notebook JSON" in report.error
    assert report.score == 0


# --- the execution model: the grader runs what the notebook runs ---------------------------

# Each cell as a student writes it. sigmoid_derivative is wrong, and tanh_derivative
# (correct maths: tanh'(z) = 4 sigma'(2z)) calls it; MyDenseLayer kills its process.
NOTEBOOK_MODEL = {
    "sigmoid_derivative": "def sigmoid_derivative(z):\n    return tf.math.sigmoid(z)\n",
    "tanh_derivative": "def tanh_derivative(z):\n    return 4.0 * sigmoid_derivative(2.0 * z)\n",
    "relu_derivative": "%%time\nSHAPE = (-1,)\ntry:\n    import scipy  # noqa\n"
    "except ImportError:\n    scipy = None\n\n"
    "def relu_derivative(z):\n    return tf.reshape(step(tf.reshape(z, SHAPE)), tf.shape(z))\n",
    "MyDenseLayer": "import os\n\nclass MyDenseLayer(keras.layers.Layer):\n"
    "    def __init__(self, input_dim, output_dim):\n        super().__init__()\n"
    "    def call(self, inputs):\n        os._exit(3)\n",
    "binary_cross_entropy": "cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)\n\n"
    "def binary_cross_entropy(y_true, logits):\n    return cross_entropy(y_true, logits)\n",
    "mean_squared_error": "mse = keras.losses.MeanSquaredError()\n\n"
    "def mean_squared_error(y_true, y_pred):\n    return mse(y_true, y_pred)\n",
    # A thread that outlives grading must not make the grader wait out its budget.
    "dropout": "import threading, time\n"
    "threading.Thread(target=time.sleep, args=(3600,)).start()\n\n"
    "def dropout(x, rate, noise, training):\n    if not training:\n        return x\n"
    "    return tf.where(noise < rate, tf.zeros_like(x), x / (1.0 - rate))\n",
    # Reads every file its process can see beside the runner: no input generator there.
    "early_stopping": "import os, autograder\nSEEN = []\n"
    "for top in {os.path.dirname(p) for p in autograder.__path__}:\n"
    "    for d, _, fs in os.walk(top):\n"
    "        for f in fs:\n"
    "            SEEN.append(open(os.path.join(d, f), errors='replace').read())\n"
    "LEAK = [s for s in SEEN if 'def _early_inputs' in s or 'def _dropout_inputs' in s]\n\n"
    "def early_stopping(val_losses, patience):\n"
    "    assert SEEN and not LEAK, 'generator code: ' + ''.join(LEAK)[:200]\n"
    "    best = 0\n    for epoch, loss in enumerate(val_losses):\n"
    "        if loss < val_losses[best]:\n            best = epoch\n"
    "        elif epoch - best >= patience:\n            return epoch, best\n"
    "    return len(val_losses) - 1, best\n",
}
HELPER_CELL = "import numpy\n\ndef step(z):\n    return tf.cast(z > 0, z.dtype)\n\nundefined()\n"


def test_notebook_runs_as_a_notebook_does(tmp_path):
    """Exercise cells run whole (helper objects, tuples, negatives, try/import, %%time), a
    helper cell's definitions count, a call into a wrong exercise is named, a crash costs
    only its exercise, a left-over thread costs nothing, and no generator code is visible."""
    import nbformat

    from autograder.authoring import solved_notebook

    nb = solved_notebook(LAB, wrong=NOTEBOOK_MODEL)
    where = next(i for i, c in enumerate(nb.cells) if "def relu_derivative" in c.source)
    nb.cells.insert(where, nbformat.v4.new_code_cell(HELPER_CELL))
    path = tmp_path / "lab1_model.ipynb"
    nbformat.write(nb, path)
    report = grade_notebook(path, seed=4)
    got = {r.name: r for r in report.results}
    assert got["sigmoid_derivative"].status == "wrong"
    assert got["tanh_derivative"].status == "wrong"
    assert got["tanh_derivative"].feedback.startswith(
        "`tanh_derivative` calls `sigmoid_derivative`, which is wrong: fix that first."
    )
    assert got["MyDenseLayer"].status == "error"
    assert "stopped the process" in got["MyDenseLayer"].feedback
    passed = {"relu_derivative", "binary_cross_entropy", "mean_squared_error", "train_step"}
    passed |= {"softmax_cross_entropy", "minibatches", "dropout", "early_stopping"}
    assert {n for n, r in got.items() if r.status == "passed"} == passed, report.summary()
    lost = ("sigmoid_derivative", "tanh_derivative", "MyDenseLayer")
    assert report.score == TOTAL - sum(get_spec(LAB).exercise(n).points for n in lost)
    text = json.dumps(report.as_dict())
    assert "_early_inputs" not in text and "_dropout_inputs" not in text
    # Every result is in long before the runner's budget (minutes): the thread was ended.
    assert report.seconds < 150, report.seconds


def test_cell_that_kills_its_process_costs_only_its_exercises(tmp_path):
    """A top-level os._exit in one exercise cell: that exercise errs, a fresh runner skips
    the cell and grades the rest, which call nothing from it."""
    crash = "import os\nos._exit(1)\n\ndef minibatches(x, y, batch_size, seed):\n    return []\n"
    testkit.check_wrong_loses_its_points(
        LAB, tmp_path, "minibatches", crash, "error", "the cell that defines it stopped"
    )


def test_deeply_nested_json_is_the_files_fault(tmp_path):
    bad = tmp_path / "lab1_nested.ipynb"
    bad.write_text('{"cells": [], "metadata": ' + "[" * 100_000 + "]" * 100_000 + "}")
    report = grade_notebook(bad)
    assert report.error and "nests its JSON" in report.error
    assert "internal grader error" not in report.error


def test_parsing_a_hostile_notebook_is_bounded(tmp_path):
    """Issue 12 item 4: a cell of 40,000 `!` lines (minutes in IPython's transformer) and
    150,000 blank lines before an unclosed parenthesis (a quadratic regular expression in
    the old extraction) cost only their own exercises, with a clear reason; parsing runs in
    the sandboxed runner, and the grading process never parses the cells."""
    import nbformat

    from autograder.authoring import solved_notebook

    bangs = "def sigmoid_derivative(z):\n    return z\n" + "!echo hi\n" * 40_000
    unclosed = "def tanh_derivative(z):\n    return z\n" + "\n" * 150_000 + "print((\n"
    nb = solved_notebook(LAB, wrong={"sigmoid_derivative": bangs, "tanh_derivative": unclosed})
    path = tmp_path / "lab1_parsing.ipynb"
    nbformat.write(nb, path)
    report = grade_notebook(path, seed=2)
    got = {r.name: r for r in report.results}
    assert got["sigmoid_derivative"].status == "wrong"  # the `!` lines do nothing: z back
    assert got["tanh_derivative"].status == "error"
    assert "syntax error" in got["tanh_derivative"].feedback
    lost = ("sigmoid_derivative", "tanh_derivative")
    assert report.score == TOTAL - sum(get_spec(LAB).exercise(n).points for n in lost), (
        report.summary()
    )
    assert report.seconds < 150, report.seconds  # a hang guard, not a speed target
