"""Lab 1's hidden inputs: one maker per exercise, each returning the fixed decisive cases
first (edge cases that separate the right answer from plausible wrong ones), then freshly
drawn ones. Trusted, like the spec that uses them (autograder/labs/lab1.py): never shipped,
never mounted in the sandbox; the release's leak search looks for their bodies.
"""

from __future__ import annotations

import numpy as np


def _values(rng, shape, scale=3.0):
    z = rng.normal(0.0, scale, size=shape).astype(np.float32)
    z.flat[0] = 0.0  # the edge case every activation's derivative must handle
    return {"z": z}


def _elementwise_inputs(rng):
    """Decisive: 0 exactly (ReLU's derivative is 0 there, not 1), both signs, large values;
    a matrix (element-wise, any shape); then random values."""
    fixed = np.array([0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 4.0, -4.0, 8.0, -8.0], np.float32)
    matrix = rng.normal(0.0, 2.0, size=(3, 4)).astype(np.float32)
    matrix[1, 2] = 0.0
    return [{"z": fixed}, {"z": matrix}, _values(rng, (64,))]


def _dense_case(rng, n_in, n_out, batch):
    return {
        "input_dim": np.int64(n_in),
        "output_dim": np.int64(n_out),
        "W": rng.normal(size=(n_in, n_out)).astype(np.float32),
        "b": rng.normal(size=(1, n_out)).astype(np.float32),
        "x": rng.normal(size=(batch, n_in)).astype(np.float32),
    }


def _dense_inputs(rng):
    """Decisive: more outputs than inputs and the reverse (a transposed W cannot fit both),
    a batch of one; then random sizes."""
    n_in, n_out, batch = (int(v) for v in rng.integers(2, 7, size=3))
    return [
        _dense_case(rng, 3, 5, 4),
        _dense_case(rng, 6, 2, 1),
        _dense_case(rng, n_in, n_out, batch),
    ]


def _bce_inputs(rng):
    """Decisive: both labels with logits of both signs (swapped arguments, a missing minus,
    probabilities taken for logits all differ); then random ones."""
    n = int(rng.integers(5, 40))
    fixed = {
        "y_true": np.array([[1], [0], [1], [0], [1], [0]], np.float32),
        "logits": np.array([[2.5], [-1.5], [-0.5], [3.0], [0.0], [0.2]], np.float32),
    }
    return [
        fixed,
        {
            "y_true": rng.integers(0, 2, size=(n, 1)).astype(np.float32),
            "logits": rng.normal(0.0, 3.0, size=(n, 1)).astype(np.float32),
        },
    ]


def _mse_inputs(rng):
    """Decisive: a column with errors of both signs (sum, root, absolute value differ);
    then random ones."""
    n = int(rng.integers(5, 40))
    fixed = {
        "y_true": np.array([[80.0], [50.0], [65.0]], np.float32),
        "y_pred": np.array([[70.0], [60.0], [65.5]], np.float32),
    }
    return [
        fixed,
        {
            "y_true": rng.normal(60, 15, size=(n, 1)).astype(np.float32),
            "y_pred": rng.normal(60, 15, size=(n, 1)).astype(np.float32),
        },
    ]


def _one_hot(rng, n, k):
    return np.eye(k, dtype=np.float32)[rng.integers(0, k, size=n)]


def _softmax_ce_inputs(rng):
    """Decisive: logits far apart (a softmax that rounds to 0 has no logarithm: only a
    log-softmax gets 120 right), soft labels (label smoothing: not one class per row),
    unequal classes and examples (the axis of the softmax and of the mean), two classes;
    then random ones."""
    far = np.array([[0.0, 120.0, -30.0], [50.0, 0.0, 0.0]], np.float32)
    far_labels = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], np.float32)
    k = 5
    smooth = 0.9 * _one_hot(rng, 4, k) + 0.1 / k
    n, k_random = int(rng.integers(3, 30)), int(rng.integers(2, 12))
    return [
        {"labels": far_labels, "logits": far},
        {"labels": smooth, "logits": rng.normal(0, 2, size=(4, k)).astype(np.float32)},
        {"labels": _one_hot(rng, 7, 3), "logits": rng.normal(0, 3, size=(7, 3)).astype(np.float32)},
        {"labels": _one_hot(rng, 6, 2), "logits": rng.normal(0, 3, size=(6, 2)).astype(np.float32)},
        {
            "labels": _one_hot(rng, n, k_random),
            "logits": rng.normal(0, 3, size=(n, k_random)).astype(np.float32),
        },
    ]


def _train_inputs(rng):
    n = int(rng.integers(8, 24))
    return {
        "x": rng.normal(size=(n, 2)).astype(np.float32),
        "y": rng.integers(0, 2, size=(n, 1)).astype(np.float32),
        "w1": rng.normal(0, 0.8, size=(2, 4)).astype(np.float32),
        "b1": rng.normal(0, 0.1, size=(4,)).astype(np.float32),
        "w2": rng.normal(0, 0.8, size=(4, 1)).astype(np.float32),
        "b2": rng.normal(0, 0.1, size=(1,)).astype(np.float32),
        "lr": np.float32(rng.uniform(0.05, 0.5)),
    }


def _batch_case(rng, n, batch_size):
    return {
        "x": rng.normal(size=(n, 3)).astype(np.float32),
        "y": rng.integers(0, 10, size=(n,)).astype(np.int64),
        "batch_size": np.int64(batch_size),
        "seed": np.int64(rng.integers(0, 2**31)),
    }


def _batch_inputs(rng):
    """Decisive: a batch size that does not divide n (the last, smaller batch), one that
    does (no empty batch at the end), one larger than n, batches of one; then random."""
    n, size = int(rng.integers(17, 41)), int(rng.integers(3, 9))
    if n % size == 0:
        n += 1
    return [
        _batch_case(rng, 10, 4),
        _batch_case(rng, 12, 4),
        _batch_case(rng, 5, 8),
        _batch_case(rng, 3, 1),
        _batch_case(rng, n, size),
    ]


def _dropout_case(rng, shape, rate):
    noise = rng.uniform(size=shape).astype(np.float32)
    noise.flat[0] = np.float32(rate)  # noise == rate is kept (drop where noise < rate)
    return {
        "x": rng.normal(size=shape).astype(np.float32),
        "rate": np.float32(rate),
        "noise": noise,
    }


def _dropout_inputs(rng):
    """Decisive: noise equal to the rate somewhere, a rate far from 1/2 (1 / rate and
    1 / (1 - rate) differ), both modes (the probe runs training and inference); then random."""
    shape = tuple(int(v) for v in rng.integers(2, 8, size=2))
    return [
        _dropout_case(rng, (4, 5), 0.25),
        _dropout_case(rng, (3, 2, 2), 0.75),
        _dropout_case(rng, shape, float(np.float32(rng.uniform(0.2, 0.7)))),
    ]


# Validation curves whose early stopping differs for each plausible mistake (12 epochs).
_CURVES = (
    # stops and rebounds: patience counted from the previous epoch never stops here
    ([1.0, 0.8, 0.9, 0.85, 0.95, 0.7, 0.75, 0.72, 0.8, 0.9, 1.0, 1.1], 3),
    # a tie with the best loss is no improvement (the first best epoch is kept)
    ([1.0, 0.5, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0, 1.0, 1.0, 1.0], 2),
    # improves again just before patience runs out
    ([1.0, 0.9, 0.95, 0.97, 0.85, 0.9, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97], 3),
    # never stops: the last epoch, and the best one
    ([1.0, 0.9, 0.8, 0.7, 0.65, 0.6, 0.55, 0.5, 0.52, 0.45, 0.44, 0.43], 3),
    # patience 1: the first epoch that is not an improvement
    ([1.0, 0.9, 0.8, 0.85, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05], 1),
    # the best epoch is the first one
    ([0.5, 0.6, 0.55, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5], 4),
)


def _early_inputs(rng):
    """Decisive curves (see _CURVES); then random curves that fall, then rise with noise,
    so that most of them stop."""
    fixed = {
        "val_losses": np.array([c for c, _ in _CURVES], np.float64),
        "patience": np.array([p for _, p in _CURVES], np.int64),
    }
    curves = []
    for _ in range(6):
        n, turn = 16, int(rng.integers(3, 10))
        epochs = np.arange(n)
        trend = 1.0 - 0.05 * np.minimum(epochs, turn) + 0.04 * np.maximum(epochs - turn, 0)
        curves.append(trend + rng.normal(0, 0.03, size=n))
    drawn = {
        "val_losses": np.array(curves, np.float64),
        "patience": rng.integers(1, 5, size=6).astype(np.int64),
    }
    return [fixed, drawn]
