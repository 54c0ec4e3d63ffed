//! The target group (ideal customer profile) as the user writes it in TOML: the audience values it is made of
//! and the CRM account fields that mark a target account. docs/target-group.md documents the file.

use crate::AnalyticsError;
use serde::{Deserialize, Serialize};
use socialledger_domain::{Account, AudienceDimension};

/// The target group: what its people look like in a channel's audience demographics, and which CRM accounts
/// belong to it. A section or dimension left out does not restrict; at least one dimension must be given.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetGroup {
    /// Matched against audience slices (LinkedIn demographics, canonical audience CSV).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<AudienceCriteria>,
    /// Matched against the CRM's account fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<AccountCriteria>,
}

/// Audience values inside the target group, per dimension. Values match slice values case-insensitively and
/// exactly (after trimming): `Engineering` matches `engineering`, not `Engineering Services`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AudienceCriteria {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_function: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seniority: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_size: Option<Vec<String>>,
    /// Matched against `location` slices (whole, or their last comma-separated part: `Germany` matches
    /// `Berlin, Germany`), and against `country` slices where a channel has no location slices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Vec<String>>,
}

/// CRM account fields of a target account. An account whose field is empty does not match a constrained field:
/// unknown is not inside the target group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountCriteria {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Vec<String>>,
}

/// A list of values as the file gives it: `None` when the key is left out.
type ValueList = Option<Vec<String>>;

/// One constrained audience dimension: the slices it reads (in order of preference) and the values inside.
#[derive(Clone, Debug, PartialEq)]
pub struct AudienceConstraint {
    /// The dimension as the file names it.
    pub dimension: AudienceDimension,
    /// Slice dimensions that answer it: `location` falls back to `country` slices.
    pub read_from: &'static [AudienceDimension],
    pub values: Vec<String>,
}

impl TargetGroup {
    /// Parses and checks a target group file's text. Errors name the key and say what to do; the caller adds
    /// the file name.
    pub fn from_toml_str(text: &str) -> Result<TargetGroup, AnalyticsError> {
        let group: TargetGroup =
            toml::from_str(text).map_err(|e| AnalyticsError::TargetGroup(toml_message(text, &e)))?;
        group.validate()?;
        Ok(group)
    }

    /// Every list must hold at least one non-blank value, and the group must constrain something.
    pub fn validate(&self) -> Result<(), AnalyticsError> {
        let mut any = false;
        for (key, values) in self.lists() {
            let Some(values) = values else { continue };
            if values.is_empty() {
                return Err(AnalyticsError::TargetGroup(format!(
                    "{key} is an empty list: list at least one value, or leave the key out (then it does not restrict)"
                )));
            }
            if let Some(i) = values.iter().position(|v| v.trim().is_empty()) {
                return Err(AnalyticsError::TargetGroup(format!(
                    "{key} has a blank value (item {}): remove it or write the value",
                    i + 1
                )));
            }
            any = true;
        }
        if !any {
            return Err(AnalyticsError::TargetGroup(
                "the target group constrains nothing: give at least one list under [audience] or [accounts] (see \
                 docs/target-group.md)"
                    .into(),
            ));
        }
        Ok(())
    }

    /// Every list with its key as the file spells it.
    fn lists(&self) -> Vec<(&'static str, Option<&Vec<String>>)> {
        let a = self.audience.as_ref();
        let c = self.accounts.as_ref();
        vec![
            ("audience.job_function", a.and_then(|a| a.job_function.as_ref())),
            ("audience.seniority", a.and_then(|a| a.seniority.as_ref())),
            ("audience.industry", a.and_then(|a| a.industry.as_ref())),
            ("audience.company_size", a.and_then(|a| a.company_size.as_ref())),
            ("audience.location", a.and_then(|a| a.location.as_ref())),
            ("accounts.industry", c.and_then(|c| c.industry.as_ref())),
            ("accounts.size", c.and_then(|c| c.size.as_ref())),
            ("accounts.country", c.and_then(|c| c.country.as_ref())),
        ]
    }

    /// The constrained audience dimensions, in the file's documented order.
    pub fn audience_constraints(&self) -> Vec<AudienceConstraint> {
        use AudienceDimension as D;
        let Some(a) = &self.audience else { return Vec::new() };
        let all: [(D, &'static [D], &ValueList); 5] = [
            (D::JobFunction, &[D::JobFunction], &a.job_function),
            (D::Seniority, &[D::Seniority], &a.seniority),
            (D::Industry, &[D::Industry], &a.industry),
            (D::CompanySize, &[D::CompanySize], &a.company_size),
            (D::Location, &[D::Location, D::Country], &a.location),
        ];
        all.into_iter()
            .filter_map(|(dimension, read_from, values)| {
                values.as_ref().map(|v| AudienceConstraint { dimension, read_from, values: v.clone() })
            })
            .collect()
    }

    /// True when the group names account fields (so the CRM part of the fit can be computed).
    pub fn has_account_criteria(&self) -> bool {
        self.accounts.as_ref().is_some_and(|c| c.industry.is_some() || c.size.is_some() || c.country.is_some())
    }

    /// Whether a CRM account is a target account: every constrained field holds one of its values.
    pub fn is_target_account(&self, account: &Account) -> bool {
        let Some(c) = &self.accounts else { return false };
        fits(&c.industry, account.industry.as_deref())
            && fits(&c.size, account.size.as_deref())
            && fits(&c.country, account.country.as_deref())
    }
}

/// Whether `value` is one of `allowed` (case-insensitive, trimmed); an unconstrained field always fits.
fn fits(allowed: &Option<Vec<String>>, value: Option<&str>) -> bool {
    match (allowed, value) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(list), Some(v)) => matches_any(list, v),
    }
}

/// Case-insensitive exact comparison after trimming both sides.
pub fn matches_any(list: &[String], value: &str) -> bool {
    let v = value.trim().to_lowercase();
    list.iter().any(|a| a.trim().to_lowercase() == v)
}

/// toml's message in one line with the line and column it points at (its own display spans several lines, with
/// a caret under the spot), plus the fix for an unknown key.
pub(crate) fn toml_message(text: &str, e: &toml::de::Error) -> String {
    let mut msg = e.message().trim().to_string();
    if let Some(span) = e.span() {
        let start = (0..=span.start.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        msg = format!("line {line}, column {column}: {msg}");
    }
    if msg.contains("unknown field") {
        msg.push_str(
            "; the sections are [audience] (job_function, seniority, industry, company_size, location) and [accounts] \
             (industry, size, country), each a list of strings",
        );
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        let g = TargetGroup::from_toml_str(include_str!("../../../../examples/target_group.toml")).unwrap();
        assert!(g.has_account_criteria());
        assert_eq!(g.audience_constraints().len(), 5);
    }

    #[test]
    fn rejects_unknown_keys_empty_lists_wrong_types_and_nothing() {
        let e = TargetGroup::from_toml_str("[audience]\nfunction = [\"x\"]").unwrap_err().to_string();
        assert!(e.contains("unknown field `function`") && e.contains("job_function"), "{e}");
        let e = TargetGroup::from_toml_str("[accounts]\nsize = []").unwrap_err().to_string();
        assert!(e.contains("accounts.size is an empty list"), "{e}");
        let e = TargetGroup::from_toml_str("[accounts]\ncountry = \"DE\"").unwrap_err().to_string();
        assert!(e.contains("invalid type") && e.contains("sequence"), "{e}");
        let e = TargetGroup::from_toml_str("").unwrap_err().to_string();
        assert!(e.contains("constrains nothing"), "{e}");
        let e = TargetGroup::from_toml_str("[icp]\nx = 1").unwrap_err().to_string();
        assert!(e.contains("unknown field `icp`"), "{e}");
    }

    #[test]
    fn an_account_with_an_unknown_field_is_no_target() {
        let g = TargetGroup::from_toml_str("[accounts]\ncountry = [\"DE\", \"at\"]\nsize = [\"51-200\"]").unwrap();
        let acc = |country: Option<&str>, size: &str| Account {
            key: "a".into(),
            name: "A".into(),
            industry: None,
            size: Some(size.into()),
            country: country.map(Into::into),
        };
        assert!(g.is_target_account(&acc(Some(" AT "), "51-200")));
        assert!(!g.is_target_account(&acc(Some("CH"), "51-200")));
        assert!(!g.is_target_account(&acc(None, "51-200")));
        assert!(!g.is_target_account(&acc(Some("DE"), "201-500")));
    }
}
