"""The gradebook on a real PostgreSQL server that this test starts (Debian's postgresql)."""

from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PERFCOMM = Path(sys.executable).parent / "perfcomm"


def _pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not versions:
        pytest.fail("PostgreSQL server binaries not found — `make test` installs Debian's postgresql")
    return versions[-1].parent


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url():
    bin_dir = _pg_bin()
    base = Path(tempfile.mkdtemp(prefix="perfcomm-pg-"))  # outside pytest's root-only tmp tree
    data = base / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(data, "postgres")
    subprocess.run(_as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "perfcomm", "--auth=trust",
                                 "-E", "UTF8"]), check=True, capture_output=True)
    port = _free_port()
    subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(data / "log"), "-o",
                                 f"-p {port} -k {data} -h 127.0.0.1", "start"]), check=True, capture_output=True)
    subprocess.run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "perfcomm", "gradebook"],
                   check=True, capture_output=True)
    yield f"postgresql://perfcomm@127.0.0.1:{port}/gradebook"
    subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                   capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


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
