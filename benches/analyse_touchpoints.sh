#!/usr/bin/env bash
# The analysis benchmark: `socialledger report` and `socialledger attribution --model markov` on a database with
# ROWS touchpoints (10M by default) and the CRM behind them, on SQLite and on PostgreSQL. Wall time, CPU and peak RSS
# of the socialledger process under GNU time. Figures and machine are recorded in docs/benchmarks.md.
#
# Usage: benches/analyse_touchpoints.sh            (from anywhere; works in the repository root)
# Environment:
#   ROWS                 touchpoint rows (default 10000000)
#   BIN                  the socialledger binary to time (default $CARGO_TARGET_DIR/release/socialledger, built
#                        here); point it at another build to compare (say, main's)
#   SOCIALLEDGER_TEST_PG PostgreSQL base URL without a database (default postgres://postgres@127.0.0.1:5432);
#                        the script creates a database socialledger_analyse_<pid> there and drops it at the end.
#                        When the server is unreachable, the PostgreSQL part is skipped with a message.
#   SKIP_PG=1 / SKIP_SQLITE=1   one backend only
#   KEEP=DIR             keep the SQLite file in DIR (and reuse it when present) instead of a temp dir
#   KEEP_PG=NAME         use (and keep) the PostgreSQL database NAME, loading it only when it has no touchpoints
#   LOOKBACK_DAYS        --lookback-days of both commands (default 90: the data covers one year)
#   LOAD_ONLY=1          only build the databases (with KEEP, KEEP_PG): prepare them while the release build runs
#
# Needs: python3, sqlite3 (the shell), psql, GNU time at /usr/bin/time (Debian/Ubuntu: apt-get install time).
#
# Data: benches/data/analysis-<ROWS>/ (gitignored), written by benches/gen_analysis_db.py, deterministic: rows of
# the tables themselves. channels.csv goes through `socialledger import` (which creates and migrates the database
# and records import 1); accounts, contacts, deals and touchpoints are bulk-loaded into the migrated tables with
# sqlite3 `.import` (through a staging table, so that empty fields become NULL) and psql `\copy ... CSV` (empty
# unquoted fields are NULL), because `socialledger import` of ten million touchpoints holds them all in memory
# (about 10 GB) before writing. Loading is not timed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rows="${ROWS:-10000000}"
pg_base="${SOCIALLEDGER_TEST_PG:-postgres://postgres@127.0.0.1:5432}"
pg_base="${pg_base%/}"
target="${CARGO_TARGET_DIR:-$root/target}"
data="$root/benches/data/analysis-$rows"
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
load

echo "== data ($rows touchpoints)"
if [[ ! -s "$data/touchpoints.csv" ]]; then
    mkdir -p "$data"
    python3 benches/gen_analysis_db.py "$data" "$rows"
fi
ls -l "$data"/*.csv | awk '{print $5, $NF}'

if [[ -n "${BIN:-}" ]]; then
    bin="$BIN"
else
    echo "== build"
    cargo build --release --quiet -p socialledger-cli --bin socialledger
    bin="$target/release/socialledger"
fi
echo "binary: $bin"

tables=(accounts contacts deals touchpoints)

# Columns of a table's CSV header, comma-separated.
columns() { head -1 "$data/$1.csv"; }

load_sqlite() {
    local db="$1"
    "$bin" --db "$db" --quiet import "$data/channels.csv" >/dev/null
    for t in "${tables[@]}"; do
        local cols nulls
        cols="$(columns "$t")"
        nulls="$(tr ',' '\n' <<<"$cols" | sed 's/.*/NULLIF(&, '"''"')/' | paste -sd,)"
        sqlite3 "$db" <<SQL
PRAGMA journal_mode = WAL;
CREATE TEMP TABLE staging AS SELECT $cols FROM $t WHERE 0;
.mode csv
.import --skip 1 $data/$t.csv staging
INSERT INTO $t ($cols) SELECT $nulls FROM staging;
DROP TABLE staging;
SQL
    done
    sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;" >/dev/null
}

load_pg() {
    local db="$1"
    "$bin" --db "$db" --quiet import "$data/channels.csv" >/dev/null
    for t in "${tables[@]}"; do
        psql "$db" -q -c "\\copy $t ($(columns "$t")) FROM '$data/$t.csv' WITH (FORMAT csv, HEADER true)"
    done
    psql "$db" -q -c "VACUUM ANALYZE"
}

# Runs `socialledger ARGS...` against database $1 under GNU time, labelled $2; prints wall, CPU, peak RSS.
timed() {
    local db="$1" label="$2"
    shift 2
    load
    /usr/bin/time -v -o "$work/time" "$bin" --db "$db" --quiet "$@" >"$work/out" 2>"$work/err" || {
        echo "$label: failed"
        cat "$work/err"
        return 1
    }
    awk -v label="$label" -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
        /User time/ { user = $2 } /System time/ { sys = $2 } /Maximum resident/ { rss = $2 }
        END { printf "%s: wall %.2f s, CPU %.2f s, peak RSS %.0f MiB\n", label, wall, user + sys, rss / 1024 }' "$work/time"
    sha256sum "$work/out" | cut -c1-16 | sed "s/^/$label: output sha256 /"
}

# The data covers 2025 only, so a 365-day window (the default) of a deal created in 2025 starts before the data
# and the data-driven models leave every journey out as cut short; 90 days keeps the deals from April on.
lookback=(--lookback-days "${LOOKBACK_DAYS:-90}")

run_all() {
    local db="$1" backend="$2"
    timed "$db" "$backend report" report "${lookback[@]}"
    timed "$db" "$backend attribution --model markov" attribution --model markov "${lookback[@]}"
}

if [[ -z "${SKIP_SQLITE:-}" ]]; then
    echo "== SQLite"
    dir="${KEEP:-$work}"
    mkdir -p "$dir"
    sqlite_db="$dir/analyse-$rows.db"
    if [[ ! -s "$sqlite_db" ]]; then
        start=$(date +%s)
        load_sqlite "$sqlite_db"
        echo "loaded in $(($(date +%s) - start)) s (not timed below)"
    fi
    ls -l "$sqlite_db" | awk '{print "file:", $5, "bytes"}'
    if [[ -z "${LOAD_ONLY:-}" ]]; then
        run_all "$sqlite_db" SQLite
    fi
fi

if [[ -z "${SKIP_PG:-}" ]]; then
    echo "== PostgreSQL"
    if psql "$pg_base/postgres" -qc "SELECT 1" >/dev/null 2>&1; then
        if [[ -n "${KEEP_PG:-}" ]]; then
            url="$pg_base/$KEEP_PG"
            psql "$pg_base/postgres" -qc "CREATE DATABASE \"$KEEP_PG\"" >/dev/null 2>&1 || true
        else
            pg_db="socialledger_analyse_$$"
            url="$pg_base/$pg_db"
            psql "$pg_base/postgres" -qc "CREATE DATABASE \"$pg_db\"" >/dev/null
        fi
        if [[ "$(psql "$url" -tAc 'SELECT COUNT(*) FROM touchpoints' 2>/dev/null || echo 0)" == 0 ]]; then
            start=$(date +%s)
            load_pg "$url"
            echo "loaded in $(($(date +%s) - start)) s (not timed below)"
        fi
        echo "server: $(psql "$pg_base/postgres" -tAc 'SHOW server_version')"
        if [[ -n "${LOAD_ONLY:-}" ]]; then
            exit 0
        fi
        run_all "$url" PostgreSQL
    else
        echo "PostgreSQL at $pg_base is unreachable: skipped"
    fi
fi
