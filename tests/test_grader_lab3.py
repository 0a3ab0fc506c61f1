"""The autograder's feedback on lab 3's exercises. Grading the lab (shipped, solved, each
wrong answer of tests/cases/lab3.py, the variants that once passed by luck among them) is
in tests/test_grader_labs.py."""

import numpy as np

from autograder.labs import get_spec

LAB = "lab3"


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


def test_train_step_feedback_says_which_part_of_the_step_differs():
    explain = get_spec(LAB).exercise("train_step").explain
    said = explain("losses", np.array([1.2, 1.0, 0.9]), np.array([1.5, 1.1, 0.9]))
    assert "first step returned the loss 1.2" in said and "training=True" in said
    said = explain("losses", np.array([1.5, 1.0, 0.9]), np.array([1.5, 1.1, 0.9]))
    assert "first loss is right" in said and "once per step" in said
    assert "call model(x, training=True) once" in explain("var", np.ones(4), np.zeros(4))


def test_model_feedback_counts_parameters_and_training_only_layers():
    dense = get_spec(LAB).exercise("build_dense_model").explain
    said = dense("parameters", np.int64(101_770), np.int64(20_680))
    assert "101,770 parameters" in said and "20,680" in said
    assert "Dropout" in dense("logits_training", np.zeros((2, 10)), np.ones((2, 10)))
    cnn = get_spec(LAB).exercise("build_cnn_model").explain
    assert "use_bias=False" in cnn("parameters", np.int64(35_210), np.int64(35_114))


def test_confusion_feedback_names_a_dtype_too_small_for_the_counts():
    explain = get_spec(LAB).exercise("confusion_matrix").explain
    want = np.array([[300, 0], [2, 5]])
    said = explain("counts", (want % 256).astype(np.uint8), want)
    assert "uint8" in said and "255" in said and "np.int64" in said


def test_cnn_feedback_names_a_changed_batch_norm_momentum():
    explain = get_spec(LAB).exercise("build_cnn_model").explain
    said = explain("bn_momenta", np.array([0.9, 0.99, -1, -1]), np.array([0.99, 0.99, -1, -1]))
    assert "momentum is 0.9, 0.99" in said and "momentum=0.99" in said


# --- the reference itself -------------------------------------------------------------------


def test_reference_shift_images_holds_for_every_shift_even_past_the_edge():
    """out[k, r + dy, c + dx] = images[k, r, c] where that stays inside, else 0: checked
    pixel by pixel for shifts up to twice the image size (the reference once failed for a
    shift of a whole image or more)."""
    from autograder.solutions import load_solutions

    shift_images = load_solutions(get_spec(LAB)).shift_images
    rng = np.random.default_rng(0)
    for _ in range(100):
        n, h, w = 3, int(rng.integers(1, 8)), int(rng.integers(1, 8))
        images = rng.integers(1, 9, size=(n, h, w))
        dx, dy = rng.integers(-2 * w, 2 * w + 1, size=n), rng.integers(-2 * h, 2 * h + 1, size=n)
        want = np.zeros_like(images)
        for k, r, c in np.ndindex(n, h, w):
            if 0 <= r + dy[k] < h and 0 <= c + dx[k] < w:
                want[k, r + dy[k], c + dx[k]] = images[k, r, c]
        np.testing.assert_array_equal(shift_images(images, dx, dy), want)
