"""Demo opportunities: calls of real programmes, described generically, linked to each
programme's real home page (never to a made-up call page). Deadlines are set from the day of
the first load; loading again leaves existing ones as they are."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from clusterhub.opportunities.models import Opportunity, OpportunityKind, OpportunitySource
from clusterhub.opportunities.services import opportunity_create
from clusterhub.people.models import Person
from clusterhub.regions.models import Cluster, S3Theme

HORIZON = "https://research-and-innovation.ec.europa.eu/funding/funding-opportunities/funding-programmes-and-open-calls/horizon-europe_en"  # noqa: E501
EIC = "https://eic.ec.europa.eu/"
INTERREG_EUROPE = "https://www.interregeurope.eu/"
INTERREG_CENTRAL = "https://www.interreg-central.eu/"
FESR_ER = "https://fesr.regione.emilia-romagna.it/"
DIGITAL_EUROPE = "https://digital-strategy.ec.europa.eu/en/activities/digital-programme"
LIFE = "https://cinea.ec.europa.eu/programmes/life_en"
EUROSTARS = "https://www.eurekanetwork.org/"
SIMEST = "https://www.simest.it/"
ICE = "https://www.ice.it/"
EEN = "https://een.ec.europa.eu/"
EIT_FOOD = "https://www.eitfood.eu/"

F, INTL = OpportunityKind.FINANCING, OpportunityKind.INTERNATIONALIZATION

# (kind, title, programme, days to the deadline (negative: closed), budget, url, clusters,
#  S3 theme codes, description, eligibility)
CALLS = [
    (
        F,
        "Sustainable and resilient food systems: innovation actions",
        "Horizon Europe, Cluster 6",
        75,
        36_000_000,
        HORIZON,
        ["agrifood", "greentech"],
        ["79", "83"],
        "Collaborative projects that test new processes, packaging and by-product valorisation "
        "along food value chains, with pilots in at least three countries.",
        "Consortia of at least three independent legal entities from three EU or associated "
        "countries; SMEs and research organisations welcome.",
    ),
    (
        F,
        "Made in Europe: digital and resilient manufacturing",
        "Horizon Europe, Cluster 4",
        110,
        48_000_000,
        HORIZON,
        ["mech", "innovate"],
        ["139", "141", "135"],
        "Research and innovation on AI-driven production, collaborative robotics and zero-defect "
        "manufacturing, demonstrated in real factories.",
        "Consortia of at least three entities from three EU or associated countries.",
    ),
    (
        F,
        "Grant and equity for breakthrough innovations of SMEs",
        "EIC Accelerator",
        42,
        2_500_000,
        EIC,
        [],
        [],
        "Up to 2.5 million euros of grant per company, plus equity, to bring a deep-tech "
        "innovation from demonstration to market.",
        "Single start-ups and SMEs established in an EU or associated country.",
    ),
    (
        F,
        "Visionary research towards radically new technologies",
        "EIC Pathfinder",
        130,
        3_000_000,
        EIC,
        ["health", "mech"],
        ["117", "120"],
        "Early-stage research on new technologies with high-risk, high-gain objectives.",
        "Consortia of at least three research organisations or companies.",
    ),
    (
        F,
        "Interregional cooperation on innovation policies",
        "Interreg Europe",
        60,
        1_800_000,
        INTERREG_EUROPE,
        ["innovate", "greentech"],
        ["102"],
        "Projects in which regions exchange experience and improve the policy instruments that "
        "support innovation and the green transition.",
        "Public authorities and policy-relevant bodies, with partners from several countries.",
    ),
    (
        F,
        "Green and digital transition of central European regions",
        "Interreg Central Europe",
        95,
        2_000_000,
        INTERREG_CENTRAL,
        ["greentech", "build"],
        ["91", "98"],
        "Transnational pilots on energy efficiency of buildings, smart grids and low-carbon "
        "public services.",
        "Public bodies, agencies, universities and companies of the programme area.",
    ),
    (
        F,
        "Research and development projects of companies",
        "PR FESR Emilia-Romagna 2021-2027",
        35,
        30_000_000,
        FESR_ER,
        ["mech", "agrifood", "health", "build", "create", "greentech", "innovate"],
        ["139", "80", "119"],
        "Grants for industrial research and experimental development projects carried out by "
        "companies of the region, alone or with the High Technology Network labs.",
        "Companies with a production site in Emilia-Romagna.",
    ),
    (
        F,
        "Energy efficiency and renewables in business premises",
        "PR FESR Emilia-Romagna 2021-2027",
        20,
        12_000_000,
        FESR_ER,
        ["greentech", "build"],
        ["99", "87"],
        "Investment grants for photovoltaics, heat pumps and energy efficiency works in the "
        "premises of small and medium-sized enterprises.",
        "SMEs with a local unit in Emilia-Romagna.",
    ),
    (
        F,
        "Advanced digital skills and AI testing facilities",
        "Digital Europe Programme",
        85,
        20_000_000,
        DIGITAL_EUROPE,
        ["innovate"],
        ["135", "130"],
        "Support for testing and experimentation facilities, cybersecurity and European "
        "Digital Innovation Hubs serving SMEs.",
        "Entities established in EU member states or associated countries.",
    ),
    (
        F,
        "Circular economy and quality of life",
        "LIFE Programme",
        120,
        15_000_000,
        LIFE,
        ["greentech", "agrifood"],
        ["102", "84"],
        "Projects that demonstrate circular solutions: recovery of materials, waste prevention "
        "and industrial symbiosis.",
        "Public and private legal entities registered in the EU.",
    ),
    (
        F,
        "International R&D projects led by innovative SMEs",
        "Eurostars",
        55,
        1_500_000,
        EUROSTARS,
        ["health", "mech", "innovate"],
        [],
        "Market-oriented research projects of innovative SMEs with partners from at least two "
        "Eureka countries.",
        "Consortia led by an R&D-performing SME.",
    ),
    (
        F,
        "Partnership calls for food innovation start-ups",
        "EIT Food",
        28,
        500_000,
        EIT_FOOD,
        ["agrifood"],
        ["82", "81"],
        "Acceleration programmes and co-funding for start-ups working on food safety, "
        "traceability and digital food processes.",
        "Start-ups and scale-ups in the agrifood sector.",
    ),
    (
        INTL,
        "Subsidised loans for entering foreign markets",
        "SIMEST",
        90,
        None,
        SIMEST,
        ["mech", "create", "agrifood"],
        [],
        "Subsidised financing for the opening of offices abroad, trade fairs and digital "
        "export projects.",
        "Italian companies, with priority to SMEs.",
    ),
    (
        INTL,
        "Italian pavilions at international trade fairs",
        "ICE Agency",
        40,
        None,
        ICE,
        ["create", "mech"],
        ["111"],
        "Places in the Italian pavilions at the main fairs in Europe, North America and Asia, "
        "with B2B meetings organised by the agency.",
        "Italian companies of the sectors of each fair.",
    ),
    (
        INTL,
        "Brokerage events and partner search abroad",
        "Enterprise Europe Network",
        25,
        None,
        EEN,
        [],
        [],
        "Matchmaking events and company missions to find technology and business partners in "
        "other countries.",
        "Companies and research organisations of every size.",
    ),
    # Closed: the archive.
    (
        F,
        "Innovative start-ups: grants for the first investments",
        "PR FESR Emilia-Romagna 2021-2027",
        -40,
        8_000_000,
        FESR_ER,
        ["innovate", "create"],
        ["132"],
        "Grants for the start-up phase of innovative companies.",
        "Innovative start-ups registered in Emilia-Romagna.",
    ),
    (
        F,
        "Clean hydrogen and energy storage",
        "Horizon Europe, Cluster 5",
        -75,
        25_000_000,
        HORIZON,
        ["greentech", "mech"],
        ["98", "144"],
        "Research and demonstration of hydrogen production, storage and use in industry.",
        "Consortia of at least three entities from three countries.",
    ),
    (
        INTL,
        "Export missions to North America",
        "ICE Agency",
        -15,
        None,
        ICE,
        ["agrifood"],
        [],
        "Missions of food and wine companies to importers and distributors.",
        "Italian agrifood companies.",
    ),
]


def load_demo() -> str:
    """The demo calls, published by the demo officer (idempotent)."""
    from clusterhub.core.demo import OFFICER_EMAIL

    officer = Person.objects.filter(email=OFFICER_EMAIL).first()
    if officer is None:
        return "0 opportunities (no demo officer: run load_demo first)"
    today = timezone.localdate()
    clusters = {c.slug: c for c in Cluster.objects.all()}
    themes = {t.code: t for t in S3Theme.objects.all()}
    created = 0
    with transaction.atomic():
        for (
            kind,
            title,
            programme,
            days,
            budget,
            url,
            slugs,
            codes,
            description,
            eligibility,
        ) in CALLS:
            if Opportunity.objects.filter(title=title, programme=programme).exists():
                continue
            opportunity_create(
                actor=officer,
                kind=kind,
                title=title,
                programme=programme,
                deadline=today + timedelta(days=days),
                budget=budget,
                url=url,
                description=description,
                eligibility=eligibility,
                clusters=[clusters[s] for s in slugs if s in clusters],
                s3_themes=[themes[c] for c in codes if c in themes],
                source=OpportunitySource.MANUAL,
            )
            created += 1
    open_count = Opportunity.objects.filter(deadline__gte=today).count()
    return (
        f"{created} opportunities added ({open_count} open, {Opportunity.objects.count()} in all)"
    )
