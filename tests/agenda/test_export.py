"""CSV, JSON and PDF of a published version: the same record, as the viewer may see it."""

import csv
import io
import json
import zlib

import pytest
from django.urls import reverse

from clusterhub.agenda.exporting import CSV_HEADER, version_record
from clusterhub.agenda.pdf import latin1, version_pdf
from tests.agenda.publication_helpers import two_published_versions

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(agrifood, manager):
    return two_published_versions(agrifood, manager)


def _url(name, number=2):
    return reverse(f"agenda:{name}", kwargs={"slug": "agrifood", "number": number})


def _csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_csv_has_one_row_per_active_item_with_kpis_and_links(client, versions):
    response = client.get(_url("public_csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="agenda-agrifood-v2.csv"' in response["Content-Disposition"]
    rows = _csv(response)
    assert list(rows[0]) == list(CSV_HEADER)
    assert [row["title"] for row in rows] == [
        "Imballaggi compostabili",
        "Export verso nuovi mercati",
        "Formazione per le PMI",
        "Formazione per gli ITS",
        "Filiera corta e mercati",
        "Qualità dell'acqua",
    ]
    packaging = rows[0]
    assert packaging["kpis"] == "Aziende coinvolte: 0 -> 10, current 4"
    assert packaging["progress_percent"] == "45"
    assert packaging["contribution_ids"] == str(versions.public_need.pk)
    assert packaging["hidden_contributions"] == "1"
    assert packaging["descends_from"].startswith("v1#")
    assert "Bando pubblicato due 2025-03-01 done 2025-03-02" in packaging["milestones"]


def test_a_member_of_the_cluster_gets_both_linked_contributions(client, versions, member):
    client.force_login(member)

    packaging = _csv(client.get(_url("public_csv")))[0]

    ids = {versions.public_need.pk, versions.members_need.pk}
    assert set(map(int, packaging["contribution_ids"].split(" | "))) == ids
    assert packaging["hidden_contributions"] == "0"


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(client, agrifood, manager):
    from tests.agenda.core_helpers import draft, item, publish

    version = draft(agrifood, manager)
    item(version, manager, title='=HYPERLINK("http://evil")', objective="+1")
    publish(version, manager)

    (row,) = _csv(client.get(_url("public_csv", 1)))

    assert row["title"].startswith("'=")
    assert row["objective"] == "'+1"


def test_the_json_download_is_the_version_record(client, versions):
    response = client.get(_url("public_json"))

    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["number"] == 2 and data["phase"] == "published"
    assert data["based_on"] == 1
    assert data["cluster"]["slug"] == "agrifood"
    packaging = data["items"][0]
    assert packaging["kpis"][0] == {
        "name": "Aziende coinvolte",
        "unit": "",
        "baseline": 0.0,
        "target": 10.0,
        "current": 4.0,
        "percent": 40,
    }
    assert packaging["contributions"] == [
        {"id": versions.public_need.pk, "title": versions.public_need.title}
    ]
    assert packaging["url"].startswith("http://testserver/agenda/agrifood/v2/items/")
    assert "Qualità dell'acqua".encode() in response.content  # UTF-8, not \\u escapes


def test_the_pdf_is_a_pdf_with_the_italian_letters_intact(client, versions):
    response = client.get(_url("public_pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = _pdf_text(response.content)
    assert "Qualità dell'acqua".encode("latin-1") in text
    assert "Ridurre la plastica monouso".encode("latin-1") in text


def _pdf_text(data: bytes) -> bytes:
    """The uncompressed content streams of a PDF (fpdf2 deflates each one)."""
    import re

    chunks = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            chunks.append(match.group(1))
    return b"".join(chunks).replace(b"\\(", b"(").replace(b"\\)", b")")


def test_pdf_text_outside_latin_1_becomes_its_plain_equivalent():
    assert latin1("“Perché” – 5 € … 漢") == '"Perché" - 5 EUR ... ?'


def test_the_pdf_of_a_hostile_text_is_still_made(versions, db):
    record = version_record(versions.v2, viewer=None)
    record["items"][0]["title"] = "\x00\x07 <script> 漢字 " + "x" * 5000

    assert version_pdf(record).startswith(b"%PDF-")


def test_the_exports_carry_the_consultation_result(client, versions):
    data = json.loads(client.get(_url("public_json")).content)
    rows = {row["title"]: row for row in _csv(client.get(_url("public_csv")))}

    packaging = data["items"][0]
    assert packaging["result"]["rank"] == 1
    assert packaging["result"]["score"] == 2.0
    assert packaging["result"]["by_type"] == {"firm": 1.0, "research_lab": 1.0}
    assert data["participation"]["voters"] == 2
    assert rows["Imballaggi compostabili"]["result_rank"] == "1"
    assert rows["Qualità dell'acqua"]["result_share_percent"] == "33.33"
    assert _csv(client.get(_url("public_csv", 1)))[0]["result_rank"] == ""
