"""What the source says, shown as it says it: hedges, inferred dates, scopes, unnamed and relayed
speakers, background knowledge, roles once, and every quote and figure with its ¶ (issue 13)."""

from __future__ import annotations

import re

import pytest

from tui.export.markdown_briefing import markdown_text, record_markdown
from tui.knowledge.dates import parse_date
from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import Assessment, Figure, Person
from tui.loading.loader import load
from tui.presentation.analysts_rows import AnalystsRows
from tui.presentation.describe import describe
from tui.presentation.figure_words import figure_text, figure_words
from tui.presentation.figures_rows import FiguresRows
from tui.presentation.groups_rows import GroupsRows
from tui.presentation.outline import Link
from tui.presentation.outline_markdown import outline_to_markdown
from tui.presentation.quote_card import quote_card
from tui.presentation.source_voice import period_text
from tui.presentation.timeline_rows import TimelineRows
from tui.presentation.view_rows import Preview

FILES = {
    "sources": """\
        sources:
          - id: article
            title: An article about the group
            kind: article
            date: inferred late 2017-10
            cite: article/p1
          - id: centcom-statement
            title: Central Command statement
            kind: statement
            publisher: centcom
            cite: article/p7
          - id: iso-3166
            title: ISO 3166-1 alpha-2 country codes
            kind: standard
        """,
    "organizations": """\
        organizations:
          - id: centcom
            name: US Central Command
            kind: military
            cite: article/p7
          - id: rand-isdp
            name: RAND international security and defense policy center
            kind: think-tank
            cite: article/p9
        """,
    "regions": """\
        regions:
          - id: world
            name: World
            kind: world
            cite: article/p3
          - id: east-africa
            name: East Africa
            kind: subregion
            parent: world
            structural: true
            cite: article/p4
          - id: somalia
            name: Somalia
            kind: country
            iso: SO
            iso_source: iso-3166
            parent: east-africa
            cite: article/p4
          - id: iraq
            name: Iraq
            kind: country
            iso: IQ
            iso_source: iso-3166
            parent: world
            cite: article/p4
        """,
    "groups": """\
        groups:
          - id: islamic-state
            name: Islamic State
            kind: isis-core
            regions: [iraq]
            summary: The core group.
            cite: article/p5
          - id: khorasan
            name: ISIS-Khorasan
            kind: isis-branch
            name_hedge: some-say
            regions: [iraq]
            summary: A presence referred to by some as ISIS-Khorasan.
            cite: article/p5
        """,
    "relationships": """\
        relationships:
          - id: khorasan-branch-of-core
            type: branch-of
            from: khorasan
            to: islamic-state
            certainty: implied
            hedge: apparent
            summary: The article speaks of a presence, not a branch.
            cite: article/p5
        """,
    "measures": """\
        measures:
          - id: fighters-remaining
            name: fighters remaining
            unit: people
            cite: article/p6
          - id: fighters-joined
            name: foreign fighters who joined
            unit: people
            cite: article/p7
          - id: territory
            name: territory held
            unit: km²
            cite: article/p6
          - id: campaign
            name: duration of the campaign
            unit: months
            cite: article/p6
        """,
    "figures": """\
        figures:
          - id: remaining-iraq
            measure: fighters-remaining
            low: 6000
            high: 10000
            qualifier: exact
            hedge: estimated
            regions: [iraq]
            as_of: inferred late 2017-10
            summary: An estimated 6,000 to 10,000 remain in Iraq.
            cite: article/p6
          - id: remaining-somalia
            measure: fighters-remaining
            value: 100
            qualifier: fewer-than
            hedge: perhaps
            regions: [somalia]
            as_of: inferred late 2017-10
            summary: Perhaps fewer than 100 remain in Somalia.
            cite: article/p6
          - id: joined-centcom
            measure: fighters-joined
            value: 40000
            qualifier: more-than
            regions: [iraq]
            as_of: inferred 2017-04
            given_by: centcom-statement
            competes_with: [joined-analysts]
            summary: CENTCOM counted more than 40,000.
            cite: article/p7
          - id: joined-analysts
            measure: fighters-joined
            low: 20000
            high: 30000
            qualifier: exact
            regions: [iraq]
            as_of: inferred late 2017-10
            given_by: some-analysts
            summary: Some analysts offer 20,000 to 30,000.
            cite: article/p7
          - id: joined-peak
            measure: fighters-joined
            value: 40000
            qualifier: up-to
            regions: [iraq]
            as_of: "2014"
            summary: Up to 40,000 at the peak.
            cite: article/p7
          - id: territory-peak
            measure: territory
            value: 100000
            qualifier: more-than
            regions: [iraq]
            as_of: "2014"
            attribution: officials
            summary: More than 100,000 km².
            cite: article/p6
          - id: campaign-months
            measure: campaign
            value: 9
            qualifier: exact
            regions: [iraq]
            as_of: inferred 2017-07
            summary: Nine months.
            cite: article/p6
        """,
    "people": """\
        people:
          - id: seth
            name: Seth Jones
            roles:
              - title: Director of RAND's international security and defense policy center
                organization: rand-isdp
            cite: article/p9
          - id: chris
            name: Chris Maier
            roles:
              - title: Director
                organization: centcom
            cite: article/p8
          - id: photo-credit
            name: Hussein Malla
            roles:
              - title: Photographer
            cite: article/p2
          - id: some-analysts
            name: Some analysts
            collective: true
            cite: article/p7
          - id: community
            name: The Defeat ISIS community
            collective: true
            cite: article/p8
        """,
    "works": "works: []\n",
    "topics": "topics: []\n",
    "assessments": """\
        assessments:
          - id: necessary
            speaker: community
            via: chris
            text: Taking back territory is necessary but not sufficient
            summary: A phrase of the community, mentioned by Maier.
            regions: [iraq]
            cite: article/p8
          - id: analysts-exaggerated
            speaker: some-analysts
            hedge: likely
            summary: Some analysts believe the figures exaggerated.
            regions: [iraq]
            cite: article/p7
          - id: seth-leverage
            speaker: seth
            text: They are leveraging existing local groups.
            summary: ISIS uses local groups.
            regions: [somalia]
            cite: article/p9
        """,
    "events": """\
        events:
          - id: campaign
            name: Campaign to retake the city
            date: inferred 2016
            until: inferred 2017-07
            regions: [iraq]
            summary: Nine months, ending in July.
            cite: article/p6
          - id: expansion
            name: Expansion of the presence
            date: unknown
            hedge: apparent
            regions: [somalia]
            summary: An apparent expansion.
            cite: article/p6
        """,
}


@pytest.fixture
def voice(write_kb) -> KnowledgeBase:
    return load(write_kb(**FILES))


def fig(kb: KnowledgeBase, figure_id: str) -> Figure:
    found = kb.get(Figure, figure_id)
    assert found is not None
    return found


def text_of(preview: Preview) -> str:
    return "\n".join("".join(span.text for span in line) for line in preview)


def line_text(line: tuple[object, ...]) -> str:
    return "".join(seg.label if isinstance(seg, Link) else str(seg) for seg in line)


# -- one wording of a figure, everywhere ----------------------------------------------------------


@pytest.mark.parametrize(
    "figure_id, sentence",
    [
        (
            "remaining-somalia",
            "perhaps fewer than 100 fighters remaining in Somalia (inferred: late October 2017), unattributed "
            "[article ¶6]",
        ),
        (
            "remaining-iraq",
            "an estimated 6,000–10,000 fighters remaining in Iraq (inferred: late October 2017), unattributed "
            "[article ¶6]",
        ),
        (
            "joined-centcom",
            "more than 40,000 foreign fighters who joined in Iraq (inferred: April 2017), "
            "according to Central Command statement [article ¶7]",
        ),
        (
            "joined-analysts",
            "20,000–30,000 foreign fighters who joined in Iraq (inferred: late October 2017), "
            "according to some analysts (unnamed) [article ¶7]",
        ),
        (
            "territory-peak",
            "more than 100,000 km² of territory held in Iraq (2014), according to officials [article ¶6]",
        ),
        (
            "campaign-months",
            "9 months: duration of the campaign in Iraq (inferred: July 2017), unattributed [article ¶6]",
        ),
    ],
)
def test_a_figure_says_hedge_amount_what_where_when_who_and_where_cited(voice, figure_id, sentence) -> None:
    assert figure_text(voice, fig(voice, figure_id)) == sentence


def test_the_same_words_in_the_detail_pane_the_view_the_copy_and_the_briefing(voice) -> None:
    somalia = fig(voice, "remaining-somalia")
    sentence = figure_text(voice, somalia)
    outline = describe(voice, "figures", "remaining-somalia")
    assert outline is not None
    value = next(s for s in outline.sections if s.heading == "Value")
    assert line_text(value.lines[0]) == sentence  # the detail pane
    region = describe(voice, "regions", "somalia")
    assert region is not None and sentence in {line_text(line) for s in region.sections for line in s.lines}
    assert f"- {sentence}".replace("[", "\\[").replace("]", "\\]") in outline_to_markdown(region)  # `c` copy
    view = FiguresRows(voice)
    row = next(r for r in view.rows() if r.key == "figures:remaining-somalia")
    assert row.cells[0].strip() == "perhaps fewer than 100" and row.cells[2:] == (
        "Somalia",
        "inferred: late October 2017",
        "unattributed",
    )
    assert text_of(view.preview(row)).startswith(figure_text(voice, somalia, cite=False))
    md = markdown_text(voice)
    assert re.search(rf"^\*\*Value:\*\* {re.escape(figure_text(voice, somalia, cite=False))} \[\^\d+\]$", md, re.M)


def test_a_place_the_measure_names_is_not_said_twice(write_kb) -> None:
    files = dict(FILES)
    files["measures"] = FILES["measures"].replace(
        "name: duration of the campaign", "name: duration of the Iraq campaign"
    )
    kb = load(write_kb(**files))
    words = figure_words(kb, fig(kb, "campaign-months"))
    assert words.text(cite=False) == "9 months: duration of the Iraq campaign (inferred: July 2017), unattributed"
    assert words.where == "in Iraq"  # the Where column still says it


# -- Figures view: scopes and competing -----------------------------------------------------------


def test_competing_means_competes_with_either_way_round(voice) -> None:
    centcom, analysts, peak = (fig(voice, i) for i in ("joined-centcom", "joined-analysts", "joined-peak"))
    assert [f.id for f in voice.competing(centcom)] == ["joined-centcom", "joined-analysts"]
    assert [f.id for f in voice.competing(analysts)] == ["joined-centcom", "joined-analysts"]  # symmetric
    assert voice.competing(peak) == []  # same measure and place, but the source does not set it against them
    assert voice.competing(fig(voice, "remaining-somalia")) == []


def test_figures_view_groups_by_measure_place_and_year(voice) -> None:
    view = FiguresRows(voice)
    assert [c.label for c in view.columns()] == ["Figure", "Compared", "Where", "As of", "Given by"]
    rows = view.rows()
    keys = [r.key for r in rows]
    assert len(set(keys)) == len(keys)
    assert keys[:4] == [
        "measures:fighters-remaining",
        "figures:remaining-iraq",
        "measures:fighters-remaining/1",  # Somalia: another place, its own heading and bar scale
        "figures:remaining-somalia",
    ]
    headings = {r.key: str(r.cells[0]) for r in rows if r.heading}
    assert (
        headings["measures:fighters-remaining/1"]
        == "Fighters remaining · Somalia, 2017 · 1 estimate · bars to 100 people"
    )
    assert "2 competing estimates" in headings["measures:fighters-joined"]
    peak = keys.index("figures:joined-peak")
    assert keys[peak - 1] == "measures:fighters-joined/1" and "competing" not in headings[keys[peak - 1]]
    assert view.title_line() == (
        "Figures: 7 estimates of 4 measures in 6 scopes (place, year) · "
        "1 set of competing estimates (the source sets them against each other)"
    )
    bars = {r.id: r.cells[1] for r in rows if not r.heading}
    somalia, iraq = bars["remaining-somalia"], bars["remaining-iraq"]
    assert callable(somalia) and callable(iraq)
    assert somalia(12).count("█") == 10  # scaled within Somalia's scope, not against Iraq's 10,000
    preview = text_of(view.preview(next(r for r in rows if r.id == "joined-centcom")))
    assert "Competing estimates (the source sets them against this one) (1):" in preview
    assert "20,000–30,000 foreign fighters who joined" in preview and "up to 40,000" not in preview
    alone = text_of(view.preview(next(r for r in rows if r.id == "remaining-somalia")))
    assert "Competing" not in alone and "Other estimates" not in alone and "6,000" not in alone


# -- hedges and inferred dates, in words ------------------------------------------------------------


def test_relationships_say_how_the_source_supports_them(voice) -> None:
    group = describe(voice, "groups", "khorasan")
    assert group is not None and group.title == "ISIS-Khorasan (as some call it)"
    assert group.subtitle == "isis-branch (our classification)"
    lines = [line_text(line) for s in group.sections for line in s.lines]
    assert "Islamic State — implied, hedged: apparently [article ¶5]" in lines
    rel = describe(voice, "relationships", "khorasan-branch-of-core")
    assert rel is not None
    certainty = next(s for s in rel.sections if s.heading == "Certainty")
    assert line_text(certainty.lines[0]) == "implied by the source, hedged: apparently"
    preview = text_of(GroupsRows(voice).preview(next(r for r in GroupsRows(voice).rows() if r.id == "khorasan")))
    assert "Branch of: Islamic State (implied, hedged: apparently) [article ¶5]" in preview
    assert "The name: as some call it, the source says" in preview


def test_events_show_periods_hedges_and_inferred_dates(voice) -> None:
    assert period_text(parse_date("inferred 2016"), parse_date("inferred 2017-07")) == "inferred: 2016 – July 2017"
    assert period_text(parse_date("2016"), parse_date("inferred 2017-07")) == "2016 – inferred: July 2017"
    view = TimelineRows(voice)
    cells = {r.id: r.cells for r in view.rows()}
    assert cells["campaign"][0] == "inferred: 2016 – July 2017"
    assert cells["expansion"][2] == "Expansion of the presence (hedged: apparently)"
    assert "(2 inferred by us)" not in view.title_line() and "1 inferred by us" in view.title_line()
    event = describe(voice, "events", "campaign")
    assert event is not None and event.subtitle == "event · inferred: 2016 – July 2017"


def test_speakers_unnamed_and_relayed(voice) -> None:
    necessary = voice.get(Assessment, "necessary")
    assert necessary is not None
    card = quote_card(voice, necessary)
    assert card.speaker == "The Defeat ISIS community (unnamed), relayed by Chris Maier"
    assert card.citation == "[article ¶8]"
    exaggerated = voice.get(Assessment, "analysts-exaggerated")
    assert exaggerated is not None
    hedged = quote_card(voice, exaggerated)
    assert hedged.speaker == "Some analysts (unnamed)" and hedged.hedge == "hedged: likely"
    outline = describe(voice, "assessments", "necessary")
    assert outline is not None
    shown = {s.heading: [line_text(line) for line in s.lines] for s in outline.sections}
    assert shown["Speaker"] == ["The Defeat ISIS community (unnamed)"]
    assert shown["Relayed by"] == ["Chris Maier"]
    assert shown["Quote (verbatim)"] == ["“Taking back territory is necessary but not sufficient” [article ¶8]"]


def test_regions_say_what_is_background_knowledge(voice) -> None:
    east = describe(voice, "regions", "east-africa")
    assert east is not None and east.subtitle.startswith("subregion (our classification)")
    assert "East Africa: not named in the source; holds a place in the tree" in [
        line_text(line) for s in east.sections for line in s.lines
    ]
    somalia = describe(voice, "regions", "somalia")
    assert somalia is not None
    # the code with its standard, in the subtitle (a line more would make short pages scroll)
    assert somalia.subtitle == "country (our classification) · SO (ISO 3166-1 alpha-2) · in East Africa › World"
    standard = describe(voice, "sources", "iso-3166")
    assert standard is not None and standard.subtitle == "source · background knowledge, not the source's words"
    iraq = describe(voice, "regions", "iraq")
    assert iraq is not None and "not named in the source" not in str(iraq.sections)


# -- people ----------------------------------------------------------------------------------------


def test_analysts_are_those_who_assess_something(voice) -> None:
    view = AnalystsRows(voice)
    rows = {r.key: r.cells for r in view.rows()}
    assert set(rows) == {"people:seth", "people:some-analysts", "people:community"}  # Chris Maier only relays
    assert "people:photo-credit" not in rows  # a photo credit is no analyst
    assert rows["people:some-analysts"][:2] == (
        "Some analysts (unnamed)",
        "unnamed: the source speaks of them as a group",
    )
    assert view.title_line().endswith("not listed, they assess nothing: Chris Maier, Hussein Malla")


def test_a_relayer_is_shown_relaying(voice, write_kb) -> None:
    files = dict(FILES)
    files["assessments"] = FILES["assessments"].rstrip(" ") + (
        "          - id: chris-own\n"
        "            speaker: chris\n"
        "            summary: Maier's own view.\n"
        "            cite: article/p8\n"
    )
    kb = load(write_kb(**files))
    view = AnalystsRows(kb)
    row = next(r for r in view.rows() if r.id == "chris")
    preview = text_of(view.preview(row))
    assert "Relays the words of others (1):" in preview
    assert (
        "The Defeat ISIS community (unnamed): “Taking back territory is necessary but not sufficient” [article ¶8]"
        in preview
    )


def test_a_role_that_names_its_organization_is_printed_once(voice) -> None:
    seth, chris = voice.get(Person, "seth"), voice.get(Person, "chris")
    assert seth is not None and chris is not None
    assert voice.role_of(seth) == "Director of RAND's international security and defense policy center"
    assert voice.role_of(chris) == "Director, US Central Command"
    person = describe(voice, "people", "seth")
    assert person is not None
    roles = next(s for s in person.sections if s.heading == "Roles")
    assert [line_text(line) for line in roles.lines] == [
        "Director of RAND's international security and defense policy center"
    ]


# -- every quote cited -----------------------------------------------------------------------------


def test_every_quote_copied_or_exported_carries_its_paragraph(voice) -> None:
    region = describe(voice, "regions", "world")
    assert region is not None
    copied = outline_to_markdown(region)
    quoted = [line for line in copied.splitlines() if "“" in line]
    assert len(quoted) == 2 and all(
        line.endswith("\\[article ¶8\\]") or line.endswith("\\[article ¶9\\]") for line in quoted
    )
    leverage = voice.get(Assessment, "seth-leverage")
    assert leverage is not None
    one = record_markdown(voice, leverage)
    assert re.search(r"^\*\*Quote \(verbatim\):\*\* “They are leveraging existing local groups\.” \[\^1\]$", one, re.M)
    md = markdown_text(voice)
    for line in (line for line in md.splitlines() if line.startswith("**Quote (verbatim):**")):
        assert re.search(r"” (\[\^\d+\])+$", line), line


def test_the_bundled_data_reads_as_the_article_says() -> None:
    """A few checks on the bundled data as the data helper left it (re-checked at the end)."""
    kb = load()
    lines = {f.id: figure_text(kb, f) for f in kb.records(Figure)}
    assert lines["isis-fighters-remaining-somalia"] == (
        "perhaps fewer than 100 ISIS fighters remaining in Somalia (inferred: late October 2017), unattributed "
        "[article ¶34]"
    )
    assert lines["isis-fighters-remaining-iraq-syria"].startswith("an estimated 6,000–10,000 ISIS fighters remaining")
    view = FiguresRows(kb)
    assert "1 set of competing estimates" in view.title_line()
    analysts = {r.id for r in AnalystsRows(kb).rows()}
    assert {"hussein-malla", "dominique-soguel", "michael-weiss"}.isdisjoint(analysts)
    assert {"some-analysts", "few-analysts"} <= analysts
    seth = kb.get(Person, "seth-jones")
    assert seth is not None and "center, RAND" not in AnalystsRows(kb).affiliation(seth)


# -- on screen, in words (the same with NO_COLOR) --------------------------------------------------


@pytest.mark.parametrize("no_color", [False, True])
async def test_the_explorer_shows_hedges_speakers_and_citations_in_words(
    voice, no_color: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.ui.app import ExplorerApp
    from tui.ui.widgets.detail_pane import DetailPane
    from tui.ui.widgets.quote_panel import QuotePanel

    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = ExplorerApp(voice)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.open("regions", "iraq")
        await pilot.pause()
        pane = app.screen.query_one(DetailPane)
        detail = "\n".join(pane.get_option_at_index(i).prompt.plain for i in range(pane.option_count))
        assert "country (our classification)" in detail
        assert (
            "an estimated 6,000–10,000 fighters remaining in Iraq (inferred: late October 2017), unattributed" in detail
        )
        assert "inferred: 2016 – July 2017: Campaign to retake the city [article ¶6]" in detail
        assert "The Defeat ISIS community (unnamed), relayed by Chris Maier: “Taking back territory" in detail
        panel = app.screen.query_one(QuotePanel)
        bodies = []
        for _ in panel.cards:
            bodies.append(str(panel.query_one("#quote-body").render()))
            await pilot.press("right_square_bracket")
        joined = "\n".join(bodies)
        assert "The Defeat ISIS community (unnamed), relayed by Chris Maier" in joined
        assert "Some analysts (unnamed)" in joined and "(hedged: likely)" in joined
        assert joined.count("[article ¶") == len(panel.cards)
