"""Rows of the access matrix (tests/access/matrix.py) for the agenda routes."""

from tests.access.rows import Row

HTML: list[Row] = []
API: list[Row] = []


# agenda-core ------------------------------------------------------------------------------
# Objects: agrifood has v1 published (one item, a KPI, a milestone) and v2 a draft (two
# items); mech has v1 a draft (one item). Made on first use, inside each role's transaction.


def core_agenda(world):
    """{name: id or number} of the agenda core's objects (see above)."""
    from datetime import timedelta

    from django.utils import timezone

    from clusterhub.agenda.models import AgendaItem, AgendaVersion, Kpi, Milestone
    from clusterhub.regions.models import Cluster

    agrifood = Cluster.objects.get(slug="agrifood")
    mech = Cluster.objects.get(slug="mech")
    now = timezone.now()
    published, _c = AgendaVersion.objects.get_or_create(
        cluster=agrifood,
        number=1,
        defaults={
            "title": "Agenda 2025",
            "phase": "published",
            "consultation_opens_at": now - timedelta(days=30),
            "consultation_closes_at": now - timedelta(days=20),
            "published_at": now - timedelta(days=10),
        },
    )
    draft, _c = AgendaVersion.objects.get_or_create(
        cluster=agrifood, number=2, defaults={"title": "Agenda 2026", "based_on": published}
    )
    mech_draft, _c = AgendaVersion.objects.get_or_create(
        cluster=mech, number=1, defaults={"title": "Agenda meccatronica"}
    )

    def item(version, title):
        return AgendaItem.objects.get_or_create(
            version=version, title=title, defaults={"objective": f"Obiettivo: {title}"}
        )[0]

    published_item = item(published, "Filiera digitale")
    draft_item = item(draft, "Imballaggi compostabili")
    second_item = item(draft, "Acque reflue")
    mech_item = item(mech_draft, "Robotica collaborativa")
    kpi = Kpi.objects.get_or_create(item=draft_item, name="Aziende", defaults={"target": 10})[0]
    milestone = Milestone.objects.get_or_create(item=draft_item, title="Bando")[0]
    Kpi.objects.get_or_create(item=published_item, name="Sensori", defaults={"target": 50})
    return {
        "published": published.number,
        "draft": draft.number,
        "mech_draft": mech_draft.number,
        "published_item": published_item.pk,
        "draft_item": draft_item.pk,
        "second_item": second_item.pk,
        "mech_item": mech_item.pk,
        "kpi": kpi.pk,
        "milestone": milestone.pk,
    }


def _v(slug, which):
    return lambda w: {"slug": slug, "number": core_agenda(w)[which]}


def _i(slug, which, **more):
    return lambda w: {"slug": slug, "pk": core_agenda(w)[which], **more}


def _kpi(w):
    ids = core_agenda(w)
    return {"slug": "agrifood", "pk": ids["draft_item"], "kpi_id": ids["kpi"]}


def _milestone(w):
    ids = core_agenda(w)
    return {"slug": "agrifood", "pk": ids["draft_item"], "milestone_id": ids["milestone"]}


_MANAGERS = (302, 403, 403, 200, 200)
_MANAGERS_OF_MECH = (302, 403, 403, 404, 200)
_WRITE = (302, 403, 403, 302, 302)
_WRITE_MECH = (302, 403, 403, 404, 302)
_NEW_ITEM = lambda w: {"title": "Nuovo tema", "objective": "Un obiettivo."}  # noqa: E731

HTML += [
    Row("agenda:manage", "GET", _MANAGERS, lambda w: {"slug": "agrifood"}),
    Row("agenda:manage", "GET", _MANAGERS_OF_MECH, lambda w: {"slug": "mech"}, note="mech"),
    Row(
        "agenda:version_create",
        "POST",
        (302, 403, 403, 422, 422),
        lambda w: {"slug": "agrifood"} if core_agenda(w) else {},
        lambda w: {"title": "Agenda 2027"},
        note="a draft exists",
    ),
    Row(
        "agenda:version_create",
        "POST",
        (302, 403, 403, 404, 302),
        lambda w: {"slug": "build"},
        lambda w: {"title": "Agenda edilizia"},
        note="another cluster, none yet",
    ),
    Row("agenda:version", "GET", (200,) * 5, _v("agrifood", "published"), note="published"),
    Row("agenda:version", "GET", (404, 404, 404, 200, 200), _v("agrifood", "draft"), note="draft"),
    Row("agenda:version", "GET", (404, 404, 404, 404, 200), _v("mech", "mech_draft"), note="mech"),
    Row(
        "agenda:version_phase",
        "GET",
        _MANAGERS,
        lambda w: {**_v("agrifood", "draft")(w), "step": "open"},
    ),
    Row(
        "agenda:version_phase",
        "GET",
        _MANAGERS_OF_MECH,
        lambda w: {**_v("mech", "mech_draft")(w), "step": "open"},
        note="mech",
    ),
    Row(
        "agenda:version_phase",
        "POST",
        _WRITE,
        lambda w: {**_v("agrifood", "draft")(w), "step": "approve"},
        note="out of order: refused with a message",
    ),
    Row("agenda:item_create", "GET", _MANAGERS, _v("agrifood", "draft")),
    Row("agenda:item_create", "POST", _WRITE, _v("agrifood", "draft"), _NEW_ITEM, note="add"),
    Row(
        "agenda:item_create",
        "POST",
        _WRITE_MECH,
        _v("mech", "mech_draft"),
        _NEW_ITEM,
        note="mech",
    ),
    Row("agenda:items_merge", "GET", _MANAGERS, _v("agrifood", "draft")),
    Row("agenda:item", "GET", (200,) * 5, _i("agrifood", "published_item"), note="published"),
    Row(
        "agenda:item", "GET", (404, 404, 404, 200, 200), _i("agrifood", "draft_item"), note="draft"
    ),
    Row("agenda:item", "GET", (404, 404, 404, 404, 200), _i("mech", "mech_item"), note="mech"),
    Row("agenda:item_edit", "GET", _MANAGERS, _i("agrifood", "draft_item")),
    Row("agenda:item_edit", "GET", _MANAGERS_OF_MECH, _i("mech", "mech_item"), note="mech"),
    Row(
        "agenda:item_edit",
        "GET",
        (302, 403, 403, 404, 404),
        _i("agrifood", "mech_item"),
        note="mech item, agrifood slug",
    ),
    Row("agenda:item_split", "GET", _MANAGERS, _i("agrifood", "draft_item")),
    Row("agenda:item_remove", "POST", _WRITE, _i("agrifood", "second_item")),
    Row("agenda:item_remove", "POST", _WRITE_MECH, _i("mech", "mech_item"), note="mech"),
    Row("agenda:item_links", "GET", _MANAGERS, _i("agrifood", "draft_item")),
    Row(
        "agenda:kpi_add",
        "POST",
        _WRITE,
        _i("agrifood", "draft_item"),
        lambda w: {"name": "Brevetti", "target": "3"},
    ),
    Row("agenda:kpi_edit", "POST", _WRITE, _kpi, lambda w: {"current": "4"}),
    Row(
        "agenda:milestone_add",
        "POST",
        _WRITE,
        _i("agrifood", "draft_item"),
        lambda w: {"title": "Kick-off"},
    ),
    Row("agenda:milestone_edit", "POST", _WRITE, _milestone, lambda w: {"action": "done"}),
]

API += [
    Row("api:list_agenda_versions", "GET", (200,) * 5, lambda w: {"slug": "agrifood"}),
    Row(
        "api:get_agenda_version",
        "GET",
        (200,) * 5,
        _v("agrifood", "published"),
        note="published",
    ),
    Row(
        "api:get_agenda_version",
        "GET",
        (404, 404, 404, 200, 200),
        _v("agrifood", "draft"),
        note="draft",
    ),
    Row(
        "api:create_agenda_version",
        "POST",
        (401, 403, 403, 422, 422),
        lambda w: {"slug": "agrifood"} if core_agenda(w) else {},
        lambda w: {"title": "Agenda 2027"},
        note="a draft exists",
    ),
    Row(
        "api:create_agenda_item",
        "POST",
        (401, 403, 403, 201, 201),
        _v("agrifood", "draft"),
        _NEW_ITEM,
    ),
    Row(
        "api:create_agenda_item",
        "POST",
        (401, 403, 403, 404, 201),
        _v("mech", "mech_draft"),
        _NEW_ITEM,
        note="mech",
    ),
    Row(
        "api:update_agenda_item",
        "PATCH",
        (401, 403, 403, 200, 200),
        lambda w: {"slug": "agrifood", "item_id": core_agenda(w)["draft_item"]},
        lambda w: {"revision": 1, "title": "Imballaggi riciclabili"},
    ),
    Row(
        "api:split_agenda_item",
        "POST",
        (401, 403, 403, 201, 201),
        lambda w: {"slug": "agrifood", "item_id": core_agenda(w)["draft_item"]},
        lambda w: {
            "revision": 1,
            "parts": [{"title": "A", "objective": "a"}, {"title": "B", "objective": "b"}],
        },
    ),
    Row(
        "api:merge_agenda_items",
        "POST",
        (401, 403, 403, 201, 201),
        _v("agrifood", "draft"),
        lambda w: {
            "items": [core_agenda(w)["draft_item"], core_agenda(w)["second_item"]],
            "title": "Insieme",
            "objective": "Uniti.",
        },
    ),
    Row(
        "api:change_agenda_phase",
        "POST",
        (401, 403, 403, 422, 422),
        _v("agrifood", "draft"),
        lambda w: {"step": "approve"},
        note="out of order",
    ),
]
# end agenda-core --------------------------------------------------------------------------


# agenda-publication -----------------------------------------------------------------------
# The public pages show published versions only, to everyone alike (404 for any other, the
# managers included); the comparison takes the versions the viewer may read. Objects: the
# agenda core's (agrifood v1 published, v2 a draft; mech v1 a draft), made on first use.

_EVERYONE = (200,) * 5
_NOBODY = (404,) * 5


def _pub(slug, which):
    return lambda w: {"slug": slug, "number": core_agenda(w)[which]}


def _pub_item(which_version, which_item):
    def make(w):
        ids = core_agenda(w)
        return {"slug": "agrifood", "number": ids[which_version], "pk": ids[which_item]}

    return make


HTML += [
    Row("agenda:public_index", "GET", _EVERYONE, lambda w: {} if core_agenda(w) else {}),
    Row(
        "agenda:public_cluster",
        "GET",
        _EVERYONE,
        lambda w: {"slug": "agrifood"} if core_agenda(w) else {},
    ),
    Row(
        "agenda:public_cluster",
        "GET",
        _EVERYONE,
        lambda w: {"slug": "mech"} if core_agenda(w) else {},
        note="none published yet",
    ),
    Row("agenda:public_version", "GET", _EVERYONE, _pub("agrifood", "published")),
    Row("agenda:public_version", "GET", _NOBODY, _pub("agrifood", "draft"), note="draft"),
    Row("agenda:public_version", "GET", _NOBODY, _pub("mech", "mech_draft"), note="mech"),
    Row("agenda:public_print", "GET", _EVERYONE, _pub("agrifood", "published")),
    Row("agenda:public_print", "GET", _NOBODY, _pub("agrifood", "draft"), note="draft"),
    Row("agenda:public_pdf", "GET", _EVERYONE, _pub("agrifood", "published")),
    Row("agenda:public_pdf", "GET", _NOBODY, _pub("agrifood", "draft"), note="draft"),
    Row("agenda:public_csv", "GET", _EVERYONE, _pub("agrifood", "published")),
    Row("agenda:public_csv", "GET", _NOBODY, _pub("agrifood", "draft"), note="draft"),
    Row("agenda:public_json", "GET", _EVERYONE, _pub("agrifood", "published")),
    Row("agenda:public_json", "GET", _NOBODY, _pub("agrifood", "draft"), note="draft"),
    Row("agenda:public_item", "GET", _EVERYONE, _pub_item("published", "published_item")),
    Row(
        "agenda:public_item",
        "GET",
        _NOBODY,
        _pub_item("draft", "draft_item"),
        note="draft",
    ),
    Row(
        "agenda:public_item",
        "GET",
        _NOBODY,
        _pub_item("published", "draft_item"),
        note="a draft's item under the published version",
    ),
    Row(
        "agenda:public_diff",
        "GET",
        _EVERYONE,
        lambda w: {"slug": "agrifood"} if core_agenda(w) else {},
        note="nothing chosen",
    ),
    Row(
        "agenda:public_diff",
        "GET",
        (404, 404, 404, 200, 200),
        lambda w: {"slug": "agrifood"} if core_agenda(w) else {},
        lambda w: {"from": "1", "to": "2"},
        note="with the draft",
    ),
    Row(
        "agenda:public_diff",
        "GET",
        _NOBODY,
        lambda w: {"slug": "mech"} if core_agenda(w) else {},
        lambda w: {"from": "1", "to": "2"},
        note="mech: one draft, no v2",
    ),
]

API += [
    Row("api:list_published_agendas", "GET", _EVERYONE, lambda w: {} if core_agenda(w) else {}),
    Row("api:list_published_agenda_versions", "GET", _EVERYONE, lambda w: {"slug": "agrifood"}),
    Row("api:get_published_agenda_version", "GET", _EVERYONE, _pub("agrifood", "published")),
    Row(
        "api:get_published_agenda_version",
        "GET",
        _NOBODY,
        _pub("agrifood", "draft"),
        note="draft",
    ),
    Row(
        "api:get_published_agenda_item",
        "GET",
        _EVERYONE,
        lambda w: {"slug": "agrifood", "number": 1, "item_id": core_agenda(w)["published_item"]},
    ),
    Row(
        "api:get_published_agenda_item",
        "GET",
        _NOBODY,
        lambda w: {"slug": "agrifood", "number": 2, "item_id": core_agenda(w)["draft_item"]},
        note="draft",
    ),
    Row("api:export_published_agenda_csv", "GET", _EVERYONE, _pub("agrifood", "published")),
    Row(
        "api:export_published_agenda_csv",
        "GET",
        _NOBODY,
        _pub("agrifood", "draft"),
        note="draft",
    ),
    Row(
        "api:get_agenda_diff",
        "GET",
        (404, 404, 404, 200, 200),
        lambda w: {"slug": "agrifood"} if core_agenda(w) else {},
        lambda w: {"from": 1, "to": 2},
        note="with the draft",
    ),
    Row(
        "api:get_agenda_diff",
        "GET",
        _EVERYONE,
        lambda w: {"slug": "agrifood"} if core_agenda(w) else {},
        lambda w: {"from": 1, "to": 1},
        note="a version with itself",
    ),
]
# end agenda-publication -------------------------------------------------------------------


# agenda-consultation ----------------------------------------------------------------------
# Objects: agrifood v3 in consultation (open, one item, a pending amendment of member_org)
# and mech v2 in consultation (one item, a pending amendment of other_org), next to the
# agenda core's. Taking part needs a role in an active member organization of the cluster:
# the member and the org admin (member_org, agrifood) may; the manager and the officer have
# no organization (403); people outside the cluster do not see the version (404). Results:
# managers and officers live, members once closed, everyone once published.


def consult_agenda(world):
    """{name: id or number} of the consultation's objects (see above)."""
    from datetime import timedelta

    from django.utils import timezone

    from clusterhub.agenda.models import AgendaItem, AgendaVersion, Amendment
    from clusterhub.regions.models import Cluster

    ids = core_agenda(world)
    now = timezone.now()

    def open_version(slug, number):
        version, _c = AgendaVersion.objects.get_or_create(
            cluster=Cluster.objects.get(slug=slug),
            number=number,
            defaults={
                "title": "In consultazione",
                "phase": "consultation",
                "consultation_opens_at": now - timedelta(days=1),
                "consultation_closes_at": now + timedelta(days=7),
            },
        )
        item = AgendaItem.objects.get_or_create(
            version=version, title="Economia circolare", defaults={"objective": "Riuso."}
        )[0]
        return version, item

    version, item = open_version("agrifood", 3)
    mech_version, mech_item = open_version("mech", 2)
    amendment = Amendment.objects.get_or_create(
        item=item, organization=world.member_org, defaults={"title": "Riuso", "rationale": "Sì"}
    )[0]
    mech_amendment = Amendment.objects.get_or_create(
        item=mech_item, organization=world.other_org, defaults={"title": "Riuso", "rationale": "Sì"}
    )[0]
    return {
        **ids,
        "consult": version.number,
        "consult_item": item.pk,
        "amendment": amendment.pk,
        "mech_consult": mech_version.number,
        "mech_consult_item": mech_item.pk,
        "mech_amendment": mech_amendment.pk,
    }


def _ci(slug, which, **more):
    return lambda w: {"slug": slug, "pk": consult_agenda(w)[which], **more}


def _cv(slug, which):
    return lambda w: {"slug": slug, "number": consult_agenda(w)[which]}


def _decide(slug, which_item, which_amendment):
    def make(w):
        ids = consult_agenda(w)
        return {"slug": slug, "pk": ids[which_item], "amendment_id": ids[which_amendment]}

    return make


def _api_item(which):
    return lambda w: {"item_id": consult_agenda(w)[which]}


_TAKE_PART = (302, 302, 302, 403, 403)
_TAKE_PART_MECH = (302, 404, 404, 404, 403)

HTML += [
    Row("agenda:consult_item", "GET", (302, 200, 200, 200, 200), _ci("agrifood", "consult_item")),
    Row(
        "agenda:consult_item",
        "GET",
        (302, 404, 404, 404, 200),
        _ci("mech", "mech_consult_item"),
        note="mech",
    ),
    Row(
        "agenda:consult_comment",
        "POST",
        _TAKE_PART,
        _ci("agrifood", "consult_item"),
        lambda w: {"text": "Bene."},
    ),
    Row(
        "agenda:consult_comment",
        "POST",
        _TAKE_PART_MECH,
        _ci("mech", "mech_consult_item"),
        lambda w: {"text": "Bene."},
        note="mech",
    ),
    Row(
        "agenda:consult_ballot",
        "POST",
        _TAKE_PART,
        _ci("agrifood", "consult_item"),
        lambda w: {"value": "1"},
    ),
    Row(
        "agenda:consult_ballot",
        "POST",
        (302, 422, 422, 422, 422),
        lambda w: {"slug": "agrifood", "pk": consult_agenda(w)["published_item"]},
        lambda w: {"value": "1"},
        note="published: closed",
    ),
    Row(
        "agenda:consult_ballot",
        "POST",
        _TAKE_PART_MECH,
        _ci("mech", "mech_consult_item"),
        lambda w: {"value": "1"},
        note="mech",
    ),
    Row("agenda:consult_amend", "GET", (302, 200, 200, 403, 403), _ci("agrifood", "consult_item")),
    Row(
        "agenda:consult_amend",
        "POST",
        _TAKE_PART,
        _ci("agrifood", "consult_item"),
        lambda w: {"title": "Economia circolare e riuso", "rationale": "Più chiaro."},
    ),
    Row(
        "agenda:consult_amend",
        "GET",
        (302, 404, 404, 404, 403),
        _ci("mech", "mech_consult_item"),
        note="mech",
    ),
    Row(
        "agenda:consult_decide",
        "GET",
        (302, 403, 403, 200, 200),
        _decide("agrifood", "consult_item", "amendment"),
    ),
    Row(
        "agenda:consult_decide",
        "POST",
        (302, 403, 403, 302, 302),
        _decide("agrifood", "consult_item", "amendment"),
        lambda w: {"decision": "reject", "reason": "Fuori tema."},
    ),
    Row(
        "agenda:consult_decide",
        "GET",
        (302, 403, 403, 404, 200),
        _decide("mech", "mech_consult_item", "mech_amendment"),
        note="mech",
    ),
    Row("agenda:results", "GET", (404, 403, 403, 200, 200), _cv("agrifood", "consult")),
    Row("agenda:results", "GET", (200,) * 5, _cv("agrifood", "published"), note="published"),
    Row("agenda:results", "GET", (404, 404, 404, 403, 403), _cv("agrifood", "draft"), note="draft"),
    Row(
        "agenda:results",
        "GET",
        (404, 404, 404, 404, 200),
        _cv("mech", "mech_consult"),
        note="mech",
    ),
]

_API_TAKE_PART = (401, 201, 201, 403, 403)
API += [
    Row(
        "api:list_agenda_consult_comments",
        "GET",
        (404, 200, 200, 200, 200),
        _api_item("consult_item"),
    ),
    Row(
        "api:create_agenda_consult_comment",
        "POST",
        _API_TAKE_PART,
        _api_item("consult_item"),
        lambda w: {"text": "Bene."},
    ),
    Row(
        "api:create_agenda_consult_comment",
        "POST",
        (401, 404, 404, 404, 403),
        _api_item("mech_consult_item"),
        lambda w: {"text": "Bene."},
        note="mech",
    ),
    Row(
        "api:list_agenda_consult_amendments",
        "GET",
        (404, 200, 200, 200, 200),
        _api_item("consult_item"),
    ),
    Row(
        "api:create_agenda_consult_amendment",
        "POST",
        _API_TAKE_PART,
        _api_item("consult_item"),
        lambda w: {"title": "Economia circolare e riuso", "rationale": "Più chiaro."},
    ),
    Row(
        "api:decide_agenda_consult_amendment",
        "POST",
        (401, 403, 403, 200, 200),
        lambda w: {"amendment_id": consult_agenda(w)["amendment"]},
        lambda w: {"decision": "reject", "reason": "Fuori tema."},
    ),
    Row(
        "api:decide_agenda_consult_amendment",
        "POST",
        (401, 403, 403, 404, 200),
        lambda w: {"amendment_id": consult_agenda(w)["mech_amendment"]},
        lambda w: {"decision": "reject", "reason": "Fuori tema."},
        note="mech",
    ),
    Row(
        "api:get_agenda_consult_ballot",
        "GET",
        (401, 200, 200, 403, 403),
        _api_item("consult_item"),
    ),
    Row(
        "api:put_agenda_consult_ballot",
        "PUT",
        (401, 200, 200, 403, 403),
        _api_item("consult_item"),
        lambda w: {"value": 1},
    ),
    Row(
        "api:put_agenda_consult_ballot",
        "PUT",
        (401, 404, 404, 404, 403),
        _api_item("mech_consult_item"),
        lambda w: {"value": 1},
        note="mech",
    ),
    Row(
        "api:delete_agenda_consult_ballot",
        "DELETE",
        (401, 204, 204, 403, 403),
        _api_item("consult_item"),
    ),
    Row(
        "api:get_agenda_consult_results",
        "GET",
        (404, 403, 403, 200, 200),
        lambda w: {"slug": "agrifood", "number": consult_agenda(w)["consult"]},
    ),
    Row(
        "api:get_agenda_consult_results",
        "GET",
        (200,) * 5,
        lambda w: {"slug": "agrifood", "number": consult_agenda(w)["published"]},
        note="published",
    ),
]
# end agenda-consultation ------------------------------------------------------------------
