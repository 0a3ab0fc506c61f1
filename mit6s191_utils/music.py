"""Folk tunes in ABC notation as music: parse, check, play, save and plot (chapter 2, lab 2).

* :func:`parse_abc` — an ABC string as a ``music21`` score.
* :func:`check_tune` / :func:`valid_share` — is a (generated) tune valid music: it parses,
  and has at least 16 notes and 8 bars.
* :func:`strains` / :func:`count_strains` — the form of a tune: its strains (parts), read
  from the bar lines, repeats and part markers of the text.
* :func:`tune_body` / :func:`longest_shared_stretch` / :func:`copied_share` — how new a tune
  is: the longest stretch of its notes found verbatim in other tunes.
* :func:`tune_notes` — the notes as an array of (start s, duration s, MIDI pitch).
* :func:`synthesize` — a waveform made with numpy from those notes (no external programs).
* :func:`play` — an ``IPython.display.Audio`` player; :func:`save_wav`, :func:`save_midi`
  (a MIDI file written directly, no external program).
* :func:`piano_roll` — a piano-roll plot of a tune.

Everything works in a plain script; only :func:`play` needs IPython (installed with
Jupyter), and its result also works outside a notebook (``.data`` holds the WAV bytes).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MIN_NOTES = 16
MIN_BARS = 8
DEFAULT_BPM = 160.0  # quarter notes per minute: a lively but playable folk tempo
DEFAULT_SAMPLE_RATE = 16_000


def _music21():
    """Import music21, pointing its scratch folder at a writable place if needed."""
    import music21

    env = music21.environment.Environment()
    try:
        scratch = env.getRootTempDir()
        writable = os.access(scratch, os.W_OK)
    except Exception:  # noqa: BLE001 - a broken user setting: fall back to a temp folder
        writable = False
    if not writable:
        env["directoryScratch"] = tempfile.gettempdir()
    return music21


def parse_abc(abc: str):
    """Parse one ABC tune into a ``music21`` Score; ValueError if music21 cannot read it."""
    if not isinstance(abc, str) or not abc.strip():
        raise ValueError("expected a non-empty ABC string")
    music21 = _music21()
    try:
        score = music21.converter.parse(abc, format="abc")
    except Exception as exc:  # noqa: BLE001 - music21 raises many kinds of errors
        raise ValueError(f"music21 could not parse the tune: {type(exc).__name__}: {exc}") from exc
    if isinstance(score, music21.stream.Opus):  # several X: fields: keep the first tune
        score = score.scores[0] if score.scores else score
    return score


def _as_score(tune):
    return parse_abc(tune) if isinstance(tune, str) else tune


def count_bars(score) -> int:
    """The number of bars (measures) of a parsed tune, in its first part."""
    parts = list(score.parts) if hasattr(score, "parts") else []
    stream = parts[0] if parts else score
    return len(stream.getElementsByClass("Measure"))


def count_notes(score) -> int:
    """The number of sounding notes and chords (grace notes excluded) of a parsed tune."""
    return sum(1 for n in score.flatten().notes if n.quarterLength > 0)


@dataclass(frozen=True)
class TuneCheck:
    """Whether a tune is valid music, and why not."""

    valid: bool
    parses: bool
    n_notes: int
    n_bars: int
    reason: str  # '' when valid

    def __bool__(self) -> bool:
        return self.valid


def check_tune(abc: str, min_notes: int = MIN_NOTES, min_bars: int = MIN_BARS) -> TuneCheck:
    """Check a tune: it must parse with music21 and have >= min_notes notes, >= min_bars bars."""
    try:
        score = parse_abc(abc)
    except ValueError as exc:
        return TuneCheck(False, False, 0, 0, str(exc)[:200])
    n_notes, n_bars = count_notes(score), count_bars(score)
    problems = []
    if n_notes < min_notes:
        problems.append(f"{n_notes} notes (< {min_notes})")
    if n_bars < min_bars:
        problems.append(f"{n_bars} bars (< {min_bars})")
    return TuneCheck(not problems, True, n_notes, n_bars, ", ".join(problems))


def valid_share(tunes, min_notes: int = MIN_NOTES, min_bars: int = MIN_BARS) -> float:
    """The share (0..1) of ``tunes`` (ABC strings) that :func:`check_tune` finds valid."""
    tunes = list(tunes)
    if not tunes:
        raise ValueError("valid_share needs at least one tune")
    return sum(check_tune(t, min_notes, min_bars).valid for t in tunes) / len(tunes)


HEADER_FIELDS = ("X:", "T:", "M:", "L:", "K:")
# Bar-line signs that close a strain (a part of the tune): a repeat's end, a double bar, a
# final bar, a repeat on both sides; "|:" opens one; a "P:" field names one.
_STRAIN_SIGN = re.compile(r":\|\]|:\|\||::|:\||\|\||\|\]|\[\||\|:|^P:.*$", re.MULTILINE)
# What opens a second (or later) ending: that is still the same strain.
_VOLTA = re.compile(r"^[\s\\|]*\[?[1-9]")
_NOTE = re.compile(r"[A-Ga-g]")


def _abc_body(abc: str) -> str:
    """The lines of an ABC tune that are not header fields (X:, T:, M:, L:, K:)."""
    if not isinstance(abc, str):
        raise TypeError(f"expected an ABC string, got {type(abc).__name__}")
    return "\n".join(line for line in abc.splitlines() if not line.startswith(HEADER_FIELDS))


def strains(abc: str, min_bars: int = 2) -> list[str]:
    """The strains (parts) of an ABC tune, as pieces of its body text, in order.

    The body is cut at the signs that end or open a part — ``:|``, ``||``, ``|]``, ``::``,
    ``[|``, ``|:`` — and at ``P:`` part fields. A piece that opens with a second ending
    (``2``, ``[2``, ``|2`` …) joins the strain before it; a piece with fewer than
    ``min_bars`` bar lines (a pickup, a stray sign) is not a strain. Pure text: works on
    tunes music21 cannot parse.
    """
    pieces: list[str] = []
    position = 0
    body = _abc_body(abc)
    for match in _STRAIN_SIGN.finditer(body):
        closing = "" if match.group().startswith(("|:", "[|", "P:")) else match.group()
        pieces.append(body[position : match.start()] + closing)
        position = match.end()
    pieces.append(body[position:])
    merged: list[str] = []
    for piece in pieces:
        if merged and _VOLTA.match(piece):
            merged[-1] += piece
        else:
            merged.append(piece)
    return [
        piece.strip()
        for piece in merged
        if _NOTE.search(piece) and piece.count("|") + piece.count("::") >= min_bars
    ]


def count_strains(abc: str) -> int:
    """The number of strains of an ABC tune (see :func:`strains`); a one-part tune gives 1."""
    return len(strains(abc))


def tune_body(abc: str) -> str:
    """The notes and bar lines of an ABC tune: its body without header fields, spaces,
    line breaks and line continuations (the text compared by :func:`longest_shared_stretch`).
    """
    return re.sub(r"[\s\\]", "", _abc_body(abc))


def longest_shared_stretch(text: str, reference: str) -> int:
    """The length of the longest substring of ``text`` that occurs in ``reference``.

    Python's substring search, grown one character at a time from every start: about
    ``2 * len(text)`` searches of ``reference``.
    """
    best = 0
    for start in range(len(text)):
        while start + best < len(text) and text[start : start + best + 1] in reference:
            best += 1
    return best


def copied_share(tune: str, others) -> float:
    """The longest stretch of ``tune``'s body (:func:`tune_body`) found verbatim in any of
    ``others`` (ABC tunes), as a share (0..1) of that body: 1.0 is a copy, and real tunes
    share a short stretch with some other tune by chance (a scale run, a cadence).

    ``others`` may also be a string made by :func:`reference_text`, to reuse it.
    """
    body = tune_body(tune)
    if not body:
        raise ValueError("the tune has no body (no notes after its header) to compare")
    reference = others if isinstance(others, str) else reference_text(others)
    return longest_shared_stretch(body, reference) / len(body)


def reference_text(tunes) -> str:
    """The bodies of ``tunes`` (:func:`tune_body`) joined by a separator no body contains,
    so that no shared stretch runs from one tune into the next."""
    return "\x00".join(tune_body(t) for t in tunes)


def tune_notes(tune, bpm: float = DEFAULT_BPM, max_seconds: float | None = None) -> np.ndarray:
    """The notes of a tune (ABC string or Score) as float64 rows (start s, duration s, MIDI pitch).

    Tied notes are merged, grace notes skipped, a chord gives one row per pitch; times
    assume ``bpm`` quarter notes per minute. With ``max_seconds``, notes starting later
    are dropped.
    """
    if bpm <= 0:
        raise ValueError(f"bpm must be positive, got {bpm}")
    score = _as_score(tune)
    seconds_per_quarter = 60.0 / bpm
    rows = []
    for element in score.stripTies().flatten().notes:
        length = float(element.quarterLength)
        if length <= 0:  # grace note
            continue
        start = float(element.offset) * seconds_per_quarter
        if max_seconds is not None and start >= max_seconds:
            continue
        for pitch in element.pitches:
            rows.append((start, length * seconds_per_quarter, float(pitch.midi)))
    if not rows:
        return np.zeros((0, 3))
    notes = np.array(rows, dtype=np.float64)
    return notes[np.lexsort((notes[:, 2], notes[:, 0]))]


def synthesize(
    notes: np.ndarray,
    sample_rate: int = DEFAULT_SAMPLE_RATE,
    harmonics: tuple[float, ...] = (1.0, 0.5, 0.25, 0.12),
    decay: float = 3.0,
) -> np.ndarray:
    """A float32 waveform in [-1, 1] from note rows (start s, duration s, MIDI pitch).

    Each note is a sum of harmonics with a short attack and an exponential decay (a
    plucked, harp-like sound), cut off with a short release at its end.
    """
    notes = np.asarray(notes, dtype=np.float64)
    if notes.ndim != 2 or notes.shape[1] != 3:
        raise ValueError(f"notes must have shape (n, 3), got {notes.shape}")
    if sample_rate < 1000:
        raise ValueError(f"sample_rate must be at least 1000 Hz, got {sample_rate}")
    release = 0.03
    total = float((notes[:, 0] + notes[:, 1]).max()) + release if len(notes) else 0.0
    out = np.zeros(int(np.ceil(total * sample_rate)) + 1, dtype=np.float64)
    for start, duration, midi in notes:
        n = int((duration + release) * sample_rate)
        if n <= 0:
            continue
        t = np.arange(n) / sample_rate
        freq = 440.0 * 2.0 ** ((midi - 69.0) / 12.0)
        tone = sum(
            a * np.sin(2 * np.pi * k * freq * t)
            for k, a in enumerate(harmonics, start=1)
            if k * freq < sample_rate / 2  # no aliasing
        )
        envelope = np.minimum(1.0, t / 0.005) * np.exp(-decay * t)
        envelope *= np.clip((duration + release - t) / release, 0.0, 1.0)
        first = int(round(start * sample_rate))
        out[first : first + n] += tone * envelope
    peak = np.max(np.abs(out)) if out.size else 0.0
    if peak > 0:
        out *= 0.9 / peak
    return out.astype(np.float32)


def tune_waveform(
    tune,
    bpm: float = DEFAULT_BPM,
    sample_rate: int = DEFAULT_SAMPLE_RATE,
    max_seconds: float | None = 30.0,
) -> np.ndarray:
    """The waveform of a tune (ABC string or Score): :func:`tune_notes` then :func:`synthesize`."""
    return synthesize(tune_notes(tune, bpm, max_seconds), sample_rate)


def wav_bytes(waveform: np.ndarray, sample_rate: int = DEFAULT_SAMPLE_RATE) -> bytes:
    """A mono 16-bit WAV file, as bytes, of a waveform in [-1, 1]."""
    pcm = (np.clip(np.asarray(waveform, np.float64), -1, 1) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(int(sample_rate))
        wav.writeframes(pcm.tobytes())
    return buffer.getvalue()


def save_wav(
    waveform: np.ndarray, path: str | os.PathLike, sample_rate: int = DEFAULT_SAMPLE_RATE
) -> Path:
    """Write a waveform in [-1, 1] to a mono 16-bit WAV file; returns the path."""
    path = Path(path)
    path.write_bytes(wav_bytes(waveform, sample_rate))
    return path


def play(
    tune,
    bpm: float = DEFAULT_BPM,
    sample_rate: int = DEFAULT_SAMPLE_RATE,
    max_seconds: float | None = 30.0,
):
    """An ``IPython.display.Audio`` player for a tune (ABC string, Score or waveform).

    The same tune always gives the same bytes, so the player can be embedded in a page
    that is checked for reproducible outputs.
    """
    from IPython.display import Audio

    if isinstance(tune, np.ndarray) and tune.ndim == 1:
        waveform = tune
    else:
        waveform = tune_waveform(tune, bpm, sample_rate, max_seconds)
    if waveform.size == 0:
        raise ValueError("the tune has no notes to play")
    return Audio(data=wav_bytes(waveform, sample_rate), rate=sample_rate)


def _varlen(value: int) -> bytes:
    """A MIDI variable-length quantity."""
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    return bytes(reversed(out))


def midi_bytes(notes: np.ndarray, bpm: float = DEFAULT_BPM, program: int = 0) -> bytes:
    """A one-track MIDI file, as bytes, of note rows (start s, duration s, MIDI pitch)."""
    ticks_per_quarter = 480
    ticks_per_second = ticks_per_quarter * bpm / 60.0
    events = []  # (tick, order, message): note-offs before note-ons at the same tick
    for start, duration, midi in np.asarray(notes, dtype=np.float64):
        pitch = int(np.clip(round(midi), 0, 127))
        on = int(round(start * ticks_per_second))
        off = max(on + 1, int(round((start + duration) * ticks_per_second)))
        events.append((on, 1, bytes([0x90, pitch, 80])))
        events.append((off, 0, bytes([0x80, pitch, 0])))
    tempo = int(round(60_000_000 / bpm)).to_bytes(3, "big")
    track = b"\x00\xff\x51\x03" + tempo + b"\x00" + bytes([0xC0, program & 0x7F])
    now = 0
    for tick, _, message in sorted(events):
        track += _varlen(tick - now) + message
        now = tick
    track += b"\x00\xff\x2f\x00"
    header = b"MThd" + (6).to_bytes(4, "big") + (0).to_bytes(2, "big") + (1).to_bytes(2, "big")
    header += ticks_per_quarter.to_bytes(2, "big")
    return header + b"MTrk" + len(track).to_bytes(4, "big") + track


def save_midi(tune, path: str | os.PathLike, bpm: float = DEFAULT_BPM) -> Path:
    """Write a tune (ABC string, Score or note rows) to a MIDI file; returns the path."""
    notes = tune if isinstance(tune, np.ndarray) else tune_notes(tune, bpm)
    path = Path(path)
    path.write_bytes(midi_bytes(notes, bpm))
    return path


def piano_roll(tune, bpm: float = DEFAULT_BPM, title: str | None = None, ax=None):
    """A piano-roll plot (time against pitch) of a tune or of note rows; returns the Figure."""
    from matplotlib.patches import Rectangle

    notes = tune if isinstance(tune, np.ndarray) else tune_notes(tune, bpm)
    if ax is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(9, 3))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    for start, duration, midi in notes:
        ax.add_patch(Rectangle((start, midi - 0.4), duration, 0.8, color="tab:blue"))
    if len(notes):
        ax.set_xlim(0, float((notes[:, 0] + notes[:, 1]).max()))
        ax.set_ylim(notes[:, 2].min() - 2, notes[:, 2].max() + 2)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("MIDI pitch (60 = middle C)")
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
