"""Rebuild presets/emilia-romagna/projects/ from the shared CORDIS files.

    .venv/bin/python scripts/curate_demo_projects.py [/work/shared/data]

Keeps, verbatim, the projects that have a participant in Emilia-Romagna with all their
participants:
- FP7 (INRAE observatory CSV): participants placed in the region by their city, the way the
  import does (clusterhub.projects.linking.RegionLocator), in an in-memory database loaded
  with the region preset;
- Horizon 2020 clean-tech (CORDIS 2019-2020 table), projects with participants from Italy:
  participants whose normalised name is one of the demo registry's organizations
  (presets/emilia-romagna/organizations.csv), whose name places them in the region, or whose
  name the import would send to the review queue as similar to a registry organization's (a
  few true and false candidates, so that the demo has a queue to review).
Participants registered under a person's name (sole traders) are left out, as in the demo
registry.
"""

import csv
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["CLUSTERHUB_SQLITE_PATH"] = ":memory:"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterhub.settings")

# CORDIS lists a few sole traders by their owner's name: people, not organizations.
PEOPLE = {"NERI DANIELE"}
# Words of a name that place an organization in Emilia-Romagna.
PLACE_WORDS = {"imola", "bologna", "emilia", "romagna", "modena", "parma", "ferrara", "ravenna"}

csv.field_size_limit(10_000_000)


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_region", verbosity=0)
    from analytics.textnorm import normalize_name
    from clusterhub.projects.linking import (
        FOREIGN_LEGAL_FORMS,
        OrganizationIndex,
        RegionLocator,
        short_names,
    )

    data = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data")
    out = ROOT / "presets" / "emilia-romagna" / "projects"
    locator = RegionLocator()

    # FP7, INRAE observatory.
    with open(data / "cordis-fp7-inrae" / "participants.csv", encoding="utf-8", newline="") as f:
        participants = list(csv.DictReader(f))
    local = {
        p["projectID"]
        for p in participants
        if locator.locate(country=p["country"], nuts="", postcode="", city=p["city"]).in_region
    }
    with open(data / "cordis-fp7-inrae" / "projects.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames or []
        projects = [p for p in reader if p["id"] in local]
    with open(out / "fp7_projects.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields)
        writer.writeheader()
        writer.writerows(projects)
    kept = [p for p in participants if p["projectID"] in local and p["name"] not in PEOPLE]
    with open(out / "fp7_participants.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(participants[0]))
        writer.writeheader()
        writer.writerows(kept)
    print(f"FP7: {len(projects)} projects, {len(kept)} participations")

    # Horizon 2020 clean-tech.
    with open(ROOT / "presets" / "emilia-romagna" / "organizations.csv", encoding="utf-8") as f:
        names = [row["name"] for row in csv.DictReader(f)]
    registry = {normalize_name(n) for n in names}
    index = OrganizationIndex(
        (pk, n, normalize_name(n), "", "", "") for pk, n in enumerate(names, start=1)
    )

    def similar(name: str) -> bool:
        if set(name.lower().replace(".", " ").split()) & FOREIGN_LEGAL_FORMS:
            return False
        shorts = short_names(name, "")
        return bool(index.similar(normalize_name(name), exclude=set())) or any(
            s in registry for s in shorts
        )

    source = data / "cordis-h2020-cleantech" / "cleantechtag_joint_results.csv"
    with open(source, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        name_at = header.index("participants")
        coordinator_at = header.index("coordinator")
        countries_at = header.index("participantCountries")
        coordinator_country_at = header.index("coordinatorCountry")
        rows = []
        for row in reader:
            countries = {row[coordinator_country_at], *row[countries_at].split(";")}
            if "IT" not in countries:
                continue
            names = [n for n in [row[coordinator_at], *row[name_at].split(";")] if n.strip()]
            normalized = [normalize_name(n) for n in names]
            if any(n in registry or set(n.split()) & PLACE_WORDS for n in normalized) or any(
                similar(n) for n in names
            ):
                rows.append(row)
    with open(out / "h2020_cleantech.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    print(f"H2020 clean-tech: {len(rows)} projects")


if __name__ == "__main__":
    main()
