"""Markdown the build writes from course data: checkpoint badges, lesson boxes, agendas, catalogue."""

from __future__ import annotations

import html
import posixpath
import re

from ..agenda import Row
from ..catalogue import Catalogue
from ..pages import FENCE, MARKER

LIST_LINE = re.compile(r"^(\s*[-*]\s+)\[\[cp:([^\]\s]+)\]\]\s*[:：]?\s*")


def link_to(target_src: str, from_src: str) -> str:
    """Relative Markdown link from one docs source file to another (i18n picks the language twin)."""
    return posixpath.relpath(target_src, posixpath.dirname(from_src) or ".")


def checkpoint_badges(markdown: str, catalogue: Catalogue, lang: str, page_src: str, ui: dict) -> str:
    """[[cp:ID]] becomes the checkpoint's short name, linked to the catalogue; the id and the full
    text show on hover. A list line that starts with a marker gets the name in bold as its label."""
    href = link_to("checkpoints.md", page_src)

    def parts(cp_id: str) -> tuple[str, str]:
        cp = catalogue.get(cp_id)
        if cp is None:
            return cp_id, ""
        title = html.escape(f"{ui['checkpoint'][lang]} {cp_id}: {cp.text[lang]}", quote=True)
        return (cp.name or cp.text)[lang], title

    def badge(cp_id: str) -> str:
        name, title = parts(cp_id)
        return f'[{name}]({href}#{cp_id} "{title}"){{ .cp-badge }}'

    def list_line(match: re.Match) -> str:
        name, title = parts(match.group(2))
        return f'{match.group(1)}[**{name}**]({href}#{match.group(2)} "{title}"){{ .cp-item }}: '

    out, in_fence = [], False
    for line in markdown.split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
        if not in_fence:  # marker syntax shown in a code block stays as written
            line = MARKER.sub(lambda m: badge(m.group(1)), LIST_LINE.sub(list_line, line))
        out.append(line)
    return "\n".join(out)


def _admonition(kind: str, title: str, lines: list[str]) -> str:
    body = "\n".join(f"    {line}" for line in lines)
    return f'!!! {kind} "{title}"\n\n{body}\n'


def lesson_boxes(markdown: str, meta: dict, lang: str, ui: dict) -> str:
    """Questions, objectives and minutes after the H1; key points before #technique."""
    minutes = ui["minutes"][lang].format(teaching=meta.get("teaching", 0), exercises=meta.get("exercises", 0))
    overview = [f"*{minutes}*", "", f"**{ui['questions'][lang]}**", ""]
    overview += [f"- {q}" for q in meta.get("questions", [])]
    overview += ["", f"**{ui['objectives'][lang]}**", ""]
    overview += [f"- {o}" for o in meta.get("objectives", [])]
    top = _admonition("abstract lesson-overview", ui["overview"][lang], overview)
    keys = _admonition("success lesson-keypoints", ui["keypoints"][lang],
                       [f"- {k}" for k in meta.get("keypoints", [])])
    h1 = re.search(r"^# .*$", markdown, flags=re.M)
    if h1:
        markdown = markdown[: h1.end()] + "\n\n" + top + markdown[h1.end():]
    else:
        markdown = top + "\n" + markdown
    technique = re.search(r"^## .*\{#technique\}.*$", markdown, flags=re.M)
    if technique:
        return markdown[: technique.start()] + keys + "\n" + markdown[technique.start():]
    return markdown + "\n\n" + keys


def agenda_table(rows: list[Row], lang: str, ui: dict, page_src: str) -> str:
    head = f"| {ui['agenda_time'][lang]} | {ui['agenda_session'][lang]} | {ui['agenda_minutes'][lang]} |"
    out = [head, "|---|---|---:|"]
    for row in rows:
        label = row.label[lang]
        if row.lesson:
            label = f"[{label}]({link_to(row.lesson + '.md', page_src)})"
            if row.parts and len(row.parts) == 1:
                label += ui["agenda_part"][lang].format(part=ui["agenda_" + row.parts[0]][lang])
        out.append(f"| {row.start}–{row.end} | {label} | {row.minutes} |")
    total = sum(row.minutes for row in rows)
    span = f"{rows[0].start}–{rows[-1].end}" if rows else ""
    out.append(f"| **{span}** | **{ui['agenda_total'][lang]}** | **{total}** |")
    return "\n".join(out) + "\n"


def catalogue_page(catalogue: Catalogue, taught: dict, lang: str, ui: dict, page_url: str) -> str:
    out = []
    for stage, titles in catalogue.stages.items():
        out.append(f"## {titles[lang]}\n")
        for cp in catalogue.of_stage(stage):
            out.append(f"### {(cp.name or cp.text)[lang]} `{cp.id}` {{#{cp.id}}}\n")
            out.append(f"{cp.text[lang]}\n")
            links = taught.get(cp.id, {}).get(lang, [])
            if links:
                rel = [posixpath.relpath(url.split('#')[0] or '.', page_url or '.') for url in links]
                anchors = [url.split('#', 1)[1] if '#' in url else '' for url in links]
                items = ", ".join(f'<a href="{r}/#{a}">{html.escape(a)}</a>' for r, a in zip(rel, anchors))
                out.append(f"<small>{ui['taught_in'][lang]}: {items}</small>\n")
    return "\n".join(out)


def practice_list(scenarios, stage_page: str | None, lang: str, ui: dict, page_src: str,
                  exercise_href: str | None = None) -> str:
    """The #practice section of a lesson: its stage's scenarios, each played on its own page, the
    stage's practice page, and the stage exercise opened in the browser (an HTML link: lab/ is built
    beside the pages, not one of them)."""
    exercise = ""
    if exercise_href:
        exercise = (f"\n\n{ui['practice_exercise_intro'][lang]}\n\n"
                    f'<p><a class="md-button md-button--primary" href="{html.escape(exercise_href)}" '
                    f'data-perfcomm-exercise>{html.escape(ui["practice_exercise_browser"][lang])}</a></p>\n')
    if not scenarios:
        return ui["practice_none"][lang] + exercise
    out = [ui["practice_intro"][lang], ""]
    for scenario in scenarios:
        out.append(f"- [{scenario.title[lang]}]({link_to(f'scenarios/{scenario.id}.md', page_src)}) — "
                   f"{scenario.persona[lang]}")
    if stage_page:
        out += ["", f"[{ui['practice_notebook'][lang]}]({link_to(stage_page, page_src)}){{ .md-button }}"]
    return "\n".join(out) + "\n" + exercise


def scenario_catalogue(groups, lang: str, ui: dict, page_src: str, stage_titles: dict, graph) -> str:
    """The scenarios page: per stage its practice page, and per scenario its persona, a link to play
    it and its map."""
    out = []
    for stage, stage_page, scenarios in groups:
        out.append(f"## {stage_titles[stage][lang]}\n")
        if stage_page:
            out.append(f"[{ui['practice_notebook'][lang]}]({link_to(stage_page, page_src)}){{ .md-button }}\n")
        for scenario in scenarios:
            out.append(f"### {scenario.title[lang]} {{#{scenario.id}}}\n")
            out.append(f"**{ui['scenario_role'][lang]}** {ui['role_' + scenario.role][lang]}\n")
            out.append(f"**{ui['scenario_persona'][lang]}** {scenario.persona[lang]}\n")
            out.append(f"{scenario.briefing[lang]}\n")
            out.append(f"[{ui['practice_play'][lang]}]({link_to(f'scenarios/{scenario.id}.md', page_src)})"
                       "{ .md-button .md-button--primary }\n")
            out.append(f"{ui['practice_terminal'][lang]}: `perfcomm play {scenario.id} --lang {lang}`\n")
            out.append(f'??? abstract "{ui["scenario_map"][lang]}"\n')
            out.append("    ```mermaid")
            out += [f"    {row}" for row in graph(scenario, lang).splitlines()]
            out.append("    ```\n")
    return "\n".join(out)
