"""``mit6s191-merge``: join the shards of ``mit6s191-grade --shard K/N`` into one class's files.

Example::

    mit6s191-merge shard1/ shard2/ shard3/ --out reports/

Reads each shard's ``shard.json`` and its students' JSON reports, checks that the shards
belong together (same lab, grading fingerprint, seed, shard count and class list), that no
shard is given twice, and that every student of the class has a valid report (the
submission's sha256, lab, fingerprint and seed as the shard recorded). Then writes
``gradebook.csv``, ``junit.xml``, ``classroom.json`` and ``students/`` exactly as grading
the whole class in one run would (only timing fields differ). A student with no valid
report is listed, and nothing is written (exit 1) unless ``--allow-missing``: then the
class files mark each such student "not graded" with the reason. Shards that do not belong
together: exit 2, nothing written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from autograder.reports import STUDENTS_DIR
from autograder.results import TIMING_FIELDS, GradeReport
from autograder.resume import FINGERPRINT_KEY, read_report
from autograder.shards import SHARD_FILE, ShardError


class MissingReports(ShardError):
    """Students of the class have no valid report in the shards (exit code 1)."""


AGREED = ("lab", "grading_fingerprint", "seed", "count", "roster_sha256")


def load_shard(folder: Path) -> dict:
    """A shard's ``shard.json``; ShardError saying what is wrong otherwise."""
    path = Path(folder) / SHARD_FILE
    if not path.is_file():
        raise ShardError(
            f"{folder} is not a shard's output: no {SHARD_FILE} in it (write one with "
            "mit6s191-grade ... --out DIR --shard K/N)"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        missing = [k for k in (*AGREED, "index", "roster", "complete") if k not in data]
    except (OSError, ValueError) as exc:
        raise ShardError(f"{path} cannot be read ({type(exc).__name__}: {exc})") from None
    if data.get("format") != 1 or missing:
        raise ShardError(f"{path} is not a shard file this grader knows (missing {missing})")
    return data


def _check(folder: Path, entry: dict, meta: dict) -> tuple[GradeReport | None, str]:
    report, data, why = read_report(folder / entry["file"])
    if report is None:
        return None, f"{why} ({entry['file']})"
    if report.student != entry["student"]:
        return None, f"{entry['file']} is the report of {report.student!r}"
    if report.sha256 != entry["sha256"]:
        return None, f"{entry['file']} graded other content than the shard's submission"
    if report.lab_id != meta["lab"]:
        return None, f"{entry['file']} is a report of {report.lab_id}, not {meta['lab']}"
    if data.get(FINGERPRINT_KEY) != meta["grading_fingerprint"]:
        return None, f"{entry['file']} was graded under another grading fingerprint"
    if report.seed != meta["seed"]:
        return None, f"{entry['file']} was graded with seed {report.seed}, not {meta['seed']}"
    return report, ""


def merge(
    folders: list[Path], out: Path, allow_missing: bool = False, stream=None
) -> tuple[list[GradeReport], list[str]]:
    """Check and join shard folders; write the class files to ``out``.

    Returns (the class's reports, the students without a report and why). Raises
    ShardError (nothing written) when the shards do not belong together, one is given
    twice, ``out`` is one of them, or students lack a report without ``allow_missing``."""
    from autograder.reports import write_reports

    if not folders:
        raise ShardError("give the folders of the shards to merge")
    folders = [Path(f) for f in folders]
    seen: dict[Path, Path] = {}
    for folder in folders:
        key = folder.resolve()
        if key in seen:
            raise ShardError(f"{folder} is given twice: its students would be counted twice")
        seen[key] = folder
    if Path(out).resolve() in seen:
        raise ShardError(f"--out {out} is one of the shards: write the merge to a new folder")
    shards = [(folder, load_shard(folder)) for folder in folders]
    for key in AGREED:
        values = {json.dumps(meta[key]) for _, meta in shards}
        if len(values) > 1:
            said = "; ".join(f"{folder}: {meta[key]}" for folder, meta in shards)
            what = {"roster_sha256": "class list (the submissions folder changed?)"}.get(key, key)
            raise ShardError(f"the shards do not belong together: their {what} differ ({said})")
    by_index: dict[int, tuple[Path, dict]] = {}
    for folder, meta in shards:
        if meta["index"] in by_index:
            first = by_index[meta["index"]][0]
            raise ShardError(
                f"shard {meta['shard']} is given twice ({first} and {folder}): its students "
                "would be counted twice; keep one of them"
            )
        by_index[meta["index"]] = (folder, meta)
    first = shards[0][1]
    lab, count, seed = first["lab"], first["count"], first["seed"]
    reports: list[GradeReport] = []
    missing: list[str] = []
    for entry in first["roster"]:
        k = entry["shard"]
        if k not in by_index:
            why = f"shard {k}/{count} was not given"
        else:
            folder, meta = by_index[k]
            report, why = _check(folder, entry, meta)
            if report is not None:
                reports.append(report)
                continue
            if not meta["complete"]:
                why += f"; shard {k}/{count} ({folder}) did not finish: run it again (it resumes)"
        missing.append(f"{entry['student']}: {why}")
        reports.append(
            GradeReport(
                lab,
                entry["submission"],
                entry["sha256"],
                seed,
                error=f"not graded: {why}",
                student=entry["student"],
            )
        )
    if missing:
        for line in missing:
            print(f"missing: {line}", file=stream or sys.stderr)
        if not allow_missing:
            raise MissingReports(
                f"{len(missing)} of {len(reports)} students have no valid report; nothing "
                "written. Run their shards again and merge again, or pass --allow-missing "
                "to write the class files with them marked 'not graded'"
            )
    problems: list[str] = []
    write_reports(
        reports,
        Path(out),
        problems,
        file_names=[Path(e["file"]).name for e in first["roster"]],
        fingerprints={lab: first["grading_fingerprint"]},
    )
    if problems:
        raise OSError("; ".join(problems))
    return reports, missing


def comparable_outputs(out: str | Path) -> dict:
    """Every file of a grading --out folder with what may differ between two gradings of
    the same class removed: TIMING_FIELDS of each student's JSON and the execution times of
    classroom.json; shard.json is left out and the HTML class report (which says when and
    how long grading took) only counted as present. A merge of shards equals one run of
    the whole class in exactly this sense (the tests and benchmarks/sharding.py compare it).
    """
    out = Path(out)
    files = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        if rel == SHARD_FILE:
            continue
        if rel.startswith(f"{STUDENTS_DIR}/"):
            data = json.loads(path.read_text())
            for name in TIMING_FIELDS:
                data.pop(name)
        elif rel == "classroom.json":
            data = json.loads(path.read_text())
            for test in data["tests"]:
                test.pop("execution_time")
        elif rel in ("gradebook.csv", "junit.xml"):
            data = path.read_text()
        else:
            data = "present"
        files[rel] = data
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mit6s191-merge", description=__doc__.split("\n")[0])
    parser.add_argument("shards", nargs="+", type=Path, help="the --out folders of the shards")
    parser.add_argument("--out", type=Path, required=True, help="folder for the class files")
    parser.add_argument(
        "--allow-missing",
        action="store_true",
        help="write the class files even when students have no report (marked 'not graded')",
    )
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        reports, missing = merge(args.shards, args.out, args.allow_missing)
    except ShardError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1 if isinstance(exc, MissingReports) else 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    graded = len(reports) - len(missing)
    print(
        f"merged {len(args.shards)} shards: {graded} of {len(reports)} students graded"
        + (f", {len(missing)} marked not graded" if missing else "")
        + f"; class files written to {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
