"""The labs' public checks: quick feedback on visible examples while you work.

They are a convenience, not the grade: the autograder runs your code on other, hidden
inputs drawn fresh each time. An exercise that still raises ``NotImplementedError`` is
reported as "not attempted" instead of stopping the notebook.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

_STATUS: dict[str, str] = {}


def check(name: str, test: Callable[[], None]) -> bool:
    """Run ``test`` (which raises AssertionError on a mistake) and print one line about it."""
    try:
        test()
    except NotImplementedError:
        _STATUS[name] = "not attempted"
        print(f"⏳ {name}: not attempted yet — replace `raise NotImplementedError` with your code")
        return False
    except AssertionError as exc:
        _STATUS[name] = "failed"
        print(f"✘ {name}: {exc}")
        return False
    except Exception as exc:  # noqa: BLE001 - any error in student code is feedback
        _STATUS[name] = "failed"
        print(f"✘ {name}: raised {type(exc).__name__}: {exc}")
        return False
    _STATUS[name] = "passed"
    print(f"✔ {name}: passes the public checks")
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


def to_numpy(value) -> np.ndarray:
    """A numpy array from a tensor, array or number."""
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value)


def assert_close(actual, expected, what: str = "result", rtol: float = 1e-5, atol: float = 1e-6):
    """Assert shapes, dtypes and values agree, with a message that says what differs."""
    a, e = to_numpy(actual), to_numpy(expected)
    assert a.shape == e.shape, f"{what} has shape {a.shape}, expected {e.shape}"
    assert a.dtype == e.dtype, f"{what} has dtype {a.dtype}, expected {e.dtype}"
    if not np.allclose(a, e, rtol=rtol, atol=atol):
        err = np.max(np.abs(a.astype(np.float64) - e.astype(np.float64)))
        raise AssertionError(f"{what} differs from the expected values (max abs error {err:.3g})")
