"""load_documents loads fixtures/ in one transaction, idempotently, and refuses bad data whole."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from policies import selectors
from policies.models import Commitment, Event, Funding, Policy
from sources.models import Citation, Source
from tracker.core import workflow
from tracker.core.dates import FuzzyDate
from tracker.core.editorial import State
from tracker.dataset.loader import load_texts, read_fixtures

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"

REPORT = {"slug": "report", "kind": "report", "title": "A Report", "published": "2020-12"}


def cited(quote="The strategy was signed on 10 October 2019."):
    return [{"source": "report", "section": "Introduction", "quote": quote}]


def minimal():
    return {
        "sources": [REPORT],
        "jurisdictions": [{"code": "RU", "name": "Russia", "kind": "country"}],
        "actors": [
            {
                "slug": "president",
                "name": "President",
                "kind": "head_of_state",
                "citations": cited(),
            }
        ],
        "policies": [
            {
                "slug": "strategy",
                "kind": "strategy",
                "title": "AI Strategy",
                "jurisdiction": "RU",
                "adopted": "2019-10-10",
                "horizon_end": "2030",
                "status": "adopted",
                "actors": [{"actor": "president", "role": "leads"}],
                "citations": cited(),
            },
            {
                "slug": "sub-plan",
                "kind": "plan",
                "title": "Sub plan",
                "jurisdiction": "RU",
                "parent": "strategy",
                "status": "adopted",
                "citations": cited(),
            },
        ],
        "commitments": [
            {
                "slug": "present",
                "policy": "strategy",
                "title": "Present the strategy",
                "due": "2019-07-01",
                "kind": "deliverable",
                "citations": cited(),
            }
        ],
        "assessments": [
            {
                "slug": "signed",
                "commitment": "present",
                "as_of": "2020-12",
                "status": "delivered",
                "delivered": "2019-10-10",
                "judged_by": "source",
                "citations": cited(),
            }
        ],
        "funding": [
            {
                "slug": "budget",
                "policy": "strategy",
                "kind": "pledged",
                "amount": {"amount": "23000000000", "currency": "RUB", "qualifier": "about"},
                "stated_equivalent": {
                    "amount": "400000000",
                    "amount_high": "500000000",
                    "currency": "EUR",
                    "qualifier": "range",
                },
                "citations": cited(),
            }
        ],
        "events": [
            {
                "slug": "decree",
                "occurred": "2019-10-10",
                "kind": "adoption",
                "title": "Decree signed",
                "jurisdiction": "RU",
                "actors": ["president"],
                "policies": ["strategy"],
                "commitments": ["present"],
                "citations": cited(),
            }
        ],
        "estimates": [
            {
                "slug": "market",
                "measure": "AI market",
                "value": {
                    "amount": "380000000",
                    "currency": "USD",
                    "qualifier": "exact",
                    "unit": "",
                },
                "period": "2021",
                "publisher": "TASS",
                "kind": "forecast",
                "citations": cited(),
            }
        ],
    }


def write(folder: Path, name: str, data) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def load(folder, **options):
    call_command("load_documents", fixtures=folder, **options)


def refused(folder, *reasons, **options):
    with pytest.raises(CommandError) as caught:
        load(folder, **options)
    for reason in reasons:
        assert reason in str(caught.value)
    assert "nothing was written" in str(caught.value)
    assert not Source.objects.exists()
    assert not Citation.objects.exists()
    return str(caught.value)


def test_it_loads_every_kind_as_published_with_its_citations(tmp_path, capsys):
    write(tmp_path, "a.json", minimal())
    load(tmp_path)
    promise = Commitment.objects.get(slug="present")
    assert promise.state == State.PUBLISHED
    verdicts = selectors.published_verdicts([promise.pk])[promise.pk]
    assert promise.progress(verdicts=verdicts, today=dt.date(2026, 1, 1)).label == "Delivered late"
    assert promise.citations.get().quote == "The strategy was signed on 10 October 2019."
    assert Policy.objects.get(slug="sub-plan").parent.slug == "strategy"
    assert str(Funding.objects.get().stated_equivalent) == "EUR 400-500 million"
    assert Event.objects.get().commitments.get() == promise
    assert "commitments: 1 created" in capsys.readouterr().out


def test_loading_twice_duplicates_nothing_and_reports_it_unchanged(tmp_path, capsys):
    write(tmp_path, "a.json", minimal())
    load(tmp_path)
    capsys.readouterr()
    load(tmp_path)
    out = capsys.readouterr().out
    assert "created" not in out and "updated" not in out
    assert "policies: 2 unchanged" in out
    assert Citation.objects.count() == 8
    assert Policy.objects.count() == 2


def test_a_changed_fixture_updates_what_only_the_loader_wrote(tmp_path, capsys):
    data = minimal()
    write(tmp_path, "a.json", data)
    load(tmp_path)
    data["commitments"][0]["title"] = "Present the national strategy"
    write(tmp_path, "a.json", data)
    load(tmp_path)
    assert Commitment.objects.get().title == "Present the national strategy"
    assert "commitments: 1 updated" in capsys.readouterr().out


def test_it_leaves_alone_what_a_researcher_has_changed(tmp_path, django_user_model, capsys):
    write(tmp_path, "a.json", minimal())
    load(tmp_path)
    researcher = django_user_model.objects.create_user("researcher")
    Commitment.objects.filter(slug="present").update(title="Edited by hand", updated_by=researcher)
    load(tmp_path)
    assert Commitment.objects.get().title == "Edited by hand"
    assert "commitments: 1 left alone (changed by a researcher)" in capsys.readouterr().out


def test_one_entity_in_two_files_is_merged_with_both_citations(tmp_path):
    data = minimal()
    write(tmp_path, "a.json", data)
    write(
        tmp_path,
        "b.json",
        {"policies": [{"slug": "strategy", "citations": cited("Another passage.")}]},
    )
    load(tmp_path)
    assert Policy.objects.get(slug="strategy").citations.count() == 2


def test_two_files_disagreeing_on_a_field_are_refused_naming_both(tmp_path):
    write(tmp_path, "a.json", minimal())
    write(
        tmp_path,
        "b.json",
        {"policies": [{"slug": "strategy", "title": "Another title", "citations": cited()}]},
    )
    refused(
        tmp_path,
        "a.json, b.json: policies 'strategy': title is 'AI Strategy' in one file and 'Another title' in b.json",
    )


def test_a_reference_to_a_missing_record_is_refused_with_nothing_written(tmp_path):
    data = minimal()
    data["commitments"][0]["policy"] = "no-such-policy"
    write(tmp_path, "a.json", data)
    refused(
        tmp_path,
        "a.json: commitments 'present': policy refers to policy 'no-such-policy', which is in no fixture",
    )


def test_a_commitment_tracking_a_pledge_loads_linked_to_it(tmp_path):
    data = minimal()
    data["commitments"][0]["funding"] = "budget"
    write(tmp_path, "a.json", data)
    load(tmp_path)
    pledge = Funding.objects.get(slug="budget")
    assert Commitment.objects.get(slug="present").funding == pledge
    assert list(pledge.tracked_by.all()) == [Commitment.objects.get(slug="present")]


def test_a_commitment_tracking_no_known_funding_entry_is_refused_naming_file_and_record(tmp_path):
    data = minimal()
    data["commitments"][0]["funding"] = "no-such-pledge"
    write(tmp_path, "a.json", data)
    refused(
        tmp_path,
        "a.json: commitments 'present': funding refers to funding 'no-such-pledge', which is in "
        "no fixture",
    )


def test_a_commitment_tracking_money_spent_is_refused_with_the_reason(tmp_path):
    data = minimal()
    data["funding"][0]["kind"] = "spent"
    data["commitments"][0]["funding"] = "budget"
    write(tmp_path, "a.json", data)
    refused(
        tmp_path,
        "a.json: commitments 'present': funding: This commitment cannot track",
        "it records money spent, not pledged",
    )


def test_a_malformed_date_is_refused(tmp_path):
    data = minimal()
    data["commitments"][0]["due"] = "mid-2019"
    write(tmp_path, "a.json", data)
    refused(tmp_path, "commitments 'present': due: 'mid-2019' is not a date this site understands")


def test_a_malformed_amount_is_refused(tmp_path):
    data = minimal()
    data["funding"][0]["amount"]["amount"] = "23 billion"
    write(tmp_path, "a.json", data)
    refused(tmp_path, "funding 'budget': amount: not a number")


def test_an_impossible_range_is_refused(tmp_path):
    data = minimal()
    data["funding"][0]["stated_equivalent"]["amount_high"] = "1"
    write(tmp_path, "a.json", data)
    refused(tmp_path, "funding 'budget': A range needs a high amount above its low one")


def test_a_record_without_a_citation_is_refused(tmp_path):
    data = minimal()
    data["events"][0]["citations"] = []
    write(tmp_path, "a.json", data)
    refused(tmp_path, "events 'decree': has no citation")


def test_an_unknown_field_is_refused(tmp_path):
    data = minimal()
    data["events"][0]["ocurred"] = "2019"
    write(tmp_path, "a.json", data)
    refused(tmp_path, "events 'decree': unknown field 'ocurred'")


def test_invalid_json_is_refused_with_the_file_name(tmp_path):
    write(tmp_path, "a.json", minimal())
    write(tmp_path, "broken.json", '{"policies": [')
    refused(tmp_path, "broken.json: not valid JSON")


def test_a_parent_cycle_is_refused(tmp_path):
    data = minimal()
    data["policies"][0]["parent"] = "sub-plan"
    write(tmp_path, "a.json", data)
    refused(tmp_path, "refers in a cycle")


def test_quotes_are_checked_against_the_texts_whitespace_aside(tmp_path):
    texts = tmp_path / "texts"
    write(texts, "doc.txt", "Preamble.\nThe strategy was signed\n on 10 October 2019. More.")
    data = minimal()
    write(tmp_path / "fixtures", "a.json", data)
    load(tmp_path / "fixtures", texts=texts)
    assert Citation.objects.count() == 8


def test_a_quote_reads_a_dollar_where_the_text_escapes_it(tmp_path):
    # The texts are Markdown: "US\$22 million" there is "US$22 million" in the document.
    texts = tmp_path / "texts"
    write(
        texts,
        "doc.txt",
        "The strategy was signed on 10 October 2019. It cost US\\$22 million, of which "
        "\\$20.91 million was a loan.",
    )
    data = minimal()
    data["funding"][0]["citations"] = cited("It cost US$22 million, of which $20.91 million")
    write(tmp_path / "fixtures", "a.json", data)
    load(tmp_path / "fixtures", texts=texts)
    assert Funding.objects.get().citations.get().quote.startswith("It cost US$22 million")


def test_a_quote_copying_the_texts_escape_is_refused(tmp_path):
    texts = tmp_path / "texts"
    write(texts, "doc.txt", "The strategy was signed on 10 October 2019. It cost US\\$22 million.")
    data = minimal()
    data["funding"][0]["citations"] = cited("It cost US\\$22 million.")
    write(tmp_path / "fixtures", "a.json", data)
    message = refused(
        tmp_path / "fixtures", "quotes a passage found in none of the documents", texts=texts
    )
    assert message.count("found in none of the documents") == 1


def test_a_misquoted_passage_is_refused_when_texts_are_given(tmp_path):
    texts = tmp_path / "texts"
    write(texts, "doc.txt", "The strategy was signed on 11 October 2019.")
    write(tmp_path / "fixtures", "a.json", minimal())
    refused(tmp_path / "fixtures", "quotes a passage found in none of the documents", texts=texts)


def test_an_empty_fixtures_folder_says_there_is_nothing_to_load(tmp_path, capsys):
    load(tmp_path)
    assert "No fixtures in" in capsys.readouterr().out


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents are not beside the repository")
def test_every_shipped_quote_occurs_verbatim_in_the_document_it_cites():
    documents = load_texts(SEEDS)
    by_source: dict[str, set[int]] = {}  # the documents holding every quote of a source so far
    misses = []
    for record in read_fixtures(ROOT / "fixtures").values():
        for citation in record.citations:
            quote = citation["quote"]
            found = {i for i, text in enumerate(documents) if text.locate(quote)}
            if not found:
                misses.append(f"{record.where}: {quote[:80]}")
            if found:
                by_source[citation["source"]] = by_source.get(citation["source"], found) & found
    assert misses == []
    # A source's quotes all come from one document (some cited works are quoted in several).
    main_sources = {
        "euren-brief-2-2019",
        "ifri-nocetti-2020-outsider",
        "gbd-2023-ai-geopolitics-central-asia",
    }
    assert all(len(by_source.get(slug, {0})) == 1 for slug in main_sources)


def test_every_shipped_federal_project_is_nested_in_its_national_project():
    records = read_fixtures(ROOT / "fixtures")
    federal = [r for (kind, _), r in records.items() if r.data.get("kind") == "federal_project"]
    assert federal, "the documents speak of Digital Economy's federal projects"
    for record in federal:
        parent = records[("policies", record.data["parent"])]
        assert parent.data["kind"] == "national_project", record.where


def test_no_shipped_assessment_is_dated_after_the_document_that_makes_it():
    records = read_fixtures(ROOT / "fixtures")
    published = {
        key: r.data.get("published") for (kind, key), r in records.items() if kind == "sources"
    }
    for (kind, _), record in records.items():
        if kind != "assessments":
            continue
        dates = [published[c["source"]] for c in record.citations if published.get(c["source"])]
        latest = max(FuzzyDate.parse(d) for d in dates)
        assert FuzzyDate.parse(record.data["as_of"]).start <= latest.end, record.where


def test_a_loaded_version_keeps_its_quotes_and_roles_for_a_revert(tmp_path, editor):
    write(tmp_path, "a.json", minimal())
    load(tmp_path)
    strategy = Policy.objects.get(slug="strategy")
    loaded = strategy.history.earliest()
    assert loaded.history_type == "+"
    draft = workflow.entry_revert(strategy, to_version=loaded, by=editor)
    assert [c.quote for c in draft.citations.all()] == [
        "The strategy was signed on 10 October 2019."
    ]
    assert list(draft.roles.values_list("actor__slug", "role")) == [("president", "leads")]


def speech_with_two_places(yaroslavl="Yaroslavl", moscow="Moscow", **overrides):
    data = minimal()
    data["events"][0]["citations"] = [
        {
            **cited("before an audience of students in Yaroslavl")[0],
            "field": "place",
            "claim": yaroslavl,
        },
        {
            **cited("in his speech in Moscow in 2017")[0],
            "field": "place",
            "claim": moscow,
            **overrides,
        },
    ]
    return data


def test_two_passages_stating_different_values_load_and_the_page_says_sources_differ(
    tmp_path, client
):
    write(tmp_path, "a.json", speech_with_two_places())
    load(tmp_path)
    event = Event.objects.get(slug="decree")
    assert sorted(event.citations.values_list("field", "claim")) == [
        ("place", "Moscow"),
        ("place", "Yaroslavl"),
    ]
    page = " ".join(client.get(f"/events/{event.slug}/").text.split())
    assert "Sources differ on place:" in page
    assert "Yaroslavl (1 source)" in page and "Moscow (1 source)" in page


def test_a_changed_stated_value_updates_the_loaded_citations(tmp_path, capsys):
    write(tmp_path, "a.json", speech_with_two_places())
    load(tmp_path)
    capsys.readouterr()
    write(tmp_path, "a.json", speech_with_two_places(moscow="Yaroslavl"))
    load(tmp_path)
    assert "events: 1 updated" in capsys.readouterr().out
    assert set(Event.objects.get().citations.values_list("claim", flat=True)) == {"Yaroslavl"}


def test_a_stated_value_of_a_field_the_record_has_not_is_refused_naming_the_allowed_ones(
    tmp_path,
):
    write(tmp_path, "a.json", speech_with_two_places(field="where"))
    message = refused(
        tmp_path,
        "a.json: events 'decree': citation #2: “where” is not a field a passage can state for "
        "events: give one of occurred, kind, title, description, place, jurisdiction, wikidata_id.",
    )
    assert "citation #1" not in message


def test_an_internal_field_cannot_be_stated(tmp_path):
    write(tmp_path, "a.json", speech_with_two_places(field="state"))
    refused(tmp_path, "citation #2: “state” is not a field a passage can state for events")


def test_a_stated_value_without_its_field_is_refused_naming_the_allowed_ones(tmp_path):
    write(tmp_path, "a.json", speech_with_two_places(field=""))
    refused(
        tmp_path,
        "a.json: events 'decree': citation #2: The value “Moscow” needs the field it states: "
        "one of occurred, kind, title, description, place, jurisdiction, wikidata_id.",
    )


def test_a_field_without_the_value_it_states_is_refused(tmp_path):
    write(tmp_path, "a.json", speech_with_two_places(moscow=""))
    refused(
        tmp_path,
        "events 'decree': citation #2: Give the value the passage states for the place.",
    )


def test_a_record_s_check_constraints_are_validated_in_one_query_not_one_each():
    from django.db import connection
    from django.db.models import CheckConstraint
    from django.test.utils import CaptureQueriesContext

    from tests import factories
    from tracker.core import constraints

    entry = factories.commitment(due="2024", pledged="2019")
    checks = [c for c in type(entry)._meta.constraints if isinstance(c, CheckConstraint)]
    assert len(checks) > 3
    with CaptureQueriesContext(connection) as djangos:
        entry.full_clean()
    with CaptureQueriesContext(connection) as ours:
        constraints.full_clean(entry)
    # The policy link, the key's uniqueness, and the checks together; Django's own costs a
    # query (inside a savepoint of its own) for each check.
    assert len(ours) == 3 < len(djangos)
    # And it refuses what Django refuses, with Django's message.
    entry.due = "2010"
    with pytest.raises(ValidationError) as refused:
        constraints.full_clean(entry)
    assert "A commitment cannot be due before it was pledged." in str(refused.value)


def test_a_source_naming_its_text_file_gets_its_text_and_its_quotes_are_located(tmp_path):
    texts = tmp_path / "texts"
    write(texts, "doc.txt", "The strategy was signed on 10 October 2019. It cost US\\$22 million.")
    data = minimal()
    data["sources"] = [{**REPORT, "text_file": "doc.txt"}]
    write(tmp_path / "fixtures", "a.json", data)
    load(tmp_path / "fixtures", texts=texts)
    source = Source.objects.get(slug="report")
    assert source.text.endswith("It cost US$22 million.")  # as the document reads
    assert set(Citation.objects.values_list("verified", flat=True)) == {True}
    load(tmp_path / "fixtures")  # without the texts: the text stays
    assert Source.objects.get(slug="report").text == source.text


def test_a_text_file_not_in_the_folder_is_refused(tmp_path):
    texts = tmp_path / "texts"
    write(texts, "doc.txt", "The strategy was signed on 10 October 2019.")
    data = minimal()
    data["sources"] = [{**REPORT, "text_file": "other.txt"}]
    write(tmp_path / "fixtures", "a.json", data)
    refused(tmp_path / "fixtures", "text_file 'other.txt' is no text in", texts=texts)


def test_a_misquote_of_an_attached_text_is_refused_with_the_closest_passage(tmp_path):
    texts = tmp_path / "texts"
    write(texts, "doc.txt", "The strategy was signed on 10 October 2019.")
    write(texts, "other.txt", "The strategy was signed on 11 October 2019.")
    data = minimal()
    data["sources"] = [{**REPORT, "text_file": "doc.txt"}]
    data["actors"][0]["citations"] = cited("The strategy was signed on 11 October 2019.")
    write(tmp_path / "fixtures", "a.json", data)
    refused(tmp_path / "fixtures", "The closest passage reads: “The strategy", texts=texts)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents are not beside the repository")
def test_the_three_shipped_documents_are_attached_and_every_quote_of_them_is_located():
    load(ROOT / "fixtures", texts=SEEDS)
    held = Source.objects.exclude(text="")
    assert sorted(held.values_list("slug", flat=True)) == [
        "euren-brief-2-2019",
        "gbd-2023-ai-geopolitics-central-asia",
        "ifri-nocetti-2020-outsider",
    ]
    checked = Citation.objects.filter(source__in=held)
    assert checked.count() > 600
    assert set(checked.values_list("verified", flat=True)) == {True}
    assert not Citation.objects.exclude(source__in=held).exclude(verified=None).exists()
