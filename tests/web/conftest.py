"""A few real High Technology Network competences on a few labs, created through the services."""

import pytest

from clusterhub.regions.models import Competence
from clusterhub.registry.models import OrganizationKind
from clusterhub.registry.services import membership_upsert, organization_create

ROBOTICS = "10"  # Automation: actuators and robotics (platform: mechanics and materials)
PACKAGING = "33"  # Packaging (platform: agrifood)


@pytest.fixture
def robot_lab(mech):
    lab = organization_create(
        name="Centro Robotica Avanzata",
        kind=OrganizationKind.RESEARCH_LAB,
        htn_accredited=True,
        city="Bologna",
        postcode="40126",
        competences=[Competence.objects.get(code=ROBOTICS)],
        source="htn",
    )
    membership_upsert(organization=lab, cluster=mech)
    return lab


@pytest.fixture
def packaging_lab(agrifood):
    lab = organization_create(
        name="Laboratorio Imballaggi",
        kind=OrganizationKind.RESEARCH_LAB,
        htn_accredited=True,
        city="Parma",
        postcode="43121",
        competences=[Competence.objects.get(code=PACKAGING)],
        source="htn",
    )
    membership_upsert(organization=lab, cluster=agrifood)
    return lab


@pytest.fixture
def accented_firm(db):
    return organization_create(
        name="Qualità Alimentare Srl",
        kind=OrganizationKind.FIRM,
        city="Forlì",
        postcode="47121",
    )


@pytest.fixture
def registry(robot_lab, packaging_lab, accented_firm):
    return {"robot": robot_lab, "packaging": packaging_lab, "firm": accented_firm}
