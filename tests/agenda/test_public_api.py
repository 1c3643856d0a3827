"""The public agenda API: published versions and items, the CSV export and the comparison."""

import pytest

from tests.agenda.publication_helpers import two_published_versions

pytestmark = pytest.mark.django_db

API = "/api/agenda/published"


@pytest.fixture
def versions(agrifood, manager):
    return two_published_versions(agrifood, manager)


def test_the_list_has_the_current_agenda_of_each_cluster(client, versions):
    response = client.get(API)

    assert response.status_code == 200
    (agrifood,) = response.json()
    assert agrifood["cluster"]["slug"] == "agrifood"
    assert agrifood["number"] == 2 and agrifood["current"] is True
    assert agrifood["url"] == "http://testserver/agenda/agrifood/v2/"


def test_a_cluster_lists_its_published_versions_newest_first(client, versions):
    data = client.get(f"{API}/agrifood").json()

    assert [(v["number"], v["current"]) for v in data] == [(2, True), (1, False)]


def test_a_draft_is_not_listed(client, agrifood, manager):
    two_published_versions(agrifood, manager, publish_v2=False)

    assert [v["number"] for v in client.get(f"{API}/agrifood").json()] == [1]
    assert client.get(f"{API}/agrifood/versions/2").status_code == 404


def test_a_version_has_its_items_kpis_and_links(client, versions):
    response = client.get(f"{API}/agrifood/versions/2")

    assert response.status_code == 200
    data = response.json()
    assert data["based_on"] == 1
    titles = [item["title"] for item in data["items"]]
    assert "Qualità dell'acqua" in titles and "Fiere di settore" not in titles
    packaging = data["items"][0]
    assert packaging["progress"] == 45
    assert packaging["kpis"][0]["percent"] == 40
    assert packaging["hidden_contributions"] == 1
    assert packaging["descends_from"][0]["version"] == 1


def test_an_item_of_a_published_version(client, versions):
    packaging = versions.item(versions.v2, "Imballaggi compostabili")

    response = client.get(f"{API}/agrifood/versions/2/items/{packaging.pk}")

    assert response.status_code == 200
    assert response.json()["title"] == "Imballaggi compostabili"
    other = versions.item(versions.v1, "Imballaggi compostabili")
    assert client.get(f"{API}/agrifood/versions/2/items/{other.pk}").status_code == 404


def test_the_csv_export(client, versions):
    response = client.get(f"{API}/agrifood/versions/1/export.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "Fiere di settore" in response.content.decode()


def test_the_diff_names_each_kind_of_change(client, versions):
    response = client.get(f"{API}/agrifood/diff", {"from": 1, "to": 2})

    assert response.status_code == 200
    data = response.json()
    assert data["counts"]["added"] == 1 and data["counts"]["merged"] == 1
    changed = [e for e in data["entries"] if e["kind"] == "carried" and e["changed"]]
    (entry,) = changed
    (change,) = entry["changes"]
    assert change["field"] == "objective"
    assert {"op": "insert", "text": " monouso"} in change["segments"] or {
        "op": "insert",
        "text": "monouso ",
    } in change["segments"]


@pytest.mark.parametrize(
    "query", [{"from": "x", "to": 2}, {"to": 2}, {"from": 0, "to": 2}, {"from": 1, "to": 10**7}]
)
def test_a_bad_diff_query_is_422(client, versions, query):
    assert client.get(f"{API}/agrifood/diff", query).status_code == 422


def test_a_diff_with_a_missing_version_is_404(client, versions):
    assert client.get(f"{API}/agrifood/diff", {"from": 1, "to": 7}).status_code == 404


def test_a_version_compared_with_itself_has_no_changes(client, versions):
    data = client.get(f"{API}/agrifood/diff", {"from": 2, "to": 2}).json()

    assert data["counts"]["unchanged"] == 6
    assert not any(entry["changed"] for entry in data["entries"])
