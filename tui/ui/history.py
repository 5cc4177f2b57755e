"""Browser-like navigation history: back and forward over the records the user has opened, each
remembering where on its page the user stood when leaving it."""

from __future__ import annotations

from dataclasses import dataclass, field

Entry = tuple[str, str]  # (kind, id)


@dataclass(frozen=True, slots=True)
class Place:
    """Where the user stood on a detail page: the highlighted line (None: none) and the scroll offset."""

    line: int | None = None
    scroll_y: float = 0.0


@dataclass(slots=True)
class Visit:
    entry: Entry
    place: Place | None = None  # set when the user leaves the page; None opens it at the top
    from_view: str | None = None  # the view (map, groups...) it was opened from: Back returns there


@dataclass
class History:
    """`visit` drops the forward visits, like a browser; `back`/`forward` move without losing any.

    Every move takes `left_at`, the place on the page being left, so coming back restores it.
    Moving through the region tree is `browse`: consecutive tree moves replace one visit, so holding
    Down through fifty regions leaves one step to go back over, not fifty."""

    visits: list[Visit] = field(default_factory=list)
    index: int = -1
    limit: int = 500
    browsing: bool = False  # the current visit was reached by moving in the tree

    @property
    def entries(self) -> list[Entry]:
        return [v.entry for v in self.visits]

    @property
    def current(self) -> Visit | None:
        return self.visits[self.index] if self.visits else None

    def _leave(self, left_at: Place | None) -> None:
        if self.visits and left_at is not None:
            self.visits[self.index].place = left_at

    def visit(self, entry: Entry, *, left_at: Place | None = None, from_view: str | None = None) -> None:
        """Record a new place (a link, search, the palette, a view: `from_view`, where Back returns)."""
        self.browsing = False
        if self.current is not None and entry == self.current.entry:
            self.current.from_view = from_view
            return
        self._leave(left_at)
        del self.visits[self.index + 1 :]
        self.visits.append(Visit(entry, from_view=from_view))
        if len(self.visits) > self.limit:
            del self.visits[0]
        self.index = len(self.visits) - 1

    def browse(self, entry: Entry, *, left_at: Place | None = None) -> None:
        """Record a move in the tree: it replaces the current visit when that was a tree move too."""
        if self.browsing and self.visits:
            del self.visits[self.index + 1 :]
            self.visits[self.index] = Visit(entry)
            return
        self.visit(entry, left_at=left_at)
        self.browsing = True

    def back(self, *, left_at: Place | None = None) -> Visit | None:
        if self.index <= 0:
            return None
        self._leave(left_at)
        self.browsing = False
        self.index -= 1
        return self.current

    def forward(self, *, left_at: Place | None = None) -> Visit | None:
        if self.index >= len(self.visits) - 1:
            return None
        self._leave(left_at)
        self.browsing = False
        self.index += 1
        return self.current

    @property
    def can_go_back(self) -> bool:
        return self.index > 0

    @property
    def can_go_forward(self) -> bool:
        return self.index < len(self.visits) - 1
