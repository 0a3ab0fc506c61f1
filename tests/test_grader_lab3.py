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
