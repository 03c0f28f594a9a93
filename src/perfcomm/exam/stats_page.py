"""The item statistics report: one self-contained HTML page with an inline SVG chart."""

from __future__ import annotations

import html
from pathlib import Path

from ..players.words import words


def _chart(stats, label: str, x_label: str, y_label: str) -> str:
    width, height = 420, 260
    dots = []
    for s in stats:
        if s.discrimination is None:
            continue
        x = 40 + s.facility * (width - 60)
        y = height - 30 - (s.discrimination + 0.5) / 1.5 * (height - 50)
        colour = "#c62828" if s.flags else "#26a69a"
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"><title>{html.escape(s.item)}'
                    f"</title></circle>")
    guides = (f'<line x1="{40 + 0.3 * (width - 60):.0f}" y1="10" x2="{40 + 0.3 * (width - 60):.0f}" y2="{height - 30}"'
              f' stroke="#bbb" stroke-dasharray="4"/><line x1="{40 + 0.9 * (width - 60):.0f}" y1="10"'
              f' x2="{40 + 0.9 * (width - 60):.0f}" y2="{height - 30}" stroke="#bbb" stroke-dasharray="4"/>'
              f'<line x1="40" y1="{height - 30 - 0.7 / 1.5 * (height - 50):.0f}" x2="{width - 20}"'
              f' y2="{height - 30 - 0.7 / 1.5 * (height - 50):.0f}" stroke="#bbb" stroke-dasharray="4"/>'
              f'<text x="{width / 2:.0f}" y="{height - 5}" font-size="11" text-anchor="middle">{html.escape(x_label)}</text>'
              f'<text x="10" y="{height / 2:.0f}" font-size="11" transform="rotate(-90 10 {height / 2:.0f})"'
              f' text-anchor="middle">{html.escape(y_label)}</text>')
    return (f'<svg role="img" aria-label="{html.escape(label)}" width="{width}" height="{height}"'
            f' xmlns="http://www.w3.org/2000/svg">{guides}{"".join(dots)}</svg>')


def write(stats, alpha, candidates: int, lang: str, to: Path) -> Path:
    w = words(lang)["stats"]
    rows = []
    for s in stats:
        options = sorted(set(s.choices) | set(s.upper_choices) | set(s.lower_choices))
        spread = ", ".join(f"{o}: {s.choices.get(o, 0)} ({s.upper_choices.get(o, 0)}/{s.lower_choices.get(o, 0)})"
                           for o in options)
        disc = "—" if s.discrimination is None else f"{s.discrimination:.2f}"
        rows.append(f"<tr><td>{html.escape(s.item)}</td><td>{s.attempts}</td><td>{s.facility:.2f}</td><td>{disc}</td>"
                    f"<td>{html.escape(spread)}</td><td>{'<br>'.join(html.escape(f) for f in s.flags)}</td></tr>")
    alpha_text = "—" if alpha is None else f"{alpha:.2f}"
    page = f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(w['title'])}</title>
<style>body{{font-family:-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
max-width:70em;margin:2em auto;padding:0 1em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;
padding:.2em .5em;font-size:.9em}}</style></head><body><h1>{html.escape(w['title'])}</h1>
<p>{html.escape(w['summary'].format(n=candidates, alpha=alpha_text))}</p><p>{html.escape(w['note'])}</p>
<h2>{html.escape(w['chart'])}</h2>{_chart(stats, w['chart'], w['facility'], w['discrimination'])}
<table><tr><th>{w['item']}</th><th>{w['attempts']}</th><th>{w['facility']}</th><th>{w['discrimination']}</th>
<th>{w['choices']}</th><th>{w['flags']}</th></tr>{''.join(rows)}</table></body></html>"""
    to.parent.mkdir(parents=True, exist_ok=True)
    to.write_text(page, encoding="utf-8")
    return to
