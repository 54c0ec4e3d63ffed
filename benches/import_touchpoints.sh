#!/usr/bin/env bash
# The import benchmark: 1M canonical touchpoint rows, end to end through `socialledger import`, into a fresh SQLite
# file and a fresh PostgreSQL database, plus the parse-only and store-only crate benches in the same run.
# Figures and machine are recorded in docs/benchmarks.md.
#
# Usage: benches/import_touchpoints.sh            (from anywhere; works in the repository root)
# Environment:
#   ROWS                 touchpoint rows (default 1000000)
#   SOCIALLEDGER_TEST_PG PostgreSQL base URL without a database (default postgres://postgres@127.0.0.1:5432);
#                        the script creates a database socialledger_bench_<pid> there and drops it at the end.
#                        When the server is unreachable, the PostgreSQL parts are skipped with a message.
#   SKIP_CRATE_BENCHES=1 only the end-to-end imports
#   CARGO_TARGET_DIR     as usual (default ./target)
#
# Needs: cargo, python3 (the generator), GNU time at /usr/bin/time (wall time and peak RSS; on Debian/Ubuntu
# `apt-get install time`), and psql for PostgreSQL.
#
# Data: benches/data/<ROWS>/touchpoints.csv and channels.csv (gitignored), written by benches/gen_touchpoints.py,
# deterministic (the script prints their sha256). channels.csv defines every channel key the touchpoints use and is
# imported first (not timed), so the touchpoint import creates no placeholder channels.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rows="${ROWS:-1000000}"
pg_base="${SOCIALLEDGER_TEST_PG:-postgres://postgres@127.0.0.1:5432}"
pg_base="${pg_base%/}"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="$target/release/socialledger"
data="$root/benches/data/$rows"
work="$(mktemp -d)"
pg_db=""
cleanup() {
    if [[ -n "$pg_db" ]]; then
        psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

if [[ ! -x /usr/bin/time ]]; then
    echo "GNU time is missing at /usr/bin/time; install it (Debian/Ubuntu: apt-get install time)" >&2
    exit 2
fi

load() { printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"; }

echo "== machine"
echo "date:  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu:   $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), nproc $(nproc)"
echo "mem:   $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
echo "rustc: $(rustc --version)"
load

echo "== data ($rows rows)"
if [[ ! -s "$data/touchpoints.csv" || ! -s "$data/channels.csv" ]]; then
    mkdir -p "$data"
    python3 benches/gen_touchpoints.py "$data" "$rows"
fi
ls -l "$data"/*.csv | awk '{print $5, $NF}'
sha256sum "$data/touchpoints.csv"

echo "== build"
cargo build --release --quiet -p socialledger-cli --bin socialledger

# CPU seconds used so far by the local PostgreSQL server: every `postgres` process, plus the time of its exited
# children (backends), which the kernel adds to the parent's cutime/cstime. Prints nothing when none is visible.
pg_server_cpu() {
    local pids
    pids="$(pgrep -x postgres | tr '\n' ' ')" || return 0
    # Fields after the ")" of the command name: utime is the 12th, stime 13th, cutime 14th, cstime 15th.
    for p in $pids; do sed 's/.*) //' "/proc/$p/stat" 2>/dev/null; done |
        awk -v hz="$(getconf CLK_TCK)" '{ t += $12 + $13 + $14 + $15 } END { if (NR) printf "%.2f", t / hz }'
}

# Runs `socialledger import` of the touchpoints under GNU time against the database $1 (label $2), after importing
# channels.csv untimed; prints wall time, rows/s, CPU and peak RSS of the socialledger process.
timed_import() {
    local db="$1" label="$2"
    "$bin" --db "$db" --quiet import "$data/channels.csv"
    load
    local server_before
    server_before="$(pg_server_cpu)"
    /usr/bin/time -v -o "$work/time-$label.txt" "$bin" --db "$db" --quiet --json import "$data/touchpoints.csv" \
        >"$work/out-$label.json"
    load
    if ! grep -q '"status": "imported"' "$work/out-$label.json"; then
        echo "$label: the import did not succeed:" >&2
        cat "$work/out-$label.json" >&2
        exit 2
    fi
    awk -v rows="$rows" -v label="$label" -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = 0; for (i = 1; i <= n; i++) wall = wall * 60 + p[i] }
        /User time/ { user = $2 } /System time/ { sys = $2 } /Maximum resident set size/ { rss = $2 }
        END {
            printf "%-8s import %d touchpoints end to end in %.2f s = %.0f rows/s; socialledger process: %.2f s CPU " \
                "(user %.2f, sys %.2f), peak RSS %.0f MiB\n", label, rows, wall, rows / wall, user + sys, user, sys,
                rss / 1024
        }' "$work/time-$label.txt"
    if [[ $label == postgres && -n "$server_before" ]]; then
        echo "postgres server processes on this machine: $(awk -v a="$server_before" -v b="$(pg_server_cpu)" \
            'BEGIN { printf "%.2f", b - a }') s CPU during the import"
    fi
}

echo "== end to end: socialledger import into a fresh SQLite file"
timed_import "$work/bench.db" sqlite
echo "sqlite   database files after the import: $(du -m "$work"/bench.db* | awk '{sub(".*/", "", $2); printf "%s %s MiB  ", $2, $1}')"
rm -f "$work"/bench.db*

pg_ok=0
if command -v psql >/dev/null && psql "$pg_base/postgres" -qAtc 'SELECT 1' >/dev/null 2>&1; then
    pg_ok=1
fi
echo "== end to end: socialledger import into a fresh PostgreSQL database"
if [[ $pg_ok == 1 ]]; then
    pg_db="socialledger_bench_$$"
    psql "$pg_base/postgres" -qc "CREATE DATABASE \"$pg_db\""
    echo "server: $(psql "$pg_base/postgres" -qAtc 'SHOW server_version')"
    timed_import "$pg_base/$pg_db" postgres
    psql "$pg_base/postgres" -qc "DROP DATABASE \"$pg_db\" WITH (FORCE)"
    pg_db=""
else
    echo "postgres skipped: $pg_base is not reachable with psql (set SOCIALLEDGER_TEST_PG)"
fi

if [[ "${SKIP_CRATE_BENCHES:-0}" != 1 ]]; then
    echo "== parse only: cargo bench -p socialledger-import --bench touchpoints"
    load
    ROWS="$rows" cargo bench --quiet -p socialledger-import --bench touchpoints 2>&1
    load
    echo "== store only: cargo bench -p socialledger-store --bench touchpoints"
    load
    if [[ $pg_ok == 1 ]]; then
        SOCIALLEDGER_BENCH_ROWS="$rows" SOCIALLEDGER_TEST_PG="$pg_base" \
            cargo bench --quiet -p socialledger-store --bench touchpoints
    else
        SOCIALLEDGER_BENCH_ROWS="$rows" env -u SOCIALLEDGER_TEST_PG cargo bench --quiet -p socialledger-store --bench touchpoints
    fi
    load
fi
