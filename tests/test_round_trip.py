"""Nothing is lost on the way out and back: the whole published dataset, dumped in the fixture
format and loaded into an empty database, is the same dataset, field by field and quote by quote."""

import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from policies.models import Commitment, Policy, PolicyActor
from sources.models import Citation
from tests import factories
from tracker.core.editorial import State
from tracker.core.workflow import EDITORIAL_FIELDS
from tracker.dataset.loader import KINDS, dump_documents, key_field

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """The dataset by natural keys: every content field, relation, role and citation."""
    data = {}
    for kind, model in KINDS.items():
        rows = {}
        related = [f.name for f in model._meta.concrete_fields if f.many_to_one]
        many = [f.name for f in model._meta.many_to_many]
        entries = model.objects.select_related(*related).prefetch_related(
            *many, "citations__source"
        )
        for entry in entries:
            row = {"id": entry.pk}  # permalinks (/e/<kind>/<id>/) must survive too
            for field in model._meta.concrete_fields:
                if field.name in EDITORIAL_FIELDS:
                    continue
                value = getattr(entry, field.name)
                row[field.name] = (
                    getattr(value, key_field(field.related_model), None)
                    if field.many_to_one
                    else value
                )
            for field in model._meta.many_to_many:
                related = getattr(entry, field.name).all()
                row[field.name] = sorted(
                    getattr(r, key_field(field.related_model)) for r in related
                )
            row["citations"] = sorted(
                (
                    c.source.slug,
                    c.page,
                    c.section,
                    c.footnote,
                    c.quote,
                    c.note,
                    c.field,
                    c.claim,
                    c.position,
                )
                for c in entry.citations.all()
            )
            rows[getattr(entry, key_field(model))] = row
        data[kind] = rows
    data["roles"] = sorted(PolicyActor.objects.values_list("policy__slug", "actor__slug", "role"))
    return data


def empty_the_database():
    Citation.objects.all().delete()
    PolicyActor.objects.all().delete()
    for model in reversed(KINDS.values()):
        # Self-references (a policy's parent) first, then the rows.
        for field in model._meta.concrete_fields:
            if field.many_to_one and field.related_model is model:
                model.objects.update(**{field.name: None})
        model.objects.all().delete()


def test_a_dump_holds_published_entries_only(contributor):
    factories.published_policy(slug="shown")
    factories.policy(slug="secret-draft")
    document = dump_documents()
    slugs = [row["slug"] for row in document["policies"]]
    assert "shown" in slugs
    assert "secret-draft" not in slugs


def test_a_dump_holds_nothing_the_public_cannot_see_and_loads_back(tmp_path):
    country = factories.jurisdiction(code="RU")
    shown = factories.published_policy(slug="shown", jurisdiction=country)
    draft = factories.policy(slug="secret-draft", jurisdiction=country)
    hidden = factories.published_commitment(slug="pledge-of-a-draft", policy=draft)
    pledge = factories.published_commitment(slug="pledge", policy=shown)
    draft_source = factories.source(slug="secret-source", state=State.DRAFT)
    for entry in (shown, pledge, hidden):
        factories.cite(entry)
    factories.cite(pledge, source=draft_source, quote="A passage of an unpublished source.")
    event = factories.event(slug="signed", state=State.PUBLISHED, jurisdiction=country)
    event.policies.add(shown, draft)
    factories.cite(event)
    child = factories.published_policy(slug="child", jurisdiction=country, parent=draft)
    factories.cite(child)

    document = dump_documents()
    text = json.dumps(document)
    assert "secret-draft" not in text and "pledge-of-a-draft" not in text
    assert "secret-source" not in text and "unpublished source" not in text
    assert [row["policies"] for row in document["events"]] == [["shown"]]

    empty_the_database()
    folder = tmp_path / "restore"
    folder.mkdir()
    (folder / "backup.json").write_text(text)
    call_command("load_documents", "--fixtures", str(folder), stdout=io.StringIO())
    assert Commitment.objects.get(slug="pledge").pk == pledge.pk
    assert Policy.objects.get(slug="child").parent is None
    # New entries after a restore take fresh ids, never one a permalink already names.
    later = factories.published_commitment(policy=Policy.objects.get(slug="shown"))
    assert later.pk > pledge.pk


def test_the_values_passages_state_survive_a_dump_and_a_load(tmp_path):
    event = factories.event(slug="speech", state=State.PUBLISHED)
    factories.cite(event, quote="students in Yaroslavl", field="place", claim="Yaroslavl")
    factories.cite(event, quote="in Moscow in 2017", field="place", claim="Moscow", position=1)
    factories.cite(event, quote="A passage that states no value.", position=2)
    before = snapshot()

    document = dump_documents()
    [speech] = document["events"]
    assert [(c.get("field"), c.get("claim")) for c in speech["citations"]] == [
        ("place", "Yaroslavl"),
        ("place", "Moscow"),
        (None, None),  # only a passage that states a value says so
    ]
    empty_the_database()
    folder = tmp_path / "restore"
    folder.mkdir()
    (folder / "backup.json").write_text(json.dumps(document))
    call_command("load_documents", "--fixtures", str(folder), stdout=io.StringIO())
    assert snapshot() == before


def test_a_dump_keeps_the_pledge_a_commitment_tracks_and_loads_it_back(tmp_path):
    shown = factories.published_policy(slug="shown", jurisdiction=factories.jurisdiction(code="RU"))
    pledge = factories.funding(slug="public-pledge", policy=shown, state=State.PUBLISHED)
    secret = factories.funding(slug="secret-pledge", policy=shown, state=State.DRAFT)
    for entry in (shown, pledge):
        factories.cite(entry)
    for slug, target in (("tracks-public", pledge), ("tracks-secret", secret)):
        factories.cite(factories.published_commitment(slug=slug, policy=shown, funding=target))

    document = dump_documents()
    dumped = {row["slug"]: row["funding"] for row in document["commitments"]}
    # A link to a pledge the public cannot see is left out, as on the public site.
    assert dumped == {"tracks-public": "public-pledge", "tracks-secret": None}

    empty_the_database()
    folder = tmp_path / "restore"
    folder.mkdir()
    (folder / "backup.json").write_text(json.dumps(document))
    call_command("load_documents", "--fixtures", str(folder), stdout=io.StringIO())
    restored = Commitment.objects.get(slug="tracks-public")
    assert restored.funding.slug == "public-pledge"
    assert Commitment.objects.get(slug="tracks-secret").funding is None


def test_a_load_refuses_a_dump_whose_ids_are_taken(tmp_path):
    taken = factories.source(slug="already-here")
    record = {"slug": "newcomer", "id": taken.pk}
    folder = tmp_path / "restore"
    folder.mkdir()
    (folder / "clash.json").write_text(
        json.dumps({"sources": [{**record, "kind": "report", "title": "T"}]})
    )
    with pytest.raises(CommandError, match=f"id {taken.pk} already belongs to"):
        call_command("load_documents", "--fixtures", str(folder), stdout=io.StringIO())


class TestTheShippedDataset:
    """The tests reading fixtures/ share one load of it (tests/conftest.py)."""

    def test_it_loads_published_with_a_quote_in_every_citation(self, shipped_dataset):
        assert Policy.objects.published().filter(slug="ru-national-ai-strategy").exists()
        assert Citation.objects.count() > 500
        assert not Citation.objects.filter(quote="").exists()
        assert not any(
            model.objects.exclude(state=State.PUBLISHED).exists() for model in KINDS.values()
        )

    def test_it_survives_a_dump_and_a_load_into_an_empty_database(self, shipped_dataset, tmp_path):
        before = snapshot()
        assert sum(len(rows) for kind, rows in before.items() if kind != "roles") > 100

        path = tmp_path / "backup.json"
        call_command("dump_documents", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
        empty_the_database()
        assert all(not model.objects.exists() for model in KINDS.values())

        folder = tmp_path / "restore"
        folder.mkdir()
        path.rename(folder / "backup.json")
        call_command("load_documents", "--fixtures", str(folder), stdout=io.StringIO())
        assert snapshot() == before

    def test_its_dump_is_json_in_the_fixture_format(self, shipped_dataset, tmp_path):
        path = tmp_path / "backup.json"
        call_command("dump_documents", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
        document = json.loads(path.read_text(encoding="utf-8"))
        assert list(document) == list(KINDS)
        shipped = json.loads((settings.BASE_DIR / "fixtures" / "euren-brief-2.json").read_text())
        assert set(shipped["commitments"][0]) <= set(document["commitments"][0])
