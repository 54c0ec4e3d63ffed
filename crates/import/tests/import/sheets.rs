//! Workbooks through the spreadsheet reader: one table per sheet, the header found below a description row,
//! spreadsheet row numbers, counts stored as floats read as whole numbers. Uses the real LinkedIn exports in
//! `../shared/data/exports/linkedin` (facts from its MANIFEST.md).

use crate::support::shared_exports;
use socialledger_import::parse::{parse_date, parse_i64, parse_rate, DateFormat};
use socialledger_import::read::{read_tables, Table};

fn workbook(name: &str) -> Vec<Table> {
    let path = shared_exports().join("linkedin").join(name);
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the shared exports must sit beside the repository)", path.display()));
    read_tables(name, &bytes).unwrap()
}

fn sheet<'t>(tables: &'t [Table], name: &str) -> &'t Table {
    tables.iter().find(|t| t.sheet.as_deref() == Some(name)).unwrap_or_else(|| panic!("no sheet {name}"))
}

#[test]
fn native_content_export_has_its_header_below_a_description_row() {
    socialledger_testkit::needs_shared_data!();
    let tables = workbook("doorly_content_1774355108388.xls");
    let names: Vec<&str> = tables.iter().filter_map(|t| t.sheet.as_deref()).collect();
    assert_eq!(names, ["Metrics", "All posts"]);

    let metrics = sheet(&tables, "Metrics");
    let h = metrics.header(&["date", "impressions (total)"]).unwrap();
    assert_eq!(h.header_row, 1, "row 1 is the description");
    assert_eq!(h.header_line(), 2);
    assert!(metrics.rows[0].cell(0).starts_with("Aggregated engagement metrics"));
    assert_eq!(h.data().len(), 90);
    assert_eq!(h.data()[0].line, 3, "spreadsheet row numbers");
    let (date, organic, sponsored, total) = (
        h.col("Date").unwrap(),
        h.col("Impressions (organic)").unwrap(),
        h.col("Impressions (sponsored)").unwrap(),
        h.col("Impressions (total)").unwrap(),
    );
    let rate = h.col("Engagement rate (total)").unwrap();
    let parts: Vec<usize> = ["Clicks (total)", "Reactions (total)", "Comments (total)", "Reposts (total)"]
        .iter()
        .map(|c| h.col(c).unwrap())
        .collect();
    for row in h.data() {
        parse_date(row.cell(date), &[DateFormat::Us]).unwrap();
        for c in [organic, sponsored, total] {
            assert!(!row.cell(c).contains('.'), "a float count reads as a whole number: {:?}", row.cell(c));
        }
        let n = |c: usize| parse_i64(row.cell(c)).unwrap();
        assert_eq!(n(total), n(organic) + n(sponsored), "row {}", row.line);
        // Engagement rate (total) = (clicks + reactions + comments + reposts) / impressions, exact float64 here.
        if n(total) > 0 {
            let expected = parts.iter().map(|&c| n(c)).sum::<i64>() as f64 / n(total) as f64;
            assert!((parse_rate(row.cell(rate)).unwrap() - expected).abs() < 1e-12, "row {}", row.line);
        }
    }
    let posts = sheet(&tables, "All posts");
    let h = posts.header(&["Post title", "Impressions"]).unwrap();
    assert_eq!((h.header_line(), h.data().len()), (2, 3));
}

#[test]
fn re_saved_export_has_its_header_in_row_one() {
    socialledger_testkit::needs_shared_data!();
    let tables = workbook("pro-efficient-data-entry_content_1742193384396.xls");
    let metrics = sheet(&tables, "Metrics");
    let h = metrics.header(&["date", "impressions (total)"]).unwrap();
    assert_eq!((h.header_row, h.data().len()), (0, 30));
    let posts = sheet(&tables, "All posts");
    let h = posts.header(&["post title", "engagement rate"]).unwrap();
    assert_eq!(h.data().len(), 8);
    // Empty cells are empty strings, not 0 (Views, Follows).
    let views = h.col("Views").unwrap();
    assert!(h.data().iter().any(|r| r.cell(views).is_empty()));
}

#[test]
fn followers_export_reads_every_sheet() {
    socialledger_testkit::needs_shared_data!();
    let tables = workbook("doorly_followers_1774355119598.xls");
    let names: Vec<&str> = tables.iter().filter_map(|t| t.sheet.as_deref()).collect();
    assert_eq!(names, ["New followers", "Location", "Job function", "Seniority", "Industry", "Company size"]);
    let rows = |name: &str| sheet(&tables, name).header(&["total followers"]).unwrap().data().len();
    assert_eq!(
        [
            rows("New followers"),
            rows("Location"),
            rows("Job function"),
            rows("Seniority"),
            rows("Industry"),
            rows("Company size")
        ],
        [90, 17, 24, 9, 72, 8]
    );
    let new = sheet(&tables, "New followers").header(&["total followers"]).unwrap();
    let total = new.col("Total followers").unwrap();
    let gained: i64 = new.data().iter().map(|r| parse_i64(r.cell(total)).unwrap()).sum();
    assert_eq!(gained, 16, "MANIFEST: the sum of Total followers over the file is 16");
}
