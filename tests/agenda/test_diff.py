"""Comparing two versions of an agenda: items matched by lineage, word-level changes."""

import pytest

from clusterhub.agenda.diff import EntryKind, diff_as_data, version_diff, word_diff
from tests.agenda.publication_helpers import two_published_versions

pytestmark = pytest.mark.django_db


def _ops(segments):
    return [(segment.op, segment.text) for segment in segments]


def test_word_diff_marks_only_the_words_that_changed():
    segments = word_diff(
        "Ridurre la plastica negli imballaggi.", "Ridurre la plastica monouso negli imballaggi."
    )

    assert _ops(segments) == [
        ("equal", "Ridurre la plastica "),
        ("insert", "monouso "),
        ("equal", "negli imballaggi."),
    ]


def test_word_diff_shows_a_replaced_word_as_deleted_then_inserted():
    assert _ops(word_diff("tre fiere", "due fiere")) == [
        ("delete", "tre"),
        ("insert", "due"),
        ("equal", " fiere"),
    ]


def test_word_diff_of_identical_texts_is_one_equal_run():
    assert _ops(word_diff("Qualità dell'acqua", "Qualità dell'acqua")) == [
        ("equal", "Qualità dell'acqua")
    ]


@pytest.fixture
def versions(agrifood, manager):
    return two_published_versions(agrifood, manager)


def _entry(diff, kind, title):
    for entry in diff.entries:
        if entry.kind == kind and title in [i.title for i in entry.new + entry.old]:
            return entry
    raise AssertionError(
        f"no {kind} entry for {title}: {[(e.kind, e.title) for e in diff.entries]}"
    )


def test_items_are_matched_by_lineage_into_added_removed_changed_split_and_merged(versions):
    diff = version_diff(versions.v1, versions.v2)

    assert diff.counts == {
        "added": 1,
        "removed": 1,
        "carried": 2,
        "split": 1,
        "merged": 1,
        "changed": 1,
        "unchanged": 1,
    }
    assert _entry(diff, EntryKind.ADDED, "Qualità dell'acqua").old == []
    assert _entry(diff, EntryKind.REMOVED, "Fiere di settore").new == []
    split = _entry(diff, EntryKind.SPLIT, "Formazione digitale")
    assert [i.title for i in split.new] == ["Formazione per le PMI", "Formazione per gli ITS"]
    merged = _entry(diff, EntryKind.MERGED, "Filiera corta e mercati")
    assert sorted(i.title for i in merged.old) == ["Filiera corta", "Mercati contadini"]
    assert not _entry(diff, EntryKind.CARRIED, "Export verso nuovi mercati").changed


def test_a_changed_item_shows_the_inserted_words_of_its_objective(versions):
    diff = version_diff(versions.v1, versions.v2)
    entry = _entry(diff, EntryKind.CARRIED, "Imballaggi compostabili")

    (change,) = entry.pairs[0].changes
    assert change.key == "objective"
    assert [s.text.strip() for s in change.segments if s.op == "insert"] == ["monouso"]
    assert [s for s in change.segments if s.op == "delete"] == []


def test_the_order_of_the_two_versions_does_not_matter(versions):
    forward = diff_as_data(version_diff(versions.v1, versions.v2))
    backward = diff_as_data(version_diff(versions.v2, versions.v1))

    assert forward == backward
    assert forward["from_version"] == 1 and forward["to_version"] == 2


def test_a_version_compared_with_itself_has_no_changes(versions):
    diff = version_diff(versions.v2, versions.v2)

    assert not diff.has_changes
    assert {entry.kind for entry in diff.entries} == {EntryKind.CARRIED}


def test_versions_of_two_clusters_cannot_be_compared(versions, mech, officer):
    from tests.agenda.core_helpers import draft

    other = draft(mech, officer, title="Agenda mech")

    with pytest.raises(ValueError):
        version_diff(versions.v1, other)


def test_kpi_target_changes_are_compared_too(versions, manager):
    from clusterhub.agenda import services
    from tests.agenda.core_helpers import draft, publish

    v3 = draft(versions.v1.cluster, manager, title="Agenda 2027", based_on=versions.v2)
    packaging = v3.items.get(title="Imballaggi compostabili", status="active")
    services.kpi_update(kpi=packaging.kpis.get(), actor=manager, target=25)
    publish(v3, manager)

    entry = _entry(version_diff(versions.v2, v3), EntryKind.CARRIED, "Imballaggi compostabili")

    (change,) = entry.pairs[0].changes
    assert change.key == "kpis"
    assert [(s.op, s.text) for s in change.segments if s.op != "equal"] == [
        ("delete", "10"),
        ("insert", "25"),
    ]
