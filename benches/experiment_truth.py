#!/usr/bin/env python3
"""Experiments on the demo company against their known true effect (issue 14's figures for the readouts).

Usage: benches/experiment_truth.py [--seeds N] [--first S] [--jobs J] [--bin PATH] [--keep DIR]
                                   [--spec CHANNEL:DESIGN[:WEEKS] ...]

For every experiment spec (by default one per design: a pause, a geo-split and an account holdout) and every
seed S in FIRST..FIRST+N-1 it runs

    socialledger demo --seed S --experiment CHANNEL:DESIGN[:WEEKS] --out DIR
    socialledger --json --db DIR/socialledger.db experiment analyze --plan DIR/experiment.json

and compares the readout with the experiment's true effect in DIR/truth.json (`experiments[0]`), in the unit the
readout estimates (EUR of pipeline; docs/demo-model.md):

    pause            contrast (normal minus paused weeks, per week)   truth: contrast_per_week
    geo-split        effect (per week in the paused regions)          truth: lost_per_week
    account-holdout  per_account (over the weeks compared)            truth: lost_per_account

It reports per spec:
  * coverage: the share of readouts whose 90 % interval covers the true effect (issue 14's bar: >= 85 %);
  * detected: the share whose interval excludes zero;
  * planned power: the mean over seeds of the power the design's noise gives the true effect at the 90 % level,
    Phi(t/se - z) + Phi(-t/se - z) with z = 1.645 and se the spread the readout's interval is computed with
    (pause: the interval's half-width / z; geo-split: `null_sd`; account holdout: `adjusted.se`). For the pause
    and the geo-split that spread comes from the history before the experiment only (placebo in time and the
    calibrated AR(1) formula), exactly what a plan of this schedule or assignment states; for the account
    holdout it is the Welch standard error on the experiment's own accounts. Bar: within 10 points of detected.

With --keep DIR the demo companies stay in DIR and a later run with the same DIR reads them again instead of
simulating them (the demo is most of the time; `experiment analyze` takes about a second): for changes to the
readout only. Keep the simulating binary's version in mind: a changed demo needs a fresh DIR.

Exits 1 when a bar is missed.
"""

import argparse
import concurrent.futures
import json
import math
import os
import subprocess
import sys
import tempfile

Z = 1.6448536269514722  # the 95 % normal quantile: two-sided 90 % intervals
DEFAULT_SPECS = ["linkedin:pause:26", "linkedin:geo-split:26", "linkedin-ads:account-holdout:26"]

# Per design: the readout's estimate, how to get its spread, and the truth's field.
READ = {
    "pause": ("contrast", lambda r: (r["contrast"]["high"] - r["contrast"]["low"]) / (2 * Z), "contrast_per_week"),
    "geo-split": ("effect", lambda r: r["null_sd"], "lost_per_week"),
    "account-holdout": ("per_account", lambda r: r["adjusted"]["se"], "lost_per_account"),
}


def phi(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def power(effect, se):
    if se <= 0:
        return 1.0 if effect != 0 else 0.1
    return phi(effect / se - Z) + phi(-effect / se - Z)


def one_run(binary, spec, seed, workdir, keep):
    out = os.path.join(workdir, f"{spec.replace(':', '-')}-s{seed}")
    if not (keep and os.path.exists(os.path.join(out, "truth.json"))):
        subprocess.run(["rm", "-rf", out], check=False)
        subprocess.run(
            [binary, "--quiet", "demo", "--seed", str(seed), "--experiment", spec, "--out", out],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    r = subprocess.run(
        [binary, "--quiet", "--json", "--db", os.path.join(out, "socialledger.db"), "experiment", "analyze", "--plan",
         os.path.join(out, "experiment.json")],
        check=True,
        capture_output=True,
        text=True,
    )
    with open(os.path.join(out, "truth.json")) as f:
        truth = json.load(f)["experiments"][0]
    readout = json.loads(r.stdout)
    design = readout["design"]
    field, spread, truth_field = READ[design]
    interval = readout[field]
    t = truth[truth_field]
    se = spread(readout)
    if not keep:
        subprocess.run(["rm", "-rf", out], check=False)
    return {
        "seed": seed,
        "design": design,
        "truth": t,
        "estimate": interval["estimate"],
        "low": interval["low"],
        "high": interval["high"],
        "covered": interval["low"] <= t <= interval["high"],
        "detected": interval["low"] > 0 or interval["high"] < 0,
        "power": power(t, se),
        "se": se,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spec", action="append", help="CHANNEL:DESIGN[:WEEKS], repeatable (default: one per design)")
    ap.add_argument("--seeds", type=int, default=50)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--bin", default="target/release/socialledger")
    ap.add_argument("--verbose", action="store_true", help="one line per readout")
    ap.add_argument("--keep", help="keep the demo companies in this folder and reuse those already there")
    args = ap.parse_args()
    specs = args.spec or DEFAULT_SPECS
    seeds = range(args.first, args.first + args.seeds)
    failed = False
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or scratch
        os.makedirs(work, exist_ok=True)
        # Seeds in the outer order, so that every design advances together; each readout printed as it arrives.
        jobs = [(spec, s) for s in seeds for spec in specs]
        done = {spec: [] for spec in specs}
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            for spec, r in pool.map(lambda job: (job[0], one_run(args.bin, job[0], job[1], work, args.keep)), jobs):
                done[spec].append(r)
                if args.verbose:
                    print(
                        f"{spec} seed {r['seed']:>3}: truth {r['truth']:>10.0f}  estimate {r['estimate']:>10.0f} "
                        f"[{r['low']:>10.0f}, {r['high']:>10.0f}]  {'covered' if r['covered'] else 'MISSED '}"
                        f"  detected {int(r['detected'])}  power {r['power']:.3f}",
                        flush=True,
                    )
        for spec in specs:
            runs = done[spec]
            n = len(runs)
            coverage = sum(r["covered"] for r in runs) / n
            detected = sum(r["detected"] for r in runs) / n
            planned = sum(r["power"] for r in runs) / n
            mean = lambda k: sum(r[k] for r in runs) / n  # noqa: E731
            rows.append((spec, n, coverage, detected, planned, mean("truth"), mean("estimate"), mean("se")))
            ok = coverage >= 0.85 and abs(planned - detected) <= 0.10
            failed |= not ok
    print(f"\n{'experiment':<34} {'runs':>4} {'coverage':>9} {'detected':>9} {'planned power':>14} "
          f"{'mean truth':>11} {'mean estimate':>14} {'mean se':>9}")
    for spec, n, cov, det, pw, t, e, se in rows:
        print(f"{spec:<34} {n:>4} {cov:>9.1%} {det:>9.1%} {pw:>14.1%} {t:>11.0f} {e:>14.0f} {se:>9.0f}")
    print("\nbars: coverage >= 85 %, planned power within 10 points of detected:", "missed" if failed else "met")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
