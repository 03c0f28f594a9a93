"""Output piped into a reader that has gone away (`perfcomm … | head -1`) ends quietly: no
traceback, no "Exception ignored" noise, the conventional exit code 1, for every kind of command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PERFCOMM = Path(sys.executable).parent / "perfcomm"
SCENARIO = "s2-shortcut-target"

COMMANDS = [
    pytest.param(["trace", "--json"], id="trace-json"),
    pytest.param(["trace"], id="trace"),
    pytest.param(["scenarios"], id="scenarios"),
    pytest.param(["scenarios", "--json"], id="scenarios-json"),
    pytest.param(["play", SCENARIO, "--choices", "1,1,1"], id="play-choices"),
    pytest.param(["play", SCENARIO, "--policy", "longest", "--json"], id="play-policy-json"),
    pytest.param(["graph", SCENARIO], id="graph"),
    pytest.param(["check", "tests/fixtures/cues/cued.yaml"], id="check-file"),
    pytest.param(["bank", "export", "--format", "gift"], id="bank-export"),
    pytest.param(["grade", "rubric", "--assignment", "stage1-zh"], id="grade-rubric"),
    pytest.param(["cert", "keygen", "--keys", "{tmp}/keys", "--name", "HR"], id="cert-keygen"),
]


@pytest.mark.parametrize("args", COMMANDS)
def test_a_closed_pipe_ends_the_command_quietly(args, tmp_path):
    reader, writer = os.pipe()
    os.close(reader)                    # the reader is gone before the first line is written
    try:
        result = subprocess.run([str(PERFCOMM), *(a.replace("{tmp}", str(tmp_path)) for a in args)], cwd=ROOT,
                                stdout=writer, stderr=subprocess.PIPE, text=True, timeout=300)
    finally:
        os.close(writer)
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    assert "BrokenPipeError" not in result.stderr
    assert result.returncode == 1, result.stderr
