"""A scenario as a Mermaid flowchart: nodes, choices as labelled edges, endings by kind."""

from __future__ import annotations

from .model import Scenario



def _label(text: str, width: int = 18) -> str:
    text = text.replace('"', "'").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def mermaid(scenario: Scenario, lang: str = "zh") -> str:
    out = ["flowchart TD"]
    ids = {node_id: f"n{i}" for i, node_id in enumerate(scenario.nodes)}
    for node_id, node in scenario.nodes.items():
        if node.ending:
            out.append(f'  {ids[node_id]}(["{_label(node.ending.title[lang], 24)}"]):::{node.ending.kind}')
        else:
            out.append(f'  {ids[node_id]}["{node_id}"]')
    for node_id, node in scenario.nodes.items():
        for number, choice in enumerate(node.choices, 1):
            mark = " ✗" if choice.violates else " ✓" if choice.meets else ""
            label = f"{number}. {_label(choice.text[lang])}{mark}"
            if choice.condition:
                label += f" [{choice.condition.text}]"
            out.append(f'  {ids[node_id]} -->|"{label}"| {ids[choice.goto]}')
        for route in node.routes:
            label = route.condition.text if route.condition else "…"
            out.append(f'  {ids[node_id]} -.->|"{label}"| {ids[route.goto]}')
    out += ["  classDef good fill:#d6f5d6,stroke:#2e7d32", "  classDef mixed fill:#fff3cd,stroke:#b7791f",
            "  classDef poor fill:#f8d7da,stroke:#c62828"]
    return "\n".join(out)
