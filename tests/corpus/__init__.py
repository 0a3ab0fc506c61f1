"""Corpora of students' exercise code (correct alternatives and plausible wrong variants),
kept as test data, one module per lab: ``tests/corpus/labN.py``."""
