#!/usr/bin/env python3
"""socialledger's data-driven attribution against ChannelAttribution 2.2.5, side by side (issue 4's figures).

Run with the venv python (benches/attribution/setup.sh), usually through benches/attribution/run.sh.

For every path file and Markov order it runs ChannelAttribution's `markov_model` RUNS times with seeds 1..RUNS,
each as a whole process (ca_run.py: read the file with pandas, fit, write a CSV) timed by /usr/bin/time -v, and
takes the median share per channel; it runs `socialledger attribution --paths FILE --model markov --order K
--json --bootstrap 0` REPEATS times (5), timed the same way (results written to a file), and keeps the median
wall time. It then prints, as markdown:

- agreement: max over channels of |ours - median CA| in percentage points, and CA's own run-to-run spread;
- speed: median CA wall time / our wall time, and both peak RSS;
- exactness (markov_* files): max |share - exact truth| (truth from markov_truth.py) for ours and median CA;
- confounded (confounded_* files): mean absolute share error vs the true incremental shares for markov orders
  1-3 (ours and CA), shapley and incremental (`--intent` = the world's intent channels).

The 1-minute load average is recorded next to every timing: the machine is shared, so timings are indicative.
ChannelAttribution runs are cached in DATA/runs/ (keyed by file, size, order, seed); ours always rerun.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIME = "/usr/bin/time"


def load():
    return os.getloadavg()[0]


def timed(cmd, stdout_path):
    """Runs cmd under /usr/bin/time -v with stdout to a file; returns wall seconds, CPU seconds, peak RSS (MB) and
    the load before. Wall time is taken here with a monotonic clock (it includes starting /usr/bin/time, about a
    millisecond), because /usr/bin/time prints it in hundredths, too coarse for our runs; RSS comes from it."""
    before = load()
    t0 = time.perf_counter()
    with open(stdout_path, "wb") as out:
        proc = subprocess.run([TIME, "-v", *cmd], stdout=out, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{err[-3000:]}")
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1))
    user = float(re.search(r"User time \(seconds\): (\S+)", err).group(1))
    sys_ = float(re.search(r"System time \(seconds\): (\S+)", err).group(1))
    return {"wall": elapsed, "cpu": user + sys_, "rss_mb": rss_kb / 1024, "load": before}


def file_stats(path):
    """Distinct paths and journeys of a path file (not timed)."""
    rows, journeys, conversions = 0, 0.0, 0.0
    with open(path) as f:
        next(f)
        for line in f:
            parts = line.rsplit(";", 3)
            rows += 1
            conversions += float(parts[1])
            journeys += float(parts[1]) + float(parts[3])
    return {"paths": rows, "journeys": journeys, "conversions": conversions}


def ca_run(path, order, seed, runs_dir):
    """One ChannelAttribution run (cached): shares per channel and timing."""
    size = path.stat().st_size
    key = f"{path.stem}.{size}.o{order}.s{seed}"
    csv_path = runs_dir / f"{key}.csv"
    meta_path = runs_dir / f"{key}.json"
    if meta_path.exists() and csv_path.exists():
        with open(meta_path) as f:
            meta = json.load(f)
    else:
        log = runs_dir / f"{key}.stdout"
        meta = timed([sys.executable, str(HERE / "ca_run.py"), str(path), str(order), str(seed), str(csv_path)], log)
        with open(meta_path, "w") as f:
            json.dump(meta, f)
    conversions = {}
    with open(csv_path) as f:
        header = next(f).strip().split(",")
        i_name, i_conv = header.index("channel_name"), header.index("total_conversions")
        for line in f:
            cells = line.strip().split(",")
            conversions[cells[i_name]] = float(cells[i_conv])
    total = sum(conversions.values())
    meta["shares"] = {c: v / total for c, v in conversions.items()}
    return meta


def ours(binary, path, model, order, runs_dir, repeats, intent=None):
    """socialledger on one file, run `repeats` times (it is deterministic): median wall, highest peak RSS."""
    out = runs_dir / f"ours.{path.stem}.{model}.o{order}.json"
    cmd = [str(binary), "attribution", "--paths", str(path), "--model", model, "--json", "--bootstrap", "0"]
    if model == "markov":
        cmd += ["--order", str(order)]
    if intent:
        cmd += ["--intent", ",".join(intent)]
    times = [timed(cmd, out) for _ in range(repeats)]
    meta = {
        "walls": [t["wall"] for t in times],
        "wall": statistics.median(t["wall"] for t in times),
        "cpu": statistics.median(t["cpu"] for t in times),
        "rss_mb": max(t["rss_mb"] for t in times),
        "load": times[0]["load"],
    }
    with open(out) as f:
        result = json.load(f)
    meta["shares"] = {c["channel"]: c["share"] for c in result["channels"]}
    meta["removal_effects"] = {c["channel"]: c.get("removal_effect") for c in result["channels"]}
    return meta


def median_shares(runs):
    channels = sorted({c for r in runs for c in r["shares"]})
    return {c: statistics.median(r["shares"].get(c, 0.0) for r in runs) for c in channels}


def max_abs_pp(a, b):
    channels = set(a) | set(b)
    return max(abs(a.get(c, 0.0) - b.get(c, 0.0)) for c in channels) * 100


def mean_abs_pp(shares, truth):
    return sum(abs(shares.get(c, 0.0) - t) for c, t in truth.items()) / len(truth) * 100


def spread_pp(runs):
    channels = sorted({c for r in runs for c in r["shares"]})
    return max(
        max(r["shares"].get(c, 0.0) for r in runs) - min(r["shares"].get(c, 0.0) for r in runs) for c in channels
    ) * 100


def datasets(args):
    data = Path(args.data)
    found = []
    if args.example:
        found.append({"name": "example", "path": Path(args.example), "kind": "example", "runs": args.runs})
    for size in [s for s in args.sizes.split(",") if s]:
        for kind in ("markov", "realistic", "confounded"):
            path = data / f"{kind}_{size}.csv"
            if path.exists():
                found.append({"name": f"{kind}_{size}", "path": path, "kind": kind, "runs": args.runs})
    for size in [s for s in args.speed_sizes.split(",") if s]:
        for kind in ("realistic", "confounded"):
            path = data / f"{kind}_{size}.csv"
            if path.exists():
                found.append({"name": f"{kind}_{size}", "path": path, "kind": "speed", "runs": args.speed_runs})
    return found


def fmt_mb(x):
    return f"{x:,.0f}"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", required=True, help="the socialledger binary")
    p.add_argument("--data", required=True, help="folder of the generated files (and runs/ cache)")
    p.add_argument("--sizes", default="100k", help="comma-separated sizes of markov_/realistic_/confounded_ files")
    p.add_argument("--speed-sizes", default="", help="sizes run for speed and memory only (realistic_ and confounded_ files)")
    p.add_argument("--speed-runs", type=int, default=1, help="ChannelAttribution runs per order on speed sizes")
    p.add_argument("--example", default="", help="ChannelAttribution's example path file")
    p.add_argument("--runs", type=int, default=10, help="ChannelAttribution runs (seeds 1..RUNS) per file and order")
    p.add_argument("--orders", default="1,2,3")
    p.add_argument("--repeats", type=int, default=5, help="runs of socialledger per file and model (median wall)")
    p.add_argument("--json", default="", help="also write every measurement to this JSON file")
    args = p.parse_args()

    binary = Path(args.bin).resolve()
    runs_dir = Path(args.data) / "runs"
    runs_dir.mkdir(parents=True, exist_ok=True)
    orders = [int(o) for o in args.orders.split(",")]
    all_results = []
    for ds in datasets(args):
        stats = file_stats(ds["path"])
        truth = None
        truth_path = ds["path"].with_suffix(".truth.json")
        if ds["kind"] in ("markov", "confounded") and truth_path.exists():
            with open(truth_path) as f:
                truth = json.load(f)
        entry = {**{k: str(v) for k, v in ds.items()}, **stats, "orders": {}, "models": {}}
        for order in orders:
            print(f"[{time.strftime('%H:%M:%S')}] {ds['name']} order {order}: "
                  f"{ds['runs']} ChannelAttribution runs (load {load():.2f})", file=sys.stderr, flush=True)
            ca = [ca_run(ds["path"], order, seed, runs_dir) for seed in range(1, ds["runs"] + 1)]
            mine = ours(binary, ds["path"], "markov", order, runs_dir, args.repeats)
            med = median_shares(ca)
            row = {
                "ca_runs": ca,
                "ca_median": med,
                "ours": mine,
                "max_diff_pp": max_abs_pp(mine["shares"], med),
                "ca_spread_pp": spread_pp(ca),
                "ca_wall_median": statistics.median(r["wall"] for r in ca),
                "ca_cpu_median": statistics.median(r["cpu"] for r in ca),
                "ca_rss_max": max(r["rss_mb"] for r in ca),
                "ca_load_mean": statistics.mean(r["load"] for r in ca),
            }
            row["speedup"] = row["ca_wall_median"] / mine["wall"]
            if truth:
                row["ours_err_pp"] = (max_abs_pp if ds["kind"] == "markov" else mean_abs_pp)(mine["shares"],
                                                                                             truth["shares"])
                row["ca_err_pp"] = (max_abs_pp if ds["kind"] == "markov" else mean_abs_pp)(med, truth["shares"])
            entry["orders"][order] = row
        if ds["kind"] == "confounded" and truth:
            for model in ("shapley", "incremental"):
                mine = ours(binary, ds["path"], model, 0, runs_dir, args.repeats, intent=truth["intent_channels"])
                mine["err_pp"] = mean_abs_pp(mine["shares"], truth["shares"])
                entry["models"][model] = mine
        entry["truth"] = truth
        all_results.append(entry)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(all_results, f, indent=1)

    report(all_results)


def report(results):
    print("### Agreement and speed (Markov orders 1-3)\n")
    print("| file | journeys | paths | order | max \\|ours − median CA\\| (pp) | CA spread (pp) | CA runs | "
          "CA wall (s) | ours wall (s) | speed-up | CA CPU (s) | ours CPU (s) | CA peak RSS (MB) | "
          "ours peak RSS (MB) | load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for e in results:
        for order, r in e["orders"].items():
            print(f"| {e['name']} | {e['journeys']:,.0f} | {e['paths']:,} | {order} | {r['max_diff_pp']:.2f} | "
                  f"{r['ca_spread_pp']:.2f} | {len(r['ca_runs'])} | {r['ca_wall_median']:.2f} | "
                  f"{r['ours']['wall']:.3f} | {r['speedup']:.0f}× | {r['ca_cpu_median']:.2f} | "
                  f"{r['ours']['cpu']:.2f} | {fmt_mb(r['ca_rss_max'])} | "
                  f"{fmt_mb(r['ours']['rss_mb'])} | {r['ca_load_mean']:.1f} / {r['ours']['load']:.1f} |")
    print("\nWall and CPU (user + system) times are medians: over the CA runs, and over the repeats of ours. "
          "speed-up: CA wall / ours wall. CA spread: max over channels of (max − min share over the CA runs). "
          "load: mean 1-minute load average at the start of the CA runs / of ours.\n")

    markov = [e for e in results if e["kind"] == "markov" and e["truth"]]
    if markov:
        print("### Exactness (first-order Markov world, max \\|share − exact truth\\| in pp)\n")
        print("| file | journeys | order | ours | median CA |")
        print("|---|---:|---:|---:|---:|")
        for e in markov:
            for order, r in e["orders"].items():
                print(f"| {e['name']} | {e['journeys']:,.0f} | {order} | {r['ours_err_pp']:.3f} | "
                      f"{r['ca_err_pp']:.3f} |")
        print()

    confounded = [e for e in results if e["kind"] == "confounded" and e["truth"]]
    if confounded:
        print("### Confounded world (mean absolute share error vs true incremental shares, pp)\n")
        print("| file | journeys | model | ours | median CA |")
        print("|---|---:|---|---:|---:|")
        for e in confounded:
            for order, r in e["orders"].items():
                print(f"| {e['name']} | {e['journeys']:,.0f} | markov order {order} | {r['ours_err_pp']:.2f} | "
                      f"{r['ca_err_pp']:.2f} |")
            for model, m in e["models"].items():
                print(f"| {e['name']} | {e['journeys']:,.0f} | {model} (ours: {m['wall']:.3f} s, "
                      f"{fmt_mb(m['rss_mb'])} MB) | {m['err_pp']:.2f} | – |")
        print()
        for e in confounded:
            channels = sorted(e["truth"]["shares"])
            print(f"Shares on {e['name']} (%):\n")
            cols = [("truth", e["truth"]["shares"])]
            cols += [(f"markov {o}", r["ours"]["shares"]) for o, r in e["orders"].items()]
            cols += [(m, v["shares"]) for m, v in e["models"].items()]
            print("| channel | " + " | ".join(c for c, _ in cols) + " |")
            print("|---|" + "---:|" * len(cols))
            for ch in channels:
                print(f"| {ch} | " + " | ".join(f"{s.get(ch, 0.0) * 100:.1f}" for _, s in cols) + " |")
            print()


if __name__ == "__main__":
    main()
