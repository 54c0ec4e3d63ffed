//! Files that must not import: every bad cell is named as FILE:ROW:COLUMN, and nothing is returned.

use crate::support::{example_bytes, import_as};
use socialledger_import::{ImportError, ImportOptions};

fn rejected(name: &str, text: &str, opts: &ImportOptions) -> (Vec<String>, usize, String) {
    match import_as(name, text.as_bytes(), opts) {
        Err(e @ ImportError::Rejected { .. }) => {
            let display = e.to_string();
            let ImportError::Rejected { errors, more, .. } = e else { unreachable!() };
            (errors.iter().map(ToString::to_string).collect(), more, display)
        }
        Err(other) => panic!("expected a rejection, got: {other}"),
        Ok(parsed) => panic!("expected a rejection, got {} rows", parsed.rows),
    }
}

#[test]
fn a_file_with_several_errors_names_each_and_imports_nothing() {
    let text = "channel,post_id,published_at,type,metrics_date,impressions,reactions\n\
                linkedin,p1,2025-03-04T08:30:00Z,document,2025-04-01,12x,5\n\
                linkedin,,2025-03-05T08:30:00Z,video,2025-04-01,100,2\n\
                x,p3,yesterday,tweet,2025-04-01,100,2\n\
                x,p4,2025-03-05,text,,100,\n\
                linkedin,p1,2025-03-06T08:30:00Z,text,2025-04-01,1,1\n\
                x,p6,2025-03-07T08:30:00Z,text,2025-04-01,7,-1\n";
    let (errors, more, display) = rejected("bad_posts.csv", text, &ImportOptions::default());
    assert_eq!(
        errors,
        [
            "bad_posts.csv:2:impressions: \"12x\" is not a whole number; write digits only such as 1234",
            "bad_posts.csv:3:post_id: post_id is empty; this column is required",
            "bad_posts.csv:4:published_at: \"yesterday\" is not a timestamp; write it as YYYY-MM-DD HH:MM[:SS] or \
             RFC 3339 such as 2025-03-01T09:30:00Z",
            "bad_posts.csv:4:type: unknown post type \"tweet\"; expected one of: text, image, video, document, poll, \
             link, article, other",
            "bad_posts.csv:5:metrics_date: metrics_date is empty but counters are filled; write the date the \
             counters were read (YYYY-MM-DD)",
            "bad_posts.csv:6:post_id: post p1 on linkedin is also on line 2; a key may appear once per file",
            "bad_posts.csv:7:reactions: a count cannot be negative; write 0 or more, or leave it empty",
        ]
    );
    assert_eq!(more, 0);
    assert!(display.starts_with("bad_posts.csv:2:impressions: "));
    assert!(display.ends_with("nothing was imported from bad_posts.csv; fix the rows above and import again"));
    assert_eq!(display.lines().count(), errors.len() + 1);
}

#[test]
fn errors_point_at_the_line_a_quoted_record_starts_on() {
    let text = "contact_id,name,created_at\nc1,\"Ann\nSmith\",2025-03-01T10:00:00Z\nc2,Bob,2025-13-01\n";
    let (errors, _, _) = rejected("contacts.csv", text, &ImportOptions::default());
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with("contacts.csv:4:created_at: \"2025-13-01\" is not a timestamp"), "{}", errors[0]);
}

#[test]
fn a_local_time_the_clocks_skip_is_an_error_not_a_guess() {
    let opts = ImportOptions { tz: "Europe/Amsterdam".parse().unwrap(), ..Default::default() };
    let text = "contact_id,created_at\nc1,2025-03-30 01:30\nc2,2025-03-30 02:30\nc3,2025-10-26 02:30\n";
    let (errors, _, _) = rejected("contacts.csv", text, &opts);
    assert_eq!(errors.len(), 2);
    assert!(
        errors[0].starts_with("contacts.csv:3:created_at: ")
            && errors[0].contains("does not exist in Europe/Amsterdam")
    );
    assert!(errors[1].starts_with("contacts.csv:4:created_at: ") && errors[1].contains("happened twice"));
}

#[test]
fn touchpoints_without_a_channel_rule_or_owner_are_rejected() {
    let text = "contact_id,account_id,timestamp,channel,kind,utm_source,utm_medium\n\
                c1,,2025-03-01T10:00:00Z,,visit,tiktok,social\n\
                ,,2025-03-01T10:00:00Z,linkedin,visit,,\n\
                c3,,2025-03-01T10:00:00Z,,visit,,\n\
                c4,,2025-03-01T10:00:00Z,linkedin,,,\n";
    let (errors, _, _) = rejected("tp.csv", text, &ImportOptions::default());
    assert_eq!(
        errors,
        [
            "tp.csv:2:utm_source: no rule maps source=\"tiktok\", medium=\"social\"; add one to the rules file (see \
             docs/utm.md)",
            "tp.csv:3:contact_id: neither contact_id nor account_id is filled; a touchpoint belongs to a contact or \
             an account; fill one of them",
            "tp.csv:4:channel: neither channel nor utm_source/utm_medium is filled; write the channel key, or the UTM \
             source and medium it is derived from (docs/utm.md)",
            "tp.csv:5:kind: kind is empty; this column is required",
        ]
    );
    // A rules file that maps the source makes the first row valid.
    let rules = socialledger_import::utm::UtmRules::from_toml_str(
        "[[rule]]\nsource = \"tiktok\"\nmedium = \"*\"\nchannel = \"tiktok\"\n",
    )
    .unwrap();
    let opts = ImportOptions { utm_rules: rules, ..Default::default() };
    let ok = import_as(
        "tp.csv",
        "contact_id,timestamp,kind,utm_source,utm_medium\nc1,2025-03-01T10:00:00Z,visit,TikTok,social\n".as_bytes(),
        &opts,
    )
    .unwrap();
    assert_eq!(ok.dataset.touchpoints[0].channel, "tiktok");
}

#[test]
fn only_the_first_max_errors_are_listed() {
    let mut text = String::from("person,date,hours,task\n");
    for i in 0..60 {
        text.push_str(&format!("ann,2025-03-{:02},lots,content\n", i % 28 + 1));
    }
    let opts = ImportOptions { max_errors: 50, ..Default::default() };
    let (errors, more, display) = rejected("time.csv", &text, &opts);
    assert_eq!((errors.len(), more), (50, 10));
    assert_eq!(errors[0], "time.csv:2:hours: \"lots\" is not a number of hours; write a decimal such as 1.5");
    assert!(errors[49].starts_with("time.csv:51:hours: "));
    assert!(display.contains("\n... and 10 more errors\nnothing was imported from time.csv"));
}

#[test]
fn an_unknown_header_says_what_was_seen_and_what_to_do() {
    let err = import_as("mystery.csv", b"foo,Bar\n1,2\n", &ImportOptions::default()).unwrap_err();
    match &err {
        ImportError::UnknownFormat { file, headers_seen, hint } => {
            assert_eq!(file, "mystery.csv");
            assert_eq!(headers_seen, &["foo", "Bar"]);
            assert!(hint.contains("socialledger formats") && hint.contains("--format"), "{hint}");
        }
        other => panic!("{other}"),
    }
    assert!(err.to_string().starts_with("mystery.csv: not a format socialledger knows (headers seen: foo, Bar)"));
}

#[test]
fn a_forced_format_reports_missing_columns_and_unknown_names_list_the_known() {
    let opts = ImportOptions { format: Some("canonical-posts".into()), ..Default::default() };
    let (errors, _, _) = rejected("channels.csv", std::str::from_utf8(&example_bytes("channels.csv")).unwrap(), &opts);
    assert_eq!(
        errors,
        ["channels.csv:1: the header lacks the column(s) post_id; a canonical-posts file needs the columns channel, \
          post_id; see docs/formats.md"]
    );
    let opts = ImportOptions { format: Some("myspace".into()), ..Default::default() };
    let err = import_as("channels.csv", &example_bytes("channels.csv"), &opts).unwrap_err();
    assert!(
        matches!(&err, ImportError::UnknownFormatName { name, known } if name == "myspace" && known.contains(&"canonical-touchpoints"))
    );
    assert!(err.to_string().contains("`socialledger formats`"));
}

#[test]
fn empty_and_unreadable_files() {
    let err = import_as("empty.csv", b"", &ImportOptions::default()).unwrap_err();
    assert!(matches!(err, ImportError::Empty { .. }), "{err}");
    let err = import_as("blank.csv", b"\n\n,,\n", &ImportOptions::default()).unwrap_err();
    assert!(matches!(err, ImportError::Empty { .. }), "{err}");
    let err = import_as("broken.xlsx", b"PK\x03\x04 not a workbook", &ImportOptions::default()).unwrap_err();
    assert!(matches!(err, ImportError::Unreadable { .. }), "{err}");
    assert!(err.to_string().starts_with("broken.xlsx: cannot be read: "));
}

#[test]
fn a_header_only_file_imports_nothing_without_error() {
    let parsed = import_as("deals.csv", b"deal_id,name,status\n", &ImportOptions::default()).unwrap();
    assert_eq!((parsed.format, parsed.rows, parsed.dataset.len()), ("canonical-deals", 0, 0));
}

/// Issue 14: a conversation answered before it arrived, a year-later answer, a key twice and an unknown kind are
/// each named by FILE:ROW:COLUMN with what to do; nothing of the file is imported.
#[test]
fn issue_14_implausible_conversations_are_rejected() {
    let text = "channel,conversation_id,kind,received_at,first_response_at\n\
                linkedin,c1,comment,2025-03-03T10:00:00Z,2025-03-03T09:00:00Z\n\
                linkedin,c2,dm,2025-03-03T10:00:00Z,2026-04-03T10:00:00Z\n\
                linkedin,c3,carrier pigeon,2025-03-03T10:00:00Z,\n\
                linkedin,c4,comment,2025-03-03T10:00:00Z,\n\
                LinkedIn,c4,comment,2025-03-04T10:00:00Z,\n\
                x,,mention,2025-03-03T10:00:00Z,\n\
                x,c6,mention,,2025-03-03T10:00:00Z\n";
    let (errors, _, display) = rejected("conversations.csv", text, &ImportOptions::default());
    assert_eq!(errors.len(), 6, "{errors:#?}");
    assert!(
        errors[0].starts_with(
            "conversations.csv:2:first_response_at: first_response_at 2025-03-03 09:00:00 UTC is before received_at"
        ) && errors[0].contains("an answer cannot precede the message"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with("conversations.csv:3:first_response_at: ") && errors[1].contains("396 days after"),
        "{}",
        errors[1]
    );
    assert!(errors[2].starts_with("conversations.csv:4:kind: unknown conversation kind \"carrier pigeon\"; expected one of: comment, dm, mention, other"), "{}", errors[2]);
    assert!(
        errors[3].starts_with(
            "conversations.csv:6:conversation_id: conversation_id c4 of channel linkedin is also on line 5"
        ),
        "{}",
        errors[3]
    );
    assert!(errors[4].starts_with("conversations.csv:7:conversation_id: "), "{}", errors[4]);
    assert!(errors[5].starts_with("conversations.csv:8:received_at: "), "{}", errors[5]);
    assert!(display.ends_with("nothing was imported from conversations.csv; fix the rows above and import again"));
}
