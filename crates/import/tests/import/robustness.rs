//! Issue 12, "nothing crashes, and nothing wrong goes in silently": each point of the issue as a regression test
//! on our own synthetic files (no shared export needed).

use crate::support::{example_bytes, import_as};
use crate::workbooks;
use socialledger_import::{ImportError, ImportOptions, Parsed};
use std::path::{Path, PathBuf};

/// The synthetic native exports committed for these tests (see `tests/fixtures/README.md`).
pub fn native_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/native")
}

/// Every synthetic native export, as (path relative to the fixtures folder, bytes).
pub fn native_fixtures() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut dirs = vec![native_dir()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                let rel = path.strip_prefix(native_dir()).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn import(name: &str, bytes: &[u8]) -> Result<Parsed, ImportError> {
    import_as(name, bytes, &ImportOptions::default())
}

fn errors(result: Result<Parsed, ImportError>) -> Vec<String> {
    match result {
        Err(ImportError::Rejected { errors, .. }) => errors.iter().map(ToString::to_string).collect(),
        Err(other) => vec![other.to_string()],
        Ok(p) => panic!("expected an error, imported {} rows as {}", p.rows, p.format),
    }
}

#[test]
fn every_synthetic_native_export_imports_as_its_format() {
    let expected = [
        ("Clockify_Time_Report_Detailed_01_01_2025-31_01_2025.csv", "clockify-detailed"),
        ("Content 2025-01-01_2025-01-31 Acme/Chart data.csv", "youtube-chart"),
        ("Content 2025-01-01_2025-01-31 Acme/Table data.csv", "youtube-table"),
        ("Content 2025-01-01_2025-01-31 Acme/Totals.csv", "youtube-totals"),
        ("Facebook Insights Data Export (Post Level) - Acme Studio - 2025-01-01 - 2025-01-31.csv", "facebook-posts"),
        ("Facebook Insights Data Export (Video Posts) - Acme Studio - 2025-01-01 - 2025-01-31.csv", "facebook-videos"),
        ("Facebook Insights Data Export - Acme Studio - 2025-01-01 - 2025-01-31.csv", "facebook-page"),
        ("Follows.csv", "meta-daily"),
        ("Jan-01-2025_Jan-31-2025_17841400000000000.csv", "meta-instagram-posts"),
        ("Jan-01-2025_Jan-31-2025_61500000000000.csv", "meta-posts"),
        ("Landing_page_Landing_page.csv", "ga4-report"),
        ("Shares.csv", "linkedin-shares"),
        ("Toggl_time_entries_2025-01-01_to_2025-01-31.csv", "toggl-detailed"),
        ("Untitled-report-Jan-1-2025-to-Jan-31-2025.csv", "meta-ads"),
        ("Untitled-report-Jan-1-2025-to-Jan-31-2025_Age.csv", "meta-ads"),
        ("account_analytics_content_2025-01-01_2025-01-31.csv", "x-content"),
        ("account_overview_analytics.csv", "x-overview"),
        ("daily_tweet_activity_metrics_acme_hq_20250101_20250201_en.csv", "x-daily"),
        ("hubspot-crm-exports-all-contacts-2025-01-31.csv", "hubspot-contacts"),
        ("hubspot-crm-exports-all-deals-2025-01-31.csv", "hubspot-deals"),
        ("tweet_activity_metrics_acme_hq_20250101_20250201_en.csv", "x-tweets"),
    ];
    let fixtures = native_fixtures();
    assert_eq!(fixtures.len(), expected.len(), "{:?}", fixtures.iter().map(|f| &f.0).collect::<Vec<_>>());
    for ((name, bytes), (want_name, want_format)) in fixtures.iter().zip(expected) {
        assert_eq!(name, want_name);
        let parsed = import(name, bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(parsed.format, want_format, "{name}");
        assert!(!parsed.dataset.is_empty(), "{name}: nothing imported");
    }
    let books = [
        ("acme_content_1736900000000.xls", workbooks::linkedin_content(), "linkedin-content"),
        ("acme_followers_1736900000000.xls", workbooks::linkedin_followers(), "linkedin-followers"),
        ("acme_visitors_1736900000000.xls", workbooks::linkedin_visitors(), "linkedin-visitors"),
    ];
    for (name, bytes, format) in books {
        let parsed = import(name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(parsed.format, format, "{name}");
        assert!(!parsed.dataset.is_empty(), "{name}: nothing imported");
    }
    let sheets = workbooks::linkedin_content_sheets();
    let xlsx = workbooks::xlsx(sheets[0].0, &sheets[0].1);
    let parsed = import("acme_content_1736900000000.xlsx", &xlsx).unwrap_or_else(|e| panic!("xlsx: {e}"));
    assert_eq!((parsed.format, parsed.dataset.channel_days.len()), ("linkedin-content", 2));
}

#[test]
fn issue_12_a_corrupt_xls_size_is_an_error_not_an_abort() {
    // The Dimensions record of a damaged file claims 2^31 rows: calamine reserved room for all of them and the
    // allocation aborted the process (SIGABRT).
    let sheets = workbooks::linkedin_content_sheets();
    let bomb = workbooks::ole(&workbooks::biff(&sheets, Some((0, 0x7FFF_FFFF, 0, 0xFF))));
    let e = errors(import("acme_content_1736900000000.xls", &bomb));
    assert!(e[0].starts_with("acme_content_1736900000000.xls: cannot be read: the XLS file is damaged"), "{e:?}");
    // Cells far apart span a rectangle calamine would allocate whole.
    let mut stream = workbooks::biff(&sheets, None);
    let end = stream.len() - 4;
    let mut far = Vec::new();
    workbooks::record(&mut far, 0x0203, &[0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    stream.splice(end..end, far);
    let e = errors(import("acme_content_1736900000000.xls", &workbooks::ole(&stream)));
    assert!(e[0].contains("spans") && e[0].contains("cells"), "{e:?}");
}

#[test]
fn issue_12_an_xlsx_cell_far_away_or_a_huge_string_count_is_no_abort() {
    let sheets = workbooks::linkedin_content_sheets();
    let (name, rows) = (&sheets[0].0, &sheets[0].1);
    // One cell at the last row and column: read as a rectangle, that was 17 billion cells.
    let mut parts = workbooks::xlsx_parts(name, rows);
    let sheet = parts.iter_mut().find(|(p, _)| p.ends_with("sheet1.xml")).unwrap();
    sheet.1 = sheet.1.replace(
        "</sheetData>",
        r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row></sheetData>"#,
    );
    let e = errors(import("acme_content_1736900000000.xlsx", &workbooks::zip_parts(&parts)));
    assert_eq!(e, ["acme_content_1736900000000.xlsx[Metrics]:1048576:Date: Date is empty; this column is required"]);
    // A shared-string table that claims a trillion strings: calamine reserved room for all of them.
    let mut parts = workbooks::xlsx_parts(name, rows);
    parts.push((
        "xl/sharedStrings.xml".into(),
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1000000000000"><si><t>a</t></si></sst>"#.into(),
    ));
    let e = errors(import("acme_content_1736900000000.xlsx", &workbooks::zip_parts(&parts)));
    assert!(e[0].contains("declares 1000000000000 shared strings"), "{e:?}");
}

#[test]
fn issue_12_a_truncated_or_flipped_xls_is_an_error_not_a_panic() {
    let book = workbooks::linkedin_content();
    for len in (0..book.len()).step_by(11) {
        let result = import("acme_content_1736900000000.xls", &book[..len]);
        if let Err(e) = &result {
            assert!(!e.to_string().contains("reading the file failed"), "our own code panicked at {len}: {e}");
        }
    }
    for at in (0..book.len()).step_by(4) {
        let mut bytes = book.clone();
        bytes[at] = 0xFF;
        if let Err(e) = import("acme_content_1736900000000.xls", &bytes) {
            assert!(!e.to_string().contains("reading the file failed"), "our own code panicked at {at}: {e}");
            assert!(e.to_string().starts_with("acme_content_1736900000000.xls"), "{e}");
        }
    }
}

#[test]
fn issue_12_dates_with_multi_byte_characters_are_errors_not_panics() {
    // Byte slicing inside `é` panicked: in a GA4 period comment (YYYYMMDD) and in an X export's file name.
    let ga4 = "# Start date: 202é101\n# End date: 20250131\nLanding page,Sessions\n/,3\n";
    let e = errors(import("Landing_page.csv", ga4.as_bytes()));
    assert!(e.iter().all(|m| m.starts_with("Landing_page.csv")), "{e:?}");
    let (_, tweets) = native_fixtures().into_iter().find(|(n, _)| n.starts_with("tweet_activity_metrics_")).unwrap();
    let _ = import("tweet_activity_metrics_acme_202é101_2025020é_en.csv", &tweets);
    let stamped = "contact_id,created_at\nc1,2025-03-01T10:00:00+0é\nc2,2025-03-01 10:00:00.12345678é9\n";
    let e = errors(import("contacts.csv", stamped.as_bytes()));
    assert_eq!(e.len(), 2, "{e:?}");
}

#[test]
fn issue_12_platform_counts_cannot_be_negative_like_canonical_ones() {
    let want = "a count cannot be negative; write 0 or more, or leave it empty";
    let x = "Post id,Date,Post text,Link,Impressions,Likes,Engagements\n\
             1,Tue Jan 14 2025,hi,https://x.com/acme/status/1,-5000,-7,3\n";
    let e = errors(import("account_analytics_content_2025-01-01_2025-01-31.csv", x.as_bytes()));
    assert_eq!(
        e,
        [
            format!("account_analytics_content_2025-01-01_2025-01-31.csv:2:Impressions: {want}"),
            format!("account_analytics_content_2025-01-01_2025-01-31.csv:2:Likes: {want}"),
        ]
    );
    let canonical = "channel,post_id,metrics_date,impressions\nx,p1,2025-01-31,-5000\n";
    assert_eq!(errors(import("posts.csv", canonical.as_bytes())), [format!("posts.csv:2:impressions: {want}")]);
    let overview = "Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,Reposts,\
                    Profile visits,Create Post,Video views,Media views\n\"Wed, Jan 15, 2025\",10,0,0,0,0,-3,1,0,0,0,0,0,0\n";
    let e = errors(import("account_overview_analytics.csv", overview.as_bytes()));
    assert_eq!(e, [format!("account_overview_analytics.csv:2:New follows: {want}")]);
}

#[test]
fn issue_12_youtube_period_likes_and_subscribers_are_net_changes() {
    let (name, bytes) = native_fixtures().into_iter().find(|(n, _)| n.ends_with("Table data.csv")).unwrap();
    let parsed = import(&name, &bytes).unwrap();
    let tour = parsed.dataset.post_metrics.iter().find(|m| m.post_id == "-xyz9876543").unwrap();
    assert_eq!((tour.follows, tour.reactions), (Some(-1), Some(-2)), "net changes are kept as they are");
    let negative_views = String::from_utf8(bytes).unwrap().replace(",350,10.25,", ",-350,10.25,");
    let e = errors(import(&name, negative_views.as_bytes()));
    assert!(e[0].ends_with(":Views: a count cannot be negative; write 0 or more, or leave it empty"), "{e:?}");
}

#[test]
fn issue_12_huge_values_are_errors_not_wrapped_numbers() {
    // 307445734.560000000 hours wrapped to 0 minutes, 153722867.280000000 to -9.2e9 minutes.
    for hours in ["307445734.560000000", "153722867.280000000"] {
        let text = format!("person,date,hours,task\nann,2025-01-14,{hours},content\n");
        let e = errors(import("time_entries.csv", text.as_bytes()));
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("time_entries.csv:2:hours: more than 24 hours"), "{e:?}");
    }
    let text = "channel,date,impressions\nx,2025-01-14,9223372036854775807\nx,2025-01-15,98\n";
    let e = errors(import("channel_days.csv", text.as_bytes()));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("channel_days.csv:2:impressions: \"9223372036854775807\" is implausibly large"), "{e:?}");
    let toggl = "User,Email,Description,Start date,Start time,End date,End time,Duration\n\
                 Ann,ann@example.com,Work,2025-01-01,09:00:00,2025-01-09,09:00:00,192:00:00\n";
    let e = errors(import("toggl.csv", toggl.as_bytes()));
    assert!(e[0].starts_with("toggl.csv:2:Duration: an entry of more than 168 hours"), "{e:?}");
}

#[test]
fn issue_12_a_file_cut_off_mid_row_is_an_error_for_every_format() {
    // The last record of a cut file imported with the cut cell's first digits (followers 4812 stored as 48).
    let text = "channel,date,followers,impressions\nlinkedin,2025-01-14,4811,300\nlinkedin,2025-01-15,48";
    let e = errors(import("channel_days.csv", text.as_bytes()));
    assert_eq!(
        e,
        ["channel_days.csv:3: the file looks truncated at row 3: its last row stops in the middle; download or \
          export the file again; nothing of a cut-off file is imported"]
    );
    let mut cut = 0;
    let mut files: Vec<(String, Vec<u8>)> = native_fixtures();
    for example in ["channels.csv", "posts.csv", "time_entries.csv", "deals.csv", "touchpoints.csv"] {
        files.push((example.to_string(), example_bytes(example)));
    }
    for (name, bytes) in files {
        // Meta's daily insight files are UTF-16 LE with a BOM: cut their text, written back the same way.
        let utf16 = bytes.starts_with(&[0xFF, 0xFE]);
        let text = match utf16 {
            true => {
                String::from_utf16(&bytes[2..].chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect::<Vec<_>>())
                    .unwrap()
            }
            false => String::from_utf8(bytes).unwrap(),
        };
        let body = text.trim_end_matches(['\r', '\n']);
        let last_line = body.rfind('\n').unwrap() + 1;
        // Cut in the middle of the last row, on a character boundary.
        let mut at = last_line + (body.len() - last_line) / 2;
        while !body.is_char_boundary(at) {
            at += 1;
        }
        let cut_bytes: Vec<u8> = match utf16 {
            true => [0xFF, 0xFE].into_iter().chain(body[..at].encode_utf16().flat_map(u16::to_le_bytes)).collect(),
            false => body.as_bytes()[..at].to_vec(),
        };
        let e = errors(import(&name, &cut_bytes));
        assert!(e.len() == 1 && e[0].contains("the file looks truncated at row"), "{name}: {e:?}");
        cut += 1;
    }
    assert!(cut >= 20);
}

#[test]
fn issue_12_a_column_named_twice_is_an_error() {
    let text = "channel,date,followers,followers\nlinkedin,2025-01-14,4811,4812\n";
    assert_eq!(
        errors(import("channel_days.csv", text.as_bytes())),
        ["channel_days.csv:1:followers: the column followers appears twice (columns 3 and 4); keep one of them and \
          import again"]
    );
    let toggl = "User,Email,Description,Start date,Start time,End date,End time,Duration,Duration\n\
                 Ann,ann@example.com,Work,2025-01-01,09:00:00,2025-01-01,10:00:00,01:00:00,02:00:00\n";
    let e = errors(import("toggl.csv", toggl.as_bytes()));
    assert!(e[0].starts_with("toggl.csv:1:Duration: the column Duration appears twice"), "{e:?}");
    // Native exports too, for every column a format reads; Meta's two `Views` are known and read on purpose.
    let x = "Post id,Date,Post text,Link,Impressions,Likes,Engagements,Impressions\n\
             1,Tue Jan 14 2025,hi,https://x.com/acme/status/1,10,1,3,5000\n";
    let e = errors(import("account_analytics_content_2025-01-01_2025-01-31.csv", x.as_bytes()));
    assert_eq!(
        e,
        ["account_analytics_content_2025-01-01_2025-01-31.csv:1:Impressions: the column Impressions appears twice \
          (columns 5 and 8); keep one of them and import again"]
    );
}

#[test]
fn issue_12_an_edited_tracker_entry_keeps_its_key() {
    // Project and tags added to an entry between two overlapping downloads: the second download must replace the
    // entry, so its key may not depend on them.
    for name in
        ["Toggl_time_entries_2025-01-01_to_2025-01-31.csv", "Clockify_Time_Report_Detailed_01_01_2025-31_01_2025.csv"]
    {
        let (_, bytes) = native_fixtures().into_iter().find(|(n, _)| n == name).unwrap();
        let first = import(name, &bytes).unwrap();
        let edited = String::from_utf8(bytes)
            .unwrap()
            .replace("Write launch post", "Write the launch post (edited)")
            .replace("Edit the tour video", "Edit the office tour video")
            .replace("\"video\"", "\"video,edited\"")
            .replace("Newsletter,,January issue", "Newsletter 2025,,January issue");
        let second = import(name, edited.as_bytes()).unwrap();
        let keys = |p: &Parsed| p.dataset.time_entries.iter().map(|e| e.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&first), keys(&second), "{name}");
        assert_ne!(first.dataset.time_entries, second.dataset.time_entries, "{name}: the edit is not in the test");
    }
}

#[test]
fn issue_12_an_unknown_format_error_shows_no_control_bytes() {
    let text = b"\x1b[2J\x1b[31mevil\x07,\xff\xfecol\x9b\n1,2\n";
    let e = errors(import("evil.csv", text));
    assert!(e[0].starts_with("evil.csv: not a format socialledger knows"), "{e:?}");
    assert!(!e[0].chars().any(|c| c.is_control() && c != '\n'), "{:?}", e[0]);
    assert!(e[0].contains("\\u{1b}[2J"), "{:?}", e[0]);
}

#[test]
fn issue_15_post_line_breaks_are_the_same_from_xls_and_xlsx() {
    // The .xls stores the text's CRLF and lone CR as they are; Excel's .xlsx escapes CR as `_x000D_` (an XML reader
    // turns a literal CR into LF, so the escape is what keeps it).
    let with_title = |title: &'static str| {
        let mut sheets = workbooks::linkedin_content_sheets();
        sheets[1].1[2][0] = title;
        sheets
    };
    let xls = workbooks::xls(&with_title("Launch\r\n\r\nthe new release\rtoday"));
    let posts = with_title("Launch_x000D_\n_x000D_\nthe new release_x000D_today");
    let xlsx = workbooks::xlsx(posts[1].0, &posts[1].1);
    let text = |name: &str, bytes: &[u8]| {
        let parsed = import(name, bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        parsed.dataset.posts[0].text.clone().unwrap()
    };
    let want = "Launch\n\nthe new release\ntoday";
    assert_eq!(text("acme_content_1736900000000.xls", &xls), want);
    assert_eq!(text("acme_content_1736900000000.xlsx", &xlsx), want);
}
