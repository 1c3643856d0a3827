"""Every item of v3 traces back to v1, through carried, split and merged links."""

import pytest
from django.core.exceptions import ValidationError

from clusterhub.agenda import services
from clusterhub.agenda.models import ItemStatus, LineageKind
from clusterhub.agenda.selectors import item_lineage, item_successors
from tests.agenda.core_helpers import contribution, draft, item, kpi, publish

pytestmark = pytest.mark.django_db


def _v1_of_three(cluster, manager):
    v1 = draft(cluster, manager, title="v1")
    need = contribution(cluster, "Tracciabilità", "Tracciare il latte dalla stalla.")
    items = {
        "digital": item(v1, manager, title="Digitale", contributions=[need]),
        "green": item(v1, manager, title="Verde"),
        "skills": item(v1, manager, title="Competenze"),
    }
    kpi(items["digital"], manager, name="Aziende digitalizzate", target=30)
    kpi(items["digital"], manager, name="Sensori installati", target=100)
    publish(v1, manager)
    return v1, items, need


def test_a_split_makes_new_items_that_descend_from_the_original(agrifood, manager):
    v1 = draft(agrifood, manager)
    need = contribution(agrifood, "Tracciabilità", "Tracciare il latte.")
    original = item(v1, manager, title="Digitale", contributions=[need])
    first_kpi = kpi(original, manager, name="Aziende", target=30)
    second_kpi = kpi(original, manager, name="Sensori", target=100)

    parts = services.item_split(
        item=original,
        actor=manager,
        revision=1,
        parts=[
            {"title": "Tracciabilità", "objective": "Blockchain di filiera."},
            {"title": "Sensori", "objective": "IoT in stalla.", "kpi_ids": [second_kpi.pk]},
        ],
    )

    original.refresh_from_db()
    assert original.status == ItemStatus.SPLIT
    assert [p.title for p in parts] == ["Tracciabilità", "Sensori"]
    assert [k.name for k in parts[0].kpis.all()] == ["Aziende"]  # unclaimed: first part
    assert [k.name for k in parts[1].kpis.all()] == ["Sensori"]
    assert all(list(p.contributions.all()) == [need] for p in parts)
    assert {link.kind for link in item_successors(original)} == {LineageKind.SPLIT}
    assert original.events.filter(kind="split").get().after["into"] == [p.pk for p in parts]
    assert first_kpi.item_id == original.pk  # the original keeps its own


def test_a_merge_makes_one_item_with_every_link_and_measure(agrifood, manager):
    v1 = draft(agrifood, manager)
    need = contribution(agrifood, "Acqua", "Riuso delle acque.")
    green = item(v1, manager, title="Verde", contributions=[need])
    kpi(green, manager, name="CO2", target=10)
    water = item(v1, manager, title="Acqua")
    kpi(water, manager, name="Litri", target=1000)

    merged = services.items_merge(
        items=[green, water], actor=manager, title="Sostenibilità", objective="Verde e acqua."
    )

    assert list(merged.contributions.all()) == [need]
    assert sorted(k.name for k in merged.kpis.all()) == ["CO2", "Litri"]
    for original in (green, water):
        original.refresh_from_db()
        assert original.status == ItemStatus.MERGED
    assert {a.item for a in item_lineage(merged)} == {green, water}


def test_items_of_v3_trace_back_to_v1_through_split_and_merge(agrifood, manager):
    v1, items, _need = _v1_of_three(agrifood, manager)
    v2 = draft(agrifood, manager, title="v2", based_on=v1)
    carried = {i.title: i for i in v2.items.all()}
    parts = services.item_split(
        item=carried["Digitale"],
        actor=manager,
        parts=[
            {"title": "Tracciabilità", "objective": "Filiera."},
            {"title": "Sensori", "objective": "Stalla."},
        ],
    )
    merged = services.items_merge(
        items=[carried["Verde"], carried["Competenze"]],
        actor=manager,
        title="Transizione verde e competenze",
        objective="Insieme.",
    )
    publish(v2, manager)
    v3 = draft(agrifood, manager, title="v3", based_on=v2)

    v3_items = {i.title: i for i in v3.items.all()}
    assert sorted(v3_items) == ["Sensori", "Tracciabilità", "Transizione verde e competenze"]

    def ancestors_in_v1(v3_item):
        return {a.item for a in item_lineage(v3_item) if a.item.version_id == v1.pk}

    assert ancestors_in_v1(v3_items["Sensori"]) == {items["digital"]}
    assert ancestors_in_v1(v3_items["Tracciabilità"]) == {items["digital"]}
    assert ancestors_in_v1(v3_items["Transizione verde e competenze"]) == {
        items["green"],
        items["skills"],
    }
    path = item_lineage(v3_items["Sensori"])
    assert [(a.kind, a.item.version.number, a.depth) for a in path] == [
        (LineageKind.CARRIED, 2, 1),
        (LineageKind.SPLIT, 2, 2),
        (LineageKind.CARRIED, 1, 3),
    ]
    assert path[0].item == parts[1]
    merge_path = item_lineage(v3_items["Transizione verde e competenze"])
    assert merge_path[0].item == merged
    assert {a.kind for a in merge_path} == {LineageKind.CARRIED, LineageKind.MERGED}
    # v3 carries only active items: the split and merged ones stay behind in v2.
    assert v3.items.count() == 3


def test_a_split_needs_two_parts_each_with_a_title_and_objective(agrifood, manager):
    v1 = draft(agrifood, manager)
    original = item(v1, manager)

    with pytest.raises(ValidationError):
        services.item_split(
            item=original, actor=manager, parts=[{"title": "Solo", "objective": "uno"}]
        )
    with pytest.raises(ValidationError) as blank:
        services.item_split(
            item=original,
            actor=manager,
            parts=[{"title": "A", "objective": "a"}, {"title": " ", "objective": "b"}],
        )
    assert "parts.1.title" in blank.value.message_dict
    original.refresh_from_db()
    assert original.status == ItemStatus.ACTIVE
    assert v1.items.count() == 1


def test_merging_needs_two_active_items_of_one_version(agrifood, manager):
    v1 = draft(agrifood, manager)
    one = item(v1, manager, title="Uno")
    two = item(v1, manager, title="Due")
    services.item_remove(item=two, actor=manager)

    with pytest.raises(ValidationError):
        services.items_merge(items=[one], actor=manager, title="T", objective="O")
    with pytest.raises(ValidationError, match="removed"):
        services.items_merge(items=[one, two], actor=manager, title="T", objective="O")
    one.refresh_from_db()
    assert one.status == ItemStatus.ACTIVE
