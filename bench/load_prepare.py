"""The data bench/load.py needs from the database, read inside Django; writes one JSON file.

    python bench/load_prepare.py OUT.json [--voters 8]

Run by bench/load.py with the bench's environment (its own database copy). It makes sure an
agenda consultation is open (the agenda demo, idempotent, when no version is in
consultation), creates one API token per voter (people of distinct organizations that take
part in that consultation) and lists the public profiles, agenda items and demo sign-in the
virtual users request. Tokens are created through the people app's own service.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Search words and needs found in the demo registry (Italian and English, as users type).
SEARCH_TERMS = ["lab", "food", "meccanica", "packaging", "energia", "robot", "bologna", "srl"]
MATCH_QUERIES = [
    "compostable materials for food trays with an oxygen barrier",
    "sensori per irrigazione di precisione",
    "additive manufacturing of metal parts",
    "whey by-products valorisation",
    "collaudo di componenti meccanici",
    "digital traceability for small food producers",
]


def prepare(out: Path, voters_wanted: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterhub.settings")
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from clusterhub.agenda.models import AgendaVersion, ItemStatus, VotingMethod
    from clusterhub.agenda.selectors import can_take_part
    from clusterhub.core.demo import DEMO_PASSWORD, MEMBER_EMAIL
    from clusterhub.people.models import Person
    from clusterhub.people.tokens import token_create
    from clusterhub.registry.selectors import organizations_visible_to

    now = timezone.now()

    def open_versions() -> list[AgendaVersion]:
        return [
            v
            for v in AgendaVersion.objects.filter(
                phase="consultation", voting_method=VotingMethod.APPROVAL
            ).order_by("pk")
            if v.consultation_is_open(now)
        ]

    agenda_note = ""
    versions = open_versions()
    if not versions:
        from clusterhub.agenda.demo import load_demo

        agenda_note = load_demo()
        versions = open_versions()

    ballot: dict[str, object] = {"items": [], "tokens": [], "version": None}
    if versions:
        version = versions[0]
        voters, seen = [], set()
        for person in Person.objects.filter(is_active=True).order_by("pk"):
            organization = can_take_part(person, version)
            if organization is None or organization.pk in seen:
                continue
            seen.add(organization.pk)
            voters.append(person)
            if len(voters) >= voters_wanted:
                break
        tokens = [token_create(person=p, name="bench/load.py")[1] for p in voters]
        ballot = {
            "version": f"{version.cluster.slug} v{version.number}",
            # Items split or merged away are no longer votable (422): only the active ones.
            "items": list(
                version.items.filter(status=ItemStatus.ACTIVE)
                .order_by("pk")
                .values_list("pk", flat=True)
            ),
            "tokens": tokens,
            "organizations": len(voters),
        }

    visible = organizations_visible_to(AnonymousUser())
    data = {
        "organizations": visible.count(),
        "profiles": list(visible.order_by("pk").values_list("pk", flat=True)[:40]),
        "search_terms": SEARCH_TERMS,
        "match_queries": MATCH_QUERIES,
        "login": {"email": MEMBER_EMAIL, "password": DEMO_PASSWORD},
        "ballot": ballot,
        "agenda_demo": agenda_note,
    }
    out.write_text(json.dumps(data), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--voters", type=int, default=8)
    args = parser.parse_args()
    prepare(args.out, args.voters)


if __name__ == "__main__":
    main()
