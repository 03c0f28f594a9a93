"""`perfcomm check`: each mistake an author can make, as a table of (mistake, path, line, message)."""

from __future__ import annotations

import re
from pathlib import Path

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


# -- a path outside the course's folders: checked as the kind it shows, or refused ------------------
def _copy(source, old=None, new=None):
    def write(path):
        text = (Path(__file__).resolve().parent.parent / source).read_text(encoding="utf-8")
        if old:
            assert old in text
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return write


def _text(content):
    return lambda path: path.write_text(content, encoding="utf-8")


CLEAN = "tests/fixtures/cues/clean.yaml"
EXERCISE = "tests/fixtures/cues/exercise.yaml"
# (file name, how to make it, exit code, message with {given} and {line}, the text on {line})
OUTSIDE = [
    pytest.param("draft.yaml", _copy(CLEAN), 0, "no problems in {given} (checked as a scenario)", None,
                 id="scenario"),
    pytest.param("draft.yaml", _copy(CLEAN, "goto: d2\n", "goto: d9\n"), 1,
                 "{given}:{line}: node 'd1' choice 1: goto 'd9' not found", "goto: d9", id="scenario-broken-goto"),
    pytest.param("draft.zh.md", _copy(LESSON), 0, "no problems in {given} (checked as a lesson page)", None,
                 id="lesson-page"),
    pytest.param("draft.zh.md", _copy(LESSON, "{#mistakes}", "{#pitfalls}"), 1,
                 ": lesson skeleton: section '## … {#mistakes}' is missing", None, id="lesson-skeleton"),
    pytest.param("draft.zh.md", _copy(LESSON, "[[cp:s1-goals-clear]]", "[[cp:s1-goal-clear]]"), 1,
                 "{given}:{line}: broken checkpoint reference [[cp:s1-goal-clear]]", "[[cp:s1-goal-clear]]",
                 id="lesson-page-broken-marker"),
    pytest.param("notes.en.md", _text("# Notes\n\nSee [[cp:s1-nope]].\n"), 1,
                 "{given}:3: broken checkpoint reference [[cp:s1-nope]]", None, id="site-page"),
    pytest.param("bank.yaml", _copy("exercises/bank/stage1.yaml", "    key: B\n", "    key: E\n"), 1,
                 "{given}:{line}: item 's1-standards-01': key 'E' is not one of the options A–D", "key: E",
                 id="bank-bad-key"),
    pytest.param("stage9.yaml", _copy(EXERCISE), 0, "no problems in {given} (checked as a stage exercise)", None,
                 id="exercise"),
    pytest.param("stage9.yaml", _copy(EXERCISE, "kind: single", "kind: singel"), 1,
                 "{given}:{line}: question 'q1-cued': kind 'singel' is not one of", "kind: singel",
                 id="exercise-bad-kind"),
    pytest.param("checkpoints.yaml", _copy("lessons/checkpoints.yaml"), 0,
                 "no problems in {given} (checked as a checkpoint catalogue)", None, id="catalogue"),
    pytest.param("exam.yaml", _copy("exercises/exam.yaml", "pass_mark: 0.7", "pass_mark: 70"), 1,
                 "{given}:{line}: pass_mark is a share of the points", "pass_mark: 70", id="blueprint"),
    pytest.param("agenda.yaml", _copy("lessons/agenda.yaml", "lesson: 05-cycle}", "lesson: 05-cycles}"), 1,
                 "{given}:{line}: agenda 'full-day': no lesson '05-cycles'", "05-cycles", id="agenda"),
    pytest.param("draft.yaml", _text("a: [1\n"), 1, "{given}:2: YAML syntax error", None, id="yaml-syntax-error"),
    pytest.param("draft.yaml", _text("shopping: [eggs, milk]\n"), 2,
                 "perfcomm check: {given}: not a kind of file perfcomm check knows — it checks a scenario", None,
                 id="unknown-yaml"),
    pytest.param("notes.md", _text("# Notes\n"), 2, "{given}: not a kind of file perfcomm check knows", None,
                 id="markdown-not-a-page"),
    pytest.param("draft.txt", _text("hello\n"), 2, "{given}: not a kind of file perfcomm check knows", None,
                 id="text-file"),
    pytest.param("missing.yaml", None, 2, "perfcomm check: {given}: no such file or folder", None, id="missing"),
    pytest.param("folder", lambda p: p.mkdir(), 2, "{given}: a folder with no course files in it", None,
                 id="folder"),
]


@pytest.mark.parametrize("name, make, code, message, needle", OUTSIDE)
def test_a_file_outside_the_course_is_checked_as_its_kind_or_refused(tmp_path, monkeypatch, capsys, root,
                                                                       name, make, code, message, needle):
    monkeypatch.setenv("PERFCOMM_COURSE", str(root))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "some").mkdir()
    if make:
        make(tmp_path / "some" / name)
    given = f"some/{name}"
    if needle:
        message = message.replace("{line}", str(line_of(tmp_path, given, needle)))
    got, output = run_check(capsys, given)
    assert got == code, output
    assert message.replace("{given}", given) in output, output
    assert "all content is valid" not in output
    assert "Traceback" not in output


def test_a_course_file_perfcomm_does_not_check_is_refused_not_called_valid(capsys, root, monkeypatch):
    monkeypatch.setenv("PERFCOMM_COURSE", str(root))
    monkeypatch.chdir(root)
    code, output = run_check(capsys, "pyproject.toml")
    assert code == 2
    assert "pyproject.toml: not a kind of file perfcomm check knows" in output
    assert "valid" not in output
