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
One step is never skipped: a runner started as root must switch to the uid it was given
(:class:`autograder.lease.Lease`), or it stops before running anything.

The grader's side (whether to grade at all, the uid and cgroups each runner gets) is in
:mod:`autograder.sandbox` and :mod:`autograder.lease`.
"""

from __future__ import annotations

import ctypes
import os
import platform
import resource
import select
import signal
import sys

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
    if is_root and cfg.get("uid") is None:
        raise SandboxError(0, "no uid of its own for this runner: refusing to run as root")
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
            raise SandboxError(0, f"could not switch to uid {cfg['uid']!r} ({exc})") from exc
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
