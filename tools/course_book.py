"""Sphinx extension for the course book: chapter <-> lab links and launch links that work.

- Each chapter ``book/0N_*`` gets a line under its title linking its lab ``labs/labN_*``,
  and each lab a line linking back to its chapter, when both are in the table of contents.
- Colab opens only ``.ipynb`` files, so the Colab launch button is dropped from pages whose
  source is a MyST Markdown notebook (the chapters); Binder and JupyterHub open those with
  jupytext, and labs keep all three.
- Two console errors of the theme stack on every page are fixed: sphinx-thebe's inline
  script is added twice under Jupyter Book 1.0.4 (``THEBE_JS_URL`` declared twice), and
  pydata-sphinx-theme complains about an empty colour mode on a first visit.
"""

import re

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


def setup(app):
    app.connect("doctree-read", add_companion_link)
    app.connect("html-page-context", drop_colab_for_markdown, priority=900)
    app.connect("html-page-context", fix_page_scripts, priority=900)
    app.add_css_file("course_book.css")
    app.connect("builder-inited", _add_static_path)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


def _add_static_path(app):
    from pathlib import Path

    app.config.html_static_path.append(str(Path(__file__).parent / "static"))
