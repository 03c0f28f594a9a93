"""`perfcomm trace --json`: every checkpoint, where it is taught in each language."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

PERFCOMM = Path(sys.executable).parent / "perfcomm"


def trace(root):
    result = subprocess.run([str(PERFCOMM), "trace", "--json"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_trace_lists_every_checkpoint_of_the_catalogue_in_order(root):
    data = trace(root)
    catalogue = yaml.safe_load((root / "lessons/checkpoints.yaml").read_text(encoding="utf-8"))
    assert [cp["id"] for cp in data["checkpoints"]] == [cp["id"] for cp in catalogue["checkpoints"]]
    for cp in data["checkpoints"]:
        assert set(cp) == {"id", "stage", "taught", "scenarios", "items"}
        assert isinstance(cp["scenarios"], list) and isinstance(cp["items"], list)


def test_every_checkpoint_is_taught_in_both_languages(root):
    for cp in trace(root)["checkpoints"]:
        assert cp["taught"]["zh"], cp["id"]
        assert cp["taught"]["en"], cp["id"]
        assert all(not link.startswith("en/") for link in cp["taught"]["zh"])
        assert all(link.startswith("en/") for link in cp["taught"]["en"])
        assert all("#" in link for link in cp["taught"]["zh"] + cp["taught"]["en"])


def test_every_checkpoint_of_stages_1_to_4_is_tested_by_an_exercise_question(root):
    for cp in trace(root)["checkpoints"]:
        if cp["stage"] in (1, 2, 3, 4):
            assert any(item["in"] == "exercise" and item["file"] == f"exercises/stage{cp['stage']}.yaml"
                       for item in cp["items"]), cp["id"]
        for item in cp["items"]:
            assert set(item) == {"in", "file", "id"} and item["in"] in ("exercise", "exam")


def test_every_checkpoint_of_stages_1_to_4_is_tested_by_an_exam_item(root):
    for cp in trace(root)["checkpoints"]:
        if cp["stage"] in (1, 2, 3, 4):
            assert any(item["in"] == "exam" and item["file"].startswith("exercises/bank/") for item in cp["items"]), \
                cp["id"]
