"""The real OpenID provider of the tests: scripts/oidc_provider/server.mjs (the npm package
oidc-provider, pinned in package-lock.json) started with node, and a driver that goes
through its authorization endpoint and login page over HTTP, as a browser would.

The app side runs in Flask's test client; the provider side is real HTTP with `requests`.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
SERVER = ROOT / "scripts" / "oidc_provider" / "server.mjs"
LOA = "https://data.gov.dk/concept/core/nsis/loa"

# The demo identities of server.mjs (sub).
TOVE = "7d8e2f1a-0c4b-4e6a-9a51-3f1c2b7d0a11"      # CVR 10000009
NIELS = "3b9c4d2e-5f6a-4b7c-8d9e-0a1b2c3d4e22"     # CVR 70000008, no tilbud
LARS_LOW = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c33"  # NSIS Low
KAREN = "c0a80101-0000-4000-8000-000000000001"     # role claim konsulent
LENE = "c0a80101-0000-4000-8000-000000000002"      # role claim leder (Lars Leder)
ULRIK = "c0a80101-0000-4000-8000-000000000003"     # no role, not invited
IDA = "c0a80101-0000-4000-8000-000000000004"       # no role: inviteret@indsatsteam…
DENNIS = "c0a80101-0000-4000-8000-000000000005"    # role claim, deaktiveret@…


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ProviderProcess:
    issuer: str
    process: subprocess.Popen
    log_path: Path
    redirect_bases: list[str]

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def ensure_running(self) -> ProviderProcess:
        """The same process, or (it stopped: a warning with its log) a new one."""
        if self.process.poll() is None:
            return self
        warnings.warn(f"OpenID-test-udbyderen stoppede (kode {self.process.returncode}) og "
                      f"startes igen; dens log:\n{self.log_tail()}", stacklevel=2)
        return start_provider(self.redirect_bases)

    def settings(self) -> dict[str, dict]:
        """OIDC_PROVIDERS for the app, as config.oidc_settings reads them from the env."""
        from config import oidc_settings

        env = {}
        for name in ("tilbud", "staff"):
            env[f"OIDC_{name.upper()}_ISSUER"] = self.issuer
            env[f"OIDC_{name.upper()}_CLIENT_ID"] = f"indsatsteam-{name}"
            env[f"OIDC_{name.upper()}_CLIENT_SECRET"] = f"dev-{name}-secret"
            env[f"OIDC_{name.upper()}_LABEL"] = (
                "Log ind med MitID Erhverv (test)" if name == "tilbud"
                else "Log ind som medarbejder (test)")
        return oidc_settings(env)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log_path.unlink(missing_ok=True)


def start_provider(redirect_bases: list[str]) -> ProviderProcess:
    """Start the provider on a free port; fails in CI, skips elsewhere, without node."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
        message = "node og node_modules/oidc-provider mangler (kør make assets)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    port = _free_port()
    env = {**os.environ, "OIDC_DEV_PORT": str(port), "OIDC_TEST_FAULTS": "1",
           "OIDC_REDIRECT_BASES": ",".join(redirect_bases), "NODE_NO_WARNINGS": "1"}
    # Its output goes to a file: an unread pipe fills up and stalls the provider.
    log_path = Path(tempfile.mkstemp(prefix="oidc-provider-", suffix=".log")[1])
    with log_path.open("w") as log:
        process = subprocess.Popen([node, str(SERVER)], cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    issuer = f"http://127.0.0.1:{port}"
    provider = ProviderProcess(issuer, process, log_path, list(redirect_bases))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"OpenID-test-udbyderen stoppede: {provider.log_tail()}")
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration",
                            timeout=1).status_code == 200:
                return provider
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("OpenID-test-udbyderen svarede ikke inden for 20 sekunder")


@dataclass
class Detour:
    """One trip through the provider: where it sent the browser back to the app."""

    callback: str  # path and query on the app: /log-ind/oidc/<provider>/retur?code=…
    browser: requests.Session


def through_provider(client, provider: str, account: str, *, next_url: str | None = None,
                     app_base: str = "http://localhost") -> Detour:
    """Start at the app's login button, log in at the provider's page as `account`, and
    return the redirect back to the app (not yet followed)."""
    start = f"/log-ind/oidc/{provider}" + (f"?next={next_url}" if next_url else "")
    response = client.get(start)
    assert response.status_code == 302, response.get_data(as_text=True)
    browser = requests.Session()
    location = response.headers["Location"]
    for _ in range(10):
        if location.startswith(app_base):
            parts = urlsplit(location)
            return Detour(f"{parts.path}?{parts.query}", browser)
        page = browser.get(location, allow_redirects=False, timeout=10)
        if page.status_code == 200 and "/interaction/" in location:
            # The provider's login page: choose the test identity and submit.
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            page = browser.post(f"{location}/login",
                                data={"account": account, "csrf_token": token},
                                allow_redirects=False, timeout=10)
        assert page.status_code in (302, 303), page.text
        location = urljoin(location, page.headers["Location"])
    raise AssertionError(f"Kom ikke tilbage til appen: {location}")


def oidc_login(client, provider: str, account: str, **kwargs):
    """The whole login: returns the app's answer to the callback."""
    detour = through_provider(client, provider, account, **kwargs)
    return client.get(detour.callback)


def callback_args(detour: Detour) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(detour.callback).query).items()}
