"""Judge one exercise's code the way the grader does, in this process (no sandbox: fast).

The code runs after the lab's preamble and the reference code of the lab's other
exercises, in notebook order, as it would in a notebook where everything else is solved.
It is then probed on every case the grading spec draws for a seed (``make_inputs`` returns
one dict or a list of them), the reference on the same cases, and compared with the
grader's own comparison. The public check of the exercise is run on the same code, so a
test can require the two to agree.
"""

from __future__ import annotations

import contextlib
import functools
import io
from dataclasses import dataclass

import numpy as np

from autograder.authoring import solution_sources
from autograder.compare import compare
from autograder.inside import notebook, runner
from autograder.inside.protocol import plain
from autograder.labs import get_spec
from autograder.solutions import load_solutions


@dataclass
class Verdict:
    status: str  # passed | wrong | error | not attempted
    message: str = ""


def cases(lab_id: str, name: str, seed: int) -> list[dict[str, np.ndarray]]:
    made = get_spec(lab_id).exercise(name).make_inputs(np.random.default_rng(seed))
    return list(made) if isinstance(made, (list, tuple)) else [made]


def namespace(lab_id: str, name: str, code: str) -> dict:
    """The namespace a notebook would have: preamble, then every exercise cell in order,
    exercise ``name`` replaced by ``code``, each cell run the way the grader's runner runs
    it (the same functions: a cell magic on the first line, helper statements, ...)."""
    spec = get_spec(lab_id)
    refs = solution_sources(lab_id)
    names = [ex.name for ex in spec.exercises]
    sources = [code if ex.name == name else refs[ex.name] for ex in spec.exercises]
    ns, shell_file = runner.new_namespace(spec.preamble)
    for plan in notebook.plan_cells(sources, names):
        if plan.syntax_error:
            raise SyntaxError(plan.syntax_error)
        runner.run_cell(plan, ns, shell_file)
    return ns


@functools.cache
def reference_outputs(lab_id: str, name: str, seed: int) -> tuple[dict[str, np.ndarray], ...]:
    """The reference's outputs on every case of ``seed`` (computed once per test session:
    the cases are a function of the seed)."""
    spec = get_spec(lab_id)
    ex = spec.exercise(name)
    reference = getattr(load_solutions(spec), name)
    return tuple(
        {k: plain(v) for k, v in ex.probe(reference, case).items()}
        for case in cases(lab_id, name, seed)
    )


def judge(lab_id: str, name: str, code: str, seed: int) -> Verdict:
    """The grader's verdict on ``code`` for exercise ``name`` under ``seed``."""
    spec = get_spec(lab_id)
    ex = spec.exercise(name)
    try:
        impl = namespace(lab_id, name, code)[name]
    except NotImplementedError:
        return Verdict("not attempted")
    except Exception as exc:  # noqa: BLE001
        return Verdict("error", f"{type(exc).__name__}: {exc}")
    for case, want in zip(cases(lab_id, name, seed), reference_outputs(lab_id, name, seed)):
        try:
            got = {k: plain(v) for k, v in ex.probe(impl, case).items()}
        except NotImplementedError:
            return Verdict("not attempted")
        except Exception as exc:  # noqa: BLE001
            return Verdict("error", f"{type(exc).__name__}: {exc}")
        problem = compare(ex, got, want)
        if problem:
            return Verdict("wrong", problem)
    return Verdict("passed")


def public_check(lab_id: str, name: str, code: str) -> tuple[bool, str]:
    """Whether the lab's public check for ``name`` passes on ``code``, and what it printed."""
    import importlib

    checks = importlib.import_module(f"mit6s191_utils.checks.{lab_id}")
    fn = getattr(checks, name, None)
    if fn is None:
        raise AssertionError(f"mit6s191_utils.checks.{lab_id} has no check for {name}")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            impl = namespace(lab_id, name, code)[name]
        except Exception as exc:  # noqa: BLE001 - the notebook cell itself fails
            return False, f"the cell raises {type(exc).__name__}: {exc}"
        ok = bool(fn(impl))
    return ok, out.getvalue().strip()
