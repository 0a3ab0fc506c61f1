"""Small helpers shared by the MIT 6.S191 course book and labs.

Modules: :mod:`~mit6s191_utils.datasets` (offline data), :mod:`~mit6s191_utils.plotting`
(live loss plots, image grids, decision boundaries), :mod:`~mit6s191_utils.gpu` (what
TensorFlow sees), :mod:`~mit6s191_utils.repro` (one call to seed everything, CPU threads) and
:mod:`~mit6s191_utils.checks` (the labs' public checks, one module per lab).
"""

from mit6s191_utils.repro import limit_cpu_threads, quiet_stderr, seed_everything

__all__ = ["limit_cpu_threads", "quiet_stderr", "seed_everything"]
__version__ = "0.1.0"
