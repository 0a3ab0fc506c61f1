"""The autograder on lab 1: shipped lab scores 0, solved lab full marks on fresh inputs,
one wrong exercise loses exactly its points with a reason."""

import pytest
import testkit

from autograder import grade_notebook

LAB = "lab1"
TOTAL = 18


def test_shipped_lab_scores_zero_not_attempted():
    testkit.check_shipped_scores_zero(LAB, TOTAL)


def test_solved_lab_scores_full_marks_on_fresh_inputs(tmp_path):
    testkit.check_solved_full_marks(LAB, tmp_path)


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
    testkit.check_wrong_loses_its_points(LAB, tmp_path, name, *WRONG[name])


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
