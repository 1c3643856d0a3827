from django.core.exceptions import ValidationError

from clusterhub.registry.identifiers import pic_problem, vat_number_problem


def validate_vat_number(value: str) -> None:
    problem = vat_number_problem(value)
    if problem:
        raise ValidationError(f"Invalid VAT number {value!r}: {problem}.", code="invalid_vat")


def validate_pic(value: str) -> None:
    problem = pic_problem(value)
    if problem:
        raise ValidationError(f"Invalid PIC {value!r}: {problem}.", code="invalid_pic")
