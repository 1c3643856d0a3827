"""Demo consultation: on the demo versions in consultation (agenda/demo.py), ballots of the
clusters' member organizations (approval in agrifood, points in mechatronics), a few
comments, an amendment awaiting the manager's decision and one rejected with its reason.

The demo member's own organization casts nothing, so the demo member can vote. The other
organizations have no demo accounts, so their ballots, comments and amendments are written
as seed data (without an author), within the same rules: approval values 0/1, points within
the budget. Idempotent: a version that already has ballots is left alone. Run after the
agenda demo.
"""

import random

from django.db import transaction
from django.utils import timezone

from clusterhub.agenda.models import (
    AgendaVersion,
    Amendment,
    AmendmentStatus,
    Ballot,
    ItemComment,
    ItemStatus,
    Phase,
    VotingMethod,
)
from clusterhub.core.demo import MANAGER_EMAIL, MEMBER_EMAIL
from clusterhub.people.models import Person
from clusterhub.registry.models import MembershipStatus, Organization

MAX_VOTERS = 40
COMMENTS = [
    "Serve un calendario condiviso con le università.",
    "Includere le micro imprese nei bandi, non solo le medie.",
    "Good priority: we would join a pilot next year.",
]


def _voters(version: AgendaVersion) -> list[Organization]:
    member = Person.objects.filter(email=MEMBER_EMAIL).first()
    own = (
        set(member.organization_roles.values_list("organization_id", flat=True))
        if member
        else set()
    )
    return list(
        Organization.objects.filter(
            memberships__cluster=version.cluster, memberships__status=MembershipStatus.ACTIVE
        )
        .exclude(pk__in=own)
        .distinct()
        .order_by("id")[:MAX_VOTERS]
    )


def _load(version: AgendaVersion) -> int:
    rng = random.Random(version.pk)
    items = list(version.items.filter(status=ItemStatus.ACTIVE).order_by("position", "id"))
    voters = _voters(version)
    if not items or not voters:
        return 0
    ballots = []
    for organization in voters:
        if rng.random() < 0.3:
            continue  # not every member votes
        if version.voting_method == VotingMethod.POINTS:
            left = version.points_budget
            for item in rng.sample(items, k=min(len(items), rng.randint(1, 3))):
                if left <= 0:
                    break
                value = rng.randint(1, left)
                left -= value
                ballots.append(Ballot(item=item, organization=organization, value=value))
        else:
            for index, item in enumerate(items):
                if rng.random() < 0.8:
                    support = rng.random() < 0.85 - 0.1 * index
                    ballots.append(Ballot(item=item, organization=organization, value=int(support)))
    Ballot.objects.bulk_create(ballots)
    for text, organization in zip(COMMENTS, voters, strict=False):
        ItemComment.objects.create(item=items[0], organization=organization, text=text)
    manager = Person.objects.filter(email=MANAGER_EMAIL).first()
    Amendment.objects.create(
        item=items[0],
        organization=voters[0],
        title=f"{items[0].title} (con le PMI)",
        rationale="Le piccole imprese sono la maggioranza dei soci.",
    )
    if len(items) > 1 and len(voters) > 1:
        Amendment.objects.create(
            item=items[1],
            organization=voters[1],
            objective="Limitare l'azione alle sole grandi imprese.",
            rationale="Hanno più risorse.",
            status=AmendmentStatus.REJECTED,
            decision_reason="Escluderebbe la maggior parte dei soci del cluster.",
            decided_by=manager,
            decided_at=timezone.now(),
        )
    return len(ballots)


def load_demo() -> str:
    """Ballots, comments and amendments on the demo versions in consultation."""
    done = ballots = 0
    versions = AgendaVersion.objects.filter(phase=Phase.CONSULTATION).select_related("cluster")
    for version in versions:
        if Ballot.objects.filter(item__version=version).exists():
            continue
        with transaction.atomic():
            count = _load(version)
        if count:
            done += 1
            ballots += count
    return f"{ballots} ballots on {done} consultations"
