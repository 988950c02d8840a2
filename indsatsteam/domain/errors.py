"""The one error type the domain rules raise for input a user can correct."""

from __future__ import annotations


class DomainError(Exception):
    """A broken rule, with a Danish message fit to show the user as it is.

    `field` names the form field the message belongs to, when there is one, so a
    route can put the message above the right field.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message
