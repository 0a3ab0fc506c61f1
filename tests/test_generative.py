"""mit6s191_utils.generative: faces with known factors, the disentanglement score, the ring
of Gaussians and its mode-coverage metric."""

import numpy as np
import pytest

from mit6s191_utils.generative import (
    FACE_FACTORS,
    disentanglement_score,
    faces,
    factor_r2,
    mode_coverage,
    ring_modes,
    ring_of_gaussians,
)


def test_faces_shapes_ranges_and_seed():
    images, factors = faces(50, size=24, seed=3)
    assert images.shape == (50, 24, 24) and images.dtype == np.float32
    assert factors.shape == (50, len(FACE_FACTORS)) and factors.dtype == np.float32
    assert images.min() >= 0 and images.max() <= 1
    assert np.all(np.abs(factors) <= 1)
    again, _ = faces(50, size=24, seed=3)
    assert np.array_equal(images, again)
    assert faces(4, size=32)[0].shape == (4, 32, 32)
    with pytest.raises(ValueError):
        faces(0)


def test_each_face_factor_changes_its_own_part_of_the_image():
    images, factors = faces(400, seed=0)
    # The mouth's corners rise with the smile: more ink in the corner band when smiling.
    smile_corr = np.corrcoef(images[:, 14:17, 6:18].sum((1, 2)), factors[:, 1])[0, 1]
    # Turning the head moves the features right: ink moves to the right half.
    inner = images[:, 5:20, 4:20]
    pose_corr = np.corrcoef(
        inner[:, :, 8:].sum((1, 2)) - inner[:, :, :8].sum((1, 2)), factors[:, 0]
    )[0, 1]
    assert pose_corr > 0.8
    assert abs(smile_corr) > 0.3


def test_disentanglement_score_separates_aligned_from_mixed_codes():
    rng = np.random.default_rng(0)
    factors = rng.uniform(-1, 1, size=(2000, 2))
    aligned = np.column_stack([factors, rng.normal(size=(2000, 2))])
    rotation = np.array([[1, 1], [-1, 1]]) / np.sqrt(2)
    mixed = np.column_stack([factors @ rotation, rng.normal(size=(2000, 2))])
    assert disentanglement_score(aligned, factors) > 0.95
    assert disentanglement_score(mixed, factors) < 0.05
    r2 = factor_r2(aligned, factors)
    assert r2.shape == (2, 4) and np.allclose(np.diag(r2[:, :2]), 1)
    with pytest.raises(ValueError):
        disentanglement_score(factors[:, :1], factors)


def test_ring_and_mode_coverage():
    assert np.allclose(np.linalg.norm(ring_modes(8, 2.0), axis=1), 2.0)
    data = ring_of_gaussians(4000, seed=1)
    assert data.shape == (4000, 2) and data.dtype == np.float32
    # Within 3 std in 2-D: 1 - exp(-9/2) = 98.9 % of a Gaussian's samples.
    assert mode_coverage(data) == (8, pytest.approx(1 - np.exp(-4.5), abs=0.01))
    collapsed = np.repeat(ring_modes()[:3], 1000, axis=0) + 0.01
    covered, good = mode_coverage(collapsed)
    assert covered == 3 and good == 1.0
    covered, good = mode_coverage(np.zeros((100, 2)))
    assert (covered, good) == (0, 0.0)
    with pytest.raises(ValueError):
        mode_coverage(np.zeros((5, 3)))
