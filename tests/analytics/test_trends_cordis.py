"""Reading CORDIS project files as trend documents (analytics.trends.cordis)."""

import csv
import datetime

import pytest

from analytics.trends.cordis import FP7_FILE, H2020_FILE, load_projects


def _write(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def test_both_files_become_dated_documents_with_title_then_objective(tmp_path):
    _write(
        tmp_path / FP7_FILE,
        ["id", "programme", "title", "startDate", "objective"],
        [
            ["101", "FP7-KBBE", "Dairy  cows", "2009-03-01", "Milk\nquality."],
            ["102", "FP7-KBBE", "No date", "", "Skipped."],
        ],
    )
    _write(
        tmp_path / H2020_FILE,
        ["", "id", "programme", "title", "startDate", "objective", "coordinatorCountry"],
        [
            [
                "0",
                "7",
                "H2020-EU.3.3.;H2020-EU.3.3.8.",
                "H2 buses",
                "2018-05-01",
                "Fuel cells.",
                "IT",
            ],
            ["1", "8", "H2020-EU.3.3.", "", "2019-01-01", "", "DE"],
        ],
    )
    docs = load_projects(tmp_path)
    assert [d.key for d in docs] == ["fp7:101", "h2020:7"]
    assert docs[0].text == "Dairy cows. Milk quality."
    assert docs[0].date == datetime.date(2009, 3, 1)
    assert docs[0].groups == ("FP7-KBBE",)
    assert docs[0].members == ()
    assert docs[1].groups == ("H2020-EU.3.3.",)
    assert docs[1].members == ("country:IT",)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="projects.csv"):
        load_projects(tmp_path)
