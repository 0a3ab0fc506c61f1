"""Chapter 2 (deep sequence modelling): erratum 5 pinned, and its small experiments checked fast."""

import re

import numpy as np
import pytest
from testkit import BOOK, CODE_CELL, chapter_source, code_cells, definition

CHAPTER = BOOK / "02_deep_sequence_modelling.md"


def _cell_defining(name):
    """The source of the top-level function or class `name` in the chapter's code cells."""
    return definition(chapter_source(CHAPTER.name), name)


def test_erratum_5_rnn_cell_uses_matrix_products():
    source = _cell_defining("MyRNNCell")
    assert "tf.matmul" in source
    assert not re.search(r"W_\w+\s*\*|\*\s*self\.W_", source), "the update must not use `*`"
    text = CHAPTER.read_text()
    assert ":::{note} If you saw the slides" in text and "element by element" in text


def test_chapter_rnn_cell_matches_simple_rnn():
    import tensorflow as tf
    from tensorflow import keras

    namespace = {"tf": tf, "keras": keras, "np": np}
    exec(_cell_defining("MyRNNCell"), namespace)
    cell = namespace["MyRNNCell"](3, 6, 2)
    x = tf.random.normal((4, 7, 3), seed=0)
    h = tf.zeros((4, 6))
    states = []
    for t in range(7):
        _, h = cell(x[:, t], h)
        states.append(h)
    rnn = keras.layers.SimpleRNN(6, return_sequences=True)
    rnn.build((4, 7, 3))
    rnn.set_weights([cell.W_xh.numpy(), cell.W_hh.numpy(), np.zeros(6, "float32")])
    assert np.allclose(tf.stack(states, axis=1), rnn(x), atol=1e-5)


def test_slide_form_is_wrong_shape():
    import tensorflow as tf

    W_hh, h = tf.ones((4, 4)), tf.ones((4, 1))
    assert (W_hh * h).shape == (4, 4)  # what the slide's `*` computes
    assert tf.matmul(W_hh, h).shape == (4, 1)  # what the update needs


def test_gradient_norm_follows_spectral_radius():
    import tensorflow as tf
    from tensorflow import keras

    namespace = {"tf": tf, "np": np, "units": 32}
    exec(_cell_defining("gradient_norm_wrt_h0"), namespace)
    grad_norm = namespace["gradient_norm_wrt_h0"]
    q = keras.initializers.Orthogonal(seed=0)((32, 32))
    for rho in (1.1, 0.9):
        assert grad_norm(rho * q, 30) == pytest.approx(rho**30, rel=1e-3)
    # ReLU + identity: the norm does not change with the length (fixes 1 and 2)
    assert grad_norm(tf.eye(32), 100, tf.nn.relu) == pytest.approx(
        grad_norm(tf.eye(32), 1, tf.nn.relu), rel=1e-5
    )


def test_adding_problem_data():
    namespace = {"np": np}
    exec(_cell_defining("adding_problem"), namespace)
    x, y = namespace["adding_problem"](50, 20, np.random.default_rng(0))
    assert x.shape == (50, 20, 2) and y.shape == (50, 1)
    assert np.all(x[:, :, 1].sum(axis=1) == 2)
    assert np.all(x[:, :10, 1].sum(axis=1) == 1)  # one marker in each half
    assert np.allclose((x[:, :, 0] * x[:, :, 1]).sum(axis=1, keepdims=True), y)


def test_chapter_cites_only_known_references():
    bib = (CHAPTER.parent / "references.bib").read_text()
    keys = set(re.findall(r"^@\w+\{([^,]+),", bib, flags=re.M))
    cited = {
        k.strip()
        for group in re.findall(r"\{cite\}`([^`]+)`", CHAPTER.read_text())
        for k in group.split(",")
    }
    assert cited <= keys, f"missing BibTeX entries: {sorted(cited - keys)}"


# --- issue 13: the errors of chapter 2 fixed, and what the lab uses taught --------------------


def _prose():
    return CODE_CELL.sub("", chapter_source(CHAPTER.name))


def _cell_containing(words):
    cells = [cell for cell in code_cells(chapter_source(CHAPTER.name)) if words in cell]
    assert len(cells) == 1, f"{len(cells)} code cells contain {words!r}"
    return cells[0]


def test_fixes_1_and_2_are_measured_with_the_same_inputs_as_tanh():
    """Issue 13 error 4: the ReLU + identity recurrence and the tanh RNN get the same inputs."""
    cell = _cell_containing('"ReLU + identity"')
    calls = re.findall(r"gradient_norm_wrt_h0\(([^)]*)\)", cell)
    assert calls, "the cell no longer measures the gradient norms"
    scales = {re.search(r"input_scale=([\w.]+)", call).group(1) for call in calls}
    assert len(scales) == 1, f"the two recurrences get different inputs: {scales}"
    assert "for scale in (0.0, 1.0)" in cell, "measure with zero inputs and with inputs"


def test_clipping_distinguishes_global_norm_from_per_variable():
    """Issue 13 error 5: the formula is global-norm clipping (`global_clipnorm`); Keras's
    `clipnorm` clips each variable on its own."""
    prose = _prose()
    assert "global_clipnorm" in prose and "clip_by_global_norm" in prose
    assert "each variable separately" in prose
    training = definition(chapter_source(CHAPTER.name), "train_on_adding_problem")
    assert "global_clipnorm=1.0" in training and "(clipnorm" not in training


def test_keras_clipnorm_clips_each_variable_and_global_clipnorm_all_together():
    import tensorflow as tf
    from tensorflow import keras

    def step(**clip):
        variables = [tf.Variable(tf.zeros(2)), tf.Variable(tf.zeros(2))]
        grads = [tf.constant([3.0, 0.0]), tf.constant([0.0, 4.0])]
        keras.optimizers.SGD(learning_rate=1.0, **clip).apply_gradients(zip(grads, variables))
        return float(tf.norm(tf.concat(variables, axis=0)))

    assert step(clipnorm=1.0) == pytest.approx(2**0.5, rel=1e-5)
    assert step(global_clipnorm=1.0) == pytest.approx(1.0, rel=1e-5)


def test_vanishing_steps_exercise_says_where_it_counts_from():
    """Issue 13 error 9: 1 % of the value at T = 0, where the norm is 1."""
    text = chapter_source(CHAPTER.name)
    exercise = text.split(":label: ex-vanishing-steps", 1)[1].split(":::", 1)[0]
    assert "T = 0" in exercise and "0.01" in exercise
    solution = text.split(":::{solution} ex-vanishing-steps", 1)[1].split("\n:::", 1)[0]
    assert "T = 44" in solution
    assert 0.9**44 < 0.01 < 0.9**43  # the answer the solution gives


def test_jacobian_products_are_written_in_order():
    """Issue 13 error 10: the product of non-commuting Jacobians is J_T ... J_1."""
    text = chapter_source(CHAPTER.name)
    assert not re.search(r"\\prod_\{t=1\}\^\{T\}\s*\\frac\{\\partial h_t\}", text)
    assert not re.search(r"\\prod_\{t=1\}\^\{T\}\s*\\operatorname\{diag\}", text)
    assert "J_T J_{T-1} \\cdots J_1" in text and "J_T \\cdots J_1" in text


def test_bptt_is_a_sum_over_time_steps_and_truncated_in_the_lab():
    prose = _prose()
    assert "sum over time" in prose and "\\sum_{t=1}^{T} \\sum_{k=1}^{t}" in prose
    assert "Truncated backpropagation through time" in prose and "400 characters" in prose
    cell = _cell_containing("copies = [tf.identity(W_hh)")
    assert "tape.jacobian(states[-1], h0)" in cell and "assert sum_ok and order_ok" in cell


def test_gru_equations_beside_the_lstm_and_an_irnn_on_the_adding_problem():
    prose = _prose()
    assert "GRU" in prose and "reset gate" in prose and "update gate" in prose
    cell = _cell_containing("irnn_model, irnn_mse = train_on_adding_problem(")
    assert 'activation="relu"' in cell and "Identity()" in cell


def test_temperature_is_explained_before_its_first_use():
    text = chapter_source(CHAPTER.name)
    explained = text.index("**temperature**")
    first_code = min(
        text.index(cell) + cell.index("temperature")
        for cell in code_cells(text)
        if "temperature" in cell
    )
    assert explained < first_code


def test_music_model_reports_perplexity_as_exp_of_the_loss():
    cell = _cell_containing("# Claim C11:")
    assert "np.exp(untrained_loss)" in cell and "np.exp(trained_loss)" in cell
    prose = _prose()
    assert "{glue:text}`perplexity_after" in prose and "perplexity" in prose.lower()


def test_chapter_links_the_lecture_and_says_where_next():
    text = chapter_source(CHAPTER.name)
    assert "http://introtodeeplearning.com/2021/" in text
    where_next = text.split(":::{seealso} Where next", 1)[1].split("\n:::", 1)[0]
    assert "Transformer" in where_next and "vaswani2017attention" in where_next


def test_glued_values_are_plain_numbers():
    """A NumPy scalar glued ('np.float64(...)') fails `{glue:text}` and the build (-W)."""
    for cell in code_cells(chapter_source(CHAPTER.name)):
        for value in re.findall(r"glue\(\s*[^,]+,\s*(.+?),\s*display=False", cell, re.S):
            assert value.startswith(("float(", "int(", "len(")) or "count_params" in value, value


def test_each_print_is_one_write():
    """One f-string per print: the book's merged streams break a print's pieces apart."""
    import ast

    for cell in code_cells(chapter_source(CHAPTER.name)):
        for node in ast.walk(ast.parse(cell)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print":
                assert len(node.args) <= 1, ast.get_source_segment(cell, node)
