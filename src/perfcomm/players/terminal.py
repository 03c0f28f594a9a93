"""Play a scenario in a terminal: lines, numbered choices, `u` to undo, `q` to quit, debrief at the end."""

from __future__ import annotations

from ..scenario import Dialogue
from .words import speaker_name, words

SPEAKER_MARK = {"narrator": "  ", "employee": "» ", "manager": "« ", "hr": "« "}


def show_lines(dialogue: Dialogue, say) -> None:
    for line in dialogue.lines:
        name = speaker_name(dialogue.lang, line.speaker, dialogue.scenario.role)
        say(f"{SPEAKER_MARK.get(line.speaker, '')}{name}: {line.text}" if line.speaker != "narrator"
            else f"  ({line.text})")


def show_debrief(dialogue: Dialogue, say, lessons=None) -> None:
    w = words(dialogue.lang)
    say("")
    say(f"== {w['ending']}: {dialogue.ending.title[dialogue.lang]} ==")
    say(f"{w['score']}: {dialogue.score}")
    for item in dialogue.debrief(lessons):
        say(f"  [{w['status'][item['status']]}] {item['checkpoint']}")
        for note in item["notes"]:
            say(f"      {note}")
        for link in item["lessons"][:1]:
            say(f"      → {link}")


def play(dialogue: Dialogue, ask=input, say=print, lessons=None) -> None:
    w = words(dialogue.lang)
    scenario = dialogue.scenario
    say(f"# {scenario.title[dialogue.lang]}")
    say(scenario.briefing[dialogue.lang])
    show_lines(dialogue, say)
    while not dialogue.finished:
        for offered in dialogue.choices:
            say(f"  {offered.number + 1}. {offered.text}")
        try:
            answer = ask(w["prompt"].format(n=len(dialogue.choices))).strip().lower()
        except EOFError:
            return
        if answer == "q":
            return
        if answer == "u":
            if not dialogue.undo():
                say(w["nothing_to_undo"])
            show_lines(dialogue, say)
            continue
        if not answer.isdigit() or not 1 <= int(answer) <= len(dialogue.choices):
            say(w["bad_choice"].format(n=len(dialogue.choices)))
            continue
        dialogue.choose(int(answer) - 1)
        show_lines(dialogue, say)
    show_debrief(dialogue, say, lessons)
