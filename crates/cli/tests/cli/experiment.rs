//! `socialledger experiment plan` through the real binary on PyMC-Marketing's example panel (in the repository):
//! the plan's JSON, its schedule and its figures, and the errors that say what to do.

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
fn unknown_channels_and_designs_not_yet_built_say_what_to_do() {
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
    assert!(String::from_utf8_lossy(&out.stderr).contains("--design pause"));
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

    // Before its weeks are in the data, the readout says what to do.
    let out = bin(dir.path())
        .args(["experiment", "analyze", "--plan", "plan.json"])
        .args(args("history.csv"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("import the weeks the experiment ran"));
}
