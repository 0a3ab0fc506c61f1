"""Benchmark for lab 2 and chapter 2: the folk-tune model on several initial-weight seeds
(training CPU time, valid tunes, their form, how new they are), and the long-range (adding
problem) experiment. Results are recorded in benchmarks/lab2.md.

Run on an otherwise idle machine:
    flock /tmp/mit6s191-cpu.lock python benchmarks/lab2_music.py [music|adding|all]
        [--seeds 6191,1,2] [--jobs 2] [--more-tunes 200] [--ornaments]

`music` trains the lab's model once per initial-weight seed (default: the lab's 6191 and
two others; --jobs of them side by side, each in its own process on one thread), and for
each: the training's CPU and wall seconds, the lab's 20 tunes and --more-tunes more (the
share of valid ones), the strains of the valid ones (`music.count_strains`: two or more is
the form of the tradition), how much of each valid tune is copied verbatim from the corpus
(`music.copied_share`), and how likely the model is to end a real tune after its first
strain and after its last. The same form and novelty measures are applied to the corpus
itself (held-out real tunes against the rest). It prints every seed side by side and a
pass/fail line per target.
The lab trains on the simplified tunes (`load_folk_tunes(simplify=True)`); --ornaments
trains the same model on the full transcriptions instead, for comparison.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
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
    steps=1000,
    seq_length=400,
    batch_size=16,
    units=256,
    embedding_dim=64,
    lr=5e-3,  # decayed along a cosine to lr * lr_final_fraction
    lr_final_fraction=0.1,
    temperature=0.5,
    n_tunes=20,
    windows="tune starts",  # where training windows start: "tune starts" or "anywhere"
)
SEEDS = (6191, 1, 2)  # the lab's initial weights and two others
TARGETS = dict(valid=0.95, two_strains=0.90, train_cpu_seconds=300)


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


def end_probabilities(model, vocab, tunes, n=150, seed=0) -> dict:
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


def tune_starts(tunes, seq_length) -> np.ndarray:
    """Where each tune starts in the lab's text ("\n\n".join(tunes) + "\n\n"), keeping
    only the starts with a whole window (and its shifted target) after them."""
    starts = np.cumsum([0] + [len(t) + 2 for t in tunes[:-1]])
    total = sum(len(t) + 2 for t in tunes)
    return starts[starts + seq_length + 1 <= total]


def train_lab_model(sol, tunes, settings, init_seed):
    """Train the lab's model as the lab's training cell does; returns (model, vocab, figures)."""
    text = "\n\n".join(tunes) + "\n\n"
    vocab = sorted(set(text))
    corpus = sol.text_to_indices(text, vocab)
    starts = tune_starts(tunes, settings["seq_length"])
    seed_everything(init_seed)
    model = sol.build_model(len(vocab), settings["embedding_dim"], settings["units"])
    schedule = keras.optimizers.schedules.CosineDecay(
        settings["lr"], settings["steps"], alpha=settings["lr_final_fraction"]
    )
    optimizer = keras.optimizers.Adam(schedule)
    step_fn = tf.function(sol.train_step)
    length, size = settings["seq_length"], settings["batch_size"]
    wall, cpu = time.perf_counter(), time.process_time()
    for step in range(settings["steps"]):
        if settings["windows"] == "tune starts":
            x, y = sol.get_batch(corpus, length, size, seed=step, starts=starts)
        else:
            x, y = sol.get_batch(corpus, length, size, seed=step)
        loss = step_fn(model, optimizer, tf.constant(x), tf.constant(y))
    figures = {
        "train_cpu_seconds": round(time.process_time() - cpu, 1),
        "train_wall_seconds": round(time.perf_counter() - wall, 1),
        "final_loss": round(float(loss), 3),
    }
    return model, vocab, figures


def novelty(tunes, reference) -> dict:
    """The copied share (music.copied_share) of each tune against ``reference``: summary."""
    shares = np.array([music.copied_share(t, reference) for t in tunes])
    return {
        "median": round(float(np.median(shares)), 3),
        "p90": round(float(np.percentile(shares, 90)), 3),
        "max": round(float(shares.max()), 3),
        "over_half": round(float(np.mean(shares > 0.5)), 3),
        "n": len(shares),
    }


def corpus_measures(simplify=True, n_real=200, seed=0) -> dict:
    """The form and novelty measures on the corpus itself: the share of tunes with two or
    more strains, and n_real held-out tunes, each against all the other tunes."""
    tunes = load_folk_tunes(simplify=simplify)
    chosen = np.random.default_rng(seed).choice(len(tunes), size=n_real, replace=False)
    shares = []
    for k in chosen:
        others = music.reference_text(tunes[:k] + tunes[k + 1 :])
        shares.append(music.copied_share(tunes[k], others))
    shares = np.array(shares)
    return {
        "tunes": len(tunes),
        "two_strains": round(float(np.mean([music.count_strains(t) >= 2 for t in tunes])), 3),
        "copied": {
            "median": round(float(np.median(shares)), 3),
            "p90": round(float(np.percentile(shares, 90)), 3),
            "max": round(float(shares.max()), 3),
            "over_half": round(float(np.mean(shares > 0.5)), 3),
            "n": len(shares),
        },
    }


def bench_music(settings=LAB, init_seed=6191, more_tunes=200, simplify=True) -> dict:
    """Train the lab's model with the reference solutions once; time it; check its tunes."""
    sol = _solutions()
    tunes = load_folk_tunes(simplify=simplify)
    model, vocab, figures = train_lab_model(sol, tunes, settings, init_seed)
    temperature = settings["temperature"]
    start = time.perf_counter()
    generated = generate_tunes(model, vocab, sol.sample_next, settings["n_tunes"], temperature)
    sample_s = time.perf_counter() - start
    checks = [music.check_tune(t) for t in generated]
    more = generate_tunes(model, vocab, sol.sample_next, more_tunes, temperature, seed=1)
    more_checks = [music.check_tune(t) for t in more]
    valid = [t for t, c in zip(more, more_checks) if c.valid]
    strains = [music.count_strains(t) for t in valid]
    untrained = sol.build_model(len(vocab), settings["embedding_dim"], settings["units"])
    untrained_tunes = generate_tunes(untrained, vocab, sol.sample_next, 20, 1.0, max_length=400)
    return {
        "settings": settings,
        "init_seed": init_seed,
        "simplified_tunes": simplify,
        **figures,
        "seconds_per_step": round(figures["train_wall_seconds"] / settings["steps"], 3),
        "sample_seconds": round(sample_s, 1),
        "valid": sum(c.valid for c in checks),
        "n_tunes": len(generated),
        "reasons_not_valid": [c.reason for c in checks if not c.valid],
        "more_tunes_valid": len(valid),
        "more_tunes": len(more),
        "more_tunes_too_short": sum(c.parses and c.n_bars < 8 for c in more_checks),
        "more_tunes_not_parsed": sum(not c.parses for c in more_checks),
        "median_bars": float(np.median([c.n_bars for c in more_checks])),
        "valid_two_strains": sum(k >= 2 for k in strains),
        "valid_strain_counts": {str(k): strains.count(k) for k in sorted(set(strains))},
        "copied": novelty(valid, music.reference_text(tunes)) if valid else None,
        "endings": end_probabilities(model, vocab, tunes, n=150),
        "untrained_valid": sum(music.check_tune(t).valid for t in untrained_tunes),
        "example": next((t for t, c in zip(generated, checks) if c.valid), generated[0]),
        "more_tunes_text": more,  # to look at the tunes again (not printed)
    }


def run_seeds(seeds, jobs, more_tunes, ornaments, keep=None) -> list[dict]:
    """bench_music once per seed, each in its own process, at most ``jobs`` at a time.

    With ``keep`` (a folder), each seed's figures are kept there as seed<N>.json, and a
    seed whose file is already there is not run again (to run seeds at different times).
    """
    results, running = {}, []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        pending = []
        for seed in seeds:
            if (folder / f"seed{seed}.json").exists():
                results[seed] = json.loads((folder / f"seed{seed}.json").read_text())
            else:
                pending.append(seed)
        while pending or running:
            while pending and len(running) < jobs:
                seed = pending.pop(0)
                out = folder / f"seed{seed}.json"
                command = [sys.executable, __file__, "music-seed", "--init-seed", str(seed)]
                command += ["--more-tunes", str(more_tunes), "--json-out", str(out)]
                command += ["--ornaments"] if ornaments else []
                running.append((seed, out, subprocess.Popen(command)))
            seed, out, process = running.pop(0)
            if process.wait() != 0:
                raise RuntimeError(f"the run with initial-weight seed {seed} failed")
            results[seed] = json.loads(out.read_text())
    return [results[seed] for seed in seeds]


def side_by_side(runs, corpus) -> list[str]:
    """The seeds side by side, the corpus beside them, and one pass/fail line per target."""
    rows = [
        ("training CPU s", lambda r: f"{r['train_cpu_seconds']:.1f}", "-"),
        ("training wall s", lambda r: f"{r['train_wall_seconds']:.1f}", "-"),
        ("final loss", lambda r: f"{r['final_loss']:.3f}", "-"),
        ("valid of the lab's 20", lambda r: f"{r['valid']}", "-"),
        ("valid of 200 more", lambda r: f"{r['more_tunes_valid'] / r['more_tunes']:.1%}", "100%"),
        (
            "two strains (of valid)",
            lambda r: f"{r['valid_two_strains'] / max(1, r['more_tunes_valid']):.1%}",
            f"{corpus['two_strains']:.1%}",
        ),
        (
            "copied share: median",
            lambda r: f"{r['copied']['median']:.3f}",
            f"{corpus['copied']['median']:.3f}",
        ),
        (
            "copied share: 90th pct",
            lambda r: f"{r['copied']['p90']:.3f}",
            f"{corpus['copied']['p90']:.3f}",
        ),
        (
            "copied > half the tune",
            lambda r: f"{r['copied']['over_half']:.1%}",
            f"{corpus['copied']['over_half']:.1%}",
        ),
        (
            "p(end) after 1st strain (corpus: share)",
            lambda r: f"{r['endings']['p_end_after_first_strain_not_last']:.3f}",
            f"{runs[0]['endings']['corpus_share_of_tunes_with_one_strain_line']:.3f}",
        ),
    ]
    header = ["", *[f"seed {r['init_seed']}" for r in runs], "corpus"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for name, cell, corpus_cell in rows:
        lines.append("| " + " | ".join([name, *[cell(r) for r in runs], corpus_cell]) + " |")
    checks = {
        f"valid >= {TARGETS['valid']:.0%} of {runs[0]['more_tunes']} on every seed": all(
            r["more_tunes_valid"] >= TARGETS["valid"] * r["more_tunes"] for r in runs
        ),
        f"two strains >= {TARGETS['two_strains']:.0%} of the valid tunes on every seed": all(
            r["valid_two_strains"] >= TARGETS["two_strains"] * r["more_tunes_valid"] for r in runs
        ),
        f"training <= {TARGETS['train_cpu_seconds']} CPU s on every seed": all(
            r["train_cpu_seconds"] <= TARGETS["train_cpu_seconds"] for r in runs
        ),
        "new: median copied share <= the real tunes' 90th percentile, and no more tunes "
        "copied over half than real tunes": all(
            r["copied"]["median"] <= corpus["copied"]["p90"]
            and r["copied"]["over_half"] <= corpus["copied"]["over_half"]
            for r in runs
        ),
    }
    lines.append("")
    lines += [f"target {'met' if ok else 'NOT met'}: {name}" for name, ok in checks.items()]
    return lines


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
    parser.add_argument(
        "what", nargs="?", default="all", choices=["music", "adding", "all", "music-seed"]
    )
    parser.add_argument("--seeds", default=",".join(map(str, SEEDS)), help="initial weights")
    parser.add_argument("--jobs", type=int, default=2, help="seeds trained side by side")
    parser.add_argument("--init-seed", type=int, default=6191, help="music-seed: its seed")
    parser.add_argument("--json-out", help="music-seed: write its figures here")
    parser.add_argument("--more-tunes", type=int, default=200, help="extra tunes to check")
    parser.add_argument("--ornaments", action="store_true", help="train on the full tunes")
    parser.add_argument("--keep", help="music: keep (and reuse) each seed's figures here")
    args = parser.parse_args(argv)
    what = args.what
    # As in the lab: one thread per op. The LSTM's small per-step matrix products run twice
    # as fast on one thread as split over two (0.18 s vs 0.32 s per step, LSTM(256)).
    limit_cpu_threads(1)
    if what == "music-seed":  # one seed, in a process of its own (run_seeds)
        result = bench_music(
            init_seed=args.init_seed, more_tunes=args.more_tunes, simplify=not args.ornaments
        )
        Path(args.json_out).write_text(json.dumps(result))
        return 0
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "cpu_count": os.cpu_count(),
        "machine": platform.processor() or platform.machine(),
        "tensorflow": tf.__version__,
    }
    lines = []
    if what in ("music", "all"):
        seeds = [int(s) for s in args.seeds.split(",")]
        runs = run_seeds(seeds, args.jobs, args.more_tunes, args.ornaments, args.keep)
        corpus = corpus_measures(simplify=not args.ornaments)
        report["music"] = {"runs": runs, "corpus": corpus}
        lines = side_by_side(runs, corpus)
    if what in ("adding", "all"):
        report["adding"] = bench_adding()
    report["load_average_after"] = [round(x, 1) for x in os.getloadavg()]
    for run in report.get("music", {}).get("runs", []):
        run.pop("more_tunes_text", None)  # kept in the --keep files only
    print(json.dumps(report, indent=1))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
