"""Records checked against the text of the source they cite: `validate --source-text ID=FILE`.

FILE holds the source's text, one paragraph a line: ¶N is line N. For every record that cites
source ID, and whose every citation is of a source whose text was given:
- a verbatim `text` appears in its cited paragraphs, as written (only whitespace may differ);
- the year of every known date (`date`, `as_of`, `until`) that is not marked `inferred` appears in
  its cited paragraphs: a year the source does not state is ours, and must say so.
A record that also cites a source whose text was not given is not checked: the words may be there.
No YAML and no Textual here: text in, findings out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tui.knowledge.dates import INFERRED, PartialDate
from tui.knowledge.fields import specs_of
from tui.knowledge.records import Assessment, Cite, Record, yaml_key
from tui.loading.problems import Problems

# (YAML key or "" for the record itself, index of the item in a list or None, message)
Finding = tuple[str, int | None, str]


def normalised(text: str) -> str:
    """Runs of whitespace (line breaks included) as one space, none at the ends."""
    return " ".join(text.split())


def read_paragraphs(path: str, problems: Problems, max_bytes: int) -> list[str] | None:
    """The lines of a UTF-8 text file (¶N is line N), or None after reporting why they can't be had."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        problems.add(path, 0, 0, f"cannot read the source text: {exc.strerror or exc}")
        return None
    if len(data) > max_bytes:
        problems.add(path, 0, 0, f"the source text is over the limit of {max_bytes:,} bytes")
        return None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        problems.add(path, 0, 0, f"the source text is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})")
        return None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":  # the newline that ends the last line
        lines.pop()
    if not lines:
        problems.add(path, 0, 0, "the source text is empty: expected one paragraph a line")
        return None
    return lines


_DATE_KEYS: dict[type[Record], tuple[tuple[str, str], ...]] = {}


def _date_keys(cls: type[Record]) -> tuple[tuple[str, str], ...]:
    """(YAML key, field name) of each date field of a record class."""
    found = _DATE_KEYS.get(cls)
    if found is None:
        specs = specs_of(cls).items()
        found = _DATE_KEYS[cls] = tuple((yaml_key(name), name) for name, spec in specs if spec.type == "date")
    return found


@dataclass
class SourceTexts:
    """The texts given for some sources: source id -> its paragraphs, and the file each came from."""

    paragraphs: dict[str, list[str]]
    files: dict[str, str] = field(default_factory=dict)
    _normal: dict[str, list[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._normal = {source: [normalised(p) for p in paras] for source, paras in self.paragraphs.items()}

    def findings(self, record: Record) -> list[Finding]:
        """What in `record` its sources' texts do not bear out; [] when no text of its sources is given."""
        cites = record.cite
        if not any(c.source in self._normal for c in cites):
            return []
        out: list[Finding] = []
        cited: list[str] = []
        complete = True  # every cited paragraph is at hand
        for index, cite in enumerate(cites):
            paras = self._normal.get(cite.source)
            if paras is None:
                complete = False
            elif cite.last > len(paras):
                count = f"{len(paras)} paragraph{'' if len(paras) == 1 else 's'}"
                out.append(("cite", index, f"{cite} is past the end of the text of {cite.source!r}: it has {count}"))
                complete = False
            else:
                cited.extend(paras[cite.first - 1 : cite.last])
        if not complete:
            return out
        text = " ".join(cited)
        where = _where(cites)
        if isinstance(record, Assessment) and record.text is not None and normalised(record.text) not in text:
            out.append(
                (
                    "text",
                    None,
                    f"text is not in {where} as written (only whitespace may differ): "
                    "quote the source exactly, or omit text for a paraphrase",
                )
            )
        for key, name in _date_keys(type(record)):
            date = getattr(record, name)
            stated = isinstance(date, PartialDate) and date.year is not None and not date.inferred
            if stated and not re.search(rf"(?<![0-9]){date.year}(?![0-9])", text):
                out.append((key, None, _year_message(key, date, where)))
        return out


def _where(cites: tuple[Cite, ...]) -> str:
    """`¶29`, `¶5–7, ¶9`; with the source's id when the record cites more than one source."""
    one_source = len({c.source for c in cites}) == 1
    return ", ".join(c.paragraphs if one_source else str(c) for c in cites)


def _year_message(key: str, date: PartialDate, where: str) -> str:
    written = date.iso()
    what = f"{key} {written}" if written == str(date.year) else f"{key} {written} (the year {date.year})"
    return f"{what} is not in {where}: write '{INFERRED}{written}' if the year is inferred"
