"""The book: it builds with warnings as errors, and every chapter reproduces its numbers.

The build executes each chapter (cached in _build/.jupyter_cache); nbval then re-runs the
executed notebooks in a fresh kernel and compares every text output with what the build
printed, so a number in the book is the number a student gets. The session fixture
`built_book` (tests/conftest.py) builds the book once for these and the browser tests.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from book_pages import toc_pages
from nbval_plugin import reference_notebook
from testkit import chapter_source, code_cells

REPO = Path(__file__).resolve().parents[1]


CHAPTERS = [f for f in toc_pages() if f.startswith("book/") and Path(f).name[:2].isdigit()]


def test_every_reference_links_its_source():
    """Each entry of the bibliography carries a DOI or a URL (a printed book may not)."""
    bib = (REPO / "book" / "references.bib").read_text(encoding="utf-8")
    entries = re.findall(r"@(\w+)\{([^,]+),(.*?)\n\}", bib, re.S)
    assert entries, "no entry in book/references.bib"
    unlinked = [
        key
        for kind, key, body in entries
        if kind.lower() != "book" and not re.search(r"^\s*(doi|url)\s*=", body, re.M)
    ]
    assert not unlinked, f"references without a DOI or URL: {unlinked}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_pins_one_thread_before_seeding(chapter):
    """Chapter 1's Setup promises that every chapter starts with limit_cpu_threads(1), then
    seed_everything(): with more threads, chapters 3 and 4 printed other numbers."""
    first = code_cells(chapter_source(Path(chapter).name + ".md"))[0]
    assert "assert limit_cpu_threads(1)" in first, f"{chapter}: no one-thread pin"
    assert first.index("limit_cpu_threads(1)") < first.index("\nseed_everything()"), chapter


@pytest.mark.slow
def test_book_builds_every_page(built_book):
    html = built_book / "html"
    for page in toc_pages():
        assert (html / page).with_suffix(".html").is_file(), f"{page} was not built"
    assert (html / "_sources" / "labs").exists() or (html / "labs").exists()
    for chapter in CHAPTERS:
        page = (html / chapter).with_suffix(".html").read_text(encoding="utf-8")
        figures = page.count('src="../_images/')
        assert figures, f"{chapter} shows no figure: were its plots captured when executed?"


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_reproduces_its_outputs(built_book, chapter):
    executed = built_book / "jupyter_execute" / Path(chapter).with_suffix(".ipynb")
    assert executed.is_file(), f"{executed} missing: was {chapter} executed by the build?"
    reference = executed.with_name(executed.stem + ".nbval.ipynb")
    reference_notebook(executed, reference)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval",
            "--nbval-current-env",
            "-p",
            "nbval_plugin",
            "--nbval-sanitize-with",
            str(REPO / "tests/nbval_sanitize.cfg"),
            "--rootdir",
            str(executed.parent),
            str(reference),
        ],
        cwd=executed.parent,
        env={**os.environ, "PYTHONPATH": str(REPO / "tests")},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode == 0, f"{chapter} did not reproduce its outputs:\n{proc.stdout[-5000:]}"
