"""The preset's curated EU projects load through the import and link the demo registry."""

from pathlib import Path

import pytest
from django.conf import settings

from clusterhub.core.demo import demo_load
from clusterhub.projects.demo import demo_project_files, load_demo_projects
from clusterhub.projects.models import ParticipantMatch, Participation, Project
from clusterhub.registry.models import Organization

pytestmark = pytest.mark.django_db


def test_the_demo_projects_link_the_demo_organizations_and_load_once(settings):
    settings.DEBUG = True
    preset = Path(settings.CLUSTERHUB_REGION_PRESET)

    summary = demo_load(preset_path=preset)  # loads the projects after the organizations

    assert Project.objects.count() == summary.projects_created == 79
    assert summary.projects_classified == 79
    linked = set(
        Participation.objects.exclude(organization=None).values_list("organization", flat=True)
    )
    # Every CORDIS organization of the demo registry, and one lab by its PIC.
    cordis = set(Organization.objects.filter(source="cordis").values_list("pk", flat=True))
    assert cordis <= linked
    assert len(linked) == 27
    assert Organization.objects.count() == summary.organizations_created  # none created
    assert ParticipantMatch.objects.count() == 3  # DTM, CertiMaC (true) and ACER (false)
    again = load_demo_projects(preset_path=preset)
    assert again.ok, again.errors
    assert [f.name for f in again.files] == [p.name for p in demo_project_files(preset)]
    assert (again.projects_unchanged, again.participations_created) == (79, 0)


def test_a_preset_without_projects_loads_none(tmp_path):
    preset = tmp_path / "region.yaml"
    preset.write_text("region: {}\n")

    assert load_demo_projects(preset_path=preset) is None
    assert settings.CLUSTERHUB_REGION_PRESET  # the real preset is untouched
