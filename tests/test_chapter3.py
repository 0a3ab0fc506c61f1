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


def test_naive_detector_box_counts():
    assert len(sliding_boxes(64, (28,), 1)) == 1369
    assert len(sliding_boxes(64, tuple(range(12, 41, 4)), 1)) > 10_000


# --- issue 13 §3 errata of this chapter, and issue 14's fair comparisons ---------------------


def _chapter_namespace(source, *names):
    """Execute the chapter's definitions of `names` (functions) in a fresh namespace."""
    from testkit import definition

    namespace = {"np": np, "tf": tf, "keras": keras, "L": keras.layers}
    for name in names:
        exec(definition(source, name), namespace)
    return namespace


def test_erratum_shifts_fill_with_zeros_not_wrap(source, code_cells):
    # np.roll wraps the ink that leaves one border round to the other.
    assert not any("np.roll" in cell for cell in code_cells)
    shift_right = _chapter_namespace(source, "shift_right")["shift_right"]
    images = np.zeros((2, 28, 28, 1), np.float32)
    images[:, :, -2:] = 1.0  # ink in the last two columns
    images[:, 5, 3] = 0.5
    moved = shift_right(images, 3)
    assert moved.shape == images.shape and moved.dtype == images.dtype
    assert moved[:, :, :3].sum() == 0  # nothing wrapped round to the left
    assert moved[:, 5, 6, 0].tolist() == [0.5, 0.5]
    assert np.array_equal(shift_right(images, 0), images)


def test_erratum_pooling_and_strided_cnns_have_equal_size(source):
    ns = _chapter_namespace(source, "small_cnn", "small_dense")
    pooling, strided, dense = ns["small_cnn"](), ns["small_cnn"](pool=False), ns["small_dense"]()
    assert pooling.count_params() == strided.count_params()
    assert abs(dense.count_params() - pooling.count_params()) < 0.02 * dense.count_params()
    assert "two CNNs of equal size" not in source
    x = np.zeros((1, 28, 28, 1), np.float32)
    assert pooling(x).shape == strided(x).shape == (1, 10)


def test_erratum_proposal_ratio_is_computed_not_typed(source):
    assert "less than a thousandth" not in source
    assert "{glue:text}`evaluation_ratio" in source
    assert 'glue("evaluation_ratio"' in source


def test_erratum_fcn_needs_sides_divisible_by_4(source):
    assert "works on images of any size" not in source
    ns = _chapter_namespace(source, "conv_block", "make_fcn")
    fcn = ns["make_fcn"]()
    for side, expected in [(48, 48), (64, 64), (52, 52), (50, 48), (30, 28)]:
        out = fcn(np.zeros((1, side, side, 1), np.float32))
        assert out.shape == (1, expected, expected, 11), side


@pytest.mark.parametrize("n", [5, 13, 28, 31])
@pytest.mark.parametrize("k,s", [(1, 1), (3, 1), (3, 2), (5, 2), (2, 2)])
def test_output_size_formula_matches_keras(source, n, k, s):
    output_size = _chapter_namespace(source, "output_size")["output_size"]
    for padding, p in [("valid", 0), ("same", k // 2)]:
        if padding == "same" and (k % 2 == 0 or s > 1 and n % s):
            continue  # the formula is for odd filters; "same" + stride pads to ceil(n/s)
        got = keras.layers.Conv2D(1, k, strides=s, padding=padding)(np.zeros((1, n, n, 1)))
        assert output_size(n, k, s, p) == got.shape[1]


@pytest.mark.parametrize("stride", [1, 2])  # Keras pads when stride > kernel
def test_transposed_convolution_by_hand_matches_keras(source, stride):
    fn = _chapter_namespace(source, "transposed_convolution")["transposed_convolution"]
    rng = np.random.default_rng(stride)
    image, kernel = rng.normal(size=(3, 2)), rng.normal(size=(2, 3))
    layer = keras.layers.Conv2DTranspose(1, (2, 3), strides=stride, use_bias=False)
    layer.build((None, 3, 2, 1))
    layer.set_weights([kernel[:, :, None, None]])
    want = layer(image[None, :, :, None].astype("float32"))[0, :, :, 0]
    np.testing.assert_allclose(fn(image, kernel, stride), want, atol=1e-5)


def test_the_chapter_names_imagenet_and_spatial_invariance(source):
    assert "ImageNet" in source and "{cite}`deng2009imagenet`" in source
    assert "spatial" in source and "invariance" in source
    assert "http://introtodeeplearning.com/2021/" in source


def _lab3_cnn():
    import importlib.util

    from conftest import REPO

    spec = importlib.util.spec_from_file_location("_lab3_solutions", REPO / "solutions/lab3.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_cnn_model()


@pytest.mark.parametrize("sign", [1, -1])
def test_the_labs_pool_first_cnn_equals_pooling_last_when_gamma_is_positive(sign):
    """The chapter's 'pool first' claim, on the lab's own CNN: with the same weights and
    every batch-norm scale > 0, pooling right after the convolution gives the logits of
    the usual order (batch norm, ReLU, pooling) at inference; with scales < 0 it does not."""
    layers = keras.layers
    lab = _lab3_cnn()
    kinds = [type(layer).__name__ for layer in lab.layers]
    assert kinds[:4] == ["Conv2D", "MaxPooling2D", "BatchNormalization", "ReLU"]
    late = keras.Sequential(
        [keras.Input((28, 28, 1))]
        + [
            layer
            for f in (32, 64)
            for layer in (
                layers.Conv2D(f, 3, use_bias=False),
                layers.BatchNormalization(),
                layers.ReLU(),
                layers.MaxPool2D(2),
            )
        ]
        + [layers.Flatten(), layers.Dropout(0.3), layers.Dense(10)]
    )
    rng = np.random.default_rng(4)
    # conv1, gamma1, beta1, mean1, var1, conv2, gamma2, beta2, mean2, var2, dense w, b
    weights = [rng.normal(0, 0.3, w.shape) for w in lab.get_weights()]
    for k in (1, 6):
        weights[k] = sign * rng.uniform(0.5, 1.5, weights[k].shape)
    for k in (4, 9):
        weights[k] = rng.uniform(0.5, 1.5, weights[k].shape)
    weights = [w.astype(np.float32) for w in weights]
    lab.set_weights(weights)
    late.set_weights(weights)
    x = rng.uniform(size=(6, 28, 28, 1)).astype(np.float32)
    same = np.allclose(lab(x, training=False), late(x, training=False), atol=1e-4)
    assert same == (sign > 0)


def test_pool_first_numbers_are_computed_not_typed(source):
    for name in ("bn_values_early", "bn_values_late", "bn_values_share"):
        assert f"{{glue:text}}`{name}" in source and f'glue("{name}"' in source
    assert "random_affine" in source  # the lab's augmentation is named where it is explained
