"""Reference solutions for lab 3 (deep computer vision: digit classification). HIDDEN.

The authored source of each exercise of labs/lab3_digit_classification.ipynb: its
signature and docstring (the student's contract) and, between ``# BEGIN SOLUTION`` and
``# END SOLUTION``, the answer. ``mit6s191-assign lab3`` generates the notebook's exercise
cells from these definitions, each block replaced by a stub; tests insert the whole
definitions into the lab to check it is solvable.
"""

import numpy as np
import tensorflow as tf
from tensorflow import keras


def conv2d(x, kernel, stride):
    """2-D convolution with VALID padding, the same as
    tf.nn.conv2d(x, kernel, stride, "VALID").

    Args:
        x: np.ndarray float32 (n, h, w, c_in): a batch of images.
        kernel: np.ndarray float32 (kh, kw, c_in, c_out): c_out filters.
        stride: int >= 1, the step between two positions of the filter (both
            directions).
    Returns:
        np.ndarray float32 (n, h_out, w_out, c_out) with
        h_out = (h - kh) // stride + 1, w_out = (w - kw) // stride + 1 and
        out[b, i, j, c] = sum over di, dj, k of
            x[b, i * stride + di, j * stride + dj, k] * kernel[di, dj, k, c].
    Loops over the output positions are fine; don't call tf.nn.conv2d or a
    Keras layer.
    """
    # BEGIN SOLUTION
    x = np.asarray(x, np.float32)
    kernel = np.asarray(kernel, np.float32)
    n, h, w, _ = x.shape
    kh, kw, _, c_out = kernel.shape
    h_out = (h - kh) // stride + 1
    w_out = (w - kw) // stride + 1
    out = np.zeros((n, h_out, w_out, c_out), np.float32)
    for i in range(h_out):
        for j in range(w_out):
            patch = x[:, i * stride : i * stride + kh, j * stride : j * stride + kw, :]
            out[:, i, j, :] = np.tensordot(patch, kernel, axes=([1, 2, 3], [0, 1, 2]))
    return out
    # END SOLUTION


def max_pool2d(x, pool_size, stride):
    """Max pooling with VALID padding, the same as
    tf.nn.max_pool2d(x, pool_size, stride, "VALID").

    Args:
        x: np.ndarray float32 (n, h, w, c).
        pool_size: int, the window is pool_size x pool_size.
        stride: int >= 1, the step between two windows (both directions).
    Returns:
        np.ndarray float32 (n, h_out, w_out, c) with
        h_out = (h - pool_size) // stride + 1, w_out likewise, and
        out[b, i, j, k] the maximum of
        x[b, i*stride : i*stride + pool_size,
          j*stride : j*stride + pool_size, k].
    """
    # BEGIN SOLUTION
    x = np.asarray(x, np.float32)
    n, h, w, c = x.shape
    h_out = (h - pool_size) // stride + 1
    w_out = (w - pool_size) // stride + 1
    out = np.zeros((n, h_out, w_out, c), np.float32)
    for i in range(h_out):
        for j in range(w_out):
            window = x[:, i * stride : i * stride + pool_size, j * stride : j * stride + pool_size]
            out[:, i, j, :] = window.max(axis=(1, 2))
    return out
    # END SOLUTION


def shift_images(images, dx, dy):
    """Shift each image by a whole number of pixels, filling the uncovered
    border with zeros.

    Args:
        images: np.ndarray (n, h, w) or (n, h, w, c), any dtype.
        dx: np.ndarray of n ints: image k moves dx[k] pixels to the right
            (left if < 0).
        dy: np.ndarray of n ints: image k moves dy[k] pixels down (up if < 0).
    Returns:
        np.ndarray with the shape and dtype of images, where
        out[k, r + dy[k], c + dx[k]] = images[k, r, c] for every pixel that
        stays inside the image, and 0 everywhere else (pixels pushed out are
        lost; nothing wraps around).
    """
    # BEGIN SOLUTION
    images = np.asarray(images)
    out = np.zeros_like(images)
    h, w = images.shape[1:3]
    for k in range(len(images)):
        sx, sy = int(dx[k]), int(dy[k])
        # the source rows and columns that stay inside (none for a shift past the edge)
        r0, r1 = max(0, -sy), min(h, h - sy)
        c0, c1 = max(0, -sx), min(w, w - sx)
        if r0 < r1 and c0 < c1:
            out[k, r0 + sy : r1 + sy, c0 + sx : c1 + sx] = images[k, r0:r1, c0:c1]
    return out
    # END SOLUTION


def build_dense_model(hidden_units):
    """A dense digit classifier.

    Args:
        hidden_units: int, the width of the hidden layer.
    Returns:
        keras.Sequential with exactly these layers:
        keras.Input((28, 28, 1)), Flatten,
        Dense(hidden_units, activation="relu"), Dense(10) with no activation.
        It maps float32 images (n, 28, 28, 1) to float32 logits (n, 10).
    """
    # BEGIN SOLUTION
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(hidden_units, activation="relu"),
            keras.layers.Dense(10),
        ]
    )
    # END SOLUTION


def build_cnn_model():
    """The lab's convolutional digit classifier.

    Returns:
        keras.Sequential with exactly these layers, in this order:
        keras.Input((28, 28, 1)),
        Conv2D(32, kernel_size=3, use_bias=False)  (no padding: 28 -> 26),
        MaxPool2D(pool_size=2)  (26 -> 13), BatchNormalization(), ReLU(),
        Conv2D(64, kernel_size=3, use_bias=False)  (13 -> 11),
        MaxPool2D(pool_size=2)  (11 -> 5), BatchNormalization(), ReLU(),
        Flatten()  (5 * 5 * 64 = 1600 features), Dropout(0.3),
        Dense(10) with no activation.
        Each max pooling comes right after its convolution, before batch
        normalisation and ReLU (Part 4 says why). It maps float32 images
        (n, 28, 28, 1) to float32 logits (n, 10); 35,114 parameters.
    """
    # BEGIN SOLUTION
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(32, kernel_size=3, use_bias=False),
            keras.layers.MaxPool2D(pool_size=2),
            keras.layers.BatchNormalization(),
            keras.layers.ReLU(),
            keras.layers.Conv2D(64, kernel_size=3, use_bias=False),
            keras.layers.MaxPool2D(pool_size=2),
            keras.layers.BatchNormalization(),
            keras.layers.ReLU(),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(10),
        ]
    )
    # END SOLUTION


def train_step(model, optimizer, x, y):
    """One optimisation step of a classifier that outputs logits.

    Args:
        model: a keras.Model mapping x to logits (n, num_classes).
        optimizer: a keras optimizer, e.g. keras.optimizers.Adam(1e-3).
        x: tf.Tensor float32 (n, ...): a batch of inputs.
        y: tf.Tensor int64 (n,): their class labels.
    Returns:
        scalar tf.Tensor float32: the mean sparse softmax cross-entropy of the
        batch, computed before the update with model(x, training=True). Return
        the tensor itself (no .numpy()): the lab compiles this function with
        tf.function.
    Updates model.trainable_variables in place with one
    optimizer.apply_gradients call.
    """
    # BEGIN SOLUTION
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        )
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
    # END SOLUTION


def confusion_matrix(y_true, y_pred, num_classes):
    """Count how often each true class is predicted as each class.

    Args:
        y_true: np.ndarray of n ints in [0, num_classes): the true labels.
        y_pred: np.ndarray of n ints in [0, num_classes): the predicted labels.
        num_classes: int.
    Returns:
        np.ndarray int64 (num_classes, num_classes): counts[i, j] is the number
        of examples with y_true == i and y_pred == j.
    """
    # BEGIN SOLUTION
    counts = np.zeros((num_classes, num_classes), np.int64)
    np.add.at(counts, (np.asarray(y_true, np.int64), np.asarray(y_pred, np.int64)), 1)
    return counts
    # END SOLUTION
