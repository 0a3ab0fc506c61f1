"""Lab 2 corpus: correct alternatives and plausible wrong variants of each exercise.

Written the way students write them (helper lines included), not copied from solutions/.
Every wrong variant is a mistake students make; each must lose its points on every seed.
"""

CORRECT: dict[str, list[str]] = {
    "text_to_indices": [
        """\
def text_to_indices(text, vocab):
    lookup = {}
    for i, ch in enumerate(vocab):
        lookup[ch] = i
    return np.fromiter((lookup[ch] for ch in text), dtype=np.int32, count=len(text))
""",
        # The vocabulary is sorted, so a binary search finds each character.
        """\
def text_to_indices(text, vocab):
    chars = np.array(list(text))
    return np.searchsorted(np.array(vocab), chars).astype(np.int32)
""",
        # vocab.index is slow on the whole corpus, but right.
        """\
def text_to_indices(text, vocab):
    return np.array([vocab.index(c) for c in text], dtype="int32")
""",
    ],
    "indices_to_text": [
        """\
def indices_to_text(indices, vocab):
    text = ""
    for i in np.asarray(indices):
        text += vocab[i]
    return text
""",
        """\
def indices_to_text(indices, vocab):
    return "".join(np.array(vocab)[np.asarray(indices, dtype=np.int64)])
""",
    ],
    "get_batch": [
        """\
def get_batch(indices, seq_length, batch_size, seed, starts=None):
    rng = np.random.default_rng(seed)
    if starts is None:
        starts = rng.integers(0, len(indices) - seq_length, size=batch_size)
    else:
        starts = [starts[i] for i in rng.integers(0, len(starts), size=batch_size)]
    x = np.zeros((batch_size, seq_length), dtype=np.int32)
    y = np.zeros((batch_size, seq_length), dtype=np.int32)
    for b, s in enumerate(starts):
        x[b] = indices[s:s + seq_length]
        y[b] = indices[s + 1:s + 1 + seq_length]
    return x, y
""",
        # Fancy indexing with a grid of positions.
        """\
def get_batch(indices, seq_length, batch_size, seed, starts=None):
    n = len(indices)
    rng = np.random.default_rng(seed)
    if starts is not None:
        starts = np.asarray(starts)[rng.integers(0, len(starts), size=batch_size)]
    else:
        starts = rng.integers(0, n - seq_length, size=batch_size)
    pos = starts[:, None] + np.arange(seq_length)[None, :]
    data = np.asarray(indices, dtype=np.int32)
    return data[pos], data[pos + 1]
""",
    ],
    "MyRNNCell": [
        """\
class MyRNNCell(keras.layers.Layer):
    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        self.W_xh = self.add_weight(shape=[input_dim, rnn_units], initializer="random_normal")
        self.W_hh = self.add_weight(shape=[rnn_units, rnn_units], initializer="random_normal")
        self.W_hy = self.add_weight(shape=[rnn_units, output_dim], initializer="random_normal")

    def call(self, x, h):
        h_new = tf.tanh(x @ self.W_xh + h @ self.W_hh)
        return h_new @ self.W_hy, h_new
""",
        # The original MIT lab's style: tf.Variables and a transposed-free formula.
        """\
class MyRNNCell(tf.keras.layers.Layer):
    def __init__(self, input_dim, rnn_units, output_dim):
        super(MyRNNCell, self).__init__()
        init = tf.random_normal_initializer(stddev=0.1)
        self.W_xh = tf.Variable(init((input_dim, rnn_units)), name="W_xh")
        self.W_hh = tf.Variable(init((rnn_units, rnn_units)), name="W_hh")
        self.W_hy = tf.Variable(init((rnn_units, output_dim)), name="W_hy")

    def call(self, x, h):
        pre = tf.linalg.matmul(x, self.W_xh) + tf.linalg.matmul(h, self.W_hh)
        h = tf.math.tanh(pre)
        y = tf.linalg.matmul(h, self.W_hy)
        return y, h
""",
    ],
    "build_model": [
        """\
layers = keras.layers

def build_model(vocab_size, embedding_dim, rnn_units):
    model = keras.Sequential()
    model.add(keras.Input(shape=(None,), dtype="int32"))
    model.add(layers.Embedding(input_dim=vocab_size, output_dim=embedding_dim))
    model.add(layers.LSTM(units=rnn_units, return_sequences=True))
    model.add(layers.Dense(units=vocab_size))
    return model
""",
        # No Input: the model builds on its first call.
        """\
def build_model(vocab_size, embedding_dim, rnn_units):
    return tf.keras.Sequential([
        tf.keras.layers.Embedding(vocab_size, embedding_dim),
        tf.keras.layers.LSTM(rnn_units, return_sequences=True,
                             recurrent_initializer="glorot_uniform"),
        tf.keras.layers.Dense(vocab_size),
    ])
""",
    ],
    "compute_loss": [
        # A loss object defined once (the original MIT lab's style).
        """\
loss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

def compute_loss(labels, logits):
    return loss_object(labels, logits)
""",
        """\
def compute_loss(labels, logits):
    per_char = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_mean(per_char)
""",
        # By hand: log-softmax, pick the label's entry.
        """\
def compute_loss(labels, logits):
    log_p = tf.nn.log_softmax(logits)
    depth = tf.shape(logits)[-1]
    return -tf.reduce_mean(tf.reduce_sum(tf.one_hot(labels, depth) * log_p, axis=-1))
""",
    ],
    "train_step": [
        # Reuses the student's own compute_loss (the notebook defines it above).
        """\
def train_step(model, optimizer, x, y):
    with tf.GradientTape() as tape:
        y_hat = model(x, training=True)
        loss = compute_loss(y, y_hat)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
""",
        # A loss object and Keras 3's optimizer.apply.
        """\
scce = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

def train_step(model, optimizer, x, y):
    params = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = scce(y, model(x))
    optimizer.apply(tape.gradient(loss, params), params)
    return loss
""",
    ],
    "sample_next": [
        """\
def sample_next(logits, temperature, noise):
    z = logits.astype(np.float64) / temperature
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    c = np.cumsum(p, axis=1)
    idx = np.array([np.searchsorted(c[i], noise[i], side="right") for i in range(len(c))])
    return np.clip(idx, 0, p.shape[1] - 1)
""",
        # TensorFlow's softmax in float64, then the cumulative sums.
        """\
def sample_next(logits, temperature, noise):
    probs = tf.nn.softmax(tf.constant(logits, tf.float64) / temperature, axis=-1).numpy()
    below = np.cumsum(probs, axis=-1) <= np.asarray(noise, np.float64).reshape(-1, 1)
    return np.minimum(below.sum(axis=-1), probs.shape[-1] - 1)
""",
    ],
}


_BATCH = """\
def get_batch(indices, seq_length, batch_size, seed, starts=None):
    {starts}
    x = np.stack([indices[s:s + seq_length] for s in starts]).astype(np.int32)
    y = np.stack([indices[{y0}:{y0} + seq_length] for s in starts]).astype(np.int32)
    return x, y
"""
_STARTS = (
    "rng = np.random.default_rng(seed)\n"
    "    if starts is None:\n"
    "        starts = rng.integers(0, len(indices) - seq_length, size=batch_size)\n"
    "    else:\n"
    "        starts = starts[rng.integers(0, len(starts), size=batch_size)]"
)


def _batch(starts=_STARTS, y0="s + 1"):
    return _BATCH.format(starts=starts, y0=y0)


_CELL = """\
class MyRNNCell(keras.layers.Layer):
    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        self.W_xh = self.add_weight(shape=(input_dim, rnn_units))
        self.W_hh = self.add_weight(shape=(rnn_units, rnn_units))
        self.W_hy = self.add_weight(shape=(rnn_units, output_dim))

    def call(self, x, h):
        {body}
"""


def _cell(body):
    return _CELL.format(body=body)


_MODEL = """\
def build_model(vocab_size, embedding_dim, rnn_units):
    return keras.Sequential([
        keras.Input((None,), dtype="int32"),
        {embedding},
        {rnn},
        {dense},
    ])
"""


def _model(
    embedding="keras.layers.Embedding(vocab_size, embedding_dim)",
    rnn="keras.layers.LSTM(rnn_units, return_sequences=True)",
    dense="keras.layers.Dense(vocab_size)",
):
    return _MODEL.format(embedding=embedding, rnn=rnn, dense=dense)


_TRAIN = """\
def train_step(model, optimizer, x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = {loss}
    grads = tape.gradient(loss, model.trainable_variables)
    {apply}
    return {ret}
"""
_SCCE = "keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True)"
_APPLY = "optimizer.apply_gradients(zip(grads, model.trainable_variables))"


def _train(loss=f"tf.reduce_mean({_SCCE})", apply=_APPLY, ret="loss"):
    return _TRAIN.format(loss=loss, apply=apply, ret=ret)


_SAMPLE = """\
def sample_next(logits, temperature, noise):
    z = np.asarray(logits, np.float64) {scale}
    p = np.exp(z - z.max(axis={axis}, keepdims=True))
    p /= p.sum(axis={axis}, keepdims=True)
    return np.minimum(({what} <= noise[:, None]).sum(axis=1), p.shape[1] - 1)
"""


def _sample(scale="/ temperature", axis="1", what="np.cumsum(p, axis=1)"):
    return _SAMPLE.format(scale=scale, axis=axis, what=what)


WRONG: dict[str, list[tuple[str, str]]] = {
    "text_to_indices": [
        # A vocabulary rebuilt from the text itself, not the one given.
        (
            "vocabulary rebuilt from the text",
            """\
def text_to_indices(text, vocab):
    vocab = sorted(set(text))
    char2idx = {c: i for i, c in enumerate(vocab)}
    return np.array([char2idx[c] for c in text], dtype=np.int32)
""",
        ),
        (
            "indices from 1",
            """\
def text_to_indices(text, vocab):
    char2idx = {c: i + 1 for i, c in enumerate(vocab)}
    return np.array([char2idx[c] for c in text], dtype=np.int32)
""",
        ),
        # Character codes minus the first one: assumes the vocabulary has no gaps.
        (
            "ord offsets",
            """\
def text_to_indices(text, vocab):
    return np.array([ord(c) - ord(vocab[0]) for c in text], dtype=np.int32)
""",
        ),
        # Floats where integer indices are expected.
        (
            "float indices",
            """\
def text_to_indices(text, vocab):
    out = np.zeros(len(text))
    for i, c in enumerate(text):
        out[i] = vocab.index(c)
    return out
""",
        ),
    ],
    "indices_to_text": [
        (
            "a list of characters",
            """\
def indices_to_text(indices, vocab):
    return [vocab[i] for i in indices]
""",
        ),
        (
            "joined with spaces",
            """\
def indices_to_text(indices, vocab):
    return " ".join(vocab[i] for i in indices)
""",
        ),
        (
            "off by one",
            """\
def indices_to_text(indices, vocab):
    return "".join(vocab[i - 1] for i in indices)
""",
        ),
        # chr of the index instead of the vocabulary's character.
        (
            "chr of the index",
            """\
def indices_to_text(indices, vocab):
    return "".join(chr(int(i)) for i in indices)
""",
        ),
    ],
    "get_batch": [
        ("target not shifted", _batch(y0="s")),
        (
            "given starts ignored",
            _batch(
                starts="starts = np.random.default_rng(seed).integers("
                "0, len(indices) - seq_length, size=batch_size)"
            ),
        ),
        ("target shifted back", _batch(y0="s - 1")),
        (
            "starts up to n - L inclusive",
            _batch(
                starts="starts = np.random.default_rng(seed).integers("
                "0, len(indices) - seq_length + 1, size=batch_size)"
            ),
        ),
        (
            "legacy np.random.seed",
            _batch(
                starts="np.random.seed(seed)\n"
                "    starts = np.random.randint(0, len(indices) - seq_length, size=batch_size)"
            ),
        ),
    ],
    "MyRNNCell": [
        # Erratum 5: elementwise * instead of a matrix product.
        (
            "h * W_hh",
            _cell(
                "h = tf.math.tanh(tf.matmul(x, self.W_xh) + h * self.W_hh)\n"
                "        return tf.matmul(h, self.W_hy), h"
            ),
        ),
        # The output from the previous state.
        (
            "y from the old state",
            _cell(
                "y = tf.matmul(h, self.W_hy)\n"
                "        h = tf.math.tanh(tf.matmul(x, self.W_xh) + tf.matmul(h, self.W_hh))\n"
                "        return y, h"
            ),
        ),
        (
            "no tanh",
            _cell(
                "h = tf.matmul(x, self.W_xh) + tf.matmul(h, self.W_hh)\n"
                "        return tf.matmul(h, self.W_hy), h"
            ),
        ),
        (
            "W_hh transposed",
            _cell(
                "h = tf.tanh(tf.matmul(x, self.W_xh) + tf.matmul(h, self.W_hh, transpose_b=True))\n"
                "        return tf.matmul(h, self.W_hy), h"
            ),
        ),
        (
            "sigmoid",
            _cell(
                "h = tf.sigmoid(tf.matmul(x, self.W_xh) + tf.matmul(h, self.W_hh))\n"
                "        return tf.matmul(h, self.W_hy), h"
            ),
        ),
    ],
    "build_model": [
        ("softmax output", _model(dense="keras.layers.Dense(vocab_size, activation='softmax')")),
        # Index 0 is a real character here, not padding.
        (
            "mask_zero=True",
            _model(embedding="keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=True)"),
        ),
        ("GRU instead of LSTM", _model(rnn="keras.layers.GRU(rnn_units, return_sequences=True)")),
        ("last step only", _model(rnn="keras.layers.LSTM(rnn_units)")),
        (
            "Embedding(vocab_size + 1)",
            _model(embedding="keras.layers.Embedding(vocab_size + 1, embedding_dim)"),
        ),
        (
            "relu LSTM",
            _model(rnn="keras.layers.LSTM(rnn_units, activation='relu', return_sequences=True)"),
        ),
    ],
    "compute_loss": [
        (
            "forgot from_logits",
            """\
def compute_loss(labels, logits):
    return tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(labels, logits))
""",
        ),
        (
            "sum instead of mean",
            """\
def compute_loss(labels, logits):
    return tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits))
""",
        ),
        # Summed over time, averaged over the batch.
        (
            "sum over time",
            """\
def compute_loss(labels, logits):
    per_char = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)
    return tf.reduce_mean(tf.reduce_sum(per_char, axis=1))
""",
        ),
        # Softmax applied, then treated as logits again.
        (
            "softmax then from_logits",
            """\
def compute_loss(labels, logits):
    probs = tf.nn.softmax(logits)
    return tf.reduce_mean(
        keras.losses.sparse_categorical_crossentropy(labels, probs, from_logits=True))
""",
        ),
    ],
    "train_step": [
        (
            "forward pass outside the tape",
            """\
def train_step(model, optimizer, x, y):
    logits = model(x)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(
            y, logits, from_logits=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
""",
        ),
        ("no update", _train(apply="pass")),
        ("sum instead of mean", _train(loss=f"tf.reduce_sum({_SCCE})")),
        (
            "loss after the update",
            _train(
                ret="tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(\n"
                "        y, model(x), from_logits=True))"
            ),
        ),
        # Fine eagerly, but the lab compiles train_step with tf.function.
        ("returns loss.numpy()", _train(ret="loss.numpy()")),
    ],
    "sample_next": [
        ("multiplies by the temperature", _sample(scale="* temperature")),
        ("temperature ignored", _sample(scale="")),
        ("softmax over the batch", _sample(axis="0")),
        ("p instead of cumsum(p)", _sample(what="p")),
        (
            "greedy argmax",
            """\
def sample_next(logits, temperature, noise):
    return np.argmax(logits / temperature, axis=-1)
""",
        ),
    ],
}
