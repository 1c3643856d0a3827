"""A tiny bilingual registry, a temporary index directory, and tasks that run at once.

The encoders are the real ones (loaded once per test process, then cached).
"""

import pytest

from clusterhub.matchmaking.indexing import forget_loaded_indexes
from clusterhub.regions.models import Competence
from clusterhub.registry.models import OrganizationKind
from clusterhub.registry.services import membership_upsert, organization_create

PACKAGING = "33"  # Packaging (agrifood platform)
ROBOTICS = "10"  # Automation: actuators and robotics


@pytest.fixture(autouse=True)
def match_index_dir(settings, tmp_path):
    """Each test has its own index directory, and no index loaded from an earlier test."""
    settings.CLUSTERHUB_INDEX_DIR = tmp_path / "index"
    forget_loaded_indexes()
    yield settings.CLUSTERHUB_INDEX_DIR
    forget_loaded_indexes()


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def corpus(agrifood, mech):
    """Labs, a firm and a final user; one lab writes in English, one profile is hidden."""
    packaging = Competence.objects.get(code=PACKAGING)
    robotics = Competence.objects.get(code=ROBOTICS)
    orgs = {}
    orgs["compost"] = organization_create(
        name="Laboratorio Materiali Compostabili",
        kind=OrganizationKind.RESEARCH_LAB,
        htn_accredited=True,
        postcode="43121",
        city="Parma",
        description=(
            "Sviluppiamo film e vaschette compostabili per alimenti. "
            "Studiamo la barriera all'ossigeno dei biopolimeri."
        ),
        competences=[packaging],
    )
    orgs["green"] = organization_create(
        name="Green Packaging Lab",
        kind=OrganizationKind.RESEARCH_LAB,
        htn_accredited=False,
        postcode="40126",
        city="Bologna",
        description=(
            "We develop biodegradable packaging films with a high oxygen barrier "
            "for food trays and fresh produce."
        ),
    )
    orgs["robot"] = organization_create(
        name="Centro Robotica Avanzata",
        kind=OrganizationKind.RESEARCH_LAB,
        htn_accredited=True,
        postcode="40126",
        city="Bologna",
        description="Robot collaborativi e visione artificiale per l'automazione industriale.",
        competences=[robotics],
    )
    orgs["machines"] = organization_create(
        name="Officina Meccanica Srl",
        kind=OrganizationKind.FIRM,
        postcode="41121",
        city="Modena",
        description="Lavorazioni meccaniche di precisione e fresatura CNC per macchine.",
    )
    orgs["dairy"] = organization_create(
        name="Caseificio Sociale Valle",
        kind=OrganizationKind.FINAL_USER,
        postcode="42121",
        city="Reggio Emilia",
        description="Produciamo Parmigiano Reggiano; cerchiamo imballaggi sostenibili.",
    )
    orgs["hidden"] = organization_create(
        name="Laboratorio Riservato Imballaggi",
        kind=OrganizationKind.RESEARCH_LAB,
        is_public=False,
        postcode="40126",
        city="Bologna",
        description="Vaschette compostabili con barriera all'ossigeno per alimenti freschi.",
        competences=[packaging],
    )
    for key in ("compost", "dairy"):
        membership_upsert(organization=orgs[key], cluster=agrifood)
    for key in ("robot", "machines", "hidden"):
        membership_upsert(organization=orgs[key], cluster=mech)
    membership_upsert(organization=orgs["green"], cluster=mech)
    return orgs
