"""The many-machine plan in deploy/: the image is built from a lock the course has, the grading Job's command is
one the instructor's tool accepts, and its shards split a class between the pods, each student exactly once."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from tools.classroom import build_parser, in_shard

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def test_the_image_installs_a_lock_of_its_own_python() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    version = re.search(r"^FROM python:(3\.\d+)-", text, re.M)
    assert version, "the image starts from an official Python image"
    assert (ROOT / f"requirements-py{version[1]}.lock").is_file(), f"no lock for Python {version[1]}"
    assert f"PYTHON=python{version[1]}" in text and "tools/setup_env.sh" in text, (
        "the image's venv is made by the course's own set-up script, for the image's Python"
    )
    assert "bubblewrap" in text, "grading jobs need the sandbox"


def job_commands() -> tuple[int, list[list[str]]]:
    """The grading Job's shard count and the tool's arguments in each of its pods."""
    job = yaml.safe_load((DEPLOY / "grading-job.yaml").read_text())
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    count = spec["completions"]
    assert spec["parallelism"] == count, "every shard runs at once"
    script = spec["template"]["spec"]["containers"][0]["command"][-1]
    commands = []
    for index in range(count):
        line = script.replace("$((JOB_COMPLETION_INDEX + 1))", str(index + 1))
        words = shlex.split(line)
        assert words[:4] == ["exec", "python", "-m", "tools.classroom"], words
        commands.append(words[4:])
    return count, commands


def test_the_grading_job_runs_the_tool_with_one_shard_per_pod() -> None:
    count, commands = job_commands()
    shards = set()
    for words in commands:
        args = build_parser().parse_args(words)
        assert args.step == "autograde" and args.workers >= 1
        assert args.shard[1] == count, f"--shard {args.shard} does not split in {count}"
        shards.add(args.shard)
    assert shards == {(i, count) for i in range(1, count + 1)}


def test_shards_split_a_class_with_each_student_once() -> None:
    students = [f"student{i:03d}" for i in range(300)] + ["élodie-ü", "zoé", "o'brien"]
    for count in (1, 2, 4, 7):
        owners = {s: [i for i in range(1, count + 1) if in_shard(s, (i, count))] for s in students}
        assert all(len(o) == 1 for o in owners.values()), "each student in exactly one shard"
        sizes = [sum(o == [i] for o in owners.values()) for i in range(1, count + 1)]
        assert min(sizes) > 0.6 * len(students) / count, f"unbalanced shards {sizes}"
