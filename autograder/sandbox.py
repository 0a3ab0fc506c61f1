"""Whether this machine may grade: the policy on isolating student code (grader side).

The isolation itself is :mod:`autograder.inside.isolate` (entered by the runner, inside
the sandbox); the uid and cgroups each runner gets are :mod:`autograder.lease`. Here: what
the machine lacks for a grade of record, and the refusal (unless a trusted run allows it).
"""

from __future__ import annotations

import os
import sys

from autograder.inside.isolate import available

ALLOW_ENV = "MIT6S191_ALLOW_UNISOLATED"
CAPABILITIES = "CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID, CAP_CHOWN, CAP_KILL"


class IsolationUnavailable(RuntimeError):
    """This machine cannot isolate student code; grading refuses unless told otherwise."""


def isolation_problems() -> list[str]:
    """Why this machine cannot isolate student code for a grade of record ([] when it can).

    Full isolation needs Linux, root (for a uid of its own per runner, cgroups and the
    limits that count per uid) and namespaces (not blocked by a container's seccomp).
    """
    if not sys.platform.startswith("linux"):
        return [f"{sys.platform} is not Linux: the sandbox uses Linux namespaces"]
    problems = []
    if os.geteuid() != 0:
        problems.append(
            "the grader is not root: run it with sudo (each submission's code runs under a "
            "uid of its own, with per-uid process limits, which only root can hand out)"
        )
    if not available():
        problems.append(
            "the OS refused new namespaces (mount, network, PID): allow them (as root, in a "
            f"container: the capabilities {CAPABILITIES}, e.g. docker run --cap-add "
            "SYS_ADMIN --security-opt seccomp=unconfined; without root: "
            "sysctl kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0)"
        )
    return problems


def require_isolation(allow_unisolated: bool = False) -> list[str]:
    """Raise :class:`IsolationUnavailable` unless the OS can isolate or the caller allows it.

    Returns the problems that were allowed (as notes for the reports)."""
    problems = isolation_problems()
    if not problems:
        return []
    if allow_unisolated or os.environ.get(ALLOW_ENV) == "1":
        return [f"graded WITHOUT full isolation (--allow-unisolated): {p}" for p in problems]
    raise IsolationUnavailable(
        "refusing to grade: student code cannot be isolated on this machine, so it could "
        "read the solutions, the other submissions and the network. "
        + " ".join(f"({i}) {p}." for i, p in enumerate(problems, 1))
        + f" For a trusted run only (your own code, say): --allow-unisolated (or {ALLOW_ENV}=1)."
    )
