"""The staff blueprint; importing this module registers all of its views."""

from . import bp, overview, review  # noqa: F401  (their views register on bp)

__all__ = ["bp"]
