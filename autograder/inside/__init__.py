"""The trust boundary: this folder is copied whole into the sandbox, and nothing else of
the grader is.

What is here runs in the student's isolated process (and may also be imported by the
grader): the runner, the isolation it enters first, the notebook parser, the probes and
the protocol both sides speak. Nothing here may import from outside this folder (except
numpy, TensorFlow and ``mit6s191_utils``), and no answer, input generator, points or hint
may ever be put here: those stay in ``autograder/labs/`` and ``solutions/``, which never
enter the sandbox (tests/test_grader_split.py lists what is copied and checks it).
"""
