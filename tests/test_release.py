"""The student bundle: everything a student needs, and provably no answer."""

import nbformat

from autograder.authoring import solved_notebook
from autograder.labs import LAB_IDS, get_spec
from autograder.release import build, hidden_bodies, main, verify


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
    assert any(k.startswith("labs/lab1.py:_") for k in bodies)
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
