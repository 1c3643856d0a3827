"""The index follows the profiles: built lazily, updated by tasks, rebuilt from stored vectors."""

import logging

import pytest

from clusterhub.matchmaking.hooks import match_index_changed
from clusterhub.matchmaking.indexing import (
    current_index,
    fast_encoder,
    forget_loaded_indexes,
    index_complete,
    index_exists,
    index_rebuild,
    index_update,
    strong_encoders,
)
from clusterhub.matchmaking.models import OrganizationEmbedding
from clusterhub.matchmaking.selectors import match_organizations
from clusterhub.registry.models import Organization
from clusterhub.registry.services import organization_create, organization_update

pytestmark = pytest.mark.django_db

NEW_TEXT = "Spettrometria di massa per l'analisi dei contaminanti nel vino."


def names(found):
    return [r.organization.name for r in found.results]


def test_the_first_search_builds_the_missing_index_and_says_so(corpus, member, caplog):
    assert not index_exists()

    with caplog.at_level(logging.WARNING, logger="clusterhub.matchmaking.indexing"):
        match_organizations(viewer=member, query="robot")

    assert index_exists()
    assert "building the match index now" in caplog.text
    assert len(current_index()) == Organization.objects.count()


def test_vectors_are_stored_with_each_organization(corpus):
    index_rebuild()

    stored = OrganizationEmbedding.objects.filter(organization=corpus["robot"])
    encoders = set(stored.values_list("encoder", flat=True))
    assert encoders == set(current_index().encoder_names)
    assert all(len(bytes(e.vector)) == 4 * e.dim for e in stored)


def test_a_rebuild_reuses_the_stored_vectors_of_unchanged_profiles(corpus):
    first = index_rebuild()
    second = index_rebuild()

    assert first.encoded > 0
    assert second.encoded == 0
    assert second.reused == first.encoded


def test_an_edited_description_is_found_after_the_task_runs(
    corpus, member, immediate_tasks, django_capture_on_commit_callbacks
):
    index_rebuild()
    assert "Officina Meccanica Srl" not in names(
        match_organizations(viewer=member, query="spettrometria contaminanti vino", k=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        organization_update(organization=corpus["machines"], description=NEW_TEXT)

    found = match_organizations(viewer=member, query="spettrometria contaminanti vino", k=1)
    assert names(found) == ["Officina Meccanica Srl"]
    assert any("Spettrometria" in r.text for r in found.results[0].reasons)


def test_a_new_organization_is_indexed_by_the_task(
    member, agrifood, immediate_tasks, django_capture_on_commit_callbacks
):
    organization_create(name="Primo Laboratorio", kind="research_lab", description="Robotica")
    index_rebuild()

    with django_capture_on_commit_callbacks(execute=True):
        created = organization_create(
            name="Enoteca Analitica", kind="research_lab", description=NEW_TEXT
        )

    assert created.pk in current_index()
    assert OrganizationEmbedding.objects.filter(organization=created).exists()


def test_a_deleted_organization_leaves_the_index(corpus, immediate_tasks):
    index_rebuild()
    robot_id = corpus["robot"].pk
    assert robot_id in current_index()

    corpus["robot"].delete()
    match_index_changed([robot_id])

    assert robot_id not in current_index()


def test_without_an_index_an_update_waits_for_the_first_build(corpus, immediate_tasks):
    match_index_changed([corpus["robot"].pk])

    assert not index_exists()


def test_a_web_process_loads_the_new_index_when_the_saved_one_changes(corpus):
    index_rebuild()
    loaded = current_index()

    Organization.objects.filter(pk=corpus["robot"].pk).update(description=NEW_TEXT)
    index_rebuild()

    assert current_index() is not loaded


def test_an_unreadable_index_is_built_again(corpus, member, match_index_dir):
    index_rebuild()
    directory = match_index_dir / "organizations"
    version = (directory / "CURRENT").read_text().strip()
    (directory / version / "manifest.json").write_text("{ broken")
    forget_loaded_indexes()

    found = match_organizations(viewer=member, query="robot collaborativi per l'automazione")

    assert found.results[0].organization.name == "Centro Robotica Avanzata"


def test_a_changed_profile_gets_the_fast_vector_now_and_the_strong_one_later(corpus):
    index_rebuild()
    machines = corpus["machines"].pk
    Organization.objects.filter(pk=machines).update(description=NEW_TEXT)

    report = index_update([machines])

    assert report.encoders == (fast_encoder(),)
    assert report.incomplete == [machines]
    assert machines in current_index().missing_vectors(strong_encoders()[0])
    index_complete(report.incomplete)
    assert machines not in current_index().missing_vectors(strong_encoders()[0])


def test_the_update_task_queues_the_strong_vectors(
    corpus, immediate_tasks, django_capture_on_commit_callbacks
):
    index_rebuild()

    with django_capture_on_commit_callbacks(execute=True):
        organization_update(organization=corpus["machines"], description=NEW_TEXT)

    stored = OrganizationEmbedding.objects.filter(organization=corpus["machines"])
    assert {e.encoder for e in stored} == set(current_index().encoder_names)
    assert len({e.text_hash for e in stored}) == 1
    assert not current_index().missing_vectors(strong_encoders()[0])


def test_merging_two_indexed_organizations_leaves_no_foreign_vectors(corpus, officer):
    from clusterhub.projects.merging import organization_merge

    index_rebuild()
    kept, merged = corpus["compost"], corpus["hidden"]

    organization_merge(kept=kept, merged=merged, actor=officer, reason="duplicate")

    assert not OrganizationEmbedding.objects.filter(organization_id=merged.pk).exists()
    assert OrganizationEmbedding.objects.filter(organization=kept).count() == 2
