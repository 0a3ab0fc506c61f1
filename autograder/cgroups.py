"""Cgroups from the grader's side: where they are mounted, this process's own, and how to
kill every process of one (v2 ``cgroup.kill``; v1 freeze, kill, thaw)."""

from __future__ import annotations

import os
import signal
import time

from autograder.inside.isolate import _write


def mounts() -> tuple[dict[str, str], str | None]:
    """(v1 controller -> mount point for memory/pids/freezer, the cgroup2 mount point)."""
    v1: dict[str, str] = {}
    v2 = None
    try:
        with open("/proc/self/mountinfo") as fh:
            for line in fh:
                left, _, right = line.partition(" - ")
                fields, rest = left.split(), right.split()
                if len(fields) < 5 or len(rest) < 3:
                    continue
                if rest[0] == "cgroup2" and v2 is None:
                    v2 = fields[4]
                elif rest[0] == "cgroup":
                    for opt in rest[2].split(","):
                        if opt in ("memory", "pids", "freezer"):
                            v1.setdefault(opt, fields[4])
    except OSError:
        pass
    return v1, v2


def own_path(controller: str) -> str:
    """This process's cgroup path in the hierarchy of ``controller`` ('' for cgroup2)."""
    try:
        with open("/proc/self/cgroup") as fh:
            for line in fh:
                _, names, path = line.rstrip("\n").split(":", 2)
                if controller in names.split(",") or (not controller and not names):
                    return path
    except (OSError, ValueError):
        pass
    return "/"


def read(path: str) -> str:
    try:
        with open(path) as fh:
            return fh.read()
    except OSError:
        return ""


def kill(path: str) -> None:
    """SIGKILL every process of a cgroup: cgroup.kill (v2), or freeze, kill, thaw (v1)."""
    if os.path.exists(f"{path}/cgroup.kill"):
        try:
            _write(f"{path}/cgroup.kill", "1")
        except OSError:
            pass
    frozen = False
    if os.path.exists(f"{path}/freezer.state"):
        try:
            _write(f"{path}/freezer.state", "FROZEN")
            frozen = True
            for _ in range(100):
                if read(f"{path}/freezer.state").strip() == "FROZEN":
                    break
                time.sleep(0.01)
        except OSError:
            pass
    for _ in range(50):
        pids = [int(p) for p in read(f"{path}/cgroup.procs").split()]
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if frozen:
            try:
                _write(f"{path}/freezer.state", "THAWED")
            except OSError:
                pass
            frozen = False
        if not pids:
            return
        time.sleep(0.02)
