"""What one runner gets to itself, on the grader's side: a uid and cgroups, and how
everything it started ends.

A uid nobody else uses (locked across grading processes, handed out only once no process
of it is left) and, where the OS has them, cgroups limiting its memory and processes in
all, through which everything it started is killed at the end. A grader that finds no free
uid refuses to run the submission (:class:`LeaseError`): student code never runs as root.
Cgroups left by a grader that crashed are emptied and removed at the next lease.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import pwd
import random
import signal
import subprocess
import sys
import time

from autograder import cgroups
from autograder.inside.isolate import _write

UID_FIRST, UID_COUNT = 61000, 4000  # the uids handed to runners (one per runner, locked)
LOCK_DIR = "/run/mit6s191-grader" if os.path.isdir("/run") else "/tmp/mit6s191-grader"
CGROUP_NAME = "mit6s191-grader"


class LeaseError(RuntimeError):
    """No uid of its own could be handed to a runner: the submission is not run."""


def _uid_pids(uid: int) -> list[int]:
    """Live processes whose real, effective or saved uid is ``uid`` (zombies are dead: they
    only wait for their parent, often the system's init, to collect them)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as fh:
                for line in fh:
                    if line.startswith("State:") and line.split()[1] in ("Z", "X"):
                        break
                    if line.startswith("Uid:"):
                        if str(uid) in line.split()[1:4]:
                            pids.append(int(entry))
                        break
        except OSError:
            pass
    return pids


def kill_uid(uid: int, rounds: int = 50) -> bool:
    """SIGKILL every process of ``uid`` (as root); True once none is left."""
    for _ in range(rounds):
        pids = _uid_pids(uid)
        if not pids:
            return True
        try:  # kill(-1) as that uid: every process of it at once, forks in flight included
            subprocess.run(
                [sys.executable, "-S", "-c", "import os; os.kill(-1, 9)"],
                user=uid,
                group=uid,
                extra_groups=[],
                env={},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            pass
        for pid in _uid_pids(uid):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.02)
    return not _uid_pids(uid)


class Lease:
    """What one runner gets to itself: a uid nobody else uses (locked across grading
    processes) and, where the OS has them, cgroups limiting its memory and processes in
    all, through which everything it started is killed at the end.

    ``release()`` kills every process of the uid and of the cgroups and frees both; a uid
    is only handed out once no process of it is left (a crashed grader's leftovers die).
    """

    live: dict[int, Lease] = {}  # by uid, in this grading process

    def __init__(self, memory_mb: int, processes: int):
        self.uid: int | None = None
        self.notes: list[str] = []
        self.cgroups: list[str] = []  # cgroup directories
        self._lock = None
        if os.geteuid() != 0:
            return
        self._take_uid()
        if self.uid is not None:
            self._make_cgroups(memory_mb, processes)
            if not Lease.live:
                atexit.register(Lease.release_all)  # once per batch of leases; harmless twice
            Lease.live[self.uid] = self

    def _take_uid(self) -> None:
        os.makedirs(LOCK_DIR, mode=0o700, exist_ok=True)
        start = random.randrange(UID_COUNT)
        for i in range(UID_COUNT):
            uid = UID_FIRST + (start + i) % UID_COUNT
            try:
                pwd.getpwuid(uid)
                continue  # a real account
            except KeyError:
                pass
            fd = os.open(f"{LOCK_DIR}/uid-{uid}.lock", os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            if not kill_uid(uid):
                os.close(fd)
                continue
            self.uid, self._lock = uid, fd
            return
        raise LeaseError(
            f"no free uid among {UID_FIRST}-{UID_FIRST + UID_COUNT - 1} for this submission's "
            "code (every one is locked by a grading process or still has processes): the "
            "submission was not run. Wait for other gradings to finish, or end leftover "
            "processes of those uids, and grade it again."
        )

    def _make_cgroups(self, memory_mb: int, processes: int) -> None:
        v1, v2 = cgroups.mounts()
        name = f"uid-{self.uid}"
        for ctl, mount in [*v1.items(), *([("", v2)] if v2 else [])]:
            own = os.path.join(mount, cgroups.own_path(ctl).lstrip("/"))
            for base in {own if os.path.isdir(own) else mount, mount}:
                _remove_stale(os.path.join(base, CGROUP_NAME))
        made: list[str] = []
        try:
            if {"memory", "pids"} <= set(v1):
                for ctl in ("freezer", "memory", "pids"):  # frozen first, then killed
                    if ctl not in v1:
                        continue
                    own = os.path.join(v1[ctl], cgroups.own_path(ctl).lstrip("/"))
                    base = own if os.path.isdir(own) else v1[ctl]
                    path = os.path.join(base, CGROUP_NAME, name)
                    self._fresh(path)
                    made.append(path)
                    if ctl == "memory":
                        _write(f"{path}/memory.limit_in_bytes", str(memory_mb << 20))
                        if os.path.exists(f"{path}/memory.memsw.limit_in_bytes"):
                            _write(f"{path}/memory.memsw.limit_in_bytes", str(memory_mb << 20))
                    elif ctl == "pids":
                        _write(f"{path}/pids.max", str(processes))
            elif v2 and "memory" in cgroups.read(f"{v2}/cgroup.controllers").split():
                parent = os.path.join(v2, CGROUP_NAME)
                os.makedirs(parent, exist_ok=True)
                _write(f"{parent}/cgroup.subtree_control", "+memory +pids")
                path = os.path.join(parent, name)
                self._fresh(path)
                made.append(path)
                _write(f"{path}/memory.max", str(memory_mb << 20))
                if os.path.exists(f"{path}/memory.swap.max"):
                    _write(f"{path}/memory.swap.max", "0")
                _write(f"{path}/pids.max", str(processes))
            else:
                raise OSError("no cgroup memory controller (v1 or v2) mounted")
            self.cgroups = made
        except OSError as exc:
            self.cgroups = made  # still killed and removed at the end
            self.notes.append(
                f"no per-submission memory limit across processes ({exc}); each process "
                "still has its own address-space limit"
            )

    @staticmethod
    def _fresh(path: str) -> None:
        if os.path.isdir(path):  # left by a grader that crashed: empty it first
            cgroups.kill(path)
            try:
                os.rmdir(path)
            except OSError:
                pass
        os.makedirs(path, exist_ok=True)

    def procs_files(self) -> list[str]:
        return [f"{path}/cgroup.procs" for path in self.cgroups]

    def kill_all(self) -> None:
        """SIGKILL every process the runner started: by cgroup, then by uid."""
        for path in self.cgroups:
            cgroups.kill(path)
        if self.uid is not None:
            kill_uid(self.uid)

    def release(self) -> None:
        self.kill_all()
        for path in self.cgroups:
            for _ in range(100):
                try:
                    os.rmdir(path)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    cgroups.kill(path)
                    time.sleep(0.02)
        self.cgroups = []
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None
        Lease.live.pop(self.uid, None)

    @classmethod
    def release_all(cls) -> None:
        """Release every lease of this process (at exit: nothing of a runner outlives it)."""
        for lease in list(cls.live.values()):
            lease.release()


def _remove_stale(parent: str) -> None:
    """Remove the cgroups under ``parent`` whose uid no grading process holds (left by a
    grader that crashed): their processes are killed first."""
    try:
        names = [n for n in os.listdir(parent) if n.startswith("uid-") and n[4:].isdigit()]
    except OSError:
        return
    for name in names:
        if int(name[4:]) in Lease.live:
            continue
        try:
            fd = os.open(f"{LOCK_DIR}/{name}.lock", os.O_CREAT | os.O_RDWR, 0o600)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held: its grader is alive
            cgroups.kill(os.path.join(parent, name))
            os.rmdir(os.path.join(parent, name))
        except OSError:
            pass
        finally:
            os.close(fd)
