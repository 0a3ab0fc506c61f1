"""The student bundle: everything a student needs, and provably no answer."""

import inspect
import shutil
from pathlib import Path

import nbformat

from autograder.authoring import solved_notebook
from autograder.labs import LAB_IDS, get_spec
from autograder.release import (
    BOOK_WORKED_EXAMPLES,
    book_findings,
    book_problems,
    build,
    hidden_bodies,
    main,
    verify,
)

ROOT = Path(__file__).resolve().parent.parent


def test_release_ships_labs_and_utils_but_no_solution_or_hidden_check(tmp_path, repo):
    out = tmp_path / "bundle"
    assert main([str(out)]) == 0
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    for lab_id in LAB_IDS:
        nb = get_spec(lab_id).notebook
        assert nb in names
        assert (out / nb).read_bytes() == (repo / nb).read_bytes()
    assert "mit6s191_utils/checks/lab1.py" in names and "README.md" in names
    assert not any(n.split("/")[0] in {"solutions", "autograder", "tests", "book"} for n in names)
    # The search itself: every solution body and every hidden-input generator, in every file.
    bodies = hidden_bodies()
    assert len(bodies) >= 10 * len(LAB_IDS) // 2
    assert any(k.startswith("solutions/lab1.py:") for k in bodies)
    # every exercise's input maker, wherever its spec keeps it (labN.py or labN_inputs.py)
    for lab_id in LAB_IDS:
        for ex in get_spec(lab_id).exercises:
            where = Path(inspect.getsourcefile(ex.make_inputs)).name
            key = f"labs/{where}:{ex.make_inputs.__name__}"
            assert key in bodies or ex.make_inputs.__name__ == "<lambda>", (lab_id, ex.name)
    # the answers are the marked blocks, a class's one per method
    assert "solutions/lab1.py:MyDenseLayer.call" in bodies
    assert "solutions/lab1.py:MyDenseLayer.__init__" in bodies
    assert verify(out) == []


def test_verify_catches_a_leaked_solution(tmp_path):
    out = build(tmp_path / "bundle")
    nbformat.write(solved_notebook("lab1"), out / "labs" / "lab1_intro_to_deep_learning.ipynb")
    problems = verify(out)
    assert any("solutions/lab1.py:train_step" in p for p in problems)
    (out / "solutions").mkdir()
    (out / "solutions" / "readme.txt").write_text("empty")
    assert any("must not be released" in p for p in verify(out))


def test_release_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "x").write_text("x")
    assert main([str(tmp_path)]) == 2


def test_the_book_shows_exactly_the_accepted_worked_examples():
    """The search covers book/*.md: every answer it finds there is accepted with a reason,
    and every accepted one is still there (a stale entry fails too)."""
    assert book_findings() == set(BOOK_WORKED_EXAMPLES)
    assert book_problems() == []
    assert all(len(reason) > 30 for reason in BOOK_WORKED_EXAMPLES.values())


def test_the_book_search_catches_a_new_answer(tmp_path):
    """An answer pasted into a chapter, reformatted, is found and refused."""
    for folder in ("book", "solutions"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    chapter = tmp_path / "book" / "03_deep_computer_vision.md"
    leak = """
```{code-cell} ipython3
def my_confusion(y_true, y_pred, num_classes):
    counts = np.zeros((num_classes, num_classes),
                      np.int64)
    np.add.at(counts, (np.asarray(y_true, np.int64),
                       np.asarray(y_pred, np.int64)), 1)
    return counts
```
"""
    chapter.write_text(chapter.read_text() + leak)
    problems = book_problems(tmp_path)
    assert problems == [
        "book/03_deep_computer_vision.md: contains the answer solutions/lab3.py:confusion_matrix "
        "(rewrite the example, or accept it in BOOK_WORKED_EXAMPLES in autograder/release.py "
        "with the reason)"
    ]
