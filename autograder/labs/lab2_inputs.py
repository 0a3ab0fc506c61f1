"""Lab 2's hidden inputs: one maker per exercise, each returning the fixed decisive cases
first (edge cases that separate the right answer from plausible wrong ones), then a freshly
drawn one. Trusted, like the spec that uses them (autograder/labs/lab2.py): never shipped,
never mounted in the sandbox; the release's leak search looks for their bodies.
"""

from __future__ import annotations

import numpy as np

# Characters of ABC notation the inputs are drawn from (a vocabulary must be sorted).
ALPHABET = np.array(sorted(set(" \n|:/()[]-ABCDEFGabcdefgxz0123456789^_=,'<>~.TKLMX")))


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
