"""Fixtures of the project tests."""

import pytest

from tests.projects.helpers import FILES, projects_state


@pytest.fixture
def state(db):
    return projects_state


@pytest.fixture
def copy_file(tmp_path):
    """A copy of a slice with (old, new) replacements, each applied once and required to exist:
    copy_file("inrae_projects.csv", ("2015-03-01", "2015-13-01"))."""

    def copy(name, *replacements):
        target = tmp_path / name
        text = (FILES / name).read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, old
            text = text.replace(old, new, 1)
        target.write_text(text, encoding="utf-8")
        return target

    return copy


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
