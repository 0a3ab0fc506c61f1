"""The report model: how one submission was graded, as data (no grading code here).

:class:`GradeReport` and :class:`ExerciseResult` are what every output format (terminal,
JSON, CSV, JUnit XML, the class report) and every merge of shards reads.
``GradeReport.from_dict(report.as_dict())`` gives back an equal report; the fields in
:data:`TIMING_FIELDS` are the only ones that may differ between two gradings of the same
submission with the same seed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from autograder.text import clean_text

# Fields of GradeReport that may differ between two gradings of one submission and seed.
TIMING_FIELDS = ("seconds",)


@dataclass
class ExerciseResult:
    """How one exercise went: points, a status and a sentence the student can act on."""

    name: str
    title: str
    points: float
    max_points: float
    status: str  # passed | wrong | error | timeout | not attempted | missing
    feedback: str

    @classmethod
    def from_dict(cls, data: dict) -> ExerciseResult:
        return cls(**{f.name: data[f.name] for f in fields(cls)})


@dataclass
class GradeReport:
    """The grade of one submission."""

    lab_id: str
    submission: str
    sha256: str
    seed: int
    results: list[ExerciseResult] = field(default_factory=list)
    error: str | None = None  # the whole submission could not be graded
    seconds: float = 0.0
    isolation: list[str] = field(default_factory=list)  # what the OS did not allow
    student: str = ""  # the student's id in a batch (file or folder name)

    @property
    def score(self) -> float:
        return float(sum(r.points for r in self.results))

    @property
    def max_score(self) -> float:
        if not self.results and self.lab_id != "unknown":
            from autograder.labs import get_spec

            try:
                return get_spec(self.lab_id).total_points
            except ValueError:
                return 0.0
        return float(sum(r.max_points for r in self.results))

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(score=self.score, max_score=self.max_score)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> GradeReport:
        """The report that :meth:`as_dict` wrote (score, max_score and unknown keys are
        ignored: both are computed from the results)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["results"] = [ExerciseResult.from_dict(r) for r in data.get("results", [])]
        values["isolation"] = list(data.get("isolation", []))
        return cls(**values)

    def summary(self) -> str:
        width = max((len(r.name) for r in self.results), default=10)
        name = clean_text(self.student or Path(self.submission).name, 120)
        lines = [f"{self.lab_id}: {name}"]
        if self.error:
            lines.append(f"  could not grade: {self.error}")
        for r in self.results:
            mark = "✔" if r.status == "passed" else "✘"
            lines.append(
                f"  {mark} {r.name:<{width}}  {r.points:g}/{r.max_points:g}  {r.status}"
                + (f" — {r.feedback}" if r.feedback else "")
            )
        lines.append(f"  score: {self.score:g}/{self.max_score:g}")
        return "\n".join(lines)
