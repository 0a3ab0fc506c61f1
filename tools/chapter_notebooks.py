"""The book's chapters as Jupyter notebooks, for the chapters' Colab button.

The chapters are MyST Markdown notebooks (``book/0N_*.md``); Colab opens only ``.ipynb``
files, from GitHub. So each chapter has a generated copy, ``notebooks/0N_*.ipynb``
(jupytext's conversion of the chapter, without outputs, with a first code cell that
installs the course package where it is missing, as the labs have), committed beside the
chapters, and the chapter page's Colab button opens that copy (tools/course_book.py).

The copies are written by every build of the book (only when they differ) and by

    .venv/bin/python tools/chapter_notebooks.py            # write the copies
    .venv/bin/python tools/chapter_notebooks.py --check    # exit 1 if one is out of date

``tests/test_chapter_notebooks.py`` fails when a committed copy differs from its chapter.
Edit the chapter, never the copy.
"""

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOLDER = "notebooks"
CHAPTER = re.compile(r"^book/0*\d+_[^/]+$")

INSTALL = """\
# On Colab (or anywhere the course package is missing), install it first.
# ruff: noqa  (a generated copy of a book chapter: edit the chapter)
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("mit6s191_utils") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "git+{repo_url}"], check=True)"""

NOTE = """\
*This notebook is generated from the book's chapter `{source}`: edit the chapter, not this
copy. Run it top to bottom; the next cell installs the course package where it is
missing (on Colab).*"""


def chapters(repo=REPO):
    """The chapter pages of `_toc.yml` (e.g. "book/01_intro_to_deep_learning")."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from book_pages import toc_pages

    return [page for page in toc_pages(repo) if CHAPTER.match(page)]


def notebook_path(page):
    """Where the notebook copy of a chapter page lives, relative to the repository."""
    return f"{FOLDER}/{Path(page).name}.ipynb"


def repository_url(repo=REPO):
    import yaml

    config = yaml.safe_load((Path(repo) / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"].rstrip("/")


def render(repo, page):
    """The text of the notebook copy of one chapter page."""
    import jupytext
    import nbformat

    source = f"{page}.md"
    notebook = jupytext.read(Path(repo) / source, fmt="md:myst")
    notebook.metadata = nbformat.from_dict(
        {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        }
    )
    first = 1 if notebook.cells and notebook.cells[0].cell_type == "markdown" else 0
    notebook.cells[first:first] = [
        nbformat.v4.new_markdown_cell(NOTE.format(source=source)),
        nbformat.v4.new_code_cell(INSTALL.format(repo_url=repository_url(repo))),
    ]
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number:03d}"  # stable ids: the same chapter, the same file
        if cell.cell_type == "code":
            cell["outputs"], cell["execution_count"] = [], None
    nbformat.validate(notebook)
    return nbformat.writes(notebook, version=4) + "\n"


def stale(repo=REPO):
    """{path: text} of the copies that are missing or differ from their chapter."""
    out = {}
    for page in chapters(repo):
        path = notebook_path(page)
        text = render(repo, page)
        target = Path(repo) / path
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            out[path] = text
    return out


def write(repo=REPO):
    """Write the copies that are out of date (atomically); return their paths."""
    changed = stale(repo)
    for path, text in changed.items():
        target = Path(repo) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    return sorted(changed)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say which are out of date")
    args = parser.parse_args(argv)
    if args.check:
        changed = sorted(stale())
        for path in changed:
            print(f"{path} is out of date: run .venv/bin/python tools/chapter_notebooks.py")
        return 1 if changed else 0
    for path in write():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
