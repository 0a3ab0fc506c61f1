"""Reference solutions for lab 1 (introduction to deep learning). HIDDEN: never released.

Each definition mirrors an exercise of labs/lab1_intro_to_deep_learning.ipynb, with the
same name and signature. Tests insert these bodies into the lab to check it is solvable.
"""

import numpy as np
import tensorflow as tf


def sigmoid_derivative(z):
    """Derivative of the sigmoid at z: g(z) (1 - g(z))."""
    g = tf.math.sigmoid(z)
    return g * (1.0 - g)


def tanh_derivative(z):
    """Derivative of tanh at z: 1 - tanh(z)^2."""
    return 1.0 - tf.math.tanh(z) ** 2


def relu_derivative(z):
    """Derivative of ReLU at z: 1 where z > 0, else 0 (same dtype as z)."""
    return tf.cast(z > 0, z.dtype)


class MyDenseLayer(tf.keras.layers.Layer):
    """A dense layer with a sigmoid: outputs sigmoid(x W + b)."""

    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.W = self.add_weight(shape=(input_dim, output_dim), initializer="random_normal")
        self.b = self.add_weight(shape=(1, output_dim), initializer="zeros")

    def call(self, inputs):
        z = tf.matmul(inputs, self.W) + self.b
        return tf.math.sigmoid(z)


def binary_cross_entropy(y_true, logits):
    """Mean binary cross-entropy of labels y_true given logits (sigmoid form)."""
    losses = tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=logits)
    return tf.reduce_mean(losses)


def mean_squared_error(y_true, y_pred):
    """Mean of the squared differences."""
    return tf.reduce_mean(tf.square(y_true - y_pred))


def softmax_cross_entropy(labels, logits):
    """Mean categorical cross-entropy from logits, through a stable log-softmax."""
    log_probs = logits - tf.reduce_logsumexp(logits, axis=-1, keepdims=True)
    return -tf.reduce_mean(tf.reduce_sum(labels * log_probs, axis=-1))


def train_step(model, optimizer, loss_fn, x, y):
    """One gradient-descent step; returns the loss before the update."""
    with tf.GradientTape() as tape:
        prediction = model(x, training=True)
        loss = loss_fn(y, prediction)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


def minibatches(x, y, batch_size, seed):
    """Shuffle (x, y) with a seeded permutation and cut it into consecutive batches."""
    order = np.random.default_rng(seed).permutation(len(x))
    return [
        (x[order[i : i + batch_size]], y[order[i : i + batch_size]])
        for i in range(0, len(x), batch_size)
    ]


def dropout(x, rate, noise, training):
    """Inverted dropout: zero where noise < rate, scale the rest by 1 / (1 - rate)."""
    if not training or rate == 0:
        return x
    keep = tf.cast(noise >= rate, x.dtype)
    return x * keep / (1.0 - rate)


def early_stopping(val_losses, patience):
    """(stop_epoch, best_epoch) for early stopping with the given patience."""
    best_epoch, best = 0, float("inf")
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return epoch, best_epoch
    return len(val_losses) - 1, best_epoch
