"""Dashboards: the consultant's own overview (the manager's caseload dashboard is next)."""
