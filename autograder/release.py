"""``mit6s191-release OUT_DIR``: the student bundle, checked to hold no answer.

The bundle is what a student (or a GitHub Classroom template repository) gets: the lab
notebooks (without outputs), the utility package ``mit6s191_utils`` with the public checks,
a README, an installable ``pyproject.toml`` and the Classroom workflow. It leaves out:

- ``solutions/``: the reference code;
- ``autograder/``: besides the grading machinery, its lab specs hold the *hidden checks*:
  the probes and the generators of the hidden inputs, whose distributions and edge cases
  (e.g. z = 0 for the activation derivatives) a student could otherwise target;
- ``tests/``, ``benchmarks/`` and ``book/`` (the book is published as a web site; its
  worked examples sit too close to some exercises to ship beside the labs).

After copying, :func:`verify` searches every file of the bundle for every answer of the
reference solutions (each ``# BEGIN SOLUTION`` block, and the body of any other function
there) and the body of every hidden-check function (whitespace ignored) and refuses the
bundle (exit status 1) if one is found, or if a notebook carries outputs.

The same search runs over the book's sources (:func:`book_problems`, ``book/*.md``), which
are published as a web site. The book works some exercises' building blocks in full
(the lectures do too); those few are accepted one by one in :data:`BOOK_WORKED_EXAMPLES`
with the reason. Grades do not rely on the method being secret: they rely on hidden
inputs drawn fresh from a secret seed and on isolation (the student's code never sees
the solutions, the grader or the other submissions). Any other answer found in the book
fails the release.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import json
import shutil
import sys
from pathlib import Path

from autograder.generate import solution_blocks
from autograder.labs import LAB_IDS, get_spec
from autograder.solutions import REPO_ROOT

# (chapter, answer) -> why the book may show it. Each entry must still match (a stale one
# fails tests/test_release.py) and nothing else may (a new one fails the release).
BOOK_WORKED_EXAMPLES = {
    ("book/01_intro_to_deep_learning.md", "solutions/lab1.py:MyDenseLayer.__init__"): (
        "the chapter builds lecture 1's dense layer from scratch and checks it against "
        "keras.layers.Dense"
    ),
    ("book/02_deep_sequence_modelling.md", "solutions/lab2.py:MyRNNCell.__init__"): (
        "the chapter builds lecture 2's RNN cell from scratch (the figure's W_xh, W_hh, W_hy)"
    ),
    ("book/02_deep_sequence_modelling.md", "solutions/lab2.py:MyRNNCell.call"): (
        "the same cell's update h = tanh(x W_xh + h W_hh), y = h W_hy: the lecture's equations"
    ),
    ("book/04_deep_generative_modelling.md", "solutions/lab4.py:sample_latent"): (
        "the chapter's VAE draws z with the reparameterisation trick, the one-line formula "
        "the exercise's docstring states"
    ),
    ("book/04_deep_generative_modelling.md", "solutions/lab4.py:kl_divergence"): (
        "the closed-form KL term of the chapter's VAE loss, the formula the exercise's "
        "docstring states"
    ),
}
FORBIDDEN_DIRS = {"solutions", "autograder", "tests", "benchmarks", ".venv", "_build"}
STUDENT_README = """# MIT 6.S191 (2021), open edition: labs

Open a lab in JupyterLab or Colab (`labs/`), fill in each cell marked `# ✏️ EXERCISE`, and
run the check under it: ✔ means your code passes the public examples. Install the course
package first, once: `pip install -r requirements.txt && pip install -e .`

**Grading.** The autograder takes only your exercise cells (the functions and classes they
define), runs them on freshly drawn hidden inputs in an isolated process with a time limit,
and compares the numbers with a reference solution. Each exercise gets points, a status
(passed, wrong, error, timeout, not attempted, missing) and a sentence saying what differs.
Keep each exercise self-contained (it may use `np`, `tf` and `keras`), keep the names, and
don't worry about prints, warnings or outputs: they are ignored. On GitHub Classroom every
push is graded by `.github/workflows/classroom.yml`; the points appear in the Actions tab.
"""
PYPROJECT = """[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "mit6s191-utils"
version = "0.1.0"
description = "Utilities and public checks for the open MIT 6.S191 (2021) labs."
requires-python = ">=3.11"
license = "MIT"
dependencies = ["numpy", "matplotlib", "tensorflow>=2.16"]

[tool.setuptools.packages.find]
include = ["mit6s191_utils*"]

[tool.setuptools.package-data]
"mit6s191_utils.data" = ["*.npz"]
"""


def _student_requirements() -> str:
    keep, lines = True, []
    for line in (REPO_ROOT / "requirements.txt").read_text().splitlines():
        if line.startswith("# The book") or line.startswith("# Tests"):
            keep = False
        elif line.startswith("# Labs"):
            keep = True
        if keep:
            lines.append(line)
    return "\n".join(lines).strip() + "\n"


def build(out: Path) -> Path:
    """Write the student bundle into ``out`` (which must not exist or be empty)."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    (out / "labs").mkdir()
    for lab_id in LAB_IDS:
        src = REPO_ROOT / get_spec(lab_id).notebook
        shutil.copy2(src, out / "labs" / src.name)
    shutil.copytree(REPO_ROOT / "mit6s191_utils", out / "mit6s191_utils", ignore=ignore)
    workflow = REPO_ROOT / ".github" / "workflows" / "classroom.yml"
    if workflow.is_file():
        (out / ".github" / "workflows").mkdir(parents=True)
        shutil.copy2(workflow, out / ".github" / "workflows" / "classroom.yml")
    (out / "README.md").write_text(STUDENT_README)
    (out / "pyproject.toml").write_text(PYPROJECT)
    (out / "requirements.txt").write_text(_student_requirements())
    (out / ".gitignore").write_text(".ipynb_checkpoints/\n__pycache__/\n*.egg-info/\n")
    return out


def _squash(text: str) -> str:
    return "".join(text.split())


def hidden_bodies(root: Path = REPO_ROOT) -> dict[str, str]:
    """``label -> whitespace-free text`` of every answer (marked block, or body of an
    unmarked function of the solutions) and every input generator's body."""
    root = Path(root)
    files = {root / "solutions" / get_spec(lab).solutions_module: None for lab in LAB_IDS}
    specs = Path(__file__).resolve().parent / "labs"
    for lab in LAB_IDS:  # the hidden checks: the generators of the hidden inputs
        for ex in get_spec(lab).exercises:
            maker = ex.make_inputs
            if maker.__name__ == "<lambda>":
                continue
            # the module that defines it (labN.py or labN_inputs.py), under ``root``
            where = Path(inspect.getsourcefile(maker)).resolve().relative_to(specs)
            files.setdefault(root / "autograder" / "labs" / where, set()).add(maker.__name__)
    bodies = {}
    for path, only in files.items():
        if not path.is_file():
            continue
        source = path.read_text()
        lines = source.splitlines()
        label = f"{path.parent.name}/{path.name}"
        marked = solution_blocks(source, label) if only is None else {}
        for name, block in marked.items():
            if len(_squash(block)) >= 12:
                bodies[f"{label}:{name}"] = _squash(block)
        done = {name.split(".")[0].split("#")[0] for name in marked}
        tree = ast.parse(source)
        for node in tree.body if only is None else ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if (only is not None and node.name not in only) or node.name in done:
                continue
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]  # the docstring may be shared with the lab's
            if not body:
                continue
            text = _squash("\n".join(lines[body[0].lineno - 1 : body[-1].end_lineno]))
            if len(text) >= 12:  # e.g. "return x" is not an answer
                bodies[f"{label}:{node.name}"] = text
    return bodies


def _texts(path: Path) -> str:
    raw = path.read_bytes().decode("utf-8", "replace")
    if path.suffix == ".ipynb":
        try:
            nb = json.loads(raw)
            raw += "\n".join(
                "".join(c.get("source", "")) if isinstance(c.get("source"), list) else c["source"]
                for c in nb.get("cells", [])
            )
        except (ValueError, KeyError, TypeError):
            pass
    return raw


def verify(out: Path) -> list[str]:
    """What is wrong with a bundle: leaked bodies, forbidden folders, stored outputs."""
    out = Path(out)
    problems = []
    bodies = hidden_bodies()
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out)
        if FORBIDDEN_DIRS & set(rel.parts[:-1]) or path.stem == "solutions":
            problems.append(f"{rel}: must not be released")
        text = _squash(_texts(path))
        for label, body in bodies.items():
            if body in text:
                problems.append(f"{rel}: contains the body of {label}")
        if path.suffix == ".ipynb":
            nb = json.loads(path.read_text())
            if any(c.get("outputs") for c in nb.get("cells", [])):
                problems.append(f"{rel}: has stored outputs (they may show answers)")
    return problems


def book_findings(root: Path = REPO_ROOT) -> set[tuple[str, str]]:
    """``(chapter, answer)`` for every answer whose text occurs in ``book/*.md``."""
    root = Path(root)
    bodies = hidden_bodies(root)
    found = set()
    for chapter in sorted((root / "book").glob("*.md")):
        text = _squash(chapter.read_text(encoding="utf-8"))
        rel = chapter.relative_to(root).as_posix()
        found |= {(rel, label) for label, body in bodies.items() if body in text}
    return found


def book_problems(root: Path = REPO_ROOT) -> list[str]:
    """Answers found in the book that :data:`BOOK_WORKED_EXAMPLES` does not accept."""
    return [
        f"{chapter}: contains the answer {label} (rewrite the example, or accept it in "
        "BOOK_WORKED_EXAMPLES in autograder/release.py with the reason)"
        for chapter, label in sorted(book_findings(root) - set(BOOK_WORKED_EXAMPLES))
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mit6s191-release", description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder for the student bundle (new or empty)")
    args = parser.parse_args(argv)
    try:
        build(args.out)
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    problems = verify(args.out) + book_problems()
    if problems:
        print("error: the bundle leaks hidden material; nothing may be published:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    files = sum(1 for p in args.out.rglob("*") if p.is_file())
    print(
        f"student bundle written to {args.out} ({files} files); checked: no solution body, "
        f"no hidden check, no outputs; the book shows only the {len(BOOK_WORKED_EXAMPLES)} "
        "worked examples accepted in BOOK_WORKED_EXAMPLES"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
