"""The notebook player driven through its buttons, and every lesson notebook run in a real kernel."""

from __future__ import annotations

import html
import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from perfcomm.course import Course
from perfcomm.players.widgets import ScenarioPlayer
from perfcomm.scenario import Dialogue

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "lessons/notebooks").glob("*.ipynb"))


def test_player_buttons_play_a_scenario_and_save_the_transcript(tmp_path):
    player = ScenarioPlayer("s3-defensive-low-score", lang="en", save_to=tmp_path / "run.json", course=Course(ROOT))
    first_lines = [line.text for line in player.dialogue.lines]
    assert all(html.escape(line) in player.chat.value for line in first_lines)
    player.choice_buttons[0].click()
    assert player.undo_button.disabled is False
    player.undo_button.click()
    assert [line.text for line in player.dialogue.lines] == first_lines
    reference = Dialogue(player.scenario, "en")
    while not player.dialogue.finished:
        number = len(player.choice_buttons) - 1
        player.choice_buttons[number].click()
        reference.choose(number)
    assert player.choice_buttons == []
    assert "Debrief" in player.debrief.value
    saved = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert saved["ending"] == reference.state.node
    assert saved["score"] == reference.score
    assert saved["checkpoints"] == reference.checkpoints
    assert saved["transcript"] == reference.transcript
    restored = Dialogue.restore(player.scenario, json.dumps(saved["saved"]))
    assert restored.state == reference.state
    for name, meter in player.meters.items():
        assert meter.value == reference.values[name]
    player.restart_button.click()
    assert not player.dialogue.finished and player.choice_buttons


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_lesson_notebook_runs_top_to_bottom(path, tmp_path, monkeypatch):
    monkeypatch.setenv("PERFCOMM_COURSE", str(ROOT))
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors == []
    widgets = [o for c in notebook.cells for o in c.get("outputs", [])
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    plays = sum("play(" in c.source for c in notebook.cells if c.cell_type == "code")
    assert len(widgets) == plays
