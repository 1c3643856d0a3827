"""The public privacy page lists what is stored, from the export registry itself."""

import pytest
from django.urls import reverse

from clusterhub.privacy.registry import exporters

pytestmark = pytest.mark.django_db


def test_the_privacy_page_lists_every_kind_of_record_with_its_purpose(client):
    page = client.get(reverse("privacy:notice")).content.decode()

    for exporter in exporters():
        assert f"{exporter.key}.json" in page
        assert str(exporter.purpose).replace("'", "&#x27;") in page
    assert "Former member" in page
    assert "/api/me/export" in page


def test_the_privacy_page_speaks_italian(client):
    page = client.get(reverse("privacy:notice"), HTTP_ACCEPT_LANGUAGE="it").content.decode()

    assert '<html lang="it"' in page


def test_every_page_links_to_the_privacy_page(client):
    page = client.get(reverse("core:home")).content.decode()

    assert f'href="{reverse("privacy:notice")}"' in page
