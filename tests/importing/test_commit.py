"""Dry run, all-or-nothing commit, natural keys and idempotent re-import (journey 6)."""

import pytest

from clusterhub.registry.importing import import_organizations
from clusterhub.registry.models import Membership, Organization
from clusterhub.registry.services import search_text_for
from tests.factories import ClusterRoleFactory, MembershipFactory, OrganizationFactory
from tests.importing.sample import vat_number

pytestmark = pytest.mark.django_db

HEADER = "Ragione sociale;Partita IVA;CAP;Città;Tipo;Competenze;Cluster;Ruolo;Socio dal"


def _journey_rows(broken: bool) -> list[str]:
    """400 members of a cluster as exported by Excel; with `broken`, 7 of them are wrong."""
    rows = [HEADER]
    for n in range(1, 401):
        rows.append(
            f"Società Agricola N. {n} Srl;{vat_number(5000 + n)};4212{n % 10};Reggio nell'Emilia;"
            f"impresa;Processi di lavorazione;agrifood;socio;15/0{1 + n % 9}/2019"
        )
    if broken:
        rows[10] = rows[10].replace(vat_number(5010), "12345678901")  # bad check digit
        rows[20] = rows[20].replace("impresa", "boh")  # unknown kind
        rows[30] = rows[30].replace("Società Agricola N. 30 Srl", "=1+2")  # formula
        rows[40] = rows[40].replace("agrifood", "marte")  # unknown cluster
        rows[50] = rows[50].rsplit(";", 1)[0] + ";2019-13-45"  # bad date
        rows[60] = rows[60].replace("Società Agricola N. 60 Srl", "<b>Sessanta</b>")
        rows[70] = rows[70].replace(vat_number(5070), vat_number(5001))  # duplicate of line 2
    return rows


def test_journey_6_seven_bad_rows_are_named_and_nothing_is_stored(write, state, member_org):
    before = state()
    path = write("soci.csv", _journey_rows(broken=True), encoding="cp1252", newline="\r\n")

    report = import_organizations(path, dry_run=False)

    assert report.encoding == "Windows-1252"
    assert (report.rows, report.error_count, report.committed) == (400, 7, False)
    assert [(e.line, e.column) for e in report.errors] == [
        (11, "Partita IVA"),
        (21, "Tipo"),
        (31, "Ragione sociale"),
        (41, "Cluster"),
        (51, "Socio dal"),
        (61, "Ragione sociale"),
        (71, "Partita IVA"),
    ]
    assert report.errors[-1].message == "Duplicate of line 2 (the same VAT number) in this file."
    assert state() == before


def test_journey_6_the_fixed_file_imported_twice_creates_nothing_twice(write, state, agrifood):
    path = write("soci.csv", _journey_rows(broken=False), encoding="cp1252", newline="\r\n")

    first = import_organizations(path, dry_run=False)
    after_first = state()
    second = import_organizations(path, dry_run=False)

    assert first.committed and (first.created, first.memberships_created) == (400, 400)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 400)
    assert second.preview["unchanged"][0]["line"] == 2
    assert state() == after_first  # same rows, versions and updated_at
    assert Membership.objects.filter(cluster=agrifood).count() == 400


def test_a_dry_run_previews_the_counts_and_stores_nothing(write, state):
    existing = OrganizationFactory(name="Alfa Srl", vat_number=vat_number(1), city="Modena")
    same = OrganizationFactory(name="Beta", vat_number=vat_number(2), postcode="", city="Parma")
    before = state()
    path = write(
        "preview.csv",
        [
            "name;vat_number;kind;city",
            f"Alfa Srl;{vat_number(1)};firm;Bologna",
            f"Beta;{vat_number(2)};firm;Parma",
            "Gamma;;firm;Ferrara",
        ],
    )

    report = import_organizations(path, dry_run=True)

    assert (report.created, report.updated, report.unchanged, report.ok) == (1, 1, 1, True)
    assert report.preview["update"] == [
        {"line": 2, "name": existing.name, "kind": "firm", "detail": "city"}
    ]
    assert report.preview["unchanged"][0]["name"] == same.name
    assert report.preview["create"][0]["name"] == "Gamma"
    assert not report.committed
    assert state() == before


def test_an_update_by_natural_key_bumps_the_version_and_keeps_what_the_file_leaves_empty(write):
    by_vat = OrganizationFactory(
        name="Alfa Srl", vat_number=vat_number(1), city="Modena", description="Kept"
    )
    by_pic = OrganizationFactory(name="Beta", pic="123456789", city="Parma")
    by_name = OrganizationFactory(name="Gamma S.p.A.", postcode="44121", city="Ferrara")
    path = write(
        "update.csv",
        [
            "name;vat_number;pic;postcode;kind;city;description",
            f"ALFA S.R.L.;{vat_number(1)};;40126;firm;Bologna;",
            f"Beta;{vat_number(3)};123456789;;firm;Piacenza;",
            "Gamma SpA;;;44121;firm;Comacchio;",
        ],
    )

    report = import_organizations(path, dry_run=False)

    assert (report.created, report.updated) == (0, 3), report.errors
    by_vat.refresh_from_db()
    assert (by_vat.name, by_vat.city, by_vat.description, by_vat.version) == (
        "ALFA S.R.L.",
        "Bologna",
        "Kept",
        2,
    )
    assert (by_vat.nuts3, by_vat.search_text) == ("ITH55", search_text_for(by_vat))
    by_pic.refresh_from_db()
    assert (by_pic.vat_number, by_pic.city) == (vat_number(3), "Piacenza")
    by_name.refresh_from_db()
    assert (by_name.city, by_name.version) == ("Comacchio", 2)
    assert Organization.objects.count() == 3


def test_it_creates_and_updates_memberships_like_membership_upsert(write, agrifood, mech):
    org = OrganizationFactory(name="Alfa", vat_number=vat_number(1))
    MembershipFactory(organization=org, cluster=agrifood, role="member", status="invited")
    path = write(
        "members.csv",
        [
            "name;vat_number;kind;clusters;membership_status;membership_role",
            f"Alfa;{vat_number(1)};firm;agrifood|mech;active;",
        ],
    )

    report = import_organizations(path, dry_run=False)

    assert (report.memberships_created, report.memberships_updated) == (1, 1)
    memberships = {m.cluster.slug: m for m in org.memberships.select_related("cluster")}
    assert (memberships["agrifood"].status, memberships["agrifood"].role) == ("active", "member")
    assert memberships["mech"].status == "active"
    org.refresh_from_db()
    assert org.version == 1  # the organization itself did not change


def test_the_cluster_argument_makes_every_row_a_member(write, mech):
    path = write("rows.csv", ["name;kind", "Alfa;firm", "Beta;firm"])

    import_organizations(path, dry_run=False, cluster=mech)

    assert Membership.objects.filter(cluster=mech).count() == 2


def test_the_search_text_matches_the_one_services_compute(write):
    path = write(
        "search.csv",
        [
            "name;kind;postcode;city;competences;s3_themes",
            "Laboratorio Ådige;research_lab;40126;Bologna;3|4;76",
        ],
    )

    import_organizations(path, dry_run=False)

    lab = Organization.objects.get()
    assert lab.search_text == search_text_for(lab)
    assert lab.source == "import"
    assert Organization.objects.filter(
        pk__in=Organization.objects.filter(search_text__contains="adige")
    ).exists()


def test_a_manager_may_not_name_another_cluster_nor_change_its_organizations(
    write, state, manager, agrifood, other_org
):
    before = state()
    path = write(
        "manager.csv",
        [
            "name;kind;postcode;city;clusters",
            "Alfa;firm;40126;Bologna;mech",
            f"{other_org.name};firm;{other_org.postcode};Imola;",
        ],
    )

    report = import_organizations(path, dry_run=False, actor=manager, cluster=agrifood)

    assert [(e.line, e.column) for e in report.errors] == [(2, "clusters"), (3, "name")]
    assert report.errors[0].message == "You do not manage the cluster mech."
    assert "belongs to clusters you do not manage" in report.errors[1].message
    assert state() == before


def test_a_manager_may_add_an_unchanged_organization_of_another_cluster(
    write, manager, agrifood, other_org
):
    path = write(
        "join.csv",
        ["name;kind;postcode", f"{other_org.name};firm;{other_org.postcode}"],
    )

    report = import_organizations(path, dry_run=False, actor=manager, cluster=agrifood)

    assert (report.updated, report.memberships_created) == (1, 1), report.errors
    assert other_org.memberships.filter(cluster=agrifood).exists()


def test_a_failure_while_writing_rolls_everything_back(write, state, monkeypatch):
    from django.db import DatabaseError

    from clusterhub.registry import importing

    before = state()
    path = write("rows.csv", ["name;kind;clusters", "Alfa;firm;agrifood"])

    def refuse(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(importing.Membership.objects, "bulk_create", refuse)
    report = import_organizations(path, dry_run=False)

    assert not report.committed
    assert report.errors[0].message == "The database refused the import: disk full"
    assert state() == before


def test_a_manager_role_of_another_cluster_is_not_enough(write, agrifood, mech):
    mech_manager = ClusterRoleFactory(cluster=mech).person
    path = write("rows.csv", ["name;kind;clusters", "Alfa;firm;agrifood"])

    report = import_organizations(path, dry_run=True, actor=mech_manager)

    assert report.errors[0].message == "You do not manage the cluster agrifood."
