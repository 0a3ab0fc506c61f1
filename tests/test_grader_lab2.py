"""The autograder's feedback on lab 2's exercises. Grading the lab (shipped, solved, each
wrong answer of tests/cases/lab2.py) is in tests/test_grader_labs.py."""

import numpy as np

from autograder.labs import get_spec

LAB = "lab2"


# --- feedback a student can act on (issue 11, C) ---------------------------------------------


def _codes(text, size):
    out = np.full(size, -1, np.int64)
    out[: len(text)] = [ord(c) for c in text]
    return out


def test_indices_to_text_feedback_shows_the_strings():
    explain = get_spec(LAB).exercise("indices_to_text").explain
    said = explain("text", _codes("c a b", 20), _codes("cab", 20))
    assert "'c a b'" in said and "'cab'" in said and "character 1" in said
    said = explain("length", np.int64(5), np.int64(3))
    assert "5 characters" in said and "expected 3" in said


def test_build_model_feedback_names_the_layer_that_differs():
    explain = get_spec(LAB).exercise("build_model").explain
    want = np.array([9, 6, 6, 20, 5, 20, 20, 0, 5, 9, 9, 0])
    got = want.copy()
    got[0] = 10  # Embedding(vocab_size + 1)
    said = explain("weight_shapes", got, want)
    assert "Embedding" in said and "(10, 6)" in said and "(9, 6)" in said
    got = np.array([9, 6, 6, 15, 5, 15, 2, 15, 5, 9, 9, 0])  # a GRU
    said = explain("weight_shapes", got, want)
    assert "LSTM's kernel" in said and "(6, 15)" in said and "(6, 20)" in said
    assert "7 weight arrays" in explain("weight_count", np.int64(7), np.int64(6))


def test_build_model_feedback_names_the_layers():
    explain = get_spec(LAB).exercise("build_model").explain
    want = np.array([1, 2, 3, -1, -1, -1])
    said = explain("layers", np.array([4, 1, 2, 3, -1, -1]), want)  # a functional keras.Model
    assert "[InputLayer, Embedding, LSTM, Dense]" in said and "keras.Sequential" in said
    said = explain("layers", np.array([1, 2, 9, 3, -1, -1]), want)  # a Dropout between
    assert "[Embedding, LSTM, another layer, Dense]" in said and "Sequential" not in said
    assert "dropout" in explain("logits_training", np.zeros(3), np.ones(3))


def test_train_step_feedback_says_which_step_differs():
    explain = get_spec(LAB).exercise("train_step").explain
    want = np.array([2.0, 1.5, 1.2], np.float32)
    said = explain("losses", np.array([1.5, 1.2, 1.0], np.float32), want)
    assert "first step" in said and "before the update" in said
    said = explain("losses", np.array([2.0, 1.5, 1.3], np.float32), want)
    assert "step 3" in said and "apply_gradients" in said
    assert "LSTM's bias" in explain("w_bias", np.zeros(4), np.ones(4))
