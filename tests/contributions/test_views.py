import pytest
from django.urls import reverse

from clusterhub.contributions.models import Contribution
from clusterhub.contributions.services import contribution_merge, endorsement_add
from tests.contributions.conftest import SPINDLES_EN, SPINDLES_IT

pytestmark = pytest.mark.django_db


def _draft(agrifood, member_org, **extra):
    return {
        "organization": member_org.pk,
        "kind": "need",
        "title": SPINDLES_EN[0],
        "text": SPINDLES_EN[1],
        "clusters": [agrifood.pk],
        "visibility": "members",
        **extra,
    }


def test_a_member_is_shown_similar_contributions_before_posting_and_may_post_anyway(
    client, member, manager, post, agrifood, member_org
):
    post(title=SPINDLES_IT[0], text=SPINDLES_IT[1], approve_by=manager)
    client.force_login(member)
    url = reverse("contributions:create")

    review = client.post(url, _draft(agrifood, member_org))

    assert review.status_code == 200
    assert "Similar contributions already posted" in review.content.decode()
    assert SPINDLES_IT[0] in review.content.decode()
    assert Contribution.objects.count() == 1
    # The suggested tags come ticked, and the form now says "post anyway".
    assert 'name="s3_themes" value=' in review.content.decode()
    assert "Post anyway" in review.content.decode()

    posted = client.post(url, _draft(agrifood, member_org, confirmed="1", s3_themes=["139"]))

    assert posted.status_code == 302
    created = Contribution.objects.get(title=SPINDLES_EN[0])
    assert list(created.s3_themes.values_list("code", flat=True)) == ["139"]
    assert created.suspected_duplicate is not None


def test_bad_input_is_named_and_nothing_is_stored(client, member, agrifood, member_org):
    client.force_login(member)

    response = client.post(
        reverse("contributions:create"),
        _draft(agrifood, member_org, title="", text="x" * 5001, clusters=[], confirmed="1"),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"title", "text", "clusters"}
    assert "5001" in str(form.errors["text"])
    assert not Contribution.objects.exists()


def test_the_htmx_check_returns_suggested_tags_ticked(client, member, agrifood, member_org):
    client.force_login(member)

    response = client.post(
        reverse("contributions:check") + "?part=tags",
        _draft(agrifood, member_org),
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'name="competences"' in body and "checked" in body


def test_html_in_a_contribution_and_its_comments_is_shown_as_text(
    client, member, manager, post, peer
):
    contribution = post(
        title="<script>alert('x')</script>", text="<img src=x onerror=alert(1)>", approve_by=manager
    )
    client.force_login(peer)
    client.post(reverse("contributions:comment", args=[contribution.pk]), {"text": "<b>noi</b>"})

    body = client.get(reverse("contributions:detail", args=[contribution.pk])).content.decode()

    assert "<script>alert" not in body and "&lt;script&gt;alert" in body
    assert "<img src=x" not in body
    assert "&lt;b&gt;noi&lt;/b&gt;" in body


def test_an_empty_comment_answers_the_page_with_the_error(client, post, manager, peer):
    contribution = post(approve_by=manager)
    client.force_login(peer)

    response = client.post(reverse("contributions:comment", args=[contribution.pk]), {"text": ""})

    assert response.status_code == 422
    assert response.context["comment_form"].errors["text"]
    assert not contribution.comments.exists()


def test_endorsing_with_htmx_redraws_the_endorsement_block(client, post, manager, peer):
    contribution = post(approve_by=manager)
    client.force_login(peer)

    response = client.post(
        reverse("contributions:endorse", args=[contribution.pk]), headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert body.startswith('<div id="endorse"')
    assert "Latteria Vicina Srl" in body and "Withdraw our endorsement" in body


def test_the_manager_merges_a_duplicate_and_its_page_links_to_the_kept_one(
    client, post, manager, peer
):
    kept = post(title=SPINDLES_IT[0], text=SPINDLES_IT[1], approve_by=manager)
    duplicate = post(title=SPINDLES_EN[0], text=SPINDLES_EN[1])
    client.force_login(manager)

    queue = client.get(reverse("contributions:queue")).content.decode()
    assert SPINDLES_EN[0] in queue and "similarity" in queue
    detail = client.get(reverse("contributions:detail", args=[duplicate.pk])).content.decode()
    assert f'<option value="{kept.pk}"' in detail

    response = client.post(
        reverse("contributions:moderate", args=[duplicate.pk]),
        {"action": "merge", "into": kept.pk},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("contributions:detail", args=[kept.pk])
    page = client.get(reverse("contributions:detail", args=[duplicate.pk])).content.decode()
    assert "This contribution was merged into" in page
    assert reverse("contributions:detail", args=[kept.pk]) in page


def test_a_manager_cannot_merge_into_another_clusters_contribution(
    client, post, manager, other_org, mech, mech_person
):
    from clusterhub.contributions.services import contribution_create

    mine = post()
    theirs = contribution_create(
        author=mech_person,
        organization=other_org,
        kind="need",
        title="Meccanica",
        text="Testo",
        clusters=[mech],
    )
    client.force_login(manager)

    response = client.post(
        reverse("contributions:moderate", args=[mine.pk]), {"action": "merge", "into": theirs.pk}
    )

    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.status == "pending"


def test_the_list_shows_a_clusters_contributions_to_its_members(client, post, manager, peer):
    approved = post(approve_by=manager)
    post(title="Non ancora approvato")
    client.force_login(peer)

    response = client.get(reverse("contributions:list"), {"cluster": "agrifood"})

    assert [c.pk for c in response.context["page"].object_list] == [approved.pk]


def test_merged_endorsements_count_on_the_kept_contribution(post, manager, peer):
    kept = post(title=SPINDLES_IT[0], text=SPINDLES_IT[1], approve_by=manager)
    duplicate = post(title=SPINDLES_EN[0], text=SPINDLES_EN[1], approve_by=manager)
    endorsement_add(contribution=duplicate, person=peer)

    contribution_merge(contribution=duplicate, into=kept, actor=manager)

    assert kept.endorsements.count() == 1
