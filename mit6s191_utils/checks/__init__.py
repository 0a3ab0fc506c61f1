"""The labs' public checks: quick feedback on visible examples while you work.

``from mit6s191_utils.checks import lab1 as checks`` gives lab 1's checks, one per exercise
under the exercise's own name (``checks.sigmoid_derivative(sigmoid_derivative)``); this
module holds what they share (:func:`check`, :func:`require`, :func:`assert_close`, …).

They are a convenience, not the grade: the autograder runs your code on other, hidden
inputs drawn fresh each time. An exercise that still raises ``NotImplementedError`` is
reported as "not attempted" instead of stopping the notebook.

Each check prints one line that starts with a symbol every common font has (no emoji
font needed) followed by the status in words: ``✔`` passed, ``✘`` failed (with the reason,
and the line of your code where an error was raised), ``○`` not attempted yet.
"""

from __future__ import annotations

import linecache
import os
import sysconfig
import traceback
from collections.abc import Callable

import numpy as np

PASSED, FAILED, NOT_ATTEMPTED = "✔", "✘", "○"
_STATUS: dict[str, str] = {}
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # mit6s191_utils/
_LIBRARIES = tuple(
    os.path.abspath(p)
    for p in {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
)


def _is_student_file(filename: str) -> bool:
    """True for code a student wrote: a notebook cell or their own file, not a library."""
    if "__autograph_generated" in filename:  # tf.function's rewrite of the student's code
        return False
    if filename.startswith("<"):  # exec'd code (<ipython-input-3-...>, <string>), not Python's
        return not filename.startswith(("<frozen ", "<__array_function__"))
    path = os.path.abspath(filename)
    if path.startswith(_PACKAGE + os.sep) or "site-packages" in path or "dist-packages" in path:
        return False
    return not any(path.startswith(lib + os.sep) for lib in _LIBRARIES)


def where_in_your_code(exc: BaseException) -> str:
    """Where ``exc`` arose in the student's code, as " (in f, line N: `the line`)", or ""."""
    found = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if _is_student_file(frame.f_code.co_filename):
            found = frame.f_code, lineno
    if found is None:
        return ""
    code, lineno = found
    text = linecache.getline(code.co_filename, lineno).strip()
    where = f"line {lineno}" if code.co_name == "<module>" else f"{code.co_name}, line {lineno}"
    return f" (in {where}" + (f": `{text[:120]}`)" if text else ")")


def check(name: str, test: Callable[[], None]) -> bool:
    """Run ``test`` (which raises AssertionError on a mistake) and print one line about it."""
    try:
        test()
    except NotImplementedError:
        _STATUS[name] = "not attempted"
        print(
            f"{NOT_ATTEMPTED} {name}: not attempted yet — replace `raise NotImplementedError` "
            "with your code"
        )
        return False
    except AssertionError as exc:
        _STATUS[name] = "failed"
        print(f"{FAILED} {name}: {exc}{where_in_your_code(exc)}")
        return False
    except Exception as exc:  # noqa: BLE001 - any error in student code is feedback
        _STATUS[name] = "failed"
        print(f"{FAILED} {name}: raised {type(exc).__name__}: {exc}{where_in_your_code(exc)}")
        return False
    _STATUS[name] = "passed"
    print(f"{PASSED} {name}: passes the public checks")
    return True


def passed(name: str) -> bool:
    """Whether ``name`` passed its public check in this session."""
    return _STATUS.get(name) == "passed"


def require(*names: str) -> bool:
    """True if every named exercise passed its check; otherwise say what to finish first."""
    missing = [n for n in names if not passed(n)]
    if missing:
        print(f"Skipped: finish {', '.join(missing)} first (its check must pass).")
    return not missing


def summary() -> dict[str, str]:
    """Print and return the status of every exercise checked so far."""
    for name, status in _STATUS.items():
        print(f"{name:<24} {status}")
    return dict(_STATUS)


def tensorflow():
    """TensorFlow, imported on first use (importing the checks stays quick)."""
    import tensorflow as tf

    return tf


def assert_trains(model, weights_before: list, losses: list[float]) -> None:
    """What every training-step check ends with: the step changed the model's weights and
    the loss of the last of several steps is below the first's."""
    after = model.get_weights()
    changed = any(not np.allclose(a, b) for a, b in zip(weights_before, after))
    assert changed, "the weights did not change: apply the gradients with the optimizer"
    rounded = [round(float(v), 4) for v in losses]
    assert losses[-1] < losses[0], f"the loss did not go down: {rounded}"


def flat_layers(model) -> list:
    """The model's layers in order, those of a block built as a model of its own in its
    place, without the Input layer (shared with the grader's probes)."""
    out = []
    for layer in model.layers:
        if hasattr(layer, "layers"):
            out += flat_layers(layer)
        elif type(layer).__name__ != "InputLayer":
            out.append(layer)
    return out


def to_numpy(value) -> np.ndarray:
    """A numpy array from a tensor, array or number."""
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value)


def dtype_problem(what: str, actual: np.dtype, expected: np.dtype) -> str:
    """The course's one dtype rule ("" when ``actual`` is acceptable), shared with the grader.

    A result expected as floats may have any float dtype (its values are then compared
    within tolerance); one expected as integers any integer dtype (values compared exactly);
    a boolean one must be boolean. Anything else is wrong, and the message names both.
    """
    actual, expected = np.dtype(actual), np.dtype(expected)
    kinds = {"f": ("f", "floats"), "i": ("iu", "integers"), "u": ("iu", "integers")}
    accepted, noun = kinds.get(expected.kind, (expected.kind, f"dtype {expected}"))
    if actual.kind in accepted:
        return ""
    return (
        f"{what} has dtype {actual}, but {noun} are expected (e.g. {expected}): "
        f"convert it, e.g. tf.cast(x, tf.{expected}) or x.astype(np.{expected})"
    )


def assert_close(actual, expected, what: str = "result", rtol: float = 1e-5, atol: float = 1e-6):
    """Assert shapes, dtypes (the rule of :func:`dtype_problem`) and values agree, with a
    message that says what differs. Integers must be equal; floats within tolerance."""
    a, e = to_numpy(actual), to_numpy(expected)
    assert a.shape == e.shape, f"{what} has shape {a.shape}, expected {e.shape}"
    problem = dtype_problem(what, a.dtype, e.dtype)
    assert not problem, problem
    if e.dtype.kind in "biu":
        bad = int(np.sum(a.astype(np.int64) != e.astype(np.int64)))
        assert not bad, f"{what} differs from the expected values ({bad} of {e.size} differ)"
    elif not np.allclose(a, e, rtol=rtol, atol=atol):
        err = np.max(np.abs(a.astype(np.float64) - e.astype(np.float64)))
        raise AssertionError(f"{what} differs from the expected values (max abs error {err:.3g})")
