//! Synthetic words: company and person names built from syllables (no real organisation or person is meant),
//! outlets, fairs, campaign themes and post texts.

use rand::seq::SliceRandom;
use rand::Rng;
use socialledger_domain::Network;

const FIRST_NAMES: &[&str] = &[
    "Anna", "Ben", "Clara", "David", "Elif", "Finn", "Greta", "Hugo", "Ines", "Jakob", "Kira", "Lukas", "Maja", "Noah",
    "Olga", "Paul", "Rosa", "Simon", "Tara", "Uwe", "Vera", "Willem", "Yara", "Zoe", "Emil", "Lina", "Marek", "Sofia",
    "Theo", "Nele",
];
const SYLLABLES_A: &[&str] = &[
    "Bren", "Cal", "Dorn", "Eld", "Fal", "Gar", "Hol", "Iver", "Kess", "Lom", "Mar", "Nor", "Ost", "Pell", "Quen",
    "Rav", "Sel", "Tarn", "Ul", "Vand", "Wes", "Yor", "Zell", "Ash", "Brim",
];
const SYLLABLES_B: &[&str] = &[
    "dahl", "ecke", "feld", "gard", "holt", "ing", "kamp", "lund", "mere", "nick", "ow", "rath", "stein", "tow", "vik",
    "wick", "brook", "ford", "ley", "more",
];
const COMPANY_WORDS: &[&str] = &[
    "Systems",
    "Logistics",
    "Industries",
    "Group",
    "Partners",
    "Solutions",
    "Works",
    "Foods",
    "Energy",
    "Medical",
    "Retail",
    "Freight",
    "Components",
    "Digital",
    "Health",
];
const LEGAL_FORMS: &[&str] = &["GmbH", "AG", "BV", "Ltd", "SAS", "GmbH & Co. KG", "Inc."];

/// A fictional surname from two syllables ("Kessholt").
pub(crate) fn surname<R: Rng>(r: &mut R) -> String {
    format!("{}{}", pick(r, SYLLABLES_A), pick(r, SYLLABLES_B))
}

/// A fictional person: (first name, surname).
pub(crate) fn person<R: Rng>(r: &mut R) -> (&'static str, String) {
    (pick(r, FIRST_NAMES), surname(r))
}

/// A fictional company name and its e-mail domain under the reserved `.example` top-level domain.
pub(crate) fn company<R: Rng>(r: &mut R) -> (String, String) {
    let stem = surname(r);
    let word = pick(r, COMPANY_WORDS);
    let form = pick(r, LEGAL_FORMS);
    let domain = format!("{}-{}.example", stem.to_lowercase(), word.to_lowercase());
    (format!("{stem} {word} {form}"), domain)
}

/// Job titles of a buying committee, most senior first.
pub(crate) const JOB_TITLES: &[&str] = &[
    "Chief Operating Officer",
    "Head of Supply Chain",
    "IT Manager",
    "Procurement Lead",
    "Data Analyst",
    "Finance Controller",
    "Operations Manager",
];

const CAMPAIGN_THEMES: &[&str] = &[
    "Data Quality Push",
    "Forecasting Week",
    "Supplier Visibility Drive",
    "Inventory Health Check",
    "Control Tower Launch",
    "Analytics Roadshow",
];
const OUTLETS: &[&str] = &[
    "Logistics Review",
    "Supply Chain Weekly",
    "DataOps Journal",
    "Industry Insider",
    "Mittelstand Digital",
    "Operations Today",
];
const FAIRS: &[&str] = &["LogiExpo", "Data Summit Europe", "Supply Chain Forum", "Industry Analytics Days"];

/// Content topics of posts, webinars and press items.
pub(crate) const TOPICS: &[&str] = &[
    "supplier data quality",
    "demand forecasting",
    "warehouse automation",
    "inventory health",
    "late shipment alerts",
    "carbon reporting in logistics",
    "procurement analytics",
    "planning with messy spreadsheets",
    "real-time stock visibility",
    "customer service dashboards",
    "onboarding new suppliers",
    "month-end reporting",
    "data governance for mid-sized firms",
    "pricing analytics",
    "returns management",
    "machine data on the shop floor",
];
const ANGLES: &[&str] = &[
    "most teams lose a full day a week reconciling numbers by hand",
    "three small checks catch nine out of ten errors before they reach a report",
    "the best forecasts start with cleaner master data, not fancier models",
    "one shared dashboard ended a weekly argument between sales and operations",
    "a pilot of six weeks is enough to see whether the data is ready",
    "alerts only help when someone owns the follow-up",
    "the hidden cost is not the software but the time spent copying figures",
    "a simple scorecard made supplier reviews twice as fast",
    "start with the one report everybody already trusts",
    "automation pays off first where the same question is asked every Monday",
];
const HOOKS: &[&str] =
    &["New on the blog:", "Lesson learned:", "Quick tip:", "From our customers:", "Behind the scenes:"];
const CTAS: &[&str] = &[
    "What does your team do differently?",
    "Read the full story via the link.",
    "Tell us in the comments.",
    "Save this for your next planning meeting.",
];

fn pick<R: Rng, T: Copy>(r: &mut R, items: &[T]) -> T {
    *items.choose(r).unwrap_or(&items[0])
}

pub(crate) fn campaign_theme<R: Rng>(r: &mut R) -> &'static str {
    pick(r, CAMPAIGN_THEMES)
}

pub(crate) fn outlet<R: Rng>(r: &mut R) -> &'static str {
    pick(r, OUTLETS)
}

/// The referral source of an outlet's website (`logistics-review.example`).
pub(crate) fn outlet_source(outlet: &str) -> String {
    format!("{}.example", outlet.to_lowercase().replace(' ', "-"))
}

pub(crate) fn fair_name<R: Rng>(r: &mut R) -> &'static str {
    pick(r, FAIRS)
}

/// A title-cased topic for webinars.
pub(crate) fn topic_title<R: Rng>(r: &mut R) -> String {
    let t = pick(r, TOPICS);
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub(crate) fn pr_headline<R: Rng>(r: &mut R) -> String {
    let topic = pick(r, TOPICS);
    match r.gen_range(0..3) {
        0 => format!("Interview on {topic}"),
        1 => format!("Guest article: why {topic} matters"),
        _ => format!("Customer story on {topic}"),
    }
}

/// The shared core sentence of a content idea: topic and angle.
pub(crate) fn idea_core(topic: usize, angle: usize) -> String {
    format!("On {}: {}.", TOPICS[topic % TOPICS.len()], ANGLES[angle % ANGLES.len()])
}

/// An identical cross-post: the same text on every channel.
pub(crate) fn crosspost(topic: usize, angle: usize) -> String {
    format!("{} {} Link in bio.", HOOKS[(topic + angle) % HOOKS.len()], idea_core(topic, angle))
}

/// A text tailored to one network around the idea's core sentence.
pub(crate) fn tailored<R: Rng>(r: &mut R, network: Network, topic: usize, angle: usize) -> String {
    let core = idea_core(topic, angle);
    let tag = TOPICS[topic % TOPICS.len()].split(' ').next_back().unwrap_or("data");
    match network {
        Network::LinkedIn => format!(
            "{} {core} We looked at how mid-sized companies handle this and wrote down what worked. {}",
            pick(r, HOOKS),
            pick(r, CTAS)
        ),
        Network::X => format!("{core} #{tag} #analytics"),
        Network::Instagram => format!("{core} Swipe through the five steps. #{tag} #b2b #datateam"),
        Network::YouTube => format!("Video: {} explained in ten minutes. {core}", TOPICS[topic % TOPICS.len()]),
        _ => format!("{} {core} {}", pick(r, HOOKS), pick(r, CTAS)),
    }
}
