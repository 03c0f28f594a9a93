"""Certification with hostile roster names and a forged answers file: ids that are not plain are
refused, names reach the gradebook escaped, the exam is graded and its statistics page written, and
the statistics page and a printable certificate open in Chromium with nothing run and the name
readable."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from conftest import serve
from hostile import JS, NAMES, open_inert
from perfcomm.course import Course
from perfcomm.exam import certificate_page
from perfcomm.exam.commands import forms, grade, stats
from perfcomm.grading.collect import collect
from perfcomm.grading.roster import read_roster
from perfcomm.grading.workdir import Workdir
from perfcomm.problems import ContentError

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = {f"c{n}": name for n, (_, name) in enumerate(NAMES, 1)} | {"c4": "李娜", "c5": "赵磊"}
FORGED = {"slot-1": f"<img src=x onerror={JS}>", "slot-2": ["Z", {"x": 1}, f"<script>{JS}</script>"],
          "slot-3": {"A": "<svg onload=alert(1)>"}, "slot-4": None}
DEEP = '{"slot-1": ' + "[" * 100_000 + "]" * 100_000 + "}"   # deeper than Python's JSON parser goes


@pytest.mark.parametrize("learner_id", ["<script>alert(1)</script>", f"<img src=x onerror={JS}>", "a/../../etc",
                                        "&#x3C;b&#x3E;"], ids=["script", "img", "path", "entity"])
def test_a_hostile_id_is_refused_with_its_row(tmp_path, learner_id):
    roster = tmp_path / "roster.csv"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["id", "name"], ["c1", "张伟"], [learner_id, "王"]])
    with pytest.raises(ContentError) as err:
        read_roster(roster, "roster.csv")
    assert str(err.value.problems[0]).startswith("roster.csv:3: learner id ")


@pytest.fixture(scope="module")
def exam(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("exam-learner-text")
    course, workdir = Course(ROOT), Workdir(tmp / "work")
    workdir.write_config(course, None)
    roster_file = tmp / "roster.csv"
    with roster_file.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["id", "name"], *CANDIDATES.items()])
    roster, blueprint, _, _ = forms(workdir, course, roster_file, "7")
    for number, candidate in enumerate(roster):
        folder = tmp / "inbox" / candidate.id
        shutil.copytree(workdir.root / "exam" / "deliver" / candidate.id / blueprint.name, folder)
        answers = FORGED if candidate.id == "c1" else {f"slot-{n}": "ABCD"[(n + number) % 4]
                                                       for n in range(1, blueprint.length + 1)}
        text = DEEP if candidate.id == "c5" else json.dumps(answers)
        (folder / "answers.json").write_text(text, encoding="utf-8")
    collected = collect(workdir, blueprint.name, roster, tmp / "inbox", [blueprint.name])
    report, results, *_ = grade(workdir, course, jobs=2)
    _, _, page = stats(workdir, course, "zh")
    return {"workdir": workdir, "collected": collected, "report": report, "results": results, "page": page}


def test_the_forged_answers_score_nothing_and_stop_nothing(exam):
    assert exam["report"].failed == []
    by_candidate = {r.candidate: r for r in exam["results"]}
    assert set(by_candidate) == set(CANDIDATES)
    assert by_candidate["c1"].slots[0][1] == 0 and by_candidate["c1"].slots[2][1] == 0
    assert by_candidate["c5"].score == 0
    assert exam["page"].is_file()


def test_names_with_markup_are_escaped_in_the_gradebook(exam):
    lines = exam["collected"].lines("certification")
    for candidate in ("c1", "c2", "c3"):
        assert any(line.startswith(f"  {candidate}: the roster name holds") for line in lines), lines
    with exam["workdir"].gradebook() as gradebook:
        assert "<" not in gradebook.find_student("c1").last_name
        assert gradebook.find_student("c4").last_name == "李娜"


@pytest.mark.browser
def test_statistics_page_runs_nothing(browser, exam):
    url, httpd = serve(exam["page"].parent)
    try:
        tab = open_inert(browser, f"{url}/{exam['page'].name}", "试题质量分析")
        assert tab.locator("table tr").count() > 1
        tab.context.close()
    finally:
        httpd.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("name", [name for _, name in NAMES], ids=[case for case, _ in NAMES])
def test_certificate_shows_a_hostile_name_as_text(browser, tmp_path, name):
    credential = {"id": "urn:uuid:0f5c", "name": "绩效沟通主管认证证书", "validFrom": "2026-12-01T00:00:00Z",
                  "issuer": {"name": "人力资源部"},
                  "credentialSubject": {"id": "urn:perfcomm:candidate:c1", "name": name,
                                        "achievement": {"name": "通过认证考试"}, "result": [{"value": "81%"}]}}
    (tmp_path / "c1.html").write_text(certificate_page.page(credential), encoding="utf-8")
    url, httpd = serve(tmp_path)
    try:
        tab = open_inert(browser, f"{url}/c1.html", "绩效沟通主管认证证书")
        assert tab.locator(".name").inner_text() == name
        tab.context.close()
    finally:
        httpd.shutdown()
