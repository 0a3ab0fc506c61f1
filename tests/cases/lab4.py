"""Lab 4: wrong answers graded end to end (see ``cases/__init__.py``)."""

from cases import Wrong

WRONG = (
    # Erratum 7: the slide's KL, with the wrong sign and no squares. The reference vae_loss
    # calls kl_divergence, as the lab asks: a wrong KL costs both.
    Wrong(
        "kl_divergence",
        "def kl_divergence(mu, log_var):\n"
        "    sigma = tf.exp(0.5 * log_var)\n"
        "    return -0.5 * tf.reduce_sum(sigma + mu**2 - 1.0 - tf.math.log(sigma), axis=-1)\n",
        "wrong",
        "wrong values",
        costs=("vae_loss",),
    ),
    # sigma taken as exp(log_var): the variance, not the standard deviation.
    Wrong(
        "sample_latent",
        "def sample_latent(mu, log_var, eps):\n    return mu + tf.exp(log_var) * eps\n",
        "wrong",
        "wrong values",
    ),
    # reconstruction averaged over pixels instead of summed.
    Wrong(
        "vae_loss",
        "def vae_loss(x, logits, mu, log_var, beta):\n"
        "    bce = tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits)\n"
        "    rec = tf.reduce_mean(bce)\n"
        "    kl = tf.reduce_mean(0.5 * tf.reduce_sum(tf.exp(log_var) + mu**2 - 1 - log_var, -1))\n"
        "    return rec + beta * kl, rec, kl\n",
        "wrong",
        "wrong values",
    ),
    # Erratum 8: the saturating form log(1 - D(G(z))) instead of -log D(G(z)).
    Wrong(
        "generator_loss",
        "def generator_loss(fake_logits):\n"
        "    return -tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(\n"
        "        labels=tf.zeros_like(fake_logits), logits=fake_logits))\n",
        "wrong",
        "wrong values",
    ),
    # labels swapped: real called fake and fake called real.
    Wrong(
        "discriminator_loss",
        "def discriminator_loss(real_logits, fake_logits):\n"
        "    bce = keras.losses.BinaryCrossentropy(from_logits=True)\n"
        "    return (bce(tf.zeros_like(real_logits), real_logits)\n"
        "            + bce(tf.ones_like(fake_logits), fake_logits))\n",
        "wrong",
        "wrong values",
    ),
    # the generator step is taken against the discriminator from before its update.
    Wrong(
        "gan_train_step",
        "def gan_train_step(generator, discriminator, g_optimizer, d_optimizer, real, noise,\n"
        "                   d_loss_fn, g_loss_fn):\n"
        "    with tf.GradientTape(persistent=True) as tape:\n"
        "        fake_out = discriminator(generator(noise))\n"
        "        d_loss = d_loss_fn(discriminator(real), fake_out)\n"
        "        g_loss = g_loss_fn(fake_out)\n"
        "    d_vars, g_vars = discriminator.trainable_variables, generator.trainable_variables\n"
        "    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars))\n"
        "    g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))\n"
        "    return d_loss, g_loss\n",
        "wrong",
        "wrong values",
    ),
    # NumPy inside the step: the lab (and the grader) run it inside tf.function.
    Wrong(
        "gan_train_step",
        "def gan_train_step(generator, discriminator, g_optimizer, d_optimizer, real, noise,\n"
        "                   d_loss_fn, g_loss_fn):\n"
        "    with tf.GradientTape() as tape:\n"
        "        d_loss = d_loss_fn(discriminator(real), discriminator(generator(noise)))\n"
        "    d_vars = discriminator.trainable_variables\n"
        "    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars))\n"
        "    with tf.GradientTape() as tape:\n"
        "        g_loss = g_loss_fn(discriminator(generator(noise)))\n"
        "    g_vars = generator.trainable_variables\n"
        "    g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))\n"
        "    return d_loss.numpy(), g_loss.numpy()\n",
        "error",
        "numpy",
        label="numpy",
    ),
    # the traversal returns logits instead of pixel probabilities.
    Wrong(
        "latent_traversal",
        "def latent_traversal(decoder, z, dim, values):\n"
        "    codes = np.repeat(np.asarray(z, 'float32')[None], len(values), axis=0)\n"
        "    codes[:, dim] = values\n"
        "    return decoder(codes)\n",
        "wrong",
        "wrong values",
    ),
)
