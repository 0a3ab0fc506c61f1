"""mit6s191_utils.vision: synthetic canvases, boxes and region proposals."""

import numpy as np
import pytest

from mit6s191_utils.datasets import load_mnist
from mit6s191_utils.vision import (
    affine_transform,
    box_iou,
    crop_centered,
    place_digits,
    propose_regions,
    random_affine,
    sliding_boxes,
)


@pytest.fixture(scope="module")
def digits():
    (x, y), _ = load_mnist()
    return x[:200], y[:200]


def test_place_digits_is_seeded_and_consistent(digits):
    x, y = digits
    canvases, boxes, classes, masks = place_digits(x, y, 20, canvas_size=64, seed=3)
    again = place_digits(x, y, 20, canvas_size=64, seed=3)
    assert np.array_equal(canvases, again[0]) and np.array_equal(masks, again[3])
    assert canvases.shape == masks.shape == (20, 64, 64) and canvases.dtype == np.uint8
    for canvas, bxs, cls, mask in zip(canvases, boxes, classes, masks):
        assert 1 <= len(bxs) == len(cls) <= 3
        for (top, left, h, w), c in zip(bxs, cls):
            assert top >= 0 and left >= 0 and top + h <= 64 and left + w <= 64
            assert (mask[top : top + h, left : left + w] == c + 1).any()
        assert set(np.unique(mask)) <= {0} | {c + 1 for c in cls}
        assert (canvas[mask == 0] <= 64).all()


def test_place_digits_rejects_bad_arguments(digits):
    x, y = digits
    with pytest.raises(ValueError, match="canvas_size"):
        place_digits(x, y, 1, canvas_size=20)
    with pytest.raises(ValueError, match="shape"):
        place_digits(x[:, :20], y, 1)


def test_sliding_boxes_counts():
    assert len(sliding_boxes(64, (28,), 1)) == 37 * 37
    assert len(sliding_boxes(64, (16, 32), 2)) == 25 * 25 + 17 * 17
    with pytest.raises(ValueError):
        sliding_boxes(64, (28,), 0)


def test_proposals_find_the_placed_digits(digits):
    x, y = digits
    canvases, boxes, _, _ = place_digits(x, y, 30, canvas_size=64, seed=1)
    found = total = 0
    for canvas, bxs in zip(canvases, boxes):
        props = propose_regions(canvas)
        total += len(bxs)
        found += sum(any(box_iou(b, p) >= 0.5 for p in props) for b in bxs)
    assert found >= 0.9 * total


def test_box_iou_and_crop():
    assert box_iou((0, 0, 10, 10), (0, 0, 10, 10)) == 1.0
    assert box_iou((0, 0, 10, 10), (0, 5, 10, 10)) == pytest.approx(50 / 150)
    assert box_iou((0, 0, 2, 2), (5, 5, 2, 2)) == 0.0
    image = np.arange(100).reshape(10, 10)
    crop = crop_centered(image, (4, 4, 2, 2), size=4)
    assert crop.shape == (4, 4) and crop[2, 2] == image[5, 5]
    assert crop_centered(image, (0, 0, 1, 1), size=4)[0, 0] == 0  # zero padding


def _shifted(image, dx, dy):
    out = np.zeros_like(image)
    h, w = image.shape[:2]
    out[max(0, dy) : h + min(0, dy), max(0, dx) : w + min(0, dx)] = image[
        max(0, -dy) : h - max(0, dy), max(0, -dx) : w - max(0, dx)
    ]
    return out


def test_affine_transform_identity_shifts_and_quarter_turns(digits):
    x = (digits[0][:4] / 255).astype(np.float32)
    kept = x.copy()
    assert np.array_equal(affine_transform(x, 0, 1, 0, 0), x)
    moved = affine_transform(x, 0, 1, [2, -1, 0, 3], [0, 1, -2, -3])
    for k, (dx, dy) in enumerate([(2, 0), (-1, 1), (0, -2), (3, -3)]):
        assert np.allclose(moved[k], _shifted(x[k], dx, dy), atol=1e-6)
    # A quarter turn about the centre maps the pixel grid onto itself: clockwise as shown.
    assert np.allclose(affine_transform(x, 90, 1, 0, 0), np.rot90(x, k=-1, axes=(1, 2)), atol=1e-5)
    assert np.array_equal(x, kept), "the input must not change"
    # Channels last, several channels: each is transformed the same way.
    rgb = np.stack([x, 1 - x, x / 2], axis=-1)
    out = affine_transform(rgb, 90, 1, 0, 0)
    assert out.shape == rgb.shape and out.dtype == np.float32
    assert np.allclose(out[..., 1], np.rot90(1 - x, k=-1, axes=(1, 2)), atol=1e-5)


def test_affine_transform_zooms_about_the_centre():
    image = np.zeros((1, 9, 9), np.float32)
    image[0, 3:6, 3:6] = 1  # a 3 x 3 square in the middle
    zoomed = affine_transform(image, 0, 2, 0, 0)[0]
    assert zoomed[4, 4] == 1 and np.isclose(zoomed[2, 4], 1) and np.isclose(zoomed[6, 4], 1)
    assert zoomed[0].sum() == 0 and zoomed[:, 0].sum() == 0  # 6 pixels wide, not 9
    shrunk = affine_transform(image, 0, 0.5, 0, 0)[0]
    assert shrunk.sum() < image.sum() and shrunk[4, 4] > 0 and shrunk[3, 3] < 1


def test_random_affine_is_seeded_and_bounded(digits):
    x = (digits[0][:64] / 255).astype(np.float32)[..., None]
    a = random_affine(x, np.random.default_rng(7))
    b = random_affine(x, np.random.default_rng(7))
    c = random_affine(x, np.random.default_rng(8))
    assert a.shape == x.shape and np.array_equal(a, b) and not np.array_equal(a, c)
    assert np.array_equal(random_affine(x, np.random.default_rng(0), 0, 0, 0), x)
    # Small changes: most ink stays ink, the total ink changes by a few percent at most.
    ink = x.sum(axis=(1, 2, 3))
    assert np.all(np.abs(a.sum(axis=(1, 2, 3)) - ink) < 0.3 * ink)
    assert not np.allclose(a, x)


def test_augmentation_rejects_bad_arguments():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="batch"):
        random_affine(np.zeros((28, 28)), rng)
    with pytest.raises(ValueError, match="max_zoom"):
        random_affine(np.zeros((2, 28, 28)), rng, max_zoom=1.5)
    with pytest.raises(ValueError, match="max_degrees"):
        random_affine(np.zeros((2, 28, 28)), rng, max_degrees=-1)
    with pytest.raises(ValueError, match="scale"):
        affine_transform(np.zeros((2, 28, 28)), 0, [1, 0], 0, 0)
    with pytest.raises(ValueError, match="dtype"):
        affine_transform(np.array([[["a"]]]), 0, 1, 0, 0)
