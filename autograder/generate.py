"""The students' exercise cells, generated from the authored source of each exercise.

The authored source of an exercise is its definition in ``solutions/labN.py``: signature,
docstring (the student's contract), any scaffold, and the answer between
``# BEGIN SOLUTION`` and ``# END SOLUTION`` lines (as in otter-grader's ``otter assign``).
:func:`generate` turns it into the notebook's exercise cell (header with number and points
from the spec, tag, metadata, a stub for each block); ``mit6s191-assign`` runs it, and
the release's leak search looks for each block (:func:`solution_blocks`).
"""

from __future__ import annotations

import ast
import hashlib
import re
from pathlib import Path

import nbformat

from autograder.inside.notebook import top_level_definitions

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
HEADER = re.compile(
    r"^# ✏️ EXERCISE (?P<n>\d+) — (?P<name>\S+)\s+\[(?P<points>\d+(?:\.\d+)?) points?\]\s*$"
)


class AuthoringError(ValueError):
    """The authored source cannot be turned into exercise cells (the message says why)."""


def points_text(points) -> str:
    """``1 point``, ``2 points``, ``1.5 points``."""
    text = f"{float(points):g}"
    return f"{text} point" if float(points) == 1 else f"{text} points"


def _plain_points(points):
    return int(points) if float(points).is_integer() else float(points)


def _blocks(lines: list[str], node, where: str):
    """The lines of definition ``node`` (its trailing comments included) as
    ``(lineno, line, block)``: ``block`` is None outside an answer, else
    ``(qualname, indent, answer lines)`` once per block, on its ``# END SOLUTION`` line."""
    start = min([node.lineno] + [d.lineno for d in node.decorator_list])
    end = node.end_lineno  # then the indented comments after the last statement
    while end < len(lines) and lines[end].startswith((" ", "\t")) and lines[end].strip()[:1] == "#":
        end += 1
    methods = [m for m in node.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))]
    begun = None
    for lineno in range(start, end + 1):
        line = lines[lineno - 1]
        if line.strip() == BEGIN:
            if begun is not None:
                raise AuthoringError(f"{where}: line {lineno}: {BEGIN} inside another block")
            begun = (lineno, line[: len(line) - len(line.lstrip())], [])
        elif line.strip() == END:
            if begun is None:
                raise AuthoringError(f"{where}: line {lineno}: {END} without {BEGIN}")
            qualname = node.name
            if isinstance(node, ast.ClassDef):
                method = next((m for m in methods if m.lineno <= begun[0] <= m.end_lineno), None)
                if method is None:
                    raise AuthoringError(
                        f"{where}: line {begun[0]}: a solution block of class {node.name} "
                        "must be inside a method"
                    )
                qualname = f"{node.name}.{method.name}"
            yield lineno, line, (qualname, begun[1], begun[2])
            begun = None
        elif begun is not None:
            begun[2].append(line)
        else:
            yield lineno, line, None
    if begun is not None:
        raise AuthoringError(f"{where}: line {begun[0]}: {BEGIN} without {END}")


def solution_blocks(source: str, where: str = "solutions") -> dict[str, str]:
    """The answers marked in ``source``: ``qualname`` (``#2``… for a second block in the
    same function) -> the text between ``# BEGIN SOLUTION`` and ``# END SOLUTION``."""
    lines = source.splitlines()
    out: dict[str, str] = {}
    for node in top_level_definitions(ast.parse(source)).values():
        for _, _, block in _blocks(lines, node, where):
            if block is not None:
                label, n = block[0], 1
                while label in out:
                    n += 1
                    label = f"{block[0]}#{n}"
                out[label] = "\n".join(block[2])
    return out


def stub_source(solution_source: str, name: str, number: int, where: str = "solutions") -> str:
    """The student's version of definition ``name`` of ``solution_source``: its signature,
    docstring and scaffold, each ``# BEGIN SOLUTION`` … ``# END SOLUTION`` block replaced by
    a stub that raises ``NotImplementedError("Exercise n: name")`` (``name.method`` in a
    class)."""
    node = top_level_definitions(ast.parse(solution_source)).get(name)
    if node is None:
        raise AuthoringError(f"{where}: no top-level function or class {name!r}")
    if ast.get_docstring(node) is None:
        raise AuthoringError(
            f"{where}: {name} has no docstring; write the student's contract there "
            "(inputs, outputs, shapes)"
        )
    out, blocks = [], 0
    for _, line, block in _blocks(solution_source.splitlines(), node, where):
        if block is None:
            out.append(line)
            continue
        qualname, indent, _ = block
        out += [
            f"{indent}# --- your code here ---",
            f'{indent}raise NotImplementedError("Exercise {number}: {qualname}")',
            f"{indent}# --- end of your code ---",
        ]
        blocks += 1
    if not blocks:
        raise AuthoringError(
            f"{where}: {name} marks no answer; put it between '{BEGIN}' and '{END}' lines"
        )
    return "\n".join(out)


def exercise_cell_source(solution_source: str, name: str, number: int, points, where="") -> str:
    """The whole exercise cell: the header line, then the stubbed definition."""
    header = f"# ✏️ EXERCISE {number} — {name}  [{points_text(points)}]"
    return header + "\n" + stub_source(solution_source, name, number, where or "solutions")


def _cell_id(nb, lab_id: str, name: str, kind: str) -> str:
    taken = {c.get("id") for c in nb.cells}
    for salt in range(1000):
        cid = hashlib.sha256(f"{lab_id}:{name}:{kind}:{salt}".encode()).hexdigest()[:8]
        if cid not in taken:
            return cid
    raise AuthoringError("no free cell id")  # pragma: no cover


def _defines(cell, name: str) -> bool:
    try:
        return name in top_level_definitions(ast.parse(cell.source))
    except SyntaxError:
        return False


def _exercise_name(cell) -> str | None:
    """The exercise a code cell holds (its metadata, else its header), or None."""
    if cell.cell_type != "code":
        return None
    meta = cell.metadata.get("mit6s191", {})
    if isinstance(meta, dict) and meta.get("exercise"):
        return str(meta["exercise"])
    first = cell.source.splitlines()[0] if cell.source else ""
    header = HEADER.match(first)
    if header:
        return header["name"]
    return None


def generate(nb, lab_id: str, exercises, solution_source: str, where: str = "solutions"):
    """A copy of notebook ``nb`` with every exercise cell generated from the authored source.

    ``exercises``: ``(name, points)`` in the spec's order (numbered from 1). An existing
    exercise cell is rewritten in place (source, tag ``exercise``, metadata
    ``{"mit6s191": {"exercise", "points"}}``; other metadata, its id and every other cell
    stay as they are) and gets its check cell ``checks.<name>(<name>);`` after it if the
    next code cell does not call it. A new exercise is inserted, with its check cell, after
    the first markdown cell that names it in backticks (`` `name` ``) past the previous
    exercise, else after the previous exercise's check cell. An exercise cell the spec
    does not list, or another code cell defining an exercise's name, is an error: the
    generator never deletes or overwrites an author's cell.
    """
    nb = nbformat.from_dict(nb)
    wanted = [name for name, _ in exercises]
    strays = [
        name
        for name in (_exercise_name(c) for c in nb.cells)
        if name is not None and name not in wanted
    ]
    if strays:
        raise AuthoringError(
            f"{lab_id}: the notebook has exercise cells the spec does not list "
            f"({', '.join(strays)}): add them to the spec or delete their cells"
        )
    after = -1  # index of the last cell of the previous exercise (its check cell)
    for number, (name, points) in enumerate(exercises, start=1):
        source = exercise_cell_source(solution_source, name, number, points, where)
        index = next((i for i, c in enumerate(nb.cells) if _exercise_name(c) == name), None)
        if index is None:
            index = next(
                (
                    i
                    for i, c in enumerate(nb.cells)
                    if "exercise" in c.metadata.get("tags", []) and _defines(c, name)
                ),
                None,
            )
        clash = next(
            (i for i, c in enumerate(nb.cells) if i != index and c.cell_type == "code"
             and _defines(c, name)),
            None,
        )  # fmt: skip
        if clash is not None:
            raise AuthoringError(
                f"{lab_id}: code cell {clash} defines {name} too, and is not its exercise "
                "cell: rename that definition (the generator never overwrites an author's cell)"
            )
        if index is None:
            nxt = next(
                (i for i, c in enumerate(nb.cells) if i > after and _exercise_name(c)),
                len(nb.cells),
            )
            mention = next(
                (
                    i
                    for i in range(after + 1, nxt)
                    if nb.cells[i].cell_type == "markdown" and f"`{name}`" in nb.cells[i].source
                ),
                None,
            )
            index = (mention if mention is not None else after) + 1
            cell = nbformat.v4.new_code_cell("")
            cell["id"] = _cell_id(nb, lab_id, name, "exercise")
            nb.cells.insert(index, cell)
        cell = nb.cells[index]
        cell.source = source
        cell.outputs, cell.execution_count = [], None
        tags = list(cell.metadata.get("tags", []))
        cell.metadata["mit6s191"] = {"exercise": name, "points": _plain_points(points)}
        cell.metadata["tags"] = tags if "exercise" in tags else tags + ["exercise"]
        check = f"checks.{name}({name});"
        nxt = next((i for i in range(index + 1, len(nb.cells)) if nb.cells[i].cell_type == "code"),
                   None)  # fmt: skip
        if nxt is not None and f"checks.{name}(" in nb.cells[nxt].source:
            after = nxt
        else:
            cell = nbformat.v4.new_code_cell(check)
            cell["id"] = _cell_id(nb, lab_id, name, "check")
            nb.cells.insert(index + 1, cell)
            after = index + 1
    return nb


def notebook_text(nb) -> str:
    """A notebook as the repository stores it (nbformat's JSON and a final newline)."""
    return nbformat.writes(nb) + "\n"


def regenerate(root: Path, lab_id: str, spec) -> tuple[Path, str, str]:
    """``(notebook path, stored text, regenerated text)`` of lab ``lab_id`` under ``root``."""
    path = root / spec.notebook
    solution = root / "solutions" / spec.solutions_module
    stored = path.read_text(encoding="utf-8")
    exercises = [(ex.name, ex.points) for ex in spec.exercises]
    nb = generate(
        nbformat.reads(stored, as_version=4),
        lab_id,
        exercises,
        solution.read_text(encoding="utf-8"),
        where=f"solutions/{solution.name}",
    )
    return path, stored, notebook_text(nb)
