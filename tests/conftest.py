"""Shared test set-up: quiet TensorFlow, a headless matplotlib, paths to the repository,
and the book, built once per test session for every test that needs it."""

import fcntl
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# One TensorFlow thread per process started by the tests (kernels, JupyterLab's, nbval's),
# as the grader's runners already have (autograder/supervisor.py): `make test` runs one
# pytest-xdist worker per core, and a second thread in each only contends for the other's
# core (the solved lab 2's training: 0.38 CPU s a step against 0.46 with two, at the same
# speed, on a loaded 2-core machine; benchmarks/test_suite.md). The book's build keeps
# TensorFlow's defaults, as `make book` runs it (`_build_book` below): the chapters pin
# one thread per operation themselves (chapter 1, "Setup"), and nbval's re-run with one
# inter-op thread also shows that their numbers do not depend on how operations are
# scheduled. A value set outside the tests is kept.
ONE_THREAD = {"TF_NUM_INTEROP_THREADS": "1", "TF_NUM_INTRAOP_THREADS": "1"}
SET_HERE = {key for key in ONE_THREAD if key not in os.environ}
os.environ.update({key: ONE_THREAD[key] for key in SET_HERE})

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


def _build_book() -> dict:
    """Run jupyter-book once; what it returned and the tail of its log."""
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", ".", "-W", "-n"]
    command.append("--keep-going")
    out = os.environ.get("MIT6S191_BOOK_OUT")
    if out:
        command += ["--path-output", out]
    env = {key: value for key, value in os.environ.items() if key not in SET_HERE}
    proc = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=3000)
    return {
        "returncode": proc.returncode,
        "log": proc.stdout[-6000:] + proc.stderr[-6000:],
        "build": str((Path(out).resolve() if out else REPO) / "_build"),
    }


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """Build the book (warnings as errors, nitpicky) and return its `_build` folder.

    Built into the repository's `_build/` unless MIT6S191_BOOK_OUT names another folder
    (jupyter-book's --path-output: the book then lands in $MIT6S191_BOOK_OUT/_build).
    Executed chapters are cached there, so an unchanged chapter is not re-run.

    Under pytest-xdist (`make test` runs two workers) the first worker that needs the book
    builds it while holding a lock in the run's shared temporary folder; the others wait
    for that lock and read the recorded result instead of building a second time into the
    same folder.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        result = _build_book()
    else:
        shared = tmp_path_factory.getbasetemp().parent  # one folder per run, all workers
        with open(shared / "book-build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            record = shared / "book-build.json"
            if record.is_file():
                result = json.loads(record.read_text(encoding="utf-8"))
            else:
                result = _build_book()
                record.write_text(json.dumps(result), encoding="utf-8")
    assert result["returncode"] == 0, f"the book build failed:\n{result['log']}"
    return Path(result["build"])


# How `make test` shares the work between its two pytest-xdist workers. A unit of work goes
# to one worker: the tests of a module that share a module-scoped fixture are one unit, so
# that fixture (a graded batch, a class of students) is set up once; every other test is a
# unit of its own and the two workers share them. Units run in the order given here: the
# book's build and the solved lab 2 (the longest single-threaded run) start first, the
# tests that read the built book come last, when it is there. Within each of these two
# parts the longest units go first (LONG_FIRST, in the order of their durations in
# benchmarks/test_suite.md), so that no worker is left with a long unit at the end while
# the other has nothing to do; units not listed follow in collection order. This only
# orders the work: no test asserts anything about time. Without xdist the order and the
# units change nothing.
#
# The units reach xdist's scheduler through a file, not through `xdist_group` marks:
# pytest-xdist 3.8 groups marked tests by rewriting their node ids, which pytest 9.2 no
# longer allows, so `--dist loadgroup` silently runs every test as its own unit
# (pytest-dev/pytest-xdist#1386). The first worker writes {test id: unit} when it has
# collected; the scheduler below (xdist's load-scope scheduler, told the units) reads it
# once every worker has collected.
FIRST = (
    "tests/test_book.py::test_book_builds_every_page",
    "tests/test_labs.py::test_solved_lab_runs_clean_and_passes_every_public_check[lab2]",
)
LONG_FIRST = (
    # before the book is built
    "tests/test_grader_hostile.py",
    "tests/test_grade_shards.py",
    "tests/test_jupyterlab.py",
    "tests/test_labs.py::test_solved_lab_runs_clean_and_passes_every_public_check",
    "tests/test_book_links.py",
    "tests/test_grader_labs.py",
    "tests/test_grading_corpus.py",
    "tests/test_authoring.py",
    "tests/test_grader.py",
    "tests/test_grader_reports.py",
    "tests/test_labs.py::test_shipped_lab_runs_top_to_bottom",
    # once it is built: the chapters run again, the longest chapter first
    "tests/test_book.py::test_chapter_reproduces_its_outputs[book/04",
    "tests/test_book.py::test_chapter_reproduces_its_outputs[book/03",
    "tests/test_book.py::test_chapter_reproduces_its_outputs[book/02",
    "tests/test_book.py::test_chapter_reproduces_its_outputs[book/01",
    "tests/test_browser.py",
)
UNITS = "MIT6S191_TEST_UNITS"  # the file of units, named by the controller for its workers


def _uses_a_module_fixture(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    defs = info.name2fixturedefs.values() if info is not None else ()
    return any(d.scope in ("module", "package", "class") for group in defs for d in group)


def _unit(item) -> str:
    """The unit of work of ``item``: its module (the part that reads the built book apart)
    when it shares a module fixture, else the test itself."""
    if not _uses_a_module_fixture(item):
        return item.nodeid
    module = item.nodeid.split("::")[0]
    return module + (" after the book" if "built_book" in item.fixturenames else "")


def pytest_configure(config):
    if "PYTEST_XDIST_WORKER" not in os.environ and config.getoption("dist", "no") != "no":
        fd, path = tempfile.mkstemp(prefix="mit6s191-test-units-", suffix=".json")
        os.close(fd)
        os.environ[UNITS] = path  # inherited by the workers, started after this hook


def pytest_unconfigure(config):
    if "PYTEST_XDIST_WORKER" not in os.environ and os.environ.get(UNITS):
        Path(os.environ.pop(UNITS)).unlink(missing_ok=True)


def pytest_collection_modifyitems(config, items):
    def rank(item) -> tuple[int, int]:
        if item.nodeid in FIRST:
            return (0, FIRST.index(item.nodeid))
        after_build = "built_book" in getattr(item, "fixturenames", ())
        long = [i for i, prefix in enumerate(LONG_FIRST) if item.nodeid.startswith(prefix)]
        return (1 + after_build, long[0] if long else len(LONG_FIRST))

    items.sort(key=rank)
    path = os.environ.get(UNITS)
    if path and os.environ.get("PYTEST_XDIST_WORKER") == "gw0":
        part = Path(path + ".part")
        part.write_text(json.dumps({item.nodeid: _unit(item) for item in items}))
        part.replace(path)  # whole or not at all


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """xdist's load-scope scheduler with the units above (`--dist loadgroup` only)."""
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class CourseUnits(LoadScopeScheduling):
        units: dict | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.units is None:  # every worker has collected by now
                try:
                    self.units = json.loads(Path(os.environ[UNITS]).read_text())
                except (KeyError, OSError, ValueError):
                    self.units = {}  # one unit a test: slower, never wrong
            return self.units.get(nodeid, nodeid)

    return CourseUnits(config, log)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright, or a skip saying what is missing.

    One for the whole session, shared by the browser and JupyterLab tests: Playwright's
    synchronous API cannot start a second instance while one is open.
    """
    from book_pages import CHROMIUM_ARGS, BrowserMissing, require_chromium

    try:
        executable = require_chromium()
    except BrowserMissing as exc:
        pytest.skip(str(exc))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
