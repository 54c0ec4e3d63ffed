#!/usr/bin/env bash
# socialledger vs ChannelAttribution 2.2.5 in one go: set up the venv, build, generate the worlds, compare.
#
# Usage: benches/attribution/run.sh [SIZE]      SIZE: 100k (default), 1m, 10m or all (100k, 1m and 10m)
#   100k and 1m: agreement, exactness, confounded and speed on the markov_, realistic_ and confounded_ files
#                (plus ChannelAttribution's example file); RUNS ChannelAttribution runs per file and order.
#   10m:         speed and peak memory only, on realistic_10m and confounded_10m (SPEED_RUNS ChannelAttribution
#                runs per order).
# Environment: RUNS (10), SPEED_RUNS (1), ORDERS (1,2,3), CARGO_TARGET_DIR (target), EXAMPLE (the shared
# example path file; empty to skip it). Generated files and ChannelAttribution's cached runs go to
# benches/data/attribution/ (gitignored); the markdown tables go to stdout and to
# benches/data/attribution/results-SIZE.md, every measurement to results-SIZE.json.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
size="${1:-100k}"
data="$root/benches/data/attribution"
target="${CARGO_TARGET_DIR:-$root/target}"
example="${EXAMPLE-$root/../shared/data/attribution/channelattribution_example_paths.csv}"

case "$size" in
    100k | 1m) sizes="$size" speed_sizes="" ;;
    10m) sizes="" speed_sizes="10m" ;;
    all) sizes="100k,1m" speed_sizes="10m" ;;
    *) echo "usage: $0 [100k|1m|10m|all]" >&2 && exit 2 ;;
esac

journeys() {
    case "$1" in
        100k) echo 100000 ;;
        1m) echo 1000000 ;;
        10m) echo 10000000 ;;
    esac
}

if [[ ! -x /usr/bin/time ]]; then
    echo "run: /usr/bin/time is missing (Debian package 'time')" >&2
    exit 1
fi

"$here/setup.sh"
py="$root/benches/.venv/bin/python"

(cd "$root" && CARGO_TARGET_DIR="$target" cargo build --release -p socialledger-cli -p socialledger-bench-tools)
gen="$target/release/gen-worlds"
bin="$target/release/socialledger"

mkdir -p "$data"
generate() { # world size
    local out="$data/$1_$2.csv"
    if [[ ! -s "$out" ]]; then
        echo "run: generating $out" >&2
        "$gen" --world "$1" --journeys "$(journeys "$2")" --seed 1 --out "$out.tmp.csv"
        for side in chain truth; do
            [[ -f "$out.tmp.$side.json" ]] && mv "$out.tmp.$side.json" "$data/$1_$2.$side.json"
        done
        mv "$out.tmp.csv" "$out"
    fi
    if [[ "$1" == markov ]]; then
        "$py" "$here/markov_truth.py" "$data/$1_$2.chain.json" "$data/$1_$2.truth.json"
    fi
}
for s in ${sizes//,/ }; do
    for world in markov realistic confounded; do generate "$world" "$s"; done
done
for s in ${speed_sizes//,/ }; do
    for world in realistic confounded; do generate "$world" "$s"; done
done

[[ -f "$example" ]] || example=""
# The example file is compared once, with the first size.
[[ -n "$sizes" ]] || example=""

echo "run: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs);" \
    "load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$py" "$here/compare.py" --bin "$bin" --data "$data" --sizes "$sizes" --speed-sizes "$speed_sizes" \
    --speed-runs "${SPEED_RUNS:-1}" --runs "${RUNS:-10}" --orders "${ORDERS:-1,2,3}" --example "$example" \
    --json "$data/results-$size.json" | tee "$data/results-$size.md"
echo "run: done; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
