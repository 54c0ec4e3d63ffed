#!/usr/bin/env python3
"""The verdict against the truth over many simulated companies (issue 14's figures).

Usage: benches/verdict_truth.py [--seeds N] [--jobs J] [--bin PATH] [--demo-args ARGS] [--experiment SPEC]
                               [--verdict-args ARGS] [--skip-default] [EFFECTS.toml ...]

For every effects configuration (the documented default company, and each TOML given, e.g.
examples/effects/*.toml) and every seed 1..N it runs

    socialledger demo --seed S [--effects FILE] --out DIR
    socialledger --db DIR/socialledger.db verdict --json

(`--demo-args "--accounts 2000 --months 36"` simulates a larger company; `--experiment linkedin:pause` lets every
company run that experiment at the end of its period and gives the verdict its readout, `verdict --experiment
DIR/experiment.json`; `--verdict-args "--icp examples/target_group.toml"` gives the verdict the target group, which
examples/effects/instagram-misses-target-group.toml needs; `--skip-default` runs only the TOML files) and compares every channel's verdict with the channel's true ROI on gross profit (70 % margin, the default):
revenue that disappears without the channel (truth.json, `effects[].removal_expected.revenue_eur`, expected over
the deal coin flips) x 0.7 minus its full cost (`costs[].total_minor`), over that cost. A channel without an
effect entry has a true ROI of -100 %.

A decided verdict contradicts the truth when it keeps or grows a channel whose true ROI is below -25 %, or drops
one whose true ROI is above +50 % (the issue's bars; between them the verdict is not judged). It also counts, per
configuration: channels decided per seed, undecided channels without a next step, and whether Facebook (no effect
in the default company) was ever kept or grown.

Prints one table per configuration and exits 1 when any contradiction, a Facebook keep/grow in the default
company, or an undecided channel without a next step is found.
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

MARGIN = 0.7


def true_rois(truth):
    revenue = {e["channel"]: e["removal_expected"]["revenue_eur"] for e in truth["effects"]}
    rois = {}
    for c in truth["costs"]:
        cost = c["total_minor"] / 100.0
        if cost > 0:
            rois[c["channel"]] = (MARGIN * revenue.get(c["channel"], 0.0) - cost) / cost
    return rois


def one_world(binary, seed, effects, workdir, demo_args, experiment, verdict_args):
    out = os.path.join(workdir, f"s{seed}-{os.path.basename(effects or 'default')}")
    cmd = [binary, "--quiet", "demo", "--seed", str(seed), "--out", out] + demo_args
    if effects:
        cmd += ["--effects", effects]
    if experiment:
        cmd += ["--experiment", experiment]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    verdict = [binary, "--quiet", "--json", "--db", os.path.join(out, "socialledger.db"), "verdict", "--seed", str(seed)]
    if experiment:
        verdict += ["--experiment", os.path.join(out, "experiment.json")]
    verdict += verdict_args
    v = subprocess.run(verdict, check=True, capture_output=True, text=True)
    with open(os.path.join(out, "truth.json")) as f:
        truth = json.load(f)
    return seed, json.loads(v.stdout), true_rois(truth)


def judge(verdict, rois):
    decided, contradictions, missing_steps, facebook = 0, [], [], None
    for c in verdict["channels"]:
        key, v = c["channel"], c["verdict"]
        roi = rois.get(key)
        if v != "undecided":
            decided += 1
        elif c["next_step"] is None:
            missing_steps.append(key)
        if roi is not None:
            if roi < -0.25 and v in ("keep", "grow"):
                contradictions.append(f"{key} {v} (true ROI {roi:+.0%}, {c['evidence']})")
            if roi > 0.5 and v == "drop":
                contradictions.append(f"{key} drop (true ROI {roi:+.0%}, {c['evidence']})")
        if key == "facebook":
            facebook = v
    return decided, contradictions, missing_steps, facebook


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("effects", nargs="*", help="effects TOML files (the default company always runs)")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--bin", default="target/release/socialledger")
    ap.add_argument("--demo-args", default="", help="extra arguments to `socialledger demo`, one string")
    ap.add_argument("--experiment", help="CHANNEL:DESIGN[:WEEKS]: every company runs this experiment")
    ap.add_argument("--verdict-args", default="", help="extra arguments to `socialledger verdict`, one string")
    ap.add_argument("--skip-default", action="store_true", help="run only the effects files given")
    args = ap.parse_args()
    demo_args = args.demo_args.split()
    configs = ([] if args.skip_default else [None]) + args.effects
    failed = False
    with tempfile.TemporaryDirectory() as work:
        for effects in configs:
            name = effects or "default company"
            with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
                runs = list(
                    pool.map(
                        lambda s: one_world(args.bin, s, effects, work, demo_args, args.experiment, args.verdict_args.split()),
                        range(1, args.seeds + 1),
                    )
                )
            print(f"\n{name}: {args.seeds} seeds")
            print(f"{'seed':>4} {'decided':>8}  verdicts (decided)  contradictions")
            total_decided, total_channels, all_contra, fb_bad = 0, 0, 0, 0
            for seed, verdict, rois in sorted(runs, key=lambda r: r[0]):
                decided, contra, missing, facebook = judge(verdict, rois)
                total_decided += decided
                total_channels += len(verdict["channels"])
                all_contra += len(contra)
                shown = ", ".join(
                    f"{c['channel']}={c['verdict']} ({c['evidence']})"
                    for c in verdict["channels"]
                    if c["verdict"] != "undecided"
                )
                print(f"{seed:>4} {decided:>3} of {len(verdict['channels']):<2}  {shown or '-'}  {'; '.join(contra) or '-'}")
                if missing:
                    print(f"     undecided without a next step: {', '.join(missing)}")
                    failed = True
                if effects is None and facebook in ("keep", "grow"):
                    fb_bad += 1
            print(
                f"decided {total_decided} of {total_channels} channel verdicts "
                f"({total_decided / max(total_channels, 1):.1%}); contradictions {all_contra}; "
                f"Facebook kept or grown: {fb_bad if effects is None else 'n/a'}"
            )
            failed |= all_contra > 0 or fb_bad > 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
