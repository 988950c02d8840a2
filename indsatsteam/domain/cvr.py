"""CVR numbers (organisations) and P-numbers (physical sites)."""

from __future__ import annotations

import re

from .errors import DomainError

CVR_LENGTH_MESSAGE = "Indtast et CVR-nummer på 8 cifre"
CVR_CHECKSUM_MESSAGE = "CVR-nummeret er ikke gyldigt. Tjek at du har skrevet det rigtigt"
P_NUMBER_MESSAGE = "Indtast et P-nummer på 10 cifre"

_CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)
# [0-9] rather than \d: \d also accepts other scripts' digits such as "٣".
_CVR_PATTERN = re.compile(r"[0-9]{8}")
_P_NUMBER_PATTERN = re.compile(r"[0-9]{10}")


def _without_spaces(value: str | None) -> str:
    # Users type "1234 5678" and paste numbers with non-breaking spaces from web pages.
    return "".join((value or "").split())


def check_cvr(value: str) -> str:
    """Return the CVR number as 8 digits, or raise DomainError."""
    cvr = _without_spaces(value)
    if not _CVR_PATTERN.fullmatch(cvr):
        raise DomainError(CVR_LENGTH_MESSAGE, field="cvr")
    checksum = sum(int(digit) * weight for digit, weight in zip(cvr, _CVR_WEIGHTS, strict=True))
    if cvr[0] == "0" or checksum % 11 != 0:
        raise DomainError(CVR_CHECKSUM_MESSAGE, field="cvr")
    return cvr


def check_p_number(value: str) -> str:
    """Return the P-number as 10 digits, or raise DomainError.

    P-numbers have no published check digit, so only the form is checked.
    """
    p_number = _without_spaces(value)
    if not _P_NUMBER_PATTERN.fullmatch(p_number):
        raise DomainError(P_NUMBER_MESSAGE, field="p_number")
    return p_number
