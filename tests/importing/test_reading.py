"""What real spreadsheets contain: encodings, delimiters, BOMs, blank rows, XLSX."""

import io
import random
from pathlib import Path

import pytest
from openpyxl import Workbook

from clusterhub.registry.importing import import_organizations
from clusterhub.registry.models import Organization

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"


def test_it_imports_an_excel_windows_1252_semicolon_file_with_its_accents(state):
    report = import_organizations(FILES / "excel_windows1252.csv", dry_run=False)

    assert report.ok, report.errors
    assert (report.encoding, report.delimiter, report.created) == ("Windows-1252", ";", 3)
    university = Organization.objects.get(vat_number="01131710376")
    assert university.name == "Università di Bologna – DIN"
    assert university.kind == "university"
    assert university.territory.nuts3 == "ITH55"  # Bologna, from the postcode
    assert sorted(university.competences.values_list("code", flat=True)) == ["3", "4"]
    membership = university.memberships.get()
    assert (membership.cluster.slug, str(membership.since)) == ("mech", "2019-03-01")
    societa = Organization.objects.get(name="Società Esempio Srl")
    assert sorted(societa.memberships.values_list("cluster__slug", flat=True)) == [
        "agrifood",
        "mech",
    ]


def test_it_drops_the_utf8_bom_and_skips_blank_rows(state):
    report = import_organizations(FILES / "utf8_bom_blank_rows.csv", dry_run=False)

    assert report.ok, report.errors
    assert (report.encoding, report.delimiter, report.rows, report.created) == (
        "UTF-8 (BOM)",
        ",",
        2,
        2,
    )
    lab = Organization.objects.get(name="Laboratorio Città Verde")  # header "name" had the BOM
    assert lab.website == "https://www.example.org"
    assert list(lab.s3_themes.values_list("code", flat=True)) == ["76"]
    assert "verde" in lab.search_text and "bologna" in lab.search_text


def test_it_reports_the_line_of_the_file_after_blank_and_multiline_rows(write):
    path = write(
        "lines.csv",
        ["name;kind;description", "", 'A;firm;"two', 'lines"', "", "=bad;firm;"],
    )

    report = import_organizations(path, dry_run=True)

    assert [(e.line, e.column) for e in report.errors] == [(6, "name")]


def test_it_reads_a_tab_separated_file(write):
    path = write("tabs.csv", ["name\tkind\tcity", "Tab Srl\tfirm\tParma"])

    report = import_organizations(path, dry_run=True)

    assert (report.delimiter, report.created, report.error_count) == ("\t", 1, 0)


def test_it_reads_excel_unicode_text_in_utf16(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("name\tkind\tcity\r\nCittà Srl\tfirm\tForlì\r\n".encode("utf-16"))

    report = import_organizations(path, dry_run=False)

    assert (report.encoding, report.delimiter, report.created) == ("UTF-16", "\t", 1)
    assert Organization.objects.get().city == "Forlì"


def test_it_refuses_binary_garbage_with_a_clear_error(tmp_path, state):
    before = state()
    path = tmp_path / "organizations.csv"
    path.write_bytes(random.Random(7).randbytes(20_000))

    report = import_organizations(path, dry_run=False)

    assert [(e.line, e.message) for e in report.errors] == [
        (None, "The file is not a CSV or XLSX table: it contains binary data.")
    ]
    assert state() == before


def test_it_refuses_an_xlsx_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "organizations.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a zip archive")

    report = import_organizations(path, dry_run=True)

    assert report.errors[0].message == "The file is not a readable XLSX workbook."


def test_it_refuses_an_old_xls_file(tmp_path):
    path = tmp_path / "organizations.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)

    report = import_organizations(path, dry_run=True)

    assert "save the sheet as .xlsx or CSV" in report.errors[0].message


def _workbook(rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def test_it_imports_an_xlsx_workbook_with_numbers_dates_and_lost_leading_zeros(state):
    from datetime import date

    stream = _workbook(
        [
            [
                "Denominazione",
                "P.IVA",
                "CAP",
                "Comune",
                "Tipologia",
                "Dipendenti",
                "Cluster",
                "Data adesione",
                "Accreditato HTN",
            ],
            [
                "Polo Tecnologico Srl",
                1131710376,
                40136,
                "Bologna",
                "Laboratorio",
                12,
                "agrifood",
                date(2021, 5, 4),
                "sì",
            ],
            [None, None, None, None, None, None, None, None, None],
            [
                "Impresa Piacenza",
                None,
                29121,
                "Piacenza",
                "firm",
                300.0,
                "Clust-ER Mech",
                None,
                "no",
            ],
        ]
    )

    report = import_organizations(stream, filename="soci.xlsx", dry_run=False)

    assert report.ok, report.errors
    assert (report.format, report.rows, report.created) == ("xlsx", 2, 2)
    polo = Organization.objects.get(name="Polo Tecnologico Srl")
    assert (polo.vat_number, polo.kind, polo.size_class, polo.htn_accredited) == (
        "01131710376",
        "research_lab",
        "small",
        True,
    )
    assert polo.memberships.get().since == date(2021, 5, 4)
    piacenza = Organization.objects.get(name="Impresa Piacenza")
    assert (piacenza.size_class, piacenza.nuts3) == ("large", "ITH51")
    assert piacenza.memberships.get().cluster.slug == "mech"


def test_it_refuses_a_formula_cell_of_an_xlsx_workbook(state):
    before = state()
    stream = _workbook([["name", "kind"], ['=HYPERLINK("http://evil","click")', "firm"]])

    report = import_organizations(stream, filename="evil.xlsx", dry_run=False)

    assert [(e.line, e.column) for e in report.errors] == [(2, "name")]
    assert "looks like a spreadsheet formula" in report.errors[0].message
    assert state() == before
