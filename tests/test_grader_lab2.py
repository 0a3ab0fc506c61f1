"""The autograder on lab 2: shipped lab scores 0, solved lab full marks on fresh inputs,
one wrong exercise loses exactly its points with a reason."""

import numpy as np
import pytest
import testkit

from autograder.labs import get_spec

LAB = "lab2"


WRONG = {
    "text_to_indices": (
        "def text_to_indices(text, vocab):\n"
        "    vocab = sorted(set(text))\n"  # a vocabulary rebuilt from the text
        "    return np.array([vocab.index(c) for c in text], np.int32)\n",
        "wrong",
        "wrong values",
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
        "error",  # the decisive case's sizes differ: `*` cannot broadcast by chance
        "InvalidArgumentError",
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
    # Masks index 0, a real character here: only inputs holding a 0 show it.
    "build_model/mask_zero": (
        "def build_model(vocab_size, embedding_dim, rnn_units):\n"
        "    return keras.Sequential([\n"
        "        keras.Input((None,), dtype='int32'),\n"
        "        keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=True),\n"
        "        keras.layers.LSTM(rnn_units, return_sequences=True),\n"
        "        keras.layers.Dense(vocab_size)])\n",
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
    # Fine eagerly; the lab (and the grader) compile train_step with tf.function.
    "train_step/numpy": (
        "def train_step(model, optimizer, x, y):\n"
        "    with tf.GradientTape() as tape:\n"
        "        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(\n"
        "            y, model(x), from_logits=True))\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n"
        "    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n"
        "    return loss.numpy()\n",
        "error",
        "numpy",
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


@pytest.mark.parametrize("key", sorted(WRONG))
def test_one_wrong_exercise_loses_exactly_its_points(tmp_path, key):
    testkit.check_wrong_loses_its_points(LAB, tmp_path, key.split("/")[0], *WRONG[key])


# --- feedback a student can act on (issue 11, C) ---------------------------------------------


def _codes(text, size):
    out = np.full(size, -1, np.int64)
    out[: len(text)] = [ord(c) for c in text]
    return out


def test_indices_to_text_feedback_shows_the_strings():
    explain = get_spec(LAB).exercise("indices_to_text").explain
    said = explain("text", _codes("c a b", 20), _codes("cab", 20))
    assert "'c a b'" in said and "'cab'" in said and "character 1" in said
    said = explain("length", np.int64(5), np.int64(3))
    assert "5 characters" in said and "expected 3" in said


def test_build_model_feedback_names_the_layer_that_differs():
    explain = get_spec(LAB).exercise("build_model").explain
    want = np.array([9, 6, 6, 20, 5, 20, 20, 0, 5, 9, 9, 0])
    got = want.copy()
    got[0] = 10  # Embedding(vocab_size + 1)
    said = explain("weight_shapes", got, want)
    assert "Embedding" in said and "(10, 6)" in said and "(9, 6)" in said
    got = np.array([9, 6, 6, 15, 5, 15, 2, 15, 5, 9, 9, 0])  # a GRU
    said = explain("weight_shapes", got, want)
    assert "LSTM's kernel" in said and "(6, 15)" in said and "(6, 20)" in said
    assert "7 weight arrays" in explain("weight_count", np.int64(7), np.int64(6))
