"""Benchmark for chapter/lab 4: training time and headline number of each experiment.

Run from the repository root, under the shared CPU lock:
    flock /tmp/mit6s191-cpu.lock .venv/bin/python benchmarks/lab4_generative.py [--seeds 0 1 2]

The models and training functions are the chapter's own (its code cells are executed
here), so the figures are those of book/04_deep_generative_modelling.md, repeated over
several seeds where a single run is noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np

REPO = Path(__file__).resolve().parents[1]
CHAPTER = REPO / "book" / "04_deep_generative_modelling.md"


def chapter_namespace() -> dict:
    """Run the chapter's setup and definition cells; return their namespace."""
    cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```", CHAPTER.read_text(), re.S)
    cells = [re.sub(r"^---\n.*?\n---\n", "", c, flags=re.S) for c in cells]
    keep = (
        "import os",
        "def make_encoder",
        "def kl_divergence",
        "def discriminator_loss",
        "def train_gan",
    )
    namespace: dict = {}
    for cell in cells:
        if cell.startswith(keep) or any(k in cell for k in keep[1:]):
            exec(cell.split("\nfor d_fake")[0], namespace)
    return namespace


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    ns = chapter_namespace()
    tf, keras = ns["tf"], ns["keras"]
    x_train, y_train, x_test, y_test = (ns[k] for k in ("x_train", "y_train", "x_test", "y_test"))
    train_ae, recon, mse = ns["train_autoencoder"], ns["reconstruct"], ns["pixel_mse"]
    results: dict = {}

    # 1. The bottleneck.
    start = time.perf_counter()
    errors = {}
    for k in [2, 4, 8, 16, 32]:
        errors[k] = mse(x_test, recon(*train_ae(x_train, k, num_epochs=4), x_test))
    results["bottleneck"] = {"seconds": time.perf_counter() - start, "test_mse": errors}
    print("bottleneck", results["bottleneck"], flush=True)

    # 2. Prior samples: VAE against plain autoencoder, judged by a classifier.
    ns["seed_everything"]()
    judge = keras.Sequential(
        [keras.Input((784,)), keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)]
    )
    judge.compile(
        optimizer="adam",
        metrics=["accuracy"],
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    judge.fit(x_train, y_train, epochs=10, batch_size=128, verbose=0)

    def share(images):
        return float(np.mean(tf.nn.softmax(judge(images)).numpy().max(1) >= 0.9))

    (ae, t_ae) = timed(train_ae, x_train, 8, num_epochs=16)
    (vae, t_vae) = timed(train_ae, x_train, 8, num_epochs=16, variational=True)
    ns["seed_everything"]()
    z = tf.random.normal((2000, 8))
    codes = ae[0](x_train).numpy()
    z_fit = codes.mean(0) + codes.std(0) * z
    results["prior_samples"] = {
        "recognisable_ae_fitted": share(tf.sigmoid(ae[1](z_fit)).numpy()),
        "seconds_ae": t_ae,
        "seconds_vae": t_vae,
        "judge_accuracy": float(judge.evaluate(x_test, y_test, verbose=0)[1]),
        "recognisable_ae": share(tf.sigmoid(ae[1](z)).numpy()),
        "recognisable_vae": share(tf.sigmoid(vae[1](z)).numpy()),
        "recognisable_real": share(x_test),
    }
    print("prior_samples", results["prior_samples"], flush=True)

    # 3. Reconstruction error against beta.
    start = time.perf_counter()
    by_beta = {
        b: mse(x_test, recon(*train_ae(x_train, 8, 16, True, beta=b), x_test, True))
        for b in [0.5, 1.0, 4.0, 16.0]
    }
    results["beta_sweep"] = {"seconds": time.perf_counter() - start, "test_mse": by_beta}
    print("beta_sweep", results["beta_sweep"], flush=True)

    # 4. Disentanglement on faces, beta = 1 against beta = 6, several seeds.
    faces, score = ns["faces"], ns["disentanglement_score"]
    x_faces = faces(8000, size=24, seed=1)[0].reshape(8000, -1)
    test_faces, test_factors = faces(2000, size=24, seed=2)
    scores: dict = {1.0: [], 6.0: []}
    seconds = []
    for beta in scores:
        for seed in args.seeds:
            (enc, _), t = timed(train_ae, x_faces, 4, 25, True, beta=beta, seed=seed)
            mu = ns["encode"](enc, test_faces.reshape(2000, -1), True)[0].numpy()
            scores[beta].append(score(mu, test_factors))
            seconds.append(t)
    results["disentanglement"] = {
        "seconds_per_model": float(np.mean(seconds)),
        "scores": scores,
        "mean": {b: float(np.mean(s)) for b, s in scores.items()},
    }
    print("disentanglement", results["disentanglement"], flush=True)

    # 5. The ring GAN, several seeds.
    ring = ns["ring_of_gaussians"](20_000, seed=0)
    ring_runs = []
    for seed in args.seeds:
        ns["seed_everything"](seed)
        g = ns["mlp"](8, [128, 128], 2)
        d = ns["mlp"](2, [128, 128], 1, activation=keras.layers.LeakyReLU(0.2))
        _, t = timed(ns["train_gan"], ring, g, d, 3000, 8, batch_size=256, seed=seed)
        covered, good = ns["mode_coverage"](g(tf.random.normal((2000, 8))).numpy())
        ring_runs.append({"seed": seed, "seconds": t, "modes": covered, "good": good})
    results["ring_gan"] = ring_runs
    print("ring_gan", ring_runs, flush=True)

    # 6. The digit GAN.
    ns["seed_everything"]()
    g = ns["mlp"](32, [256], 784, output_activation="sigmoid")
    d = ns["mlp"](784, [256], 1, activation=keras.layers.LeakyReLU(0.2))
    _, t = timed(ns["train_gan"], x_train, g, d, 2500, 32, batch_size=64, lr=5e-4)
    results["digit_gan"] = {
        "seconds": t,
        "recognisable": share(g(tf.random.normal((2000, 32))).numpy()),
    }
    print("digit_gan", results["digit_gan"], flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
