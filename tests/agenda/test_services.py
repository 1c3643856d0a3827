"""The agenda core's rules: one version in preparation at a time, carried items, optimistic
item edits, frozen versions, the phases and their audit trail, progress."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clusterhub.agenda import services
from clusterhub.agenda.models import ItemEvent, ItemLineage, ItemStatus, LineageKind, Phase
from clusterhub.agenda.selectors import (
    can_take_part,
    current_published_version,
    item_progress,
    items_answering,
    versions_visible_to,
)
from clusterhub.audit.models import AuditAction, AuditEntry
from clusterhub.registry.services import StaleVersionError
from tests.agenda.core_helpers import contribution, draft, item, kpi, publish

pytestmark = pytest.mark.django_db


def test_the_first_version_starts_empty_with_number_one(agrifood, manager):
    version = draft(agrifood, manager)

    assert version.number == 1
    assert version.phase == Phase.DRAFT
    assert version.items.count() == 0


def test_a_second_draft_is_refused_while_one_is_being_prepared(agrifood, manager):
    draft(agrifood, manager)

    with pytest.raises(ValidationError, match="still being prepared"):
        draft(agrifood, manager, title="Another")


def test_a_draft_in_another_cluster_does_not_block(agrifood, mech, manager, officer):
    draft(agrifood, manager)

    assert draft(mech, officer).number == 1


def test_a_new_version_carries_the_active_items_with_kpis_milestones_and_links(agrifood, manager):
    v1 = draft(agrifood, manager)
    need = contribution(agrifood, "Packaging compostabile", "Vaschette compostabili.")
    kept = item(v1, manager, contributions=[need], responsible="Ufficio cluster")
    kpi(kept, manager, target=20, current=5)
    services.milestone_create(item=kept, actor=manager, title="Bando", done_on=date(2026, 3, 1))
    gone = item(v1, manager, title="Da togliere")
    services.item_remove(item=gone, actor=manager)
    publish(v1, manager)

    v2 = draft(agrifood, manager, based_on=v1)

    (carried,) = v2.items.all()
    assert carried.title == kept.title
    assert carried.responsible == "Ufficio cluster"
    assert list(carried.contributions.all()) == [need]
    assert [(k.name, k.target, k.current) for k in carried.kpis.all()] == [
        ("Aziende coinvolte", Decimal("20.00"), Decimal("5.00"))
    ]
    assert [m.title for m in carried.milestones.all()] == ["Bando"]
    assert ItemLineage.objects.get(child=carried).kind == LineageKind.CARRIED
    assert ItemLineage.objects.get(child=carried).parent == kept


def test_an_edit_increments_the_revision_and_records_before_and_after(agrifood, manager):
    version = draft(agrifood, manager)
    original = item(version, manager)

    edited = services.item_update(
        item=original, actor=manager, revision=1, title="Imballaggi riciclabili"
    )

    assert edited.revision == 2
    event = ItemEvent.objects.filter(item=edited, kind="edited").get()
    assert event.before["title"] == "Imballaggi compostabili"
    assert event.after["title"] == "Imballaggi riciclabili"
    assert event.actor == manager


def test_an_edit_from_a_stale_revision_is_refused_and_nothing_is_overwritten(agrifood, manager):
    version = draft(agrifood, manager)
    original = item(version, manager)
    services.item_update(item=original, actor=manager, revision=1, title="First manager's title")

    with pytest.raises(StaleVersionError) as refused:
        services.item_update(
            item=original, actor=manager, revision=1, title="Second manager's title"
        )

    assert refused.value.current_version == 2
    assert "revision 2" in str(refused.value)
    original.refresh_from_db()
    assert original.title == "First manager's title"
    assert original.revision == 2
    assert ItemEvent.objects.filter(item=original, kind="edited").count() == 1


def test_hostile_text_is_cleaned_and_limits_are_named(agrifood, manager):
    version = draft(agrifood, manager)
    created = item(version, manager, title="  <b>Titolo</b>\x00\x07 su\nrighe ", objective="Ok")

    assert created.title == "<b>Titolo</b> su righe"
    with pytest.raises(ValidationError) as too_long:
        item(version, manager, objective="x" * 6000)
    assert "objective" in too_long.value.message_dict
    with pytest.raises(ValidationError) as blank:
        item(version, manager, title="   ")
    assert "title" in blank.value.message_dict


def test_only_approved_contributions_of_the_cluster_can_be_linked(agrifood, mech, manager):
    version = draft(agrifood, manager)
    pending = contribution(agrifood, "In attesa", "Da moderare.", status="pending")
    elsewhere = contribution(mech, "Robotica", "Celle robotizzate.")

    for wrong in (pending, elsewhere):
        with pytest.raises(ValidationError) as refused:
            item(version, manager, contributions=[wrong])
        assert "contributions" in refused.value.message_dict
    assert version.items.count() == 0


def test_opening_the_consultation_needs_an_item_and_dates_in_order(agrifood, manager):
    version = draft(agrifood, manager)
    now = timezone.now()

    with pytest.raises(ValidationError, match="at least one item"):
        services.version_open_consultation(
            version=version, actor=manager, opens_at=now, closes_at=now + timedelta(days=1)
        )
    item(version, manager)
    with pytest.raises(ValidationError) as backwards:
        services.version_open_consultation(
            version=version, actor=manager, opens_at=now, closes_at=now - timedelta(hours=1)
        )
    assert "consultation_closes_at" in backwards.value.message_dict
    version.refresh_from_db()
    assert version.phase == Phase.DRAFT


def test_opening_with_points_sets_the_method_and_budget(agrifood, manager):
    version = draft(agrifood, manager)
    item(version, manager)
    now = timezone.now()

    opened = services.version_open_consultation(
        version=version,
        actor=manager,
        opens_at=now,
        closes_at=now + timedelta(days=10),
        voting_method="points",
        points_budget=25,
    )

    assert (opened.phase, opened.voting_method, opened.points_budget) == (
        Phase.CONSULTATION,
        "points",
        25,
    )
    assert opened.consultation_is_open(now + timedelta(minutes=1))


def test_closing_ends_the_consultation_now_and_approval_needs_it_closed(agrifood, manager):
    version = draft(agrifood, manager)
    item(version, manager)
    now = timezone.now()
    services.version_open_consultation(
        version=version,
        actor=manager,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=5),
    )
    with pytest.raises(ValidationError, match="Close the consultation"):
        services.version_approve(version=version, actor=manager)

    closed = services.version_close_consultation(version=version, actor=manager)

    assert closed.consultation_closes_at <= timezone.now()
    assert not closed.consultation_is_open(timezone.now())
    assert services.version_approve(version=closed, actor=manager).phase == Phase.APPROVED


def test_steps_out_of_order_are_refused(agrifood, manager):
    version = draft(agrifood, manager)
    item(version, manager)

    for step in (
        services.version_approve,
        services.version_publish,
        services.version_close_consultation,
    ):
        with pytest.raises(ValidationError, match="does not apply"):
            step(version=version, actor=manager)


def test_every_phase_change_is_in_the_audit_trail(agrifood, manager):
    version = draft(agrifood, manager)
    item(version, manager)
    publish(version, manager)

    entries = AuditEntry.objects.filter(action=AuditAction.AGENDA_PHASE, cluster=agrifood).order_by(
        "at", "id"
    )
    steps = [(e.before.get("phase"), e.after["phase"]) for e in entries]
    assert steps == [
        (None, "draft"),
        ("draft", "consultation"),
        ("consultation", "consultation"),
        ("consultation", "approved"),
        ("approved", "published"),
    ]
    assert all(e.actor == manager and e.target_id == str(version.pk) for e in entries)


def test_approved_and_published_versions_are_frozen(agrifood, manager):
    version = draft(agrifood, manager)
    frozen_item = item(version, manager)
    measure = kpi(frozen_item, manager)
    publish(version, manager)

    with pytest.raises(ValidationError, match="frozen"):
        services.item_update(item=frozen_item, actor=manager, revision=1, title="Nuovo")
    with pytest.raises(ValidationError, match="frozen"):
        item(version, manager)
    with pytest.raises(ValidationError, match="frozen"):
        services.item_split(
            item=frozen_item,
            actor=manager,
            parts=[{"title": "A", "objective": "a"}, {"title": "B", "objective": "b"}],
        )
    with pytest.raises(ValidationError, match="frozen"):
        services.kpi_update(kpi=measure, actor=manager, target=99)
    frozen_item.refresh_from_db()
    assert (frozen_item.title, frozen_item.revision) == ("Imballaggi compostabili", 1)


def test_progress_is_still_recorded_on_a_published_version(agrifood, manager):
    version = draft(agrifood, manager)
    delivered = item(version, manager)
    measure = kpi(delivered, manager, baseline=0, target=10)
    milestone = services.milestone_create(item=delivered, actor=manager, title="Avvio")
    publish(version, manager)

    services.kpi_update(kpi=measure, actor=manager, current=5)
    services.milestone_update(milestone=milestone, actor=manager, done_on=date(2026, 5, 1))

    assert item_progress(delivered) == 75  # mean of 50% (KPI) and 100% (milestones)


def test_progress_is_the_mean_of_milestones_and_capped_kpis(agrifood, manager):
    version = draft(agrifood, manager)
    tracked = item(version, manager)
    assert item_progress(tracked) is None
    kpi(tracked, manager, baseline=10, target=20, current=40)  # beyond target: 100
    kpi(tracked, manager, baseline=10, target=20, current=5)  # below baseline: 0
    kpi(tracked, manager, baseline=0, target=20)  # not measured: left out
    assert item_progress(tracked) == 50
    services.milestone_create(item=tracked, actor=manager, title="Uno")
    services.milestone_create(item=tracked, actor=manager, title="Due", done_on=date(2026, 1, 1))
    services.milestone_create(item=tracked, actor=manager, title="Tre", done_on=date(2026, 1, 1))
    services.milestone_create(item=tracked, actor=manager, title="Quattro")

    assert item_progress(tracked) == 50  # (50 + 50) / 2


def test_earlier_published_versions_stay_published(agrifood, manager):
    v1 = draft(agrifood, manager)
    item(v1, manager)
    publish(v1, manager)
    v2 = draft(agrifood, manager, based_on=v1)
    publish(v2, manager)

    v1.refresh_from_db()
    assert v1.phase == Phase.PUBLISHED
    assert current_published_version(agrifood) == v2


def test_who_sees_which_version(agrifood, manager, member, other_org, officer):
    from tests.factories import OrganizationRoleFactory

    published = draft(agrifood, manager, title="Published")
    item(published, manager)
    publish(published, manager)
    in_consultation = draft(agrifood, manager, title="Consulted", based_on=published)
    now = timezone.now()
    services.version_open_consultation(
        version=in_consultation, actor=manager, opens_at=now, closes_at=now + timedelta(days=3)
    )
    outsider = OrganizationRoleFactory(organization=other_org).person

    def titles(user):
        return sorted(v.title for v in versions_visible_to(user, agrifood))

    from django.contrib.auth.models import AnonymousUser

    assert titles(AnonymousUser()) == ["Published"]
    assert titles(outsider) == ["Published"]
    assert titles(member) == ["Consulted", "Published"]
    assert titles(manager) == ["Consulted", "Published"]
    assert titles(officer) == ["Consulted", "Published"]
    assert can_take_part(member, in_consultation) == member.organization_roles.get().organization
    assert can_take_part(outsider, in_consultation) is None
    assert can_take_part(manager, in_consultation) is None


def test_a_draft_is_seen_only_by_managers_and_officers(agrifood, manager, member, officer):
    draft(agrifood, manager)

    assert versions_visible_to(member, agrifood).count() == 0
    assert versions_visible_to(manager, agrifood).count() == 1
    assert versions_visible_to(officer, agrifood).count() == 1


def test_a_contribution_knows_the_items_that_took_it_up(agrifood, manager, member):
    from django.contrib.auth.models import AnonymousUser

    need = contribution(agrifood, "Packaging", "Vaschette compostabili.")
    v1 = draft(agrifood, manager)
    answer = item(v1, manager, contributions=[need])

    assert items_answering(need) == [answer]
    assert items_answering(need, viewer=AnonymousUser()) == []  # a draft is not public
    publish(v1, manager)
    v2 = draft(agrifood, manager, based_on=v1)
    carried = v2.items.get()

    assert items_answering(need, viewer=AnonymousUser()) == [answer]
    assert items_answering(need, viewer=manager) == [carried]  # the newest version only


def test_removing_an_item_keeps_it_for_the_history(agrifood, manager):
    version = draft(agrifood, manager)
    removed = services.item_remove(item=item(version, manager), actor=manager, reason="Doppione")

    assert removed.status == ItemStatus.REMOVED
    assert removed.events.filter(kind="removed", note="Doppione").exists()
