"""A scenario compiled for the browser: one language, conditions already parsed, the best score
already explored. Like ink's compiled story, the runtime (scenario/js/) plays this form and never
sees the YAML; `version` changes whenever the shape does, and the runtime refuses other versions.

    compile_scenario(scenario, "zh") -> dict      (JSON-ready)
"""

from __future__ import annotations

from .explore import explore_once
from .model import Condition, Scenario

FORMAT = "perfcomm-scenario"
VERSION = 1


def _condition(condition: Condition | None):
    return None if condition is None else {"text": condition.text, "tree": condition.tree}


def compile_scenario(scenario: Scenario, lang: str) -> dict:
    """The engine's input, in one language. Nodes are a list (authored order), so that no runtime
    reorders them as objects with number-like keys would be."""
    nodes = []
    for node in scenario.nodes.values():
        nodes.append({
            "id": node.id,
            "lines": [{"speaker": line.speaker, "text": list(line.text[lang]), "condition": _condition(line.condition)}
                      for line in node.lines],
            "choices": [{"text": choice.text[lang], "goto": choice.goto, "condition": _condition(choice.condition),
                         "effects": [list(effect) for effect in choice.effects], "meets": list(choice.meets),
                         "violates": list(choice.violates),
                         "feedback": choice.feedback[lang] if choice.feedback else None}
                        for choice in node.choices],
            "routes": [{"goto": route.goto, "condition": _condition(route.condition)} for route in node.routes],
            "ending": {"kind": node.ending.kind, "title": node.ending.title[lang]} if node.ending else None,
        })
    return {
        "format": FORMAT,
        "version": VERSION,
        "id": scenario.id,
        "lang": lang,
        "stage": scenario.stage,
        "role": scenario.role,
        "title": scenario.title[lang],
        "persona": scenario.persona[lang],
        "briefing": scenario.briefing[lang],
        "variables": [{"name": v.name, "start": v.start, "low": v.low, "high": v.high, "label": v.label[lang],
                       "hidden": v.hidden}
                      for v in scenario.variables],
        "start": scenario.start,
        "max_score": explore_once(scenario).max_score,
        "nodes": nodes,
    }
