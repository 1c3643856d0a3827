"""Anonymous visitors get the directory and profiles from copies (clusterhub/core/pagecache.py):
never a stale one after a committed write, whatever wrote it, never one meant for someone else,
and always with their own CSRF token.

The tests commit (transaction=True): on PostgreSQL the generation changes at COMMIT."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse

from clusterhub.core.pagecache import CSRF_SENTINEL, install_triggers, watched_tables
from clusterhub.regions.models import Cluster, Competence
from clusterhub.registry.models import Membership, Organization
from clusterhub.registry.services import organization_update
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    load_region_preset,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("region_preset_after_flush"),
]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MASKED_TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")  # the form's and htmx's copies


@pytest.fixture
def agrifood_lab():
    if not Cluster.objects.exists():  # the previous test flushed it
        load_region_preset()
    cluster = Cluster.objects.get(slug="agrifood")
    return MembershipFactory(
        cluster=cluster,
        organization=OrganizationFactory(name="Laboratorio Sementi", description="Semi antichi."),
    ).organization


def profile(organization):
    return reverse("registry:organization_detail", args=[organization.pk])


def test_a_second_visit_is_served_from_the_copy_with_one_query(
    client, agrifood_lab, django_assert_max_num_queries
):
    first = client.get(profile(agrifood_lab))
    with django_assert_max_num_queries(1):  # the generation
        second = client.get(profile(agrifood_lab))
    assert second.status_code == 200
    assert MASKED_TOKEN.sub("", second.content.decode()) == MASKED_TOKEN.sub(
        "", first.content.decode()
    )


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(
            lambda org: organization_update(organization=org, description="Semi nuovi."),
            id="service",
        ),
        pytest.param(
            lambda org: Organization.objects.filter(pk=org.pk).update(description="Semi nuovi."),
            id="queryset-update",
        ),
        pytest.param(
            lambda org: connection.cursor().execute(
                "UPDATE registry_organization SET description = %s WHERE id = %s",
                ["Semi nuovi.", org.pk],
            ),
            id="raw-sql",
        ),
    ],
)
def test_a_committed_edit_shows_on_the_next_visit_whatever_wrote_it(client, agrifood_lab, write):
    assert "Semi antichi." in client.get(profile(agrifood_lab)).content.decode()

    write(agrifood_lab)

    page = client.get(profile(agrifood_lab)).content.decode()
    assert "Semi nuovi." in page
    assert "Semi antichi." not in page


def test_membership_and_taxonomy_changes_reach_the_directory(client, agrifood_lab):
    agrifood_members = reverse("registry:directory") + "?cluster=agrifood"
    assert "Laboratorio Sementi" in client.get(agrifood_members).content.decode()
    competence = Competence.objects.filter(parent__isnull=False).first()

    Membership.objects.filter(organization=agrifood_lab).delete()
    agrifood_lab.competences.add(competence)
    Competence.objects.filter(pk=competence.pk).update(name_en="Seed banking")

    assert "Laboratorio Sementi" not in client.get(agrifood_members).content.decode()
    assert "Seed banking" in client.get(profile(agrifood_lab)).content.decode()


def test_each_visitor_gets_a_working_token_of_their_own(agrifood_lab):
    client, other = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = [c.get(profile(agrifood_lab)).content.decode() for c in (client, other)]

    tokens = [TOKEN.search(page).group(1) for page in pages]
    assert tokens[0] != tokens[1]
    assert all(CSRF_SENTINEL not in page for page in pages)
    switched = client.post(
        reverse("set_language"),
        {"csrfmiddlewaretoken": tokens[0], "language": "it", "next": profile(agrifood_lab)},
    )
    assert switched.status_code == 302
    assert '<html lang="it"' in client.get(profile(agrifood_lab)).content.decode()


def test_each_language_has_its_own_copy(client, agrifood_lab):
    english = client.get(reverse("registry:directory"), HTTP_ACCEPT_LANGUAGE="en")
    italian = client.get(reverse("registry:directory"), HTTP_ACCEPT_LANGUAGE="it")
    assert "<h1>Directory" in english.content.decode()
    assert "<h1>Elenco" in italian.content.decode()


def test_signed_in_people_never_get_nor_leave_a_copy(client, agrifood_lab):
    admin = OrganizationRoleFactory(organization=agrifood_lab, role="admin").person
    edit_link = reverse("registry:organization_edit", args=[agrifood_lab.pk])
    client.get(profile(agrifood_lab))  # a copy exists for visitors

    client.force_login(admin)
    assert edit_link in client.get(profile(agrifood_lab)).content.decode()
    client.logout()
    assert edit_link not in client.get(profile(agrifood_lab)).content.decode()


def test_a_hidden_profile_seen_by_its_admin_is_never_served_to_visitors(client, agrifood_lab):
    admin = OrganizationRoleFactory(organization=agrifood_lab, role="admin").person
    Organization.objects.filter(pk=agrifood_lab.pk).update(is_public=False)
    client.force_login(admin)
    assert client.get(profile(agrifood_lab)).status_code == 200
    client.logout()
    assert client.get(profile(agrifood_lab)).status_code == 404


def test_a_page_with_a_pending_message_is_rendered_not_copied(client, rf, agrifood_lab):
    client.get(profile(agrifood_lab))  # a copy exists for visitors
    storage = CookieStorage(rf.get("/"))
    client.cookies[storage.cookie_name] = storage._encode([Message(messages.INFO, "Welcome")])

    assert "Welcome" in client.get(profile(agrifood_lab)).content.decode()
    assert "Welcome" not in client.get(profile(agrifood_lab)).content.decode()  # shown once


def test_no_copy_is_kept_when_the_cache_is_switched_off(client, agrifood_lab, settings):
    settings.CLUSTERHUB_PAGE_CACHE = False
    client.get(profile(agrifood_lab))
    assert not caches["pages"]._cache


def test_every_table_behind_the_cached_pages_has_its_triggers(db):
    install_triggers()  # idempotent: post_migrate runs it after every migrate
    tables = watched_tables("registry")
    assert {"registry_organization", "registry_membership", "regions_competence"} <= set(tables)
    assert "registry_organization_competences" in tables  # many-to-many tables too
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE name LIKE 'pagegen_%'")
        else:
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname LIKE 'pagegen_%'"
            )
        covered = {row[0] for row in cursor.fetchall()}
    assert covered >= set(tables)
