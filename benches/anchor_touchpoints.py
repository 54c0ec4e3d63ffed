#!/usr/bin/env python3
"""Writes the sqlite3 shell's anchor file for benches/import_vs_sqlite3.sh: the rows of a generated touchpoints.csv
in the columns of our `touchpoints` table (key, contact, account, deal, at, channel, kind, campaign, post_ref,
utm_source, utm_medium, utm_campaign, import_id), in the same order.

Usage: anchor_touchpoints.py TOUCHPOINTS_CSV OUT_CSV

A row's key is its touchpoint_id; a row without one (40 %) gets `tp-` and 20 hex digits of a hash of the row, as
our importer derives keys (docs/formats.md; ours hashes the parsed values with blake3, this one the raw line with
blake2b: the same shape and randomness, not the same digits). import_id is 1. The channel stays as written (our
importer maps empty channels from the UTM pair; that changes a few bytes per row, not the work).
"""

import csv
import hashlib
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: anchor_touchpoints.py TOUCHPOINTS_CSV OUT_CSV")
    with open(sys.argv[1], newline="", encoding="utf-8") as src, \
            open(sys.argv[2], "w", newline="", encoding="utf-8") as out:
        r = csv.reader(src)
        w = csv.writer(out, lineterminator="\n")
        next(r)
        w.writerow(["key", "contact", "account", "deal", "at", "channel", "kind", "campaign", "post_ref",
                    "utm_source", "utm_medium", "utm_campaign", "import_id"])
        for n, row in enumerate(r):
            if not row[0]:
                digest = hashlib.blake2b("\x1f".join(row).encode() + n.to_bytes(8, "little"), digest_size=10)
                row[0] = "tp-" + digest.hexdigest()
            row.append("1")
            w.writerow(row)


if __name__ == "__main__":
    main()
