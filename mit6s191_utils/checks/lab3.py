"""Public checks for lab 3. Oracles are TensorFlow's own functions, not the answers."""

from __future__ import annotations

import numpy as np

from mit6s191_utils.checks import (
    assert_close,
    assert_trains,
    check,
    flat_layers,
    tensorflow,
    to_numpy,
)
from mit6s191_utils.guards import no_tf_convolution


def conv2d(fn) -> bool:
    """Compare with tf.nn.conv2d (VALID padding) for strides 1, 2 and 3, a 3x2 kernel."""

    def test():
        tf = tensorflow()
        rng = np.random.default_rng(3)
        x = rng.normal(size=(2, 9, 8, 2)).astype(np.float32)
        kernel = rng.normal(size=(3, 2, 2, 4)).astype(np.float32)
        for stride in (1, 2, 3):
            expected = tf.nn.conv2d(x, kernel, strides=stride, padding="VALID")
            with no_tf_convolution():
                got = fn(x, kernel, stride)
            assert_close(
                np.asarray(to_numpy(got)),
                expected,
                f"conv2d(stride={stride})",
                rtol=1e-4,
                atol=1e-4,
            )

    return check("conv2d", test)


def max_pool2d(fn) -> bool:
    """Compare with tf.nn.max_pool2d (VALID padding)."""

    def test():
        tf = tensorflow()
        rng = np.random.default_rng(4)
        x = rng.normal(size=(2, 7, 6, 3)).astype(np.float32)
        for pool, stride in ((2, 2), (3, 1), (2, 1), (3, 2)):
            expected = tf.nn.max_pool2d(x, pool, stride, padding="VALID")
            got = fn(x, pool, stride)
            assert_close(
                np.asarray(to_numpy(got)),
                expected,
                f"max_pool2d(pool_size={pool}, stride={stride})",
            )

    return check("max_pool2d", test)


def _weights_like(model, seed):
    rng = np.random.default_rng(seed)
    return [rng.uniform(0.5, 1.5, size=w.shape).astype(np.float32) for w in model.get_weights()]


def build_dense_model(fn) -> bool:
    """Parameter count, output shape, and logits (no activation) computed by hand."""

    def test():
        model = fn(16)
        x = np.random.default_rng(5).uniform(size=(3, 28, 28, 1)).astype(np.float32)
        out = np.asarray(to_numpy(model(x)))  # builds a model made without keras.Input
        params = model.count_params()
        assert params == 784 * 16 + 16 + 16 * 10 + 10, (
            f"{params:,} parameters; Flatten, Dense(16), Dense(10) has 12,730"
        )
        assert out.shape == (3, 10), f"output has shape {out.shape}, expected (3, 10)"
        assert np.allclose(to_numpy(model(x, training=True)), out, atol=1e-5), (
            "the output in training mode differs from inference: a layer acts in training "
            "only (Dropout?); the exercise asks for exactly Flatten, Dense, Dense"
        )
        w1, b1, w2, b2 = (w - 1.0 for w in _weights_like(model, 6))  # some logits < 0
        model.set_weights([w1, b1, w2, b2])
        hidden = np.maximum(x.reshape(3, -1) @ w1 + b1, 0)
        assert_close(
            model(x),
            (hidden @ w2 + b2).astype(np.float32),
            "logits (no activation on the last layer)",
            rtol=1e-4,
            atol=1e-3,
        )

    return check("build_dense_model", test)


CNN_LAYERS = [
    "Conv2D", "MaxPooling2D", "BatchNormalization", "ReLU",
    "Conv2D", "MaxPooling2D", "BatchNormalization", "ReLU",
    "Flatten", "Dropout", "Dense",
]  # fmt: skip


def _layer_name(layer) -> str:
    name = type(layer).__name__
    if name == "Activation" and getattr(layer.activation, "__name__", "") == "relu":
        return "ReLU"  # Activation("relu") is the same layer as ReLU()
    return name


def _cnn_by_hand(x, weights):
    """The docstring's layers written with tf.nn (inference mode; Keras' epsilon 1e-3)."""
    tf = tensorflow()
    conv1, *bn1, conv2, g2, b2, m2, v2, dense_w, dense_b = weights
    h = x
    for kernel, (gamma, beta, mean, var) in ((conv1, bn1), (conv2, (g2, b2, m2, v2))):
        h = tf.nn.max_pool2d(tf.nn.conv2d(h, kernel, 1, "VALID"), 2, 2, "VALID")
        h = tf.nn.relu(tf.nn.batch_normalization(h, mean, var, beta, gamma, 1e-3))
    return tf.reshape(h, (len(x), -1)) @ dense_w + dense_b


def build_cnn_model(fn) -> bool:
    """Output shape, the layers in their order, the Dropout rate, parameter count, logits."""

    def test():
        model = fn()
        out = np.asarray(to_numpy(model(np.zeros((2, 28, 28, 1), np.float32))))
        assert out.shape == (2, 10), f"output has shape {out.shape}, expected (2, 10)"
        kinds = [_layer_name(layer) for layer in flat_layers(model)]
        reordered = sorted(kinds) == sorted(CNN_LAYERS)  # the right layers, wrong order
        assert kinds == CNN_LAYERS, (
            f"the layers are {kinds}; the docstring asks for exactly {CNN_LAYERS}"
            + (" (each max pooling right after its convolution)" if reordered else "")
        )
        rate = next(layer.rate for layer in flat_layers(model) if _layer_name(layer) == "Dropout")
        assert np.isclose(rate, 0.3), f"Dropout rate {rate:g}, expected 0.3"
        default = tensorflow().keras.layers.BatchNormalization().momentum
        momenta = [
            lay.momentum for lay in flat_layers(model) if _layer_name(lay) == "BatchNormalization"
        ]
        assert np.allclose(momenta, default), (
            f"BatchNormalization momentum {momenta}: keep the default ({default:g})"
        )
        params = model.count_params()
        assert params == 35_114, f"{params:,} parameters, expected 35,114 (see the docstring)"
        assert not np.allclose(out.sum(axis=1), 1.0), "return logits: no softmax at the end"
        weights = _weights_like(model, 8)
        x = np.random.default_rng(9).uniform(size=(2, 28, 28, 1)).astype(np.float32)
        model.set_weights([w - 0.9 if w.ndim > 1 else w for w in weights])
        assert_close(
            model(x, training=False),
            _cnn_by_hand(x, model.get_weights()),
            "logits (inference mode) computed with tf.nn from the model's weights",
            rtol=1e-3,
            atol=1e-3,
        )

    return check("build_cnn_model", test)


def train_step(fn) -> bool:
    """Five steps of a tiny model with batch normalisation, compiled with tf.function as in
    the lab: the first loss is the loss before any update (in training mode), the loss goes
    down, and one step leaves every weight (batch norm's statistics included) as Keras' own
    model.train_on_batch does."""

    def test():
        tf = tensorflow()
        keras = tf.keras
        keras.utils.set_random_seed(0)
        model = keras.Sequential(
            [
                keras.Input((4, 4, 1)),
                keras.layers.Flatten(),
                keras.layers.BatchNormalization(),
                keras.layers.Dense(3),
            ]
        )
        before = [w.copy() for w in model.get_weights()]
        rng = np.random.default_rng(7)
        x = tf.constant(rng.normal(1.0, 2.0, size=(6, 4, 4, 1)).astype(np.float32))
        y = tf.constant(np.array([0, 1, 2, 0, 1, 2], np.int64))
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        expected = float(loss_fn(y, model(x, training=True)))
        optimizer = keras.optimizers.SGD(learning_rate=0.5)
        # Keras' own training step on a copy: one update, batch norm's statistics once.
        twin = keras.models.clone_model(model)
        twin.set_weights(before)
        twin.compile(keras.optimizers.SGD(learning_rate=0.5), loss_fn, jit_compile=False)
        twin.train_on_batch(x, y)
        step = tf.function(fn)  # as the lab runs it
        losses = [float(to_numpy(step(model, optimizer, x, y))) for _ in range(5)]
        assert np.isclose(losses[0], expected, rtol=1e-4), (
            f"first loss {losses[0]:.5f}, expected {expected:.5f}: the mean sparse "
            "cross-entropy from logits, with model(x, training=True), before the update"
        )
        assert_trains(model, before, losses)
        model.set_weights(before)
        tf.function(fn)(model, keras.optimizers.SGD(learning_rate=0.5), x, y)
        names = [v.path for v in model.weights]
        for name, got, want in zip(names, model.get_weights(), twin.get_weights()):
            assert np.allclose(got, want, rtol=1e-3, atol=1e-5), (
                f"after one step, {name} differs from Keras' own training step "
                "(model.train_on_batch): call model(x, training=True) once, take the "
                "gradients of that loss for model.trainable_variables, apply them once"
            )

    return check("train_step", test)


def shift_images(fn) -> bool:
    """A 4x4 example shifted each way (a shift of 0 included), and the dtype kept."""

    def test():
        img = np.arange(1, 17, dtype=np.uint8).reshape(1, 4, 4)
        images = np.repeat(img, 4, axis=0)
        dx, dy = np.array([1, 0, -2, 0]), np.array([0, -1, 1, 0])
        got = np.asarray(to_numpy(fn(images, dx, dy)))
        assert got.dtype == np.uint8, f"dtype {got.dtype}, expected uint8 (keep the input's)"
        assert got.shape == images.shape, f"shape {got.shape}, expected {images.shape}"
        right = np.zeros((4, 4), np.uint8)
        right[:, 1:] = img[0, :, :3]
        up = np.zeros((4, 4), np.uint8)
        up[:3] = img[0, 1:]
        left_down = np.zeros((4, 4), np.uint8)
        left_down[1:, :2] = img[0, :3, 2:]
        for k, (what, want) in enumerate(
            (
                ("dx=1 (right)", right),
                ("dy=-1 (up)", up),
                ("dx=-2, dy=1", left_down),
                ("dx=0, dy=0 (unchanged)", img[0]),
            )
        ):
            assert np.array_equal(got[k], want), (
                f"image {k} shifted by {what} is wrong:\n{got[k]}\nexpected\n{want}"
            )

    return check("shift_images", test)


def confusion_matrix(fn) -> bool:
    """Hand-made examples with 3 classes, and with 4 classes of which one never occurs."""

    def test():
        y_true = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2])
        y_pred = np.array([0, 1, 1, 1, 2, 2, 2, 0, 2])
        want = np.array([[1, 1, 0], [0, 2, 1], [1, 0, 3]])
        got = np.asarray(to_numpy(fn(y_true, y_pred, 3)))
        assert got.shape == (3, 3), f"shape {got.shape}, expected (3, 3)"
        assert got.dtype.kind in "iu", f"counts must be integers, got dtype {got.dtype}"
        assert np.array_equal(got, want), f"got\n{got}\nexpected (rows: true class)\n{want}"
        got = np.asarray(to_numpy(fn(np.array([0, 2, 2, 1]), np.array([0, 2, 1, 1]), 4)))
        assert got.shape == (4, 4), (
            f"shape {got.shape} with num_classes=4, expected (4, 4): class 3 never occurs "
            "but still has its row and column"
        )
        got = np.asarray(to_numpy(fn(np.zeros(300, int), np.zeros(300, int), 2)))
        assert got[0, 0] == 300, (
            f"300 examples of class 0 predicted as 0 give counts[0, 0] = {got[0, 0]}: "
            "an integer type too small for the counts? (use np.int64)"
        )

    return check("confusion_matrix", test)
