"""Probes, one module per lab: the only lab code copied into the isolated runner.

Each ``labN.py`` defines ``PROBES`` (exercise name -> probe) and re-exports ``PREAMBLE``
(the labs' setup imports, run before student code). No answers, no input generators.
"""

PREAMBLE = "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n"


def tf_module():
    """TensorFlow, imported when a probe first needs it (the runner imports it at start)."""
    import tensorflow as tf

    return tf
