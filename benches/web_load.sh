#!/usr/bin/env bash
# The web app under load on loopback: p50/p99 latency, requests/s and errors of the Overview page (signed in with
# a session cookie) and of one JSON API call (a personal access token), at 100 concurrent clients, on the demo
# workspace and on a database with ROWS touchpoints (10M by default). The load generator is wrk (Debian package
# `wrk`), two threads, pinned to nothing: it shares the machine's cores with the server, as a load test on one
# machine does. Figures: docs/benchmarks.md.
#
# Usage: benches/web_load.sh                 (from anywhere)
# Environment:
#   SOCIALLEDGER_BIN   the binary to run (default $CARGO_TARGET_DIR/release/socialledger, built first unless
#                      SKIP_BUILD=1)
#   ROWS               touchpoints of the large database (default 10000000; 0 skips it). It is made by
#                      benches/analyse_touchpoints.sh with KEEP=benches/data/web-<ROWS> LOAD_ONLY=1 unless present,
#                      and a copy gets a year of monthly costs per channel (so that its Overview has a verdict).
#   CLIENTS            concurrent connections (default 100); DURATION wrk's -d (default 20s)
#   API_PATH           the API call (default /api/v1/channels)
#
# Each database gets an owner (`socialledger user add`), a server on a free port, a sign-in through the real form
# (CSRF token and all), a read token made on /tokens, a wait until the Overview's stored analysis is current (the
# first view of a page starts its computation in the background, see docs/web.md: pages read stored results), one
# request per route, then wrk per route.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="${SOCIALLEDGER_BIN:-$target/release/socialledger}"
rows="${ROWS:-10000000}"
clients="${CLIENTS:-100}"
duration="${DURATION:-20s}"
api_path="${API_PATH:-/api/v1/channels}"
work="$(mktemp -d "${TMPDIR:-/tmp}/web-load.XXXXXX")"
server=""
cleanup() {
    if [[ -n "$server" ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

for tool in wrk curl; do
    if ! command -v "$tool" >/dev/null; then
        echo "$tool is missing (Debian/Ubuntu: apt-get install $tool)" >&2
        exit 2
    fi
done
if [[ -z "${SOCIALLEDGER_BIN:-}" && "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "== build"
    cargo build --release --quiet -p socialledger-cli --bin socialledger
fi

echo "== machine"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu:     $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
echo "wrk:     $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "clients: $clients, duration $duration per route"

password="load-test-$RANDOM-$RANDOM-password"
email="owner@example.com"

# Starts the server on $1 (a database), signs in, makes a token; sets $base, $cookie, $token.
start() {
    local db="$1" port
    printf '%s' "$password" | "$bin" --db "$db" --quiet user add --email "$email" --name "Load Test" --role owner \
        --password-stdin >/dev/null 2>&1 || true
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    base="http://127.0.0.1:$port"
    RUST_LOG=warn "$bin" --db "$db" serve --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 100); do
        curl -fsS "$base/health" >/dev/null 2>&1 && break
        sleep 0.2
    done
    local jar="$work/cookies.txt" csrf
    rm -f "$jar"
    csrf="$(curl -fsS -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)"
    curl -fsS -o /dev/null -c "$jar" -b "$jar" -H "Origin: $base" --data-urlencode "csrf=$csrf" \
        --data-urlencode "email=$email" --data-urlencode "password=$password" --data-urlencode "next=/" \
        "$base/login"
    # curl writes HttpOnly cookies as comment-like lines with the prefix #HttpOnly_.
    cookie="$(sed 's/^#HttpOnly_//' "$jar" | awk '!/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }')"
    csrf="$(curl -fsS -b "$jar" "$base/tokens" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)"
    token="$(curl -fsS -b "$jar" -H "Origin: $base" --data-urlencode "csrf=$csrf" --data-urlencode "name=load test" \
        --data-urlencode "scope=read" --data-urlencode "days=" "$base/tokens" |
        sed -n 's/.*<code class="secret">\([^<]*\)<.*/\1/p' | head -1)"
    if [[ -z "$token" ]]; then
        echo "could not sign in and make a token (server log: $work/server.log)" >&2
        cat "$work/server.log" >&2
        exit 2
    fi
}

stop() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
}

# Waits until the page $1 (with header $2) shows a stored analysis of the data now: while one is being computed
# in the background, the page reloads itself (a refresh meta tag), and a load test then would measure that.
current() {
    local path="$1" header="$2" start=$SECONDS
    while curl -fsS -H "$header" "$base$path" | grep -q 'http-equiv="refresh"'; do
        if ((SECONDS - start > 600)); then
            echo "$path: the stored analysis was not ready after 600 s" >&2
            exit 2
        fi
        sleep 1
    done
    echo "$path: the stored analysis is current after $((SECONDS - start)) s (computed in the background)"
}

# wrk on $2 with header $3; prints label $1, p50, p99, requests/s and non-2xx answers.
load() {
    local label="$1" path="$2" header="$3" first
    local code seconds bytes
    read -r code seconds bytes < <(curl -s -o "$work/page" -w '%{http_code} %{time_total} %{size_download}\n' \
        -H "$header" "$base$path")
    echo "$label: one request before the load: HTTP $code in $seconds s, $bytes bytes"
    if [[ "$code" != 200 ]]; then
        echo "$label: expected HTTP 200" >&2
        exit 2
    fi
    # The page measured is the real one: the Overview with its stored figures, not a sign-in form or a notice.
    if [[ "$path" == /overview ]] && ! grep -q 'class="computed-at"' "$work/page"; then
        echo "$label: the page shows no stored analysis" >&2
        exit 2
    fi
    wrk -t2 -c"$clients" -d"$duration" --latency -H "$header" "$base$path" >"$work/wrk.txt"
    awk -v label="$label" '
        /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } /^Requests\/sec/ { rps = $2 }
        /Non-2xx or 3xx responses/ { bad = $NF } /Socket errors/ { sock = $0 }
        END { printf "%-28s p50 %8s  p99 %8s  %9s req/s  non-2xx %s%s\n", label, p50, p99, rps, bad + 0, sock ? "  " sock : "" }
    ' "$work/wrk.txt"
}

echo "== demo workspace (socialledger demo)"
"$bin" --quiet demo --out "$work/demo" >/dev/null
start "$work/demo/socialledger.db"
echo "touchpoints: $(sqlite3 "$work/demo/socialledger.db" 'SELECT COUNT(*) FROM touchpoints' 2>/dev/null || echo '?')"
current /overview "Cookie: $cookie"
load "demo /overview" /overview "Cookie: $cookie"
load "demo $api_path" "$api_path" "Authorization: Bearer $token"
stop

if [[ "$rows" != 0 ]]; then
    keep="$root/benches/data/web-$rows"
    echo "== $rows touchpoints (benches/analyse_touchpoints.sh, KEEP=$keep)"
    if [[ ! -s "$keep/analyse-$rows.db" ]]; then
        KEEP="$keep" LOAD_ONLY=1 SKIP_PG=1 ROWS="$rows" BIN="$bin" benches/analyse_touchpoints.sh >/dev/null
    fi
    cp "$keep/analyse-$rows.db" "$work/large.db"
    # That database has no costs, so its verdict would have no channel rows and its Overview would be the short
    # page. A year of monthly spend per marketing channel, through `socialledger import` (the canonical
    # cost_items.csv), gives every channel a full cost and the Overview its verdict table, as on the demo.
    python3 - "$work/costs-large.csv" <<'PY'
import csv, sys
channels = ["linkedin", "linkedin-ads", "x", "x-ads", "youtube", "newsletter", "events", "webinar", "paid-search",
            "pr", "facebook-ads"]
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["channel", "month", "kind", "amount", "currency", "description"])
    for i, channel in enumerate(channels):
        for month in range(1, 13):
            w.writerow([channel, f"2025-{month:02d}", "ads" if channel.endswith("ads") else "agency",
                        f"{800 + 350 * i + 40 * month}.00", "EUR", f"{channel} spend"])
PY
    "$bin" --db "$work/large.db" --quiet import "$work/costs-large.csv" >/dev/null
    start "$work/large.db"
    echo "touchpoints: $(sqlite3 "$work/large.db" 'SELECT COUNT(*) FROM touchpoints' 2>/dev/null || echo '?')"
    current /overview "Cookie: $cookie"
    load "$rows /overview" /overview "Cookie: $cookie"
    load "$rows $api_path" "$api_path" "Authorization: Bearer $token"
    stop
fi
