"""What the exam notebook's cells call: `item(n)` shows slot n of the candidate's own form (texts from
questions.json, never a key). Part of the learner package, like the exercise widgets."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from . import answers

QUESTIONS = "questions.json"


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
