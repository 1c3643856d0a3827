"""Journey 2's data: twelve mechatronics members post needs on predictive maintenance and
digital twins over three months, beside older EU projects of the cluster on other subjects
(and two on the same one)."""

import datetime

from django.utils import timezone

from tests.factories import MembershipFactory, OrganizationFactory
from tests.trends.builders import contribution, project

NEEDS = [
    (
        "Manutenzione predittiva delle macchine utensili",
        "Cerchiamo sensori e modelli per prevedere i guasti dei mandrini prima del fermo macchina.",
    ),
    (
        "Digital twin of our packaging line",
        "We want a digital twin of the packaging line to simulate "
        "maintenance and predict failures.",
    ),
    (
        "Predictive maintenance for hydraulic presses",
        "Vibration and temperature data to predict failures of "
        "hydraulic presses and plan maintenance.",
    ),
    (
        "Gemello digitale per la manutenzione",
        "Un gemello digitale dell'impianto per simulare l'usura e "
        "pianificare la manutenzione predittiva.",
    ),
    (
        "Condition monitoring of robot gearboxes",
        "Predict gearbox failures of industrial robots from "
        "vibration data: predictive maintenance.",
    ),
    (
        "Manutenzione predittiva con machine learning",
        "Modelli di machine learning sui dati dei sensori per prevedere i guasti delle linee.",
    ),
    (
        "Digital twin for CNC machines",
        "A digital twin of CNC machines fed by sensor data to predict tool wear and failures.",
    ),
    (
        "Sensori IoT per la manutenzione predittiva",
        "Sensori IoT sulle macchine per raccogliere dati di vibrazione e prevedere i guasti.",
    ),
    (
        "Remaining useful life of spindles",
        "Estimate the remaining useful life of machine spindles for predictive maintenance.",
    ),
    (
        "Gemello digitale di linea produttiva",
        "Gemello digitale della linea per simulare guasti e ottimizzare la manutenzione.",
    ),
    (
        "Predictive maintenance: anomaly detection on motors",
        "Anomaly detection on electric motors to predict failures and schedule maintenance.",
    ),
    (
        "Manutenzione predittiva dei compressori",
        "Prevedere i guasti dei compressori con i dati di vibrazione e un gemello digitale.",
    ),
]

PROJECTS = [
    (
        "Lightweight composite chassis for electric vehicles",
        "Carbon fibre composites for the chassis of electric cars, crash safety and recycling.",
    ),
    (
        "Additive manufacturing of titanium aerospace parts",
        "Laser powder bed fusion of titanium alloys for aircraft brackets and engine parts.",
    ),
    (
        "Collaborative robots for assembly of small batches",
        "Cobots that learn assembly tasks from demonstration in small and medium firms.",
    ),
    (
        "Predictive maintenance of wind turbine gearboxes",
        "Vibration monitoring and machine learning predict failures of wind turbine gearboxes.",
    ),
    (
        "Digital twins for manufacturing lines",
        "Simulation models of production lines fed by sensor data to predict maintenance needs.",
    ),
    (
        "Hydrogen fuel cells for forklifts",
        "Proton exchange membrane fuel cells powering forklifts in logistics warehouses.",
    ),
    (
        "Energy efficient hydraulic drives",
        "Variable speed pumps reduce the energy used by hydraulic drives in machine tools.",
    ),
    (
        "Machine vision for quality inspection of welds",
        "Cameras and deep learning inspect weld seams on car body lines.",
    ),
    (
        "Recycling of rare earth magnets from motors",
        "Recovering neodymium magnets from end-of-life electric motors.",
    ),
    (
        "Exoskeletons for factory workers",
        "Passive exoskeletons reduce back strain of workers lifting heavy parts.",
    ),
]


# What members asked about before: other subjects, over the previous year.
EARLIER_NEEDS = [
    ("Formazione sulla saldatura laser", "Corsi per operatori di saldatura laser su acciaio inox."),
    ("Export machinery to Canada", "Partners to sell packaging machines in Canada and the US."),
    ("Riduzione dei consumi energetici", "Ridurre i consumi di aria compressa nello stabilimento."),
    ("Finanziamenti per nuovi macchinari", "Bandi regionali per acquistare macchinari nuovi."),
    ("Lightweight aluminium castings", "Suppliers of thin-wall aluminium die castings."),
    ("Certificazione sicurezza macchine", "Supporto per la marcatura CE delle nuove macchine."),
    ("Recruiting mechatronics technicians", "Where to find young mechatronics technicians."),
    ("Packaging riciclabile per ricambi", "Imballaggi riciclabili per spedire i ricambi."),
]


def _quarters_ago(count: int, day: int = 10) -> datetime.date:
    today = timezone.localdate()
    month = (today.month - 1) - 3 * count
    year = today.year + month // 12
    return datetime.date(year, month % 12 + 1, day)


def journey_data(mech):
    """Twelve mech members' approved needs over the last three months, two of them merged
    into another (near-duplicates), and the cluster's projects of earlier years."""
    today = timezone.localdate()
    members = []
    for number in range(12):
        organization = OrganizationFactory(name=f"Meccatronica {number:02d} Srl")
        MembershipFactory(organization=organization, cluster=mech)
        members.append(organization)
    earlier = [
        contribution(
            members[number],
            mech,
            title,
            text,
            created=_quarters_ago(1 + number % 4, 5 + 3 * number),
        )
        for number, (title, text) in enumerate(EARLIER_NEEDS)
    ]
    needs = []
    for number, (title, text) in enumerate(NEEDS):
        created = today - datetime.timedelta(days=85 - 7 * number)
        needs.append(contribution(members[number], mech, title, text, created=created))
    # Two near-duplicates of the first need, merged into it by the manager.
    duplicates = [
        contribution(
            members[number],
            mech,
            "Manutenzione predittiva per macchine utensili",
            "Prevedere i guasti dei mandrini delle macchine utensili con sensori.",
            status="merged",
            merged_into=needs[0],
            created=today - datetime.timedelta(days=20 + number),
        )
        for number in (10, 11)
    ]
    projects = [
        project(title, objective, _quarters_ago(1 + number), clusters=(mech,))
        for number, (title, objective) in enumerate(PROJECTS)
    ]
    return {
        "members": members,
        "needs": needs,
        "earlier": earlier,
        "duplicates": duplicates,
        "projects": projects,
    }
