"""CORDIS project files as trend documents (for the benchmark, the tests and offline runs).

Reads the two CORDIS CSVs of the shared data folder directly (no Django): the FP7 projects
involving INRAE (``cordis-fp7-inrae/projects.csv``, 2007-2015, agri-food) and the Horizon 2020
clean-technology projects (``cordis-h2020-cleantech/cleantechtag_joint_results.csv``,
2014-2020). Each project becomes one document: title, then objective; dated by its start date;
grouped by its programme; its members are the coordinator's country for H2020 (the file has
no organization ids) and nothing for FP7. Source: CORDIS (European Commission, CC BY 4.0).
"""

from __future__ import annotations

import csv
import datetime
import sys
from collections.abc import Iterator
from pathlib import Path

from analytics.trends.model import TrendDocument

FP7_FILE = Path("cordis-fp7-inrae") / "projects.csv"
H2020_FILE = Path("cordis-h2020-cleantech") / "cleantechtag_joint_results.csv"
FILES = (FP7_FILE, H2020_FILE)


def project_text(title: str, objective: str) -> str:
    """Title, then objective: the title names the topic, the objective's start explains it."""
    title = " ".join(title.split())
    objective = " ".join(objective.split())
    if title and objective:
        return f"{title}. {objective}"
    return title or objective


def _date(raw: str) -> datetime.date | None:
    raw = raw.strip()[:10]
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        return None


def read_projects(path: Path, *, source: str) -> Iterator[TrendDocument]:
    """Documents of one CORDIS project CSV (comma-separated, header row); rows without a
    start date or any text are skipped."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            date = _date(row.get("startDate") or "")
            text = project_text(row.get("title") or "", row.get("objective") or "")
            if date is None or not text:
                continue
            programme = (row.get("programme") or "").strip()
            country = (row.get("coordinatorCountry") or "").strip()
            yield TrendDocument(
                key=f"{source}:{(row.get('id') or '').strip()}",
                text=text,
                date=date,
                groups=(programme.split(";")[0],) if programme else (),
                members=(f"country:{country}",) if country else (),
            )


def load_projects(data_dir: Path) -> list[TrendDocument]:
    """All projects of both CORDIS files under ``data_dir`` (the shared data folder), in
    file order. FileNotFoundError names a missing file."""
    docs: list[TrendDocument] = []
    for relative, source in ((FP7_FILE, "fp7"), (H2020_FILE, "h2020")):
        path = data_dir / relative
        if not path.is_file():
            raise FileNotFoundError(f"CORDIS file not found: {path}")
        docs.extend(read_projects(path, source=source))
    return docs
