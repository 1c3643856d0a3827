"""Journey 2, first steps: many voices. A member of the mechatronics cluster posts a need
that another member already posted in Italian; before saving she is shown the similar
contribution and the tags suggested by her text, and posts anyway. The cluster's manager
finds it flagged in the moderation queue and merges it into the earlier one, whose page
then lists it, while the merged page links to the one that is kept."""

import pytest
from playwright.sync_api import expect

from clusterhub.contributions.services import contribution_approve, contribution_create
from clusterhub.regions.models import Cluster
from clusterhub.registry.models import OrganizationKind
from clusterhub.registry.services import membership_upsert, organization_create
from tests.browser.helpers import sign_in
from tests.factories import ClusterRoleFactory, OrganizationRoleFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EARLIER_TITLE = "Manutenzione predittiva dei mandrini delle macchine utensili"
EARLIER_TEXT = (
    "Cerchiamo partner per sviluppare modelli di manutenzione predittiva dei mandrini: "
    "acquisiamo vibrazioni e temperature sulle nostre macchine utensili e vorremmo prevedere "
    "i guasti dei cuscinetti con qualche settimana di anticipo."
)
NEED_TITLE = "Predictive maintenance of machine tool spindles"
NEED_TEXT = (
    "We are looking for partners to develop predictive maintenance models for machine tool "
    "spindles: we collect vibration and temperature data on our machines and would like to "
    "predict bearing failures a few weeks ahead."
)


@pytest.fixture
def mechatronics(region_preset):
    """Two member firms of mech, an approved Italian need of the first, and the manager."""
    mech = Cluster.objects.get(slug="mech")
    firms = []
    for name in ("Utensili Emiliani Spa", "Mandrini Romagnoli Srl"):
        firm = organization_create(
            name=name, kind=OrganizationKind.FIRM, postcode="40126", city="Bologna"
        )
        membership_upsert(organization=firm, cluster=mech)
        firms.append(firm)
    first = OrganizationRoleFactory(organization=firms[0], role="member").person
    manager = ClusterRoleFactory(
        cluster=mech, person__email="manager@example.org", person__full_name="Marco Manager"
    ).person
    earlier = contribution_create(
        author=first,
        organization=firms[0],
        kind="need",
        title=EARLIER_TITLE,
        text=EARLIER_TEXT,
        clusters=[mech],
    )
    contribution_approve(contribution=earlier, actor=manager)
    sara = PersonFactory(email="sara@example.org", full_name="Sara Ricci")
    OrganizationRoleFactory(person=sara, organization=firms[1], role="member")
    return earlier


def test_a_member_posts_a_need_and_the_manager_merges_the_duplicate(
    live_server, page, mechatronics
):
    base = live_server.url
    sign_in(page, base, "sara@example.org", "/contributions/")
    expect(page.get_by_role("link", name="Voices")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name=EARLIER_TITLE)).to_be_visible()

    page.get_by_role("button", name="Post a contribution").click()
    page.get_by_label("Kind").select_option("need")
    page.get_by_label("Title").fill(NEED_TITLE)
    page.get_by_label("Describe it").fill(NEED_TEXT)
    # While she types, the earlier Italian need is shown: endorse it instead?
    similar = page.locator("#draft-similar")
    expect(similar.get_by_role("link", name=EARLIER_TITLE)).to_be_visible(timeout=15000)
    page.get_by_role("button", name="Suggest tags").click()
    suggested = page.locator("#draft-tags input[type=checkbox]:checked")
    expect(suggested.first).to_be_visible(timeout=15000)
    page.get_by_role("button", name="Post", exact=True).click()

    # Before saving, the similar contribution is shown once more: she posts anyway.
    expect(page.get_by_role("alert")).to_contain_text("Similar contributions are already posted")
    page.get_by_role("button", name="Post anyway").click()
    expect(page.locator("h1")).to_have_text(NEED_TITLE)
    expect(page.get_by_role("note")).to_contain_text("Awaiting moderation")
    expect(page.locator(".contribution-tags .chips li").first).to_be_visible()

    # The manager finds it flagged as a possible duplicate and merges it.
    page.context.clear_cookies()
    sign_in(page, base, "manager@example.org", "/contributions/moderation/")
    row = page.locator("tbody tr").filter(has_text=NEED_TITLE)
    expect(row.locator(".badge-duplicate")).to_be_visible()
    expect(row).to_contain_text(EARLIER_TITLE[:40])
    row.get_by_role("link", name=NEED_TITLE).click()
    expect(page.get_by_text("Possible duplicate of")).to_be_visible()
    page.get_by_label("Merge this duplicate into").select_option(str(mechatronics.pk))
    page.get_by_role("button", name="Merge").click()

    expect(page.locator("h1")).to_have_text(EARLIER_TITLE)
    expect(page.get_by_text("Merged into “")).to_be_visible()
    expect(page.locator("#endorse")).to_contain_text("Mandrini Romagnoli Srl")
    merged = page.get_by_role("region", name="Merged into this one")
    merged.get_by_role("link", name=NEED_TITLE).click()
    expect(page.get_by_role("note")).to_contain_text("This contribution was merged into")
    page.get_by_role("note").get_by_role("link", name=EARLIER_TITLE).click()
    expect(page.locator("h1")).to_have_text(EARLIER_TITLE)
    page.get_by_text("History").click()
    expect(page.locator(".history")).to_contain_text("Received a merged contribution")
