"""The course's headline timings in one run: book build (cold, cached), grading one lab
submission, and the whole test suite.

    .venv/bin/python benchmarks/run_benchmarks.py            # everything (about 30 min)
    .venv/bin/python benchmarks/run_benchmarks.py --no-tests # skip the test suite

Holds /tmp/mit6s191-cpu.lock while measuring so that timed runs never overlap. The
detailed scripts are book_build.py (per-page times), grading.py (every lab, a class of
30) and labN_*.py (each lab's training); benchmarks/README.md records the figures.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(command: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    """Run ``command`` and return (wall seconds, completed process)."""
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, **kwargs)
    return time.perf_counter() - start, proc


def grade_one_lab(lab_id: str = "lab1") -> dict[str, float]:
    """Wall time of ``mit6s191-grade`` on the shipped lab and on the solved lab."""
    sys.path.insert(0, str(REPO))
    from autograder.authoring import solved_notebook
    from autograder.labs import get_spec

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        solved = Path(tmp) / f"{lab_id}_solved.ipynb"
        nbformat.write(solved_notebook(lab_id), solved)
        for name, path in (("shipped", REPO / get_spec(lab_id).notebook), ("solved", solved)):
            seconds, proc = timed([str(BIN / "mit6s191-grade"), str(path), "--lab", lab_id])
            if proc.returncode != 0:
                sys.exit(f"grading failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
            out[name] = seconds
            print(
                f"grade {lab_id} ({name}): {seconds:.1f} s — "
                + proc.stdout.strip().splitlines()[-1].strip(),
                flush=True,
            )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-tests", action="store_true", help="skip timing the test suite")
    parser.add_argument("--no-lock", action="store_true", help="do not take the CPU lock")
    args = parser.parse_args()
    lock = open("/tmp/mit6s191-cpu.lock", "a")
    if not args.no_lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}", flush=True)
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks/book_build.py"), "--no-lock"], check=True
    )
    grade_one_lab("lab1")
    if not args.no_tests:
        seconds, proc = timed([sys.executable, "-m", "pytest", "-q"], cwd=REPO)
        last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-500:]
        print(f"test suite (python -m pytest): {seconds:.0f} s — {last}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
