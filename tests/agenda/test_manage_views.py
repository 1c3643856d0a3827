"""The manager pages: draft a version, add and edit items (a stale save is a conflict, shown
with both texts), split, merge, KPIs by htmx, the phases; the item page shows the lineage and
the needs behind it, and a contribution shows the item that took it up."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clusterhub.agenda import services
from clusterhub.agenda.models import AgendaVersion, ItemStatus, Phase
from tests.agenda.core_helpers import contribution, draft, item, kpi, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


def test_the_agenda_page_lists_versions_and_drafts_the_next_one_from_the_latest(
    as_manager, agrifood, manager
):
    v1 = draft(agrifood, manager, title="Agenda 2025")
    item(v1, manager, title="Filiera digitale")
    publish(v1, manager)

    page = as_manager.get(reverse("agenda:manage", kwargs={"slug": "agrifood"}))
    assert "Agenda 2025" in page.content.decode()
    assert page.context["form"]["based_on"].value() == v1.pk

    response = as_manager.post(
        reverse("agenda:version_create", kwargs={"slug": "agrifood"}),
        {"title": "Agenda 2026", "based_on": v1.pk},
    )

    v2 = AgendaVersion.objects.get(cluster=agrifood, number=2)
    assert response.url == reverse("agenda:version", kwargs={"slug": "agrifood", "number": 2})
    assert [i.title for i in v2.items.all()] == ["Filiera digitale"]


def test_a_second_draft_is_refused_with_the_reason(as_manager, agrifood, manager):
    draft(agrifood, manager)

    response = as_manager.post(
        reverse("agenda:version_create", kwargs={"slug": "agrifood"}), {"title": "Altro"}
    )

    assert response.status_code == 422
    assert "still being prepared" in response.content.decode()
    assert AgendaVersion.objects.filter(cluster=agrifood).count() == 1


def test_adding_an_item_with_a_blank_objective_names_the_field(as_manager, agrifood, manager):
    version = draft(agrifood, manager)
    url = reverse("agenda:item_create", kwargs={"slug": "agrifood", "number": 1})

    refused = as_manager.post(url, {"title": "Tema", "objective": " "})
    added = as_manager.post(url, {"title": "Tema <script>", "objective": "Obiettivo"})

    assert refused.status_code == 422
    assert refused.context["form"].errors["objective"]
    created = version.items.get()
    assert added.url == reverse("agenda:item", kwargs={"slug": "agrifood", "pk": created.pk})
    page = as_manager.get(added.url).content.decode()
    assert "Tema &lt;script&gt;" in page


def test_a_stale_save_shows_the_conflict_keeps_the_input_and_overwrites_nothing(
    as_manager, agrifood, manager
):
    version = draft(agrifood, manager)
    edited = item(version, manager, title="Titolo iniziale")
    url = reverse("agenda:item_edit", kwargs={"slug": "agrifood", "pk": edited.pk})
    form = as_manager.get(url).context["form"]
    assert form["revision"].value() == 1
    # Another manager saves first.
    services.item_update(item=edited, actor=manager, revision=1, title="Titolo del collega")

    response = as_manager.post(
        url, {"title": "Il mio titolo", "objective": "Il mio obiettivo", "revision": 1}
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "Not saved: edit conflict." in html
    assert "Titolo del collega" in html  # the current text is shown
    assert response.context["form"]["title"].value() == "Il mio titolo"  # the input is kept
    edited.refresh_from_db()
    assert (edited.title, edited.revision) == ("Titolo del collega", 2)
    # Saving again, knowingly, applies it.
    again = as_manager.post(
        url,
        {"title": "Il mio titolo", "objective": "Il mio obiettivo", "revision": "2"},
    )
    assert again.status_code == 302
    edited.refresh_from_db()
    assert edited.title == "Il mio titolo"


def test_splitting_from_the_form_makes_two_items(as_manager, agrifood, manager):
    version = draft(agrifood, manager)
    original = item(version, manager, title="Digitale")
    url = reverse("agenda:item_split", kwargs={"slug": "agrifood", "pk": original.pk})
    assert as_manager.get(url).status_code == 200

    response = as_manager.post(
        url,
        {
            "revision": 1,
            "form-TOTAL_FORMS": 2,
            "form-INITIAL_FORMS": 0,
            "form-0-title": "Tracciabilità",
            "form-0-objective": "Filiera.",
            "form-1-title": "Sensori",
            "form-1-objective": "Stalla.",
        },
    )

    assert response.status_code == 302
    original.refresh_from_db()
    assert original.status == ItemStatus.SPLIT
    assert sorted(version.items.filter(status="active").values_list("title", flat=True)) == [
        "Sensori",
        "Tracciabilità",
    ]


def test_merging_from_the_form_needs_two_items(as_manager, agrifood, manager):
    version = draft(agrifood, manager)
    one, two = item(version, manager, title="Uno"), item(version, manager, title="Due")
    url = reverse("agenda:items_merge", kwargs={"slug": "agrifood", "number": 1})

    refused = as_manager.post(url, {"items": [one.pk], "title": "T", "objective": "O"})
    merged = as_manager.post(
        url, {"items": [one.pk, two.pk], "title": "Uno e due", "objective": "O"}
    )

    assert refused.status_code == 422
    assert merged.status_code == 302
    assert version.items.get(status="active").title == "Uno e due"


def test_kpis_are_added_by_htmx_and_the_block_is_swapped(as_manager, agrifood, manager):
    version = draft(agrifood, manager)
    target = item(version, manager)
    url = reverse("agenda:kpi_add", kwargs={"slug": "agrifood", "pk": target.pk})

    response = as_manager.post(
        url,
        {"name": "Aziende coinvolte", "unit": "n", "baseline": "0", "target": "20"},
        HTTP_HX_REQUEST="true",
    )
    bad = as_manager.post(url, {"name": "Senza obiettivo"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.templates[0].name == "agenda/_manage_measures.html"
    assert "Aziende coinvolte" in response.content.decode()
    assert "Senza obiettivo" not in [k.name for k in target.kpis.all()]
    assert "message-error" in bad.content.decode()
    kpi_id = target.kpis.get().pk
    recorded = as_manager.post(
        reverse("agenda:kpi_edit", kwargs={"slug": "agrifood", "pk": target.pk, "kpi_id": kpi_id}),
        {"current": "5"},
        HTTP_HX_REQUEST="true",
    )
    assert "25%" in recorded.content.decode()


def test_the_phase_steps_ask_for_confirmation_then_act(as_manager, agrifood, manager):
    version = draft(agrifood, manager)
    item(version, manager)
    url = reverse("agenda:version_phase", kwargs={"slug": "agrifood", "number": 1, "step": "open"})
    assert as_manager.get(url).status_code == 200
    assert AgendaVersion.objects.get(pk=version.pk).phase == Phase.DRAFT
    now = timezone.localtime()

    response = as_manager.post(
        url,
        {
            "consultation_opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "consultation_closes_at": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            "voting_method": "points",
            "points_budget": "15",
        },
    )

    assert response.status_code == 302
    version.refresh_from_db()
    assert (version.phase, version.voting_method, version.points_budget) == (
        Phase.CONSULTATION,
        "points",
        15,
    )
    refused = as_manager.post(
        reverse("agenda:version_phase", kwargs={"slug": "agrifood", "number": 1, "step": "publish"})
    )
    assert refused.status_code == 302
    version.refresh_from_db()
    assert version.phase == Phase.CONSULTATION


def test_a_frozen_version_offers_no_edit_and_refuses_one(as_manager, agrifood, manager):
    version = draft(agrifood, manager)
    frozen = item(version, manager, title="Congelato")
    publish(version, manager)

    page = as_manager.get(reverse("agenda:item", kwargs={"slug": "agrifood", "pk": frozen.pk}))
    assert reverse("agenda:item_edit", kwargs={"slug": "agrifood", "pk": frozen.pk}) not in (
        page.content.decode()
    )
    response = as_manager.post(
        reverse("agenda:item_edit", kwargs={"slug": "agrifood", "pk": frozen.pk}),
        {"title": "Nuovo", "objective": "Nuovo", "revision": 1},
    )
    assert response.status_code == 422
    assert "frozen" in response.content.decode()
    frozen.refresh_from_db()
    assert frozen.title == "Congelato"


def test_the_item_page_shows_lineage_needs_progress_and_history(
    as_manager, agrifood, manager, client
):
    need = contribution(agrifood, "Latte tracciato", "Tracciare il latte.", visibility="public")
    v1 = draft(agrifood, manager)
    first = item(v1, manager, title="Digitale", contributions=[need])
    kpi(first, manager, target=10, current=5)
    publish(v1, manager)
    v2 = draft(agrifood, manager, based_on=v1)
    carried = v2.items.get()
    part, _other = services.item_split(
        item=carried,
        actor=manager,
        parts=[
            {"title": "Tracciabilità", "objective": "a"},
            {"title": "Sensori", "objective": "b"},
        ],
    )

    html = as_manager.get(
        reverse("agenda:item", kwargs={"slug": "agrifood", "pk": part.pk})
    ).content.decode()

    assert "split from" in html and "carried from" in html
    assert "v1 · Digitale" in html
    assert "Latte tracciato" in html
    assert "50%" in html
    assert "History" in html
    # Anonymous visitors read the published v1 item, not the history, and the contribution
    # says which item took it up.
    client.logout()
    public = client.get(reverse("agenda:item", kwargs={"slug": "agrifood", "pk": first.pk}))
    assert public.status_code == 200
    assert "History" not in public.content.decode()
    taken = client.get(reverse("contributions:detail", args=[need.pk])).content.decode()
    assert "Taken up by agenda item" in taken
    assert reverse("agenda:item", kwargs={"slug": "agrifood", "pk": first.pk}) in taken


def test_links_page_suggests_close_contributions_first(as_manager, agrifood, manager):
    near = contribution(agrifood, "Imballaggi compostabili", "Vaschette compostabili per formaggi.")
    contribution(agrifood, "Formazione robotica", "Corsi di robotica per tecnici.")
    version = draft(agrifood, manager)
    target = item(
        version, manager, title="Packaging compostabile", objective="Vaschette compostabili."
    )
    url = reverse("agenda:item_links", kwargs={"slug": "agrifood", "pk": target.pk})

    page = as_manager.get(url)
    suggested = page.context["suggestions"].contributions
    assert suggested[0][0] == near
    saved = as_manager.post(url, {"contributions": [near.pk], "revision": 1})

    assert saved.status_code == 302
    assert list(target.contributions.all()) == [near]
    target.refresh_from_db()
    assert target.revision == 2
