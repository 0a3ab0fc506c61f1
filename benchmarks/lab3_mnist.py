"""Lab 3 benchmark: the lab's CNN against the keras-io "Simple MNIST convnet" recipe.

Run from the repository root (timings only under the shared CPU lock):

    flock /tmp/mit6s191-cpu.lock .venv/bin/python benchmarks/lab3_mnist.py --only a

Data: the MNIST sample shipped with mit6s191_utils and its fixed split (first 8,000 digits
train, last 2,000 test). Reported: test accuracy and fit time (training only, no
evaluation; wall seconds and CPU seconds of this process) of

* the keras-io recipe exactly as published (two conv/pool blocks of 32 and 64 filters,
  kernel 3, dropout 0.5, batch 128, 15 epochs, Adam, 10 % validation split, inputs in
  [0, 1]) — the reference;
* target a: the lab's CNN trained as in the lab, on each seed of ``--seeds``, side by side
  with the recipe re-measured in the same run (see "How target a is timed" below);
* the lab's dense baseline (Flatten, Dense(128), Dense(10); 10 epochs of Adam);
* target b (at most 5 minutes of fit time): a larger variant of the lab's approach, the
  lab's CNN with a third conv/batch-norm/ReLU layer of 128 filters (``build_cnn_b``),
  trained with the lab's loop and one-cycle schedule for longer and with richer
  augmentation: random rotations (up to 10 degrees), zooms (up to 10 %) and shifts (up to
  2 pixels) in one bilinear resampling (``mit6s191_utils.vision.random_affine``, the
  augmentation the lab's training uses too);
* detection on the chapter's 64 x 64 scenes of digits: the time to classify every 28 x 28
  box against the time to propose regions and classify only those (chapter 3 counts the
  classifier evaluations; the time does not depend on the classifier's weights);
* ``--only steps``: the cost of one training step (CPU milliseconds, median of repeats) of
  each model in each training loop, interleaved in one process: it separates the cost of
  the network from the cost of the loop.

How target a is timed (issue 18): both models get the same float32 digits in [0, 1],
prepared before the clock starts; one untimed warm-up fit of each kind runs first (it
pays TensorFlow's one-off start-up costs, which otherwise fall on whichever model runs
first); each fit still pays for tracing its own step function, as a student's does; the
two fits alternate their order from one repeat to the next (``--repeats``), and the
median of the repeats is compared, wall and CPU, within the run. Accuracies do not
depend on the order (every fit is seeded and deterministic); the script checks it.

The lab's models and training step are those of solutions/lab3.py; the training loop is
the lab's (Part 5): ``LAB_EPOCHS`` epochs, each digit rotated, zoomed and shifted at random
(``random_affine``, ``LAB_AFFINE``), Adam with a one-cycle learning rate.
``--variant bn-first --epochs-a 15 --augment-a shifts`` times the lab's CNN and training as
they were before issue 18 (see benchmarks/lab3.md): each max pooling after its batch
normalisation and ReLU, integer shifts only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402

from mit6s191_utils import seed_everything  # noqa: E402
from mit6s191_utils.datasets import load_mnist  # noqa: E402
from mit6s191_utils.vision import random_affine  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
# Target b, chosen on a validation split (first 7,000 training digits for training, the
# next 1,000 for validation), not on the test set; see benchmarks/lab3.md.
EPOCHS_B = 40
AFFINE_B = (10.0, 0.1)  # rotations up to 10 degrees, zooms up to 10 %, plus 2-pixel shifts
# The lab's training (Part 5 of labs/lab3_digit_classification.ipynb), target a.
LAB_EPOCHS = 12
LAB_AFFINE = (10.0, 0.1)  # the same augmentation as target b


def load_lab():
    """The reference solutions of lab 3 (models, train_step, shift_images)."""
    spec = importlib.util.spec_from_file_location("lab3_solutions", REPO / "solutions/lab3.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_cnn_b():
    """The lab's CNN with a third conv/batch-norm/ReLU layer (128 filters) before the head."""
    layers = keras.layers

    def conv_bn_relu(filters):
        return [
            layers.Conv2D(filters, 3, use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
        ]

    return keras.Sequential(
        [keras.Input((28, 28, 1))]
        + conv_bn_relu(32)
        + [layers.MaxPool2D(2)]
        + conv_bn_relu(64)
        + [layers.MaxPool2D(2)]
        + conv_bn_relu(128)
        + [layers.Flatten(), layers.Dropout(0.3), layers.Dense(10)]
    )


def build_bn_first():
    """The lab's CNN before issue 18: each max pooling after its batch norm and ReLU.

    Same layers, weights and parameter count as the lab's (conv, pool, batch norm, ReLU);
    batch normalisation and ReLU work on the full-size maps (26 x 26 and 11 x 11 instead
    of 13 x 13 and 5 x 5).
    """
    layers = keras.layers

    def conv_bn_relu_pool(filters):
        return [
            layers.Conv2D(filters, 3, use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.MaxPool2D(2),
        ]

    return keras.Sequential(
        [keras.Input((28, 28, 1))]
        + conv_bn_relu_pool(32)
        + conv_bn_relu_pool(64)
        + [layers.Flatten(), layers.Dropout(0.3), layers.Dense(10)]
    )


def keras_io_model(logits=False):
    """The keras-io recipe's network (softmax output as published, or logits)."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            keras.layers.MaxPooling2D(pool_size=(2, 2)),
            keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            keras.layers.MaxPooling2D(pool_size=(2, 2)),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(10, activation=None if logits else "softmax"),
        ]
    )


def keras_io_convnet(x_train, y_train, x_test, y_test, seed, epochs=15):
    """https://keras.io/examples/vision/mnist_convnet/ as published.

    Returns (test accuracy, fit wall seconds, fit CPU seconds, parameters).
    """
    seed_everything(seed)
    num_classes, input_shape = 10, (28, 28, 1)
    x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
    x_test = np.expand_dims(x_test.astype("float32") / 255, -1)
    y_train = keras.utils.to_categorical(y_train, num_classes)
    y_test = keras.utils.to_categorical(y_test, num_classes)
    assert input_shape == (28, 28, 1)
    model = keras_io_model()
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    start, cpu = time.perf_counter(), time.process_time()
    model.fit(x_train, y_train, batch_size=128, epochs=epochs, validation_split=0.1, verbose=0)
    fit_s, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    _, acc = model.evaluate(x_test, y_test, verbose=0)
    return float(acc), fit_s, cpu_s, model.count_params()


def one_cycle(step, total_steps, peak_lr, warmup=0.2):
    """Learning rate at ``step``: linear warm-up to peak_lr, then cosine decay to ~0."""
    if step < warmup * total_steps:
        return peak_lr * (0.1 + 0.9 * step / (warmup * total_steps))
    progress = (step - warmup * total_steps) / ((1 - warmup) * total_steps)
    return peak_lr * 0.5 * (1 + np.cos(np.pi * min(1.0, progress)))


def train_lab_model(lab, model, x, y, epochs, batch_size, peak_lr, max_shift, seed, affine=None):
    """The lab's training loop (Part 5); returns the fit time (wall, CPU seconds).

    affine=(max_degrees, max_zoom): augment with random_affine (rotation, zoom and a
    sub-pixel shift of up to max_shift), as the lab does; None: integer shifts of up to
    max_shift with the lab's shift_images.
    """
    rng = np.random.default_rng(seed)
    optimizer = keras.optimizers.Adam(learning_rate=peak_lr)
    step_fn = tf.function(lab.train_step)
    steps_per_epoch = -(-len(x) // batch_size)
    total, step = epochs * steps_per_epoch, 0
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(epochs):
        order = rng.permutation(len(x))
        xs = x[order]
        if affine:
            xs = random_affine(xs, rng, *affine, max_shift)
        elif max_shift:
            dx, dy = rng.integers(-max_shift, max_shift + 1, size=(2, len(x)))
            xs = lab.shift_images(xs, dx, dy)
        ys = y[order]
        for i in range(0, len(x), batch_size):
            optimizer.learning_rate.assign(one_cycle(step, total, peak_lr))
            step_fn(
                model,
                optimizer,
                tf.constant(xs[i : i + batch_size]),
                tf.constant(ys[i : i + batch_size]),
            )
            step += 1
    return time.perf_counter() - start, time.process_time() - cpu


def evaluate(model, x, y):
    logits = model.predict(x, batch_size=500, verbose=0)
    return float(np.mean(logits.argmax(1) == y))


def run_lab(lab, builder, x_train, y_train, x_test, y_test, seed, **train_kw):
    seed_everything(seed)
    model = builder()
    fit_s, cpu_s = train_lab_model(lab, model, x_train, y_train, seed=seed, **train_kw)
    return evaluate(model, x_test, y_test), fit_s, cpu_s, model.count_params()


def detection_times(x_test, y_test, n_scenes=20):
    """Seconds to run the naive (every box) and the proposal detector on n_scenes scenes."""
    from mit6s191_utils.vision import crop_centered, place_digits, propose_regions, sliding_boxes

    seed_everything(0)
    canvases, _, _, _ = place_digits(x_test, y_test, n_scenes, canvas_size=64, seed=1)
    layers = keras.layers
    window_cnn = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPool2D(2),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPool2D(2),
            layers.Flatten(),
            layers.Dense(11),
        ]
    )
    window_cnn.predict(np.zeros((1, 28, 28, 1), "float32"), verbose=0)  # warm up
    boxes = sliding_boxes(64, (28,), 1)
    start = time.perf_counter()
    n_naive = 0
    for canvas in canvases:
        windows = np.stack([canvas[t : t + 28, left : left + 28] for t, left, _, _ in boxes])
        window_cnn.predict(
            (windows / 255.0).astype("float32")[..., None], batch_size=1000, verbose=0
        )
        n_naive += len(windows)
    naive_s = time.perf_counter() - start
    start = time.perf_counter()
    n_prop = 0
    for canvas in canvases:
        props = propose_regions(canvas)
        windows = np.stack([crop_centered(canvas, b) for b in props])
        window_cnn.predict(
            (windows / 255.0).astype("float32")[..., None], batch_size=1000, verbose=0
        )
        n_prop += len(windows)
    return naive_s, n_naive, time.perf_counter() - start, n_prop


def load_average():
    """The machine's 1-minute load average (other users' work included), or None."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def warm_up(lab, xf_train, yi_train, x_train, y_train):
    """One small untimed fit of each kind, so that neither timed fit pays TensorFlow's
    one-off start-up costs (thread pools, oneDNN kernels, Keras's lazily built parts)."""
    keras_io_convnet(x_train[:512], y_train[:512], x_train[:64], y_train[:64], 0, epochs=1)
    seed_everything(0)
    train_lab_model(lab, lab.build_cnn_model(), xf_train[:512], yi_train[:512], 1, 128, 1e-2, 2, 0)


def compare_a(lab, data, seeds, repeats, builder, train_kw, target):
    """Target a: the recipe and the lab's CNN on each seed, alternating, median of repeats.

    Returns one row per seed with both models' accuracy and median fit times.
    """
    (x_train, y_train), (x_test, y_test), (xf_train, yi_train), (xf_test, yi_test) = data
    rows = []
    for seed in seeds:
        runs = {"recipe": [], "lab": []}
        load_before = load_average()
        for repeat in range(repeats):
            order = ["recipe", "lab"] if repeat % 2 == 0 else ["lab", "recipe"]
            for name in order:
                if name == "recipe":
                    acc, wall, cpu, params = keras_io_convnet(
                        x_train, y_train, x_test, y_test, seed
                    )
                else:
                    acc, wall, cpu, params = run_lab(
                        lab, builder, xf_train, yi_train, xf_test, yi_test, seed, **train_kw
                    )
                runs[name].append((acc, wall, cpu, params))
                print(
                    f"  seed {seed} repeat {repeat + 1} {name:<6} accuracy {acc:.2%}"
                    f"  fit {wall:6.1f} s wall {cpu:6.1f} s CPU",
                    flush=True,
                )
        row = {"seed": seed, "load_before": load_before, "load_after": load_average()}
        for name, got in runs.items():
            accs = {acc for acc, _, _, _ in got}
            if len(accs) != 1:
                raise RuntimeError(f"{name}, seed {seed}: accuracy changed between repeats {accs}")
            row[name] = {
                "test_accuracy": got[0][0],
                "parameters": got[0][3],
                "fit_seconds": [wall for _, wall, _, _ in got],
                "fit_cpu_seconds": [cpu for _, _, cpu, _ in got],
                "fit_seconds_median": statistics.median(wall for _, wall, _, _ in got),
                "fit_cpu_seconds_median": statistics.median(cpu for _, _, cpu, _ in got),
            }
        lab_r, ref = row["lab"], row["recipe"]
        row["wall_ratio"] = lab_r["fit_seconds_median"] / ref["fit_seconds_median"]
        row["cpu_ratio"] = lab_r["fit_cpu_seconds_median"] / ref["fit_cpu_seconds_median"]
        row["accuracy_met"] = lab_r["test_accuracy"] >= target
        row["time_met"] = row["wall_ratio"] <= 1 and row["cpu_ratio"] <= 1
        row["met"] = row["accuracy_met"] and row["time_met"]
        rows.append(row)
    return rows


def print_a(rows, target):
    print(
        "\nTarget a: the lab's CNN >= "
        f"{target:.1%} test accuracy in no more fit time (median wall and CPU) than the "
        "recipe measured alongside"
    )
    print(
        "seed | recipe acc | recipe fit wall / CPU | lab acc | lab fit wall / CPU |"
        " lab/recipe wall, CPU | load | result"
    )
    for r in rows:
        ref, lab_r = r["recipe"], r["lab"]
        load = "/".join(
            f"{x:.1f}" if x is not None else "?" for x in (r["load_before"], r["load_after"])
        )
        why = [] if r["accuracy_met"] else ["accuracy"]
        why += [] if r["time_met"] else ["time"]
        print(
            f"{r['seed']:>4} | {ref['test_accuracy']:>9.2%} |"
            f" {ref['fit_seconds_median']:6.1f} s / {ref['fit_cpu_seconds_median']:5.1f} s |"
            f" {lab_r['test_accuracy']:>6.2%} |"
            f" {lab_r['fit_seconds_median']:6.1f} s / {lab_r['fit_cpu_seconds_median']:5.1f} s |"
            f" {r['wall_ratio']:.2f}, {r['cpu_ratio']:.2f} | {load} |"
            f" {'pass' if r['met'] else 'FAIL (' + ', '.join(why) + ')'}"
        )
    met = all(r["met"] for r in rows)
    print(f"target a: {'met' if met else 'NOT met'} on seeds {[r['seed'] for r in rows]}")


def step_costs(lab, xf, yi, batch_size=128, repeats=7, steps=10):
    """CPU milliseconds per training step of each model in each loop, interleaved.

    "loop" is the lab's loop (train_step compiled with tf.function, one call per batch);
    "fit" is Keras's own compiled step (train_on_batch, the step model.fit runs).
    """
    seed_everything(0)
    x, y = xf[:batch_size], yi[:batch_size]
    sparse = keras.losses.SparseCategoricalCrossentropy

    def loop(model):
        optimizer = keras.optimizers.Adam(1e-3)
        step_fn = tf.function(lab.train_step)
        return lambda: step_fn(model, optimizer, tf.constant(x), tf.constant(y))

    def fit(model, loss):
        model.compile(optimizer="adam", loss=loss)
        return lambda: model.train_on_batch(x, y)

    cases = {
        "recipe's network, Keras fit step": fit(
            keras_io_model(), "sparse_categorical_crossentropy"
        ),
        "recipe's network (logits), lab loop": loop(keras_io_model(logits=True)),
        "lab CNN, Keras fit step": fit(lab.build_cnn_model(), sparse(from_logits=True)),
        "lab CNN, lab loop": loop(lab.build_cnn_model()),
        "lab CNN before issue 18 (batch norm first), lab loop": loop(build_bn_first()),
    }
    for run in cases.values():  # trace and warm up
        for _ in range(3):
            run()
    cpu_ms = {name: [] for name in cases}
    for _ in range(repeats):
        for name, run in cases.items():
            start = time.process_time()
            for _ in range(steps):
                out = run()
            np.asarray(out)  # wait for the last step
            cpu_ms[name].append((time.process_time() - start) / steps * 1000)
    return {name: statistics.median(v) for name, v in cpu_ms.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="seed of the parts other than a")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="target a")
    parser.add_argument("--repeats", type=int, default=2, help="fits of each model per seed")
    parser.add_argument("--only", choices=["a", "steps", "dense", "b", "detection"], nargs="*")
    parser.add_argument(
        "--variant",
        choices=["lab", "bn-first"],
        default="lab",
        help="the lab's CNN, or its layer order before issue 18 (batch norm, ReLU, pooling)",
    )
    parser.add_argument("--epochs-a", type=int, default=LAB_EPOCHS)
    parser.add_argument(
        "--augment-a",
        choices=["affine", "shifts"],
        default="affine",
        help="the lab's rotation/zoom/shift (random_affine), or integer shifts (shift_images)",
    )
    parser.add_argument("--target-a", type=float, default=0.990)
    parser.add_argument("--epochs-b", type=int, default=EPOCHS_B)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    todo = set(args.only or ["a", "steps", "dense", "b", "detection"])

    (x_train, y_train), (x_test, y_test) = load_mnist()
    xf_train = (x_train.astype("float32") / 255)[..., None]
    xf_test = (x_test.astype("float32") / 255)[..., None]
    yi_train, yi_test = y_train.astype("int64"), y_test.astype("int64")
    lab = load_lab()
    print(
        f"TensorFlow {tf.__version__}, Keras {keras.__version__}, {os.cpu_count()} CPU cores,"
        f" {platform.processor() or platform.machine()}, load average {load_average()}",
        flush=True,
    )
    results = {}

    def report(name, acc, fit_s, cpu_s, params):
        results[name] = {
            "test_accuracy": acc,
            "fit_seconds": fit_s,
            "fit_cpu_seconds": cpu_s,
            "parameters": params,
        }
        print(
            f"{name:<34} test accuracy {acc:.2%}   fit {fit_s:6.1f} s wall {cpu_s:6.1f} s CPU"
            f"   {params:,} parameters",
            flush=True,
        )

    warm_up(lab, xf_train, yi_train, x_train, y_train)
    if "steps" in todo:
        costs = step_costs(lab, xf_train, yi_train)
        results["step_cpu_ms"] = costs
        print("CPU ms per training step (batch 128, median of 7 x 10 steps, interleaved):")
        for name, ms in costs.items():
            print(f"  {name:<38} {ms:6.1f} ms", flush=True)
    if "a" in todo:
        builder = lab.build_cnn_model if args.variant == "lab" else build_bn_first
        train_kw = dict(
            epochs=args.epochs_a,
            batch_size=128,
            peak_lr=args.lr,
            max_shift=2,
            affine=LAB_AFFINE if args.augment_a == "affine" else None,
        )
        aug = "rotation/zoom/shift" if args.augment_a == "affine" else "shifts"
        print(
            f"Target a: lab CNN ({args.variant}, {args.epochs_a} epochs, {aug}) against the"
            f" recipe, seeds {args.seeds}, {args.repeats} repeats in alternating order",
            flush=True,
        )
        data = ((x_train, y_train), (x_test, y_test), (xf_train, yi_train), (xf_test, yi_test))
        rows = compare_a(lab, data, args.seeds, args.repeats, builder, train_kw, args.target_a)
        results["target_a"] = {
            "variant": args.variant,
            "train": {k: v for k, v in train_kw.items() if k != "affine"} | {"augmentation": aug},
            "seeds": rows,
        }
        print_a(rows, args.target_a)
    if "dense" in todo:
        report(
            "lab dense baseline (10 epochs)",
            *run_lab(
                lab,
                lambda: lab.build_dense_model(128),
                xf_train,
                yi_train,
                xf_test,
                yi_test,
                args.seed,
                epochs=10,
                batch_size=128,
                peak_lr=3e-3,
                max_shift=0,
            ),
        )
    if "b" in todo:
        report(
            f"lab CNN + conv 128, target b ({args.epochs_b} epochs)",
            *run_lab(
                lab,
                build_cnn_b,
                xf_train,
                yi_train,
                xf_test,
                yi_test,
                args.seed,
                epochs=args.epochs_b,
                batch_size=128,
                peak_lr=args.lr,
                max_shift=2,
                affine=AFFINE_B,
            ),
        )
    if "detection" in todo:
        naive_s, n_naive, prop_s, n_prop = detection_times(x_test, y_test)
        results["detection"] = {
            "every_box_seconds": naive_s,
            "every_box_evaluations": n_naive,
            "proposals_seconds": prop_s,
            "proposal_evaluations": n_prop,
        }
        print(
            f"detection on 20 scenes: every box {naive_s:.2f} s ({n_naive:,} CNN evaluations)"
            f", region proposals {prop_s:.3f} s ({n_prop} CNN evaluations)",
            flush=True,
        )
    for name, r in results.items():
        if "target b" in name:
            ok = r["fit_seconds"] <= 300 and r["test_accuracy"] >= 0.990
            print(f"target b (>= 99.0 % within 300 s): {'met' if ok else 'NOT met'}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
