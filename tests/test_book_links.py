"""The book's build rules: warnings are errors, so a broken internal link fails the build.

A two-page book built with the course's own _config.yml: it builds when its links are
right, and fails, naming the target, when one points at a page that does not exist.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TOC = "format: jb-book\nroot: book/index\nchapters:\n  - file: book/other\n"


def _build(tmp_path, link):
    (tmp_path / "book").mkdir()
    shutil.copy(REPO / "book" / "references.bib", tmp_path / "book" / "references.bib")
    (tmp_path / "_toc.yml").write_text(TOC)
    (tmp_path / "book" / "index.md").write_text(f"# Home\n\nRead {link} next.\n")
    (tmp_path / "book" / "other.md").write_text("# Other\n\nThe other page.\n")
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(tmp_path)]
    command += _make_book_flags() + ["--config", str(REPO / "_config.yml")]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def _make_book_flags():
    """The flags `make book` passes to jupyter-book build."""
    makefile = (REPO / "Makefile").read_text()
    line = re.search(r"jupyter-book build \. (.*)", makefile).group(1)
    return line.split()


def test_make_book_treats_warnings_as_errors():
    flags = _make_book_flags()
    assert "-W" in flags and "-n" in flags, f"`make book` builds with {flags}"


@pytest.mark.parametrize("link", ["[the other page](other.md)", "{doc}`other`"])
def test_a_correct_internal_link_builds(tmp_path, link):
    proc = _build(tmp_path, link)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


@pytest.mark.parametrize("link", ["[a missing page](missing.md)", "{doc}`missing`"])
def test_a_broken_internal_link_fails_the_build(tmp_path, link):
    proc = _build(tmp_path, link)
    assert proc.returncode != 0, "the build passed with a broken link"
    assert re.search(r"WARNING: .*missing", proc.stdout + proc.stderr), proc.stdout[-3000:]


def test_math_is_typeset_when_the_book_is_built(tmp_path):
    """Math reaches the page as MathJax's markup (tools/course_math.py): no MathJax script,
    the glyph stylesheet and MathJax's fonts beside the page."""
    proc = _build(tmp_path, "$\\hat{y} = \\sigma(\\mathbf{w}^\\top \\mathbf{x})$")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    html = tmp_path / "_build" / "html"
    page = (html / "book" / "index.html").read_text(encoding="utf-8")
    assert '<mjx-container class="MathJax" jax="CHTML"' in page
    assert "<mjx-assistive-mml" in page, "no MathML for screen readers"
    assert "tex-chtml" not in page and "MathJax.js" not in page, "a MathJax script is loaded"
    assert "course-math.css" in page
    css = (html / "_static" / "course-math.css").read_text(encoding="utf-8")
    assert "mjx-c" in css and "mathjax-fonts/MathJax_Main-Regular.woff" in css
    assert (html / "_static" / "mathjax-fonts" / "MathJax_Main-Regular.woff").is_file()


def test_a_formula_mathjax_cannot_parse_fails_the_build(tmp_path):
    proc = _build(tmp_path, "$\\frac{1}{\\nosuchmacro}$")
    assert proc.returncode != 0, "the build passed with an undefined TeX macro"
    log = proc.stdout + proc.stderr
    assert re.search(r"WARNING: MathJax cannot typeset .*nosuchmacro", log), log[-3000:]


def _build_with_notebook(tmp_path, jupyterhub_url):
    """A landing page and one notebook page, built with the course's configuration except
    for ``launch_buttons.jupyterhub_url``; returns the notebook page's HTML."""
    import nbformat
    import yaml

    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    config["launch_buttons"]["jupyterhub_url"] = jupyterhub_url
    extensions = config["sphinx"]["local_extensions"]
    config["sphinx"]["local_extensions"] = {name: str(REPO / p) for name, p in extensions.items()}
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (tmp_path / "book").mkdir()
    (tmp_path / "labs").mkdir()
    shutil.copy(REPO / "book" / "references.bib", tmp_path / "book" / "references.bib")
    (tmp_path / "book" / "index.md").write_text("# Home\n\nThe landing page.\n")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A lab")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, tmp_path / "labs" / "lab9_demo.ipynb")
    toc = "format: jb-book\nroot: book/index\nchapters:\n  - file: labs/lab9_demo\n"
    (tmp_path / "_toc.yml").write_text(toc)
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(tmp_path)]
    command += _make_book_flags()
    proc = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return (tmp_path / "_build" / "html" / "labs" / "lab9_demo.html").read_text("utf-8")


def test_no_jupyterhub_button_unless_a_hub_is_configured(tmp_path):
    shipped = yaml_config()["launch_buttons"].get("jupyterhub_url")
    assert not shipped, f"_config.yml ships a JupyterHub address: {shipped!r}"
    page = _build_with_notebook(tmp_path, "")
    assert "colab.research.google.com" in page, "no launch buttons at all"
    assert "user-redirect/git-pull" not in page and "JupyterHub" not in page


def test_a_configured_hub_gets_its_button(tmp_path):
    page = _build_with_notebook(tmp_path, "https://hub.example.edu")
    assert "https://hub.example.edu/hub/user-redirect/git-pull" in page


def yaml_config():
    import yaml

    return yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
