"""Public checks for lab 1. Oracles are TensorFlow's own functions, not the answers."""

from __future__ import annotations

import numpy as np

from mit6s191_utils.checks import assert_close, assert_trains, check, tensorflow, to_numpy


def _autodiff(activation, z):
    tf = tensorflow()
    with tf.GradientTape() as tape:
        tape.watch(z)
        y = activation(z)
    return tape.gradient(y, z)


def _derivative_check(name, fn, activation):
    tf = tensorflow()
    z = tf.constant(np.linspace(-4, 4, 17, dtype=np.float32))
    return check(
        name, lambda: assert_close(fn(z), _autodiff(activation, z), f"{name}(z)", atol=1e-6)
    )


def sigmoid_derivative(fn) -> bool:
    """Compare with tf.GradientTape on tf.math.sigmoid."""
    return _derivative_check("sigmoid_derivative", fn, tensorflow().math.sigmoid)


def tanh_derivative(fn) -> bool:
    """Compare with tf.GradientTape on tf.math.tanh."""
    return _derivative_check("tanh_derivative", fn, tensorflow().math.tanh)


def relu_derivative(fn) -> bool:
    """Compare with tf.GradientTape on tf.nn.relu (whose derivative at 0 is 0)."""
    return _derivative_check("relu_derivative", fn, tensorflow().nn.relu)


def MyDenseLayer(cls) -> bool:  # noqa: N802 - named after the exercise
    """Shapes of W, b and the output, and outputs in (0, 1)."""

    def test():
        tf = tensorflow()
        layer = cls(3, 2)
        x = tf.constant([[4.0, 5.0, 1.0], [2.0, 1.0, 0.0]])
        out = layer(x)
        assert hasattr(layer, "W") and hasattr(layer, "b"), "the layer needs attributes W and b"
        assert tuple(layer.W.shape) == (3, 2), (
            f"W has shape {tuple(layer.W.shape)}, expected (3, 2)"
        )
        assert tuple(layer.b.shape) == (1, 2), (
            f"b has shape {tuple(layer.b.shape)}, expected (1, 2)"
        )
        assert tuple(out.shape) == (2, 2), f"output has shape {tuple(out.shape)}, expected (2, 2)"
        layer.W.assign(tf.constant([[1.0, 0.0], [1.0, 0.0], [1.0, -1.0]]))
        layer.b.assign(tf.constant([[1.0, -1.0]]))
        assert_close(
            layer(x),
            tf.math.sigmoid(tf.constant([[11.0, -2.0], [4.0, -1.0]])),
            "output with W = [[1, 0], [1, 0], [1, -1]], b = [[1, -1]]",
        )

    return check("MyDenseLayer", test)


def binary_cross_entropy(fn) -> bool:
    """Compare with tf.keras.losses.BinaryCrossentropy(from_logits=True)."""

    def test():
        tf = tensorflow()
        y = tf.constant([[1.0], [0.0], [1.0], [0.0]])
        logits = tf.constant([[2.0], [-1.0], [-0.5], [3.0]])
        expected = tf.keras.losses.BinaryCrossentropy(from_logits=True)(y, logits)
        assert_close(fn(y, logits), expected, "loss", rtol=1e-4)

    return check("binary_cross_entropy", test)


def mean_squared_error(fn) -> bool:
    """A hand-computed example: grades 80 and 50 predicted as 70 and 60."""

    def test():
        tf = tensorflow()
        got = fn(tf.constant([[80.0], [50.0]]), tf.constant([[70.0], [60.0]]))
        assert_close(got, np.float32(100.0), "loss")

    return check("mean_squared_error", test)


def softmax_cross_entropy(fn) -> bool:
    """Keras' CategoricalCrossentropy(from_logits=True) as the oracle: one-hot and smoothed
    labels, examples and classes of different numbers, and logits 120 apart."""

    def test():
        tf = tensorflow()
        keras = tf.keras
        oracle = keras.losses.CategoricalCrossentropy(from_logits=True)
        rng = np.random.default_rng(0)
        logits = rng.normal(0, 2, size=(5, 3)).astype(np.float32)
        one_hot = np.eye(3, dtype=np.float32)[[0, 2, 1, 1, 0]]
        smooth = 0.8 * one_hot + 0.2 / 3
        for labels, what in ((one_hot, "one-hot labels"), (smooth, "smoothed labels")):
            expected = oracle(tf.constant(labels), tf.constant(logits))
            got = fn(tf.constant(labels), tf.constant(logits))
            assert_close(got, expected, f"loss with {what} (5 examples, 3 classes)", rtol=1e-4)
        sure_and_wrong = tf.constant([[0.0, 120.0]])
        got = fn(tf.constant([[1.0, 0.0]]), sure_and_wrong)
        assert_close(
            got,
            np.float32(120.0),
            "loss for logits (0, 120) and class 1: compute log-softmax, not log(softmax)",
            rtol=1e-4,
        )

    return check("softmax_cross_entropy", test)


def train_step(fn) -> bool:
    """One step against Keras' own train_on_batch on a copy of the model (same loss before
    the update, same weights after it, every layer trained); then the loss must go down."""

    def test():
        tf = tensorflow()
        keras = tf.keras
        keras.utils.set_random_seed(0)
        model = keras.Sequential(
            [keras.Input((2,)), keras.layers.Dense(3, activation="tanh"), keras.layers.Dense(1)]
        )
        before = [w.copy() for w in model.get_weights()]
        loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
        x = tf.constant([[1.0, 2.0], [-1.0, -2.0], [2.0, 1.0], [-2.0, -1.0], [0.5, -1.5]])
        y = tf.constant([[1.0], [0.0], [1.0], [0.0], [1.0]])
        oracle = keras.models.clone_model(model)
        oracle.set_weights(before)
        oracle.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss=loss_fn)
        want_loss = float(to_numpy(oracle.train_on_batch(x, y)))
        optimizer = keras.optimizers.SGD(learning_rate=0.5)
        losses = [float(to_numpy(fn(model, optimizer, loss_fn, x, y)))]
        assert np.isclose(losses[0], want_loss, rtol=1e-4), (
            f"the first step returned {losses[0]:.6g}, but loss_fn(y, model(x)) was "
            f"{want_loss:.6g} before it: return that loss, computed before the update"
        )
        moved = any(not np.array_equal(a, b) for a, b in zip(model.get_weights(), before))
        assert moved, "the weights did not change: apply the gradients with the optimizer"
        for got, want, w in zip(model.get_weights(), oracle.get_weights(), model.weights):
            assert np.allclose(got, want, rtol=1e-4, atol=1e-6), (
                f"after one step, {w.path} differs from one step of SGD on every "
                "trainable variable (one update per call, on model.trainable_variables)"
            )
        losses += [float(to_numpy(fn(model, optimizer, loss_fn, x, y))) for _ in range(4)]
        assert_trains(model, before, losses)

    return check("train_step", test)


def minibatches(fn) -> bool:
    """Every example appears once, pairs stay together, sizes are right."""

    def test():
        x = np.arange(10, dtype=np.float32).reshape(10, 1)
        y = np.arange(10) * 10
        batches = list(fn(x, y, 4, 0))
        sizes = [len(b[0]) for b in batches]
        assert sizes == [4, 4, 2], f"batch sizes are {sizes}, expected [4, 4, 2]"
        xs = np.concatenate([to_numpy(b[0]) for b in batches]).ravel()
        ys = np.concatenate([to_numpy(b[1]) for b in batches])
        assert sorted(xs.tolist()) == list(range(10)), "each example must appear exactly once"
        assert np.array_equal(ys, xs * 10), "x and y were shuffled differently"
        assert not np.array_equal(xs, np.arange(10)), "the examples were not shuffled"
        order = np.random.default_rng(0).permutation(10)
        assert np.array_equal(xs, order), (
            "the rows must come in order = np.random.default_rng(seed).permutation(n)"
        )
        batches = list(fn(x[:8], y[:8], 4, 1))
        sizes = [len(b[0]) for b in batches]
        assert sizes == [4, 4], f"with n = 8 and B = 4, batch sizes are {sizes}, expected [4, 4]"
        xs = np.concatenate([to_numpy(b[0]) for b in batches]).ravel()
        assert np.array_equal(xs, np.random.default_rng(1).permutation(8)), (
            "with seed = 1 the rows come in another order than "
            "np.random.default_rng(1).permutation(8): shuffle with the seed you are given"
        )

    return check("minibatches", test)


def dropout(fn) -> bool:
    """Identity at inference; zeros where noise < rate and scaled values elsewhere."""

    def test():
        tf = tensorflow()
        x = tf.constant([[1.0, 2.0, 3.0, 4.0, 5.0]])
        noise = tf.constant([[0.1, 0.9, 0.4, 0.6, 0.5]])
        assert_close(fn(x, 0.5, noise, False), x, "output when training=False")
        assert_close(
            fn(x, 0.5, noise, True),
            tf.constant([[0.0, 4.0, 0.0, 8.0, 10.0]]),
            "output when training=True (noise == rate is kept)",
        )
        assert_close(
            fn(tf.constant([[4.0, 6.0]]), 0.25, tf.constant([[0.1, 0.3]]), True),
            tf.constant([[0.0, 8.0]]),
            "output with rate 0.25 (kept values scaled by 1 / (1 - rate))",
        )

    return check("dropout", test)


def early_stopping(fn) -> bool:
    """Hand-made validation curves: a stop, no stop, a rebound, a tie."""

    def test():
        losses = [1.0, 0.8, 0.7, 0.65, 0.66, 0.7, 0.72, 0.6]
        got = tuple(int(v) for v in fn(losses, 2))
        assert got == (5, 3), f"got (stop_epoch, best_epoch) = {got}, expected (5, 3)"
        got = tuple(int(v) for v in fn(losses[:4], 2))
        assert got == (3, 3), f"without a stop, expected (last epoch, best) = (3, 3), got {got}"
        rebound = [1.0, 0.8, 0.9, 0.85, 0.95, 0.7]
        got = tuple(int(v) for v in fn(rebound, 3))
        assert got == (4, 1), (
            f"{rebound} with patience 3: expected (4, 1), got {got} (count the epochs since "
            "the best one, not since the last increase)"
        )
        got = tuple(int(v) for v in fn([1.0, 0.5, 0.5, 0.6, 0.7], 2))
        assert got == (3, 1), f"a tie is no improvement: expected (3, 1), got {got}"
        late = [1.0, 1.1, 0.9, 1.0, 0.8, 0.85]
        got = tuple(int(v) for v in fn(late, 2))
        assert got == (5, 4), (
            f"{late} with patience 2: expected (5, 4), got {got} (each improvement starts "
            "the count again)"
        )

    return check("early_stopping", test)
