"""Reference solutions for lab 2 (music generation with RNNs). HIDDEN: never released.

Each definition mirrors an exercise of labs/lab2_music_generation.ipynb, with the same
name and signature. Tests insert these bodies into the lab to check it is solvable.
"""

import numpy as np
import tensorflow as tf
from tensorflow import keras


def text_to_indices(text, vocab):
    """The index in vocab of every character of text, as an int32 array."""
    char2idx = {char: i for i, char in enumerate(vocab)}
    return np.array([char2idx[char] for char in text], dtype=np.int32)


def indices_to_text(indices, vocab):
    """The string whose i-th character is vocab[indices[i]]."""
    return "".join(vocab[int(i)] for i in indices)


def get_batch(indices, seq_length, batch_size, seed):
    """Random (input, target) windows; the target is the input shifted by one character."""
    starts = np.random.default_rng(seed).integers(0, len(indices) - seq_length, size=batch_size)
    x = np.stack([indices[s : s + seq_length] for s in starts]).astype(np.int32)
    y = np.stack([indices[s + 1 : s + seq_length + 1] for s in starts]).astype(np.int32)
    return x, y


class MyRNNCell(keras.layers.Layer):
    """One step of a vanilla RNN: h = tanh(x W_xh + h W_hh), y = h W_hy."""

    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        self.W_xh = self.add_weight(shape=(input_dim, rnn_units), initializer="glorot_uniform")
        self.W_hh = self.add_weight(shape=(rnn_units, rnn_units), initializer="orthogonal")
        self.W_hy = self.add_weight(shape=(rnn_units, output_dim), initializer="glorot_uniform")

    def call(self, x, h):
        h = tf.math.tanh(tf.matmul(x, self.W_xh) + tf.matmul(h, self.W_hh))
        y = tf.matmul(h, self.W_hy)
        return y, h


def build_model(vocab_size, embedding_dim, rnn_units):
    """Embedding -> LSTM (a step's output for every step) -> Dense logits."""
    return keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            keras.layers.Embedding(vocab_size, embedding_dim),
            keras.layers.LSTM(rnn_units, return_sequences=True),
            keras.layers.Dense(vocab_size),
        ]
    )


def compute_loss(labels, logits):
    """Mean sparse categorical cross-entropy over every character of every sequence."""
    losses = tf.keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True)
    return tf.reduce_mean(losses)


def train_step(model, optimizer, x, y):
    """One optimisation step on a batch; returns the loss before the update."""
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = tf.reduce_mean(
            tf.keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True)
        )
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


def sample_next(logits, temperature, noise):
    """One index per row, drawn from softmax(logits / temperature) with the given uniforms."""
    logits = np.asarray(logits, dtype=np.float64) / temperature
    probs = np.exp(logits - logits.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    cumulative = np.cumsum(probs, axis=-1)
    choice = (cumulative <= np.asarray(noise, np.float64)[:, None]).sum(axis=-1)
    return np.minimum(choice, probs.shape[-1] - 1).astype(np.int32)
