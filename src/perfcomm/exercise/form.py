"""What the exam notebook's cells call: `sitting()` shows the sitting's rules and notes the start,
`item(n)` shows slot n of the candidate's own form (texts from questions.json,
never a key). Part of the learner package, like the exercise widgets."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from . import answers

QUESTIONS = "questions.json"


def sitting():
    """Show the sitting's window, time limit and attempt, and note when the candidate started: the
    first run of this cell (kept in answers.json, where HR's collect step reads it)."""
    if os.environ.get("PERFCOMM_GRADING"):
        return None
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    import ipywidgets as w

    from ..players.words import words

    form = json.loads(Path(QUESTIONS).read_text(encoding="utf-8"))
    rules, said = form.get("sitting"), words(form["lang"])["exam"]
    if not rules:
        return None
    if not answers.get("started"):
        answers.save("started", datetime.now(timezone.utc).isoformat(timespec="seconds"))
    try:
        zone = ZoneInfo(rules["time_zone"])
    except (KeyError, ValueError):  # no zone data (ZoneInfoNotFoundError is a KeyError), e.g. in the
        # browser's kernel: the offset the window was written with
        shown = rules.get("opens") or rules.get("closes")
        zone = datetime.fromisoformat(shown).tzinfo if shown else timezone.utc

    def local(value):
        return datetime.fromisoformat(value).astimezone(zone).strftime("%Y-%m-%d %H:%M")

    lines = []
    if rules.get("opens") or rules.get("closes"):
        lines.append(said["window"].format(opens=local(rules["opens"]) if rules.get("opens") else "—",
                                           closes=local(rules["closes"]) if rules.get("closes") else "—",
                                           zone=rules["time_zone"]))
    lines.append(said["time_limit"].format(minutes=rules["time_limit_minutes"], started=local(answers.get("started"))))
    if rules.get("attempt"):
        lines.append(said["attempt"].format(n=rules["attempt"], limit=rules["attempts"]))
    return w.HTML("".join(f"<p>{html.escape(line)}</p>" for line in lines))


def item(number: int):
    if os.environ.get("PERFCOMM_GRADING"):
        return None
    import ipywidgets as w

    from ..players.words import words

    form = json.loads(Path(QUESTIONS).read_text(encoding="utf-8"))
    slot, lang = form["slots"][str(number)], form["lang"]
    who = words(lang)["speaker_observed"]
    parts = [f"<p>{html.escape(slot['prompt'])}</p>"]
    for speaker, text in slot["excerpt"]:
        parts.append(f"<p><b>{html.escape(who.get(speaker, speaker))}</b>：{html.escape(text)}</p>")
    key = f"slot-{number}"
    saved = answers.get(key)
    labels = [f"{letter}. {text}" for letter, text in slot["options"]]
    ids = [oid for oid, _ in slot["options"]]
    if slot["kind"] == "single":
        widget = w.RadioButtons(options=labels, value=labels[ids.index(saved)] if saved in ids else None,
                                layout=w.Layout(width="auto"))
        widget.observe(lambda ch: answers.save(key, ids[labels.index(ch["new"])]), names="value")
        body = [widget]
    elif slot["kind"] == "multiple":
        boxes = [w.Checkbox(description=label, value=oid in (saved or []), indent=False,
                            layout=w.Layout(width="auto")) for label, oid in zip(labels, ids)]
        for box in boxes:
            box.observe(lambda _: answers.save(key, [o for o, b in zip(ids, boxes) if b.value]), names="value")
        body = boxes
    else:
        pickers = [w.Dropdown(options=[("—", None)] + list(zip(labels, ids)), description=f"{n + 1}.",
                              value=saved[n] if isinstance(saved, list) and n < len(saved) else None)
                   for n in range(len(ids))]
        for picker in pickers:
            picker.observe(lambda _: answers.save(key, [p.value for p in pickers]), names="value")
        body = pickers
    return w.VBox([w.HTML("".join(parts)), *body])
