"""Lab 3: wrong answers graded end to end (see ``cases/__init__.py``). The ``lucky``
variants once passed by luck, on the seeds that drew the one case they get right."""

from cases import Wrong

WRONG = (
    # A true convolution flips the kernel; Keras and tf.nn.conv2d do not.
    Wrong(
        "conv2d",
        "def conv2d(x, kernel, stride):\n"
        "    kernel = kernel[::-1, ::-1]\n"
        "    kh, kw, _, c_out = kernel.shape\n"
        "    n, h, w, _ = x.shape\n"
        "    ho, wo = (h - kh) // stride + 1, (w - kw) // stride + 1\n"
        "    out = np.zeros((n, ho, wo, c_out), np.float32)\n"
        "    for i in range(ho):\n"
        "        for j in range(wo):\n"
        "            p = x[:, i * stride:i * stride + kh, j * stride:j * stride + kw]\n"
        "            out[:, i, j] = np.tensordot(p, kernel, axes=3)\n"
        "    return out\n",
        "wrong",
        "wrong values",
    ),
    # Windows start at i instead of i * stride: passed whenever stride 1 was drawn.
    Wrong(
        "conv2d",
        "def conv2d(x, kernel, stride):\n"
        "    kh, kw, _, c_out = kernel.shape\n"
        "    n, h, w, _ = x.shape\n"
        "    ho, wo = (h - kh) // stride + 1, (w - kw) // stride + 1\n"
        "    out = np.zeros((n, ho, wo, c_out), np.float32)\n"
        "    for i in range(ho):\n"
        "        for j in range(wo):\n"
        "            out[:, i, j] = np.tensordot(x[:, i:i + kh, j:j + kw], kernel, axes=3)\n"
        "    return out\n",
        "wrong",
        "wrong values",
        label="lucky_stride",
    ),
    # Ignores the stride: windows one pixel apart whatever it is.
    Wrong(
        "max_pool2d",
        "def max_pool2d(x, pool_size, stride):\n"
        "    return tf.nn.max_pool2d(x, pool_size, 1, 'VALID').numpy()\n",
        "wrong",
        "wrong shape",
    ),
    # Windows pool_size apart whatever the stride: passed when stride == pool_size.
    Wrong(
        "max_pool2d",
        "def max_pool2d(x, pool_size, stride):\n"
        "    return tf.nn.max_pool2d(x, pool_size, pool_size, 'VALID').numpy()\n",
        "wrong",
        "wrong shape",
        label="lucky_stride",
    ),
    # Softmax on the output layer: probabilities instead of logits.
    Wrong(
        "build_dense_model",
        "def build_dense_model(hidden_units):\n"
        "    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),\n"
        "        keras.layers.Dense(hidden_units, activation='relu'),\n"
        "        keras.layers.Dense(10, activation='softmax')])\n",
        "wrong",
        "wrong values",
    ),
    # Erratum 6 of the notes: Conv2D has no argument filter_size.
    Wrong(
        "build_cnn_model",
        "def build_cnn_model():\n"
        "    L = keras.layers\n"
        "    return keras.Sequential([keras.Input((28, 28, 1)),\n"
        "        L.Conv2D(32, filter_size=3, use_bias=False), L.BatchNormalization(), L.ReLU(),\n"
        "        L.MaxPool2D(2), L.Conv2D(64, filter_size=3, use_bias=False),\n"
        "        L.BatchNormalization(), L.ReLU(), L.MaxPool2D(2), L.Flatten(),\n"
        "        L.Dropout(0.3), L.Dense(10)])\n",
        "error",
        "kernel_size",
    ),
    # No Dropout: the probe ran inference only, so it always passed.
    Wrong(
        "build_cnn_model",
        "def build_cnn_model():\n"
        "    L = keras.layers\n"
        "    return keras.Sequential([keras.Input((28, 28, 1)),\n"
        "        L.Conv2D(32, 3, use_bias=False), L.MaxPool2D(2), L.BatchNormalization(),\n"
        "        L.ReLU(), L.Conv2D(64, 3, use_bias=False), L.MaxPool2D(2),\n"
        "        L.BatchNormalization(), L.ReLU(), L.Flatten(),\n"
        "        L.Dense(10)])\n",
        "wrong",
        "Dropout",
        label="lucky_no_dropout",
    ),
    # A Dropout the docstring does not ask for: inference alone never showed it.
    Wrong(
        "build_dense_model",
        "def build_dense_model(hidden_units):\n"
        "    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),\n"
        "        keras.layers.Dense(hidden_units, activation='relu'),\n"
        "        keras.layers.Dropout(0.2), keras.layers.Dense(10)])\n",
        "wrong",
        "training only",
        label="dropout",
    ),
    # Forgets training=True: batch normalisation uses its moving statistics.
    Wrong(
        "train_step",
        "def train_step(model, optimizer, x, y):\n"
        "    with tf.GradientTape() as tape:\n"
        "        logits = model(x)\n"
        "        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(\n"
        "            labels=y, logits=logits))\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n"
        "    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n"
        "    return loss\n",
        "wrong",
        "before the update",
    ),
    # np.roll wraps the pixels pushed out around to the other side.
    Wrong(
        "shift_images",
        "def shift_images(images, dx, dy):\n"
        "    return np.stack([np.roll(im, (int(b), int(a)), axis=(0, 1))\n"
        "                     for im, a, b in zip(images, dx, dy)])\n",
        "wrong",
        "wrong values",
    ),
    # uint8 counts wrap around past 255: small random cases never showed it.
    Wrong(
        "confusion_matrix",
        "def confusion_matrix(y_true, y_pred, num_classes):\n"
        "    counts = np.zeros((num_classes, num_classes), np.uint8)\n"
        "    np.add.at(counts, (y_true, y_pred), 1)\n"
        "    return counts\n",
        "wrong",
        "np.int64",
        label="uint8",
    ),
    # Fancy-index += counts each repeated (true, predicted) pair once.
    Wrong(
        "confusion_matrix",
        "def confusion_matrix(y_true, y_pred, num_classes):\n"
        "    counts = np.zeros((num_classes, num_classes), np.int64)\n"
        "    counts[y_true, y_pred] += 1\n"
        "    return counts\n",
        "wrong",
        "counts differ",
    ),
)
