"""The chapters' notebook copies (notebooks/0N_*.ipynb), opened by the chapters' Colab
button: one per chapter, the chapter as it is now, without outputs, installing the course
package first (tools/chapter_notebooks.py writes them; every book build does too)."""

import json
import shutil

import chapter_notebooks
import jupytext
import pytest

CHAPTERS = chapter_notebooks.chapters()


def test_every_chapter_has_a_notebook_copy():
    assert CHAPTERS, "no chapter in _toc.yml"
    for page in CHAPTERS:
        path = chapter_notebooks.notebook_path(page)
        assert path.startswith("notebooks/") and path.endswith(".ipynb"), path


def test_the_copies_are_up_to_date(repo):
    stale = chapter_notebooks.stale(repo)
    assert not stale, (
        f"out of date: {sorted(stale)}: run .venv/bin/python tools/chapter_notebooks.py "
        "(or build the book) and commit them with the chapter"
    )


@pytest.mark.parametrize("page", CHAPTERS)
def test_a_copy_is_the_chapter_with_an_install_cell_and_no_outputs(repo, page):
    notebook = json.loads((repo / chapter_notebooks.notebook_path(page)).read_text("utf-8"))
    chapter = jupytext.read(repo / f"{page}.md", fmt="md:myst")
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    install = "".join(code[0]["source"])
    url = chapter_notebooks.repository_url(repo)
    assert 'find_spec("mit6s191_utils") is None' in install and f"git+{url}" in install
    expected = [c.source for c in chapter.cells if c.cell_type == "code"]
    assert ["".join(c["source"]) for c in code[1:]] == expected, f"{page}: code cells differ"
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert "jupytext" not in notebook["metadata"], "a copy must not be paired in Jupyter"
    ids = [c["id"] for c in notebook["cells"]]
    assert len(set(ids)) == len(ids)


def test_a_changed_chapter_makes_its_copy_stale_and_write_fixes_it(repo, tmp_path):
    page = CHAPTERS[0]
    for name in ("_config.yml", f"{page}.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(repo / name, tmp_path / name)
    toc = f"format: jb-book\nroot: book/index\nchapters:\n  - file: {page}\n"
    (tmp_path / "_toc.yml").write_text(toc, encoding="utf-8")
    assert chapter_notebooks.write(tmp_path) == [chapter_notebooks.notebook_path(page)]
    assert chapter_notebooks.stale(tmp_path) == {}
    source = tmp_path / f"{page}.md"
    source.write_text(source.read_text("utf-8") + "\n```{code-cell}\nprint(42)\n```\n")
    assert list(chapter_notebooks.stale(tmp_path)) == [chapter_notebooks.notebook_path(page)]
    chapter_notebooks.write(tmp_path)
    text = (tmp_path / chapter_notebooks.notebook_path(page)).read_text("utf-8")
    assert "print(42)" in text and chapter_notebooks.stale(tmp_path) == {}
