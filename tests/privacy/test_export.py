"""A person downloads everything stored about them, and nothing about anyone else."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from clusterhub.people.tokens import token_create
from clusterhub.privacy.exporting import export_archive, export_person
from tests.privacy.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_persons_records_from_several_apps(member, records):
    data = export_person(member)
    sections = data["sections"]

    assert sections["account"][0]["email"] == "member@example.org"
    assert sections["account"][0]["full_name"] == "Maria Membro"
    assert [c["title"] for c in sections["contributions"]] == [
        "Cold chain sensors for small dairies"
    ]
    assert [c["text"] for c in sections["comments"]] == ["Member's reply"]
    assert {r["code"] for r in sections["event_registrations"]} == {"MEMBER01", "MEMBER02"}
    assert sections["event_registrations"][0]["event_name"] in {"Dairy workshop", "Past fair"}
    assert [s["query"] for s in sections["saved_searches"]] == ["sensori caseifici"]
    assert sections["ballots"][0]["value"] == 1 and sections["ballots"][0]["cast_by"] == "you"
    assert [c["text"] for c in sections["agenda_comments"]] == ["Yes!"]
    assert {c["purpose"] for c in sections["consents"]} == {"digest", "terms"}
    assert sections["organization_roles"][0]["organization_name"] == "Caseificio Esempio Srl"
    assert len(sections["login_events"]) == 1
    assert sections["digest_preference"][0]["frequency"] == "weekly"
    json.dumps(data)  # machine-readable as it is


def test_the_export_holds_nothing_of_another_person(member, org_admin, records):
    text = json.dumps(export_person(member), ensure_ascii=False)

    assert "orgadmin@example.org" not in text
    assert "Alberto Amministratore" not in text
    assert "Admin's reply" not in text
    assert "admin's own search" not in text
    assert "ADMIN001" not in text


def test_references_to_another_person_say_so_without_naming_them(org_admin, records):
    """The org admin created the agenda version the member's ballot belongs to: from the
    admin's side, their own row says "you"."""
    sections = export_person(org_admin)["sections"]

    assert sections["agenda_versions"][0]["created_by"] == "you"
    assert sections["events_created"][0]["title"] == "Dairy workshop"
    assert "member@example.org" not in json.dumps(sections)


def test_secrets_are_never_exported(member, records):
    token_create(person=member, name="my script")

    text = json.dumps(export_person(member))

    assert "key_hash" not in text
    assert "member-feed-token" not in text
    assert "password" not in text
    assert export_person(member)["sections"]["api_tokens"][0]["name"] == "my script"


def test_the_archive_has_a_readme_and_a_json_file_per_kind(member, records):
    archive = zipfile.ZipFile(io.BytesIO(export_archive(member)))
    names = set(archive.namelist())

    assert {"README.txt", "export.json", "contributions.json", "ballots.json"} <= names
    assert "contributions.json (1)" in archive.read("README.txt").decode()
    contributions = json.loads(archive.read("contributions.json"))
    assert contributions[0]["title"] == "Cold chain sensors for small dairies"


def test_the_privacy_page_downloads_the_archive(member, records):
    response = signed_in_client(member).get(reverse("privacy:export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    export = json.loads(archive.read("export.json"))
    assert export["person_id"] == member.pk


def test_the_api_returns_the_callers_export(member, records):
    _token, key = token_create(person=member, name="export script")

    response = signed_in_client(member).get("/api/me/export", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 200
    body = response.json()
    assert body["person_id"] == member.pk
    assert body["sections"]["contributions"][0]["author"] == "you"
