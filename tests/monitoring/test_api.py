"""GET /api/monitoring/indicators and /api/monitoring/network."""

import pytest
from django.test import Client

from clusterhub.people.tokens import token_create

pytestmark = pytest.mark.django_db


def api(person, path, **params):
    client = Client()
    if person is not None:
        client.force_login(person)
    return client.get(path, params)


def test_the_indicator_table_per_cluster_and_year(world, officer):
    response = api(
        officer, "/api/monitoring/indicators", cluster="agrifood", year_from=2020, year_to=2022
    )

    assert response.status_code == 200
    rows = response.json()
    assert [(row["cluster"], row["year"]) for row in rows] == [
        ("agrifood", 2020),
        ("agrifood", 2021),
        ("agrifood", 2022),
    ]
    assert rows[1] | {"cluster_name": ""} == {
        "cluster": "agrifood",
        "cluster_name": "",
        "year": 2021,
        "members": 5,
        "members_by_kind": {"firm": 3, "research_lab": 1, "university": 1},
        "firms": 3,
        "smes": 2,
        "firm_share": 60.0,
        "sme_share": 66.7,
        "new_members": 2,
        "projects": 3,
        "participations": 5,
        "eu_funding": "350000.00",
        "lab_firm_pairs": 4,
    }


def test_without_a_cluster_every_visible_cluster_is_listed(world, officer, manager):
    everyone = api(officer, "/api/monitoring/indicators", year_from=2021, year_to=2021).json()
    own = api(manager, "/api/monitoring/indicators", year_from=2021, year_to=2021).json()

    assert len(everyone) == 7
    assert [row["cluster"] for row in own] == ["agrifood"]


def test_a_manager_gets_404_for_another_cluster(world, manager):
    assert api(manager, "/api/monitoring/indicators", cluster="mech").status_code == 404
    assert api(manager, "/api/monitoring/network", cluster="mech").status_code == 404


def test_a_token_reads_the_indicators_too(world, officer):
    _token, key = token_create(person=officer, name="dashboard script")

    response = Client().get(
        "/api/monitoring/indicators", headers={"authorization": f"Bearer {key}"}
    )

    assert response.status_code == 200


def test_a_wrong_year_range_is_a_422_naming_the_field(world, officer):
    backwards = api(officer, "/api/monitoring/indicators", year_from=2022, year_to=2020)
    too_old = api(officer, "/api/monitoring/indicators", year_from=1200)

    assert backwards.status_code == 422
    assert backwards.json()["detail"][0]["loc"][-1] == "year_to"
    assert too_old.status_code == 422


def test_the_network_with_bridges_and_isolated_members(world, officer):
    response = api(officer, "/api/monitoring/network", cluster="agrifood")

    assert response.status_code == 200
    body = response.json()
    assert body["clusters"] == ["agrifood"]
    assert body["members"] == 6
    assert body["bridges"][0]["name"] == "Lab A"
    assert sorted(org["name"] for org in body["isolated"]) == ["Firm A3", "Uni A"]
    edges = {(e["source"], e["target"]): e["shared_projects"] for e in body["edges"]}
    assert edges[(world.lab_a.pk, world.firm_a1.pk)] == 2  # P1 and P3


def test_the_network_limit_keeps_the_most_central_nodes(world, officer):
    body = api(officer, "/api/monitoring/network", limit=1).json()

    assert [node["name"] for node in body["nodes"]] == ["Lab A"]
    assert body["edges"] == []
    assert body["collaborating_members"] == 6
