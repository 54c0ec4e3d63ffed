//! `socialledger experiment plan` and `analyze` through the real binary: the pause on PyMC-Marketing's example
//! panel (in the repository), the geo-split and the account holdout on the demo company's database (their units
//! are the CRM's accounts and countries); the plan's JSON, its assignment and figures, readouts of known
//! injected effects, `mmm fit --calibrate` by each design, and the errors that say what to do.

use crate::support::bin;

/// The example panel's flags, fitted fast (the plan needs the mode and its draws, not NUTS).
fn example_args() -> Vec<String> {
    let mut args = crate::mmm::panel_args();
    args.extend(["--sampler".to_string(), "fast".to_string()]);
    args
}

#[test]
fn a_pause_plan_has_its_schedule_and_the_power_it_claims() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path())
        .args(["experiment", "plan", "--channel", "x2", "--json"])
        .args(example_args())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["channel"], "x2");
    assert_eq!(v["design"], "pause");
    let weeks = v["weeks"].as_u64().unwrap() as usize;
    let block = v["block_weeks"].as_u64().unwrap() as usize;
    let washout = v["washout_weeks"].as_u64().unwrap() as usize;
    assert!(block > washout && weeks.is_multiple_of(2 * block) && weeks <= 104, "{weeks} weeks in blocks of {block}");
    let schedule = v["schedule_weeks"].as_array().unwrap();
    assert_eq!(schedule.len(), weeks);
    // Every pair of blocks is one block on and one off.
    for pair in schedule.chunks(2 * block) {
        assert_eq!(pair.iter().filter(|w| w["on"] == true).count(), block);
    }
    // The weeks follow the panel's last week (2021-08-30 in the example) without a gap.
    assert_eq!(schedule[0]["week"], "2021-09-06");
    let effect = v["effect"].as_f64().unwrap();
    let mmm = &v["mmm_weekly_effect"];
    assert_eq!(v["effect_source"], "mmm");
    assert!((effect - mmm["estimate"].as_f64().unwrap()).abs() < 1e-9);
    assert!(mmm["low"].as_f64().unwrap() <= effect && effect <= mmm["high"].as_f64().unwrap());
    // Power and the smallest detectable effect agree: reaching 80 % power means the effect is at least the MDE.
    let mde = v["min_detectable_effect"].as_f64().unwrap();
    let power = v["power"].as_f64().unwrap();
    assert_eq!(v["reaches_power"].as_bool().unwrap(), power >= 0.8);
    assert_eq!(power >= 0.8, effect >= mde * (1.0 - 1e-9), "power {power}, effect {effect}, mde {mde}");
    assert!(v["null_sd"].as_f64().unwrap() > 0.0 && v["efficiency"].as_f64().unwrap() > 0.0);
    assert!(v["reading"].as_str().unwrap().contains("x2"));

    // Asking for a smaller effect never needs a shorter experiment.
    let out = bin(dir.path())
        .args(["experiment", "plan", "--channel", "x2", "--json", "--effect"])
        .arg(format!("{}", effect / 2.0))
        .args(example_args())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let half: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(half["effect_source"], "given");
    assert!(half["weeks"].as_u64().unwrap() as usize >= weeks || half["reaches_power"] == false);
}

#[test]
fn unknown_channels_and_designs_without_their_units_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path()).args(["experiment", "plan", "--channel", "x9"]).args(example_args()).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("x9") && err.contains("x1, x2"), "{err}");
    let out = bin(dir.path())
        .args(["experiment", "plan", "--channel", "x1", "--design", "geo-split"])
        .args(example_args())
        .output()
        .unwrap();
    assert!(!out.status.success());
    // A geo-split needs the accounts' countries: a CSV panel has none, and the message says so.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("drop --csv"), "{err}");
}

/// On the demo company (docs/demo-model.md) the LinkedIn page's effect is real but its history cannot identify
/// it; the plan must say plainly whether a pause can settle it, with figures that agree with each other.
#[test]
fn the_demo_linkedin_page_gets_a_plan_that_says_what_a_pause_can_see() {
    let d = crate::mmm_panel::demo();
    let out = bin(&d.dir)
        .args(["--db", &d.db, "--quiet", "--json", "experiment", "plan", "--channel", "linkedin"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mmm = &v["mmm_weekly_effect"];
    let (est, low, high) =
        (mmm["estimate"].as_f64().unwrap(), mmm["low"].as_f64().unwrap(), mmm["high"].as_f64().unwrap());
    // The posterior mean, not the mode on its boundary: inside its own interval and above zero.
    assert!(0.0 < low && low <= est && est <= high, "{est} [{low}, {high}]");
    // The demo values pipeline at its win rate, so the break-even effect is known.
    let break_even = v["break_even_effect"].as_f64().unwrap();
    assert!(break_even > 0.0);
    let power = v["power"].as_f64().unwrap();
    assert_eq!(v["reaches_power"].as_bool().unwrap(), power >= 0.8);
    let reading = v["reading"].as_str().unwrap();
    assert!(reading.contains("linkedin") && reading.contains("pays back its cost"), "{reading}");
    if !v["reaches_power"].as_bool().unwrap() {
        assert!(reading.starts_with("No pause of linkedin lasting up to 104 weeks"), "{reading}");
        assert_eq!(v["weeks"].as_u64().unwrap() as usize, v["schedule_weeks"].as_array().unwrap().len());
    }
}

/// A planned pause, run on PyMC-Marketing's example: the plan is made on the first 120 weeks, then the weeks
/// after are rewritten as if the schedule had been followed and pausing cost exactly `EFFECT` a week (a step,
/// no carry-over), and `experiment analyze` must find it: its interval covers the effect and excludes zero.
#[test]
fn analyze_reads_a_known_effect_out_of_a_planned_pause() {
    const EFFECT: f64 = 2500.0;
    const HISTORY: usize = 120;
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/mmm/mmm_example.csv"),
    )
    .unwrap();
    let lines: Vec<&str> = full.lines().collect();
    std::fs::write(dir.path().join("history.csv"), lines[..=HISTORY].join("\n") + "\n").unwrap();
    let args = |file: &str| -> Vec<String> {
        let mut a = example_args();
        let i = a.iter().position(|x| x == "--csv").unwrap();
        a[i + 1] = dir.path().join(file).display().to_string();
        // event_2 happens after week 120: in the history it is zero throughout, so it cannot be a control.
        let c = a.iter().position(|x| x == "--controls").unwrap();
        a[c + 1] = "event_1".into();
        a
    };
    let out = bin(dir.path())
        .args(["experiment", "plan", "--channel", "x2", "--weeks", "40", "--out", "plan.json"])
        .args(args("history.csv"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("plan.json")).unwrap()).unwrap();
    let weeks = plan["schedule_weeks"].as_array().unwrap();
    // Rewrite the experiment's weeks: in paused weeks the outcome is EFFECT lower.
    let mut rewritten: Vec<String> = lines[..=HISTORY].iter().map(|l| l.to_string()).collect();
    for (i, line) in lines[HISTORY + 1..].iter().enumerate() {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if let Some(w) = weeks.get(i) {
            assert_eq!(w["week"].as_str().unwrap(), cells[0], "the schedule follows the history");
            if w["on"] == false {
                cells[1] = format!("{}", cells[1].parse::<f64>().unwrap() - EFFECT);
            }
        }
        rewritten.push(cells.join(","));
    }
    std::fs::write(dir.path().join("after.csv"), rewritten.join("\n") + "\n").unwrap();
    let out = bin(dir.path())
        .args(["experiment", "analyze", "--plan", "plan.json", "--json"])
        .args(args("after.csv"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let (low, high) = (v["contrast"]["low"].as_f64().unwrap(), v["contrast"]["high"].as_f64().unwrap());
    assert!(low <= EFFECT && EFFECT <= high, "[{low}, {high}] misses {EFFECT}");
    assert!(low > 0.0, "the interval [{low}, {high}] should exclude zero");
    assert_eq!(v["history_weeks"].as_u64().unwrap() as usize, HISTORY);
    assert!(v["reading"].as_str().unwrap().contains("above zero"));

    // The mix model takes the readout as calibration: x2's effect prior is set from it, and the output says so.
    let effect = if v["weekly_effect"].is_null() { &v["contrast"] } else { &v["weekly_effect"] };
    let out = bin(dir.path())
        .args(["--json", "mmm", "fit", "--no-cv", "--calibrate", "plan.json"])
        .args(args("after.csv"))
        .output()
        .unwrap();
    let fit: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let cal = &fit["calibration"][0];
    assert_eq!(cal["channel"], "x2", "{}", fit["calibration"]);
    assert!((cal["effect"].as_f64().unwrap() - effect["estimate"].as_f64().unwrap()).abs() < 1e-6, "{cal}");
    assert_eq!(cal["prior"]["dist"], "gamma", "an interval above zero holds the effect near it: {cal}");
    let out = bin(dir.path())
        .args(["mmm", "fit", "--no-cv", "--calibrate", "plan.json"])
        .args(args("after.csv"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Calibrated: x2's effect prior is the experiment plan.json"));

    // Before its weeks are in the data, the readout says what to do.
    let out = bin(dir.path())
        .args(["experiment", "analyze", "--plan", "plan.json"])
        .args(args("history.csv"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("import the weeks the experiment ran"));
}

/// The demo's flags for a quick plan: the fast fit (the plan needs the mode and its draws, not NUTS).
fn demo_plan(design: &str, extra: &[&str]) -> serde_json::Value {
    let d = crate::mmm_panel::demo();
    let out = bin(&d.dir)
        .args(["--db", &d.db, "--quiet", "--json", "experiment", "plan", "--channel", "linkedin", "--design", design])
        .args(["--sampler", "fast"])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The schedule of a geo-split or a holdout: consecutive Mondays after the history, the treated units off
/// throughout, the washout weeks not compared.
fn assert_parallel_schedule(v: &serde_json::Value, max_weeks: usize) {
    let weeks = v["weeks"].as_u64().unwrap() as usize;
    let washout = v["washout_weeks"].as_u64().unwrap() as usize;
    assert!(washout < weeks && weeks <= max_weeks, "{weeks} weeks, washout {washout}");
    let schedule = v["schedule_weeks"].as_array().unwrap();
    assert_eq!(schedule.len(), weeks);
    let dates: Vec<chrono::NaiveDate> = schedule.iter().map(|w| w["week"].as_str().unwrap().parse().unwrap()).collect();
    assert!(dates.windows(2).all(|w| (w[1] - w[0]).num_days() == 7));
    assert_eq!(dates[0].weekday(), chrono::Weekday::Mon);
    for (i, w) in schedule.iter().enumerate() {
        assert_eq!(w["on"], false);
        assert_eq!(w["analysed"].as_bool().unwrap(), i >= washout);
    }
    let mde = v["min_detectable_effect"].as_f64().unwrap();
    assert!(mde > 0.0 && mde.is_finite(), "{mde}");
    let power = v["power"].as_f64().unwrap();
    assert_eq!(v["reaches_power"].as_bool().unwrap(), power >= 0.8);
    assert!(v["response"]["l_max"].as_u64().unwrap() > 0);
}

use chrono::Datelike;

#[test]
fn a_geo_split_plan_on_the_demo_pauses_some_regions_and_runs_the_others() {
    let v = demo_plan("geo-split", &["--max-weeks", "30"]);
    assert_eq!(v["design"], "geo-split");
    assert_parallel_schedule(&v, 30);
    let regions = v["regions"].as_array().unwrap();
    let paused: Vec<&str> =
        regions.iter().filter(|r| r["paused"] == true).map(|r| r["region"].as_str().unwrap()).collect();
    let running: Vec<&str> =
        regions.iter().filter(|r| r["paused"] == false).map(|r| r["region"].as_str().unwrap()).collect();
    assert!(!paused.is_empty() && !running.is_empty(), "{regions:?}");
    assert!(paused.iter().all(|p| !running.contains(p)), "a region in both arms");
    // The demo's accounts are in a handful of countries; every one is a region of the plan.
    assert!(regions.len() >= 4 && paused.contains(&"GB") != running.contains(&"GB"));
    let share = v["paused_share"].as_f64().unwrap();
    assert!(0.0 < share && share < 1.0);
    let company = v["min_detectable_company_effect"].as_f64().unwrap();
    assert!(company > v["min_detectable_effect"].as_f64().unwrap(), "the company-wide figure scales up");
    assert!(v["reading"].as_str().unwrap().contains("Pause linkedin in"));
}

#[test]
fn an_account_holdout_plan_on_the_demo_holds_out_the_share_asked() {
    let v = demo_plan("account-holdout", &["--max-weeks", "40", "--share", "0.3"]);
    assert_eq!(v["design"], "account-holdout");
    assert_parallel_schedule(&v, 40);
    let held: Vec<&str> = v["held_out_accounts"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    let accounts = v["accounts"].as_u64().unwrap() as usize;
    let unique: std::collections::HashSet<&str> = held.iter().copied().collect();
    assert_eq!(unique.len(), held.len(), "an account held out twice");
    assert_eq!(held.len(), v["held_out_count"].as_u64().unwrap() as usize);
    let share = held.len() as f64 / accounts as f64;
    assert!((share - 0.3).abs() < 0.02, "{} of {accounts}", held.len());
    assert!(held.iter().all(|a| a.starts_with("acc-")), "{held:?}");

    let d = crate::mmm_panel::demo();
    let out = bin(&d.dir)
        .args(["--db", &d.db, "experiment", "plan", "--channel", "linkedin", "--design", "account-holdout"])
        .args(["--sampler", "fast", "--share", "1.5"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 0 and 1"));
}

/// A copy of the demo's database (the shared one stays as the demo wrote it) and its accounts' countries.
fn demo_copy(dir: &std::path::Path) -> (String, Vec<(String, String)>) {
    let d = crate::mmm_panel::demo();
    let src = std::path::Path::new(&d.db);
    for entry in std::fs::read_dir(src.parent().unwrap()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("socialledger.db") {
            std::fs::copy(&path, dir.join(&name)).unwrap();
        }
    }
    let mut accounts = Vec::new();
    let mut r = csv::Reader::from_path(src.parent().unwrap().join("data/accounts.csv")).unwrap();
    for row in r.records() {
        let row = row.unwrap();
        accounts.push((row[0].to_string(), row[4].to_string()));
    }
    (dir.join("socialledger.db").display().to_string(), accounts)
}

/// Imports `deals` (account, created, amount in EUR) as open deals through the canonical CSV import.
fn import_deals(dir: &std::path::Path, db: &str, deals: &[(String, chrono::NaiveDate, f64)]) {
    let mut text = String::from("deal_id,account_id,name,amount,currency,created,stage,status\n");
    for (i, (account, created, amount)) in deals.iter().enumerate() {
        text.push_str(&format!("inj-{i:05},{account},Injected {i},{amount:.2},EUR,{created},open,open\n"));
    }
    let path = dir.join("deals.csv");
    std::fs::write(&path, text).unwrap();
    let out = bin(dir).args(["--db", db, "--quiet", "import"]).arg(&path).output().unwrap();
    assert!(out.status.success(), "import failed: {}", String::from_utf8_lossy(&out.stderr));
}

fn plan_file(dir: &std::path::Path, db: &str, design: &str) -> serde_json::Value {
    let out = bin(dir)
        .args(["--db", db, "--quiet", "experiment", "plan", "--channel", "linkedin", "--design", design])
        .args(["--sampler", "fast", "--to", "2025-06-29", "--weeks", "20", "--out", "plan.json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).unwrap()).unwrap()
}

/// `experiment analyze --json --plan PLAN` on `db`.
fn analyze(dir: &std::path::Path, db: &str, plan: &str) -> serde_json::Value {
    let out =
        bin(dir).args(["--db", db, "--quiet", "--json", "experiment", "analyze", "--plan", plan]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn analysed_weeks(plan: &serde_json::Value) -> Vec<chrono::NaiveDate> {
    plan["schedule_weeks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["analysed"] == true)
        .map(|w| w["week"].as_str().unwrap().parse().unwrap())
        .collect()
}

/// A geo-split planned on the demo's history up to June 2025, then "run" in the demo's later weeks (where
/// nothing was paused, so the effect of the pause itself is zero) with `D` more pipeline a week created in the
/// paused regions: the readout's interval must cover the known effect, -D (the paused regions did better), and
/// exclude zero.
#[test]
fn analyze_reads_a_known_effect_out_of_a_geo_split() {
    let dir = tempfile::tempdir().unwrap();
    let (db, accounts) = demo_copy(dir.path());
    let plan = plan_file(dir.path(), &db, "geo-split");
    assert_eq!(plan["design"], "geo-split");
    let paused: Vec<&str> = plan["regions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["paused"] == true)
        .map(|r| r["region"].as_str().unwrap())
        .collect();
    let d = (3.0 * plan["min_detectable_effect"].as_f64().unwrap()).round();
    let in_paused: Vec<&String> =
        accounts.iter().filter(|(_, c)| paused.contains(&c.as_str())).map(|(a, _)| a).collect();
    assert!(!in_paused.is_empty());
    let deals: Vec<(String, chrono::NaiveDate, f64)> = analysed_weeks(&plan)
        .into_iter()
        .enumerate()
        .map(|(i, week)| (in_paused[i % in_paused.len()].clone(), week + chrono::Days::new(2), d))
        .collect();
    import_deals(dir.path(), &db, &deals);
    let v = analyze(dir.path(), &db, "plan.json");
    assert_eq!(v["design"], "geo-split");
    let (low, high) = (v["effect"]["low"].as_f64().unwrap(), v["effect"]["high"].as_f64().unwrap());
    assert!(low <= -d && -d <= high, "[{low}, {high}] misses {}", -d);
    assert!(high < 0.0, "the interval [{low}, {high}] should exclude zero");
    assert!(v["reading"].as_str().unwrap().contains("below zero"), "{}", v["reading"]);
    assert_eq!(v["first_week"], plan["schedule_weeks"][0]["week"]);
}

/// An account holdout planned on the demo's history up to June 2025, then "run" in the demo's later weeks with
/// one deal of `X` more for every exposed account in the analysed weeks: the readout's interval per account must
/// cover X and exclude zero, and the total is X times the held-out accounts.
#[test]
fn analyze_reads_a_known_effect_out_of_an_account_holdout() {
    let dir = tempfile::tempdir().unwrap();
    let (db, accounts) = demo_copy(dir.path());
    let plan = plan_file(dir.path(), &db, "account-holdout");
    let held: std::collections::HashSet<&str> =
        plan["held_out_accounts"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    let x = (2.0 * plan["min_detectable_effect"].as_f64().unwrap()).round();
    let weeks = analysed_weeks(&plan);
    let deals: Vec<(String, chrono::NaiveDate, f64)> = accounts
        .iter()
        .filter(|(a, _)| !held.contains(a.as_str()))
        .enumerate()
        .map(|(i, (a, _))| (a.clone(), weeks[i % weeks.len()] + chrono::Days::new(1), x))
        .collect();
    import_deals(dir.path(), &db, &deals);
    let v = analyze(dir.path(), &db, "plan.json");
    assert_eq!(v["design"], "account-holdout");
    let (low, high) = (v["per_account"]["low"].as_f64().unwrap(), v["per_account"]["high"].as_f64().unwrap());
    assert!(low <= x && x <= high, "[{low}, {high}] misses {x}");
    assert!(low > 0.0, "the interval [{low}, {high}] should exclude zero");
    let n_held = v["adjusted"]["held_out"].as_u64().unwrap() as f64;
    assert_eq!(n_held as usize, held.len());
    let total = v["total"]["estimate"].as_f64().unwrap();
    assert!((total - n_held * v["per_account"]["estimate"].as_f64().unwrap()).abs() < 1e-6 * total.abs().max(1.0));
    assert!(v["reading"].as_str().unwrap().contains("above zero"));
}

/// The demo company (seed 3) having run `experiment` (`CHANNEL:DESIGN:WEEKS`) over its last weeks, in `dir`: its
/// database and the saved plan.
fn demo_with_experiment(dir: &std::path::Path, experiment: &str) -> (String, String) {
    let out = bin(dir)
        .args(["demo", "--quiet", "--seed", "3", "--experiment", experiment, "--out"])
        .arg(dir.join("demo"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let db = dir.join("demo/socialledger.db").display().to_string();
    (db, dir.join("demo/experiment.json").display().to_string())
}

/// `mmm fit --calibrate PLAN --json` on the database's default panel, fitted as fast as the CLI allows (the
/// calibration is set before the fit; its quality is not under test): the `calibration` it reports.
fn calibrated_by(dir: &std::path::Path, db: &str, plan: &str) -> serde_json::Value {
    let out = bin(dir)
        .args(["--json", "--quiet", "--db", db, "mmm", "fit", "--calibrate", plan])
        .args(["--sampler", "fast", "--no-cv", "--draws", "100"])
        .output()
        .unwrap();
    // 1 is a fit that failed its checks, which still prints its result.
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    let fit: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let calibration = fit["calibration"].as_array().unwrap_or_else(|| panic!("no calibration: {fit}"));
    assert_eq!(calibration.len(), 1, "{calibration:?}");
    calibration[0].clone()
}

/// The calibration's effect and interval are `interval` times `by`.
fn assert_scaled(cal: &serde_json::Value, interval: &serde_json::Value, by: f64) {
    for (got, of) in [("effect", "estimate"), ("low", "low"), ("high", "high")] {
        let (got, want) = (cal[got].as_f64().unwrap(), interval[of].as_f64().unwrap() * by);
        assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{got} against {want}: {cal}");
    }
}

/// A geo-split run by the demo calibrates the mix model on the database's panel: the calibration names the
/// channel and carries `experiment analyze`'s readout as the verdict scales it, the steady effect in the paused
/// regions over their share of the pipeline. With a --csv panel (no regions) the plan is refused, saying what to do.
#[test]
fn mmm_fit_is_calibrated_by_a_geo_split_as_experiment_analyze_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let (db, plan) = demo_with_experiment(dir.path(), "linkedin:geo-split:26");
    let cal = calibrated_by(dir.path(), &db, &plan);
    assert_eq!(cal["channel"], "linkedin", "{cal}");
    assert_eq!(cal["source"], plan.as_str());
    let a = analyze(dir.path(), &db, &plan);
    assert_eq!(a["design"], "geo-split");
    let steady = if a["steady_effect"].is_null() { &a["effect"] } else { &a["steady_effect"] };
    let share = a["paused_share"].as_f64().unwrap();
    assert!(0.0 < share && share < 1.0, "{share}");
    assert_scaled(&cal, steady, 1.0 / share);

    let out = bin(dir.path())
        .args(["mmm", "fit", "--sampler", "fast", "--no-cv", "--calibrate", &plan])
        .args(crate::mmm::panel_args())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("experiment.json: a geo-split") && err.contains("drop --csv"), "{err}");
}

/// An account holdout run by the demo calibrates the mix model: the calibration carries `experiment analyze`'s
/// steady loss per held-out account times every account, per week compared (the verdict's weekly effect).
#[test]
fn mmm_fit_is_calibrated_by_an_account_holdout_as_experiment_analyze_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let (db, plan) = demo_with_experiment(dir.path(), "linkedin-ads:account-holdout:26");
    let cal = calibrated_by(dir.path(), &db, &plan);
    assert_eq!(cal["channel"], "linkedin-ads", "{cal}");
    let a = analyze(dir.path(), &db, &plan);
    assert_eq!(a["design"], "account-holdout");
    let steady = if a["steady_per_account"].is_null() { &a["per_account"] } else { &a["steady_per_account"] };
    let accounts = a["adjusted"]["held_out"].as_f64().unwrap() + a["adjusted"]["exposed"].as_f64().unwrap();
    let weeks = a["analysed_weeks"].as_f64().unwrap();
    assert!(accounts > 0.0 && weeks > 0.0, "{a}");
    assert_scaled(&cal, steady, accounts / weeks);
}
