"""``mit6s191-grade``: grade one notebook or a folder of submissions.

Examples::

    mit6s191-grade submission.ipynb                       # a summary on the terminal
    mit6s191-grade submissions/ --lab lab1 --out reports/  # a class: JSON, CSV, JUnit
    mit6s191-grade labs/lab1_*.ipynb --lab lab1 --github-output "$GITHUB_OUTPUT"  # Classroom
    mit6s191-grade submissions/ --lab lab1 --seed 7 --out shard2/ --shard 2/3  # one shard
    mit6s191-merge shard1/ shard2/ shard3/ --out reports/  # the class files of one run

With ``--out``, a report already there is reused when it still stands (same student,
submission content, lab, grading fingerprint and seed): a batch that was killed grades
only what it had not finished. ``--fresh`` grades everything again.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mit6s191-grade", description=__doc__.split("\n")[0])
    parser.add_argument(
        "path",
        nargs="?",
        help="a notebook; a folder of notebooks (one per student); or a folder of folders "
        "(one per student). Default: the shipped lab given by --lab",
    )
    parser.add_argument("--lab", help="lab id (lab1, ...); guessed from the file name if omitted")
    parser.add_argument("--seed", type=int, help="seed for the hidden inputs (default: fresh)")
    parser.add_argument("--out", type=Path, help="folder for the JSON, CSV and JUnit reports")
    parser.add_argument("--solutions", type=Path, help="folder with the hidden solutions")
    parser.add_argument("--jobs", type=int, help="submissions graded at once (default: cores)")
    parser.add_argument(
        "--time-scale", type=float, default=1.0, help="multiply every time limit (slow machines)"
    )
    parser.add_argument(
        "--github-output",
        type=Path,
        help="append the Classroom reporter's result (result=<base64>) to this file",
    )
    parser.add_argument("--quiet", action="store_true", help="no per-exercise summary")
    parser.add_argument(
        "--shard",
        metavar="K/N",
        help="grade only shard K of N (1-based): the students whose id hashes to K; needs "
        "--lab, --seed and --out; join the shards with mit6s191-merge",
    )
    parser.add_argument(
        "--shard-count",
        type=int,
        metavar="N",
        help="N shards, this one's 0-based index taken from JOB_COMPLETION_INDEX (Kubernetes), "
        "SLURM_ARRAY_TASK_ID (Slurm) or MIT6S191_SHARD_INDEX",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="grade every submission again, ignoring the reports already in --out",
    )
    parser.add_argument(
        "--allow-unisolated",
        action="store_true",
        help="grade even where the OS cannot isolate student code (no root, no namespaces): "
        "for trusted code only, never for a grade of record",
    )
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # a second net: never die on an odd character
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

    from autograder.batch import find_submissions, grade_batch
    from autograder.labs import LAB_IDS, get_spec
    from autograder.reports import STUDENTS_DIR, classroom_output_line
    from autograder.sandbox import IsolationUnavailable, require_isolation
    from autograder.shards import ShardError, parse_shard, shard_from_env
    from autograder.solutions import REPO_ROOT

    if args.lab and args.lab not in LAB_IDS:
        parser.error(f"unknown lab {args.lab!r}; known labs: {', '.join(LAB_IDS)}")
    shard = None
    try:
        if args.shard:
            shard = parse_shard(args.shard)
            if args.shard_count is not None and args.shard_count != shard[1]:
                raise ShardError(f"--shard {args.shard} and --shard-count {args.shard_count}")
        elif args.shard_count is not None:
            shard = shard_from_env(args.shard_count)
    except ShardError as exc:
        parser.error(str(exc))
    if shard:
        missing = [flag for flag, v in (("--lab", args.lab), ("--out", args.out)) if not v]
        if missing:
            parser.error(f"sharded grading needs {' and '.join(missing)}")
        if args.seed is None:
            parser.error(
                "sharded grading needs --seed S, one seed for the whole class: every shard "
                "then draws the same hidden inputs, and the merged shards grade exactly as "
                "one run would (without it each submission would get its own random seed)"
            )
    if args.path is None:
        if not args.lab:
            parser.error("give a notebook or folder, or --lab to grade the shipped lab")
        path = REPO_ROOT / get_spec(args.lab).notebook
    else:
        path = Path(args.path)
    try:
        subs = find_submissions(path, args.lab)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    options = dict(
        lab_id=args.lab,
        seed=args.seed,
        solutions_dir=args.solutions,
        time_scale=args.time_scale,
    )
    try:
        require_isolation(args.allow_unisolated)  # before anything is written
        if args.out:
            from autograder.shards import ClassRun

            run = ClassRun(subs, args.out, shard, options, fresh=args.fresh, source=path)
            reports = run.grade(args.jobs, args.allow_unisolated)
        else:
            reports = grade_batch(
                subs,
                jobs=args.jobs,
                progress=sys.stderr if len(subs) > 1 else None,
                allow_unisolated=args.allow_unisolated,
                **options,
            )
    except IsolationUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (ShardError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    status = 0
    # The files first: whatever happens on the terminal, every report is written.
    if args.out:
        problems = run.problems
        for problem in problems:
            print(f"error: report {problem}", file=sys.stderr)
        status = 1 if problems else 0
        print(f"reports written to {args.out} (per student: {args.out / STUDENTS_DIR})")
    if args.github_output:
        with open(args.github_output, "a", encoding="utf-8") as fh:
            fh.write(classroom_output_line(reports))
    if not args.quiet:
        for report in reports:
            print(report.summary(), flush=True)
    if len(reports) > 1:
        total = sum(r.score for r in reports)
        print(f"{len(reports)} submissions, mean score {total / len(reports):.2f}")
    notes = sorted({n for r in reports for n in r.isolation})
    for note in notes:
        print(f"warning: isolation: {note}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
