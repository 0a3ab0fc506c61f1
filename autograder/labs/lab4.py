"""Grading spec for lab 4 (deep generative models): inputs, points, tolerances.

Trusted (see autograder/labs/__init__.py); its probes: autograder/inside/probes/lab4.py.
The GAN training step is probed with least-squares GAN losses, which are not the lab's losses.
"""

from __future__ import annotations

import numpy as np

from autograder.inside.probes.lab4 import (
    PREAMBLE,
    _probe_coder,
    _probe_d_loss,
    _probe_g_loss,
    _probe_gan_step,
    _probe_kl,
    _probe_sample,
    _probe_traversal,
    _probe_vae_loss,
)
from autograder.spec import Exercise, LabSpec


def _dense_weights(rng, sizes):
    """Kernels and biases for consecutive dense layers of the given widths."""
    out = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        out.append(rng.normal(0, 1 / np.sqrt(n_in), size=(n_in, n_out)).astype(np.float32))
        out.append(rng.normal(0, 0.1, size=(n_out,)).astype(np.float32))
    return out


def _coder_case(rng, variational, negative_codes=False):
    d, h, k = int(rng.integers(6, 20)), int(rng.integers(3, 9)), int(rng.integers(2, 5))
    code = 2 * k if variational else k
    inputs = {
        "dims": np.array([d, h, k, int(variational)], np.int64),
        "x": rng.uniform(size=(5, d)).astype(np.float32),
        "z": rng.normal(size=(5, k)).astype(np.float32),
    }
    for i, w in enumerate(_dense_weights(rng, [d, h, code])):
        inputs[f"enc{i}"] = w
    for i, w in enumerate(_dense_weights(rng, [k, h, d])):
        inputs[f"dec{i}"] = w
    if negative_codes:  # a linear output layer gives negative codes; a ReLU one cannot
        inputs["enc3"] = np.full(code, -2.0, np.float32)
        inputs["dec3"] = np.full(d, -2.0, np.float32)
    return inputs


def _coder_inputs(rng):
    """Both settings of `variational`, codes and logits that must be negative, then one
    random case."""
    return [
        _coder_case(rng, False, negative_codes=True),
        _coder_case(rng, True, negative_codes=True),
        _coder_case(rng, bool(rng.integers(0, 2))),
    ]


def _gaussian_case(rng, shape):
    return {
        "mu": rng.normal(0, 1.5, size=shape).astype(np.float32),
        "log_var": rng.normal(0, 1.0, size=shape).astype(np.float32),
        "eps": rng.normal(size=shape).astype(np.float32),
    }


def _gaussian_inputs(rng):
    """Several latents and examples (a sum is not a mean), one latent, then random."""
    return [
        _gaussian_case(rng, (4, 3)),
        _gaussian_case(rng, (3, 1)),
        _gaussian_case(rng, (int(rng.integers(2, 9)), int(rng.integers(1, 7)))),
    ]


def _vae_loss_case(rng, beta):
    n, d, k = int(rng.integers(3, 10)), int(rng.integers(8, 30)), int(rng.integers(2, 6))
    return {
        "x": rng.uniform(size=(n, d)).astype(np.float32),
        "logits": rng.normal(0, 2, size=(n, d)).astype(np.float32),
        "mu": rng.normal(0, 1.5, size=(n, k)).astype(np.float32),
        "log_var": rng.normal(0, 1, size=(n, k)).astype(np.float32),
        "beta": np.float32(beta),
    }


def _vae_loss_inputs(rng):
    """beta above and below 1 (beta = 1 hides where it goes), then a random beta."""
    return [
        _vae_loss_case(rng, 4.0),
        _vae_loss_case(rng, 0.5),
        _vae_loss_case(rng, rng.choice([0.5, 1.0, 4.0, 10.0])),
    ]


def _traversal_case(rng, dim=None):
    k, d = int(rng.integers(2, 6)), int(rng.integers(4, 12))
    dim = int(rng.integers(0, k)) if dim is None else dim % k
    return {
        "kernel": rng.normal(size=(k, d)).astype(np.float32),
        "bias": rng.normal(size=(d,)).astype(np.float32),
        "z": rng.normal(size=(k,)).astype(np.float32),
        "dim": np.int64(dim),
        "values": np.linspace(-3, 3, int(rng.integers(3, 9))).astype(np.float32),
    }


def _traversal_inputs(rng):
    """The first and the last latent, then a random one; z and values as NumPy arrays,
    except in the second case, where they are tensors (the docstring allows both)."""
    as_tensors = _traversal_case(rng, -1)
    as_tensors["as_tensors"] = np.int64(1)
    return [_traversal_case(rng, 0), as_tensors, _traversal_case(rng)]


def _logit_case(rng, n_real, n_fake):
    return {
        "real_logits": rng.normal(0, 3, size=(n_real, 1)).astype(np.float32),
        "fake_logits": rng.normal(0, 3, size=(n_fake, 1)).astype(np.float32),
    }


def _logit_inputs(rng):
    """Batches of different sizes (each term is its own mean), equal sizes, random."""
    return [
        _logit_case(rng, 7, 19),
        _logit_case(rng, 12, 12),
        _logit_case(rng, int(rng.integers(4, 30)), int(rng.integers(4, 30))),
    ]


def _gan_inputs(rng):
    n = int(rng.integers(8, 24))
    inputs = {
        "real": rng.normal(size=(n, 2)).astype(np.float32),
        "noise": rng.normal(size=(3, n, 3)).astype(np.float32),
        "lr": np.array(rng.uniform(0.01, 0.1, size=2), np.float32),
    }
    for i, w in enumerate(_dense_weights(rng, [3, 6, 2])):
        inputs[f"g{i}"] = w
    for i, w in enumerate(_dense_weights(rng, [2, 6, 1])):
        inputs[f"d{i}"] = w
    return inputs


SPEC = LabSpec(
    lab_id="lab4",
    notebook="labs/lab4_generative_models.ipynb",
    solutions_module="lab4.py",
    preamble=PREAMBLE,
    exercises=(
        Exercise(
            "encoder_decoder",
            3,
            "An encoder and a decoder",
            _probe_coder,
            _coder_inputs,
            rtol=1e-4,
            atol=1e-5,
            time_limit=60,
            hint="Dense(hidden, relu) then a linear Dense in each; the encoder has "
            "2 * latent_dim outputs when variational",
        ),
        Exercise(
            "sample_latent",
            2,
            "Sampling with the reparameterisation trick",
            _probe_sample,
            _gaussian_inputs,
            rtol=1e-5,
            atol=1e-5,
            time_limit=30,
            hint="sigma = exp(log_var / 2), z = mu + sigma * eps",
        ),
        Exercise(
            "kl_divergence",
            2,
            "The KL divergence to the prior",
            _probe_kl,
            _gaussian_inputs,
            rtol=1e-4,
            atol=1e-4,
            time_limit=30,
            hint="0.5 * sum over latents of (sigma^2 + mu^2 - 1 - log sigma^2), "
            "with sigma^2 = exp(log_var)",
        ),
        Exercise(
            "vae_loss",
            3,
            "The (β-)VAE loss",
            _probe_vae_loss,
            _vae_loss_inputs,
            rtol=1e-4,
            atol=1e-4,
            time_limit=30,
            hint="sum the cross-entropy over pixels and the KL over latents, then average "
            "each over the batch; loss = reconstruction + beta * kl",
        ),
        Exercise(
            "latent_traversal",
            2,
            "A latent traversal",
            _probe_traversal,
            _traversal_inputs,
            rtol=1e-5,
            atol=1e-6,
            time_limit=30,
            hint="one code per value, all equal to z except at position dim; return "
            "tf.sigmoid(decoder(codes))",
        ),
        Exercise(
            "discriminator_loss",
            2,
            "The discriminator's loss",
            _probe_d_loss,
            _logit_inputs,
            rtol=1e-4,
            atol=1e-5,
            time_limit=30,
            hint="binary cross-entropy with label 1 for real and 0 for fake, each averaged, "
            "then added",
        ),
        Exercise(
            "generator_loss",
            1,
            "The non-saturating generator loss",
            _probe_g_loss,
            _logit_inputs,
            rtol=1e-4,
            atol=1e-5,
            time_limit=30,
            hint="-log D(G(z)): binary cross-entropy of the fake logits with label 1",
        ),
        Exercise(
            "gan_train_step",
            3,
            "One GAN training step",
            _probe_gan_step,
            _gan_inputs,
            rtol=1e-4,
            atol=1e-5,
            time_limit=90,
            hint="first update the discriminator on d_loss_fn, then compute g_loss_fn with "
            "the updated discriminator and update the generator; return the two losses as "
            "tensors, with TensorFlow operations only (the step runs inside tf.function)",
        ),
    ),
)
