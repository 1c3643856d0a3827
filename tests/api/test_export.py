"""Open-data export of the public directory: public fields only, safe in a spreadsheet."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from clusterhub.registry.exporting import spreadsheet_safe
from tests.factories import MembershipFactory, OrganizationFactory, OrganizationRoleFactory

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def body(response):
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def hostile_org(agrifood):
    organization = OrganizationFactory(
        name="=cmd|' /C calc'!A0",
        city="+39 Bologna",
        description="@import",
        equipment="-1",
    )
    MembershipFactory(organization=organization, cluster=agrifood)
    return organization


@pytest.mark.parametrize("value", FORMULAS)
def test_a_formula_is_defused_with_a_leading_quote(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Bologna", "41121", "", "a=b", "'quoted"])
def test_ordinary_text_is_left_alone(value):
    assert spreadsheet_safe(value) == value


@pytest.mark.parametrize("url", ["/api/export/organizations.csv", "/organizations/export.csv"])
def test_the_csv_export_defuses_formulas_in_every_text_cell(client, hostile_org, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body(response))))
    row = next(r for r in rows if r["id"] == str(hostile_org.pk))
    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["city"] == "'+39 Bologna"
    assert row["description"] == "'@import"
    assert row["equipment"] == "'-1"
    assert row["clusters"] == "agrifood"
    for cell in (c for r in rows for c in r.values()):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_the_csv_starts_with_its_header_row_and_no_comment(client, member_org):
    first_line = body(client.get("/api/export/organizations.csv")).splitlines()[0]
    assert first_line.startswith("id,name,kind,htn_accredited,")


@pytest.mark.parametrize(
    "url",
    [
        "/api/export/organizations.csv",
        "/api/export/organizations.json",
        "/organizations/export.csv",
        "/organizations/export.json",
    ],
)
def test_open_data_carries_no_personal_data(client, member, org_admin, member_org, url):
    OrganizationRoleFactory(organization=member_org, person__full_name="Giulia Verdi")
    exported = body(client.get(url))
    assert member_org.name in exported
    assert "@" not in exported.replace("\\u0040", "@")
    assert "Giulia Verdi" not in exported


def test_the_json_export_names_its_licence_and_sources(client, member_org):
    data = json.loads(body(client.get("/api/export/organizations.json")))
    assert data["licence"] == "CC-BY-4.0"
    assert "Emilia-Romagna" in data["attribution"]
    assert any("High Technology Network" in source for source in data["sources"])
    assert [o["name"] for o in data["organizations"]] == [member_org.name]


def test_the_json_export_keeps_values_as_they_are(client, hostile_org):
    data = json.loads(body(client.get("/api/export/organizations.json")))
    assert data["organizations"][0]["name"] == hostile_org.name


def test_the_export_follows_the_directory_filters(client, member_org, other_org):
    data = json.loads(body(client.get("/api/export/organizations.json?cluster=mech")))
    assert [o["name"] for o in data["organizations"]] == [other_org.name]
    page_link = body(client.get("/organizations/export.csv?cluster=mech"))
    assert other_org.name in page_link and member_org.name not in page_link


def test_the_command_writes_the_export_to_a_file(tmp_path, member_org, other_org):
    target = tmp_path / "directory.json"
    call_command(
        "export_directory", "--format", "json", "--output", str(target), "--cluster", "agrifood"
    )
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [o["name"] for o in data["organizations"]] == [member_org.name]


def test_the_command_refuses_an_unknown_cluster(capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="atlantis"):
        call_command("export_directory", "--cluster", "atlantis")
