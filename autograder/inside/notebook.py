"""Reading a submission, and turning its code cells into the program the grader runs.

Two halves, run in two places:

- :func:`read_code_cells` runs in the grading process. It only reads the notebook's JSON
  (size capped first; nesting is bounded by ``json``'s scanner, which stops at the
  interpreter's recursion limit: reported as the file's fault) and returns the cells' text
  untouched.
- Everything else (:func:`cell_to_python`, :func:`plan_cells`, :func:`dependencies`) turns
  untrusted text into code: IPython's line syntax and ``ast`` parsing. It runs
  inside the isolated runner (``autograder/inside/runner.py``), under the runner's time and memory
  limits, so a notebook built to make parsing slow or huge costs only its own grade.

The execution model (what "the grader runs what the notebook runs" means):

- An *exercise cell* is a code cell that defines an exercise's name at top level (``def``,
  ``class`` or an assignment). It runs **whole**, every top-level statement in order, as it
  would in the notebook: helper objects such as ``mse = keras.losses.MeanSquaredError()``
  or ``layers = keras.layers``, tuples, ``try: import ...``, prints.
- Every other code cell contributes only its *definitions*: imports, ``def`` and
  ``class`` statements (helpers the student added). Its other statements (training runs,
  plots, the lab's checks) are not run.
- Cells run in notebook order in one namespace, after the lab's preamble; each exercise is
  probed right after the last cell that defines it, so it sees what the notebook's check
  cell would see (including the student's other exercises it calls).
- A cell magic on the first line: ``%%time``, ``%%capture`` and the like run the cell's
  body; any other (``%%bash``, ``%%writefile``, ...) means the cell is not Python and is
  skipped. Line magics and ``!shell`` lines do nothing (``%time statement`` runs it).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024  # a lab notebook is well under 1 MB
# Cell magics whose body is the cell's own Python code (run once, like the notebook does).
PYTHON_CELL_MAGICS = ("time", "timeit", "capture", "prun", "debug")


class SubmissionError(ValueError):
    """The submission file cannot be read as a notebook; the message says how to fix it."""


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
    except RecursionError as exc:  # json's scanner stops at the interpreter's depth limit
        raise SubmissionError(
            f"{path.name} nests its JSON more deeply than any notebook does: it is not a "
            "Jupyter notebook as JupyterLab saves it. Re-save it in JupyterLab (File > "
            "Download) and submit again."
        ) from exc
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


# --- runner side: untrusted text to code (run inside the sandbox) --------------------------


def cell_to_python(cell: str) -> str | None:
    """The plain Python a notebook runs for ``cell`` (None: the cell is not Python).

    A first-line ``%%time`` (and the other :data:`PYTHON_CELL_MAGICS`) is blanked so the
    body runs with its own line numbers; other cell magics mean another language. A cell
    that is already Python is returned as it is. Otherwise IPython's line syntax is
    turned into Python line by line, in linear time (IPython's own transformer takes
    minutes on a cell of a few thousand ``!`` lines): a line magic or ``!shell`` line
    becomes ``pass`` (``%time statement`` becomes the statement), ``name?`` too.
    """
    first, newline, rest = cell.partition("\n")
    if first.startswith("%%"):
        magic = first[2:].split(maxsplit=1)
        if not magic or magic[0] not in PYTHON_CELL_MAGICS:
            return None
        cell = newline + rest
    try:
        ast.parse(cell)
        return cell
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        pass
    out = []
    for line in cell.split("\n"):
        code = line.lstrip()
        indent = line[: len(line) - len(code)]
        if code.startswith("%time "):
            line = indent + code[6:]
        elif code.startswith(("!", "%")) or (code.endswith("?") and not code.startswith("#")):
            line = indent + "pass"
        out.append(line)
    return "\n".join(out)


DEFINITION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def top_level_definitions(code: str | ast.Module) -> dict[str, ast.stmt]:
    """Each top-level function and class of ``code`` (source or a parsed module), by name;
    where a name is defined twice, the last definition (the one that stays bound)."""
    tree = ast.parse(code) if isinstance(code, str) else code
    return {node.name: node for node in tree.body if isinstance(node, DEFINITION_NODES)}


def _defined_names(node: ast.stmt) -> list[str]:
    """Names a top-level statement binds that can define an exercise."""
    if isinstance(node, DEFINITION_NODES):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and node.value is not None:
        return [node.target.id] if isinstance(node.target, ast.Name) else []
    return []


_DEFINITIONS = (ast.Import, ast.ImportFrom, *DEFINITION_NODES)


@dataclass
class CellPlan:
    """What the runner does with one code cell."""

    index: int  # among the notebook's code cells
    kind: str  # "exercise" (run whole) | "other" (its definitions only) | "skip"
    defines: list[str] = field(default_factory=list)  # exercise names it defines
    statements: list[ast.stmt] = field(default_factory=list)  # what runs, in order
    syntax_error: str = ""  # "line N: message" when the cell is not valid Python


def _scan_defines(cell: str, names: set[str]) -> list[str]:
    """Exercise names a cell seems to define (``def name`` / ``class name`` at a line's
    start), for a cell that does not parse. Linear: no regular expression."""
    found = []
    for line in cell.splitlines():
        for keyword in ("def ", "class "):
            if line.startswith(keyword):
                rest = line[len(keyword) :].lstrip()
                ident = rest.split("(", 1)[0].split(":", 1)[0].strip()
                if ident in names and ident not in found:
                    found.append(ident)
    return found


def plan_cells(cells: list[str], names: list[str]) -> list[CellPlan]:
    """A plan per code cell: which exercises it defines and which statements run."""
    wanted = set(names)
    plans = []
    for index, cell in enumerate(cells):
        code = cell_to_python(cell)
        if code is None:
            plans.append(CellPlan(index, "skip"))
            continue
        try:
            tree = ast.parse(code)
        except (SyntaxError, ValueError) as exc:
            where = f"line {exc.lineno}: " if getattr(exc, "lineno", None) else ""
            msg = getattr(exc, "msg", None) or str(exc)
            plans.append(CellPlan(index, "skip", _scan_defines(cell, wanted), [], where + msg))
            continue
        defines = []
        for node in tree.body:
            defines += [n for n in _defined_names(node) if n in wanted and n not in defines]
        if defines:
            plans.append(CellPlan(index, "exercise", defines, list(tree.body)))
        else:
            kept = [node for node in tree.body if isinstance(node, _DEFINITIONS)]
            plans.append(CellPlan(index, "other" if kept else "skip", [], kept))
    return plans


def last_cells(plans: list[CellPlan], names: list[str]) -> dict[str, int]:
    """For each exercise defined somewhere, the index of the last cell that defines it."""
    out: dict[str, int] = {}
    for plan in plans:
        for name in plan.defines:
            if name in names:
                out[name] = plan.index
    return out


def dependencies(plans: list[CellPlan], names: list[str]) -> dict[str, list[str]]:
    """For each exercise, the other exercises its definition calls, directly or through
    helper functions and classes defined in the notebook (by name, as written)."""
    defs: dict[str, list[ast.stmt]] = {}
    for plan in plans:
        for node in plan.statements:
            for name in _defined_names(node):
                defs[name] = [node]  # the last definition wins, as in the notebook
    wanted = set(names)

    def referenced(nodes):
        return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name)}

    out = {}
    for name in names:
        seen, todo, calls = {name}, list(referenced(defs.get(name, []))), []
        while todo:
            ref = todo.pop()
            if ref in seen:
                continue
            seen.add(ref)
            if ref in wanted:
                calls.append(ref)
            elif ref in defs:
                todo.extend(referenced(defs[ref]))
        out[name] = sorted(calls, key=names.index)
    return out
