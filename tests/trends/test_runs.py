"""Running a detection: the documents it reads, what it stores, one run at a time, failures."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from clusterhub.contributions.models import Endorsement
from clusterhub.trends.documents import scope_documents, scope_snapshot
from clusterhub.trends.models import RunStatus, TopicDocument, TrendRun
from clusterhub.trends.services import (
    STALE_AFTER,
    clean_params,
    trend_run_create,
    trend_run_execute,
)
from tests.trends.builders import contribution

pytestmark = pytest.mark.django_db


def _run(cluster, **params):
    run = trend_run_create(actor=None, cluster=cluster, period="quarter", params=params)
    return trend_run_execute(run_id=run.pk)


def test_a_cluster_reads_its_projects_and_approved_contributions_only(
    mech, agrifood, mech_voices, member_org
):
    contribution(mech_voices["members"][0], mech, "Still waiting", status="pending")
    contribution(member_org, agrifood, "Agrifood need")

    documents = scope_documents(mech).documents

    keys = {d.key for d in documents}
    assert {f"contribution:{c.pk}" for c in mech_voices["needs"]} <= keys
    assert {f"project:{p.pk}" for p in mech_voices["projects"]} <= keys
    assert {f"contribution:{c.pk}" for c in mech_voices["earlier"]} <= keys
    assert len(keys) == 12 + 8 + 10


def test_merged_duplicates_and_endorsements_count_for_the_contribution_they_joined(
    mech, mech_voices, other_org
):
    target = mech_voices["needs"][0]
    Endorsement.objects.create(contribution=target, organization=other_org)

    document = next(
        d for d in scope_documents(mech).documents if d.key == f"contribution:{target.pk}"
    )

    assert document.weight == 3.0
    raised = {f"organization:{o.pk}" for o in mech_voices["members"][0:1]}
    merged = {f"organization:{d.organization_id}" for d in mech_voices["duplicates"]}
    assert set(document.members) == raised | merged | {f"organization:{other_org.pk}"}


def test_the_snapshot_changes_when_a_contribution_is_approved(mech, mech_voices):
    before = scope_snapshot(mech)
    contribution(mech_voices["members"][3], mech, "Nuovo bisogno")
    after = scope_snapshot(mech)

    assert before["contributions"] == 20
    assert after["contributions"] == 21
    assert before["hash"] != after["hash"]


def test_twelve_members_needs_emerge_as_topics_with_their_evidence_and_members(mech, mech_voices):
    run = _run(mech)

    assert run.status == RunStatus.DONE, run.error
    assert run.snapshot["contributions"] == 20
    assert run.snapshot_hash == scope_snapshot(mech)["hash"]
    assert run.params["min_topic_size"] == 4
    need_ids = {c.pk for c in mech_voices["needs"]}
    holding = {
        topic: need_ids & set(topic.documents.values_list("contribution_id", flat=True))
        for topic in run.topics.all()
    }
    emerging = {topic: needs for topic, needs in holding.items() if topic.status == "emerging"}
    # Predictive maintenance and digital twins: the needs are evidence of topics, and the
    # largest of them is emerging (the older projects on the subject do not hide it).
    assert len(set().union(*holding.values())) >= 10, [(t.label, t.status) for t in holding]
    topic, needs = max(emerging.items(), key=lambda item: len(item[1]))
    assert len(needs) >= 6
    assert topic.member_count >= len(needs)
    assert {str(c.organization_id) for c in mech_voices["needs"] if c.pk in needs} <= set(
        topic.member_counts
    )
    # The merged duplicates are listed with the need they joined, by their own members.
    first = mech_voices["needs"][0]
    with_first = TopicDocument.objects.get(contribution=first).topic
    merged = with_first.documents.filter(merged=True)
    assert {d.contribution_id for d in merged} == {d.pk for d in mech_voices["duplicates"]}
    assert {d.organization_id for d in merged} == {
        d.organization_id for d in mech_voices["duplicates"]
    }


def test_a_second_run_of_the_same_scope_waits_for_the_first(mech):
    trend_run_create(actor=None, cluster=mech)

    with pytest.raises(ValidationError, match="already running"):
        trend_run_create(actor=None, cluster=mech)
    # Another scope is free.
    assert trend_run_create(actor=None, cluster=None).status == RunStatus.QUEUED


def test_a_run_that_stopped_moving_no_longer_blocks_its_scope(mech):
    stuck = trend_run_create(actor=None, cluster=mech)
    TrendRun.objects.filter(pk=stuck.pk).update(
        updated_at=timezone.now() - STALE_AFTER - datetime.timedelta(minutes=1)
    )

    fresh = trend_run_create(actor=None, cluster=mech)

    stuck.refresh_from_db()
    assert stuck.status == RunStatus.FAILED
    assert fresh.status == RunStatus.QUEUED


def test_bad_parameters_are_refused_by_name_and_nothing_is_stored(mech):
    with pytest.raises(ValidationError) as caught:
        clean_params(cluster=mech, period="quarter", params={"min_topic_size": 0})
    assert "min_topic_size" in str(caught.value)
    with pytest.raises(ValidationError, match="unknown"):
        trend_run_create(actor=None, cluster=mech, params={"clusters": 3})
    with pytest.raises(ValidationError):
        trend_run_create(actor=None, cluster=mech, period="decade")
    assert not TrendRun.objects.exists()


def test_a_failing_run_is_recorded_as_failed_with_its_error(mech, mech_voices):
    run = TrendRun.objects.create(cluster=mech, params={"min_topic_size": "many"})

    run = trend_run_execute(run_id=run.pk)

    assert run.status == RunStatus.FAILED
    assert "min_topic_size" in run.error
    assert not run.topics.exists()


def test_a_scope_without_documents_ends_with_no_topics(agrifood):
    run = _run(agrifood)

    assert run.status == RunStatus.DONE
    assert run.document_count == 0
    assert not run.topics.exists()


def test_the_command_runs_a_detection_and_reports_it(mech, mech_voices, capsys):
    call_command("detect_trends", "--cluster", "mech", "--no-progress")

    out = capsys.readouterr().out
    run = TrendRun.objects.get()
    assert run.status == RunStatus.DONE and run.created_by is None
    assert f"Trend run #{run.pk}" in out and "emerging:" in out


def test_the_command_names_an_unknown_cluster(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown cluster 'nowhere'"):
        call_command("detect_trends", "--cluster", "nowhere")
