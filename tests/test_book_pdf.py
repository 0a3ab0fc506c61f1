"""The book's PDF (`make pdf`, tools/book_pdf.py): one file that holds every chapter and
lab of _toc.yml, with the exercises' solutions unfolded.

It is built next to the HTML book of the session (tests/conftest.py's `built_book`, from the
same execution cache) and read back with pdftotext (Debian's poppler-utils, installed by
tools/setup_browser.sh, which `make test` runs first); the test skips, saying why, only
where Chromium or pdftotext is missing.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
import book_pages  # noqa: E402
import book_pdf  # noqa: E402
from book_pages import toc_pages  # noqa: E402

pytestmark = pytest.mark.slow


def _title(page):
    """The first level-1 heading of a chapter (.md) or lab (.ipynb)."""
    md, ipynb = (REPO / page).with_suffix(".md"), (REPO / page).with_suffix(".ipynb")
    if md.is_file():
        text = md.read_text(encoding="utf-8")
    else:
        cells = json.loads(ipynb.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return re.search(r"^# (.+)$", text, re.MULTILINE).group(1).strip()


def _solution_phrases():
    """A run of plain words from the body of each {solution} block of the chapters."""
    phrases = []
    for path in sorted(REPO.glob("book/[0-9][0-9]_*.md")):
        for body in re.findall(
            r"^:::\{solution\}[^\n]*\n(.*?)^:::\s*$", path.read_text(), re.S | re.M
        ):
            prose = " ".join(line for line in body.splitlines() if not line.startswith(":"))
            runs = re.findall(r"(?:[A-Za-z]{2,}[,;]? ){5}[A-Za-z]{2,}", prose)
            if runs:
                phrases.append((path.name, runs[0]))
    return phrases


def _words(text):
    return " ".join(re.sub(r"[^\w]+", " ", text).split()).lower()


@pytest.fixture(scope="session")
def pdf_text(built_book):
    try:
        book_pdf.require_chromium()
    except book_pdf.BrowserMissing as exc:
        pytest.skip(str(exc))
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("no pdftotext: run tools/setup_browser.sh as root (installs poppler-utils)")
    output = built_book.parent
    command = [sys.executable, str(REPO / "tools" / "book_pdf.py")]
    if output != REPO:
        command += ["--path-output", str(output)]
    proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=3000)
    assert proc.returncode == 0, f"make pdf failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
    pdf = built_book / "pdf" / "book.pdf"
    assert pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-", f"{pdf} is not a PDF"
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True)
    assert text.returncode == 0, text.stderr
    return _words(text.stdout)


def test_the_pdf_holds_every_chapter_and_lab(pdf_text):
    pages = [p for p in toc_pages() if re.match(r"(book/\d\d_|labs/lab\d)", p)]
    assert pages, "no chapter or lab in _toc.yml"
    missing = [f"{p} ({_title(p)!r})" for p in pages if _words(_title(p)) not in pdf_text]
    assert not missing, f"the PDF lacks {missing}"


def test_the_pdf_shows_the_solutions_unfolded(pdf_text):
    phrases = _solution_phrases()
    if not phrases:
        pytest.skip("no {solution} block in the chapters")
    folded = [f"{name}: {phrase!r}" for name, phrase in phrases if _words(phrase) not in pdf_text]
    assert not folded, f"solutions missing from the PDF: {folded}"


def test_a_missing_browser_stops_the_pdf_saying_what_to_do(tmp_path, monkeypatch, capsys):
    """No Chromium, or no Playwright: one clear message (the same the browser tests skip
    with), before anything is built or written."""
    monkeypatch.setattr(book_pages, "find_chromium", lambda: None)
    with pytest.raises(SystemExit, match=r"no Chromium browser .*setup_browser\.sh.*CHROMIUM="):
        book_pdf.print_pdf(tmp_path, tmp_path / "book.pdf")
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    with pytest.raises(book_pages.BrowserMissing, match="Playwright is not installed: run"):
        book_pages.require_chromium()
    assert not (tmp_path / "book.pdf").exists()
