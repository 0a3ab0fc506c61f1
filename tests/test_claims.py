"""Every lecture claim is asserted in its chapter's code, so the build fails if one stops holding.

The 19 claims C01-C19 are the "Claim" rows of the curriculum map (issue 14), with the ids
every chapter uses; C20 is issue 13's debiasing experiment (chapter 4). The convention: in a
code cell of the claim's chapter, a comment line ``# Claim Cnn: <the claim>`` directly
followed by an ``assert`` that states the claim's direction with a margin, whose message
names the claim (``"Cnn no longer holds: ..."``), right after the experiment that shows it.
nbval compares a fresh run with a fresh build, so without the asserts a TensorFlow upgrade
that reversed a claim would pass every test.

The slow test shows that an assert can fail: chapter 1 (the fastest) executed with one
experiment broken on purpose stops with an AssertionError that names the claim.
"""

from __future__ import annotations

import ast
import re

import jupytext
import pytest
from testkit import BOOK, chapter_source, code_cells

CHAPTERS = {
    1: "01_intro_to_deep_learning.md",
    2: "02_deep_sequence_modelling.md",
    3: "03_deep_computer_vision.md",
    4: "04_deep_generative_modelling.md",
}

# id -> (chapter, the claim), as in the curriculum map.
CLAIMS = {
    "C01": (1, "closed-form activation derivatives equal tf.GradientTape"),
    "C02": (1, "linear activations give linear decisions whatever the depth"),
    "C03": (1, "too small a learning rate stalls, too large diverges"),
    "C04": (1, "hand-derived backprop gradients equal tf.GradientTape"),
    "C05": (1, "single-example gradients are noisy, mini-batches of B smoother"),
    "C06": (1, "dropout narrows the train/validation gap"),
    "C07": (1, "early stopping narrows the train/validation gap"),
    "C08": (2, "MyRNNCell matches keras SimpleRNN step by step"),
    "C09": (2, "gradient norm w.r.t. h0 vs length, spectral radius above/below 1"),
    "C10": (2, "on a long-range task an LSTM learns what a SimpleRNN cannot"),
    "C11": (2, "the trained model's tunes parse as music far more often"),
    "C12": (3, "pooling buys tolerance to small shifts"),
    "C13": (3, "a CNN beats a dense network of similar size on digits"),
    "C14": (3, "classifying every box is slow against a proposal heuristic"),
    "C15": (4, "a smaller bottleneck reconstructs worse"),
    "C16": (4, "VAE prior samples are recognisable far more often than a plain AE's"),
    "C17": (4, "too much regularisation (large beta) blurs reconstructions"),
    "C18": (4, "a larger beta makes one factor change while another stays put"),
    "C19": (4, "GAN on a ring of 8 Gaussians covers the modes, most samples near one"),
    "C20": (4, "resampling by latent density raises the rare group's accuracy"),
}

CLAIM_COMMENT = re.compile(r"^\s*# Claim (C\d\d):\s*\S")


def claim_asserts(cells: list[str]) -> dict[str, list[ast.Assert]]:
    """For each claim id, the assert statements that directly follow its `# Claim` comment.

    The comment may continue on further comment lines; anything else between it and the
    assert (a statement, a blank line) and the claim counts as not asserted.
    """
    found: dict[str, list[ast.Assert]] = {}
    for cell in cells:
        lines = cell.splitlines()
        asserts = {
            node.lineno: node for node in ast.walk(ast.parse(cell)) if isinstance(node, ast.Assert)
        }
        for number, line in enumerate(lines, start=1):
            match = CLAIM_COMMENT.match(line)
            if not match:
                continue
            after = number + 1  # skip the comment's continuation lines
            while after <= len(lines) and lines[after - 1].lstrip().startswith("#"):
                after += 1
            found.setdefault(match.group(1), [])
            if after in asserts:
                found[match.group(1)].append(asserts[after])
    return found


def _has_margin(node: ast.Assert) -> bool:
    """The test holds a number (a factor, a threshold or a tolerance), not merely `a < b`."""
    return any(
        isinstance(sub, ast.Constant)
        and isinstance(sub.value, (int, float))
        and not isinstance(sub.value, bool)
        for sub in ast.walk(node.test)
    )


def _message_names(node: ast.Assert, claim: str) -> bool:
    return node.msg is not None and claim in ast.unparse(node.msg)


@pytest.fixture(scope="module")
def asserts_by_chapter() -> dict[int, dict[str, list[ast.Assert]]]:
    return {n: claim_asserts(code_cells(chapter_source(f))) for n, f in CHAPTERS.items()}


def test_the_list_has_20_claims_in_four_chapters():
    assert sorted(CLAIMS) == [f"C{i:02d}" for i in range(1, 21)]
    assert {chapter for chapter, _ in CLAIMS.values()} == set(CHAPTERS)


@pytest.mark.parametrize("claim", sorted(CLAIMS))
def test_claim_is_asserted_in_its_chapter(claim, asserts_by_chapter):
    chapter, words = CLAIMS[claim]
    found = asserts_by_chapter[chapter]
    where = f"book/{CHAPTERS[chapter]}"
    assert claim in found, f"{claim} ({words}): no `# Claim {claim}:` comment in {where}"
    asserts = found[claim]
    assert asserts, f"{claim}: the `# Claim {claim}:` line of {where} is not followed by an assert"
    for node in asserts:
        assert _has_margin(node), (
            f"{claim}: `assert {ast.unparse(node.test)}` states no margin (a factor, a "
            "threshold or a tolerance)"
        )
        assert _message_names(node, claim), (
            f"{claim}: the assert's message must name the claim, e.g. "
            f'"{claim} no longer holds: ..."'
        )


def test_claims_are_asserted_only_in_their_own_chapter(asserts_by_chapter):
    for chapter, found in asserts_by_chapter.items():
        strangers = [c for c in found if c not in CLAIMS or CLAIMS[c][0] != chapter]
        assert not strangers, (
            f"book/{CHAPTERS[chapter]} asserts claims of other chapters: {strangers}"
        )


def test_the_parser_rejects_a_claim_without_its_assert():
    cells = [
        "x = 1\n# Claim C01: something.\nprint(x)\nassert x > 0, 'C01 no longer holds'\n",
        "# Claim C02: something\n# on two lines.\nassert x > 0.5, 'C02 no longer holds'\n",
        "# Claim C04: something.\n\nassert x > 0.5, 'C04 no longer holds'\n",
    ]
    found = claim_asserts(cells)
    assert found["C01"] == [] and found["C04"] == [] and len(found["C02"]) == 1
    assert _has_margin(found["C02"][0]) and _message_names(found["C02"][0], "C02")
    bare = claim_asserts(["# Claim C03: x.\nassert a < b, 'C03 no longer holds'\n"])["C03"][0]
    assert not _has_margin(bare)


# --- a broken experiment fails the build ----------------------------------------------------

# Chapter 1's C02 experiment trains the same network with linear and with ReLU activations.
# Building the linear network under both names (the ReLU one swapped for a linear one) is
# the kind of slip a refactoring makes; the claim's assert must stop the chapter.
SWAP_FROM = "model = make_model(activation)"
SWAP_TO = 'model = make_model("linear")'


def _chapter1_up_to_claim(claim: str, swap: bool):
    notebook = jupytext.read(BOOK / CHAPTERS[1], fmt="md:myst")
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    target = next(cell for cell in code if f"# Claim {claim}:" in cell.source)
    if swap:
        assert SWAP_FROM in target.source, "the experiment to break has changed: update the test"
        target.source = target.source.replace(SWAP_FROM, SWAP_TO)
    end = notebook.cells.index(target)
    notebook.cells = notebook.cells[: end + 1]
    return notebook


def _run(notebook, tmp_path):
    from nbclient import NotebookClient

    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()


@pytest.mark.slow
def test_breaking_an_experiment_stops_the_chapter_naming_the_claim(tmp_path):
    from nbclient.exceptions import CellExecutionError

    # As shipped, chapter 1 runs through the C02 experiment.
    _run(_chapter1_up_to_claim("C02", swap=False), tmp_path)
    # With the ReLU network replaced by a second linear one, it stops there.
    with pytest.raises(CellExecutionError) as failure:
        _run(_chapter1_up_to_claim("C02", swap=True), tmp_path)
    message = str(failure.value)
    assert "AssertionError" in message and "C02 no longer holds" in message, message[-2000:]
