"""Shared test set-up: quiet TensorFlow, a headless matplotlib, paths to the repository,
and the book, built once per test session for every test that needs it."""

import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# A headless backend for this process only. Not through MPLBACKEND: the environment is
# inherited by the kernels that execute chapters and labs, where it would replace the
# inline backend and every figure would silently vanish from the book.
import matplotlib  # noqa: E402

matplotlib.use("Agg")

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
# tools/book_pages.py: the pages of the book and the Chromium, shared with tools/ and
# benchmarks/.
sys.path.insert(0, str(REPO / "tools"))


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def built_book() -> Path:
    """Build the book (warnings as errors, nitpicky) and return its `_build` folder.

    Built into the repository's `_build/` unless MIT6S191_BOOK_OUT names another folder
    (jupyter-book's --path-output: the book then lands in $MIT6S191_BOOK_OUT/_build).
    Executed chapters are cached there, so an unchanged chapter is not re-run.
    """
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", ".", "-W", "-n"]
    command.append("--keep-going")
    out = os.environ.get("MIT6S191_BOOK_OUT")
    if out:
        command += ["--path-output", out]
    proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=3000)
    log = proc.stdout[-6000:] + proc.stderr[-6000:]
    assert proc.returncode == 0, f"the book build failed:\n{log}"
    return (Path(out).resolve() if out else REPO) / "_build"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright, or a skip saying what is missing.

    One for the whole session, shared by the browser and JupyterLab tests: Playwright's
    synchronous API cannot start a second instance while one is open.
    """
    from book_pages import CHROMIUM_ARGS, find_chromium

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed: run `pip install -r requirements.txt`")
    executable = find_chromium()
    if executable is None:
        pytest.skip(
            "no Chromium browser on this machine: run `tools/setup_browser.sh` as root "
            "(apt-get install chromium) or set CHROMIUM=/path/to/chromium"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
