"""Reference solutions for lab 3 (deep computer vision: digit classification). HIDDEN.

Each definition mirrors an exercise of labs/lab3_digit_classification.ipynb, with the same
name and signature. Tests insert these bodies into the lab to check it is solvable.
"""

import numpy as np
import tensorflow as tf
from tensorflow import keras


def conv2d(x, kernel, stride):
    """2-D convolution (cross-correlation), VALID padding, like tf.nn.conv2d."""
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


def max_pool2d(x, pool_size, stride):
    """Max pooling, VALID padding, like tf.nn.max_pool2d."""
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


def shift_images(images, dx, dy):
    """Shift each image right by dx[k] and down by dy[k] pixels, filling with zeros."""
    images = np.asarray(images)
    out = np.zeros_like(images)
    h, w = images.shape[1:3]
    for k in range(len(images)):
        sx, sy = int(dx[k]), int(dy[k])
        src = images[k, max(0, -sy) : h - max(0, sy), max(0, -sx) : w - max(0, sx)]
        out[k, max(0, sy) : max(0, sy) + src.shape[0], max(0, sx) : max(0, sx) + src.shape[1]] = src
    return out


def build_dense_model(hidden_units):
    """Flatten -> Dense(hidden_units, relu) -> Dense(10) logits, for (28, 28, 1) images."""
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(hidden_units, activation="relu"),
            keras.layers.Dense(10),
        ]
    )


def build_cnn_model():
    """The lab's CNN: two conv/batch-norm/ReLU/pool blocks (32, 64 filters), a dense head."""
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(32, kernel_size=3, use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.ReLU(),
            keras.layers.MaxPool2D(pool_size=2),
            keras.layers.Conv2D(64, kernel_size=3, use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.ReLU(),
            keras.layers.MaxPool2D(pool_size=2),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(10),
        ]
    )


def train_step(model, optimizer, x, y):
    """One optimisation step on a batch; returns the mean cross-entropy before the update."""
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        )
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


def confusion_matrix(y_true, y_pred, num_classes):
    """Counts[i, j] of examples with true class i predicted as class j (int64)."""
    counts = np.zeros((num_classes, num_classes), np.int64)
    np.add.at(counts, (np.asarray(y_true, np.int64), np.asarray(y_pred, np.int64)), 1)
    return counts
