import json
from datetime import timedelta

import pytest
from django.utils import timezone

from clusterhub.opportunities.models import Opportunity

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_the_list_is_the_open_feed_and_the_archive_on_request(client, make_opportunity, agrifood):
    make_opportunity(title="Open", clusters=[agrifood], budget=3_000_000)
    make_opportunity(title="Closed", deadline=TODAY - timedelta(days=1))

    [item] = client.get("/api/opportunities").json()["items"]
    archived = client.get("/api/opportunities?status=archived").json()["items"]

    assert item["title"] == "Open" and item["is_open"] is True
    assert item["clusters"] == ["agrifood"] and item["budget"] == 3_000_000
    assert item["page"] == f"/opportunities/{item['id']}/"
    assert [a["title"] for a in archived] == ["Closed"]


def test_the_ranking_for_my_organization_shows_the_parts_of_each_score(
    client, member, member_org, make_opportunity, agrifood
):
    make_opportunity(title="For agrifood", clusters=[agrifood])
    client.force_login(member)

    answer = client.get("/api/opportunities/for-me").json()

    assert answer["organization_id"] == member_org.pk
    [result] = answer["results"]
    assert result["rank"] == 1
    assert result["score"]["shared_clusters"] == ["agrifood"]
    assert result["score"]["total"] == pytest.approx(
        result["score"]["similarity"]
        + result["score"]["cluster_boost"]
        + result["score"]["theme_boost"]
    )


def test_another_organizations_ranking_is_not_found(client, member, other_org):
    client.force_login(member)

    response = client.get(f"/api/opportunities/for-me?organization_id={other_org.pk}")

    assert response.status_code == 404


def test_a_manager_creates_a_call_and_bad_input_is_named(client, manager):
    client.force_login(manager)
    body = {
        "kind": "financing",
        "title": "Bando",
        "programme": "EIC Accelerator",
        "deadline": (TODAY + timedelta(days=40)).isoformat(),
        "clusters": ["agrifood"],
        "s3_themes": [],
    }

    created = client.post("/api/opportunities", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["clusters"] == ["agrifood"]

    for change, field in [
        ({"clusters": ["mech"]}, "clusters"),
        ({"clusters": ["nowhere"]}, "clusters"),
        ({"s3_themes": ["nope"]}, "s3_themes"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"title": "\u0007"}, "title"),
    ]:
        response = client.post(
            "/api/opportunities", json.dumps({**body, **change}), content_type="application/json"
        )
        assert response.status_code == 422, (change, response.content)
        assert field in json.dumps(response.json()["detail"])
    assert Opportunity.objects.count() == 1
