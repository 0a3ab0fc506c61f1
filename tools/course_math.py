"""Math typeset when the book is built, not in the reader's browser.

Each formula is turned into MathJax's HTML output (CHTML) by MathJax itself, run in V8
(the ``mini-racer`` package) from the copy of MathJax 3 that ``sphinx-mathjax-offline``
ships, so pages load no MathJax script (1.2 MB before) and math shows at once, offline.
What the reader gets per page: the typeset markup, one small stylesheet for the glyphs the
book uses (``_static/course-math.css``) and MathJax's web fonts for them (only the fonts a
page uses are downloaded). Screen readers get each formula as MathML (MathJax's
assistive MathML, hidden from view).

A formula MathJax cannot parse (an unknown macro, a missing brace) is a build warning that
names the page and the TeX, so ``-W`` fails the build.
"""

import atexit
import json
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

RENDERER = "course_mathjax"
STYLESHEET = "course-math.css"
FONTS = "mathjax-fonts"  # under _static/: MathJax's woff fonts
# The TeX packages of MathJax's full TeX input that the book may use (no \require, no
# autoload: every package is loaded when the book is built).
PACKAGES = [
    "base",
    "ams",
    "newcommand",
    "configmacros",
    "boldsymbol",
    "cancel",
    "color",
    "braket",
    "mathtools",
]

# Math as large as MathJax made it in the browser next to the theme's text (it matched
# the x-heights: 119.5 %); with no browser to measure in, the size is given.
SCALE = 1.195

_BOOT = """
var window = undefined, global = globalThis, exports = {}, __dirname = '/mathjax', SOURCES = {};
function require(name) {
  if (name === 'path') return {
    basename: function (p) { return p.split('/').pop(); },
    dirname: function (p) { return p.split('/').slice(0, -1).join('/'); },
    resolve: function () { return Array.prototype.join.call(arguments, '/'); }
  };
  var key = String(name).replace(/^.*\\/mathjax\\//, '').replace(/\\.js$/, '');
  if (!(key in SOURCES)) throw new Error('MathJax needs its component ' + name);
  (0, eval)(SOURCES[key]);
  return {};
}
var MathJax = {};
"""

_INIT = """
var READY = null;
exports.init({
  loader: {load: ['input/tex-full', 'output/chtml', 'a11y/assistive-mml']},
  tex: {packages: %(packages)s, formatError: function (jax, err) { throw err; }},
  chtml: {fontURL: '%(fonts)s', adaptiveCSS: true, scale: %(scale)s},
  startup: {typeset: false}
}).then(function () { READY = 'ok'; }).catch(function (e) { READY = 'error: ' + e; });
"""

_COMPONENTS = ["input/tex-full", "output/chtml", "output/chtml/fonts/tex", "a11y/assistive-mml"]


def mathjax_folder():
    """MathJax 3 as shipped by the sphinx-mathjax-offline package."""
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "sphinx-mathjax-offline is not installed: run "
            "`.venv/bin/pip install -r requirements.txt` (it ships the MathJax that typesets "
            "the book's math)"
        )
    return Path(list(spec.submodule_search_locations)[0]) / "static" / "mathjax"


class Typesetter:
    """MathJax in V8: TeX in, CHTML markup out; one MathJax document for the whole build,
    so its stylesheet covers every glyph typeset so far."""

    def __init__(self, packages=PACKAGES, scale=SCALE):
        try:
            from py_mini_racer import MiniRacer
        except ImportError as error:
            raise RuntimeError(
                "mini-racer is not installed: run `.venv/bin/pip install -r requirements.txt` "
                "(the book's math is typeset with MathJax in V8 when it is built)"
            ) from error
        folder = mathjax_folder()
        self.ctx = MiniRacer()
        self.ctx.eval(_BOOT)
        for component in _COMPONENTS:
            source = (folder / f"{component}.js").read_text(encoding="utf-8")
            self.ctx.eval(f"SOURCES[{json.dumps(component)}] = {json.dumps(source)};")
        self.ctx.eval((folder / "node-main.js").read_text(encoding="utf-8"))
        # The stylesheet sits in _static/, the fonts in _static/mathjax-fonts/.
        options = {"packages": json.dumps(list(packages)), "fonts": FONTS, "scale": float(scale)}
        self.ctx.eval(_INIT % options)
        import time

        for _attempt in range(600):
            state = self.ctx.eval("READY")
            if state:
                break
            time.sleep(0.05)
        if state != "ok":
            raise RuntimeError(f"MathJax did not start in V8: {state}")
        atexit.register(self.close)

    def typeset(self, tex, display):
        """The CHTML markup of one formula; ValueError with MathJax's message if it fails."""
        script = (
            "(function (tex, display) { try { return ['ok', MathJax.startup.adaptor.outerHTML("
            "MathJax.tex2chtml(tex, {display: display}))]; } catch (e) { "
            "return ['error', String(e.message || e)]; } })"
            f"({json.dumps(tex)}, {json.dumps(bool(display))})"
        )
        status, text = json.loads(self.ctx.eval(f"JSON.stringify({script})"))
        if status != "ok":
            raise ValueError(text)
        return text

    def stylesheet(self):
        return self.ctx.eval("MathJax.startup.adaptor.textContent(MathJax.chtmlStylesheet())")

    def close(self):
        if self.ctx is not None:
            self.ctx.close()
            self.ctx = None


def _typesetter(app):
    if getattr(app, "_course_typesetter", None) is None:
        config = app.config
        app._course_typesetter = Typesetter(config.course_math_packages, config.course_math_scale)
    return app._course_typesetter


def _typeset(translator, node, tex, display):
    app = translator.builder.app
    try:
        return _typesetter(app).typeset(tex, display)
    except ValueError as error:
        logger.warning(
            "MathJax cannot typeset %r: %s (fix the TeX)", tex.strip()[:200], error, location=node
        )
        return translator.encode(tex)


def display_tex(node):
    """The TeX MathJax gets for a display formula (what sphinx.ext.mathjax would send)."""
    if node.get("nowrap"):
        return node.astext()
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    body = []
    for part in parts:
        body.append(r"\begin{split}" + part + r"\end{split}" if r"\\" in part else part)
    tex = r"\\".join(body)
    if len(parts) > 1:
        tex = r"\begin{align}\begin{aligned}" + tex + r"\end{aligned}\end{align}"
    return tex


def visit_math(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_typeset(self, node, node.astext(), False) + "</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node):
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node.get("number") and not node.get("nowrap"):
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.append(_typeset(self, node, display_tex(node), True) + "</div>\n")
    raise nodes.SkipNode


def add_stylesheet(app, pagename, templatename, context, doctree):
    """The glyph stylesheet on every page with math (the one-page PDF book: always)."""
    if app.builder.format != "html" or app.builder.math_renderer_name != RENDERER:
        return
    has_math = app.env.get_domain("math").data["has_equations"].get(pagename)
    if has_math or app.builder.name != "html":
        app.builder.add_css_file(STYLESHEET, priority=600)


def write_stylesheet(app, exception):
    """Typeset every formula of the book once more (pages not rewritten in an incremental
    build count too), then write the stylesheet of all their glyphs and copy the fonts."""
    if exception is not None or app.builder.format != "html":
        return
    if app.builder.math_renderer_name != RENDERER:
        return
    typesetter = _typesetter(app)
    for docname in sorted(app.env.found_docs):
        try:
            doctree = app.env.get_doctree(docname)
        except FileNotFoundError:
            continue
        for node in doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))):
            tex = display_tex(node) if isinstance(node, nodes.math_block) else node.astext()
            try:
                typesetter.typeset(tex, isinstance(node, nodes.math_block))
            except ValueError:
                pass  # reported when its page was written
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    header = "/* MathJax CHTML glyphs of the book's math (tools/course_math.py). */\n"
    (static / STYLESHEET).write_text(header + typesetter.stylesheet(), encoding="utf-8")
    fonts = mathjax_folder() / "output" / "chtml" / "fonts" / "woff-v2"
    shutil.copytree(fonts, static / FONTS, dirs_exist_ok=True)
    typesetter.close()
    app._course_typesetter = None


def setup(app):
    app.add_html_math_renderer(RENDERER, (visit_math, None), (visit_displaymath, None))
    # Config values (rebuild "html"): changing one rewrites every page's typeset math.
    app.add_config_value("course_math_packages", PACKAGES, "html")
    app.add_config_value("course_math_scale", SCALE, "html")
    app.connect("html-page-context", add_stylesheet)
    app.connect("build-finished", write_stylesheet)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": False}
