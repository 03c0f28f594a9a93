"""Load YAML keeping the line of every mapping and key, so errors can point at them."""

from __future__ import annotations

from pathlib import Path

import yaml

from .problems import ContentError, Problem


class Node(dict):
    """A YAML mapping that remembers its line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class Seq(list):
    """A YAML sequence that remembers its line and the line of each item."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


# libyaml's parser when PyYAML has it (much faster on the long scenario files); marks are the same.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    out = Node()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise _Duplicate(key, key_node.start_mark.line + 1)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> Seq:
    out = Seq(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


class _Duplicate(Exception):
    def __init__(self, key, line):
        self.key, self.line = key, line


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_text(text: str, shown_path: str, first_line: int = 1):
    """Parse YAML text; raise ContentError with path:line for any syntax problem."""
    offset = 0
    text = "\n" * (first_line - 1) + text  # so every recorded line is the line in the file
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except _Duplicate as dup:
        raise ContentError([Problem(shown_path, dup.line + offset,
                                    f"key '{dup.key}' appears twice in one mapping — keep one")])
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + 1 + offset) if mark else first_line
        what = err.problem or "YAML syntax error"
        started = err.context_mark.line + 1 if err.context_mark and mark is not err.context_mark else None
        where = f" (in the part that starts at line {started})" if started and started != line else ""
        raise ContentError([Problem(shown_path, line, f"YAML syntax error: {what}{where} — check indentation,"
                                                      " colons and quotes; quote text that contains ': ' or ', '")])
    except yaml.YAMLError as err:
        raise ContentError([Problem(shown_path, first_line, f"YAML error: {err}")])


def load_file(path: Path, shown_path: str):
    """Read and parse a YAML file; an unreadable, empty or non-mapping file is a ContentError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError([Problem(shown_path, 0, "not UTF-8 text — save the file as UTF-8")])
    except OSError as err:
        raise ContentError([Problem(shown_path, 0, f"cannot read the file: {err.strerror}")])
    data = load_text(text, shown_path)
    if data is None:
        raise ContentError([Problem(shown_path, 1, "the file is empty — see the format reference")])
    if not isinstance(data, dict):
        raise ContentError([Problem(shown_path, 1,
                                    "expected a YAML mapping (key: value lines) at the top of the file")])
    return data
