"""Reading a year file into plain Python data while remembering the line of every node.

YAML is composed into PyYAML's node tree (which carries marks) and walked here, so every mapping
entry and list item gets a line number, keyed by its path: ("measures", 3, "rounds", 0). Mapping
keys in paths are always strings. JSON files are decoded with the json module (strict JSON, exact
error positions) and composed as YAML for the line numbers only.

Nothing here raises for bad input: problems come back as `Issue`s.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from prongsai.yearfile.issues import Issue, Path_, format_path

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


@dataclass
class Source:
    """What a file holds: the data (None when unreadable), the line of each path, and load errors."""

    data: object = None
    lines: dict[Path_, int] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)

    def line_of(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one (a key left out by the file
        is reported at its parent)."""
        path = tuple(path)
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


def read(path: Path | str) -> Source:
    """Read and parse a year file. JSON when the name ends in .json, YAML otherwise."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Source(errors=[Issue("", f"{path}: no such file")])
    except IsADirectoryError:
        return Source(errors=[Issue("", f"{path}: is a directory, not a year file")])
    except OSError as exc:
        return Source(errors=[Issue("", f"{path}: cannot read: {exc.strerror or exc}")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1  # in characters
        return Source(
            errors=[
                Issue(
                    "",
                    f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                    line,
                    column,
                )
            ]
        )
    if path.suffix.lower() == ".json":
        return parse_json(text)
    return parse_yaml(text)


def parse_yaml(text: str) -> Source:
    source = Source()
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        source.errors.append(_yaml_error(exc))
        return source
    except yaml.YAMLError as exc:  # unmarked (rare): still one line
        source.errors.append(Issue("", f"YAML error: {exc}"))
        return source
    finally:
        loader.dispose()
    if node is None:
        source.errors.append(Issue("", "the file is empty"))
        return source
    walker = _Walker(loader, source)
    source.data = walker.walk(node, ())
    _check_top(source, node)
    return source


def parse_json(text: str) -> Source:
    source = Source()
    if not text.strip():
        source.errors.append(Issue("", "the file is empty"))
        return source
    try:
        source.data = json.loads(text)
    except json.JSONDecodeError as exc:
        source.errors.append(Issue("", f"JSON syntax error: {exc.msg}", exc.lineno, exc.colno))
        return source
    # The same text as YAML, for line numbers and duplicate keys only. JSON forbids raw tabs inside
    # strings, so replacing them keeps every line where it is and spares YAML's tab rules.
    loader = yaml.SafeLoader(text.replace("\t", " "))
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        node = None
    finally:
        loader.dispose()
    if node is not None:
        probe = Source()
        _Walker(loader, probe).walk(node, ())
        source.lines = probe.lines
        source.errors.extend(issue for issue in probe.errors if issue.message.startswith("duplicate key"))
        _check_top(source, node)
    elif not isinstance(source.data, dict):
        source.errors.append(_not_a_mapping(source.data, 1))
    return source


def _check_top(source: Source, node: yaml.Node) -> None:
    if not isinstance(source.data, dict) and not source.errors:
        source.errors.append(_not_a_mapping(source.data, node.start_mark.line + 1))


def _not_a_mapping(data: object, line: int) -> Issue:
    kind = "a list" if isinstance(data, list) else f"a single value ({data!r})"
    return Issue("", f"the top level must be a mapping (version: 1, fiscal_year: ..., agency: ...), not {kind}", line)


def _yaml_error(exc: yaml.MarkedYAMLError) -> Issue:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    message = f"YAML syntax error: {exc.context}: {problem}" if exc.context else f"YAML syntax error: {problem}"
    if mark is None:
        return Issue("", message)
    return Issue("", message, mark.line + 1, mark.column + 1)


class _Walker:
    """Builds plain data from a composed node tree, recording lines and reporting what a plain
    SafeLoader would silently accept (duplicate keys) or die on (bad dates, unknown tags)."""

    def __init__(self, loader: yaml.SafeLoader, source: Source):
        self.loader = loader
        self.source = source
        self.active: set[int] = set()

    def error(self, path: Path_, message: str, node: yaml.Node) -> None:
        self.source.errors.append(
            Issue(format_path(path), message, node.start_mark.line + 1, node.start_mark.column + 1)
        )

    def walk(self, node: yaml.Node, path: Path_):
        if path not in self.source.lines:
            self.source.lines[path] = node.start_mark.line + 1
        if id(node) in self.active:
            self.error(path, "an alias refers to itself (recursive data)", node)
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node, path)
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict | None:
        if node.tag != _MAP_TAG:
            self.error(path, f"unsupported YAML tag {node.tag}", node)
            return None
        self.active.add(id(node))
        try:
            self.loader.flatten_mapping(node)  # resolves "<<" merge keys
        except yaml.MarkedYAMLError as exc:
            self.source.errors.append(_yaml_error(exc))
            self.active.discard(id(node))
            return None
        result: dict = {}
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(path, "a mapping key must be a plain name or number", key_node)
                continue
            key = self._scalar(key_node, path)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                key = key_node.value
            child = (*path, str(key))
            if str(key) in seen:
                self.error(child, f"duplicate key {key!r} (the later value would silently win)", key_node)
                continue
            seen.add(str(key))
            self.source.lines[child] = key_node.start_mark.line + 1
            result[key] = self.walk(value_node, child)
        self.active.discard(id(node))
        return result

    def _sequence(self, node: yaml.SequenceNode, path: Path_) -> list | None:
        if node.tag != _SEQ_TAG:
            self.error(path, f"unsupported YAML tag {node.tag}", node)
            return None
        self.active.add(id(node))
        result = [self.walk(item, (*path, index)) for index, item in enumerate(node.value)]
        self.active.discard(id(node))
        return result

    def _scalar(self, node: yaml.ScalarNode, path: Path_):
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            self.error(path, exc.problem or "cannot read this value", node)
            return None
        except ValueError:
            # A timestamp-looking value that is not a real date (2020-02-30): keep the text, the
            # schema's date check reports it with its path.
            if node.tag == _TIMESTAMP_TAG:
                return node.value
            self.error(path, f"cannot read {node.value!r} as {node.tag.rsplit(':', 1)[-1]}", node)
            return None
