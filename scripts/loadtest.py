"""A small load run without extra dependencies: N concurrent logged-in sessions for D seconds.

Half the sessions are the demo manager on the manager dashboard, half the demo applicant on
the applicant pages. Prints requests, errors, requests per second and p50/p95 per page.

    .venv/bin/python scripts/loadtest.py --url http://127.0.0.1:8000 --clients 50 --seconds 60
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict

PASSWORD = "indsats-demo-2026"
MANAGER = ("leder@indsatsteam.example.dk", ("/leder/overblik",))
APPLICANT = ("ansoeger@bostedet-aaen.example.dk", ("/", "/ansoegninger", "/vores-forloeb/"))
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Session:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            return err.code, b""

    def login(self, email: str) -> None:
        _, page = self.get("/log-ind")
        token = CSRF.search(page.decode()).group(1)
        data = urllib.parse.urlencode({"email": email, "password": PASSWORD,
                                       "csrf_token": token}).encode()
        with self.opener.open(self.base + "/log-ind", data=data, timeout=60) as response:
            if "/log-ind" in response.url:
                raise SystemExit(f"Login som {email} mislykkedes")


def worker(base: str, who: tuple[str, tuple[str, ...]], until: float,
           results: dict[str, list[float]], errors: dict[str, int], lock: threading.Lock) -> None:
    session = Session(base)
    session.login(who[0])
    index = 0
    while time.monotonic() < until:
        path = who[1][index % len(who[1])]
        index += 1
        started = time.perf_counter()
        status, _ = session.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            results[path].append(elapsed)
            if status != 200:
                errors[path] += 1


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--manager-paths", default=",".join(MANAGER[1]),
                        help="Kommaseparerede stier, som lederens sessioner henter.")
    args = parser.parse_args()
    manager = (MANAGER[0], tuple(args.manager_paths.split(",")))
    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    until = time.monotonic() + args.seconds
    threads = [threading.Thread(target=worker, args=(
        args.url, manager if n % 2 == 0 else APPLICANT, until, results, errors, lock))
        for n in range(args.clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    total = sum(len(v) for v in results.values())
    print(f"{'side':<22} {'antal':>7} {'fejl':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for path, values in sorted(results.items()):
        print(f"{path:<22} {len(values):>7} {errors[path]:>5} {statistics.median(values):>8.0f}"
              f" {percentile(values, 0.95):>8.0f}")
    everything = [v for values in results.values() for v in values]
    print(f"{'i alt':<22} {total:>7} {sum(errors.values()):>5} "
          f"{statistics.median(everything):>8.0f} {percentile(everything, 0.95):>8.0f}")
    print(f"clients={args.clients} seconds={duration:.0f} requests={total} "
          f"errors={sum(errors.values())} rps={total / duration:.1f}")


if __name__ == "__main__":
    main()
