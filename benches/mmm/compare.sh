#!/usr/bin/env bash
# Our mix model beside PyMC-Marketing on PyMC-Marketing's example, in one run, as whole processes:
#   1. socialledger mmm fit (fast: MAP + Laplace intervals + cross-validation), REPS times;
#   2. socialledger mmm fit --sampler nuts (4 chains x 1000 + 1000), once;
#   3. PyMC-Marketing with nutpie (pm.sample's default here), 4 x 1000 + 1000, once (warm compile cache).
# Prints wall seconds, peak memory and x1's share of both. The PyMC side needs the venv (setup-venv.sh).
# Usage: benches/mmm/compare.sh            (REPS=5; BIN=path of a release socialledger; OUT=benches/data/mmm)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
out="${OUT:-$root/benches/data/mmm}"
mkdir -p "$out"
if [[ -z "${BIN:-}" ]]; then
    cargo build --release -q -p socialledger-cli
    BIN="${CARGO_TARGET_DIR:-$root/target}/release/socialledger"
fi
args=(--csv data/mmm/mmm_example.csv --target y --media x1,x2 --controls event_1,event_2
      --priors data/mmm/pymc_example_priors.toml --json)
share() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('%.2f' % (100*d['channels'][0]['contribution_share']))" "$1"; }
echo "| run | wall s | peak MB | x1 share % (truth 80.66) |"
echo "|---|---:|---:|---:|"
for i in $(seq 1 "${REPS:-5}"); do
    /usr/bin/time -f "%e %M" -o "$out/ours-fast.time" "$BIN" mmm fit "${args[@]}" > "$out/ours-fast.json" || true
    read -r wall kb < "$out/ours-fast.time"
    echo "| socialledger fast #$i | $wall | $((kb / 1024)) | $(share "$out/ours-fast.json") |"
done
/usr/bin/time -f "%e %M" -o "$out/ours-nuts.time" "$BIN" mmm fit --sampler nuts "${args[@]}" > "$out/ours-nuts.json" || true
read -r wall kb < "$out/ours-nuts.time"
echo "| socialledger nuts | $wall | $((kb / 1024)) | $(share "$out/ours-nuts.json") |"
python="$("$here/setup-venv.sh" | tail -n 1)"
# One unmeasured run fills PyTensor's compile cache, so the measured one is PyMC-Marketing's warm time.
"$python" "$here/pymc_fit.py" --sampler nutpie --out "$out/pymc-warmup.json" > /dev/null 2>&1
/usr/bin/time -f "%e %M" -o "$out/pymc.time" "$python" "$here/pymc_fit.py" --sampler nutpie --out "$out/pymc.json" > /dev/null 2>&1
read -r wall kb < "$out/pymc.time"
pshare=$(python3 -c "import json; d=json.load(open('$out/pymc.json')); print('%.2f' % d['contributions']['x1']['share_of_media_pct']['mean'])")
echo "| PyMC-Marketing (nutpie) | $wall | $((kb / 1024)) | $pshare |"
