"""Grading spec for lab 3 (deep computer vision: digit classification).

Trusted (see autograder/labs/__init__.py); its probes: autograder/inside/probes/lab3.py, its
hidden inputs: autograder/labs/lab3_inputs.py.
"""

from __future__ import annotations

import numpy as np

from autograder.inside.probes.lab3 import LAYER_KINDS, PREAMBLE, PROBES
from autograder.labs.lab3_inputs import (
    _cnn_inputs,
    _confusion_inputs,
    _conv_inputs,
    _dense_inputs,
    _pool_inputs,
    _shift_inputs,
    _train_inputs,
)
from autograder.spec import Exercise, LabSpec

# --- feedback in the lab's terms -----------------------------------------------------------


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
