"""Code shown to readers fits the book's column: every line of every code cell of the
chapters (book/0N_*.md) and labs (labs/*.ipynb) is at most 80 characters long.

The book's column shows about 83 characters of code at 1280 px; a longer line scrolls
sideways, usually just where the interesting part is. (Python files elsewhere follow ruff's
100 columns, tests/test_style.py.)
"""

from pathlib import Path

import jupytext
import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
WIDTH = 80
SOURCES = sorted(REPO.glob("book/[0-9][0-9]_*.md")) + sorted(REPO.glob("labs/*.ipynb"))


def _code_cells(path):
    if path.suffix == ".md":
        notebook = jupytext.read(path, fmt="md:myst")
    else:
        notebook = nbformat.read(path, as_version=4)
    number = 0
    for cell in notebook.cells:
        if cell.cell_type == "code":
            number += 1
            yield number, cell.source


def long_lines(path, width=WIDTH):
    """(cell number, line number, length) of each line longer than `width` in `path`."""
    return [
        (cell, line, len(text))
        for cell, source in _code_cells(path)
        for line, text in enumerate(source.splitlines(), start=1)
        if len(text) > width
    ]


def test_the_check_finds_a_long_line(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("x = 1\n" + "y = '" + "a" * 80 + "'")]
    path = tmp_path / "long.ipynb"
    nbformat.write(notebook, path)
    assert long_lines(path) == [(1, 2, 86)]


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_code_cells_fit_in_80_columns(path):
    found = long_lines(path)
    listed = "\n".join(f"  code cell {c}, line {n}: {w} characters" for c, n, w in found)
    assert not found, (
        f"{path.relative_to(REPO)}: {len(found)} lines over {WIDTH} columns "
        f"(they scroll sideways in the book):\n{listed}"
    )
