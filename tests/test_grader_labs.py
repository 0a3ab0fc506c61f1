"""Every lab through the real grader (sandboxed runner), parametrised over the labs the
grader knows (`autograder.labs.LAB_IDS`, discovered from `autograder/labs/labN.py`): as
shipped it scores 0 with every exercise "not attempted", solved with the reference answers
it scores full marks on two seeds' fresh inputs, and neither file is ever modified; each
wrong answer of `tests/cases/labN.py` (data: exercise, code, status, reason) costs exactly
its exercise's points, with that status and reason, and every other exercise keeps its
points. Totals come from the spec's exercises, never from a literal. A new lab gets these
tests by adding `autograder/labs/labN.py` and `tests/cases/labN.py`, no edit here.

Each wrong answer is its own notebook, graded by one `grade_notebook` call in the test's
process: cheaper in CPU than one `grade_batch` of a lab's cases on two cores (its pool
processes import TensorFlow again), see benchmarks/grading.md; the tests spread over the
pytest-xdist workers instead (tests/conftest.py makes each test of this module one unit).
"""

import pytest
import testkit
from cases import wrong_cases

from autograder.labs import LAB_IDS, get_spec

STATUSES = {"wrong", "error", "timeout", "missing"}
# Phrases that every failing exercise's feedback could hold: they prove nothing.
VAGUE = {"line", "error", "wrong", "differ", "the result"}


def _wrong_params():
    params, seen = [], set()
    for lab in LAB_IDS:
        for case in wrong_cases(lab) or ():
            test_id = f"{lab}-{case.name}"
            if test_id in seen:
                raise ValueError(
                    f"tests/cases/{lab}.py: two cases named {case.name!r}; give one a label="
                )
            seen.add(test_id)
            params.append(pytest.param(lab, case, id=test_id))
    return params


@pytest.mark.parametrize("lab", LAB_IDS)
def test_shipped_lab_scores_zero_not_attempted(lab):
    testkit.check_shipped_scores_zero(lab, sum(ex.points for ex in get_spec(lab).exercises))


@pytest.mark.parametrize("lab", LAB_IDS)
def test_solved_lab_scores_full_marks_on_fresh_inputs(lab, tmp_path):
    testkit.check_solved_full_marks(lab, tmp_path)


@pytest.mark.parametrize("lab", LAB_IDS)
def test_wrong_cases_name_real_exercises_and_exact_reasons(lab):
    """Every lab has wrong cases, and each names an exercise of the lab (and callers that
    are), a status a wrong answer can get, and a reason precise enough to mean something."""
    cases = wrong_cases(lab)
    assert cases, f"tests/cases/{lab}.py is missing or has no WRONG cases"
    names = {ex.name for ex in get_spec(lab).exercises}
    for case in cases:
        assert case.exercise in names, f"{case.name}: {lab} has no exercise {case.exercise!r}"
        assert set(case.costs) <= names - {case.exercise}, f"{case.name}: costs {case.costs}"
        assert case.status in STATUSES, f"{case.name}: status {case.status!r}"
        reason = case.reason.strip()
        assert len(reason) >= 5 and reason.lower() not in VAGUE, f"{case.name}: {reason!r}"


@pytest.mark.parametrize(("lab", "case"), _wrong_params())
def test_wrong_answer_loses_exactly_its_points(lab, case, tmp_path):
    testkit.check_wrong_loses_its_points(
        lab, tmp_path, case.exercise, case.code, case.status, case.reason, costs=case.costs
    )
