"""Search: the Textual-free index, the search dialog and the command-palette providers."""

from __future__ import annotations

import re
import time

import pytest
from textual import events
from textual.app import App
from textual.command import CommandPalette, DiscoveryHit, Hit
from textual.content import Content
from textual.widgets import Input, OptionList, Static

from tui.knowledge.search_index import SearchIndex, index_for
from tui.knowledge.search_text import QUERY_CAP, SNIPPET_WIDTH, terms
from tui.loading.loader import load
from tui.ui.palette_providers import VIEWS, RecordsProvider, ViewsProvider, help_text
from tui.ui.screens.search_screen import SearchScreen

HOSTILE_NAME = "[@click=app.quit]x[/]"
HOSTILE = f"""\
    groups:
      - id: hostile
        name: "{HOSTILE_NAME}"
        kind: isis-branch
        aliases: ["Wilayat Khurasan", "[bold]Loud[/] \\e]52;c;aGk=\\a"]
        regions: [iraq]
        status: Weakened but resilient
        summary: "[/] [$accent] \\e[2J evil summary"
        cite: article/p1
      - id: beta-mosul
        name: B Mosul
        kind: insurgency
        regions: [mosul]
        summary: Second by title.
        cite: article/p1
      - id: alpha-mosul
        name: A Mosul
        kind: insurgency
        aliases: [Mosulites]
        regions: [mosul]
        summary: First by title.
        cite: article/p1
      - id: aliased
        name: Front
        kind: insurgency
        aliases: [Mosul front]
        regions: [mosul]
        summary: Known by an alias only.
        cite: article/p1
      - id: summary-only
        name: Outsiders
        kind: insurgency
        regions: [iraq]
        summary: Active near Mosul.
        cite: article/p1
    topics:
      - id: mosul-topic
        name: MOSUL
        cite: article/p1
    """


@pytest.fixture(scope="module")
def bundled():
    return load()


@pytest.fixture
def hostile_kb(write_kb):
    return load(write_kb(zz=HOSTILE))


def keys(hits) -> list[tuple[str, str]]:
    return [(hit.kind, hit.id) for hit in hits]


# -- the index -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "kind", "record_id", "field"),
    [
        ("mOsUl CeL", "groups", "mosul-cell", "name"),
        ("ANALYST a", "people", "analyst-a", "name"),
        ("wilayat khurasan", "groups", "hostile", "alias"),
        ("a CELL in", "groups", "mosul-cell", "summary"),
        ("NOT OVER", "assessments", "analyst-a-not-over", "quote"),
        ("come back WHEN", "assessments", "analyst-a-not-over", "quote"),
        ("but RESILIENT", "groups", "hostile", "status"),
        ("senior ANALYST", "people", "analyst-a", "role"),
        ("city was RETAKEN", "events", "fall-of-mosul", "summary"),
    ],
)
def test_each_field_is_searched_ignoring_case(hostile_kb, query, kind, record_id, field) -> None:
    hits = SearchIndex(hostile_kb).search(query)
    hit = next(h for h in hits if (h.kind, h.id) == (kind, record_id))
    assert hit.field == field
    assert hit.label == hostile_kb.get(kind, record_id).LABEL
    if field != "name":  # the snippet shows what matched, and the span points at it
        start, end = hit.span
        assert hit.snippet[start:end].casefold() == query.casefold()


def test_every_record_of_every_kind_is_found_by_its_title(kb) -> None:
    index = SearchIndex(kb)
    for kind, record in kb.all_records():
        # an assessment's name is its speaker's; its own words are found in the quote tier
        query = (record.text or record.summary) if kind == "assessments" else kb.name_of(record)
        assert (kind, record.id) in keys(index.search(query)), (kind, record.id)


def test_ranking_exact_prefix_substring_alias_then_other_fields(hostile_kb) -> None:
    hits = SearchIndex(hostile_kb).search("mosul")
    assert keys(hits[:4]) == [
        ("regions", "mosul"),
        ("topics", "mosul-topic"),  # exact, whatever the kind
        ("groups", "mosul-cell"),
        ("relationships", "cell-branch-of-core"),  # prefix ("mosul-cell ...")
    ]
    # title substrings, by kind order then title: "A Mosul" before "B Mosul", groups before events
    substrings = [k for k, h in zip(keys(hits), hits, strict=True) if h.field == "name"][4:]
    assert substrings[:2] == [("groups", "alpha-mosul"), ("groups", "beta-mosul")]
    assert substrings.index(("groups", "beta-mosul")) < substrings.index(("events", "fall-of-mosul"))
    fields = [h.field for h in hits]
    assert fields == sorted(fields, key=["name", "alias", "summary"].index)  # names, then aliases...
    assert ("groups", "aliased") in keys(h for h in hits if h.field == "alias")
    assert keys(hits[-1:]) == [("groups", "summary-only")] and hits[-1].field == "summary"
    assert len(set(keys(hits))) == len(hits)  # each record once, at its best rank


def test_matches_never_cross_from_one_record_into_the_next(kb) -> None:
    index = SearchIndex(kb)  # regions "Iraq" and "Middle East" sit side by side in the name haystack
    assert index.search("iraq") and index.search("middle")
    assert index.search("iraqmiddle") == [] and index.search("iraq middle") == []


@pytest.mark.parametrize("part_records", [1, 3, 7])
def test_haystack_parts_give_the_same_hits_as_one_part(bundled, monkeypatch, part_records) -> None:
    """The haystacks are cut into parts of PART_RECORDS records: hits, their order and their
    fields must not depend on where the cuts fall."""
    from tui.knowledge import search_index

    whole = SearchIndex(bundled)
    monkeypatch.setattr(search_index, "PART_RECORDS", part_records)
    parted = SearchIndex(bundled)
    parted.build()
    assert len(parted._hay["name"].parts) > 10
    for query in ("isis", "e", "iraq", "dribs", "khorasan", "a", "state"):
        assert parted.search(query, limit=500) == whole.search(query, limit=500), query
    for query in ("isk", "dnl bym", "ss"):
        assert parted.subsequence(query) == whole.subsequence(query), query


def test_empty_and_blank_queries_find_nothing_and_limit_is_kept(bundled) -> None:
    index = SearchIndex(bundled)
    assert index.search("") == [] and index.search("   \t ") == []
    assert len(index.search("is")) > 5
    assert len(index.search("is", limit=5)) == 5
    assert index.search("is", limit=0) == []


def test_one_letter_finds_the_names_it_starts() -> None:
    """A letter is inside nearly every record: alone, it lists the names equal to it or starting
    with it (the store has no trigram to look it up by, and a sweep of every text says nothing)."""
    from tui.loading.loader import load

    hits = SearchIndex(load()).search("e")
    assert hits and all(hit.field == "name" and hit.title.casefold().startswith("e") for hit in hits)
    assert {"East Africa", "Egypt"} <= {hit.title for hit in hits}
    assert SearchIndex(load()).search("e x") == hits  # single letters: the first, as a name's start


def test_khorasan_finds_the_group_first(bundled) -> None:
    hits = SearchIndex(bundled).search("Khorasan")
    assert (hits[0].kind, hits[0].id, hits[0].title) == ("groups", "isis-khorasan", "ISIS-Khorasan")
    assert hits[0].span == (5, 13)


def test_dribs_finds_daniel_bymans_quote(bundled) -> None:
    hits = SearchIndex(bundled).search("dribs")
    hit = next(h for h in hits if h.kind == "assessments")
    assert bundled.get("assessments", hit.id).speaker == "daniel-byman"
    assert hit.field == "quote" and "dribs and drabs" in hit.snippet


def test_snippets_are_short_and_centred_on_the_match(bundled) -> None:
    hits = SearchIndex(bundled).search("analysts")
    others = [h for h in hits if h.field != "name"]
    assert others
    for hit in others:
        assert len(hit.snippet) <= SNIPPET_WIDTH
        assert hit.snippet[hit.span[0] : hit.span[1]].casefold() == "analysts"


def test_a_ten_thousand_character_query_returns_quickly(bundled) -> None:
    index = SearchIndex(bundled)
    index.build()
    for query in ("a" * 10_000, '"' + "isis " * 2_000, "[/]" * 3_000, "a" * 39 + "b"):
        started = time.perf_counter()
        assert index.search(query) == []
        assert index.subsequence(query) == []
        assert time.perf_counter() - started < 0.25
    started = time.perf_counter()  # 40 words, one repeated: searched as one word, every record with it
    hits = index.search("isis " * 2_000)
    assert time.perf_counter() - started < 0.25
    assert hits and set(keys(hits)) == set(keys(index.search("isis")))  # (the cap leaves "is" last)
    # only the first QUERY_CAP characters count: what comes after them cannot spoil the match
    assert keys(index.search("ISIS-Khorasan" + " " * QUERY_CAP + "zzz"))[0] == ("groups", "isis-khorasan")
    assert index.search("ISIS-Khorasan zzz") == []


def test_subsequence_finds_close_in_order_letters_only(bundled) -> None:
    index = SearchIndex(bundled)
    assert ("groups", "isis-khorasan") in keys(index.subsequence("isk"))
    assert ("people", "daniel-byman") in keys(index.subsequence("dnl bym"))
    spread = keys(index.subsequence("khor"))  # k..h..o..r scattered through sentences is not a match
    assert ("figures", "isis-territory-2014") not in spread
    assert index.subsequence("isk", exclude={("groups", "isis-khorasan")}) == [
        h for h in index.subsequence("isk") if h.id != "isis-khorasan"
    ]


def test_index_for_shares_one_index_per_knowledge_base(bundled, kb) -> None:
    assert index_for(bundled) is index_for(bundled)
    assert index_for(bundled) is not index_for(kb)


# -- the search dialog -----------------------------------------------------------------------------
class SearchApp(App[None]):
    COMMANDS = App.COMMANDS | {RecordsProvider, ViewsProvider}

    def __init__(self, kb) -> None:
        super().__init__()
        self.kb = kb
        self.result: object = "not dismissed"
        self.opened: list[tuple[str, str]] = []

    def on_mount(self) -> None:
        self.push_screen(SearchScreen(index_for(self.kb)), self.finished)

    def finished(self, result) -> None:
        self.result = result

    def open_record(self, kind: str, record_id: str) -> None:
        self.opened.append((kind, record_id))

    def action_show_view(self, name: str) -> None:
        self.opened.append(("view", name))


def results(app: SearchApp) -> list[Content]:
    options = app.screen.query_one(OptionList)
    return [options.get_option_at_index(i).prompt for i in range(options.option_count)]


def count_line(app: SearchApp) -> str:
    return str(app.screen.query_one("#search-count", Static).render())


async def test_results_follow_typing(bundled) -> None:
    app = SearchApp(bundled)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert results(app) == [] and "Type to search" in count_line(app)
        await pilot.press("i")
        many = len(results(app))
        assert count_line(app) == f"names starting with 'i': {many}" and many > 10
        await pilot.press(*"sis-khor")
        assert count_line(app) == f"{len(results(app))} results" and len(results(app)) < many
        assert results(app)[0].plain.startswith("ISIS-Khorasan · group")
        assert all(isinstance(prompt, Content) for prompt in results(app))
        await pilot.press(*"zzz")
        assert results(app) == [] and count_line(app) == "no match"
        await pilot.press("backspace", "backspace", "backspace")
        assert len(results(app)) == 6  # back to "isis-khor"
        await pilot.press(*["backspace"] * 9)
        assert results(app) == [] and "Type to search" in count_line(app)
        await pilot.press(*"DRIBS")
        assert count_line(app) == "1 result" and "dribs and drabs" in results(app)[0].plain


async def test_down_then_enter_opens_the_second_result(bundled) -> None:
    app = SearchApp(bundled)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"khorasan")
        second = app.screen.hits[1]
        assert app.screen.focused is app.screen.query_one(Input)  # arrows work while typing
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.result == (second.kind, second.id) != ("groups", "isis-khorasan")


async def test_in_the_list_j_and_k_move_too(bundled) -> None:
    app = SearchApp(bundled)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"khorasan", "tab")
        assert isinstance(app.screen.focused, OptionList)
        await pilot.press("j", "j", "k")
        second = app.screen.hits[1]
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == (second.kind, second.id)


async def test_enter_without_moving_opens_the_first_and_up_stays_on_top(bundled) -> None:
    app = SearchApp(bundled)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"khorasan", "down", "up", "enter")
        await pilot.pause()
    assert app.result == ("groups", "isis-khorasan")


async def test_enter_with_no_results_does_nothing_and_escape_gives_none(bundled) -> None:
    app = SearchApp(bundled)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"qqqq", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen) and app.result == "not dismissed"
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_markup_in_the_query_and_the_data_is_shown_literally(hostile_kb) -> None:
    app = SearchApp(hostile_kb)
    async with app.run_test(size=(80, 24)) as pilot:
        for query in ("[bold", "[/]", "[@click=app.quit]"):
            await pilot.press(*query)
            assert app.is_running and isinstance(app.screen, SearchScreen)
            prompts = [p.plain for p in results(app)]
            assert any(HOSTILE_NAME in p for p in prompts), (query, prompts)
            for _ in query:
                await pilot.press("backspace")
        await pilot.press(*"loud")  # the alias with an OSC 52 clipboard write in it
        text = results(app)[0].plain
        assert "[bold]Loud[/]" in text and "\u241b]52;c;aGk=\u2407" in text and "\x1b" not in text
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == ("groups", "hostile")


async def test_ten_thousand_pasted_characters_do_not_hang(bundled) -> None:
    app = SearchApp(bundled)
    async with app.run_test(size=(80, 24)) as pilot:
        started = time.perf_counter()
        app.screen.query_one(Input).post_message(events.Paste("khorasan" + "x" * 10_000))
        await pilot.pause()
        assert len(app.screen.query_one(Input).value) == 10_008
        assert count_line(app) == "no match"
        assert time.perf_counter() - started < 2.0
        await pilot.press("escape")
    assert app.result is None


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_dialog_fits_small_terminals(bundled, size) -> None:
    app = SearchApp(bundled)
    async with app.run_test(size=size) as pilot:
        await pilot.press(*"isis")
        await pilot.pause()
        dialog = app.screen.query_one("#search-dialog")
        assert dialog.region.right <= size[0] and dialog.region.bottom <= size[1]
        assert app.screen.query_one(Input).region.height == 3
        assert app.screen.query_one(OptionList).region.height >= 5
        assert app.screen.query_one(OptionList).region.width >= 40


# -- the command palette ---------------------------------------------------------------------------
async def gather(provider, query: str) -> list[Hit]:
    return [hit async for hit in provider.search(query)]


HELP = re.compile(r"[a-z]+( · [a-z0-9-]+)?\Z")


async def test_records_provider_jumps_to_a_group(bundled) -> None:
    app = SearchApp(bundled)
    async with app.run_test(size=(80, 24)):
        provider = RecordsProvider(app.screen)
        await provider.startup()
        hits = await gather(provider, "khor")
        best = max(hits, key=lambda h: h.score)
        assert best.text == "ISIS-Khorasan" and best.help == "group · isis-branch"
        assert isinstance(best.match_display, Content)
        assert all(HELP.match(hit.help) for hit in hits)
        best.command()
        assert app.opened == [("groups", "isis-khorasan")]
        fuzzy = await gather(provider, "isk")  # letters in order, not a substring
        assert "ISIS-Khorasan" in [hit.text for hit in fuzzy]
        assert await gather(provider, "  ") == []


async def test_records_provider_shows_hostile_names_literally(hostile_kb) -> None:
    app = SearchApp(hostile_kb)
    async with app.run_test(size=(80, 24)):
        provider = RecordsProvider(app.screen)
        hits = await gather(provider, "click")
        hit = next(h for h in hits if h.text == HOSTILE_NAME)
        assert isinstance(hit.match_display, Content) and hit.match_display.plain == HOSTILE_NAME
        assert hit.help == "group · isis-branch"
        by_alias = next(h for h in await gather(provider, "khurasan"))
        assert by_alias.match_display.plain == f"{HOSTILE_NAME} — also Wilayat Khurasan"
        loud = next(h for h in await gather(provider, "loud"))
        assert "\x1b" not in loud.match_display.plain and "\x07" not in loud.match_display.plain
        by_alias.command()
        assert app.opened == [("groups", "hostile")]


async def test_hostile_hit_goes_through_the_real_palette(hostile_kb) -> None:
    app = SearchApp(hostile_kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        app.action_command_palette()
        await pilot.pause()
        await pilot.press(*"click")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        for _ in range(20):
            await pilot.pause(0.05)
            if palette.query_one(OptionList).option_count:
                break
        prompt = palette.query_one(OptionList).get_option_at_index(0).prompt
        assert prompt.plain == f"{HOSTILE_NAME}\ngroup · isis-branch"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.is_running
    assert app.opened == [("groups", "hostile")]


async def test_records_provider_discovers_isis_groups(bundled) -> None:
    app = SearchApp(bundled)
    async with app.run_test(size=(80, 24)):
        found = [hit async for hit in RecordsProvider(app.screen).discover()]
        assert found and all(isinstance(hit, DiscoveryHit) for hit in found)
        assert found[0].text == "ISIS" and found[0].help == "group · isis-core"
        assert {hit.help for hit in found} <= {"group · isis-core", "group · isis-branch", "group · isis-affiliate"}


async def test_views_provider_switches_views(bundled) -> None:
    app = SearchApp(bundled)
    async with app.run_test(size=(80, 24)):
        provider = ViewsProvider(app.screen)
        hits = await gather(provider, "timeline")
        assert [hit.text for hit in hits] == ["Show timeline view"]
        hits[0].command()
        discovered = [hit async for hit in provider.discover()]
        assert [hit.text for hit in discovered] == [name for name, _, _ in VIEWS]
        for hit in discovered:
            hit.command()
        assert app.opened == [
            ("view", "timeline"),
            ("view", "groups"),
            ("view", "analysts"),
            ("view", "timeline"),
            ("view", "figures"),
            ("view", "map"),
            ("view", "marked"),
            ("view", "explorer"),
        ]


async def test_records_provider_waits_for_the_knowledge_base(bundled) -> None:
    import asyncio

    app = SearchApp(bundled)
    async with app.run_test(size=(80, 24)) as pilot:
        app.kb = None  # as in the explorer before its knowledge base has loaded
        provider = RecordsProvider(app.screen)
        await provider.startup()
        assert [hit async for hit in provider.discover()] == []
        waiting = asyncio.ensure_future(gather(provider, "khorasan"))
        await pilot.pause(0.2)
        assert not waiting.done()  # the query waits instead of answering "nothing"
        app.kb = bundled
        hits = await asyncio.wait_for(waiting, 5)
        assert hits and "ISIS-Khorasan" in hits[0].text


def test_help_text_uses_only_enum_words(hostile_kb) -> None:
    assert help_text(hostile_kb.get("groups", "hostile")) == "group · isis-branch"
    assert help_text(hostile_kb.get("relationships", "cell-branch-of-core")) == "relationship · branch-of"
    assert help_text(hostile_kb.get("people", "analyst-a")) == "person"


def test_accents_and_typographic_quotes_are_folded() -> None:
    from tui.knowledge.search_text import fold
    from tui.loading.loader import load

    kb = load()
    assert fold("Bamirrīan “ISIS” – ’s") == 'bamirrian "isis" - \'s'
    assert len(fold("ĀḤMAD’s “x”")) == len("ĀḤMAD’s “x”".casefold())
    index = SearchIndex(kb)
    plain_quotes = index.search("that's the wrong image")  # typed with an ASCII apostrophe
    assert any("dribs and drabs" in (kb.get(h.kind, h.id).text or "") for h in plain_quotes)


# -- words, phrases, ranking, typos --------------------------------------------------------------------
def test_several_words_match_in_any_field_and_any_order(bundled) -> None:
    index = index_for(bundled)
    maier = ("assessments", "maier-far-flung-enterprise")
    for query in ("Maier brand", "brand Maier", "brand name", "name   BRAND", "Maier “linked in name and brand”"):
        assert maier in keys(index.search(query)), query
    assert index.search("Maier zzzz") == []  # every word must be there
    # the hits are the records that each word finds on its own, both
    both = set(keys(index.search("taliban", 10**6))) & set(keys(index.search("haqqani", 10**6)))
    assert both and set(keys(index.search("taliban haqqani", 10**6))) == both


def test_a_quoted_phrase_must_stand_together(bundled) -> None:
    index = index_for(bundled)
    phrase = keys(index.search('"linked in name and brand"'))
    assert phrase == [("assessments", "maier-far-flung-enterprise")]
    assert index.search('"brand and name linked in"') == []  # the same words, not as a phrase
    assert index.search("brand and name linked in")  # as words they match
    assert terms('Maier "linked in" “brand” "open') == ["maier", "linked in", "brand", "open"]


def test_name_and_alias_matches_rank_before_summary_and_quote(hostile_kb) -> None:
    index = SearchIndex(hostile_kb)
    hits = index.search("mosul a")
    fields = [hit.field for hit in hits]
    assert fields == sorted(fields, key=["name", "alias", "summary", "quote", "status", "role"].index)
    assert keys(hits)[0] == ("groups", "alpha-mosul")  # both words in its name
    assert ("groups", "summary-only") in keys(hits)[-2:]  # "mosul" only in its summary: last
    hit = next(h for h in hits if h.id == "summary-only")
    assert hit.field == "summary" and hit.span is not None


def test_one_typo_offers_the_record(bundled) -> None:
    index = index_for(bundled)
    for typo in ("khorsan", "khorasna", "khorassan", "kxorasan", "Khorasam"):
        hits = index.search(typo)
        assert hits and keys(hits)[0] == ("groups", "isis-khorasan"), typo
        assert all(hit.close for hit in hits)
    assert index.search("khrsn") == []  # two typos: nothing
    assert not any(hit.close for hit in index.search("khorasan"))  # exact matches are not "close"
    assert index.search("kh0") == []  # words under 4 letters are not guessed at


async def test_close_matches_are_said_to_be_close(bundled) -> None:
    app = SearchApp(bundled)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"khorsan")
        await pilot.pause()
        assert count_line(app).startswith("no exact match:")
        assert "close match" in results(app)[0].plain
        await pilot.press("enter")
        assert app.result == ("groups", "isis-khorasan")


def test_the_count_says_a_single_letter_lists_names_it_starts() -> None:
    from tui.ui.screens.search_screen import count_text

    assert count_text(3, "e", more=False) == "names starting with 'e': 3"
    assert count_text(0, " q ", more=False) == "names starting with 'q': none"
    assert count_text(200, "e x", more=True) == "names starting with 'e': 200 (first ones: type more)"
    assert count_text(2, "is", more=False) == "2 results"
