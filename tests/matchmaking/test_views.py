"""The matchmaking pages: who may open them, htmx fragments, safe highlights, saving."""

import pytest
from django.urls import reverse

from clusterhub.matchmaking.models import SavedSearch

pytestmark = pytest.mark.django_db

NEED = "vaschette compostabili con barriera all'ossigeno"


@pytest.fixture
def client_member(client, member):
    client.force_login(member)
    return client


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("matchmaking:search"), {"q": NEED})

    assert response.status_code == 302
    assert reverse("people:login") in response["Location"]


def test_the_page_ranks_organizations_with_highlighted_reasons(client_member, corpus):
    response = client_member.get(reverse("matchmaking:search"), {"q": NEED})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<!DOCTYPE html>" in html
    assert "Laboratorio Materiali Compostabili" in html
    assert "<mark>" in html
    assert "badge-signal-" in html
    assert "Laboratorio Riservato Imballaggi" not in html


def test_htmx_gets_only_the_results_and_the_address_keeps_the_search(client_member, corpus):
    response = client_member.get(
        reverse("matchmaking:search"),
        {"q": "cerchiamo la fresatura CNC di precisione", "kind": "firm"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert "<!DOCTYPE html>" not in html
    assert "Officina Meccanica Srl" in html
    assert "Green Packaging Lab" not in html
    assert response["HX-Push-Url"].startswith("/match/?q=")
    assert "kind=firm" in response["HX-Push-Url"]


def test_markup_in_a_need_or_a_profile_is_shown_as_text(client_member, corpus):
    from clusterhub.registry.services import organization_update

    organization_update(
        organization=corpus["compost"],
        description="<b onmouseover=alert(1)>Vaschette</b> compostabili con barriera.",
    )
    response = client_member.get(
        reverse("matchmaking:search"), {"q": "<script>alert(1)</script> vaschette compostabili"}
    )

    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<b onmouseover" not in html
    assert "&lt;b onmouseover=" in html  # the profile's text, escaped


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("x" * 1001, "at most 1000 characters"),
        ("?!?;;", "Describe what you are looking for"),
    ],
    ids=["too long", "punctuation"],
)
def test_hostile_needs_get_a_clear_message(client_member, corpus, query, expected):
    response = client_member.get(reverse("matchmaking:search"), {"q": query})

    assert response.status_code == 200
    assert expected in response.content.decode()


def test_an_unknown_filter_value_is_named_not_a_crash(client_member, corpus):
    response = client_member.get(reverse("matchmaking:search"), {"q": NEED, "kind": "spaceship"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_search_is_saved_and_listed(client_member, member, corpus):
    response = client_member.post(
        reverse("matchmaking:saved"), {"q": NEED, "kind": "research_lab", "htn": "yes"}
    )

    assert response.status_code == 302
    saved = SavedSearch.objects.get(person=member)
    assert saved.filters == {"kind": "research_lab", "htn": True}
    page = client_member.get(reverse("matchmaking:saved")).content.decode()
    assert NEED.replace("'", "&#x27;") in page
    assert "Accredited labs only" in page


def test_a_saved_search_is_deleted_by_its_owner_only(client, member, officer, corpus):
    saved = SavedSearch.objects.create(person=member, query=NEED)
    url = reverse("matchmaking:saved_delete", args=[saved.pk])

    client.force_login(officer)
    assert client.post(url).status_code == 404
    client.force_login(member)
    assert client.post(url).status_code == 302
    assert not SavedSearch.objects.exists()


def test_the_profile_page_loads_similar_organizations(client, corpus):
    profile = client.get(reverse("registry:organization_detail", args=[corpus["compost"].pk]))
    similar_url = reverse("matchmaking:similar", args=[corpus["compost"].pk])
    assert f'hx-get="{similar_url}"' in profile.content.decode()

    fragment = client.get(similar_url, HTTP_HX_REQUEST="true").content.decode()
    assert "Green Packaging Lab" in fragment
    assert "Laboratorio Riservato Imballaggi" not in fragment
    assert "<!DOCTYPE html>" not in fragment

    page = client.get(similar_url).content.decode()
    assert "<!DOCTYPE html>" in page and "Green Packaging Lab" in page


def test_the_consortium_page_suggests_a_partner_per_role(client_member, corpus):
    response = client_member.get(
        reverse("matchmaking:consortium"),
        {
            "q": "imballaggi compostabili per formaggi",
            "roles": ["research", "final_user"],
            "cross_cluster": "on",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Caseificio Sociale Valle" in html
    assert html.count('class="consortium-role"') == 2


def test_signed_in_people_see_the_find_partners_link(client, member):
    assert "Find partners" not in client.get("/").content.decode()
    client.force_login(member)
    assert "Find partners" in client.get("/").content.decode()


def test_more_results_are_shown_on_demand(client_member, corpus, monkeypatch):
    from clusterhub.matchmaking import views

    monkeypatch.setattr(views, "RESULTS_SHOWN", 2)
    first = client_member.get(reverse("matchmaking:search"), {"q": NEED}).content.decode()
    assert first.count('class="org-card match-card"') == 2
    assert "k=4" in first

    more = client_member.get(
        reverse("matchmaking:search"), {"q": NEED, "k": 4}, HTTP_HX_REQUEST="true"
    )
    assert more.content.decode().count('class="org-card match-card"') > 2
    assert "k=4" in more["HX-Push-Url"]
