"""The in-page scenario player on the site: the HTML a page holds for it, the data it reads (the
compiled scenario, checkpoint names and lesson links, the player's words) and its script and style.

The runtime (scenario/js/) mirrors the Python engine; the page player (players/web/player.js) draws
it. Both are written to assets/perfcomm/ as one script, so a page with players makes two requests of
its own and none elsewhere, and works from a web server, an LMS or the file system alike.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
RUNTIME_DIR = PACKAGE / "scenario" / "js"
WEB_DIR = PACKAGE / "players" / "web"
RUNTIME = ("conditions.js", "model.js", "rules.js", "dialogue.js")   # in load order
ASSETS = "assets/perfcomm"
END = "<!-- perfcomm:player-end -->"   # after each player; the data and script follow the last one
PLAYER_ID = re.compile(r'data-perfcomm-player data-scenario="([a-z0-9][a-z0-9_-]*)"')


def bundle() -> str:
    """The runtime and the page player as one classic script (no modules: they fail on file://)."""
    parts = [(RUNTIME_DIR / name).read_text(encoding="utf-8") for name in RUNTIME]
    parts.append((WEB_DIR / "player.js").read_text(encoding="utf-8"))
    return "\n".join(parts)


def write_assets(site: Path) -> None:
    target = site / ASSETS
    target.mkdir(parents=True, exist_ok=True)
    (target / "player.js").write_text(bundle(), encoding="utf-8")
    (target / "player.css").write_text((WEB_DIR / "player.css").read_text(encoding="utf-8"), encoding="utf-8")


def site_root(page_url: str) -> str:
    """Relative path from a page to the site's root: 'en/scenarios/x/' -> '../../../'."""
    depth = page_url.strip("/").count("/") + 1 if page_url.strip("/") else 0
    if page_url and not page_url.endswith("/"):     # scenarios/x.html without directory URLs
        depth -= 1
    return "../" * depth


def block(scenario, lang: str, ui: dict) -> str:
    """The player's place in a page: the briefing as text (readable without script, found by search)
    and the container the script fills. A raw HTML block: it must start at column 0."""
    role = ui[f"role_{scenario.role}"][lang]
    return (f'<div class="pc-player" data-perfcomm-player data-scenario="{scenario.id}" data-lang="{lang}">\n'
            f'<div class="pc-briefing">\n'
            f'<p><strong>{html.escape(ui["scenario_role"][lang])}</strong> {html.escape(role)}</p>\n'
            f'<p><strong>{html.escape(ui["scenario_persona"][lang])}</strong> {html.escape(scenario.persona[lang])}</p>\n'
            f'<p>{html.escape(scenario.briefing[lang])}</p>\n'
            f'</div>\n'
            f'<noscript><p class="pc-noscript">{html.escape(ui["player_noscript"][lang])}</p></noscript>\n'
            f'</div>\n{END}\n')


def stage_players(scenarios, lang: str, ui: dict, notebook_href: str | None,
                  exercise_href: str | None = None) -> str:
    """A stage's practice page: each scenario under its own heading with its player, the stage
    exercise in the browser, then the notebook to download for those who practise in Jupyter."""
    out = []
    for number, scenario in enumerate(scenarios, 1):
        heading = ui["practice_scenario"][lang].format(n=number, title=scenario.title[lang])
        out.append(f"## {heading} {{#{scenario.id}}}\n")
        out.append(f"[{ui['practice_own_page'][lang]}]({scenario.id}.md)\n")
        out.append(f"<!-- perfcomm:player {scenario.id} -->\n")
    if exercise_href:
        out.append(f"## {ui['practice_exercise_browser'][lang]} {{#exercise}}\n")
        out.append(f"{ui['practice_exercise_intro'][lang]}\n")
        out.append(f'<p><a class="md-button md-button--primary" href="{html.escape(exercise_href)}" '
                   f'data-perfcomm-exercise>{html.escape(ui["practice_exercise_browser"][lang])}</a></p>\n')
    if notebook_href:
        out.append(f"## {ui['practice_jupyter'][lang]} {{#jupyter}}\n")
        out.append(f"{ui['practice_jupyter_intro'][lang]}\n")
        out.append(f'<p><a class="md-button" href="{html.escape(notebook_href)}" download>'
                   f'{html.escape(ui["practice_notebook_download"][lang])}</a></p>\n')
    return "\n".join(out)


def debrief_data(scenario, lang: str, catalogue, taught: dict) -> dict:
    """What the debrief shows beside each checkpoint: its short name, its text and the lesson
    sections that teach it (site-root-relative URLs)."""
    out = {}
    for cp_id in scenario.checkpoints:
        cp = catalogue.get(cp_id)
        out[cp_id] = {"name": (cp.name or cp.text)[lang] if cp else cp_id, "text": cp.text[lang] if cp else "",
                      "lessons": list(taught.get(cp_id, {}).get(lang, []))}
    return out


def _script_json(data) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def inject(output: str, stories: list, player_words: dict, root: str) -> str:
    """Put the compiled scenarios, the words and the script right after the last player, so that the
    players start as soon as the browser has read them, without waiting for the rest of the page's
    scripts; the style goes in <head>."""
    data = [f'<script type="application/json" data-perfcomm-words>{_script_json(player_words)}</script>']
    for story, checkpoints in stories:
        payload = {"story": story, "checkpoints": checkpoints, "root": root}
        data.append(f'<script type="application/json" data-perfcomm-story="{story["id"]}">'
                    f"{_script_json(payload)}</script>")
    data.append(f'<script src="{root}{ASSETS}/player.js"></script>')
    style = f'<link rel="stylesheet" href="{root}{ASSETS}/player.css">'
    head_end = output.find("</head>")
    output = output[:head_end] + style + output[head_end:]
    at = output.rfind(END) + len(END)
    return output[:at] + "\n".join(data) + output[at:]
