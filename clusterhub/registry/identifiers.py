"""Validation of organization identifiers. Pure functions, no Django."""

import re

_VAT_PREFIX = re.compile(r"^IT", re.IGNORECASE)


def clean_vat_number(value: str) -> str:
    """Strip spaces and an `IT` prefix: the stored form is the 11 digits."""
    return _VAT_PREFIX.sub("", re.sub(r"[\s.\-]", "", value or ""))


def vat_number_problem(value: str) -> str | None:
    """Why an Italian VAT number (partita IVA) is invalid, or None if it is valid.

    The 11th digit is a Luhn-style check digit over the first ten.
    """
    if not re.fullmatch(r"\d{11}", value):
        return "must be 11 digits"
    if value == "0" * 11:
        return "cannot be all zeros"
    digits = [int(c) for c in value]
    total = 0
    for i, d in enumerate(digits[:10]):
        if i % 2 == 0:
            total += d
        else:
            doubled = d * 2
            total += doubled - 9 if doubled > 9 else doubled
    check = (10 - total % 10) % 10
    if check != digits[10]:
        return "wrong check digit"
    return None


def clean_pic(value: str) -> str:
    return re.sub(r"\s", "", value or "")


def pic_problem(value: str) -> str | None:
    """Why an EU Participant Identification Code is invalid, or None if it is valid."""
    if not re.fullmatch(r"\d{9}", value):
        return "must be 9 digits"
    return None
