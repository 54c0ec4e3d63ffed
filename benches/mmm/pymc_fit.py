#!/usr/bin/env python3
"""PyMC-Marketing anchor of the MMM benchmark: fits one weekly CSV with PyMC-Marketing's MMM and writes JSON.

The model is the one of PyMC-Marketing's MMM quickstart notebook, as data/mmm/README.md describes it:

* ``pymc_marketing.mmm.MMM`` (1.x: the class in ``pymc_marketing.mmm.mmm``), ``GeometricAdstock(l_max=8)``
  (normalized weights, the default), ``LogisticSaturation()``, adstock before saturation;
* target and every channel max-abs scaled (PyMC-Marketing's default); controls used as they are;
* ``yearly_seasonality=2`` (4 Fourier terms, period 365.25 days, on the day of year of the date column);
* priors: intercept Normal(0.5, 0.2); saturation_beta HalfNormal(sigma = n_channels x spend share of the
  channel), which is 2 x share for the example's two channels; gamma_control Normal(0, 0.05);
  gamma_fourier Laplace(0, 0.2); likelihood Normal with sigma ~ HalfNormal(6); left at PyMC-Marketing's
  defaults: adstock_alpha Beta(1, 3), saturation_lam Gamma(alpha=3, beta=1);
* NUTS, 4 chains x 1000 tune + 1000 draws, target_accept 0.85.

Run it with the venv that benches/mmm/setup-venv.sh makes, e.g.
    "$(benches/mmm/setup-venv.sh)" benches/mmm/pymc_fit.py --sampler nutpie --out /tmp/pymc-nutpie.json

Intervals are EQUAL-TAILED 90 % intervals (5 % and 95 % quantiles of the pooled draws), under "eti90"; the
90 % HDI (shortest interval holding 90 % of the pooled draws) is given beside it under "hdi90".
Contributions are in original y units: channel_contribution (scaled space, per date and channel) times the
target scale (max |y|), summed over all dates of the CSV, per draw; a channel's share is its contribution
over the sum of the media channels' contributions, per draw. This is what PyMC-Marketing's own
``mmm.summary.channel_share_hdi`` computes (its mean is reported beside ours as a cross-check).
"""

import time as _time

_T0_PERF = _time.perf_counter()  # top of the script, before any heavy import


def _process_age_s():
    """Seconds since this process was started (Linux /proc; None elsewhere). 10 ms resolution."""
    try:
        import os

        with open("/proc/self/stat") as f:
            stat = f.read()
        start_ticks = int(stat[stat.rindex(")") + 2 :].split()[19])  # field 22, starttime
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except Exception:
        return None


_AGE_AT_T0 = _process_age_s()

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402

# Truth of data/mmm/mmm_example.csv (data/mmm/README.md): the share of media contribution, in %.
EXAMPLE_SHA256 = "320d2995"  # prefix, as data/mmm/README.md quotes it
EXAMPLE_TRUE_SHARE = {"x1": 80.66, "x2": 19.34}
# And, in PyMC-Marketing's scaled space, the true parameters (same README).
EXAMPLE_TRUE_PARAMS = {
    "adstock_alpha": {"x1": 0.4, "x2": 0.2},
    "saturation_lam": {"x1": 3.9866, "x2": 2.9831},
    "saturation_beta": {"x1": 0.3609, "x2": 0.2406},
}


def parse_args(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    default_csv = os.path.normpath(os.path.join(here, "..", "..", "data", "mmm", "mmm_example.csv"))
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--sampler",
        choices=["default", "nutpie", "pymc"],
        default="default",
        help="NUTS implementation. 'default' passes none, so pm.sample picks (nutpie when it is installed "
        "and the model compiles with numba, else PyMC's own NUTS); the JSON records what ran.",
    )
    p.add_argument("--chains", type=int, default=4)
    p.add_argument("--tune", type=int, default=1000)
    p.add_argument("--draws", type=int, default=1000)
    p.add_argument("--target-accept", type=float, default=0.85)
    p.add_argument("--cores", type=int, default=None, help="parallel chains (pm.sample default: min(chains, CPUs))")
    p.add_argument("--seed", type=int, default=sum(map(ord, "mmm")), help="random seed (default 327, the notebook's)")
    p.add_argument("--csv", default=default_csv, help="weekly CSV (default data/mmm/mmm_example.csv)")
    p.add_argument("--date", default="date_week", help="date column")
    p.add_argument("--target", default="y", help="target column")
    p.add_argument("--media", default="x1,x2", help="channel (spend) columns, comma-separated")
    p.add_argument("--controls", default="event_1,event_2,t", help="control columns, comma-separated ('' for none)")
    p.add_argument("--l-max", type=int, default=8, help="GeometricAdstock l_max")
    p.add_argument("--yearly-seasonality", type=int, default=2, help="Fourier modes (0 for none)")
    p.add_argument(
        "--true-share",
        default=None,
        help="true media shares in %%, e.g. x1=80.66,x2=19.34, for the error in percentage points; "
        "default: those of data/mmm/README.md when --csv is mmm_example.csv (by content), else none",
    )
    p.add_argument("--out", default=None, help="JSON output path (default: stdout)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p.parse_args(argv)


def split_cols(s):
    return [c.strip() for c in s.split(",") if c.strip()]


def interval_stats(samples):
    """mean, sd, median, 90 % equal-tailed interval and 90 % HDI of a 1-d array of pooled draws."""
    import numpy as np

    x = np.sort(np.asarray(samples, dtype=float).ravel())
    n = x.size
    k = int(np.floor(0.9 * n))  # the HDI spans k+1 sorted draws
    widths = x[k:] - x[: n - k]
    i = int(np.argmin(widths))
    return {
        "mean": float(x.mean()),
        "sd": float(x.std(ddof=1)),
        "median": float(np.median(x)),
        "eti90": [float(np.quantile(x, 0.05)), float(np.quantile(x, 0.95))],
        "hdi90": [float(x[i]), float(x[i + k])],
    }


class _SamplerLog(logging.Handler):
    """Keeps PyMC's log lines: they name the NUTS implementation that ran ('NUTS[nutpie]' or 'NUTS: [...]')."""

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.lines = []

    def emit(self, record):
        try:
            self.lines.append(record.getMessage())
        except Exception:
            pass

    def sampler(self):
        for line in self.lines:
            if line.startswith("NUTS[") and "]" in line:
                return line[5 : line.index("]")]
        for line in self.lines:
            if line.startswith("NUTS:") or "NUTS: [" in line:
                return "pymc"
        return None


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    load_start = os.getloadavg()
    media = split_cols(args.media)
    controls = split_cols(args.controls)

    t_imp = _time.perf_counter()
    import numpy as np
    import pandas as pd
    import pymc as pm
    import pytensor
    import xarray as xr
    import pymc_marketing
    from pymc_extras.prior import Prior
    from pymc_marketing.mmm import MMM, GeometricAdstock, LogisticSaturation

    import_s = _time.perf_counter() - t_imp

    sampler_log = _SamplerLog()
    logging.getLogger("pymc").addHandler(sampler_log)

    # ---- data -----------------------------------------------------------------------------------------
    with open(args.csv, "rb") as f:
        csv_sha256 = hashlib.sha256(f.read()).hexdigest()
    df = pd.read_csv(args.csv, parse_dates=[args.date])
    missing = [c for c in [args.date, args.target, *media, *controls] if c not in df.columns]
    if missing:
        sys.exit(f"pymc_fit: {args.csv} lacks column(s) {missing}")
    X = df[[args.date, *media, *controls]]
    y = df[args.target]

    spend = df[media].sum(axis=0)
    spend_share = spend / spend.sum()
    prior_sigma = len(media) * spend_share.to_numpy()

    true_share = None
    if args.true_share:
        true_share = {k: float(v) for k, v in (kv.split("=") for kv in split_cols(args.true_share))}
    elif csv_sha256.startswith(EXAMPLE_SHA256) and media == ["x1", "x2"]:
        true_share = dict(EXAMPLE_TRUE_SHARE)
    true_params = EXAMPLE_TRUE_PARAMS if csv_sha256.startswith(EXAMPLE_SHA256) and media == ["x1", "x2"] else None

    # ---- model ----------------------------------------------------------------------------------------
    model_config = {
        "intercept": Prior("Normal", mu=0.5, sigma=0.2),
        # sigma as a labelled DataArray: aligned on the channel coordinate, no implicit-conversion warning.
        "saturation_beta": Prior(
            "HalfNormal",
            sigma=xr.DataArray(prior_sigma, dims="channel", coords={"channel": media}),
            dims="channel",
        ),
        "likelihood": Prior("Normal", sigma=Prior("HalfNormal", sigma=6), dims="date"),
    }
    if controls:
        model_config["gamma_control"] = Prior("Normal", mu=0, sigma=0.05, dims="control")
    if args.yearly_seasonality:
        model_config["gamma_fourier"] = Prior("Laplace", mu=0, b=0.2, dims="fourier_mode")

    mmm = MMM(
        date_column=args.date,
        target_column=args.target,
        channel_columns=media,
        control_columns=controls or None,
        adstock=GeometricAdstock(l_max=args.l_max),
        saturation=LogisticSaturation(),
        yearly_seasonality=args.yearly_seasonality or None,
        model_config=model_config,
        sampler_config={},
    )

    fit_kwargs = dict(
        chains=args.chains,
        tune=args.tune,
        draws=args.draws,
        target_accept=args.target_accept,
        random_seed=args.seed,
        progressbar=not args.quiet,
    )
    if args.cores is not None:
        fit_kwargs["cores"] = args.cores
    if args.sampler != "default":
        fit_kwargs["nuts_sampler"] = args.sampler

    # ---- fit (build + compile + sample + deterministics, i.e. the whole mmm.fit call) ---------------------
    t_fit = _time.perf_counter()
    with warnings.catch_warnings(record=True) as fit_warnings:
        warnings.simplefilter("always")
        idata = mmm.fit(X, y, **fit_kwargs)
    fit_s = _time.perf_counter() - t_fit

    t_post = _time.perf_counter()
    post = idata["posterior"].to_dataset()
    sample_stats = idata["sample_stats"].to_dataset()
    sampling_s = post.attrs.get("sampling_time")

    # ---- parameters -------------------------------------------------------------------------------------
    def per_channel(name):
        da = post[name].stack(sample=("chain", "draw"))
        out = {}
        for ch in media:
            s = interval_stats(da.sel(channel=ch).values)
            if true_params and name in true_params:
                s["truth"] = true_params[name][ch]
            out[ch] = s
        return out

    params = {name: per_channel(name) for name in ("adstock_alpha", "saturation_lam", "saturation_beta")}

    def flat(name):
        da = post[name]
        other = [d for d in da.dims if d not in ("chain", "draw")]
        if not other:
            return interval_stats(da.values)
        da = da.stack(sample=("chain", "draw"))
        dim = other[0]
        return {str(c): interval_stats(da.sel({dim: c}).values) for c in da[dim].values}

    others = {}
    for name in ("intercept_contribution", "gamma_control", "gamma_fourier", "y_sigma"):
        if name in post:
            others[name] = flat(name)

    # ---- contributions in original units ----------------------------------------------------------------
    target_scale = float(np.asarray(idata["constant_data"]["target_scale"].values).ravel()[0])
    contrib = post["channel_contribution"] * target_scale  # (chain, draw, date, channel), y units
    total = contrib.sum(dim="date")  # (chain, draw, channel)
    share = total / total.sum(dim="channel")
    total_s = total.stack(sample=("chain", "draw"))
    share_s = share.stack(sample=("chain", "draw"))
    mean_totals = {ch: float(total_s.sel(channel=ch).mean()) for ch in media}
    contributions = {}
    for ch in media:
        sh = interval_stats(100.0 * share_s.sel(channel=ch).values)
        entry = {
            "total_y_units": interval_stats(total_s.sel(channel=ch).values),
            "share_of_media_pct": sh,
            # the ratio of the mean totals, for comparison (not the mean of the per-draw shares above)
            "share_of_mean_totals_pct": 100.0 * mean_totals[ch] / sum(mean_totals.values()),
        }
        if true_share and ch in true_share:
            entry["true_share_pct"] = true_share[ch]
            entry["share_abs_error_pp"] = abs(sh["mean"] - true_share[ch])
        contributions[ch] = entry

    # Cross-check with PyMC-Marketing's own share summary (same definition; HDI from arviz).
    pymc_marketing_share = None
    try:
        tbl = mmm.summary.channel_share_hdi(hdi_probs=[0.9], output_format="pandas")
        tbl = tbl.reset_index() if "channel" not in tbl.columns else tbl
        pymc_marketing_share = {
            str(r["channel"]): {k: float(r[k]) * 100.0 for k in tbl.columns if k != "channel"}
            for _, r in tbl.iterrows()
        }
    except Exception as e:  # informative only
        pymc_marketing_share = {"error": f"{type(e).__name__}: {e}"}

    # ---- diagnostics ---------------------------------------------------------------------------------------
    import arviz as az

    free = [v.name for v in mmm.model.free_RVs]
    rhat = az.rhat(idata, var_names=free)
    ess_bulk = az.ess(idata, var_names=free, method="bulk")
    ess_tail = az.ess(idata, var_names=free, method="tail")

    def ds_of(x):
        return x.to_dataset() if hasattr(x, "to_dataset") else x

    rhat, ess_bulk, ess_tail = ds_of(rhat), ds_of(ess_bulk), ds_of(ess_tail)
    per_var = {
        v: {
            "rhat_max": float(rhat[v].max()),
            "ess_bulk_min": float(ess_bulk[v].min()),
            "ess_tail_min": float(ess_tail[v].min()),
        }
        for v in free
    }
    diagnostics = {
        "free_variables": free,
        "rhat_max": max(d["rhat_max"] for d in per_var.values()),
        "ess_bulk_min": min(d["ess_bulk_min"] for d in per_var.values()),
        "ess_tail_min": min(d["ess_tail_min"] for d in per_var.values()),
        "divergences": int(sample_stats["diverging"].sum()),
        "per_variable": per_var,
    }
    post_s = _time.perf_counter() - t_post

    # ---- versions ----------------------------------------------------------------------------------------
    from importlib import metadata

    def ver(pkg):
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return None

    versions = {
        "python": platform.python_version(),
        **{
            p: ver(p)
            for p in (
                "pymc-marketing",
                "pymc",
                "pytensor",
                "nutpie",
                "pymc-extras",
                "numba",
                "numpy",
                "pandas",
                "xarray",
                "arviz",
                "arviz-stats",
            )
        },
    }

    sampler_used = sampler_log.sampler()
    script_s = _time.perf_counter() - _T0_PERF
    result = {
        "tool": "pymc-marketing",
        "csv": os.path.abspath(args.csv),
        "csv_sha256": csv_sha256,
        "rows": int(len(df)),
        "columns": {"date": args.date, "target": args.target, "media": media, "controls": controls},
        "model": {
            "class": f"{MMM.__module__}.{MMM.__qualname__}",
            "adstock": f"GeometricAdstock(l_max={args.l_max}, normalize=True)",
            "saturation": "LogisticSaturation()",
            "yearly_seasonality": args.yearly_seasonality,
            "scaling": "max-abs of y and of each channel over all dates; controls unscaled",
            "target_scale": target_scale,
            "channel_scale": {
                ch: float(v)
                for ch, v in zip(media, np.asarray(idata["constant_data"]["channel_scale"].values).ravel())
            },
            "spend_share": {ch: float(v) for ch, v in spend_share.items()},
            "priors": {
                k: (
                    'Prior("HalfNormal", sigma={'
                    + ", ".join(f"{ch}: {v:.6g}" for ch, v in zip(media, prior_sigma))
                    + '}, dims="channel")'
                    if k == "saturation_beta"
                    else str(v)
                )
                for k, v in mmm.model_config.items()
                if not (k == "gamma_control" and not controls)
                and not (k == "gamma_fourier" and not args.yearly_seasonality)
            },
        },
        "sampler_requested": args.sampler,
        "sampler_used": sampler_used,
        "sampling": {
            "chains": args.chains,
            "tune": args.tune,
            "draws": args.draws,
            "target_accept": args.target_accept,
            "cores": args.cores,
            "seed": args.seed,
        },
        "timing_s": {
            "process": (script_s + _AGE_AT_T0) if _AGE_AT_T0 is not None else None,
            "process_note": "from the start of the python process (/proc) to just before the JSON is written",
            "script": script_s,
            "imports": import_s,
            "fit": fit_s,
            "fit_note": "the mmm.fit call: model build, pytensor/numba compilation, tuning, sampling, "
            "deterministics",
            "sampling": float(sampling_s) if sampling_s is not None else None,
            "sampling_note": "posterior.attrs['sampling_time'] as PyMC records it (tune + draws only)",
            "postprocess": post_s,
        },
        "interval": "eti90 = equal-tailed 90% (5%/95% quantiles of pooled draws); hdi90 = 90% HDI",
        "params": params,
        "params_scaled_space_note": "saturation_beta and intercept/gammas are in y/max(y) units; "
        "saturation_lam applies to x/max(x) of the channel",
        "other_params": others,
        "contributions": contributions,
        "pymc_marketing_channel_share_hdi_pct": pymc_marketing_share,
        "diagnostics": diagnostics,
        "fit_warnings": sorted({f"{w.category.__name__}: {str(w.message)[:300]}" for w in fit_warnings}),
        "versions": versions,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "loadavg_1_5_15_at_start": list(load_start),
            "loadavg_1_5_15_at_end": list(os.getloadavg()),
        },
        "pytensor_compiledir": str(pytensor.config.compiledir),
        "pymc_log": sampler_log.lines,
    }
    del pm, pymc_marketing
    text = json.dumps(result, indent=2)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
        x1 = ", ".join(
            f"{ch} {c['share_of_media_pct']['mean']:.2f}%"
            + (f" (err {c['share_abs_error_pp']:.2f} pp)" if "share_abs_error_pp" in c else "")
            for ch, c in contributions.items()
        )
        t = result["timing_s"]
        proc = f"{t['process']:.1f}" if t["process"] is not None else "?"
        print(
            f"pymc_fit: sampler {sampler_used}, process {proc} s, fit {fit_s:.1f} s; shares {x1}; "
            f"rhat max {diagnostics['rhat_max']:.4f}, ess bulk min {diagnostics['ess_bulk_min']:.0f}, "
            f"divergences {diagnostics['divergences']}; -> {args.out}",
            file=sys.stderr,
        )
    else:
        print(text)


if __name__ == "__main__":
    main()
