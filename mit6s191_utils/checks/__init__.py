"""Public checks for each lab (``from mit6s191_utils.checks import lab1``)."""
