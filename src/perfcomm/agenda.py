"""Workshop agendas computed from the lessons' minutes, never typed by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .course import LANGUAGES, Course
from .lessons import MINUTE_FIELDS, Lesson, read_lessons
from .problems import ContentError, Problem, did_you_mean
from .yamlfile import load_file


@dataclass(frozen=True)
class Row:
    start: str
    end: str
    label: dict      # lang -> text
    minutes: int
    lesson: str | None = None
    parts: tuple = ()


def load_agendas(course: Course, lessons: list[Lesson] | None = None,
                 path=None) -> dict[str, list[Row]]:
    """The course's agendas (lessons/agenda.yaml), or those in the file at `path`."""
    path = path or course.agenda_file
    shown = course.rel(path)
    data = load_file(path, shown)
    if lessons is None:
        lessons, _ = read_lessons(course)
    by_name = {lesson.name.removeprefix("lessons/"): lesson for lesson in lessons}
    problems: list[Problem] = []
    agendas: dict[str, list[Row]] = {}
    for name, agenda in (data.get("agendas") or {}).items():
        try:
            clock = datetime.strptime(str(agenda.get("start", "09:00")), "%H:%M")
        except ValueError:
            problems.append(Problem(shown, agenda.line_of("start"), f"agenda '{name}': start must be HH:MM"))
            continue
        rows = []
        for index, item in enumerate(agenda.get("items") or []):
            line = agenda["items"].line_of(index)
            if not isinstance(item, dict):
                problems.append(Problem(shown, line, f"agenda '{name}': an item is `{{lesson: NAME}}` or a segment"
                                                     " with zh, en and minutes"))
                continue
            if "lesson" in item:
                lesson = by_name.get(str(item["lesson"]))
                if lesson is None:
                    problems.append(Problem(shown, line, f"agenda '{name}': no lesson '{item['lesson']}'"
                                                         f"{did_you_mean(item['lesson'], by_name)}"))
                    continue
                parts = tuple(item.get("parts") or MINUTE_FIELDS)
                bad = [p for p in parts if p not in MINUTE_FIELDS]
                if bad:
                    problems.append(Problem(shown, line, f"agenda '{name}': part '{bad[0]}' is not one of"
                                                         f" {', '.join(MINUTE_FIELDS)}"))
                    continue
                minutes = sum(getattr(lesson, part) for part in parts)
                label = dict(lesson.title)
            else:
                minutes = item.get("minutes")
                label = {lang: item.get(lang) for lang in LANGUAGES}
                missing = [lang for lang in LANGUAGES if not label[lang]]
                if not isinstance(minutes, int) or minutes <= 0 or missing:
                    problems.append(Problem(shown, line, f"agenda '{name}': a segment needs zh, en and minutes"
                                                         " (a whole number), or `lesson: NAME`"))
                    continue
                lesson, parts = None, ()
            end = clock + timedelta(minutes=minutes)
            rows.append(Row(clock.strftime("%H:%M"), end.strftime("%H:%M"), label, minutes,
                            lesson.name if lesson else None, parts))
            clock = end
        agendas[name] = rows
    if problems:
        raise ContentError(problems)
    return agendas
