"""What the grader and the runner say to each other, written once for both sides.

The runner writes JSON lines on a private channel; each has an ``event`` (the names
below). Arrays travel as ``.npz`` files (``np.savez``, never a pickle) in base64:
:func:`encode_arrays` on one side, :func:`decode_arrays` on the other, which refuses
pickles, anything but plain numbers, and archives larger than its limit. What a run of
one exercise gave is an :class:`Outcome`.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from typing import NamedTuple

# Events the runner sends (grader side: "eof" and "overflow" are its own, for the channel).
READY, FATAL, PARSE, CELL, STARTED, RESULT = "ready", "fatal", "parse", "cell", "started", "result"
EOF, OVERFLOW = "eof", "overflow"
# Statuses a result may carry; "ran" comes with the outputs of every case.
RAN = "ran"
RESULT_STATUSES = (RAN, "not attempted", "error", "timeout", "missing")


class Outcome(NamedTuple):
    """What running one exercise gave: a status (one of :data:`RESULT_STATUSES`), a
    message, the outputs per case (status "ran" only) and the other exercises it calls."""

    status: str
    message: str
    outputs: list | None = None
    calls: list = []


def plain(value):
    """A plain numpy array of numbers from what an implementation returned (a tensor, a
    list, a scalar...): a copy, never a subclass; TypeError for anything not numeric."""
    import numpy as np

    if hasattr(value, "numpy") and callable(value.numpy):
        value = value.numpy()
    arr = np.array(value, copy=True, subok=False)
    if type(arr) is not np.ndarray or arr.dtype.kind not in "biuf":
        raise TypeError(f"expected numbers, got an array of dtype {arr.dtype}")
    return arr


def encode_arrays(arrays: dict) -> str:
    """Named arrays as a base64 ``.npz`` (no pickles)."""
    import numpy as np

    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return base64.b64encode(buf.getvalue()).decode()


def decode_arrays(b64: str, max_bytes: int = 1 << 62, kinds: str | None = "biuf") -> dict:
    """Plain arrays from :func:`encode_arrays`' text; ValueError for anything else (a
    pickle, more than ``max_bytes`` once unpacked, a dtype kind not in ``kinds``: numbers
    only by default; None takes any dtype numpy loads without a pickle)."""
    import numpy as np

    raw = base64.b64decode(b64, validate=True)
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        if sum(info.file_size for info in zf.infolist()) > max_bytes:
            raise ValueError("too large")
    out = {}
    with np.load(io.BytesIO(raw), allow_pickle=False) as data:
        for key in data.files:
            arr = data[key]
            if type(arr) is not np.ndarray or (kinds is not None and arr.dtype.kind not in kinds):
                raise ValueError(f"not plain numbers: {arr.dtype}")
            out[key] = np.array(arr)
    return out


def send(chan, message: dict) -> None:
    """One message on the channel, as a JSON line."""
    chan.write(json.dumps(message).encode() + b"\n")
    chan.flush()
