"""mit6s191_utils: reproducibility, GPU report, plotting and the labs' public checks."""

import functools
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
    assert "○ a: not attempted" in out and "✘ b: off by one" in out and "✔ c" in out
    assert labcheck.passed("c") and not labcheck.passed("a")
    assert not labcheck.require("a", "c")
    assert "finish a first" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="dtype"):
        labcheck.assert_close(np.ones(2, np.int64), np.ones(2, np.float32))  # ints for floats


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


def test_labcheck_symbols_need_no_emoji_font():
    # ✔ ✘ ○ are in DejaVu Sans and Liberation; ⏳ needs an emoji font and showed as a box
    assert (labcheck.PASSED, labcheck.FAILED, labcheck.NOT_ATTEMPTED) == ("✔", "✘", "○")
    for symbol in (labcheck.PASSED, labcheck.FAILED, labcheck.NOT_ATTEMPTED):
        assert ord(symbol) < 0x2800, f"{symbol!r} is outside the blocks common fonts cover"


def test_labcheck_failure_names_the_line_of_the_students_code(tmp_path, capsys, monkeypatch):
    (tmp_path / "student_code.py").write_text(
        "def mean_of(values):\n    total = sum(values)\n    return total / len(values) - 1 / 0\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import student_code

    assert not labcheck.check("mean_of", lambda: student_code.mean_of([1.0, 2.0]))
    out = capsys.readouterr().out
    assert "✘ mean_of: raised ZeroDivisionError: division by zero" in out
    assert "(in mean_of, line 3: `return total / len(values) - 1 / 0`)" in out
    # a wrong result found by the check's own comparison has no line of student code to name
    compare = functools.partial(labcheck.assert_close, np.ones(2), np.zeros(2))
    assert not labcheck.check("wrong", compare)
    out = capsys.readouterr().out
    assert "✘ wrong: result differs" in out and "(in " not in out


def test_device_report_counts_cpu_cores_not_tensorflow_devices():
    report = device_report()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert report.cpu_cores == cores
    text = str(report)
    assert f"{cores} CPU core" in text
    if not report.has_gpu:
        assert "GPUs: none" in text and "runs on the CPU" in text
        assert "Could not find cuda drivers" in text  # says what TensorFlow's notice means


def test_tensorflow_imports_quietly_and_python_warnings_stay_visible():
    # a fresh interpreter, as a lab's set-up cell: TF_CPP_MIN_LOG_LEVEL alone no longer hides
    # TensorFlow's start-up lines (absl, oneDNN, "Could not find cuda drivers")
    code = (
        "import os, warnings\n"
        "os.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'\n"
        "from mit6s191_utils import quiet_stderr\n"
        "with quiet_stderr():\n"
        "    import tensorflow as tf\n"
        "    warnings.warn('a warning the student should see', UserWarning)\n"
        "    os.write(2, b'C++ noise\\n')\n"
        "print(tf.constant(2.0).numpy() * 2)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["4.0"]
    assert "UserWarning: a warning the student should see" in proc.stderr
    assert "C++ noise" not in proc.stderr
    for noise in ("absl::InitializeLog", "oneDNN", "cuda drivers", "cpu_feature_guard"):
        assert noise not in proc.stderr, proc.stderr[-2000:]


def test_live_plot_sends_png_bytes_to_the_notebook(monkeypatch):
    # a bare matplotlib Figure shows as "<Figure size ...>" text until the inline backend is
    # on; the live plot must send the image itself, then update that same output in place
    import base64

    import IPython.display

    shown = []

    class Handle:
        def update(self, data, raw=False):
            shown.append(("update", data, raw))

    def display(data, raw=False, display_id=None):
        shown.append(("display", data, raw))
        return Handle()

    monkeypatch.setattr(plotting, "in_notebook", lambda: True)
    monkeypatch.setattr(IPython.display, "display", display)
    plot = plotting.LivePlot(title="Loss", refresh_every=2)
    for step in range(4):
        plot.update(step, loss=1.0 / (step + 1))
    plot.close()
    assert [kind for kind, _, _ in shown] == ["display", "update", "update"]
    for _, data, raw in shown:
        assert raw and set(data) == {"image/png", "text/plain"}
        assert base64.b64decode(data["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
        assert "Figure size" not in data["text/plain"]
    assert shown[-1][1]["text/plain"] == "[Loss: 4 updates; last: loss 0.25]"


@pytest.mark.slow
def test_live_plot_is_an_image_in_a_fresh_kernel(tmp_path):
    # the plot is the kernel's first figure: no pyplot call has switched the inline backend on
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from mit6s191_utils.plotting import LivePlot\n"
            "plot = LivePlot(title='Loss', refresh_every=1)\n"
            "for step in range(3):\n"
            "    plot.update(step, loss=1.0 / (step + 1))\n"
            "plot.close()\n"
        )
    ]
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute(env=env)
    outputs = nb.cells[0].outputs
    assert len(outputs) == 1, outputs  # drawn once, then updated in place
    assert outputs[0].output_type == "display_data"
    assert "image/png" in outputs[0].data, outputs[0].data.get("text/plain")
    assert "Figure size" not in outputs[0].data["text/plain"]


def test_quiet_stderr_shows_python_warnings_after_and_keeps_filters():
    import warnings

    from mit6s191_utils import quiet_stderr

    with pytest.warns(UserWarning, match="shown after the block"):
        with quiet_stderr():
            warnings.warn("shown after the block", UserWarning, stacklevel=1)
            warnings.filterwarnings("ignore", message="a filter the library sets")
        patterns = [f[1].pattern for f in warnings.filters if f[1] is not None]
        assert "a filter the library sets" in patterns  # an import's filters stay in force
