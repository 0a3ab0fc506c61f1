"""mit6s191_utils.vision: synthetic canvases, boxes and region proposals."""

import numpy as np
import pytest

from mit6s191_utils.datasets import load_mnist
from mit6s191_utils.vision import (
    box_iou,
    crop_centered,
    place_digits,
    propose_regions,
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
