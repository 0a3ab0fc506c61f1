"""Reference solutions for lab 1 (introduction to deep learning). HIDDEN: never released.

The authored source of each exercise of labs/lab1_intro_to_deep_learning.ipynb: its
signature and docstring (the student's contract) and, between ``# BEGIN SOLUTION`` and
``# END SOLUTION``, the answer. ``mit6s191-assign lab1`` generates the notebook's exercise
cells from these definitions, each block replaced by a stub; tests insert the whole
definitions into the lab to check it is solvable.
"""

import numpy as np
import tensorflow as tf
from tensorflow import keras


def sigmoid_derivative(z):
    """Derivative of the sigmoid, element-wise.

    Args:
        z: tf.Tensor, float32, any shape.
    Returns:
        tf.Tensor, float32, same shape as z: g(z) * (1 - g(z)) with
        g = tf.math.sigmoid.
    """
    # BEGIN SOLUTION
    g = tf.math.sigmoid(z)
    return g * (1.0 - g)
    # END SOLUTION


def tanh_derivative(z):
    """Derivative of tanh, element-wise.

    Args:
        z: tf.Tensor, float32, any shape.
    Returns:
        tf.Tensor, float32, same shape as z: 1 - tanh(z)**2.
    """
    # BEGIN SOLUTION
    return 1.0 - tf.math.tanh(z) ** 2
    # END SOLUTION


def relu_derivative(z):
    """Derivative of ReLU, element-wise.

    Args:
        z: tf.Tensor, float32, any shape.
    Returns:
        tf.Tensor, float32, same shape as z: 1.0 where z > 0, 0.0 elsewhere
        (also at 0).
    """
    # BEGIN SOLUTION
    return tf.cast(z > 0, z.dtype)
    # END SOLUTION


class MyDenseLayer(keras.layers.Layer):
    """A dense layer with a sigmoid activation.

    Args:
        input_dim: int, number of input features d_in.
        output_dim: int, number of output units d_out.
    Attributes:
        W: weight variable of shape (d_in, d_out), random normal initial values.
        b: bias variable of shape (1, d_out), zeros.
    call(inputs): inputs (batch, d_in) float32 -> (batch, d_out) float32,
        sigmoid(inputs @ W + b).
    """

    def __init__(self, input_dim, output_dim):
        super().__init__()
        # BEGIN SOLUTION
        self.W = self.add_weight(shape=(input_dim, output_dim), initializer="random_normal")
        self.b = self.add_weight(shape=(1, output_dim), initializer="zeros")
        # END SOLUTION

    def call(self, inputs):
        # BEGIN SOLUTION
        z = tf.matmul(inputs, self.W) + self.b
        return tf.math.sigmoid(z)
        # END SOLUTION


def binary_cross_entropy(y_true, logits):
    """Mean binary cross-entropy computed from logits.

    Args:
        y_true: tf.Tensor float32 (n, 1) of labels in {0, 1}.
        logits: tf.Tensor float32 (n, 1), the model's outputs before the
            sigmoid.
    Returns:
        scalar tf.Tensor float32: the mean over the n examples.
    """
    # BEGIN SOLUTION
    losses = tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=logits)
    return tf.reduce_mean(losses)
    # END SOLUTION


def mean_squared_error(y_true, y_pred):
    """Mean squared error.

    Args:
        y_true, y_pred: tf.Tensor float32 of the same shape (n, 1).
    Returns:
        scalar tf.Tensor float32: mean of (y_true - y_pred)**2.
    """
    # BEGIN SOLUTION
    return tf.reduce_mean(tf.square(y_true - y_pred))
    # END SOLUTION


def softmax_cross_entropy(labels, logits):
    """Mean categorical cross-entropy computed from logits.

    Args:
        labels: tf.Tensor float32 (n, K): one probability vector per example
            (one-hot, or smoothed); each row sums to 1.
        logits: tf.Tensor float32 (n, K), the model's outputs before softmax.
    Returns:
        scalar tf.Tensor float32: the mean over the n examples of
        -sum_k labels[i, k] * log softmax(logits[i])_k.
    """
    # BEGIN SOLUTION
    log_probs = logits - tf.reduce_logsumexp(logits, axis=-1, keepdims=True)
    return -tf.reduce_mean(tf.reduce_sum(labels * log_probs, axis=-1))
    # END SOLUTION


def train_step(model, optimizer, loss_fn, x, y):
    """One step of gradient descent.

    Args:
        model: a keras.Model mapping x (n, d) to predictions (n, 1).
        optimizer: a keras optimizer, e.g.
            keras.optimizers.SGD(learning_rate=0.1).
        loss_fn: callable loss_fn(y_true, y_pred) -> scalar tensor.
        x: tf.Tensor float32 (n, d); y: tf.Tensor float32 (n, 1).
    Returns:
        scalar tf.Tensor: the loss computed before the update.
    Updates model.trainable_variables in place.
    """
    # BEGIN SOLUTION
    with tf.GradientTape() as tape:
        prediction = model(x, training=True)
        loss = loss_fn(y, prediction)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
    # END SOLUTION


def minibatches(x, y, batch_size, seed):
    """Shuffle the examples and cut them into mini-batches.

    Args:
        x: np.ndarray (n, ...); y: np.ndarray (n, ...), row i of y belongs to
            row i of x.
        batch_size: int B > 0.
        seed: int. Shuffle with
            order = np.random.default_rng(seed).permutation(n).
    Returns:
        list of (x_batch, y_batch) pairs taking the rows of x and y in `order`,
        B at a time; the last batch holds the remaining n % B rows if n is not a
        multiple of B.
    """
    # BEGIN SOLUTION
    order = np.random.default_rng(seed).permutation(len(x))
    return [
        (x[order[i : i + batch_size]], y[order[i : i + batch_size]])
        for i in range(0, len(x), batch_size)
    ]
    # END SOLUTION


def dropout(x, rate, noise, training):
    """Inverted dropout.

    Args:
        x: tf.Tensor float32, any shape: the activations.
        rate: float in [0, 1): the share of activations to drop.
        noise: tf.Tensor float32, same shape as x, uniform in [0, 1).
        training: bool. When False, return x unchanged.
    Returns:
        tf.Tensor float32, same shape as x: 0 where noise < rate,
        x / (1 - rate) elsewhere.
    """
    # BEGIN SOLUTION
    if not training or rate == 0:
        return x
    keep = tf.cast(noise >= rate, x.dtype)
    return x * keep / (1.0 - rate)
    # END SOLUTION


def early_stopping(val_losses, patience):
    """When early stopping would stop, and which epoch's weights it would keep.

    Args:
        val_losses: list of floats, the validation loss after epochs 0, 1,
            2, ...
        patience: int >= 1, how many epochs without improvement to tolerate.
    Returns:
        (stop_epoch, best_epoch), two ints. best_epoch is the epoch with the
        lowest loss so far (the first one on ties); training stops after the
        first epoch that comes `patience` epochs after best_epoch. If that never
        happens, stop_epoch is the last epoch.
    """
    # BEGIN SOLUTION
    best_epoch, best = 0, float("inf")
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return epoch, best_epoch
    return len(val_losses) - 1, best_epoch
    # END SOLUTION
