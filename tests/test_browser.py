"""The built book as a reader gets it, opened in a real headless browser.

Debian's Chromium (installed by tools/setup_browser.sh, which `make test` runs first) is
driven by Playwright; Playwright never downloads a browser of its own here. The book is
served from 127.0.0.1 and every request that leaves this machine is blocked and reported,
so the pages are checked as they work offline: every page loads with no console error,
its math is typeset, its images and audio players load, search finds what a reader types,
launch links point at notebooks that exist in this repository, and screenshots are saved
in _build/screenshots/ for a person to look at.

These tests skip, saying why, only where no browser can be had: Playwright missing, or no
Chromium installed (set CHROMIUM=/path/to/chromium to use another one).
"""

import functools
import http.server
import json
import re
import threading
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import chapter_notebooks
import pytest
import yaml
from book_pages import toc_pages

REPO = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
REPO_URL = CONFIG["repository"]["url"].rstrip("/")
BRANCH = CONFIG["repository"].get("branch", "main")
CHAPTER = re.compile(r"^book/0*(\d+)_")
LAB = re.compile(r"^labs/lab0*(\d+)_")

pytestmark = pytest.mark.slow


PAGES = toc_pages()
CHAPTERS = [f for f in PAGES if CHAPTER.match(f)]
LABS = [f for f in PAGES if LAB.match(f)]


def _source(page):
    """The repository file a page is built from (book/x.md or labs/x.ipynb)."""
    for suffix in (".md", ".ipynb"):
        if (REPO / page).with_suffix(suffix).is_file():
            return (REPO / page).with_suffix(suffix)
    raise AssertionError(f"no source file for the TOC entry {page}")


@pytest.fixture(scope="session")
def site(browser, built_book):
    """The built HTML served on 127.0.0.1 (as a web server gives it to readers)."""
    html = built_book / "html"
    handler = functools.partial(_QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def screenshots(built_book):
    folder = built_book / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Visit:
    """A page opened in a fresh browser context, with everything that went wrong on it."""

    def __init__(self, browser, base, page, width=1280, height=900):
        self.base = base
        self.problems = []
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.context.route("**/*", self._offline)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda err: self.problems.append(f"script error: {err}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)
        self.url = urljoin(base, page)
        self.page.goto(self.url, wait_until="load", timeout=60_000)
        self.page.wait_for_load_state("networkidle", timeout=30_000)

    def _offline(self, route):
        if route.request.url.startswith(self.base) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            self.problems.append(f"request to outside the book: {route.request.url}")
            route.abort()

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _failed(self, request):
        if request.resource_type == "media" and request.failure == "net::ERR_ABORTED":
            return  # a player stops reading its sound once it has the length (metadata)
        if request.url.startswith(self.base):
            self.problems.append(f"failed to load {request.url}: {request.failure}")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status} for {response.url}")

    def close(self):
        self.context.close()


@pytest.fixture()
def visit(browser, site):
    opened = []

    def _open(page, **kwargs):
        opened.append(Visit(browser, site, page, **kwargs))
        return opened[-1]

    yield _open
    for v in opened:
        v.close()


def _math_report(page):
    """Return (math elements, elements not typeset or not drawn, MathJax errors, math fonts
    loaded). Math is typeset when the book is built (tools/course_math.py): each formula is
    MathJax's markup, drawn with MathJax's web fonts (a MathJax script, if one is ever
    loaded again, is waited for)."""
    return page.evaluate(
        """async () => {
            const math = Array.from(document.querySelectorAll('.math'));
            if (math.length === 0) return [0, 0, 0, 0];
            if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
            await document.fonts.ready;
            const raw = math.filter(m => {
                const c = m.querySelector('mjx-container');
                return !c || c.getBoundingClientRect().width === 0;
            });
            const fonts = Array.from(document.fonts).filter(
                f => f.family.replace(/"/g, '').startsWith('MJX') && f.status === 'loaded');
            return [math.length, raw.length, document.querySelectorAll('mjx-merror').length,
                    fonts.length];
        }"""
    )


def _broken_images(page):
    return page.evaluate(
        """async () => {
            const images = Array.from(document.images);
            await Promise.all(images.map(i => i.decode().catch(() => null)));
            return images.filter(i => !i.complete || i.naturalWidth === 0)
                         .map(i => i.getAttribute('src').slice(0, 120));
        }"""
    )


def _audio_report(page):
    """Load each <audio> player's metadata; return a list of (error code, duration)."""
    page.evaluate(
        """() => document.querySelectorAll('audio').forEach(a => {
               if (a.readyState === 0) { a.preload = 'metadata'; a.load(); } })"""
    )
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('audio'))"
        ".every(a => a.readyState >= 1 || a.error)",
        timeout=30_000,
    )
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('audio')).map(
               a => [a.error ? a.error.code : null, a.duration])"""
    )


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_cleanly_with_math_images_and_audio(visit, page):
    v = visit(Path(page).with_suffix(".html").as_posix())
    title = v.page.title()
    assert title and "404" not in title, f"{page}: no title"
    n_math, untypeset, errors, math_fonts = _math_report(v.page)
    assert untypeset == 0, f"{page}: {untypeset} of {n_math} formulas were not typeset"
    assert errors == 0, f"{page}: MathJax reports {errors} errors in formulas"
    assert math_fonts > 0 or n_math == 0, f"{page}: no MathJax font loaded for its math"
    assert _broken_images(v.page) == [], f"{page}: images that do not load"
    icons = v.page.evaluate(
        "() => Array.from(document.querySelectorAll('i[class*=\"fa-\"]')).map(i => i.className)"
    )
    assert icons == [], f"{page}: icons not drawn (missing from the icon script?): {icons}"
    for number, (error, duration) in enumerate(_audio_report(v.page), start=1):
        assert error is None and duration > 0, f"{page}: audio player {number} does not load"
    figures = v.page.locator("figure")
    for i in range(figures.count()):
        caption = figures.nth(i).locator("figcaption")
        assert caption.count() == 1 and caption.inner_text().strip(), (
            f"{page}: figure {i + 1} has no caption"
        )
    assert v.problems == [], f"{page}:\n" + "\n".join(v.problems)


@pytest.mark.parametrize("page", PAGES)
def test_exercise_solutions_are_folded_away(visit, page):
    v = visit(Path(page).with_suffix(".html").as_posix())
    solutions = v.page.locator("div.solution")
    if v.page.locator("div.exercise").count() == 0 and solutions.count() == 0:
        pytest.skip(f"{page} has no exercise blocks")
    for i in range(solutions.count()):
        solution = solutions.nth(i)
        body = solution.locator(":scope > :not(.admonition-title)").first
        assert not body.is_visible(), f"{page}: solution {i + 1} is shown unfolded"
        solution.locator(".admonition-title").click()
        body.wait_for(state="visible", timeout=5_000)
    assert v.problems == [], f"{page}:\n" + "\n".join(v.problems)


def _launch_target(href):
    """The repository path a Colab / Binder / JupyterHub link opens, and the service."""
    parts = urlsplit(href)
    query = parse_qs(parts.query)
    if parts.netloc == "colab.research.google.com":
        prefix = "/github/" + urlsplit(REPO_URL).path.strip("/") + f"/blob/{BRANCH}/"
        assert parts.path.startswith(prefix), f"Colab link to another repository: {href}"
        return "Colab", parts.path[len(prefix) :]
    if parts.path.endswith("/hub/user-redirect/git-pull"):
        assert query["repo"] == [REPO_URL] and query["branch"] == [BRANCH], href
        name = urlsplit(REPO_URL).path.rstrip("/").rsplit("/", 1)[-1]
        urlpath = query["urlpath"][0]
        prefix = f"lab/tree/{name}/"
        assert urlpath.startswith(prefix), f"JupyterHub link outside the repository: {href}"
        return "JupyterHub", urlpath[len(prefix) :]
    if "/v2/gh/" in parts.path:
        assert parts.path.endswith(urlsplit(REPO_URL).path + f"/{BRANCH}"), href
        urlpath = query["urlpath"][0]
        assert urlpath.startswith("lab/tree/"), href
        return "Binder", urlpath[len("lab/tree/") :]
    raise AssertionError(f"unknown launch link {href}")


@pytest.mark.parametrize("page", CHAPTERS + LABS)
def test_launch_and_download_links_point_at_files_in_the_repository(visit, page):
    v = visit(Path(page).with_suffix(".html").as_posix())
    source = _source(page)
    links = v.page.locator(".dropdown-launch-buttons a").evaluate_all(
        "links => links.map(a => a.href)"
    )
    targets = dict(_launch_target(href) for href in links)
    # Every chapter and lab opens in Colab and Binder; JupyterHub only where a hub is
    # configured (launch_buttons.jupyterhub_url, empty as shipped: no placeholder address).
    expected = {"Binder", "Colab"}
    if CONFIG.get("launch_buttons", {}).get("jupyterhub_url"):
        expected.add("JupyterHub")
    assert set(targets) == expected, f"{page}: launch buttons {sorted(targets)}"
    assert not any("example" in urlsplit(href).netloc for href in links), links
    for service, path in targets.items():
        assert (REPO / path).is_file(), f"{page}: the {service} link opens {path}: no such file"
        if service == "Colab" and source.suffix == ".md":
            # Colab opens .ipynb only: a chapter opens its notebook copy, which must be
            # the chapter as it is now (tools/chapter_notebooks.py writes it).
            assert path == chapter_notebooks.notebook_path(page), f"{page}: Colab opens {path}"
            assert (REPO / path).read_text(encoding="utf-8") == chapter_notebooks.render(
                REPO, page
            ), f"{page}: {path} is out of date: run .venv/bin/python tools/chapter_notebooks.py"
        else:
            assert REPO / path == source, f"{page}: the {service} link opens {path}, not the page"
    downloads = v.page.locator(".dropdown-download-buttons a").evaluate_all(
        "links => links.map(a => a.href)"
    )
    notebooks = [href for href in downloads if href.endswith(".ipynb")]
    assert notebooks, f"{page}: no download button for the notebook"
    response = v.page.request.get(notebooks[0])
    assert response.ok, f"{page}: the notebook download gives HTTP {response.status}"
    notebook = json.loads(response.body())
    assert "cells" in notebook, f"{page}: the download is not a notebook"
    if source.suffix == ".ipynb":  # a lab: on Colab its first code cell installs the package
        first = next(c for c in notebook["cells"] if c["cell_type"] == "code")
        code = "".join(first["source"])
        assert 'find_spec("mit6s191_utils") is None' in code and f"git+{REPO_URL}" in code, (
            f"{page}: the first code cell does not install the course package from {REPO_URL}"
        )


@pytest.mark.parametrize("page", CHAPTERS + LABS)
def test_chapter_and_lab_link_each_other(visit, page):
    number = int((CHAPTER.match(page) or LAB.match(page)).group(1))
    partners = [
        p
        for p in (LABS if CHAPTER.match(page) else CHAPTERS)
        if int((CHAPTER.match(p) or LAB.match(p)).group(1)) == number
    ]
    if not partners:
        pytest.skip(f"{page} has no companion chapter or lab in _toc.yml yet")
    v = visit(Path(page).with_suffix(".html").as_posix())
    links = v.page.locator(".course-companion a").evaluate_all("links => links.map(a => a.href)")
    expected = urljoin(v.base, Path(partners[0]).with_suffix(".html").as_posix())
    assert expected in links, f"{page}: no link to {partners[0]} under the title"


def test_search_finds_backpropagation(visit):
    v = visit("search.html?q=backpropagation")
    v.page.wait_for_selector("#search-results ul.search li", timeout=30_000)
    results = v.page.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.href)"
    )
    assert any("/book/" in href for href in results), f"no chapter found: {results}"
    assert v.problems == [], "\n".join(v.problems)


def test_landing_page_says_what_and_how_and_maps_the_course(visit, screenshots):
    v = visit(Path(PAGES[0]).with_suffix(".html").as_posix())
    text = v.page.locator("main").inner_text()
    for needed in ("Who it is for", "How to use this book", "Read the chapter", "Do its lab"):
        assert needed in text, f"the landing page does not say {needed!r}"
    for maintainer_only in ("make book", "make test", ".venv"):
        assert maintainer_only not in text, f"the landing page talks about {maintainer_only!r}"
    links = set(v.page.locator("main a").evaluate_all("links => links.map(a => a.href)"))
    assert any("introtodeeplearning.com" in link for link in links), (
        "the landing page does not link the lectures' recordings and slides"
    )
    for page in CHAPTERS + LABS:
        target = urljoin(v.base, Path(page).with_suffix(".html").as_posix())
        assert target in links, f"the landing page's map does not link {page}"
    path = screenshots / "landing.png"
    height = v.page.evaluate("document.documentElement.scrollHeight")
    v.page.set_viewport_size({"width": 1280, "height": min(height, 4000)})
    v.page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    assert v.problems == [], "\n".join(v.problems)


def test_chapter_screenshots(visit, screenshots):
    if not CHAPTERS:
        pytest.skip("no chapter in _toc.yml")
    v = visit(Path(CHAPTERS[0]).with_suffix(".html").as_posix())
    _math_report(v.page)
    v.page.screenshot(path=str(screenshots / "chapter.png"))
    figure = v.page.locator("figure").first
    if figure.count():
        figure.scroll_into_view_if_needed()
        v.page.screenshot(path=str(screenshots / "chapter_figure.png"))
    assert (screenshots / "chapter.png").stat().st_size > 10_000


def test_status_page_lists_each_executed_chapter_with_its_time(visit):
    status = [p for p in PAGES if p.endswith("/status")]
    assert status, "the status page is not in _toc.yml"
    v = visit(Path(status[0]).with_suffix(".html").as_posix())
    rows = v.page.locator("table tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))"
    )
    listed = {row[0]: row for row in rows}
    for chapter in CHAPTERS:
        assert chapter in listed, f"{chapter} is not on the status page"
        seconds = float(listed[chapter][3])
        assert seconds > 0 and listed[chapter][4] == "\u2713", f"{chapter}: {listed[chapter]}"
    text = v.page.locator("main").inner_text()
    emoji = sorted({ch for ch in text if 0x1F000 <= ord(ch) or ord(ch) in (0x2705, 0x274C, 0x23F3)})
    assert not emoji, f"the status page needs an emoji font for {emoji}"


# --- Reading on a phone and on a desktop --------------------------------------------------

PHONE, DESKTOP = 390, 1280

_SHOWN = """(selector) => {
    const e = document.querySelector(selector);
    if (!e) return false;
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 50 && r.height > 50 && r.right > 20 && r.left < innerWidth - 20
        && s.visibility !== 'hidden' && s.display !== 'none';
}"""


def _visible_buttons(page, which):
    buttons = page.locator(f"button.{which}-toggle, label.{which}-toggle")
    return [buttons.nth(i) for i in range(buttons.count()) if buttons.nth(i).is_visible()]


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("which", ["primary", "secondary"])
def test_sidebar_buttons_open_the_chapter_list_and_the_page_contents(
    visit, screenshots, which, width
):
    """☰ opens the chapter list (primary sidebar), the contents button this page's
    sections (secondary sidebar); on a desktop ☰ folds the chapter list away and back."""
    if not CHAPTERS:
        pytest.skip("no chapter in _toc.yml")
    v = visit(Path(CHAPTERS[0]).with_suffix(".html").as_posix(), width=width, height=844)
    sidebar = f".bd-sidebar-{which}"
    shown = v.page.evaluate(_SHOWN, sidebar)
    buttons = _visible_buttons(v.page, which)
    if width == DESKTOP and which == "secondary":
        assert shown, "at 1280 px the page contents are not shown beside the text"
        return
    assert len(buttons) == 1, f"{width} px: {len(buttons)} visible {which} sidebar buttons"
    assert shown == (width == DESKTOP), f"{width} px: the {which} sidebar is shown={shown} at first"
    for _ in range(2 if width == DESKTOP else 1):
        before = v.page.evaluate(_SHOWN, sidebar)
        buttons[0].click()
        v.page.wait_for_function(
            f"() => ({_SHOWN})({sidebar!r}) !== {str(before).lower()}", timeout=5_000
        )
    assert v.page.evaluate(_SHOWN, sidebar), f"{width} px: the {which} sidebar did not open"
    links = v.page.locator(f"{sidebar} a")
    visible = [links.nth(i) for i in range(links.count()) if links.nth(i).is_visible()]
    assert len(visible) >= 2, f"{width} px: the open {which} sidebar shows {len(visible)} links"
    if width == PHONE:
        v.page.screenshot(path=str(screenshots / f"phone_{which}_sidebar.png"))
    assert v.problems == [], "\n".join(v.problems)


_OVERFLOW = """async () => {
    if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
    const clipped = [];
    for (const m of document.querySelectorAll('mjx-container[display="true"]')) {
        const box = m.getBoundingClientRect();
        let scrolls = false;
        for (let e = m; e && e !== document.body; e = e.parentElement) {
            const o = getComputedStyle(e).overflowX;
            const fits = e.getBoundingClientRect().right <= innerWidth + 1;
            if ((o === 'auto' || o === 'scroll') && fits) { scrolls = true; break; }
        }
        const wide = m.scrollWidth > m.clientWidth + 1 || box.right > innerWidth + 1;
        if (wide && !scrolls) clipped.push(m.textContent.slice(0, 60));
    }
    return [document.documentElement.scrollWidth, innerWidth, clipped];
}"""


@pytest.mark.parametrize("page", PAGES)
def test_no_page_is_wider_than_a_phone_and_equations_scroll_not_clip(visit, page):
    v = visit(Path(page).with_suffix(".html").as_posix(), width=PHONE, height=844)
    scroll_width, inner_width, clipped = v.page.evaluate(_OVERFLOW)
    assert scroll_width <= inner_width, (
        f"{page}: at {inner_width} px the page is {scroll_width} px wide (sideways scrolling)"
    )
    assert clipped == [], f"{page}: display equations cut off at {PHONE} px: {clipped}"


def _meaningful(alt, src):
    name = src.rsplit("/", 1)[-1]
    return (
        len(alt.split()) >= 3
        and name not in alt
        and not re.search(r"\.(png|jpe?g|svg|gif)\b", alt, re.IGNORECASE)
    )


@pytest.mark.parametrize("page", CHAPTERS)
def test_figures_are_sharp_described_and_open_full_size(visit, page):
    v = visit(Path(page).with_suffix(".html").as_posix())
    images = v.page.evaluate(
        """async () => {
            const images = Array.from(document.querySelectorAll('article img'));
            await Promise.all(images.map(i => i.decode().catch(() => null)));
            return images.map(i => ({
                src: i.getAttribute('src'), alt: i.getAttribute('alt') || '',
                natural: i.naturalWidth, shown: i.getBoundingClientRect().width,
                output: !!i.closest('.cell_output'),
                link: i.closest('a') ? i.closest('a').href : null}));
        }"""
    )
    assert images, f"{page} has no image"
    for number, image in enumerate(images, start=1):
        where = f"{page}: image {number} ({image['src'][:60]})"
        assert _meaningful(image["alt"], image["src"]), f"{where}: alt text {image['alt']!r}"
        assert image["shown"] > 0 and image["natural"] > 0, f"{where} is not shown"
        if image["output"]:
            assert image["natural"] >= 1.5 * image["shown"], (
                f"{where}: {image['natural']} px drawn into {image['shown']:.0f} px: "
                "not rendered for high-density screens"
            )
        assert image["link"], f"{where}: clicking it opens nothing"
        response = v.page.request.get(image["link"])
        assert response.ok and response.headers["content-type"].startswith("image/"), (
            f"{where}: its link {image['link']} is not an image"
        )
    first = v.page.locator("article a.image-reference img").first
    with v.page.expect_navigation():
        first.click()
    assert re.search(r"\.(png|jpe?g|svg)$", v.page.url), f"clicking opened {v.page.url}"
    assert v.problems == [], "\n".join(v.problems)


def test_next_after_each_chapter_is_its_lab_and_chapters_are_numbered(visit):
    assert CHAPTERS, "no chapter in _toc.yml"
    for chapter in CHAPTERS:
        number = int(CHAPTER.match(chapter).group(1))
        lab = next((lab for lab in LABS if int(LAB.match(lab).group(1)) == number), None)
        v = visit(Path(chapter).with_suffix(".html").as_posix())
        heading = v.page.locator("article h1").first.inner_text()
        assert re.match(rf"{number}\.\s", heading), (
            f"{chapter}: the title {heading!r} has no number"
        )
        sections = v.page.locator("article h2 .section-number").all_inner_texts()
        assert sections and all(s.startswith(f"{number}.") for s in sections), (
            f"{chapter}: section numbers {sections}"
        )
        captions = v.page.locator("figcaption .caption-number").all_inner_texts()
        assert captions and all(f"{number}." in c for c in captions), (
            f"{chapter}: figure numbers {captions}"
        )
        if lab:
            nxt = v.page.locator("a.right-next").get_attribute("href")
            assert urljoin(v.url, nxt) == urljoin(
                v.base, Path(lab).with_suffix(".html").as_posix()
            ), f"'Next' after {chapter} leads to {nxt}, not to {lab}"
    site_title = CONFIG["title"].strip().lower()
    first_title = _source(CHAPTERS[0]).read_text(encoding="utf-8").split("\n# ", 1)[1]
    assert first_title.splitlines()[0].strip().lower() not in site_title, (
        "the site's title and the first chapter's title share a name"
    )


def test_pages_have_a_favicon(visit):
    v = visit(Path(PAGES[0]).with_suffix(".html").as_posix())
    href = v.page.locator("link[rel~='icon']").first.get_attribute("href")
    assert href, "no favicon"
    response = v.page.request.get(urljoin(v.url, href))
    assert response.ok, f"the favicon {href} gives HTTP {response.status}"


# --- Page weight (issue 15): what a reader's browser downloads for a chapter ---------------

WEIGHT_LIMIT = 1_500_000  # bytes: a chapter page with its styles, scripts and fonts


@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_page_weighs_under_1_5_mb_without_images(browser, site, page):
    """Open the page with an empty cache and add up every response but images (the sizes
    of the built files as served; benchmarks/page_weight.py prints the same per kind)."""
    sizes = {}

    def count(response):
        if not response.url.startswith(site):
            return
        try:
            body = response.body()
        except Exception:  # a redirect has no body
            return
        kind = response.request.resource_type
        sizes[kind] = sizes.get(kind, 0) + len(body)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site) else r.abort())
    tab = context.new_page()
    tab.on("response", count)
    tab.goto(urljoin(site, Path(page).with_suffix(".html").as_posix()), wait_until="load")
    tab.wait_for_load_state("networkidle")
    tab.evaluate("document.fonts.ready.then(() => true)")
    tab.wait_for_load_state("networkidle")
    context.close()
    total = sum(size for kind, size in sizes.items() if kind != "image")
    kinds = ", ".join(f"{kind} {size / 1e3:.0f} kB" for kind, size in sorted(sizes.items()))
    assert sizes.get("document"), f"{page}: nothing was downloaded"
    assert total <= WEIGHT_LIMIT, (
        f"{page} weighs {total / 1e6:.2f} MB without images (limit "
        f"{WEIGHT_LIMIT / 1e6} MB): {kinds}"
    )
