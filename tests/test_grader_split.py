"""The grader's parts on their own: the report model, the protocol, the comparison, the
supervisor, and what enters the sandbox (fast: no TensorFlow, no grading)."""

from autograder.results import TIMING_FIELDS, ExerciseResult, GradeReport


def _report() -> GradeReport:
    results = [
        ExerciseResult("f", "Exercise 1.1: f", 2.0, 2.0, "passed", ""),
        ExerciseResult("g", "Exercise 1.2: g", 0.0, 3.0, "wrong", "the result has wrong values"),
    ]
    return GradeReport("lab1", "a/lab1.ipynb", "ab" * 32, 7, results, None, 1.25, ["n"], "ada")


def test_report_round_trips_through_its_dict():
    report = _report()
    data = report.as_dict()
    assert data["score"] == 2.0 and data["max_score"] == 5.0
    again = GradeReport.from_dict({**data, "a_future_key": 1})
    assert again == report
    assert again.as_dict() == data
    assert isinstance(again.results[0], ExerciseResult)


def test_report_of_an_ungraded_submission_round_trips():
    report = GradeReport("unknown", "x.ipynb", "", 1, error="not a notebook")
    assert GradeReport.from_dict(report.as_dict()) == report


def test_timing_fields_are_fields_of_the_report():
    assert TIMING_FIELDS == ("seconds",)
    assert set(TIMING_FIELDS) <= set(_report().as_dict())
