#!/usr/bin/env python3
"""Writes a deterministic canonical touchpoints.csv (and the matching channels.csv) for the import benchmark.

Usage: gen_touchpoints.py OUT_DIR [ROWS]   (ROWS defaults to 1,000,000)

The same ROWS always gives the same bytes: every random choice comes from splitmix64 of the row number, not from
Python's `random`, so the file does not depend on the Python version. The rows look like a CRM / web-analytics
export (see docs/formats.md, "touchpoints"):

* touchpoint_id on 60 % of rows (`evt-NNNNNNN`), empty on the rest, which then get a hash key;
* contact_id on 95 % (200,000 contacts), account_id on 70 % of those (8 contacts per account) and on every row
  without a contact; deal_id on 3 %;
* timestamps spread over 2025, RFC 3339, 85 % in UTC (`Z`), the rest with a `+01:00` or `+02:00` offset;
* channel filled on 55 % of rows (13 channel keys, weighted); on the other 45 % it is empty and utm_source /
  utm_medium name a pair the default UTM rules map (docs/utm.md); utm_campaign on half of the UTM rows;
* kind weighted towards impressions and engagements; campaign on 30 % (some names contain a comma, so they are
  quoted); post_id on a fifth of the social engagement/impression rows.

channels.csv defines every channel key the touchpoints land on, so the touchpoint import needs no placeholder
channels.
"""

import csv
import datetime
import sys

MASK = (1 << 64) - 1


def mix(x):
    """splitmix64: a fixed pseudo-random 64-bit value for x."""
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


# (key, name, kind, network, handle, weight among rows with an explicit channel)
CHANNELS = [
    ("linkedin", "LinkedIn company page", "organic_social", "linkedin", "acme-analytics", 30),
    ("linkedin-ads", "LinkedIn Ads", "paid_social", "linkedin", "", 12),
    ("x", "X", "organic_social", "x", "@acme", 8),
    ("x-ads", "X Ads", "paid_social", "x", "", 2),
    ("youtube", "YouTube", "organic_social", "youtube", "acmeanalytics", 5),
    ("newsletter", "Newsletter", "email", "", "", 12),
    ("events", "Events", "event", "", "", 4),
    ("webinar", "Webinars", "webinar", "", "", 4),
    ("paid-search", "Google Ads", "paid_search", "", "", 8),
    ("organic-search", "Organic search", "organic_search", "", "", 7),
    ("direct", "Direct", "direct", "", "", 4),
    ("referral", "Referral", "referral", "", "", 2),
    ("pr", "PR", "pr", "", "", 2),
]
SOCIAL = {"linkedin", "linkedin-ads", "x", "x-ads", "youtube"}

# (utm_source, utm_medium, weight): all mapped by the default rules of docs/utm.md.
UTM_PAIRS = [
    ("linkedin", "social", 20),
    ("lnkd.in", "paid_social", 10),
    ("l.linkedin.com", "referral", 6),
    ("twitter", "social", 5),
    ("t.co", "referral", 2),
    ("youtube", "social", 3),
    ("google", "cpc", 12),
    ("google", "organic", 10),
    ("bing", "organic", 2),
    ("mailchimp", "email", 14),
    ("(direct)", "(none)", 8),
    ("partner-blog.example", "referral", 4),
    ("eventbrite", "event", 2),
    ("Facebook", "paid_social", 2),
]

# The default rules map Facebook paid traffic to `facebook-ads`; define it too.
CHANNELS.append(("facebook-ads", "Facebook Ads", "paid_social", "facebook", "", 0))

KINDS = [("impression", 30), ("engagement", 25), ("visit", 25), ("form", 5), ("email_click", 8), ("event", 3),
         ("meeting", 2), ("other", 2)]

CAMPAIGNS = [f"campaign-{n:02d}" for n in range(36)] + ["Spring launch, EMEA", "Q3 webinar series, DACH",
                                                        "Partner push, \"North\"", "brand"]
UTM_CAMPAIGNS = [f"2025-q{q}-{t}" for q in range(1, 5) for t in ("awareness", "demand", "retarget")]

START = 1_735_689_600  # 2025-01-01T00:00:00Z
YEAR = 365 * 86_400


def table(weighted):
    """A list in which each item appears `weight` times, for a draw by index."""
    return [item for item in weighted for _ in range(item[-1])]


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: gen_touchpoints.py OUT_DIR [ROWS]")
    out_dir = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) == 3 else 1_000_000

    with open(f"{out_dir}/channels.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["channel", "name", "kind", "network", "handle"])
        for key, name, kind, network, handle, _ in CHANNELS:
            w.writerow([key, name, kind, network, handle])

    channel_table = table([c for c in CHANNELS if c[-1] > 0])
    utm_table = table(UTM_PAIRS)
    kind_table = table(KINDS)
    offsets = [datetime.timezone(datetime.timedelta(hours=1)), datetime.timezone(datetime.timedelta(hours=2))]

    with open(f"{out_dir}/touchpoints.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["touchpoint_id", "contact_id", "account_id", "deal_id", "timestamp", "channel", "kind",
                    "campaign", "post_id", "utm_source", "utm_medium", "utm_campaign"])
        for i in range(rows):
            # Four 64-bit words per row; each draw uses its own 16-bit field (32 bits for the wide ones), so the
            # choices are independent of each other.
            r = mix(i)
            s = mix(r)
            t = mix(s)
            u = mix(t)

            def field(word, n, at):
                return ((word >> at) & 0xFFFF) % n

            tp_id = f"evt-{i:07d}" if field(r, 100, 32) < 60 else ""
            contact_n = (r & 0xFFFFFFFF) % 200_000
            if field(r, 100, 48) < 95:
                contact = f"c-{contact_n:06d}"
                account = f"acc-{contact_n // 8:05d}" if field(t, 100, 0) < 70 else ""
            else:
                contact, account = "", f"acc-{contact_n // 8:05d}"
            deal = f"d-{contact_n // 40:05d}" if field(t, 100, 16) < 3 else ""

            secs = START + (s & 0xFFFFFFFF) % YEAR
            zone = field(s, 100, 32)
            if zone < 85:
                at = datetime.datetime.fromtimestamp(secs, datetime.timezone.utc)
                timestamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
            else:
                at = datetime.datetime.fromtimestamp(secs, offsets[zone % 2])
                timestamp = at.isoformat()

            kind = kind_table[field(s, len(kind_table), 48)][0]
            utm_campaign = ""
            if field(t, 100, 32) < 55:
                channel = channel_table[field(t, len(channel_table), 48)][0]
                source = medium = ""
                if channel in ("linkedin", "linkedin-ads") and field(u, 100, 0) < 30:
                    source, medium = "linkedin", "social" if channel == "linkedin" else "paid_social"
                    utm_campaign = UTM_CAMPAIGNS[field(u, len(UTM_CAMPAIGNS), 16)]
            else:
                channel = ""
                source, medium, _ = utm_table[field(t, len(utm_table), 48)]
                if field(u, 2, 0) == 0:
                    utm_campaign = UTM_CAMPAIGNS[field(u, len(UTM_CAMPAIGNS), 16)]
            campaign = CAMPAIGNS[field(u, len(CAMPAIGNS), 48)] if field(u, 100, 32) < 30 else ""
            post = ""
            if channel in SOCIAL and kind in ("impression", "engagement"):
                v = mix(u)
                if field(v, 5, 0) == 0:
                    post = f"post-{field(v, 6_000, 16):05d}"
            w.writerow([tp_id, contact, account, deal, timestamp, channel, kind, campaign, post, source, medium,
                        utm_campaign])


if __name__ == "__main__":
    main()
