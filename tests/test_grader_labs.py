"""Every lab through the real grader (sandboxed runner), parametrised over the labs the
grader knows (`autograder.labs.LAB_IDS`, discovered from `autograder/labs/labN.py`): as
shipped it scores 0 with every exercise "not attempted", solved with the reference answers
it scores full marks on two seeds' fresh inputs, and neither file is ever modified. The
totals come from the spec's exercises, never from a literal. A new lab gets these tests
without an edit here; its wrong variants go in `tests/test_grader_labN.py`."""

import pytest
import testkit

from autograder.labs import LAB_IDS, get_spec


@pytest.mark.parametrize("lab", LAB_IDS)
def test_shipped_lab_scores_zero_not_attempted(lab):
    testkit.check_shipped_scores_zero(lab, sum(ex.points for ex in get_spec(lab).exercises))


@pytest.mark.parametrize("lab", LAB_IDS)
def test_solved_lab_scores_full_marks_on_fresh_inputs(lab, tmp_path):
    testkit.check_solved_full_marks(lab, tmp_path)
