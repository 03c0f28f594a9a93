"""The printable certificate: a self-contained HTML page (both languages) and its PDF, printed by
the machine's headless Chromium when there is one."""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

from ..players.words import words

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"]


def page(credential: dict) -> str:
    subject = credential["credentialSubject"]
    zh, en = words("zh")["certificate"], words("en")["certificate"]
    achievement = subject["achievement"]
    score = subject["result"][0]["value"]
    return f"""<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{html.escape(credential['name'])}</title>
<style>@page{{size:A4 landscape;margin:0}}body{{font-family:"Noto Serif CJK SC","Songti SC","SimSun",serif;margin:0}}
.frame{{margin:12mm;border:3px double #26a69a;padding:14mm;height:150mm;text-align:center}}
h1{{font-size:30pt;margin:0 0 4mm}}.en{{color:#555}}.name{{font-size:26pt;margin:8mm 0}}
.small{{font-size:9pt;color:#666;margin-top:10mm;word-break:break-all}}</style></head><body><div class="frame">
<h1>{html.escape(zh['title'])}</h1><div class="en">{html.escape(en['title'])}</div>
<p>{html.escape(zh['awarded'])} / {html.escape(en['awarded'])}</p>
<div class="name">{html.escape(subject['name'])}</div>
<p>{html.escape(achievement['name'])}</p>
<p>{html.escape(zh['score'])} / {html.escape(en['score'])}: {html.escape(score)}</p>
<p>{html.escape(zh['issued'])} / {html.escape(en['issued'])}: {html.escape(credential['validFrom'][:10])} ·
{html.escape(credential['issuer']['name'])}</p>
<div class="small">{html.escape(zh['verify'])} / {html.escape(en['verify'])}:<br>
perfcomm cert verify {html.escape(subject['id'].split(':')[-1])}.json<br>{html.escape(credential['id'])}</div>
</div></body></html>"""


def write(credential: dict, html_path: Path) -> Path | None:
    """Write the HTML page and, where Chromium is installed, the PDF beside it; returns the PDF path."""
    html_path.write_text(page(credential), encoding="utf-8")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        return None
    pdf = html_path.with_suffix(".pdf")
    subprocess.run([chromium, *CHROMIUM_FLAGS, "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    html_path.resolve().as_uri()], capture_output=True, timeout=120)
    return pdf if pdf.exists() else None
