"""Login throttling that an attacker cannot aim at a victim, and a cap on account e-mails.

Three counters per login attempt, each changed by one atomic upsert (``INSERT … ON CONFLICT
DO UPDATE … WHERE … RETURNING``) that both checks and counts, so 40 parallel guesses cannot
slip past a limit between a read and a write:

* per client address (IPv4, or the /64 of an IPv6 address): at most LOGIN_MAX_ATTEMPTS_PER_IP
  failures per window, then that address waits. Only the attacker's address is stopped.
* per account and address: LOGIN_FREE_FAILURES free failures, then a delay that doubles up
  to LOGIN_DELAY_MAX_SECONDS before that address may try that account again. The right
  password from another address is never slowed.
* per account from everywhere: past LOGIN_MAX_ATTEMPTS_PER_ACCOUNT failures in a window (an
  attack from many addresses) only a browser where the account logged in before (a signed
  "known device" cookie) may try.

An attempt is counted before the password is checked and given back when it succeeds. A
successful login or password reset clears the account's counters. The counters live behind
`CounterStore`; `DatabaseCounterStore` is the default (RATE_LIMIT_STORAGE=database) and
another store (e.g. Redis) can be registered in STORES.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from typing import Protocol

from flask import current_app
from sqlalchemy import case, delete
from sqlalchemy.dialects import postgresql, sqlite

from .. import clock
from ..extensions import db
from ..models import RateLimitCounter

counters = RateLimitCounter.__table__


class CounterStore(Protocol):
    def hit(self, key: str, *, now: int, window: int, limit: int | None) -> int | None:
        """Count one hit in the current fixed window; None (and nothing counted) when the
        window already holds `limit` hits."""

    def hit_with_delay(self, key: str, *, now: int, delays: list[int], cap: int,
                       ttl: int) -> int | None:
        """Count one hit unless the key is blocked; the n-th hit blocks the key for
        delays[n-1] seconds (cap beyond the list). None when blocked."""

    def release(self, key: str, *, now: int, window: int) -> None:
        """Give back one hit of the current window (the attempt succeeded)."""

    def blocked_for(self, key: str, *, now: int) -> int:
        """Seconds until the key may be hit again."""

    def clear(self, *keys: str, prefix: str | None = None) -> None: ...

    def purge(self, *, now: int) -> int: ...


def _insert():
    dialect = db.engine.dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(counters)


class DatabaseCounterStore:
    """Counters in the table rate_limit_counters. Login counters run each statement in its
    own transaction (committed at once, so other workers see it, and never holding a lock
    while argon2 runs); with `in_session` (the mail cap) they join the request's
    transaction, which may already hold SQLite's write lock."""

    def __init__(self, in_session: bool = False) -> None:
        self.in_session = in_session

    def _returning_one(self, statement) -> int | None:
        if self.in_session:
            row = db.session.execute(statement).first()
        else:
            with db.engine.begin() as conn:
                row = conn.execute(statement).first()
        return None if row is None else row[0]

    def hit(self, key, *, now, window, limit):
        start = now - now % window
        stmt = _insert().values(key=key, window_start=start, hits=1, blocked_until=0,
                                expires_at=start + window)
        same_window = counters.c.window_start == stmt.excluded.window_start
        stmt = stmt.on_conflict_do_update(
            index_elements=["key"],
            set_={"hits": case((same_window, counters.c.hits + 1), else_=1),
                  "window_start": stmt.excluded.window_start,
                  "expires_at": stmt.excluded.expires_at},
            where=None if limit is None else (~same_window | (counters.c.hits < limit)),
        ).returning(counters.c.hits)
        return self._returning_one(stmt)

    def hit_with_delay(self, key, *, now, delays, cap, ttl):
        stmt = _insert().values(key=key, window_start=now, hits=1,
                                blocked_until=now + (delays[0] if delays else cap),
                                expires_at=now + ttl)
        fresh = counters.c.expires_at <= now
        new_hits = case((fresh, 1), else_=counters.c.hits + 1)
        delay = case(*((new_hits == n, seconds) for n, seconds in enumerate(delays, 1)),
                     else_=cap)
        stmt = stmt.on_conflict_do_update(
            index_elements=["key"],
            set_={"hits": new_hits, "window_start": now, "blocked_until": now + delay,
                  "expires_at": now + delay + ttl},
            where=counters.c.blocked_until <= now,
        ).returning(counters.c.hits)
        return self._returning_one(stmt)

    def release(self, key, *, now, window):
        start = now - now % window
        with db.engine.begin() as conn:
            conn.execute(counters.update()
                         .where(counters.c.key == key, counters.c.window_start == start,
                                counters.c.hits > 0)
                         .values(hits=counters.c.hits - 1))

    def blocked_for(self, key, *, now):
        with db.engine.connect() as conn:
            until = conn.execute(counters.select().with_only_columns(counters.c.blocked_until)
                                 .where(counters.c.key == key)).scalar()
        return max(0, (until or 0) - now)

    def clear(self, *keys, prefix=None):
        clauses = [counters.c.key.in_(keys)] if keys else []
        if prefix:
            clauses.append(counters.c.key.startswith(prefix, autoescape=True))
        if self.in_session:
            for clause in clauses:
                db.session.execute(delete(counters).where(clause))
            return
        with db.engine.begin() as conn:
            for clause in clauses:
                conn.execute(delete(counters).where(clause))

    def purge(self, *, now):
        """Rows whose window and delay are over (retention job). Uses the session, so a
        dry run can roll it back with the rest."""
        result = db.session.execute(delete(counters).where(
            counters.c.expires_at < now, counters.c.blocked_until < now))
        return result.rowcount or 0


STORES: dict[str, type] = {"database": DatabaseCounterStore}


def store(*, in_session: bool = False) -> CounterStore:
    """The configured store; `in_session` asks a database store to use the request's
    transaction (other stores ignore it)."""
    return STORES[current_app.config.get("RATE_LIMIT_STORAGE", "database")](in_session)


# --- keys ---------------------------------------------------------------------------------

def client_key(ip: str) -> str:
    """An IPv4 address as it is; an IPv6 address by its /64 (one household or host gets a
    whole /64, so counting single addresses would give an attacker 2^64 of them)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _account(email: str) -> str:
    # A digest, so the table holds no e-mail addresses.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def ip_key(ip: str) -> str:
    return f"ip:{client_key(ip)}"


def account_key(email: str) -> str:
    return f"account:{_account(email)}"


def pair_key(email: str, ip: str) -> str:
    return f"pair:{_account(email)}:{client_key(ip)}"


def account_fingerprint(email: str) -> str:
    return _account(email)


# --- login ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Refusal:
    message: str
    retry_after: int


class ThrottleUnavailable(Exception):
    """The counters could not be written (e.g. a read-only database)."""


def _now() -> int:
    return int(clock.now().timestamp())


def delays(config) -> list[int]:
    """Seconds to wait after the n-th failure (index n-1): 0 for the free ones, then doubling."""
    free, base, cap = (config["LOGIN_FREE_FAILURES"], config["LOGIN_DELAY_BASE_SECONDS"],
                       config["LOGIN_DELAY_MAX_SECONDS"])
    result = [0] * max(free - 1, 0)
    seconds = base
    while seconds < cap:
        result.append(seconds)
        seconds *= 2
    return result


def _wait_text(seconds: int) -> str:
    if seconds < 90:
        return f"{max(seconds, 1)} sekunder"
    minutes = -(-seconds // 60)
    return f"{minutes} minutter"


@dataclass
class Attempt:
    """The counters one login attempt has taken; `succeeded` gives them back."""

    email: str
    ip: str

    def succeeded(self) -> None:
        cfg, s, now = current_app.config, store(), _now()
        s.release(ip_key(self.ip), now=now, window=cfg["LOGIN_WINDOW_SECONDS"])
        clear_account(self.email)


def begin_attempt(email: str, ip: str, *, known_device: bool) -> Attempt | Refusal:
    """Take the counters for one attempt, or a Refusal with a Danish message.

    Raises ThrottleUnavailable when the counters cannot be written.
    """
    from sqlalchemy.exc import DBAPIError

    cfg, s, now = current_app.config, store(), _now()
    window = cfg["LOGIN_WINDOW_SECONDS"]
    try:
        if s.hit(ip_key(ip), now=now, window=window,
                 limit=cfg["LOGIN_MAX_ATTEMPTS_PER_IP"]) is None:
            return Refusal("For mange mislykkede forsøg på at logge ind fra din "
                           "internetforbindelse. Prøv igen om "
                           f"{_wait_text(window - now % window)}.", window - now % window)
        if s.hit_with_delay(pair_key(email, ip), now=now, delays=delays(cfg),
                            cap=cfg["LOGIN_DELAY_MAX_SECONDS"], ttl=window) is None:
            s.release(ip_key(ip), now=now, window=window)
            wait = max(s.blocked_for(pair_key(email, ip), now=now), 1)
            return Refusal("Der er tastet forkert adgangskode flere gange. Vent "
                           f"{_wait_text(wait)}, og prøv igen, eller nulstil din adgangskode.",
                           wait)
        if s.hit(account_key(email), now=now, window=window,
                 limit=None if known_device else cfg["LOGIN_MAX_ATTEMPTS_PER_ACCOUNT"]) is None:
            s.release(ip_key(ip), now=now, window=window)
            return Refusal("Der er forsøgt at logge ind på denne bruger mange gange. Log ind "
                           "fra en computer, hvor du har logget ind før, eller nulstil din "
                           "adgangskode.", window - now % window)
    except DBAPIError as err:
        raise ThrottleUnavailable() from err
    return Attempt(email, ip)


def clear_account(email: str, *, in_session: bool = False) -> None:
    """A successful login or reset: the account's delays and counts start over
    (`in_session`: in the request's transaction, e.g. with the new password)."""
    fingerprint = _account(email)
    store(in_session=in_session).clear(f"account:{fingerprint}", prefix=f"pair:{fingerprint}:")


# --- account e-mails ----------------------------------------------------------------------------

def allow_mail(purpose: str, email: str) -> bool:
    """At most MAIL_MAX_PER_ADDRESS_PER_HOUR mails of a kind to one address per hour, so the
    forms cannot be used to flood someone's inbox. False means: quietly send nothing."""
    limit = current_app.config["MAIL_MAX_PER_ADDRESS_PER_HOUR"]
    return store(in_session=True).hit(f"mail:{purpose}:{_account(email)}", now=_now(),
                                      window=3600, limit=limit) is not None


def purge(now: int | None = None) -> int:
    return store().purge(now=_now() if now is None else now)
