"""Public checks for lab 4. Oracles are NumPy formulas, Keras losses or Monte-Carlo estimates."""

from __future__ import annotations

import numpy as np

from mit6s191_utils.checks import assert_close, check, tensorflow, to_numpy


def _relu(a):
    return np.maximum(a, 0.0)


def encoder_decoder(fn) -> bool:
    """Layer sizes, a NumPy forward pass with all-0.1 weights, a linear output."""

    def test():
        tf = tensorflow()
        for variational in (False, True):
            encoder, decoder = fn(6, 5, 2, variational)
            code_dim = 4 if variational else 2
            x = np.linspace(-1, 1, 12, dtype=np.float32).reshape(2, 6)
            z = np.array([[1.0, -3.0], [0.5, 0.0]], np.float32)  # one hidden unit < 0
            code, decoded = encoder(tf.constant(x)), decoder(tf.constant(z))
            what = "variational" if variational else "plain"
            assert tuple(code.shape) == (2, code_dim), (
                f"{what} encoder output has shape {tuple(code.shape)}, expected (2, {code_dim})"
            )
            assert tuple(decoded.shape) == (2, 6), (
                f"decoder output has shape {tuple(decoded.shape)}, expected (2, 6)"
            )
            for model in (encoder, decoder):
                model.set_weights([np.full(w.shape, 0.1, np.float32) for w in model.get_weights()])
            expected_code = (
                _relu(x @ np.full((6, 5), 0.1) + 0.1) @ np.full((5, code_dim), 0.1) + 0.1
            )
            assert_close(
                encoder(tf.constant(x)),
                expected_code.astype(np.float32),
                f"{what} encoder output with all weights 0.1",
                rtol=1e-4,
            )
            expected = _relu(z @ np.full((2, 5), 0.1) + 0.1) @ np.full((5, 6), 0.1) + 0.1
            assert_close(
                decoder(tf.constant(z)),
                expected.astype(np.float32),
                "decoder output with all weights 0.1",
                rtol=1e-4,
            )
            decoder.set_weights([-np.abs(w) for w in decoder.get_weights()])
            assert np.any(to_numpy(decoder(tf.constant(z))) < 0), (
                "the decoder's last layer must be linear (it outputs logits)"
            )
            encoder.set_weights([-np.abs(w) for w in encoder.get_weights()])
            assert np.any(to_numpy(encoder(tf.constant(x))) < 0), (
                "the encoder's last layer must be linear (mu and log_var can be negative)"
            )

    return check("encoder_decoder", test)


def sample_latent(fn) -> bool:
    """A hand-made example: sigma = 2 where log_var = log 4."""

    def test():
        tf = tensorflow()
        mu = tf.constant([[0.0, 1.0, -1.0]])
        log_var = tf.constant([[0.0, float(np.log(4.0)), 0.0]])
        eps = tf.constant([[1.0, 1.0, -0.5]])
        assert_close(fn(mu, log_var, eps), np.array([[1.0, 3.0, -1.5]], np.float32), "z", rtol=1e-5)

    return check("sample_latent", test)


def kl_divergence(fn) -> bool:
    """Zero at the prior, hand values, and a Monte-Carlo estimate."""

    def test():
        tf = tensorflow()
        zero = fn(tf.zeros((2, 3)), tf.zeros((2, 3)))
        assert_close(zero, np.zeros(2, np.float32), "KL of N(0, 1) to itself (one per example)")
        assert_close(
            fn(tf.constant([[1.0, 0.0]]), tf.zeros((1, 2))),
            np.array([0.5], np.float32),
            "KL with mu = (1, 0), sigma = 1",
        )
        mu, log_var = np.array([0.5, -1.0]), np.array([-1.0, 0.8])
        z = mu + np.exp(0.5 * log_var) * np.random.default_rng(0).normal(size=(400_000, 2))
        log_q = -0.5 * np.sum(log_var + (z - mu) ** 2 / np.exp(log_var), axis=1)
        log_p = -0.5 * np.sum(z**2, axis=1)
        estimate = np.float32(np.mean(log_q - log_p))
        got = fn(tf.constant([mu], tf.float32), tf.constant([log_var], tf.float32))
        assert_close(got, np.array([estimate]), "KL against a Monte-Carlo estimate", rtol=0.02)

    return check("kl_divergence", test)


def vae_loss(fn) -> bool:
    """Compare with Keras' binary cross-entropy and a NumPy KL."""

    def test():
        tf = tensorflow()
        rng = np.random.default_rng(1)
        x = rng.uniform(size=(4, 10)).astype(np.float32)
        logits = rng.normal(size=(4, 10)).astype(np.float32)
        mu = rng.normal(size=(4, 3)).astype(np.float32)
        log_var = rng.normal(size=(4, 3)).astype(np.float32)
        bce = tf.keras.losses.binary_crossentropy(x, logits, from_logits=True)  # mean over pixels
        reconstruction = float(np.mean(to_numpy(bce) * 10))
        kl = float(np.mean(0.5 * np.sum(np.exp(log_var) + mu**2 - 1 - log_var, axis=1)))
        loss, rec, kl_got = fn(*(tf.constant(a) for a in (x, logits, mu, log_var)), 4.0)
        assert_close(
            rec, np.float32(reconstruction), "reconstruction (summed over pixels)", rtol=1e-4
        )
        assert_close(kl_got, np.float32(kl), "kl (summed over latents)", rtol=1e-4)
        assert_close(loss, np.float32(reconstruction + 4.0 * kl), "loss with beta = 4", rtol=1e-4)

    return check("vae_loss", test)


def latent_traversal(fn) -> bool:
    """With an identity decoder the output is sigmoid of the traversed codes (z and values
    as arrays, then as tensors)."""

    def test():
        tf = tensorflow()
        keras = tf.keras
        decoder = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3)])
        decoder.set_weights([np.eye(3, dtype=np.float32), np.zeros(3, np.float32)])
        z = np.array([0.5, -1.0, 2.0], np.float32)
        values = np.array([-2.0, 0.0, 2.0], np.float32)
        codes = np.array([[0.5, -2.0, 2.0], [0.5, 0.0, 2.0], [0.5, 2.0, 2.0]], np.float32)
        expected = 1 / (1 + np.exp(-codes))
        assert_close(fn(decoder, z, 1, values), expected.astype(np.float32), "traversal of z1")
        assert_close(
            fn(decoder, tf.constant(z), 1, tf.constant(values)),
            expected.astype(np.float32),
            "traversal of z1 with z and values given as tensors",
        )

    return check("latent_traversal", test)


def discriminator_loss(fn) -> bool:
    """Compare with keras.losses.BinaryCrossentropy(from_logits=True)."""

    def test():
        tf = tensorflow()
        bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
        real = tf.constant([[2.0], [-1.0], [0.5]])
        fake = tf.constant([[-3.0], [1.0]])
        expected = bce(tf.ones_like(real), real) + bce(tf.zeros_like(fake), fake)
        assert_close(fn(real, fake), expected, "loss", rtol=1e-4)

    return check("discriminator_loss", test)


def generator_loss(fn) -> bool:
    """-log D(G(z)): large when the discriminator rejects the fakes (non-saturating)."""

    def test():
        tf = tensorflow()
        fake = tf.constant([[-6.0], [0.0], [2.0]])
        expected = np.mean(np.log1p(np.exp(-np.array([-6.0, 0.0, 2.0]))))
        assert_close(fn(fake), np.float32(expected), "loss", rtol=1e-4)

    return check("generator_loss", test)


def gan_train_step(fn) -> bool:
    """Run inside tf.function, as the lab runs it: the discriminator is updated first, with
    its own optimizer; the generator then with its own, against the updated discriminator
    and on the same noise; the two losses come back in that order."""

    def one_step(g_learning_rate, d_learning_rate):
        tf = tensorflow()
        keras = tf.keras
        keras.utils.set_random_seed(0)
        generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
        discriminator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        g_before = [w.copy() for w in generator.get_weights()]
        d_before = [w.copy() for w in discriminator.get_weights()]
        real = tf.constant([[1.0, 2.0], [2.0, 1.0], [1.5, 1.5]])
        noise = tf.constant([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.0]])
        seen = []  # the order the losses were traced in
        # Recorded with graph operations, so that they work inside tf.function:
        # the two losses' values, how far the discriminator had moved when the generator's
        # loss was computed, and how far its input was from D(G(noise)) at that moment.
        record = {k: tf.Variable(-1.0) for k in ("d", "g", "d_moved", "g_input_gap")}

        def d_loss_fn(real_out, fake_out):
            seen.append("d")
            loss = tf.reduce_mean(tf.square(real_out - 1.0)) + tf.reduce_mean(tf.square(fake_out))
            record["d"].assign(loss)
            return loss

        def g_loss_fn(fake_out):
            seen.append("g")
            moved = [tf.reduce_sum(tf.abs(v - b)) for v, b in zip(discriminator.weights, d_before)]
            record["d_moved"].assign(tf.add_n(moved))
            expected_input = discriminator(generator(noise))
            record["g_input_gap"].assign(tf.reduce_max(tf.abs(fake_out - expected_input)))
            loss = tf.reduce_mean(tf.square(fake_out - 1.0))
            record["g"].assign(loss)
            return loss

        # A step the student decorated with tf.function is unwrapped: each run here has
        # new models and optimizers, so it gets a tf.function of its own.
        step = tf.function(getattr(fn, "python_function", fn))
        d_loss, g_loss = step(
            generator,
            discriminator,
            keras.optimizers.SGD(g_learning_rate),
            keras.optimizers.SGD(d_learning_rate),
            real,
            noise,
            d_loss_fn,
            g_loss_fn,
        )
        got = (float(to_numpy(d_loss)), float(to_numpy(g_loss)))
        assert seen == ["d", "g"], f"the losses were computed in the order {seen}, expected d, g"
        want = (float(record["d"].numpy()), float(record["g"].numpy()))
        assert np.allclose(got, want, rtol=1e-5, atol=1e-6), (
            f"returned (d_loss, g_loss) = {got}, but d_loss_fn and g_loss_fn gave {want}: "
            "return (d_loss, g_loss), in that order"
        )
        assert float(record["g_input_gap"].numpy()) < 1e-5, (
            "g_loss_fn was not given discriminator(generator(noise)) for this step's noise "
            "(use the same noise for both steps, no new random numbers)"
        )
        d_changed = any(
            not np.allclose(a, b) for a, b in zip(d_before, discriminator.get_weights())
        )
        g_changed = any(not np.allclose(a, b) for a, b in zip(g_before, generator.get_weights()))
        return float(record["d_moved"].numpy()) > 0, d_changed, g_changed

    def test():
        d_first, d_changed, g_changed = one_step(0.1, 0.1)
        assert d_changed, "the discriminator's weights did not change"
        assert g_changed, "the generator's weights did not change"
        assert d_first, (
            "the generator's loss was computed before the discriminator was updated: update "
            "the discriminator first, then run the generator's step against it"
        )
        _, d_changed, g_changed = one_step(0.0, 0.1)
        assert d_changed and not g_changed, (
            "with g_optimizer's learning rate 0 only the discriminator may change: "
            "is each optimizer applied to its own network's variables?"
        )
        _, d_changed, g_changed = one_step(0.1, 0.0)
        assert g_changed and not d_changed, (
            "with d_optimizer's learning rate 0 only the generator may change: "
            "is each optimizer applied to its own network's variables?"
        )

    return check("gan_train_step", test)
