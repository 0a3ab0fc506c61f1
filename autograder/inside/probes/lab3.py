"""Probes for lab 3: the code that calls an implementation and returns plain arrays.

This module (with the preamble) is the only lab code the isolated runner imports: it holds
no answers and no input generators (those stay in the trusted ``autograder/labs/lab3_inputs.py``).
A probe runs in the student's process on one case of inputs the grader drew.
"""

from __future__ import annotations

import numpy as np

from autograder.inside.probes import PREAMBLE, tf_module
from autograder.inside.protocol import plain
from mit6s191_utils.checks import flat_layers
from mit6s191_utils.guards import no_tf_convolution

__all__ = ["PREAMBLE", "PROBES"]


def _probe_conv(impl, inputs):
    with no_tf_convolution():
        out = impl(inputs["x"].copy(), inputs["kernel"].copy(), int(inputs["stride"]))
        # A second call with stride 1 always, so that a wrong stride handling shows too.
        out1 = impl(inputs["x"].copy(), inputs["kernel"].copy(), 1)
    return {"output": out, "output_stride_1": out1}


def _probe_pool(impl, inputs):
    x, pool = inputs["x"], int(inputs["pool_size"])
    return {
        "output": impl(x.copy(), pool, int(inputs["stride"])),
        "output_stride_pool": impl(x.copy(), pool, pool),
    }


def _built(model, x):
    """The model, built: one without keras.Input builds on its first call, as in the lab."""
    if not model.built:
        model(x[:1], training=False)
    return model


def _fits(model, weights) -> bool:
    """Whether ``weights`` have the model's weight shapes (if not, the parameter count
    says what differs, rather than set_weights' error)."""
    return [tuple(w.shape) for w in model.weights] == [w.shape for w in weights]


def _probe_dense(impl, inputs):
    model = _built(impl(int(inputs["hidden_units"])), inputs["x"])
    weights = [inputs[k] for k in ("w1", "b1", "w2", "b2")]
    if not _fits(model, weights):
        return {"parameters": np.int64(model.count_params())}
    model.set_weights(weights)
    return {
        "parameters": np.int64(model.count_params()),
        "logits": plain(model(inputs["x"], training=False)),
        # The same in training mode: a layer acting in training only (Dropout) shows here.
        "logits_training": plain(model(inputs["x"], training=True)),
    }


# The lab's CNN: conv 3x3x1x32, BN(32), conv 3x3x32x64, BN(64), dense 1600x10 + bias.
CNN_WEIGHT_SHAPES = (
    ("conv1", (3, 3, 1, 32)),
    ("bn1_gamma", (32,)),
    ("bn1_beta", (32,)),
    ("bn1_mean", (32,)),
    ("bn1_var", (32,)),
    ("conv2", (3, 3, 32, 64)),
    ("bn2_gamma", (64,)),
    ("bn2_beta", (64,)),
    ("bn2_mean", (64,)),
    ("bn2_var", (64,)),
    ("dense_w", (1600, 10)),
    ("dense_b", (10,)),
)


# The layer check of build_cnn_model: each layer's kind as a number (in this order), the
# list padded with -1 to a fixed length; Dropout rates likewise. Activation("relu") counts
# as ReLU, MaxPooling2D is MaxPool2D's other name, the functional API's InputLayer is left out.
LAYER_KINDS = (
    "Conv2D", "BatchNormalization", "ReLU", "MaxPooling2D", "Flatten", "Dropout", "Dense",
)  # fmt: skip
MAX_LAYERS = 16


def _layer_kind(layer) -> int:
    kind = type(layer).__name__
    if kind == "Activation" and getattr(layer.activation, "__name__", "") == "relu":
        kind = "ReLU"
    return LAYER_KINDS.index(kind) + 1 if kind in LAYER_KINDS else 0


def _layer_check(model) -> dict[str, np.ndarray]:
    layers = flat_layers(model)
    kinds = np.full(MAX_LAYERS, -1, np.int64)
    codes = [_layer_kind(layer) for layer in layers][:MAX_LAYERS]
    kinds[: len(codes)] = codes
    out = {"layers": kinds}
    # Arguments that act in training only: Dropout's rate, batch norm's momentum.
    for key, kind, attr in (
        ("dropout_rates", "Dropout", "rate"),
        ("bn_momenta", "BatchNormalization", "momentum"),
    ):
        out[key] = np.full(4, -1.0, np.float64)
        found = [float(getattr(lay, attr)) for lay in layers if type(lay).__name__ == kind][:4]
        out[key][: len(found)] = found
    return out


def _probe_cnn(impl, inputs):
    model = _built(impl(), inputs["x"])
    out = _layer_check(model)  # Dropout acts in training only: check the layers themselves
    out["parameters"] = np.int64(model.count_params())
    weights = [inputs[name] for name, _ in CNN_WEIGHT_SHAPES]
    if not _fits(model, weights):
        return out
    model.set_weights(weights)
    out["logits"] = plain(model(inputs["x"], training=False))
    return out


def _probe_train_step(impl, inputs):
    tf = tf_module()
    keras = tf.keras
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input((6, 6, 1)),
            layers.Conv2D(4, 3, use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.Flatten(),
            layers.Dense(3),
        ]
    )
    model.set_weights(
        [
            inputs["kernel"],
            inputs["gamma"],
            inputs["beta"],
            np.zeros(4, np.float32),
            np.ones(4, np.float32),
            inputs["w"],
            inputs["b"],
        ]
    )
    optimizer = keras.optimizers.SGD(learning_rate=float(inputs["lr"]))
    x, y = tf.constant(inputs["x"]), tf.constant(inputs["y"])
    step = tf.function(impl)  # as the lab runs it: .numpy() inside fails here too
    losses = [float(plain(step(model, optimizer, x, y))) for _ in range(3)]
    out = {"losses": np.array(losses, np.float32)}
    for name, value in zip(
        ("kernel", "gamma", "beta", "mean", "var", "w", "b"), model.get_weights()
    ):
        out[name] = np.asarray(value)
    return out


def _probe_shift(impl, inputs):
    dx, dy = inputs["dx"], inputs["dy"]
    return {
        "uint8": impl(inputs["images"].copy(), dx.copy(), dy.copy()),
        "float32": impl(inputs["images4"].copy(), dx.copy(), dy.copy()),
    }


def _probe_confusion(impl, inputs):
    counts = impl(inputs["y_true"].copy(), inputs["y_pred"].copy(), int(inputs["num_classes"]))
    return {"counts": plain(counts)}  # counts are integers: any integer dtype


PROBES = {
    "conv2d": _probe_conv,
    "max_pool2d": _probe_pool,
    "build_dense_model": _probe_dense,
    "build_cnn_model": _probe_cnn,
    "train_step": _probe_train_step,
    "shift_images": _probe_shift,
    "confusion_matrix": _probe_confusion,
}
