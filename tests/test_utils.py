"""mit6s191_utils: reproducibility, GPU report, plotting and the labs' public checks."""

import os
import subprocess
import sys

import numpy as np
import pytest

from mit6s191_utils import labcheck, limit_cpu_threads, plotting, seed_everything
from mit6s191_utils.gpu import NO_GPU_ADVICE, device_report


def test_seed_everything_makes_tensorflow_and_numpy_repeat():
    import tensorflow as tf

    seed_everything(11)
    first = (
        np.random.rand(3),
        tf.random.uniform((3,)).numpy(),
        tf.keras.layers.Dense(2)(tf.ones((1, 4))).numpy(),
    )
    seed_everything(11)
    second = (
        np.random.rand(3),
        tf.random.uniform((3,)).numpy(),
        tf.keras.layers.Dense(2)(tf.ones((1, 4))).numpy(),
    )
    for a, b in zip(first, second):
        assert np.array_equal(a, b)
    seed_everything(12)
    assert not np.array_equal(first[0], np.random.rand(3))
    with pytest.raises(ValueError):
        seed_everything(-1)


def test_device_report_never_asserts_and_advises_without_gpu():
    report = device_report()
    assert report.tensorflow_version.startswith("2.")
    assert report.keras_version.startswith("3.")
    assert report.cpus
    if report.has_gpu:
        assert report.advice is None
    else:
        assert report.advice == NO_GPU_ADVICE
    assert "TensorFlow" in str(report)
    assert report.as_dict()["has_gpu"] == report.has_gpu


def test_live_plot_saves_png_outside_notebooks(tmp_path):
    png = tmp_path / "loss.png"
    plot = plotting.LivePlot(title="t", png_path=png, refresh_every=5)
    for step in range(12):
        plot.update(step, loss=1.0 / (step + 1), accuracy=step / 12)
    plot.close()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert plot.history["loss"][1][-1] == pytest.approx(1 / 12)
    with pytest.raises(ValueError):
        plot.update(13)


def test_image_grid_marks_mistakes_in_red():
    images = np.zeros((4, 8, 8), np.uint8)
    fig = plotting.image_grid(images, labels=[1, 2, 3, 4], predictions=[1, 2, 0, 4], ncols=2)
    titles = [(ax.get_title(), ax.title.get_color()) for ax in fig.axes]
    assert titles[2] == ("0 (3)", "red")
    assert titles[0][1] == "black"
    with pytest.raises(ValueError, match="labels has 3 entries for 4 images"):
        plotting.image_grid(images, labels=[1, 2, 3])


def test_decision_boundary_shades_both_classes():
    x = np.array([[0, 0], [1, 1], [0, 1], [1, 0]], np.float32)
    y = np.array([0, 1, 1, 0])
    ax = plotting.decision_boundary(lambda g: (g[:, 1] > 0.5).astype(float), x, y)
    assert ax.get_xlabel() == "$x_1$" and len(ax.collections) >= 3
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        plotting.decision_boundary(lambda g: g, np.zeros((3, 3)), y[:3])


def test_labcheck_reports_each_status(capsys):
    def not_done():
        raise NotImplementedError

    def wrong():
        raise AssertionError("off by one")

    assert not labcheck.check("a", not_done)
    assert not labcheck.check("b", wrong)
    assert labcheck.check("c", lambda: None)
    out = capsys.readouterr().out
    assert "⏳ a: not attempted" in out and "✘ b: off by one" in out and "✔ c" in out
    assert labcheck.passed("c") and not labcheck.passed("a")
    assert not labcheck.require("a", "c")
    assert "finish a first" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="dtype"):
        labcheck.assert_close(np.ones(2, np.float64), np.ones(2, np.float32))


def test_quiet_stderr_silences_file_descriptor_2(capfd):
    import os

    from mit6s191_utils import quiet_stderr

    with quiet_stderr():
        os.write(2, b"hidden\n")
    os.write(2, b"shown\n")
    err = capfd.readouterr().err
    assert "hidden" not in err and "shown" in err


def test_limit_cpu_threads_before_and_after_tensorflow_starts():
    # a fresh interpreter: the setting only takes before TensorFlow's first operation
    code = (
        "from mit6s191_utils import limit_cpu_threads\n"
        "import tensorflow as tf\n"
        "print(limit_cpu_threads(1), tf.config.threading.get_intra_op_parallelism_threads())\n"
        "tf.constant(1.0) + 1.0\n"
        "print(limit_cpu_threads(1), limit_cpu_threads(2),\n"
        "      tf.config.threading.get_intra_op_parallelism_threads())\n"
    )
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["True", "1", "True", "False", "1"]
    with pytest.raises(ValueError, match="positive int"):
        limit_cpu_threads(0)
