"""Public checks for lab 2. Oracles are TensorFlow's own layers and losses, not the answers."""

from __future__ import annotations

import numpy as np

from mit6s191_utils.checks import (
    assert_close,
    assert_trains,
    check,
    dtype_problem,
    tensorflow,
    to_numpy,
)


def text_to_indices(fn) -> bool:
    """A hand-made example: 'cab' in the vocabulary ['a', 'b', 'c'] is [2, 0, 1]; a
    vocabulary may hold characters the text does not use."""

    def test():
        got = fn("cabbage", ["a", "b", "c", "e", "g"])
        assert isinstance(got, np.ndarray), f"expected a numpy array, got {type(got).__name__}"
        assert_close(got, np.array([2, 0, 1, 1, 0, 4, 3], np.int32), "indices of 'cabbage'")
        got = fn("bead", [" ", "a", "b", "c", "d", "e"])
        assert_close(
            got,
            np.array([2, 5, 1, 4], np.int32),
            "indices of 'bead' in [' ', 'a', 'b', 'c', 'd', 'e'] (use the vocab you are given)",
        )

    return check("text_to_indices", test)


def indices_to_text(fn) -> bool:
    """The inverse of the example above, and a round trip on ABC text."""

    def test():
        got = fn(np.array([2, 0, 1, 1, 0, 4, 3], np.int32), ["a", "b", "c", "e", "g"])
        assert isinstance(got, str), f"expected a str, got {type(got).__name__}"
        assert got == "cabbage", f"got {got!r}, expected 'cabbage'"
        tune = "X:1\nK:D\n|:d2 fd|"
        vocab = sorted(set(tune))
        codes = np.array([vocab.index(ch) for ch in tune], np.int32)
        assert fn(codes, vocab) == tune, "a round trip through indices must give the text back"

    return check("indices_to_text", test)


def get_batch(fn) -> bool:
    """Shapes and dtypes, windows of the data, targets shifted by one, seeded; windows
    from given starts."""

    def test():
        data = np.arange(100, dtype=np.int32)
        x, y = fn(data, 10, 4, 0)
        x, y = to_numpy(x), to_numpy(y)
        assert x.shape == (4, 10) and y.shape == (4, 10), (
            f"x and y have shapes {x.shape} and {y.shape}, expected (4, 10) each"
        )
        for name, got in (("x", x), ("y", y)):
            problem = dtype_problem(name, got.dtype, np.dtype(np.int32))
            assert not problem, problem
        assert np.all(np.diff(x, axis=1) == 1), "each row of x must be a window of the data"
        assert np.array_equal(y, x + 1), "y must be x shifted by one character"
        starts = np.random.default_rng(0).integers(0, 100 - 10, size=4)
        assert np.array_equal(x[:, 0], starts), (
            f"the windows start at {x[:, 0].tolist()}; with seed 0 the docstring's "
            f"np.random.default_rng(seed).integers(0, n - L, size=B) gives {starts.tolist()}"
        )
        assert y.max() <= 99, "a window runs past the end of the data"
        x2, _ = fn(data, 10, 4, 0)
        assert np.array_equal(x, to_numpy(x2)), "the same seed must give the same batch"
        x3, _ = fn(data, 10, 4, 1)
        assert not np.array_equal(x, to_numpy(x3)), "another seed must give another batch"
        allowed = np.array([3, 40, 71], np.int64)  # e.g. where the tunes begin
        try:
            x4, y4 = (to_numpy(v) for v in fn(data, 10, 6, 5, starts=allowed))
        except TypeError as exc:
            if "starts" not in str(exc):
                raise
            raise AssertionError(
                "get_batch needs the parameter starts=None of the docstring's signature"
            ) from exc
        want = allowed[np.random.default_rng(5).integers(0, 3, size=6)]
        assert np.array_equal(x4[:, 0], want), (
            f"with starts={allowed.tolist()} and seed 5 the windows start at "
            f"{x4[:, 0].tolist()}; the docstring's "
            f"starts[rng.integers(0, len(starts), size=B)] gives {want.tolist()}"
        )
        assert np.array_equal(y4, x4 + 1), "y must be x shifted by one, with starts too"

    return check("get_batch", test)


def MyRNNCell(cls) -> bool:
    """Step by step against tf.keras.layers.SimpleRNN given the same weights (zero bias),
    from a state that is not zero (the cell must use the h it is given)."""

    def test():
        tf = tensorflow()
        tf.keras.utils.set_random_seed(0)
        cell = cls(3, 5, 2)
        x = tf.random.normal((4, 6, 3), seed=1)
        h0 = tf.random.normal((4, 5), seed=2)
        cell(x[:, 0], h0)  # builds the weights if the cell makes them in build()
        for name, shape in (("W_xh", (3, 5)), ("W_hh", (5, 5)), ("W_hy", (5, 2))):
            assert hasattr(cell, name), f"the cell needs an attribute {name}"
            assert hasattr(getattr(cell, name), "assign"), (
                f"{name} is a {type(getattr(cell, name)).__name__}, not a weight: make it "
                "with self.add_weight, so that training can change it"
            )
            got = tuple(getattr(cell, name).shape)
            assert got == shape, f"{name} has shape {got}, expected {shape}"
        h, states = h0, []
        for t in range(6):
            y, h = cell(x[:, t], h)
            assert tuple(y.shape) == (4, 2), f"y has shape {tuple(y.shape)}, expected (4, 2)"
            assert_close(y, tf.matmul(h, cell.W_hy), f"y at step {t}", rtol=1e-4, atol=1e-5)
            states.append(h)
        rnn = tf.keras.layers.SimpleRNN(5, return_sequences=True)
        rnn.build((4, 6, 3))
        rnn.set_weights([to_numpy(cell.W_xh), to_numpy(cell.W_hh), np.zeros(5, np.float32)])
        assert_close(
            tf.stack(states, axis=1),
            rnn(x, initial_state=h0),
            "hidden states (from a state h0 that is not zero: use the h you are given)",
            rtol=1e-4,
            atol=1e-5,
        )

    return check("MyRNNCell", test)


def build_model(fn) -> bool:
    """Layer types, output shape, and the logits against a Keras model of the docstring's
    layers given the same weights, with and without training=True (index 0 in the input)."""

    def test():
        tf = tensorflow()
        keras = tf.keras
        keras.utils.set_random_seed(0)
        model = fn(20, 8, 16)
        x = tf.constant([[0, 3, 19, 0, 7, 7, 0], [5, 0, 0, 1, 2, 18, 4], [0] * 7], tf.int32)
        logits = model(x)
        assert tuple(logits.shape) == (3, 7, 20), (
            f"logits have shape {tuple(logits.shape)}, expected (batch, time, vocab) = (3, 7, 20)"
        )
        kinds = [type(layer).__name__ for layer in model.layers]
        assert kinds == ["Embedding", "LSTM", "Dense"], (
            f"model.layers are {kinds}, expected exactly ['Embedding', 'LSTM', 'Dense'] "
            "(generate_tunes unpacks them: embedding, lstm, dense = model.layers)"
            + (": build a keras.Sequential" if "InputLayer" in kinds else "")
        )
        table = tuple(model.layers[0].get_weights()[0].shape)
        assert table == (20, 8), f"the Embedding's table has shape {table}, expected (20, 8)"
        assert not getattr(model.layers[0], "mask_zero", False), (
            "index 0 is a character of the vocabulary, not padding: leave mask_zero off"
        )
        lstm = model.layers[1]
        assert lstm.return_sequences, "the LSTM must return a prediction for every step"
        assert lstm.activation is keras.activations.tanh, "keep the LSTM's default activation"
        assert model.layers[2].activation is keras.activations.linear, "the output is logits"
        oracle = keras.Sequential(
            [
                keras.Input((None,), dtype="int32"),
                keras.layers.Embedding(20, 8),
                keras.layers.LSTM(16, return_sequences=True),
                keras.layers.Dense(20),
            ]
        )
        shapes = [w.shape for w in model.get_weights()]
        want = [w.shape for w in oracle.get_weights()]
        assert shapes == want, f"the model's weights have shapes {shapes}, expected {want}"
        oracle.set_weights(model.get_weights())
        assert_close(
            logits,
            oracle(x),
            "logits (against Embedding, LSTM and Dense with default arguments)",
            rtol=1e-4,
            atol=1e-5,
        )
        assert_close(
            model(x, training=True),
            oracle(x, training=True),
            "logits with training=True (leave out dropout: train_step trains in this mode)",
            rtol=1e-4,
            atol=1e-5,
        )

    return check("build_model", test)


def compute_loss(fn) -> bool:
    """Compare with keras.losses.SparseCategoricalCrossentropy(from_logits=True), eagerly and
    inside tf.function (train_step, which the lab compiles, may call it)."""

    def test():
        tf = tensorflow()
        labels = tf.constant([[1, 0, 2], [2, 2, 0]])
        logits = tf.constant(
            [[[0.1, 2.0, -1.0], [1.0, 0.0, 0.5], [0.0, 0.0, 3.0]],
             [[2.0, 0.3, 0.1], [0.0, -1.0, 1.0], [0.5, 0.5, 0.5]]]
        )  # fmt: skip
        expected = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits)
        loss = fn(labels, logits)
        assert_close(loss, expected, "loss", rtol=1e-4)
        assert tf.is_tensor(loss), (
            f"the loss is a {type(loss).__name__}; return the tf.Tensor itself "
            "(no .numpy() or float())"
        )
        try:
            traced = tf.function(fn)(labels, logits)
        except Exception as exc:  # noqa: BLE001 - say where it must work
            raise AssertionError(
                "compute_loss fails inside tf.function, where train_step calls it "
                f"({type(exc).__name__}: {str(exc)[:160]}): use TensorFlow operations only"
            ) from exc
        assert_close(traced, expected, "loss inside tf.function", rtol=1e-4)

    return check("compute_loss", test)


def train_step(fn) -> bool:
    """Two steps on one batch, compiled with tf.function as in the lab, against Keras' own
    train_on_batch with the same optimizer (Adam) on a copy of the model: the same losses
    (each before its update) and the same weights after them; then the loss goes down."""

    def test():
        tf = tensorflow()
        keras = tf.keras
        keras.utils.set_random_seed(0)

        def make():
            return keras.Sequential(
                [
                    keras.Input((None,), dtype="int32"),
                    keras.layers.Embedding(10, 4),
                    keras.layers.LSTM(8, return_sequences=True),
                    keras.layers.Dense(10),
                ]
            )

        model, oracle = make(), make()
        before = [w.copy() for w in model.get_weights()]
        oracle.set_weights(before)
        oracle.compile(
            optimizer=keras.optimizers.Adam(learning_rate=0.05),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
        # Each index once in x: Adam's update of the embedding from its sparse gradient
        # (as train_on_batch makes it) then equals the update from a dense one.
        x = tf.constant([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]], tf.int32)
        y = tf.constant([[1, 2, 3, 4, 5], [6, 7, 8, 9, 0]], tf.int32)
        want = [float(to_numpy(oracle.train_on_batch(x, y))) for _ in range(2)]
        optimizer = keras.optimizers.Adam(learning_rate=0.05)
        step = tf.function(fn)  # as the lab runs it
        losses = [float(to_numpy(step(model, optimizer, x, y))) for _ in range(2)]
        assert abs(losses[0] - want[0]) < 1e-4, (
            f"the first loss returned is {losses[0]:.4f}; the loss before the update is "
            f"{want[0]:.4f}: return the mean cross-entropy computed before the update"
        )
        moved = any(not np.array_equal(a, b) for a, b in zip(model.get_weights(), before))
        assert moved, "the weights did not change: apply the gradients with the optimizer"
        assert abs(losses[1] - want[1]) < 1e-4, (
            f"the second loss returned is {losses[1]:.4f}; after one step of "
            f"model.train_on_batch it is {want[1]:.4f}: apply the gradients once, with "
            "optimizer.apply_gradients on model.trainable_variables"
        )
        for got, exp, w in zip(model.get_weights(), oracle.get_weights(), model.weights):
            assert np.allclose(got, exp, rtol=1e-3, atol=1e-5), (
                f"after two steps, {w.path} differs from two steps of model.train_on_batch "
                "with the same optimizer: apply the gradients of the mean loss once per "
                "step, with the optimizer you are given, on every trainable variable"
            )
        losses += [float(to_numpy(step(model, optimizer, x, y))) for _ in range(3)]
        assert_trains(model, before, losses)

    return check("train_step", test)


def sample_next(fn) -> bool:
    """Hand-made probabilities (0.2, 0.3, 0.5), and a tiny temperature that picks the argmax."""

    def test():
        logits = np.log(np.array([[0.2, 0.3, 0.5]] * 6, np.float32))
        noise = np.array([0.1, 0.25, 0.55, 0.99, 0.0, 0.45], np.float32)
        got = to_numpy(fn(logits, 1.0, noise))
        assert got.shape == (6,), f"got shape {got.shape}, expected one index per row (6,)"
        assert got.dtype.kind in "iu", f"indices must be integers, got dtype {got.dtype}"
        want = [0, 1, 2, 2, 0, 1]
        assert got.tolist() == want, (
            f"got {got.tolist()}, expected {want}: cumsum(p) = (0.2, 0.5, 1.0), count the "
            "entries <= noise"
        )
        # noise > 0 here: p[0] is tiny but not 0, so a noise of exactly 0 would still pick 0
        noise = np.array([0.1, 0.25, 0.55, 0.99, 0.5, 0.3])
        got = to_numpy(fn(logits, 0.01, noise)).tolist()
        assert got == [2] * 6, f"a temperature near 0 must pick the most likely index, got {got}"
        # temperature 2: p is proportional to sqrt(0.2, 0.3, 0.5), so p[0] = 0.263 > 0.25
        got = to_numpy(fn(logits[:2], 2.0, np.array([0.25, 0.27], np.float32))).tolist()
        assert got == [0, 1], f"with temperature 2 expected [0, 1], got {got}: divide by it"

    return check("sample_next", test)
