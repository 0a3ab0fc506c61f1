"""Lab 4 (deep generative models): students' code, correct and plausibly wrong.

Each entry is the whole code of an exercise cell, written as students write it (their own
helper statements included); none is copied from the reference solutions.
"""

CORRECT = {
    "encoder_decoder": [
        # The functional API, with a module-level alias for the layers.
        """
layers = keras.layers


def encoder_decoder(input_dim, hidden_dim, latent_dim, variational=False):
    out = latent_dim * (2 if variational else 1)
    x_in = keras.Input(shape=(input_dim,))
    h = layers.Dense(hidden_dim, activation="relu")(x_in)
    encoder = keras.Model(x_in, layers.Dense(out)(h))
    z_in = keras.Input(shape=(latent_dim,))
    h = layers.Dense(hidden_dim, activation=tf.nn.relu)(z_in)
    decoder = keras.Model(z_in, layers.Dense(input_dim)(h))
    return encoder, decoder
""",
        # One helper for both networks, built explicitly.
        """
def mlp(n_in, hidden, n_out):
    model = keras.Sequential(
        [keras.layers.Dense(hidden, activation="relu"), keras.layers.Dense(n_out)]
    )
    model.build((None, n_in))
    return model


def encoder_decoder(input_dim, hidden_dim, latent_dim, variational=False):
    code_size = 2 * latent_dim if variational else latent_dim
    return mlp(input_dim, hidden_dim, code_size), mlp(latent_dim, hidden_dim, input_dim)
""",
        # No Input layer: Keras builds each network on its first call.
        """
def encoder_decoder(input_dim, hidden_dim, latent_dim, variational=False):
    Dense = keras.layers.Dense
    n_code = latent_dim + latent_dim * int(variational)
    encoder = keras.Sequential([Dense(hidden_dim, activation="relu"), Dense(n_code)])
    decoder = keras.Sequential([Dense(hidden_dim, activation="relu"), Dense(input_dim)])
    return encoder, decoder
""",
    ],
    "sample_latent": [
        """
def sample_latent(mu, log_var, eps):
    sigma = tf.exp(log_var / 2.0)
    return eps * sigma + mu
""",
        """
def sample_latent(mu, log_var, eps):
    std = tf.sqrt(tf.math.exp(log_var))
    return tf.add(mu, tf.multiply(std, eps))
""",
    ],
    "kl_divergence": [
        # The form most tutorials print.
        """
def kl_divergence(mu, log_var):
    return -0.5 * tf.reduce_sum(1.0 + log_var - tf.square(mu) - tf.exp(log_var), axis=1)
""",
        """
def kl_divergence(mu, log_var):
    var = tf.math.exp(log_var)
    terms = var + mu**2 - 1.0 - log_var
    return tf.reduce_sum(terms, axis=-1) / 2
""",
    ],
    "vae_loss": [
        # Calls the student's own kl_divergence, as good code does.
        """
def vae_loss(x, logits, mu, log_var, beta):
    bce = tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits)
    reconstruction = tf.reduce_mean(tf.reduce_sum(bce, axis=1))
    kl = tf.reduce_mean(kl_divergence(mu, log_var))
    return reconstruction + beta * kl, reconstruction, kl
""",
        # Keras' loss is a mean over pixels: times the number of pixels is the sum.
        """
def vae_loss(x, logits, mu, log_var, beta):
    pixels = tf.cast(tf.shape(x)[-1], tf.float32)
    per_example = keras.losses.binary_crossentropy(x, logits, from_logits=True) * pixels
    rec = tf.reduce_mean(per_example)
    kl_per_example = -0.5 * tf.reduce_sum(1 + log_var - mu**2 - tf.exp(log_var), axis=-1)
    kl = tf.reduce_mean(kl_per_example)
    total = rec + beta * kl
    return total, rec, kl
""",
    ],
    "latent_traversal": [
        """
def latent_traversal(decoder, z, dim, values):
    values = np.asarray(values, np.float32)
    codes = np.repeat(np.asarray(z, np.float32)[None, :], len(values), axis=0)
    codes[:, dim] = values
    return tf.sigmoid(decoder(codes))
""",
        """
def latent_traversal(decoder, z, dim, values):
    z = tf.cast(z, tf.float32)
    rows = []
    for v in tf.unstack(tf.cast(values, tf.float32)):
        rows.append(tf.tensor_scatter_nd_update(z, [[dim]], [v]))
    logits = decoder(tf.stack(rows))
    return tf.math.sigmoid(logits)
""",
    ],
    "discriminator_loss": [
        # TensorFlow's DCGAN tutorial, verbatim.
        """
cross_entropy = tf.keras.losses.BinaryCrossentropy(from_logits=True)


def discriminator_loss(real_output, fake_output):
    real_loss = cross_entropy(tf.ones_like(real_output), real_output)
    fake_loss = cross_entropy(tf.zeros_like(fake_output), fake_output)
    total_loss = real_loss + fake_loss
    return total_loss
""",
        """
def discriminator_loss(real_logits, fake_logits):
    log_d_real = tf.math.log_sigmoid(real_logits)
    log_one_minus_d_fake = tf.math.log_sigmoid(-fake_logits)
    return -tf.reduce_mean(log_d_real) - tf.reduce_mean(log_one_minus_d_fake)
""",
    ],
    "generator_loss": [
        """
bce = keras.losses.BinaryCrossentropy(from_logits=True)


def generator_loss(fake_output):
    return bce(tf.ones_like(fake_output), fake_output)
""",
        """
def generator_loss(fake_logits):
    # -log sigmoid(t) = softplus(-t)
    return tf.reduce_mean(tf.nn.softplus(-fake_logits))
""",
    ],
    "gan_train_step": [
        """
def gan_train_step(
    generator, discriminator, g_optimizer, d_optimizer, real, noise, d_loss_fn, g_loss_fn
):
    with tf.GradientTape() as d_tape:
        fake = generator(noise, training=True)
        d_loss = d_loss_fn(
            discriminator(real, training=True), discriminator(fake, training=True)
        )
    grads = d_tape.gradient(d_loss, discriminator.trainable_variables)
    d_optimizer.apply_gradients(zip(grads, discriminator.trainable_variables))

    with tf.GradientTape() as g_tape:
        g_loss = g_loss_fn(discriminator(generator(noise, training=True), training=True))
    grads = g_tape.gradient(g_loss, generator.trainable_variables)
    g_optimizer.apply_gradients(zip(grads, generator.trainable_variables))
    return d_loss, g_loss
""",
        # Keras 3's optimizer.apply(grads, variables); a list, not a tuple.
        """
def gan_train_step(
    generator, discriminator, g_optimizer, d_optimizer, real, noise, d_loss_fn, g_loss_fn
):
    d_vars = discriminator.trainable_weights
    with tf.GradientTape() as tape:
        loss_d = d_loss_fn(discriminator(real), discriminator(generator(noise)))
    d_optimizer.apply(tape.gradient(loss_d, d_vars), d_vars)
    g_vars = generator.trainable_weights
    with tf.GradientTape() as tape:
        loss_g = g_loss_fn(discriminator(generator(noise)))
    g_optimizer.apply(tape.gradient(loss_g, g_vars), g_vars)
    return [loss_d, loss_g]
""",
        # Decorated with tf.function itself (the lab wraps it again: still one step).
        """
@tf.function
def gan_train_step(
    generator, discriminator, g_optimizer, d_optimizer, real, noise, d_loss_fn, g_loss_fn
):
    with tf.GradientTape() as tape:
        fake = generator(noise, training=True)
        d_loss = d_loss_fn(discriminator(real, training=True), discriminator(fake, training=True))
    d_vars = discriminator.trainable_variables
    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars))
    with tf.GradientTape() as tape:
        g_loss = g_loss_fn(discriminator(generator(noise, training=True), training=True))
    g_vars = generator.trainable_variables
    g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
    return d_loss, g_loss
""",
    ],
}

WRONG = {
    "encoder_decoder": [
        (
            "ignores variational",
            """
def encoder_decoder(input_dim, hidden_dim, latent_dim, variational=False):
    encoder = keras.Sequential([
        keras.Input((input_dim,)),
        keras.layers.Dense(hidden_dim, activation="relu"),
        keras.layers.Dense(latent_dim),
    ])
    decoder = keras.Sequential([
        keras.Input((latent_dim,)),
        keras.layers.Dense(hidden_dim, activation="relu"),
        keras.layers.Dense(input_dim),
    ])
    return encoder, decoder
""",
        ),
        (
            "decoder takes 2K inputs when variational",
            """
def encoder_decoder(input_dim, hidden_dim, latent_dim, variational=False):
    k = 2 * latent_dim if variational else latent_dim
    encoder = keras.Sequential([
        keras.Input((input_dim,)),
        keras.layers.Dense(hidden_dim, activation="relu"),
        keras.layers.Dense(k),
    ])
    decoder = keras.Sequential([
        keras.Input((k,)),
        keras.layers.Dense(hidden_dim, activation="relu"),
        keras.layers.Dense(input_dim),
    ])
    return encoder, decoder
""",
        ),
        (
            "ReLU on the encoder's output",
            """
def encoder_decoder(input_dim, hidden_dim, latent_dim, variational=False):
    k = 2 * latent_dim if variational else latent_dim
    encoder = keras.Sequential([
        keras.Input((input_dim,)),
        keras.layers.Dense(hidden_dim, activation="relu"),
        keras.layers.Dense(k, activation="relu"),
    ])
    decoder = keras.Sequential([
        keras.Input((latent_dim,)),
        keras.layers.Dense(hidden_dim, activation="relu"),
        keras.layers.Dense(input_dim),
    ])
    return encoder, decoder
""",
        ),
        (
            "sigmoid on the decoder's output",
            """
def encoder_decoder(input_dim, hidden_dim, latent_dim, variational=False):
    k = 2 * latent_dim if variational else latent_dim
    encoder = keras.Sequential([
        keras.Input((input_dim,)),
        keras.layers.Dense(hidden_dim, activation="relu"),
        keras.layers.Dense(k),
    ])
    decoder = keras.Sequential([
        keras.Input((latent_dim,)),
        keras.layers.Dense(hidden_dim, activation="relu"),
        keras.layers.Dense(input_dim, activation="sigmoid"),
    ])
    return encoder, decoder
""",
        ),
    ],
    "sample_latent": [
        (
            "variance instead of standard deviation",
            """
def sample_latent(mu, log_var, eps):
    return mu + tf.exp(log_var) * eps
""",
        ),
        (
            "log-variance used as sigma",
            """
def sample_latent(mu, log_var, eps):
    return mu + log_var * eps
""",
        ),
        (
            "noise ignored",
            """
def sample_latent(mu, log_var, eps):
    return mu + tf.exp(0.5 * log_var)
""",
        ),
    ],
    "kl_divergence": [
        (
            "mean over latents",
            """
def kl_divergence(mu, log_var):
    return 0.5 * tf.reduce_mean(tf.exp(log_var) + mu**2 - 1.0 - log_var, axis=-1)
""",
        ),
        (
            "the notes' sign",
            """
def kl_divergence(mu, log_var):
    return -0.5 * tf.reduce_sum(tf.exp(log_var) + mu**2 - 1.0 - log_var, axis=-1)
""",
        ),
        (
            "sigma where sigma squared belongs",
            """
def kl_divergence(mu, log_var):
    sigma = tf.exp(0.5 * log_var)
    return 0.5 * tf.reduce_sum(sigma + mu**2 - 1.0 - tf.math.log(sigma), axis=-1)
""",
        ),
        (
            "summed over the batch too",
            """
def kl_divergence(mu, log_var):
    return 0.5 * tf.reduce_sum(tf.exp(log_var) + mu**2 - 1.0 - log_var)
""",
        ),
    ],
    "vae_loss": [
        (
            "beta on the reconstruction",
            """
def vae_loss(x, logits, mu, log_var, beta):
    bce = tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits)
    rec = tf.reduce_mean(tf.reduce_sum(bce, axis=-1))
    kl = tf.reduce_mean(0.5 * tf.reduce_sum(tf.exp(log_var) + mu**2 - 1 - log_var, axis=-1))
    return beta * rec + kl, rec, kl
""",
        ),
        (
            "reconstruction averaged over pixels",
            """
def vae_loss(x, logits, mu, log_var, beta):
    bce = tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits)
    rec = tf.reduce_mean(bce)
    kl = tf.reduce_mean(0.5 * tf.reduce_sum(tf.exp(log_var) + mu**2 - 1 - log_var, axis=-1))
    return rec + beta * kl, rec, kl
""",
        ),
        (
            "beta ignored",
            """
def vae_loss(x, logits, mu, log_var, beta):
    bce = tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits)
    rec = tf.reduce_mean(tf.reduce_sum(bce, axis=-1))
    kl = tf.reduce_mean(0.5 * tf.reduce_sum(tf.exp(log_var) + mu**2 - 1 - log_var, axis=-1))
    return rec + kl, rec, kl
""",
        ),
        (
            "KL summed over the batch",
            """
def vae_loss(x, logits, mu, log_var, beta):
    bce = tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits)
    rec = tf.reduce_mean(tf.reduce_sum(bce, axis=-1))
    kl = 0.5 * tf.reduce_sum(tf.exp(log_var) + mu**2 - 1 - log_var)
    return rec + beta * kl, rec, kl
""",
        ),
    ],
    "latent_traversal": [
        (
            "logits instead of probabilities",
            """
def latent_traversal(decoder, z, dim, values):
    codes = np.repeat(np.asarray(z, np.float32)[None], len(values), axis=0)
    codes[:, dim] = values
    return decoder(codes)
""",
        ),
        (
            "value added to the latent instead of replacing it",
            """
def latent_traversal(decoder, z, dim, values):
    codes = np.repeat(np.asarray(z, np.float32)[None], len(values), axis=0)
    codes[:, dim] += values
    return tf.sigmoid(decoder(codes))
""",
        ),
        (
            "the next latent changed",
            """
def latent_traversal(decoder, z, dim, values):
    codes = np.repeat(np.asarray(z, np.float32)[None], len(values), axis=0)
    codes[:, (dim + 1) % codes.shape[1]] = values
    return tf.sigmoid(decoder(codes))
""",
        ),
    ],
    "discriminator_loss": [
        (
            "labels swapped",
            """
cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)


def discriminator_loss(real_output, fake_output):
    return cross_entropy(tf.zeros_like(real_output), real_output) + cross_entropy(
        tf.ones_like(fake_output), fake_output
    )
""",
        ),
        (
            "one mean over real and fake together",
            """
def discriminator_loss(real_logits, fake_logits):
    logits = tf.concat([real_logits, fake_logits], axis=0)
    labels = tf.concat([tf.ones_like(real_logits), tf.zeros_like(fake_logits)], axis=0)
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits))
""",
        ),
        (
            "the two terms averaged",
            """
def discriminator_loss(real_logits, fake_logits):
    real = tf.nn.sigmoid_cross_entropy_with_logits(tf.ones_like(real_logits), real_logits)
    fake = tf.nn.sigmoid_cross_entropy_with_logits(tf.zeros_like(fake_logits), fake_logits)
    return (tf.reduce_mean(real) + tf.reduce_mean(fake)) / 2
""",
        ),
    ],
    "generator_loss": [
        (
            "the saturating minimax loss log(1 - D(G(z)))",
            """
def generator_loss(fake_logits):
    return tf.reduce_mean(tf.math.log(1.0 - tf.sigmoid(fake_logits)))
""",
        ),
        (
            "label 0 for the fakes",
            """
bce = keras.losses.BinaryCrossentropy(from_logits=True)


def generator_loss(fake_output):
    return bce(tf.zeros_like(fake_output), fake_output)
""",
        ),
        (
            "logits taken as probabilities",
            """
def generator_loss(fake_logits):
    return keras.losses.BinaryCrossentropy()(tf.ones_like(fake_logits), fake_logits)
""",
        ),
    ],
    "gan_train_step": [
        (
            "both losses against the old discriminator (one pass, two tapes)",
            """
def gan_train_step(
    generator, discriminator, g_optimizer, d_optimizer, real, noise, d_loss_fn, g_loss_fn
):
    with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
        fake = generator(noise)
        real_out, fake_out = discriminator(real), discriminator(fake)
        d_loss = d_loss_fn(real_out, fake_out)
        g_loss = g_loss_fn(fake_out)
    d_vars, g_vars = discriminator.trainable_variables, generator.trainable_variables
    d_optimizer.apply_gradients(zip(d_tape.gradient(d_loss, d_vars), d_vars))
    g_optimizer.apply_gradients(zip(g_tape.gradient(g_loss, g_vars), g_vars))
    return d_loss, g_loss
""",
        ),
        (
            "generator first",
            """
def gan_train_step(
    generator, discriminator, g_optimizer, d_optimizer, real, noise, d_loss_fn, g_loss_fn
):
    with tf.GradientTape() as tape:
        g_loss = g_loss_fn(discriminator(generator(noise)))
    g_vars = generator.trainable_variables
    g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
    with tf.GradientTape() as tape:
        d_loss = d_loss_fn(discriminator(real), discriminator(generator(noise)))
    d_vars = discriminator.trainable_variables
    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars))
    return d_loss, g_loss
""",
        ),
        (
            "optimizers swapped",
            """
def gan_train_step(
    generator, discriminator, g_optimizer, d_optimizer, real, noise, d_loss_fn, g_loss_fn
):
    with tf.GradientTape() as tape:
        d_loss = d_loss_fn(discriminator(real), discriminator(generator(noise)))
    d_vars = discriminator.trainable_variables
    g_optimizer.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars))
    with tf.GradientTape() as tape:
        g_loss = g_loss_fn(discriminator(generator(noise)))
    g_vars = generator.trainable_variables
    d_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
    return d_loss, g_loss
""",
        ),
    ],
}

# Red-team round: more ways to be right (the docstring's own formulas written literally,
# NumPy in float64, lists for tuples) and more plausible mistakes.
CORRECT["encoder_decoder"].append(
    """
def encoder_decoder(input_dim, hidden_dim, latent_dim, variational=False):
    def net(n_in, n_out):
        return keras.Sequential([
            keras.Input(shape=(n_in,)),
            keras.layers.Dense(hidden_dim, activation=keras.activations.relu),
            keras.layers.Dense(n_out, activation=None),
        ])
    return net(input_dim, latent_dim * (1 + int(variational))), net(latent_dim, input_dim)
"""
)
CORRECT["sample_latent"].append(
    """
def sample_latent(mu, log_var, eps):
    mu, log_var, eps = (np.asarray(t, np.float64) for t in (mu, log_var, eps))
    return mu + np.sqrt(np.exp(log_var)) * eps
"""
)
CORRECT["kl_divergence"].append(
    """
def kl_divergence(mu, log_var):
    mu, log_var = np.asarray(mu, np.float64), np.asarray(log_var, np.float64)
    return 0.5 * np.sum(np.exp(log_var) + mu**2 - 1 - log_var, axis=1)
"""
)
CORRECT["vae_loss"].extend(
    [
        # The Bernoulli log-likelihood written out on probabilities.
        """
def vae_loss(x, logits, mu, log_var, beta):
    p = tf.sigmoid(logits)
    bce = -(x * tf.math.log(p) + (1 - x) * tf.math.log(1 - p))
    rec = tf.reduce_mean(tf.reduce_sum(bce, axis=1))
    kl = tf.reduce_mean(0.5 * tf.reduce_sum(tf.exp(log_var) + mu**2 - 1 - log_var, axis=1))
    return rec + beta * kl, rec, kl
""",
        """
def vae_loss(x, logits, mu, log_var, beta):
    x, z = np.asarray(x, np.float64), np.asarray(logits, np.float64)
    rec = np.mean(np.sum(np.logaddexp(0.0, z) - x * z, axis=1))
    kl = float(np.mean(kl_divergence(mu, log_var)))
    return [rec + beta * kl, rec, kl]
""",
    ]
)
CORRECT["latent_traversal"].extend(
    [
        """
def latent_traversal(decoder, z, dim, values):
    z = tf.convert_to_tensor(z, tf.float32)
    v = tf.convert_to_tensor(values, tf.float32)
    pick = tf.one_hot(dim, tf.size(z)) > 0
    codes = tf.where(pick[None, :], v[:, None], z[None, :])
    return tf.sigmoid(decoder(codes))
""",
        # One code at a time, with the decoder's predict (NumPy out).
        """
def latent_traversal(decoder, z, dim, values):
    images = []
    for v in np.asarray(values):
        code = np.array(z, dtype=np.float32, copy=True)
        code[dim] = v
        images.append(decoder.predict(code[None, :], verbose=0)[0])
    return tf.sigmoid(np.stack(images))
""",
    ]
)
CORRECT["discriminator_loss"].extend(
    [
        # The docstring's formula, literally.
        """
def discriminator_loss(real_logits, fake_logits):
    d_real, d_fake = tf.sigmoid(real_logits), tf.sigmoid(fake_logits)
    return -tf.reduce_mean(tf.math.log(d_real)) - tf.reduce_mean(tf.math.log(1.0 - d_fake))
""",
        # Keras' loss on probabilities (it clips them at 1e-7).
        """
bce_p = keras.losses.BinaryCrossentropy()


def discriminator_loss(real_logits, fake_logits):
    real = bce_p(tf.ones_like(real_logits), tf.sigmoid(real_logits))
    return real + bce_p(tf.zeros_like(fake_logits), tf.sigmoid(fake_logits))
""",
    ]
)
CORRECT["generator_loss"].append(
    """
def generator_loss(fake_logits):
    return -tf.reduce_mean(tf.math.log(tf.sigmoid(fake_logits)))
"""
)

WRONG["encoder_decoder"].extend(
    [
        (
            "sigmoid hidden layers",
            """
def encoder_decoder(input_dim, hidden_dim, latent_dim, variational=False):
    k = 2 * latent_dim if variational else latent_dim
    encoder = keras.Sequential([keras.Input((input_dim,)),
                                keras.layers.Dense(hidden_dim, activation="sigmoid"),
                                keras.layers.Dense(k)])
    decoder = keras.Sequential([keras.Input((latent_dim,)),
                                keras.layers.Dense(hidden_dim, activation="sigmoid"),
                                keras.layers.Dense(input_dim)])
    return encoder, decoder
""",
        ),
        (
            "no ReLU in the decoder",
            """
def encoder_decoder(input_dim, hidden_dim, latent_dim, variational=False):
    k = 2 * latent_dim if variational else latent_dim
    encoder = keras.Sequential([keras.Input((input_dim,)),
                                keras.layers.Dense(hidden_dim, activation="relu"),
                                keras.layers.Dense(k)])
    decoder = keras.Sequential([keras.Input((latent_dim,)),
                                keras.layers.Dense(hidden_dim),
                                keras.layers.Dense(input_dim)])
    return encoder, decoder
""",
        ),
        (
            "decoder returned first",
            """
def encoder_decoder(input_dim, hidden_dim, latent_dim, variational=False):
    k = 2 * latent_dim if variational else latent_dim
    encoder = keras.Sequential([keras.Input((input_dim,)),
                                keras.layers.Dense(hidden_dim, activation="relu"),
                                keras.layers.Dense(k)])
    decoder = keras.Sequential([keras.Input((latent_dim,)),
                                keras.layers.Dense(hidden_dim, activation="relu"),
                                keras.layers.Dense(input_dim)])
    return decoder, encoder
""",
        ),
    ]
)
WRONG["sample_latent"].extend(
    [
        (
            "half the variance as sigma",
            "def sample_latent(mu, log_var, eps):\n    return mu + 0.5 * tf.exp(log_var) * eps\n",
        ),
        (
            "fresh noise instead of eps",
            "def sample_latent(mu, log_var, eps):\n"
            "    return mu + tf.exp(0.5 * log_var) * tf.random.normal(tf.shape(mu))\n",
        ),
    ]
)
WRONG["kl_divergence"].extend(
    [
        (
            "keepdims: (batch, 1), not (batch,)",
            "def kl_divergence(mu, log_var):\n"
            "    t = tf.exp(log_var) + mu**2 - 1.0 - log_var\n"
            "    return 0.5 * tf.reduce_sum(t, axis=-1, keepdims=True)\n",
        ),
        (
            "summed over the batch axis",
            "def kl_divergence(mu, log_var):\n"
            "    return 0.5 * tf.reduce_sum(tf.exp(log_var) + mu**2 - 1.0 - log_var, axis=0)\n",
        ),
        (
            "the -1 forgotten",
            "def kl_divergence(mu, log_var):\n"
            "    return 0.5 * tf.reduce_sum(tf.exp(log_var) + mu**2 - log_var, axis=-1)\n",
        ),
    ]
)
WRONG["vae_loss"].extend(
    [
        (
            "squared error as reconstruction",
            """
def vae_loss(x, logits, mu, log_var, beta):
    rec = tf.reduce_mean(tf.reduce_sum(tf.square(x - tf.sigmoid(logits)), axis=1))
    kl = tf.reduce_mean(kl_divergence(mu, log_var))
    return rec + beta * kl, rec, kl
""",
        ),
        (
            "KL averaged over latents",
            """
def vae_loss(x, logits, mu, log_var, beta):
    bce = tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits)
    rec = tf.reduce_mean(tf.reduce_sum(bce, axis=1))
    kl = 0.5 * tf.reduce_mean(tf.exp(log_var) + mu**2 - 1 - log_var)
    return rec + beta * kl, rec, kl
""",
        ),
        (
            "the three values in another order",
            """
def vae_loss(x, logits, mu, log_var, beta):
    bce = tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits)
    rec = tf.reduce_mean(tf.reduce_sum(bce, axis=1))
    kl = tf.reduce_mean(kl_divergence(mu, log_var))
    return rec, kl, rec + beta * kl
""",
        ),
    ]
)
WRONG["latent_traversal"].extend(
    [
        (
            "the other latents set to zero",
            """
def latent_traversal(decoder, z, dim, values):
    codes = np.zeros((len(values), len(z)), np.float32)
    codes[:, dim] = values
    return tf.sigmoid(decoder(codes))
""",
        ),
        (
            "the latent multiplied by the value",
            """
def latent_traversal(decoder, z, dim, values):
    codes = np.tile(np.asarray(z, np.float32), (len(values), 1))
    codes[:, dim] *= values
    return tf.sigmoid(decoder(codes))
""",
        ),
    ]
)
WRONG["latent_traversal"].append(
    (
        "works on NumPy arrays only (the docstring allows tensors too)",
        """
def latent_traversal(decoder, z, dim, values):
    rows = []
    for v in values:
        code = z.copy()
        code[dim] = v
        rows.append(code)
    return tf.sigmoid(decoder(np.stack(rows)))
""",
    )
)
WRONG["discriminator_loss"].extend(
    [
        (
            "the fake term subtracted",
            "def discriminator_loss(real_logits, fake_logits):\n"
            "    return (tf.reduce_mean(tf.nn.softplus(-real_logits))\n"
            "            - tf.reduce_mean(tf.nn.softplus(fake_logits)))\n",
        ),
        (
            "sums instead of means",
            "def discriminator_loss(real_logits, fake_logits):\n"
            "    return (tf.reduce_sum(tf.nn.softplus(-real_logits))\n"
            "            + tf.reduce_sum(tf.nn.softplus(fake_logits)))\n",
        ),
        (
            "the real term only",
            "def discriminator_loss(real_logits, fake_logits):\n"
            "    return tf.reduce_mean(tf.nn.softplus(-real_logits))\n",
        ),
    ]
)
WRONG["generator_loss"].append(
    (
        "minimises -log(1 - D(G(z))): the fakes pushed towards 'fake'",
        "def generator_loss(fake_logits):\n"
        "    return tf.reduce_mean(tf.nn.softplus(fake_logits))\n",
    )
)
WRONG["gan_train_step"].extend(
    [
        (
            "Python floats returned (the step runs inside tf.function)",
            """
def gan_train_step(
    generator, discriminator, g_optimizer, d_optimizer, real, noise, d_loss_fn, g_loss_fn
):
    d_vars = discriminator.trainable_weights
    with tf.GradientTape() as tape:
        loss_d = d_loss_fn(discriminator(real), discriminator(generator(noise)))
    d_optimizer.apply(tape.gradient(loss_d, d_vars), d_vars)
    g_vars = generator.trainable_weights
    with tf.GradientTape() as tape:
        loss_g = g_loss_fn(discriminator(generator(noise)))
    g_optimizer.apply(tape.gradient(loss_g, g_vars), g_vars)
    return float(loss_d), float(loss_g)
""",
        ),
        (
            ".numpy() inside the step",
            """
def gan_train_step(
    generator, discriminator, g_optimizer, d_optimizer, real, noise, d_loss_fn, g_loss_fn
):
    with tf.GradientTape() as tape:
        d_loss = d_loss_fn(discriminator(real), discriminator(generator(noise)))
    d_vars = discriminator.trainable_variables
    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars))
    with tf.GradientTape() as tape:
        g_loss = g_loss_fn(discriminator(generator(noise)))
    g_vars = generator.trainable_variables
    g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
    return d_loss.numpy(), g_loss.numpy()
""",
        ),
        (
            "the generator's step also moves the discriminator",
            """
def gan_train_step(
    generator, discriminator, g_optimizer, d_optimizer, real, noise, d_loss_fn, g_loss_fn
):
    with tf.GradientTape() as tape:
        d_loss = d_loss_fn(discriminator(real), discriminator(generator(noise)))
    d_vars = discriminator.trainable_variables
    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars))
    with tf.GradientTape() as tape:
        g_loss = g_loss_fn(discriminator(generator(noise)))
    g_vars = generator.trainable_variables + discriminator.trainable_variables
    g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
    return d_loss, g_loss
""",
        ),
        (
            "new noise for the generator's step",
            """
def gan_train_step(
    generator, discriminator, g_optimizer, d_optimizer, real, noise, d_loss_fn, g_loss_fn
):
    with tf.GradientTape() as tape:
        d_loss = d_loss_fn(discriminator(real), discriminator(generator(noise)))
    d_vars = discriminator.trainable_variables
    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars))
    with tf.GradientTape() as tape:
        g_loss = g_loss_fn(discriminator(generator(tf.random.normal(tf.shape(noise)))))
    g_vars = generator.trainable_variables
    g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
    return d_loss, g_loss
""",
        ),
        (
            "the losses returned as (g_loss, d_loss)",
            """
def gan_train_step(
    generator, discriminator, g_optimizer, d_optimizer, real, noise, d_loss_fn, g_loss_fn
):
    with tf.GradientTape() as tape:
        d_loss = d_loss_fn(discriminator(real), discriminator(generator(noise)))
    d_vars = discriminator.trainable_variables
    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars))
    with tf.GradientTape() as tape:
        g_loss = g_loss_fn(discriminator(generator(noise)))
    g_vars = generator.trainable_variables
    g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
    return g_loss, d_loss
""",
        ),
        (
            "one batch of fakes, made before the discriminator's step, reused",
            """
def gan_train_step(
    generator, discriminator, g_optimizer, d_optimizer, real, noise, d_loss_fn, g_loss_fn
):
    fake = generator(noise)
    with tf.GradientTape() as tape:
        d_loss = d_loss_fn(discriminator(real), discriminator(fake))
    d_vars = discriminator.trainable_variables
    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars))
    with tf.GradientTape() as tape:
        g_loss = g_loss_fn(discriminator(fake))
    g_vars = generator.trainable_variables
    g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
    return d_loss, g_loss
""",
        ),
    ]
)
