"""The autograder on lab 2: shipped lab scores 0, solved lab full marks on fresh inputs,
one wrong exercise loses exactly its points with a reason."""

import pytest
import testkit

LAB = "lab2"
TOTAL = 16


def test_shipped_lab_scores_zero_not_attempted():
    testkit.check_shipped_scores_zero(LAB, TOTAL)


def test_solved_lab_scores_full_marks_on_fresh_inputs(tmp_path):
    testkit.check_solved_full_marks(LAB, tmp_path)


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
    testkit.check_wrong_loses_its_points(LAB, tmp_path, name, *WRONG[name])
