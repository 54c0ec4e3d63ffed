#!/usr/bin/env bash
# The streaming import beside the sqlite3 shell, in one run: ROWS (default 10,000,000) canonical touchpoints
# imported end to end by `socialledger import` into a fresh SQLite file, and the same rows loaded by the sqlite3
# shell's own `.import --csv --skip 1` into a table with our touchpoints table's columns and primary key (it has no
# other unique index), inside one transaction, with the same pragmas our store sets (WAL, synchronous=NORMAL,
# 64 MiB page cache). Then the same for PostgreSQL: our import, and psql's `\copy` in one transaction.
# Wall time, rows/s, CPU and peak RSS of each process come from GNU time. Figures: docs/benchmarks.md.
#
# Usage: benches/import_vs_sqlite3.sh            (from anywhere)
# Environment:
#   ROWS                 touchpoint rows (default 10000000)
#   SOCIALLEDGER_BIN     the binary to time (default $CARGO_TARGET_DIR/release/socialledger, built first unless
#                        SKIP_BUILD=1)
#   SOCIALLEDGER_TEST_PG PostgreSQL base URL without a database (default postgres://postgres@127.0.0.1:5432); the
#                        script creates socialledger_bench_<pid> and anchor_bench_<pid> there and drops them.
#                        Unreachable, or SKIP_PG=1: the PostgreSQL part is skipped with a message.
#
# Needs: python3, /usr/bin/sqlite3, GNU time at /usr/bin/time (Debian/Ubuntu: apt-get install time), psql for
# PostgreSQL. Data (gitignored, deterministic, untimed): benches/data/<ROWS>/touchpoints.csv and channels.csv from
# benches/gen_touchpoints.py, and anchor.csv from benches/anchor_touchpoints.py (the same rows in the stored
# columns, each with its key, which the sqlite3 shell cannot derive). channels.csv is imported first, untimed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rows="${ROWS:-10000000}"
pg_base="${SOCIALLEDGER_TEST_PG:-postgres://postgres@127.0.0.1:5432}"
pg_base="${pg_base%/}"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="${SOCIALLEDGER_BIN:-$target/release/socialledger}"
data="$root/benches/data/$rows"
work="$(mktemp -d "${TMPDIR:-/tmp}/import-vs-sqlite3.XXXXXX")"
pg_dbs=()
cleanup() {
    for db in "${pg_dbs[@]}"; do
        psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

for tool in /usr/bin/time /usr/bin/sqlite3; do
    if [[ ! -x $tool ]]; then
        echo "$tool is missing (Debian/Ubuntu: apt-get install ${tool##*/})" >&2
        exit 2
    fi
done

load() { printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"; }

echo "== machine"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu:     $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
echo "mem:     $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
echo "rustc:   $(rustc --version 2>/dev/null || echo '?')"
echo "sqlite3: $(/usr/bin/sqlite3 --version | cut -d' ' -f1)"
load

echo "== data ($rows rows)"
mkdir -p "$data"
if [[ ! -s "$data/touchpoints.csv" || ! -s "$data/channels.csv" ]]; then
    python3 benches/gen_touchpoints.py "$data" "$rows"
fi
if [[ ! -s "$data/anchor.csv" || "$data/anchor.csv" -ot "$data/touchpoints.csv" ]]; then
    python3 benches/anchor_touchpoints.py "$data/touchpoints.csv" "$data/anchor.csv"
fi
ls -l "$data"/*.csv | awk '{print $5, $NF}'

if [[ -z "${SOCIALLEDGER_BIN:-}" && "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "== build"
    cargo build --release --quiet -p socialledger-cli --bin socialledger
fi

# Runs "$@" under GNU time with its stdout in file $2; prints label ($1), wall time, rows/s, CPU and peak RSS.
# Sets $wall.
timed() {
    local label="$1" out="$2"
    shift 2
    load
    /usr/bin/time -v -o "$work/time-$label.txt" "$@" >"$out"
    load
    wall="$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i]; print w }' "$work/time-$label.txt")"
    awk -v rows="$rows" -v label="$label" -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = 0; for (i = 1; i <= n; i++) wall = wall * 60 + p[i] }
        /User time/ { user = $2 } /System time/ { sys = $2 } /Maximum resident set size/ { rss = $2 }
        END {
            printf "%-22s %d rows in %7.2f s = %8.0f rows/s; process CPU %.2f s (user %.2f, sys %.2f), peak RSS %.0f MiB\n",
                label, rows, wall, rows / wall, user + sys, user, sys, rss / 1024
        }' "$work/time-$label.txt"
}

# Our import of touchpoints.csv into $1 (channels.csv first, untimed); fails unless it imported.
ours() {
    local db="$1" label="$2"
    "$bin" --db "$db" --quiet import "$data/channels.csv"
    timed "$label" "$work/out-$label.json" "$bin" --db "$db" --quiet --json import "$data/touchpoints.csv"
    if ! grep -q '"status": "imported"' "$work/out-$label.json"; then
        echo "$label: the import did not succeed:" >&2
        cat "$work/out-$label.json" >&2
        exit 2
    fi
}

table_sql="CREATE TABLE touchpoints (key TEXT NOT NULL PRIMARY KEY, contact TEXT, account TEXT, deal TEXT,
    at TEXT NOT NULL, channel TEXT NOT NULL, kind TEXT NOT NULL, campaign TEXT, post_ref TEXT, utm_source TEXT,
    utm_medium TEXT, utm_campaign TEXT, import_id BIGINT NOT NULL);"

echo "== SQLite: socialledger import, then the sqlite3 shell's .import of the same rows"
ours "$work/ours.db" "socialledger-sqlite"
ours_wall="$wall"
echo "socialledger database files: $(du -m "$work"/ours.db* | awk '{sub(".*/", "", $2); printf "%s %s MiB  ", $2, $1}')"
echo "stored touchpoints: $(/usr/bin/sqlite3 "$work/ours.db" 'SELECT COUNT(*) FROM touchpoints')"
rm -f "$work"/ours.db*
cat >"$work/anchor.sql" <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -65536;
BEGIN IMMEDIATE;
$table_sql
.import --csv --skip 1 $data/anchor.csv touchpoints
COMMIT;
SQL
timed "sqlite3-shell-.import" /dev/null /usr/bin/sqlite3 "$work/anchor.db" -bail -init "$work/anchor.sql" .quit
anchor_wall="$wall"
echo "stored touchpoints: $(/usr/bin/sqlite3 "$work/anchor.db" 'SELECT COUNT(*) FROM touchpoints')"
rm -f "$work"/anchor.db*
awk -v a="$ours_wall" -v b="$anchor_wall" 'BEGIN { printf "socialledger / sqlite3 shell wall time: %.2f (below 1: ours is faster)\n", a / b }'

echo "== PostgreSQL: socialledger import, then psql's \\copy of the same rows"
if [[ "${SKIP_PG:-0}" == 1 ]]; then
    echo "postgres skipped: SKIP_PG=1"
elif ! command -v psql >/dev/null || ! psql "$pg_base/postgres" -qAtc 'SELECT 1' >/dev/null 2>&1; then
    echo "postgres skipped: $pg_base is not reachable with psql (set SOCIALLEDGER_TEST_PG)"
else
    echo "server: $(psql "$pg_base/postgres" -qAtc 'SHOW server_version')"
    ours_db="socialledger_bench_$$"
    anchor_db="anchor_bench_$$"
    pg_dbs=("$ours_db" "$anchor_db")
    psql "$pg_base/postgres" -qc "CREATE DATABASE \"$ours_db\"" -c "CREATE DATABASE \"$anchor_db\""
    ours "$pg_base/$ours_db" "socialledger-postgres"
    ours_wall="$wall"
    timed "psql-\\copy" /dev/null psql "$pg_base/$anchor_db" -q -v ON_ERROR_STOP=1 -1 -c "$table_sql" \
        -c "\\copy touchpoints FROM '$data/anchor.csv' WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL (channel))"
    anchor_wall="$wall"
    awk -v a="$ours_wall" -v b="$anchor_wall" 'BEGIN { printf "socialledger / psql \\copy wall time: %.2f\n", a / b }'
fi
