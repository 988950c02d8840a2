"""Exit 0 when the PostgreSQL URL given answers, 1 otherwise (used by `make test`)."""

import sys

import psycopg

url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://")
try:
    with psycopg.connect(url, connect_timeout=3) as conn:
        conn.execute("SELECT 1")
except psycopg.Error:
    sys.exit(1)
