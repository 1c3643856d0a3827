"""The collaboration network: bridges, isolated members and the graph, on hand-built graphs."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from clusterhub.monitoring import tables as monitoring_tables
from clusterhub.monitoring.selectors import (
    collaboration_network,
    isolated_members,
    monitoring_scope,
)
from clusterhub.monitoring.tables import network_tables
from tests.monitoring.factories import member, project

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_triangles(agrifood, mech):
    """a1-a2-a3 and m1-m2-m3 are triangles; `bridge` (agrifood) links a1 and m1; `alone` and
    `ended` share projects with nobody who is a member."""
    since = date(2020, 1, 1)
    orgs = {name: member(agrifood, name, since=since) for name in ("a1", "a2", "a3", "bridge")}
    orgs |= {name: member(mech, name, since=since) for name in ("m1", "m2", "m3")}
    orgs["alone"] = member(agrifood, "alone", "research_lab", since=since)
    orgs["ended"] = member(agrifood, "ended", since=since, until=date(2021, 1, 1), status="ended")
    start = date(2021, 1, 1)
    for group in (("a1", "a2"), ("a2", "a3"), ("a1", "a3"), ("m1", "m2"), ("m2", "m3")):
        project(start, *((orgs[name], 1) for name in group))
    project(start, (orgs["m1"], 1), (orgs["m3"], 1))
    project(start, (orgs["m1"], 1), (orgs["m3"], 1))  # m1-m3 share two projects
    project(start, (orgs["bridge"], 1), (orgs["a1"], 1))
    project(start, (orgs["bridge"], 1), (orgs["m1"], 1))
    project(start, (orgs["alone"], 1), (orgs["ended"], 1), (None, 1))
    return orgs


def names(nodes):
    return [node.name for node in nodes]


def test_the_bridge_between_two_groups_ranks_first(two_triangles, officer):
    network = collaboration_network(monitoring_scope(user=officer))
    ranked = network.ranked()

    assert names(ranked[:3]) == ["bridge", "a1", "m1"] or names(ranked[:3]) == [
        "bridge",
        "m1",
        "a1",
    ]
    assert ranked[0].betweenness > ranked[1].betweenness > ranked[3].betweenness
    assert network.betweenness_exact


def test_edges_weigh_the_projects_shared(two_triangles, officer):
    network = collaboration_network(monitoring_scope(user=officer))
    by_name = {(network.nodes[a].name, network.nodes[b].name): w for a, b, w in network.edges}

    assert by_name[("m1", "m3")] == 2
    assert by_name[("a1", "a2")] == 1
    assert len(network.edges) == 8
    assert network.nodes[two_triangles["m1"].pk].shared_projects == 4  # m2, m3 twice, bridge


def test_isolated_members_share_no_project_with_another_member(two_triangles, officer):
    scope = monitoring_scope(user=officer)
    network = collaboration_network(scope)

    # `ended` is no longer a member: `alone` worked only with it and a non-member.
    assert [org.name for org in isolated_members(scope)] == ["alone"]
    assert network.isolated_count == 1
    assert network.member_count == 8


def test_inside_one_cluster_only_its_members_count(two_triangles, officer):
    scope = monitoring_scope(user=officer, cluster_slugs=["agrifood"])
    network = collaboration_network(scope)

    assert sorted(names(network.nodes.values())) == ["a1", "a2", "a3", "bridge"]
    # Inside agrifood the bridge only touches a1: a1 is now the one in between.
    assert network.ranked()[0].name == "a1"
    assert network.ranked()[0].betweenness == pytest.approx(2 / 3, abs=1e-3)


def test_pairs_between_clusters(two_triangles, officer, agrifood, mech):
    network = collaboration_network(monitoring_scope(user=officer))
    matrix = network.cluster_matrix()

    assert matrix[(agrifood.pk, agrifood.pk)] == 4  # the triangle and bridge-a1
    assert matrix[(mech.pk, mech.pk)] == 3
    assert matrix[(agrifood.pk, mech.pk)] == 1  # bridge-m1


def test_betweenness_is_estimated_on_large_networks(two_triangles, officer, monkeypatch):
    from clusterhub.monitoring import selectors

    monkeypatch.setattr(selectors, "BETWEENNESS_BUDGET", 20)
    monkeypatch.setattr(selectors, "BETWEENNESS_MIN_SAMPLES", 7)
    network = collaboration_network(monitoring_scope(user=officer))

    assert not network.betweenness_exact
    assert network.ranked()[0].name == "bridge"


def test_the_betweenness_samples_fit_the_work_budget():
    from clusterhub.monitoring.selectors import BETWEENNESS_BUDGET, betweenness_samples

    assert betweenness_samples(100, 300) is None  # small: exact
    samples = betweenness_samples(3000, 9000)
    assert samples is not None
    assert samples * (3000 + 9000) <= max(BETWEENNESS_BUDGET, 20 * 12000)


def test_the_graph_is_capped_to_the_most_connected(two_triangles, officer, monkeypatch):
    monkeypatch.setattr(monitoring_tables, "GRAPH_NODES", 3)
    scope = monitoring_scope(user=officer)
    result = network_tables(collaboration_network(scope), isolated_members(scope))
    graph = result.charts["graph"]

    drawn = [name for group in graph["groups"] for name in group["text"]]
    assert len(drawn) == 3
    assert any("<b>m1</b>" in text for text in drawn)  # 4 shared projects, the most
    assert len(result.tables["bridges"].rows) == 7  # the tables keep every node
    assert all(url.startswith("/organizations/") for g in graph["groups"] for url in g["url"])


def test_hover_text_escapes_names(officer, agrifood):
    evil = member(agrifood, "<img src=x onerror=alert(1)>", since=date(2020, 1, 1))
    other = member(agrifood, "Other", since=date(2020, 1, 1))
    project(date(2021, 1, 1), (evil, 1), (other, 1))
    scope = monitoring_scope(user=officer)
    graph = network_tables(collaboration_network(scope), []).charts["graph"]

    texts = " ".join(text for group in graph["groups"] for text in group["text"])
    assert "<img" not in texts
    assert "&lt;img" in texts


def test_the_network_page_draws_the_graph_and_lists_bridges(two_triangles, officer):
    client = Client()
    client.force_login(officer)

    response = client.get(reverse("monitoring:network"))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-network="graph"' in page
    assert response.context["tables"]["bridges"].rows[0][1].name == "bridge"
    assert "alone" in page


def test_the_network_page_without_collaborations_says_so(officer, agrifood):
    member(agrifood, "Lonely Lab", "research_lab", since=date(2020, 1, 1))
    client = Client()
    client.force_login(officer)

    page = client.get(reverse("monitoring:network")).content.decode()

    assert "No collaboration yet." in page
    assert "Lonely Lab" in page


def test_the_network_of_some_chosen_clusters(two_triangles, officer, manager):
    client = Client()
    client.force_login(officer)

    response = client.get(reverse("monitoring:network"), {"cluster": ["agrifood", "mech"]})

    assert [c.slug for c in response.context["scope"].clusters] == ["agrifood", "mech"]
    assert response.context["cluster"] is None
    client.force_login(manager)
    assert (
        client.get(reverse("monitoring:network"), {"cluster": ["agrifood", "mech"]}).status_code
        == 404
    )
