"""Isolation of the process that runs student code, with what the operating system allows.

The runner calls :func:`enter` first thing, before it imports numpy or TensorFlow. On Linux,
as root (or where unprivileged user namespaces are allowed) it gets:

- new mount, network, PID, IPC and UTS namespaces: no network at all (not even loopback),
  and its own process tree, so that every process it starts dies with it;
- a new root file system made only of read-only bind mounts of the operating system
  (``/usr``, ``/etc``, ...), the Python installation and the grader's private copy of the
  trusted runner code, plus small private ``tmpfs`` for ``/tmp`` and ``/dev/shm``. The
  repository (solutions, tests, grader), the submissions, the reports and every other file
  of the machine are simply not there; the old root is unmounted (``pivot_root``);
- as root, a switch to an unprivileged uid/gid of its own (no supplementary groups,
  ``no_new_privs``), so it cannot undo any of this; in a user namespace, a nested one that
  holds no power over the mounts;
- resource limits: address space, processes, file size, CPU time, no core dumps.

Where a step is refused (e.g. no user namespaces for an unprivileged grader in CI), it
carries on with the rest and says so in ``notes``; the grader puts those in its report.
"""

from __future__ import annotations

import atexit
import ctypes
import fcntl
import os
import platform
import pwd
import random
import resource
import select
import signal
import subprocess
import sys
import time

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}.get(platform.machine())

INSIDE_LIB = "/opt/mit6s191-runner"  # where the trusted runner code appears inside
DEVICES = ("null", "zero", "full", "random", "urandom")


class SandboxError(OSError):
    """A step of the isolation was refused by the operating system."""


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(ret: int, what: str) -> None:
    if ret != 0:
        err = ctypes.get_errno()
        raise SandboxError(err, f"{what}: {os.strerror(err)}")


def _mount(src, target, fstype=None, flags=0, data=None) -> None:
    libc = _libc()

    def enc(s):
        return s.encode() if s is not None else None

    _check(libc.mount(enc(src), enc(target), enc(fstype), flags, enc(data)), f"mount {target}")


def _bind(src: str, target: str, writable: bool = False) -> None:
    if os.path.isdir(src):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        open(target, "a").close()
    _mount(src, target, None, MS_BIND | MS_REC)
    flags = MS_BIND | MS_REMOUNT | MS_NOSUID | (0 if writable else MS_RDONLY)
    _mount(None, target, None, flags)


def _write(path: str, text: str) -> None:
    with open(path, "w") as fh:
        fh.write(text)


def _covered(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def system_binds(extra: list[str]) -> list[str]:
    """The host paths the new root shows, read-only: the OS and the Python installation."""
    paths = []
    for p in ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"):
        if os.path.exists(p) and not os.path.islink(p):
            paths.append(p)
    for p in extra:
        p = os.path.realpath(p)
        if os.path.isdir(p) and not _covered(p, paths):
            paths = [q for q in paths if not _covered(q, [p])] + [p]
    return paths


def _build_root(root: str, cfg: dict) -> None:
    """Populate the tmpfs at ``root`` with read-only binds, then make it the root."""
    for name in ("bin", "sbin", "lib", "lib64", "lib32", "libx32"):
        if os.path.islink("/" + name):
            os.symlink(os.readlink("/" + name), os.path.join(root, name))
    # The private /tmp first: a folder bound below it (a virtual environment in a checkout
    # under /tmp, say) must land on top of it, not be hidden by it.
    for path, size in (("/tmp", cfg["tmp_mb"]), ("/dev/shm", 16)):
        os.makedirs(root + path, exist_ok=True)
        _mount("tmpfs", root + path, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size}m,mode=1777")
    for path in cfg["binds"]:
        _bind(path, root + path)
    _bind(cfg["lib"], root + INSIDE_LIB)
    for path in cfg.get("hide", []):  # e.g. a repository that lies inside a bound folder
        if _covered(path, cfg["binds"]) and os.path.isdir(root + path):
            _mount("tmpfs", root + path, "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY, "size=4k")
    os.makedirs(root + "/dev", exist_ok=True)
    for dev in DEVICES:
        if os.path.exists("/dev/" + dev):
            _bind("/dev/" + dev, f"{root}/dev/{dev}", writable=True)
    os.symlink("/proc/self/fd", root + "/dev/fd")
    os.makedirs(root + "/proc", exist_ok=True)
    _mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    if os.path.isdir("/sys"):
        try:
            _bind("/sys", root + "/sys")
        except OSError:
            pass
    old = root + "/.old-root"
    os.makedirs(old)
    if SYS_PIVOT_ROOT is None:
        raise SandboxError(0, f"pivot_root: unknown on {platform.machine()}")
    _check(_libc().syscall(SYS_PIVOT_ROOT, root.encode(), old.encode()), "pivot_root")
    os.chdir("/")
    _check(_libc().umount2(b"/.old-root", MNT_DETACH), "umount old root")
    os.rmdir("/.old-root")
    _mount(None, "/", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID)


def _limits(cfg: dict, own_uid: bool) -> list[str]:
    notes = []
    mb = 1 << 20
    wanted = [
        ("RLIMIT_AS", cfg["memory_mb"] * mb),
        ("RLIMIT_FSIZE", cfg["file_mb"] * mb),
        ("RLIMIT_CPU", int(cfg["cpu_s"])),
        ("RLIMIT_CORE", 0),
        ("RLIMIT_NOFILE", 1024),
    ]
    if own_uid:  # counts every process of the uid: only meaningful for a uid of our own
        wanted.append(("RLIMIT_NPROC", cfg["processes"]))
    for name, value in wanted:
        try:
            resource.setrlimit(getattr(resource, name), (value, value))
        except (ValueError, OSError) as exc:
            notes.append(f"{name} not set ({exc})")
    return notes


def enter(cfg: dict) -> list[str]:
    """Isolate this process as far as the OS allows; returns notes on what was not possible.

    ``cfg``: lib (host path of the trusted runner code), binds (host paths to show
    read-only), uid (an unused uid to switch to when root), memory_mb, file_mb, cpu_s,
    processes, tmp_mb. Must run before any thread is started. Afterwards the process's
    cwd is an empty private directory, and sys.path points at the trusted code inside.
    """
    notes: list[str] = list(cfg.get("notes", []))
    is_root = os.geteuid() == 0
    libc = _libc()
    parent = os.getppid()
    # Dies with the grader; the runner's own pid first into the submission's cgroups (its
    # memory and process limits, and how the grader kills everything it started).
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
    if cfg.get("pid_file"):  # how the grader finds this runner's lease (see Lease)
        _write(cfg["pid_file"], str(os.getpid()))
    for procs in cfg.get("cgroups", []):
        try:
            _write(procs, str(os.getpid()))
        except OSError as exc:
            notes.append(f"not in cgroup {os.path.dirname(procs)} ({exc})")
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS
    userns = False
    if libc.unshare(flags | (0 if is_root else CLONE_NEWUSER)) == 0:
        userns = not is_root
    else:
        notes.append(
            f"no namespaces ({os.strerror(ctypes.get_errno())}): network and files are NOT isolated"
        )
        flags = 0
    if userns:
        uid, gid = os.getuid(), os.getgid()
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {uid} 1")
        _write("/proc/self/gid_map", f"0 {gid} 1")
    workdir = None
    if flags:
        alive_r, alive_w = os.pipe()  # end-of-file on alive_r: the outer process is gone
        pid = os.fork()  # the child is PID 1 of the new PID namespace
        if pid:
            os.close(alive_r)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            _, status = os.waitpid(pid, 0)
            os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
        os.close(alive_w)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        try:
            _mount(None, "/", None, MS_REC | MS_PRIVATE)
            root = cfg["root"]
            _mount("tmpfs", root, "tmpfs", MS_NOSUID, "size=4m,mode=755")
            _build_root(root, cfg)
            workdir = "/tmp/work"
        except OSError as exc:
            notes.append(f"private file system not built ({exc}): files are NOT hidden")
    own_uid = False
    if workdir is None:
        workdir = cfg["fallback_workdir"]
    os.makedirs(workdir, exist_ok=True)
    if is_root:
        try:
            uid = int(cfg["uid"])
            os.chown(workdir, uid, uid)
            home = os.path.join(os.path.dirname(workdir), "home")
            os.makedirs(home, exist_ok=True)
            os.chown(home, uid, uid)
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            own_uid = True
        except (OSError, TypeError, ValueError) as exc:
            notes.append(f"still root ({exc})")
    elif userns:
        # A nested user namespace: no capability over the mounts made above.
        if libc.unshare(CLONE_NEWUSER) != 0:
            notes.append("could not drop namespace capabilities")
    else:
        notes.append("runs as the grader's own user (not root): use sudo for full isolation")
    # A change of uid or user namespace clears the parent-death signal: armed again, so
    # that this process (PID 1 of its namespace: all it starts dies with it) dies with the
    # outer runner; and if that one is already gone, we stop here.
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if flags:
        if select.select([alive_r], [], [], 0)[0]:
            os._exit(1)
        os.close(alive_r)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    notes += _limits(cfg, own_uid)
    home = os.path.join(os.path.dirname(workdir), "home")  # Keras writes ~/.keras
    os.makedirs(home, exist_ok=True)
    os.chdir(workdir)
    os.environ["HOME"] = home
    os.environ["TMPDIR"] = "/tmp" if workdir == "/tmp/work" else workdir
    lib = INSIDE_LIB if os.path.isdir(INSIDE_LIB) else cfg["lib"]
    sys.path[:] = [lib] + [p for p in sys.path if p != cfg["lib"]]
    return notes


def available() -> bool:
    """Whether this machine lets the runner use namespaces (tried in a throw-away child)."""
    pid = os.fork()
    if pid == 0:
        flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID
        if os.geteuid() != 0:
            flags |= CLONE_NEWUSER
        os._exit(0 if _libc().unshare(flags) == 0 else 1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


# --- the grader's side: what each runner may use, and how everything it started ends ------

UID_FIRST, UID_COUNT = 61000, 4000  # the uids handed to runners (one per runner, locked)
LOCK_DIR = "/run/mit6s191-grader" if os.path.isdir("/run") else "/tmp/mit6s191-grader"
CGROUP_NAME = "mit6s191-grader"
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


def _cgroup_mounts() -> tuple[dict[str, str], str | None]:
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


def _own_cgroup(controller: str) -> str:
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
        self.pid_file = ""  # the runner writes its pid here (see enter())
        self._lock = None
        if os.geteuid() != 0:
            return
        self._take_uid()
        if self.uid is not None:
            self._make_cgroups(memory_mb, processes)
            if not Lease.live:
                atexit.register(Lease.sweep, True)  # once per batch of leases; harmless twice
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
        self.notes.append("no free uid for this submission: it runs as root")

    def _make_cgroups(self, memory_mb: int, processes: int) -> None:
        v1, v2 = _cgroup_mounts()
        name = f"uid-{self.uid}"
        made: list[str] = []
        try:
            if {"memory", "pids"} <= set(v1):
                for ctl in ("freezer", "memory", "pids"):  # frozen first, then killed
                    if ctl not in v1:
                        continue
                    own = os.path.join(v1[ctl], _own_cgroup(ctl).lstrip("/"))
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
            elif v2 and "memory" in _read(f"{v2}/cgroup.controllers").split():
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
            _kill_cgroup(path)
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
            _kill_cgroup(path)
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
                    _kill_cgroup(path)
                    time.sleep(0.02)
        self.cgroups = []
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None
        Lease.live.pop(self.uid, None)

    @classmethod
    def for_pid_file(cls, pid: int) -> Lease | None:
        for lease in list(cls.live.values()):
            if lease.pid_file and _read(lease.pid_file).strip() == str(pid):
                return lease
        return None

    @classmethod
    def sweep(cls, everything: bool = False) -> None:
        """Release the leases whose runner is over (its pid file's folder is gone)."""
        for lease in list(cls.live.values()):
            folder = os.path.dirname(lease.pid_file) if lease.pid_file else ""
            if everything or not folder or not os.path.isdir(folder):
                lease.release()


def _read(path: str) -> str:
    try:
        with open(path) as fh:
            return fh.read()
    except OSError:
        return ""


def _kill_cgroup(path: str) -> None:
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
                if _read(f"{path}/freezer.state").strip() == "FROZEN":
                    break
                time.sleep(0.01)
        except OSError:
            pass
    for _ in range(50):
        pids = [int(p) for p in _read(f"{path}/cgroup.procs").split()]
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
