"""The cluster test's load, the host kill and the checks (scripts/cluster/run.sh starts it in
the client's network namespace, with the addresses of the test's own hosts only).

100 concurrent sessions through nginx for --seconds: managers on the dashboard and its lists,
applicants saving drafts and submitting into a round whose deadline falls inside the run,
consultants updating tasks and phase plans (new tasks fall due for a reminder at once), and
anonymous visitors. Midway one app host is SIGKILLed (gunicorn and scheduler) and restarted
15 s later. Then it waits for the schedulers to send what fell due, checks every criterion of
issue 16 against the database, the SMTP counter and both hosts directly, measures throughput
with two hosts and with one, prints a table and exits 1 unless every criterion holds.

Bounded: every loop stops at its deadline, every request has a timeout, and the run ends by
itself. Threads and `requests` (pinned in pyproject.toml).
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import secrets
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
import requests

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TIMEOUT = 30
CA = {"file": True}
DK = ZoneInfo("Europe/Copenhagen")


@dataclass
class Record:
    label: str
    method: str
    start: float
    end: float
    status: int  # 0: no answer (connection error or timeout)
    upstream: str
    phase: str


@dataclass
class Log:
    records: list[Record] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    phase: str = "main"
    first_error: str = ""

    def add(self, record: Record) -> None:
        with self.lock:
            self.records.append(record)


class Session:
    """One browser: a requests session through nginx, every request recorded."""

    def __init__(self, base: str, log: Log) -> None:
        self.base = base
        self.log = log
        self.http = requests.Session()
        self.csrf = ""

    def request(self, method: str, path: str, label: str, **kwargs) -> requests.Response | None:
        kwargs.setdefault("timeout", TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("verify", CA["file"])  # the test's own certificate
        headers = kwargs.pop("headers", {})
        if method == "POST":
            headers["Referer"] = self.base + path
        start = time.time()
        try:
            response = self.http.request(method, self.base + path, headers=headers, **kwargs)
        except requests.RequestException as err:
            if not self.log.first_error:
                self.log.first_error = f"{method} {path}: {err!r}"
                print(f"Første fejl uden svar: {self.log.first_error}", flush=True)
            self.log.add(Record(label, method, start, time.time(), 0, "", self.log.phase))
            return None
        self.log.add(Record(label, method, start, time.time(), response.status_code,
                            response.headers.get("X-Upstream", ""), self.log.phase))
        found = CSRF.search(response.text) if "text/html" in response.headers.get(
            "Content-Type", "") else None
        if found:
            self.csrf = found.group(1)
        return response

    def get(self, path: str, label: str) -> requests.Response | None:
        return self.request("GET", path, label)

    def post(self, path: str, label: str, data: dict) -> requests.Response | None:
        return self.request("POST", path, label, data={"csrf_token": self.csrf, **data})

    def login(self, email: str, password: str, deadline: float) -> bool:
        while time.time() < deadline:
            self.get("/log-ind", "Log ind (side)")
            response = self.post("/log-ind", "Log ind", {"email": email, "password": password})
            if response is not None and response.status_code == 302:
                return True
            time.sleep(1)
        return False


def think() -> None:
    time.sleep(random.uniform(0.05, 0.25))


def located(response: requests.Response | None, part: str) -> bool:
    return response is not None and response.status_code == 302 \
        and part in response.headers.get("Location", "")


# --- the four kinds of users ---------------------------------------------------------------

FILTERS = ("", "?region=Region+Midtjylland", "?region=Region+Hovedstaden",
           "?status=submitted", "")


def manager(s: Session, info: dict, until: float, read_only: bool) -> None:
    while time.time() < until:
        s.get("/leder/overblik" + random.choice(FILTERS), "Lederoverblik")
        think()
        s.get("/leder/overblik/liste?liste=forfaldne", "Lederoverblik, liste")
        think()


def anonymous(s: Session, info: dict, until: float, read_only: bool) -> None:
    while time.time() < until:
        s.get(random.choice(("/", "/privatlivspolitik")), "Forside/privatliv")
        think()
        s.get("/healthz", "/healthz")
        think()


@dataclass
class ApplicantResult:
    application: int
    acked_draft: str | None = None
    uncertain_drafts: list[str] = field(default_factory=list)
    submit: str = "not tried"  # acked | refused | uncertain
    submit_at: float = 0.0


def applicant(s: Session, info: dict, until: float, read_only: bool) -> None:
    result: ApplicantResult = info["result"]
    step = f"/ansoegninger/{result.application}/trin/4"
    if read_only:
        while time.time() < until:
            s.get("/ansoegninger", "Mine ansøgninger")
            think()
        return
    s.get(step, "Ansøgning, trin")
    n = 0
    while time.time() < min(until, info["submit_at"]):
        n += 1
        value = f"kladde {info['index']}-{n}-{secrets.token_hex(4)}"
        response = s.post(step, "Gem kladde", {
            "action": "save", "motivation": value, "challenges": "Dokumentation",
            "hoped_outcomes": "Bedre praksis"})
        if located(response, step):
            result.acked_draft, result.uncertain_drafts = value, []
        elif response is None or response.status_code >= 500:
            result.uncertain_drafts.append(value)
        think()
        s.get(step, "Ansøgning, trin")
        think()
    if time.time() < until:
        s.get(f"/ansoegninger/{result.application}/tjek", "Ansøgning, tjek")
        result.submit_at = time.time()
        response = s.post(f"/ansoegninger/{result.application}/indsend", "Indsend", {})
        if located(response, "/kvittering"):
            result.submit = "acked"
        elif response is None or response.status_code >= 500:
            result.submit = "uncertain"
        else:
            result.submit = "refused"
    while time.time() < until:
        s.get("/ansoegninger", "Mine ansøgninger")
        think()


def consultant(s: Session, info: dict, until: float, read_only: bool) -> None:
    today = datetime.now(DK).date()
    while time.time() < until:
        s.get("/mit-overblik", "Mit overblik")
        think()
        engagement = random.choice(info["engagements"])
        page = f"/forloeb/{engagement['id']}"
        s.get(page, "Forløb")
        think()
        if read_only:
            continue
        action = random.random()
        if action < 0.4 and engagement["tasks"]:
            task = random.choice(engagement["tasks"])
            s.post(f"{page}/opgaver/{task}/status", "Opgavestatus",
                   {"status": random.choice(("in_progress", "not_started"))})
        elif action < 0.8:
            s.get(f"{page}/opgaver/ny", "Ny opgave (side)")
            s.post(f"{page}/opgaver/ny", "Ny opgave", {
                "submission_key": secrets.token_urlsafe(18),
                "title": f"Klyngeopgave {secrets.token_hex(6)}", "description": "",
                "phase": "startup", "owner_type": "consultant",
                "owner_user_id": str(info["id"]),
                "due_date": (today + timedelta(days=6)).isoformat(),
                "status": "not_started", "theme_id": "", "engagement_recommendation_id": ""})
        else:
            start = today - timedelta(days=random.randint(10, 20))
            s.post(f"{page}/plan", "Ret faseplan",
                   {"planned_start": start.isoformat(), "duration_months": "6"})
        think()


KINDS = {"manager": manager, "applicant": applicant, "consultant": consultant,
         "anonymous": anonymous}


# --- the run ----------------------------------------------------------------------------------

def run_phase(sessions: list[tuple[str, Session, dict]], until: float, read_only: bool) -> None:
    threads = [threading.Thread(target=KINDS[kind], args=(s, info, until, read_only),
                                daemon=True) for kind, s, info in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, until - time.time()) + TIMEOUT + 5)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))] if ordered else 0.0


def page_table(records: list[Record], seconds: float) -> dict[str, tuple[int, float, float, float]]:
    by_label: dict[str, list[Record]] = collections.defaultdict(list)
    for r in records:
        by_label[r.label].append(r)
    table = {}
    for label, rows in sorted(by_label.items()):
        ms = [(r.end - r.start) * 1000 for r in rows]
        table[label] = (len(rows), len(rows) / seconds, percentile(ms, 0.5), percentile(ms, 0.95))
    every = [(r.end - r.start) * 1000 for r in records]
    table["Alle sider"] = (len(records), len(records) / seconds, percentile(every, 0.5),
                           percentile(every, 0.95))
    return table


def direct(host: str, method: str, path: str, cookies: dict, xff: str, **kwargs):
    """A request straight to an app host (not through nginx), as the proxy would send it: the
    cookies by hand (they are Secure and this is plain HTTP on the test network)."""
    headers = {"X-Forwarded-For": xff, "X-Forwarded-Proto": "https",
               "Referer": f"https://{host}{path}"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    response = requests.request(method, f"http://{host}{path}", headers=headers,
                                allow_redirects=False, timeout=TIMEOUT, **kwargs)
    cookies.update({c.name: c.value for c in response.cookies})
    return response


def csrf_of(response) -> str:
    found = CSRF.search(response.text)
    return found.group(1) if found else ""


def wait_ready(host: str, deadline: float) -> float | None:
    while time.time() < deadline:
        try:
            if requests.get(f"http://{host}/readyz", timeout=2).status_code == 200:
                return time.time()
        except requests.RequestException:
            pass
        time.sleep(0.25)
    return None


# --- the checks -------------------------------------------------------------------------------

def figures_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    start = text.find("Tallene er beregnet")
    return text[start:] if start >= 0 else ""


def check_dashboards(hosts: list[str], manager_cookies: dict) -> tuple[bool, str]:
    texts = []
    for query in ("", "?region=Region+Midtjylland"):
        for _attempt in range(2):  # once more if the kept figures ran out between the two
            seen = [figures_text(direct(h, "GET", "/leder/overblik" + query,
                                        dict(manager_cookies), "198.51.100.20").text)
                    for h in hosts]
            if seen[0] and all(t == seen[0] for t in seen):
                break
        texts.append(seen)
    same = all(t[0] and all(x == t[0] for x in t) for t in texts)
    computed = re.search(r"Tallene er beregnet (.+? kl\. [\d.]+)", texts[0][0] or "")
    return same, (f"ens på {len(hosts)} værter, 2 filtre (beregnet "
                  f"{computed.group(1) if computed else '?'})" if same else
                  "forskellige tal: " + " | ".join(t[:120] for t in texts[0]))


def check_login_limit(hosts: list[str], email: str) -> tuple[bool, str]:
    """Failed logins through one host until refused; then the other host refuses too."""
    xff = "198.51.100.7"
    first, second = hosts
    cookies: dict = {}
    statuses = []
    for _ in range(6):
        token = csrf_of(direct(first, "GET", "/log-ind", cookies, xff))
        response = direct(first, "POST", "/log-ind", cookies, xff,
                          data={"csrf_token": token, "email": email, "password": "forkert-1234"})
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    other: dict = {}
    token = csrf_of(direct(second, "GET", "/log-ind", other, xff))
    response = direct(second, "POST", "/log-ind", other, xff,
                      data={"csrf_token": token, "email": email, "password": "forkert-1234"})
    ok = statuses[-1] == 429 and response.status_code == 429
    return ok, (f"vært 1: {','.join(map(str, statuses))}; vært 2 straks efter: "
                f"{response.status_code}")


def check_registration_limit(hosts: list[str]) -> tuple[bool, str]:
    """Flask-Limiter in Redis: registrations through one host count on the other."""
    xff = "198.51.100.8"
    statuses = []
    for n in range(6):
        host = hosts[0] if n < 5 else hosts[1]
        cookies: dict = {}
        token = csrf_of(direct(host, "GET", "/opret-bruger", cookies, xff))
        response = direct(host, "POST", "/opret-bruger", cookies, xff, data={
            "csrf_token": token, "name": "Klynge Ansøger", "email": f"ny{n}@klynge.example.dk",
            "password": "klynge-test-adgangskode-2026",
            "password_repeat": "klynge-test-adgangskode-2026", "accept_terms": "y"})
        statuses.append(response.status_code)
    ok = statuses[:5] == [302] * 5 and statuses[5] == 429
    return ok, f"5 på vært 1: {statuses[:5]}, 6. på vært 2: {statuses[5]}"


def db_rows(db_url: str, sql: str, *args) -> list[tuple]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(sql, args).fetchall()


def drain_notifications(db_url: str, limit: float) -> int:
    """Wait (bounded) until the schedulers have sent every notification that is due and
    every queued account e-mail; returns how many are left."""
    left = 0
    while time.time() < limit:
        (left,) = db_rows(db_url, "SELECT (SELECT count(*) FROM notifications WHERE "
                                  "email_status IN ('pending', 'sending')) + (SELECT count(*) "
                                  "FROM outgoing_mails WHERE status IN ('pending', 'sending'))")[0]
        if left == 0:
            return 0
        time.sleep(2)
    return left


def mails(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--hosts", required=True)
    parser.add_argument("--seed", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--mail", required=True)
    parser.add_argument("--kill", required=True, help="command that SIGKILLs host 1")
    parser.add_argument("--start", required=True, help="command that starts host 1 again")
    parser.add_argument("--one-host", required=True, help="command: nginx on host 1 only")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--bench-seconds", type=float, default=20)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--ca", required=True, help="nginx' certificate (made by run.sh)")
    args = parser.parse_args()
    CA["file"] = args.ca
    seed = json.load(open(args.seed, encoding="utf-8"))
    hosts = args.hosts.split(",")
    log = Log()
    random.seed(16)

    # 100 sessions: applicants, consultants, managers, anonymous visitors.
    people: list[tuple[str, dict]] = []
    for i, a in enumerate(seed["applicants"]):
        people.append(("applicant", {**a, "index": i,
                                     "result": ApplicantResult(a["application"])}))
    people += [("consultant", c) for c in seed["consultants"]]
    people += [("manager", m) for m in seed["managers"]]
    while len(people) < args.sessions:
        people.append(("anonymous", {}))
    people = people[:args.sessions]
    sessions = [(kind, Session(args.base, log), info) for kind, info in people]

    print(f"Logger {len(sessions)} sessioner ind gennem nginx …", flush=True)
    login_deadline = time.time() + 120
    failed_logins = []

    def log_in(kind, s, info):
        if kind != "anonymous" and not s.login(info["email"], seed["password"], login_deadline):
            failed_logins.append(info["email"])

    threads = [threading.Thread(target=log_in, args=x, daemon=True) for x in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=200)
    if failed_logins:
        seen = collections.Counter((r.label, r.status) for r in log.records)
        print(f"FEJL: {len(failed_logins)} kunne ikke logge ind: {dict(seen)}", flush=True)
        return 1

    run_start = time.time()
    deadline = run_start + args.seconds / 2
    # The round closes inside the run (while host 1 is down, in fact).
    with psycopg.connect(args.db) as conn:
        conn.execute("UPDATE application_rounds SET closes_at = %s WHERE id = %s",
                     (datetime.fromtimestamp(deadline, UTC), seed["round_id"]))
    for kind, _s, info in sessions:
        if kind == "applicant":
            info["submit_at"] = run_start + random.uniform(0.1, 0.75) * args.seconds
    kill_at = run_start + args.seconds * 0.4
    restart_at = kill_at + 15
    events: dict[str, float | None] = {}

    def chaos() -> None:
        time.sleep(max(0.0, kill_at - time.time()))
        events["kill"] = time.time()
        subprocess.run(args.kill, shell=True, check=False)
        time.sleep(max(0.0, restart_at - time.time()))
        events["restart"] = time.time()
        subprocess.run(args.start, shell=True, check=False)
        events["ready"] = wait_ready(hosts[0], time.time() + 60)

    print(f"Belastning i {args.seconds:.0f} s; frist om {args.seconds / 2:.0f} s; vært 1 "
          f"dræbes efter {kill_at - run_start:.0f} s og startes igen 15 s senere", flush=True)
    chaos_thread = threading.Thread(target=chaos, daemon=True)
    chaos_thread.start()
    run_phase(sessions, run_start + args.seconds, read_only=False)
    chaos_thread.join(timeout=90)
    run_end = time.time()
    main_records = [r for r in log.records if r.phase == "main" and r.start >= run_start]

    print("Venter på, at schedulerne sender det, der er forfaldet …", flush=True)
    # Reminders for tasks made in the last seconds come with the next sweep (every minute).
    time.sleep(5)
    left = drain_notifications(args.db, time.time() + 150)
    time.sleep(3)

    results: list[tuple[str, bool, str]] = []

    # 1. Submissions.
    applicants = [info["result"] for kind, _s, info in sessions if kind == "applicant"]
    acked = [r for r in applicants if r.submit == "acked"]
    rows = {row[0]: row for row in db_rows(
        args.db, "SELECT a.id, a.status, a.reference, a.submitted_at, a.motivation, "
                 "(SELECT count(*) FROM application_status_changes c WHERE c.application_id = "
                 "a.id AND c.to_status = 'submitted') FROM applications a WHERE a.round_id = %s",
        seed["round_id"])}
    closes = datetime.fromtimestamp(deadline, UTC)
    problems = []
    for r in acked:
        row = rows.get(r.application)
        if row is None or row[1] != "submitted" or not row[2] or row[5] != 1:
            problems.append(f"{r.application}: {row and row[1:3]} historik {row and row[5]}")
    references = [row[2] for row in rows.values() if row[2]]
    late = [row[0] for row in rows.values() if row[3] and row[3] > closes]
    ok = not problems and len(references) == len(set(references)) and not late and acked
    in_db = sum(1 for row in rows.values() if row[1] == "submitted")
    results.append(("Indsendelser: hver bekræftet én gang, unikt nummer, ingen efter fristen",
                    bool(ok), f"{len(acked)} bekræftet, {in_db} i databasen, "
                    f"{sum(r.submit == 'refused' for r in applicants)} afvist efter fristen, "
                    f"{sum(r.submit == 'uncertain' for r in applicants)} usikre (5xx); "
                    f"{len(set(references))}/{len(references)} unikke numre; {len(late)} for sent"
                    + (f"; FEJL {problems[:3]}" if problems else "")))

    # 2. Drafts.
    lost = []
    checked = 0
    for r in applicants:
        if r.acked_draft is None:
            continue
        checked += 1
        stored = rows[r.application][4]
        if stored != r.acked_draft and stored not in r.uncertain_drafts:
            lost.append(r.application)
    results.append(("Kladder: intet bekræftet gem er tabt", not lost and checked > 0,
                    f"{checked} ansøgninger med bekræftet kladde, {len(lost)} tabt"))

    # 3. Reminders: every notification meant for e-mail is in the SMTP counter exactly once.
    wanted = collections.Counter(
        (email.lower(), subject) for email, subject, _status in db_rows(
            args.db, "SELECT u.email, n.subject, n.email_status FROM notifications n JOIN users u "
                     "ON u.id = n.recipient_id WHERE n.email_status IN ('sent', 'pending', "
                     "'sending', 'failed')"))
    statuses = collections.Counter(row[0] for row in db_rows(
        args.db, "SELECT email_status FROM notifications"))
    reminders = db_rows(args.db, "SELECT count(*) FROM notifications WHERE dedupe_key LIKE "
                                 "'task_due:%%' AND subject LIKE '%%Klyngeopgave%%'")[0][0]
    received = collections.Counter((m["to"], m["subject"]) for m in mails(args.mail))
    missing = sum((wanted - received).values())
    doubled = sum(max(0, received[k] - n) for k, n in wanted.items())
    others = sum(n for k, n in received.items() if k not in wanted)
    ok = missing == 0 and doubled == 0 and left == 0 and reminders > 0
    results.append(("Påmindelser: hver forfalden sendt præcis én gang (aiosmtpd)", ok,
                    f"{sum(wanted.values())} notifikationer til e-mail ({reminders} for opgaver "
                    f"lavet under kørslen), {missing} mangler, {doubled} dobbelt, "
                    f"{left} ikke sendt; status {dict(statuses)}; {others} andre e-mails "
                    f"(kvitteringer, bekræftelser)"))

    # 4. 5xx only inside the kill window, never for what nginx could retry.
    window = (events.get("kill") or 0, (events.get("ready") or run_end) + 2)
    errors = [r for r in main_records if r.status >= 500 or r.status == 0]
    outside = [r for r in errors if r.end < window[0] or r.start > window[1]]
    retryable = [r for r in errors if r.method in ("GET", "HEAD")]
    ok = not outside and not retryable and events.get("ready") is not None
    by_status = collections.Counter(f"{r.method} {r.status}" for r in errors)
    results.append(("5xx kun i drabsvinduet og aldrig for GET", ok,
                    f"{len(errors)} fejl {dict(by_status)}; {len(outside)} uden for vinduet, "
                    f"{len(retryable)} GET; vært 1 klar igen "
                    f"{(events.get('ready') or 0) - (events.get('restart') or 0):.1f} s efter "
                    f"genstart"))

    # 5. Same figures on both hosts.
    managers = [s for kind, s, _ in sessions if kind == "manager"]
    ok, text = check_dashboards(hosts, managers[0].http.cookies.get_dict())
    results.append(("Lederoverblik: samme tal på begge værter", ok, text))

    # 6. A login limit reached through one host holds on the other (and Flask-Limiter's).
    results.append(("Loginbegrænsning nået på vært 1 gælder på vært 2",
                    *check_login_limit(hosts, seed["probe"]["email"])))
    results.append(("Oprettelsesgrænse (Flask-Limiter i Redis) delt af værterne",
                    *check_registration_limit(hosts)))

    # Throughput: the same read-only mix through nginx with two hosts, then with one.
    bench = {}
    for name, command in (("2 værter", None), ("1 vært", args.one_host)):
        if command:
            subprocess.run(command, shell=True, check=True)
            time.sleep(1)
        log.phase = name
        started = time.time()
        run_phase(sessions, started + args.bench_seconds, read_only=True)
        bench[name] = page_table([r for r in log.records if r.phase == name],
                                 time.time() - started)
    bench_errors = [r for r in log.records if r.phase != "main" and (r.status >= 500
                                                                       or r.status == 0)]
    results.append(("Måling uden fejl (2 værter, så 1)", not bench_errors,
                    f"{len(bench_errors)} fejl"))

    # The report.
    main_table = page_table(main_records, run_end - run_start)
    upstreams = collections.Counter(r.upstream.split(",")[-1].strip() or "-"
                                    for r in main_records)
    print()
    print(f"== Belastning: {len(sessions)} sessioner, {run_end - run_start:.0f} s, "
          f"{len(main_records)} requests; pr. vært (nginx' sidste upstream): {dict(upstreams)}")
    print(f"{'side':<24} {'antal':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for label, (n, rate, p50, p95) in main_table.items():
        print(f"{label:<24} {n:>7} {rate:>7.1f} {p50:>8.0f} {p95:>8.0f}")
    print()
    print("== Gennemløb gennem nginx, samme læse-blanding, "
          f"{args.bench_seconds:.0f} s hver")
    print(f"{'side':<24} {'2 værter: req/s':>16} {'p50':>6} {'p95':>6}"
          f" {'1 vært: req/s':>14} {'p50':>6} {'p95':>6}")
    for label in bench["2 værter"]:
        two = bench["2 værter"][label]
        one = bench["1 vært"].get(label, (0, 0.0, 0.0, 0.0))
        print(f"{label:<24} {two[1]:>16.1f} {two[2]:>6.0f} {two[3]:>6.0f}"
              f" {one[1]:>14.1f} {one[2]:>6.0f} {one[3]:>6.0f}")
    two_rate, one_rate = bench["2 værter"]["Alle sider"][1], bench["1 vært"]["Alle sider"][1]
    print(f"throughput_ratio_two_hosts_to_one={two_rate / one_rate if one_rate else 0:.2f}")
    print()
    print("== Kriterier")
    for name, passed, detail in results:
        print(f"{'OK  ' if passed else 'FEJL'} {name}: {detail}")
    passed = sum(ok for _, ok, _ in results)
    print(f"cluster: {passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
