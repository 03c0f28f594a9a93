"""`perfcomm check`: each mistake an author can make, as a table of (mistake, path, line, message)."""

from __future__ import annotations

import re

import pytest

from perfcomm.cli import main

LESSON = "docs/lessons/01-goal-setting.zh.md"
LESSON_EN = "docs/lessons/01-goal-setting.en.md"


def edit(course, rel, old, new, count=1):
    path = course / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(course, rel, needle):
    for number, line in enumerate((course / rel).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {rel}")


def run_check(capsys, *paths):
    code = main(["check", *paths])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_the_shipped_course_is_valid(capsys, root, monkeypatch):
    monkeypatch.setenv("PERFCOMM_COURSE", str(root))
    code, output = run_check(capsys)
    assert code == 0, output


def _drop_marker_everywhere(course, cp_id, lang):
    for path in (course / "docs").rglob(f"*.{lang}.md"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(rf"^\s*[-*] \[\[cp:{cp_id}\]\].*\n", "", text, flags=re.M)
        path.write_text(text.replace(f"[[cp:{cp_id}]]", ""), encoding="utf-8")


CASES = [
    pytest.param(
        lambda c: _drop_marker_everywhere(c, "s2-praise-innovation", "en"),
        "lessons/checkpoints.yaml", lambda c: line_of(c, "lessons/checkpoints.yaml", "id: s2-praise-innovation"),
        "checkpoint 's2-praise-innovation' is taught nowhere in 'en'", id="checkpoint-taught-nowhere"),
    pytest.param(
        lambda c: (c / "docs/glossary.en.md").unlink(),
        "docs/glossary.zh.md", lambda c: 0,
        "page exists in one language only — add its 'en' twin docs/glossary.en.md", id="page-in-one-language"),
    pytest.param(
        lambda c: edit(c, LESSON, "{#mistakes}", "{#pitfalls}"),
        LESSON, None, "section '## … {#mistakes}' is missing", id="skeleton-section-missing"),
    pytest.param(
        lambda c: edit(c, LESSON, "\nteaching:", "\nteachnig:"),
        LESSON, lambda c: line_of(c, LESSON, "teachnig:"), "front matter: unknown key 'teachnig'",
        id="front-matter-typo"),
    pytest.param(
        lambda c: edit(c, LESSON, "[[cp:s1-goals-clear]]", "[[cp:s1-goal-clear]]"),
        LESSON, lambda c: line_of(c, LESSON, "[[cp:s1-goal-clear]]"),
        "broken checkpoint reference [[cp:s1-goal-clear]]: unknown checkpoint 's1-goal-clear' — did you mean"
        " 's1-goals-clear'?", id="broken-checkpoint-reference"),
    pytest.param(
        lambda c: edit(c, LESSON, "!!! failure", "!!! warning"),
        LESSON, lambda c: line_of(c, LESSON, "{#dialogue}"),
        "section #dialogue: show the same situation twice", id="dialogue-shown-once"),
    pytest.param(
        lambda c: edit(c, LESSON_EN, "\nexercises: ", "\nexercises: 1"),
        LESSON_EN, lambda c: line_of(c, LESSON_EN, "exercises: 1"),
        "front matter: 'exercises' is", id="twins-disagree-on-minutes"),
    pytest.param(
        lambda c: edit(c, LESSON, "\nstage: 1", "\nstage: [1"),
        LESSON, None, "YAML syntax error", id="front-matter-yaml-syntax"),
    pytest.param(
        lambda c: edit(c, "lessons/checkpoints.yaml", "id: s1-goals-clear", "id: s1-content-standards"),
        "lessons/checkpoints.yaml", lambda c: line_of(c, "lessons/checkpoints.yaml", "id: s1-content-standards")
        + 5, "duplicate checkpoint id 's1-content-standards'", id="catalogue-duplicate-id"),
    pytest.param(
        lambda c: edit(c, "lessons/checkpoints.yaml", 'en: "Goals clear"}', 'en: ""}'),
        "lessons/checkpoints.yaml", lambda c: line_of(c, "lessons/checkpoints.yaml", 'en: ""}'),
        "checkpoint 's1-goals-clear': short name missing in 'en'", id="catalogue-short-name-missing"),
    pytest.param(
        lambda c: edit(c, "lessons/agenda.yaml", "lesson: 05-cycle", "lesson: 05-cycles"),
        "lessons/agenda.yaml", lambda c: line_of(c, "lessons/agenda.yaml", "05-cycles"),
        "no lesson '05-cycles' — did you mean '05-cycle'?", id="agenda-unknown-lesson"),
]


@pytest.mark.parametrize("break_it, path, line, message", CASES)
def test_check_reports_the_mistake_with_its_place(course_copy, capsys, break_it, path, line, message):
    break_it(course_copy)
    code, output = run_check(capsys)
    assert code == 1
    assert "Traceback" not in output
    found = [row for row in output.splitlines() if message in row]
    assert found, output
    prefix = f"{path}:{line(course_copy)}: " if line else f"{path}:"
    if line and line(course_copy) == 0:
        prefix = f"{path}: "
    assert any(row.startswith(prefix) for row in found), (prefix, found)


def test_check_with_a_path_reports_only_that_file(course_copy, capsys):
    edit(course_copy, LESSON, "{#mistakes}", "{#pitfalls}")
    edit(course_copy, "docs/lessons/03-appraisal-feedback.zh.md", "{#mistakes}", "{#pitfalls}")
    code, output = run_check(capsys, str(course_copy / LESSON))
    assert code == 1
    assert LESSON in output and "03-appraisal-feedback" not in output


def test_an_empty_catalogue_is_an_error_not_a_traceback(course_copy, capsys):
    (course_copy / "lessons/checkpoints.yaml").write_text("", encoding="utf-8")
    code, output = run_check(capsys)
    assert code == 1
    assert "lessons/checkpoints.yaml:1: the file is empty" in output
    assert "Traceback" not in output
