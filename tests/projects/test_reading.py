"""Layouts told apart by their headers, and the values of CORDIS cells in both decimal styles."""

from datetime import date
from decimal import Decimal

import pytest

from clusterhub.projects.cordis import (
    CellError,
    detect_layout,
    framework_of,
    parse_activity_type,
    parse_amount,
    parse_date,
    parse_role,
)
from tests.projects.helpers import FILES


def _headers(name: str) -> list[str]:
    first = (FILES / name).read_text(encoding="utf-8").splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [h.strip('"') for h in first.split(delimiter)]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bulk_project.csv", ("cordis-bulk", "projects")),
        ("bulk_organization.csv", ("cordis-bulk", "participants")),
        ("cleantech.csv", ("cordis-2020", "combined")),
        ("inrae_projects.csv", ("inrae-csv", "projects")),
        ("inrae_participants.csv", ("inrae-csv", "participants")),
    ],
)
def test_each_layout_is_told_by_its_header_row(name, expected):
    assert detect_layout(_headers(name)) == expected


def test_a_table_of_something_else_is_no_layout():
    assert detect_layout(["name", "kind", "postcode"]) is None


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("194046.6", "194046.60"),
        ("194046,6", "194046.60"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567.89", "1234567.89"),
        ("1 234 567,5", "1234567.50"),
        ("2500000", "2500000.00"),
        ("0", "0.00"),
        ("1.5E6", "1500000.00"),
    ],
)
def test_amounts_are_read_in_either_decimal_style(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["-5", "-1.234,5", "abc", "12,34,5x", ""])
def test_negative_or_unreadable_amounts_are_refused(text):
    with pytest.raises(CellError):
        parse_amount(text)


def test_a_negative_amount_says_so():
    with pytest.raises(CellError, match="cannot be negative"):
        parse_amount("-100,5")


@pytest.mark.parametrize(
    "text", ["2015-03-01", "2015-03-01 00:00:00", "2015-03-01T10:00:00", "01/03/2015"]
)
def test_dates_are_read_with_or_without_a_time(text):
    assert parse_date(text) == date(2015, 3, 1)


@pytest.mark.parametrize("text", ["2015-13-01", "31/02/2015", "soon"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(CellError, match="is not a date"):
        parse_date(text)


def test_roles_and_activity_types():
    assert parse_role("thirdParty") == "third_party"
    assert parse_role("associatedPartner") == "partner"
    assert parse_role("COORDINATOR") == "coordinator"
    assert parse_activity_type("hes") == "HES"
    with pytest.raises(CellError, match="Unknown activity type 'XYZ'"):
        parse_activity_type("XYZ")
    with pytest.raises(CellError, match="Unknown role"):
        parse_role("sponsor")


def test_the_framework_comes_from_any_code_that_names_it():
    assert framework_of("", "H2020-EU.3.2.") == "H2020"
    assert framework_of("HORIZON.2.6") == "HORIZON"
    assert framework_of("FP7-KBBE") == "FP7"
    assert framework_of("ERASMUS") == ""
