//! The canonical audience format (`audience.csv`): demographics for networks whose exports carry none, from
//! small synthetic files (no fixture needed).

use crate::support::import_as;
use socialledger_domain::{AudienceDimension, AudienceKind};
use socialledger_import::{ImportError, ImportOptions};

/// A canonical audience file, written by hand as a user would for a network without demographics in its exports.
#[test]
fn a_canonical_audience_file_becomes_audience_slices() {
    let text = "channel,date,audience,dimension,value,count\n\
                Mastodon,2025-03-31,followers,job_function,Engineering,120\n\
                Mastodon,2025-03-31,followers,function,Sales,80\n\
                mastodon,2025-03-31,visitors,country,Germany,7\n\
                mastodon,2025-03-31,followers,size,51-200,0\n";
    let parsed = import_as("audience.csv", text.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(parsed.format, "canonical-audience");
    let got: Vec<(&str, AudienceKind, AudienceDimension, &str, i64)> = parsed
        .dataset
        .audience
        .iter()
        .map(|s| (s.channel.as_str(), s.audience, s.dimension, s.value.as_str(), s.count))
        .collect();
    assert_eq!(
        got,
        [
            ("mastodon", AudienceKind::Followers, AudienceDimension::JobFunction, "Engineering", 120),
            ("mastodon", AudienceKind::Followers, AudienceDimension::JobFunction, "Sales", 80),
            ("mastodon", AudienceKind::Visitors, AudienceDimension::Country, "Germany", 7),
            ("mastodon", AudienceKind::Followers, AudienceDimension::CompanySize, "51-200", 0),
        ]
    );
    assert!(parsed.dataset.audience.iter().all(|s| s.date.to_string() == "2025-03-31"));
}

#[test]
fn an_audience_file_with_a_negative_count_or_unknown_dimension_names_row_and_column() {
    let text = "channel,date,audience,dimension,value,count\n\
                mastodon,2025-03-31,followers,seniority,Senior,12\n\
                mastodon,2025-03-31,followers,seniority,Entry,-3\n\
                mastodon,2025-03-31,fans,seniority,Director,4\n\
                mastodon,2025-03-31,followers,hobby,Chess,4\n\
                mastodon,2025-03-31,followers,seniority,senior,1\n";
    let Err(e @ ImportError::Rejected { .. }) = import_as("audience.csv", text.as_bytes(), &ImportOptions::default())
    else {
        panic!("the file must be rejected");
    };
    let display = e.to_string();
    let ImportError::Rejected { errors, .. } = e else { unreachable!() };
    let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 4, "{errors:#?}");
    assert_eq!(errors[0], "audience.csv:3:count: a count cannot be negative; write 0 or more, or leave it empty");
    assert!(errors[1].starts_with("audience.csv:4:audience: unknown audience \"fans\""), "{}", errors[1]);
    assert!(errors[2].starts_with("audience.csv:5:dimension: unknown audience dimension \"hobby\""), "{}", errors[2]);
    assert!(
        errors[3].starts_with(
            "audience.csv:6:value: seniority \"senior\" of mastodon's followers on 2025-03-31 is also on line 2"
        ),
        "{}",
        errors[3]
    );
    assert!(display.ends_with("nothing was imported from audience.csv; fix the rows above and import again"));
}
