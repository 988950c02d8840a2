"""The audit trail (every change, who and when, fields from → to) and the GDPR access log."""

from .access_log import log_access
from .trail import acting_as, audited_types, register_listeners

__all__ = ["acting_as", "audited_types", "log_access", "register_listeners"]
