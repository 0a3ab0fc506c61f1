"""Grading timings: one submission of each lab, and a class of 30 mixed submissions of lab 1.

Run with the CPU lock, on an otherwise idle machine:

    flock /tmp/mit6s191-cpu.lock .venv/bin/python benchmarks/grading.py

Each figure is the wall time of the real command (``python -m autograder.cli``), start-up
and TensorFlow imports included. Results go to benchmarks/out/grading.json (not committed);
benchmarks/grading.md records the figures.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autograder.authoring import solved_notebook  # noqa: E402
from autograder.labs import LAB_IDS, get_spec  # noqa: E402


def _hostile_cases():
    path = REPO / "tests" / "test_grader_hostile.py"
    spec = importlib.util.spec_from_file_location("hostile_cases", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


# Plausible wrong answers of lab 1 (one exercise each), shared with benchmarks/sharding.py.
WRONG = {
    "sigmoid_derivative": "def sigmoid_derivative(z):\n    return tf.math.sigmoid(z)\n",
    "minibatches": "def minibatches(x, y, batch_size, seed):\n    return [(x, y)]\n",
    "mean_squared_error": "def mean_squared_error(y_true, y_pred):\n"
    "    return tf.reduce_mean(tf.abs(y_true - y_pred))\n",
    "early_stopping": "def early_stopping(val_losses, patience):\n    return 0, 0\n",
    "dropout": "def dropout(x, rate, noise, training):\n    return x\n",
}


def class_of_30(folder: Path) -> dict[str, str]:
    """30 student folders: 12 correct, 10 wrong, 8 hostile. Returns student -> kind."""
    hostile = _hostile_cases()
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
    cheats = {k: v[0] for k, v in hostile.CHEATS.items()}
    misc = {k: v[0] for k, v in hostile.MISC.items() if v[0] not in (None, "DELETE")}
    resources = {k: v[0] for k, v in hostile.RESOURCES.items()}
    odd = {k: v for k, v in hostile.ODD_BUT_CORRECT.items() if v}
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


def main() -> int:
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
