"""The workshop kit's data: lessons/kit.yaml (items, words, forms) and lessons/roleplay.yaml (role
cards), checked so that every text exists in both languages and every card names a real scenario or
lesson. Problems read `path:line: what is wrong — the fix`."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..course import LANGUAGES, Course
from ..problems import ContentError, Problem, did_you_mean
from ..yamlfile import load_file

FORMAT_VERSION = 1
PER = ("participant", "trio", "facilitator", "once")
FORMATS = ("docx", "xlsx")
KINDS = ("agenda", "role-cards", "observer", "voting", "sign-in", "feedback-form")   # besides the forms
CARD_TEXTS = ("task", "good", "poor")            # one text per language
CARD_LISTS = ("facts", "will_say", "wont_say")   # a list per language
LESSON_CARD_TEXTS = ("title", "situation", "background")


@dataclass(frozen=True)
class Card:
    """A role-play case: a manager card and an employee card. From a scenario (its title, persona and
    briefing) or from a lesson's worked case (written out here)."""
    stage: int
    source: str                   # 'scenario' or 'lesson'
    ref: str                      # scenario id or lesson name
    title: dict
    situation: dict               # what the manager knows (the scenario's briefing)
    background: dict              # who the employee is (the scenario's persona)
    texts: dict                   # task, good, poor, facts, will_say, wont_say -> {lang: …}


@dataclass
class Kit:
    items: list
    words: dict
    templates: dict
    feedback_questions: list
    sign_in_rows: int
    trio: int
    cards: list = field(default_factory=list)


def _texts(node, where: str, shown: str, problems: list, lists: bool = False):
    """Check that a {zh, en} text (or list of texts) is complete; returns it as a plain dict."""
    line = getattr(node, "line", 0)
    if not isinstance(node, dict):
        problems.append(Problem(shown, line, f"{where}: expected `{{zh: …, en: …}}`"))
        return {lang: [] if lists else "" for lang in LANGUAGES}
    out = {}
    for lang in LANGUAGES:
        value = node.get(lang)
        ok = (isinstance(value, list) and value and all(str(v).strip() for v in value)) if lists \
            else isinstance(value, (str, int, float)) and str(value).strip()
        if not ok:
            kind = "a list of lines" if lists else "a text"
            problems.append(Problem(shown, node.line_of(lang) if lang in node else line,
                                    f"{where}: the '{lang}' text is missing — write {kind} in each of"
                                    f" {' and '.join(LANGUAGES)}"))
        out[lang] = [str(v) for v in value] if lists and isinstance(value, list) else str(value or "")
    if lists and all(isinstance(out[lang], list) for lang in LANGUAGES) and \
            len({len(out[lang]) for lang in LANGUAGES}) > 1:
        problems.append(Problem(shown, line, f"{where}: zh and en have a different number of lines"))
    return out


def _walk_texts(node, where: str, shown: str, problems: list):
    """Every {zh, en} mapping anywhere below `node` must have both languages."""
    if isinstance(node, dict):
        if any(lang in node for lang in LANGUAGES):
            _texts(node, where, shown, problems, lists=isinstance(next(iter(node.values()), None), list))
            return
        for key, value in node.items():
            _walk_texts(value, f"{where} {key}".strip(), shown, problems)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _walk_texts(value, f"{where} {index + 1}", shown, problems)


def load_kit(course: Course, scenarios, lessons) -> Kit:
    """Read and check both files; raise ContentError listing every problem."""
    problems: list[Problem] = []
    path = course.lessons_data / "kit.yaml"
    shown = course.rel(path)
    data = load_file(path, shown)
    if data.get("format_version") != FORMAT_VERSION:
        problems.append(Problem(shown, data.line_of("format_version"), f"format_version must be {FORMAT_VERSION}"))
    _walk_texts(data.get("words"), "words", shown, problems)
    _walk_texts(data.get("feedback_questions"), "feedback_questions", shown, problems)
    _walk_texts(data.get("templates"), "templates", shown, problems)
    items = []
    for index, item in enumerate(data.get("items") or []):
        where = f"item {index + 1}"
        if not isinstance(item, dict) or "id" not in item:
            problems.append(Problem(shown, getattr(item, "line", 0), f"{where}: needs id, title, when and copies"))
            continue
        where = f"item '{item['id']}'"
        copies = item.get("copies") or {}
        if copies.get("per") not in PER:
            problems.append(Problem(shown, item.line_of("copies"), f"{where}: copies per must be one of"
                                                                   f" {', '.join(PER)}{did_you_mean(copies.get('per'), PER)}"))
        items.append({"id": str(item["id"]), "title": _texts(item.get("title"), f"{where} title", shown, problems),
                      "when": _texts(item.get("when"), f"{where} when", shown, problems),
                      "per": copies.get("per"), "times": int(copies.get("times", 1)),
                      "plus": int(copies.get("plus", 0)), "line": item.line})
    templates = data.get("templates") or {}
    for name, template in templates.items():
        if template.get("format") not in FORMATS:
            problems.append(Problem(shown, template.line_of("format") if "format" in template else template.line,
                                    f"template '{name}': format must be one of {', '.join(FORMATS)}"))
    ids = {item["id"] for item in items}
    for item in items:
        if item["id"] not in KINDS and item["id"] not in templates:
            problems.append(Problem(shown, item["line"], f"item '{item['id']}': the kit has no such item — one of"
                                                         f" {', '.join([*KINDS, *templates])}"
                                                         f"{did_you_mean(item['id'], [*KINDS, *templates])}"))
    for name in templates:
        if name not in ids:
            problems.append(Problem(shown, templates.line_of(name), f"template '{name}' is not listed under items"
                                                                   f"{did_you_mean(name, ids)}"))
    kit = Kit(items, data.get("words") or {}, templates, list(data.get("feedback_questions") or []),
              int(data.get("sign_in_rows", 18)), int(data.get("trio", 3)))
    kit.cards = _cards(course, scenarios, lessons, problems)
    if problems:
        raise ContentError(problems)
    return kit


def _cards(course: Course, scenarios, lessons, problems: list) -> list[Card]:
    path = course.lessons_data / "roleplay.yaml"
    shown = course.rel(path)
    data = load_file(path, shown)
    if data.get("format_version") != FORMAT_VERSION:
        problems.append(Problem(shown, data.line_of("format_version"), f"format_version must be {FORMAT_VERSION}"))
    by_id = {s.id: s for s in scenarios}
    by_lesson = {lesson.name.removeprefix("lessons/"): lesson for lesson in lessons}
    cards = []
    for entry in data.get("cards") or []:
        line = getattr(entry, "line", 0)
        if not isinstance(entry, dict) or ("scenario" in entry) == ("lesson" in entry):
            problems.append(Problem(shown, line, "a card names either `scenario: ID` or `lesson: NAME`"))
            continue
        texts = {}
        if "scenario" in entry:
            ref = str(entry["scenario"])
            where = f"card for scenario '{ref}'"
            scenario = by_id.get(ref)
            if scenario is None:
                problems.append(Problem(shown, entry.line_of("scenario"), f"{where}: no such scenario"
                                                                          f"{did_you_mean(ref, by_id)}"))
                continue
            stage, title, situation, background = scenario.stage, scenario.title, scenario.briefing, scenario.persona
            source = "scenario"
        else:
            ref = str(entry["lesson"])
            where = f"card for lesson '{ref}'"
            lesson = by_lesson.get(ref)
            if lesson is None:
                problems.append(Problem(shown, entry.line_of("lesson"), f"{where}: no such lesson"
                                                                        f"{did_you_mean(ref, by_lesson)}"))
                continue
            stage, source = lesson.stage, "lesson"
            title, situation, background = (_texts(entry.get(key), f"{where} {key}", shown, problems)
                                            for key in LESSON_CARD_TEXTS)
        for key in CARD_TEXTS:
            texts[key] = _texts(entry.get(key), f"{where} {key}", shown, problems)
        for key in CARD_LISTS:
            texts[key] = _texts(entry.get(key), f"{where} {key}", shown, problems, lists=True)
        cards.append(Card(3 if stage == 0 else stage, source, ref, title, situation, background, texts))
    covered = {card.ref for card in cards if card.source == "scenario"}
    for scenario in scenarios:
        if scenario.id not in covered:
            problems.append(Problem(shown, 1, f"scenario '{scenario.id}' has no role card — add `- scenario:"
                                              f" {scenario.id}` with task, facts, will_say, wont_say, good and poor"))
    return cards
