"""Play a scenario in a Jupyter notebook with ipywidgets: a chat-style transcript, one button per
choice, a meter per variable, undo and restart, the debrief at the end, and the run saved as JSON.

    from perfcomm.players.widgets import play
    play("s3-defensive-low-score", lang="zh")
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import ipywidgets as w

from ..catalogue import load_catalogue
from ..course import Course, find_course
from ..scenario import Dialogue
from ..scenario.library import find
from .words import speaker_name, words

RUNS_DIR = "runs"   # relative to the notebook's folder: where finished runs are saved
STYLE = """<style>
.pc-chat{max-height:28em;overflow-y:auto;padding:.5em;border:1px solid #ddd;border-radius:6px;background:#fafafa}
.pc-line{margin:.35em 0;padding:.4em .7em;border-radius:10px;max-width:80%;line-height:1.5}
.pc-employee{background:#fff;border:1px solid #ccc;margin-right:auto}
.pc-manager,.pc-hr{background:#d9f2e6;margin-left:auto;text-align:right}
.pc-narrator{color:#666;font-style:italic;text-align:center;max-width:100%}
.pc-who{font-size:.8em;color:#555;display:block}
.pc-debrief td{padding:.2em .6em;vertical-align:top}
.pc-met{color:#2e7d32}.pc-missed{color:#8a6d3b}.pc-violated{color:#c62828}
</style>"""


class ScenarioPlayer:
    def __init__(self, scenario_id: str, lang: str = "zh", seed: int = 0, save_to: str | Path | None = None,
                 course: Course | None = None):
        self.course = course or find_course()
        catalogue = load_catalogue(self.course.catalogue_file, self.course.rel(self.course.catalogue_file))
        self.scenario = find(self.course, catalogue, scenario_id)
        self.lang, self.seed = lang, seed
        self.words = words(lang)
        self.save_to = Path(save_to) if save_to else Path(RUNS_DIR) / f"{scenario_id}.json"
        self.chat = w.HTML()
        self.buttons = w.VBox()
        self.meters = {v.name: w.IntProgress(value=v.start, min=v.low, max=v.high, description=v.label[lang])
                       for v in self.scenario.variables if not v.hidden}
        self.undo_button = w.Button(description=self.words["undo"], icon="undo")
        self.restart_button = w.Button(description=self.words["restart"], icon="refresh")
        self.undo_button.on_click(lambda _: self.dialogue.undo())
        self.restart_button.on_click(lambda _: self.restart())
        self.debrief = w.HTML()
        header = w.HTML(f"{STYLE}<h3>{html.escape(self.scenario.title[lang])}</h3>"
                        f"<p><b>{html.escape(self.scenario.persona[lang])}</b></p>"
                        f"<p>{html.escape(self.scenario.briefing[lang])}</p>")
        self.widget = w.VBox([header, w.HBox(list(self.meters.values())), self.chat, self.buttons,
                              w.HBox([self.undo_button, self.restart_button]), self.debrief])
        self.restart()

    # -- actions -------------------------------------------------------------------------------
    def restart(self) -> None:
        self.dialogue = Dialogue(self.scenario, self.lang, self.seed)
        self.dialogue.subscribe(lambda _: self.render())
        self.render()

    def choose(self, number: int) -> None:
        self.dialogue.choose(number)

    @property
    def choice_buttons(self) -> list[w.Button]:
        return list(self.buttons.children)

    # -- drawing -------------------------------------------------------------------------------
    def render(self) -> None:
        d = self.dialogue
        self.chat.value = '<div class="pc-chat">' + "".join(self._bubble(e) for e in d.transcript) + "</div>"
        buttons = []
        for offered in d.choices:
            button = w.Button(description=f"{offered.number + 1}. {offered.text}", tooltip=offered.text,
                              layout=w.Layout(width="auto", height="auto"))
            button.style.text_align = "left"
            button.on_click(lambda _, n=offered.number: self.choose(n))
            buttons.append(button)
        self.buttons.children = buttons
        for name, value in d.values.items():
            if name in self.meters:
                self.meters[name].value = value
        self.undo_button.disabled = not any("choice" in e for e in d.transcript)
        self.debrief.value = self._debrief() if d.finished else ""
        if d.finished:
            self.save()

    def _bubble(self, entry: dict) -> str:
        who = speaker_name(self.lang, entry["speaker"], self.scenario.role)
        text = html.escape(entry["text"])
        if entry["speaker"] == "narrator":
            return f'<div class="pc-line pc-narrator">{text}</div>'
        return f'<div class="pc-line pc-{entry["speaker"]}"><span class="pc-who">{html.escape(who)}</span>{text}</div>'

    def _debrief(self) -> str:
        d, words_ = self.dialogue, self.words
        result = d.result()
        rows = []
        for item in d.debrief():
            status = item["status"]
            notes = "<br>".join(html.escape(n) for n in item["notes"])
            rows.append(f'<tr><td class="pc-{status}">{words_["status"][status]}</td>'
                        f"<td><code>{item['checkpoint']}</code></td><td>{notes}</td></tr>")
        return (f"<h4>{words_['debrief']} · {words_['ending']}: {html.escape(d.ending.title[self.lang])}</h4>"
                f"<p>{words_['score']}: <b>{result['score']}</b> / {words_['max_score']}: {result['max_score']}</p>"
                f'<table class="pc-debrief">{"".join(rows)}</table>'
                f"<p><small>{words_['saved']} {html.escape(str(self.save_to))}</small></p>")

    def save(self) -> Path:
        """Write the finished run (result, transcript and the save state) as JSON for grading."""
        self.save_to.parent.mkdir(parents=True, exist_ok=True)
        data = self.dialogue.result()
        data["saved"] = json.loads(self.dialogue.save())
        self.save_to.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return self.save_to

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def play(scenario_id: str, lang: str = "zh", **options) -> ScenarioPlayer:
    """A scenario player; as a cell's last line it shows itself (once) in the notebook."""
    return ScenarioPlayer(scenario_id, lang, **options)
