"""The autograder on lab 3: shipped lab scores 0, solved lab full marks on fresh inputs,
one wrong exercise loses exactly its points with a reason."""

import numpy as np
import pytest
import testkit

from autograder import grade_notebook
from autograder.labs import get_spec

LAB = "lab3"


WRONG = {
    # A true convolution flips the kernel; Keras and tf.nn.conv2d do not.
    "conv2d": (
        "def conv2d(x, kernel, stride):\n"
        "    kernel = kernel[::-1, ::-1]\n"
        "    kh, kw, _, c_out = kernel.shape\n"
        "    n, h, w, _ = x.shape\n"
        "    ho, wo = (h - kh) // stride + 1, (w - kw) // stride + 1\n"
        "    out = np.zeros((n, ho, wo, c_out), np.float32)\n"
        "    for i in range(ho):\n"
        "        for j in range(wo):\n"
        "            p = x[:, i * stride:i * stride + kh, j * stride:j * stride + kw]\n"
        "            out[:, i, j] = np.tensordot(p, kernel, axes=3)\n"
        "    return out\n",
        "wrong",
        "wrong values",
    ),
    # Ignores the stride: windows one pixel apart whatever it is.
    "max_pool2d": (
        "def max_pool2d(x, pool_size, stride):\n"
        "    return tf.nn.max_pool2d(x, pool_size, 1, 'VALID').numpy()\n",
        "wrong",
        "wrong shape",
    ),
    # Softmax on the output layer: probabilities instead of logits.
    "build_dense_model": (
        "def build_dense_model(hidden_units):\n"
        "    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),\n"
        "        keras.layers.Dense(hidden_units, activation='relu'),\n"
        "        keras.layers.Dense(10, activation='softmax')])\n",
        "wrong",
        "wrong values",
    ),
    # Erratum 6 of the notes: Conv2D has no argument filter_size.
    "build_cnn_model": (
        "def build_cnn_model():\n"
        "    L = keras.layers\n"
        "    return keras.Sequential([keras.Input((28, 28, 1)),\n"
        "        L.Conv2D(32, filter_size=3, use_bias=False), L.BatchNormalization(), L.ReLU(),\n"
        "        L.MaxPool2D(2), L.Conv2D(64, filter_size=3, use_bias=False),\n"
        "        L.BatchNormalization(), L.ReLU(), L.MaxPool2D(2), L.Flatten(),\n"
        "        L.Dropout(0.3), L.Dense(10)])\n",
        "error",
        "kernel_size",
    ),
    # Forgets training=True: batch normalisation uses its moving statistics.
    "train_step": (
        "def train_step(model, optimizer, x, y):\n"
        "    with tf.GradientTape() as tape:\n"
        "        logits = model(x)\n"
        "        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(\n"
        "            labels=y, logits=logits))\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n"
        "    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n"
        "    return loss\n",
        "wrong",
        "wrong values",
    ),
    # np.roll wraps the pixels pushed out around to the other side.
    "shift_images": (
        "def shift_images(images, dx, dy):\n"
        "    return np.stack([np.roll(im, (int(b), int(a)), axis=(0, 1))\n"
        "                     for im, a, b in zip(images, dx, dy)])\n",
        "wrong",
        "wrong values",
    ),
    # Fancy-index += counts each repeated (true, predicted) pair once.
    "confusion_matrix": (
        "def confusion_matrix(y_true, y_pred, num_classes):\n"
        "    counts = np.zeros((num_classes, num_classes), np.int64)\n"
        "    counts[y_true, y_pred] += 1\n"
        "    return counts\n",
        "wrong",
        "differ",
    ),
}


def _graded_with(cases, folder, seed):
    """The solved lab with every exercise of ``cases`` (name: (code, status, reason))
    replaced by its code, graded once."""
    codes = {name: code for name, (code, _, _) in cases.items()}
    return grade_notebook(testkit.write_solved(LAB, folder / "lab3.ipynb", wrong=codes), seed=seed)


def _check_case(report, cases, name):
    """Exercise ``name`` got the status of its case, 0 points and the reason."""
    _, status, reason = cases[name]
    result = {r.name: r for r in report.results}[name]
    assert result.status == status, result.feedback
    assert reason in result.feedback
    assert result.points == 0


@pytest.fixture(scope="module")
def all_wrong_report(tmp_path_factory):
    """One submission with every exercise wrong in its own way (one grading run)."""
    return _graded_with(WRONG, tmp_path_factory.mktemp("w"), seed=5)


@pytest.mark.parametrize("name", sorted(WRONG))
def test_each_wrong_exercise_gets_zero_with_a_reason(all_wrong_report, name):
    _check_case(all_wrong_report, WRONG, name)


@pytest.mark.parametrize("name", ["conv2d", "build_cnn_model", "train_step", "shift_images"])
def test_one_wrong_exercise_loses_exactly_its_points(tmp_path, name):
    testkit.check_wrong_loses_its_points(LAB, tmp_path, name, *WRONG[name], seed=7)


# The cases that passed by luck, through the whole grader: each loses its points.
LUCKY = {
    # Windows start at i instead of i * stride: passed whenever stride 1 was drawn.
    "conv2d": (
        "def conv2d(x, kernel, stride):\n"
        "    kh, kw, _, c_out = kernel.shape\n"
        "    n, h, w, _ = x.shape\n"
        "    ho, wo = (h - kh) // stride + 1, (w - kw) // stride + 1\n"
        "    out = np.zeros((n, ho, wo, c_out), np.float32)\n"
        "    for i in range(ho):\n"
        "        for j in range(wo):\n"
        "            out[:, i, j] = np.tensordot(x[:, i:i + kh, j:j + kw], kernel, axes=3)\n"
        "    return out\n",
        "wrong",
        "wrong values",
    ),
    # Windows pool_size apart whatever the stride: passed when stride == pool_size.
    "max_pool2d": (
        "def max_pool2d(x, pool_size, stride):\n"
        "    return tf.nn.max_pool2d(x, pool_size, pool_size, 'VALID').numpy()\n",
        "wrong",
        "wrong shape",
    ),
    # No Dropout: the probe ran inference only, so it always passed.
    "build_cnn_model": (
        "def build_cnn_model():\n"
        "    L = keras.layers\n"
        "    return keras.Sequential([keras.Input((28, 28, 1)),\n"
        "        L.Conv2D(32, 3, use_bias=False), L.BatchNormalization(), L.ReLU(),\n"
        "        L.MaxPool2D(2), L.Conv2D(64, 3, use_bias=False),\n"
        "        L.BatchNormalization(), L.ReLU(), L.MaxPool2D(2), L.Flatten(),\n"
        "        L.Dense(10)])\n",
        "wrong",
        "Dropout",
    ),
}


@pytest.fixture(scope="module")
def lucky_report(tmp_path_factory):
    return _graded_with(LUCKY, tmp_path_factory.mktemp("l"), seed=1)


@pytest.mark.parametrize("name", sorted(LUCKY))
def test_lucky_wrong_variant_loses_its_points(lucky_report, name):
    _check_case(lucky_report, LUCKY, name)
    lost = sum(ex.points for ex in get_spec(LAB).exercises if ex.name in LUCKY)
    assert lucky_report.score == get_spec(LAB).total_points - lost


# --- feedback a student can act on (issue 11, C) ---------------------------------------------


def test_confusion_matrix_feedback_says_what_the_element_means():
    explain = get_spec(LAB).exercise("confusion_matrix").explain
    want = np.array([[3, 1, 0], [0, 2, 1], [2, 0, 4]])
    got = want.copy()
    got[2, 0] = 1
    said = explain("counts", got, want)
    assert "counts[2, 0]" in said and "true class 2 predicted as class 0" in said
    assert "expected 2" in said and "got 1" in said
    assert "transposed" in explain("counts", want.T.copy(), want)


def test_cnn_feedback_lists_the_layers():
    from autograder.inside.probes.lab3 import LAYER_KINDS

    explain = get_spec(LAB).exercise("build_cnn_model").explain
    code = [LAYER_KINDS.index(k) + 1 for k in ("Conv2D", "Flatten", "Dropout", "Dense")]
    want = np.array(code + [-1] * 12)
    got = np.array(code[:2] + code[3:] + [-1] * 13)
    said = explain("layers", got, want)
    assert "[Conv2D, Flatten, Dense]" in said and "[Conv2D, Flatten, Dropout, Dense]" in said
    rates = np.array([0.5, -1, -1, -1])
    assert "0.5" in explain("dropout_rates", rates, np.array([0.3, -1, -1, -1]))
