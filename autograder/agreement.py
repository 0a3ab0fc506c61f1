"""The agreement check of ``mit6s191-assign --check``: every place an exercise is written
says the same.

For a lab, :func:`check_lab` compares the notebook's exercise cells (header with number
and points, tag, metadata, stub, check cell, no stored outputs), the reference solution's
signatures, the spec's order and points, the probes (``PROBES``) and the public checks, and
regenerates the exercise cells from the authored source to see that nothing changes. It
only reads (the notebook with nbformat and ast, never running it) and returns one sentence
per disagreement, naming the lab, the exercise and the field.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import nbformat

from autograder.generate import HEADER, AuthoringError, points_text, regenerate
from autograder.inside.notebook import top_level_definitions

PROBES_DIR = Path("autograder", "inside", "probes")  # each lab's PROBES, under a root


def signature(node) -> str:
    """A function's parameters as text: names, defaults and kinds (``/``, ``*``, ``**``)."""
    a = node.args
    positional = a.posonlyargs + a.args
    defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    parts = []
    for i, (arg, default) in enumerate(zip(positional, defaults)):
        parts.append(arg.arg + ("" if default is None else "=" + ast.unparse(default)))
        if a.posonlyargs and i == len(a.posonlyargs) - 1:
            parts.append("/")
    if a.vararg:
        parts.append("*" + a.vararg.arg)
    elif a.kwonlyargs:
        parts.append("*")
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        parts.append(arg.arg + ("" if default is None else "=" + ast.unparse(default)))
    if a.kwarg:
        parts.append("**" + a.kwarg.arg)
    return "(" + ", ".join(parts) + ")"


def signatures(node) -> dict[str, str]:
    """The signature of a function, or of each method of a class (``Class.method``)."""
    if isinstance(node, ast.ClassDef):
        return {
            f"{node.name}.{m.name}": signature(m)
            for m in node.body
            if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
    return {node.name: signature(node)}


def load_module(path: Path, tag: str):
    """Import the module at ``path`` under a private name (the copy at --root, not the
    installed package)."""
    spec = importlib.util.spec_from_file_location(f"_mit6s191_assign_{tag}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stub_messages(node) -> list[str | None]:
    """The message of every ``raise NotImplementedError(...)`` in ``node`` (None: none)."""
    out = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Raise) and sub.exc is not None:
            exc = sub.exc
            func = exc.func if isinstance(exc, ast.Call) else exc
            if isinstance(func, ast.Name) and func.id == "NotImplementedError":
                args = exc.args if isinstance(exc, ast.Call) else []
                first = args[0] if args else None
                out.append(
                    first.value
                    if isinstance(first, ast.Constant) and isinstance(first.value, str)
                    else None
                )
    return out


def _exercise_cells(nb) -> list[dict]:
    """Every cell that claims to be an exercise (header, tag or metadata), in order."""
    cells = []
    code = [c for c in nb.cells if c.cell_type == "code"]
    for i, cell in enumerate(code):
        first = cell.source.splitlines()[0] if cell.source else ""
        meta = cell.metadata.get("mit6s191", {})
        tagged = "exercise" in cell.metadata.get("tags", [])
        header = HEADER.match(first)
        if not (header or tagged or "exercise" in meta or first.startswith("# ✏️")):
            continue
        nxt = code[i + 1].source.strip() if i + 1 < len(code) else None
        cells.append(
            {"cell": cell, "header": header, "first": first, "meta": meta, "tagged": tagged,
             "next": nxt}
        )  # fmt: skip
    return cells


def check_lab(root: Path, lab_id: str) -> list[str]:
    """Every disagreement found in lab ``lab_id`` under ``root``, one sentence each."""
    problems: list[str] = []

    def say(where: str, text: str) -> None:
        problems.append(f"{lab_id}: {where}: {text}")

    spec_path = root / "autograder" / "labs" / f"{lab_id}.py"
    try:
        spec = load_module(spec_path, f"spec_{lab_id}").SPEC
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return [f"{lab_id}: spec: {spec_path} cannot be loaded ({type(exc).__name__}: {exc})"]
    spec_names = [ex.name for ex in spec.exercises]
    spec_points = {ex.name: ex.points for ex in spec.exercises}

    def ex_label(name: str) -> str:
        if name in spec_names:
            return f"exercise {spec_names.index(name) + 1} {name}"
        return f"exercise {name}"

    # --- the notebook -------------------------------------------------------------------
    nb_path = root / spec.notebook
    try:
        nb = nbformat.read(nb_path, as_version=4)
    except Exception as exc:  # noqa: BLE001
        return problems + [f"{lab_id}: notebook: {nb_path} cannot be read ({exc})"]
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            say("notebook", f"cell {index} stores outputs; ship the notebook without outputs")

    solution_path = root / "solutions" / spec.solutions_module
    try:
        solution_defs = top_level_definitions(ast.parse(solution_path.read_text()))
    except (OSError, SyntaxError) as exc:
        say("solutions", f"{solution_path} cannot be parsed ({exc})")
        solution_defs = {}

    nb_names = []
    for position, found in enumerate(_exercise_cells(nb), start=1):
        header, meta, cell = found["header"], found["meta"], found["cell"]
        name = header["name"] if header else meta.get("exercise") or f"#{position}"
        nb_names.append(name)
        where = f"exercise {position} {name}"
        if not header:
            say(where, f"the header {found['first']!r} is not '# ✏️ EXERCISE n — name  [p points]'")
        elif int(header["n"]) != position:
            say(where, f"the header numbers it {header['n']}, its position is {position}")
        if not found["tagged"]:
            say(where, "the cell is not tagged 'exercise'")
        if "exercise" not in meta or "points" not in meta:
            say(where, 'the cell metadata lacks {"mit6s191": {"exercise": ..., "points": ...}}')
        elif meta["exercise"] != name:
            say(where, f"the metadata names it {meta['exercise']!r}, the header {name!r}")
        if header and "points" in meta and float(meta["points"]) != float(header["points"]):
            say(
                where,
                f"the metadata says {points_text(meta['points'])}, "
                f"the header {points_text(header['points'])}",
            )
        if header and name in spec_points and float(header["points"]) != spec_points[name]:
            say(
                where,
                f"the notebook says {points_text(header['points'])}, "
                f"the spec {points_text(spec_points[name])}",
            )
        want_check = f"checks.{name}({name});"
        if found["next"] != want_check:
            say(where, f"the next code cell is not its check cell {want_check!r}")
        try:
            tree = ast.parse(cell.source)
        except SyntaxError as exc:
            say(where, f"the cell is not valid Python ({exc.msg}, line {exc.lineno})")
            continue
        node = top_level_definitions(tree).get(name)
        if node is None:
            say(where, f"the cell defines no top-level function or class {name!r}")
            continue
        messages = _stub_messages(node)
        if not messages:
            say(where, "the stub does not raise NotImplementedError")
        stem = f"Exercise {position}: {name}"
        for message in messages:
            if message is None or not (message == stem or message.startswith(stem + ".")):
                say(where, f"the stub's message is {message!r}, expected {stem!r}")
        reference = solution_defs.get(name)
        if reference is None:
            say(where, f"{solution_path.name} defines no {name}")
            continue
        mine, theirs = signatures(node), signatures(reference)
        for key, sig in mine.items():
            if key not in theirs:
                say(where, f"the notebook's {key}{sig} has no counterpart in the solution")
            elif theirs[key] != sig:
                say(where, f"the signature differs: the notebook has {key}{sig}, the solution "
                           f"{key}{theirs[key]}")  # fmt: skip

    # --- the same exercises, in the same order, everywhere ------------------------------
    probes = root / PROBES_DIR / f"{lab_id}.py"
    try:
        probe_names = list(load_module(probes, lab_id).PROBES)
    except Exception as exc:  # noqa: BLE001
        say("probes", f"PROBES cannot be loaded ({type(exc).__name__}: {exc})")
        probe_names = None
    checks_path = root / "mit6s191_utils" / "checks" / f"{lab_id}.py"
    try:
        check_names = [
            n
            for n in top_level_definitions(ast.parse(checks_path.read_text()))
            if not n.startswith("_")
        ]
    except (OSError, SyntaxError) as exc:
        say("public checks", f"{checks_path} cannot be parsed ({exc})")
        check_names = None

    for place, names in (
        ("the notebook", nb_names),
        (f"PROBES in {probes.relative_to(root)}", probe_names),
        (f"mit6s191_utils.checks.{lab_id}", check_names),
    ):
        if names is None:
            continue
        for name in spec_names:
            if name not in names:
                say(ex_label(name), f"name: the spec has it, {place} lacks it")
        for position, name in enumerate(names, start=1):
            if name not in spec_names:
                say(f"exercise {position} {name}", f"name: {place} has it, the spec lacks it")
        common = [n for n in names if n in spec_names]
        spec_common = [n for n in spec_names if n in names]
        if common != spec_common:
            for got, want in zip(common, spec_common):
                if got != want:
                    say(
                        f"exercise {spec_names.index(want) + 1} {want}",
                        f"order: {place} has {got} in its place (the spec's order is "
                        f"{', '.join(spec_names)})",
                    )
                    break

    # --- generated from the authored source --------------------------------------------
    try:
        _, stored, fresh = regenerate(root, lab_id, spec)
    except (AuthoringError, OSError, SyntaxError) as exc:
        say("generation", str(exc))
    else:
        if fresh != stored:
            old, new = (
                {_name(c): c.source for c in nbformat.reads(t, as_version=4).cells if _name(c)}
                for t in (stored, fresh)
            )
            changed = [n for n in spec_names if old.get(n) != new.get(n)] or ["other cells"]
            say(
                "notebook",
                f"regenerating it from solutions/{spec.solutions_module} changes "
                f"{', '.join(changed)}; run 'mit6s191-assign {lab_id}' (or fix the solution)",
            )
    return problems


def _name(cell) -> str | None:
    meta = cell.metadata.get("mit6s191", {}) if cell.cell_type == "code" else {}
    return meta.get("exercise") if isinstance(meta, dict) else None
