"""What the book's tools, tests and benchmarks share about the built book: its pages in
reading order (from `_toc.yml`), and how Debian's Chromium is found and started offline
(tools/setup_browser.sh installs it; Playwright never downloads a browser of its own)."""

import os
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]

# Headless, and quiet on a machine with no network: without the background-networking
# flags Chromium keeps trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class BrowserMissing(RuntimeError):
    """Playwright or Chromium is missing; the message says which, and how to get it."""


def find_chromium():
    """The Chromium to use ($CHROMIUM, else Debian's), or None when there is none."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


def require_chromium():
    """The Chromium executable for Playwright to drive; BrowserMissing when Playwright or
    Chromium is missing, its message saying what to do (the PDF tool stops with it, the
    browser tests skip with it)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise BrowserMissing(
            "Playwright is not installed: run `make book` "
            "(or `.venv/bin/pip install -r requirements.txt`)"
        ) from None
    executable = find_chromium()
    if executable is None:
        raise BrowserMissing(
            "no Chromium browser on this machine: run `bash tools/setup_browser.sh` as root "
            "(apt-get install chromium) or set CHROMIUM=/path/to/chromium"
        )
    return executable


def toc_pages(repo=REPO):
    """Every page of `_toc.yml` in reading order: the root, then parts, chapters and their
    sections (e.g. "book/index", "book/01_intro_to_deep_learning", "labs/lab1_...")."""
    toc = yaml.safe_load((Path(repo) / "_toc.yml").read_text(encoding="utf-8"))

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                yield entry["file"]
            yield from walk(entry.get("sections", []))

    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += list(walk(part.get("chapters", [])))
    return pages + list(walk(toc.get("chapters", [])))
