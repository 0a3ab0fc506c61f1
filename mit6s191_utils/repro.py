"""Reproducibility: one call seeds every random generator (book chapter 1, "Setup")."""

from __future__ import annotations

import contextlib
import os
import random
import sys
import warnings

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


def limit_cpu_threads(n: int = 1) -> bool:
    """Let each TensorFlow operation use at most ``n`` CPU threads; True if that holds now.

    A recurrent layer runs hundreds of small matrix products one after another; on a
    laptop CPU they can run faster on one thread than split over several (lab 2's LSTM(256):
    0.18 s against 0.32 s per training step on two cores, ``benchmarks/lab2.md``). The
    setting must be made before TensorFlow runs its first operation. Called again later (a
    notebook cell run twice) it changes nothing and returns whether the setting in force is
    ``n``, instead of raising TensorFlow's RuntimeError. Operations on a GPU are not affected.
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    import tensorflow as tf

    if tf.config.threading.get_intra_op_parallelism_threads() == n:
        return True
    try:
        tf.config.threading.set_intra_op_parallelism_threads(n)
    except RuntimeError:  # TensorFlow is already running: the setting can no longer change
        return False
    return True


@contextlib.contextmanager
def quiet_stderr():
    """Keep what the C++ runtime prints to stderr (file descriptor 2) out of the output.

    TensorFlow 2.21 writes start-up lines to stderr at import (absl's "All log messages
    before absl::InitializeLog()", the oneDNN notice, "Could not find cuda drivers"), even
    with TF_CPP_MIN_LOG_LEVEL=3; in a notebook they show up as a pink block that looks like
    an error but is not one (no CUDA drivers just means TensorFlow uses the CPU). Use it as::

        with quiet_stderr():
            import tensorflow as tf

    Only the file descriptor is silenced: a Python warning raised inside the block is shown
    after it, and an exception propagates with its traceback as usual.
    """
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    # Python warnings are for the student: held back and shown once fd 2 is back. Only the
    # display function is swapped (not warnings.catch_warnings, which would also undo any
    # filters the imported library sets up).
    show, held = warnings.showwarning, []

    def hold(*args, **kwargs):
        held.append((args, kwargs))

    warnings.showwarning = hold
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(devnull)
        os.close(saved)
        if warnings.showwarning is hold:
            warnings.showwarning = show
        for args, kwargs in held:
            show(*args, **kwargs)
