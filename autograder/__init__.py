"""The course autograder.

Design (the trusted way): the student's exercise code is cut out of the notebook, run in a
separate Python process on inputs drawn fresh for every grading run, and only plain data
(numeric arrays, written as ``.npz`` without pickles) comes back. The comparison with the
hidden reference solution happens here, in the grading process: student objects never
decide whether they are equal to the answer.
"""

from autograder.grade import grade_notebook
from autograder.results import ExerciseResult, GradeReport

__all__ = ["ExerciseResult", "GradeReport", "grade_notebook"]
