"""Build import files for the tests: valid VAT numbers and many-row CSVs."""

import csv
from pathlib import Path

HEADER = ["Ragione sociale", "Partita IVA", "CAP", "Comune", "Tipo", "Competenze", "Cluster"]


def vat_number(seed: int) -> str:
    """A valid Italian VAT number: ten digits from `seed`, then the check digit."""
    digits = [int(c) for c in f"{seed:010d}"[-10:]]
    total = sum(
        d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits)
    )
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def write_organizations_csv(path: Path, count: int, *, start: int = 1) -> Path:
    """`count` distinct firms, semicolon-separated, as a spreadsheet would export them."""
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER)
        for n in range(start, start + count):
            writer.writerow(
                [
                    f"Impresa Numero {n} Srl",
                    vat_number(1_000_000 + n),
                    "40126",
                    "Bologna",
                    "impresa",
                    "3|4",
                    "agrifood",
                ]
            )
    return path
