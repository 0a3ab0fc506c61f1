"""Sharded grading and resume (issue 17): a mixed class of lab 1 graded in one run and as
three shards at once, merged and compared; then a batch killed about half-way and resumed.

Run with the CPU lock (the machine is shared; the lock only keeps out other timed runs):

    flock /tmp/mit6s191-cpu.lock .venv/bin/python benchmarks/sharding.py [--size 120]

Every figure is measured on the real commands (``python -m autograder.cli``,
``python -m autograder.merge``): wall seconds, and CPU seconds of everything they ran
(user + system of the waited-for processes, runners included). Results go to
benchmarks/out/sharding.json (not committed); benchmarks/sharding.md records them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import grading  # noqa: E402  (benchmarks/grading.py, beside this script)

from autograder.authoring import solved_notebook  # noqa: E402
from autograder.labs import get_spec  # noqa: E402
from autograder.merge import comparable_outputs  # noqa: E402

SEED = 2021
ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
WRONG = {  # grading.py's wrong answers and one that raises
    **grading.WRONG,
    "relu_derivative": "def relu_derivative(z):\n    raise ValueError('not yet')\n",
}


def make_class(folder: Path, size: int) -> dict[str, str]:
    """``size`` student folders, in a repeating pattern of ten: 4 correct, 4 with one wrong
    exercise (six kinds of mistake, one of them an exception), 1 the lab as shipped, and
    either a truncated notebook or a folder without one. Returns student -> kind."""
    shipped = nbformat.read(REPO / get_spec("lab1").notebook, as_version=4)
    solved = solved_notebook("lab1")
    wrong = {name: solved_notebook("lab1", {name: code}) for name, code in WRONG.items()}
    kinds = {}
    for i in range(size):
        student = f"student{i:03d}"
        slot = i % 10
        (folder / student).mkdir(parents=True)
        path = folder / student / "lab1_intro_to_deep_learning.ipynb"
        if slot < 4:
            kinds[student] = "correct"
            nbformat.write(solved, path)
        elif slot < 8:
            name = sorted(WRONG)[(i // 10 * 4 + slot - 4) % len(WRONG)]
            kinds[student] = f"wrong {name}"
            nbformat.write(wrong[name], path)
        elif slot == 8:
            kinds[student] = "shipped"
            nbformat.write(shipped, path)
        elif i // 10 % 2:
            kinds[student] = "no notebook"
        else:
            kinds[student] = "truncated"
            path.write_text('{"cells": [')
    return kinds


def grade_cmd(folder: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "autograder.cli",
        str(folder),
        "--lab",
        "lab1",
        "--seed",
        str(SEED),
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]


class Clock:
    """Wall seconds and CPU seconds of waited-for children between start and stop."""

    def __enter__(self):
        self.wall = time.perf_counter()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = usage.ru_utime + usage.ru_stime
        return self

    def __exit__(self, *exc):
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.wall = round(time.perf_counter() - self.wall, 1)
        self.cpu = round(usage.ru_utime + usage.ru_stime - self.cpu, 1)
        return False


def run(cmd: list[str]) -> str:
    proc = subprocess.run(cmd, cwd=REPO, env=ENV, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"{cmd[:5]} failed:\n{proc.stderr[-3000:]}")
    return proc.stdout + proc.stderr


def shards_and_merge(tmp: Path, folder: Path, size: int, count: int = 3) -> dict:
    with Clock() as one:
        run(grade_cmd(folder, tmp / "one", "--jobs", "2"))
    print(f"one run, --jobs 2: {one.wall} s wall, {one.cpu} s CPU", flush=True)
    outs = [tmp / f"shard{k}" for k in range(1, count + 1)]
    with Clock() as sharded:
        procs = [
            subprocess.Popen(
                grade_cmd(folder, out, "--jobs", "1", "--shard", f"{k}/{count}"),
                cwd=REPO,
                env=ENV,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for k, out in enumerate(outs, 1)
        ]
        for proc in procs:
            _, err = proc.communicate()
            if proc.returncode:
                raise RuntimeError(err[-3000:])
    per_shard = [json.loads((out / "shard.json").read_text()) for out in outs]
    print(
        f"{count} shards at once, --jobs 1 each: {sharded.wall} s wall, {sharded.cpu} s CPU; "
        f"students per shard {[len(m['owned']) for m in per_shard]}, "
        f"seconds per shard {[m['seconds'] for m in per_shard]}",
        flush=True,
    )
    with Clock() as merging:
        run([sys.executable, "-m", "autograder.merge", *map(str, outs), "--out", str(tmp / "m")])
    equal = comparable_outputs(tmp / "m") == comparable_outputs(tmp / "one")
    print(f"merge: {merging.wall} s; merged == one run (except timing): {equal}", flush=True)
    per_submission = one.wall / size
    # 1,000 students x 4 labs on 20 machines like this one (2 cores), each grading its
    # 200 submissions with --jobs 2 at this measured rate; labs 2-4 cost about as much as
    # lab 1 per submission (benchmarks/grading.md: 9.8-11.9 s for one solved lab each).
    projected = 1000 * 4 / 20 * per_submission
    return {
        "submissions": size,
        "one_run": {
            "wall_s": one.wall,
            "cpu_s": one.cpu,
            "per_minute": round(size / one.wall * 60, 1),
        },
        "three_shards_at_once": {
            "wall_s": sharded.wall,
            "cpu_s": sharded.cpu,
            "per_minute": round(size / sharded.wall * 60, 1),
            "students": [len(m["owned"]) for m in per_shard],
            "shard_seconds": [m["seconds"] for m in per_shard],
        },
        "merge_s": merging.wall,
        "merged_equals_one_run": equal,
        "projection_1000x4_on_20_machines_min": round((projected + merging.wall) / 60, 1),
    }


def resume(tmp: Path, folder: Path, size: int) -> dict:
    out = tmp / "resume"
    cmd = grade_cmd(folder, out, "--jobs", "2")
    with Clock() as first:
        proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        while len(list((out / "students").glob("*.json"))) < size // 2 and proc.poll() is None:
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    kept = len(list((out / "students").glob("*.json")))
    print(f"resume: killed after {first.wall} s with {kept} of {size} reports written", flush=True)
    with Clock() as again:
        text = run(cmd)
    line = next(ln for ln in text.splitlines() if "reports reused:" in ln)
    print(f"resume: restarted, {line.split(' (')[0]}; {again.wall} s wall, {again.cpu} s CPU")
    with Clock() as whole:
        run(cmd + ["--fresh"])
    print(f"resume: the same {size} graded from scratch (--fresh): {whole.wall} s", flush=True)
    return {
        "submissions": size,
        "killed_after_s": first.wall,
        "reports_at_kill": kept,
        "restart": line.split(" (")[0],
        "restart_wall_s": again.wall,
        "restart_cpu_s": again.cpu,
        "from_scratch_wall_s": whole.wall,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=120, help="class size for the shards")
    parser.add_argument("--resume-size", type=int, default=30, help="class size for resume")
    parser.add_argument("--skip-shards", action="store_true")
    parser.add_argument("--skip-resume", action="store_true")
    args = parser.parse_args()
    results = {"machine": f"{os.cpu_count()} cores", "load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = tmp / "class"
        kinds = make_class(folder, max(args.size, args.resume_size))
        results["kinds"] = sorted({k.split()[0] for k in kinds.values()})
        if not args.skip_shards:
            small = tmp / "class-shards"
            shutil.copytree(folder, small)
            for extra in sorted(small.iterdir())[args.size :]:
                shutil.rmtree(extra)
            results["shards"] = shards_and_merge(tmp, small, args.size)
        if not args.skip_resume:
            subset = tmp / "class-resume"
            subset.mkdir()
            for student in sorted(kinds)[: args.resume_size]:
                shutil.copytree(folder / student, subset / student)
            results["resume"] = resume(tmp, subset, args.resume_size)
    results["load_after"] = os.getloadavg()
    out = REPO / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    name = f"sharding-{args.size}.json"
    (out / name).write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
