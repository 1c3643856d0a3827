import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.translation import trans_real

from clusterhub.regions.models import Competence
from clusterhub.registry.models import OrganizationKind
from clusterhub.registry.services import membership_upsert, organization_create

ITALIAN_PO = Path(settings.BASE_DIR) / "locale" / "it" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="session")
def italian_catalogue():
    """The Italian .mo, compiled from the .po when missing or older (it is not in git)."""
    mo = ITALIAN_PO.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < ITALIAN_PO.stat().st_mtime:
        call_command("compile_translations", stdout=io.StringIO())
        # Drop catalogues Django may have loaded before the .mo existed.
        trans_real._translations = {}
    return mo


@pytest.fixture
def italian_client(client, italian_catalogue):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    return client


@pytest.fixture
def registry(agrifood):
    """A lab with a competence and a firm, both members of agrifood, so cards and charts render."""
    lab = organization_create(
        name="Laboratorio Imballaggi",
        kind=OrganizationKind.RESEARCH_LAB,
        htn_accredited=True,
        city="Parma",
        postcode="43121",
        competences=list(Competence.objects.all()[:6]),
        source="htn",
    )
    firm = organization_create(
        name="Qualità Alimentare Srl", kind=OrganizationKind.FIRM, city="Forlì", postcode="47121"
    )
    for organization in (lab, firm):
        membership_upsert(organization=organization, cluster=agrifood)
    return {"lab": lab, "firm": firm}
