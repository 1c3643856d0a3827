"""The consultation's pages: the panels on the version page, voting, commenting, proposing
and deciding amendments, the results page."""

import pytest
from django.urls import reverse

from clusterhub.agenda.consultation import amendment_propose, ballot_cast, comment_create
from clusterhub.agenda.models import AmendmentStatus, Ballot
from tests.agenda.consult_helpers import close, consultation, voter

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_version(agrifood, manager):
    return consultation(agrifood, manager)


def _version_url(version):
    return reverse("agenda:version", kwargs={"slug": "agrifood", "number": version.number})


def _url(name, item, **more):
    return reverse(f"agenda:{name}", kwargs={"slug": "agrifood", "pk": item.pk, **more})


def test_the_version_page_shows_the_panel_and_the_ballot_forms_to_a_member(
    client, open_version, member
):
    version, (alfa, _beta) = open_version
    client.force_login(member)
    page = client.get(_version_url(version)).content.decode()
    assert "Participation so far" in page
    assert "0 of 1 member organizations voted" in page
    assert "You take part for Caseificio Esempio Srl" in page
    assert _url("consult_ballot", alfa) in page
    assert "Does Caseificio Esempio Srl support this item?" in page


def test_a_member_votes_and_the_page_shows_it(client, open_version, member):
    version, (alfa, _beta) = open_version
    client.force_login(member)
    response = client.post(_url("consult_ballot", alfa), {"value": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{alfa.pk}")
    assert Ballot.objects.get(item=alfa).value == 1
    page = client.get(_version_url(version)).content.decode()
    assert "your organization supports it" in page
    assert "1 of 1 member organizations voted" in page
    client.post(_url("consult_ballot", alfa), {"withdraw": "1"})
    assert not Ballot.objects.exists()


def test_a_vote_after_closing_is_refused_with_the_reason(client, open_version, member):
    version, (alfa, _beta) = open_version
    close(version)
    client.force_login(member)
    response = client.post(_url("consult_ballot", alfa), {"value": "1"})
    assert response.status_code == 422
    assert "The consultation closed on" in response.content.decode()
    assert not Ballot.objects.exists()
    # and the version page offers no ballot form any more
    assert _url("consult_ballot", alfa) not in client.get(_version_url(version)).content.decode()


def test_the_manager_cannot_vote_without_an_organization(client, open_version, manager):
    _version, (alfa, _beta) = open_version
    client.force_login(manager)
    response = client.post(_url("consult_ballot", alfa), {"value": "1"})
    assert response.status_code == 403
    assert "member organizations" in response.content.decode()


def test_a_member_of_another_cluster_does_not_even_see_the_item(client, open_version, mech):
    _version, (alfa, _beta) = open_version
    client.force_login(voter(mech))
    assert client.post(_url("consult_ballot", alfa), {"value": "1"}).status_code == 404
    assert client.get(_url("consult_item", alfa)).status_code == 404


def test_comments_are_shown_escaped(client, open_version, member):
    version, (alfa, _beta) = open_version
    client.force_login(member)
    response = client.post(_url("consult_comment", alfa), {"text": "<script>alert(1)</script>"})
    assert response.status_code == 302
    page = client.get(_version_url(version)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_a_blank_comment_gets_a_clear_error(client, open_version, member):
    _version, (alfa, _beta) = open_version
    client.force_login(member)
    response = client.post(_url("consult_comment", alfa), {"text": "   "})
    assert response.status_code == 422
    assert "This field is required" in response.content.decode()


def test_a_member_proposes_an_amendment_and_the_manager_accepts_it_with_a_reason(
    client, open_version, member, manager
):
    version, (alfa, _beta) = open_version
    client.force_login(member)
    form = client.get(_url("consult_amend", alfa))
    assert form.status_code == 200
    assert 'value="Alfa"' in form.content.decode()  # prefilled with the current wording
    response = client.post(
        _url("consult_amend", alfa),
        {"title": "Alfa per le PMI", "objective": alfa.objective, "rationale": "Più mirato."},
    )
    assert response.status_code == 302
    amendment = alfa.amendments.get()

    client.force_login(manager)
    decide = _url("consult_decide", alfa, amendment_id=amendment.pk)
    assert "Alfa per le PMI" in client.get(decide).content.decode()
    missing = client.post(decide, {"decision": "accept", "reason": ""})
    assert missing.status_code == 422
    response = client.post(
        decide, {"decision": "accept", "reason": "Accolto: più chiaro.", "revision": alfa.revision}
    )
    assert response.status_code == 302
    alfa.refresh_from_db()
    assert alfa.title == "Alfa per le PMI"

    client.force_login(member)  # the reason is shown to everyone who sees the item
    page = client.get(_version_url(version)).content.decode()
    assert "Accolto: più chiaro." in page and "Accepted" in page


def test_a_decision_on_a_stale_item_is_a_conflict(client, open_version, member, manager):
    _version, (alfa, _beta) = open_version
    amendment = amendment_propose(item=alfa, actor=member, title="Nuovo", rationale="Perché.")
    client.force_login(manager)
    response = client.post(
        _url("consult_decide", alfa, amendment_id=amendment.pk),
        {"decision": "accept", "reason": "Ok", "revision": alfa.revision + 5},
    )
    assert response.status_code == 409
    assert "Someone else changed this item" in response.content.decode()
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.PENDING


def test_members_cannot_decide(client, open_version, member, org_admin):
    _version, (alfa, _beta) = open_version
    amendment = amendment_propose(item=alfa, actor=member, title="Nuovo", rationale="Perché.")
    client.force_login(org_admin)
    url = _url("consult_decide", alfa, amendment_id=amendment.pk)
    assert client.post(url, {"decision": "accept", "reason": "Io"}).status_code == 403


def test_the_results_page_with_its_chart_table_and_toggle(
    client, agrifood, open_version, manager, member
):
    version, (alfa, beta) = open_version
    lab = voter(agrifood, "research_lab", name="Laboratorio Uno")
    ballot_cast(item=alfa, actor=member, value=1)
    ballot_cast(item=beta, actor=lab, value=1)
    comment_create(item=alfa, actor=member, text="Bene")
    url = reverse("agenda:results", kwargs={"slug": "agrifood", "number": version.number})

    client.force_login(member)
    hidden = client.get(url)
    assert hidden.status_code == 403  # not live for the members
    assert "once the consultation closes" in hidden.content.decode()

    client.force_login(manager)
    page = client.get(url).content.decode()
    assert 'data-chart="scores"' in page and "plotly.min.js" in page
    assert "Research lab" in page and "Firm" in page
    assert "2 of 2 member organizations voted" in page
    equal = client.get(url + "?equal=1").content.decode()
    assert "Weight of each ballot" in equal

    close(version)
    client.force_login(member)
    assert client.get(url).status_code == 200
