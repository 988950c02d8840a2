"""The staff blueprint of the reviews; importing this module registers all of its views."""

from . import application_routes, decision_routes  # noqa: F401  (their views register on bp)
from .blueprint import bp

__all__ = ["bp"]
