"""Chapter 4's corrections of the lecture notes, pinned on the chapter's own code.

Erratum 7: the VAE's KL term is +1/2 sum(sigma^2 + mu^2 - 1 - log sigma^2).
Erratum 8: the discriminator maximises log D(x) + log(1 - D(G(z))); the generator minimises
log(1 - D(G(z))), in practice -log D(G(z)) (non-saturating).
"""

import re

import numpy as np
import pytest
from conftest import REPO
from testkit import chapter_source, code_cells

CHAPTER = REPO / "book" / "04_deep_generative_modelling.md"


@pytest.fixture(scope="module")
def chapter():
    """The functions defined in the chapter's code cells that these tests pin."""
    import tensorflow as tf
    from tensorflow import keras

    cells = code_cells(chapter_source(CHAPTER.name))
    namespace = {"tf": tf, "keras": keras, "np": np}
    wanted = ("def kl_divergence", "def discriminator_loss")
    for cell in cells:
        if any(w in cell for w in wanted):
            # keep the definitions, drop the demonstration loop that follows them
            exec(cell.split("\nfor d_fake")[0], namespace)
    return namespace


def _monte_carlo_kl(mu, log_var, n=400_000, seed=0):
    z = mu + np.exp(0.5 * log_var) * np.random.default_rng(seed).normal(size=(n, len(mu)))
    log_q = -0.5 * np.sum(log_var + (z - mu) ** 2 / np.exp(log_var), axis=1)
    return float(np.mean(log_q + 0.5 * np.sum(z**2, axis=1)))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kl_term_equals_monte_carlo_estimate(chapter, seed):
    rng = np.random.default_rng(seed)
    mu, log_var = rng.normal(0, 1, size=3), rng.normal(0, 0.7, size=3)
    got = float(
        chapter["kl_divergence"](mu[None].astype("float32"), log_var[None].astype("float32"))[0]
    )
    assert got == pytest.approx(_monte_carlo_kl(mu, log_var), rel=0.02)
    sigma = np.exp(0.5 * log_var)
    closed = 0.5 * np.sum(sigma**2 + mu**2 - 1 - np.log(sigma**2))
    assert got == pytest.approx(closed, rel=1e-5)
    slide = -0.5 * np.sum(sigma + mu**2 - 1 - np.log(sigma))  # the notes' form
    assert abs(got - slide) > 0.1


def test_kl_term_is_zero_at_the_prior_and_positive_elsewhere(chapter):
    kl = chapter["kl_divergence"]
    assert float(kl(np.zeros((1, 4), "float32"), np.zeros((1, 4), "float32"))[0]) == 0.0
    rng = np.random.default_rng(3)
    values = kl(
        rng.normal(size=(50, 4)).astype("float32"), rng.normal(size=(50, 4)).astype("float32")
    ).numpy()
    assert np.all(values > 0)


def test_lab_solution_uses_the_same_kl():
    import importlib.util

    spec = importlib.util.spec_from_file_location("_lab4_solutions", REPO / "solutions/lab4.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    mu, log_var = np.array([[0.3, -1.2]], "float32"), np.array([[0.5, -0.4]], "float32")
    got = float(module.kl_divergence(mu, log_var)[0])
    assert got == pytest.approx(_monte_carlo_kl(mu[0], log_var[0]), rel=0.02)


def test_gan_losses_have_the_correct_signs(chapter):
    rng = np.random.default_rng(4)
    real, fake = (
        rng.normal(size=(20, 1)).astype("float32"),
        rng.normal(size=(30, 1)).astype("float32"),
    )
    d_real, d_fake = 1 / (1 + np.exp(-real)), 1 / (1 + np.exp(-fake))
    # The discriminator minimises -[E log D(x) + E log(1 - D(G(z)))] = maximises the value.
    value = np.mean(np.log(d_real)) + np.mean(np.log(1 - d_fake))
    assert float(chapter["discriminator_loss"](real, fake)) == pytest.approx(-value, rel=1e-4)
    # The generator's practical loss is -E log D(G(z)) ...
    assert float(chapter["generator_loss"](fake)) == pytest.approx(
        -np.mean(np.log(d_fake)), rel=1e-4
    )
    # ... and the minimax form it replaces is E log(1 - D(G(z))), minimised by G.
    assert float(chapter["saturating_generator_loss"](fake)) == pytest.approx(
        np.mean(np.log(1 - d_fake)), rel=1e-4
    )


# --- issue 13 §3 erratum 7, issue 14's measured claims, the faces' new knob -------------------


def test_erratum_7_a_plain_autoencoder_learns_no_density():
    source = chapter_source(CHAPTER.name)
    assert "Autoencoders learn a density and sample from it" not in source
    assert "a plain autoencoder learns neither" in " ".join(source.split())
    assert "ELBO" in source and "{cite}`burda2016importance`" in source


def test_prior_sample_numbers_are_glued_not_typed():
    source = chapter_source(CHAPTER.name)
    for typed in ("(37 % against 25 %)", "(41 %)", "(86 %)", "0.17, 0.27 and 0.50"):
        assert typed not in source
    for key in ("vae_share", "ae_share", "vae_classes", "ae_classes", "fitted_share"):
        assert "{glue:text}`" + key in source


def test_effective_classes_counts_how_many_digits_the_samples_spread_over():
    from testkit import definition

    namespace = {"np": np}
    exec("import tensorflow as tf", namespace)
    exec(definition(chapter_source(CHAPTER.name), "effective_classes"), namespace)
    one_hot = np.eye(10, dtype="float32") * 20.0  # confident logits, one per class
    namespace["classifier"] = lambda images: images  # images stand for logits here
    assert namespace["effective_classes"](one_hot) == pytest.approx(10.0)
    assert namespace["effective_classes"](np.repeat(one_hot[:1], 7, 0)) == pytest.approx(1.0)
    two = np.concatenate([one_hot[:1], one_hot[:1], one_hot[1:2], one_hot[1:2]])
    assert namespace["effective_classes"](two) == pytest.approx(2.0)


def test_faces_default_is_unchanged_and_mouth_width_thickens_the_mouth():
    from mit6s191_utils.generative import draw_faces, faces

    images, factors = faces(50, size=24, seed=3)
    np.testing.assert_array_equal(draw_faces(factors, 24), images)
    thick, same_factors = faces(50, size=24, seed=3, mouth_width=1.6)
    np.testing.assert_array_equal(same_factors, factors)
    assert thick.sum() > images.sum() and np.all(thick >= images - 1e-6)
    # the smile moves more pixels with a thicker mouth
    frown_smile = np.array([[0.0, -1.0], [0.0, 1.0]], np.float32)
    thin_change = np.abs(np.diff(draw_faces(frown_smile, 24, 0.8), axis=0)).sum()
    thick_change = np.abs(np.diff(draw_faces(frown_smile, 24, 1.6), axis=0)).sum()
    assert thick_change > 1.3 * thin_change


def test_faces_reject_bad_arguments_with_a_clear_message():
    from mit6s191_utils.generative import draw_faces, faces

    with pytest.raises(ValueError, match="mouth_width"):
        faces(5, mouth_width=0)
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        draw_faces(np.zeros((3, 3)))
    assert draw_faces(np.zeros((0, 2))).shape == (0, 24, 24)


# --- issue 13 §2: better datasets from latent distributions (claim C20) ----------------------


@pytest.fixture(scope="module")
def resampling():
    from testkit import definition

    namespace = {"np": np}
    exec(definition(chapter_source(CHAPTER.name), "resampling_probabilities"), namespace)
    exec(definition(chapter_source(CHAPTER.name), "group_accuracy"), namespace)
    return namespace


def test_resampling_favours_codes_in_sparse_regions(resampling):
    probabilities = resampling["resampling_probabilities"]
    rng = np.random.default_rng(0)
    codes = rng.normal(size=(1000, 3))
    codes[:50, 1] += 6.0  # 5 % of the examples far out on latent 1
    for combine in ("product", "max"):
        p = probabilities(codes, smoothing=0.001, combine=combine)
        assert p.shape == (1000,) and np.all(p > 0)
        assert p.sum() == pytest.approx(1.0)
        assert p[:50].sum() > 3 * 0.05, combine  # the rare 5 % drawn far more often
    # the smaller the smoothing, the harder resampling pushes towards rare codes
    shares = [probabilities(codes, smoothing=a)[:50].sum() for a in (1.0, 0.1, 0.001)]
    assert shares[0] < shares[1] < shares[2]
    # a large smoothing flattens the weights towards uniform
    flat = probabilities(codes, smoothing=100.0)
    assert flat.max() / flat.min() < 1.05
    # equal codes everywhere: every example equally likely
    assert np.allclose(probabilities(np.zeros((10, 2))), 0.1)


def test_resampling_rejects_bad_input_with_a_clear_message(resampling):
    probabilities = resampling["resampling_probabilities"]
    with pytest.raises(ValueError, match=r"codes must be \(n >= 2, latents\)"):
        probabilities(np.zeros(10))
    with pytest.raises(ValueError, match="combine must be 'product' or 'max'"):
        probabilities(np.zeros((10, 2)), combine="mean")


def test_group_accuracy_scores_each_group_separately(resampling):
    logits = np.array([[3.0], [-2.0], [1.0], [-1.0]])

    class Model:
        def __call__(self, x):
            return type("T", (), {"numpy": lambda _: logits})()

    is_face = np.array([1, 0, 0, 1], "float32")
    is_rare = np.array([True, True, False, False])
    assert resampling["group_accuracy"](Model(), None, is_face, is_rare) == (1.0, 0.0)


def test_face_detection_data_makes_the_attribute_rare_among_faces_only():
    from mit6s191_utils.generative import draw_faces, face_detection_data, shade_faces

    images, is_face, is_rare = face_detection_data(1000, 1000, seed=4)
    assert images.shape == (2000, 24, 24) and images.dtype == np.float32
    assert is_face.dtype == np.float32 and is_rare.dtype == bool
    assert 0 <= images.min() and images.max() <= 1 and is_face.sum() == 1000
    assert 0.02 < is_rare[is_face == 1].mean() < 0.08
    assert 0.4 < is_rare[is_face == 0].mean() < 0.6
    again = face_detection_data(1000, 1000, seed=4)
    assert all(np.array_equal(a, b) for a, b in zip(again, (images, is_face, is_rare)))
    # shaded: a grey head with dark strokes; the others light strokes on black
    grey = np.mean(np.abs(images - 0.7) < 0.01, axis=(1, 2))  # the head's default tone
    assert grey[is_rare].min() > 0.3 > 0.05 > grey[~is_rare].max()
    # shading keeps the drawing: its strokes are the dark pixels inside the head
    face = draw_faces(np.array([[0.3, -0.5]], np.float32))
    shaded = shade_faces(face)
    assert np.all(shaded[face > 0.99] < 0.01) and shaded[0, 0, 0] == 0
    # non-faces are made of the same parts, so ink alone does not tell them apart
    ink = images.sum(axis=(1, 2))
    faces_ink = ink[(is_face == 1) & ~is_rare].mean()
    assert ink[(is_face == 0) & ~is_rare].mean() == pytest.approx(faces_ink, rel=0.25)


def test_face_detection_data_rejects_bad_arguments_with_a_clear_message():
    from mit6s191_utils.generative import face_detection_data, shade_faces

    with pytest.raises(ValueError, match="rare_share is a probability"):
        face_detection_data(10, 10, rare_share=5)
    with pytest.raises(ValueError, match="n_faces >= 1"):
        face_detection_data(0, 10)
    with pytest.raises(ValueError, match="tone must be in"):
        shade_faces(np.zeros((1, 24, 24)), tone=0)
    with pytest.raises(ValueError, match=r"shape \(n, size, size\)"):
        shade_faces(np.zeros((24, 24)))


def test_debiasing_numbers_are_glued_not_typed():
    source = chapter_source(CHAPTER.name)
    section = source[source.index("## Better datasets") : source.index("## Generative adv")]
    prose = "\n".join(line for line in re.sub(r"```.*?```", "", section, flags=re.S).splitlines())
    for key in ("as_drawn_rare", "resampled_rare", "resampled_common", "rare_gain"):
        assert "{glue:text}`" + key in prose
    # no measured percentage typed in the prose (parameters like 0.1 are not percentages)
    typed = re.findall(r"(?<![`\w.])\d+(?:\.\d+)? %", prose.replace("5 %", ""))
    assert not typed, typed
    assert "{cite}`amini2019uncovering`" in section
