"""Rules an exercise states, enforced while a student's function runs.

Shared by the public checks (``mit6s191_utils.checks``) and the grader's probes, which run
in the sandbox with this package on their path: one implementation, one wording.
"""

from __future__ import annotations

import contextlib

# What tf.nn.conv2d, tf.nn.convolution, keras.ops.conv and Keras' Conv2D layers run.
CONVOLUTION_OPS = ("Conv2D", "Conv", "DepthwiseConv2dNative")


class TensorFlowConvolutionUsed(RuntimeError):
    """conv2d called TensorFlow's own convolution, which the exercise rules out."""


@contextlib.contextmanager
def no_tf_convolution():
    """While it is open, TensorFlow's convolution ops raise TensorFlowConvolutionUsed,
    however they are reached: eagerly or traced in a tf.function, through tf.nn or a Keras
    layer imported under any name."""
    from tensorflow.python import pywrap_tfe
    from tensorflow.python.framework import op_def_library

    def refuse(op_name):
        if op_name in CONVOLUTION_OPS:
            raise TensorFlowConvolutionUsed(
                "conv2d calls TensorFlow's convolution (tf.nn.conv2d or a Keras layer); "
                "the exercise asks you to compute it yourself: sum window * kernel "
                "at each output position"
            )

    fast, graph = pywrap_tfe.TFE_Py_FastPathExecute, op_def_library._apply_op_helper

    def fast_guarded(*args):  # eager ops
        refuse(args[1] if len(args) > 1 else None)
        return fast(*args)

    def graph_guarded(op_type_name, *args, **kwargs):  # ops traced in a tf.function
        refuse(op_type_name)
        return graph(op_type_name, *args, **kwargs)

    pywrap_tfe.TFE_Py_FastPathExecute = fast_guarded
    op_def_library._apply_op_helper = graph_guarded
    try:
        yield
    finally:
        pywrap_tfe.TFE_Py_FastPathExecute = fast
        op_def_library._apply_op_helper = graph
