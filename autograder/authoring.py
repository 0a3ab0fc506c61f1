"""Instructor tools: reference (or deliberately wrong) code put into a lab notebook.

The reverse of :mod:`autograder.generate` (which makes the students' exercise cells from
the authored source): used by the tests to check every lab is solvable, and by
instructors to preview a solved lab:
``python -m autograder.authoring labs/lab1_....ipynb solved.ipynb``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import nbformat

from autograder.inside.notebook import top_level_definitions
from autograder.labs import get_spec, guess_lab
from autograder.solutions import REPO_ROOT, load_solutions


def definitions(source: str) -> dict[str, str]:
    """The source of each top-level function and class in ``source``, by name."""
    lines = source.splitlines()
    out = {}
    for name, node in top_level_definitions(source).items():
        start = min([node.lineno] + [d.lineno for d in node.decorator_list])
        out[name] = "\n".join(lines[start - 1 : node.end_lineno])
    return out


def solution_sources(lab_id: str, solutions_dir: Path | None = None) -> dict[str, str]:
    """The reference code of every exercise of a lab."""
    spec = get_spec(lab_id)
    module = load_solutions(spec, solutions_dir)
    defs = definitions(Path(module.__file__).read_text())
    return {ex.name: defs[ex.name] for ex in spec.exercises}


def replace_exercises(nb, replacements: dict[str, str]):
    """A copy of notebook ``nb`` whose exercise cells hold the given code instead."""
    nb = nbformat.from_dict(nb)
    todo = dict(replacements)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for name in top_level_definitions(tree):
            if name in todo:
                header = cell.source.splitlines()[0] if cell.source.startswith("#") else ""
                code = todo.pop(name)
                if code.startswith("%%"):  # a cell magic stays on the first line (Jupyter)
                    magic, _, code = code.partition("\n")
                    header = magic + ("\n" + header if header else "")
                cell.source = (header + "\n" if header else "") + code
    if todo:
        raise ValueError(f"no exercise cell defines {sorted(todo)}")
    return nb


def solved_notebook(lab_id: str, wrong: dict[str, str] | None = None):
    """The shipped lab with every exercise solved (and those in ``wrong`` replaced)."""
    spec = get_spec(lab_id)
    nb = nbformat.read(REPO_ROOT / spec.notebook, as_version=4)
    code = solution_sources(lab_id)
    code.update(wrong or {})
    return replace_exercises(nb, code)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m autograder.authoring LAB_NOTEBOOK OUTPUT_NOTEBOOK")
        return 2
    lab_id = guess_lab(Path(argv[0]).name)
    nbformat.write(solved_notebook(lab_id), argv[1])
    print(f"wrote {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
