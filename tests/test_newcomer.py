"""A newcomer's first run: PUBLIC_BASE_URL follows PORT, and the banner lists every demo user."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from config import default_public_base_url
from indsatsteam.demo.seed import DEMO_USERS

ROOT = Path(__file__).resolve().parents[1]


def test_links_follow_port_unless_public_base_url_is_set():
    assert default_public_base_url({}) == "http://127.0.0.1:5000"
    assert default_public_base_url({"PORT": "5101"}) == "http://127.0.0.1:5101"
    assert default_public_base_url({"PORT": "5101", "PUBLIC_BASE_URL": "https://indsats.dk/"}
                                   ) == "https://indsats.dk"


def test_the_start_banner_names_the_port_and_all_seven_demo_users():
    env = {**os.environ, "PORT": "5101"}
    env.pop("PUBLIC_BASE_URL", None)
    out = subprocess.run(["make", "-s", "banner"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert "http://127.0.0.1:5101/" in out
    assert "Links i e-mails og kalenderen peger på http://127.0.0.1:5101" in out
    assert len(DEMO_USERS) == 7
    for email, name, _role in DEMO_USERS:
        assert email in out and name in out


def test_make_exports_port_to_the_app_and_the_scheduler():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nexport PORT\n" in makefile
    run_line = next(line for line in makefile.splitlines() if line.startswith("run:"))
    assert run_line.endswith("install assets db banner")
