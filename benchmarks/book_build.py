"""Time the book build: cold (every page executed) and cached (nothing changed).

    .venv/bin/python benchmarks/book_build.py                          # print the figures
    .venv/bin/python benchmarks/book_build.py --write benchmarks/book.md

Builds the repository's book with `jupyter-book build . -W -n --keep-going` into a fresh
temporary folder (--path-output, so the execution cache starts empty and nothing touches
the repository's _build/), then builds it again unchanged, which takes every executed page
from the cache. The per-page execution times come from the build's jupyter-cache records.

The CPU is shared: the script holds /tmp/mit6s191-cpu.lock (flock) while it measures, so
timed runs never overlap (use --no-lock if you already hold it).
"""

import argparse
import contextlib
import datetime
import fcntl
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LOCK = Path("/tmp/mit6s191-cpu.lock")
TARGET_COLD_S = 360.0
TARGET_CACHED_S = 30.0


@contextlib.contextmanager
def cpu_lock(enabled):
    """Hold the shared CPU lock (flock) for the duration of the measurement."""
    if not enabled:
        yield
        return
    with open(LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build(out, toc=None):
    """Run one build into `out`; return its wall time in seconds."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    command = [str(jupyter_book), "build", ".", "-W", "-n", "--keep-going", "--path-output", out]
    if toc:
        command += ["--toc", str(Path(toc).resolve())]
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"the build failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return seconds


def page_times(out):
    """(page, execution seconds) for every executed page, slowest first."""
    from jupyter_cache import get_cache

    cache = get_cache(Path(out) / "_build" / ".jupyter_cache")
    times = []
    for record in cache.list_project_records():
        cached = cache.get_cached_project_nb(record.uri)
        seconds = (cached.data or {}).get("execution_seconds") if cached else None
        page = Path(record.uri).relative_to(REPO).with_suffix("").as_posix()
        times.append((page, seconds))
    return sorted(times, key=lambda item: -(item[1] or 0))


def machine():
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def report(cold, cached, pages):
    ok = lambda seconds, target: "✅" if seconds <= target else "❌ over target"  # noqa: E731
    today = datetime.date.today().isoformat()
    lines = [
        "# Book build benchmark",
        "",
        "How long `make book` takes on the course's reference machine, and which pages cost",
        "the most. Written by `benchmarks/book_build.py` (run it with `make benchmark-book`):",
        "it builds the book with `jupyter-book build . -W -n --keep-going` into a fresh",
        "temporary folder (cold: every chapter executed, empty cache), then again unchanged",
        "(cached: executed pages come from the jupyter-cache). Timed under",
        "`flock /tmp/mit6s191-cpu.lock` so no other timed run overlapped.",
        "",
        f"Measured {today} on {machine()}.",
        "",
        "| Build | Wall time | Target | |",
        "| --- | ---: | ---: | --- |",
        f"| cold (every page executed) | {cold:.1f} s | ≤ {TARGET_COLD_S:.0f} s | "
        f"{ok(cold, TARGET_COLD_S)} |",
        f"| cached rebuild (nothing changed) | {cached:.1f} s | ≤ {TARGET_CACHED_S:.0f} s | "
        f"{ok(cached, TARGET_CACHED_S)} |",
        "",
        "## Executed pages, slowest first",
        "",
        "| Page | Execution time |",
        "| --- | ---: |",
    ]
    for page, seconds in pages:
        lines.append(f"| `{page}` | {seconds:.1f} s |" if seconds else f"| `{page}` | – |")
    total = sum(seconds or 0 for _, seconds in pages)
    lines += [
        "",
        f"Executing the pages takes {total:.1f} s of the cold build; the rest is Sphinx",
        "(reading, writing the HTML, the search index) and starting a kernel per page.",
        "The book's status page shows the same per-page figures for each build.",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path, help="also write the report (Markdown) here")
    parser.add_argument("--no-lock", action="store_true", help="do not take the CPU lock")
    parser.add_argument("--toc", help="another table of contents (default: _toc.yml)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="book-bench-") as out, cpu_lock(not args.no_lock):
        cold = build(out, args.toc)
        print(f"cold build: {cold:.1f} s", flush=True)
        cached = build(out, args.toc)
        print(f"cached rebuild: {cached:.1f} s", flush=True)
        pages = page_times(out)
    text = report(cold, cached, pages)
    print(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    if cold > TARGET_COLD_S or cached > TARGET_CACHED_S:
        sys.exit("over target")


if __name__ == "__main__":
    main()
