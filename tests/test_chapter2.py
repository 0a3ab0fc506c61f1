"""Chapter 2 (deep sequence modelling): erratum 5 pinned, and its small experiments checked fast."""

import re

import numpy as np
import pytest
from testkit import BOOK, chapter_source, definition

CHAPTER = BOOK / "02_deep_sequence_modelling.md"


def _cell_defining(name):
    """The source of the top-level function or class `name` in the chapter's code cells."""
    return definition(chapter_source(CHAPTER.name), name)


def test_erratum_5_rnn_cell_uses_matrix_products():
    source = _cell_defining("MyRNNCell")
    assert "tf.matmul" in source
    assert not re.search(r"W_\w+\s*\*|\*\s*self\.W_", source), "the update must not use `*`"
    text = CHAPTER.read_text()
    assert ":::{note} If you saw the slides" in text and "element by element" in text


def test_chapter_rnn_cell_matches_simple_rnn():
    import tensorflow as tf
    from tensorflow import keras

    namespace = {"tf": tf, "keras": keras, "np": np}
    exec(_cell_defining("MyRNNCell"), namespace)
    cell = namespace["MyRNNCell"](3, 6, 2)
    x = tf.random.normal((4, 7, 3), seed=0)
    h = tf.zeros((4, 6))
    states = []
    for t in range(7):
        _, h = cell(x[:, t], h)
        states.append(h)
    rnn = keras.layers.SimpleRNN(6, return_sequences=True)
    rnn.build((4, 7, 3))
    rnn.set_weights([cell.W_xh.numpy(), cell.W_hh.numpy(), np.zeros(6, "float32")])
    assert np.allclose(tf.stack(states, axis=1), rnn(x), atol=1e-5)


def test_slide_form_is_wrong_shape():
    import tensorflow as tf

    W_hh, h = tf.ones((4, 4)), tf.ones((4, 1))
    assert (W_hh * h).shape == (4, 4)  # what the slide's `*` computes
    assert tf.matmul(W_hh, h).shape == (4, 1)  # what the update needs


def test_gradient_norm_follows_spectral_radius():
    import tensorflow as tf
    from tensorflow import keras

    namespace = {"tf": tf, "np": np, "units": 32}
    exec(_cell_defining("gradient_norm_wrt_h0"), namespace)
    grad_norm = namespace["gradient_norm_wrt_h0"]
    q = keras.initializers.Orthogonal(seed=0)((32, 32))
    for rho in (1.1, 0.9):
        assert grad_norm(rho * q, 30) == pytest.approx(rho**30, rel=1e-3)
    # ReLU + identity: the norm does not change with the length (fixes 1 and 2)
    assert grad_norm(tf.eye(32), 100, tf.nn.relu) == pytest.approx(
        grad_norm(tf.eye(32), 1, tf.nn.relu), rel=1e-5
    )


def test_adding_problem_data():
    namespace = {"np": np}
    exec(_cell_defining("adding_problem"), namespace)
    x, y = namespace["adding_problem"](50, 20, np.random.default_rng(0))
    assert x.shape == (50, 20, 2) and y.shape == (50, 1)
    assert np.all(x[:, :, 1].sum(axis=1) == 2)
    assert np.all(x[:, :10, 1].sum(axis=1) == 1)  # one marker in each half
    assert np.allclose((x[:, :, 0] * x[:, :, 1]).sum(axis=1, keepdims=True), y)


def test_chapter_cites_only_known_references():
    bib = (CHAPTER.parent / "references.bib").read_text()
    keys = set(re.findall(r"^@\w+\{([^,]+),", bib, flags=re.M))
    cited = {
        k.strip()
        for group in re.findall(r"\{cite\}`([^`]+)`", CHAPTER.read_text())
        for k in group.split(",")
    }
    assert cited <= keys, f"missing BibTeX entries: {sorted(cited - keys)}"
