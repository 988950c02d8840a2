"""The OpenID providers (Authlib's Flask client) and our own checks of the id_token.

One Authlib client per configured provider (config.oidc_settings): discovery, the JWKS,
the authorization code flow with PKCE (S256), `state` and `nonce`. Authlib keeps state,
nonce and the PKCE verifier in the session; the callback takes them out once. The id_token
is then checked here, step by step, so every refusal has its own Danish message and reason
in the audit trail: signature algorithm (from the discovery document, never `none` or HS*),
the key by `kid` in the JWKS (fetched again once for an unknown kid: key rotation), the
signature, `iss`, `aud`/`azp`, `exp` and `iat` with OIDC_LEEWAY_SECONDS, `nonce`.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from authlib.jose import JsonWebKey, JsonWebSignature
from authlib.jose.errors import BadSignatureError, JoseError
from flask import current_app, session

from .oidc_services import Assertion, OidcRefused

SESSION_NEXT = "oidc_next"
SESSION_LOGIN = "oidc_login"  # {"provider", "id_token"} for RP-initiated logout
PUBLIC_KEY_ALGS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384",
                   "ES512")

STATE_REFUSED = ("Vi kunne ikke genkende login-forløbet. Det kan være udløbet, eller siden "
                 "kan være åbnet i en anden browser. Start forfra med at logge ind.")
CODE_REFUSED = ("Login-udbyderen afviste login-koden, fordi den er brugt før eller er "
                "udløbet. Start forfra med at logge ind.")
UNREACHABLE = ("Vi kan ikke komme i kontakt med login-udbyderen lige nu. Prøv igen om lidt.")


def _refuse(message: str, reason: str) -> OidcRefused:
    return OidcRefused(message, reason)


def providers() -> dict[str, dict]:
    return current_app.config.get("OIDC_PROVIDERS") or {}


def _registry() -> OAuth:
    """The Authlib clients of this app, rebuilt when the settings change (tests)."""
    key = json.dumps(providers(), sort_keys=True)
    cached = current_app.extensions.get("indsatsteam_oidc")
    if cached and cached[0] == key:
        return cached[1]
    oauth = OAuth(current_app)
    for name, cfg in providers().items():
        issuer = cfg["ISSUER"].rstrip("/")
        oauth.register(
            name, client_id=cfg["CLIENT_ID"], client_secret=cfg["CLIENT_SECRET"],
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": cfg["SCOPES"], "code_challenge_method": "S256",
                           "token_endpoint_auth_method": "client_secret_basic",
                           "timeout": 10})
    current_app.extensions["indsatsteam_oidc"] = (key, oauth)
    return oauth


def client(name: str):
    return _registry().create_client(name)


def metadata(name: str) -> dict:
    try:
        meta = client(name).load_server_metadata()
    except (requests.RequestException, ValueError) as err:
        raise _refuse(UNREACHABLE, "unreachable") from err
    if meta.get("issuer", "").rstrip("/") != providers()[name]["ISSUER"].rstrip("/"):
        # The discovery document must name the issuer we trust (OIDC Discovery 4.3).
        raise _refuse("Login-udbyderens oplysninger passer ikke med indstillingerne.",
                      "discovery_issuer")
    return meta


def authorize_redirect(name: str, redirect_uri: str):
    """The redirect to the provider: PKCE S256, state and nonce (stored in the session)."""
    metadata(name)
    extra = {}
    acr_values = providers()[name].get("ACR_VALUES")
    if acr_values:
        extra["acr_values"] = acr_values
    return client(name).authorize_redirect(redirect_uri, **extra)


@dataclass(frozen=True)
class Callback:
    claims: dict
    id_token: str


def handle_callback(name: str, args) -> Callback:
    """Check the authorization response and redeem the code; OidcRefused says why not."""
    app_client = client(name)
    state = args.get("state") or ""
    data = app_client.framework.get_state_data(session, state) if state else None
    if state:
        app_client.framework.clear_state_data(session, state)  # the state works once
    if not data:
        raise _refuse(STATE_REFUSED, "state")
    meta = metadata(name)
    if args.get("error"):
        raise _refuse("Login blev afbrudt hos login-udbyderen. Prøv igen, hvis du vil logge "
                      "ind.", f"provider_error:{args.get('error')}"[:60])
    # RFC 9207: a provider that sends `iss` with the code must send its own.
    if args.get("iss") and args["iss"].rstrip("/") != meta["issuer"].rstrip("/"):
        raise _refuse("Svaret kom fra en anden login-udbyder end den, du blev sendt til.",
                      "response_iss")
    code = args.get("code")
    if not code:
        raise _refuse(STATE_REFUSED, "code_missing")
    try:
        token = app_client.fetch_access_token(
            code=code, redirect_uri=data["redirect_uri"], code_verifier=data["code_verifier"])
    except OAuthError as err:
        raise _refuse(CODE_REFUSED, f"token:{err.error}"[:60]) from err
    except requests.RequestException as err:
        raise _refuse(UNREACHABLE, "unreachable") from err
    id_token = token.get("id_token")
    if not id_token:
        raise _refuse("Login-udbyderen sendte ikke et login-bevis (id_token).", "no_id_token")
    claims = validate_id_token(name, id_token, nonce=data.get("nonce"))
    return Callback(claims, id_token)


def _b64json(part: str) -> dict:
    try:
        value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, TypeError) as err:
        raise _refuse("Login-beviset (id_token) kan ikke læses.", "malformed") from err
    if not isinstance(value, dict):
        raise _refuse("Login-beviset (id_token) kan ikke læses.", "malformed")
    return value


def allowed_algs(meta: dict) -> list[str]:
    """The provider's id_token algorithms that use a public key: never none, never HS*."""
    offered = meta.get("id_token_signing_alg_values_supported") or ["RS256"]
    return [alg for alg in offered if alg in PUBLIC_KEY_ALGS]


def _key_for(name: str, kid: str | None, alg: str):
    app_client = client(name)
    for force in (False, True):  # an unknown kid: fetch the JWKS again once (rotation)
        try:
            jwks = app_client.fetch_jwk_set(force=force)
        except (requests.RequestException, ValueError) as err:
            raise _refuse(UNREACHABLE, "unreachable") from err
        keys = [k for k in jwks.get("keys", []) if kid is None or k.get("kid") == kid]
        keys = [k for k in keys if k.get("use", "sig") == "sig"
                and k.get("alg") in (None, alg)]
        if len(keys) == 1 or (keys and kid is not None):
            return JsonWebKey.import_key(keys[0])
    raise _refuse("Login-beviset er signeret med en nøgle, som login-udbyderen ikke har "
                  "offentliggjort.", "unknown_key")


def validate_id_token(name: str, id_token: str, *, nonce: str | None) -> dict:
    cfg, meta = providers()[name], metadata(name)
    parts = id_token.split(".")
    if len(parts) != 3:
        raise _refuse("Login-beviset (id_token) kan ikke læses.", "malformed")
    header = _b64json(parts[0])
    alg = header.get("alg")
    if alg not in allowed_algs(meta):
        raise _refuse("Login-beviset er ikke signeret på en måde, vi godtager (algoritmen "
                      f"{str(alg)[:20]!r} er ikke tilladt).", "alg")
    key = _key_for(name, header.get("kid"), alg)
    try:
        JsonWebSignature(algorithms=[alg]).deserialize_compact(id_token, key)
    except BadSignatureError as err:
        raise _refuse("Login-beviset har en ugyldig signatur.", "signature") from err
    except JoseError as err:
        raise _refuse("Login-beviset (id_token) kan ikke læses.", "malformed") from err
    claims = _b64json(parts[1])
    leeway, now = current_app.config.get("OIDC_LEEWAY_SECONDS", 120), time.time()
    if str(claims.get("iss", "")).rstrip("/") != meta["issuer"].rstrip("/"):
        raise _refuse("Login-beviset er udstedt af en anden udbyder end den, vi har aftale med.",
                      "iss")
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if cfg["CLIENT_ID"] not in audiences or (
            len(audiences) > 1 and claims.get("azp") != cfg["CLIENT_ID"]):
        raise _refuse("Login-beviset er udstedt til et andet system end dette.", "aud")
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or exp + leeway < now:
        raise _refuse("Login-beviset er udløbet. Start forfra med at logge ind.", "exp")
    if not isinstance(iat, int | float) or iat - leeway > now:
        raise _refuse("Login-beviset er udstedt i fremtiden; tjek computerens ur, og prøv "
                      "igen.", "iat")
    if not nonce or claims.get("nonce") != nonce:
        raise _refuse("Login-beviset hører ikke til dette login-forløb. Start forfra med at "
                      "logge ind.", "nonce")
    if not claims.get("sub"):
        raise _refuse("Login-beviset (id_token) kan ikke læses.", "malformed")
    return claims


def assertion(name: str, claims: dict) -> Assertion:
    """The person as our services need them, read with the configured claim names."""
    cfg = providers()[name]
    subject = claims.get(cfg.get("SUBJECT_CLAIM") or "sub") or claims["sub"]
    roles = claims.get(cfg.get("ROLE_CLAIM") or "roles") or ()
    if isinstance(roles, str):
        roles = (roles,)
    cvr = claims.get(cfg["CVR_CLAIM"]) if cfg.get("CVR_CLAIM") else None
    return Assertion(provider=name, subject=str(subject)[:255],
                     name=str(claims.get("name") or ""), email=claims.get("email"),
                     email_verified=claims.get("email_verified") is True,
                     acr=claims.get("acr"), cvr=str(cvr) if cvr else None,
                     roles=tuple(str(r) for r in roles if isinstance(r, str)))


def end_session_url(login: dict | None, post_logout_redirect_uri: str) -> str | None:
    """The provider's end_session_endpoint with id_token_hint, when it has one."""
    if not login or login.get("provider") not in providers():
        return None
    try:
        endpoint = metadata(login["provider"]).get("end_session_endpoint")
    except OidcRefused:
        return None
    if not endpoint:
        return None
    from urllib.parse import urlencode
    query = urlencode({"id_token_hint": login.get("id_token", ""),
                       "post_logout_redirect_uri": post_logout_redirect_uri,
                       "client_id": providers()[login["provider"]]["CLIENT_ID"]})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
