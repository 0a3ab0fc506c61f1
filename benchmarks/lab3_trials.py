"""Lab 3 validation trials (issue 18): variants of the lab's CNN scored on held-out
training digits, never on the test set.

    .venv/bin/python benchmarks/lab3_trials.py --name c16 --c1 16 --epochs 17

Fold 0 trains on the first 6,000 of the 8,000 training digits and scores the last 2,000;
fold 1 trains on the last 6,000 and scores the first 2,000. Every trial uses the lab's
pool-first CNN (``--c1``/``--c2`` filters), the lab's training loop and one-cycle
schedule (``lab3_mnist.train_lab_model``'s, with a few options added here: label
smoothing, EMA of the weights, AdamW, batch-norm momentum, a hidden dense layer) and
prints one line per seed: validation accuracy and CPU seconds of the fit (this process,
``time.process_time``). Results are in benchmarks/lab3.md ("Validation trials").
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lab3_mnist as bench  # noqa: E402

from mit6s191_utils import seed_everything  # noqa: E402
from mit6s191_utils.datasets import load_mnist  # noqa: E402
from mit6s191_utils.vision import random_affine  # noqa: E402

L = keras.layers


def build(c1=32, c2=64, hidden=0, dropout=0.3, momentum=0.99):
    """The lab's pool-first CNN with c1 then c2 filters (and an optional hidden layer)."""

    def block(filters):
        return [
            L.Conv2D(filters, 3, use_bias=False),
            L.MaxPool2D(2),
            L.BatchNormalization(momentum=momentum),
            L.ReLU(),
        ]

    head = [L.Flatten()]
    if hidden:
        head += [L.Dropout(dropout), L.Dense(hidden, use_bias=False)]
        head += [L.BatchNormalization(momentum=momentum), L.ReLU()]
    return keras.Sequential(
        [keras.Input((28, 28, 1))]
        + block(c1)
        + block(c2)
        + head
        + [L.Dropout(dropout), L.Dense(10)]
    )


def make_step(lab, smoothing):
    """The lab's train_step, or the same step with label smoothing (one-hot targets)."""
    if not smoothing:
        return tf.function(lab.train_step)

    @tf.function
    def step(model, optimizer, x, y):
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            target = tf.one_hot(y, 10) * (1 - smoothing) + smoothing / 10
            loss = tf.reduce_mean(
                tf.nn.softmax_cross_entropy_with_logits(labels=target, logits=logits)
            )
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    return step


def train(lab, model, x, y, args, seed):
    """The lab's loop; returns (CPU seconds, optimizer)."""
    rng = np.random.default_rng(seed)
    kw = {"learning_rate": args.lr}
    if args.ema:
        kw.update(use_ema=True, ema_momentum=args.ema)
    if args.weight_decay:
        optimizer = keras.optimizers.AdamW(weight_decay=args.weight_decay, **kw)
    else:
        optimizer = keras.optimizers.Adam(**kw)
    step_fn = make_step(lab, args.smoothing)
    total, step = args.epochs * -(-len(x) // args.batch), 0
    cpu = time.process_time()
    for _ in range(args.epochs):
        order = rng.permutation(len(x))
        xs = x[order]
        if args.augment == "affine":
            xs = random_affine(xs, rng, args.degrees, args.zoom, 2)
        elif args.augment == "affine+int":  # rotation/zoom, then the lab's integer shifts
            xs = random_affine(xs, rng, args.degrees, args.zoom, 0)
            dx, dy = rng.integers(-2, 3, size=(2, len(x)))
            xs = lab.shift_images(xs, dx, dy)
        else:
            dx, dy = rng.integers(-2, 3, size=(2, len(x)))
            xs = lab.shift_images(xs, dx, dy)
        ys = y[order]
        for i in range(0, len(x), args.batch):
            optimizer.learning_rate.assign(bench.one_cycle(step, total, args.lr, args.warmup))
            step_fn(
                model,
                optimizer,
                tf.constant(xs[i : i + args.batch]),
                tf.constant(ys[i : i + args.batch]),
            )
            step += 1
    return time.process_time() - cpu, optimizer


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--name", required=True)
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    p.add_argument("--fold", type=int, choices=[0, 1], default=0)
    p.add_argument("--c1", type=int, default=32)
    p.add_argument("--c2", type=int, default=64)
    p.add_argument("--hidden", type=int, default=0)
    p.add_argument("--dropout", type=float, default=0.3)
    p.add_argument("--momentum", type=float, default=0.99, help="batch norm's")
    p.add_argument("--epochs", type=int, default=bench.LAB_EPOCHS)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-2)
    p.add_argument("--warmup", type=float, default=0.2)
    p.add_argument("--augment", choices=["affine", "affine+int", "shifts"], default="affine")
    p.add_argument("--degrees", type=float, default=bench.LAB_AFFINE[0])
    p.add_argument("--zoom", type=float, default=bench.LAB_AFFINE[1])
    p.add_argument("--smoothing", type=float, default=0.0)
    p.add_argument("--ema", type=float, default=0.0, help="EMA momentum of the weights")
    p.add_argument("--weight-decay", type=float, default=0.0, help="AdamW's")
    args = p.parse_args(argv)

    (x, y), _ = load_mnist()
    x = (x.astype("float32") / 255)[..., None]
    y = y.astype("int64")
    train_part, val_part = (
        (slice(0, 6000), slice(6000, 8000))
        if args.fold == 0
        else (slice(2000, 8000), slice(0, 2000))
    )
    lab = bench.load_lab()
    for seed in args.seeds:
        seed_everything(seed)
        model = build(args.c1, args.c2, args.hidden, args.dropout, args.momentum)
        cpu, optimizer = train(lab, model, x[train_part], y[train_part], args, seed)
        acc = bench.evaluate(model, x[val_part], y[val_part])
        extra = ""
        if args.ema:
            optimizer.finalize_variable_values(model.trainable_variables)
            extra = f", with EMA weights {bench.evaluate(model, x[val_part], y[val_part]):.2%}"
        print(
            f"{args.name} fold {args.fold} seed {seed}: validation {acc:.2%}{extra},"
            f" fit {cpu:.1f} s CPU, {model.count_params():,} parameters,"
            f" load {os.getloadavg()[0]:.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
