"""Chapter 1 states the corrected forms of the lecture's slips (CURRICULUM errata 1-4, 9).

Source checks read the chapter's MyST text; executable checks pin the TensorFlow behaviour
each correction relies on, so a change in TensorFlow that breaks the chapter's story fails
here first.
"""

import os
import re

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402
import testkit  # noqa: E402
from testkit import CODE_CELL, NOTE, chapter_source  # noqa: E402


@pytest.fixture(scope="module")
def source() -> str:
    return chapter_source("01_intro_to_deep_learning.md")


@pytest.fixture(scope="module")
def notes(source) -> list[str]:
    return NOTE.findall(source)


@pytest.fixture(scope="module")
def outside_notes(source) -> str:
    return NOTE.sub("", source)


@pytest.fixture(scope="module")
def code_cells(source) -> list[str]:
    return testkit.code_cells(source)


def test_chapter_is_a_myst_notebook(source, code_cells):
    header = source.split("---", 2)[1]
    assert "format_name: myst" in header
    assert "name: python3" in header
    assert len(code_cells) > 20


def test_first_cell_silences_tensorflow_then_seeds(code_cells):
    first = code_cells[0]
    for needed in [
        'os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"',
        "import tensorflow",
        "seed_everything()",
    ]:
        assert needed in first, f"the first code cell must contain {needed}"
    assert first.index('os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"') < first.index(
        "import tensorflow"
    )
    assert first.index("import tensorflow") < first.index("seed_everything()")


def test_each_slide_slip_has_a_note(notes):
    slide_notes = [note for note in notes if "If you saw the slides" in note]
    assert len(slide_notes) >= 4, "errata 1-4 each need an 'If you saw the slides' note"
    joined = "\n".join(slide_notes)
    for words in [
        "softmax_cross_entropy_with_logits",
        "keras.optimizers.SGD()",
        "RMSprop",
        "GradientTape",
        "assign_sub",
    ]:
        assert words in joined, f"no note explains the slip about {words}"


def test_binary_cross_entropy_uses_the_sigmoid_form(outside_notes):
    """Erratum 1: a binary output takes the sigmoid form of cross-entropy."""
    assert "tf.nn.sigmoid_cross_entropy_with_logits" in outside_notes
    assert "keras.losses.BinaryCrossentropy(from_logits=True)" in outside_notes


def test_softmax_cross_entropy_only_where_flagged_as_wrong(outside_notes):
    """Outside the notes, the softmax form may only appear in a cell that says it is wrong."""
    for cell in CODE_CELL.findall(outside_notes):
        if "softmax_cross_entropy_with_logits" in cell:
            assert "WRONG" in cell, f"softmax cross-entropy used without a warning:\n{cell}"
    prose = CODE_CELL.sub("", outside_notes)
    assert "softmax_cross_entropy_with_logits" not in prose


def test_optimizer_names_are_spelled_right(outside_notes):
    """Erratum 2: tf.keras.optimizers (plural), RMSprop (lower-case p)."""
    assert "tf.keras.optimizer." not in outside_notes
    assert "RMSProp" not in outside_notes
    assert "keras.optimizers.SGD" in outside_notes
    assert "keras.optimizers.RMSprop" in outside_notes


def test_forward_pass_runs_inside_the_tape_in_the_training_loop(code_cells):
    """Erratum 3: in the chapter's train step, the prediction is computed under the tape."""
    train_cells = [cell for cell in code_cells if "def train(" in cell]
    assert len(train_cells) == 1
    tape_block = train_cells[0].split("with tf.GradientTape() as tape:", 1)[1]
    tape_body = tape_block.split("grads = tape.gradient", 1)[0]
    assert "prediction = model(" in tape_body


def test_variable_updates_use_assign_sub(outside_notes, code_cells):
    """Erratum 4: variables get a shape and are updated in place."""
    assert "tf.Variable([tf.random.normal()])" not in outside_notes
    assert any("assign_sub(learning_rate * gradient)" in cell for cell in code_cells)
    rebinding = re.compile(r"^\s*(\w+) = \1 - .*gradient", re.MULTILINE)
    for cell in code_cells:
        for match in rebinding.finditer(cell):
            line = cell[match.start() : cell.find("\n", match.start())]
            assert "slide" in line, f"an update rebinds a variable to a tensor: {line.strip()}"


def test_words_are_spelled_right(source):
    """Erratum 9: the notes' slips of words do not reach the book."""
    lowered = source.lower()
    for slip in ["conventional neural", "cross empty", "overtfitting"]:
        assert slip not in lowered
    for word in ["binary cross-entropy", "overfitting"]:
        assert word in lowered


def test_vocabulary_is_the_labs(code_cells):
    """One vocabulary with the labs: `keras` (not `tf.keras`), `model` (not `net`),
    `learning_rate` (not `lr`), lower-case `x` for inputs (not `X`)."""
    lab = (testkit.REPO / "labs" / "lab1_intro_to_deep_learning.ipynb").read_text()
    assert "from tensorflow import keras" in lab and "learning_rate" in lab
    for cell in code_cells:
        assert "tf.keras" not in cell, f"tf.keras in a code cell:\n{cell}"
        for pattern, word in [
            (r"\b\w*net\b", "net"),
            (r"\blr\b", "lr"),
            (r"\bX(_\w+)?\b", "X"),
        ]:
            found = re.search(pattern, cell)
            assert not found, f"`{found and found.group()}` ({word}) in a code cell:\n{cell}"


def test_my_dense_layer_is_initialised_as_the_lab_says(source):
    """The lab's docstring says random normal initial values; the solution uses
    "random_normal"; the chapter's layer does the same."""
    solution = (testkit.REPO / "solutions" / "lab1.py").read_text()
    assert 'initializer="random_normal"' in solution
    layer = testkit.definition(source, "MyDenseLayer")
    assert 'initializer="random_normal"' in layer
    assert "glorot" not in layer


def test_exercise_solution_counts_the_links_right(source):
    """Issue 13 erratum 6: one more sigmoid unit adds one factor to the chain, not two."""
    solution = source.split(":::{solution} ex-backprop-deeper", 1)[1].split("\n:::", 1)[0]
    assert "two links longer" not in solution
    assert "one link longer" in solution
    chain = solution.split("$$", 2)[1].split("&=", 2)[1]  # the chain of partials
    assert chain.count("\\partial") == 8, "four factors, each a ratio of two partials"


def test_chapter_teaches_softmax_cross_entropy(source, outside_notes):
    for words in ["softmax", "categorical cross-entropy", "from_logits=True", "ln K"]:
        assert words in outside_notes, f"the chapter never says {words!r}"
    assert "SparseCategoricalCrossentropy(from_logits=True)" in outside_notes


def test_chapter_categorical_cross_entropy_equals_keras(source):
    namespace = {"tf": tf}
    exec(testkit.definition(source, "softmax"), namespace)
    exec(testkit.definition(source, "categorical_cross_entropy"), namespace)
    rng = np.random.default_rng(0)
    logits = tf.constant(rng.normal(0, 5, size=(64, 7)), tf.float32)
    labels = tf.constant(rng.integers(0, 7, size=64), tf.int32)
    ours = namespace["categorical_cross_entropy"](labels, logits)
    keras_loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    np.testing.assert_allclose(float(ours), float(keras_loss(labels, logits)), rtol=1e-5)
    probs = namespace["softmax"](tf.constant([[1000.0, 0.0, -1000.0]]))
    assert np.all(np.isfinite(probs.numpy())) and np.isclose(float(probs[0, 0]), 1.0)


def test_prose_numbers_are_glued(source):
    """Numbers that the code computes reach the prose through myst-nb glue."""
    prose = CODE_CELL.sub("", source)
    for name in [
        "var_factor_16",
        "gap_plain_mean",
        "gap_dropout_mean",
        "gap_early_mean",
        "ce_untrained",
        "lr_limit",
    ]:
        assert f"`{name}" in prose, f"{name} is not glued into the text"
        assert any(f'glue("{name}"' in cell for cell in testkit.code_cells(source))
    assert "more than a factor of 10" not in prose and "several-fold" not in prose


def test_keras_fit_calls_are_silent(code_cells):
    """Progress bars would make the printed output differ from run to run."""
    for cell in code_cells:
        for owner, args in re.findall(r"(\w+)\.fit\((.*?)\)\n", cell, re.DOTALL):
            if owner != "Polynomial":  # numpy's polynomial fit prints nothing
                assert "verbose=0" in args, f"{owner}.fit(...) without verbose=0"


# --- What TensorFlow does: the facts behind each correction --------------------------------


def test_sigmoid_form_equals_keras_binary_cross_entropy():
    rng = np.random.default_rng(0)
    logits = tf.constant(rng.normal(0, 3, size=(64, 1)), dtype=tf.float32)
    labels = tf.constant(rng.integers(0, 2, size=(64, 1)), dtype=tf.float32)
    by_tf = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits))
    by_keras = tf.keras.losses.BinaryCrossentropy(from_logits=True)(labels, logits)
    probs = tf.math.sigmoid(logits)
    by_formula = -tf.reduce_mean(
        labels * tf.math.log(probs) + (1 - labels) * tf.math.log(1 - probs)
    )
    np.testing.assert_allclose(float(by_tf), float(by_keras), rtol=1e-5)
    np.testing.assert_allclose(float(by_tf), float(by_formula), rtol=1e-4)


def test_softmax_cross_entropy_of_one_logit_is_always_zero():
    logits = tf.constant([[-5.0], [0.3], [4.0]])
    labels = tf.constant([[1.0], [0.0], [1.0]])
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    assert np.all(np.abs(loss.numpy()) == 0.0)


def test_slide_optimizer_spellings_do_not_exist():
    assert hasattr(tf.keras.optimizers, "SGD") and hasattr(tf.keras.optimizers, "RMSprop")
    assert not hasattr(tf.keras, "optimizer")
    assert not hasattr(tf.keras.optimizers, "RMSProp")


def _tiny_model():
    tf.keras.utils.set_random_seed(0)
    return tf.keras.Sequential(
        [
            tf.keras.Input(shape=(2,)),
            tf.keras.layers.Dense(3, activation="tanh"),
            tf.keras.layers.Dense(1),
        ]
    )


def test_forward_pass_outside_the_tape_gives_none_gradients():
    model = _tiny_model()
    x, y = tf.ones([4, 2]), tf.ones([4, 1])
    loss_fn = tf.keras.losses.BinaryCrossentropy(from_logits=True)

    prediction = model(x)  # outside the tape: the slides' loop
    with tf.GradientTape() as tape:
        loss = loss_fn(y, prediction)
    assert all(g is None for g in tape.gradient(loss, model.trainable_variables))

    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    assert all(g is not None for g in grads)
    tf.keras.optimizers.SGD(learning_rate=0.1).apply_gradients(
        zip(grads, model.trainable_variables)
    )


def test_random_normal_needs_a_shape():
    with pytest.raises(TypeError):
        tf.random.normal()


def test_assign_sub_keeps_a_variable_and_its_gradient():
    weights = tf.Variable(tf.random.normal([1], seed=0))
    for _ in range(3):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum((weights - 3.0) ** 2)
        gradient = tape.gradient(loss, weights)
        assert gradient is not None
        weights.assign_sub(0.1 * gradient)
        assert isinstance(weights, tf.Variable)


def test_rebinding_the_update_loses_the_variable():
    weights = tf.Variable(tf.random.normal([1], seed=0))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum((weights - 3.0) ** 2)
    weights = weights - 0.1 * tape.gradient(loss, weights)  # the slides' update
    assert not isinstance(weights, tf.Variable)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum((weights - 3.0) ** 2)
    assert tape.gradient(loss, weights) is None


def test_chapter_links_the_lecture_and_says_where_next(source):
    assert "http://introtodeeplearning.com/2021/" in source
    assert ":::{seealso} Where next" in source


def test_glued_values_are_plain_numbers(code_cells):
    """myst-nb formats a glued number from its repr: a NumPy scalar ('np.float64(...)') makes
    `{glue:text}` fail with a warning, which fails the build (-W)."""
    for cell in code_cells:
        for value in re.findall(r"glue\(\s*[^,]+,\s*(.+?),\s*display=False", cell, re.S):
            assert value.startswith(("float(", "int(", "len(")) or "count_params" in value, (
                f"glue a plain Python number, e.g. float(...), not {value}"
            )


def test_each_print_is_one_write(code_cells):
    """print(a, b) writes its pieces one by one; on a busy machine the kernel may send them
    as separate stream chunks, and the book's merged streams (nb_merge_streams) then put a
    line break between them ("layers:\\n 4 ..."). One f-string per print is one write."""
    import ast

    for cell in code_cells:
        for node in ast.walk(ast.parse(cell)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print":
                assert len(node.args) <= 1, ast.get_source_segment(cell, node)
