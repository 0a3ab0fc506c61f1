"""Probes for lab 2: the code that calls an implementation and returns plain arrays.

This module (with the preamble) is the only lab code the isolated runner imports: it holds
no answers and no input generators (those stay in the trusted
``autograder/labs/lab2_inputs.py``). A probe runs in the student's process on one case of
inputs the grader drew.
"""

from __future__ import annotations

import numpy as np

from autograder.inside.probes import PREAMBLE, tf_module

__all__ = ["PREAMBLE", "PROBES"]


def _codes(text: str) -> np.ndarray:
    return np.array([ord(ch) for ch in text], dtype=np.int64)


def _text(codes: np.ndarray) -> str:
    return "".join(chr(int(c)) for c in codes)


def _probe_text_to_indices(impl, inputs):
    vocab = [chr(int(c)) for c in inputs["vocab"]]
    indices = impl(_text(inputs["text"]), vocab)
    if not isinstance(indices, np.ndarray):
        raise TypeError(f"expected a numpy array, got {type(indices).__name__}")
    return {"indices": indices}


def _padded_codes(text: str, n: int) -> np.ndarray:
    """The character codes of ``text`` in a vector of fixed length 2n + 8 (-1 after the end):
    a text of the wrong length still compares value by value, and can be shown."""
    codes = np.full(2 * n + 8, -1, np.int64)
    head = _codes(text[: codes.size])
    codes[: head.size] = head
    return codes


def _probe_indices_to_text(impl, inputs):
    vocab = [chr(int(c)) for c in inputs["vocab"]]
    char2idx = {ch: i for i, ch in enumerate(vocab)}
    indices = np.array([char2idx[chr(int(c))] for c in inputs["text"]], np.int32)
    text = impl(indices, vocab)
    if not isinstance(text, str):
        raise TypeError(f"expected a str, got {type(text).__name__}")
    return {"text": _padded_codes(text, len(indices)), "length": np.int64(len(text))}


def _probe_get_batch(impl, inputs):
    args = (
        inputs["indices"],
        int(inputs["seq_length"]),
        int(inputs["batch_size"]),
        int(inputs["seed"]),
    )
    if "starts" in inputs:  # windows only from the given positions (where tunes begin)
        x, y = impl(*args, starts=inputs["starts"])
    else:
        x, y = impl(*args)
    return {"x": x, "y": y}


def _probe_rnn_cell(impl, inputs):
    tf = tf_module()
    d_in, units, d_out = (int(v) for v in inputs["dims"])
    cell = impl(d_in, units, d_out)
    h = tf.constant(inputs["h0"])
    cell(tf.constant(inputs["x"][0]), h)  # builds the weights if the cell creates them lazily
    for name in ("W_xh", "W_hh", "W_hy"):
        weight = getattr(cell, name)
        if not hasattr(weight, "assign"):
            raise TypeError(
                f"{name} is a {type(weight).__name__}, not a weight: make it with "
                "self.add_weight, so that training (and the grader) can set it"
            )
        weight.assign(inputs[name])
    ys, hs = [], []
    for x_t in inputs["x"]:
        y, h = cell(tf.constant(x_t), h)
        ys.append(np.asarray(y))
        hs.append(np.asarray(h))
    return {"y": np.stack(ys), "h": np.stack(hs)}


WEIGHT_KEYS = ("w_embedding", "w_kernel", "w_recurrent", "w_bias", "w_dense", "w_dense_bias")


def _reference_model(inputs):
    """A model with the exercise's architecture, its weights fixed from the inputs."""
    tf = tf_module()
    keras = tf.keras
    vocab_size, embedding_dim, units = (int(v) for v in inputs["dims"])
    steps = int(inputs["x"].shape[1])
    model = keras.Sequential(
        [
            keras.Input((steps,), dtype="int32"),
            keras.layers.Embedding(vocab_size, embedding_dim),
            # Unrolled (the same numbers): tf.function traces it about twice as fast.
            keras.layers.LSTM(units, return_sequences=True, unroll=True),
            keras.layers.Dense(vocab_size),
        ]
    )
    model.set_weights([inputs[k] for k in WEIGHT_KEYS])
    return model


def _shape_code(shapes) -> np.ndarray:
    """The first six weight shapes as 12 numbers (rows, columns; 0 for a vector, -1 if absent)."""
    code = np.full((6, 2), -1, np.int64)
    for i, shape in enumerate(list(shapes)[:6]):
        code[i] = (shape[0], shape[1] if len(shape) > 1 else 0) if shape else (0, 0)
    return code.ravel()


# The layers generate_tunes unpacks (embedding, lstm, dense = model.layers), as codes.
LAYER_KINDS = ("Embedding", "LSTM", "Dense", "InputLayer")


def _layer_code(layers) -> np.ndarray:
    """model.layers as 6 codes: 1 + the index in LAYER_KINDS, 9 another layer, -1 absent."""
    code = np.full(6, -1, np.int64)
    for i, layer in enumerate(list(layers)[:6]):
        name = type(layer).__name__
        code[i] = LAYER_KINDS.index(name) + 1 if name in LAYER_KINDS else 9
    return code


def _probe_build_model(impl, inputs):
    tf = tf_module()
    vocab_size, embedding_dim, units = (int(v) for v in inputs["dims"])
    model = impl(vocab_size, embedding_dim, units)
    x = tf.constant(inputs["x"])
    model(x)  # builds the weights if the model was created without an input shape
    shapes = [tuple(w.shape) for w in model.get_weights()]
    expected = [tuple(inputs[k].shape) for k in WEIGHT_KEYS]
    out = {"weight_count": np.int64(len(shapes)), "weight_shapes": _shape_code(shapes)}
    out["layers"] = _layer_code(model.layers)
    if shapes != expected:  # another architecture: report its weights, not a crash
        out["logits"] = np.zeros((*inputs["x"].shape, vocab_size), np.float32)
        out["logits_training"] = out["logits"]
        return out
    model.set_weights([inputs[k] for k in WEIGHT_KEYS])
    out["logits"] = model(x)
    # Training mode too: train_step calls model(x, training=True), and dropout (which the
    # docstring's default arguments leave out) acts only there.
    out["logits_training"] = model(x, training=True)
    return out


def _probe_loss(impl, inputs):
    tf = tf_module()
    labels, logits = tf.constant(inputs["labels"]), tf.constant(inputs["logits"])
    loss = impl(labels, logits)
    # train_step may call compute_loss, and the lab compiles train_step with tf.function:
    # the loss must be TensorFlow operations on tensors, and a tensor.
    try:
        traced = tf.function(getattr(impl, "python_function", impl))(labels, logits)
    except Exception as exc:  # noqa: BLE001 - eager worked; say why the graph does not
        raise TypeError(
            "compute_loss works eagerly but fails inside tf.function, where train_step "
            f"calls it ({type(exc).__name__}: {str(exc)[:200]}): use TensorFlow "
            "operations only and return the tensor (no .numpy(), float() or NumPy)"
        ) from None
    if not tf.is_tensor(loss):
        raise TypeError(
            f"compute_loss returned a {type(loss).__name__}; return the scalar tf.Tensor "
            "itself (no .numpy() or float()): train_step takes gradients of it"
        )
    return {"loss": loss, "loss_in_tf_function": traced}


def _probe_train_step(impl, inputs):
    tf = tf_module()
    model = _reference_model(inputs)
    # With momentum: an update made by hand (w -= learning_rate * g), not by the optimizer
    # the step is given, differs from the second step on (the lab trains with Adam).
    optimizer = tf.keras.optimizers.SGD(learning_rate=float(inputs["lr"]), momentum=0.9)
    x, y = tf.constant(inputs["x"]), tf.constant(inputs["y"])
    # As the lab runs it: .numpy() inside fails here too. An impl the student decorated is
    # unwrapped first, so that its first trace is this case's.
    step = tf.function(getattr(impl, "python_function", impl))
    losses = [float(step(model, optimizer, x, y)) for _ in range(3)]
    out = {"losses": np.array(losses, np.float32)}
    for key, weight in zip(WEIGHT_KEYS, model.get_weights()):
        out[key] = np.asarray(weight)
    return out


def _probe_sample_next(impl, inputs):
    out = []
    for temperature, noise in zip(inputs["temperatures"], inputs["noise"]):
        ids = np.asarray(impl(inputs["logits"], float(temperature), noise))
        out.append(ids.astype(np.int64) if ids.dtype.kind in "iu" else ids)
    return {"indices": np.stack(out)}


PROBES = {
    "text_to_indices": _probe_text_to_indices,
    "indices_to_text": _probe_indices_to_text,
    "get_batch": _probe_get_batch,
    "MyRNNCell": _probe_rnn_cell,
    "build_model": _probe_build_model,
    "compute_loss": _probe_loss,
    "train_step": _probe_train_step,
    "sample_next": _probe_sample_next,
}
