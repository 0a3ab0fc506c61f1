"""Lab 3's hidden inputs: one maker per exercise, each returning the fixed decisive cases
first (edge cases that separate the right answer from plausible wrong ones), then freshly
drawn ones. Trusted, like the spec that uses them (autograder/labs/lab3.py): never shipped,
never mounted in the sandbox; the release's leak search looks for their bodies.
"""

from __future__ import annotations

import numpy as np

from autograder.inside.probes.lab3 import CNN_WEIGHT_SHAPES


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
