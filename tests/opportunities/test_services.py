from datetime import timedelta

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clusterhub.contributions.models import Contribution
from clusterhub.opportunities.models import Opportunity, OpportunitySource
from clusterhub.opportunities.services import (
    opportunity_create,
    opportunity_publish_contribution,
    opportunity_update,
)

pytestmark = pytest.mark.django_db

NEXT_MONTH = timezone.localdate() + timedelta(days=30)


def test_a_manager_publishes_a_call_for_their_cluster_with_its_vector(manager, agrifood):
    opportunity = opportunity_create(
        actor=manager,
        kind="financing",
        title="Bando innovazione agroalimentare",
        programme="PR FESR Emilia-Romagna",
        deadline=NEXT_MONTH,
        clusters=[agrifood],
    )

    assert list(opportunity.clusters.all()) == [agrifood]
    assert opportunity.created_by == manager
    vector = np.frombuffer(bytes(opportunity.vector), dtype="<f4")
    assert vector.shape == (512,)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3


def test_a_manager_cannot_publish_for_a_cluster_they_do_not_manage(manager, mech):
    with pytest.raises(ValidationError) as error:
        opportunity_create(
            actor=manager,
            kind="financing",
            title="Call",
            programme="EIC",
            deadline=NEXT_MONTH,
            clusters=[mech],
        )

    assert "clusters" in error.value.message_dict
    assert not Opportunity.objects.exists()


def test_a_manager_must_name_a_cluster_but_an_officer_may_publish_for_all(manager, officer):
    with pytest.raises(ValidationError):
        opportunity_create(
            actor=manager, kind="financing", title="Call", programme="EIC", deadline=NEXT_MONTH
        )

    opportunity = opportunity_create(
        actor=officer, kind="financing", title="Call", programme="EIC", deadline=NEXT_MONTH
    )
    assert opportunity.clusters.count() == 0


def test_a_member_cannot_publish(member):
    with pytest.raises(PermissionDenied):
        opportunity_create(
            actor=member, kind="financing", title="Call", programme="EIC", deadline=NEXT_MONTH
        )


def test_control_characters_are_removed_and_a_too_long_title_is_refused(officer):
    opportunity = opportunity_create(
        actor=officer,
        kind="internationalization",
        title="Fiera\x00 di\x07 Hannover",
        programme="SIMEST",
        deadline=NEXT_MONTH,
        description="line one\nline two\x1b",
    )
    assert opportunity.title == "Fiera di Hannover"
    assert opportunity.description == "line one\nline two"

    with pytest.raises(ValidationError) as error:
        opportunity_create(
            actor=officer, kind="financing", title="x" * 301, programme="EIC", deadline=NEXT_MONTH
        )
    assert "title" in error.value.message_dict


def test_an_edit_recomputes_the_vector_only_when_the_text_changes(officer, make_opportunity):
    opportunity = make_opportunity(title="Robotics for food processing")
    first = bytes(opportunity.vector)

    same = opportunity_update(opportunity=opportunity, actor=officer, budget=1_000_000)
    assert bytes(same.vector) == first
    changed = opportunity_update(opportunity=opportunity, actor=officer, title="Space propulsion")
    assert bytes(changed.vector) != first
    assert changed.budget == 1_000_000


def _contribution(member, member_org, agrifood, **fields):
    values = {
        "kind": "financing",
        "title": "Bando regionale per la transizione digitale",
        "text": "Contributi a fondo perduto per le PMI che digitalizzano i processi.",
        "status": "approved",
        "author": member,
        "organization": member_org,
    }
    values.update(fields)
    contribution = Contribution.objects.create(**values)
    contribution.clusters.set([agrifood])
    return contribution


def test_a_manager_publishes_an_approved_financing_post_once(manager, member, member_org, agrifood):
    contribution = _contribution(member, member_org, agrifood)

    opportunity = opportunity_publish_contribution(
        actor=manager, contribution=contribution, deadline=NEXT_MONTH, programme="PR FESR"
    )
    again = opportunity_publish_contribution(
        actor=manager, contribution=contribution, deadline=NEXT_MONTH, programme="PR FESR"
    )

    assert again == opportunity
    assert opportunity.source == OpportunitySource.CONTRIBUTION
    assert opportunity.contribution == contribution
    assert opportunity.title == contribution.title
    assert list(opportunity.clusters.all()) == [agrifood]


@pytest.mark.parametrize(("kind", "status"), [("need", "approved"), ("financing", "pending")])
def test_only_approved_financing_or_internationalization_posts_are_published(
    manager, member, member_org, agrifood, kind, status
):
    contribution = _contribution(member, member_org, agrifood, kind=kind, status=status)

    with pytest.raises(ValidationError):
        opportunity_publish_contribution(
            actor=manager, contribution=contribution, deadline=NEXT_MONTH, programme="PR FESR"
        )
    assert not Opportunity.objects.exists()


def test_a_manager_editing_a_shared_call_keeps_the_other_clusters(
    manager, make_opportunity, agrifood, mech
):
    shared = make_opportunity(clusters=[agrifood, mech])

    opportunity_update(opportunity=shared, actor=manager, clusters=[agrifood], title="Renamed")

    assert set(shared.clusters.all()) == {agrifood, mech}
