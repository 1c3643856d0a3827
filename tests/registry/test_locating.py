"""Organizations are placed in a province by postcode, else by their city."""

import pytest

from clusterhub.registry.importing import import_organizations
from clusterhub.registry.models import Organization
from clusterhub.registry.services import organization_create, organization_update

pytestmark = pytest.mark.django_db


def test_it_places_an_organization_by_its_postcode():
    organization = organization_create(name="Lab", kind="firm", postcode="40126", city="")
    assert (organization.nuts3, organization.territory.name) == ("ITH55", "Bologna")


def test_it_places_an_outdated_generic_postcode_by_the_city():
    organization = organization_create(name="Lab", kind="firm", postcode="41100", city="MODENA")
    assert organization.nuts3 == "ITH54"


def test_it_knows_a_province_by_each_of_its_cities():
    organization = organization_create(name="Lab", kind="firm", city="Forli")
    assert organization.nuts3 == "ITH58"


def test_it_leaves_an_organization_outside_the_region_unplaced():
    organization = organization_create(name="Lab", kind="firm", postcode="20121", city="Milano")
    assert organization.territory is None
    assert organization.nuts3 == ""


def test_changing_the_city_moves_the_organization():
    organization = organization_create(name="Lab", kind="firm", city="Rimini")
    moved = organization_update(organization=organization, city="Reggio Emilia")
    assert moved.nuts3 == "ITH53"


def test_a_bulk_import_places_rows_the_same_way(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("name,kind,postcode,city\nUno,firm,43100,Parma\nDue,firm,,Ravenna\n")
    report = import_organizations(path, dry_run=False)
    assert report.error_count == 0
    placed = dict(Organization.objects.values_list("name", "nuts3"))
    assert placed == {"Uno": "ITH52", "Due": "ITH57"}
