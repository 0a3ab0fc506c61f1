"""The autograder on lab 1: shipped lab scores 0, solved lab full marks, one wrong exercise
loses exactly its points with a reason."""

import hashlib

import nbformat
import pytest

from autograder import grade_notebook
from autograder.authoring import solved_notebook
from autograder.labs import get_spec

SPEC = get_spec("lab1")
ALL = {ex.name: ex.points for ex in SPEC.exercises}


def _write(nb, path):
    nbformat.write(nb, path)
    return path


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_shipped_lab_scores_zero_not_attempted(repo):
    path = repo / SPEC.notebook
    before = _sha(path)
    report = grade_notebook(path, seed=1)
    assert report.error is None
    assert report.score == 0 and report.max_score == SPEC.total_points == 18
    assert {r.status for r in report.results} == {"not attempted"}
    assert _sha(path) == before, "the grader must never modify a submission"


def test_solved_lab_scores_full_marks_on_fresh_inputs(tmp_path):
    path = _write(solved_notebook("lab1"), tmp_path / "lab1_solved.ipynb")
    before = _sha(path)
    scores = []
    for seed in (2, 3):
        report = grade_notebook(path, seed=seed)
        failed = [(r.name, r.status, r.feedback) for r in report.results if r.status != "passed"]
        assert not failed
        scores.append(report.score)
    assert scores == [18, 18]
    assert _sha(path) == before


WRONG = {
    "sigmoid_derivative": (
        "def sigmoid_derivative(z):\n    return tf.math.sigmoid(z)\n",
        "wrong",
        "wrong values",
    ),
    "MyDenseLayer": (
        "class MyDenseLayer(keras.layers.Layer):\n"
        "    def __init__(self, input_dim, output_dim):\n"
        "        super().__init__()\n"
        "        self.W = self.add_weight(shape=(input_dim, output_dim))\n"
        "        self.b = self.add_weight(shape=(1, output_dim))\n"
        "    def call(self, inputs):\n"
        "        return tf.matmul(inputs, self.W) + self.b\n",  # forgot the sigmoid
        "wrong",
        "wrong values",
    ),
    "train_step": (
        "def train_step(model, optimizer, loss_fn, x, y):\n"
        "    prediction = model(x)\n"
        "    with tf.GradientTape() as tape:\n"
        "        loss = loss_fn(y, prediction)\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n"
        "    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n"
        "    return loss\n",  # erratum 3: forward pass outside the tape
        "error",
        "line",
    ),
    "minibatches": (
        "def minibatches(x, y, batch_size, seed):\n"
        "    return [(x[i:i + batch_size], y[i:i + batch_size])\n"
        "            for i in range(0, len(x), batch_size)]\n",  # forgot to shuffle
        "wrong",
        "wrong values",
    ),
    "mean_squared_error": (
        "def mean_squared_error(y_true, y_pred):\n"
        "    return tf.reduce_mean(tf.square(y_true - y_pred), axis=1)\n",
        "wrong",
        "wrong shape",
    ),
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_one_wrong_exercise_loses_exactly_its_points(tmp_path, name):
    code, status, reason = WRONG[name]
    path = _write(solved_notebook("lab1", wrong={name: code}), tmp_path / "lab1_wrong.ipynb")
    report = grade_notebook(path, seed=5)
    by_name = {r.name: r for r in report.results}
    assert by_name[name].status == status
    assert reason in by_name[name].feedback
    assert by_name[name].points == 0
    assert report.score == SPEC.total_points - ALL[name]


def test_syntax_error_in_one_exercise_leaves_the_others_graded(tmp_path):
    broken = "def dropout(x, rate, noise, training)\n    return x\n"
    path = _write(solved_notebook("lab1", wrong={"dropout": broken}), tmp_path / "lab1_s.ipynb")
    report = grade_notebook(path, seed=6)
    by_name = {r.name: r for r in report.results}
    assert by_name["dropout"].status == "error"
    assert "syntax error" in by_name["dropout"].feedback
    assert report.score == SPEC.total_points - ALL["dropout"]


def test_unreadable_submission_is_reported_not_raised(tmp_path):
    bad = tmp_path / "lab1_bad.ipynb"
    bad.write_text('{"cells": [')
    report = grade_notebook(bad)
    assert report.error and "not valid notebook JSON" in report.error
    assert report.score == 0
