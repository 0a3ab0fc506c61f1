"""Every public check passes its exercise's reference solution, reports the generated stub
as not attempted (never as a failure), and a training step that does not train fails."""

from __future__ import annotations

import importlib

import pytest

from autograder.authoring import solution_sources
from autograder.labs import LAB_IDS, get_spec
from autograder.solutions import load_solutions
from mit6s191_utils.checks import FAILED, NOT_ATTEMPTED, PASSED

EXERCISES = [(lab, ex.name) for lab in LAB_IDS for ex in get_spec(lab).exercises]


@pytest.mark.parametrize(("lab_id", "name"), EXERCISES, ids=[f"{a}-{b}" for a, b in EXERCISES])
def test_public_check_passes_the_reference_and_not_the_stub(lab_id, name, capsys):
    checks = importlib.import_module(f"mit6s191_utils.checks.{lab_id}")
    reference = getattr(load_solutions(get_spec(lab_id)), name)
    assert getattr(checks, name)(reference) is True, capsys.readouterr().out
    assert capsys.readouterr().out.startswith(f"{PASSED} {name}: passes")

    def stub(*args, **kwargs):
        raise NotImplementedError(f"Exercise: {name}")

    assert getattr(checks, name)(stub) is False
    assert capsys.readouterr().out.startswith(f"{NOT_ATTEMPTED} {name}: not attempted")


def test_a_training_step_that_does_not_apply_the_gradients_fails(capsys):
    from mit6s191_utils.checks import lab1

    code = solution_sources("lab1")["train_step"].replace(
        "optimizer.apply_gradients(zip(grads, model.trainable_variables))", "pass"
    )
    namespace: dict = {}
    exec("import tensorflow as tf\n" + code, namespace)  # noqa: S102 - our own reference
    assert lab1.train_step(namespace["train_step"]) is False
    out = capsys.readouterr().out
    assert out.startswith(f"{FAILED} train_step: the weights did not change"), out


def test_labcheck_still_serves_notebooks_handed_out_before_the_move():
    """Old lab notebooks import require and summary from mit6s191_utils.labcheck (and the
    grader runs a submission's imports): the same objects, one status table."""
    from mit6s191_utils import checks, labcheck

    for name in ("require", "summary", "check", "passed", "assert_close", "dtype_problem"):
        assert getattr(labcheck, name) is getattr(checks, name)
