"""Kept so that notebooks already handed out still run: the public checks' shared code
moved to :mod:`mit6s191_utils.checks` (one package with the checks of each lab).

Lab notebooks distributed before the move import ``require`` and ``summary`` from here, and
the grader runs a submission's import lines, so removing this module would turn every
such submission's import cell into an error. New code imports from ``mit6s191_utils.checks``.
"""

from mit6s191_utils.checks import (  # noqa: F401 - re-exported for old notebooks
    FAILED,
    NOT_ATTEMPTED,
    PASSED,
    assert_close,
    check,
    dtype_problem,
    passed,
    require,
    summary,
    to_numpy,
    where_in_your_code,
)
