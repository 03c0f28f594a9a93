"""Set-up mistakes HR can make on the command line: a clear message, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERFCOMM = Path(sys.executable).parent / "perfcomm"


def run(*args):
    return subprocess.run([str(PERFCOMM), *args], cwd=ROOT, capture_output=True, text=True)


def test_an_unreachable_gradebook_is_a_clear_error(tmp_path):
    result = run("grade", "init", "--workdir", str(tmp_path / "w"), "--db", "postgresql://nobody@127.0.0.1:1/x")
    assert result.returncode == 1
    assert "perfcomm: cannot use the gradebook — " in result.stderr and "Traceback" not in result.stderr


def test_a_bad_due_date_is_a_clear_error(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\nc1,张伟\n", encoding="utf-8")
    result = run("grade", "collect", "--workdir", str(tmp_path / "w"), "--assignment", "stage1-zh", "--roster",
                 str(roster), "--from", str(tmp_path), "--due", "next friday")
    assert result.returncode == 2
    assert "--due 'next friday' is not a date and time" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_assignment_suggests_the_right_one(tmp_path):
    result = run("grade", "rubric", "--assignment", "stage1-cn")
    assert result.returncode == 2
    assert "no assignment 'stage1-cn' — did you mean 'stage1-en'?" in result.stderr
