"""Reading submissions and cutting out the student's exercise code."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024  # a lab notebook is well under 1 MB


class SubmissionError(ValueError):
    """The submission file cannot be read as a notebook; the message says how to fix it."""


@dataclass
class ExerciseSource:
    """The code taken from the notebook for one exercise (or why there is none)."""

    name: str
    code: str | None  # None: not found
    cell_index: int | None = None
    syntax_error: str | None = None


def read_code_cells(path: str | Path) -> list[str]:
    """The source of every code cell of a notebook, in order. Never modifies the file."""
    path = Path(path)
    if not path.is_file():
        raise SubmissionError(f"{path} is not a file")
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        raise SubmissionError(
            f"{path.name} is {size / 2**20:.0f} MB; a lab notebook is far smaller. Clear the "
            "outputs (Edit > Clear Outputs of All Cells), save, and submit again."
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionError(
            f"{path.name} is not UTF-8 text (byte {exc.start}): it is not a Jupyter notebook "
            "file, or it was damaged. Download it again from JupyterLab (File > Download)."
        ) from exc
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SubmissionError(
            f"{path.name} is not valid notebook JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}); the file may be truncated. Re-save it in JupyterLab and submit again."
        ) from exc
    if not isinstance(nb, dict):
        raise SubmissionError(f"{path.name} is JSON but not a notebook (no cells)")
    cells = nb.get("cells")
    if cells is None and isinstance(nb.get("worksheets"), list):  # nbformat 3
        cells = [c for ws in nb["worksheets"] if isinstance(ws, dict) for c in ws.get("cells", [])]
        key = "input"
    else:
        key = "source"
    if not isinstance(cells, list):
        raise SubmissionError(f"{path.name} is JSON but not a notebook (no cells)")
    sources = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        src = cell.get(key, "")
        if isinstance(src, list):
            src = "".join(s for s in src if isinstance(s, str))
        if isinstance(src, str):
            sources.append(src)
    return sources


def _to_python(cell: str) -> str:
    """Turn IPython syntax (magics, !shell) into plain Python the way IPython does."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(cell)
    except Exception:
        return cell


_KEEP = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def extract_exercises(cells: list[str], names: list[str]) -> dict[str, ExerciseSource]:
    """For each exercise name, the code of the last cell that defines it at top level.

    Only imports, function and class definitions and plain constant assignments are kept
    from that cell: whatever else it does (training runs, prints, checks) is not graded.
    """
    found: dict[str, ExerciseSource] = {n: ExerciseSource(n, None) for n in names}
    for index, cell in enumerate(cells):
        code = _to_python(cell)
        try:
            tree = ast.parse(code)
        except SyntaxError as exc:
            for name in names:
                if re.search(rf"^\s*(def|class)\s+{re.escape(name)}\b", cell, re.M):
                    found[name] = ExerciseSource(name, None, index, f"line {exc.lineno}: {exc.msg}")
            continue
        defined = {
            node.name
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        }
        wanted = defined & set(names)
        if not wanted:
            continue
        kept = [
            node
            for node in tree.body
            if isinstance(node, _KEEP)
            or (
                isinstance(node, (ast.Assign, ast.AnnAssign))
                and isinstance(getattr(node, "value", None), ast.Constant)
            )
        ]
        # Keep the kept statements at their own line numbers (blank lines elsewhere), so
        # feedback that says "line N" points at line N of the student's cell.
        lines = code.splitlines()
        out = [""] * len(lines)
        for node in kept:
            decorators = getattr(node, "decorator_list", [])
            start = min([node.lineno] + [d.lineno for d in decorators])
            out[start - 1 : node.end_lineno] = lines[start - 1 : node.end_lineno]
        snippet = "\n".join(out) + "\n"
        for name in wanted:
            found[name] = ExerciseSource(name, snippet, index)
    return found
