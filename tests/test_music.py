"""mit6s191_utils.music: parsing, validity, synthesis, audio, MIDI and piano roll (offline)."""

import io
import os
import subprocess
import sys
import wave

import numpy as np
import pytest

from mit6s191_utils import music
from mit6s191_utils.datasets import load_folk_tunes

TUNE = """X:1
T:Test Reel
M:4/4
L:1/8
K:D
|:DFAF dFAF|EGBG eGBG|DFAF dfaf|gfed cAGE:|
|:d2fd adfd|c2ec aece|d2fd adfd|gfed cAGE:|"""


@pytest.fixture(scope="module")
def oneill():
    return load_folk_tunes()[:5]


def test_parse_and_check_a_valid_tune():
    score = music.parse_abc(TUNE)
    assert music.count_notes(score) == 61  # d2 is one note
    assert music.count_bars(score) == 8
    result = music.check_tune(TUNE)
    assert result.valid and result.parses and bool(result) and result.reason == ""
    assert (result.n_notes, result.n_bars) == (61, 8)


def test_short_or_broken_tunes_are_not_valid():
    short = music.check_tune("X:1\nT:Short\nM:4/4\nL:1/8\nK:D\nDFAF dFAF|EGBG eGBG|")
    assert not short.valid and short.parses and short.reason == "2 bars (< 8)"
    tiny = music.check_tune("X:1\nT:Tiny\nM:4/4\nL:1/8\nK:D\nDFA|")
    assert tiny.reason.startswith("3 notes (< 16), ") and not tiny.valid
    broken = music.check_tune("X:1\nM:4/4\nK:G\n[EDC C2:|")
    assert not broken.valid
    assert music.check_tune("").reason and not music.check_tune("").parses


def test_real_oneill_tunes_are_valid(oneill):
    assert music.valid_share(oneill) == 1.0
    with pytest.raises(ValueError):
        music.valid_share([])


def test_tune_notes_times_and_pitches():
    notes = music.tune_notes(TUNE, bpm=120)
    assert notes.shape == (61, 3)
    # L:1/8 at 120 quarter notes per minute: each eighth note lasts 0.25 s
    assert np.allclose(notes[:4, 0], [0.0, 0.25, 0.5, 0.75])
    assert np.allclose(notes[:32, 1], 0.25) and notes[32, 1] == 0.5  # the d2
    assert notes[0, 2] == 62  # D above middle C
    assert len(music.tune_notes(TUNE, bpm=120, max_seconds=2.0)) == 8
    with pytest.raises(ValueError):
        music.tune_notes(TUNE, bpm=0)


def test_synthesize_is_deterministic_and_in_range():
    notes = np.array([[0.0, 0.5, 69.0], [0.5, 0.5, 81.0]])
    wave_a = music.synthesize(notes, sample_rate=8000)
    wave_b = music.synthesize(notes, sample_rate=8000)
    assert wave_a.dtype == np.float32 and np.array_equal(wave_a, wave_b)
    assert len(wave_a) == pytest.approx(1.03 * 8000, abs=2)
    assert 0.85 < np.abs(wave_a).max() <= 0.9 + 1e-6
    spectrum = np.abs(np.fft.rfft(wave_a[:4000]))
    assert np.argmax(spectrum) * 8000 / 4000 == pytest.approx(440, abs=2)  # A4 first
    with pytest.raises(ValueError):
        music.synthesize(np.zeros((3, 2)))


def test_wav_bytes_and_audio_player(tmp_path):
    waveform = music.tune_waveform(TUNE, sample_rate=8000, max_seconds=3)
    path = music.save_wav(waveform, tmp_path / "tune.wav", sample_rate=8000)
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 8000)
        assert wav.getnframes() == len(waveform)
    player = music.play(TUNE, sample_rate=8000, max_seconds=3)
    assert player.data == music.play(TUNE, sample_rate=8000, max_seconds=3).data
    assert player.data[:4] == b"RIFF"
    assert "audio" in player._repr_html_()
    with pytest.raises(ValueError):
        music.play(np.zeros(0, np.float32))


def test_midi_file_round_trips_through_music21(tmp_path):
    path = music.save_midi(TUNE, tmp_path / "tune.mid")
    assert path.read_bytes()[:4] == b"MThd"
    import music21

    back = music21.converter.parse(str(path))
    pitches = [p.midi for n in back.flatten().notes for p in n.pitches]
    assert pitches == music.tune_notes(TUNE)[:, 2].astype(int).tolist()


def test_piano_roll_draws_one_box_per_note():
    fig = music.piano_roll(TUNE, title="Test Reel")
    ax = fig.axes[0]
    assert len(ax.patches) == 61 and ax.get_title() == "Test Reel"


def test_works_in_a_plain_script_with_a_read_only_home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    os.chmod(home, 0o500)
    code = (
        "from mit6s191_utils import music\n"
        f"print(music.check_tune({TUNE!r}).valid, len(music.play({TUNE!r}).data) > 0)\n"
    )
    env = {**os.environ, "HOME": str(home), "MPLBACKEND": "Agg"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "True True"
    assert not out.stderr.strip(), out.stderr[-2000:]


def test_wav_bytes_round_trip():
    data = music.wav_bytes(np.array([0.0, 0.5, -0.5], np.float32), 8000)
    with wave.open(io.BytesIO(data)) as wav:
        frames = np.frombuffer(wav.readframes(3), "<i2")
    assert frames.tolist() == [0, 16383, -16383]


ONE_STRAIN = """X:1
T:One Strain
M:4/4
L:1/8
K:D
|:DFAF dFAF|EGBG eGBG|DFAF dfaf|gfed cAGE:|"""

VOLTAS = """X:1
T:Two Endings
M:3/4
L:1/8
K:G
G>E|D2 E2 G2|c2 B2 A2|G2 G>AB>G|E2 D2 D2||
D>E|F2 F>A G>F|E2 E2 D>E|G2 G>AB>G|E2 D2 B>c|
[1 d2 d2 e>d|c2 c2 d>c|B2 G>A B>G|A2 G2:|
[2 d2 d2 e>d|c2 c2 d>c|B2 G>A B>G|A2 G2||"""


def test_strains_are_read_from_repeats_double_bars_and_part_fields():
    assert music.count_strains(TUNE) == 2
    assert music.strains(TUNE)[1].startswith("d2fd")
    assert music.count_strains(ONE_STRAIN) == 1
    # a second ending belongs to the strain it ends; a pickup is not a strain
    assert music.count_strains(VOLTAS) == 2
    assert music.strains(VOLTAS)[1].endswith("A2 G2||")
    assert "[2" in music.strains(VOLTAS)[1]
    parts = "X:1\nT:P\nM:2/4\nL:1/8\nK:G\nP:A\nGABc|dedB|\nP:B\ngfed|cBAG|\n"
    assert music.count_strains(parts) == 2
    # a tune cut off in its first strain, and text music21 cannot read, still get a count
    assert music.count_strains("X:1\nT:Cut\nK:D\nDFAF dFAF|EGBG") == 0
    assert music.count_strains("X:1\nT:Junk\nK:D\n||||::") == 0
    with pytest.raises(TypeError, match="ABC string"):
        music.strains(None)


def test_most_oneill_tunes_have_two_strains_or_more():
    shares = [music.count_strains(t) >= 2 for t in load_folk_tunes(simplify=True)]
    assert 0.9 < np.mean(shares) < 1.0


def test_longest_shared_stretch_and_copied_share():
    assert music.longest_shared_stretch("abcdef", "xxcdexx") == 3
    assert music.longest_shared_stretch("abc", "xyz") == 0
    assert music.longest_shared_stretch("", "abc") == 0
    assert music.tune_body(TUNE).startswith("|:DFAFdFAF|EGBG")
    assert "\n" not in music.tune_body(VOLTAS) and " " not in music.tune_body(VOLTAS)
    # a verbatim copy shares all of itself; the stretch never runs across two tunes
    assert music.copied_share(TUNE, [VOLTAS, TUNE]) == 1.0
    reference = music.reference_text(["DFAF", "dFAF"])
    assert music.longest_shared_stretch("DFAFdFAF", reference) == 4
    half = "X:1\nT:H\nK:D\nDFAFdFAFxxxxxxxx"
    assert music.copied_share(half, [TUNE]) == 0.5
    with pytest.raises(ValueError, match="no body"):
        music.copied_share("X:1\nT:Empty\nK:D\n", [TUNE])
