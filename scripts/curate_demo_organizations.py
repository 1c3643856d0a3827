"""Build presets/emilia-romagna/organizations.csv from the public data sets in ../shared/data.

One-off curation script, kept so the demo data can be rebuilt and audited:

    .venv/bin/python scripts/curate_demo_organizations.py [DATA_DIR] [OUTPUT_CSV]

Sources (see presets/emilia-romagna/ATTRIBUTION.md):
- er-htn-labs/labs.csv: the 81 High Technology Network labs and their competences;
- cordis-fp7-inrae/participants.csv + projects.csv: FP7 participants located in Emilia-Romagna;
- cordis-h2020-cleantech/cleantechtag_joint_results.csv: H2020 clean-tech participants whose
  names place them in Emilia-Romagna.

Only public, organisational facts are copied: no people, no contact data. Lab clusters are
not written here: `load_demo` derives them from competences with the preset's
`competence_clusters`. CORDIS organizations get explicit clusters from their projects.
"""

import csv
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.textnorm import normalize_name  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_OUTPUT = ROOT / "presets" / "emilia-romagna" / "organizations.csv"

# Lists (competence codes, cluster slugs) are separated by "|", as the import engine reads them.
COLUMNS = [
    "source",
    "source_ref",
    "name",
    "kind",
    "htn_accredited",
    "pic",
    "street",
    "postcode",
    "city",
    "website",
    "description",
    "competences",
    "clusters",
]

# Emilia-Romagna municipalities that occur in the CORDIS files, by normalised spelling.
ER_CITIES = {
    "bologna": "Bologna",
    "modena": "Modena",
    "parma": "Parma",
    "reggio emilia": "Reggio Emilia",
    "reggio nell emilia": "Reggio Emilia",
    "piacenza": "Piacenza",
    "ferrara": "Ferrara",
    "ravenna": "Ravenna",
    "forli": "Forlì",
    "cesena": "Cesena",
    "rimini": "Rimini",
    "imola": "Imola",
    "faenza": "Faenza",
    "carpi": "Carpi",
    "san lazzaro di savena": "San Lazzaro di Savena",
    "molinella": "Molinella",
    "argelato": "Argelato",
    "castelnuovo rangone": "Castelnuovo Rangone",
    "casalecchio di reno": "Casalecchio di Reno",
    "podenzano": "Podenzano",
    "ponte dell olio": "Ponte dell'Olio",
}

ACTIVITY_KINDS = {
    "HES": "university",
    "REC": "research_lab",
    "PRC": "firm",
    "PUB": "public_body",
    "OTH": "intermediary",
}

# Every project of the INRAE file is agri-food research; health projects also count for health.
DOMAIN_CLUSTERS = {"medical and health sciences": "health"}
DEFAULT_CORDIS_CLUSTER = "agrifood"

# The source gives these labs no competences; their names say what they do.
LAB_CLUSTERS = {"CIRI ICT": "innovate"}

# Names of natural persons trading as sole traders are left out (personal data).
EXCLUDED_PICS = {"983532374"}


def normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def er_city(raw: str) -> str | None:
    """The Emilia-Romagna municipality a CORDIS city field names, or None."""
    city = normalize(raw)
    for key, name in ER_CITIES.items():
        if city == key or city.startswith(key + " "):
            return name
    return None


def htn_labs(data: Path) -> list[dict[str, str]]:
    rows = []
    with (data / "er-htn-labs" / "labs.csv").open(encoding="utf-8", newline="") as handle:
        for lab in csv.DictReader(handle):
            # full_name sometimes carries other sites' addresses after "Altre sedi".
            description = lab["full_name"].split(" Altre sedi")[0].strip()
            street = " ".join(p for p in (lab["street"].strip(), lab["street_number"].strip()) if p)
            rows.append(
                {
                    "source": "htn",
                    "source_ref": f"lab {lab['lab_id']}",
                    "name": lab["name"].strip(),
                    "kind": "research_lab",
                    "htn_accredited": "true",
                    "pic": "",
                    "street": street,
                    "postcode": lab["cap"].strip(),
                    "city": lab["city"].strip(),
                    "website": lab["website"].strip(),
                    "description": description if description != lab["name"].strip() else "",
                    "competences": "|".join(sorted(lab["competence_tag_ids"].split(), key=int)),
                    "clusters": LAB_CLUSTERS.get(lab["name"].strip(), ""),
                }
            )
    return rows


def cordis_fp7(data: Path) -> list[dict[str, str]]:
    folder = data / "cordis-fp7-inrae"
    with (folder / "projects.csv").open(encoding="utf-8", newline="") as handle:
        domains = {
            project["id"]: {d.strip() for d in project["domains"].split(";")}
            for project in csv.DictReader(handle)
        }
    by_pic: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (folder / "participants.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["country"] == "IT" and er_city(row["city"]) and row["pic"] not in EXCLUDED_PICS:
                by_pic[row["pic"]].append(row)
    rows = []
    for pic, participations in sorted(by_pic.items(), key=lambda item: item[1][0]["name"]):
        first = participations[0]
        clusters = {DEFAULT_CORDIS_CLUSTER}
        for participation in participations:
            project_domains = domains[participation["projectID"]]
            clusters |= {DOMAIN_CLUSTERS[d] for d in project_domains if d in DOMAIN_CLUSTERS}
        acronyms = sorted({p["acronym"] for p in participations})
        rows.append(
            {
                "source": "cordis",
                "source_ref": f"FP7 {' '.join(sorted({p['projectID'] for p in participations}))}",
                "name": " ".join(first["name"].split()),
                "kind": ACTIVITY_KINDS[first["activityType"]],
                "htn_accredited": "false",
                "pic": pic,
                "street": "",
                "postcode": "",
                "city": er_city(first["city"]) or "",
                "website": "",
                "description": f"Participant in FP7 projects: {', '.join(acronyms)} (CORDIS).",
                "competences": "",
                "clusters": "|".join(sorted(clusters)),
            }
        )
    return rows


ER_NAME = re.compile(
    r"bologna|modena|parma|ferrara|emilia|romagna|reggio|ravenna|rimini|piacenza|forli|cesena",
)


def h2020_name_kind(name: str) -> str:
    key = normalize(name)
    if "universita" in key:
        return "university"
    return "public_body" if re.search(r"comune|regione|azienda casa|bonifica", key) else "firm"


def cordis_h2020_cleantech(data: Path, known: list[dict[str, str]]) -> list[dict[str, str]]:
    """Add greentech to known organizations found in H2020 clean-tech projects; return new ones."""
    path = data / "cordis-h2020-cleantech" / "cleantechtag_joint_results.csv"
    projects: dict[str, set[str]] = defaultdict(set)
    spelling: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for project in csv.DictReader(handle):
            countries = {project["coordinatorCountry"], *project["participantCountries"].split(";")}
            if "IT" not in countries:
                continue
            for name in [project["coordinator"], *project["participants"].split(";")]:
                key = normalize(name)
                if ER_NAME.search(key) and "calabria" not in key:
                    projects[key].add(project["acronym"])
                    spelling[key] = " ".join(name.split())
    by_name = {normalize(row["name"]): row for row in known}
    new_rows = []
    for key in sorted(projects):
        acronyms = ", ".join(sorted(projects[key]))
        row = by_name.get(key)
        if row is not None:
            row["clusters"] = "|".join(sorted({*row["clusters"].split("|"), "greentech"} - {""}))
            row["description"] += f" Participant in H2020 clean-tech projects: {acronyms} (CORDIS)."
            continue
        city = next((name for k, name in ER_CITIES.items() if f" {k}" in f" {key}"), "")
        new_rows.append(
            {
                "source": "cordis",
                "source_ref": f"H2020 {acronyms}",
                "name": spelling[key],
                "kind": h2020_name_kind(key),
                "htn_accredited": "false",
                "pic": "",
                "street": "",
                "postcode": "",
                "city": city,
                "website": "",
                "description": f"Participant in H2020 clean-tech projects: {acronyms} (CORDIS).",
                "competences": "",
                "clusters": "greentech",
            }
        )
    return new_rows


Row = dict[str, str]


def merge_into_labs(labs: list[Row], others: list[Row]) -> list[Row]:
    """A CORDIS participant that is also a lab (same name) enriches the lab; return the rest."""
    by_name = {normalize_name(lab["name"]): lab for lab in labs}
    rest = []
    for row in others:
        lab = by_name.get(normalize_name(row["name"]))
        if lab is None:
            rest.append(row)
            continue
        lab["pic"] = row["pic"]
        lab["source_ref"] += f"; {row['source_ref']}"
        lab["description"] = f"{lab['description']} {row['description']}".strip()
        both = {*lab["clusters"].split("|"), *row["clusters"].split("|")}
        lab["clusters"] = "|".join(sorted(both - {""}))
    return rest


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA
    output = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_OUTPUT
    labs = htn_labs(data)
    fp7 = merge_into_labs(labs, cordis_fp7(data))
    h2020 = merge_into_labs(labs, cordis_h2020_cleantech(data, fp7))
    rows = labs + fp7 + h2020
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{output}: {len(labs)} labs, {len(fp7)} FP7 and {len(h2020)} more H2020 organizations")


if __name__ == "__main__":
    main()
