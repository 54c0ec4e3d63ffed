//! UTM source/medium to channel key: the rules a touchpoint without a channel is placed by. Defaults are
//! documented in docs/utm.md; a TOML rules file adds rules tried before them.

use serde::Deserialize;

/// One rule: when the source matches one of `sources` and the medium one of `mediums`, the channel is `channel`.
/// Patterns compare case-insensitively; `*` matches any run of characters (`*linkedin.com`, `*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UtmRule {
    pub sources: Vec<String>,
    pub mediums: Vec<String>,
    pub channel: String,
}

impl UtmRule {
    pub fn new(sources: &[&str], mediums: &[&str], channel: &str) -> Self {
        let lower = |v: &[&str]| v.iter().map(|s| s.trim().to_lowercase()).collect();
        UtmRule { sources: lower(sources), mediums: lower(mediums), channel: channel.to_string() }
    }

    /// True when the (lower-case, trimmed) source and medium fit.
    fn matches(&self, source: &str, medium: &str) -> bool {
        self.sources.iter().any(|p| glob(p, source)) && self.mediums.iter().any(|p| glob(p, medium))
    }
}

/// Matches `text` against `pattern`, where `*` stands for any run of characters (none included).
fn glob(pattern: &str, text: &str) -> bool {
    let Some((head, rest)) = pattern.split_once('*') else {
        return pattern == text;
    };
    let Some(mut remaining) = text.strip_prefix(head) else {
        return false;
    };
    let mut parts: Vec<&str> = rest.split('*').collect();
    let tail = parts.pop().unwrap_or("");
    for part in parts {
        match remaining.find(part) {
            Some(i) => remaining = &remaining[i + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= tail.len() && remaining.ends_with(tail)
}

/// The rules, tried in order; the first match wins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UtmRules {
    pub rules: Vec<UtmRule>,
}

const ORGANIC: &[&str] = &[
    "social",
    "organic",
    "organic_social",
    "organic-social",
    "social_organic",
    "social-organic",
    "social_media",
    "social-media",
    "socialmedia",
    "sm",
    "post",
    "referral",
];
const PAID: &[&str] = &[
    "cpc",
    "ppc",
    "cpm",
    "paid",
    "paid_social",
    "paid-social",
    "paidsocial",
    "social_paid",
    "social-paid",
    "ads",
    "ad",
    "sponsored",
    "display",
];

/// The built-in rules, in the order docs/utm.md lists them.
pub fn default_rules() -> Vec<UtmRule> {
    let mut rules = vec![
        UtmRule::new(&["(direct)", "direct"], &["*"], "direct"),
        UtmRule::new(&["*"], &["(none)"], "direct"),
        UtmRule::new(&["*"], &["email", "e-mail", "newsletter"], "newsletter"),
    ];
    let social: [(&[&str], &str); 5] = [
        (&["linkedin", "lnkd.in", "*linkedin.com"], "linkedin"),
        (&["x", "twitter", "t.co", "x.com", "*.x.com", "*twitter.com"], "x"),
        (&["facebook", "fb", "fb.me", "fb.com", "*facebook.com"], "facebook"),
        (&["instagram", "ig", "*instagram.com"], "instagram"),
        (&["youtube", "yt", "youtu.be", "*youtube.com"], "youtube"),
    ];
    for (sources, channel) in social {
        rules.push(UtmRule::new(sources, PAID, &format!("{channel}-ads")));
        rules.push(UtmRule::new(sources, ORGANIC, channel));
    }
    let search: &[&str] = &[
        "google",
        "*google.com",
        "bing",
        "*bing.com",
        "duckduckgo",
        "yahoo",
        "*yahoo.com",
        "ecosia",
        "baidu",
        "yandex",
    ];
    rules.push(UtmRule::new(search, &["cpc", "ppc", "paid", "paid_search", "paidsearch", "sem"], "paid-search"));
    rules.push(UtmRule::new(search, &["organic", "seo", "organic_search"], "organic-search"));
    rules.push(UtmRule::new(&["*"], &["referral"], "referral"));
    rules.push(UtmRule::new(&["*"], &["event", "events"], "events"));
    rules.push(UtmRule::new(&["*"], &["pr", "press"], "pr"));
    rules
}

impl Default for UtmRules {
    fn default() -> Self {
        UtmRules { rules: default_rules() }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default = "yes")]
    defaults: bool,
    #[serde(default)]
    rule: Vec<RuleEntry>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleEntry {
    source: OneOrMany,
    medium: OneOrMany,
    channel: String,
}

impl UtmRules {
    /// Reads a rules file (format in docs/utm.md): its `[[rule]]`s are tried before the defaults, which
    /// `defaults = false` switches off. The error says what is wrong with the file.
    pub fn from_toml_str(text: &str) -> Result<UtmRules, String> {
        let file: RuleFile = toml::from_str(text).map_err(|e| format!("the UTM rules file is not valid: {e}"))?;
        let list = |v: OneOrMany| match v {
            OneOrMany::One(s) => vec![s.trim().to_lowercase()],
            OneOrMany::Many(v) => v.into_iter().map(|s| s.trim().to_lowercase()).collect(),
        };
        let mut rules = Vec::new();
        for (i, entry) in file.rule.into_iter().enumerate() {
            let channel = entry.channel.trim().to_string();
            if channel.is_empty() {
                return Err(format!("UTM rule {} has an empty channel; give the channel key it maps to", i + 1));
            }
            rules.push(UtmRule { sources: list(entry.source), mediums: list(entry.medium), channel });
        }
        if file.defaults {
            rules.extend(default_rules());
        }
        Ok(UtmRules { rules })
    }

    /// The channel key for a source and medium (absent counts as empty). The error names both and says to add a
    /// rule.
    pub fn channel_for(&self, source: Option<&str>, medium: Option<&str>) -> Result<&str, String> {
        let source = source.unwrap_or("").trim().to_lowercase();
        let medium = medium.unwrap_or("").trim().to_lowercase();
        self.rules.iter().find(|r| r.matches(&source, &medium)).map(|r| r.channel.as_str()).ok_or_else(|| {
            format!("no rule maps source={source:?}, medium={medium:?}; add one to the rules file (see docs/utm.md)")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(source: &str, medium: &str) -> String {
        UtmRules::default().channel_for(Some(source), Some(medium)).map(str::to_string).unwrap_or_else(|e| e)
    }

    #[test]
    fn globs() {
        assert!(glob("*", ""));
        assert!(glob("*linkedin.com", "www.linkedin.com"));
        assert!(glob("*linkedin.com", "linkedin.com"));
        assert!(!glob("*linkedin.com", "linkedin.com.evil"));
        assert!(glob("a*b*c", "axxbyyc"));
        assert!(!glob("a*b*c", "acb"));
        assert!(glob("news*", "newsletter"));
    }

    #[test]
    fn default_social_rules() {
        assert_eq!(ch("linkedin", "social"), "linkedin");
        assert_eq!(ch("LNKD.IN", "Organic"), "linkedin");
        assert_eq!(ch("linkedin", "paid_social"), "linkedin-ads");
        assert_eq!(ch("linkedin", "cpc"), "linkedin-ads");
        assert_eq!(ch("l.linkedin.com", "referral"), "linkedin");
        assert_eq!(ch("twitter", "social"), "x");
        assert_eq!(ch("t.co", "referral"), "x");
        assert_eq!(ch("x", "paid"), "x-ads");
        assert_eq!(ch("fb", "social"), "facebook");
        assert_eq!(ch("m.facebook.com", "referral"), "facebook");
        assert_eq!(ch("facebook", "cpc"), "facebook-ads");
        assert_eq!(ch("ig", "social"), "instagram");
        assert_eq!(ch("instagram", "paid_social"), "instagram-ads");
        assert_eq!(ch("youtube", "social"), "youtube");
    }

    #[test]
    fn default_other_rules() {
        assert_eq!(ch("google", "cpc"), "paid-search");
        assert_eq!(ch("bing", "organic"), "organic-search");
        assert_eq!(ch("mailchimp", "email"), "newsletter");
        assert_eq!(ch("linkedin", "newsletter"), "newsletter");
        assert_eq!(ch("(direct)", "(none)"), "direct");
        assert_eq!(ch("partner-blog.example", "referral"), "referral");
        assert_eq!(ch("saastr", "event"), "events");
        assert_eq!(ch("techcrunch", "pr"), "pr");
        assert_eq!(
            ch("tiktok", "social"),
            "no rule maps source=\"tiktok\", medium=\"social\"; add one to the rules file (see docs/utm.md)"
        );
        assert!(ch("linkedin", "carrier-pigeon").starts_with("no rule maps"));
    }

    #[test]
    fn file_rules_come_first_and_may_drop_the_defaults() {
        let rules = UtmRules::from_toml_str(
            r#"
            [[rule]]
            source = "linkedin"
            medium = "*"
            channel = "linkedin-hr"

            [[rule]]
            source = ["tiktok", "*.tiktok.com"]
            medium = "social"
            channel = "tiktok"
            "#,
        )
        .unwrap();
        assert_eq!(rules.channel_for(Some("LinkedIn"), Some("cpc")), Ok("linkedin-hr"));
        assert_eq!(rules.channel_for(Some("www.tiktok.com"), Some("social")), Ok("tiktok"));
        assert_eq!(rules.channel_for(Some("google"), Some("cpc")), Ok("paid-search"));
        let only =
            UtmRules::from_toml_str("defaults = false\n[[rule]]\nsource = \"*\"\nmedium = \"*\"\nchannel = \"web\"")
                .unwrap();
        assert_eq!(only.rules.len(), 1);
        assert_eq!(only.channel_for(Some("google"), Some("cpc")), Ok("web"));
    }

    #[test]
    fn bad_rule_files_are_explained() {
        assert!(UtmRules::from_toml_str("[[rule]]\nsource = \"x\"\nchannel = \"x\"").unwrap_err().contains("medium"));
        assert!(UtmRules::from_toml_str("[[rule]]\nsource = \"x\"\nmedium = \"x\"\nchannel = \" \"")
            .unwrap_err()
            .contains("empty channel"));
        assert!(UtmRules::from_toml_str("[[rules]]").is_err());
    }

    #[test]
    fn the_shipped_example_file_parses() {
        let text = include_str!("../../../examples/utm-rules.toml");
        let rules = UtmRules::from_toml_str(text).unwrap();
        assert!(rules.rules.len() > default_rules().len());
    }
}
