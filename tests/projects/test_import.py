"""Importing real slices of each CORDIS layout: fields, all or nothing, idempotent re-import."""

import re
from datetime import date
from decimal import Decimal

import pytest

from clusterhub.projects.importing import import_projects
from clusterhub.projects.models import Participation, Project
from clusterhub.registry.models import Organization
from tests.projects.helpers import BULK, CLEANTECH, FILES, INRAE_CSV, INRAE_JSON

pytestmark = pytest.mark.django_db


def test_inrae_csv_projects_and_participants_are_imported_with_their_fields():
    report = import_projects(INRAE_CSV, dry_run=False)

    assert report.ok, report.errors
    assert report.committed
    assert [(f.layout, f.kind, f.rows) for f in report.files] == [
        ("inrae-csv", "projects", 3),
        ("inrae-csv", "participants", 47),
    ]
    assert (report.projects_created, report.participations_created) == (3, 46)
    innovine = Project.objects.get(cordis_id="311775")
    assert (innovine.acronym, innovine.framework, innovine.programme) == (
        "INNOVINE",
        "FP7",
        "FP7-KBBE",
    )
    assert (innovine.topic, innovine.funding_scheme, innovine.status) == (
        "KBBE.2012.1.2-04",
        "CP-TP",
        "CLOSED",
    )
    assert (innovine.start_date, innovine.end_date) == (date(2013, 1, 1), date(2016, 12, 31))
    assert (innovine.total_cost, innovine.eu_contribution) == (
        Decimal("8489665.00"),
        Decimal("5999990.00"),
    )
    assert innovine.title.startswith("Combining innovation in vineyard management")
    assert innovine.objective
    horta = innovine.participations.get(pic="985480134")
    assert (horta.name, horta.role, horta.activity_type, horta.country, horta.city) == (
        "HORTA SRL",
        "participant",
        "PRC",
        "IT",
        "PIACENZA",
    )
    assert horta.eu_contribution == Decimal("485650.00")
    coordinator = innovine.participations.get(role="coordinator")
    assert coordinator.short_name == "INRAE"


def test_a_participant_listed_twice_in_a_project_becomes_one_participation():
    report = import_projects(INRAE_CSV, dry_run=False)

    groningen = Participation.objects.get(project__cordis_id="222625", pic="999989782")
    assert report.duplicates_merged == 1
    assert groningen.role == "coordinator"
    assert groningen.eu_contribution == Decimal("876780") + Decimal("350000")


def test_importing_the_same_files_again_changes_nothing(state):
    import_projects(INRAE_CSV, dry_run=False)
    before = state()

    again = import_projects(list(reversed(INRAE_CSV)), dry_run=False)

    assert again.ok
    assert (again.projects_created, again.projects_updated, again.projects_unchanged) == (0, 0, 3)
    assert (again.participations_created, again.participations_updated) == (0, 0)
    assert again.participations_unchanged == 46
    assert (again.organizations_created, sum(again.linked.values())) == (0, 0)
    assert state() == before


def test_a_dry_run_counts_the_same_and_stores_nothing(state):
    before = state()

    report = import_projects(INRAE_CSV, dry_run=True)

    assert report.ok and not report.committed
    assert (report.projects_created, report.participations_created) == (3, 46)
    assert report.organizations_created == 2  # HORTA and VINIDEA, in the province of Piacenza
    assert state() == before


def test_the_json_layout_is_imported_with_its_partners():
    report = import_projects(INRAE_JSON, dry_run=False)

    assert report.ok, report.errors
    assert report.files[0].layout == "inrae-json"
    mars = Project.objects.get(cordis_id="613654")
    assert mars.acronym == "MARS"
    assert mars.eu_contribution == Decimal("999250.00")
    assert mars.participations.count() == 17
    assert set(mars.participations.filter(in_region=True).values_list("name", flat=True)) == {
        "ALMA MATER STUDIORUM - UNIVERSITA DI BOLOGNA",
        "RI.NOVA SOCIETA COOPERATIVA",
    }


def test_the_cordis_2020_table_lists_coordinator_and_participants():
    report = import_projects(CLEANTECH, dry_run=False)

    assert report.ok, report.errors
    incite = Project.objects.get(cordis_id="675318")
    assert (incite.framework, incite.funding_scheme) == ("H2020", "MSCA-ITN-ETN")
    coordinator = incite.participations.get(role="coordinator")
    assert (coordinator.name, coordinator.country) == (
        "FUNDACIO INSTITUT DE RECERCA DE L'ENERGIA DE CATALUNYA",
        "ES",
    )
    assert incite.participations.filter(role="participant").count() == 8
    # The table gives participants no country: only the project's list of countries.
    assert incite.participations.get(name__startswith="ALMA MATER").country == ""


def test_the_official_bulk_layout_with_comma_decimals(tmp_path):
    report = import_projects(BULK, dry_run=False)

    assert report.ok, report.errors
    assert [f.delimiter for f in report.files] == [";", ";"]
    project = Project.objects.get(cordis_id="618110")
    assert (project.acronym, project.framework) == ("C-IPM", "FP7")
    assert project.participations.count() == 36
    region = project.participations.get(pic="999482375")
    assert (region.nuts3, region.in_region) == ("ITH55", True)
    assert region.eu_contribution == Decimal("39055.00")
    # The same files with dot decimals read the same amounts.
    dotted = []
    for path in BULK:
        text = re.sub(r'"(\d+),(\d+)"', r'"\1.\2"', path.read_text(encoding="utf-8"))
        (tmp_path / path.name).write_text(text, encoding="utf-8")
        dotted.append(tmp_path / path.name)
    again = import_projects(dotted, dry_run=False)
    assert again.ok
    assert (again.projects_unchanged, again.participations_unchanged) == (1, 36)


def test_malformed_rows_are_each_named_and_nothing_is_imported(copy_file, state):
    before = state()
    projects = copy_file(
        "inrae_projects.csv",
        ("626272,FP7,FISHEGG", ",FP7,FISHEGG"),  # line 2: no id
        ("2013-01-01,2016-12-31,8489665.0", "2013-01-01,2016-12-31,-8489665.0"),  # line 3
        ("2009-05-01,2014-04-30", "2009-05-01,2014-04-31"),  # line 5: no 31 April
    )
    participants = copy_file(
        "inrae_participants.csv",
        ("VINIDEA SRL,VIN,IT,Ponte Dell Olio Piacenza,PRC", "VINIDEA SRL,VIN,IT,Ponte,XYZ"),
        ("HORTA SRL,,IT,PIACENZA,PRC,participant,485650.0", "HORTA SRL,,IT,PIACENZA,PRC,,-1"),
        ("222625,METAEXPLORE,998344080", ",METAEXPLORE,998344080"),  # line 31: no project id
    )

    report = import_projects([projects, participants], dry_run=False)

    assert not report.committed
    problems = [(e.file, e.line, e.column) for e in report.errors]
    assert problems == [
        ("inrae_projects.csv", 2, "id"),
        ("inrae_projects.csv", 3, "totalCost"),
        ("inrae_projects.csv", 5, "endDate"),
        ("inrae_participants.csv", 2, "projectID"),  # FISHEGG's, whose id is missing
        ("inrae_participants.csv", 6, "activityType"),
        ("inrae_participants.csv", 15, "ecContribution"),
        ("inrae_participants.csv", 31, "projectID"),
    ]
    messages = [e.message for e in report.errors]
    assert messages[0] == "A value is required."
    assert "cannot be negative" in messages[1]
    assert "'2014-04-31' is not a date" in messages[2]
    assert "Project 626272 is in none of the project files" in messages[3]
    assert "Unknown activity type 'XYZ'" in messages[4]
    assert "cannot be negative" in messages[5]
    assert messages[6] == "A value is required."
    assert state() == before


def test_a_participant_of_an_unknown_project_is_an_error(state):
    before = state()

    report = import_projects([FILES / "inrae_participants.csv"], dry_run=False)

    assert not report.committed
    assert report.error_count == 46  # every participation; its project file is missing
    first = report.errors[0]
    assert (first.file, first.line, first.column) == ("inrae_participants.csv", 2, "projectID")
    assert "Project 626272 is in none of the project files" in first.message
    assert state() == before


def test_participants_of_projects_imported_earlier_need_no_project_file():
    import_projects([FILES / "inrae_projects.csv"], dry_run=False)

    report = import_projects([FILES / "inrae_participants.csv"], dry_run=False)

    assert report.ok and report.participations_created == 46


def test_a_project_twice_in_the_files_is_an_error(copy_file):
    projects = copy_file("inrae_projects.csv", ("\n311775,FP7,INNOVINE", "\n626272,FP7,INNOVINE"))

    report = import_projects([projects], dry_run=False)

    assert not report.committed
    assert [(e.line, e.column) for e in report.errors] == [(3, "id")]
    assert report.errors[0].message == (
        "Duplicate of project 626272 on line 2 of inrae_projects.csv."
    )
    assert Project.objects.count() == 0


def test_a_file_of_another_kind_is_refused_by_name(tmp_path):
    other = tmp_path / "members.csv"
    other.write_text("name;kind;postcode\nAcme;firm;40126\n", encoding="utf-8")

    report = import_projects([FILES / "inrae_projects.csv", other], dry_run=False)

    assert not report.committed
    assert [(e.file, e.line) for e in report.errors] == [("members.csv", None)]
    assert "not a CORDIS project or participant table" in report.errors[0].message
    assert Project.objects.count() == 0


def test_a_forced_layout_that_does_not_fit_is_refused():
    report = import_projects(INRAE_CSV, layout="inrae-json", dry_run=True)

    assert [e.file for e in report.errors] == ["inrae_projects.csv", "inrae_participants.csv"]
    assert "not a JSON file" in report.errors[0].message


def test_an_empty_cell_never_erases_a_stored_value(copy_file):
    import_projects(INRAE_CSV, dry_run=False)
    projects = copy_file("inrae_projects.csv", (",FP7-KBBE,KBBE.2012.1.2-04,CP-TP,", ",,,CP-TP,"))

    report = import_projects([projects], dry_run=False)

    assert report.ok and report.projects_unchanged == 3
    assert Project.objects.get(cordis_id="311775").topic == "KBBE.2012.1.2-04"


def test_a_changed_value_updates_the_project_only():
    import_projects(INRAE_CSV, dry_run=False)
    Project.objects.filter(cordis_id="626272").update(status="SIGNED")

    report = import_projects(INRAE_CSV, dry_run=False)

    assert (report.projects_updated, report.projects_unchanged) == (1, 2)
    assert Project.objects.get(cordis_id="626272").status == "CLOSED"


def test_organizations_created_for_regional_participants_are_placed():
    import_projects(INRAE_CSV, dry_run=False)

    created = Organization.objects.filter(source="cordis").order_by("name")
    assert [(o.name, o.kind, o.pic, o.nuts3) for o in created] == [
        ("HORTA SRL", "firm", "985480134", "ITH51"),
        ("VINIDEA SRL", "firm", "995155981", "ITH51"),
    ]
    assert created[1].city == "Ponte Dell Olio"  # the trailing province is not the city


def test_a_participation_given_by_two_files_is_an_error(tmp_path, state):
    again = tmp_path / "participants.csv"
    again.write_text(
        "projectID,acronym,pic,name,shortName,country,city,activityType,role,ecContribution\n"
        "613654,MARS,999993953,ALMA MATER STUDIORUM - UNIVERSITA DI BOLOGNA,UNIBO,IT,Bologna,"
        "HES,participant,42750.0\n",
        encoding="utf-8",
    )
    before = state()

    report = import_projects([*INRAE_JSON, again], dry_run=False)

    assert [(e.file, e.line, e.column) for e in report.errors] == [("participants.csv", 2, "name")]
    assert report.errors[0].message.startswith(
        "ALMA MATER STUDIORUM - UNIVERSITA DI BOLOGNA is listed again in project 613654 "
        "(first on line 2 of inrae_projects.json)"  # its 2nd project
    )
    assert state() == before
