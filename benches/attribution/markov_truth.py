#!/usr/bin/env python3
"""Exact removal-effect shares of a known first-order chain, with numpy (independent of socialledger's solver).

Reads the `<name>.chain.json` that `gen-worlds --world markov` writes beside its path file and writes
`<name>.truth.json` beside it:

    P       = start . (I - Q)^-1 . r           (Q: channel-to-channel probabilities, r: conversion per channel)
    P_c     = same with channel c removed: journeys that would start at or move to c end in null instead
    RE_c    = 1 - P_c / P                       (ChannelAttribution's removal effect)
    share_c = RE_c / sum(RE)

Self-loops (repeat touches) are kept in Q; they do not change any absorption probability, which is why a fitted
chain that merges repeats (as ChannelAttribution and socialledger do) still estimates the same removal effects.

Usage: markov_truth.py CHAIN_JSON [TRUTH_JSON]
"""
import json
import sys

import numpy as np


def conversion_probability(start, q, r):
    n = len(r)
    return float(start @ np.linalg.solve(np.eye(n) - q, r))


def truth(chain):
    start = np.array(chain["start"], dtype=float)
    q = np.array(chain["transitions"], dtype=float)
    r = np.array(chain["conversion"], dtype=float)
    p = conversion_probability(start, q, r)
    effects = {}
    for c, name in enumerate(chain["channels"]):
        s, qc, rc = start.copy(), q.copy(), r.copy()
        s[c] = 0.0  # a journey that would start at c ends at once
        qc[:, c] = 0.0  # a move to c ends the journey
        qc[c, :] = 0.0  # (c is never reached; cleared for clarity)
        rc[c] = 0.0
        effects[name] = 1.0 - conversion_probability(s, qc, rc) / p
    total = sum(effects.values())
    return {
        "world": "markov",
        "conversion_probability": p,
        "removal_effects": effects,
        "shares": {name: e / total for name, e in effects.items()},
    }


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    src = sys.argv[1]
    dst = sys.argv[2] if len(sys.argv) == 3 else src.replace(".chain.json", ".truth.json")
    with open(src) as f:
        chain = json.load(f)["chain"]
    with open(dst, "w") as f:
        json.dump(truth(chain), f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
