"""Benchmark for lab 2 and chapter 2: folk-tune model training time and valid tunes, and the
long-range (adding problem) experiment. Results are recorded in benchmarks/lab2.md.

Run on an otherwise idle machine:
    flock /tmp/mit6s191-cpu.lock python benchmarks/lab2_music.py [music|adding|all]
        [--init-seed N] [--more-tunes N] [--ornaments]

`music` trains the lab's model once (initial weights from --init-seed, default the lab's
6191), samples the lab's 20 tunes and --more-tunes more (default 200) for a tighter
estimate of the valid share, and measures how likely the model is to end a real tune
after its first strain and after its last (the usual reason a generated tune is too short).
The lab trains on the simplified tunes (`load_folk_tunes(simplify=True)`); --ornaments
trains the same model on the full transcriptions instead, for comparison.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402

from mit6s191_utils import limit_cpu_threads, music, seed_everything  # noqa: E402
from mit6s191_utils.datasets import HEADER_FIELDS, load_folk_tunes  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
# The lab's settings (labs/lab2_music_generation.ipynb, Part 4 and Part 7).
LAB = dict(
    steps=1300,
    seq_length=300,
    batch_size=16,
    units=256,
    embedding_dim=64,
    lr=5e-3,  # decayed along a cosine to lr * lr_final_fraction
    lr_final_fraction=0.1,
    temperature=0.5,
    n_tunes=20,
)


def _solutions():
    spec = importlib.util.spec_from_file_location("lab2_solutions", REPO / "solutions/lab2.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generate_tunes(model, vocab, sample_next, n_tunes, temperature, max_length=1000, seed=0):
    """The lab's generator: step the LSTM cell, sample with sample_next, stop at a blank line."""
    embedding, lstm, dense = model.layers
    char2idx = {char: i for i, char in enumerate(vocab)}
    rng = np.random.default_rng(seed)

    @tf.function
    def step(ids, h, c):
        out, (h, c) = lstm.cell(embedding(ids), [h, c])
        return dense(out), h, c

    h = c = tf.zeros((n_tunes, lstm.units))
    start = "X:1\n"
    for char in start:
        logits, h, c = step(tf.fill((n_tunes,), char2idx[char]), h, c)
    texts = [start] * n_tunes
    done = np.zeros(n_tunes, dtype=bool)
    for _ in range(max_length):
        ids = np.asarray(sample_next(logits.numpy(), temperature, rng.uniform(size=n_tunes)))
        texts = [t if d else t + vocab[i] for t, d, i in zip(texts, done, ids)]
        done |= np.array([t.endswith("\n\n") for t in texts])
        if done.all():
            break
        logits, h, c = step(tf.constant(ids, tf.int32), h, c)
    return [t.strip() for t in texts]


STRAIN_END = (":|", "||", "|]")


def _body_lines(tune):
    return [line for line in tune.splitlines() if not line.startswith(HEADER_FIELDS)]


def end_probabilities(model, vocab, tunes, n=300, seed=0) -> dict:
    """How likely the model is to end a real tune (write the blank line) right after a body
    line that closes a strain (ends with :|, || or |]), split by whether more music follows.

    A model that tracks where it is in a tune gives a low probability after the first strain
    of a two-strain tune and a high one after the last; the corpus' own frequencies are
    given for comparison (the share of tunes that end after their first strain line).
    """
    char2idx = {char: i for i, char in enumerate(vocab)}
    newline = char2idx["\n"]
    first, last = [], []
    chosen = np.random.default_rng(seed).choice(len(tunes), size=min(n, len(tunes)), replace=False)
    for k in chosen:
        text = tunes[k] + "\n\n"
        probs = tf.nn.softmax(model(np.array([[char2idx[c] for c in text]]))[0]).numpy()
        lines, position, strains = text.split("\n")[:-2], 0, 0
        for j, line in enumerate(lines):
            position += len(line)  # the index of the newline that ends this line
            if not line.startswith(HEADER_FIELDS) and line.endswith(STRAIN_END):
                strains += 1
                p_end = float(probs[position, newline])
                if j == len(lines) - 1:
                    last.append(p_end)
                elif strains == 1:
                    first.append(p_end)
            position += 1
    ends_after_first = [
        sum(line.endswith(STRAIN_END) for line in _body_lines(t)) == 1 for t in tunes
    ]
    return {
        "p_end_after_first_strain_not_last": round(float(np.mean(first)), 3),
        "p_end_after_last_line": round(float(np.mean(last)), 3),
        "lines_measured": [len(first), len(last)],
        "corpus_share_of_tunes_with_one_strain_line": round(float(np.mean(ends_after_first)), 3),
    }


def bench_music(settings=LAB, init_seed=6191, more_tunes=200, simplify=True) -> dict:
    """Train the lab's model with the reference solutions; time it; check sampled tunes."""
    sol = _solutions()
    tunes = load_folk_tunes(simplify=simplify)
    text = "\n\n".join(tunes) + "\n\n"
    vocab = sorted(set(text))
    corpus = sol.text_to_indices(text, vocab)
    seed_everything(init_seed)
    model = sol.build_model(len(vocab), settings["embedding_dim"], settings["units"])
    schedule = keras.optimizers.schedules.CosineDecay(
        settings["lr"], settings["steps"], alpha=settings["lr_final_fraction"]
    )
    optimizer = keras.optimizers.Adam(schedule)
    step_fn = tf.function(sol.train_step)
    start = time.perf_counter()
    for step in range(settings["steps"]):
        x, y = sol.get_batch(corpus, settings["seq_length"], settings["batch_size"], seed=step)
        loss = step_fn(model, optimizer, tf.constant(x), tf.constant(y))
    loss = float(loss)
    train_s = time.perf_counter() - start
    start = time.perf_counter()
    generated = generate_tunes(
        model, vocab, sol.sample_next, settings["n_tunes"], settings["temperature"]
    )
    sample_s = time.perf_counter() - start
    checks = [music.check_tune(t) for t in generated]
    temperature = settings["temperature"]
    more = generate_tunes(model, vocab, sol.sample_next, more_tunes, temperature, seed=1)
    more_checks = [music.check_tune(t) for t in more]
    untrained = sol.build_model(len(vocab), settings["embedding_dim"], settings["units"])
    untrained_tunes = generate_tunes(untrained, vocab, sol.sample_next, 20, 1.0, max_length=400)
    return {
        "settings": settings,
        "init_seed": init_seed,
        "simplified_tunes": simplify,
        "train_seconds": round(train_s, 1),
        "seconds_per_step": round(train_s / settings["steps"], 3),
        "final_loss": round(loss, 3),
        "sample_seconds": round(sample_s, 1),
        "valid": sum(c.valid for c in checks),
        "n_tunes": len(generated),
        "reasons_not_valid": [c.reason for c in checks if not c.valid],
        "more_tunes_valid": sum(c.valid for c in more_checks),
        "more_tunes": len(more),
        "more_tunes_too_short": sum(c.parses and c.n_bars < 8 for c in more_checks),
        "more_tunes_not_parsed": sum(not c.parses for c in more_checks),
        "median_bars": float(np.median([c.n_bars for c in more_checks])),
        "endings": end_probabilities(model, vocab, tunes),
        "untrained_valid": sum(music.check_tune(t).valid for t in untrained_tunes),
        "example": next((t for t, c in zip(generated, checks) if c.valid), generated[0]),
    }


def adding_problem(n, length, rng):
    """Chapter 2's adding problem: n sequences (n, length, 2) and targets (n, 1)."""
    values = rng.uniform(0, 1, size=(n, length))
    markers = np.zeros((n, length))
    markers[np.arange(n), rng.integers(0, length // 2, size=n)] = 1.0
    markers[np.arange(n), rng.integers(length // 2, length, size=n)] = 1.0
    x = np.stack([values, markers], axis=-1).astype("float32")
    return x, (values * markers).sum(axis=1, keepdims=True).astype("float32")


def bench_adding(length=50, num_steps=1000, batch_size=64) -> dict:
    """Chapter 2's long-range experiment: LSTM(32) against SimpleRNN(64), same training."""
    out = {}
    for name, layer in (
        ("LSTM(32)", keras.layers.LSTM(32)),
        ("SimpleRNN(64)", keras.layers.SimpleRNN(64)),
    ):
        seed_everything()
        rng = np.random.default_rng(0)
        x_test, y_test = adding_problem(1000, length, rng)
        model = keras.Sequential([keras.Input((length, 2)), layer, keras.layers.Dense(1)])
        optimizer = keras.optimizers.Adam(learning_rate=0.01, clipnorm=1.0)

        @tf.function
        def train_step(x, y, model=model, optimizer=optimizer):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(model(x, training=True) - y))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))

        start = time.perf_counter()
        for _ in range(num_steps):
            train_step(*adding_problem(batch_size, length, rng))
        seconds = time.perf_counter() - start
        mse = float(tf.reduce_mean(tf.square(model(x_test) - y_test)))
        out[name] = {
            "weights": model.count_params(),
            "test_mse": round(mse, 4),
            "seconds": round(seconds, 1),
        }
    out["baseline_mse"] = round(1 / 6, 4)
    return out


def main(argv) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="?", default="all", choices=["music", "adding", "all"])
    parser.add_argument("--init-seed", type=int, default=6191, help="seed of the initial weights")
    parser.add_argument("--more-tunes", type=int, default=200, help="extra tunes to check")
    parser.add_argument("--ornaments", action="store_true", help="train on the full tunes")
    args = parser.parse_args(argv)
    what = args.what
    # As in the lab: one thread per op. The LSTM's small per-step matrix products run twice
    # as fast on one thread as split over two (0.18 s vs 0.32 s per step, LSTM(256)).
    limit_cpu_threads(1)
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpu_count": os.cpu_count(),
        "machine": platform.processor() or platform.machine(),
        "tensorflow": tf.__version__,
    }
    if what in ("music", "all"):
        report["music"] = bench_music(
            init_seed=args.init_seed, more_tunes=args.more_tunes, simplify=not args.ornaments
        )
    if what in ("adding", "all"):
        report["adding"] = bench_adding()
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
