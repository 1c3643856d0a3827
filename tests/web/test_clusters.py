import json
import re

import pytest

from clusterhub.regions.models import Cluster
from clusterhub.registry.models import MembershipStatus, WorkingGroup
from clusterhub.registry.services import membership_upsert

pytestmark = pytest.mark.django_db


def chart_data(response):
    found = re.search(
        r'<script id="cluster-chart-data" type="application/json">(.*?)</script>',
        response.content.decode(),
    )
    assert found, "the page carries no chart data"
    return json.loads(found.group(1))


def test_the_cluster_list_shows_every_cluster_under_its_group(client, registry):
    response = client.get("/clusters/")
    html = response.content.decode()
    for cluster in Cluster.objects.all():
        assert f'href="/clusters/{cluster.slug}/"' in html
    assert html.index("Traditional, consolidated clusters") < html.index("Horizontal clusters")
    agrifood = next(c for _, cs in response.context["groups"] for c in cs if c.slug == "agrifood")
    assert (agrifood.member_count, agrifood.lab_count) == (1, 1)


def test_a_cluster_page_charts_its_members_by_kind_and_province(
    client, agrifood, packaging_lab, member_org
):
    response = client.get("/clusters/agrifood/")
    assert response.status_code == 200
    data = chart_data(response)
    assert data["color"] == agrifood.color
    assert dict(zip(data["kind"]["labels"], data["kind"]["values"], strict=True)) == {
        "Research lab": 1,
        "Firm": 1,
    }
    assert dict(zip(data["province"]["labels"], data["province"]["values"], strict=True)) == {
        "Parma": 1,
        "Province unknown": 1,  # the factory-made member has no province
    }
    assert 'src="/static/vendor/plotly/plotly.min.js"' in response.content.decode()


def test_a_cluster_page_counts_only_active_members(client, agrifood, packaging_lab, robot_lab):
    membership_upsert(organization=robot_lab, cluster=agrifood, status=MembershipStatus.SUSPENDED)
    response = client.get("/clusters/agrifood/")
    assert response.context["cluster"].member_count == 1
    assert "Centro Robotica Avanzata" not in response.content.decode()


def test_a_cluster_page_lists_members_and_working_groups(client, agrifood, packaging_lab):
    group = WorkingGroup.objects.create(cluster=agrifood, name="Sustainable packaging")
    group.organizations.add(packaging_lab)
    html = client.get("/clusters/agrifood/").content.decode()
    assert f'href="/organizations/{packaging_lab.pk}/"' in html
    assert "Sustainable packaging" in html
    assert 'href="/organizations/?cluster=agrifood"' in html


def test_an_unknown_cluster_is_not_found(client, db):
    assert client.get("/clusters/no-such-cluster/").status_code == 404


def test_only_its_manager_sees_the_management_links(client, manager):
    client.force_login(manager)
    assert "/clusters/agrifood/manage/" in client.get("/clusters/agrifood/").content.decode()
    assert "/clusters/mech/manage/" not in client.get("/clusters/mech/").content.decode()
