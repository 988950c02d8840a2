"""The start banner of `make run`: where the app runs and every demo user (from demo/seed.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import default_public_base_url  # noqa: E402
from indsatsteam.demo.seed import DEMO_PASSWORD, DEMO_USERS  # noqa: E402


def banner(environ=os.environ) -> str:
    port = environ.get("PORT") or "5000"
    width = max(len(role.label) for _email, _name, role in DEMO_USERS)
    email_width = max(len(email) for email, _name, _role in DEMO_USERS)
    lines = ["", f"  Indsatsteamet kører på http://127.0.0.1:{port}/  (stop med Ctrl+C)",
             f"  Links i e-mails og kalenderen peger på {default_public_base_url(environ)}",
             f"  Demobrugere (adgangskode for alle: {DEMO_PASSWORD}):"]
    lines += [f"    {role.label:<{width}}  {email:<{email_width}}  {name}"
              for email, name, role in DEMO_USERS]
    if environ.get("OIDC_TILBUD_ISSUER"):
        lines += [f"  Log ind med MitID Erhverv (test) og Log ind som medarbejder (test) går til "
                  f"en lokal OpenID-test-udbyder på {environ['OIDC_TILBUD_ISSUER']}",
                  "  (den står i stedet for NemLog-in; dens testidentiteter står herunder)."]
    lines += ["  Scheduleren (påmindelser og daglig opsamling) kører ved siden af og stopper "
              "med den.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(banner())
