"""Browser-like navigation history: back and forward over the records the user has opened."""

from __future__ import annotations

from dataclasses import dataclass, field

Entry = tuple[str, str]  # (kind, id)


@dataclass
class History:
    """`visit` drops the forward entries, like a browser; `back`/`forward` move without losing any."""

    entries: list[Entry] = field(default_factory=list)
    index: int = -1
    limit: int = 500

    @property
    def current(self) -> Entry | None:
        return self.entries[self.index] if self.entries else None

    def visit(self, entry: Entry, *, replace: bool = False) -> None:
        """Record a new place; `replace` overwrites the current one (used while browsing the tree)."""
        if entry == self.current:
            return
        if replace and self.entries:
            del self.entries[self.index + 1 :]
            self.entries[self.index] = entry
            return
        del self.entries[self.index + 1 :]
        self.entries.append(entry)
        if len(self.entries) > self.limit:
            del self.entries[0]
        self.index = len(self.entries) - 1

    def back(self) -> Entry | None:
        if self.index > 0:
            self.index -= 1
            return self.current
        return None

    def forward(self) -> Entry | None:
        if self.index < len(self.entries) - 1:
            self.index += 1
            return self.current
        return None

    @property
    def can_go_back(self) -> bool:
        return self.index > 0

    @property
    def can_go_forward(self) -> bool:
        return self.index < len(self.entries) - 1
