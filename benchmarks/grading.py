"""Grading timings: one submission of each lab, and a class of 30 mixed submissions of lab 1.

Run with the CPU lock, on an otherwise idle machine:

    flock /tmp/mit6s191-cpu.lock .venv/bin/python benchmarks/grading.py

Each figure is the wall time of the real command (``python -m autograder.cli``), start-up
and TensorFlow imports included. Results go to benchmarks/out/grading.json (not committed);
benchmarks/grading.md records the figures. The class's wrong and hostile submissions come
from the tests' case data (``tests/cases/``).

    .venv/bin/python benchmarks/grading.py --cases lab1

grades a lab's wrong cases (``tests/cases/labN.py``) the two ways the tests could: one
``grade_notebook`` call each in this process, then one ``grade_batch`` on two cores, and
prints the wall and CPU seconds of each (CPU of this process and every process it starts,
runners included, from a cpuacct cgroup of its own where the machine lets it make one).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]  # the tests' case data: tests/cases/

from cases import hostile, lab1, wrong_cases  # noqa: E402

from autograder.authoring import solved_notebook  # noqa: E402
from autograder.labs import LAB_IDS, get_spec  # noqa: E402


def _grade(path: Path, lab: str, out: Path | None = None, jobs: int = 2) -> tuple[float, str]:
    cmd = [
        sys.executable,
        "-m",
        "autograder.cli",
        str(path),
        "--lab",
        lab,
        "--quiet",
        "--jobs",
        str(jobs),
    ]
    if out:
        cmd += ["--out", str(out)]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(proc.stderr[-2000:])
    return seconds, proc.stdout + proc.stderr


# Plausible wrong answers of lab 1 (exercise -> code), shared with benchmarks/sharding.py:
# these five of the tests' cases (tests/cases/lab1.py), each a plain wrong value.
CLASS_CASES = (
    "sigmoid_derivative",
    "minibatches-one_batch",
    "mean_squared_error-absolute",
    "early_stopping",
    "dropout",
)
WRONG = {case.exercise: case.code for case in lab1.WRONG if case.name in CLASS_CASES}
assert len(WRONG) == len(CLASS_CASES), "a case of CLASS_CASES is not in tests/cases/lab1.py"


def class_of_30(folder: Path) -> dict[str, str]:
    """30 student folders: 12 correct, 10 wrong, 8 hostile. Returns student -> kind."""
    wrong = WRONG
    kinds = {}
    notebooks = []
    for i in range(12):
        notebooks.append((f"correct{i:02d}", "correct", solved_notebook("lab1")))
    for i in range(8):
        name = sorted(wrong)[i % len(wrong)]
        notebooks.append((f"wrong{i:02d}", "wrong", solved_notebook("lab1", {name: wrong[name]})))
    for i in range(2):
        nb = nbformat.read(REPO / get_spec("lab1").notebook, as_version=4)
        notebooks.append((f"untouched{i}", "wrong", nb))
    cheats = {k: case.code for k, case in hostile.CHEATS.items()}
    misc = {k: case.code for k, case in hostile.MISC.items() if case.code != hostile.DELETE}
    resources = {k: case.code for k, case in hostile.RESOURCES.items()}
    odd = dict(hostile.ODD_BUT_CORRECT)
    for i, (kind, code) in enumerate(
        [("cheats", cheats)] * 3
        + [("misc", misc)] * 2
        + [("odd", odd)] * 2
        + [("resources", resources)]
    ):
        notebooks.append((f"hostile{i}_{kind}", "hostile", solved_notebook("lab1", code)))
    for student, kind, nb in notebooks:
        (folder / student).mkdir(parents=True)
        nbformat.write(nb, folder / student / "lab1_intro_to_deep_learning.ipynb")
        kinds[student] = kind
    return kinds


class CpuClock:
    """CPU seconds of this process and of every process it starts, sandboxed runners
    included (their CPU never reaches this process's rusage): this process moves into a
    cgroup of its own, below its cpuacct cgroup (v1) or its cgroup (v2), which its children
    inherit; ``close()`` moves it back and removes it. ``seconds()`` is None where no such
    cgroup can be made (not root)."""

    def __init__(self):
        from autograder.cgroups import own_path

        self.usage, self.scale, self.home = None, 1.0, None
        for mount, controller, name, scale in (
            ("/sys/fs/cgroup/cpuacct", "cpuacct", "cpuacct.usage", 1e-9),
            ("/sys/fs/cgroup", "", "cpu.stat", 1e-6),
        ):
            home = Path(mount + own_path(controller).rstrip("/"))
            folder = home / f"mit6s191-bench-{os.getpid()}"
            try:
                folder.mkdir()
                (folder / "cgroup.procs").write_text(str(os.getpid()))
            except OSError:
                if folder.is_dir():
                    folder.rmdir()
                continue
            self.usage, self.scale, self.home = folder / name, scale, home
            return

    def close(self) -> None:
        """Move this process, and what it started that is still alive (multiprocessing's
        resource tracker), back to where they were, and remove the cgroup."""
        if self.home is not None:
            mine = self.usage.parent
            for pid in (mine / "cgroup.procs").read_text().split():
                with contextlib.suppress(OSError):  # a process that has just ended
                    (self.home / "cgroup.procs").write_text(pid)
            mine.rmdir()
            self.home = self.usage = None

    def seconds(self) -> float | None:
        if self.usage is None:
            return None
        text = self.usage.read_text()
        if self.usage.name == "cpu.stat":  # "usage_usec N" on the first line
            text = text.split()[1]
        return int(text) * self.scale


def cases_cost(lab: str) -> dict:
    """Grade ``lab``'s wrong cases one ``grade_notebook`` call at a time, then as one
    ``grade_batch`` on two cores; wall and CPU seconds of each, and whether each way gave
    every case its expected status (so that both measure the same work)."""
    from autograder.batch import Submission, grade_batch
    from autograder.grade import grade_notebook

    clock = CpuClock()
    cases = wrong_cases(lab) or ()
    out = {"lab": lab, "cases": len(cases)}
    with tempfile.TemporaryDirectory() as tmp, contextlib.closing(clock):
        subs = []
        for case in cases:
            path = Path(tmp) / f"{case.name}.ipynb"
            nbformat.write(solved_notebook(lab, {case.exercise: case.code}), path)
            subs.append(Submission(case.name, path))
        import tensorflow  # noqa: F401  (as in a test process: imported already)

        for way in ("one grade_notebook each", "one grade_batch, --jobs 2"):
            cpu, start = clock.seconds(), time.perf_counter()
            if way.startswith("one grade_notebook"):
                reports = [grade_notebook(s.path, lab_id=lab, seed=5) for s in subs]
            else:
                reports = grade_batch(subs, jobs=2, lab_id=lab, seed=5, progress=None)
            wall = time.perf_counter() - start
            cpu = None if cpu is None else clock.seconds() - cpu
            right = sum(
                {r.name: r.status for r in report.results}[case.exercise] == case.status
                for case, report in zip(cases, reports)
            )
            out[way] = {"wall_s": round(wall, 1), "cpu_s": cpu and round(cpu, 1)}
            shown = "not measurable here" if cpu is None else f"{cpu:.1f} s"
            print(
                f"{lab}, {len(cases)} wrong cases, {way}: {wall:.1f} s wall, CPU {shown}; "
                f"{right}/{len(cases)} with the expected status",
                flush=True,
            )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--cases", metavar="LAB", help="only time grading LAB's wrong cases, two ways"
    )
    args = parser.parse_args()
    if args.cases:
        cases_cost(args.cases)
        return 0
    results = {"machine": f"{os.cpu_count()} cores", "labs": {}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for lab in LAB_IDS:
            path = tmp / f"{lab}_solved.ipynb"
            nbformat.write(solved_notebook(lab), path)
            seconds, text = _grade(path, lab, jobs=1)
            results["labs"][lab] = round(seconds, 1)
            print(f"{lab}: one solved submission graded in {seconds:.1f} s", flush=True)
        folder = tmp / "class"
        kinds = class_of_30(folder)
        seconds, text = _grade(folder, "lab1", out=tmp / "reports", jobs=2)
        rows = (tmp / "reports" / "gradebook.csv").read_text().splitlines()[1:]
        scores = {r.split(",")[0]: float(r.split(",")[2]) for r in rows}
        total = get_spec("lab1").total_points
        full = sum(1 for s, k in kinds.items() if k == "correct" and scores[s] == total)
        results["batch"] = {
            "submissions": len(kinds),
            "seconds": round(seconds, 1),
            "correct_with_full_marks": f"{full}/{sum(k == 'correct' for k in kinds.values())}",
        }
        print(f"batch of {len(kinds)}: {seconds:.1f} s; correct ones with full marks: {full}")
    out = REPO / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "grading.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
