"""Grading spec for lab 1 (introduction to deep learning): inputs, points, tolerances.

Trusted (see autograder/labs/__init__.py); its probes: autograder/inside/probes/lab1.py, its
hidden inputs: autograder/labs/lab1_inputs.py, its explainers (feedback in the lab's terms):
autograder/labs/lab1_feedback.py.
"""

from __future__ import annotations

from autograder.inside.probes.lab1 import (
    PREAMBLE,
    _probe_bce,
    _probe_dense,
    _probe_dropout,
    _probe_early_stopping,
    _probe_elementwise,
    _probe_minibatches,
    _probe_mse,
    _probe_softmax_ce,
    _probe_train_step,
)
from autograder.labs.lab1_feedback import (
    explain_dropout,
    explain_early_stopping,
    explain_minibatches,
)
from autograder.labs.lab1_inputs import (
    _batch_inputs,
    _bce_inputs,
    _dense_inputs,
    _dropout_inputs,
    _early_inputs,
    _elementwise_inputs,
    _mse_inputs,
    _softmax_ce_inputs,
    _train_inputs,
)
from autograder.spec import Exercise, LabSpec


def _elementwise(name, title, hint):
    return Exercise(
        name,
        1,
        title,
        _probe_elementwise,
        _elementwise_inputs,
        time_limit=30,
        hint=hint,
    )


SPEC = LabSpec(
    lab_id="lab1",
    notebook="labs/lab1_intro_to_deep_learning.ipynb",
    solutions_module="lab1.py",
    preamble=PREAMBLE,
    exercises=(
        _elementwise(
            "sigmoid_derivative",
            "Derivative of the sigmoid",
            "g'(z) = g(z)(1 - g(z)) with g = tf.math.sigmoid",
        ),
        _elementwise("tanh_derivative", "Derivative of tanh", "g'(z) = 1 - tanh(z)^2"),
        _elementwise(
            "relu_derivative",
            "Derivative of ReLU",
            "1 where z > 0 and 0 elsewhere (also at z = 0), in z's dtype",
        ),
        Exercise(
            "MyDenseLayer",
            3,
            "A dense layer from scratch",
            _probe_dense,
            _dense_inputs,
            time_limit=60,
            hint="output = sigmoid(x @ W + b), W (in, out), b (1, out)",
        ),
        Exercise(
            "binary_cross_entropy",
            2,
            "Binary cross-entropy from logits",
            _probe_bce,
            _bce_inputs,
            rtol=1e-4,
            atol=1e-5,
            time_limit=30,
            hint="use the sigmoid form, e.g. tf.nn.sigmoid_cross_entropy_with_logits",
        ),
        Exercise(
            "mean_squared_error",
            1,
            "Mean squared error",
            _probe_mse,
            _mse_inputs,
            rtol=1e-5,
            atol=1e-4,
            time_limit=30,
        ),
        Exercise(
            "softmax_cross_entropy",
            2,
            "Softmax cross-entropy from logits",
            _probe_softmax_ce,
            _softmax_ce_inputs,
            rtol=1e-4,
            atol=1e-4,
            time_limit=30,
            hint="mean over examples of -sum_k labels_k * log_softmax(logits)_k, with the "
            "log-softmax computed as logits - logsumexp(logits) (tf.nn.log_softmax), never "
            "as log(softmax)",
        ),
        Exercise(
            "train_step",
            3,
            "A gradient-descent step with tf.GradientTape",
            _probe_train_step,
            _train_inputs,
            rtol=1e-4,
            atol=1e-5,
            time_limit=90,
            hint="run the forward pass inside the tape; return the loss before the update",
        ),
        Exercise(
            "minibatches",
            2,
            "Shuffled mini-batches",
            _probe_minibatches,
            _batch_inputs,
            time_limit=30,
            hint="order = np.random.default_rng(seed).permutation(len(x)); keep the "
            "last, smaller batch",
            explain=explain_minibatches,
        ),
        Exercise(
            "dropout",
            2,
            "Dropout",
            _probe_dropout,
            _dropout_inputs,
            time_limit=30,
            hint="drop where noise < rate, scale the kept values by 1 / (1 - rate); "
            "return x unchanged when not training",
            explain=explain_dropout,
        ),
        Exercise(
            "early_stopping",
            2,
            "Early stopping",
            _probe_early_stopping,
            _early_inputs,
            time_limit=30,
            hint="stop at the first epoch that is `patience` epochs after the best one",
            explain=explain_early_stopping,
        ),
    ),
)
