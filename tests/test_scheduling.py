"""How `make test` shares its work between two pytest-xdist workers (tests/conftest.py).

A throw-away suite, run with the project's conftest under `-n 2 --dist loadgroup` as
`make test` runs: the tests that share a module fixture must run on one worker, with the
fixture set up once (when every test was its own unit, each worker built it: the fault
behind pytest-dev/pytest-xdist#1386), and the other tests are shared by both workers.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

SHARED = """
import json, os, time
from pathlib import Path
import pytest

LOG = Path(os.environ["SCHEDULING_LOG"])

def record(what):
    with LOG.open("a") as fh:
        fh.write(json.dumps([what, os.environ.get("PYTEST_XDIST_WORKER", "")]) + "\\n")

@pytest.fixture(scope="module")
def expensive():
    record("fixture")
    return 1

@pytest.mark.parametrize("i", range(6))
def test_shares_the_fixture(expensive, i):
    time.sleep(0.2)
    record(f"shared {i}")
"""

ALONE = """
import time
import pytest
from test_shared import record

@pytest.mark.parametrize("i", range(8))
def test_alone(i):
    time.sleep(0.3)
    record(f"alone {i}")
"""


@pytest.mark.slow
def test_a_module_fixture_is_set_up_once_and_the_rest_is_shared(tmp_path):
    suite = tmp_path / "tests"
    suite.mkdir()
    shutil.copy(REPO / "tests" / "conftest.py", suite / "conftest.py")
    (suite / "test_shared.py").write_text(SHARED, encoding="utf-8")
    (suite / "test_alone.py").write_text(ALONE, encoding="utf-8")
    log = tmp_path / "log.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2"]
        + ["--dist", "loadgroup", "--no-loadscope-reorder", "--rootdir", str(tmp_path)]
        + ["-c", "/dev/null", "tests"],
        cwd=tmp_path,
        env={**_env(), "SCHEDULING_LOG": str(log), "PYTHONPATH": str(suite)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    events = [json.loads(line) for line in log.read_text().splitlines()]
    fixture = [worker for what, worker in events if what == "fixture"]
    shared = {worker for what, worker in events if what.startswith("shared")}
    alone = {worker for what, worker in events if what.startswith("alone")}
    assert len(fixture) == 1, f"the module fixture was set up on {fixture}"
    assert len(shared) == 1, f"the tests sharing a module fixture ran on {sorted(shared)}"
    assert len([e for e in events if e[0].startswith("alone")]) == 8
    assert alone == {"gw0", "gw1"}, f"the independent tests all ran on {sorted(alone)}"


def _env() -> dict:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
