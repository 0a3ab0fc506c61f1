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
        # dict(zip(...)) and map: int64 indices (any integer dtype is accepted).
        """\
def text_to_indices(text, vocab):
    char2idx = dict(zip(vocab, range(len(vocab))))
    return np.array(list(map(char2idx.get, text)), dtype=np.int64)
""",
        # A lookup table by character code.
        """\
def text_to_indices(text, vocab):
    table = np.zeros(max(ord(c) for c in vocab) + 1, dtype=np.int32)
    for i, c in enumerate(vocab):
        table[ord(c)] = i
    return table[[ord(c) for c in text]]
""",
        # Keras' StringLookup without an out-of-vocabulary index.
        """\
def text_to_indices(text, vocab):
    lookup = keras.layers.StringLookup(vocabulary=list(vocab), num_oov_indices=0)
    return lookup(tf.constant(list(text))).numpy().astype(np.int32)
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
        """\
def indices_to_text(indices, vocab):
    return "".join(map(vocab.__getitem__, indices))
""",
        # TensorFlow's string ops.
        """\
def indices_to_text(indices, vocab):
    chars = tf.gather(tf.constant(vocab), indices)
    return tf.strings.reduce_join(chars).numpy().decode("utf-8")
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
        # rng.choice draws what rng.integers draws (same stream), for both rules.
        """\
def get_batch(indices, seq_length, batch_size, seed, starts=None):
    rng = np.random.default_rng(seed)
    if starts is None:
        idx = rng.choice(len(indices) - seq_length, batch_size)
    else:
        idx = rng.choice(starts, batch_size)
    x = np.array([indices[i:i + seq_length] for i in idx], dtype=np.int32)
    y = np.array([indices[i + 1:i + seq_length + 1] for i in idx], dtype=np.int32)
    return x, y
""",
        # One draw at a time, windows of L + 1 split in two.
        """\
def get_batch(indices, seq_length, batch_size, seed, starts=None):
    rng = np.random.default_rng(seed)
    n = indices.shape[0]
    if starts is None:
        chosen = [int(rng.integers(0, n - seq_length)) for _ in range(batch_size)]
    else:
        chosen = [int(starts[rng.integers(len(starts))]) for _ in range(batch_size)]
    windows = np.stack([indices[s:s + seq_length + 1] for s in chosen]).astype(np.int32)
    return windows[:, :-1], windows[:, 1:]
""",
        # sliding_window_view; int64 (any integer dtype is accepted).
        """\
def get_batch(indices, seq_length, batch_size, seed, starts=None):
    rng = np.random.default_rng(seed=seed)
    if starts is None:
        s = rng.integers(low=0, high=indices.size - seq_length, size=(batch_size,))
    else:
        s = np.asarray(starts)[rng.integers(low=0, high=len(starts), size=(batch_size,))]
    windows = np.lib.stride_tricks.sliding_window_view(indices, seq_length + 1)[s]
    return windows[:, :seq_length].astype(np.int64), windows[:, 1:].astype(np.int64)
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
        # Weights made in build(), from the input's shape.
        """\
class MyRNNCell(keras.layers.Layer):
    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        self.units = rnn_units
        self.out_dim = output_dim

    def build(self, input_shape):
        self.W_xh = self.add_weight(shape=(input_shape[-1], self.units), name="W_xh")
        self.W_hh = self.add_weight(shape=(self.units, self.units), name="W_hh")
        self.W_hy = self.add_weight(shape=(self.units, self.out_dim), name="W_hy")

    def call(self, x, h):
        h = keras.activations.tanh(x @ self.W_xh + h @ self.W_hh)
        return h @ self.W_hy, h
""",
        # One matrix product of [x, h] with the stacked weights.
        """\
class MyRNNCell(keras.layers.Layer):
    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        self.W_xh = self.add_weight(shape=(input_dim, rnn_units))
        self.W_hh = self.add_weight(shape=(rnn_units, rnn_units))
        self.W_hy = self.add_weight(shape=(rnn_units, output_dim))

    def call(self, x, h):
        xh = tf.concat([x, h], axis=1)
        h = tf.tanh(tf.matmul(xh, tf.concat([self.W_xh, self.W_hh], axis=0)))
        return tf.matmul(h, self.W_hy), h
""",
        # einsum in a decorated call; tanh as 2 sigmoid(2a) - 1.
        """\
class MyRNNCell(keras.layers.Layer):
    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        self.W_xh = self.add_weight(shape=(input_dim, rnn_units), initializer="zeros")
        self.W_hh = self.add_weight(shape=(rnn_units, rnn_units), initializer="zeros")
        self.W_hy = self.add_weight(shape=(rnn_units, output_dim), initializer="zeros")

    @tf.function
    def call(self, x, h):
        a = tf.einsum("bi,ih->bh", x, self.W_xh) + tf.einsum("bh,hk->bk", h, self.W_hh)
        h_new = 2.0 * tf.sigmoid(2.0 * a) - 1.0
        return tf.einsum("bh,ho->bo", h_new, self.W_hy), h_new
""",
        # Column-vector products, transposed back.
        """\
class MyRNNCell(keras.layers.Layer):
    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        self.W_xh = self.add_weight(shape=(input_dim, rnn_units))
        self.W_hh = self.add_weight(shape=(rnn_units, rnn_units))
        self.W_hy = self.add_weight(shape=(rnn_units, output_dim))

    def call(self, x, h):
        z = tf.matmul(self.W_xh, x, transpose_a=True, transpose_b=True) + tf.matmul(
            self.W_hh, h, transpose_a=True, transpose_b=True
        )
        h = tf.transpose(tf.tanh(z))
        return tf.matmul(h, self.W_hy), h
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
        # A Sequential subclass, built by hand; compiled too (harmless).
        """\
class FolkModel(keras.Sequential):
    pass

def build_model(vocab_size, embedding_dim, rnn_units):
    m = FolkModel()
    m.add(keras.layers.Embedding(vocab_size, embedding_dim))
    m.add(keras.layers.LSTM(rnn_units, return_sequences=True))
    m.add(keras.layers.Dense(vocab_size))
    m.build((None, None))
    m.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return m
""",
        # An InputLayer, named layers, linear activation spelled out, unrolled LSTM.
        """\
def build_model(vocab_size, embedding_dim, rnn_units):
    model = keras.Sequential(name="folk_rnn")
    model.add(keras.layers.InputLayer(shape=(None,), dtype="int32"))
    model.add(keras.layers.Embedding(vocab_size, embedding_dim, name="embed"))
    model.add(keras.layers.LSTM(rnn_units, return_sequences=True, unroll=True, name="lstm"))
    model.add(keras.layers.Dense(vocab_size, activation="linear", name="logits"))
    return model
""",
        # int64 input; the LSTM's default arguments written out.
        """\
def build_model(vocab_size, embedding_dim, rnn_units):
    return keras.Sequential([
        keras.Input(shape=(None,), dtype="int64"),
        keras.layers.Embedding(vocab_size, embedding_dim),
        keras.layers.LSTM(rnn_units, return_sequences=True, activation="tanh",
                          recurrent_activation="sigmoid", dropout=0.0, stateful=False),
        keras.layers.Dense(vocab_size, activation=None),
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
        # One-hot labels and categorical cross-entropy.
        """\
def compute_loss(labels, logits):
    one_hot = tf.one_hot(labels, depth=logits.shape[-1])
    return tf.reduce_mean(
        keras.losses.categorical_crossentropy(one_hot, logits, from_logits=True))
""",
        # from_logits by hand: log of the softmax, the label's entry by gather.
        """\
def compute_loss(labels, logits):
    log_p = tf.math.log(tf.nn.softmax(logits, axis=-1))
    return -tf.reduce_mean(tf.gather(log_p, labels, batch_dims=2))
""",
        # logsumexp minus the label's logit.
        """\
def compute_loss(labels, logits):
    picked = tf.reduce_sum(tf.one_hot(labels, tf.shape(logits)[-1]) * logits, axis=-1)
    return tf.reduce_mean(tf.reduce_logsumexp(logits, axis=-1) - picked)
""",
        # Softmax, then the loss on probabilities (Keras clips them at 1e-7: close enough).
        """\
def compute_loss(labels, logits):
    probs = tf.nn.softmax(logits)
    return keras.losses.SparseCategoricalCrossentropy()(labels, probs)
""",
        # Keras 3's backend-neutral operations (tensors of the TensorFlow backend).
        """\
def compute_loss(labels, logits):
    per = keras.ops.sparse_categorical_crossentropy(labels, logits, from_logits=True)
    return keras.ops.mean(per)
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
        # Decorated by the student (the probe unwraps it); uses compute_loss.
        """\
@tf.function
def train_step(model, optimizer, x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = compute_loss(y, logits)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
""",
        # Dense gradients (the embedding's is sparse otherwise), a persistent tape.
        """\
def train_step(model, optimizer, x, y):
    with tf.GradientTape(persistent=True) as tape:
        loss = compute_loss(y, model(x, training=True))
    grads = [tf.convert_to_tensor(g) for g in tape.gradient(loss, model.trainable_variables)]
    del tape
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return tf.identity(loss)
""",
        # Softmax, then the loss on probabilities.
        """\
def train_step(model, optimizer, x, y):
    with tf.GradientTape() as tape:
        probs = tf.nn.softmax(model(x, training=True))
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, probs))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
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
        # float32 softmax in TensorFlow (the grader's noise stays clear of cumsum's entries).
        """\
def sample_next(logits, temperature, noise):
    p = tf.nn.softmax(logits / temperature, axis=-1).numpy()
    c = np.cumsum(p, axis=-1)
    return np.minimum((c <= noise[:, None]).sum(-1), p.shape[-1] - 1)
""",
        # A loop per row, a running total.
        """\
def sample_next(logits, temperature, noise):
    out = []
    for row, u in zip(logits, noise):
        z = row / temperature
        e = np.exp(z - np.max(z))
        p = e / e.sum()
        total, k = 0.0, 0
        for q in p:
            total += q
            if total <= u:
                k += 1
        out.append(min(k, len(p) - 1))
    return np.array(out)
""",
        # The first index where cumsum(p) > noise, in TensorFlow (int64).
        """\
def sample_next(logits, temperature, noise):
    p = tf.nn.softmax(tf.convert_to_tensor(logits) / temperature)
    c = tf.math.cumsum(p, axis=-1)
    return tf.argmax(tf.cast(c > noise[:, None], tf.int32), axis=-1).numpy()
""",
        # p ** (1 / T), renormalised: the same distribution as softmax(logits / T).
        """\
def sample_next(logits, temperature, noise):
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = p / p.sum(axis=1, keepdims=True)
    p = p ** (1.0 / temperature)
    p = p / p.sum(axis=1, keepdims=True)
    return np.minimum((np.cumsum(p, axis=1) <= noise[:, None]).sum(axis=1), p.shape[1] - 1)
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
        # The vocabulary of the text, as np.unique builds it.
        (
            "np.unique inverse",
            """\
def text_to_indices(text, vocab):
    return np.unique(list(text), return_inverse=True)[1].astype(np.int32)
""",
        ),
        (
            "order of first appearance",
            """\
def text_to_indices(text, vocab):
    seen = {}
    for c in text:
        seen.setdefault(c, len(seen))
    return np.array([seen[c] for c in text], np.int32)
""",
        ),
        # Unicode code points, not positions in vocab.
        (
            "ord codes",
            """\
def text_to_indices(text, vocab):
    return np.array([ord(c) for c in text], np.int32)
""",
        ),
        # The lab slices and calls .tolist() on the result: a NumPy array is asked for.
        (
            "a tensor",
            """\
def text_to_indices(text, vocab):
    char2idx = {c: i for i, c in enumerate(vocab)}
    return tf.constant([char2idx[c] for c in text], tf.int32)
""",
        ),
        # StringLookup's default keeps index 0 for unknown characters.
        (
            "StringLookup with an OOV index",
            """\
def text_to_indices(text, vocab):
    lookup = keras.layers.StringLookup(vocabulary=list(vocab))
    return lookup(tf.constant(list(text))).numpy().astype(np.int32)
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
        (
            "drops the last character",
            """\
def indices_to_text(indices, vocab):
    return "".join(vocab[i] for i in indices[:-1])
""",
        ),
        (
            "str of a list",
            """\
def indices_to_text(indices, vocab):
    return str([vocab[i] for i in indices])
""",
        ),
        (
            "bytes",
            """\
def indices_to_text(indices, vocab):
    return "".join(vocab[i] for i in indices).encode()
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
        # Windows that never overlap: another draw than the docstring's.
        (
            "choice without replacement",
            """\
def get_batch(indices, seq_length, batch_size, seed, starts=None):
    rng = np.random.default_rng(seed)
    if starts is None:
        s = rng.choice(len(indices) - seq_length, batch_size, replace=False)
    else:
        s = starts[rng.integers(0, len(starts), size=batch_size)]
    x = np.stack([indices[i:i + seq_length] for i in s]).astype(np.int32)
    y = np.stack([indices[i + 1:i + seq_length + 1] for i in s]).astype(np.int32)
    return x, y
""",
        ),
        # Off by one the other way: the last start n - L - 1 is never drawn.
        (
            "starts below n - L - 1",
            """\
def get_batch(indices, seq_length, batch_size, seed, starts=None):
    rng = np.random.default_rng(seed)
    if starts is None:
        s = rng.integers(0, len(indices) - seq_length - 1, size=batch_size)
    else:
        s = starts[rng.integers(0, len(starts), size=batch_size)]
    x = np.stack([indices[i:i + seq_length] for i in s]).astype(np.int32)
    y = np.stack([indices[i + 1:i + seq_length + 1] for i in s]).astype(np.int32)
    return x, y
""",
        ),
        # The last given start is never drawn (integers' high is exclusive already).
        (
            "given starts but the last",
            """\
def get_batch(indices, seq_length, batch_size, seed, starts=None):
    rng = np.random.default_rng(seed)
    if starts is None:
        s = rng.integers(0, len(indices) - seq_length, size=batch_size)
    else:
        s = starts[rng.integers(0, len(starts) - 1, size=batch_size)]
    x = np.stack([indices[i:i + seq_length] for i in s]).astype(np.int32)
    y = np.stack([indices[i + 1:i + seq_length + 1] for i in s]).astype(np.int32)
    return x, y
""",
        ),
        # Positions in the starts array used as starts.
        (
            "starts' positions as starts",
            """\
def get_batch(indices, seq_length, batch_size, seed, starts=None):
    rng = np.random.default_rng(seed)
    if starts is None:
        s = rng.integers(0, len(indices) - seq_length, size=batch_size)
    else:
        s = rng.integers(0, len(starts), size=batch_size)
    x = np.stack([indices[i:i + seq_length] for i in s]).astype(np.int32)
    y = np.stack([indices[i + 1:i + seq_length + 1] for i in s]).astype(np.int32)
    return x, y
""",
        ),
        # The free draw made first, then the one from the given starts: the stream moved on.
        (
            "a draw before the given starts' one",
            """\
def get_batch(indices, seq_length, batch_size, seed, starts=None):
    rng = np.random.default_rng(seed)
    s = rng.integers(0, len(indices) - seq_length, size=batch_size)
    if starts is not None:
        s = starts[rng.integers(0, len(starts), size=batch_size)]
    x = np.stack([indices[i:i + seq_length] for i in s]).astype(np.int32)
    y = np.stack([indices[i + 1:i + seq_length + 1] for i in s]).astype(np.int32)
    return x, y
""",
        ),
        (
            "x and y swapped",
            """\
def get_batch(indices, seq_length, batch_size, seed, starts=None):
    rng = np.random.default_rng(seed)
    if starts is None:
        s = rng.integers(0, len(indices) - seq_length, size=batch_size)
    else:
        s = starts[rng.integers(0, len(starts), size=batch_size)]
    x = np.stack([indices[i:i + seq_length] for i in s]).astype(np.int32)
    y = np.stack([indices[i + 1:i + seq_length + 1] for i in s]).astype(np.int32)
    return y, x
""",
        ),
        # The last target wraps around to the window's first character.
        (
            "np.roll target",
            """\
def get_batch(indices, seq_length, batch_size, seed, starts=None):
    rng = np.random.default_rng(seed)
    if starts is None:
        s = rng.integers(0, len(indices) - seq_length, size=batch_size)
    else:
        s = starts[rng.integers(0, len(starts), size=batch_size)]
    x = np.stack([indices[i:i + seq_length] for i in s]).astype(np.int32)
    y = np.stack([indices[i + 1:i + seq_length + 1] for i in s]).astype(np.int32)
    return x, np.roll(x, -1, axis=1)
""",
        ),
        (
            "starts sorted",
            """\
def get_batch(indices, seq_length, batch_size, seed, starts=None):
    rng = np.random.default_rng(seed)
    if starts is None:
        s = np.sort(rng.integers(0, len(indices) - seq_length, size=batch_size))
    else:
        s = np.sort(starts[rng.integers(0, len(starts), size=batch_size)])
    x = np.stack([indices[i:i + seq_length] for i in s]).astype(np.int32)
    y = np.stack([indices[i + 1:i + seq_length + 1] for i in s]).astype(np.int32)
    return x, y
""",
        ),
        # Another generator than the docstring's.
        (
            "tf.random",
            """\
def get_batch(indices, seq_length, batch_size, seed, starts=None):
    tf.random.set_seed(seed)
    if starts is None:
        s = tf.random.uniform((batch_size,), 0, len(indices) - seq_length, tf.int64).numpy()
    else:
        s = np.asarray(starts)[tf.random.uniform((batch_size,), 0, len(starts), tf.int64).numpy()]
    x = np.stack([indices[i:i + seq_length] for i in s]).astype(np.int32)
    y = np.stack([indices[i + 1:i + seq_length + 1] for i in s]).astype(np.int32)
    return x, y
""",
        ),
        # A generator per window, seeded seed + b.
        (
            "one generator per window",
            """\
def get_batch(indices, seq_length, batch_size, seed, starts=None):
    xs, ys = [], []
    for b in range(batch_size):
        rng = np.random.default_rng(seed + b)
        if starts is None:
            s = rng.integers(0, len(indices) - seq_length)
        else:
            s = starts[rng.integers(0, len(starts))]
        xs.append(indices[s:s + seq_length])
        ys.append(indices[s + 1:s + seq_length + 1])
    return np.array(xs, np.int32), np.array(ys, np.int32)
""",
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
        (
            "tanh on y too",
            """\
class MyRNNCell(keras.layers.Layer):
    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        self.W_xh = self.add_weight(shape=(input_dim, rnn_units))
        self.W_hh = self.add_weight(shape=(rnn_units, rnn_units))
        self.W_hy = self.add_weight(shape=(rnn_units, output_dim))

    def call(self, x, h):
        h = tf.tanh(x @ self.W_xh + h @ self.W_hh)
        return tf.tanh(h @ self.W_hy), h
""",
        ),
        # The original MIT lab's column vectors: weights of other shapes than the docstring's.
        (
            "column-vector weights",
            """\
class MyRNNCell(keras.layers.Layer):
    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        self.W_xh = self.add_weight(shape=(rnn_units, input_dim))
        self.W_hh = self.add_weight(shape=(rnn_units, rnn_units))
        self.W_hy = self.add_weight(shape=(output_dim, rnn_units))

    def call(self, x, h):
        h = tf.transpose(tf.tanh(self.W_hh @ tf.transpose(h) + self.W_xh @ tf.transpose(x)))
        return tf.transpose(self.W_hy @ tf.transpose(h)), h
""",
        ),
        # Its own state from zeros, not the h it is given (the public check starts from h0 != 0).
        (
            "state kept in self.h",
            """\
class MyRNNCell(keras.layers.Layer):
    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        self.W_xh = self.add_weight(shape=(input_dim, rnn_units))
        self.W_hh = self.add_weight(shape=(rnn_units, rnn_units))
        self.W_hy = self.add_weight(shape=(rnn_units, output_dim))
        self.h = None

    def call(self, x, h):
        if self.h is None:
            self.h = tf.zeros_like(h)
        self.h = tf.tanh(x @ self.W_xh + self.h @ self.W_hh)
        return self.h @ self.W_hy, self.h
""",
        ),
        (
            "returns (h, y)",
            """\
class MyRNNCell(keras.layers.Layer):
    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        self.W_xh = self.add_weight(shape=(input_dim, rnn_units))
        self.W_hh = self.add_weight(shape=(rnn_units, rnn_units))
        self.W_hy = self.add_weight(shape=(rnn_units, output_dim))

    def call(self, x, h):
        h = tf.tanh(x @ self.W_xh + h @ self.W_hh)
        return h, h @ self.W_hy
""",
        ),
        (
            "returns the old state",
            """\
class MyRNNCell(keras.layers.Layer):
    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        self.W_xh = self.add_weight(shape=(input_dim, rnn_units))
        self.W_hh = self.add_weight(shape=(rnn_units, rnn_units))
        self.W_hy = self.add_weight(shape=(rnn_units, output_dim))

    def call(self, x, h):
        h_new = tf.tanh(x @ self.W_xh + h @ self.W_hh)
        return h_new @ self.W_hy, h
""",
        ),
        (
            "tanh of the input term only",
            """\
class MyRNNCell(keras.layers.Layer):
    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        self.W_xh = self.add_weight(shape=(input_dim, rnn_units))
        self.W_hh = self.add_weight(shape=(rnn_units, rnn_units))
        self.W_hy = self.add_weight(shape=(rnn_units, output_dim))

    def call(self, x, h):
        h = tf.tanh(x @ self.W_xh) + h @ self.W_hh
        return h @ self.W_hy, h
""",
        ),
        (
            "relu",
            """\
class MyRNNCell(keras.layers.Layer):
    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        self.W_xh = self.add_weight(shape=(input_dim, rnn_units))
        self.W_hh = self.add_weight(shape=(rnn_units, rnn_units))
        self.W_hy = self.add_weight(shape=(rnn_units, output_dim))

    def call(self, x, h):
        h = tf.nn.relu(x @ self.W_xh + h @ self.W_hh)
        return h @ self.W_hy, h
""",
        ),
        # Random constants: not weights, training could not change them.
        (
            "constant tensors",
            """\
class MyRNNCell(keras.layers.Layer):
    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        self.W_xh = tf.random.normal((input_dim, rnn_units))
        self.W_hh = tf.random.normal((rnn_units, rnn_units))
        self.W_hy = tf.random.normal((rnn_units, output_dim))

    def call(self, x, h):
        h = tf.tanh(x @ self.W_xh + h @ self.W_hh)
        return h @ self.W_hy, h
""",
        ),
        # A bias the docstring leaves out (initialised to ones, so it shows).
        (
            "with a bias",
            """\
class MyRNNCell(keras.layers.Layer):
    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        self.W_xh = self.add_weight(shape=(input_dim, rnn_units))
        self.W_hh = self.add_weight(shape=(rnn_units, rnn_units))
        self.W_hy = self.add_weight(shape=(rnn_units, output_dim))
        self.b = self.add_weight(shape=(rnn_units,), initializer="ones")

    def call(self, x, h):
        h = tf.tanh(x @ self.W_xh + h @ self.W_hh + self.b)
        return h @ self.W_hy, h
""",
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
        # A functional model: model.layers starts with its InputLayer, and the lab's
        # generate_tunes unpacks three layers.
        (
            "functional keras.Model",
            """\
def build_model(vocab_size, embedding_dim, rnn_units):
    inputs = keras.Input(shape=(None,), dtype="int32")
    h = keras.layers.Embedding(vocab_size, embedding_dim)(inputs)
    h = keras.layers.LSTM(rnn_units, return_sequences=True)(h)
    return keras.Model(inputs, keras.layers.Dense(vocab_size)(h))
""",
        ),
        # No weights of its own, so only model.layers shows it.
        (
            "extra Dropout layer",
            """\
def build_model(vocab_size, embedding_dim, rnn_units):
    return keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(vocab_size, embedding_dim),
        keras.layers.LSTM(rnn_units, return_sequences=True),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(vocab_size),
    ])
""",
        ),
        # Dropout acts only with training=True.
        (
            "LSTM dropout",
            """\
def build_model(vocab_size, embedding_dim, rnn_units):
    return keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(vocab_size, embedding_dim),
        keras.layers.LSTM(rnn_units, return_sequences=True, dropout=0.3),
        keras.layers.Dense(vocab_size),
    ])
""",
        ),
        (
            "LSTM recurrent_dropout",
            """\
def build_model(vocab_size, embedding_dim, rnn_units):
    return keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(vocab_size, embedding_dim),
        keras.layers.LSTM(rnn_units, return_sequences=True, recurrent_dropout=0.3),
        keras.layers.Dense(vocab_size),
    ])
""",
        ),
        (
            "extra linear Activation layer",
            """\
def build_model(vocab_size, embedding_dim, rnn_units):
    return keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(vocab_size, embedding_dim),
        keras.layers.LSTM(rnn_units, return_sequences=True),
        keras.layers.Dense(vocab_size),
        keras.layers.Activation('linear'),
    ])
""",
        ),
        # generate_tunes calls the dense layer on one step, (n, U): TimeDistributed wants time.
        (
            "TimeDistributed Dense",
            """\
def build_model(vocab_size, embedding_dim, rnn_units):
    return keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(vocab_size, embedding_dim),
        keras.layers.LSTM(rnn_units, return_sequences=True),
        keras.layers.TimeDistributed(keras.layers.Dense(vocab_size)),
    ])
""",
        ),
        # The same weights, but generate_tunes needs lstm.units.
        (
            "RNN(LSTMCell)",
            """\
def build_model(vocab_size, embedding_dim, rnn_units):
    return keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(vocab_size, embedding_dim),
        keras.layers.RNN(keras.layers.LSTMCell(rnn_units), return_sequences=True),
        keras.layers.Dense(vocab_size),
    ])
""",
        ),
        (
            "go_backwards",
            """\
def build_model(vocab_size, embedding_dim, rnn_units):
    return keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(vocab_size, embedding_dim),
        keras.layers.LSTM(rnn_units, return_sequences=True, go_backwards=True),
        keras.layers.Dense(vocab_size),
    ])
""",
        ),
        (
            "hard_sigmoid gates",
            """\
def build_model(vocab_size, embedding_dim, rnn_units):
    return keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(vocab_size, embedding_dim),
        keras.layers.LSTM(rnn_units, return_sequences=True, recurrent_activation='hard_sigmoid'),
        keras.layers.Dense(vocab_size),
    ])
""",
        ),
        (
            "two LSTMs",
            """\
def build_model(vocab_size, embedding_dim, rnn_units):
    return keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(vocab_size, embedding_dim),
        keras.layers.LSTM(rnn_units, return_sequences=True),
        keras.layers.LSTM(rnn_units, return_sequences=True),
        keras.layers.Dense(vocab_size),
    ])
""",
        ),
        (
            "Dense relu",
            """\
def build_model(vocab_size, embedding_dim, rnn_units):
    return keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(vocab_size, embedding_dim),
        keras.layers.LSTM(rnn_units, return_sequences=True),
        keras.layers.Dense(vocab_size, activation='relu'),
    ])
""",
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
        (
            "per-position losses, not averaged",
            """\
def compute_loss(labels, logits):
    return keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True)
""",
        ),
        (
            "reduction sum",
            """\
def compute_loss(labels, logits):
    scce = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="sum")
    return scce(labels, logits)
""",
        ),
        (
            "averaged over the batch only",
            """\
def compute_loss(labels, logits):
    per = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)
    return tf.reduce_sum(per) / tf.cast(tf.shape(labels)[0], tf.float32)
""",
        ),
        (
            "mean over the vocabulary too",
            """\
def compute_loss(labels, logits):
    one_hot = tf.one_hot(labels, logits.shape[-1])
    return -tf.reduce_mean(one_hot * tf.nn.log_softmax(logits))
""",
        ),
        (
            "the label's logit, not its log-probability",
            """\
def compute_loss(labels, logits):
    return -tf.reduce_mean(tf.gather(logits, labels, batch_dims=2))
""",
        ),
        (
            "sigmoid cross-entropy",
            """\
def compute_loss(labels, logits):
    one_hot = tf.one_hot(labels, logits.shape[-1])
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(one_hot, logits))
""",
        ),
        # get_batch shifted the targets already.
        (
            "labels shifted again",
            """\
def compute_loss(labels, logits):
    per = tf.nn.sparse_softmax_cross_entropy_with_logits(labels[:, 1:], logits[:, :-1])
    return tf.reduce_mean(per)
""",
        ),
        # Right eagerly, but a float: train_step cannot take its gradient, nor run it in
        # tf.function.
        (
            "a Python float",
            """\
def compute_loss(labels, logits):
    per = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)
    return float(tf.reduce_mean(per).numpy())
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
        # The loss of logits read as probabilities.
        (
            "forgot from_logits",
            _train(loss="tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, logits))"),
        ),
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
        # Right for plain SGD only: the lab trains with Adam (the grader's SGD has momentum).
        (
            "update by hand with the optimizer's rate",
            """\
def train_step(model, optimizer, x, y):
    with tf.GradientTape() as tape:
        loss = compute_loss(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    for v, g in zip(model.trainable_variables, grads):
        v.assign_sub(optimizer.learning_rate * g)
    return loss
""",
        ),
        (
            "gradients applied twice",
            """\
def train_step(model, optimizer, x, y):
    with tf.GradientTape() as tape:
        loss = compute_loss(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
""",
        ),
        (
            "only the last layer trained",
            """\
def train_step(model, optimizer, x, y):
    with tf.GradientTape() as tape:
        loss = compute_loss(y, model(x, training=True))
    variables = model.layers[-1].trainable_variables
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss
""",
        ),
        (
            "gradients clipped by value",
            """\
def train_step(model, optimizer, x, y):
    with tf.GradientTape() as tape:
        loss = compute_loss(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    grads = [tf.clip_by_value(g, -0.01, 0.01) for g in grads]
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
""",
        ),
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
        # Ignores the noise it is given.
        (
            "tf.random.categorical",
            """\
def sample_next(logits, temperature, noise):
    return tf.random.categorical(logits / temperature, 1)[:, 0].numpy()
""",
        ),
        (
            "1 - noise",
            """\
def sample_next(logits, temperature, noise):
    p = tf.nn.softmax(logits / temperature).numpy()
    return np.minimum((np.cumsum(p, axis=1) <= 1 - noise[:, None]).sum(1), p.shape[1] - 1)
""",
        ),
        (
            "p ** temperature",
            """\
def sample_next(logits, temperature, noise):
    p = tf.nn.softmax(logits).numpy() ** temperature
    return np.minimum((np.cumsum(p, axis=1) <= noise[:, None]).sum(1), p.shape[1] - 1)
""",
        ),
        (
            "the first row's noise for all",
            """\
def sample_next(logits, temperature, noise):
    p = tf.nn.softmax(logits / temperature).numpy()
    return np.minimum((np.cumsum(p, axis=1) <= noise[0]).sum(1), p.shape[1] - 1)
""",
        ),
        (
            "one index too low",
            """\
def sample_next(logits, temperature, noise):
    p = tf.nn.softmax(logits / temperature).numpy()
    return np.maximum((np.cumsum(p, axis=1) <= noise[:, None]).sum(1) - 1, 0)
""",
        ),
        (
            "cumsum over the batch",
            """\
def sample_next(logits, temperature, noise):
    p = tf.nn.softmax(logits / temperature).numpy()
    return np.minimum((np.cumsum(p, axis=0) <= noise[:, None]).sum(1), p.shape[1] - 1)
""",
        ),
        # The probabilities divided, not the logits.
        (
            "softmax(logits) / T",
            """\
def sample_next(logits, temperature, noise):
    p = tf.nn.softmax(logits).numpy() / temperature
    return np.minimum((np.cumsum(p, axis=1) <= noise[:, None]).sum(1), p.shape[1] - 1)
""",
        ),
        (
            "probabilities sorted first",
            """\
def sample_next(logits, temperature, noise):
    p = np.sort(tf.nn.softmax(logits / temperature).numpy(), axis=1)[:, ::-1]
    return np.minimum((np.cumsum(p, axis=1) <= noise[:, None]).sum(1), p.shape[1] - 1)
""",
        ),
        (
            "float indices",
            """\
def sample_next(logits, temperature, noise):
    p = tf.nn.softmax(logits / temperature).numpy()
    return (np.cumsum(p, axis=1) <= noise[:, None]).sum(1).astype(np.float32)
""",
        ),
    ],
}
