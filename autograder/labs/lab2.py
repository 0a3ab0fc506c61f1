"""Grading spec for lab 2 (music generation with RNNs): inputs, points, tolerances.

Trusted (see autograder/labs/__init__.py); its probes: autograder/inside/probes/lab2.py.
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
from autograder.spec import Exercise, LabSpec

# Characters of ABC notation the inputs are drawn from (a vocabulary must be sorted).
ALPHABET = np.array(sorted(set(" \n|:/()[]-ABCDEFGabcdefgxz0123456789^_=,'<>~.TKLMX")))


# Each input maker returns the fixed decisive cases first (edge cases that separate the right
# answer from plausible wrong ones), then a fresh random case.

# A vocabulary the decisive text does not use all of: its first two characters (newline,
# space) and two in the middle never occur, so a vocabulary rebuilt from the text differs.
DECISIVE_VOCAB = sorted(set("\n |:/2ABCDEFGabcdefgz"))
DECISIVE_TEXT_CHARS = [ch for ch in DECISIVE_VOCAB if ch not in "\n Ca"]


def _vocab_case(vocab, text):
    return {
        "vocab": np.array([ord(ch) for ch in vocab], np.int64),
        "text": np.array([ord(ch) for ch in text], np.int64),
    }


def _vocab_inputs(rng):
    size = int(rng.integers(8, len(ALPHABET)))
    vocab = np.sort(rng.choice(ALPHABET, size=size, replace=False))
    text = rng.choice(vocab, size=int(rng.integers(20, 80)))
    decisive = rng.choice(DECISIVE_TEXT_CHARS, size=40)
    return [_vocab_case(DECISIVE_VOCAB, decisive), _vocab_case(vocab, text)]


def _batch_inputs(rng):
    n = int(rng.integers(60, 200))
    return [
        # Distinct values: every window, and every shift of one, is recognisable. Many
        # windows: a range off by one (integers(0, n - L + 1) or (0, n - L - 1)) draws
        # the same start for a window about half the time, so a few windows can all agree.
        {
            "indices": rng.permutation(50).astype(np.int32),
            "seq_length": np.int64(7),
            "batch_size": np.int64(32),
            "seed": np.int64(rng.integers(0, 2**31)),
        },
        {
            "indices": rng.integers(0, 40, size=n).astype(np.int32),
            "seq_length": np.int64(rng.integers(5, 20)),
            "batch_size": np.int64(rng.integers(2, 9)),
            "seed": np.int64(rng.integers(0, 2**31)),
        },
        # Windows only from given starts (where tunes begin), distinct values again; many
        # more windows than starts, so some start repeats and every start is drawn (a draw
        # from starts[:-1], integers(0, len(starts) - 1), shows).
        {
            "indices": rng.permutation(60).astype(np.int32),
            "seq_length": np.int64(6),
            "batch_size": np.int64(40),
            "seed": np.int64(rng.integers(0, 2**31)),
            "starts": np.sort(rng.choice(53, size=5, replace=False)).astype(np.int64),
        },
    ]


def _rnn_case(rng, d_in, units, d_out, batch, steps):
    return {
        "dims": np.array([d_in, units, d_out], np.int64),
        "W_xh": rng.normal(0, 0.6, size=(d_in, units)).astype(np.float32),
        "W_hh": rng.normal(0, 0.6, size=(units, units)).astype(np.float32),
        "W_hy": rng.normal(0, 0.6, size=(units, d_out)).astype(np.float32),
        "x": rng.normal(size=(steps, batch, d_in)).astype(np.float32),
        "h0": rng.normal(0, 0.5, size=(batch, units)).astype(np.float32),
    }


def _rnn_inputs(rng):
    d_in, units, d_out = (int(v) for v in rng.integers(2, 7, size=3))
    batch, steps = int(rng.integers(1, 5)), int(rng.integers(3, 8))
    # Decisive: all sizes different (h * W_hh cannot broadcast by chance), several steps.
    return [_rnn_case(rng, 3, 5, 2, 4, 5), _rnn_case(rng, d_in, units, d_out, batch, steps)]


def _model_weights(rng, vocab_size, embedding_dim, units):
    return {
        "w_embedding": rng.normal(0, 0.5, size=(vocab_size, embedding_dim)),
        "w_kernel": rng.normal(0, 0.3, size=(embedding_dim, 4 * units)),
        "w_recurrent": rng.normal(0, 0.3, size=(units, 4 * units)),
        "w_bias": rng.normal(0, 0.1, size=(4 * units,)),
        "w_dense": rng.normal(0, 0.3, size=(units, vocab_size)),
        "w_dense_bias": rng.normal(0, 0.1, size=(vocab_size,)),
    }


def _model_case(rng, vocab_size, embedding_dim, units, batch, steps, zeros=False):
    x = rng.integers(1 if zeros else 0, vocab_size, size=(batch, steps))
    if zeros:  # index 0 is a character, not padding: at the start, in the middle, at the end
        x[0, :2], x[1 % batch, steps // 2], x[-1, -1] = 0, 0, 0
    out = {
        "dims": np.array([vocab_size, embedding_dim, units], np.int64),
        "x": x.astype(np.int32),
        "y": rng.integers(0, vocab_size, size=(batch, steps)).astype(np.int32),
        "lr": np.float32(rng.uniform(0.05, 0.3)),
    }
    weights = _model_weights(rng, vocab_size, embedding_dim, units)
    out.update({k: v.astype(np.float32) for k, v in weights.items()})
    return out


def _model_inputs(rng):
    vocab_size, embedding_dim, units = (int(v) for v in rng.integers(4, 12, size=3))
    batch, steps = int(rng.integers(1, 4)), int(rng.integers(3, 10))
    return [
        _model_case(rng, 9, 6, 5, 3, 6, zeros=True),
        _model_case(rng, vocab_size, embedding_dim, units, batch, steps),
    ]


def _train_inputs(rng):
    # One small random case: three steps compare the losses and every weight after them,
    # which separates the plausible mistakes already; a tiny LSTM keeps it fast.
    vocab_size, embedding_dim, units = (int(v) for v in rng.integers(4, 9, size=3))
    batch, steps = int(rng.integers(1, 4)), int(rng.integers(3, 7))
    return [_model_case(rng, vocab_size, embedding_dim, units, batch, steps)]


def _loss_inputs(rng):
    batch, steps, vocab_size = (int(v) for v in rng.integers(2, 12, size=3))
    cases = [(3, 5, 7), (batch, steps, vocab_size)]  # decisive: batch, time, vocab all differ
    return [
        {
            "labels": rng.integers(0, v, size=(b, t)).astype(np.int32),
            "logits": rng.normal(0, 2.0, size=(b, t, v)).astype(np.float32),
        }
        for b, t, v in cases
    ]


def _away_from_boundaries(rng, logits, temperature, noise, margin=1e-5):
    """``noise`` with every value within ``margin`` of an entry of cumsum(p) drawn again:
    there float32 and float64 softmaxes may round to different indices, both right."""
    z = logits.astype(np.float64) / float(np.float32(temperature))
    p = np.exp(z - z.max(axis=1, keepdims=True))
    cumulative = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
    noise = noise.copy()
    for i in range(len(noise)):
        # 0 stays: every entry of cumsum(p) is above it, in any precision
        while noise[i] and np.min(np.abs(cumulative[i] - noise[i])) < margin:
            noise[i] = np.float32(rng.uniform())
    return noise


def _sample_case(rng, logits, temperatures, noise):
    logits, temperatures = logits.astype(np.float32), temperatures.astype(np.float32)
    noise = noise.astype(np.float32)
    return {
        "logits": logits,
        "temperatures": temperatures,
        "noise": np.stack(
            [_away_from_boundaries(rng, logits, t, n) for t, n in zip(temperatures, noise)]
        ),
    }


def _sample_inputs(rng):
    batch, vocab_size = int(rng.integers(5, 30)), int(rng.integers(3, 40))
    # Decisive: widely spread logits, temperatures 1, < 1 and > 1, noise 0 and near 1.
    noise = rng.uniform(size=(3, 12))
    noise[:, 0], noise[:, 1] = 0.0, 0.999
    return [
        _sample_case(rng, rng.normal(0, 3.0, size=(12, 9)), np.array([1.0, 0.5, 2.5]), noise),
        _sample_case(
            rng,
            rng.normal(0, 2.0, size=(batch, vocab_size)),
            np.array([1.0, rng.uniform(0.3, 0.9), rng.uniform(1.2, 3.0)]),
            rng.uniform(size=(3, batch)),
        ),
    ]


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
