"""``mit6s191-grade``: grade one notebook or a folder of submissions.

Examples::

    mit6s191-grade submission.ipynb                 # a summary on the terminal
    mit6s191-grade submissions/ --lab lab1 --out reports/
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from xml.sax.saxutils import escape


def _submissions(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        found = sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        if not found:
            raise SystemExit(f"error: no .ipynb notebook found in {path}")
        return found
    raise SystemExit(f"error: {path} does not exist")


def junit_xml(reports) -> str:
    """JUnit XML with one test case per exercise of every submission."""
    cases, failures = [], 0
    for report in reports:
        suite = escape(Path(report.submission).stem)
        if report.error:
            failures += 1
            cases.append(
                f'  <testcase classname="{suite}" name="submission">'
                f'<failure message="{escape(report.error, {chr(34): "&quot;"})}"/>'
                "</testcase>"
            )
        for r in report.results:
            body = ""
            if r.status != "passed":
                failures += 1
                msg = escape(f"{r.status}: {r.feedback}", {'"': "&quot;"})
                body = f'<failure message="{msg}"/>'
            cases.append(
                f'  <testcase classname="{suite}" name="{escape(r.name)}">{body}</testcase>'
            )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<testsuite name="mit6s191-grade" '
        f'tests="{len(cases)}" failures="{failures}">\n' + "\n".join(cases) + "\n</testsuite>\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mit6s191-grade", description=__doc__.split("\n")[0])
    parser.add_argument(
        "path",
        nargs="?",
        help="a notebook or a folder of notebooks (default: the shipped lab given by --lab)",
    )
    parser.add_argument("--lab", help="lab id (lab1, ...); guessed from the file name if omitted")
    parser.add_argument("--seed", type=int, help="seed for the hidden inputs (default: fresh)")
    parser.add_argument("--out", type=Path, help="folder for JSON results and junit.xml")
    parser.add_argument("--solutions", type=Path, help="folder with the hidden solutions")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

    from autograder.grade import REPO_ROOT, grade_notebook
    from autograder.labs import get_spec

    if args.path is None:
        if not args.lab:
            parser.error("give a notebook or folder, or --lab to grade the shipped lab")
        path = REPO_ROOT / get_spec(args.lab).notebook
    else:
        path = Path(args.path)
    reports = []
    for sub in _submissions(path):
        report = grade_notebook(sub, lab_id=args.lab, seed=args.seed, solutions_dir=args.solutions)
        print(report.summary(), flush=True)
        reports.append(report)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for report in reports:
            name = Path(report.submission).stem + ".json"
            (args.out / name).write_text(json.dumps(report.as_dict(), indent=2))
        (args.out / "junit.xml").write_text(junit_xml(reports))
        print(f"reports written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
