"""Sharded, resumable class grading and the merge (issue 17 §1-2), through the real command
and the sandbox: a class of six lab 1 submissions (two solved with one wrong exercise each,
one solved, the lab as shipped, a truncated notebook, a folder without a notebook)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder import cli
from autograder import resume as resume_module
from autograder.authoring import solved_notebook
from autograder.labs import get_spec
from autograder.merge import MissingReports, comparable_outputs, merge
from autograder.reports import STUDENTS_DIR
from autograder.results import GradeReport
from autograder.resume import FINGERPRINT_KEY, grading_fingerprint, reusable
from autograder.shards import SHARD_FILE, ShardError, parse_shard, shard_from_env, shard_of

REPO = Path(__file__).resolve().parents[1]
SEED = 11
ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
WRONG = {
    "sigmoid_derivative": "def sigmoid_derivative(z):\n    return tf.math.sigmoid(z)\n",
    "dropout": "def dropout(x, rate, noise, training):\n    return x\n",
}
# student -> (shard of 3, what they submit); names chosen so that each shard has two.
CLASS = {
    "alice": (3, "solved"),
    "bob": (3, "sigmoid_derivative wrong"),
    "dave": (2, "shipped"),
    "heidi": (2, "truncated"),
    "erin": (1, "folder without a notebook"),
    "judy": (1, "dropout wrong"),
}


def write_class(folder: Path) -> Path:
    folder.mkdir(parents=True)
    nbformat.write(solved_notebook("lab1"), folder / "alice.ipynb")
    wrong = {"sigmoid_derivative": WRONG["sigmoid_derivative"]}
    nbformat.write(solved_notebook("lab1", wrong), folder / "bob.ipynb")
    shutil.copy(REPO / get_spec("lab1").notebook, folder / "dave.ipynb")
    (folder / "heidi.ipynb").write_text('{"cells": [')
    (folder / "erin").mkdir()
    nbformat.write(solved_notebook("lab1", {"dropout": WRONG["dropout"]}), folder / "judy.ipynb")
    return folder


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The class, and a snapshot of the reference solutions (one grading fingerprint for
    every run of this module, whatever happens to solutions/ meanwhile)."""
    root = tmp_path_factory.mktemp("shards")
    solutions = root / "solutions"
    shutil.copytree(REPO / "solutions", solutions)
    return write_class(root / "class"), solutions


def grade_command(klass: Path, out: Path, solutions: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "autograder.cli",
        str(klass),
        "--lab",
        "lab1",
        "--seed",
        str(SEED),
        "--out",
        str(out),
        "--solutions",
        str(solutions),
        "--quiet",
        *extra,
    ]


def run(cmd: list[str]) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, cwd=REPO, env=ENV, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def whole(course, tmp_path_factory):
    """The whole class graded in one run."""
    klass, solutions = course
    out = tmp_path_factory.mktemp("whole") / "out"
    run(grade_command(klass, out, solutions, "--jobs", "2"))
    return out


@pytest.fixture(scope="module")
def shard_dirs(course, tmp_path_factory):
    """The class graded as three shards: three processes at once."""
    klass, solutions = course
    root = tmp_path_factory.mktemp("shard-outs")
    outs = [root / f"shard{k}" for k in (1, 2, 3)]
    procs = [
        subprocess.Popen(
            grade_command(klass, out, solutions, "--jobs", "1", "--shard", f"{k}/3"),
            cwd=REPO,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k, out in zip((1, 2, 3), outs)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=1200)
        assert proc.returncode == 0, err[-3000:]
    return outs


def scores(out: Path) -> dict[str, str]:
    with open(out / "gradebook.csv", newline="") as fh:
        return {row["student"]: row["score"] for row in csv.DictReader(fh)}


# --- which shard, and the arguments ----------------------------------------------------------


def test_a_student_always_lands_in_the_same_shard():
    assert {name: shard_of(name, 3) for name in CLASS} == {n: k for n, (k, _) in CLASS.items()}
    # sha256 of the id, not the position in a listing nor Python's salted hash()
    assert [shard_of("alice", n) for n in (1, 2, 5, 20)] == [1, 2, 3, 8]
    counts = [0, 0, 0, 0]
    for i in range(4000):
        counts[shard_of(f"student{i:04d}", 4) - 1] += 1
    assert all(900 < c < 1100 for c in counts), counts


def test_shard_arguments_and_engine_variables(capsys, course, tmp_path):
    assert parse_shard("2/3") == (2, 3) and parse_shard("1/1") == (1, 1)
    for bad in ("0/3", "4/3", "3", "a/b", "1/0"):
        with pytest.raises(ShardError, match="--shard"):
            parse_shard(bad)
    for name in ("JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "MIT6S191_SHARD_INDEX"):
        assert shard_from_env(4, {name: "0"}) == (1, 4)
        assert shard_from_env(4, {name: "3"}) == (4, 4)
        with pytest.raises(ShardError, match=f"{name}=4 is outside 0..3"):
            shard_from_env(4, {name: "4"})
    with pytest.raises(ShardError, match="none of JOB_COMPLETION_INDEX"):
        shard_from_env(3, {})
    with pytest.raises(ShardError, match="disagree"):
        shard_from_env(3, {"JOB_COMPLETION_INDEX": "0", "SLURM_ARRAY_TASK_ID": "1"})
    klass, _ = course
    out = tmp_path / "out"
    refused = {
        "--seed S, one seed for the whole class": ["--lab", "lab1", "--out", str(out)],
        "needs --lab": ["--seed", "1", "--out", str(out)],
        "needs --out": ["--lab", "lab1", "--seed", "1"],
    }
    for message, args in refused.items():
        with pytest.raises(SystemExit) as exc:
            cli.main([str(klass), "--shard", "1/3", *args])
        assert exc.value.code == 2 and message in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main([str(klass), "--lab", "lab1", "--seed", "1", "--out", str(out), "--shard", "5/3"])
    assert "K must be between 1 and N" in capsys.readouterr().err
    assert not out.exists()  # nothing graded, nothing written


# --- shards and merge -------------------------------------------------------------------------


def test_three_shards_merged_equal_one_run(whole, shard_dirs, tmp_path):
    class_files = {"gradebook.csv", "junit.xml", "classroom.json"}
    for k, out in enumerate(shard_dirs, 1):
        meta = json.loads((out / SHARD_FILE).read_text())
        mine = sorted(n for n, (shard, _) in CLASS.items() if shard == k)
        assert meta["shard"] == f"{k}/3" and meta["complete"] and meta["seed"] == SEED
        assert sorted(meta["owned"]) == sorted(meta["graded"]) == mine and meta["reused"] == []
        assert len(meta["roster"]) == len(CLASS) and meta["class_size"] == len(CLASS)
        students = sorted(p.stem for p in (out / STUDENTS_DIR).iterdir())
        assert students == mine  # the shard's files: its students' ...
        assert class_files <= {p.name for p in out.iterdir()}  # ... and the class files
        assert sorted(scores(out)) == mine
    proc = run(
        [
            sys.executable,
            "-m",
            "autograder.merge",
            *map(str, shard_dirs),
            "--out",
            str(tmp_path / "m"),
        ]
    )
    assert "merged 3 shards: 6 of 6 students graded" in proc.stdout
    merged, single = comparable_outputs(tmp_path / "m"), comparable_outputs(whole)
    assert merged.keys() == single.keys()
    for name in merged:
        assert merged[name] == single[name], name
    assert scores(whole) == {
        "alice": "20",
        "bob": "19",
        "dave": "0",
        "heidi": "0",
        "erin": "0",
        "judy": "18",
    }
    fingerprint = json.loads((whole / STUDENTS_DIR / "alice.json").read_text())[FINGERPRINT_KEY]
    assert fingerprint == json.loads((shard_dirs[0] / SHARD_FILE).read_text())[FINGERPRINT_KEY]


def _copies(shard_dirs, tmp_path) -> list[Path]:
    copies = [tmp_path / f"s{k}" for k in (1, 2, 3)]
    for src, dst in zip(shard_dirs, copies):
        shutil.copytree(src, dst)
    return copies


def _edit_json(path: Path, **changes) -> None:
    data = json.loads(path.read_text())
    data.update(changes)
    path.write_text(json.dumps(data))


def test_merge_reports_missing_students_and_never_writes_them_silently(
    shard_dirs, tmp_path, capsys
):
    s1, s2, s3 = _copies(shard_dirs, tmp_path)
    out = tmp_path / "out"
    with pytest.raises(MissingReports, match="2 of 6 students have no valid report"):
        merge([s1, s2], out)
    err = capsys.readouterr().err
    assert "alice: shard 3/3 was not given" in err and "bob: shard 3/3 was not given" in err
    assert not out.exists()
    # a shard killed before it graded dave; and a report graded under another fingerprint
    (s2 / STUDENTS_DIR / "dave.json").unlink()
    _edit_json(s2 / SHARD_FILE, complete=False)
    _edit_json(s3 / STUDENTS_DIR / "alice.json", **{FINGERPRINT_KEY: "0" * 64})
    assert cli_merge([s1, s2, s3, "--out", out]) == 1 and not out.exists()
    err = capsys.readouterr().err
    assert "dave: no report (students/dave.json); shard 2/3" in err and "did not finish" in err
    assert "alice: students/alice.json was graded under another grading fingerprint" in err
    assert cli_merge([s1, s2, s3, "--out", out, "--allow-missing"]) == 0
    assert "4 of 6 students graded, 2 marked not graded" in capsys.readouterr().out
    with open(out / "gradebook.csv", newline="") as fh:
        rows = {row["student"]: row for row in csv.DictReader(fh)}
    assert len(rows) == 6 and rows["bob"]["score"] == "19" and rows["judy"]["score"] == "18"
    assert rows["dave"]["error"].startswith("not graded: no report")
    assert rows["alice"]["error"].startswith("not graded:") and rows["alice"]["score"] == "0"


def cli_merge(args) -> int:
    from autograder.merge import main

    return main([str(a) for a in args])


def test_merge_refuses_duplicates_and_shards_that_do_not_belong_together(
    shard_dirs, tmp_path, capsys
):
    s1, s2, s3 = _copies(shard_dirs, tmp_path)
    out = tmp_path / "out"
    again = tmp_path / "s3-again"
    shutil.copytree(s3, again)
    for shards, message in (
        ([s1, s2, s3, s3], "is given twice: its students would be counted twice"),
        ([s1, s2, s3, again], "shard 3/3 is given twice"),
        ([s1, s2, s3, tmp_path], "no shard.json"),
    ):
        assert cli_merge([*shards, "--out", out]) == 2
        assert message in capsys.readouterr().err
    assert cli_merge([s1, s2, s3, "--out", s1]) == 2
    assert "one of the shards" in capsys.readouterr().err
    for key, value, said in (
        ("grading_fingerprint", "f" * 64, "grading_fingerprint differ"),
        ("lab", "lab2", "lab differ"),
        ("seed", SEED + 1, "seed differ"),
        ("count", 4, "count differ"),
        ("roster_sha256", "0" * 64, "class list (the submissions folder changed?) differ"),
    ):
        shutil.copy(s3 / SHARD_FILE, tmp_path / "kept.json")
        _edit_json(s3 / SHARD_FILE, **{key: value})
        assert cli_merge([s1, s2, s3, "--out", out]) == 2
        assert f"the shards do not belong together: their {said}" in capsys.readouterr().err
        shutil.copy(tmp_path / "kept.json", s3 / SHARD_FILE)
    assert not out.exists()
    assert cli_merge([s1, s2, s3, "--out", out]) == 0


# --- resume -----------------------------------------------------------------------------------


def test_a_killed_batch_resumes_and_regrades_only_what_changed(course, whole, tmp_path):
    klass, solutions = course
    mine = tmp_path / "class"
    shutil.copytree(klass, mine)
    out = tmp_path / "out"
    cmd = grade_command(mine, out, solutions, "--jobs", "1")
    proc = subprocess.Popen(
        cmd,
        cwd=REPO,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 900
    while len(list((out / STUDENTS_DIR).glob("*.json"))) < 2:  # alice, bob, then dave
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)  # the batch and everything it started
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    done = sorted(p.name for p in (out / STUDENTS_DIR).iterdir())
    assert done == ["alice.json", "bob.json"]  # written the moment each was graded, whole
    kept = {name: (out / STUDENTS_DIR / name).read_bytes() for name in done}

    err = run(cmd).stderr
    assert "reports reused: 2, to grade: 4" in err and "[4/4]" in err and "[5/" not in err
    for name, raw in kept.items():  # not graded again: the very same report (its seconds too)
        assert (out / STUDENTS_DIR / name).read_bytes() == raw
    assert comparable_outputs(out)["gradebook.csv"] == comparable_outputs(whole)["gradebook.csv"]

    # bob fixes his notebook; heidi's report claims another grading fingerprint
    nbformat.write(solved_notebook("lab1"), mine / "bob.ipynb")
    _edit_json(out / STUDENTS_DIR / "heidi.json", **{FINGERPRINT_KEY: "0" * 64})
    err = run(cmd).stderr
    # alice, dave, judy stand; bob (changed), heidi (other fingerprint), erin (no notebook:
    # nothing to run, looked at again every time) are graded
    assert "reports reused: 3, to grade: 3" in err, err[-2000:]
    assert "bob: 20/20" in err and "heidi: could not grade" in err
    assert scores(out)["bob"] == "20"


def test_fresh_grades_everything_again(course, tmp_path):
    klass, solutions = course
    mine = tmp_path / "class"
    mine.mkdir()
    shutil.copy(klass / "heidi.ipynb", mine)  # nothing runs: the notebook is truncated
    cmd = grade_command(mine, tmp_path / "out", solutions)
    assert "reports reused: 0, to grade: 1" in run(cmd).stderr
    assert "reports reused: 1, to grade: 0" in run(cmd).stderr
    assert "reports reused: 0, to grade: 1" in run([*cmd, "--fresh"]).stderr


def _report_file(path: Path, fingerprint: str, **changes) -> Path:
    report = GradeReport("lab1", "/c/alice.ipynb", "ab" * 32, SEED, student="alice")
    data = report.as_dict() | {FINGERPRINT_KEY: fingerprint} | changes
    path.write_text(json.dumps(data))
    return path


def test_a_report_is_reused_only_under_the_same_lab_spec_and_seed(tmp_path):
    solutions = tmp_path / "solutions"
    shutil.copytree(REPO / "solutions", solutions)
    current = grading_fingerprint("lab1", solutions)
    assert grading_fingerprint("lab1", solutions) == current  # stable
    assert grading_fingerprint("lab1", solutions, time_scale=2) != current
    assert grading_fingerprint("lab2", solutions) != current
    with open(solutions / "lab1.py", "a") as fh:
        fh.write("\n# a changed reference solution\n")
    changed = grading_fingerprint("lab1", solutions)
    assert changed != current
    # The grader's own code counts too: another comparison rule, another fingerprint.
    real_digest = resume_module._file_digest

    def digest(path):
        extra = "changed" if Path(path).name == "compare.py" else ""
        return real_digest(path) + extra

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(resume_module, "_file_digest", digest)
        assert grading_fingerprint("lab1", solutions) != changed
    with pytest.raises(FileNotFoundError, match="--solutions"):
        grading_fingerprint("lab1", tmp_path / "nowhere")

    def check(path, student="alice", sha="ab" * 32, lab="lab1", seed=SEED):
        return reusable(path, student, sha, lab, lambda lab_id: changed, seed)

    good = _report_file(tmp_path / "good.json", changed)
    assert check(good)[0] == GradeReport.from_dict(json.loads(good.read_text()))
    assert check(good, lab=None, seed=None)[0] is not None  # guessed labs, fresh seeds
    for path, kwargs, why in (
        (tmp_path / "none.json", {}, "no report"),
        (good, {"student": "bob"}, "another student's"),
        (good, {"sha": "cd" * 32}, "submission changed"),
        (good, {"lab": "lab2"}, "of lab1, not lab2"),
        (good, {"seed": SEED + 1}, f"graded with seed {SEED}, not {SEED + 1}"),
        (_report_file(tmp_path / "old.json", current), {}, "spec, probes, solution"),
        (_report_file(tmp_path / "nofp.json", ""), {}, "spec, probes, solution"),
        (
            _report_file(tmp_path / "crash.json", changed, error="internal grader error (x)"),
            {},
            "the grader itself failed",
        ),
    ):
        report, reason = check(path, **kwargs)
        assert report is None and why in reason, (path.name, reason)
    (tmp_path / "half.json").write_text('{"lab_id": "lab1", "sub')
    assert check(tmp_path / "half.json") == (None, "unreadable report (JSONDecodeError)")
