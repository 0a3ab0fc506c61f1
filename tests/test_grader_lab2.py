"""The autograder on lab 2: shipped lab scores 0, solved lab full marks on two seeds, and a
realistic wrong exercise loses exactly its points with a reason."""

import hashlib

import nbformat
import pytest

from autograder import grade_notebook
from autograder.authoring import solved_notebook
from autograder.labs import get_spec

SPEC = get_spec("lab2")
ALL = {ex.name: ex.points for ex in SPEC.exercises}
TOTAL = 16


def _write(nb, path):
    nbformat.write(nb, path)
    return path


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_shipped_lab_scores_zero_not_attempted(repo):
    path = repo / SPEC.notebook
    before = _sha(path)
    report = grade_notebook(path, seed=1)
    assert report.error is None
    assert report.score == 0 and report.max_score == SPEC.total_points == TOTAL
    assert {r.status for r in report.results} == {"not attempted"}
    assert _sha(path) == before, "the grader must never modify a submission"


def test_solved_lab_scores_full_marks_on_fresh_inputs(tmp_path):
    path = _write(solved_notebook("lab2"), tmp_path / "lab2_solved.ipynb")
    scores = []
    for seed in (2, 3):
        report = grade_notebook(path, seed=seed)
        failed = [(r.name, r.status, r.feedback) for r in report.results if r.status != "passed"]
        assert not failed
        scores.append(report.score)
    assert scores == [TOTAL, TOTAL]


WRONG = {
    "text_to_indices": (
        "def text_to_indices(text, vocab):\n"
        "    return np.array([vocab.index(c) for c in text])\n",  # int64, not int32
        "wrong",
        "wrong dtype",
    ),
    "indices_to_text": (
        "def indices_to_text(indices, vocab):\n"
        "    return [vocab[i] for i in indices]\n",  # a list, not a str
        "error",
        "expected a str",
    ),
    "get_batch": (
        "def get_batch(indices, seq_length, batch_size, seed):\n"
        "    starts = np.random.default_rng(seed).integers(0, len(indices) - seq_length,\n"
        "                                                  size=batch_size)\n"
        "    x = np.stack([indices[s:s + seq_length] for s in starts]).astype(np.int32)\n"
        "    return x, x\n",  # target not shifted
        "wrong",
        "`y` has wrong values",
    ),
    "MyRNNCell": (
        "class MyRNNCell(keras.layers.Layer):\n"
        "    def __init__(self, input_dim, rnn_units, output_dim):\n"
        "        super().__init__()\n"
        "        self.W_xh = self.add_weight(shape=(input_dim, rnn_units))\n"
        "        self.W_hh = self.add_weight(shape=(rnn_units, rnn_units))\n"
        "        self.W_hy = self.add_weight(shape=(rnn_units, output_dim))\n"
        "    def call(self, x, h):\n"
        "        h = tf.math.tanh(tf.matmul(x, self.W_xh) + h * self.W_hh)\n"  # erratum 5
        "        return tf.matmul(h, self.W_hy), h\n",
        "wrong",  # with these seeded shapes `*` broadcasts silently instead of failing
        "`y` has wrong",
    ),
    "build_model": (
        "def build_model(vocab_size, embedding_dim, rnn_units):\n"
        "    return keras.Sequential([\n"
        "        keras.Input((None,), dtype='int32'),\n"
        "        keras.layers.Embedding(vocab_size, embedding_dim),\n"
        "        keras.layers.LSTM(rnn_units, return_sequences=True),\n"
        "        keras.layers.Dense(vocab_size, activation='softmax')])\n",  # not logits
        "wrong",
        "`logits` has wrong values",
    ),
    "compute_loss": (
        "def compute_loss(labels, logits):\n"
        "    return tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(\n"
        "        labels, logits))\n",  # forgot from_logits=True
        "wrong",
        "wrong values",
    ),
    "train_step": (
        "def train_step(model, optimizer, x, y):\n"
        "    logits = model(x)\n"
        "    with tf.GradientTape() as tape:\n"
        "        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(\n"
        "            y, logits, from_logits=True))\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n"
        "    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n"
        "    return loss\n",  # forward pass outside the tape
        "error",
        "line",
    ),
    "sample_next": (
        "def sample_next(logits, temperature, noise):\n"
        "    p = tf.nn.softmax(logits * temperature).numpy()\n"  # multiplies by T
        "    return np.minimum((np.cumsum(p, axis=-1) <= noise[:, None]).sum(-1),\n"
        "                      p.shape[-1] - 1)\n",
        "wrong",
        "wrong values",
    ),
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_one_wrong_exercise_loses_exactly_its_points(tmp_path, name):
    code, status, reason = WRONG[name]
    path = _write(solved_notebook("lab2", wrong={name: code}), tmp_path / "lab2_wrong.ipynb")
    report = grade_notebook(path, seed=5)
    by_name = {r.name: r for r in report.results}
    assert by_name[name].status == status, by_name[name].feedback
    assert reason in by_name[name].feedback
    assert by_name[name].points == 0
    assert report.score == SPEC.total_points - ALL[name]
