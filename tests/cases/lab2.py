"""Lab 2: wrong answers graded end to end (see ``cases/__init__.py``)."""

from cases import Wrong

WRONG = (
    Wrong(
        "text_to_indices",
        "def text_to_indices(text, vocab):\n"
        "    vocab = sorted(set(text))\n"  # a vocabulary rebuilt from the text
        "    return np.array([vocab.index(c) for c in text], np.int32)\n",
        "wrong",
        "wrong values",
    ),
    Wrong(
        "indices_to_text",
        "def indices_to_text(indices, vocab):\n"
        "    return [vocab[i] for i in indices]\n",  # a list, not a str
        "error",
        "expected a str",
    ),
    Wrong(
        "get_batch",
        "def get_batch(indices, seq_length, batch_size, seed, starts=None):\n"
        "    rng = np.random.default_rng(seed)\n"
        "    if starts is None:\n"
        "        starts = rng.integers(0, len(indices) - seq_length, size=batch_size)\n"
        "    else:\n"
        "        starts = starts[rng.integers(0, len(starts), size=batch_size)]\n"
        "    x = np.stack([indices[s:s + seq_length] for s in starts]).astype(np.int32)\n"
        "    return x, x\n",  # target not shifted
        "wrong",
        "`y` has wrong values",
    ),
    Wrong(
        "MyRNNCell",
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
    Wrong(
        "build_model",
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
    Wrong(
        "build_model",
        "def build_model(vocab_size, embedding_dim, rnn_units):\n"
        "    return keras.Sequential([\n"
        "        keras.Input((None,), dtype='int32'),\n"
        "        keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=True),\n"
        "        keras.layers.LSTM(rnn_units, return_sequences=True),\n"
        "        keras.layers.Dense(vocab_size)])\n",
        "wrong",
        "`logits` has wrong values",
        label="mask_zero",
    ),
    Wrong(
        "compute_loss",
        "def compute_loss(labels, logits):\n"
        "    return tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(\n"
        "        labels, logits))\n",  # forgot from_logits=True
        "wrong",
        "wrong values",
    ),
    # Fine eagerly; the lab (and the grader) compile train_step with tf.function.
    Wrong(
        "train_step",
        "def train_step(model, optimizer, x, y):\n"
        "    with tf.GradientTape() as tape:\n"
        "        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(\n"
        "            y, model(x), from_logits=True))\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n"
        "    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n"
        "    return loss.numpy()\n",
        "error",
        "has no attribute 'numpy'",
        label="numpy",
    ),
    Wrong(
        "train_step",
        "def train_step(model, optimizer, x, y):\n"
        "    logits = model(x)\n"
        "    with tf.GradientTape() as tape:\n"
        "        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(\n"
        "            y, logits, from_logits=True))\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n"
        "    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n"
        "    return loss\n",  # forward pass outside the tape
        "error",
        "No gradients provided for any variable",
    ),
    Wrong(
        "sample_next",
        "def sample_next(logits, temperature, noise):\n"
        "    p = tf.nn.softmax(logits * temperature).numpy()\n"  # multiplies by T
        "    return np.minimum((np.cumsum(p, axis=-1) <= noise[:, None]).sum(-1),\n"
        "                      p.shape[-1] - 1)\n",
        "wrong",
        "wrong values",
    ),
)
