"""Grading spec for lab 3 (deep computer vision: digit classification).

Nothing here is an answer: a probe only calls an implementation and returns plain arrays;
the answers live in solutions/lab3.py, which only the grading process reads.
"""

from __future__ import annotations

import numpy as np

from autograder.spec import Exercise, LabSpec

PREAMBLE = "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n"


def _tf():
    import tensorflow as tf

    return tf


def _numbers(value) -> np.ndarray:
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value)


# --- convolution and pooling --------------------------------------------------------------


def _conv_inputs(rng):
    n, c_in, c_out = (int(v) for v in rng.integers(1, 4, size=3))
    kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
    h, w = (int(v) for v in rng.integers(7, 13, size=2))
    return {
        "x": rng.normal(size=(n, h, w, c_in)).astype(np.float32),
        "kernel": rng.normal(size=(kh, kw, c_in, c_out)).astype(np.float32),
        "stride": np.int64(rng.integers(1, 4)),
    }


def _probe_conv(impl, inputs):
    out = impl(inputs["x"].copy(), inputs["kernel"].copy(), int(inputs["stride"]))
    # A second call with stride 1 always, so that a wrong stride handling shows too.
    out1 = impl(inputs["x"].copy(), inputs["kernel"].copy(), 1)
    return {"output": out, "output_stride_1": out1}


def _pool_inputs(rng):
    n, c = (int(v) for v in rng.integers(1, 4, size=2))
    h, w = (int(v) for v in rng.integers(6, 13, size=2))
    pool = int(rng.integers(2, 4))
    return {
        "x": rng.normal(size=(n, h, w, c)).astype(np.float32),
        "pool_size": np.int64(pool),
        "stride": np.int64(rng.integers(1, pool + 1)),
    }


def _probe_pool(impl, inputs):
    x, pool = inputs["x"], int(inputs["pool_size"])
    return {
        "output": impl(x.copy(), pool, int(inputs["stride"])),
        "output_stride_pool": impl(x.copy(), pool, pool),
    }


# --- models -------------------------------------------------------------------------------


def _dense_inputs(rng):
    hidden = int(rng.integers(4, 33))
    return {
        "hidden_units": np.int64(hidden),
        "w1": rng.normal(0, 0.05, size=(784, hidden)).astype(np.float32),
        "b1": rng.normal(0, 0.1, size=(hidden,)).astype(np.float32),
        "w2": rng.normal(0, 0.3, size=(hidden, 10)).astype(np.float32),
        "b2": rng.normal(0, 0.1, size=(10,)).astype(np.float32),
        "x": rng.uniform(0, 1, size=(5, 28, 28, 1)).astype(np.float32),
    }


def _probe_dense(impl, inputs):
    model = impl(int(inputs["hidden_units"]))
    model.set_weights([inputs[k] for k in ("w1", "b1", "w2", "b2")])
    return {
        "parameters": np.int64(model.count_params()),
        "logits": _numbers(model(inputs["x"], training=False)),
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


def _cnn_inputs(rng):
    out = {}
    for name, shape in CNN_WEIGHT_SHAPES:
        if name.endswith("_var"):
            out[name] = rng.uniform(0.5, 2.0, size=shape).astype(np.float32)
        elif name.endswith("_gamma"):
            out[name] = rng.uniform(0.5, 1.5, size=shape).astype(np.float32)
        else:
            fan_in = int(np.prod(shape[:-1])) if len(shape) > 1 else 4
            out[name] = rng.normal(0, 1 / np.sqrt(fan_in), size=shape).astype(np.float32)
    out["x"] = rng.uniform(0, 1, size=(4, 28, 28, 1)).astype(np.float32)
    return out


def _probe_cnn(impl, inputs):
    model = impl()
    model.set_weights([inputs[name] for name, _ in CNN_WEIGHT_SHAPES])
    return {
        "parameters": np.int64(model.count_params()),
        "logits": _numbers(model(inputs["x"], training=False)),
    }


# --- training -----------------------------------------------------------------------------


def _train_inputs(rng):
    n = int(rng.integers(6, 13))
    return {
        "x": rng.normal(size=(n, 6, 6, 1)).astype(np.float32),
        "y": rng.integers(0, 3, size=(n,)).astype(np.int64),
        "kernel": rng.normal(0, 0.4, size=(3, 3, 1, 4)).astype(np.float32),
        "gamma": rng.uniform(0.5, 1.5, size=(4,)).astype(np.float32),
        "beta": rng.normal(0, 0.1, size=(4,)).astype(np.float32),
        "w": rng.normal(0, 0.3, size=(64, 3)).astype(np.float32),
        "b": rng.normal(0, 0.1, size=(3,)).astype(np.float32),
        "lr": np.float32(rng.uniform(0.05, 0.3)),
    }


def _probe_train_step(impl, inputs):
    tf = _tf()
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
    losses = [float(_numbers(impl(model, optimizer, x, y))) for _ in range(3)]
    out = {"losses": np.array(losses, np.float32)}
    for name, value in zip(
        ("kernel", "gamma", "beta", "mean", "var", "w", "b"), model.get_weights()
    ):
        out[name] = np.asarray(value)
    return out


def _shift_inputs(rng):
    n = int(rng.integers(3, 8))
    h, w = (int(v) for v in rng.integers(6, 12, size=2))
    return {
        "images": rng.integers(1, 256, size=(n, h, w)).astype(np.uint8),
        "images4": rng.normal(size=(n, h, w, 1)).astype(np.float32),
        "dx": rng.integers(-3, 4, size=n).astype(np.int64),
        "dy": rng.integers(-3, 4, size=n).astype(np.int64),
    }


def _probe_shift(impl, inputs):
    dx, dy = inputs["dx"], inputs["dy"]
    return {
        "uint8": impl(inputs["images"].copy(), dx.copy(), dy.copy()),
        "float32": impl(inputs["images4"].copy(), dx.copy(), dy.copy()),
    }


def _confusion_inputs(rng):
    k = int(rng.integers(3, 11))
    n = int(rng.integers(20, 200))
    y_true = rng.integers(0, k, size=n)
    y_pred = np.where(rng.uniform(size=n) < 0.6, y_true, rng.integers(0, k, size=n))
    return {
        "y_true": y_true.astype(np.int64),
        "y_pred": y_pred.astype(np.int64),
        "num_classes": np.int64(k),
    }


def _probe_confusion(impl, inputs):
    counts = impl(inputs["y_true"].copy(), inputs["y_pred"].copy(), int(inputs["num_classes"]))
    return {"counts": np.asarray(_numbers(counts), np.float64)}


SPEC = LabSpec(
    lab_id="lab3",
    title="Lab 3: deep computer vision — digit classification",
    notebook="labs/lab3_digit_classification.ipynb",
    solutions_module="lab3.py",
    preamble=PREAMBLE,
    exercises=(
        Exercise(
            "conv2d",
            3,
            "2-D convolution from scratch",
            _probe_conv,
            _conv_inputs,
            rtol=1e-4,
            atol=1e-4,
            time_limit=60,
            hint="out[n, i, j, c] = sum over the kh x kw x c_in patch starting at "
            "(i * stride, j * stride) of patch * kernel[..., c]; VALID padding, no flip",
        ),
        Exercise(
            "max_pool2d",
            2,
            "Max pooling from scratch",
            _probe_pool,
            _pool_inputs,
            time_limit=60,
            hint="the maximum of each pool_size x pool_size window, windows `stride` apart, "
            "VALID padding, channel by channel",
        ),
        Exercise(
            "build_dense_model",
            2,
            "A dense classifier",
            _probe_dense,
            _dense_inputs,
            rtol=1e-4,
            atol=1e-4,
            time_limit=60,
            hint="Flatten, Dense(hidden_units, relu), Dense(10) with no activation (logits)",
        ),
        Exercise(
            "build_cnn_model",
            3,
            "A convolutional classifier",
            _probe_cnn,
            _cnn_inputs,
            rtol=1e-3,
            atol=1e-3,
            time_limit=60,
            hint="follow the layer list in the docstring exactly: kernel 3, no padding, "
            "no conv bias, batch norm before ReLU, Dense(10) logits",
        ),
        Exercise(
            "train_step",
            3,
            "A training step with tf.GradientTape",
            _probe_train_step,
            _train_inputs,
            rtol=1e-3,
            atol=1e-4,
            time_limit=90,
            hint="forward pass inside the tape with training=True; mean sparse softmax "
            "cross-entropy from logits; return the loss before the update",
        ),
        Exercise(
            "shift_images",
            2,
            "Shifting images (data augmentation)",
            _probe_shift,
            _shift_inputs,
            time_limit=30,
            hint="out[k, r + dy[k], c + dx[k]] = images[k, r, c] where that is inside the "
            "image; zeros elsewhere; keep the dtype",
        ),
        Exercise(
            "confusion_matrix",
            2,
            "The confusion matrix",
            _probe_confusion,
            _confusion_inputs,
            time_limit=30,
            hint="counts[i, j] = number of examples of true class i predicted as j",
        ),
    ),
)
