//! The fit on a small hand-made dataset whose shares are known.

use super::*;
use chrono::{NaiveDate, TimeZone, Utc};
use socialledger_domain::{Account, AudienceDimension as D, AudienceKind, Contact, TouchKind, Touchpoint};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
}

fn account(key: &str, industry: &str, country: &str) -> Account {
    Account {
        key: key.into(),
        name: key.into(),
        industry: Some(industry.into()),
        size: Some("51-200".into()),
        country: Some(country.into()),
    }
}

fn touch(n: usize, channel: &str, account: Option<&str>, contact: Option<&str>) -> Touchpoint {
    Touchpoint {
        key: format!("t{n}"),
        contact: contact.map(Into::into),
        account: account.map(Into::into),
        deal: None,
        at: Utc.with_ymd_and_hms(2025, 3, 1 + (n % 20) as u32, 9, 0, 0).unwrap(),
        channel: channel.into(),
        kind: TouchKind::parse("engagement").unwrap(),
        campaign: None,
        post_ref: None,
        utm_source: None,
        utm_medium: None,
        utm_campaign: None,
    }
}

fn slice(channel: &str, date: NaiveDate, kind: AudienceKind, dimension: D, value: &str, count: i64) -> AudienceSlice {
    AudienceSlice { channel: channel.into(), date, audience: kind, dimension, value: value.into(), count }
}

/// Ten accounts, four of them target accounts (software in DE/AT); `linkedin` reaches two target and two other
/// accounts, `x` reaches six other accounts only.
fn dataset() -> Dataset {
    let mut ds = Dataset::default();
    for (i, (industry, country)) in [
        ("Software", "DE"),
        ("software", "AT"),
        ("Software", "DE"),
        ("Software", "AT"),
        ("Retail", "DE"),
        ("Software", "FR"),
        ("Retail", "FR"),
        ("Retail", "FR"),
        ("Retail", "FR"),
        ("Retail", "FR"),
    ]
    .iter()
    .enumerate()
    {
        ds.accounts.push(account(&format!("a{i}"), industry, country));
    }
    ds.contacts.push(Contact {
        key: "c1".into(),
        account: Some("a1".into()),
        name: None,
        email: None,
        job_title: None,
        created_at: None,
        self_reported_source: None,
    });
    let mut n = 0;
    let mut add = |ds: &mut Dataset, channel: &str, account: Option<&str>, contact: Option<&str>| {
        n += 1;
        ds.touchpoints.push(touch(n, channel, account, contact));
    };
    // linkedin: a0 three times, a1 once through its contact, a4 and a5 once each, one touch without account.
    for _ in 0..3 {
        add(&mut ds, "linkedin", Some("a0"), None);
    }
    add(&mut ds, "linkedin", None, Some("c1"));
    add(&mut ds, "linkedin", Some("a4"), None);
    add(&mut ds, "linkedin", Some("a5"), None);
    add(&mut ds, "linkedin", None, None);
    for a in ["a4", "a5", "a6", "a7", "a8", "a9"] {
        add(&mut ds, "x", Some(a), None);
    }
    let f = AudienceKind::Followers;
    // An older snapshot that the latest replaces.
    ds.audience.push(slice("linkedin", day(1), f, D::JobFunction, "Engineering", 1000));
    ds.audience.push(slice("linkedin", day(10), f, D::JobFunction, "Engineering", 30));
    ds.audience.push(slice("linkedin", day(10), f, D::JobFunction, "Sales", 70));
    ds.audience.push(slice("linkedin", day(10), f, D::Country, "germany", 40));
    // Location slices of another channel, named the LinkedIn way.
    ds.audience.push(slice("blog", day(10), f, D::Location, "Berlin Metropolitan Area, Germany", 5));
    ds.audience.push(slice("blog", day(10), f, D::Location, "Germany", 1));
    ds.audience.push(slice("blog", day(10), f, D::Location, "Germany, Texas, United States", 4));
    ds.audience.push(slice("linkedin", day(10), f, D::Country, "France", 60));
    // x: visitors only, 2 % engineers.
    ds.audience.push(slice("x", day(5), AudienceKind::Visitors, D::JobFunction, "Engineering", 2));
    ds.audience.push(slice("x", day(5), AudienceKind::Visitors, D::JobFunction, "Sales", 98));
    ds
}

fn group() -> TargetGroup {
    TargetGroup::from_toml_str(
        "[audience]\njob_function = [\"engineering\"]\nlocation = [\"Germany\"]\nseniority = [\"Senior\"]\n\
         [accounts]\nindustry = [\"software\"]\ncountry = [\"DE\", \"AT\"]\n",
    )
    .unwrap()
}

fn channel<'a>(r: &'a TargetGroupReport, key: &str) -> &'a ChannelFit {
    r.channels.iter().find(|c| c.channel == key).unwrap()
}

#[test]
fn shares_bounds_and_account_reach_are_exact() {
    let r = fit(&dataset(), &Settings::default(), &group());
    let crm = r.crm.as_ref().unwrap();
    assert_eq!((crm.accounts, crm.target_accounts, crm.target_share), (10, 4, Some(0.4)));

    let li = channel(&r, "linkedin");
    let a = li.audience.as_ref().unwrap();
    assert_eq!(a.kind, AudienceKind::Followers);
    assert_eq!(a.dimensions.len(), 2);
    assert_eq!(
        (a.dimensions[0].dimension, a.dimensions[0].listed, a.dimensions[0].matching),
        (D::JobFunction, 100, 30)
    );
    assert_eq!((a.dimensions[1].dimension, a.dimensions[1].read_from), (D::Location, D::Country));
    assert_eq!(a.dimensions[1].share, Some(0.4));
    assert_eq!(a.missing_dimensions, vec![D::Seniority]);
    assert_eq!(a.upper_bound, Some(0.3));
    assert!((a.independence_estimate.unwrap() - 0.12).abs() < 1e-12);
    assert_eq!(a.audience_size, 100);

    let reach = li.accounts.as_ref().unwrap();
    assert_eq!((reach.reached, reach.target_reached, reach.touchpoints, reach.target_touchpoints), (4, 2, 6, 4));
    assert_eq!(reach.target_share_of_reached, Some(0.5));
    assert_eq!(reach.target_coverage, Some(0.5));
    assert_eq!(reach.touchpoints_per_target_account, Some(2.0));
    assert_eq!(reach.touchpoints_per_other_account, Some(1.0));
    assert_eq!(reach.touchpoints_without_account, 1);
    assert!(!li.misses_target_group, "{:?}", li.misses_because);
    assert!(
        li.reading.starts_with("Reaches 2 of 4 target accounts (50% of the 4 accounts it reaches"),
        "{}",
        li.reading
    );
    assert!(li.reading.contains("30% of its followers match the target group at most (12% if"), "{}", li.reading);
    assert!(li.reading.contains("no data on seniority"), "{}", li.reading);

    let blog = channel(&r, "blog").audience.as_ref().unwrap();
    assert_eq!(
        (blog.dimensions[0].read_from, blog.dimensions[0].matching, blog.dimensions[0].listed),
        (D::Location, 6, 10)
    );

    let x = channel(&r, "x");
    let reach = x.accounts.as_ref().unwrap();
    assert_eq!((reach.reached, reach.target_reached, reach.target_share_of_reached), (6, 0, Some(0.0)));
    assert_eq!(x.audience.as_ref().unwrap().kind, AudienceKind::Visitors);
    assert!(x.misses_target_group);
    assert_eq!(x.misses_because.len(), 2, "{:?}", x.misses_because);
}

#[test]
fn the_period_limits_touchpoints_and_snapshots() {
    let settings = Settings { period: Some((day(1), day(4))), ..Settings::default() };
    let r = fit(&dataset(), &settings, &group());
    let li = channel(&r, "linkedin");
    assert_eq!(li.audience.as_ref().unwrap().dimensions[0].listed, 1000, "the snapshot of day 1");
    assert!(channel(&r, "x").audience.is_none(), "x's snapshot is after the period");
    let reach = li.accounts.as_ref().unwrap();
    assert_eq!(reach.touchpoints + reach.touchpoints_without_account, 3, "touches on days 2 to 4");
}

#[test]
fn a_channel_without_any_data_gets_no_verdict() {
    let mut ds = dataset();
    ds.touchpoints.clear();
    ds.audience.clear();
    ds.channels.push(socialledger_domain::Channel {
        key: "blog".into(),
        name: "Blog".into(),
        kind: socialledger_domain::ChannelKind::Other,
        network: None,
        handle: None,
        account: None,
    });
    let r = fit(&ds, &Settings::default(), &group());
    let blog = channel(&r, "blog");
    assert!(!blog.misses_target_group);
    assert_eq!(blog.reading, "Reaches no CRM account in the period; no audience demographics.");
}

#[test]
fn a_small_reach_is_not_called_a_miss() {
    // Two non-target accounts of ten, where 40 % are target accounts: the 90 % interval of 0/2 reaches 0.58.
    let mut ds = dataset();
    ds.touchpoints.retain(|t| t.channel != "x" || matches!(t.account.as_deref(), Some("a6" | "a7")));
    ds.audience.retain(|s| s.channel != "x");
    let r = fit(&ds, &Settings::default(), &group());
    let x = channel(&r, "x");
    assert!(!x.misses_target_group, "{:?}", x.misses_because);
    assert!(x.accounts.as_ref().unwrap().share_high.unwrap() > 0.4);
}

proptest::proptest! {
    /// Whatever the counts: every share lies in [0, 1], the upper bound is the smallest share, and the estimate
    /// under independence never exceeds it.
    #[test]
    fn shares_are_fractions_and_the_independence_estimate_stays_below_the_upper_bound(
        counts in proptest::collection::vec((0usize..4, 0usize..3, -5i64..1_000), 1..40)
    ) {
        let dims = [D::JobFunction, D::Seniority, D::Location, D::Industry];
        let values = ["Engineering", "Senior", "Germany", "Other"];
        let mut ds = Dataset::default();
        let mut seen = std::collections::BTreeSet::new();
        for (d, v, n) in counts {
            if seen.insert((d, v)) {
                ds.audience.push(slice("li", day(1), AudienceKind::Followers, dims[d], values[v], n));
            }
        }
        let g = TargetGroup::from_toml_str(
            "[audience]\njob_function = [\"Engineering\"]\nseniority = [\"senior\"]\nlocation = [\"germany\"]\n\
             industry = [\"Software\"]",
        ).unwrap();
        let r = fit(&ds, &Settings::default(), &g);
        let a = r.channels[0].audience.as_ref().unwrap();
        let shares: Vec<f64> = a.dimensions.iter().filter_map(|d| d.share).collect();
        for s in &shares {
            proptest::prop_assert!((0.0..=1.0).contains(s));
        }
        if let (Some(u), Some(i)) = (a.upper_bound, a.independence_estimate) {
            proptest::prop_assert!(i <= u + 1e-12 && (0.0..=1.0).contains(&i));
            proptest::prop_assert_eq!(u, shares.iter().copied().fold(1.0, f64::min));
        }
        proptest::prop_assert_eq!(a.dimensions.len() + a.missing_dimensions.len(), 4);
    }
}
