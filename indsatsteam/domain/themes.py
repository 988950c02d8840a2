"""The six themes a programme (rådgivningsforløb) can work on."""

from __future__ import annotations

THEMES: tuple[tuple[str, str], ...] = (
    ("ledelse_organisation", "Ledelse og organisation"),
    ("helhed_sammenhaeng", "Helhed og sammenhæng"),
    ("samarbejde_borger", "Samarbejde med borgeren"),
    ("sundhed", "Sundhed"),
    ("civilsamfund", "Civilsamfund"),
    ("uddannelse_beskaeftigelse", "Uddannelse og beskæftigelse"),
)
