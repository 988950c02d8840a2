"""Typed SQLAlchemy models, one module per aggregate."""

from .application import (
    Application,
    ApplicationRound,
    ApplicationStatusChange,
    ReferenceCounter,
    application_themes,
)
from .provider import Provider
from .theme import Theme
from .user import STAFF_ROLES, LoginAttempt, ProviderMembership, Role, User

__all__ = [
    "STAFF_ROLES",
    "Application",
    "ApplicationRound",
    "ApplicationStatusChange",
    "LoginAttempt",
    "Provider",
    "ProviderMembership",
    "ReferenceCounter",
    "Role",
    "Theme",
    "User",
    "application_themes",
]
