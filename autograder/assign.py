"""``mit6s191-assign [LAB ...] [--check]``: the students' exercise cells, generated from
one authored source, and a check that every place agrees.

An exercise is authored once, in ``solutions/labN.py`` (signature, docstring, scaffold and
the answer between ``# BEGIN SOLUTION`` / ``# END SOLUTION``), plus its entry in the spec
``autograder/labs/labN.py`` (order, points; its probe in ``PROBES``) and its public check
``mit6s191_utils/checks/labN.py`` under its own name. Without ``--check`` the command
regenerates each lab notebook's exercise cells (header with number and points, tag,
metadata, stub; a check cell for a new exercise) with :func:`autograder.generate.generate`
and leaves prose and other cells alone. ``--check`` (:func:`autograder.agreement.check_lab`)
only reads (the notebook with nbformat and ast, never running it) and prints one line per
disagreement, naming the lab, the exercise and the field; exit 1 when there is any. That
the solved lab scores full marks is checked by the tests (``tests/test_assign.py``,
``tests/test_authoring.py``), which run the grader.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.agreement import check_lab, load_module
from autograder.generate import AuthoringError, regenerate
from autograder.labs import lab_ids

REPO_ROOT = Path(__file__).resolve().parent.parent
WHAT = """\
For each lab (autograder/labs/labN.py), --check verifies:
  - the same exercises in the same order in the notebook, the spec, PROBES and the public checks;
  - headers '# ✏️ EXERCISE n — name  [p points]' numbered 1..n, stubs raising
    NotImplementedError("Exercise n: name");
  - points equal in the header, the cell metadata and the spec;
  - each exercise's signature (names, defaults, kinds of parameters) equal to the solution's;
  - every exercise cell tagged 'exercise' and followed by its check cell
    'checks.<name>(<name>);';
  - the shipped notebook stores no outputs;
  - regenerating the exercise cells from solutions/labN.py changes nothing."""


def generate_labs(root: Path, labs: list[str]) -> int:
    """Regenerate the exercise cells of ``labs``; 0 when done, 1 when a source is wrong."""
    status = 0
    for lab_id in labs:
        try:
            spec = load_module(root / "autograder" / "labs" / f"{lab_id}.py", f"spec_{lab_id}").SPEC
            path, stored, fresh = regenerate(root, lab_id, spec)
        except (AuthoringError, OSError, SyntaxError) as exc:
            print(f"{lab_id}: {exc}; the notebook is unchanged")
            status = 1
            continue
        if fresh == stored:
            print(f"{lab_id}: {path.relative_to(root)} is up to date")
            continue
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(fresh, encoding="utf-8")
        tmp.replace(path)  # atomic: an interrupted run leaves the old notebook whole
        print(f"{lab_id}: regenerated the exercise cells of {path.relative_to(root)}")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="mit6s191-assign",
        description="Regenerate each lab's exercise cells from solutions/labN.py and the "
        "spec, or (--check) check that the notebook, solution, spec, probes and public "
        "checks agree.",
        epilog=WHAT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("labs", nargs="*", metavar="LAB", help="labs (default: all)")
    parser.add_argument("--check", action="store_true", help="check, and exit 1 on any problem")
    parser.add_argument(
        "--root", type=Path, default=REPO_ROOT, help="the repository to check (default: this one)"
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    known = lab_ids(root / "autograder" / "labs")
    if not known:
        print(f"mit6s191-assign: no labs under {root} (no autograder/labs/labN.py)")
        return 2
    unknown = [lab for lab in args.labs if lab not in known]
    if unknown:
        print(f"mit6s191-assign: unknown lab {', '.join(unknown)}; known labs: {', '.join(known)}")
        return 2
    labs = args.labs or known
    if not args.check:
        return generate_labs(root, labs)
    problems = [p for lab in labs for p in check_lab(root, lab)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"mit6s191-assign: {len(problems)} disagreement(s) in {', '.join(labs)}")
        return 1
    print(f"mit6s191-assign: {', '.join(labs)} agree (notebook, solution, spec, probes, checks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
