"""The labs as students meet them: JupyterLab in Chromium, "Run All Cells", checked in the page.

JupyterLab is started from the project's environment (no token, a free port on 127.0.0.1,
its own empty settings, config and runtime folders) on a temporary folder holding copies of
the labs, lab 1 once more with the reference solutions filled in (tests/testkit.py), and a
notebook whose first figure is a live plot. Debian's Chromium, driven by Playwright as in
tests/test_browser.py, opens each notebook, runs it with the Run menu's "Run All Cells" and
waits for the kernel to finish. Then the page must show: no stderr block and no traceback,
every cell run, every tqdm progress bar as a widget (not text), every live plot that ran
as an image, and a check line with a visible symbol for each exercise. Every request that
leaves 127.0.0.1 is blocked and reported: it all works offline.

Run time 3.5 to 5.5 minutes on the development machine (two cores shared with other work;
one run: 210 s wall, 69 s of CPU): JupyterLab starts in 24-36 s, each shipped lab takes
25-44 s, solved lab 1 44-97 s (it trains three small models), the known-faults notebook
20-35 s. Skips, saying why, when Playwright or Chromium is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
import testkit

from autograder.labs import LAB_IDS, get_spec

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
SOLVED_LAB1 = "lab1_solved.ipynb"
PLOT_FIRST = "live_plot_then_known_faults.ipynb"
# Settings a fresh JupyterLab is given: every cell kept in the page (no windowing, so the
# checks see every output) and no news or update check (nothing to fetch, no pop-up).
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}
SERVER_CONFIG = {
    "LabApp": {
        "news_url": None,
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
        "expose_app_in_browser": True,
        "extension_manager": "readonly",  # no look-up of extensions on PyPI
    },
    # no token and no XSRF check: the test shuts kernels down with plain HTTP requests
    "ServerApp": {"open_browser": False, "port_retries": 0, "disable_check_xsrf": True},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def chromium(browser):
    """Debian's Chromium under Playwright: the session's one instance (tests/conftest.py)."""
    return browser


@dataclass
class Lab:
    url: str  # JupyterLab's address, ending in /
    screenshots: Path  # a screenshot of each notebook after Run All, for a person to look at


@pytest.fixture(scope="module")
def jupyterlab(chromium, tmp_path_factory):
    """JupyterLab from .venv on a free local port, serving copies of the labs."""
    jupyter = Path(sys.executable).parent / "jupyter"
    if not jupyter.exists():
        pytest.skip(f"{jupyter} is missing: run `make test` (it installs requirements.txt)")
    base = tmp_path_factory.mktemp("jupyterlab")
    root, home = base / "labs", base / "jupyter"
    root.mkdir()
    for lab_id in LAB_IDS:
        shutil.copy(REPO / get_spec(lab_id).notebook, root)
    testkit.write_solved("lab1", root / SOLVED_LAB1)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from mit6s191_utils.plotting import LivePlot\n\n"
            "# the kernel's first figure: no pyplot plot has switched the inline backend on\n"
            "plot = LivePlot(title='Loss', xlabel='step', refresh_every=1)\n"
            "for step in range(5):\n"
            "    plot.update(step, loss=1.0 / (step + 1))\n"
            "plot.close()"
        ),
        # known faults, to show the checks catch them in this client: TensorFlow imported
        # without quiet_stderr(), a bare Figure before the inline backend is on, and ⏳
        nbformat.v4.new_code_cell("import tensorflow as tf"),
        nbformat.v4.new_code_cell(
            "from matplotlib.figure import Figure\n\n"
            "figure = Figure(figsize=(4, 3))\n"
            "figure.add_subplot().plot([1, 2])\n"
            "display(figure)"
        ),
        nbformat.v4.new_code_cell("print('⏳ demo: not attempted yet')"),
        # a failed check names the line of the student's code (a notebook cell's, here)
        nbformat.v4.new_code_cell(
            "from mit6s191_utils.labcheck import check\n\n\n"
            "def scale(z):\n"
            "    return z * scale_factor\n\n\n"
            "check('scale', lambda: scale(2.0))"
        ),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, root / PLOT_FIRST)
    for name, value in SETTINGS.items():
        path = home / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    (home / "config").mkdir(parents=True)
    (home / "config" / "jupyter_server_config.json").write_text(json.dumps(SERVER_CONFIG))
    # as a student's shell has it: none of the test suite's TensorFlow or matplotlib settings,
    # and no PYTEST_CURRENT_TEST (with it ipykernel stops showing what is written to fd 2)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TF_", "JUPYTER", "MPL", "PYTEST")) and k != "PYTHONHASHSEED"
    }
    env |= {
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
    }
    port = _free_port()
    log = open(base / "server.log", "wb")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(
        [
            str(jupyter),
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={root}",
            f"--LabServerApp.user_settings_dir={home / 'settings'}",
            f"--LabServerApp.workspaces_dir={home / 'workspaces'}",
            *(["--allow-root"] if os.geteuid() == 0 else []),  # containers, CI
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _get_json(url + "api/status")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    tail = (base / "server.log").read_text(errors="replace")[-3000:]
                    raise AssertionError(f"JupyterLab did not start:\n{tail}") from None
                time.sleep(0.5)
        (base / "screenshots").mkdir()
        yield Lab(url, base / "screenshots")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()


def _shut_down_kernels(url: str) -> None:
    for session in _get_json(url + "api/sessions"):
        request = urllib.request.Request(url + f"api/sessions/{session['id']}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


# The notebook's state, read from JupyterLab's own objects (window.jupyterapp) and its DOM.
REPORT_JS = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const blank = (ch, font) => {
    const canvas = document.createElement('canvas');
    canvas.width = 48; canvas.height = 48;
    const g = canvas.getContext('2d');
    g.font = font; g.textBaseline = 'top'; g.fillStyle = '#000';
    g.fillText(ch, 4, 4);
    return Array.from(g.getImageData(0, 0, 48, 48).data).join(',');
  };
  const out = {path: panel.context.path, cells: []};
  panel.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const node = cell.node;
    const texts = Array.from(node.querySelectorAll('.jp-OutputArea-output'))
      .map(o => [o.getAttribute('data-mime-type') || '', o.innerText]);
    const outputs = cell.model.outputs.toJSON();
    // a widget's output area carries no data-mime-type: find the bar itself
    const bars = Array.from(node.querySelectorAll('.jp-OutputArea-output'))
      .filter(o => o.querySelector('.widget-hprogress')
                   && !/Error displaying widget/.test(o.innerText));
    const images = Array.from(node.querySelectorAll('.jp-OutputArea-output img'));
    out.cells.push({
      index: index,
      source: cell.model.sharedModel.getSource(),
      count: cell.model.executionCount,
      outputs: outputs,
      stderr: Array.from(node.querySelectorAll(
        '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]'))
        .map(e => e.innerText.slice(0, 500)),
      texts: texts,
      widgets: outputs.filter(o => o.data
                                   && o.data['application/vnd.jupyter.widget-view+json'])
                      .length,
      progress_widgets: bars.length,
      images: images.filter(i => i.complete && i.naturalWidth > 0).length,
    });
  });
  // a symbol is visible when drawn in the output font it differs from a character no font
  // has (drawn as an empty box, or nothing) and is not blank
  const pre = document.querySelector('.jp-OutputArea-output pre') || document.body;
  const font = getComputedStyle(pre).fontSize + ' ' + getComputedStyle(pre).fontFamily;
  const missing = blank('\\u{10FFFD}', font), empty = blank(' ', font);
  out.glyphs = {};
  for (const ch of ['\\u2714', '\\u2718', '\\u25CB', '\\u23F3']) {
    const drawn = blank(ch, font);
    out.glyphs[ch] = drawn !== missing && drawn !== empty;
  }
  return out;
}
"""

STILL_RUNNING_JS = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.sessionContext || !panel.sessionContext.session) return true;
  const kernel = panel.sessionContext.session.kernel;
  const prompts = Array.from(panel.node.querySelectorAll('.jp-InputArea-prompt'));
  return !kernel || kernel.status !== 'idle' || prompts.some(p => p.textContent.includes('*'));
}
"""


def _run_all(browser, lab: Lab, name: str) -> tuple[dict, list[str]]:
    """Open ``name`` in JupyterLab, Run All Cells from the menu, wait; the page's report and
    what went wrong in the browser (requests that tried to leave 127.0.0.1, script errors)."""
    url = lab.url
    blocked: list[str] = []
    context = browser.new_context(viewport={"width": 1400, "height": 1000})

    def offline(route):
        if route.request.url.startswith((url, "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", offline)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(f"script error: {err}"))
    try:
        page.goto(f"{url}lab/tree/{name}?reset", wait_until="load", timeout=120_000)
        page.wait_for_function(
            """name => {
                const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
                const kernel = panel && panel.context && panel.context.path === name
                    && panel.sessionContext.session && panel.sessionContext.session.kernel;
                return kernel && kernel.status === 'idle';
            }""",
            arg=name,
            timeout=180_000,
        )
        page.click('.lm-MenuBar-itemLabel:text-is("Run")')
        page.click('.lm-Menu-itemLabel:text-is("Run All Cells")')
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.jp-InputArea-prompt'))"
            ".some(p => /[0-9*]/.test(p.textContent))",
            timeout=60_000,
        )
        # finished when the kernel is idle with no cell waiting, twice a second apart
        deadline = time.monotonic() + 600
        quiet = 0
        while quiet < 2:
            assert time.monotonic() < deadline, f"{name}: still running after 10 minutes"
            quiet = 0 if page.evaluate(STILL_RUNNING_JS) else quiet + 1
            time.sleep(1)
        # widgets and images render after the kernel's last message
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.jp-OutputArea-output img'))"
            ".every(i => i.complete)",
            timeout=30_000,
        )
        time.sleep(1)
        report = page.evaluate(REPORT_JS)
        page.screenshot(path=str(lab.screenshots / f"{name}.png"))
    finally:
        context.close()
        _shut_down_kernels(url)
    return report, blocked + errors


def _problems(report: dict) -> list[str]:
    """What a student would trip on in the notebook as the page shows it."""
    problems = []
    for cell in report["cells"]:
        first_line = (cell["source"].splitlines() or [""])[0]
        where = f"cell {cell['index']} ({first_line[:60]!r})"
        if cell["count"] is None:
            problems.append(f"{where} did not run")
        for text in cell["stderr"]:
            problems.append(f"{where} shows a stderr block: {text[:300]}")
        for output in cell["outputs"]:
            if output["output_type"] == "error":
                problems.append(f"{where} raised {output['ename']}: {output['evalue'][:200]}")
            elif output.get("name") == "stderr":
                problems.append(f"{where} wrote to stderr: {output['text'][:300]}")
        for mime, text in cell["texts"]:
            if "Traceback" in text or "<Figure size" in text:
                problems.append(f"{where} shows {text[:200]!r} ({mime})")
            if mime == "text/plain" and ("HBox(" in text or "it/s]" in text):
                problems.append(f"{where} shows a progress bar as text: {text[:200]!r}")
        if cell["progress_widgets"] != cell["widgets"]:
            problems.append(
                f"{where}: {cell['widgets']} widgets, only "
                f"{cell['progress_widgets']} rendered as progress bars"
            )
        ran_plot = "LivePlot(" in cell["source"] and not any(
            "Skipped" in text for _, text in cell["texts"]
        )
        if ran_plot and cell["count"] is not None and cell["images"] == 0:
            problems.append(f"{where} ran a live plot, but the page shows no image of it")
    return problems


def _check_lines(report: dict) -> list[str]:
    return [
        line
        for cell in report["cells"]
        for _, text in cell["texts"]
        for line in text.splitlines()
        if line.startswith(("✔", "✘", "○", "⏳"))
    ]


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_shipped_lab_runs_all_cleanly_in_jupyterlab(chromium, jupyterlab, lab_id):
    name = Path(get_spec(lab_id).notebook).name
    report, offline = _run_all(chromium, jupyterlab, name)
    assert not offline, f"{name}: {offline}"
    assert not _problems(report), "\n".join(_problems(report))
    lines = _check_lines(report)
    for ex in get_spec(lab_id).exercises:
        assert any(line.startswith(f"○ {ex.name}: not attempted") for line in lines), (
            f"{name}: no check line for {ex.name} in {lines}"
        )
    used = {line[0] for line in lines}
    assert all(report["glyphs"][symbol] for symbol in used), report["glyphs"]


def test_solved_lab1_runs_all_with_widgets_plots_and_passed_checks(chromium, jupyterlab):
    report, offline = _run_all(chromium, jupyterlab, SOLVED_LAB1)
    assert not offline, offline
    assert not _problems(report), "\n".join(_problems(report))
    lines = _check_lines(report)
    for ex in get_spec("lab1").exercises:
        assert f"✔ {ex.name}: passes the public checks" in lines, lines
    assert not any(line[0] in "✘○" for line in lines), lines
    assert not any("Skipped" in text for cell in report["cells"] for _, text in cell["texts"])
    assert sum(cell["progress_widgets"] for cell in report["cells"]) >= 1
    live_plots = [cell for cell in report["cells"] if "LivePlot(" in cell["source"]]
    assert len(live_plots) == 3 and all(cell["images"] >= 1 for cell in live_plots)
    assert report["glyphs"]["✔"], report["glyphs"]


def test_live_plot_is_an_image_as_the_first_figure_and_the_checks_catch_faults(
    chromium, jupyterlab
):
    report, offline = _run_all(chromium, jupyterlab, PLOT_FIRST)
    assert not offline, offline
    plot, tf_import, bare_figure, hourglass, failing = report["cells"]
    assert plot["images"] == 1, plot["texts"]  # drawn once and updated in place
    problems = _problems(report)
    assert not [p for p in problems if p.startswith(f"cell {plot['index']} ")], problems
    # the faults the labs had are caught in this client
    assert tf_import["stderr"], "TensorFlow's start-up lines were not seen as a stderr block"
    assert any(f"shows a stderr block: {tf_import['stderr'][0][:50]}" in p for p in problems)
    assert any(
        p.startswith(f"cell {bare_figure['index']} (") and "<Figure size" in p for p in problems
    ), problems
    assert _check_lines({"cells": [hourglass]}) == ["⏳ demo: not attempted yet"]
    assert _check_lines({"cells": [failing]}) == [
        "✘ scale: raised NameError: name 'scale_factor' is not defined "
        "(in scale, line 5: `return z * scale_factor`)"
    ]
    # ✔ ✘ ○ are drawn; ⏳ (the old "not attempted") has no glyph without an emoji font
    glyphs = report["glyphs"]
    assert glyphs["✔"] and glyphs["✘"] and glyphs["○"], glyphs
    if _fonts_with("23f3") == []:
        assert not glyphs["⏳"], "⏳ counted as visible although no font on this machine has it"


def _fonts_with(codepoint: str) -> list[str] | None:
    """The font files that have a glyph for U+codepoint (fontconfig), or None if unknown."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    proc = subprocess.run(
        [fc_list, f":charset={codepoint}", "file"], capture_output=True, text=True
    )
    return proc.stdout.split()
