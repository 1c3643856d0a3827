"""The consultation's API: ballots with a bearer token, comments, amendments and the
managers' decision, results."""

import pytest

from clusterhub.agenda.consultation import amendment_propose, ballot_cast
from clusterhub.agenda.models import AmendmentStatus, Ballot
from clusterhub.people.tokens import token_create
from tests.agenda.consult_helpers import close, consultation, voter

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_version(agrifood, manager):
    return consultation(agrifood, manager, method="points", budget=10)


def _bearer(person):
    return {"authorization": f"Bearer {token_create(person=person, name='script')[1]}"}


def test_a_member_casts_changes_and_withdraws_a_ballot_with_a_token(client, open_version, member):
    _version, (alfa, _beta) = open_version
    headers = _bearer(member)
    url = f"/api/agenda/items/{alfa.pk}/ballot"
    assert client.get(url, headers=headers).json()["value"] is None

    response = client.put(url, {"value": 6}, content_type="application/json", headers=headers)
    assert response.status_code == 200
    assert response.json() | {"updated_at": None} == {
        "item": alfa.pk,
        "organization": "Caseificio Esempio Srl",
        "value": 6,
        "points_left": 4,
        "updated_at": None,
    }
    client.put(url, {"value": 2}, content_type="application/json", headers=headers)
    assert Ballot.objects.get().value == 2

    assert client.delete(url, headers=headers).status_code == 204
    assert not Ballot.objects.exists()


def test_over_the_budget_or_after_closing_is_422_with_the_reason(client, open_version, member):
    version, (alfa, beta) = open_version
    headers = _bearer(member)
    client.put(
        f"/api/agenda/items/{alfa.pk}/ballot",
        {"value": 8},
        content_type="application/json",
        headers=headers,
    )
    over = client.put(
        f"/api/agenda/items/{beta.pk}/ballot",
        {"value": 3},
        content_type="application/json",
        headers=headers,
    )
    assert over.status_code == 422
    assert "2 of its 10 points left" in str(over.json()["detail"])
    close(version)
    late = client.put(
        f"/api/agenda/items/{beta.pk}/ballot",
        {"value": 1},
        content_type="application/json",
        headers=headers,
    )
    assert late.status_code == 422
    assert "consultation closed" in str(late.json()["detail"])


def test_members_of_another_cluster_get_404_and_the_manager_403(
    client, open_version, manager, mech
):
    _version, (alfa, _beta) = open_version
    url = f"/api/agenda/items/{alfa.pk}/ballot"
    body = {"value": 1}
    outsider = client.put(url, body, content_type="application/json", headers=_bearer(voter(mech)))
    assert outsider.status_code == 404
    managing = client.put(url, body, content_type="application/json", headers=_bearer(manager))
    assert managing.status_code == 403
    assert "member organizations" in managing.json()["detail"]


def test_comments_and_amendments_round_trip(client, open_version, member, manager):
    _version, (alfa, _beta) = open_version
    headers = _bearer(member)
    created = client.post(
        f"/api/agenda/items/{alfa.pk}/comments",
        {"text": "Utile."},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201
    listed = client.get(f"/api/agenda/items/{alfa.pk}/comments", headers=headers).json()
    assert [(c["organization"], c["text"]) for c in listed] == [
        ("Caseificio Esempio Srl", "Utile.")
    ]
    blank = client.post(
        f"/api/agenda/items/{alfa.pk}/comments",
        {"text": "  "},
        content_type="application/json",
        headers=headers,
    )
    assert blank.status_code == 422

    proposed = client.post(
        f"/api/agenda/items/{alfa.pk}/amendments",
        {"title": "Alfa rivisto", "rationale": "Più chiaro."},
        content_type="application/json",
        headers=headers,
    )
    assert proposed.status_code == 201
    amendment_id = proposed.json()["id"]
    decided = client.post(
        f"/api/agenda/amendments/{amendment_id}/decision",
        {"decision": "reject", "reason": "Il titolo resta."},
        content_type="application/json",
        headers=_bearer(manager),
    )
    assert decided.status_code == 200
    assert decided.json()["status"] == "rejected"
    shown = client.get(f"/api/agenda/items/{alfa.pk}/amendments", headers=headers).json()
    assert [(a["status"], a["decision_reason"]) for a in shown] == [
        ("rejected", "Il titolo resta.")
    ]
    # a version in consultation is not public
    assert client.get(f"/api/agenda/items/{alfa.pk}/amendments").status_code == 404


def test_a_stale_accept_is_409(client, open_version, member, manager):
    _version, (alfa, _beta) = open_version
    amendment = amendment_propose(item=alfa, actor=member, title="Nuovo", rationale="Perché.")
    response = client.post(
        f"/api/agenda/amendments/{amendment.pk}/decision",
        {"decision": "accept", "reason": "Ok", "revision": alfa.revision + 1},
        content_type="application/json",
        headers=_bearer(manager),
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == alfa.revision
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.PENDING


def test_results_for_the_manager_live_and_for_members_after_closing(
    client, open_version, member, manager, agrifood
):
    version, (alfa, beta) = open_version
    ballot_cast(item=alfa, actor=member, value=7)
    ballot_cast(item=beta, actor=voter(agrifood, "university"), value=10)
    url = f"/api/clusters/agrifood/agenda/versions/{version.number}/results"
    assert client.get(url, headers=_bearer(member)).status_code == 403
    data = client.get(url + "?equal_types=true", headers=_bearer(manager)).json()
    assert data["voting_method"] == "points"
    assert [(row["item"], row["score"]) for row in data["items"]] == [(beta.pk, 10), (alfa.pk, 7)]
    assert {row["kind"]: row["voted"] for row in data["participation"]} == {
        "firm": 1,
        "university": 1,
    }
    close(version)
    assert client.get(url, headers=_bearer(member)).status_code == 200
