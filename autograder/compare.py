"""The comparison of what the student's code returned with the reference, in the grader.

Student objects never decide whether they equal the answer: only plain arrays come back
from the runner, and they are compared here, by one rule for dtypes (shared with the
public checks) and the exercise's tolerances.
"""

from __future__ import annotations

import numpy as np

from autograder.spec import Exercise
from autograder.text import clean_text
from mit6s191_utils.checks import dtype_problem


def compare(exercise: Exercise, got: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> str:
    """'' when ``got`` matches ``want``; otherwise a sentence saying what differs.

    Shapes must be equal. Dtypes follow the course's one rule
    (:func:`mit6s191_utils.checks.dtype_problem`, which the public checks use too): any
    float dtype where floats are expected, values within the exercise's tolerance; any
    integer dtype where integers are expected, values exactly equal. Where values differ,
    the exercise's ``explain`` may say it in the lab's own terms.
    """
    for key, expected in want.items():
        label = f"`{key}`" if len(want) > 1 else "the result"
        if key not in got:
            return f"{label} is missing from what your code returned"
        actual = got[key]
        if actual.shape != expected.shape:
            return f"{label} has the wrong shape: expected {expected.shape}, got {actual.shape}"
        problem = dtype_problem(label, actual.dtype, expected.dtype)
        if problem:
            return problem[0].upper() + problem[1:] if label == "the result" else problem
        if expected.dtype.kind in "biu":
            bad = actual.astype(np.int64) != expected.astype(np.int64)
        else:
            close = np.isclose(
                actual.astype(np.float64),
                expected.astype(np.float64),
                rtol=exercise.rtol,
                atol=exercise.atol,
                equal_nan=True,
            )
            bad = ~close
        if np.any(bad):
            if exercise.explain is not None:
                try:
                    sentence = exercise.explain(key, actual, expected)
                except Exception:  # noqa: BLE001 - fall back to the generic sentence
                    sentence = ""
                if sentence:
                    return clean_text(sentence, 600)
            idx = tuple(int(i) for i in np.argwhere(bad)[0]) if actual.ndim else ()
            where = f" at index {idx}" if idx else ""
            diff = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
            finite = diff[np.isfinite(diff)]
            size = f"max abs error {finite.max():.3g}; " if finite.size else ""
            return (
                f"{label} has wrong values ({int(np.sum(bad))} of {expected.size} differ; "
                f"{size}first{where}: expected {expected[idx] if idx else expected.item():.6g}, "
                f"got {actual[idx] if idx else actual.item():.6g})"
            )
    return ""
