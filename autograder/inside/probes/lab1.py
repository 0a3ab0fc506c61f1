"""Probes for lab 1: the code that calls an implementation and returns plain arrays.

This module (with the preamble) is the only lab code the isolated runner imports: it holds
no answers and no input generators (those stay in the trusted ``autograder/labs/lab1_inputs.py``).
A probe runs in the student's process on one case of inputs the grader drew.
"""

from __future__ import annotations

import numpy as np

from autograder.inside.probes import PREAMBLE, tf_module

__all__ = ["PREAMBLE", "PROBES"]


def _probe_elementwise(impl, inputs):
    return {"result": impl(tf_module().constant(inputs["z"]))}


def _probe_dense(impl, inputs):
    tf = tf_module()
    layer = impl(int(inputs["input_dim"]), int(inputs["output_dim"]))
    x = tf.constant(inputs["x"])
    layer(x)  # builds the weights if the layer creates them lazily
    layer.W.assign(inputs["W"])
    layer.b.assign(inputs["b"])
    return {"output": layer(x)}


def _probe_bce(impl, inputs):
    tf = tf_module()
    return {"loss": impl(tf.constant(inputs["y_true"]), tf.constant(inputs["logits"]))}


def _probe_mse(impl, inputs):
    tf = tf_module()
    return {"loss": impl(tf.constant(inputs["y_true"]), tf.constant(inputs["y_pred"]))}


def _probe_softmax_ce(impl, inputs):
    tf = tf_module()
    return {"loss": impl(tf.constant(inputs["labels"]), tf.constant(inputs["logits"]))}


def _probe_train_step(impl, inputs):
    tf = tf_module()
    keras = tf.keras
    model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(1)]
    )
    model.set_weights([inputs[k] for k in ("w1", "b1", "w2", "b2")])
    optimizer = keras.optimizers.SGD(learning_rate=float(inputs["lr"]))
    loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
    x, y = tf.constant(inputs["x"]), tf.constant(inputs["y"])
    losses = [float(impl(model, optimizer, loss_fn, x, y)) for _ in range(5)]
    w1, b1, w2, b2 = (np.asarray(w) for w in model.get_weights())
    return {"losses": np.array(losses, np.float32), "w1": w1, "b1": b1, "w2": w2, "b2": b2}


def _probe_minibatches(impl, inputs):
    batches = list(impl(inputs["x"], inputs["y"], int(inputs["batch_size"]), int(inputs["seed"])))
    if not batches:
        return {"sizes": np.zeros(0, np.int64)}
    xs = [np.asarray(b[0]) for b in batches]
    ys = [np.asarray(b[1]) for b in batches]
    return {
        "sizes": np.array([len(b) for b in xs], np.int64),
        "x": np.concatenate(xs),
        "y": np.concatenate(ys),
    }


def _probe_dropout(impl, inputs):
    tf = tf_module()
    x, noise, rate = tf.constant(inputs["x"]), tf.constant(inputs["noise"]), float(inputs["rate"])
    return {
        "training": impl(x, rate, noise, True),
        "inference": impl(x, rate, noise, False),
    }


def _probe_early_stopping(impl, inputs):
    out = []
    for curve, patience in zip(inputs["val_losses"], inputs["patience"]):
        stop, best = impl([float(v) for v in curve], int(patience))
        out.append((int(stop), int(best)))
    return {"stop_and_best": np.array(out, np.int64)}


PROBES = {
    "sigmoid_derivative": _probe_elementwise,
    "tanh_derivative": _probe_elementwise,
    "relu_derivative": _probe_elementwise,
    "MyDenseLayer": _probe_dense,
    "binary_cross_entropy": _probe_bce,
    "mean_squared_error": _probe_mse,
    "softmax_cross_entropy": _probe_softmax_ce,
    "train_step": _probe_train_step,
    "minibatches": _probe_minibatches,
    "dropout": _probe_dropout,
    "early_stopping": _probe_early_stopping,
}
