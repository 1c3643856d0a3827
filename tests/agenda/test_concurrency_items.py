"""Two managers save the same item from the same revision at the same moment: exactly one
save wins, the other is refused as stale (409 in the API). Real threads on PostgreSQL."""

import pytest
from django.conf import settings
from django.core.management import call_command

from clusterhub.agenda import services
from clusterhub.agenda.models import AgendaItem, ItemEvent
from clusterhub.regions.models import Cluster
from clusterhub.registry.services import StaleVersionError
from tests.events.concurrency import postgresql_only, run_at_once
from tests.factories import ClusterRoleFactory


@pytest.fixture
def preset(region_preset_after_flush, django_db_blocker):
    """The region's clusters, loaded again after the previous test of the module flushed."""
    with django_db_blocker.unblock():
        if not Cluster.objects.exists():
            call_command("load_region", settings.CLUSTERHUB_REGION_PRESET, verbosity=0)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_managers_saving_one_item_from_the_same_revision_one_wins(preset):
    cluster = Cluster.objects.get(slug="agrifood")
    managers = [ClusterRoleFactory(cluster=cluster).person for _ in range(2)]
    version = services.version_create(cluster=cluster, actor=managers[0], title="Agenda")
    target = services.item_create(
        version=version, actor=managers[0], title="Originale", objective="Obiettivo"
    )
    titles = ["Titolo di Anna", "Titolo di Bruno"]

    def save(index):
        item = AgendaItem.objects.get(pk=target.pk)  # each thread read revision 1
        services.item_update(item=item, actor=managers[index], revision=1, title=titles[index])

    errors = run_at_once(save, 2)

    assert len(errors) == 1
    assert isinstance(errors[0], StaleVersionError)
    assert errors[0].current_version == 2
    target.refresh_from_db()
    assert target.revision == 2
    assert target.title in titles
    (edit,) = ItemEvent.objects.filter(item=target, kind="edited")
    assert edit.after["title"] == target.title


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_many_parallel_api_patches_from_one_revision_give_one_200_and_409s(preset):
    import json

    from django.test import Client

    cluster = Cluster.objects.get(slug="agrifood")
    manager = ClusterRoleFactory(cluster=cluster).person
    version = services.version_create(cluster=cluster, actor=manager, title="Agenda")
    target = services.item_create(version=version, actor=manager, title="T", objective="O")
    statuses = []

    def patch(index):
        client = Client()
        client.force_login(manager)
        response = client.patch(
            f"/api/clusters/agrifood/agenda/items/{target.pk}",
            json.dumps({"revision": 1, "title": f"Versione {index}"}),
            content_type="application/json",
        )
        statuses.append(response.status_code)

    errors = run_at_once(patch, 6)

    assert errors == []
    assert sorted(statuses) == [200, 409, 409, 409, 409, 409]
    target.refresh_from_db()
    assert target.revision == 2
