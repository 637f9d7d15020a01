"""The data package documents itself, and Frictionless, as data users run it, finds nothing
wrong with it: the shipped dataset's package validates with every foreign key resolved; its
fields say what they hold, their values and formats; its licence is the setting's and its
sources the documents; its files are deflated and readable by all once unzipped."""

import csv
import io
import json
import stat
import zipfile

import pytest
from django.core.cache import cache
from frictionless import Package, system

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="class")
def package(shipped_dataset, django_db_blocker, tmp_path_factory):
    """The package the API serves for the shipped dataset, unzipped, and its zip."""
    from django.test import Client

    with django_db_blocker.unblock():
        cache.clear()
        body = Client().get("/api/v1/datapackage.zip").content
    where = tmp_path_factory.mktemp("package")
    archive = zipfile.ZipFile(io.BytesIO(body))
    archive.extractall(where)
    return where, archive


def validate(where):
    with system.use_context(trusted=True):
        return Package(str(where / "datapackage.json")).validate()


class TestTheShippedDatasetsPackage:
    def test_frictionless_finds_no_error_foreign_keys_included(self, package):
        report = validate(package[0])
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
        assert report.stats["tasks"] == 9

    def test_every_relation_is_a_foreign_key_that_resolves(self, package):
        descriptor = json.loads((package[0] / "datapackage.json").read_text())
        keys = {
            (r["name"], k["fields"], k["reference"]["resource"] or r["name"])
            for r in descriptor["resources"]
            for k in r["schema"]["foreignKeys"]
        }
        assert ("commitments", "policy_id", "policies") in keys
        assert ("assessments", "commitment_id", "commitments") in keys
        assert ("policies", "parent_id", "policies") in keys
        assert ("funding", "funder_id", "actors") in keys
        assert len(keys) == 13

    def test_a_broken_reference_is_found(self, package, tmp_path):
        package[1].extractall(tmp_path)
        commitments = tmp_path / "data" / "commitments.csv"
        with commitments.open(newline="") as handle:
            header, first, *rest = list(csv.reader(handle))
        first[header.index("policy_id")] = "999999"
        with commitments.open("w", newline="") as handle:
            csv.writer(handle).writerows([header, first, *rest])
        report = validate(tmp_path)
        assert not report.valid
        assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}

    def test_fields_say_what_they_hold_their_values_and_formats(self, package):
        descriptor = json.loads((package[0] / "datapackage.json").read_text())
        fields = {
            (r["name"], f["name"]): f
            for r in descriptor["resources"]
            for f in r["schema"]["fields"]
        }
        assert "precision" in fields["commitments", "due_precision"][
            "description"
        ].lower() or fields["commitments", "due_precision"]["description"].startswith("Due")
        assert fields["commitments", "due_precision"]["constraints"]["enum"] == [
            "day",
            "month",
            "quarter",
            "year",
            "decade",
        ]
        assert "delivered" in fields["assessments", "status"]["constraints"]["enum"]
        assert fields["sources", "archived_url"]["format"] == "uri"
        assert fields["policies", "legal_act_url"]["format"] == "uri"
        described = [f for f in fields.values() if f.get("description")]
        assert len(described) > len(fields) / 2

    def test_the_licence_is_the_setting_and_the_sources_the_documents(self, package, settings):
        descriptor = json.loads((package[0] / "datapackage.json").read_text())
        assert descriptor["licenses"] == settings.DATASET_LICENSES
        assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
        assert "own rights" in descriptor["description"]
        sources = (package[0] / "data" / "sources.csv").read_text().count("\n") - 1
        assert len(descriptor["sources"]) == sources > 80
        assert all(s["title"] and s["path"].startswith("/e/source/") for s in descriptor["sources"])

    def test_its_files_are_deflated_and_readable_by_all_once_unzipped(self, package):
        for member in package[1].infolist():
            assert member.compress_type == zipfile.ZIP_DEFLATED, member.filename
            assert stat.S_IMODE(member.external_attr >> 16) == 0o644, member.filename


def test_a_licence_the_settings_do_not_know_stops_the_start(monkeypatch):
    import importlib

    import tracker.settings

    monkeypatch.setenv("DATASET_LICENSE", "WTFPL")
    with pytest.raises(Exception, match="DATASET_LICENSE must be one of"):
        importlib.reload(tracker.settings)
    monkeypatch.delenv("DATASET_LICENSE")
    importlib.reload(tracker.settings)
