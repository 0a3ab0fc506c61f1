"""The tuning runs behind lab 2's settings (recorded in benchmarks/lab2.md, "Tuning runs").

Trains the lab's model (reference solutions) with the settings given, then samples 100 tunes
twice (sampling seeds 0 and 1) at each temperature and counts the valid ones. It runs
each operation on one thread (--threads), so two runs can go side by side, one per core:

    taskset -c 0 python benchmarks/lab2_tuning.py --units 256 --steps 1300 --simple \\
        --seed 1 --temps 0.5

Options beyond the lab's: --starts cuts every window at the start of a tune (instead of
anywhere), --two keeps only the tunes with exactly two strain-ending lines.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import lab2_music as bench  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402

from mit6s191_utils import limit_cpu_threads, music, seed_everything  # noqa: E402
from mit6s191_utils.datasets import load_folk_tunes  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=1800)
    p.add_argument("--seq", type=int, default=300, help="window length")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--units", type=int, default=192)
    p.add_argument("--lr", type=float, default=5e-3)
    p.add_argument("--seed", type=int, default=6191, help="seed of the initial weights")
    p.add_argument("--n", type=int, default=100, help="tunes per sampling seed")
    p.add_argument("--temps", default="0.3,0.4,0.5,0.6")
    p.add_argument("--simple", action="store_true", help="load_folk_tunes(simplify=True)")
    p.add_argument("--starts", action="store_true", help="windows start where tunes start")
    p.add_argument("--two", action="store_true", help="only tunes with two strain-end lines")
    p.add_argument("--threads", type=int, default=1, help="threads per op; 0: TF's default")
    p.add_argument("--step-time", action="store_true", help="only time 25 training steps")
    a = p.parse_args(argv)
    if a.threads:
        limit_cpu_threads(a.threads)
    sol = bench._solutions()
    tunes = load_folk_tunes(simplify=a.simple)
    if a.two:
        tunes = [
            t for t in tunes if sum(x.endswith(bench.STRAIN_END) for x in bench._body_lines(t)) == 2
        ]
    text = "\n\n".join(tunes) + "\n\n"
    vocab = sorted(set(text))
    corpus = sol.text_to_indices(text, vocab)
    starts = np.array([0] + [i + 2 for i in range(len(text) - 2) if text[i : i + 2] == "\n\n"])
    starts = starts[starts < len(corpus) - a.seq - 1]

    def batch(step):
        if not a.starts:
            return sol.get_batch(corpus, a.seq, a.batch, seed=step)
        chosen = starts[np.random.default_rng(step).integers(0, len(starts), size=a.batch)]
        x = np.stack([corpus[i : i + a.seq] for i in chosen]).astype(np.int32)
        y = np.stack([corpus[i + 1 : i + a.seq + 1] for i in chosen]).astype(np.int32)
        return x, y

    seed_everything(a.seed)
    model = sol.build_model(len(vocab), 64, a.units)
    optimizer = keras.optimizers.Adam(
        keras.optimizers.schedules.CosineDecay(a.lr, a.steps, alpha=0.1)
    )
    train_step = tf.function(sol.train_step)
    if a.step_time:
        x, y = (tf.constant(v) for v in batch(0))
        for _ in range(3):
            train_step(model, optimizer, x, y)
        start = time.perf_counter()
        for _ in range(25):
            train_step(model, optimizer, x, y)
        seconds = (time.perf_counter() - start) / 25
        print(json.dumps({"args": vars(a), "seconds_per_step": round(seconds, 3)}))
        return 0
    start = time.perf_counter()
    for step in range(a.steps):
        x, y = batch(step)
        loss = train_step(model, optimizer, tf.constant(x), tf.constant(y))
    report = {
        "args": vars(a),
        "train_s": round(time.perf_counter() - start, 1),
        "loss": round(float(loss), 3),
    }
    for temperature in (float(t) for t in a.temps.split(",")):
        valid, bars = [], []
        for sampling_seed in (0, 1):
            tunes_out = bench.generate_tunes(
                model, vocab, sol.sample_next, a.n, temperature, seed=sampling_seed
            )
            checks = [music.check_tune(t) for t in tunes_out]
            valid.append(sum(c.valid for c in checks))
            bars += [c.n_bars for c in checks]
        report[f"T={temperature}"] = {
            "valid": valid,
            "of": a.n,
            "median_bars": float(np.median(bars)),
        }
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
