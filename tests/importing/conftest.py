"""Fixtures for the import tests: file writers and a snapshot of everything an import touches."""

import pytest

from clusterhub.registry.models import Membership, Organization


def registry_state() -> dict:
    """Rows an import may write, with versions and timestamps: equal before and after means
    nothing was stored."""
    return {
        "organizations": list(
            Organization.objects.order_by("pk").values_list("pk", "name", "version", "updated_at")
        ),
        "memberships": list(
            Membership.objects.order_by("pk").values_list("pk", "role", "status", "since")
        ),
        "competences": Organization.competences.through.objects.count(),
        "s3_themes": Organization.s3_themes.through.objects.count(),
    }


@pytest.fixture
def state(db):
    return registry_state


@pytest.fixture
def write(tmp_path):
    """Write a CSV from text lines: write("a.csv", lines, encoding="cp1252", bom=False)."""

    def write_file(name, lines, *, encoding="utf-8", newline="\n", bom=False):
        path = tmp_path / name
        data = newline.join(lines).encode(encoding) + newline.encode()
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        return path

    return write_file


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
