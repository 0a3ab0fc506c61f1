"""Sphinx extension for the course book: chapter <-> lab links and launch links that work.

- Each chapter ``book/0N_*`` gets a line under its title linking its lab ``labs/labN_*``,
  and each lab a line linking back to its chapter, when both are in the table of contents.
- Colab opens only ``.ipynb`` files, so the Colab launch button is dropped from pages whose
  source is a MyST Markdown notebook (the chapters); Binder and JupyterHub open those with
  jupytext, and labs keep all three.
- Two console errors of the theme stack on every page are fixed: sphinx-thebe's inline
  script is added twice under Jupyter Book 1.0.4 (``THEBE_JS_URL`` declared twice), and
  pydata-sphinx-theme complains about an empty colour mode on a first visit.
- Figures are drawn for high-density screens: the kernels that execute the chapters get an
  IPython profile whose inline backend saves "retina" PNGs (twice the pixels, shown at the
  size of a 1x figure). Such an image is sized by its width, so Sphinx links it to its
  full-size file: clicking a figure opens it.
- Every image of a figure gets its caption as alt text (myst-nb leaves it empty).
- Page weight (benchmarks/page_weight.py measures it): math is typeset at build time
  (tools/course_math.py), the theme's Font Awesome script is cut down to the icons the
  book uses, and audio players load their sound from a file when played instead of
  carrying it in the page.
- Every page gets the course's favicon (tools/static/favicon.svg).
- The execution table of the status page says ✓/✗, which every font has, not the emoji.
- Citations are labelled by author and year, in the text and in the reference list alike.
"""

import os
import re
import tempfile
from pathlib import Path

from docutils import nodes
from sphinx import addnodes

CHAPTER = re.compile(r"^book/0*(\d+)_[^/]+$")
LAB = re.compile(r"^labs/lab0*(\d+)_[^/]+$")


def _partner(docname, found_docs):
    """The (label, docname) of the lab of a chapter or the chapter of a lab, or None."""
    for pattern, other, label in (
        (CHAPTER, LAB, "The lab for this chapter"),
        (LAB, CHAPTER, "The chapter behind this lab"),
    ):
        match = pattern.match(docname)
        if match:
            number = int(match.group(1))
            for candidate in sorted(found_docs):
                other_match = other.match(candidate)
                if other_match and int(other_match.group(1)) == number:
                    return label, candidate
    return None


def add_companion_link(app, doctree):
    """Insert the chapter <-> lab link right under the page title."""
    docname = app.env.docname
    partner = _partner(docname, app.env.found_docs)
    if partner is None:
        return
    label, target = partner
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return
    xref = addnodes.pending_xref(
        "",
        nodes.inline("", target, classes=["xref", "std", "std-doc"]),
        refdomain="std",
        reftype="doc",
        reftarget="/" + target,
        refexplicit=False,
        refwarn=True,
        refdoc=docname,
    )
    para = nodes.paragraph("", "", nodes.strong("", label + ": "), xref)
    para["classes"].append("course-companion")
    section.insert(1, para)


def drop_colab_for_markdown(app, pagename, templatename, context, doctree):
    """Remove the Colab launch link from pages built from a Markdown notebook."""
    if not str(context.get("page_source_suffix", "")).endswith(".md"):
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "launch-buttons":
            button["buttons"] = [b for b in button["buttons"] if b.get("text") != "Colab"]


def fix_page_scripts(app, pagename, templatename, context, doctree):
    """Drop scripts added twice (same file, same inline body) and set a default colour mode."""
    scripts = context.get("script_files")
    if isinstance(scripts, list):
        seen, unique = set(), []
        for script in scripts:
            attributes = getattr(script, "attributes", {})
            # An inline script has the file name None or "" depending on who added it.
            key = (str(getattr(script, "filename", script) or ""), repr(sorted(attributes.items())))
            if key not in seen:
                seen.add(key)
                unique.append(script)
        scripts[:] = unique
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


FONTAWESOME = Path("_static") / "scripts" / "fontawesome.js"
ICON = re.compile(
    r'(?:"(?P<q>[\w-]+)"|(?P<n>[A-Za-z_$][\w$]*)):\[\d+,\d+,\[(?P<aliases>[^\]]*)\],'
    r'"[0-9a-f]+",(?:"[^"]*"|\[[^\]]*\])\],?'
)


def subset_fontawesome(app, exception):
    """Keep only the icons the book uses in the theme's Font Awesome script (1.5 MB).

    The script turns each ``<i class="fa-...">`` into an SVG; it carries all 2,000 icons.
    The icons kept are those named by a ``fa-`` class anywhere in the built pages or in the
    other scripts and styles of ``_static`` (e.g. the theme switcher's sun and moon)."""
    if exception is not None or app.builder.name != "html":
        return
    out = Path(app.outdir)
    script = out / FONTAWESOME
    if not script.is_file():
        return
    used = _used_icons(out, script)

    def keep(match):
        names = {match["q"] or match["n"]}
        names.update(re.findall(r'"([\w-]+)"', match["aliases"]))
        return match.group(0) if names & used else ""

    text = script.read_text(encoding="utf-8")
    script.write_text(ICON.sub(keep, text), encoding="utf-8")


def _used_icons(out, *skip):
    """The Font Awesome icon names (``fa-NAME`` classes) in the built pages and scripts."""
    used = set()
    for path in list(out.rglob("*.html")) + list((out / "_static").rglob("*.js")):
        if path not in skip:
            used.update(re.findall(r"fa-([a-z0-9-]+)", path.read_text("utf-8", "replace")))
    return used


THEME_CSS = Path("_static") / "styles" / "pydata-sphinx-theme.css"
ICON_RULE = re.compile(r"(?<=[}])(?P<selectors>(?:\.fa-[a-z0-9-]+::?before,?)+)\{[^{}]*\}")
FONT_FACE = re.compile(
    r"url\((?P<path>[^)]*/webfonts/(?P<name>fa-[a-z]+-\d+))\.woff2\) format\(\"woff2\"\),"
    r"url\([^)]*\.ttf\) format\(\"truetype\"\)"
)
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{2,6})")


def subset_fontawesome_fonts(app, exception):
    """Cut the theme's Font Awesome styles and web fonts down to the icons the book uses.

    The theme's stylesheet carries a rule per icon (1,600 rules, 90 kB) and its pages load
    two icon fonts (270 kB) for the few icons drawn by CSS (admonitions, the theme's own
    buttons). Kept: the rules of icons named in the pages or scripts, and in each font the
    glyphs of every character the remaining stylesheets name (``\\f0eb`` escapes and the
    private-use characters of the theme's ``--pst-icon-*`` variables). The fonts are
    written as WOFF (fontTools, which matplotlib installs) next to the originals."""
    if exception is not None or app.builder.name != "html":
        return
    out = Path(app.outdir)
    css = out / THEME_CSS
    if not css.is_file():
        return
    from fontTools import subset
    from fontTools.ttLib import TTFont

    used = _used_icons(out, out / FONTAWESOME)

    def keep(match):
        names = re.findall(r"\.fa-([a-z0-9-]+)", match["selectors"])
        return match.group(0) if set(names) & used else ""

    text = ICON_RULE.sub(keep, css.read_text(encoding="utf-8"))
    codes = set()
    for sheet in (out / "_static").rglob("*.css"):
        body = text if sheet == css else sheet.read_text("utf-8", "replace")
        codes.update(int(code, 16) for code in CSS_ESCAPE.findall(body))
        codes.update(ord(ch) for ch in body if 0xE000 <= ord(ch) <= 0xF8FF)

    def woff(match):
        source = (css.parent / f"{match['path']}.ttf").resolve()
        target = source.with_name(f"{match['name']}.subset.woff")
        font = TTFont(source)
        options = subset.Options()
        options.flavor = "woff"
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codes & set(font.getBestCmap())))
        subsetter.subset(font)
        font.flavor = "woff"
        font.save(target)
        return f'url({match["path"]}.subset.woff) format("woff")'

    css.write_text(FONT_FACE.sub(woff, text), encoding="utf-8")


AUDIO_DATA = re.compile(r'src="data:audio/(?P<kind>[\w.+-]+);base64,(?P<data>[A-Za-z0-9+/=\s]+)"')
AUDIO_TAG = re.compile(r"<audio(?![^>]*\bpreload=)")
AUDIO_FOLDER = Path("_static") / "audio"


def audio_to_files(app, exception):
    """Move each audio player's sound out of the page into a file of its own.

    IPython's ``Audio`` embeds the whole sound in the page as base64 (chapter 2: 680 kB of
    its 850 kB). The sound is written to ``_static/audio/<sha256>.<kind>`` and the player
    points at it with ``preload="none"``: it is downloaded when the reader presses play."""
    if exception is not None or app.builder.name != "html":
        return
    import base64
    import hashlib

    out = Path(app.outdir)
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "data:audio/" not in text:
            continue

        def to_file(match, page=page):
            data = base64.b64decode("".join(match["data"].split()))
            kind = re.sub(r"^x-", "", match["kind"])
            name = f"{hashlib.sha256(data).hexdigest()[:20]}.{kind}"
            target = out / AUDIO_FOLDER / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.is_file():
                target.write_bytes(data)
            return f'src="{os.path.relpath(target, page.parent).replace(os.sep, "/")}"'

        text = AUDIO_DATA.sub(to_file, text)
        page.write_text(AUDIO_TAG.sub('<audio preload="none"', text), encoding="utf-8")


INLINE_BACKEND = """# Written by tools/course_book.py for the kernels that execute the book.
c.InlineBackend.figure_formats = {"retina"}
"""


def use_retina_figures():
    """Point the kernels the build starts at an IPython profile saving retina figures.

    Only the IPython directory of the build's own kernels changes (IPYTHONDIR is inherited
    by the kernel processes); a reader's Jupyter keeps its own settings. The numbers a
    chapter prints do not depend on it.
    """
    folder = Path(tempfile.gettempdir()) / f"mit6s191-book-ipython-{os.getuid()}"
    profile = folder / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    config = profile / "ipython_kernel_config.py"
    if not config.is_file() or config.read_text(encoding="utf-8") != INLINE_BACKEND:
        config.write_text(INLINE_BACKEND, encoding="utf-8")
    os.environ["IPYTHONDIR"] = str(folder)


def caption_alt_text(app, doctree, docname):
    """Give each image inside a figure its caption as alt text, unless it has a real one."""
    for figure in doctree.findall(nodes.figure):
        captions = [c for c in figure.findall(nodes.caption)]
        if not captions:
            continue
        text = " ".join(captions[0].astext().split())
        for image in figure.findall(nodes.image):
            alt = image.get("alt", "").strip()
            uri = str(image.get("uri", ""))
            if not alt or alt == uri or alt == Path(uri).name:
                image["alt"] = text


def plain_status_symbols(app, doctree, docname):
    """✅/❌ of myst-nb's execution table need an emoji font; ✓/✗ do not."""
    for table in doctree.findall(nodes.table):
        for text in list(table.findall(nodes.Text)):
            if "\u2705" in text or "\u274c" in text:
                new = nodes.Text(str(text).replace("\u2705", "\u2713").replace("\u274c", "\u2717"))
                text.parent.replace(text, new)


def _author_year_style():
    """A pybtex style: entries labelled "Amini and Soleimany 2021", sorted by author."""
    from pybtex.style.formatting.unsrt import Style
    from pybtex.style.labels import BaseLabelStyle

    class AuthorYearLabels(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            # Two works with the same authors and year: "Amini et al. 2019a", "... 2019b".
            labels = list(self._labels(sorted_entries))
            repeated = {label for label in labels if labels.count(label) > 1}
            seen = {}
            for label in labels:
                if label in repeated:
                    seen[label] = seen.get(label, 0) + 1
                    label += "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
                yield label

        def _labels(self, sorted_entries):
            for entry in sorted_entries:
                people = entry.persons.get("author") or entry.persons.get("editor") or []
                names = [" ".join(p.last_names) for p in people]
                names = [re.sub(r"[{}]|\\[a-zA-Z]+|\\.", "", n) for n in names]
                if len(names) > 2:
                    who = f"{names[0]} et al."
                elif names:
                    who = " and ".join(names)
                else:
                    who = entry.fields.get("title", entry.key)
                yield f"{who} {entry.fields.get('year', 'n.d.')}"

    class AuthorYearStyle(Style):
        default_label_style = AuthorYearLabels
        default_sorting_style = "author_year_title"

    return AuthorYearStyle


def merge_streams_exactly():
    """Make myst-nb's ``nb_merge_streams`` join a cell's stream parts exactly.

    A cell's printed text reaches the notebook in parts whose boundaries depend on timing
    (even inside one ``print``). myst-nb's merge strips each part and re-joins them with a
    newline, so under load a printed line could show broken in two. Here the parts of each
    stream are first concatenated as they were written (into the first part, in place, as
    myst-nb does), then myst-nb's own merge runs on that one part.
    """
    import myst_nb.core.render as render

    original = getattr(render.coalesce_streams, "__wrapped__", render.coalesce_streams)

    def coalesce_streams(outputs):
        first, merged = {}, []
        for output in outputs or []:
            if output.get("output_type") == "stream":
                if output["name"] in first:
                    first[output["name"]]["text"] += output["text"]
                    continue
                first[output["name"]] = output
            merged.append(output)
        return original(merged)

    coalesce_streams.__wrapped__ = original
    render.coalesce_streams = coalesce_streams


def setup(app):
    use_retina_figures()
    merge_streams_exactly()
    from pybtex.plugin import register_plugin

    register_plugin("pybtex.style.formatting", "authoryear", _author_year_style(), force=True)
    app.connect("doctree-read", add_companion_link)
    app.connect("doctree-resolved", caption_alt_text)
    app.connect("doctree-resolved", plain_status_symbols)
    app.connect("html-page-context", drop_colab_for_markdown, priority=900)
    app.connect("html-page-context", fix_page_scripts, priority=900)
    app.connect("build-finished", subset_fontawesome)
    app.connect("build-finished", audio_to_files)
    app.connect("build-finished", subset_fontawesome_fonts)
    app.add_css_file("course_book.css")
    app.connect("builder-inited", _add_static_path)
    app.connect("builder-inited", _share_html_handlers)
    app.connect("config-inited", _default_favicon)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


def _add_static_path(app):
    app.config.html_static_path.append(str(Path(__file__).parent / "static"))


def _share_html_handlers(app):
    """Let the singlehtml builder (the book's PDF, tools/book_pdf.py) render every node the
    html builder can: Sphinx uses a builder's own handler table whenever one exists, so
    nodes registered only for "html" (myst-nb's hidden code cells) would fail there."""
    handlers = app.registry.translation_handlers
    if app.builder.name != "html" and app.builder.format == "html":
        own = handlers.setdefault(app.builder.name, {})
        for node, pair in handlers.get("html", {}).items():
            own.setdefault(node, pair)


def _default_favicon(app, config):
    """The course's favicon (tools/static/favicon.svg) unless _config.yml names another."""
    if not config.html_favicon:
        config.html_favicon = str(Path(__file__).parent / "static" / "favicon.svg")
