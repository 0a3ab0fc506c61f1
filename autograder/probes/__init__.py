"""Probes, one module per lab: the only lab code copied into the isolated runner.

Each ``labN.py`` defines ``PREAMBLE`` (the lab's setup imports, run before student code)
and ``PROBES`` (exercise name -> probe). No answers, no input generators.
"""
