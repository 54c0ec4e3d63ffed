#!/usr/bin/env bash
# The PyMC-Marketing anchor of the MMM benchmark in one go: set up the venv, then fit the CSV once per RUN,
# one after another (never two samplings at once: the machine has 2 cores), and print a markdown table.
#
# Usage: benches/mmm/run.sh [RUN...]      RUN: nutpie | default | pymc   (default: nutpie nutpie default pymc pymc)
#   nutpie   pm.sample(nuts_sampler="nutpie")
#   pymc     pm.sample(nuts_sampler="pymc"), PyMC's own NUTS (chains in worker processes)
#   default  no nuts_sampler: what pm.sample picks (nutpie with pymc 6.3 when nutpie is installed)
# Environment: CSV (data/mmm/mmm_example.csv), PYMC_FIT_ARGS (extra pymc_fit.py arguments, e.g.
#   "--media a,b --controls c"), OUT (benches/data/mmm, gitignored), COLD (1: empty the PyTensor/numba
#   compile cache first, so the first run of each sampler pays the compilation; 0: keep it),
#   TAG (appended to the file names, e.g. TAG=cores2 with PYMC_FIT_ARGS="--cores 2" COLD=0),
#   SOCIALLEDGER_PYMC_VENV (see setup-venv.sh).
# The compile cache is OUT/pytensor (PYTENSOR_FLAGS=base_compiledir=...), not ~/.pytensor, so cold and warm
# are known. Each run writes OUT/NN-RUN.json (see pymc_fit.py) and OUT/NN-RUN.time (/usr/bin/time -v).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${OUT:-$root/benches/data/mmm}"
csv="${CSV:-$root/data/mmm/mmm_example.csv}"
cache="$out/pytensor"
runs=("$@")
[[ ${#runs[@]} -gt 0 ]] || runs=(nutpie nutpie default pymc pymc)
for r in "${runs[@]}"; do
    case "$r" in nutpie | default | pymc) ;; *) echo "usage: $0 [nutpie|default|pymc]..." >&2 && exit 2 ;; esac
done
if [[ ! -x /usr/bin/time ]]; then
    echo "run: /usr/bin/time is missing (Debian package 'time')" >&2
    exit 1
fi

python="$("$here/setup-venv.sh" | tail -n 1)"
mkdir -p "$out"
if [[ "${COLD:-1}" == 1 ]]; then
    rm -rf -- "$cache"
fi
mkdir -p "$cache"

jsons=()
i=0
for r in "${runs[@]}"; do
    i=$((i + 1))
    name="$(printf '%02d-%s' "$i" "$r")${TAG:+-$TAG}"
    echo "run: $name (load average: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    # shellcheck disable=SC2086 # PYMC_FIT_ARGS is a list of words
    PYTENSOR_FLAGS="base_compiledir=$cache" /usr/bin/time -v -o "$out/$name.time" \
        "$python" "$here/pymc_fit.py" --sampler "$r" --csv "$csv" --quiet --out "$out/$name.json" \
        ${PYMC_FIT_ARGS:-}
    jsons+=("$out/$name.json")
done

COLD="${COLD:-1}" "$python" - "${jsons[@]}" <<'EOF'
import json, os, re, sys

seen = set()
print("| run | sampler used | compile cache | process s | /usr/bin/time s | fit s | sampling s | "
      + "share x (err pp) | R-hat max | ESS bulk min | ESS tail min | div |")
print("|---|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|")
for path in sys.argv[1:]:
    d = json.load(open(path))
    used = d["sampler_used"]
    cache = "warm" if used in seen or os.environ.get("COLD", "1") != "1" else "cold"
    seen.add(used)
    wall = None
    try:
        t = open(path[:-5] + ".time").read()
        m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", t)
        if m:
            wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    except OSError:
        pass
    t = d["timing_s"]
    shares = ", ".join(
        f"{ch} {c['share_of_media_pct']['mean']:.2f}%"
        + (f" ({c['share_abs_error_pp']:.2f})" if "share_abs_error_pp" in c else "")
        for ch, c in d["contributions"].items()
    )
    g = d["diagnostics"]
    samp = f"{t['sampling']:.1f}" if t["sampling"] is not None else "?"
    proc = f"{t['process']:.1f}" if t["process"] is not None else "?"
    print(f"| {path.rsplit('/', 1)[-1][:-5]} | {used} | {cache} | {proc} | "
          f"{wall if wall is None else f'{wall:.1f}'} | {t['fit']:.1f} | {samp} | {shares} | "
          f"{g['rhat_max']:.4f} | {g['ess_bulk_min']:.0f} | {g['ess_tail_min']:.0f} | {g['divergences']} |")
EOF
