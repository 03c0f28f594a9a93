"""The item bank: size and coverage, GIFT export parsed back, and its checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from perfcomm.catalogue import load_catalogue
from perfcomm.course import Course
from perfcomm.exam import gift
from perfcomm.exam.bank import load_bank, load_bank_file
from perfcomm.exam.blueprint import draw_form, load_blueprint

ROOT = Path(__file__).resolve().parent.parent
PERFCOMM = Path(sys.executable).parent / "perfcomm"


@pytest.fixture(scope="module")
def bank():
    course = Course(ROOT)
    catalogue = load_catalogue(course.catalogue_file, "lessons/checkpoints.yaml")
    items, problems = load_bank(course, catalogue)
    assert problems == []
    return items, catalogue


def test_at_least_60_items_and_every_checkpoint_of_stages_1_to_4_tested(bank):
    items, catalogue = bank
    assert len(items) >= 60
    tested = {cp for item in items for cp in item.checkpoints}
    for cp in catalogue.checkpoints:
        if cp.stage in (1, 2, 3, 4):
            assert cp.id in tested, cp.id
    assert {"single", "multiple", "order"} <= {i.kind for i in items}
    assert any(i.excerpt for i in items), "scenario-judgement items have a dialogue excerpt"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gift_export_parses_back_to_the_same_items_and_keys(bank, lang, tmp_path):
    items, _ = bank
    out = tmp_path / "bank.gift"
    result = subprocess.run([str(PERFCOMM), "bank", "export", "--format", "gift", "--lang", lang, "--to", str(out)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    parsed = {q["title"]: q for q in gift.parse(out.read_text(encoding="utf-8"))}
    assert set(parsed) == {i.id for i in items}
    for item in items:
        answers = parsed[item.id]["answers"]
        norm = lambda text: " ".join(text.split())  # noqa: E731
        if item.kind == "single":
            right = [a["text"] for a in answers if a["right"]]
            assert right == [norm(item.option(item.key).text[lang])]
            assert len(answers) == len(item.options)
            assert all(a["feedback"] for a in answers)
        elif item.kind == "multiple":
            right = {a["text"] for a in answers if a["weight"] > 0}
            assert right == {norm(item.option(k).text[lang]) for k in item.key}
        else:
            assert [a["text"] for a in answers] == [f"{n} -> {norm(item.option(k).text[lang])}"
                                                    for n, k in enumerate(item.key, 1)]


SPEAKERS = {"zh": {"manager": "主管：", "employee": "员工：", "narrator": "旁白：", "hr": "HR："},
            "en": {"manager": "Manager: ", "employee": "Employee: ", "narrator": "Narrator: ", "hr": "HR: "}}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gift_excerpts_name_the_speakers_as_the_players_do_one_turn_a_line(bank, lang):
    items, _ = bank
    result = subprocess.run([str(PERFCOMM), "bank", "export", "--format", "gift", "--lang", lang],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    parsed = {q["title"]: q for q in gift.parse(result.stdout)}
    for question in parsed.values():                           # never the files' internal role names
        assert not [line for line in question["text"].split("\n")
                    if line.startswith(("narrator:", "manager:", "employee:", "hr:"))], question["title"]
    with_excerpt = [i for i in items if i.excerpt]
    assert with_excerpt
    for item in with_excerpt:
        lines = [line for line in parsed[item.id]["text"].split("\n") if line.strip()]
        turns = lines[-len(item.excerpt):]
        assert turns == [SPEAKERS[lang][speaker] + " ".join(text[lang].split())
                         for speaker, text in item.excerpt], item.id
        assert " ".join(lines[:-len(item.excerpt)]) == " ".join(item.prompt[lang].split())


def test_forms_are_deterministic_per_candidate_and_cover_the_blueprint(bank):
    items, _ = bank
    blueprint = load_blueprint(Course(ROOT), items)
    one = draw_form(blueprint, items, "2026", "zhang.wei")
    assert one == draw_form(blueprint, items, "2026", "zhang.wei")
    assert one != draw_form(blueprint, items, "2026", "li.na")
    assert one != draw_form(blueprint, items, "2027", "zhang.wei")
    assert len(one) == blueprint.length and len({s["item"] for s in one}) == blueprint.length
    for stage, count in blueprint.draw:
        assert sum(s["stage"] == stage for s in one) == count
    by_id = {i.id: i for i in items}
    shuffled = sum(s["options"] != [o.id for o in by_id[s["item"]].options] for s in one)
    assert shuffled > 0


BAD = [
    ("key: B", "key: E", "item 'x-1': key 'E' is not one of the options A–D"),
    ("checkpoints: [s1-content-standards]", "checkpoints: [s1-content-standard]",
     "unknown checkpoint 's1-content-standard' — did you mean 's1-content-standards'?"),
    ("        en: Option B\n", "", "item 'x-1' option B: the 'en' text is missing"),
    ("    difficulty: medium", "    difficulty: tricky", "difficulty must be one of easy, medium, hard"),
]
GOOD = """format_version: 1
items:
  - id: x-1
    stage: 1
    kind: single
    checkpoints: [s1-content-standards]
    difficulty: medium
    prompt: {zh: 题目, en: Question}
    options:
      - id: A
        zh: 甲
        en: Option A
        feedback: {zh: 不对, en: No}
      - id: B
        zh: 乙
        en: Option B
        feedback: {zh: 对, en: Yes}
      - id: C
        zh: 丙
        en: Option C
        feedback: {zh: 不对, en: No}
      - id: D
        zh: 丁
        en: Option D
        feedback: {zh: 不对, en: No}
    key: B
"""


@pytest.mark.parametrize("old, new, message", BAD, ids=["key-not-an-option", "unknown-checkpoint",
                                                       "missing-translation", "bad-difficulty"])
def test_bank_mistakes_are_reported_with_their_line(bank, tmp_path, old, new, message):
    _, catalogue = bank
    path = tmp_path / "bad.yaml"
    assert load_bank_file(_write(path, GOOD), "bad.yaml", catalogue.ids(), catalogue.stages)[1] == []
    text = GOOD.replace(old, new)
    _write(path, text)
    _, problems = load_bank_file(path, "bad.yaml", catalogue.ids(), catalogue.stages)
    assert any(message in str(p) and str(p).startswith("bad.yaml:") for p in problems), problems


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_duplicate_item_ids_across_files_are_reported(tmp_path, bank, monkeypatch):
    import shutil
    course_dir = tmp_path / "course"
    shutil.copytree(ROOT / "lessons", course_dir / "lessons")
    (course_dir / "exercises" / "bank").mkdir(parents=True)
    _write(course_dir / "exercises" / "bank" / "a.yaml", GOOD)
    _write(course_dir / "exercises" / "bank" / "b.yaml", GOOD)
    _, catalogue = bank
    items, problems = load_bank(Course(course_dir), catalogue)
    assert len(items) == 1
    assert any("exercises/bank/b.yaml:3: item 'x-1': duplicate id (also at exercises/bank/a.yaml:3)" == str(p)
               for p in problems), problems
