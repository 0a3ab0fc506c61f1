"""Lab 3 corpus: correct alternatives and plausible wrong variants of each exercise.

Written the way students write them (helper lines included), not copied from solutions/.
Every wrong variant is a mistake students make; each must lose its points on every seed.
"""

CORRECT: dict[str, list[str]] = {
    "conv2d": [
        # Explicit loops over output pixels and filters.
        """\
def conv2d(x, kernel, stride):
    n, h, w, c_in = x.shape
    kh, kw, _, c_out = kernel.shape
    h_out = (h - kh) // stride + 1
    w_out = (w - kw) // stride + 1
    out = np.zeros((n, h_out, w_out, c_out), dtype=np.float32)
    for i in range(h_out):
        for j in range(w_out):
            r, c = i * stride, j * stride
            window = x[:, r:r + kh, c:c + kw, :]
            for f in range(c_out):
                out[:, i, j, f] = np.sum(window * kernel[:, :, :, f], axis=(1, 2, 3))
    return out
""",
        # All windows at once with sliding_window_view, then one einsum.
        """\
from numpy.lib.stride_tricks import sliding_window_view

def conv2d(x, kernel, stride):
    kh, kw = kernel.shape[:2]
    windows = sliding_window_view(x, (kh, kw), axis=(1, 2))[:, ::stride, ::stride]
    # windows: (n, h_out, w_out, c_in, kh, kw)
    return np.einsum("nijcab,abcf->nijf", windows, kernel).astype(np.float32)
""",
        # Accumulate one kernel tap at a time (float64 is fine: any float dtype is accepted).
        """\
def conv2d(x, kernel, stride):
    x = np.asarray(x, dtype=np.float64)
    kh, kw, c_in, c_out = kernel.shape
    ho = (x.shape[1] - kh) // stride + 1
    wo = (x.shape[2] - kw) // stride + 1
    out = 0.0
    for di in range(kh):
        for dj in range(kw):
            tap = x[:, di:di + stride * (ho - 1) + 1:stride, dj:dj + stride * (wo - 1) + 1:stride]
            out = out + tap @ kernel[di, dj]
    return out
""",
        # TensorFlow's patch extraction (not tf.nn.conv2d), a tensor returned.
        """\
def conv2d(x, kernel, stride):
    kh, kw, c_in, c_out = kernel.shape
    patches = tf.image.extract_patches(
        x, sizes=[1, kh, kw, 1], strides=[1, stride, stride, 1],
        rates=[1, 1, 1, 1], padding="VALID")
    return tf.tensordot(patches, tf.reshape(kernel, (kh * kw * c_in, c_out)), axes=1)
""",
    ],
    "max_pool2d": [
        """\
def max_pool2d(x, pool_size, stride):
    n, h, w, c = x.shape
    h_out = (h - pool_size) // stride + 1
    w_out = (w - pool_size) // stride + 1
    out = np.empty((n, h_out, w_out, c), dtype=x.dtype)
    for i in range(h_out):
        for j in range(w_out):
            top, left = i * stride, j * stride
            block = x[:, top:top + pool_size, left:left + pool_size, :]
            out[:, i, j, :] = np.max(block, axis=(1, 2))
    return out
""",
        """\
from numpy.lib.stride_tricks import sliding_window_view

def max_pool2d(x, pool_size, stride):
    windows = sliding_window_view(x, (pool_size, pool_size), axis=(1, 2))
    return windows[:, ::stride, ::stride].max(axis=(-2, -1))
""",
        # TensorFlow ops, rows stacked from lists, a tensor returned.
        """\
def max_pool2d(x, pool_size, stride):
    x = tf.convert_to_tensor(x)
    h, w = x.shape[1], x.shape[2]
    rows = []
    for i in range(0, h - pool_size + 1, stride):
        row = [tf.reduce_max(x[:, i:i + pool_size, j:j + pool_size], axis=[1, 2])
               for j in range(0, w - pool_size + 1, stride)]
        rows.append(tf.stack(row, axis=1))
    return tf.stack(rows, axis=1)
""",
    ],
    "build_dense_model": [
        """\
layers = keras.layers

def build_dense_model(hidden_units):
    model = keras.Sequential()
    model.add(keras.Input(shape=(28, 28, 1)))
    model.add(layers.Flatten())
    model.add(layers.Dense(hidden_units, activation=tf.nn.relu))
    model.add(layers.Dense(10))
    return model
""",
        # The functional API.
        """\
def build_dense_model(hidden_units):
    inputs = keras.Input((28, 28, 1))
    h = keras.layers.Flatten()(inputs)
    h = keras.layers.Dense(hidden_units, activation="relu")(h)
    return keras.Model(inputs, keras.layers.Dense(10)(h))
""",
        # No keras.Input (the model builds on its first call) and the ReLU as its own layer.
        """\
def build_dense_model(hidden_units):
    return keras.Sequential([
        keras.layers.Flatten(),
        keras.layers.Dense(hidden_units),
        keras.layers.ReLU(),
        keras.layers.Dense(10),
    ])
""",
    ],
    "build_cnn_model": [
        """\
layers = keras.layers

def build_cnn_model():
    model = keras.Sequential(name="digits_cnn")
    model.add(keras.Input(shape=(28, 28, 1)))
    for filters in (32, 64):
        model.add(layers.Conv2D(filters, (3, 3), use_bias=False))
        model.add(layers.MaxPooling2D((2, 2)))
        model.add(layers.BatchNormalization())
        model.add(layers.Activation("relu"))
    model.add(layers.Flatten())
    model.add(layers.Dropout(rate=0.3))
    model.add(layers.Dense(10, activation=None))
    return model
""",
        # The functional API.
        """\
def build_cnn_model():
    inputs = keras.Input((28, 28, 1))
    h = inputs
    for filters in (32, 64):
        h = keras.layers.Conv2D(filters, 3, padding="valid", use_bias=False)(h)
        h = keras.layers.MaxPool2D(2)(h)
        h = keras.layers.BatchNormalization()(h)
        h = keras.layers.ReLU()(h)
    h = keras.layers.Dropout(0.3)(keras.layers.Flatten()(h))
    return keras.Model(inputs, keras.layers.Dense(10)(h))
""",
        # Each convolution block a small model of its own.
        """\
def conv_block(filters):
    return keras.Sequential([
        keras.layers.Conv2D(filters, 3, use_bias=False),
        keras.layers.MaxPool2D(2),
        keras.layers.BatchNormalization(),
        keras.layers.ReLU(),
    ])

def build_cnn_model():
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        conv_block(32),
        conv_block(64),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(10),
    ])
""",
        # No keras.Input (built on its first call), every argument spelt out.
        """\
def build_cnn_model():
    L = keras.layers
    return keras.Sequential([
        L.Conv2D(filters=32, kernel_size=(3, 3), strides=1, padding="valid",
                 use_bias=False),
        L.MaxPooling2D(pool_size=(2, 2), strides=(2, 2)),
        L.BatchNormalization(axis=-1),
        L.Activation(tf.nn.relu),
        L.Conv2D(64, 3, use_bias=False),
        L.MaxPool2D(2, 2),
        L.BatchNormalization(),
        L.Activation(keras.activations.relu),
        L.Flatten(),
        L.Dropout(rate=0.3),
        L.Dense(10, activation="linear"),
    ])
""",
    ],
    "train_step": [
        # A loss object defined once above the function (the original MIT lab's style).
        """\
loss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

def train_step(model, optimizer, x, y):
    with tf.GradientTape() as tape:
        predictions = model(x, training=True)
        loss = loss_object(y, predictions)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss
""",
        # Keras 3's optimizer.apply, and the loss written with keras.ops.
        """\
def train_step(model, optimizer, x, y):
    variables = model.trainable_variables
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        log_p = tf.nn.log_softmax(logits, axis=-1)
        picked = tf.gather(log_p, tf.cast(y, tf.int32), axis=1, batch_dims=1)
        loss = -keras.ops.mean(picked)
    optimizer.apply(tape.gradient(loss, variables), variables)
    return loss
""",
        # Compiled by the student too; the cross-entropy as log-sum-exp minus the logit.
        """\
@tf.function
def train_step(model, optimizer, x, y):
    with tf.GradientTape() as tape:
        z = model(x, training=True)
        picked = tf.gather(z, y, batch_dims=1)
        n = tf.cast(tf.shape(z)[0], tf.float32)
        loss = tf.reduce_sum(tf.reduce_logsumexp(z, axis=1) - picked) / n
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer.apply_gradients(list(zip(grads, model.trainable_weights)))
    return loss
""",
    ],
    "shift_images": [
        # Pad with zeros, then crop the window that the shift selects.
        """\
def shift_images(images, dx, dy):
    images = np.asarray(images)
    h, w = images.shape[1], images.shape[2]
    pad = max(h, w)
    widths = [(0, 0), (pad, pad), (pad, pad)] + [(0, 0)] * (images.ndim - 3)
    padded = np.pad(images, widths)
    out = np.empty_like(images)
    for k in range(len(images)):
        top, left = pad - int(dy[k]), pad - int(dx[k])
        out[k] = padded[k, top:top + h, left:left + w]
    return out
""",
        # Pixel by pixel, as written on paper.
        """\
def shift_images(images, dx, dy):
    out = np.zeros_like(images)
    n, h, w = images.shape[:3]
    for k in range(n):
        for r in range(h):
            for c in range(w):
                r2, c2 = r + dy[k], c + dx[k]
                if 0 <= r2 < h and 0 <= c2 < w:
                    out[k, r2, c2] = images[k, r, c]
    return out
""",
        # np.roll, then blank the rows and columns that wrapped around.
        """\
def shift_images(images, dx, dy):
    out = np.zeros_like(images)
    for k, (sx, sy) in enumerate(zip(dx, dy)):
        sx, sy = int(sx), int(sy)
        rolled = np.roll(images[k], (sy, sx), axis=(0, 1))
        if sy > 0:
            rolled[:sy] = 0
        elif sy < 0:
            rolled[sy:] = 0
        if sx > 0:
            rolled[:, :sx] = 0
        elif sx < 0:
            rolled[:, sx:] = 0
        out[k] = rolled
    return out
""",
        # scipy's shift, nearest pixel, zeros outside (exact for whole pixels).
        """\
from scipy import ndimage

def shift_images(images, dx, dy):
    out = np.zeros_like(images)
    for k in range(len(images)):
        by = (int(dy[k]), int(dx[k])) + (0,) * (images.ndim - 3)
        out[k] = ndimage.shift(images[k], by, order=0, mode="constant", cval=0)
    return out
""",
    ],
    "confusion_matrix": [
        """\
def confusion_matrix(y_true, y_pred, num_classes):
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    for t, p in zip(y_true, y_pred):
        counts[t, p] += 1
    return counts
""",
        # One bincount over the flattened (true, predicted) pairs.
        """\
def confusion_matrix(y_true, y_pred, num_classes):
    flat = np.asarray(y_true) * num_classes + np.asarray(y_pred)
    counts = np.bincount(flat, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes)
""",
        # TensorFlow's own (int32: any integer dtype with the right counts is accepted).
        """\
def confusion_matrix(y_true, y_pred, num_classes):
    return tf.math.confusion_matrix(y_true, y_pred, num_classes=num_classes).numpy()
""",
        # scikit-learn's, every class listed (a class never seen keeps its row).
        """\
from sklearn.metrics import confusion_matrix as sk_confusion

def confusion_matrix(y_true, y_pred, num_classes):
    return sk_confusion(y_true, y_pred, labels=np.arange(num_classes))
""",
    ],
}

_CONV_LOOP = """\
def conv2d(x, kernel, stride):
    n, h, w, c_in = x.shape
    kh, kw, _, c_out = kernel.shape
    h_out = {h_out}
    w_out = {w_out}
    out = np.zeros((n, h_out, w_out, c_out), dtype=np.float32)
    {prep}
    for i in range(h_out):
        for j in range(w_out):
            window = x[:, {rows}, {cols}, :]
            out[:, i, j, :] = np.tensordot(window, k, axes=([1, 2, 3], [0, 1, 2]))
    return out
"""


def _conv(h_out="(h - kh) // stride + 1", w_out="(w - kw) // stride + 1", prep="k = kernel",
          rows="i * stride:i * stride + kh", cols="j * stride:j * stride + kw"):  # fmt: skip
    return _CONV_LOOP.format(h_out=h_out, w_out=w_out, prep=prep, rows=rows, cols=cols)


_POOL_LOOP = """\
def max_pool2d(x, pool_size, stride):
    n, h, w, c = x.shape
    h_out = {h_out}
    w_out = {w_out}
    out = np.zeros((n, h_out, w_out, c), dtype=np.float32)
    for i in range(h_out):
        for j in range(w_out):
            window = x[:, {rows}, {cols}, :]
            out[:, i, j, :] = {reduce}
    return out
"""


def _pool(h_out="(h - pool_size) // stride + 1", w_out="(w - pool_size) // stride + 1",
          rows="i * stride:i * stride + pool_size", cols="j * stride:j * stride + pool_size",
          reduce="window.max(axis=(1, 2))"):  # fmt: skip
    return _POOL_LOOP.format(h_out=h_out, w_out=w_out, rows=rows, cols=cols, reduce=reduce)


_CNN = """\
def build_cnn_model():
    L = keras.layers
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        {block1}
        {block2}
        L.Flatten(),
        {head}
    ])
"""
_BLOCK = "L.Conv2D({f}, 3, use_bias=False), L.MaxPool2D(2), L.BatchNormalization(), L.ReLU(),"
_BLOCK1, _BLOCK2 = _BLOCK.format(f=32), _BLOCK.format(f=64)


def _cnn(block1=_BLOCK1, block2=_BLOCK2, head="L.Dropout(0.3), L.Dense(10),"):
    return _CNN.format(block1=block1, block2=block2, head=head)


_TRAIN = """\
def train_step(model, optimizer, x, y):
    with tf.GradientTape() as tape:
        logits = model(x{training})
        loss = {loss}
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return {ret}
"""
_XENT = "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)"


def _train(training=", training=True", loss=f"tf.reduce_mean({_XENT})", ret="loss"):
    return _TRAIN.format(training=training, loss=loss, ret=ret)


_SHIFT = """\
def shift_images(images, dx, dy):
    out = {alloc}
    h, w = images.shape[1:3]
    for k in range(len(images)):
        sx, sy = int({sx}), int({sy})
        for r in range(h):
            for c in range(w):
                r2, c2 = r + sy, c + sx
                if {inside}:
                    out[k, r2, c2] = images[k, r, c]
    return out
"""


def _shift(alloc="np.zeros_like(images)", sx="dx[k]", sy="dy[k]",
           inside="0 <= r2 < h and 0 <= c2 < w"):  # fmt: skip
    return _SHIFT.format(alloc=alloc, sx=sx, sy=sy, inside=inside)


WRONG: dict[str, list[tuple[str, str]]] = {
    "conv2d": [
        # A textbook convolution flips the kernel; tf.nn.conv2d and Keras do not.
        ("flipped kernel", _conv(prep="k = kernel[::-1, ::-1]")),
        # The kernel's rows and columns swapped (kernel[dj, di]).
        ("transposed kernel", _conv(prep="k = kernel.transpose(1, 0, 2, 3)")),
        # Stride ignored: windows one pixel apart, output as for stride 1.
        (
            "stride ignored",
            _conv(h_out="h - kh + 1", w_out="w - kw + 1", rows="i:i + kh", cols="j:j + kw"),
        ),
        # Right output size, but windows start at i instead of i * stride.
        ("windows at i, not i*stride", _conv(rows="i:i + kh", cols="j:j + kw")),
        # Off by one in the output size (the last window dropped).
        ("output size without +1", _conv(h_out="(h - kh) // stride", w_out="(w - kw) // stride")),
        # TensorFlow's own convolution, which the docstring rules out, however imported.
        (
            "calls tf.nn.conv2d",
            """\
def conv2d(x, kernel, stride):
    return tf.nn.conv2d(x, kernel, stride, "VALID").numpy()
""",
        ),
        (
            "a Keras Conv2D layer",
            """\
from keras.layers import Conv2D

def conv2d(x, kernel, stride):
    layer = Conv2D(kernel.shape[-1], kernel.shape[:2], strides=stride, use_bias=False)
    layer.build(x.shape)
    layer.set_weights([kernel])
    return np.asarray(layer(x))
""",
        ),
        (
            "tf.nn.conv2d in a tf.function",
            """\
@tf.function
def _convolve(x, kernel, stride):
    return tf.nn.conv2d(x, kernel, stride, "VALID")

def conv2d(x, kernel, stride):
    return _convolve(x, kernel, stride).numpy()
""",
        ),
        # Only the first input channel (a depthwise habit).
        ("first channel only", _conv(prep="k = kernel * (np.arange(c_in) == 0)[:, None]")),
        # np.zeros(shape, int): the sums are truncated to integers.
        (
            "integer output",
            _conv().replace("dtype=np.float32", "dtype=int"),
        ),
    ],
    "max_pool2d": [
        # Windows pool_size apart whatever the stride.
        (
            "windows pool_size apart",
            _pool(
                h_out="(h - pool_size) // pool_size + 1",
                w_out="(w - pool_size) // pool_size + 1",
                rows="i * pool_size:i * pool_size + pool_size",
                cols="j * pool_size:j * pool_size + pool_size",
            ),
        ),
        # Right output size, windows pool_size apart.
        (
            "step pool_size, size by stride",
            _pool(
                rows="i * pool_size:i * pool_size + pool_size",
                cols="j * pool_size:j * pool_size + pool_size",
            ),
        ),
        # Windows at i instead of i * stride.
        ("windows at i, not i*stride", _pool(rows="i:i + pool_size", cols="j:j + pool_size")),
        # Output size h // stride (the SAME-padding formula).
        ("size h // stride", _pool(h_out="h // stride", w_out="w // stride")),
        # The maximum over the channels too.
        ("max over channels too", _pool(reduce="window.max()")),
        # Average pooling.
        ("mean instead of max", _pool(reduce="window.mean(axis=(1, 2))")),
        # A running maximum started at 0: windows of negative values give 0.
        ("maximum with 0", _pool(reduce="np.maximum(window.max(axis=(1, 2)), 0)")),
        # The maximum over the whole batch too.
        ("max over the batch too", _pool(reduce="window.max(axis=(0, 1, 2))")),
    ],
    "build_dense_model": [
        # Dropout acts in training only: inference alone does not show it.
        (
            "extra dropout",
            """\
def build_dense_model(hidden_units):
    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
        keras.layers.Dense(hidden_units, activation="relu"), keras.layers.Dropout(0.2),
        keras.layers.Dense(10)])
""",
        ),
        (
            "hidden width fixed",
            """\
def build_dense_model(hidden_units):
    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"), keras.layers.Dense(10)])
""",
        ),
        (
            "inputs rescaled by 1/255",
            """\
def build_dense_model(hidden_units):
    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Rescaling(1 / 255),
        keras.layers.Flatten(), keras.layers.Dense(hidden_units, activation="relu"),
        keras.layers.Dense(10)])
""",
        ),
        (
            "softmax output",
            """\
def build_dense_model(hidden_units):
    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
        keras.layers.Dense(hidden_units, activation="relu"),
        keras.layers.Dense(10, activation="softmax")])
""",
        ),
        (
            "no hidden activation",
            """\
def build_dense_model(hidden_units):
    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
        keras.layers.Dense(hidden_units), keras.layers.Dense(10)])
""",
        ),
        (
            "relu on the logits",
            """\
def build_dense_model(hidden_units):
    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
        keras.layers.Dense(hidden_units, activation="relu"),
        keras.layers.Dense(10, activation="relu")])
""",
        ),
        (
            "sigmoid hidden layer",
            """\
def build_dense_model(hidden_units):
    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
        keras.layers.Dense(hidden_units, activation="sigmoid"),
        keras.layers.Dense(10)])
""",
        ),
    ],
    "build_cnn_model": [
        ("conv bias", _cnn(block1=_BLOCK1.replace(", use_bias=False", ""))),
        ("ReLU6", _cnn(block2=_BLOCK2.replace("L.ReLU()", "L.ReLU(max_value=6)"))),
        (
            "batch norm epsilon 0.1",
            _cnn(block2=_BLOCK2.replace("BatchNormalization()", "BatchNormalization(epsilon=0.1)")),
        ),
        (
            "ReLU in the convolution too",
            _cnn(block1=_BLOCK1.replace("use_bias=False", "use_bias=False, activation='relu'")),
        ),
        # PyTorch's default momentum (0.1 there is 0.9 here): the moving averages differ.
        (
            "batch norm momentum 0.9",
            _cnn(
                block1=_BLOCK1.replace("BatchNormalization()", "BatchNormalization(momentum=0.9)")
            ),
        ),
        ("no dropout", _cnn(head="L.Dense(10),")),
        ("dropout 0.5", _cnn(head="L.Dropout(0.5), L.Dense(10),")),
        (
            "dropout before flatten",
            _cnn(block2=_BLOCK2 + " L.Dropout(0.3),", head="L.Dense(10),"),
        ),
        (
            "relu before batch norm",
            _cnn(
                block1="L.Conv2D(32, 3, use_bias=False), L.MaxPool2D(2), L.ReLU(), "
                "L.BatchNormalization(),",
                block2="L.Conv2D(64, 3, use_bias=False), L.MaxPool2D(2), L.ReLU(), "
                "L.BatchNormalization(),",
            ),
        ),
        # The usual textbook order, pooling last: the same function at inference when
        # every gamma > 0, but not the layers the exercise asks for.
        (
            "pooling last",
            _cnn(
                block1="L.Conv2D(32, 3, use_bias=False), L.BatchNormalization(), L.ReLU(), "
                "L.MaxPool2D(2),",
                block2="L.Conv2D(64, 3, use_bias=False), L.BatchNormalization(), L.ReLU(), "
                "L.MaxPool2D(2),",
            ),
        ),
        ("softmax output", _cnn(head="L.Dropout(0.3), L.Dense(10, activation='softmax'),")),
        (
            "padding same",
            _cnn(
                block1="L.Conv2D(32, 3, padding='same', use_bias=False), "
                "L.MaxPool2D(2), L.BatchNormalization(), L.ReLU(),",
            ),
        ),
    ],
    "train_step": [
        # Without training=True batch normalisation uses its moving statistics.
        ("no training=True", _train(training="")),
        ("sum instead of mean", _train(loss=f"tf.reduce_sum({_XENT})")),
        (
            "probabilities, not logits",
            _train(loss="tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, logits))"),
        ),
        (
            "loss after the update",
            """\
def train_step(model, optimizer, x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=y, logits=model(x, training=True)))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=y, logits=model(x, training=True)))
""",
        ),
        # Fine eagerly, but the lab compiles train_step with tf.function.
        ("returns loss.numpy()", _train(ret="loss.numpy()")),
        # Softmax applied, then the cross-entropy from logits again.
        (
            "softmax twice",
            _train(loss=f"tf.reduce_mean({_XENT})".replace("=logits)", "=tf.nn.softmax(logits))")),
        ),
        # The model called twice in training mode: batch norm's statistics move twice.
        (
            "model called twice",
            """\
def train_step(model, optimizer, x, y):
    loss_before = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=y, logits=model(x, training=True)))
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=y, logits=model(x, training=True)))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss_before
""",
        ),
        (
            "gradients applied twice",
            _train().replace(
                "    return",
                "    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n    return",
            ),
        ),
        (
            "last layer only",
            _train().replace("model.trainable_variables", "model.layers[-1].trainable_variables"),
        ),
    ],
    "shift_images": [
        ("first image's shift for all", _shift(sx="dx[0]", sy="dy[0]")),
        ("last row and column never written", _shift(inside="0 <= r2 < h - 1 and 0 <= c2 < w - 1")),
        # np.roll wraps the pixels pushed out around to the other side.
        (
            "np.roll wraps around",
            """\
def shift_images(images, dx, dy):
    return np.stack([np.roll(im, (int(b), int(a)), axis=(0, 1))
                     for im, a, b in zip(images, dx, dy)])
""",
        ),
        ("dx and dy swapped", _shift(sx="dy[k]", sy="dx[k]")),
        ("moves the other way", _shift(sx="-dx[k]", sy="-dy[k]")),
        # np.zeros(shape) is float64: uint8 images come back as floats.
        ("float output", _shift(alloc="np.zeros(images.shape)")),
        # images[k, :-sy] is empty when sy == 0.
        (
            "slices break at shift 0",
            """\
def shift_images(images, dx, dy):
    out = np.zeros_like(images)
    for k in range(len(images)):
        sx, sy = int(dx[k]), int(dy[k])
        src = images[k]
        src = src[:-sy] if sy >= 0 else src[-sy:]
        src = src[:, :-sx] if sx >= 0 else src[:, -sx:]
        r0, c0 = max(sy, 0), max(sx, 0)
        out[k, r0:r0 + src.shape[0], c0:c0 + src.shape[1]] = src
    return out
""",
        ),
    ],
    "confusion_matrix": [
        # uint8 counts wrap around past 255.
        (
            "uint8 counts",
            """\
def confusion_matrix(y_true, y_pred, num_classes):
    counts = np.zeros((num_classes, num_classes), np.uint8)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts
""",
        ),
        # bincount without minlength: too short when the last pairs never occur.
        (
            "bincount without minlength",
            """\
def confusion_matrix(y_true, y_pred, num_classes):
    flat = np.bincount(y_true * num_classes + y_pred)
    return flat.reshape(num_classes, num_classes)
""",
        ),
        (
            "transposed",
            """\
def confusion_matrix(y_true, y_pred, num_classes):
    counts = np.zeros((num_classes, num_classes), np.int64)
    np.add.at(counts, (y_pred, y_true), 1)
    return counts
""",
        ),
        # Fancy-index += counts each repeated (true, predicted) pair once.
        (
            "fancy-index +=",
            """\
def confusion_matrix(y_true, y_pred, num_classes):
    counts = np.zeros((num_classes, num_classes), np.int64)
    counts[y_true, y_pred] += 1
    return counts
""",
        ),
        # np.zeros defaults to float64: counts must be integers.
        (
            "float counts",
            """\
def confusion_matrix(y_true, y_pred, num_classes):
    counts = np.zeros((num_classes, num_classes))
    for t, p in zip(y_true, y_pred):
        counts[t, p] += 1
    return counts
""",
        ),
        # The size from the labels seen, not num_classes.
        (
            "size from the labels",
            """\
def confusion_matrix(y_true, y_pred, num_classes):
    k = int(max(np.max(y_true), np.max(y_pred))) + 1
    counts = np.zeros((k, k), np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts
""",
        ),
    ],
}
