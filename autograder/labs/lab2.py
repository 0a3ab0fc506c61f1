"""Grading spec for lab 2 (music generation with RNNs): inputs, points, tolerances.

Trusted (see autograder/labs/__init__.py); its probes: autograder/inside/probes/lab2.py, its
hidden inputs: autograder/labs/lab2_inputs.py.
"""

from __future__ import annotations

import numpy as np

from autograder.inside.probes.lab2 import (
    LAYER_KINDS,
    PREAMBLE,
    WEIGHT_KEYS,
    _probe_build_model,
    _probe_get_batch,
    _probe_indices_to_text,
    _probe_loss,
    _probe_rnn_cell,
    _probe_sample_next,
    _probe_text_to_indices,
    _probe_train_step,
)
from autograder.labs.lab2_inputs import (
    _batch_inputs,
    _loss_inputs,
    _model_inputs,
    _rnn_inputs,
    _sample_inputs,
    _train_inputs,
    _vocab_inputs,
)
from autograder.spec import Exercise, LabSpec

# --- feedback a student can act on -------------------------------------------------------


def _shown(codes: np.ndarray, start: int, width: int = 40) -> str:
    text = "".join(chr(int(c)) for c in codes if c >= 0)
    part = text[start : start + width]
    return ("…" if start else "") + repr(part)[1:-1] + ("…" if start + width < len(text) else "")


def _explain_indices_to_text(key, got, want) -> str:
    if key == "length":
        return f"the text has {int(got)} characters; expected {int(want)}, one per index"
    if key != "text":
        return ""
    first = int(np.argmax(got != want))
    start = max(0, first - 10)
    return (
        f"the text differs from character {first} on: got '{_shown(got, start)}', "
        f"expected '{_shown(want, start)}'"
    )


WEIGHT_NAMES = (
    "the Embedding's table (vocab_size, embedding_dim)",
    "the LSTM's kernel (embedding_dim, 4 * rnn_units)",
    "the LSTM's recurrent kernel (rnn_units, 4 * rnn_units)",
    "the LSTM's bias (4 * rnn_units,)",
    "the Dense layer's kernel (rnn_units, vocab_size)",
    "the Dense layer's bias (vocab_size,)",
)


def _shape_text(rows: int, cols: int) -> str:
    if rows < 0:
        return "missing"
    return f"({rows},)" if cols == 0 else f"({rows}, {cols})"


def _layer_names(code: np.ndarray) -> str:
    kinds = (*LAYER_KINDS, "another layer")
    return ", ".join(kinds[min(int(c), 5) - 1] for c in code if c > 0)


def _explain_build_model(key, got, want) -> str:
    if key == "layers":
        said = (
            f"model.layers are [{_layer_names(got)}]; expected exactly "
            f"[{_layer_names(want)}] (the lab's generate_tunes unpacks them: "
            "embedding, lstm, dense = model.layers)"
        )
        if 4 in got:
            said += ": build a keras.Sequential (a functional keras.Model lists its InputLayer)"
        return said
    if key == "logits_training":
        return (
            "the logits with training=True differ from those without: leave out dropout "
            "(the docstring's default arguments), train_step calls the model in training mode"
        )
    if key == "weight_count":
        return (
            f"the model has {int(got)} weight arrays; Embedding, LSTM and Dense have 6 "
            "(embedding table; LSTM kernel, recurrent kernel, bias; Dense kernel, bias): "
            "check the layers and their arguments"
        )
    if key != "weight_shapes":
        return ""
    g, w = got.reshape(6, 2), want.reshape(6, 2)
    i = int(np.argmax(np.any(g != w, axis=1)))
    return (
        f"weight {i + 1} of the model, {WEIGHT_NAMES[i]}, has shape "
        f"{_shape_text(*g[i])}; expected {_shape_text(*w[i])}"
    )


def _explain_train_step(key, got, want) -> str:
    if key == "losses":
        if not np.isclose(got[0], want[0], rtol=1e-3, atol=1e-4):
            return (
                f"the first step returned the loss {got[0]:.6g}; expected {want[0]:.6g}, the "
                "mean sparse categorical cross-entropy from logits before the update"
            )
        step = int(np.argmax(~np.isclose(got, want, rtol=1e-3, atol=1e-4)))
        return (
            f"step {step + 1} returned the loss {got[step]:.6g}; expected {want[step]:.6g}: "
            "the updates before it differ from one optimizer.apply_gradients per step, "
            "with the optimizer you are given, of the mean loss's gradients"
        )
    if key in WEIGHT_KEYS:
        name = WEIGHT_NAMES[WEIGHT_KEYS.index(key)]
        return (
            f"after three steps, {name} differs: apply the gradients of the mean loss once "
            "per step, with the optimizer you are given, on model.trainable_variables"
        )
    return ""


SPEC = LabSpec(
    lab_id="lab2",
    notebook="labs/lab2_music_generation.ipynb",
    solutions_module="lab2.py",
    preamble=PREAMBLE,
    exercises=(
        Exercise(
            "text_to_indices",
            1,
            "Text to index vector",
            _probe_text_to_indices,
            _vocab_inputs,
            time_limit=30,
            hint="the index of each character is its position in vocab; return np.int32",
        ),
        Exercise(
            "indices_to_text",
            1,
            "Index vector back to text",
            _probe_indices_to_text,
            _vocab_inputs,
            time_limit=30,
            hint="''.join(vocab[i] for i in indices)",
            explain=_explain_indices_to_text,
        ),
        Exercise(
            "get_batch",
            2,
            "Training batches shifted by one character",
            _probe_get_batch,
            _batch_inputs,
            time_limit=30,
            hint="rng = np.random.default_rng(seed); starts = rng.integers(0, len(indices) - "
            "seq_length, size=batch_size), or with given starts "
            "starts[rng.integers(0, len(starts), size=batch_size)]; y is x shifted by one; int32",
        ),
        Exercise(
            "MyRNNCell",
            3,
            "An RNN cell from scratch",
            _probe_rnn_cell,
            _rnn_inputs,
            rtol=1e-4,
            atol=1e-5,
            time_limit=60,
            hint="h = tanh(x @ W_xh + h @ W_hh), y = h @ W_hy, with tf.matmul (not *)",
        ),
        Exercise(
            "build_model",
            2,
            "Embedding → LSTM → dense logits",
            _probe_build_model,
            _model_inputs,
            rtol=1e-4,
            atol=1e-5,
            time_limit=60,
            hint="keras.Sequential of exactly Embedding(vocab_size, embedding_dim), "
            "LSTM(rnn_units, return_sequences=True) and Dense(vocab_size), no activation, "
            "no dropout; index 0 is a character (no mask_zero)",
            explain=_explain_build_model,
        ),
        Exercise(
            "compute_loss",
            2,
            "The next-character loss",
            _probe_loss,
            _loss_inputs,
            rtol=1e-4,
            atol=1e-5,
            time_limit=30,
            hint="mean sparse categorical cross-entropy with from_logits=True, in TensorFlow "
            "operations (it must run inside tf.function); return the tensor",
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
            hint="forward pass inside the tape; mean sparse categorical cross-entropy from "
            "logits; apply the gradients once with the optimizer you are given "
            "(optimizer.apply_gradients); return the loss before the update",
            explain=_explain_train_step,
        ),
        Exercise(
            "sample_next",
            2,
            "Sampling with a temperature",
            _probe_sample_next,
            _sample_inputs,
            time_limit=30,
            hint="p = softmax(logits / temperature) per row; the index is the number of "
            "entries of cumsum(p) that are <= noise",
        ),
    ),
)
