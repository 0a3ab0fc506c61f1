"""mit6s191_utils.datasets: the shipped MNIST sample, the real download path, folk tunes."""

import hashlib
import http.server
import io
import re
import socket
import threading
from functools import partial

import numpy as np
import pytest

from mit6s191_utils import datasets, music


def test_mnist_sample_shape_split_and_checksum():
    (x_train, y_train), (x_test, y_test) = datasets.load_mnist()
    assert x_train.shape == (8000, 28, 28) and x_test.shape == (2000, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert set(np.unique(y_test)) == set(range(10))
    assert x_train.max() == 255
    from importlib import resources

    path = resources.files("mit6s191_utils.data") / datasets.MNIST_SAMPLE_FILE
    assert datasets.sha256_of(path) == datasets.MNIST_SAMPLE_SHA256


def test_mnist_rejects_unknown_source():
    with pytest.raises(ValueError, match="'sample' or 'full'"):
        datasets.load_mnist("cifar")


def _fake_mnist_bytes(seed=0) -> bytes:
    rng = np.random.default_rng(seed)
    buf = io.BytesIO()
    np.savez(
        buf,
        x_train=rng.integers(0, 256, (60, 28, 28), dtype=np.uint8),
        y_train=rng.integers(0, 10, 60, dtype=np.uint8),
        x_test=rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        y_test=rng.integers(0, 10, 10, dtype=np.uint8),
    )
    return buf.getvalue()


@pytest.fixture()
def local_server(tmp_path):
    """A real HTTP server on 127.0.0.1 serving tmp_path/www, counting requests."""
    www = tmp_path / "www"
    www.mkdir()
    hits = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            hits.append(self.path)
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=www))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield www, f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_full_mnist_download_verifies_caches_and_reuses(local_server, tmp_path):
    www, base, hits = local_server
    payload = _fake_mnist_bytes()
    (www / "mnist.npz").write_bytes(payload)
    digest = hashlib.sha256(payload).hexdigest()
    cache = tmp_path / "cache"
    (x_train, y_train), (x_test, _) = datasets.load_mnist(
        "full", url=f"{base}/mnist.npz", sha256=digest, cache=cache
    )
    assert x_train.shape == (60, 28, 28) and x_test.shape == (10, 28, 28)
    assert (cache / "mnist.npz").read_bytes() == payload
    assert len(hits) == 1
    datasets.load_mnist("full", url=f"{base}/mnist.npz", sha256=digest, cache=cache)
    assert len(hits) == 1, "a verified cache must be reused without downloading again"


@pytest.mark.parametrize("damage", ["partial", "corrupted"])
def test_damaged_cache_is_replaced(local_server, tmp_path, damage):
    www, base, hits = local_server
    payload = _fake_mnist_bytes()
    (www / "mnist.npz").write_bytes(payload)
    cache = tmp_path / "cache"
    cache.mkdir()
    bad = payload[: len(payload) // 2] if damage == "partial" else b"x" * len(payload)
    (cache / "mnist.npz").write_bytes(bad)
    datasets.load_mnist(
        "full", url=f"{base}/mnist.npz", sha256=hashlib.sha256(payload).hexdigest(), cache=cache
    )
    assert (cache / "mnist.npz").read_bytes() == payload
    assert len(hits) == 1


def test_wrong_checksum_is_refused_and_not_cached(local_server, tmp_path):
    www, base, _ = local_server
    (www / "mnist.npz").write_bytes(_fake_mnist_bytes())
    cache = tmp_path / "cache"
    with pytest.raises(datasets.DatasetUnavailableError, match="expected 0000"):
        datasets.load_mnist("full", url=f"{base}/mnist.npz", sha256="0" * 64, cache=cache)
    assert not any(cache.iterdir()), "nothing may be left in the cache"


def test_offline_download_says_so_and_points_to_the_sample(tmp_path):
    with socket.socket() as sock:  # a port on 127.0.0.1 with nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(datasets.DatasetUnavailableError) as info:
        datasets.load_mnist(
            "full", url=f"http://127.0.0.1:{port}/mnist.npz", sha256="0" * 64, cache=tmp_path
        )
    message = str(info.value)
    assert "offline" in message and "load_mnist('sample')" in message
    assert not list(tmp_path.iterdir())


def test_folk_tunes_are_clean_abc():
    tunes = datasets.load_folk_tunes()
    assert len(tunes) > 1500
    for tune in tunes[:200]:
        lines = tune.splitlines()
        assert lines[0] == "X:1"
        assert any(line.startswith("K:") for line in lines)
        assert "%" not in tune and "Z:" not in tune and "N:" not in tune
    assert tunes == datasets.load_folk_tunes(), "loading must be deterministic"


def test_clean_abc_tune_drops_notes_and_comments():
    raw = "X: 7\nT: A Tune\nN: collected by someone\nM: 6/8\nL: 1/8\nK:D % key\nABc|def||\n\n"
    assert datasets.clean_abc_tune(raw) == "X:1\nT:A Tune\nM:6/8\nL:1/8\nK:D\nABc|def||"


def test_will_i_pass_is_seeded_and_sensible():
    x, passed, grade = datasets.will_i_pass(n=300, seed=3)
    x2, passed2, _ = datasets.will_i_pass(n=300, seed=3)
    assert np.array_equal(x, x2) and np.array_equal(passed, passed2)
    assert x.shape == (300, 2) and passed.shape == (300, 1) and grade.shape == (300, 1)
    assert 0.2 < passed.mean() < 0.8
    # more lectures and more hours go with passing
    assert x[passed[:, 0] == 1].mean(0)[0] > x[passed[:, 0] == 0].mean(0)[0]
    assert not np.array_equal(x, datasets.will_i_pass(n=300, seed=4)[0])
    with pytest.raises(ValueError):
        datasets.will_i_pass(n=0)


def test_simplified_folk_tunes_keep_the_melody_without_ornaments():
    full = datasets.load_folk_tunes()
    simple = datasets.load_folk_tunes(simplify=True)
    assert len(simple) == len(full)
    for a, b in zip(full, simple):
        assert a.splitlines()[:2] == b.splitlines()[:2], "same tunes, same order, same titles"
    body = "\n".join(line for t in simple for line in t.splitlines()[5:])
    assert not set("{}~.)") & set(body)
    assert not re.search(r"\((?!\d)", body), "only tuplets such as (3 keep a parenthesis"
    assert "  " not in body
    assert len("".join(simple)) < 0.95 * len("".join(full))
    # the same pitches in the same order, lasting as long in all, on a sample of the tunes
    # (durations may differ note by note: music21 drops a broken rhythm such as "(A>F)" when a
    # slur wraps it, and reads "A>F" right)
    for k in range(0, len(full), 97):
        a, b = music.tune_notes(simple[k]), music.tune_notes(full[k])
        np.testing.assert_array_equal(a[:, 2], b[:, 2])
        assert a[:, 1].sum() == pytest.approx(b[:, 1].sum())
    example = "X:1\nT:T\nM:6/8\nL:1/8\nK:D\n(3ABc {g}(fe)d ~d2 .A  B|"
    assert datasets.simplify_abc_tune(example).endswith("\n(3ABc fed d2 A B|")
