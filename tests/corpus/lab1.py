"""Lab 1 corpus: correct alternatives and plausible wrong variants of each exercise.

Written the way students write them (helper lines, cell magics and all), not copied from
solutions/. Every wrong variant is a mistake students make; each must lose its points on
every seed, and the public check must fail it too. Issue 11 §A's examples are here as
correct alternatives (a loss object built above the function, ``%%time`` on the first
line, a tuple constant, a negative number, ``try: import``).
"""

CORRECT: dict[str, list[str]] = {
    "sigmoid_derivative": [
        """\
%%time
def sigmoid_derivative(z):
    s = 1.0 / (1.0 + tf.exp(-z))
    return s * (1.0 - s)
""",
        """\
sigmoid = tf.math.sigmoid

def sigmoid_derivative(z):
    return sigmoid(z) * sigmoid(-z)
""",
    ],
    "tanh_derivative": [
        """\
def tanh_derivative(z):
    t = tf.tanh(z)
    return 1 - t * t
""",
        """\
def tanh_derivative(z):
    return 1.0 / tf.math.cosh(z) ** 2
""",
    ],
    "relu_derivative": [
        """\
def relu_derivative(z):
    return tf.where(z > 0, tf.ones_like(z), tf.zeros_like(z))
""",
        """\
ZERO = -0.0
def relu_derivative(z):
    return tf.cast(tf.greater(z, ZERO), tf.float32)
""",
        # float64 is accepted where floats are expected (the dtype rule)
        """\
def relu_derivative(z):
    return np.heaviside(np.asarray(z, np.float64), 0.0)
""",
    ],
    "MyDenseLayer": [
        """\
layers = keras.layers

class MyDenseLayer(layers.Layer):
    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.W = self.add_weight(shape=(input_dim, output_dim), initializer="glorot_uniform")
        self.b = self.add_weight(shape=(1, output_dim), initializer="zeros")

    def call(self, x):
        return tf.sigmoid(x @ self.W + self.b)
""",
        """\
class MyDenseLayer(tf.keras.layers.Layer):
    def __init__(self, input_dim, output_dim):
        super(MyDenseLayer, self).__init__()
        self.W = tf.Variable(tf.random.normal((input_dim, output_dim)), name="W")
        self.b = tf.Variable(tf.zeros((1, output_dim)), name="b")

    def call(self, inputs):
        z = tf.linalg.matmul(inputs, self.W)
        z = tf.add(z, self.b)
        return tf.keras.activations.sigmoid(z)
""",
    ],
    "binary_cross_entropy": [
        # TensorFlow's DCGAN tutorial style: a loss object above the function.
        """\
cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)

def binary_cross_entropy(y_true, logits):
    return cross_entropy(y_true, logits)
""",
        """\
def binary_cross_entropy(y_true, logits):
    # stable form: max(l, 0) - l * y + log(1 + exp(-|l|))
    loss = tf.maximum(logits, 0) - logits * y_true + tf.math.log1p(tf.exp(-tf.abs(logits)))
    return tf.reduce_mean(loss)
""",
    ],
    "mean_squared_error": [
        # The original MIT lab's style.
        """\
mse = keras.losses.MeanSquaredError()

def mean_squared_error(y_true, y_pred):
    return mse(y_true, y_pred)
""",
        """\
def mean_squared_error(y_true, y_pred):
    diff = y_true - y_pred
    return tf.reduce_sum(diff * diff) / tf.cast(tf.size(diff), diff.dtype)
""",
    ],
    "train_step": [
        """\
def train_step(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    variables = model.trainable_variables
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss
""",
        """\
try:
    from tensorflow import GradientTape
except ImportError:
    GradientTape = tf.GradientTape

def train_step(model, optimizer, loss_fn, x, y):
    with GradientTape() as tape:
        y_hat = model(x, training=True)
        current = loss_fn(y, y_hat)
    grads = tape.gradient(current, model.trainable_weights)
    for g, v in zip(grads, model.trainable_weights):
        v.assign_sub(optimizer.learning_rate * g)
    return current
""",
    ],
    "minibatches": [
        """\
def minibatches(x, y, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(x))
    xs, ys = x[order], y[order]
    out = []
    start = 0
    while start < len(xs):
        out.append((xs[start:start + batch_size], ys[start:start + batch_size]))
        start += batch_size
    return out
""",
        """\
import math

def minibatches(x, y, batch_size, seed):
    rng = np.random.default_rng(seed)
    idx = rng.permutation(x.shape[0])
    n_batches = math.ceil(len(idx) / batch_size)
    for k in range(n_batches):
        part = idx[k * batch_size:(k + 1) * batch_size]
        yield x[part], y[part]
""",
    ],
    "dropout": [
        """\
def dropout(x, rate, noise, training):
    if training:
        mask = tf.cast(noise >= rate, tf.float32)
        return mask * x / (1.0 - rate)
    return x
""",
        """\
def dropout(x, rate, noise, training=False):
    if not training:
        return x
    scale = 1.0 / (1.0 - rate)
    return tf.where(noise < rate, 0.0, x * scale)
""",
    ],
    "early_stopping": [
        """\
def early_stopping(val_losses, patience):
    best = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
        if epoch - best >= patience:
            return epoch, best
    return len(val_losses) - 1, best
""",
        """\
def early_stopping(val_losses, patience):
    best_loss, best_epoch, waited = float("inf"), -1, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best_loss:
            best_loss, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return epoch, best_epoch
    return len(val_losses) - 1, best_epoch
""",
    ],
    "softmax_cross_entropy": [
        """\
def softmax_cross_entropy(labels, logits):
    per_example = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_mean(per_example)
""",
        """\
cce = keras.losses.CategoricalCrossentropy(from_logits=True)

def softmax_cross_entropy(labels, logits):
    return cce(labels, logits)
""",
        """\
def softmax_cross_entropy(labels, logits):
    log_p = tf.nn.log_softmax(logits, axis=1)
    return -tf.reduce_mean(tf.reduce_sum(labels * log_p, axis=1))
""",
    ],
}

WRONG: dict[str, list[tuple[str, str]]] = {
    "sigmoid_derivative": [
        ("the sigmoid itself", "def sigmoid_derivative(z):\n    return tf.math.sigmoid(z)\n"),
        (
            "plus instead of minus",
            "def sigmoid_derivative(z):\n    s = tf.sigmoid(z)\n    return s * (1 + s)\n",
        ),
    ],
    "tanh_derivative": [
        ("1 - tanh, not squared", "def tanh_derivative(z):\n    return 1 - tf.tanh(z)\n"),
        ("tanh of z squared", "def tanh_derivative(z):\n    return 1 - tf.tanh(z ** 2)\n"),
    ],
    "relu_derivative": [
        ("1 at z = 0", "def relu_derivative(z):\n    return tf.cast(z >= 0, z.dtype)\n"),
        ("booleans, not floats", "def relu_derivative(z):\n    return z > 0\n"),
        ("the ReLU itself", "def relu_derivative(z):\n    return tf.nn.relu(z)\n"),
    ],
    "MyDenseLayer": [
        (
            "no sigmoid",
            """\
class MyDenseLayer(keras.layers.Layer):
    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.W = self.add_weight(shape=(input_dim, output_dim))
        self.b = self.add_weight(shape=(1, output_dim))

    def call(self, x):
        return tf.matmul(x, self.W) + self.b
""",
        ),
        (
            "W stored as (out, in)",
            """\
class MyDenseLayer(keras.layers.Layer):
    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.W = self.add_weight(shape=(output_dim, input_dim))
        self.b = self.add_weight(shape=(1, output_dim))

    def call(self, x):
        return tf.sigmoid(tf.matmul(x, self.W, transpose_b=True) + self.b)
""",
        ),
        (
            "bias forgotten",
            """\
class MyDenseLayer(keras.layers.Layer):
    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.W = self.add_weight(shape=(input_dim, output_dim))
        self.b = self.add_weight(shape=(1, output_dim))

    def call(self, x):
        return tf.sigmoid(tf.matmul(x, self.W))
""",
        ),
    ],
    "binary_cross_entropy": [
        (
            "logits taken for probabilities",
            "def binary_cross_entropy(y_true, logits):\n"
            "    return tf.reduce_mean(keras.losses.binary_crossentropy(y_true, logits))\n",
        ),
        (
            "sum instead of mean",
            "def binary_cross_entropy(y_true, logits):\n"
            "    return tf.reduce_sum(\n"
            "        tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=logits))\n",
        ),
        (
            "labels and logits swapped",
            "def binary_cross_entropy(y_true, logits):\n"
            "    return tf.reduce_mean(\n"
            "        tf.nn.sigmoid_cross_entropy_with_logits(labels=logits, logits=y_true))\n",
        ),
    ],
    "mean_squared_error": [
        (
            "root mean squared",
            "def mean_squared_error(y_true, y_pred):\n"
            "    return tf.sqrt(tf.reduce_mean(tf.square(y_true - y_pred)))\n",
        ),
        (
            "mean absolute",
            "def mean_squared_error(y_true, y_pred):\n"
            "    return tf.reduce_mean(tf.abs(y_true - y_pred))\n",
        ),
        (
            "sum instead of mean",
            "def mean_squared_error(y_true, y_pred):\n"
            "    return tf.reduce_sum((y_true - y_pred) ** 2)\n",
        ),
    ],
    "train_step": [
        (
            "forward pass outside the tape",
            """\
def train_step(model, optimizer, loss_fn, x, y):
    prediction = model(x)
    with tf.GradientTape() as tape:
        loss = loss_fn(y, prediction)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
""",
        ),
        (
            "gradient ascent",
            """\
def train_step(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients([(-g, v) for g, v in zip(grads, model.trainable_variables)])
    return loss
""",
        ),
        (
            "weights never updated",
            """\
def train_step(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    return loss
""",
        ),
    ],
    "minibatches": [
        (
            "drops the last partial batch",
            """\
def minibatches(x, y, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(x))
    return [(x[order[i:i + batch_size]], y[order[i:i + batch_size]])
            for i in range(0, len(x) - batch_size + 1, batch_size)]
""",
        ),
        (
            "no shuffling",
            """\
def minibatches(x, y, batch_size, seed):
    return [(x[i:i + batch_size], y[i:i + batch_size]) for i in range(0, len(x), batch_size)]
""",
        ),
        (
            "x and y shuffled apart",
            """\
def minibatches(x, y, batch_size, seed):
    rng = np.random.default_rng(seed)
    xs, ys = x[rng.permutation(len(x))], y[rng.permutation(len(y))]
    return [(xs[i:i + batch_size], ys[i:i + batch_size]) for i in range(0, len(x), batch_size)]
""",
        ),
        (
            "an empty batch at the end when B divides n",
            """\
def minibatches(x, y, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(x))
    count = len(x) // batch_size + 1
    return [(x[order[k * batch_size:(k + 1) * batch_size]],
             y[order[k * batch_size:(k + 1) * batch_size]]) for k in range(count)]
""",
        ),
    ],
    "dropout": [
        (
            "no rescaling",
            "def dropout(x, rate, noise, training):\n"
            "    if not training:\n        return x\n"
            "    return x * tf.cast(noise >= rate, x.dtype)\n",
        ),
        (
            "drops where noise <= rate",
            "def dropout(x, rate, noise, training):\n"
            "    if not training:\n        return x\n"
            "    return tf.where(noise <= rate, 0.0, x / (1 - rate))\n",
        ),
        (
            "applied at inference too",
            "def dropout(x, rate, noise, training):\n"
            "    return x * tf.cast(noise >= rate, x.dtype) / (1 - rate)\n",
        ),
        (
            "missing in training mode",
            "def dropout(x, rate, noise, training):\n    return x\n",
        ),
        (
            "scaled by 1 / rate",
            "def dropout(x, rate, noise, training):\n"
            "    if not training:\n        return x\n"
            "    return x * tf.cast(noise >= rate, x.dtype) / rate\n",
        ),
    ],
    "early_stopping": [
        (
            "patience counted from the previous epoch",
            """\
def early_stopping(val_losses, patience):
    best, worse = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
        if val_losses[epoch] > val_losses[epoch - 1]:
            worse += 1
            if worse >= patience:
                return epoch, best
        else:
            worse = 0
    return len(val_losses) - 1, best
""",
        ),
        (
            "off by one",
            """\
def early_stopping(val_losses, patience):
    best = 0
    for epoch, loss in enumerate(val_losses):
        if loss < val_losses[best]:
            best = epoch
        elif epoch - best > patience:
            return epoch, best
    return len(val_losses) - 1, best
""",
        ),
        (
            "a tie counts as an improvement",
            """\
def early_stopping(val_losses, patience):
    best = 0
    for epoch, loss in enumerate(val_losses):
        if loss <= val_losses[best]:
            best = epoch
        elif epoch - best >= patience:
            return epoch, best
    return len(val_losses) - 1, best
""",
        ),
        (
            "the number of epochs, not the last epoch",
            """\
def early_stopping(val_losses, patience):
    best = 0
    for epoch, loss in enumerate(val_losses):
        if loss < val_losses[best]:
            best = epoch
        elif epoch - best >= patience:
            return epoch, best
    return len(val_losses), best
""",
        ),
    ],
    "softmax_cross_entropy": [
        (
            "log of the softmax (overflows for logits far apart)",
            """\
def softmax_cross_entropy(labels, logits):
    probs = tf.nn.softmax(logits)
    return -tf.reduce_mean(tf.reduce_sum(labels * tf.math.log(probs), axis=-1))
""",
        ),
        (
            "the class with the largest label only (wrong for smoothed labels)",
            """\
def softmax_cross_entropy(labels, logits):
    classes = tf.argmax(labels, axis=-1)
    return tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=classes, logits=logits)
    )
""",
        ),
        (
            "mean over classes as well",
            """\
def softmax_cross_entropy(labels, logits):
    log_p = tf.nn.log_softmax(logits)
    return -tf.reduce_mean(labels * log_p)
""",
        ),
        (
            "softmax over the examples",
            """\
def softmax_cross_entropy(labels, logits):
    log_p = tf.nn.log_softmax(logits, axis=0)
    return -tf.reduce_mean(tf.reduce_sum(labels * log_p, axis=-1))
""",
        ),
        (
            "summed over the batch",
            """\
def softmax_cross_entropy(labels, logits):
    log_p = logits - tf.reduce_logsumexp(logits, axis=-1, keepdims=True)
    return -tf.reduce_sum(labels * log_p)
""",
        ),
    ],
}

# Red-team round: more ways to be right (other identities, NumPy in float64, tapes, lists
# for tuples, a decorated step) and more plausible mistakes, each failing on every seed.
CORRECT["sigmoid_derivative"].extend(
    [
        "def sigmoid_derivative(z):\n    e = tf.exp(-z)\n    return e / (1 + e) ** 2\n",
        # sigma'(z) = (1 - tanh(z / 2)^2) / 4
        "def sigmoid_derivative(z):\n    return 0.25 * (1 - tf.tanh(z / 2) ** 2)\n",
        """\
def sigmoid_derivative(z):
    with tf.GradientTape() as tape:
        tape.watch(z)
        g = tf.sigmoid(z)
    return tape.gradient(g, z)
""",
    ]
)
CORRECT["tanh_derivative"].append(
    "def tanh_derivative(z):\n    return 1 - np.tanh(np.asarray(z)) ** 2\n"
)
CORRECT["relu_derivative"].extend(
    [
        "def relu_derivative(z):\n    return tf.sign(tf.nn.relu(z))\n",
        """\
def relu_derivative(z):
    with tf.GradientTape() as tape:
        tape.watch(z)
        r = tf.nn.relu(z)
    return tape.gradient(r, z)
""",
    ]
)
CORRECT["MyDenseLayer"].extend(
    [
        # Weights made in build(), from the input's shape.
        """\
class MyDenseLayer(keras.layers.Layer):
    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.output_dim = output_dim

    def build(self, input_shape):
        d = input_shape[-1]
        self.W = self.add_weight(shape=(d, self.output_dim), initializer="random_normal")
        self.b = self.add_weight(shape=(1, self.output_dim), initializer="zeros")

    def call(self, x):
        return tf.sigmoid(tf.matmul(x, self.W) + self.b)
""",
        """\
class MyDenseLayer(keras.layers.Layer):
    def __init__(self, input_dim, output_dim, **kwargs):
        super().__init__(**kwargs)
        self.W = self.add_weight(name="W", shape=[input_dim, output_dim])
        self.b = self.add_weight(name="b", shape=[1, output_dim], initializer="zeros")

    def call(self, inputs):
        return keras.ops.sigmoid(tf.einsum("bi,io->bo", inputs, self.W) + self.b)
""",
    ]
)
CORRECT["binary_cross_entropy"].extend(
    [
        # The formula on probabilities, written out (logits of moderate size).
        """\
def binary_cross_entropy(y_true, logits):
    p = tf.sigmoid(logits)
    return -tf.reduce_mean(y_true * tf.math.log(p) + (1 - y_true) * tf.math.log(1 - p))
""",
        """\
def binary_cross_entropy(y_true, logits):
    return tf.reduce_mean(tf.nn.softplus(logits) - y_true * logits)
""",
        """\
def binary_cross_entropy(y_true, logits):
    y, z = np.asarray(y_true, np.float64), np.asarray(logits, np.float64)
    return np.mean(np.logaddexp(0.0, z) - y * z)
""",
    ]
)
CORRECT["mean_squared_error"].append(
    """\
def mean_squared_error(y_true, y_pred):
    y, p = np.asarray(y_true, np.float64), np.asarray(y_pred, np.float64)
    return np.mean((y - p) ** 2)
"""
)
CORRECT["softmax_cross_entropy"].extend(
    [
        # logsumexp - <labels, logits>, using that each row of labels sums to 1.
        """\
def softmax_cross_entropy(labels, logits):
    lse = tf.reduce_logsumexp(logits, axis=-1)
    return tf.reduce_mean(lse - tf.reduce_sum(labels * logits, axis=-1))
""",
        """\
def softmax_cross_entropy(labels, logits):
    z = np.asarray(logits, np.float64)
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -np.mean(np.sum(np.asarray(labels) * log_p, axis=1))
""",
    ]
)
CORRECT["train_step"].extend(
    [
        """\
@tf.function
def train_step(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
""",
        """\
def train_step(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    optimizer.apply(tape.gradient(loss, model.trainable_weights), model.trainable_weights)
    return loss.numpy()
""",
    ]
)
CORRECT["minibatches"].extend(
    [
        """\
def minibatches(x, y, batch_size, seed):
    idx = np.arange(len(x))
    np.random.default_rng(seed).shuffle(idx)
    return [
        (tf.constant(x[idx[i:i + batch_size]]), tf.constant(y[idx[i:i + batch_size]]))
        for i in range(0, len(x), batch_size)
    ]
""",
        """\
def minibatches(x, y, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(x))
    parts = np.split(order, np.arange(batch_size, len(x), batch_size))
    return [[tf.gather(x, p), tf.gather(y, p)] for p in parts]
""",
    ]
)
CORRECT["dropout"].append(
    """\
def dropout(x, rate, noise, training):
    if not training:
        return x
    x, noise = np.asarray(x), np.asarray(noise)
    return np.where(noise < rate, 0.0, x / (1 - rate)).astype(np.float32)
"""
)
CORRECT["early_stopping"].extend(
    [
        """\
def early_stopping(val_losses, patience):
    losses = np.asarray(val_losses)
    for epoch in range(len(losses)):
        best = int(np.argmin(losses[:epoch + 1]))
        if epoch - best >= patience:
            return epoch, best
    return len(losses) - 1, int(np.argmin(losses))
""",
        """\
def early_stopping(val_losses, patience):
    best_epoch, wait = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best_epoch]:
            best_epoch, wait = epoch, 0
        else:
            wait += 1
        if wait >= patience:
            return [epoch, best_epoch]
    return [len(val_losses) - 1, best_epoch]
""",
    ]
)

WRONG["sigmoid_derivative"].append(
    ("g(z) * (1 - z)", "def sigmoid_derivative(z):\n    return tf.sigmoid(z) * (1 - z)\n")
)
WRONG["tanh_derivative"].extend(
    [
        (
            "tanh(z) * (1 - tanh(z)), the sigmoid's pattern",
            "def tanh_derivative(z):\n    t = tf.tanh(z)\n    return t * (1 - t)\n",
        ),
        ("1 + tanh^2", "def tanh_derivative(z):\n    return 1 + tf.tanh(z) ** 2\n"),
    ]
)
WRONG["relu_derivative"].extend(
    [
        ("integers, not floats", "def relu_derivative(z):\n    return tf.cast(z > 0, tf.int32)\n"),
        ("the sign of z (-1 for negatives)", "def relu_derivative(z):\n    return tf.sign(z)\n"),
        (
            "1/2 at z = 0",
            "def relu_derivative(z):\n    return tf.where(z > 0, 1.0, tf.where(z < 0, 0.0, 0.5))\n",
        ),
    ]
)
WRONG["MyDenseLayer"].extend(
    [
        (
            "ReLU instead of sigmoid",
            """\
class MyDenseLayer(keras.layers.Layer):
    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.W = self.add_weight(shape=(input_dim, output_dim))
        self.b = self.add_weight(shape=(1, output_dim))

    def call(self, x):
        return tf.nn.relu(x @ self.W + self.b)
""",
        ),
        (
            "bias added after the sigmoid",
            """\
class MyDenseLayer(keras.layers.Layer):
    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.W = self.add_weight(shape=(input_dim, output_dim))
        self.b = self.add_weight(shape=(1, output_dim))

    def call(self, x):
        return tf.sigmoid(x @ self.W) + self.b
""",
        ),
    ]
)
WRONG["binary_cross_entropy"].extend(
    [
        (
            "mean over axis 0: shape (1,), not a scalar",
            "def binary_cross_entropy(y_true, logits):\n"
            "    losses = tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=logits)\n"
            "    return tf.reduce_mean(losses, axis=0)\n",
        ),
        (
            "a minus for a plus",
            """\
def binary_cross_entropy(y_true, logits):
    p = tf.sigmoid(logits)
    return -tf.reduce_mean(y_true * tf.math.log(p) - (1 - y_true) * tf.math.log(1 - p))
""",
        ),
    ]
)
WRONG["mean_squared_error"].extend(
    [
        (
            "half the mean squared error",
            "def mean_squared_error(y_true, y_pred):\n"
            "    return 0.5 * tf.reduce_mean(tf.square(y_true - y_pred))\n",
        ),
        (
            "one value per example",
            "def mean_squared_error(y_true, y_pred):\n"
            "    return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)\n",
        ),
        (
            "the square of the mean error",
            "def mean_squared_error(y_true, y_pred):\n"
            "    return tf.square(tf.reduce_mean(y_true - y_pred))\n",
        ),
    ]
)
WRONG["softmax_cross_entropy"].extend(
    [
        (
            "log of the softmax plus an epsilon",
            """\
def softmax_cross_entropy(labels, logits):
    p = tf.nn.softmax(logits)
    return -tf.reduce_mean(tf.reduce_sum(labels * tf.math.log(p + 1e-7), axis=-1))
""",
        ),
        (
            "sigmoid cross-entropy per class",
            """\
def softmax_cross_entropy(labels, logits):
    ce = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_mean(tf.reduce_sum(ce, axis=-1))
""",
        ),
        (
            "log-sum-exp without the max shift (exp overflows)",
            """\
def softmax_cross_entropy(labels, logits):
    log_p = logits - tf.math.log(tf.reduce_sum(tf.exp(logits), axis=-1, keepdims=True))
    return -tf.reduce_mean(tf.reduce_sum(labels * log_p, axis=-1))
""",
        ),
    ]
)
WRONG["train_step"].extend(
    [
        (
            "the loss after the update returned",
            """\
def train_step(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss_fn(y, model(x))
""",
        ),
        (
            "loss_fn(prediction, y): arguments swapped",
            """\
def train_step(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(model(x), y)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
""",
        ),
        (
            "only the last layer trained",
            """\
def train_step(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    last = model.layers[-1].trainable_variables
    optimizer.apply_gradients(zip(tape.gradient(loss, last), last))
    return loss
""",
        ),
        (
            "two updates per call",
            """\
def train_step(model, optimizer, loss_fn, x, y):
    for _ in range(2):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
""",
        ),
    ]
)
WRONG["minibatches"].extend(
    [
        (
            "ceil(n / B) near-equal parts (np.array_split)",
            """\
import math

def minibatches(x, y, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(x))
    return [(x[p], y[p]) for p in np.array_split(order, math.ceil(len(x) / batch_size))]
""",
        ),
        (
            "the legacy np.random.seed",
            """\
def minibatches(x, y, batch_size, seed):
    np.random.seed(seed)
    order = np.random.permutation(len(x))
    return [(x[order[i:i + batch_size]], y[order[i:i + batch_size]])
            for i in range(0, len(x), batch_size)]
""",
        ),
        (
            "the seed ignored",
            """\
def minibatches(x, y, batch_size, seed):
    order = np.random.default_rng(0).permutation(len(x))
    return [(x[order[i:i + batch_size]], y[order[i:i + batch_size]])
            for i in range(0, len(x), batch_size)]
""",
        ),
    ]
)
WRONG["dropout"].extend(
    [
        (
            "kept where noise < 1 - rate",
            "def dropout(x, rate, noise, training):\n"
            "    if not training:\n        return x\n"
            "    return tf.where(noise < 1 - rate, x / (1 - rate), 0.0)\n",
        ),
        (
            "scaled at inference instead of in training",
            "def dropout(x, rate, noise, training):\n"
            "    if not training:\n        return x * (1 - rate)\n"
            "    return tf.where(noise < rate, 0.0, x)\n",
        ),
    ]
)
WRONG["early_stopping"].extend(
    [
        (
            "best_epoch looked up over the whole curve",
            """\
def early_stopping(val_losses, patience):
    best = int(np.argmin(val_losses))
    for epoch in range(len(val_losses)):
        if epoch - int(np.argmin(val_losses[:epoch + 1])) >= patience:
            return epoch, best
    return len(val_losses) - 1, best
""",
        ),
        (
            "the wait not reset by an improvement",
            """\
def early_stopping(val_losses, patience):
    best, wait = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
        else:
            wait += 1
        if wait >= patience:
            return epoch, best
    return len(val_losses) - 1, best
""",
        ),
    ]
)
