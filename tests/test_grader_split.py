"""The grader's parts on their own: the report model, the protocol, the comparison, the
supervisor, and what enters the sandbox (fast: no TensorFlow, no grading)."""

from autograder.results import TIMING_FIELDS, ExerciseResult, GradeReport


def _report() -> GradeReport:
    results = [
        ExerciseResult("f", "Exercise 1.1: f", 2.0, 2.0, "passed", ""),
        ExerciseResult("g", "Exercise 1.2: g", 0.0, 3.0, "wrong", "the result has wrong values"),
    ]
    return GradeReport("lab1", "a/lab1.ipynb", "ab" * 32, 7, results, None, 1.25, ["n"], "ada")


def test_report_round_trips_through_its_dict():
    report = _report()
    data = report.as_dict()
    assert data["score"] == 2.0 and data["max_score"] == 5.0
    again = GradeReport.from_dict({**data, "a_future_key": 1})
    assert again == report
    assert again.as_dict() == data
    assert isinstance(again.results[0], ExerciseResult)


def test_report_of_an_ungraded_submission_round_trips():
    report = GradeReport("unknown", "x.ipynb", "", 1, error="not a notebook")
    assert GradeReport.from_dict(report.as_dict()) == report


def test_timing_fields_are_fields_of_the_report():
    assert TIMING_FIELDS == ("seconds",)
    assert set(TIMING_FIELDS) <= set(_report().as_dict())


# --- the protocol: one array encoding for both sides --------------------------------------


def test_arrays_round_trip_and_anything_else_is_refused():
    import base64
    import io

    import numpy as np
    import pytest

    from autograder.inside import protocol

    arrays = {"x": np.arange(6, dtype=np.int32).reshape(2, 3), "y": np.float32(1.5)}
    back = protocol.decode_arrays(protocol.encode_arrays(arrays))
    assert set(back) == {"x", "y"} and back["x"].dtype == np.int32
    assert np.array_equal(back["x"], arrays["x"]) and back["y"] == 1.5
    with pytest.raises(ValueError, match="not plain numbers"):
        protocol.decode_arrays(protocol.encode_arrays({"s": np.array(["a"])}))
    assert protocol.decode_arrays(protocol.encode_arrays({"s": np.array(["a"])}), kinds=None)
    with pytest.raises(ValueError, match="too large"):
        protocol.decode_arrays(protocol.encode_arrays({"x": np.zeros(1000)}), max_bytes=100)
    buf = io.BytesIO()
    np.savez(buf, o=np.array([{"a": 1}], dtype=object))  # a pickle inside
    with pytest.raises(ValueError):
        protocol.decode_arrays(base64.b64encode(buf.getvalue()).decode())
    assert protocol.plain([1, 2]).dtype.kind == "i"
    with pytest.raises(TypeError, match="expected numbers"):
        protocol.plain("text")


# --- the trust boundary: what enters the sandbox ------------------------------------------


def _files(folder) -> set[str]:
    from pathlib import Path

    folder = Path(folder)
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_the_sandbox_gets_the_inside_folder_whole_and_nothing_else_of_the_grader():
    from autograder import supervisor
    from autograder.labs import LAB_IDS

    lib = _files(supervisor.trusted_lib())
    inside = {f"autograder/inside/{p}" for p in _files(supervisor.INSIDE) if "__pycache__" not in p}
    grader = {p for p in lib if p.startswith("autograder/")}
    assert grader == inside | {"autograder/__init__.py"}
    assert {f"autograder/inside/probes/{lab}.py" for lab in LAB_IDS} <= grader
    assert {"runner.py", "isolate.py", "notebook.py", "protocol.py"} <= {
        p.split("/")[-1] for p in grader
    }
    for path in lib:  # no solutions, no lab specs (input generators, points, hints)
        assert not path.startswith(("solutions/", "autograder/labs/")), path
        assert path.split("/")[0] in ("autograder", "mit6s191_utils"), path


def test_nothing_inside_imports_the_grader_outside_it():
    import ast

    from autograder import supervisor

    for path in supervisor.INSIDE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("autograder"):
                assert node.module.startswith("autograder.inside"), (path.name, node.module)
            if isinstance(node, ast.Import):
                for alias in node.names:
                    top = alias.name
                    assert (
                        not top.startswith("autograder")
                        or top.startswith("autograder.inside")
                        or top == "autograder"
                    ), (path.name, top)


def test_no_mount_shows_the_solutions_or_the_lab_specs(tmp_path):
    from autograder import supervisor
    from autograder.lease import Lease
    from autograder.solutions import REPO_ROOT

    lease = Lease(256, 16)
    try:
        hide = [str(REPO_ROOT)]
        config = supervisor.sandbox_config(tmp_path / "w", tmp_path / "r", hide, 60, lease)
    finally:
        lease.release()
    secret = [REPO_ROOT / "solutions", REPO_ROOT / "autograder" / "labs"]
    for bound in [*config["binds"], config["lib"]]:
        for path in secret:
            shown = str(path).startswith(bound.rstrip("/") + "/")
            hidden = any(str(path).startswith(h.rstrip("/") + "/") for h in config["hide"])
            assert not shown or hidden, (bound, path)
    assert config["lib"] not in config["binds"]


# --- the supervisor: a runner never outlives its block ------------------------------------


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            state = next(line for line in fh if line.startswith("State:"))
    except (OSError, StopIteration):
        return False
    return state.split()[1] not in ("Z", "X")


def test_an_exception_in_the_block_leaves_no_process_no_lease_no_temp_dir():
    import pytest

    from autograder.lease import Lease, _uid_pids
    from autograder.supervisor import Runner

    with pytest.raises(RuntimeError, match="boom"):
        with Runner("lab1", [], 60) as runner:
            pid, tmp, uid = runner.proc.pid, runner.tmp, runner.lease.uid
            assert tmp.is_dir() and _alive(pid)
            runner.next_message(5)  # let it start isolating itself
            raise RuntimeError("boom")
    assert not _alive(pid)
    assert not tmp.exists()
    assert runner.lease is None and uid not in Lease.live
    if uid is not None:
        assert _uid_pids(uid) == []
    runner.close()  # closing twice is harmless


def test_a_runner_that_cannot_start_leaves_no_temp_dir(monkeypatch):
    import tempfile
    from pathlib import Path

    import pytest

    from autograder import supervisor

    def refuse(*args, **kwargs):
        raise OSError("no python")

    before = set(Path(tempfile.gettempdir()).glob("mit6s191-grade-*"))
    monkeypatch.setenv("MIT6S191_GRADER_ZYGOTE", "0")  # no warm start: a runner of its own
    monkeypatch.setattr(supervisor.subprocess, "Popen", refuse)
    with pytest.raises(OSError, match="no python"):
        supervisor.Runner("lab1", [], 60)
    assert set(Path(tempfile.gettempdir()).glob("mit6s191-grade-*")) == before
    assert not supervisor.Lease.live


def _parent(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        return int(next(line for line in fh if line.startswith("PPid:")).split()[1])


def test_runners_are_forked_from_one_zygote_and_isolate_themselves():
    """Every runner of a grading process is forked (through a monitor) from the one zygote
    that imported TensorFlow; each still isolates itself, and ends with its block; a
    zygote that died is replaced."""
    import os
    import signal
    import time

    from autograder import zygote
    from autograder.inside import protocol
    from autograder.supervisor import Runner

    zygotes = set()
    for _ in range(2):
        with Runner("lab1", [], 60) as runner:
            assert isinstance(runner.proc, zygote.Forked), "the runner was not forked"
            monitor = _parent(runner.proc.pid)
            zygotes.add(_parent(monitor))
            ready = runner.next_message(60)
            assert ready.get("event") == protocol.READY, ready
            pid = runner.proc.pid
        assert not _alive(pid)
        deadline = time.monotonic() + 30  # the monitor ends once the grader lets go of it
        while _alive(monitor) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(monitor)
    assert len(zygotes) == 1 and zygotes == {zygote._zygote.proc.pid}
    os.kill(zygote._zygote.proc.pid, signal.SIGKILL)
    zygote._zygote.proc.wait()
    with Runner("lab1", [], 60) as runner:
        assert isinstance(runner.proc, zygote.Forked)
        assert _parent(_parent(runner.proc.pid)) not in zygotes
        assert runner.next_message(60).get("event") == protocol.READY


def test_the_exit_code_of_a_forked_runner_is_reported(tmp_path):
    """A cell that ends its process with os._exit(3): the grader says so, with the code
    (which a forked runner's monitor reports), and grades the other exercises."""
    import nbformat
    from testkit import write_solved

    from autograder.grade import grade_notebook

    nb = write_solved("lab1", tmp_path / "exit.ipynb")
    book = nbformat.read(nb, as_version=4)
    cell = next(c for c in book.cells if "def sigmoid_derivative" in c.source)
    cell.source = "import os\nos._exit(3)\n" + cell.source
    nbformat.write(book, nb)
    report = grade_notebook(nb, seed=1)
    result = {r.name: r for r in report.results}["sigmoid_derivative"]
    assert result.points == 0 and "(exit code 3)" in result.feedback, result.feedback
    assert sum(r.points for r in report.results) > 0


def test_without_the_zygote_runners_start_afresh_and_grade_the_same(tmp_path, monkeypatch):
    from testkit import write_solved

    from autograder.grade import grade_notebook
    from autograder.labs import get_spec

    monkeypatch.setenv("MIT6S191_GRADER_ZYGOTE", "0")
    report = grade_notebook(write_solved("lab1", tmp_path / "lab1.ipynb"), seed=2)
    assert report.error is None
    assert report.score == get_spec("lab1").total_points


# --- the lease: never root, no stale cgroups -----------------------------------------------


def _root_only():
    import os

    import pytest

    if os.geteuid() != 0:
        pytest.skip("uids are handed out only by a root grader")


def test_no_free_uid_means_the_submission_is_not_run(monkeypatch, tmp_path):
    import json

    from autograder import grade_notebook, lease

    _root_only()
    monkeypatch.setattr(lease, "UID_FIRST", 0)  # the only uid on offer is root's own account
    monkeypatch.setattr(lease, "UID_COUNT", 1)
    path = tmp_path / "lab1.ipynb"
    path.write_text(json.dumps({"cells": [], "nbformat": 4, "nbformat_minor": 5}))
    report = grade_notebook(path, lab_id="lab1", seed=1)
    assert report.results == [] and report.score == 0
    assert "no free uid" in report.error and "was not run" in report.error


def test_cgroups_a_crashed_grader_left_are_removed_at_the_next_lease():
    import os

    import pytest

    from autograder.lease import Lease

    _root_only()
    first = Lease(256, 16)
    try:
        if not first.cgroups:
            pytest.skip(f"no cgroups here: {first.notes}")
        parents = {os.path.dirname(path) for path in first.cgroups}
    finally:
        first.release()
    stale = [os.path.join(parent, "uid-64999") for parent in parents]
    for path in stale:
        os.makedirs(path, exist_ok=True)
    second = Lease(256, 16)
    try:
        assert not any(os.path.isdir(path) for path in stale)
    finally:
        second.release()
