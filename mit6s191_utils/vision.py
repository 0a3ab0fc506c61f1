"""Small vision data sets made from MNIST digits, and boxes (chapter 3, beyond classification).

* :func:`place_digits` — digits pasted at random on a larger canvas, with their boxes and a
  per-pixel label mask (for detection and segmentation).
* :func:`sliding_boxes` — every box of the naive detector.
* :func:`propose_regions` — a cheap region-proposal heuristic: boxes around blobs of ink.
* :func:`box_iou` and :func:`crop_centered` — the glue between boxes and a classifier.
* :func:`affine_transform` and :func:`random_affine` — data augmentation: each image
  rotated, zoomed and shifted (lab 3).
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


def _as_images(images) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim not in (3, 4) or images.shape[0] == 0:
        raise ValueError(
            f"images must be a batch of shape (n, h, w) or (n, h, w, channels) with n >= 1, "
            f"got shape {images.shape}; add the batch axis with images[None] for one image"
        )
    if images.dtype.kind not in "fiu":
        raise ValueError(f"images must be numbers, got dtype {images.dtype}")
    return images


def affine_transform(images, degrees, scale, shift_x, shift_y) -> np.ndarray:
    """Rotate, zoom and shift each image about its centre, in one bilinear resampling.

    ``images``: (n, h, w) or (n, h, w, c) numbers; ``degrees``, ``scale``, ``shift_x`` and
    ``shift_y``: one value per image (or one for all). Image k is turned by ``degrees[k]``
    (clockwise as displayed, rows going down), magnified by ``scale[k]`` (> 1 zooms in),
    then moved ``shift_x[k]`` pixels right and ``shift_y[k]`` down (fractions allowed).
    Each output pixel is interpolated from the four input pixels around the point it
    comes from; points outside the image read 0. Returns float32 of the input's shape
    (the input is not changed); all zeros and ones gives back the images exactly.
    """
    import tensorflow as tf

    images = _as_images(images)
    n, h, w = images.shape[:3]
    angle, scale, tx, ty = (
        np.broadcast_to(np.asarray(v, np.float64), (n,)).copy()
        for v in (np.deg2rad(degrees), scale, shift_x, shift_y)
    )
    if not np.all(np.isfinite([angle, scale, tx, ty])) or np.any(scale <= 0):
        raise ValueError("degrees, shifts and scale must be finite, and scale > 0")
    cy, cx = (h - 1) / 2, (w - 1) / 2
    # ImageProjectiveTransformV3 maps each output pixel to the input point it samples:
    # input = rotation(-angle) / scale @ (output - centre - shift) + centre.
    a0, a1 = np.cos(angle) / scale, np.sin(angle) / scale
    ox, oy = cx + tx, cy + ty
    zeros = np.zeros(n)
    transforms = np.stack(
        [a0, a1, cx - a0 * ox - a1 * oy, -a1, a0, cy + a1 * ox - a0 * oy, zeros, zeros], 1
    )
    batch = images.astype(np.float32)
    out = tf.raw_ops.ImageProjectiveTransformV3(
        images=tf.constant(batch if images.ndim == 4 else batch[..., None]),
        transforms=tf.constant(transforms, tf.float32),
        output_shape=tf.constant([h, w], tf.int32),
        fill_value=0.0,
        interpolation="BILINEAR",
        fill_mode="CONSTANT",
    ).numpy()
    return out if images.ndim == 4 else out[..., 0]


def random_affine(
    images, rng: np.random.Generator, max_degrees=10.0, max_zoom=0.1, max_shift=2.0
) -> np.ndarray:
    """Data augmentation: rotate, zoom and shift each image by its own random amounts.

    Image k turns by an angle drawn uniformly in [-max_degrees, max_degrees], is zoomed
    by a factor in [1 - max_zoom, 1 + max_zoom] and moved by up to ``max_shift`` pixels
    (fractions too) in each direction, in one resampling (:func:`affine_transform`).
    The amounts come from ``rng`` (a seeded ``np.random.default_rng``), so a run is
    repeatable. Returns float32 of the input's shape.
    """
    images = _as_images(images)
    for name, value, top in (
        ("max_degrees", max_degrees, 180),
        ("max_zoom", max_zoom, 0.99),
        ("max_shift", max_shift, min(images.shape[1:3])),
    ):
        if not 0 <= value <= top:
            raise ValueError(f"{name} must be between 0 and {top}, got {value}")
    n = len(images)
    degrees = rng.uniform(-max_degrees, max_degrees, n)
    scale = 1 + rng.uniform(-max_zoom, max_zoom, n)
    shift_x, shift_y = rng.uniform(-max_shift, max_shift, (2, n))
    return affine_transform(images, degrees, scale, shift_x, shift_y)


__all__ = [
    "affine_transform",
    "box_iou",
    "crop_centered",
    "place_digits",
    "propose_regions",
    "random_affine",
    "sliding_boxes",
]
