"""Hostile files: each gets a clear row-level (or file-level) error and stores nothing."""

import pytest

from clusterhub.registry.importing import import_organizations
from tests.factories import OrganizationFactory
from tests.importing.sample import vat_number

pytestmark = pytest.mark.django_db

HEADER = "Ragione sociale;Partita IVA;CAP;Tipo"


def _import(path):
    return import_organizations(path, dry_run=False)


def _problems(report):
    return [(e.line, e.column, e.message) for e in report.errors]


@pytest.fixture
def stored(member_org, state):
    """Something already stored, that no failed import may change."""
    return state()


def test_it_names_a_missing_required_column_and_stores_nothing(write, state, stored):
    path = write("no_kind.csv", ["Ragione sociale;CAP", "Alfa Srl;40126"])

    report = _import(path)

    assert len(report.errors) == 1
    problem = report.errors[0]
    assert (problem.line, problem.column) == (None, "kind")
    assert "The required column kind is missing" in problem.message
    assert state() == stored


def test_it_names_both_lines_of_a_duplicate_key_inside_the_file(write, state, stored):
    vat = vat_number(4242)
    path = write(
        "dupes.csv",
        [
            HEADER,
            f"Alfa Srl;{vat};40126;firm",
            "Beta Srl;;40126;firm",
            f"Alfa S.r.l. bis;IT {vat};40127;firm",
            "BETA S.R.L.;;40126;firm",
        ],
    )

    report = _import(path)

    assert _problems(report) == [
        (4, "Partita IVA", "Duplicate of line 2 (the same VAT number) in this file."),
        (5, "Ragione sociale", "Duplicate of line 3 (the same name and postcode) in this file."),
    ]
    assert state() == stored


def test_it_refuses_an_invalid_vat_number(write, state, stored):
    path = write("vat.csv", [HEADER, "Alfa Srl;12345678901;40126;firm", "Beta;123;40126;firm"])

    report = _import(path)

    assert _problems(report) == [
        (2, "Partita IVA", "Invalid VAT number '12345678901': wrong check digit."),
        (3, "Partita IVA", "Invalid VAT number '123': must be 11 digits."),
    ]
    assert state() == stored


def test_it_refuses_an_invalid_pic(write, state, stored):
    path = write("pic.csv", ["name,kind,pic", "Alfa,firm,12AB"])

    report = _import(path)

    assert _problems(report) == [(2, "pic", "Invalid PIC '12AB': must be 9 digits.")]
    assert state() == stored


def test_it_refuses_a_5000_character_name(write, state, stored):
    path = write("long.csv", [HEADER, f"{'A' * 5000};;40126;firm"])

    report = _import(path)

    assert _problems(report) == [
        (
            2,
            "Ragione sociale",
            "Ensure this value has at most 255 characters (it has 5000).",
        )
    ]
    assert state() == stored


@pytest.mark.parametrize(
    "name",
    ["<script>alert(1)</script>", "Alfa <b>Srl</b>", '<img src=x onerror="alert(1)">', "A > B"],
)
def test_it_refuses_html_or_script_in_names(write, state, stored, name):
    path = write("html.csv", [HEADER, f"{name};;40126;firm"])

    report = _import(path)

    assert _problems(report) == [
        (2, "Ragione sociale", "Must not contain '<' or '>': HTML markup is not allowed here.")
    ]
    assert state() == stored


@pytest.mark.parametrize(
    ("column", "payload"),
    [
        ("name", "=cmd|' /C calc'!A0"),
        ("name", "+SUM(1+1)*cmd|' /C calc'!A0"),
        ("name", "-2+3+cmd|' /C calc'!A0"),
        ("name", "@SUM(1+1)*cmd|' /C calc'!A0"),
        ("city", '=HYPERLINK("http://evil.example","clic")'),
        ("description", "  =1+1"),
    ],
)
def test_it_refuses_spreadsheet_formula_payloads_in_any_text_cell(
    write, state, stored, column, payload
):
    cells = {"name": "Alfa Srl", "kind": "firm", "city": "Bologna", "description": "ok"}
    cells[column] = payload
    path = write("formula.csv", [";".join(cells), ";".join(cells.values())])

    report = _import(path)

    assert [(e.line, e.column) for e in report.errors] == [(2, column)]
    assert "looks like a spreadsheet formula; formulas are refused" in report.errors[0].message
    assert state() == stored


def test_a_negative_number_is_not_a_formula_but_is_no_employee_count(write):
    path = write("employees.csv", ["name;kind;dipendenti", "Alfa;firm;-5", "Beta;firm;12,0"])

    report = import_organizations(path, dry_run=True)

    assert _problems(report) == [(2, "dipendenti", "A number of employees cannot be negative.")]


def test_it_names_unknown_kinds_competences_clusters_urls_and_dates(write, state, stored):
    path = write(
        "unknown.csv",
        [
            "name;kind;competenze;cluster;sito web;socio dal",
            "Alfa;astronave;;;;",
            "Beta;firm;999|Processi di lavorazione;;;",
            "Gamma;firm;;marte;;",
            "Delta;firm;;;http://exa mple;",
            "Epsilon;firm;;agrifood;;31/02/2020",
        ],
    )

    report = _import(path)

    assert [(e.line, e.column) for e in report.errors] == [
        (2, "kind"),
        (3, "competenze"),
        (4, "cluster"),
        (5, "sito web"),
        (6, "socio dal"),
    ]
    messages = [e.message for e in report.errors]
    assert messages[0].startswith("Unknown value 'astronave'; expected one of: association,")
    assert messages[1] == "Unknown competence: '999'."
    assert messages[2].startswith("Unknown cluster: 'marte'; the clusters are: agrifood,")
    assert messages[3] == "'http://exa mple' is not a valid web address."
    assert messages[4] == "'31/02/2020' is not a date; write YYYY-MM-DD or DD/MM/YYYY."
    assert state() == stored


def test_a_vat_number_of_another_organization_under_a_pic_is_a_conflict(write, state):
    OrganizationFactory(name="Holder", vat_number=vat_number(1), pic="999999999")
    before = state()
    path = write("pic.csv", ["name;kind;vat_number;pic", f"Other;firm;{vat_number(2)};999999999"])

    report = _import(path)

    assert _problems(report) == [
        (2, "pic", f"This PIC already belongs to Holder (VAT number {vat_number(1)}).")
    ]
    assert state() == before


def test_a_row_with_more_cells_than_the_header_is_refused(write):
    path = write("shifted.csv", ["name,kind", "Alfa, Beta & C. Srl,firm"])

    report = import_organizations(path, dry_run=True)

    assert [(e.line, e.column) for e in report.errors] == [(2, "")]
    assert "is a delimiter missing its quotes?" in report.errors[0].message
