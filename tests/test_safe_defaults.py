"""Safe defaults (issue 18): production unless development is asked for, never DEBUG under
gunicorn, a real SECRET_KEY, no demo data in production, COOP/CORP headers, and the
retention job purging the login counters."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

import config
from indsatsteam import clock
from indsatsteam.auth import throttle
from indsatsteam.extensions import db
from indsatsteam.gdpr.retention import run_retention
from indsatsteam.models import RateLimitCounter, RememberToken, User

from helpers import aware
from reminder_helpers import free_port

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def test_an_unset_environment_means_production(monkeypatch):
    monkeypatch.delenv("INDSATSTEAM_ENV", raising=False)
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", secrets.token_hex(32))
    chosen = config.load_config()
    assert chosen is config.ProductionConfig
    assert chosen.DEBUG is False and chosen.SESSION_COOKIE_SECURE is True
    assert chosen.MAIL_BACKEND == "smtp"


def test_an_unknown_environment_is_refused(monkeypatch):
    monkeypatch.setenv("INDSATSTEAM_ENV", "prod")
    with pytest.raises(RuntimeError, match="INDSATSTEAM_ENV='prod' er ukendt"):
        config.load_config()


@pytest.mark.parametrize("key", [None, "", "x", "hemmelig", "a" * 64, "abcabcabc" * 5])
def test_production_refuses_a_missing_or_guessable_secret_key(monkeypatch, key):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config.load_config("production")


def test_production_takes_a_random_secret_key(monkeypatch):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", secrets.token_urlsafe(32))
    assert config.load_config("production") is config.ProductionConfig


def _gunicorn(tmp_path, **env_changes):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("INDSATSTEAM_", "SECRET_KEY", "DATABASE_URL", "FLASK_"))}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}",
                "INSTANCE_PATH": str(tmp_path), "PYTHONUNBUFFERED": "1"})
    env.update({k: v for k, v in env_changes.items() if v is not None})
    port = free_port()
    process = subprocess.Popen([GUNICORN, "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    return process, f"http://127.0.0.1:{port}"


def _get(url: str, process) -> tuple[int, dict, str]:
    for _ in range(100):
        if process.poll() is not None:
            pytest.fail("gunicorn stoppede: " + process.stdout.read())
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read().decode()
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn svarede ikke")


@pytest.mark.parametrize("environment", [None, "development"])
def test_gunicorn_never_runs_with_debug(tmp_path, environment):
    """Without INDSATSTEAM_ENV gunicorn gets production; even when it says development the
    server runs without DEBUG (no debugger, HSTS sent, the Danish 404 page)."""
    process, base = _gunicorn(tmp_path, SECRET_KEY=secrets.token_hex(32),
                              INDSATSTEAM_ENV=environment)
    try:
        status, headers, body = _get(f"{base}/findes-ikke", process)
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert status == 404
    assert "Strict-Transport-Security" in headers  # only sent without DEBUG
    assert "Werkzeug Debugger" not in body and "Siden findes ikke" in body


def test_gunicorn_without_a_secret_key_refuses_to_start(tmp_path):
    process, _ = _gunicorn(tmp_path)
    try:
        output, _ = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode != 0
    assert "SECRET_KEY skal være sat i produktion" in output


def test_seed_demo_refuses_in_production(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "seed-demo kører ikke i produktion" in result.output
    assert db.session.execute(select(func.count()).select_from(User)).scalar() == 0


def test_pages_send_coop_and_corp(client):
    response = client.get("/")
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_retention_purges_run_out_login_counters_and_remember_tokens(app, make_user):
    start = aware(2026, 11, 20, 9, 0)
    clock.freeze(start)
    throttle.begin_attempt("a@example.dk", "203.0.113.7", known_device=False)
    user = make_user()
    db.session.add(RememberToken(user_id=user.id, series="s", token_hash="h" * 64,
                                 expires_at=start + timedelta(days=1)))
    db.session.commit()
    assert db.session.execute(select(func.count()).select_from(RateLimitCounter)).scalar() == 3

    run = run_retention(now=start + timedelta(days=2), dry_run=True)
    assert run.summary["security_bookkeeping"] == {"deleted": 4}
    assert db.session.execute(select(func.count()).select_from(RateLimitCounter)).scalar() == 3

    # Still inside the window and the delay: kept.
    run_retention(now=start + timedelta(days=0))
    assert db.session.execute(select(func.count()).select_from(RateLimitCounter)).scalar() == 3
    run_retention(now=start + timedelta(days=2))
    assert db.session.execute(select(func.count()).select_from(RateLimitCounter)).scalar() == 0
    assert db.session.execute(select(func.count()).select_from(RememberToken)).scalar() == 0
