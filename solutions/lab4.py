"""Reference solutions for lab 4 (deep generative models). HIDDEN: never released.

The authored source of each exercise of labs/lab4_generative_models.ipynb: its
signature and docstring (the student's contract) and, between ``# BEGIN SOLUTION`` and
``# END SOLUTION``, the answer. ``mit6s191-assign lab4`` generates the notebook's exercise
cells from these definitions, each block replaced by a stub; tests insert the whole
definitions into the lab to check it is solvable.
"""

import tensorflow as tf
from tensorflow import keras


def encoder_decoder(input_dim, hidden_dim, latent_dim, variational=False):
    """An encoder and a decoder, as two keras.Sequential models.

    Args:
        input_dim: int D, the number of input features (784 for MNIST).
        hidden_dim: int H, the width of the hidden layer of each network.
        latent_dim: int K, the number of latent variables.
        variational: bool. If True the encoder has 2 * K outputs (mu, then
            log_var).
    Returns:
        (encoder, decoder):
        encoder: keras.Input((D,)) -> Dense(H, activation="relu")
            -> Dense(K or 2K), linear; maps (batch, D) float32 to (batch, K)
            (or (batch, 2K) if variational).
        decoder: keras.Input((K,)) -> Dense(H, activation="relu") -> Dense(D),
            linear; maps (batch, K) float32 to (batch, D) logits.
        Exactly these layers, in this order (the grader sets their weights).
    """
    # BEGIN SOLUTION
    code_dim = 2 * latent_dim if variational else latent_dim
    encoder = keras.Sequential(
        [
            keras.Input((input_dim,)),
            keras.layers.Dense(hidden_dim, activation="relu"),
            keras.layers.Dense(code_dim),
        ]
    )
    decoder = keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(hidden_dim, activation="relu"),
            keras.layers.Dense(input_dim),
        ]
    )
    return encoder, decoder
    # END SOLUTION


def sample_latent(mu, log_var, eps):
    """The reparameterisation trick.

    Args:
        mu, log_var, eps: tf.Tensor float32 of the same shape (batch, K): the
            means, the log-variances log(sigma^2), and standard normal noise.
    Returns:
        tf.Tensor float32 (batch, K): z = mu + sigma * eps with
        sigma = exp(log_var / 2).
    """
    # BEGIN SOLUTION
    return mu + tf.exp(0.5 * log_var) * eps
    # END SOLUTION


def kl_divergence(mu, log_var):
    """KL divergence from N(mu, diag(exp(log_var))) to N(0, I), per example.

    Args:
        mu, log_var: tf.Tensor float32 (batch, K).
    Returns:
        tf.Tensor float32 (batch,): 0.5 * sum over j of
        (exp(log_var_j) + mu_j**2 - 1 - log_var_j).
    """
    # BEGIN SOLUTION
    return 0.5 * tf.reduce_sum(tf.exp(log_var) + tf.square(mu) - 1.0 - log_var, axis=-1)
    # END SOLUTION


def vae_loss(x, logits, mu, log_var, beta):
    """The (beta-)VAE loss for a batch.

    Args:
        x: tf.Tensor float32 (batch, D), the inputs, in [0, 1].
        logits: tf.Tensor float32 (batch, D), the decoder's outputs for the
            sampled z.
        mu, log_var: tf.Tensor float32 (batch, K), the encoder's outputs.
        beta: float, the weight of the KL term.
    Returns:
        (loss, reconstruction, kl), three scalar tf.Tensor float32:
        reconstruction = mean over the batch of the binary cross-entropy
            between x and sigmoid(logits) summed over the D pixels (use
            tf.nn.sigmoid_cross_entropy_with_logits);
        kl = mean over the batch of the KL divergence summed over the K latents;
        loss = reconstruction + beta * kl.
    """
    # BEGIN SOLUTION
    per_pixel = tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits)
    reconstruction = tf.reduce_mean(tf.reduce_sum(per_pixel, axis=-1))
    kl = tf.reduce_mean(kl_divergence(mu, log_var))
    return reconstruction + beta * kl, reconstruction, kl
    # END SOLUTION


def latent_traversal(decoder, z, dim, values):
    """Decode versions of one code with a single latent swept over `values`.

    Args:
        decoder: a keras model mapping (n, K) float32 codes to (n, D) logits.
        z: np.ndarray or tf.Tensor float32 (K,), the code to start from.
        dim: int, the latent to change, 0 <= dim < K.
        values: np.ndarray or tf.Tensor float32 (n,), the values to give
            latent `dim`.
    Returns:
        tf.Tensor float32 (n, D): row i is tf.sigmoid(decoder(code_i)) where
        code_i equals z except that code_i[dim] = values[i].
    """
    # BEGIN SOLUTION
    z = tf.convert_to_tensor(z, tf.float32)
    values = tf.convert_to_tensor(values, tf.float32)
    codes = tf.tile(z[None, :], [tf.shape(values)[0], 1])
    mask = tf.one_hot(dim, tf.shape(z)[0], dtype=tf.float32)
    codes = codes * (1.0 - mask) + values[:, None] * mask
    return tf.sigmoid(decoder(codes))
    # END SOLUTION


def discriminator_loss(real_logits, fake_logits):
    """The discriminator's loss.

    Args:
        real_logits: tf.Tensor float32 (n, 1), D's logits on real examples.
        fake_logits: tf.Tensor float32 (m, 1), D's logits on generated examples.
    Returns:
        scalar tf.Tensor float32: mean over real examples of -log D(x) plus
        mean over fake examples of -log(1 - D(G(z))), where
        D = sigmoid(logits).
    """
    # BEGIN SOLUTION
    real = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.ones_like(real_logits), logits=real_logits
    )
    fake = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.zeros_like(fake_logits), logits=fake_logits
    )
    return tf.reduce_mean(real) + tf.reduce_mean(fake)
    # END SOLUTION


def generator_loss(fake_logits):
    """The non-saturating generator loss.

    Args:
        fake_logits: tf.Tensor float32 (m, 1), D's logits on generated examples.
    Returns:
        scalar tf.Tensor float32: mean of -log D(G(z)), where
        D = sigmoid(logits).
    """
    # BEGIN SOLUTION
    return tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(
            labels=tf.ones_like(fake_logits), logits=fake_logits
        )
    )
    # END SOLUTION


def gan_train_step(
    generator,
    discriminator,
    g_optimizer,
    d_optimizer,
    real,
    noise,
    d_loss_fn,
    g_loss_fn,
):
    """One GAN training step: first the discriminator, then the generator.

    Args:
        generator: keras model, noise (m, N) -> fake examples (m, ...).
        discriminator: keras model, examples -> logits (n, 1).
        g_optimizer, d_optimizer: keras optimizers for the generator and
            discriminator.
        real: tf.Tensor float32 (n, ...), a batch of real examples.
        noise: tf.Tensor float32 (m, N), the generator's input for this step.
        d_loss_fn(real_out, fake_out) -> scalar; g_loss_fn(fake_out) -> scalar.
    Steps:
        1. d_loss = d_loss_fn(discriminator(real),
                              discriminator(generator(noise))),
           computed inside a tf.GradientTape; apply its gradients to
           discriminator.trainable_variables with d_optimizer.
        2. Then g_loss = g_loss_fn(discriminator(generator(noise))) with the
           updated discriminator and the same noise; apply its gradients to
           generator.trainable_variables with g_optimizer.
    Returns:
        (d_loss, g_loss), two scalar tensors. Use only TensorFlow operations:
        the step runs inside tf.function.
    """
    # BEGIN SOLUTION
    with tf.GradientTape() as tape:
        d_loss = d_loss_fn(discriminator(real), discriminator(generator(noise)))
    d_vars = discriminator.trainable_variables
    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars))
    with tf.GradientTape() as tape:
        g_loss = g_loss_fn(discriminator(generator(noise)))
    g_vars = generator.trainable_variables
    g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
    return d_loss, g_loss
    # END SOLUTION
