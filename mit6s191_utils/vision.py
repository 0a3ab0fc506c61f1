"""Small vision data sets made from MNIST digits, and boxes (chapter 3, beyond classification).

* :func:`place_digits` — digits pasted at random on a larger canvas, with their boxes and a
  per-pixel label mask (for detection and segmentation).
* :func:`sliding_boxes` — every box of the naive detector.
* :func:`propose_regions` — a cheap region-proposal heuristic: boxes around blobs of ink.
* :func:`box_iou` and :func:`crop_centered` — the glue between boxes and a classifier.
"""

from __future__ import annotations

import numpy as np


def place_digits(
    digits: np.ndarray,
    labels: np.ndarray,
    n_canvases: int,
    canvas_size: int = 64,
    digits_per_canvas: tuple[int, int] = (1, 3),
    seed: int = 0,
    threshold: int = 64,
):
    """Paste 28x28 digits at random, non-overlapping places on black canvases (chapter 3).

    Returns ``canvases`` uint8 (n, S, S), ``boxes`` a list of n int arrays (k, 4) of
    (top, left, height, width) of each digit's ink, ``classes`` a list of n int arrays (k,)
    and ``masks`` uint8 (n, S, S): 0 for background, 1 + label where a digit's pixel is
    brighter than ``threshold``. Digits are drawn at random from ``digits`` (m, 28, 28).
    """
    digits, labels = np.asarray(digits), np.asarray(labels)
    if digits.ndim != 3 or digits.shape[1:] != (28, 28):
        raise ValueError(f"digits must have shape (m, 28, 28), got {digits.shape}")
    if canvas_size < 28:
        raise ValueError(f"canvas_size must be at least 28, got {canvas_size}")
    lo, hi = digits_per_canvas
    if not 1 <= lo <= hi:
        raise ValueError(f"digits_per_canvas must be (lo, hi) with 1 <= lo <= hi, got {(lo, hi)}")
    rng = np.random.default_rng(seed)
    canvases = np.zeros((n_canvases, canvas_size, canvas_size), np.uint8)
    masks = np.zeros_like(canvases)
    all_boxes, all_classes = [], []
    for n in range(n_canvases):
        boxes, classes, taken = [], [], np.zeros((canvas_size, canvas_size), bool)
        for _ in range(int(rng.integers(lo, hi + 1))):
            for _attempt in range(50):  # find a free spot for the digit's 28x28 square
                top, left = rng.integers(0, canvas_size - 27, size=2)
                if not taken[top : top + 28, left : left + 28].any():
                    break
            else:
                continue
            k = int(rng.integers(len(digits)))
            digit = digits[k]
            taken[top : top + 28, left : left + 28] = True
            canvases[n, top : top + 28, left : left + 28] = digit
            ink = digit > threshold
            masks[n, top : top + 28, left : left + 28][ink] = int(labels[k]) + 1
            rows, cols = np.flatnonzero(ink.any(1)), np.flatnonzero(ink.any(0))
            boxes.append(
                (top + rows[0], left + cols[0], rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1)
            )
            classes.append(int(labels[k]))
        all_boxes.append(np.array(boxes, np.int64).reshape(-1, 4))
        all_classes.append(np.array(classes, np.int64))
    return canvases, all_boxes, all_classes, masks


def sliding_boxes(image_size: int, box_sizes=(28,), stride: int = 1) -> np.ndarray:
    """Every square box (top, left, size, size) the naive detector tries, as (k, 4) ints."""
    if stride < 1:
        raise ValueError(f"stride must be at least 1, got {stride}")
    boxes = [
        (top, left, s, s)
        for s in box_sizes
        for top in range(0, image_size - s + 1, stride)
        for left in range(0, image_size - s + 1, stride)
    ]
    return np.array(boxes, np.int64).reshape(-1, 4)


def propose_regions(
    image: np.ndarray, threshold: float = 64, min_pixels: int = 10, grow: int = 2
) -> np.ndarray:
    """Boxes (top, left, height, width) around the blobs of bright pixels of one image.

    Pixels above ``threshold`` are grown by ``grow`` pixels (so that a digit drawn in two
    strokes stays one blob), connected blobs are labelled, and blobs with fewer than
    ``min_pixels`` bright pixels are dropped. Boxes fit the bright pixels, not the growth.
    """
    from scipy import ndimage

    bright = np.asarray(image) > threshold
    grown = ndimage.binary_dilation(bright, iterations=grow) if grow else bright
    blobs, _ = ndimage.label(grown)
    boxes = []
    for sl in ndimage.find_objects(blobs):
        ys, xs = np.nonzero(bright[sl])
        if len(ys) < min_pixels:
            continue
        top, left = sl[0].start + ys.min(), sl[1].start + xs.min()
        boxes.append((top, left, ys.max() - ys.min() + 1, xs.max() - xs.min() + 1))
    return np.array(boxes, np.int64).reshape(-1, 4)


def box_iou(a, b) -> float:
    """Intersection over union of two boxes given as (top, left, height, width)."""
    top, left = max(a[0], b[0]), max(a[1], b[1])
    bottom, right = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    inter = max(0, bottom - top) * max(0, right - left)
    union = a[2] * a[3] + b[2] * b[3] - inter
    return float(inter / union) if union else 0.0


def crop_centered(image: np.ndarray, box, size: int = 28) -> np.ndarray:
    """The ``size`` x ``size`` window of ``image`` centred on ``box``, zero-padded at edges."""
    image = np.asarray(image)
    cy, cx = box[0] + box[2] // 2, box[1] + box[3] // 2
    padded = np.pad(image, size)
    top, left = cy - size // 2 + size, cx - size // 2 + size
    return padded[top : top + size, left : left + size]


__all__ = ["box_iou", "crop_centered", "place_digits", "propose_regions", "sliding_boxes"]
