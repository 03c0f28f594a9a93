"""The kit's printable pages as self-contained HTML (A4 portrait), one function per kind. Every word
comes from the kit's data, the catalogue, the agenda, the scenarios and the lessons."""

from __future__ import annotations

import html
import math

STYLE = """
@page { size: A4; margin: 14mm 14mm 16mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       font-size: 10.5pt; line-height: 1.5; color: #1b1b1b; margin: 0; }
h1 { font-size: 17pt; margin: 0 0 3mm; color: #00695c; }
h2 { font-size: 12.5pt; margin: 5mm 0 2mm; color: #00695c; }
.kit { font-size: 8.5pt; color: #666; text-transform: uppercase; letter-spacing: .04em; }
.page { break-after: page; }
.page:last-child { break-after: auto; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0; }
th, td { border: 1px solid #999; padding: 1.6mm 2mm; text-align: left; vertical-align: top; }
th { background: #e0f2f1; font-weight: 700; }
td.num { text-align: right; white-space: nowrap; }
.write { height: 8mm; }
.lines { border-bottom: 1px solid #999; height: 8mm; }
.field { margin: 3mm 0; }
.field .label { font-weight: 700; }
.hint { color: #555; }
.source { font-size: 8.5pt; color: #555; margin-top: 6mm; }
.card { border: 2px solid #00897b; border-radius: 4mm; padding: 6mm 7mm; min-height: 255mm; }
.card.employee { border-color: #ef6c00; }
.badge { display: inline-block; padding: .5mm 3mm; border-radius: 3mm; background: #00897b; color: #fff;
         font-size: 9pt; }
.employee .badge { background: #ef6c00; }
.secret { float: right; font-size: 8.5pt; color: #ef6c00; }
ul { margin: 1mm 0 2mm; padding-left: 6mm; }
.box { display: inline-block; width: 4mm; height: 4mm; border: 1px solid #333; vertical-align: middle; }
.vote { height: 128mm; border-bottom: 1px dashed #999; display: flex; flex-direction: column;
        align-items: center; justify-content: center; }
.vote .letter { font-size: 190pt; font-weight: 700; line-height: 1; color: #00695c; }
.vote .option { font-size: 22pt; }
.vote .hint { font-size: 9pt; }
.scale td { text-align: center; width: 9%; }
.scale td.q { text-align: left; width: auto; }
.signin td { height: 11mm; }
.observer table { font-size: 8.8pt; line-height: 1.35; }
.observer td, .observer th { padding: 1.1mm 1.5mm; }
.observer td .hint { font-size: 8pt; }
.observer .lines { height: 7mm; }
"""


def _e(text) -> str:
    return html.escape(str(text))


def document(title: str, body: str, lang: str) -> str:
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f"<style>{STYLE}</style></head><body>{body}</body></html>")


def _header(kit_words: dict, lang: str, title: str) -> str:
    return f'<div class="kit">{_e(kit_words["kit"][lang])}</div><h1>{_e(title)}</h1>'


def agenda(rows, words: dict, ui: dict, lang: str, agenda_name: str, title: str) -> str:
    head = "".join(f"<th>{_e(ui[key][lang])}</th>" for key in ("agenda_time", "agenda_session", "agenda_minutes"))
    body = "".join(f"<tr><td>{row.start}–{row.end}</td><td>{_e(row.label[lang])}</td>"
                   f'<td class="num">{row.minutes}</td></tr>' for row in rows)
    total = sum(row.minutes for row in rows)
    span = f"{rows[0].start}–{rows[-1].end}" if rows else ""
    body += f'<tr><th>{span}</th><th>{_e(ui["agenda_total"][lang])}</th><th class="num">{total}</th></tr>'
    name = words["agenda_name"][agenda_name][lang]
    return document(title, f'<div class="page">{_header(words, lang, f"{title} · {name}")}'
                           f"<table><tr>{head}</tr>{body}</table></div>", lang)


def _list(items) -> str:
    return "<ul>" + "".join(f"<li>{_e(item)}</li>" for item in items) + "</ul>"


def role_cards(cards, words: dict, ui: dict, stage_titles: dict, lang: str, title: str) -> str:
    w = {key: value[lang] for key, value in words.items() if isinstance(value, dict) and lang in value}
    pages = []
    for card in cards:
        stage = stage_titles[card.stage][lang]
        origin = w["case_from_scenario"] if card.source == "scenario" else \
            w["case_from_lesson"].format(n=int(card.ref.split("-")[0]))
        top = (f'<div class="kit">{_e(w["kit"])} · {_e(stage)} · {_e(origin)}</div>'
               f"<h1>{_e(card.title[lang])}</h1>")
        t = {key: value[lang] for key, value in card.texts.items()}
        pages.append(
            f'<div class="page"><div class="card manager">{top}'
            f'<p><span class="badge">{_e(w["manager_card"])}</span> <span class="hint">{_e(w["for_manager"])}</span></p>'
            f'<h2>{_e(w["situation"])}</h2><p>{_e(card.situation[lang])}</p>'
            f'<h2>{_e(w["facts"])}</h2>{_list(t["facts"])}'
            f'<h2>{_e(w["task"])}</h2><p>{_e(t["task"])}</p></div></div>')
        pages.append(
            f'<div class="page"><div class="card employee">{top}'
            f'<p><span class="badge">{_e(w["employee_card"])}</span> <span class="secret">{_e(w["for_employee"])}</span></p>'
            f'<h2>{_e(w["background"])}</h2><p>{_e(card.background[lang])}</p>'
            f'<h2>{_e(w["will_say"])}</h2>{_list(t["will_say"])}'
            f'<h2>{_e(w["wont_say"])}</h2>{_list(t["wont_say"])}'
            f'<h2>{_e(w["react_good"])}</h2><p>{_e(t["good"])}</p>'
            f'<h2>{_e(w["react_poor"])}</h2><p>{_e(t["poor"])}</p></div></div>')
    return document(title, "".join(pages), lang)


def observer_sheets(stages, catalogue, words: dict, lang: str, title: str) -> str:
    w = {key: value[lang] for key, value in words.items() if isinstance(value, dict) and lang in value}
    pages = []
    for stage in stages:
        name = catalogue.stages[stage][lang]
        rows = "".join(
            f'<tr><td><b>{_e((cp.name or cp.text)[lang])}</b><br><span class="hint">{_e(cp.text[lang])}</span></td>'
            f'<td><span class="box"></span></td><td><span class="box"></span></td><td><span class="box"></span></td>'
            f'<td class="write"></td></tr>' for cp in catalogue.of_stage(stage))
        pages.append(
            f'<div class="page observer">{_header(words, lang, w["observer_title"].format(stage=name))}'
            f'<p>{_e(w["round"])}　{_e(w["names"])}</p><p class="hint">{_e(w["observer_intro"])}</p>'
            f'<table><tr><th style="width:42%">{_e(w["checkpoint"])}</th><th>{_e(w["met"])}</th>'
            f'<th>{_e(w["missed"])}</th><th>{_e(w["violated"])}</th><th style="width:32%">{_e(w["evidence"])}</th></tr>'
            f'{rows}</table><div class="field"><div class="label">{_e(w["notes"])}</div>'
            + '<div class="lines"></div>' * 3 + "</div></div>")
    return document(title, "".join(pages), lang)


def voting_cards(words: dict, lang: str, title: str) -> str:
    cards = []
    for number, letter in enumerate("ABCD", 1):
        cards.append(f'<div class="vote"><div class="letter">{letter}</div>'
                     f'<div class="option">{_e(words["option"][lang].format(n=number))}</div>'
                     f'<div class="hint">{_e(words["voting_hint"][lang])}</div></div>')
    pages = [f'<div class="page">{cards[0]}{cards[1]}</div>', f'<div class="page">{cards[2]}{cards[3]}</div>']
    return document(title, "".join(pages), lang)


def form(template: dict, words: dict, lang: str, title: str) -> str:
    parts = [_header(words, lang, title), f'<p class="hint">{_e(template["intro"][lang])}</p>']
    for spec in template["fields"]:
        label = spec["label"][lang]
        if "table" in spec:
            columns = spec["table"]["columns"]
            head = "".join(f"<th>{_e(c[lang])}</th>" for c in columns)
            row = "<tr>" + '<td class="write"></td>' * len(columns) + "</tr>"
            parts.append(f'<div class="field"><div class="label">{_e(label)}</div>'
                         f'<table><tr>{head}</tr>{row * int(spec["table"].get("rows", 4))}</table></div>')
        else:
            parts.append(f'<div class="field"><div class="label">{_e(label)}</div>'
                         + '<div class="lines"></div>' * int(spec.get("lines", 1)) + "</div>")
    parts.append(f'<div class="source">{_e(words["source"][lang])}: {_e(template["source"][lang])}</div>')
    return document(title, f'<div class="page">{"".join(parts)}</div>', lang)


def sign_in(words: dict, lang: str, title: str, participants: int, rows_per_page: int) -> str:
    columns = words["sign_in_columns"]
    head = "".join(f"<th>{_e(c[lang])}</th>" for c in columns)
    count = max(1, math.ceil(participants / rows_per_page))
    pages = []
    for page in range(count):
        rows = "".join(f'<tr><td class="num">{page * rows_per_page + i + 1}</td>'
                       + "<td></td>" * (len(columns) - 1) + "</tr>" for i in range(rows_per_page))
        pages.append(f'<div class="page signin">{_header(words, lang, title)}<p>{_e(words["date_venue"][lang])}</p>'
                     f"<table><tr>{head}</tr>{rows}</table>"
                     f'<p class="hint">{_e(words["page_of"][lang].format(page=page + 1, pages=count))}</p></div>')
    return document(title, "".join(pages), lang)


def feedback_form(questions: list, words: dict, lang: str, title: str) -> str:
    scale = "".join(f"<th>{n}</th>" for n in range(1, 6))
    rows, texts = [], []
    for q in questions:
        if q.get("kind") == "scale":
            rows.append(f'<tr><td class="q">{_e(q[lang])}</td>' + '<td><span class="box"></span></td>' * 5 + "</tr>")
        else:
            texts.append(f'<div class="field"><div class="label">{_e(q[lang])}</div>'
                         + '<div class="lines"></div>' * 3 + "</div>")
    body = (f'<div class="page">{_header(words, lang, title)}<p class="hint">{_e(words["feedback_intro"][lang])}</p>'
            f'<table class="scale"><tr><th></th>{scale}</tr>{"".join(rows)}</table>{"".join(texts)}</div>')
    return document(title, body, lang)


def index(entries: list, words: dict, lang: str, agenda_name: str, participants: int, trios: int) -> str:
    w = {key: value[lang] for key, value in words.items() if isinstance(value, dict) and lang in value}
    intro = w["index_intro"].format(agenda=words["agenda_name"][agenda_name][lang], participants=participants,
                                    trios=trios)
    rows = []
    for entry in entries:
        links = f'<a href="{_e(entry["pdf"])}">{_e(entry["pdf"])}</a>'
        if entry.get("editable"):
            links += f'<br>{_e(w["editable"])}: <a href="{_e(entry["editable"])}">{_e(entry["editable"])}</a>'
        rows.append(f'<tr><td><b>{_e(entry["title"])}</b></td><td>{_e(entry["when"])}</td>'
                    f'<td class="num">{entry["copies"]}</td><td class="num">{entry["pages"]}</td><td>{links}</td></tr>')
    body = (f'<div class="page">{_header(words, lang, w["kit"])}<p>{_e(intro)}</p>'
            f'<table><tr><th>{_e(w["item"])}</th><th>{_e(w["when"])}</th><th>{_e(w["copies"])}</th>'
            f'<th>{_e(w["pages"])}</th><th>{_e(w["file"])}</th></tr>{"".join(rows)}</table>'
            f'<p class="hint">{_e(w["print_note"])}</p></div>')
    return document(w["kit"], body, lang)
