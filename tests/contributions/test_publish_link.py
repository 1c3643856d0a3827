"""A manager goes from an approved financing contribution to publishing it as an opportunity."""

import pytest
from django.urls import reverse

from clusterhub.contributions.models import Contribution

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("kind", "linked"), [("financing", True), ("need", False)])
def test_the_moderation_box_offers_to_publish_reported_calls(
    client, manager, member, member_org, agrifood, kind, linked
):
    contribution = Contribution.objects.create(
        kind=kind,
        title="Bando regionale per l'agroalimentare",
        text="Un bando che interessa i membri.",
        language="it",
        organization=member_org,
        author=member,
        status="approved",
    )
    contribution.clusters.add(agrifood)
    client.force_login(manager)

    page = client.get(reverse("contributions:detail", args=[contribution.pk])).content.decode()

    url = reverse("opportunities:from_contribution", args=[contribution.pk])
    assert (url in page) is linked
