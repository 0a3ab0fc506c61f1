"""Grading spec for lab 1 (introduction to deep learning): inputs, points, tolerances.

Trusted: this module never enters the sandbox (its input generators are hidden checks).
The probes, which run in the student's process, are in autograder/probes/lab1.py; the
answers live in solutions/lab1.py, which only the grading process reads.
"""

from __future__ import annotations

import numpy as np

from autograder.probes.lab1 import (
    PREAMBLE,
    _probe_bce,
    _probe_dense,
    _probe_dropout,
    _probe_early_stopping,
    _probe_elementwise,
    _probe_minibatches,
    _probe_mse,
    _probe_train_step,
)
from autograder.spec import Exercise, LabSpec


def _values(rng, shape, scale=3.0):
    z = rng.normal(0.0, scale, size=shape).astype(np.float32)
    z.flat[0] = 0.0  # the edge case every activation's derivative must handle
    return {"z": z}


def _dense_inputs(rng):
    n_in, n_out, batch = (int(v) for v in rng.integers(2, 7, size=3))
    return {
        "input_dim": np.int64(n_in),
        "output_dim": np.int64(n_out),
        "W": rng.normal(size=(n_in, n_out)).astype(np.float32),
        "b": rng.normal(size=(1, n_out)).astype(np.float32),
        "x": rng.normal(size=(batch, n_in)).astype(np.float32),
    }


def _bce_inputs(rng):
    n = int(rng.integers(5, 40))
    return {
        "y_true": rng.integers(0, 2, size=(n, 1)).astype(np.float32),
        "logits": rng.normal(0.0, 3.0, size=(n, 1)).astype(np.float32),
    }


def _mse_inputs(rng):
    n = int(rng.integers(5, 40))
    return {
        "y_true": rng.normal(60, 15, size=(n, 1)).astype(np.float32),
        "y_pred": rng.normal(60, 15, size=(n, 1)).astype(np.float32),
    }


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


def _batch_inputs(rng):
    n = int(rng.integers(17, 41))
    return {
        "x": rng.normal(size=(n, 3)).astype(np.float32),
        "y": rng.integers(0, 10, size=(n,)).astype(np.int64),
        "batch_size": np.int64(rng.integers(3, 9)),
        "seed": np.int64(rng.integers(0, 2**31)),
    }


def _dropout_inputs(rng):
    shape = tuple(int(v) for v in rng.integers(2, 8, size=2))
    return {
        "x": rng.normal(size=shape).astype(np.float32),
        "rate": np.float32(rng.uniform(0.2, 0.7)),
        "noise": rng.uniform(size=shape).astype(np.float32),
    }


def _early_inputs(rng):
    curves = []
    for _ in range(6):
        n = 12
        trend = np.linspace(1.0, 0.3, n) + np.linspace(0, rng.uniform(0, 0.6), n) ** 2
        curves.append(trend + rng.normal(0, 0.03, size=n))
    return {
        "val_losses": np.array(curves, np.float64),
        "patience": rng.integers(1, 5, size=6).astype(np.int64),
    }


def _elementwise(name, title, hint):
    return Exercise(
        name,
        1,
        title,
        _probe_elementwise,
        lambda rng: _values(rng, (64,)),
        time_limit=30,
        hint=hint,
    )


SPEC = LabSpec(
    lab_id="lab1",
    title="Lab 1: introduction to deep learning",
    notebook="labs/lab1_intro_to_deep_learning.ipynb",
    solutions_module="lab1.py",
    preamble=PREAMBLE,
    exercises=(
        _elementwise(
            "sigmoid_derivative",
            "Derivative of the sigmoid",
            "g'(z) = g(z)(1 - g(z)) with g = tf.math.sigmoid",
        ),
        _elementwise("tanh_derivative", "Derivative of tanh", "g'(z) = 1 - tanh(z)^2"),
        _elementwise(
            "relu_derivative",
            "Derivative of ReLU",
            "1 where z > 0 and 0 elsewhere (also at z = 0), in z's dtype",
        ),
        Exercise(
            "MyDenseLayer",
            3,
            "A dense layer from scratch",
            _probe_dense,
            _dense_inputs,
            time_limit=60,
            hint="output = sigmoid(x @ W + b), W (in, out), b (1, out)",
        ),
        Exercise(
            "binary_cross_entropy",
            2,
            "Binary cross-entropy from logits",
            _probe_bce,
            _bce_inputs,
            rtol=1e-4,
            atol=1e-5,
            time_limit=30,
            hint="use the sigmoid form, e.g. tf.nn.sigmoid_cross_entropy_with_logits",
        ),
        Exercise(
            "mean_squared_error",
            1,
            "Mean squared error",
            _probe_mse,
            _mse_inputs,
            rtol=1e-5,
            atol=1e-4,
            time_limit=30,
        ),
        Exercise(
            "train_step",
            3,
            "A gradient-descent step with tf.GradientTape",
            _probe_train_step,
            _train_inputs,
            rtol=1e-4,
            atol=1e-5,
            time_limit=90,
            hint="run the forward pass inside the tape; return the loss before the update",
        ),
        Exercise(
            "minibatches",
            2,
            "Shuffled mini-batches",
            _probe_minibatches,
            _batch_inputs,
            time_limit=30,
            hint="order = np.random.default_rng(seed).permutation(len(x)); keep the "
            "last, smaller batch",
        ),
        Exercise(
            "dropout",
            2,
            "Dropout",
            _probe_dropout,
            _dropout_inputs,
            time_limit=30,
            hint="drop where noise < rate, scale the kept values by 1 / (1 - rate); "
            "return x unchanged when not training",
        ),
        Exercise(
            "early_stopping",
            2,
            "Early stopping",
            _probe_early_stopping,
            _early_inputs,
            time_limit=30,
            hint="stop at the first epoch that is `patience` epochs after the best one",
        ),
    ),
)
