"""Chapter 3 (deep computer vision): erratum 6 pinned, and fast checks of its claims.

Source checks read the chapter's MyST text; executable checks pin the behaviour the
chapter's story relies on (Keras' argument names, the "X" filter sum, the box counts), so a
change in a library that breaks the chapter fails here first, in seconds.
"""

import os
import re

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402
from testkit import NOTE, chapter_source  # noqa: E402
from testkit import code_cells as cells_of

from mit6s191_utils.vision import sliding_boxes  # noqa: E402


@pytest.fixture(scope="module")
def source() -> str:
    return chapter_source("03_deep_computer_vision.md")


@pytest.fixture(scope="module")
def code_cells(source) -> list[str]:
    return cells_of(source)


def test_chapter_is_a_myst_notebook_that_starts_right(source, code_cells):
    header = source.split("---", 2)[1]
    assert "format_name: myst" in header and "name: python3" in header
    first = code_cells[0]
    assert first.index('os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"') < first.index(
        "import tensorflow"
    )
    assert "seed_everything()" in first


def test_erratum_6_kernel_size_not_filter_size(source, code_cells):
    notes = NOTE.findall(source)
    assert any("filter_size" in n and "kernel_size" in n for n in notes), (
        "a note box must correct the slide's filter_size to kernel_size"
    )
    for cell in code_cells:
        for call in re.findall(r"Conv2D\([^)]*\)", cell):
            if "filter_size" in call:
                # The only allowed use shows that Keras rejects it.
                assert "try:" in cell and "except TypeError" in cell, call


def test_keras_rejects_filter_size_and_accepts_kernel_size():
    with pytest.raises(TypeError, match="kernel_size"):
        keras.layers.Conv2D(32, filter_size=3, activation="relu")
    assert keras.layers.Conv2D(32, kernel_size=3).kernel_size == (3, 3)


def test_the_x_filter_on_a_matching_patch_gives_9():
    x_filter = np.array([[1, -1, -1], [-1, 1, -1], [-1, -1, 1]], np.float32)
    out = tf.nn.conv2d(x_filter[None, :, :, None], x_filter[:, :, None, None], 1, "VALID")
    assert float(out[0, 0, 0, 0]) == 9.0


def test_the_lecture_cnn_has_most_weights_in_its_dense_layer():
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(32, kernel_size=3, activation="relu"),
            keras.layers.MaxPool2D(pool_size=2, strides=2),
            keras.layers.Conv2D(64, kernel_size=3, activation="relu"),
            keras.layers.MaxPool2D(pool_size=2, strides=2),
            keras.layers.Flatten(),
            keras.layers.Dense(1024, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    conv = sum(layer.count_params() for layer in model.layers[:4])
    assert conv < 20_000 and model.count_params() > 1_600_000


def test_cnn_and_dense_of_the_comparison_have_similar_size():
    cnn = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(16, 3),
            keras.layers.MaxPool2D(2),
            keras.layers.Conv2D(32, 3),
            keras.layers.MaxPool2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(10),
        ]
    )
    dense_params = 784 * 16 + 16 + 16 * 10 + 10
    assert abs(cnn.count_params() - dense_params) / dense_params < 0.05


def test_naive_detector_box_counts():
    assert len(sliding_boxes(64, (28,), 1)) == 1369
    assert len(sliding_boxes(64, tuple(range(12, 41, 4)), 1)) > 10_000
