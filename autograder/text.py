"""Cleaning of every string that comes from a submission, once, for every output format.

A message, a student's name or a path that a submission controls may hold terminal escapes,
newlines, CI workflow commands (``::error ...``), fake points, bidi controls, lone
surrogates (from an exception message, or from a file name that is not UTF-8, which Python
decodes with ``surrogateescape``) and characters XML cannot hold (U+FFFE, U+FFFF, other
noncharacters). :func:`clean_text` turns any of them into one printable line that can be
encoded as UTF-8 and written into a terminal, JSON, CSV, JUnit XML and GitHub's output.
"""

from __future__ import annotations

import re
import unicodedata

_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_POINTS = re.compile(r"(?i)\bpoints?\b\s*[:=]?\s*\d+(\.\d+)?\s*/\s*\d+")
_DROP = ("Cc", "Cf", "Zl", "Zp")  # controls, format (bidi, zero-width), line/paragraph seps


def _char(c: str) -> str:
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if 0xD800 <= code <= 0xDFFF:  # any other lone surrogate: not encodable at all
        return "\ufffd"
    if (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF:  # noncharacters (XML-invalid)
        return "\ufffd"
    if unicodedata.category(c) in _DROP:
        return " "
    return c


def clean_text(text, limit: int = 300) -> str:
    """One printable line: no terminal escapes, control or bidi characters, CI commands, fake
    points, lone surrogates or XML-invalid characters; at most ``limit`` characters."""
    try:
        text = str(text)
    except Exception:  # noqa: BLE001 - an object with a hostile __str__
        text = "(unprintable)"
    text = _ESCAPES.sub(" ", text)
    text = "".join(c if " " <= c < "\x7f" else _char(c) for c in text)
    text = " ".join(text.split())
    text = text.replace("::", ": :").replace("##[", "# #[")
    text = _POINTS.sub("[points text removed]", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clean_path(path) -> str:
    """A path (str, bytes or PathLike) as one clean line; non-UTF-8 bytes shown as ``\\xNN``."""
    if isinstance(path, bytes):
        path = path.decode("utf-8", "surrogateescape")
    return clean_text(str(path), 500)
