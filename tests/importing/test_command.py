"""manage.py import_organizations: exit status, mapping, dry run, progress."""

import pytest
from django.core.management import CommandError, call_command

from clusterhub.registry.models import Membership, Organization

pytestmark = pytest.mark.django_db


def test_it_imports_a_good_file_and_reports_progress_on_stderr(write, capsys):
    path = write("ok.csv", ["Ragione sociale;Tipo;Cluster", "Alfa Srl;impresa;agrifood"])

    call_command("import_organizations", str(path))

    out, err = capsys.readouterr()
    assert "1 organizations were created" in out
    assert "1 rows read" in err
    assert Membership.objects.get().organization.name == "Alfa Srl"


def test_it_exits_non_zero_and_stores_nothing_when_a_row_is_bad(write, capsys, state):
    before = state()
    path = write("bad.csv", ["Ragione sociale;Tipo", "Alfa Srl;impresa", "<b>x</b>;impresa"])

    with pytest.raises(CommandError, match="1 problems: nothing was imported"):
        call_command("import_organizations", str(path))

    assert "line 3, column 'Ragione sociale': Must not contain" in capsys.readouterr().out
    assert state() == before


def test_a_dry_run_stores_nothing(write, capsys):
    path = write("ok.csv", ["name;kind", "Alfa;firm"])

    call_command("import_organizations", str(path), "--dry-run")

    assert "1 organizations would be created" in capsys.readouterr().out
    assert not Organization.objects.exists()


def test_map_options_name_the_columns_and_cluster_adds_memberships(write, mech):
    path = write("odd.csv", ["Org;Genre;Notes", "Alfa;firm;=ignored anyway"])

    call_command(
        "import_organizations",
        str(path),
        "--map",
        "Org=name",
        "--map",
        "Genre=kind",
        "--map",
        "Notes=",
        "--cluster",
        "mech",
    )

    assert Organization.objects.get().memberships.get().cluster == mech


def test_an_unknown_cluster_or_a_bad_map_is_refused(write):
    path = write("ok.csv", ["name;kind", "Alfa;firm"])

    with pytest.raises(CommandError, match="No cluster 'nowhere'; the clusters are: agrifood"):
        call_command("import_organizations", str(path), "--cluster", "nowhere")
    with pytest.raises(CommandError, match="expects HEADER=FIELD"):
        call_command("import_organizations", str(path), "--map", "name")
    with pytest.raises(CommandError, match="1 problems"):
        call_command("import_organizations", str(path), "--map", "name=nome")
    assert not Organization.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_organizations", str(tmp_path / "missing.csv"))
