"""The whole book as one PDF, built offline: `make pdf` (or `python tools/book_pdf.py`).

1. Jupyter Book builds the `singlehtml` version of the book: every page in one HTML file,
   from the same execution cache as `make book` (an unchanged chapter is not re-run).
2. Debian's Chromium (the browser of the browser tests; tools/setup_browser.sh installs it),
   driven by Playwright, opens it from 127.0.0.1 with every outside request blocked, waits
   for MathJax, unfolds every solution and prints it with the book's print style
   (tools/static/course_book.css: no navigation, code and outputs wrap).

The PDF lands in <output>/_build/pdf/book.pdf (<output> is the repository, or --path-output).
"""

import argparse
import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from book_pages import CHROMIUM_ARGS, BrowserMissing, require_chromium

REPO = Path(__file__).resolve().parents[1]

UNFOLD = """async () => {
    if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
    document.querySelectorAll('details').forEach(d => { d.open = true; });
    document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
    document.querySelectorAll('.toggle-button').forEach(b => b.remove());
    document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; });
    await Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)));
    return document.querySelectorAll('mjx-merror').length;
}"""


def build_singlehtml(path_output=None):
    """Build the singlehtml book (warnings as errors); return its folder."""
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", ".", "-W", "-n"]
    command += ["--keep-going", "--builder", "singlehtml"]
    if path_output:
        command += ["--path-output", str(path_output)]
    proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"the singlehtml build failed:\n{proc.stdout[-4000:]}{proc.stderr[-4000:]}")
    return (Path(path_output).resolve() if path_output else REPO) / "_build" / "singlehtml"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def single_page(folder):
    """The file name, under `folder`, of the one page that holds the whole book.

    The book's root is book/index, so singlehtml writes the book to book/index.html (and a
    redirect to it as index.html) but with links relative to the top folder (_static/...,
    _images/...): a copy at the top makes them resolve."""
    index = (folder / "index.html").read_text(encoding="utf-8")
    redirect = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', index)
    if not redirect or "/" not in redirect.group(1):
        return "index.html"
    shutil.copyfile(folder / redirect.group(1), folder / "book.html")
    return "book.html"


def print_pdf(folder, pdf):
    """Print the singlehtml book in `folder` to `pdf` with Chromium; return the problems."""
    try:
        chromium = require_chromium()
    except BrowserMissing as exc:
        sys.exit(str(exc))
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    problems = []

    def offline(route):
        if route.request.url.startswith(base) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            problems.append(f"blocked a request to {route.request.url}")
            route.abort()

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1000, "height": 1400})
            page.route("**/*", offline)
            page.goto(base + single_page(folder), wait_until="load", timeout=120_000)
            page.wait_for_load_state("networkidle", timeout=120_000)
            errors = page.evaluate(UNFOLD)
            if errors:
                problems.append(f"MathJax reports {errors} errors")
            page.emulate_media(media="print")
            pdf.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(
                path=str(pdf),
                format="A4",
                print_background=True,
                margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=(
                    '<div style="font-size:8px;width:100%;text-align:center">'
                    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
                ),
            )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path-output", help="build under DIR/_build (jupyter-book's option)")
    parser.add_argument("--skip-build", action="store_true", help="print the existing build")
    args = parser.parse_args(argv)
    out = (Path(args.path_output).resolve() if args.path_output else REPO) / "_build"
    folder = out / "singlehtml" if args.skip_build else build_singlehtml(args.path_output)
    if not (folder / "index.html").is_file():
        sys.exit(f"{folder}/index.html is missing: build it first (drop --skip-build)")
    pdf = out / "pdf" / "book.pdf"
    problems = print_pdf(folder, pdf)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    print(f"The book as a PDF: {pdf} ({pdf.stat().st_size / 1e6:.1f} MB)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
