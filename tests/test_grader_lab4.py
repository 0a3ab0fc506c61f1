"""The autograder on lab 4: shipped lab scores 0, solved lab full marks on fresh inputs,
one wrong exercise loses exactly its points with a reason."""

import pytest
import testkit

LAB = "lab4"


WRONG = {
    # Erratum 7: the slide's KL, with the wrong sign and no squares.
    "kl_divergence": (
        "def kl_divergence(mu, log_var):\n"
        "    sigma = tf.exp(0.5 * log_var)\n"
        "    return -0.5 * tf.reduce_sum(sigma + mu**2 - 1.0 - tf.math.log(sigma), axis=-1)\n",
        "wrong",
        "wrong values",
    ),
    # sigma taken as exp(log_var): the variance, not the standard deviation.
    "sample_latent": (
        "def sample_latent(mu, log_var, eps):\n    return mu + tf.exp(log_var) * eps\n",
        "wrong",
        "wrong values",
    ),
    # reconstruction averaged over pixels instead of summed.
    "vae_loss": (
        "def vae_loss(x, logits, mu, log_var, beta):\n"
        "    bce = tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits)\n"
        "    rec = tf.reduce_mean(bce)\n"
        "    kl = tf.reduce_mean(0.5 * tf.reduce_sum(tf.exp(log_var) + mu**2 - 1 - log_var, -1))\n"
        "    return rec + beta * kl, rec, kl\n",
        "wrong",
        "wrong values",
    ),
    # Erratum 8: the saturating form log(1 - D(G(z))) instead of -log D(G(z)).
    "generator_loss": (
        "def generator_loss(fake_logits):\n"
        "    return -tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(\n"
        "        labels=tf.zeros_like(fake_logits), logits=fake_logits))\n",
        "wrong",
        "wrong values",
    ),
    # labels swapped: real called fake and fake called real.
    "discriminator_loss": (
        "def discriminator_loss(real_logits, fake_logits):\n"
        "    bce = keras.losses.BinaryCrossentropy(from_logits=True)\n"
        "    return (bce(tf.zeros_like(real_logits), real_logits)\n"
        "            + bce(tf.ones_like(fake_logits), fake_logits))\n",
        "wrong",
        "wrong values",
    ),
    # the generator step is taken against the discriminator from before its update.
    "gan_train_step": (
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
    # the traversal returns logits instead of pixel probabilities.
    "latent_traversal": (
        "def latent_traversal(decoder, z, dim, values):\n"
        "    codes = np.repeat(np.asarray(z, 'float32')[None], len(values), axis=0)\n"
        "    codes[:, dim] = values\n"
        "    return decoder(codes)\n",
        "wrong",
        "wrong values",
    ),
}


# The reference vae_loss calls kl_divergence, as the lab asks: a wrong KL costs both.
CALLED_BY = {"kl_divergence": "vae_loss"}


@pytest.mark.parametrize("name", sorted(n for n in WRONG if n not in CALLED_BY))
def test_one_wrong_exercise_loses_exactly_its_points(tmp_path, name):
    testkit.check_wrong_loses_its_points(LAB, tmp_path, name, *WRONG[name])


def test_a_wrong_exercise_costs_the_one_that_calls_it_and_says_so(tmp_path):
    from autograder import grade_notebook
    from autograder.labs import get_spec

    spec = get_spec(LAB)
    points = {ex.name: ex.points for ex in spec.exercises}
    for name, caller in CALLED_BY.items():
        code = WRONG[name][0]
        path = testkit.write_solved(LAB, tmp_path / f"{name}.ipynb", wrong={name: code})
        report = grade_notebook(path, seed=5)
        results = {r.name: r for r in report.results}
        assert results[name].status == "wrong", results[name].feedback
        assert results[caller].points == 0
        assert f"`{caller}` calls" in results[caller].feedback, results[caller].feedback
        assert name in results[caller].feedback and "fix that first" in results[caller].feedback
        assert report.score == spec.total_points - points[name] - points[caller]
