"""Moodle GIFT export of the item bank, and a parser that reads it back (used to test the export)."""

from __future__ import annotations

import re

from ..players.words import words

SPECIAL = re.compile(r"([~=#{}:\\])")
NEWLINE = "\\n"             # GIFT's escape for a line break inside a question's text
PARAGRAPH = NEWLINE * 2      # a blank line: a new paragraph in the [markdown] text


def escape(text: str) -> str:
    return SPECIAL.sub(r"\\\1", " ".join(text.split()))


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def stem(item, lang: str) -> str:
    """The prompt's paragraphs, then the excerpt one turn a paragraph, each turn named as the
    players name the speaker (主管：…, Manager: …); escaped for GIFT."""
    w = words(lang)
    paragraphs = [part for part in re.split(r"\n\s*\n", item.prompt[lang]) if part.strip()]
    turns = [w["said"].format(speaker=w["speaker_observed"].get(speaker, speaker), text=text[lang])
             for speaker, text in item.excerpt]
    return PARAGRAPH.join(escape(part) for part in (*paragraphs, *turns))


def item_to_gift(item, lang: str) -> str:
    head = f"::{item.id}:: [markdown]{stem(item, lang)} {{"
    if item.kind == "single":
        body = [f"\t{'=' if o.id == item.key else '~'}{escape(o.text[lang])}#{escape(o.feedback[lang])}"
                for o in item.options]
    elif item.kind == "multiple":
        right, wrong = len(item.key), len(item.options) - len(item.key)
        up, down = 100 / right, 100 / max(wrong, 1)
        body = [f"\t~%{(up if o.id in item.key else -down):g}%{escape(o.text[lang])}#{escape(o.feedback[lang])}"
                for o in item.options]
    else:  # order: a matching question, position -> step (Moodle has no ordering type in GIFT)
        body = [f"\t={n} -> {escape(item.option(oid).text[lang])}" for n, oid in enumerate(item.key, 1)]
    return "\n".join([f"// {item.stage}: {', '.join(item.checkpoints)} ({item.difficulty})", head, *body, "}"])


def export(items, lang: str) -> str:
    return "\n\n".join(item_to_gift(item, lang) for item in items) + "\n"


QUESTION = re.compile(r"::(?P<title>(?:\\.|[^:])+)::\s*(?:\[markdown\])?(?P<text>(?:\\.|[^{])*)\{(?P<body>(?:\\.|[^}])*)\}",
                      re.S)
ANSWER = re.compile(r"(?P<mark>[=~])(?:%(?P<weight>-?[\d.]+)%)?(?P<text>(?:\\.|[^=~#])*)(?:#(?P<fb>(?:\\.|[^=~])*))?",
                    re.S)


def parse(text: str) -> list[dict]:
    """GIFT -> [{title, text, answers: [{text, right, weight, feedback}]}] for the types exported here."""
    out = []
    for match in QUESTION.finditer(text):
        answers = []
        for answer in ANSWER.finditer(match.group("body")):
            raw = answer.group("text").strip()
            if not raw:
                continue
            weight = float(answer.group("weight")) if answer.group("weight") else None
            answers.append({"text": unescape(raw), "right": answer.group("mark") == "=" or (weight or 0) > 0,
                            "weight": weight, "feedback": unescape((answer.group("fb") or "").strip())})
        out.append({"title": unescape(match.group("title")), "text": unescape(match.group("text").strip()),
                    "answers": answers})
    return out
