import pytest
from django.contrib import admin
from django.urls import reverse

from clusterhub.people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

APPS = {
    "regions",
    "registry",
    "people",
    "projects",
    "matchmaking",
    "contributions",
    "trends",
    "events",
    "opportunities",
    "engagement",
    "digest",
    "assessment",
    "agenda",
    "audit",
    "privacy",
}


@pytest.fixture
def superuser_client(client, member, other_org):
    client.force_login(PersonFactory(is_staff=True, is_superuser=True))
    return client


def test_every_model_of_the_platform_is_in_the_back_office():
    from django.apps import apps

    models = {m for label in APPS for m in apps.get_app_config(label).get_models()}
    assert models - set(admin.site._registry) == set()


@pytest.mark.parametrize(
    "model", [m for m in admin.site._registry if m._meta.app_label in APPS], ids=str
)
def test_each_back_office_list_opens_and_searches(superuser_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    assert superuser_client.get(url).status_code == 200
    assert superuser_client.get(url, {"q": "example"}).status_code == 200


def test_a_back_office_user_creates_a_person_by_email(superuser_client):
    response = superuser_client.post(
        reverse("admin:people_person_add"),
        {
            "email": "New@Example.org",
            "usable_password": "true",
            "password1": "a-long-unusual-passphrase-42",
            "password2": "a-long-unusual-passphrase-42",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    person = Person.objects.get(email="new@example.org")
    assert person.check_password("a-long-unusual-passphrase-42")


def test_a_person_page_opens_in_the_back_office(superuser_client, member):
    url = reverse("admin:people_person_change", args=[member.pk])
    assert superuser_client.get(url).status_code == 200


def test_the_back_office_refuses_people_without_staff_access(client, officer):
    client.force_login(officer)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert "/backoffice/login/" in response["Location"]


def test_a_back_office_edit_keeps_search_and_province_current(superuser_client, other_org):
    url = reverse("admin:registry_organization_change", args=[other_org.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("competences", "s3_themes")
    }
    data |= {"name": "Officina Robotica Srl", "postcode": "48121", "city": "Ravenna"}
    data |= {
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }

    response = superuser_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    other_org.refresh_from_db()
    assert other_org.nuts3 == "ITH57"
    assert other_org.normalized_name == "officina robotica"
    assert "robotica" in other_org.search_text
    assert other_org.version == 2
