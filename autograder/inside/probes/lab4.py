"""Probes for lab 4: the code that calls an implementation and returns plain arrays.

This module (with the preamble) is the only lab code the isolated runner imports: it holds
no answers and no input generators (those stay in the trusted ``autograder/labs/lab4.py``).
A probe runs in the student's process on one case of inputs the grader drew.
"""

from __future__ import annotations

import numpy as np

from autograder.inside.probes import PREAMBLE, tf_module

__all__ = ["PREAMBLE", "PROBES"]


def _probe_coder(impl, inputs):
    tf = tf_module()
    d, h, k, variational = (int(v) for v in inputs["dims"])
    encoder, decoder = impl(d, h, k, bool(variational))
    for model, x in ((encoder, inputs["x"]), (decoder, inputs["z"])):
        if not model.weights:  # built lazily: a call builds it
            model(tf.constant(x))
    encoder.set_weights([inputs[f"enc{i}"] for i in range(4)])
    decoder.set_weights([inputs[f"dec{i}"] for i in range(4)])
    return {
        "code": encoder(tf.constant(inputs["x"])),
        "decoded": decoder(tf.constant(inputs["z"])),
        "num_params": np.array([encoder.count_params(), decoder.count_params()], np.int64),
    }


def _probe_sample(impl, inputs):
    tf = tf_module()
    return {"z": impl(*(tf.constant(inputs[k]) for k in ("mu", "log_var", "eps")))}


def _probe_kl(impl, inputs):
    tf = tf_module()
    return {"kl": impl(tf.constant(inputs["mu"]), tf.constant(inputs["log_var"]))}


def _probe_vae_loss(impl, inputs):
    tf = tf_module()
    args = [tf.constant(inputs[k]) for k in ("x", "logits", "mu", "log_var")]
    loss, reconstruction, kl = impl(*args, float(inputs["beta"]))
    return {"loss": loss, "reconstruction": reconstruction, "kl": kl}


def _probe_traversal(impl, inputs):
    tf = tf_module()
    keras = tf.keras
    k, d = inputs["kernel"].shape
    decoder = keras.Sequential([keras.Input((k,)), keras.layers.Dense(d)])
    decoder.set_weights([inputs["kernel"], inputs["bias"]])
    z, values = inputs["z"], inputs["values"]
    if int(inputs.get("as_tensors", 0)):  # the docstring allows arrays or tensors
        z, values = tf.constant(z), tf.constant(values)
    return {"images": impl(decoder, z, int(inputs["dim"]), values)}


def _probe_d_loss(impl, inputs):
    tf = tf_module()
    return {"loss": impl(tf.constant(inputs["real_logits"]), tf.constant(inputs["fake_logits"]))}


def _probe_g_loss(impl, inputs):
    return {"loss": impl(tf_module().constant(inputs["fake_logits"]))}


def _lsgan_d_loss(real_out, fake_out):
    tf = tf_module()
    return tf.reduce_mean(tf.square(real_out - 1.0)) + tf.reduce_mean(tf.square(fake_out))


def _lsgan_g_loss(fake_out):
    tf = tf_module()
    return tf.reduce_mean(tf.square(fake_out - 1.0))


def _probe_gan_step(impl, inputs):
    tf = tf_module()
    keras = tf.keras
    generator = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(6, activation="tanh"), keras.layers.Dense(2)]
    )
    discriminator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(6, activation="tanh"), keras.layers.Dense(1)]
    )
    generator.set_weights([inputs[f"g{i}"] for i in range(4)])
    discriminator.set_weights([inputs[f"d{i}"] for i in range(4)])
    g_opt = keras.optimizers.SGD(learning_rate=float(inputs["lr"][0]))
    d_opt = keras.optimizers.SGD(learning_rate=float(inputs["lr"][1]))
    real = tf.constant(inputs["real"])
    # The lab runs the step inside tf.function (its docstring says so): so does the probe,
    # in a function of its own (an impl the student decorated is unwrapped first, so that
    # its first trace is this case's).
    step = tf.function(getattr(impl, "python_function", impl))
    losses = []
    for noise in inputs["noise"]:
        d_loss, g_loss = step(
            generator,
            discriminator,
            g_opt,
            d_opt,
            real,
            tf.constant(noise),
            _lsgan_d_loss,
            _lsgan_g_loss,
        )
        losses.append([float(d_loss), float(g_loss)])
    out = {"losses": np.array(losses, np.float32)}
    for i, w in enumerate(generator.get_weights() + discriminator.get_weights()):
        out[f"w{i}"] = np.asarray(w)
    return out


PROBES = {
    "encoder_decoder": _probe_coder,
    "sample_latent": _probe_sample,
    "kl_divergence": _probe_kl,
    "vae_loss": _probe_vae_loss,
    "latent_traversal": _probe_traversal,
    "discriminator_loss": _probe_d_loss,
    "generator_loss": _probe_g_loss,
    "gan_train_step": _probe_gan_step,
}
