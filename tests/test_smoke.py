import pytest

from clusterhub.regions.models import Cluster

pytestmark = pytest.mark.django_db


def test_the_default_preset_has_the_seven_clusters_of_emilia_romagna():
    assert Cluster.objects.count() == 7


def test_the_home_page_is_public(client):
    assert client.get("/").status_code == 200
