"""The grader against students who make every mistake and a few who try to cheat (lab 1).

Each notebook below holds one hostile or odd variant per exercise, with the outcome it must
get; all notebooks are graded together in one batch (both cores). The cases that need no
test context (cheats, odd but correct, common mistakes, resource attacks) are data in
``tests/cases/hostile.py``, also used by benchmarks/grading.py to generate a mixed class.
Expected statuses and scores are computed from the cases: an exercise a notebook does not
replace stays solved and must keep its points.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import nbformat
import pytest
from cases.hostile import CHEATS, DELETE, MISC, ODD_BUT_CORRECT, RESOURCES, Case, _d

from autograder import execution, sandbox
from autograder.authoring import solved_notebook
from autograder.batch import Submission, find_submissions, grade_batch
from autograder.grade import grade_notebook
from autograder.labs import get_spec
from autograder.solutions import REPO_ROOT
from autograder.text import clean_text
from mit6s191_utils.datasets import sha256_of

SPEC = get_spec("lab1")
POINTS = {ex.name: ex.points for ex in SPEC.exercises}
# Elementwise exercises get 15 s: enough for correct code while the other test worker
# builds the book on the same two cores (at 0.35, 10.5 s, the disk-filling variant below
# once ran out of time at a load average of 12-37).
TIME_SCALE = 0.5
SECRET = "MIT6S191_TEST_SECRET"


def isolation_cases(submission: Path, other: Path, out_dir: Path, port: int) -> dict:
    """Each exercise answers correctly only if an isolation property holds."""
    sol = str(REPO_ROOT / "solutions" / "lab1.py")
    return {
        "sigmoid_derivative": _d(f"""
            def sigmoid_derivative(z):
                import os
                seen = any(os.path.exists(p) for p in ({sol!r}, {str(REPO_ROOT)!r} + "/tests"))
                g = tf.math.sigmoid(z)
                return g * 0 if seen else g * (1.0 - g)
            """),
        "tanh_derivative": _d(f"""
            def tanh_derivative(z):
                import socket
                reached = False
                for host in (("127.0.0.1", {port}), ("8.8.8.8", 53), ("10.0.0.1", 80)):
                    try:
                        socket.create_connection(host, timeout=0.5).close()
                        reached = True
                    except OSError:
                        pass
                return 1.0 - tf.math.tanh(z) ** 2 + (1.0 if reached else 0.0)
            """),
        "relu_derivative": _d(f"""
            def relu_derivative(z):
                import os
                leaked = {SECRET!r} in os.environ or any("TOKEN" in k for k in os.environ)
                hidden = os.listdir(".")
                return tf.cast(z > 0, z.dtype) + (1.0 if leaked else 0.0) + (2.0 if hidden else 0.0)
            """),
        "MyDenseLayer": _d(f"""
            class MyDenseLayer(keras.layers.Layer):
                def __init__(self, input_dim, output_dim):
                    super().__init__()
                    import os
                    self.bad = os.getuid() == 0 or os.path.exists({str(out_dir)!r})
                    try:
                        open({str(submission)!r}, "a").write("tampered")
                        self.bad = True
                    except OSError:
                        pass
                    self.W = self.add_weight(shape=(input_dim, output_dim))
                    self.b = self.add_weight(shape=(1, output_dim))
                def call(self, inputs):
                    return tf.math.sigmoid(inputs @ self.W + self.b) + (1.0 if self.bad else 0.0)
            """),
        "binary_cross_entropy": _d("""
            def binary_cross_entropy(y_true, logits):
                import os
                others = [p for p in os.listdir("/proc") if p.isdigit()]
                cmdlines = [open(f"/proc/{p}/cmdline", "rb").read() for p in others]
                seen = any(b"pytest" in c for c in cmdlines)
                loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=logits)
                return tf.reduce_mean(loss) + (1.0 if seen else 0.0)
            """),
        "mean_squared_error": _d(f"""
            def mean_squared_error(y_true, y_pred):
                import os
                seen = os.path.exists({str(other)!r})
                return tf.reduce_mean(tf.square(y_true - y_pred)) + (1.0 if seen else 0.0)
            """),
        "minibatches": _d("""
            def minibatches(x, y, batch_size, seed):
                import resource
                soft, _ = resource.getrlimit(resource.RLIMIT_AS)
                order = np.random.default_rng(seed).permutation(len(x))
                if soft == resource.RLIM_INFINITY:
                    order = order[::-1]
                return [(x[order[i:i + batch_size]], y[order[i:i + batch_size]])
                        for i in range(0, len(x), batch_size)]
            """),
        "dropout": _d("""
            def dropout(x, rate, noise, training):
                import os, sys
                wrote = False
                for path in ("/usr/evil", sys.prefix + "/evil", "/etc/evil", "/evil"):
                    try:
                        open(path, "w").write("x")
                        wrote = True
                    except OSError:
                        pass
                if not training:
                    return x
                keep = tf.cast(noise >= rate, x.dtype)
                return x * keep / (1.0 - rate) + (1.0 if wrote else 0.0)
            """),
    }


def _notebook(cases: dict[str, Case | str]):
    """The solved lab with each exercise of ``cases`` replaced by its code (a case's or
    plain code), or its cell deleted where that code is ``DELETE``."""
    codes = {k: c.code if isinstance(c, Case) else c for k, c in cases.items()}
    nb = solved_notebook("lab1", wrong={k: v for k, v in codes.items() if v != DELETE})
    delete = {k for k, v in codes.items() if v == DELETE}
    if delete:
        nb.cells = [
            c for c in nb.cells if c.metadata.get("mit6s191", {}).get("exercise") not in delete
        ]
    return nb


def _structurally_edited():
    """Solved, then metadata, tags, kernelspec, points and cell order tampered with."""
    nb = solved_notebook("lab1")
    nb.metadata["kernelspec"] = {"name": "evil", "display_name": "evil", "language": "python"}
    nb.metadata["mit6s191"] = {"lab": "lab2", "points": 1000}
    stale = None
    for cell in nb.cells:
        meta = cell.metadata.get("mit6s191")
        if meta:
            meta["points"] = 100
            cell.metadata["tags"] = []
            if meta["exercise"] == "dropout":
                stale = nbformat.v4.new_code_cell(
                    "def dropout(x, rate, noise, training):\n    return x"
                )
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", text="Points 100/100\n")]
    exercises = [c for c in nb.cells if c.metadata.get("mit6s191")]
    others = [c for c in nb.cells if not c.metadata.get("mit6s191")][::2]  # half deleted
    nb.cells = [stale] + exercises[::-1] + others  # a stale duplicate first, reordered
    return nb


def _nbformat3(path: Path) -> None:
    """A v3 notebook (worksheets, 'input') holding two solved exercises."""
    from autograder.authoring import solution_sources

    code = solution_sources("lab1")
    cells = [
        {
            "cell_type": "code",
            "input": "import numpy as np\nimport tensorflow as tf",
            "language": "python",
            "outputs": [],
            "metadata": {},
        },
        {
            "cell_type": "code",
            "input": code["sigmoid_derivative"],
            "language": "python",
            "outputs": [],
            "metadata": {},
        },
        {
            "cell_type": "code",
            "input": code["early_stopping"],
            "language": "python",
            "outputs": [],
            "metadata": {},
        },
    ]
    nb = {
        "metadata": {"name": "lab1"},
        "nbformat": 3,
        "nbformat_minor": 0,
        "worksheets": [{"cells": cells, "metadata": {}}],
    }
    path.write_text(json.dumps(nb))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade every notebook of this file in one batch; returns (reports by name, context)."""
    root = tmp_path_factory.mktemp("class")
    out_dir = root / "reports-out"
    out_dir.mkdir()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    port = listener.getsockname()[1]
    os.environ[SECRET] = "hunter2"
    os.environ["GITHUB_TOKEN_TEST"] = "ghp_fake"
    folders = {}

    def put(name, nb=None):
        folder = root / name
        folder.mkdir()
        path = folder / "lab1.ipynb"
        if nb is not None:
            nbformat.write(nb, path)
        folders[name] = path
        return path

    put("cheats", _notebook(CHEATS))
    put("odd", _notebook(ODD_BUT_CORRECT))
    put("misc", _notebook(MISC))
    put("resources", _notebook(RESOURCES))
    put("edited", _structurally_edited())
    _nbformat3(put("v3"))
    iso = put("isolation")
    nbformat.write(_notebook(isolation_cases(iso, folders["cheats"], out_dir, port)), iso)
    hashes = {name: sha256_of(path) for name, path in folders.items()}
    subs = find_submissions(root, "lab1")
    subs = [s for s in subs if s.path is not None]
    try:
        reports = grade_batch(
            subs, jobs=2, lab_id="lab1", seed=11, time_scale=TIME_SCALE, progress=None
        )
    finally:
        listener.close()
        del os.environ[SECRET], os.environ["GITHUB_TOKEN_TEST"]
    by_name = {r.student: r for r in reports}
    return by_name, {"folders": folders, "hashes": hashes, "out": out_dir}


def _by_exercise(report):
    return {r.name: r for r in report.results}


def _check(report, cases: dict[str, Case | str]):
    """Every exercise of the lab got what ``cases`` expects: a case's status (one of a set)
    and its reason in the feedback; "passed" where ``cases`` gives only code or does not name
    the exercise (it stays solved). Points where passed, else 0; the score is the points of
    the exercises expected to pass; feedback is one clean line."""
    results = _by_exercise(report)
    problems, score = [], 0.0
    for name, points in POINTS.items():
        case = cases.get(name)
        if not isinstance(case, Case):
            case = Case("", "passed")
        statuses = {case.status} if isinstance(case.status, str) else case.status
        got = results[name]
        if got.status not in statuses or case.reason not in got.feedback:
            problems.append((name, case.status, case.reason, got.status, got.feedback))
        score += points if statuses == {"passed"} else 0
    assert not problems, problems
    for r in report.results:
        assert r.points == (r.max_points if r.status == "passed" else 0)
        assert r.feedback == clean_text(r.feedback), "feedback must be one clean line"
    assert report.score == score


def test_cheats_get_nothing_and_leak_nothing(graded):
    reports, _ = graded
    report = reports["cheats"]
    assert report.error is None
    _check(report, CHEATS)  # nothing for any cheat
    text = json.dumps(report.as_dict())
    for bad in ("::", "\x1b", "\\u001b", "Points 18/18", "def sigmoid_derivative"):
        assert bad not in text


def test_odd_but_correct_code_gets_full_marks(graded):
    reports, _ = graded
    _check(reports["odd"], ODD_BUT_CORRECT)
    assert reports["odd"].score == SPEC.total_points


def test_common_mistakes_get_their_own_status(graded):
    reports, _ = graded
    _check(reports["misc"], MISC)


def test_resource_attacks_are_contained(graded):
    reports, _ = graded
    _check(reports["resources"], RESOURCES)  # the slow minibatches: a time-out, not wrong


def test_metadata_order_and_points_in_the_notebook_change_nothing(graded):
    reports, _ = graded
    report = reports["edited"]
    _check(report, {})
    assert report.lab_id == "lab1"
    assert report.score == report.max_score == SPEC.total_points


def test_nbformat3_is_read(graded):
    """The v3 notebook defines two exercises: those pass, every other one is missing."""
    reports, _ = graded
    held = ("sigmoid_derivative", "early_stopping")
    missing = Case(DELETE, "missing", "no cell defines")
    _check(reports["v3"], {name: missing for name in POINTS if name not in held})


def test_isolation_holds_where_the_os_allows_it(graded):
    reports, ctx = graded
    report = reports["isolation"]
    if not sandbox.available():
        pytest.skip(f"no namespaces here: {report.isolation}")
    assert report.isolation == []
    _check(report, {})


def test_grader_never_modifies_a_submission(graded):
    _, ctx = graded
    for name, path in ctx["folders"].items():
        assert sha256_of(path) == ctx["hashes"][name], name
    assert list(ctx["out"].iterdir()) == []


def test_reference_is_stable_and_the_shipped_lab_not_attempted(repo, tmp_path):
    path = tmp_path / "lab1_solved.ipynb"
    nbformat.write(solved_notebook("lab1"), path)
    subs = [
        Submission("solved1", path),
        Submission("solved2", path),
        Submission("shipped", repo / SPEC.notebook),
    ]
    reports = grade_batch(subs, jobs=2, lab_id="lab1", progress=None)
    assert [r.score for r in reports] == [SPEC.total_points, SPEC.total_points, 0]
    assert reports[0].seed != reports[1].seed  # fresh hidden inputs each time
    assert {r.status for r in reports[2].results} == {"not attempted"}


@pytest.mark.parametrize(
    "content, message",
    [
        (b'{"cells": [', "not valid notebook JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[1, 2, 3]", "not a notebook"),
        (b'{"nbformat": 4, "cells": "nope"}', "not a notebook"),
        (b"", "not valid notebook JSON"),
    ],
)
def test_unreadable_files_are_reported(tmp_path, content, message):
    path = tmp_path / "lab1.ipynb"
    path.write_bytes(content)
    report = grade_notebook(path, lab_id="lab1")
    assert report.error and message in report.error
    assert report.score == 0 and report.max_score == SPEC.total_points


def test_huge_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "lab1_huge.ipynb"
    with open(path, "wb") as fh:
        fh.truncate(500 * 2**20)
    report = grade_notebook(path, lab_id="lab1")
    assert report.error and "MB" in report.error


def test_folders_with_no_or_several_notebooks(tmp_path):
    (tmp_path / "empty").mkdir()
    many = tmp_path / "many"
    many.mkdir()
    for name in ("a.ipynb", "b.ipynb"):
        (many / name).write_text("{}")
    subs = {s.student: s for s in find_submissions(tmp_path, "lab1")}
    assert "no .ipynb" in subs["empty"].problem
    assert "2 notebooks" in subs["many"].problem
    reports = grade_batch(list(subs.values()), jobs=1, lab_id="lab1", progress=None)
    assert all(r.error and r.score == 0 for r in reports)
    with pytest.raises(FileNotFoundError):
        find_submissions(tmp_path / "nothing-here")


# --- issue 12: no submission can hurt another student, stall the class or break reports ---

PR_SET_NAME = 15
TOTAL_MEMORY_MB = 2000  # the per-submission memory limit across processes, in this test


def issue12_cases(token: str) -> dict:
    """exercise -> (issue item, code, expected status): one submission doing each of them.

    Every process it starts is named ``token`` (``/proc/PID/comm``) so the test can look
    for survivors; its folder is named ``classroom`` (item 6) and its file name holds
    escapes, a newline, a CI command and bytes that are not UTF-8 (items 3 and 5).
    """
    name = f"ctypes.CDLL(None).prctl({PR_SET_NAME}, {token.encode()!r}, 0, 0, 0)"
    return {
        "tanh_derivative": (  # 1 and 2: must not harm the next student, nor outlive grading
            "1, 2: new session, alarms ignored, ~250 sleeping children",
            _d(f"""
            def tanh_derivative(z):
                import ctypes, os, signal, time
                {name}
                try:
                    os.setsid()
                except OSError:
                    pass
                for sig in (signal.SIGALRM, signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
                    signal.signal(sig, signal.SIG_IGN)
                for _ in range(250):
                    try:
                        if os.fork() == 0:
                            while True:
                                time.sleep(1000)
                    except OSError:
                        break
                while True:
                    time.sleep(1000)
            """),
            "timeout",
        ),
        "relu_derivative": (  # 3: must not break any report
            "3: lone surrogate and XML-invalid characters in a message",
            _d("""
            def relu_derivative(z):
                raise ValueError("odd \\ud800 \\ufffe \\uffff \\x1b[2J::error::Points 18/18")
            """),
            "error",
        ),
        "binary_cross_entropy": (  # 7: a thread left running must not stall the grader
            "7: a non-daemon thread that never ends",
            _d(f"""
            def binary_cross_entropy(y_true, logits):
                import ctypes, threading, time
                {name}
                threading.Thread(target=lambda: time.sleep(10**6), daemon=False).start()
                loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=logits)
                return tf.reduce_mean(loss)
            """),
            "passed",
        ),
        "mean_squared_error": (  # memory across processes: the per-submission limit
            f"memory: 3 children of 700 MB each (limit {TOTAL_MEMORY_MB} MB in all)",
            _d(f"""
            def mean_squared_error(y_true, y_pred):
                import ctypes, os, select, time
                if not hasattr(mean_squared_error, "all_held"):
                    {name}
                    r, w = os.pipe()
                    pids = []
                    for _ in range(3):
                        pids.append(os.fork())
                        if pids[-1] == 0:
                            try:
                                hog = b"x" * (700 << 20)
                                os.write(w, b"k")
                                time.sleep(60 + len(hog) * 0)
                            finally:
                                os._exit(0)
                    got, end = b"", time.time() + 5
                    while len(got) < 3 and time.time() < end:
                        if select.select([r], [], [], 1)[0]:
                            got += os.read(r, 3)
                    time.sleep(0.5)  # one that said so may have been killed since
                    alive = [os.waitpid(p, os.WNOHANG) == (0, 0) for p in pids]
                    mean_squared_error.all_held = len(got) == 3 and all(alive)
                wrong = 0.0 if mean_squared_error.all_held else 1.0
                return tf.reduce_mean(tf.square(y_true - y_pred)) + wrong
            """),
            {"wrong", "error"},
        ),
    }


HOSTILE_FILE = b"lab1 \x1b[31m\n::error title=pwn::owned \xff\xfe.ipynb"
# 4: cells that once made parsing hang (quadratic regular expression, IPython's transformer)
HOSTILE_CELLS = ["!true\n" * 40_000, "x = 1\n" + "\n" * 150_000 + "y = (1,\n"]


def _survivors(token: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                comm = Path(f"/proc/{entry}/comm").read_text().strip()
                state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if comm == token and state not in ("Z", "X"):  # a zombie is dead already
                found.append(int(entry))
    return found


@pytest.fixture(scope="module")
def class_of_three(tmp_path_factory):
    """A hostile student (folder ``classroom``) graded first, then two honest ones, in one
    grading process (--jobs 1), through the command line with every report."""
    import secrets as _secrets

    from autograder import cli

    token = "h12-" + _secrets.token_hex(4)
    root = tmp_path_factory.mktemp("class3")
    subs = root / "subs"
    cases = issue12_cases(token)
    (subs / "classroom").mkdir(parents=True)
    hostile = os.path.join(os.fsencode(subs / "classroom"), HOSTILE_FILE)
    nb = _notebook({k: v[1] for k, v in cases.items()})
    nb.cells += [nbformat.v4.new_code_cell(code) for code in HOSTILE_CELLS]
    with open(hostile, "w") as fh:
        nbformat.write(nb, fh)
    for name in ("honest1", "honest2"):
        (subs / name).mkdir()
        nbformat.write(solved_notebook("lab1"), subs / name / "lab1.ipynb")
    out, gh = root / "out", root / "github_output"
    old = os.environ.get("MIT6S191_GRADER_TOTAL_MEMORY_MB")
    os.environ["MIT6S191_GRADER_TOTAL_MEMORY_MB"] = str(TOTAL_MEMORY_MB)
    import contextlib
    import io

    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = cli.main(
                [
                    str(subs),
                    "--lab",
                    "lab1",
                    "--out",
                    str(out),
                    "--github-output",
                    str(gh),
                    "--jobs",
                    "1",
                    "--time-scale",
                    str(TIME_SCALE),
                    "--seed",
                    "12",
                ]
            )
    finally:
        if old is None:
            del os.environ["MIT6S191_GRADER_TOTAL_MEMORY_MB"]
        else:
            os.environ["MIT6S191_GRADER_TOTAL_MEMORY_MB"] = old
    survivors = _survivors(token)
    for pid in survivors:  # never leave them behind, even when the test fails
        try:
            os.kill(pid, 9)
        except OSError:
            pass
    reports = {
        p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (out / "students").glob("*.json")
    }
    return {
        "code": code,
        "cases": cases,
        "out": out,
        "gh": gh,
        "stdout": stdout.getvalue(),
        "stderr": stderr.getvalue(),
        "reports": reports,
        "survivors": survivors,
    }


def test_class_of_three_honest_students_get_full_marks(class_of_three):
    c = class_of_three
    assert c["code"] == 0, c["stderr"][-2000:]
    assert set(c["reports"]) == {"classroom", "honest1", "honest2"}
    for name in ("honest1", "honest2"):  # item 1: graded after the hostile one, unharmed
        report = c["reports"][name]
        assert report["error"] is None, report["error"]
        assert report["score"] == report["max_score"] == SPEC.total_points, [
            (r["name"], r["status"], r["feedback"]) for r in report["results"] if r["points"] == 0
        ]


def test_class_of_three_hostile_submission_gets_its_statuses(class_of_three):
    c = class_of_three
    results = {r["name"]: r for r in c["reports"]["classroom"]["results"]}
    for name, (item, _, status) in c["cases"].items():
        wanted = status if isinstance(status, set) else {status}
        assert results[name].get("status") in wanted, (item, results[name])
    passed = {n for n, r in results.items() if r["status"] == "passed"}
    assert passed == {n for n, case in c["cases"].items() if case[2] == "passed"} | {
        n for n in POINTS if n not in c["cases"]
    }
    # 4 and 7: neither parsing nor a thread left running made it wait out its whole budget
    limits = [ex.time_limit * TIME_SCALE + execution.GRACE for ex in SPEC.exercises]
    assert c["reports"]["classroom"]["seconds"] < execution.STARTUP_ALLOWANCE + sum(limits)


def test_class_of_three_leaves_no_process_behind(class_of_three):
    assert class_of_three["survivors"] == []  # item 2


def test_class_of_three_reports_are_all_written_and_valid(class_of_three):
    import csv
    import xml.etree.ElementTree as ET

    c = class_of_three
    out = c["out"]
    suites = ET.parse(out / "junit.xml").getroot()  # item 3: parses despite U+FFFE, '\ud800'
    assert len(suites.findall("testsuite")) == 3
    rows = list(csv.DictReader((out / "gradebook.csv").open(encoding="utf-8")))
    assert [r["student"] for r in rows] == ["classroom", "honest1", "honest2"]
    for row in rows:
        assert all(not v or v[0] not in "=+-@" for v in row.values()), row  # no formulas
    classroom = json.loads((out / "classroom.json").read_text())  # item 6: a class file
    assert classroom["version"] == 1 and classroom["max_score"] == 3 * SPEC.total_points
    lines = c["gh"].read_text().splitlines()
    assert len(lines) == 1 and lines[0].startswith("result=")
    for text in (c["stdout"], c["stderr"], *(p.read_text() for p in out.rglob("*.json"))):
        # item 5: the file name's escapes, newline and CI command reach no output raw
        assert "\x1b" not in text and "\\u001b" not in text and "::error" not in text
        assert "\\ud800" not in text and "\\udcff" not in text and "\ufffe" not in text
    hostile = c["reports"]["classroom"]
    assert "\\xff\\xfe.ipynb" in hostile["submission"] and "\n" not in hostile["submission"]
