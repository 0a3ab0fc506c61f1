"""Every correct alternative earns full marks and every plausible wrong variant loses its
points, on every seed tried; and the lab's public check agrees with the grader on each.

The corpora are data (``tests/corpus/labN.py``: ``CORRECT`` and ``WRONG``, written the way
students write them, not copied from the solutions). Judged in this process with the
grader's own inputs, probes and comparison (``tests/corpus/harness.py``); one notebook per
lab made of the first correct alternative of every exercise is also graded end to end,
through the sandbox.
"""

from __future__ import annotations

import importlib

import nbformat
import pytest
from corpus import harness

from autograder import grade_notebook
from autograder.authoring import solved_notebook
from autograder.labs import LAB_IDS, get_spec

SEEDS = tuple(range(1, 11))


def _corpus(lab_id):
    try:
        return importlib.import_module(f"corpus.{lab_id}")
    except ModuleNotFoundError:
        return None


def _params(kind):
    out = []
    for lab_id in LAB_IDS:
        corpus = _corpus(lab_id)
        if corpus is None:
            continue
        for name, variants in getattr(corpus, kind).items():
            for i, variant in enumerate(variants):
                label = variant[0] if kind == "WRONG" else f"alt{i + 1}"
                out.append(pytest.param(lab_id, name, variant, id=f"{lab_id}-{name}-{label}"))
    return out


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_corpus_covers_every_exercise(lab_id):
    corpus = _corpus(lab_id)
    assert corpus is not None, f"tests/corpus/{lab_id}.py is missing"
    for ex in get_spec(lab_id).exercises:
        assert len(corpus.CORRECT.get(ex.name, [])) >= 2, f"{ex.name}: < 2 correct variants"
        assert len(corpus.WRONG.get(ex.name, [])) >= 2, f"{ex.name}: < 2 wrong variants"


@pytest.mark.parametrize(("lab_id", "name", "code"), _params("CORRECT"))
def test_correct_variant_full_marks(lab_id, name, code):
    for seed in SEEDS:
        verdict = harness.judge(lab_id, name, code, seed)
        assert verdict.status == "passed", f"seed {seed}: {verdict}"
    ok, said = harness.public_check(lab_id, name, code)
    assert ok, f"the grader passes it but the public check says: {said}"


@pytest.mark.parametrize(("lab_id", "name", "variant"), _params("WRONG"))
def test_wrong_variant_loses_points(lab_id, name, variant):
    label, code = variant
    for seed in SEEDS:
        verdict = harness.judge(lab_id, name, code, seed)
        assert verdict.status != "passed", f"{label!r} passes under seed {seed}"
    ok, said = harness.public_check(lab_id, name, code)
    assert not ok, f"the grader fails {label!r} but the public check passes it: {said}"


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_first_correct_alternatives_earn_full_marks_through_the_sandbox(lab_id, tmp_path):
    """End to end, one seed: the lab with the first correct alternative of every exercise
    in its cells, graded by the real grader (isolated runner, notebook order)."""
    corpus = _corpus(lab_id)
    assert corpus is not None, f"tests/corpus/{lab_id}.py is missing"
    code = {name: variants[0] for name, variants in corpus.CORRECT.items()}
    path = tmp_path / f"{lab_id}_corpus.ipynb"
    nbformat.write(solved_notebook(lab_id, wrong=code), path)
    report = grade_notebook(path, seed=1)
    assert report.error is None, report.error
    failed = [(r.name, r.status, r.feedback) for r in report.results if r.status != "passed"]
    assert not failed, failed
    assert report.score == get_spec(lab_id).total_points
