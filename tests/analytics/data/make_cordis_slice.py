"""Writes cordis_slice.csv, a small real slice of the shared CORDIS project files (README.md).

    .venv/bin/python tests/analytics/data/make_cordis_slice.py [../shared/data]

Case-control sampling: every project whose text (title and start of the objective, as the
trend pipeline reads it) mentions hydrogen or AI (the "cases"), plus a fixed-seed uniform
random sample of all the other projects (the "controls"). Sampling on the outcome with a
constant rate leaves the slope of a logistic growth model unchanged (only the intercept moves),
so the growth of these topics in the slice has the direction and size it has in the full data,
while the slice stays small enough for a unit test.
"""

import csv
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from analytics.trends.cordis import FP7_FILE, H2020_FILE, read_projects  # noqa: E402

SEED = 2026
CONTROLS = 240
TEXT_CHARS = 600  # TrendParams().max_chars: what the pipeline embeds
CASE = re.compile(
    r"hydrogen|artificial intelligence|machine learning|deep learning|neural network",
    re.IGNORECASE,
)


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    docs = []
    for relative, source in ((FP7_FILE, "fp7"), (H2020_FILE, "h2020")):
        docs.extend(read_projects(data / relative, source=source))
    rows = []
    for doc in docs:
        text = " ".join(doc.text.split())
        if len(text) > TEXT_CHARS:
            text = text[: text.rfind(" ", 0, TEXT_CHARS)]
        rows.append([doc.key, doc.date.isoformat(), ";".join(doc.groups), text])
    cases = [row for row in rows if CASE.search(row[3])]
    others = [row for row in rows if not CASE.search(row[3])]
    controls = random.Random(SEED).sample(others, CONTROLS)
    picked = sorted(cases + controls, key=lambda row: (row[1], row[0]))
    out = Path(__file__).with_name("cordis_slice.csv")
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["key", "startDate", "programme", "text"])
        writer.writerows(picked)
    print(
        f"{len(cases)} cases + {len(controls)} controls of {len(rows)} projects -> {out} "
        f"({out.stat().st_size} bytes)"
    )


if __name__ == "__main__":
    main()
