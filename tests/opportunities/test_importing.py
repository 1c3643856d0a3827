import pytest
from django.core.exceptions import PermissionDenied

from clusterhub.opportunities.importing import (
    ImportRefused,
    check_opportunities_csv,
    import_opportunities_csv,
)
from clusterhub.opportunities.models import Opportunity, OpportunitySource

pytestmark = pytest.mark.django_db

GOOD = (
    "title;programme;kind;deadline;budget;url;s3_themes\n"
    "Bando ricerca industriale;PR FESR;financing;2099-03-31;2.500.000;"
    "https://fesr.regione.emilia-romagna.it/;\n"
    "Missione in Giappone;SIMEST;internazionalizzazione;30/06/2099;;;\n"
)


def test_a_good_file_is_imported_once_and_again_changes_nothing(manager, agrifood):
    first = import_opportunities_csv(GOOD.encode(), actor=manager, cluster=agrifood)

    assert first.written and (first.created, first.updated) == (2, 0)
    call = Opportunity.objects.get(programme="PR FESR")
    assert call.budget == 2_500_000
    assert call.source == OpportunitySource.IMPORT
    assert list(call.clusters.all()) == [agrifood]
    assert len(bytes(call.vector)) == 512 * 4
    assert Opportunity.objects.get(programme="SIMEST").kind == "internationalization"

    again = import_opportunities_csv(GOOD.encode(), actor=manager, cluster=agrifood)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Opportunity.objects.count() == 2


def test_a_row_with_the_same_link_updates_the_opportunity(manager, agrifood):
    import_opportunities_csv(GOOD.encode(), actor=manager, cluster=agrifood)
    changed = GOOD.replace("Bando ricerca industriale", "Bando ricerca industriale 2099")

    report = import_opportunities_csv(changed.encode(), actor=manager, cluster=agrifood)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Opportunity.objects.filter(title="Bando ricerca industriale 2099").count() == 1


def test_every_problem_is_named_by_line_and_column_and_nothing_is_written(manager, agrifood):
    bad = (
        GOOD
        + "Senza scadenza;EIC;financing;;;;\n"
        + "Data sbagliata;EIC;grant;31/02/2099;due milioni;ftp://example.org;99999\n"
        + "Altro cluster;EIC;financing;2099-01-01;;;;\n"
    ).replace("url;s3_themes", "url;s3_themes;clusters")
    bad = bad.replace(
        "Altro cluster;EIC;financing;2099-01-01;;;;", "Altro;EIC;financing;2099-01-01;;;;mech"
    )

    report = import_opportunities_csv(bad.encode(), actor=manager, cluster=agrifood)

    problems = {(p.line, p.column) for p in report.problems}
    assert problems == {
        (4, "deadline"),
        (5, "kind"),
        (5, "deadline"),
        (5, "budget"),
        (5, "url"),
        (5, "s3_themes"),
        (6, "clusters"),
    }
    assert not report.written
    assert not Opportunity.objects.exists()


def test_the_same_opportunity_twice_in_a_file_is_a_problem(manager, agrifood):
    lines = GOOD.splitlines()
    report = check_opportunities_csv(
        "\n".join([*lines, lines[1]]).encode(), actor=manager, cluster=agrifood
    )

    assert [(p.line, p.message) for p in report.problems] == [(4, "Same opportunity as line 2.")]


def test_a_windows_file_with_italian_headers_is_read(manager, agrifood):
    text = (
        "Titolo,Programma,Tipo,Scadenza,Descrizione\n"
        "Città e qualità,Interreg,bando,01.09.2099,Àèìòù\n"
    )

    report = import_opportunities_csv(text.encode("cp1252"), actor=manager, cluster=agrifood)

    assert report.ok, report.problems
    assert Opportunity.objects.get().title == "Città e qualità"


def test_missing_columns_and_unreadable_files_are_refused(manager, agrifood):
    report = check_opportunities_csv(b"title;colour\nA;red\n", actor=manager, cluster=agrifood)
    assert {(p.column, p.message) for p in report.problems} >= {
        ("colour", "Unknown column."),
        ("deadline", "Missing column."),
    }
    with pytest.raises(ImportRefused):
        check_opportunities_csv(b"\x00\x01\xff\xfe\x00", actor=manager, cluster=agrifood)


def test_a_manager_imports_only_into_a_cluster_they_manage(manager, mech):
    with pytest.raises(PermissionDenied):
        check_opportunities_csv(GOOD.encode(), actor=manager, cluster=mech)
