"""Reference solutions for lab 2 (music generation with RNNs). HIDDEN: never released.

The authored source of each exercise of labs/lab2_music_generation.ipynb: its
signature and docstring (the student's contract) and, between ``# BEGIN SOLUTION`` and
``# END SOLUTION``, the answer. ``mit6s191-assign lab2`` generates the notebook's exercise
cells from these definitions, each block replaced by a stub; tests insert the whole
definitions into the lab to check it is solvable.
"""

import numpy as np
import tensorflow as tf
from tensorflow import keras


def text_to_indices(text, vocab):
    """Turn a string into the vector of its characters' indices in the
    vocabulary.

    Args:
        text: str of n characters, each of which is in vocab.
        vocab: list of distinct one-character strings (sorted).
    Returns:
        np.ndarray of shape (n,), dtype np.int32: element i is
        vocab.index(text[i]).
        (Build a dict {char: index} once: vocab.index is slow on half a million
        characters.)
    """
    # BEGIN SOLUTION
    char2idx = {char: i for i, char in enumerate(vocab)}
    return np.array([char2idx[char] for char in text], dtype=np.int32)
    # END SOLUTION


def indices_to_text(indices, vocab):
    """Turn a vector of indices back into a string.

    Args:
        indices: sequence of n ints (list, np.ndarray or 1-D tensor) in
            0..len(vocab) - 1.
        vocab: list of distinct one-character strings.
    Returns:
        str of n characters: character i is vocab[indices[i]].
    """
    # BEGIN SOLUTION
    return "".join(vocab[int(i)] for i in indices)
    # END SOLUTION


def get_batch(indices, seq_length, batch_size, seed, starts=None):
    """Cut a random batch of (input, target) windows from the corpus.

    Args:
        indices: np.ndarray (n,) int32, the whole corpus as indices.
        seq_length: int L, the length of each window.
        batch_size: int B, the number of windows.
        seed: int, the seed of the draw: rng = np.random.default_rng(seed).
        starts: None, or np.ndarray of the positions where a window may
            start (each at most n - L - 1), e.g. where the tunes begin.
            None: windows start anywhere,
                starts = rng.integers(0, n - L, size=B);
            otherwise one of the given positions each,
                starts = starts[rng.integers(0, len(starts), size=B)].
    Returns:
        (x, y), two np.ndarray of shape (B, L), dtype np.int32: for window b
        starting at s, x[b] = indices[s : s + L] and
        y[b] = indices[s + 1 : s + L + 1] (x shifted by one).
    """
    # BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    if starts is None:
        chosen = rng.integers(0, len(indices) - seq_length, size=batch_size)
    else:
        chosen = np.asarray(starts)[rng.integers(0, len(starts), size=batch_size)]
    x = np.stack([indices[s : s + seq_length] for s in chosen]).astype(np.int32)
    y = np.stack([indices[s + 1 : s + seq_length + 1] for s in chosen]).astype(np.int32)
    return x, y
    # END SOLUTION


class MyRNNCell(keras.layers.Layer):
    """One step of a vanilla RNN, without biases.

    Args:
        input_dim: int d_in; rnn_units: int d_h; output_dim: int d_out.
    Attributes (create them with self.add_weight in __init__):
        W_xh: (d_in, d_h) input-to-hidden weights,
        W_hh: (d_h, d_h) hidden-to-hidden weights,
        W_hy: (d_h, d_out) hidden-to-output weights.
    call(x, h): x (batch, d_in) float32 and the previous state h (batch, d_h)
        float32 -> (y, h_new): h_new = tanh(x @ W_xh + h @ W_hh), (batch, d_h),
        and y = h_new @ W_hy, (batch, d_out).
    """

    def __init__(self, input_dim, rnn_units, output_dim):
        super().__init__()
        # BEGIN SOLUTION
        self.W_xh = self.add_weight(shape=(input_dim, rnn_units), initializer="glorot_uniform")
        self.W_hh = self.add_weight(shape=(rnn_units, rnn_units), initializer="orthogonal")
        self.W_hy = self.add_weight(shape=(rnn_units, output_dim), initializer="glorot_uniform")
        # END SOLUTION

    def call(self, x, h):
        # BEGIN SOLUTION
        h = tf.math.tanh(tf.matmul(x, self.W_xh) + tf.matmul(h, self.W_hh))
        y = tf.matmul(h, self.W_hy)
        return y, h
        # END SOLUTION


def build_model(vocab_size, embedding_dim, rnn_units):
    """The next-character model.

    Args:
        vocab_size: int V; embedding_dim: int E; rnn_units: int U.
    Returns:
        keras.Sequential of keras.Input(shape=(None,), dtype="int32"), then
        Embedding(V, E), LSTM(U, return_sequences=True) and Dense(V), all with
        default arguments otherwise, and no other layer (generate_tunes
        unpacks embedding, lstm, dense = model.layers). It maps int32 indices
        (batch, time) to float32 logits (batch, time, V).
    """
    # BEGIN SOLUTION
    return keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            keras.layers.Embedding(vocab_size, embedding_dim),
            keras.layers.LSTM(rnn_units, return_sequences=True),
            keras.layers.Dense(vocab_size),
        ]
    )
    # END SOLUTION


def compute_loss(labels, logits):
    """Mean next-character loss.

    Args:
        labels: tf.Tensor int32 (batch, time), the target indices.
        logits: tf.Tensor float32 (batch, time, V), the model's outputs.
    Returns:
        scalar tf.Tensor float32: sparse categorical cross-entropy from logits,
        averaged over batch and time. TensorFlow operations only (no NumPy,
        .numpy() or float()): train_step may call it inside tf.function.
    """
    # BEGIN SOLUTION
    losses = tf.keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True)
    return tf.reduce_mean(losses)
    # END SOLUTION


def train_step(model, optimizer, x, y):
    """One optimisation step on a batch.

    Args:
        model: a keras.Model mapping int32 (batch, time) to logits
            (batch, time, V).
        optimizer: a keras optimizer, e.g.
            keras.optimizers.Adam(learning_rate=5e-3).
        x: int32 (batch, time), the inputs; y: int32 (batch, time), the targets.
    Returns:
        scalar tf.Tensor float32: the loss before the update, the mean sparse
        categorical cross-entropy from logits (calling your compute_loss is
        fine). Return the tensor itself (no .numpy()): the lab compiles this
        function with tf.function.
    Updates model.trainable_variables in place: the optimizer it is given
    applies the gradients of that loss, once (optimizer.apply_gradients).
    """
    # BEGIN SOLUTION
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = tf.reduce_mean(
            tf.keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True)
        )
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
    # END SOLUTION


def sample_next(logits, temperature, noise):
    """Draw one index per row from softmax(logits / temperature).

    Args:
        logits: np.ndarray float32 (n, V), one row of logits per sequence.
        temperature: float > 0.
        noise: np.ndarray float32 (n,), uniform numbers in [0, 1).
    Returns:
        np.ndarray (n,) of ints: for row i, the number of entries of
        cumsum(p_i) that are <= noise[i], where
        p_i = softmax(logits[i] / temperature) (capped at V - 1 against
        rounding).
    """
    # BEGIN SOLUTION
    logits = np.asarray(logits, dtype=np.float64) / temperature
    probs = np.exp(logits - logits.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    cumulative = np.cumsum(probs, axis=-1)
    choice = (cumulative <= np.asarray(noise, np.float64)[:, None]).sum(axis=-1)
    return np.minimum(choice, probs.shape[-1] - 1).astype(np.int32)
    # END SOLUTION
