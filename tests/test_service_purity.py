"""Who may commit and who may import Flask, checked the way tests/domain/test_domain_purity.py
checks domain/.

Services take plain values, never commit, never call `abort` and never see a request: the
edge of each process commits exactly once. The edges are the routes (through
`forms.domain_errors`), the CLI commands and the scheduler's jobs.
"""

import ast
from fnmatch import fnmatch
from pathlib import Path

import pytest

import indsatsteam

PACKAGE = Path(indsatsteam.__file__).parent
MODULES = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py"))

# The edges: each is the "route" of its process and ends the transaction itself.
MAY_COMMIT = {
    "*routes.py": "a route ends its request; form actions through forms.domain_errors",
    "forms.py": "domain_errors: the one place a form action commits or rolls back",
    "cli.py": "a CLI command is the route of its process",
    "*/cli.py": "a CLI command is the route of its process",
    "reminders/sweep.py": "scheduler job: commits the outbox rows before the sender claims them",
    "notifications/sender.py": "scheduler job: claims and marks each e-mail in its own commit",
    "notifications/digest.py": "scheduler job: claims and marks each digest in its own commit",
    "notifications/mail_queue.py": "scheduler job: claims and marks each account e-mail in its "
                                   "own commit (queue_mail itself never commits)",
    "auth/sessions.py": "Flask-Login's loader and the login/logout edge: a rotated session or "
                        "Husk mig token is committed before the response sets its cookie",
    "gdpr/retention.py": "scheduler job (and `flask retention run`); a dry run rolls back",
    "audit/access_log.py": "log_access commits a page that only reads, so the log row stays",
    "demo*.py": "seed-demo builds data outside any request",
    "*/demo*.py": "seed-demo builds data outside any request",
    "bench*.py": "flask bench drives the app from outside",
    "*/bench*.py": "flask bench drives the app from outside",
}

# Modules that work with requests, templates or the app object by nature.
MAY_IMPORT_FLASK = {
    "__init__.py": "create_app",
    "extensions.py": "the Flask extensions",
    "*routes.py": "the web edge",
    "forms.py": "Flask-WTF forms and domain_errors",
    "*/forms.py": "Flask-WTF forms",
    "*/blueprint.py": "a blueprint whose views are spread over several modules",
    "cli.py": "click commands", "*/cli.py": "click commands",
    "access.py": "the loaders answer 404 for other people's objects",
    "security.py": "role_required and the security headers",
    "session_timeout.py": "request hooks", "errors.py": "error pages and request ids",
    "request_id.py": "the request id of the current request",
    "health.py": "WSGI middleware: /healthz and /readyz in front of the app",
    "rate_limits.py": "Flask-Limiter on the app's endpoints, limits from the config",
    "templating.py": "template filters", "*/templating.py": "template filters",
    "mail.py": "renders and sends e-mails with the app's config",
    "links.py": "builds links from the app's url map and PUBLIC_BASE_URL",
    "models/user.py": "Flask-Login's UserMixin",
    "audit/trail.py": "the actor of the current request",
    "audit/access_log.py": "the viewer and path of the current request",
    "audit/queries.py": "links from the trail to each object's page, for the templates",
    "applications/summary.py": "the \"Ret\" links of the check page",
    "dashboards/overview.py": "renders and keeps the sections for DASHBOARD_CACHE_SECONDS",
    "notifications/events.py": "renders the notification texts from templates, like mail.py",
    "notifications/sender.py": "scheduler job: reads the retry settings from the config",
    "reminders/sweep.py": "scheduler job: reads REMINDER_LOOKBACK_DAYS",
    "reminders/scheduler.py": "the scheduler process runs each job in an app context",
    "bench*.py": "drives the app with a test client", "*/bench*.py": "as above",
    "signing.py": "signed links: reads SECRET_KEY and INVITE_MAX_AGE for the services",
    "auth/hashing.py": "argon2 with the app's ARGON2_PARAMS, for the services",
    "auth/sessions.py": "Flask-Login: login_user, the request's cookies and g",
    "auth/oidc.py": "Authlib's Flask client: the session keeps state, nonce and PKCE verifier",
    "auth/throttle.py": "reads the throttle limits and RATE_LIMIT_STORAGE from the config",
    "notifications/mail_queue.py": "renders account e-mails with the app's config, like mail.py",
}


def _matches(path: str, patterns: dict[str, str]) -> bool:
    return any(fnmatch(path, pattern) for pattern in patterns)


def _tree(path: str) -> ast.Module:
    return ast.parse((PACKAGE / path).read_text(encoding="utf-8"))


def _imports_flask(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        if any(name.split(".")[0] == "flask" or name.startswith("flask_") for name in names):
            return True
    return False


def _commits(tree: ast.Module) -> list[int]:
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "commit"]


def _calls_abort(tree: ast.Module) -> list[int]:
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "abort"]


@pytest.mark.parametrize("path", [p for p in MODULES if not _matches(p, MAY_COMMIT)
                                  and not p.startswith("domain/")])
def test_only_the_edges_commit(path):
    assert _commits(_tree(path)) == [], f"{path} commits: leave it to the route or job"


@pytest.mark.parametrize("path", [p for p in MODULES if not _matches(p, MAY_IMPORT_FLASK)
                                  and not p.startswith("domain/")])
def test_services_and_queries_do_not_import_flask(path):
    assert not _imports_flask(_tree(path)), f"{path} imports Flask"


@pytest.mark.parametrize("path", [p for p in MODULES if fnmatch(p, "*services.py")])
def test_services_never_abort(path):
    # A service returns None where the route should answer 404.
    assert _calls_abort(_tree(path)) == []


def test_every_service_module_is_checked():
    services = [p for p in MODULES if fnmatch(p, "*/services.py")]
    assert len(services) >= 10
    assert not any(_matches(p, MAY_COMMIT) for p in services)
    # The app's settings reach them through the edges above (signing.py, auth/hashing.py).
    assert not [p for p in services if _imports_flask(_tree(p))]
