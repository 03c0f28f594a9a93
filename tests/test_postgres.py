"""The gradebook on a real PostgreSQL server that the tests start (Debian's postgresql; the
`postgres_url` fixture is in conftest.py)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PERFCOMM = Path(sys.executable).parent / "perfcomm"


def test_demo_cohort_graded_into_postgresql(postgres_url, tmp_path):
    import psycopg

    workdir = tmp_path / "work"
    env = {**os.environ, "PERFCOMM_COURSE": str(ROOT)}
    result = subprocess.run([str(PERFCOMM), "grade", "demo", "--learners", "4", "--workdir", str(workdir),
                             "--db", postgres_url], capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "sqlite" not in (workdir / "nbgrader_config.py").read_text(encoding="utf-8")
    with psycopg.connect(postgres_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT a.student_id, SUM(COALESCE(g.manual_score, g.auto_score, 0))"
                       " FROM grade g JOIN submitted_notebook n ON g.notebook_id = n.id"
                       " JOIN submitted_assignment a ON n.assignment_id = a.id GROUP BY a.student_id")
        in_database = {student: round(float(total), 2) for student, total in cursor.fetchall()}
    assert len(in_database) == 4
    with (workdir / "grades.csv").open(encoding="utf-8") as handle:
        exported = {row["student_id"]: round(float(row["score"]), 2) for row in csv.DictReader(handle)}
    assert exported == in_database
    assert not (workdir / "gradebook.db").exists()
