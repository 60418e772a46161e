"""Reading a year file into plain Python data while remembering the line of every node.

YAML is composed into PyYAML's node tree (which carries marks) and walked here, so every mapping
entry and list item gets a line number, keyed by its path: ("measures", 3, "rounds", 0). Mapping
keys in paths are always strings. JSON files are decoded with the json module (strict JSON, exact
error positions) and composed as YAML for the line numbers only.

Nothing here raises for bad input: problems come back as `Issue`s.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from prongsai.yearfile.issues import Issue, Path_, format_path

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

# Bounds: a year file is a few dozen KB; these are far above any real one and keep a hostile file
# (billion laughs, deep nesting, megabytes of text) to a fraction of a second and a few MB of memory.
MAX_BYTES = 4 * 1024 * 1024     # the file's size
MAX_DEPTH = 40                  # nesting of mappings and lists (a year file needs 8)
MAX_NODES = 50_000              # values after aliases are expanded (a year file has a few thousand)
MAX_ALIASES = 1_000             # *alias references

# What PyYAML's reader refuses (and JSON should not hold raw): control characters other than tab and
# newlines, DEL, surrogates, U+FFFE/U+FFFF.
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")


class _Loader(yaml.SafeLoader):
    """SafeLoader with only the constructors a year file needs: null, bool, int, float, str and
    timestamp. Every other tag (!!binary, !!set, !!omap, !!python/..., local tags) is an error."""

    yaml_constructors = {
        tag: yaml.SafeLoader.yaml_constructors[tag]
        for tag in (
            "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float", "tag:yaml.org,2002:str", _TIMESTAMP_TAG,
        )
    }
    yaml_constructors[None] = yaml.SafeLoader.construct_undefined


if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.cyaml.CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """The same loader on libyaml's parser (C, about 10 times faster): same resolver and
        constructors, so the same nodes and tags. Only a file it parses without error is read with it;
        any YAML error is reported by the pure-Python `_Loader` (its messages name the problem)."""

        yaml_constructors = _Loader.yaml_constructors

        def __init__(self, stream):
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
else:  # pragma: no cover - PyYAML wheels ship libyaml
    _FastLoader = None

FAST = _FastLoader is not None  # tests compare both parsers on the fuzz corpus


class _TooBig(Exception):
    def __init__(self, issue: Issue):
        self.issue = issue


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
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return Source(errors=[Issue("", f"{path}: no such file")])
    except IsADirectoryError:
        return Source(errors=[Issue("", f"{path}: is a directory, not a year file")])
    except OSError as exc:
        return Source(errors=[Issue("", f"{path}: cannot read: {exc.strerror or exc}")])
    if len(raw) > MAX_BYTES:
        return Source(errors=[Issue("", f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB: not a year file "
                                        f"(a year file is a few dozen KB)")])
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
    parse = parse_json if path.suffix.lower() == ".json" else parse_yaml
    source = parse(text)
    source.errors = [_named(path, issue) for issue in source.errors]
    return source


def _named(path: Path, issue: Issue) -> Issue:
    """A whole-file reading error names the file (the line is already in the issue)."""
    if issue.path or issue.message.startswith(str(path)):
        return issue
    return Issue(issue.path, f"{path}: {issue.message}", issue.line, issue.column, issue.severity)


def _control_character(text: str) -> Issue | None:
    match = _NOT_PRINTABLE.search(text)
    if match is None:
        return None
    start = match.start()
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    char = ord(match.group())
    return Issue("", f"control character U+{char:04X} is not allowed in a year file: remove it "
                     f"(write a line break as a real new line)", line, column)


def _scan_events(text: str, loader_class=None) -> Issue | None:
    """Nesting depth and alias count from PyYAML's event stream (iterative: no recursion, nothing
    built), before anything is composed. None when within bounds or when the text does not parse
    (composing reports that with its line)."""
    loader = (loader_class or _Loader)(text)
    depth = aliases = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return Issue("", f"nested more than {MAX_DEPTH} levels deep: not a year file",
                                 event.start_mark.line + 1, event.start_mark.column + 1)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    return Issue("", f"more than {MAX_ALIASES} aliases (*name): not a year file",
                                 event.start_mark.line + 1, event.start_mark.column + 1)
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def _json_depth(text: str) -> Issue | None:
    """The deepest nesting of a JSON text, counted outside strings, without parsing it."""
    depth, line, in_string, escaped = 0, 1, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return Issue("", f"nested more than {MAX_DEPTH} levels deep: not a year file", line)
        elif char in "]}":
            depth -= 1
        if char == "\n":
            line += 1
    return None


def parse_yaml(text: str) -> Source:
    # libyaml accepts tabs where PyYAML refuses them ("found character '\\t' that cannot start any
    # token"): a text with a tab is read by the pure loader, so both accept exactly the same files.
    if FAST and "\t" not in text:
        fast = _parse_yaml(text, _FastLoader)
        if fast is not None:
            return fast
    return _parse_yaml(text, _Loader)


def _parse_yaml(text: str, loader_class) -> Source | None:
    """None when the fast loader meets a YAML error (the pure one then says what it is)."""
    fast = loader_class is not _Loader
    source = Source()
    problem = _control_character(text) or _scan_events(text, loader_class)
    if problem is not None:
        source.errors.append(problem)
        return source
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        if fast:
            return None
        source.errors.append(_yaml_error(exc))
        return source
    except yaml.YAMLError as exc:  # unmarked (rare): still one line
        if fast:
            return None
        source.errors.append(Issue("", f"YAML error: {exc}"))
        return source
    finally:
        loader.dispose()
    if node is None:
        source.errors.append(Issue("", "the file is empty"))
        return source
    walker = _Walker(loader, source)
    try:
        source.data = walker.walk(node, ())
    except _TooBig as exc:
        source.data = None
        source.errors.append(exc.issue)
        return source
    _check_top(source, node)
    return source


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number a year file may hold")


def parse_json(text: str) -> Source:
    source = Source()
    if not text.strip():
        source.errors.append(Issue("", "the file is empty"))
        return source
    problem = _control_character(text) or _json_depth(text)
    if problem is not None:
        source.errors.append(problem)
        return source
    try:
        source.data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        source.errors.append(Issue("", f"JSON syntax error: {exc.msg}", exc.lineno, exc.colno))
        return source
    except (ValueError, RecursionError) as exc:  # a number of more than 4300 digits, NaN, Infinity
        source.errors.append(Issue("", f"JSON value error: {str(exc).split(';')[0]}"))
        return source
    # The same text as YAML, for line numbers and duplicate keys only. JSON forbids raw tabs inside
    # strings, so replacing them keeps every line where it is and spares YAML's tab rules.
    probe_text = text.replace("\t", " ")
    node = None
    if _scan_events(probe_text) is None:
        loader = _Loader(probe_text)
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            node = None
        finally:
            loader.dispose()
    if node is not None:
        probe = Source()
        try:
            _Walker(loader, probe).walk(node, ())
        except _TooBig:
            probe = Source()
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
        self.nodes = 0

    def error(self, path: Path_, message: str, node: yaml.Node) -> None:
        self.source.errors.append(
            Issue(format_path(path), message, node.start_mark.line + 1, node.start_mark.column + 1)
        )

    def walk(self, node: yaml.Node, path: Path_):
        self.nodes += 1
        if self.nodes > MAX_NODES:  # aliases expanding without end (billion laughs)
            raise _TooBig(Issue("", f"more than {MAX_NODES:,} values once aliases are expanded: not a year file",
                                node.start_mark.line + 1, node.start_mark.column + 1))
        if len(path) > MAX_DEPTH:
            raise _TooBig(Issue("", f"nested more than {MAX_DEPTH} levels deep: not a year file",
                                node.start_mark.line + 1, node.start_mark.column + 1))
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
        except RecursionError:  # merge keys merging merge keys without end
            self.active.discard(id(node))
            raise _TooBig(Issue("", "merge keys (<<) nested too deeply: not a year file",
                                node.start_mark.line + 1, node.start_mark.column + 1)) from None
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
        except Exception:  # ValueError, AttributeError (!!timestamp x), KeyError (!!bool maybe), ...
            # A timestamp-looking value that is not a real date (2020-02-30): keep the text, the
            # schema's date check reports it with its path. `!!timestamp x` (no date at all), an
            # integer of more than 4300 digits and the like: an error naming the value.
            if node.tag == _TIMESTAMP_TAG and _Loader.timestamp_regexp.match(node.value):
                return node.value
            shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
            self.error(path, f"cannot read {shown!r} as {node.tag.rsplit(':', 1)[-1]}", node)
            return None
