#!/usr/bin/env python3
"""Writes a deterministic CRM for the analysis benchmark, as rows of the database tables themselves.

Usage: gen_analysis_db.py OUT_DIR [ROWS]   (ROWS touchpoints, default 10,000,000)

Writes OUT_DIR/{accounts,contacts,deals,touchpoints}.csv, each with a header naming the table's columns in schema
order (crates/store/migrations/*/0001_schema.sql) and `import_id` 1 on every row, and channels.csv in the canonical
import format. benches/analyse_touchpoints.sh imports channels.csv with `socialledger import` (which creates and
migrates the database and makes import 1), then bulk-loads the other files straight into the tables (sqlite3
`.import`, psql `\\copy`): importing ten million touchpoints through `socialledger import` needs about 10 GB of
memory today (issue 15, part 1), and the benchmark measures reading, not importing.

Values are spelled as the store spells them (crates/store/src/codec.rs): instants as
`2025-03-01T09:30:00.000000000Z`, dates as `2025-03-01`, enums by canonical name; an empty field is NULL (the
loaders turn `''` into NULL). The same ROWS always gives the same bytes: every choice is splitmix64 of a counter.

The CRM scales with ROWS: one contact per 50 touchpoints, 8 contacts per account, a deal on one account in five
(created in 2025, 40 % won, 40 % lost, 20 % open, 5,000 to 200,000 EUR). Touchpoints: 95 % name a contact, 70 % of
those and every one without a contact also name the account; 3 % of those of an account with a deal name the
deal; instants spread over 2025 with second resolution; 13 channels and 8 kinds, weighted as in
gen_touchpoints.py; a campaign on 30 %.
"""

import csv
import sys

from gen_touchpoints import CHANNELS, KINDS, mix, table

YEAR_START = 1735689600  # 2025-01-01T00:00:00Z
YEAR_SECONDS = 365 * 86400


def instant(seconds):
    """The store's fixed-width text of a Unix time in 2025."""
    days, rest = divmod(seconds, 86400)
    # 2025 is not a leap year.
    months = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    day_of_year = days - (YEAR_START // 86400)
    month = 0
    while day_of_year >= months[month]:
        day_of_year -= months[month]
        month += 1
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    return f"2025-{month + 1:02d}-{day_of_year + 1:02d}T{h:02d}:{m:02d}:{s:02d}.000000000Z"


def main():
    out_dir = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
    contacts = max(rows // 50, 8)
    accounts = max(contacts // 8, 1)

    with open(f"{out_dir}/channels.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["channel", "name", "kind", "network", "handle"])
        for key, name, kind, network, handle, _ in CHANNELS:
            w.writerow([key, name, kind, network, handle])

    with open(f"{out_dir}/accounts.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["key", "name", "industry", "size", "country", "import_id"])
        for a in range(accounts):
            w.writerow([f"acc-{a:06d}", f"Account {a}", "software", "51-200", "DE", 1])

    with open(f"{out_dir}/contacts.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["key", "account", "name", "email", "job_title", "created_at", "self_reported_source",
                    "import_id"])
        for c in range(contacts):
            created = instant(YEAR_START + mix(c * 7 + 1) % YEAR_SECONDS) if mix(c * 7 + 2) % 2 else ""
            w.writerow([f"con-{c:07d}", f"acc-{c // 8:06d}", "", "", "", created, "", 1])

    # One deal on every fifth account.
    deal_of = {}
    with open(f"{out_dir}/deals.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["key", "account", "name", "amount_minor", "amount_currency", "created", "stage", "status",
                    "closed", "self_reported_source", "import_id"])
        for a in range(0, accounts, 5):
            key = f"deal-{a:06d}"
            deal_of[a] = key
            r = mix(a * 11 + 3)
            created_s = YEAR_START + r % YEAR_SECONDS
            created = instant(created_s)[:10]
            amount = (5_000 + mix(a * 11 + 4) % 195_000) * 100
            pick = r % 10
            status = "won" if pick < 4 else "lost" if pick < 8 else "open"
            closed = ""
            if status != "open":
                closed_s = min(created_s + 86400 * (10 + mix(a * 11 + 5) % 120), YEAR_START + YEAR_SECONDS - 1)
                closed = instant(closed_s)[:10]
            w.writerow([key, f"acc-{a:06d}", f"Deal {a}", amount, "EUR", created, "", status, closed, "", 1])

    channels = [c[0] for c in table([(c[0], c[5]) for c in CHANNELS if c[5] > 0])]
    kinds = [k[0] for k in table(KINDS)]
    with open(f"{out_dir}/touchpoints.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["key", "contact", "account", "deal", "at", "channel", "kind", "campaign", "post_ref",
                    "utm_source", "utm_medium", "utm_campaign", "import_id"])
        for i in range(rows):
            r = [mix(i * 16 + k) for k in range(8)]
            if r[0] % 100 < 95:
                c = r[1] % contacts
                contact = f"con-{c:07d}"
                a = c // 8
                account = f"acc-{a:06d}" if r[2] % 100 < 70 else ""
            else:
                contact = ""
                a = r[1] % accounts
                account = f"acc-{a:06d}"
            deal = deal_of.get(a, "") if r[3] % 100 < 3 else ""
            at = instant(YEAR_START + r[4] % YEAR_SECONDS)
            campaign = f"campaign-{r[7] % 36:02d}" if r[6] % 10 < 3 else ""
            w.writerow([f"tp-{i:08d}", contact, account, deal, at, channels[r[5] % len(channels)],
                        kinds[(r[5] >> 20) % len(kinds)], campaign, "", "", "", "", 1])


if __name__ == "__main__":
    main()
