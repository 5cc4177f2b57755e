"""Reading YAML that may be hostile: composed with libyaml when present, every scalar kept a string.

What is refused, each reported as `path:line:col`: bytes that are not UTF-8, control characters
written raw in the file, files over a size cap, FIFOs and devices, syntax errors, several documents,
anchors and aliases, merge keys, explicit tags, keys that are not plain strings, duplicate keys,
nesting deeper than `MAX_DEPTH`, more than `MAX_NODES` values in one file.
The result is the composed node tree (`yaml.Node`), so later stages can still point at lines.

A control character written as an escape in a double-quoted string ("\\e[2J", "\\x01") is data, as
YAML defines it: it loads, and every place that shows or writes text makes it visible first
(`safe_text.clean` on screen and in Markdown and CSV, `\\uXXXX` in JSON). The hostile-text tests
load such strings through this module and check each of those places.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tui.loading.problems import ProblemLimitReached, Problems, clipped, shown

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64
# Values (scalars, lists and mappings) in one file. Each composed node holds two position marks:
# ~430 bytes a value, so a million is ~430 MB, and a 32 MiB line of `[a,a,a,…]` would be 7 GB.
MAX_NODES = 1_000_000
_TAG = "tag:isis-explorer:"
STR_TAG, SEQ_TAG, MAP_TAG = _TAG + "str", _TAG + "seq", _TAG + "map"
_PLAIN_TAGS = {ScalarNode: STR_TAG, SequenceNode: SEQ_TAG, MappingNode: MAP_TAG}
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})

# C0 except tab/LF/CR, DEL, C1 (NEL U+0085 is a YAML line break and is also refused: it confuses
# line numbers, as do the line and paragraph separators U+2028/U+2029), lone surrogates, and the
# non-characters YAML refuses.
# Where YAML could start an anchor (&a) or an alias (*a): after a space, a line start or a flow
# indicator. Only then is the (slower) event scan run; "R&D" or a URL's "?a=1&b=2" do not trigger it.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,:?-])[&*][^\s,\[\]{}]", re.MULTILINE)
_ANCHOR_AT = re.compile(r"(?:(?<=[\s\[{,:?-])|^)[&*](?=[^\s,\[\]{}])", re.MULTILINE)  # each place _MAYBE_ANCHOR finds
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")

try:  # libyaml is ~6x faster; fall back to the pure-Python parser when it is missing.
    from yaml._yaml import CParser as _Parser  # what yaml.cyaml's loaders are built on

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    HAVE_LIBYAML = False

    class _Parser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)


class _EventReader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """The pure-Python event stream: slower, but reads past libyaml's depth limit (error path only)."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)

    def next_event(self) -> yaml.Event:
        """`get_event()`, typed: the stubs leave the pure-Python parser's untyped."""
        get_event: Callable[[], yaml.Event] = self.get_event
        return get_event()

    def dispose(self) -> None:
        pass


class _StringLoader(_Parser):
    """Composes nodes without implicit typing: every untagged node gets one of our plain tags."""

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        return _PLAIN_TAGS[kind]

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


@dataclass(frozen=True, slots=True)
class YamlDocument:
    path: str
    root: Node | None


def position(node: Node) -> tuple[int, int]:
    """1-based (line, column) where `node` starts."""
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


def is_plain(node: Node) -> bool:
    """An unquoted scalar (libyaml marks its style '', the Python parser None)."""
    return isinstance(node, ScalarNode) and not node.style


def is_null(node: Node) -> bool:
    return is_plain(node) and node.value in NULL_WORDS


def read_text(path: str, problems: Problems, max_bytes: int = DEFAULT_MAX_BYTES) -> str | None:
    """The file's text, or None after reporting why it can't be had."""
    try:
        if os.path.isdir(path):
            problems.add(path, 0, 0, "is a directory, expected a YAML file")
            return None
        # O_NONBLOCK: opening a FIFO (or a device) must not wait for a writer; fstat then refuses it.
        with open(path, "rb", opener=_open_nonblocking) as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                problems.add(path, 0, 0, "is not a regular file (a FIFO or a device?), expected a YAML file")
                return None
            if info.st_size > max_bytes:
                problems.add(path, 1, 1, f"file is {info.st_size:,} bytes, over the limit of {max_bytes:,}")
                return None
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        problems.add(path, 0, 0, f"cannot read: {exc.strerror or exc}")
        return None
    if len(data) > max_bytes:
        problems.add(path, 1, 1, f"file is over the limit of {max_bytes:,} bytes")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", "replace").removeprefix("\ufeff")
        before = before.replace("\r\n", "\n").replace("\r", "\n")
        line, col = _line_col(before, len(before))
        problems.add(path, line, col, f"invalid UTF-8 (byte 0x{data[exc.start]:02x})")
        return None
    text = text.removeprefix("\ufeff")
    if "\r" in text:  # YAML reads CR and CRLF as LF; so must our own line numbers
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _FORBIDDEN.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        problems.add(path, line, col, f"control character U+{ord(bad.group()):04X} is not allowed")
        return None
    return text


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _event_at(event: yaml.Event) -> tuple[int, int]:
    """1-based (line, column) where an event starts (the parsers always mark it)."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def parse(path: str, text: str, problems: Problems) -> Node | None:
    """Compose one document; report syntax errors and forbidden YAML features."""
    if not _MAYBE_ANCHOR.search(text):  # cheap pre-test: no anchor and no alias here
        return _parse(path, text, problems)
    # An `&` or `*` where YAML could start an anchor or an alias, though most are in quoted text
    # ("R &D", "*emphasis*"): the event scan that finds them costs as much as composing. So compose
    # first, and take the tree if it is clean and no node starts at one of them (an anchor starts
    # its node, or follows a tag, which is refused); else read it again the careful way, which
    # says what is wrong where.
    starts = {found.start() for found in _ANCHOR_AT.finditer(text)}
    try:
        root = _parse(path, text, Problems(0), starts)  # any problem at all stops it
    except ProblemLimitReached:
        root = None
    return root if root is not None else _parse(path, text, problems, find_anchor=True)


def _parse(
    path: str, text: str, problems: Problems, starts: set[int] | None = None, find_anchor: bool = False
) -> Node | None:
    try:
        if find_anchor and _find_anchor(path, text, problems):
            return None
        if _node_bound(text) > MAX_NODES and _too_many_nodes(path, text, problems):  # likewise
            return None
        loader = _StringLoader(text)
        try:
            root = loader.get_single_node()
        except RecursionError:  # the composer recurses once per level: say where it got too deep
            _too_deep(path, text, problems)
            return None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit (1000): report ours
            _too_deep(path, text, problems, exc.problem_mark)
            return None
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem and exc.problem.startswith("but "):  # one sentence in two
            what = f"{exc.context}, {exc.problem}"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.add(path, line, col, f"YAML syntax error: {what}")
        return None
    except yaml.YAMLError as exc:  # ReaderError and friends: carry a position, not a mark
        pos = getattr(exc, "position", 0) or 0
        line, col = _line_col(text, min(pos, len(text)))
        problems.add(path, line, col, f"YAML error: {getattr(exc, 'reason', exc)}")
        return None
    if root is None or is_null(root):  # empty, only comments, or an empty document (`---`, `--- ~`)
        problems.add(path, 1, 1, "the file holds no data: expected a mapping such as `groups:`")
        return None
    if _check_tree(path, root, problems, starts):
        return root
    return None


def _find_anchor(path: str, text: str, problems: Problems) -> bool:
    loader = _StringLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                line, col = _event_at(event)
                problems.add(path, line, col, f"aliases are not allowed (*{clipped(event.anchor or '')})")
                return True
            if isinstance(event, yaml.NodeEvent) and event.anchor:
                line, col = _event_at(event)
                problems.add(path, line, col, f"anchors are not allowed (&{clipped(event.anchor)})")
                return True
    finally:
        loader.dispose()
    return False


def _node_bound(text: str) -> int:
    """More than the number of values `text` can hold, counted at C speed: each value is set off by a
    comma, a line break, `: `, `- ` or an opening bracket (twice that, to be sure). Typical data is
    far below MAX_NODES, so the exact count below runs only for unusual files."""
    marks = sum(text.count(mark) for mark in (",", "\n", ": ", "- ", "[", "{"))
    return 2 * marks + 16


def _too_many_nodes(path: str, text: str, problems: Problems) -> bool:
    """Count the values from the event stream (one at a time, so little memory) before composing;
    report the value past MAX_NODES. A syntax error is left to the composer to report."""
    loader = _StringLoader(text)
    count = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                count += 1
                if count > MAX_NODES:
                    line, col = _event_at(event)
                    problems.add(
                        path, line, col, f"more than {MAX_NODES:,} values in one file: split it into smaller files"
                    )
                    return True
    except yaml.YAMLError:
        return False
    finally:
        loader.dispose()
    return False


def _too_deep(path: str, text: str, problems: Problems, mark: yaml.Mark | None = None) -> None:
    """Report the first node deeper than MAX_DEPTH, found from the (non-recursive) event stream;
    where the Python parser refuses what libyaml read (a tab after `key:`), at libyaml's `mark`."""
    loader = _EventReader(text)
    # One entry per open collection: for a mapping, whether its next node is a key (keys are not
    # counted, as in _check_tree, so both report the same node); None for a sequence.
    levels: list[bool | None] = []
    try:
        while loader.check_event():
            event = loader.next_event()
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
                is_key = bool(levels) and levels[-1] is True
                if levels and levels[-1] is not None:
                    levels[-1] = not levels[-1]
                if not is_key and len(levels) + 1 > MAX_DEPTH:
                    line, col = _event_at(event)
                    problems.add(path, line, col, f"nesting deeper than {MAX_DEPTH} levels")
                    return
                if isinstance(event, yaml.CollectionStartEvent):
                    levels.append(True if isinstance(event, yaml.MappingStartEvent) else None)
            elif isinstance(event, yaml.CollectionEndEvent):
                levels.pop()
    except yaml.YAMLError:
        if mark is not None:
            problems.add(path, mark.line + 1, mark.column + 1, f"nesting deeper than {MAX_DEPTH} levels")
            return
    finally:
        loader.dispose()
    problems.add(path, 1, 1, "data nested too deeply to read")  # pragma: no cover - not expected


def _check_tree(path: str, root: Node, problems: Problems, starts: set[int] | None = None) -> bool:
    """Walk every node once (iteratively): tags, keys, duplicates, depth; and no node starts at one of
    `starts` (where an anchor may be written). True when clean.
    The hottest loop of a load after libyaml's own: positions are worked out only for a problem."""
    before = len(problems.items)
    seen: set[int] = set()
    stack: list[tuple[Node, int]] = [(root, 1)]
    pop, push, mark_seen, plain_tags = stack.pop, stack.append, seen.add, _PLAIN_TAGS
    while stack:
        node, depth = pop()
        if id(node) in seen:  # only reachable through an alias; _find_anchor reports those
            line, col = position(node)
            problems.add(path, line, col, "aliases are not allowed")
            continue
        mark_seen(id(node))
        if starts is not None and node.start_mark.index in starts:
            problems.add(path, *position(node), "anchors are not allowed")
            continue
        kind = type(node)
        if node.tag != plain_tags[kind]:
            line, col = position(node)
            problems.add(path, line, col, f"tags are not allowed ({shown(node.tag)[1:-1]})")  # %1B: ESC
            continue
        if depth > MAX_DEPTH:
            line, col = position(node)
            problems.add(path, line, col, f"nesting deeper than {MAX_DEPTH} levels")
            continue
        if kind is SequenceNode:
            stack.extend((child, depth + 1) for child in reversed(node.value))
        elif kind is MappingNode:
            first: dict[str, Node] = {}
            for key, value in node.value:
                if not isinstance(key, ScalarNode) or key.tag != STR_TAG:
                    problems.add(path, *position(key), "keys must be plain strings")
                    continue
                if starts is not None and key.start_mark.index in starts:
                    problems.add(path, *position(key), "anchors are not allowed")
                    continue
                text = key.value
                if not key.style and (text == "<<" or text in NULL_WORDS):  # a plain `<<`, or null
                    what = "merge keys (<<) are not allowed" if text == "<<" else "empty key"
                    problems.add(path, *position(key), what)
                    continue
                if text in first:
                    l0, c0 = position(first[text])
                    problems.add(path, *position(key), f"duplicate key {shown(text)} (first at line {l0}, column {c0})")
                    continue
                first[text] = key
                push((value, depth + 1))
    return len(problems.items) == before
