"""The matchmaking API: typed answers, refusals of bad input, visibility."""

import pytest

pytestmark = pytest.mark.django_db

NEED = "vaschette compostabili con barriera all'ossigeno"


@pytest.fixture
def api_member(client, member):
    client.force_login(member)
    return client


def test_match_answers_ranked_organizations_with_passages(api_member, corpus):
    response = api_member.get("/api/match", {"q": NEED, "k": 3})

    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 3
    first = body["results"][0]
    assert first["rank"] == 1
    assert first["signal"] in ("lexical", "semantic", "both")
    assert first["organization"]["url"] == f"/organizations/{first['organization']['id']}/"
    passage = first["passages"][0]
    for highlight in passage["highlights"]:
        assert 0 <= highlight["start"] < highlight["end"] <= len(passage["text"])


def test_match_filters_by_accreditation_and_province(api_member, corpus):
    need = "cerchiamo robot collaborativi per l'automazione"
    body = api_member.get("/api/match", {"q": need, "htn": "true", "province": "ITH55"}).json()

    assert [r["organization"]["name"] for r in body["results"]] == ["Centro Robotica Avanzata"]


@pytest.mark.parametrize(
    "params",
    [{"q": ""}, {"q": "x" * 10_000}, {}, {"q": "robot", "k": 51}, {"q": "robot", "kind": "x"}],
    ids=["empty", "huge", "missing", "k too large", "unknown kind"],
)
def test_bad_input_is_a_422(api_member, corpus, params):
    assert api_member.get("/api/match", params).status_code == 422


def test_a_need_without_words_answers_a_message(api_member, corpus):
    body = api_member.get("/api/match", {"q": "?!?...;"}).json()

    assert body["results"] == []
    assert body["message"]


def test_matching_needs_a_signed_in_caller(client, corpus):
    assert client.get("/api/match", {"q": NEED}).status_code == 401


def test_similar_is_public_and_hides_hidden_profiles(client, corpus):
    response = client.get(f"/api/organizations/{corpus['compost'].pk}/similar")

    assert response.status_code == 200
    names = [r["organization"]["name"] for r in response.json()["results"]]
    assert names[0] == "Green Packaging Lab"
    assert "Laboratorio Riservato Imballaggi" not in names
    assert client.get(f"/api/organizations/{corpus['hidden'].pk}/similar").status_code == 404


def test_consortium_suggests_partners_and_names_gaps(api_member, corpus):
    response = api_member.post(
        "/api/match/consortium",
        {"q": "imballaggi compostabili per formaggi", "roles": ["research", "association"]},
        content_type="application/json",
    )

    assert response.status_code == 200
    body = response.json()
    assert [m["role"] for m in body["members"]] == ["research"]
    assert body["gaps"] == ["association"]


def test_consortium_refuses_unknown_roles_and_fields(api_member, corpus):
    for payload in (
        {"q": "x", "roles": ["pirate"]},
        {"q": "x", "extra": 1},
        {"q": "x", "roles": []},
    ):
        response = api_member.post(
            "/api/match/consortium", payload, content_type="application/json"
        )
        assert response.status_code == 422
