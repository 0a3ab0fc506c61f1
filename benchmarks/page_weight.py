"""Page weight and load time of the built book, as a reader's browser gets it.

Each page of the table of contents is opened in Debian's Chromium (Playwright, a fresh
context with an empty cache each time, at 1280x900) from a local server on 127.0.0.1; every
request leaving the machine is blocked and counted. For each page it prints the bytes
transferred by kind (the HTML, CSS, JavaScript, fonts, images, other), the total without
images (target: a chapter page under 1.5 MB; tests/test_browser.py checks it) and the
same gzip-compressed (what a web server that compresses, such as GitHub Pages, sends),
whether a MathJax script was loaded (none should be: math is typeset when the book is
built) and whether the page has math, and the load time (the `load` event, navigation
timing).

    .venv/bin/python benchmarks/page_weight.py [--html _build/html] [--write FILE]

Load times depend on the machine and on what else runs on it; the bytes do not.
"""

import argparse
import functools
import gzip
import http.server
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
from book_pages import CHROMIUM_ARGS, find_chromium, toc_pages  # noqa: E402

KINDS = ("document", "stylesheet", "script", "font", "image", "other")
TARGET_BYTES = 1_500_000


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def measure(browser, base, page):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    sizes = dict.fromkeys(KINDS, 0)
    gzipped = [0]
    outside = []
    mathjax = []

    def route(r):
        if r.request.url.startswith(base) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    def response(resp):
        if not resp.url.startswith(base):
            return
        try:
            body = resp.body()
        except Exception:  # a redirect or an aborted request has no body
            return
        kind = resp.request.resource_type
        sizes[kind if kind in sizes else "other"] += len(body)
        if kind != "image":
            gzipped[0] += len(gzip.compress(body, compresslevel=6))
        if "mathjax" in resp.url.lower() and resp.url.split("?")[0].endswith(".js"):
            mathjax.append(resp.url)

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("response", response)
    tab.goto(base + Path(page).with_suffix(".html").as_posix(), wait_until="load")
    tab.wait_for_load_state("networkidle")
    load_ms = tab.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    has_math = tab.evaluate("document.querySelectorAll('.math, div.math, span.math').length > 0")
    context.close()
    return sizes, gzipped[0], load_ms, bool(mathjax), has_math, outside


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", default=str(REPO / "_build" / "html"), help="the built book")
    parser.add_argument("--write", help="also write the table (Markdown) to this file")
    args = parser.parse_args(argv)
    html = Path(args.html)
    if not (html / "index.html").is_file():
        sys.exit(f"{html}/index.html is missing: build the book first (make book)")
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium: run tools/setup_browser.sh as root (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(html))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    header = (
        "| page | HTML | CSS | JS | fonts | images | other | total without images | "
        "gzipped | MathJax script / page has math | load |"
    )
    lines = [header, "| --- " + "| ---: " * 10 + "|"]
    over = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        for page in toc_pages():
            sizes, packed, load_ms, mathjax, has_math, outside = measure(browser, base, page)
            total = sum(v for k, v in sizes.items() if k != "image")
            if page.startswith("book/0") and total > TARGET_BYTES:
                over.append(page)
            kb = [f"{sizes[k] / 1e3:.0f} kB" for k in KINDS]
            lines.append(
                f"| {page} | " + " | ".join(kb) + f" | **{total / 1e6:.2f} MB** | "
                f"{packed / 1e6:.2f} MB | "
                f"{'yes' if mathjax else 'no'} / {'yes' if has_math else 'no'} | "
                f"{load_ms:.0f} ms |"
            )
            if outside:
                lines.append(f"| ↳ blocked outside requests: {len(outside)} | " + "| " * 10)
        browser.close()
    server.shutdown()
    table = "\n".join(lines)
    print(table)
    verdict = (
        f"chapter pages over {TARGET_BYTES / 1e6} MB without images: {over}"
        if over
        else f"every chapter page is under {TARGET_BYTES / 1e6} MB without images"
    )
    print(verdict)
    if args.write:
        Path(args.write).write_text(table + "\n\n" + verdict + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
