"""No-code answer widgets for the exercise notebooks. Each question cell calls `ask("q-id")`; the
texts come from questions.json (released, no keys) and every change is saved to answers.json."""

from __future__ import annotations

import html

import ipywidgets as w

from ..players.words import words
from . import answers, questions

LAYOUT = w.Layout(width="auto")


def _saved_note(lang: str) -> w.HTML:
    return w.HTML(f"<small>{html.escape(words(lang)['answer_saved'])}</small>")


def ask(question_id: str):
    """Show the answer widget of one question, pre-filled with the saved answer."""
    data = questions.load()
    lang, q = data["lang"], data["questions"][question_id]
    saved = answers.get(question_id)
    kind = q["kind"]
    if kind == "single":
        labels = [f"{oid}. {text}" for oid, text in q["options"]]
        widget = w.RadioButtons(options=labels, value=None, layout=LAYOUT)
        if saved in [oid for oid, _ in q["options"]]:
            widget.value = labels[[oid for oid, _ in q["options"]].index(saved)]
        widget.observe(lambda ch: answers.save(question_id, ch["new"].split(".", 1)[0]), names="value")
        return w.VBox([widget, _saved_note(lang)])
    if kind == "multiple":
        boxes = [w.Checkbox(description=f"{oid}. {text}", value=oid in (saved or []), indent=False,
                            layout=LAYOUT) for oid, text in q["options"]]

        def store(_):
            answers.save(question_id, [oid for (oid, _), box in zip(q["options"], boxes) if box.value])
        for box in boxes:
            box.observe(store, names="value")
        return w.VBox([*boxes, _saved_note(lang)])
    if kind == "order":
        steps = {oid: f"{oid}. {text}" for oid, text in q["options"]}
        pickers = []
        for position in range(len(steps)):
            value = saved[position] if isinstance(saved, list) and position < len(saved) else None
            pickers.append(w.Dropdown(options=[("—", None)] + [(label, oid) for oid, label in steps.items()],
                                      value=value, description=f"{position + 1}.", layout=LAYOUT))

        def store_order(_):
            answers.save(question_id, [p.value for p in pickers])
        for picker in pickers:
            picker.observe(store_order, names="value")
        return w.VBox([*pickers, _saved_note(lang)])
    if kind in ("match", "audit"):
        if kind == "match":
            rows = q["items"]
            choices = [("—", None)] + [(f"{oid}. {text}", oid) for oid, text in q["options"]]
        else:
            rows = [[cp, f"{text} ({cp})" if text != cp else cp] for cp, text in q["checkpoints"]]
            status = words(lang)["status"]
            choices = [("—", None)] + [(status[s], s) for s in ("met", "missed", "violated")]
        current = saved if isinstance(saved, dict) else {}
        pickers = {rid: w.Dropdown(options=choices, value=current.get(rid), layout=LAYOUT) for rid, _ in rows}

        def store_match(_):
            answers.save(question_id, {rid: p.value for rid, p in pickers.items()})
        for picker in pickers.values():
            picker.observe(store_match, names="value")
        return w.VBox([w.HBox([w.HTML(f"<b>{html.escape(text)}</b>", layout=w.Layout(width="45%")), pickers[rid]])
                       for rid, text in rows] + [_saved_note(lang)])
    raise ValueError(f"question '{question_id}' is a {kind} question: it has no widget")


def show_transcript(question_id: str):
    """The conversation an audit question asks about: its lines only, no tags, no feedback."""
    from ..catalogue import load_catalogue
    from ..course import find_course
    from ..players.widgets import STYLE
    from ..scenario import Dialogue
    from ..scenario.library import find

    data = questions.load()
    lang, q = data["lang"], data["questions"][question_id]
    course = find_course()
    scenario = find(course, load_catalogue(course.catalogue_file, course.rel(course.catalogue_file)), q["scenario"])
    dialogue = Dialogue(scenario, lang)
    for number in q["choices"]:
        dialogue.choose(number - 1)
    who = words(lang)["speaker_observed"]
    rows = []
    for entry in dialogue.transcript:
        speaker = entry["speaker"]
        label = who.get(speaker, speaker)
        rows.append(f'<div class="pc-line pc-{speaker}"><span class="pc-who">{html.escape(label)}</span>'
                    f"{html.escape(entry['text'])}</div>")
    return w.HTML(STYLE + '<div class="pc-chat">' + "".join(rows) + "</div>")
