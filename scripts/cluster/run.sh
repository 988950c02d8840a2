#!/usr/bin/env bash
# The cluster test (`make cluster-test`, README "Drift" and "Tests"): several hosts on this one
# machine in network namespaces of its own, torn down however the run ends.
#
#   <P>sw  a bridge; every other namespace has one veth end on it (10.77.0.0/24)
#   <P>db  10.77.0.10: PostgreSQL (initdb/pg_ctl of its own), redis-server, aiosmtpd counter
#   <P>a1  10.77.0.11: gunicorn (2 workers) + scheduler      <P>a2  10.77.0.12: the same
#   <P>lb  10.77.0.2:  Debian's nginx with deploy/nginx/indsatsteam.conf (TLS, both hosts)
#   <P>cl  10.77.0.3:  the load script (scripts/cluster/load.py)
#
# Only those addresses and loopback are contacted. Needs root (ip netns) and the project's
# .venv; installs Debian's nginx when it is missing (the Makefile target does that).
# Settings: CLUSTER_SECONDS (60), CLUSTER_BENCH_SECONDS (20), CLUSTER_KEEP=1 keeps the logs.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
SECONDS_RUN=${CLUSTER_SECONDS:-60}
BENCH_SECONDS=${CLUSTER_BENCH_SECONDS:-20}
NET=10.77.0
P="it$(( $$ % 100000 ))"          # namespace prefix, unique per run
NSS=(sw db a1 a2 lb cl)
WORK=$(mktemp -d /tmp/indsatsteam-cluster.XXXXXX)
chmod 755 "$WORK"

[ "$(id -u)" = 0 ] || { echo "Klyngetesten kræver root (ip netns)"; exit 1; }
[ -x "$PY" ] || { echo "Mangler $PY: kør make install"; exit 1; }
command -v nginx >/dev/null || { echo "Mangler nginx: apt-get install nginx"; exit 1; }
command -v redis-server >/dev/null || { echo "Mangler redis-server"; exit 1; }
PGBIN=$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null \
    || ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")")
[ -x "$PGBIN/pg_ctl" ] || { echo "Mangler PostgreSQL (initdb/pg_ctl)"; exit 1; }

ns() { echo "$P$1"; }
in_ns() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }

teardown() {
    local code=$?
    set +e
    echo "== Rydder op ($WORK)"
    for n in "${NSS[@]}"; do
        [ -e "/var/run/netns/$(ns "$n")" ] || continue
        for pid in $(ip netns pids "$(ns "$n")"); do kill -TERM "$pid" 2>/dev/null; done
    done
    sleep 1
    [ -f "$WORK/pg/postmaster.pid" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" \
        -m immediate stop >/dev/null 2>&1
    for n in "${NSS[@]}"; do
        [ -e "/var/run/netns/$(ns "$n")" ] || continue
        for pid in $(ip netns pids "$(ns "$n")"); do kill -KILL "$pid" 2>/dev/null; done
        ip netns del "$(ns "$n")"
    done
    if [ "$code" != 0 ]; then
        for f in "$WORK"/*.log; do echo "--- ${f##*/} (sidste linjer)"; tail -n 15 "$f"; done
    fi
    if [ "${CLUSTER_KEEP:-}" = 1 ]; then echo "Logs i $WORK"; else rm -rf "$WORK"; fi
    exit "$code"
}
trap teardown EXIT
trap 'exit 130' INT TERM

echo "== Netværk: navnerum ${P}{${NSS[*]}} på $NET.0/24"
for n in "${NSS[@]}"; do ip netns add "$(ns "$n")"; ip -n "$(ns "$n")" link set lo up; done
ip -n "$(ns sw)" link add br0 type bridge
ip -n "$(ns sw)" link set br0 up
declare -A ADDR=([db]=$NET.10 [a1]=$NET.11 [a2]=$NET.12 [lb]=$NET.2 [cl]=$NET.3)
for n in db a1 a2 lb cl; do
    ip -n "$(ns sw)" link add "v$n" type veth peer name eth0 netns "$(ns "$n")"
    ip -n "$(ns sw)" link set "v$n" master br0 up
    ip -n "$(ns "$n")" addr add "${ADDR[$n]}/24" dev eth0
    ip -n "$(ns "$n")" link set eth0 up
done
DB=${ADDR[db]}

echo "== PostgreSQL ($PGBIN), Redis og SMTP-tæller på $DB"
mkdir -p "$WORK/pgsock" "$WORK/pg" && chown postgres "$WORK/pgsock" "$WORK/pg" && chmod 700 "$WORK/pg"
touch "$WORK/postgres.log" && chown postgres "$WORK/postgres.log"
runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg" -A trust -U postgres --no-sync \
    >"$WORK/initdb.log" 2>&1
echo "host all all $NET.0/24 trust" >>"$WORK/pg/pg_hba.conf"
in_ns db runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/postgres.log" -w \
    -o "-c listen_addresses=$DB -c port=5432 -c unix_socket_directories=$WORK/pgsock \
        -c max_connections=200 -c fsync=off -c shared_buffers=128MB" start >/dev/null
in_ns db runuser -u postgres -- psql -q -h "$DB" -U postgres -c "CREATE DATABASE indsatsteam"
in_ns db redis-server --bind "$DB" --port 6379 --save '' --appendonly no --protected-mode no \
    >"$WORK/redis.log" 2>&1 &
touch "$WORK/mail.jsonl"
in_ns db "$PY" scripts/cluster/smtp_counter.py "$DB" 2525 "$WORK/mail.jsonl" \
    >"$WORK/smtp.log" 2>&1 &

# The same environment on both hosts, as deploy/indsatsteam.env.example describes.
DATABASE_URL="postgresql+psycopg://postgres@$DB:5432/indsatsteam"
cat >"$WORK/app.env" <<EOF
INDSATSTEAM_ENV=production
SECRET_KEY=$(openssl rand -hex 32)
DATABASE_URL=$DATABASE_URL
REDIS_URL=redis://$DB:6379/0
PUBLIC_BASE_URL=https://${ADDR[lb]}
PROXY_COUNT=1
MAIL_BACKEND=smtp
MAIL_SERVER=$DB
MAIL_PORT=2525
MAIL_QUEUE_SECONDS=5
REMINDER_SWEEP_MINUTES=1
NOTIFICATION_CLAIM_TIMEOUT_SECONDS=20
LOGIN_DELAY_BASE_SECONDS=60
DB_POOL_SIZE=3
DB_MAX_OVERFLOW=3
EOF
app_env() { echo "env $(grep -v '^#' "$WORK/app.env" | xargs) INSTANCE_PATH=$WORK/instance-$1 PYTHONPATH=$ROOT"; }

for i in $(seq 1 50); do   # Redis and SMTP up
    in_ns db "$PY" -c "import socket; [socket.create_connection(('$DB', p), 1) for p in (6379, 2525)]" \
        2>/dev/null && break
    sleep 0.2
done

echo "== Migrationer og testdata"
in_ns a1 $(app_env a1) .venv/bin/flask --app wsgi db upgrade >"$WORK/migrate.log" 2>&1
in_ns a1 $(app_env a1) "$PY" scripts/cluster/seed.py "$(date -d '+1 day' +%s)" 45 25 10 \
    >"$WORK/seed.json" 2>"$WORK/seed.log"

start_host() {   # gunicorn (2 workers) and the scheduler in host $1's namespace
    local n=$1
    in_ns "a$n" $(app_env "a$n") .venv/bin/gunicorn --workers 2 --bind "${ADDR[a$n]}:8000" \
        --timeout 60 --graceful-timeout 10 --control-socket "$WORK/a$n-gunicorn.ctl" wsgi:app \
        >>"$WORK/a$n-web.log" 2>&1 &
    in_ns "a$n" $(app_env "a$n") .venv/bin/flask --app wsgi scheduler \
        >>"$WORK/a$n-scheduler.log" 2>&1 &
}
kill_host() {    # SIGKILL every process of host $1: gunicorn master, workers, scheduler
    for pid in $(ip netns pids "$(ns "a$1")"); do kill -KILL "$pid" 2>/dev/null || true; done
}

echo "== To app-værter: gunicorn -w 2 + scheduler på ${ADDR[a1]} og ${ADDR[a2]}"
start_host 1
start_host 2

echo "== nginx på ${ADDR[lb]} (deploy/nginx/indsatsteam.conf)"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=${ADDR[lb]}" \
    -addext "subjectAltName=IP:${ADDR[lb]}" \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1
mkdir -p "$WORK/nginx-tmp"
site() {   # the deploy site with the test's hosts, certificate and paths
    local servers=$1
    "$PY" - "$servers" "$WORK" "$ROOT" <<'PYEOF'
import re, sys
servers, work, root = sys.argv[1].split(), sys.argv[2], sys.argv[3]
conf = open(f"{root}/deploy/nginx/indsatsteam.conf", encoding="utf-8").read()
lines = "".join(f"    server {s}:8000 max_fails=1 fail_timeout=10s;\n" for s in servers)
conf = re.sub(r"(    server 10\.0\.0\.\d+:8000[^\n]*\n)+", lines, conf)
conf = re.sub(r"\n\s*listen \[::\][^\n]*", "", conf)
conf = conf.replace("/etc/ssl/indsatsteam/fullchain.pem", f"{work}/cert.pem")
conf = conf.replace("/etc/ssl/indsatsteam/privkey.pem", f"{work}/key.pem")
conf = conf.replace("/srv/indsatsteam/", f"{root}/")
conf = conf.replace("server_name indsatsteam.example.dk;", "server_name _;")
# Which host answered, for the load script's table (not in the deploy file).
conf = conf.replace("        proxy_pass http://indsatsteam_app;\n        proxy_http_version",
                    "        add_header X-Upstream $upstream_addr always;\n"
                    "        proxy_pass http://indsatsteam_app;\n        proxy_http_version")
open(f"{work}/site.conf", "w", encoding="utf-8").write(conf)
PYEOF
}
site "${ADDR[a1]} ${ADDR[a2]}"
cat >"$WORK/nginx.conf" <<EOF
user root;
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 2048; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $WORK/nginx-access.log;
    client_body_temp_path $WORK/nginx-tmp/body;
    proxy_temp_path $WORK/nginx-tmp/proxy;
    fastcgi_temp_path $WORK/nginx-tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx-tmp/uwsgi;
    scgi_temp_path $WORK/nginx-tmp/scgi;
    include $WORK/site.conf;
}
EOF
in_ns lb nginx -t -c "$WORK/nginx.conf" >"$WORK/nginx-t.log" 2>&1 || { cat "$WORK/nginx-t.log"; exit 1; }
in_ns lb nginx -c "$WORK/nginx.conf" -g 'daemon off;' >>"$WORK/nginx-error.log" 2>&1 &

# The load script's controls: kill and start host 1, nginx on host 1 only.
cat >"$WORK/kill.sh" <<EOF
for pid in \$(ip netns pids $(ns a1)); do kill -KILL "\$pid" 2>/dev/null; done
echo "vært 1 dræbt (SIGKILL) \$(date +%T)"
EOF
declare -f in_ns ns app_env start_host >"$WORK/start.sh"
cat >>"$WORK/start.sh" <<EOF
P=$P; WORK=$WORK; ROOT=$ROOT; declare -A ADDR=([a1]=${ADDR[a1]} [a2]=${ADDR[a2]})
cd "\$ROOT"; start_host 1; echo "vært 1 startet igen \$(date +%T)"
EOF
cat >"$WORK/one-host.sh" <<EOF
set -e
cd "$ROOT"
$(declare -f site)
PY=$PY; WORK=$WORK; ROOT=$ROOT
site "${ADDR[a1]}"
ip netns exec $(ns lb) nginx -c "$WORK/nginx.conf" -s reload
echo "nginx: kun vært 1"
EOF

echo "== Venter på /readyz på begge værter og nginx"
for i in $(seq 1 120); do
    if in_ns cl "$PY" - "${ADDR[a1]}" "${ADDR[a2]}" "${ADDR[lb]}" "$WORK/cert.pem" <<'PYEOF' 2>/dev/null
import sys, requests
a, b, lb, ca = sys.argv[1:]
ok = all(requests.get(f"http://{h}:8000/readyz", timeout=2).status_code == 200 for h in (a, b))
ok = ok and requests.get(f"https://{lb}/readyz", timeout=2, verify=ca).status_code == 200
sys.exit(0 if ok else 1)
PYEOF
    then break; fi
    [ "$i" = 120 ] && { echo "Værterne blev aldrig klar"; exit 1; }
    sleep 0.5
done

echo "== Belastning"
in_ns cl "$PY" scripts/cluster/load.py --base "https://${ADDR[lb]}" \
    --hosts "${ADDR[a1]}:8000,${ADDR[a2]}:8000" --seed "$WORK/seed.json" \
    --db "postgresql://postgres@$DB:5432/indsatsteam" --mail "$WORK/mail.jsonl" \
    --kill "bash $WORK/kill.sh" --start "bash $WORK/start.sh" \
    --one-host "bash $WORK/one-host.sh" --seconds "$SECONDS_RUN" \
    --bench-seconds "$BENCH_SECONDS" --ca "$WORK/cert.pem"
