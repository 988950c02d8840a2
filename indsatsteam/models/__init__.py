"""Typed SQLAlchemy models, one module per aggregate."""

from .application import (
    Application,
    ApplicationRound,
    ApplicationStatusChange,
    ReferenceCounter,
    application_themes,
)
from .audit import AccessLogEntry, AuditEvent
from .catalogue import PhaseTemplate, Recommendation, RecommendationCatalogue, TaskTemplate
from .development import (
    DevelopmentPlan,
    EngagementMethod,
    Method,
    MethodLibrary,
    PlanMilestone,
    development_plan_methods,
)
from .effect import BenefitRating, EngagementIndicator, Indicator, IndicatorCatalogue
from .engagement import (
    AnalysisFinding,
    CollaborationAgreement,
    Engagement,
    EngagementRecommendation,
    FinalEvaluation,
    Meeting,
    Note,
    PhasePlan,
    PhaseTransition,
    Task,
    engagement_themes,
)
from .files import (
    Attachment,
    IssuedDocument,
    StoredFile,
    StoredFileChunk,
    notification_documents,
)
from .gdpr import DeletionRequest, RetentionPolicy, RetentionRun
from .notification import DigestDelivery, Notification, NotificationPreference, ReminderRule
from .oidc import OidcIdentity
from .provider import Provider
from .review import Review
from .security import OutgoingMail, RateLimitCounter, RememberToken
from .theme import Theme
from .user import STAFF_ROLES, ProviderMembership, Role, User

__all__ = [
    "BenefitRating",
    "EngagementIndicator",
    "Indicator",
    "IndicatorCatalogue",
    "DevelopmentPlan",
    "EngagementMethod",
    "Method",
    "MethodLibrary",
    "PlanMilestone",
    "development_plan_methods",
    "OidcIdentity",
    "Attachment",
    "IssuedDocument",
    "StoredFile",
    "StoredFileChunk",
    "notification_documents",
    "AccessLogEntry",
    "AuditEvent",
    "DeletionRequest",
    "RetentionPolicy",
    "RetentionRun",
    "DigestDelivery",
    "Notification",
    "NotificationPreference",
    "ReminderRule",
    "AnalysisFinding",
    "CollaborationAgreement",
    "Engagement",
    "EngagementRecommendation",
    "FinalEvaluation",
    "Meeting",
    "Note",
    "PhasePlan",
    "PhaseTemplate",
    "PhaseTransition",
    "Recommendation",
    "RecommendationCatalogue",
    "Review",
    "Task",
    "TaskTemplate",
    "engagement_themes",
    "STAFF_ROLES",
    "Application",
    "ApplicationRound",
    "ApplicationStatusChange",
    "OutgoingMail",
    "RateLimitCounter",
    "RememberToken",
    "Provider",
    "ProviderMembership",
    "ReferenceCounter",
    "Role",
    "Theme",
    "User",
    "application_themes",
]
