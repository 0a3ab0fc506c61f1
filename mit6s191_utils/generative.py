"""Data and metrics for generative models (book chapter 4): faces with known factors,
a disentanglement score, a ring of Gaussians and how many of its modes a sampler covers.

Everything is plain NumPy, so it works in scripts, tests and notebooks alike.
"""

from __future__ import annotations

import numpy as np

FACE_FACTORS = ("pose", "smile")


def _stroke(dist: np.ndarray, width: float) -> np.ndarray:
    """Ink of an anti-aliased stroke: 1 inside ``width``, fading to 0 over one pixel."""
    return np.clip(width + 0.5 - dist, 0.0, 1.0)


def faces(
    n: int, size: int = 24, seed: int = 0, mouth_width: float = 0.8
) -> tuple[np.ndarray, np.ndarray]:
    """Drawn faces whose head pose and smile vary independently (chapter 4, disentanglement).

    Returns ``(images, factors)``: ``images`` float32 (n, size, size) in [0, 1] and
    ``factors`` float32 (n, 2), uniform in [-1, 1], the columns :data:`FACE_FACTORS`.
    *pose* turns the head: the eyes, nose and mouth slide sideways inside the outline;
    *smile* bends the mouth from a frown (-1) to a smile (+1). ``mouth_width`` is the
    half-width of the mouth's stroke in pixels of the 24-pixel design: a wider mouth
    (e.g. 1.6) makes the smile cover more pixels, so it weighs more in a reconstruction.
    """
    if n < 1 or size < 12:
        raise ValueError(f"need n >= 1 and size >= 12, got n={n}, size={size}")
    if not 0 < mouth_width <= 3:
        raise ValueError(f"mouth_width must be in (0, 3] pixels, got {mouth_width}")
    rng = np.random.default_rng(seed)
    factors = rng.uniform(-1.0, 1.0, size=(n, 2)).astype(np.float32)
    return draw_faces(factors, size, mouth_width), factors


def draw_faces(factors: np.ndarray, size: int = 24, mouth_width: float = 0.8) -> np.ndarray:
    """The faces of :func:`faces` for given ``factors`` (n, 2) = (pose, smile) in [-1, 1].

    Returns float32 (n, size, size) in [0, 1]; drawn in chunks of 500 faces to keep the
    memory small.
    """
    factors = np.asarray(factors, np.float32)
    if factors.ndim != 2 or factors.shape[1] != 2:
        raise ValueError(f"factors must have shape (n, 2), got {factors.shape}")
    chunks = [
        _draw_faces(factors[i : i + 500], size, mouth_width) for i in range(0, len(factors), 500)
    ]
    return np.concatenate(chunks) if chunks else np.zeros((0, size, size), np.float32)


def _draw_faces(factors: np.ndarray, size: int, mouth_width: float) -> np.ndarray:
    pose, smile = factors[:, 0, None, None], factors[:, 1, None, None]
    s = size / 24.0  # everything is designed on a 24-pixel grid, then scaled
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) + 0.5
    cx, cy, radius = size / 2, size / 2, 10.5 * s
    head = _stroke(np.abs(np.hypot(xx - cx, yy - cy) - radius), 0.5 * s)[None]
    shift = cx + 3.5 * s * pose  # where the middle of the face is after turning
    eyes = np.maximum(
        _stroke(np.hypot(xx - (shift - 3.5 * s), yy - (cy - 3.0 * s)), 1.1 * s),
        _stroke(np.hypot(xx - (shift + 3.5 * s), yy - (cy - 3.0 * s)), 1.1 * s),
    )
    nose = _stroke(np.hypot(np.maximum(np.abs(yy - cy) - 1.2 * s, 0), xx - shift), 0.4 * s)
    # The mouth: a parabola through 15 points whose corners rise with the smile.
    t = np.linspace(-1.0, 1.0, 15, dtype=np.float32)
    w = 4.5 * s
    mx = shift[..., None] + w * t  # (n, 1, 1, 15)
    my = cy + 4.5 * s - smile[..., None] * 4.5 * s * (t**2 - 0.5)  # y grows downwards
    dist = np.hypot(xx[..., None] - mx, yy[..., None] - my).min(axis=-1)
    mouth = _stroke(dist, mouth_width * s)
    images = np.maximum.reduce([np.broadcast_to(head, eyes.shape), eyes, nose, mouth])
    return images.astype(np.float32)


def factor_r2(codes: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Squared correlation between every factor (rows) and every latent (columns)."""
    codes, factors = np.asarray(codes, np.float64), np.asarray(factors, np.float64)
    if codes.ndim != 2 or factors.ndim != 2 or len(codes) != len(factors):
        raise ValueError(
            f"need (n, k) codes and (n, f) factors, got {codes.shape}, {factors.shape}"
        )
    c = (codes - codes.mean(0)) / np.maximum(codes.std(0), 1e-12)
    f = (factors - factors.mean(0)) / np.maximum(factors.std(0), 1e-12)
    return ((f.T @ c) / len(c)) ** 2


def disentanglement_score(codes: np.ndarray, factors: np.ndarray) -> float:
    """SAP-style score in [0, 1]: per factor, best latent's R^2 minus the runner-up's, averaged.

    1 means every factor is read off a single latent and no other latent shares it; near 0
    means each factor is spread over several latents (entangled) or captured by none.
    The score of Kumar et al. (2018), with linear R^2 for continuous factors.
    """
    r2 = np.sort(factor_r2(codes, factors), axis=1)
    if r2.shape[1] < 2:
        raise ValueError("need at least two latent dimensions")
    return float(np.mean(r2[:, -1] - r2[:, -2]))


def ring_modes(modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """Centres of ``modes`` Gaussians evenly spaced on a circle, float32 (modes, 2)."""
    angles = 2 * np.pi * np.arange(modes) / modes
    return (radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)).astype(np.float32)


def ring_of_gaussians(
    n: int, modes: int = 8, radius: float = 2.0, std: float = 0.05, seed: int = 0
) -> np.ndarray:
    """``n`` points, float32 (n, 2), from an equal mix of Gaussians on a ring (chapter 4, GANs)."""
    rng = np.random.default_rng(seed)
    centres = ring_modes(modes, radius)[rng.integers(0, modes, size=n)]
    return (centres + rng.normal(0.0, std, size=(n, 2))).astype(np.float32)


def mode_coverage(
    samples: np.ndarray,
    modes: int = 8,
    radius: float = 2.0,
    std: float = 0.05,
    min_share: float = 0.2,
) -> tuple[int, float]:
    """``(modes covered, share of good samples)`` of samples meant to match the ring.

    A sample is *good* when it lies within 3 std of its nearest mode. A mode counts as
    covered when it holds at least ``min_share`` of the good samples it would get if all
    samples were good and spread evenly, i.e. ``min_share * len(samples) / modes``.
    """
    samples = np.asarray(samples, np.float64)
    if samples.ndim != 2 or samples.shape[1] != 2 or not len(samples):
        raise ValueError(f"samples must have shape (n, 2) with n > 0, got {samples.shape}")
    dist = np.linalg.norm(samples[:, None, :] - ring_modes(modes, radius)[None], axis=-1)
    nearest, good = dist.argmin(axis=1), dist.min(axis=1) <= 3 * std
    counts = np.bincount(nearest[good], minlength=modes)
    covered = int(np.sum(counts >= min_share * len(samples) / modes))
    return covered, float(good.mean())


# --- faces with a rare attribute (chapter 4, debiasing with latent densities) ---------------


def shade_faces(images: np.ndarray, tone: float = 0.7) -> np.ndarray:
    """The same drawings, shaded: the head filled with grey ``tone``, the strokes dark on it.

    ``images`` (n, size, size) in [0, 1] as drawn by :func:`draw_faces` or
    :func:`scrambled_faces`. Outside the head the background stays black. The rare attribute
    of :func:`face_detection_data`.
    """
    images = np.asarray(images, np.float32)
    if images.ndim != 3 or images.shape[1] != images.shape[2]:
        raise ValueError(f"images must have shape (n, size, size), got {images.shape}")
    if not 0 < tone <= 1:
        raise ValueError(f"tone must be in (0, 1], got {tone}")
    size = images.shape[1]
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) + 0.5
    head = _stroke(np.hypot(xx - size / 2, yy - size / 2), 10.5 * size / 24.0)
    return (tone * head[None] * (1.0 - images)).astype(np.float32)


def scrambled_faces(n: int, size: int = 24, seed: int = 0, mouth_width: float = 0.8) -> np.ndarray:
    """Non-faces made of a face's parts: the head's outline with two eyes, a nose and a
    mouth each at a random place inside it, float32 (n, size, size) in [0, 1].

    The same strokes as :func:`faces`, so only their arrangement tells a face from a
    non-face.
    """
    if n < 0 or size < 12:
        raise ValueError(f"need n >= 0 and size >= 12, got n={n}, size={size}")
    rng = np.random.default_rng(seed)
    s = size / 24.0
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) + 0.5
    centre = size / 2

    def places(radius):  # (n, 1, 1) x and y, uniform in a disc of `radius` (24-px design)
        angle = rng.uniform(0.0, 2 * np.pi, n)
        dist = radius * s * np.sqrt(rng.uniform(0.0, 1.0, n))
        x, y = centre + dist * np.cos(angle), centre + dist * np.sin(angle)
        return x[:, None, None].astype(np.float32), y[:, None, None].astype(np.float32)

    head = _stroke(np.abs(np.hypot(xx - centre, yy - centre) - 10.5 * s), 0.5 * s)
    (x1, y1), (x2, y2), (nx, ny) = places(6.0), places(6.0), places(6.0)
    eyes = np.maximum(
        _stroke(np.hypot(xx - x1, yy - y1), 1.1 * s), _stroke(np.hypot(xx - x2, yy - y2), 1.1 * s)
    )
    nose = _stroke(np.hypot(np.maximum(np.abs(yy - ny) - 1.2 * s, 0), xx - nx), 0.4 * s)
    mx0, my0 = places(4.0)
    bend = rng.uniform(-1.0, 1.0, n).astype(np.float32)[:, None, None, None]
    t = np.linspace(-1.0, 1.0, 15, dtype=np.float32)
    mx = mx0[..., None] + 4.5 * s * t
    my = my0[..., None] - bend * 4.5 * s * (t**2 - 0.5)
    mouth = _stroke(np.hypot(xx[..., None] - mx, yy[..., None] - my).min(axis=-1), mouth_width * s)
    images = np.maximum.reduce([np.broadcast_to(head, eyes.shape), eyes, nose, mouth])
    return images.astype(np.float32)


def face_detection_data(
    n_faces: int,
    n_non_faces: int,
    rare_share: float = 0.05,
    non_face_rare_share: float = 0.5,
    size: int = 24,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A face-detection data set in which one attribute of the faces is rare (chapter 4).

    Returns ``(images, is_face, is_rare)`` in a shuffled order: ``images`` float32
    (n, size, size) in [0, 1], ``is_face`` float32 (n,) 1 for a face (:func:`faces`, pose
    and smile uniform) and 0 for a non-face (:func:`scrambled_faces`), ``is_rare`` bool
    (n,) for an image drawn shaded (:func:`shade_faces`). Each face is shaded with
    probability ``rare_share``, each non-face with probability ``non_face_rare_share``: by
    default shading is rare among faces and common among non-faces, so a classifier can
    take the shading itself for a sign of a non-face.
    """
    if n_faces < 1 or n_non_faces < 0:
        raise ValueError(f"need n_faces >= 1 and n_non_faces >= 0, got {n_faces}, {n_non_faces}")
    for name, share in [("rare_share", rare_share), ("non_face_rare_share", non_face_rare_share)]:
        if not 0 <= share <= 1:
            raise ValueError(f"{name} is a probability: it must be in [0, 1], got {share}")
    rng = np.random.default_rng(seed)
    factors = rng.uniform(-1.0, 1.0, size=(n_faces, 2)).astype(np.float32)
    images = np.concatenate(
        [draw_faces(factors, size), scrambled_faces(n_non_faces, size, seed=seed + 1_000_003)]
    )
    is_face = np.r_[np.ones(n_faces), np.zeros(n_non_faces)].astype(np.float32)
    is_rare = np.r_[
        rng.uniform(size=n_faces) < rare_share, rng.uniform(size=n_non_faces) < non_face_rare_share
    ]
    images[is_rare] = shade_faces(images[is_rare])
    order = rng.permutation(len(images))
    return images[order], is_face[order], is_rare[order]
