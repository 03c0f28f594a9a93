"""Certification end to end: a roster of 50 → forms → synthetic answers → autograde → pass/fail →
certificates → verify; tampering and revocation fail; no key reaches a candidate; bad rosters
stop before anything is built."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from verifier.independent import verify_independently

from perfcomm.catalogue import load_catalogue
from perfcomm.course import Course
from perfcomm.exam.bank import load_bank

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PERFCOMM = Path(sys.executable).parent / "perfcomm"
ENV = {**os.environ, "PERFCOMM_COURSE": str(ROOT)}


def run(*args, check=True):
    result = subprocess.run([str(PERFCOMM), *args], cwd=ROOT, capture_output=True, text=True, env=ENV)
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def exam(tmp_path_factory):
    base = tmp_path_factory.mktemp("exam")
    workdir, keys = base / "work", base / "issuer-keys"
    run("exam", "demo", "--candidates", "50", "--workdir", str(workdir), "--keys", str(keys), "--seed", "2026")
    return workdir, keys


def results(workdir):
    with (workdir / "exam" / "results.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_candidate_is_graded_with_pass_fail_and_stage_sub_scores(exam):
    workdir, _ = exam
    rows = results(workdir)
    assert len(rows) == 50
    for row in rows:
        stages = [row[k] for k in row if k.startswith("stage")]
        earned = sum(float(s.split("/")[0]) for s in stages)
        assert earned == pytest.approx(float(row["score"]))
        assert (row["passed"] == "yes") == (float(row["score"]) / float(row["max_score"]) >= 0.7 - 1e-9)
    assert 0 < sum(r["passed"] == "yes" for r in rows) < 50


def test_certificates_for_exactly_those_who_passed_and_they_verify(exam, tmp_path):
    workdir, keys = exam
    passed = {r["candidate"] for r in results(workdir) if r["passed"] == "yes"}
    issued = {p.stem for p in (workdir / "certificates").glob("cand*.json")}
    assert issued == passed
    some = sorted(issued)[0]
    assert run("cert", "verify", str(workdir / "certificates" / f"{some}.json")).returncode == 0
    assert run("cert", "verify", str(workdir / "certificates" / f"{some}.svg")).returncode == 0
    assert (workdir / "certificates" / f"{some}.html").is_file()
    pdf = workdir / "certificates" / f"{some}.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    published = tmp_path / "published"
    run("cert", "publish", "--keys", str(keys), "--to", str(published))
    files = sorted((workdir / "certificates").glob("cand*.json")) + sorted((workdir / "certificates").glob("*.svg"))
    checked = verify_independently(published, "https://credentials.example.com/rehearsal/", *files)
    assert len(checked) == 2 * len(passed)
    assert all(r["verified"] and r["revoked"] is False for r in checked), [r for r in checked if not r["verified"]]


def test_altered_and_revoked_certificates_fail_verification(exam, tmp_path):
    workdir, keys = exam
    certs = sorted((workdir / "certificates").glob("cand*.json"))
    one_byte = tmp_path / "one-byte" / certs[0].name
    one_byte.parent.mkdir()
    for name in ("issuer.json", "status-list.json"):
        (one_byte.parent / name).write_bytes((workdir / "certificates" / name).read_bytes())
    data = bytearray(certs[0].read_bytes())
    spot = data.index(b'"validFrom": "') + 16
    data[spot] = ord("9") if data[spot] != ord("9") else ord("8")
    one_byte.write_bytes(bytes(data))
    failed = run("cert", "verify", str(one_byte), check=False)
    assert failed.returncode != 0 and "NOT VALID" in failed.stderr
    field = one_byte.with_name("field.json")
    doc = json.loads(certs[1].read_text(encoding="utf-8"))
    doc["credentialSubject"]["result"][0]["value"] = "100%"
    field.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert run("cert", "verify", str(field), check=False).returncode != 0
    candidate = certs[2].stem
    assert run("cert", "verify", str(certs[2])).returncode == 0
    run("cert", "revoke", candidate, "--workdir", str(workdir), "--keys", str(keys))
    revoked = run("cert", "verify", str(certs[2]), check=False)
    assert revoked.returncode != 0 and "revoked" in revoked.stderr
    assert run("cert", "verify", str(certs[3])).returncode == 0


def test_no_released_file_holds_a_key_of_the_candidates_form(exam):
    workdir, _ = exam
    course = Course(ROOT)
    items = {i.id: i for i in load_bank(course, load_catalogue(course.catalogue_file, "x"))[0]}
    secrets = {"scoring.slot", "BEGIN HIDDEN TESTS", '"key"', '"item"'}
    delivered = list((workdir / "exam" / "deliver").rglob("*")) + list((workdir / "release").rglob("*"))
    files = [p for p in delivered if p.is_file()]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for secret in secrets:
            assert secret not in text, f"{path}: {secret}"
    for candidate_dir in (workdir / "exam" / "deliver").iterdir():
        form = json.loads((workdir / "exam" / "forms" / f"{candidate_dir.name}.json").read_text(encoding="utf-8"))
        shown = (candidate_dir / "certification" / "questions.json").read_text(encoding="utf-8")
        for slot in form["slots"]:
            item = items[slot["item"]]
            assert item.id not in shown
            for option in item.options:   # per-option feedback says which option is right
                for lang in ("zh", "en"):
                    assert option.feedback[lang] not in shown
    assert not any((workdir / "exam" / "deliver").rglob("forms"))


def test_item_statistics_report_is_written(exam):
    workdir, _ = exam
    page = (workdir / "exam" / "statistics.html").read_text(encoding="utf-8")
    assert "<svg" in page and "Cronbach" in page
    assert not re.search(r"(src|href)=\"https?://", page)


@pytest.mark.parametrize("content, message", [
    ("id,name\nc1,甲\nc1,乙\n", "roster.csv:3: learner id 'c1' appears twice"),
    ("", "roster.csv:1: the roster is empty"),
    ("candidate,fullname\nc1,甲\n", "roster.csv:1: the header must have the columns id,name"),
    (None, "roster.csv: the roster is not UTF-8"),
], ids=["duplicate-ids", "empty", "wrong-columns", "not-utf8"])
def test_a_bad_roster_is_reported_and_nothing_is_built(tmp_path, content, message):
    workdir = tmp_path / "work"
    run("grade", "init", "--workdir", str(workdir))
    roster = tmp_path / "roster.csv"
    roster.write_bytes("id,name\nc1,张伟\n".encode("gbk") if content is None else content.encode("utf-8"))
    result = run("exam", "forms", "--workdir", str(workdir), "--roster", str(roster), check=False)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert any(line.endswith(message.split(": ", 1)[1]) or message.split(": ", 1)[1] in line
               for line in result.stderr.splitlines()), result.stderr
    assert not (workdir / "exam").exists()
    assert not any((workdir / "release").iterdir())
