"""`load_demo` refuses what it must: production settings, bad rows, presets without demo data."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from clusterhub.people.models import Person
from clusterhub.registry.models import Organization

pytestmark = pytest.mark.django_db

PRESET = Path(settings.CLUSTERHUB_REGION_PRESET)


def test_it_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")
    assert not Organization.objects.exists()
    assert not Person.objects.exists()


def test_a_bad_row_names_its_line_and_stores_nothing(tmp_path, settings):
    settings.DEBUG = True
    (tmp_path / "region.yaml").write_text(PRESET.read_text(encoding="utf-8"), encoding="utf-8")
    rows = (PRESET.parent / "organizations.csv").read_text(encoding="utf-8").splitlines()
    rows[2] = rows[2].replace("research_lab", "spaceship", 1)
    (tmp_path / "organizations.csv").write_text("\n".join(rows[:5]), encoding="utf-8")
    with pytest.raises(CommandError, match="organizations.csv line 3: unknown kind 'spaceship'"):
        call_command("load_demo", str(tmp_path / "region.yaml"))
    assert not Organization.objects.exists()


def test_an_invalid_website_is_reported_with_its_line(tmp_path):
    (tmp_path / "region.yaml").write_text(PRESET.read_text(encoding="utf-8"), encoding="utf-8")
    rows = (PRESET.parent / "organizations.csv").read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].replace("http://www.apmlab.com", "not a url")
    (tmp_path / "organizations.csv").write_text("\n".join(rows[:3]), encoding="utf-8")
    with pytest.raises(CommandError, match="organizations.csv line 2: .*URL"):
        call_command("load_demo", str(tmp_path / "region.yaml"), force=True)
    assert not Organization.objects.exists()


def test_a_preset_without_demo_data_is_refused_clearly(tmp_path):
    preset = tmp_path / "region.yaml"
    preset.write_text("region: {code: x, name: X, nuts2: XX00}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no 'demo' section"):
        call_command("load_demo", str(preset), force=True)
