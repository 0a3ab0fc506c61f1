"""Feedback for lab 1 in the lab's own terms: the explainers of its grading spec.

Trusted, like the spec (``autograder/labs/lab1.py``) that names them: each gets the key of
an output, what the student's code gave and what was expected, and returns a sentence (or
'' for the grader's generic one).
"""

from __future__ import annotations

import numpy as np


def explain_minibatches(key, got, want):
    if key == "sizes":
        hint = " (keep the last, smaller batch)" if len(got) < len(want) else ""
        return f"your batches have sizes {got.tolist()}, expected {want.tolist()}{hint}"
    if key in ("x", "y"):
        return (
            f"the rows of `{key}` come in another order than order = "
            "np.random.default_rng(seed).permutation(n) gives (x and y shuffled together)"
        )
    return ""


def explain_dropout(key, got, want):
    if key == "inference":
        return "with training=False the output must be x itself, unchanged"
    if got.shape != want.shape:
        return ""
    if not np.array_equal(got == 0, want == 0):
        return "the output is zero at other places than where noise < rate (training=True)"
    return "the values you keep must be scaled by 1 / (1 - rate) (training=True)"


def explain_early_stopping(key, got, want):
    if key != "stop_and_best" or got.shape != want.shape:
        return ""
    i = int(np.argwhere(np.any(got != want, axis=1))[0][0])
    sentence = (
        f"on validation curve {i + 1} of {len(want)}, expected (stop_epoch, best_epoch) = "
        f"({want[i][0]}, {want[i][1]}), got ({got[i][0]}, {got[i][1]})"
    )
    if got[i][1] != want[i][1]:
        return sentence + ": best_epoch is the first epoch with the lowest loss so far"
    if got[i][0] == want[i][0] + 1:
        return sentence + ": one epoch late (stop when epoch - best_epoch reaches patience)"
    return sentence + ": count the epochs since the best one, not since the previous one"
