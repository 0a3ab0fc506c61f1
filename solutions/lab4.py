"""Reference solutions for lab 4 (deep generative models). HIDDEN: never released.

Each definition mirrors an exercise of labs/lab4_generative_models.ipynb, with the same
name and signature. Tests insert these bodies into the lab to check it is solvable.
"""

import tensorflow as tf
from tensorflow import keras


def encoder_decoder(input_dim, hidden_dim, latent_dim, variational=False):
    """(encoder, decoder): dense ReLU networks; the encoder doubles its outputs for a VAE."""
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


def sample_latent(mu, log_var, eps):
    """The reparameterisation trick: mu + exp(log_var / 2) * eps."""
    return mu + tf.exp(0.5 * log_var) * eps


def kl_divergence(mu, log_var):
    """KL(N(mu, exp(log_var)) || N(0, 1)) summed over latents, one value per example."""
    return 0.5 * tf.reduce_sum(tf.exp(log_var) + tf.square(mu) - 1.0 - log_var, axis=-1)


def vae_loss(x, logits, mu, log_var, beta):
    """(loss, reconstruction, kl): batch means of summed BCE and KL; loss = rec + beta * kl."""
    per_pixel = tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits)
    reconstruction = tf.reduce_mean(tf.reduce_sum(per_pixel, axis=-1))
    kl = tf.reduce_mean(kl_divergence(mu, log_var))
    return reconstruction + beta * kl, reconstruction, kl


def latent_traversal(decoder, z, dim, values):
    """Decode copies of z with latent `dim` set to each value; pixel probabilities."""
    z = tf.convert_to_tensor(z, tf.float32)
    values = tf.convert_to_tensor(values, tf.float32)
    codes = tf.tile(z[None, :], [tf.shape(values)[0], 1])
    mask = tf.one_hot(dim, tf.shape(z)[0], dtype=tf.float32)
    codes = codes * (1.0 - mask) + values[:, None] * mask
    return tf.sigmoid(decoder(codes))


def discriminator_loss(real_logits, fake_logits):
    """-[mean log D(x) + mean log(1 - D(G(z)))], from logits."""
    real = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.ones_like(real_logits), logits=real_logits
    )
    fake = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.zeros_like(fake_logits), logits=fake_logits
    )
    return tf.reduce_mean(real) + tf.reduce_mean(fake)


def generator_loss(fake_logits):
    """Non-saturating generator loss: -mean log D(G(z)), from logits."""
    return tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(
            labels=tf.ones_like(fake_logits), logits=fake_logits
        )
    )


def gan_train_step(
    generator, discriminator, g_optimizer, d_optimizer, real, noise, d_loss_fn, g_loss_fn
):
    """One discriminator step, then one generator step (against the updated discriminator)."""
    with tf.GradientTape() as tape:
        d_loss = d_loss_fn(discriminator(real), discriminator(generator(noise)))
    d_vars = discriminator.trainable_variables
    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars))
    with tf.GradientTape() as tape:
        g_loss = g_loss_fn(discriminator(generator(noise)))
    g_vars = generator.trainable_variables
    g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
    return d_loss, g_loss
