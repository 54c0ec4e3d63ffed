#!/usr/bin/env python3
"""One whole ChannelAttribution run, as an analyst would do it: read the path file with pandas, fit
`markov_model` (order K, seed S, defaults otherwise: nsim_start=1e5, conv_par=0.05, nfold=10, ncore=1), write the
per-channel result to a CSV. compare.py times this whole process with /usr/bin/time -v.

Usage: ca_run.py PATHS_CSV ORDER SEED OUT_CSV
Output columns: channel_name, total_conversions, total_conversion_value. (`out_more=True` would add the removal
effects but also builds the whole transition matrix, which is extra work an analyst after shares does not ask
for; the shares compared are each channel's total_conversions over their sum.)
"""
import contextlib
import io
import sys

import pandas as pd

# The package prints a banner on import; keep stdout for results.
with contextlib.redirect_stdout(io.StringIO()):
    import ChannelAttribution as ca


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    paths, order, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    data = pd.read_csv(paths, sep=";")
    res = ca.markov_model(
        data,
        "path",
        "total_conversions",
        var_value="total_conversion_value",
        var_null="total_null",
        order=order,
        seed=seed,
        verbose=False,
        flg_pro=False,
    )
    res.to_csv(out, index=False)


if __name__ == "__main__":
    main()
