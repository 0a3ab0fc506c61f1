"""Reproducibility: one call seeds every random generator (book chapter 1, "Setup")."""

from __future__ import annotations

import contextlib
import os
import random
import sys

import numpy as np

DEFAULT_SEED = 6191


def seed_everything(seed: int = DEFAULT_SEED, deterministic_ops: bool = True) -> int:
    """Seed Python, NumPy and TensorFlow/Keras, and make TensorFlow's ops deterministic.

    Call it once at the top of a chapter or lab, and again before any experiment whose
    numbers you want to be able to reproduce on their own. Returns the seed used.
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    os.environ["PYTHONHASHSEED"] = str(seed)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    random.seed(seed)
    np.random.seed(seed)
    import tensorflow as tf

    tf.keras.utils.set_random_seed(seed)
    if deterministic_ops:
        try:
            tf.config.experimental.enable_op_determinism()
        except AttributeError:  # very old TensorFlow: best effort
            os.environ["TF_DETERMINISTIC_OPS"] = "1"
    return seed


@contextlib.contextmanager
def quiet_stderr():
    """Silence the process's stderr (file descriptor 2) inside the block.

    TensorFlow 2.21 writes start-up lines (absl, oneDNN, "Could not find cuda drivers") to
    stderr at import even with TF_CPP_MIN_LOG_LEVEL=3; in a notebook they would show up as
    output. Use it as ``with quiet_stderr(): import tensorflow as tf``.
    """
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(devnull)
        os.close(saved)
