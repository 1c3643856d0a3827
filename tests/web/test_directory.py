import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterhub.regions.models import Competence
from clusterhub.registry.models import OrganizationKind
from clusterhub.registry.services import membership_upsert, organization_create

pytestmark = pytest.mark.django_db

URL = "/organizations/"


def names(response):
    return [organization.name for organization in response.context["page"].object_list]


def test_it_lists_every_organization_without_a_search(client, registry):
    response = client.get(URL)
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(o.name for o in registry.values())


def test_it_finds_organizations_by_the_beginning_of_a_word(client, registry):
    assert names(client.get(URL, {"q": "robot"})) == ["Centro Robotica Avanzata"]


def test_it_finds_organizations_by_a_competence_name(client, registry):
    assert names(client.get(URL, {"q": "packaging"})) == ["Laboratorio Imballaggi"]


@pytest.mark.parametrize("query", ["qualita", "QUALITÀ", "forli", "Forlì"])
def test_it_ignores_accents_and_case(client, registry, query):
    assert names(client.get(URL, {"q": query})) == ["Qualità Alimentare Srl"]


def test_every_word_of_the_search_must_match(client, registry):
    assert names(client.get(URL, {"q": "centro imballaggi"})) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"cluster": "agrifood"}, ["Laboratorio Imballaggi"]),
        ({"kind": "firm"}, ["Qualità Alimentare Srl"]),
        ({"province": "ITH55"}, ["Centro Robotica Avanzata"]),
        ({"competence": "10"}, ["Centro Robotica Avanzata"]),
        ({"competence": "2"}, ["Centro Robotica Avanzata"]),  # the whole platform
        ({"htn": "yes"}, ["Centro Robotica Avanzata", "Laboratorio Imballaggi"]),
        ({"htn": "no"}, ["Qualità Alimentare Srl"]),
        ({"htn": "yes", "q": "imball"}, ["Laboratorio Imballaggi"]),
    ],
)
def test_it_filters_the_directory(client, registry, params, expected):
    assert names(client.get(URL, params)) == expected


def test_an_unknown_filter_value_is_reported_and_left_out(client, registry):
    response = client.get(URL, {"cluster": "no-such-cluster"})
    assert response.status_code == 200
    assert "no-such-cluster is not one of the available choices" in response.content.decode()
    assert len(names(response)) == 3


def test_a_result_card_shows_kind_accreditation_place_clusters_and_competences(client, registry):
    html = client.get(URL, {"q": "robot"}).content.decode()
    assert "Research lab" in html
    assert "HTN lab" in html
    assert "Bologna (BO)" in html
    assert "Mechatronics, engineering and automotive" in html
    assert "Automation: actuators and robotics" in html


def test_an_htmx_request_gets_only_the_results_fragment(client, registry):
    response = client.get(URL, {"q": "robot", "kind": ""}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="directory-form"' not in html
    assert "Centro Robotica Avanzata" in html
    # The address bar shows a clean, linkable URL of the same search.
    assert response["HX-Push-Url"] == "/organizations/?q=robot"
    assert "HX-Request" in response["Vary"]


def test_a_plain_request_gets_the_whole_page_with_the_search_form(client, registry):
    html = client.get(URL, {"q": "robot"}).content.decode()
    assert "<html" in html
    assert 'id="directory-form"' in html
    assert 'value="robot"' in html


def test_an_htmx_history_restore_gets_the_whole_page(client, registry):
    response = client.get(
        URL, {"q": "robot"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


def test_it_shows_25_organizations_a_page_and_links_the_next_page(client, db):
    for number in range(30):
        organization_create(name=f"Impresa {number:02d}", kind=OrganizationKind.FIRM)
    first = client.get(URL, {"q": "impresa"})
    assert len(names(first)) == 25
    assert "?q=impresa&amp;page=2" in first.content.decode()
    second = client.get(URL, {"q": "impresa", "page": 2})
    assert names(second) == [f"Impresa {n}" for n in range(25, 30)]


def test_the_export_links_keep_the_current_search(client, registry):
    html = client.get(URL, {"q": "robot", "htn": "yes"}).content.decode()
    assert "/organizations/export.csv?q=robot&amp;htn=yes" in html
    assert "/organizations/export.json?q=robot&amp;htn=yes" in html


def _directory_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries), len(names(response))


def test_the_number_of_queries_does_not_grow_with_the_page_size(client, agrifood, mech):
    competences = list(Competence.objects.filter(level=2)[:3])
    for number in range(25):
        organization = organization_create(
            name=f"Laboratorio {number}",
            kind=OrganizationKind.RESEARCH_LAB,
            postcode="40126",
            competences=competences,
        )
        membership_upsert(organization=organization, cluster=agrifood)
        membership_upsert(organization=organization, cluster=mech)
    few_queries, few_rows = _directory_queries(client, {"q": "laboratorio 7"})
    many_queries, many_rows = _directory_queries(client, {"q": "laboratorio"})
    assert (few_rows, many_rows) == (1, 25)
    assert many_queries == few_queries
    assert many_queries <= 10
