from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from clusterhub.opportunities.models import Opportunity

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_the_feed_lists_open_calls_and_the_archive_the_closed_ones(client, make_opportunity):
    make_opportunity(title="Open call", deadline=TODAY + timedelta(days=3))
    make_opportunity(title="Closed call", deadline=TODAY - timedelta(days=3))

    feed = client.get(reverse("opportunities:list")).content.decode()
    archive = client.get(reverse("opportunities:list"), {"status": "archived"}).content.decode()

    assert "Open call" in feed and "Closed call" not in feed
    assert "3 days left" in feed
    assert "Closed call" in archive and "Open call" not in archive


def test_a_call_moves_to_the_archive_by_itself_when_its_deadline_passes(
    client, make_opportunity, monkeypatch
):
    make_opportunity(title="Last day", deadline=TODAY)
    assert "Last day" in client.get(reverse("opportunities:list")).content.decode()

    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "Last day" not in client.get(reverse("opportunities:list")).content.decode()
    archive = client.get(reverse("opportunities:list"), {"status": "archived"}).content.decode()
    assert "Last day" in archive


def test_htmx_filters_get_only_the_results(client, make_opportunity, agrifood, mech):
    make_opportunity(title="Food call", clusters=[agrifood])
    make_opportunity(title="Machine call", clusters=[mech])

    response = client.get(
        reverse("opportunities:list"), {"cluster": "mech"}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert "<html" not in body
    assert "Machine call" in body and "Food call" not in body


def test_hostile_text_is_shown_escaped(client, make_opportunity):
    opportunity = make_opportunity(
        title="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>"
    )

    body = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()

    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
    assert "<img src=x" not in body


def test_a_member_sees_the_open_calls_ranked_for_their_organization(
    client, member, member_org, make_opportunity, agrifood
):
    make_opportunity(title="For agrifood", clusters=[agrifood])
    make_opportunity(title="Closed", deadline=TODAY - timedelta(days=1))
    client.force_login(member)

    response = client.get(reverse("opportunities:for_me"))

    body = response.content.decode()
    assert member_org.name in body
    assert "For agrifood" in body and "Closed" not in body
    assert "Why this" in body
    assert "For your cluster" in body


def test_someone_without_an_organization_is_told_why_nothing_is_ranked(client, officer):
    client.force_login(officer)

    body = client.get(reverse("opportunities:for_me")).content.decode()

    assert "You do not belong to an organization yet." in body


def test_a_manager_publishes_a_call_from_the_form(client, manager, agrifood):
    client.force_login(manager)
    response = client.post(
        reverse("opportunities:new"),
        {
            "kind": "financing",
            "title": "Bando filiere",
            "programme": "PR FESR",
            "deadline": (TODAY + timedelta(days=20)).isoformat(),
            "url": "https://fesr.regione.emilia-romagna.it/",
            "clusters": [agrifood.pk],
        },
    )

    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("opportunities:detail", args=[opportunity.pk])
    assert list(opportunity.clusters.all()) == [agrifood]


def test_the_form_names_what_is_wrong(client, manager):
    client.force_login(manager)

    response = client.post(reverse("opportunities:new"), {"kind": "financing", "title": ""})

    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"title", "programme", "deadline", "clusters"}
    assert not Opportunity.objects.exists()


def test_the_import_page_checks_then_imports(client, manager, agrifood):
    client.force_login(manager)
    text = "title;programme;kind;deadline\nBando;EIC;financing;2099-01-31\n"

    checked = client.post(
        reverse("opportunities:import"),
        {"cluster": agrifood.pk, "file": SimpleUploadedFile("calls.csv", text.encode())},
    )
    assert checked.status_code == 200
    assert "nothing is stored yet" in checked.content.decode()
    assert not Opportunity.objects.exists()

    imported = client.post(
        reverse("opportunities:import"),
        {"cluster": agrifood.pk, "content": checked.context["content"], "commit": "1"},
    )
    assert imported.status_code == 302
    assert Opportunity.objects.get().title == "Bando"


def test_the_import_page_lists_the_problems(client, manager, agrifood):
    client.force_login(manager)
    text = "title;programme;kind;deadline\nBando;EIC;financing;domani\n"

    response = client.post(
        reverse("opportunities:import"),
        {"cluster": agrifood.pk, "file": SimpleUploadedFile("calls.csv", text.encode())},
        follow=True,
    )

    body = response.content.decode()
    assert "Problems found: nothing is stored" in body
    assert "is not a date" in body
    assert not Opportunity.objects.exists()


def test_a_manager_publishes_a_members_financing_post_from_the_feed(
    client, manager, member, member_org, agrifood
):
    from clusterhub.contributions.models import Contribution

    post = Contribution.objects.create(
        kind="financing",
        title="Voucher per la digitalizzazione",
        text="Un bando camerale per le PMI.",
        status="approved",
        author=member,
        organization=member_org,
    )
    post.clusters.set([agrifood])
    client.force_login(manager)

    feed = client.get(reverse("opportunities:list")).content.decode()
    assert reverse("opportunities:from_contribution", args=[post.pk]) in feed

    response = client.post(
        reverse("opportunities:from_contribution", args=[post.pk]),
        {"programme": "Camera di commercio", "deadline": (TODAY + timedelta(days=15)).isoformat()},
    )

    opportunity = Opportunity.objects.get()
    assert response.url == reverse("opportunities:detail", args=[opportunity.pk])
    assert opportunity.contribution == post and opportunity.title == post.title
    # Published once: the post leaves the list of those to publish.
    assert client.get(reverse("opportunities:from_contribution", args=[post.pk])).status_code == 404
    assert (
        "Voucher per la digitalizzazione"
        in client.get(reverse("opportunities:list")).content.decode()
    )
