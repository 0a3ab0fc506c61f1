"""Grading spec for lab 3 (deep computer vision: digit classification).

Trusted (see autograder/labs/__init__.py); its probes: autograder/inside/probes/lab3.py.
"""

from __future__ import annotations

import numpy as np

from autograder.inside.probes.lab3 import CNN_WEIGHT_SHAPES, LAYER_KINDS, PREAMBLE, PROBES
from autograder.spec import Exercise, LabSpec

# --- convolution and pooling --------------------------------------------------------------
# Each input maker returns the fixed decisive cases first, then a fresh random one.


def _conv_case(rng, n, h, w, c_in, kh, kw, c_out, stride):
    x = rng.normal(size=(n, h, w, c_in)).astype(np.float32)
    kernel = rng.normal(size=(kh, kw, c_in, c_out)).astype(np.float32)
    return {"x": x, "kernel": kernel, "stride": np.int64(stride)}


def _conv_inputs(rng):
    n, c_in, c_out = (int(v) for v in rng.integers(1, 4, size=3))
    kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
    h, w = (int(v) for v in rng.integers(7, 13, size=2))
    return [
        # Non-square kernels >= 2x2 (a flipped or transposed kernel differs), strides 2 and
        # 3 (stride ignored, windows at i instead of i * stride), sizes where the last
        # window ends exactly at the border (an output size without the + 1).
        _conv_case(rng, 2, 9, 11, 2, 3, 2, 3, 2),
        _conv_case(rng, 1, 11, 8, 1, 2, 3, 2, 3),
        _conv_case(rng, n, h, w, c_in, kh, kw, c_out, int(rng.integers(1, 4))),
    ]


def _pool_case(rng, n, h, w, c, pool, stride):
    x = rng.normal(size=(n, h, w, c)).astype(np.float32)
    return {"x": x, "pool_size": np.int64(pool), "stride": np.int64(stride)}


def _pool_inputs(rng):
    n, c = (int(v) for v in rng.integers(1, 4, size=2))
    h, w = (int(v) for v in rng.integers(6, 13, size=2))
    pool = int(rng.integers(2, 4))
    return [
        # A stride different from the pool size both ways (windows pool_size apart, or one
        # pixel apart, differ), several channels (a maximum over the channels differs), and
        # sizes that are not multiples of the stride (h // stride differs).
        _pool_case(rng, 2, 7, 6, 3, 2, 1),
        _pool_case(rng, 1, 9, 8, 2, 3, 2),
        _pool_case(rng, n, h, w, c, pool, int(rng.integers(1, pool + 1))),
    ]


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
    # Some channels far above 6 after batch norm: ReLU(max_value=6) would clip them.
    out["bn1_beta"][:4] += 8.0
    out["bn2_beta"][:8] += 8.0
    out["x"] = rng.uniform(0, 1, size=(4, 28, 28, 1)).astype(np.float32)
    return out


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


def _shift_case(rng, n, h, w, dx, dy):
    images = rng.integers(1, 256, size=(n, h, w)).astype(np.uint8)
    images4 = rng.normal(size=(n, h, w, 1)).astype(np.float32)
    return {"images": images, "images4": images4, "dx": np.int64(dx), "dy": np.int64(dy)}


def _shift_inputs(rng):
    n = int(rng.integers(3, 8))
    h, w = (int(v) for v in rng.integers(6, 12, size=2))
    return [
        # Zero shifts (a slice [:-0] is empty), each direction alone, dx != dy (swapped
        # shifts differ), both signs (wrapping around or the wrong way shows), h != w.
        _shift_case(rng, 6, 7, 9, [0, 2, 0, -1, 3, -2], [0, 0, -3, 2, -1, 1]),
        _shift_case(rng, n, h, w, rng.integers(-3, 4, size=n), rng.integers(-3, 4, size=n)),
    ]


def _confusion_inputs(rng):
    k = int(rng.integers(3, 11))
    n = int(rng.integers(20, 200))
    y_true = rng.integers(0, k, size=n)
    y_pred = np.where(rng.uniform(size=n) < 0.6, y_true, rng.integers(0, k, size=n))
    # Decisive: six classes, the last never seen (a size from the labels differs), class 4
    # only ever predicted, pairs repeated (counts[y_true, y_pred] += 1 counts them once),
    # and mistakes one way only (a transposed matrix differs).
    fixed_true = np.array([0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 0, 1, 2, 3, 3, 1])
    fixed_pred = np.array([0, 0, 1, 1, 1, 2, 4, 4, 3, 0, 0, 2, 2, 3, 3, 1])
    big = np.repeat(np.arange(3), [302, 4, 4])  # a count of 300: uint8/int8 counts wrap
    cases = ((fixed_true, fixed_pred, 6), (y_true, y_pred, k), (big, np.roll(big, 2), 3))
    return [
        {"y_true": t.astype(np.int64), "y_pred": p.astype(np.int64), "num_classes": np.int64(c)}
        for t, p, c in cases
    ]


# --- feedback a student can act on -------------------------------------------------------


def _params(got, want, what) -> str:
    return (
        f"the model has {int(got):,} parameters where the exercise's has {int(want):,}: "
        f"check each layer's arguments against the docstring ({what})"
    )


def _explain_dense(key, got, want) -> str:
    if key == "logits_training":
        return (
            "the logits are right in inference but not with training=True: a layer acts in "
            "training only (Dropout?); the docstring asks for exactly Flatten, Dense, Dense"
        )
    return _params(got, want, "Dense(hidden_units), biases") if key == "parameters" else ""


def _explain_train(key, got, want) -> str:
    if key == "losses" and not np.isclose(got[0], want[0], rtol=1e-3, atol=1e-4):
        return (
            f"the first step returned the loss {got[0]:.5g}, expected {want[0]:.5g}: the mean "
            "sparse softmax cross-entropy of model(x, training=True), before the update"
        )
    if key in ("mean", "var"):
        return f"batch norm's moving {key} differs after 3 steps: call model(x, training=True) once"
    return (
        f"the first loss is right but `{key}` differs after 3 steps: apply the gradients of "
        "that loss for all of model.trainable_variables, once per step"
    )


def _explain_cnn(key, got, want) -> str:
    if key == "parameters":
        return _params(got, want, "kernel_size=3, use_bias=False, no padding, pool_size=2")
    if key == "layers":

        def names(codes):
            return ", ".join(
                LAYER_KINDS[c - 1] if c > 0 else "another layer" for c in codes if c >= 0
            )

        return (
            f"the model's layers are [{names(got)}]; the exercise asks for exactly "
            f"[{names(want)}] (after keras.Input)"
        )
    if key == "dropout_rates":
        rates = [f"{r:g}" for r in got if r >= 0]
        return f"the Dropout rate is {', '.join(rates)}; the exercise asks for Dropout(0.3)"
    if key == "bn_momenta":
        got = ", ".join(f"{m:g}" for m in got if m >= 0)
        return f"BatchNormalization's momentum is {got}; keep the default (momentum={want[0]:g})"
    return ""


def _explain_confusion(key, got, want) -> str:
    if key != "counts" or got.shape != want.shape or got.ndim != 2:
        return ""
    if np.array_equal(got, want.T):
        return (
            "the matrix is transposed: row i must count the examples whose TRUE class is i "
            "(columns are the predictions)"
        )
    if got.dtype.kind in "iu" and want.max() > np.iinfo(got.dtype).max:
        return (
            f"counts reach {want.max()}, more than dtype {got.dtype} holds (at most "
            f"{np.iinfo(got.dtype).max}): keep the counts in np.int64"
        )
    bad = np.argwhere(got != want)
    i, j = (int(v) for v in bad[0])
    return (
        f"{len(bad)} of {want.size} counts differ; first counts[{i}, {j}], the number of "
        f"examples of true class {i} predicted as class {j}: expected {want[i, j]:g}, "
        f"got {got[i, j]:g}"
    )


SPEC = LabSpec(
    lab_id="lab3",
    notebook="labs/lab3_digit_classification.ipynb",
    solutions_module="lab3.py",
    preamble=PREAMBLE,
    exercises=(
        Exercise(
            "conv2d",
            3,
            "2-D convolution from scratch",
            PROBES["conv2d"],
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
            PROBES["max_pool2d"],
            _pool_inputs,
            time_limit=60,
            hint="the maximum of each pool_size x pool_size window, windows `stride` apart, "
            "VALID padding, channel by channel",
        ),
        Exercise(
            "build_dense_model",
            2,
            "A dense classifier",
            PROBES["build_dense_model"],
            _dense_inputs,
            rtol=1e-4,
            atol=1e-4,
            time_limit=60,
            hint="Flatten, Dense(hidden_units, relu), Dense(10) with no activation (logits)",
            explain=_explain_dense,
        ),
        Exercise(
            "build_cnn_model",
            3,
            "A convolutional classifier",
            PROBES["build_cnn_model"],
            _cnn_inputs,
            rtol=1e-3,
            atol=1e-3,
            time_limit=60,
            hint="follow the layer list in the docstring exactly: kernel 3, no padding, "
            "no conv bias, each MaxPool2D right after its Conv2D, then batch norm, then ReLU; "
            "Dropout(0.3) after Flatten, Dense(10) logits",
            explain=_explain_cnn,
        ),
        Exercise(
            "train_step",
            3,
            "A training step with tf.GradientTape",
            PROBES["train_step"],
            _train_inputs,
            rtol=1e-3,
            atol=1e-4,
            time_limit=90,
            hint="forward pass inside the tape with training=True; mean sparse softmax "
            "cross-entropy from logits; return the loss before the update",
            explain=_explain_train,
        ),
        Exercise(
            "shift_images",
            2,
            "Shifting images (data augmentation)",
            PROBES["shift_images"],
            _shift_inputs,
            time_limit=30,
            hint="out[k, r + dy[k], c + dx[k]] = images[k, r, c] where that is inside the "
            "image; zeros elsewhere; keep the dtype",
        ),
        Exercise(
            "confusion_matrix",
            2,
            "The confusion matrix",
            PROBES["confusion_matrix"],
            _confusion_inputs,
            time_limit=30,
            hint="counts[i, j] = number of examples of true class i predicted as j (integers)",
            explain=_explain_confusion,
        ),
    ),
)
