//! Integration tests of socialledger-import: the shipped canonical examples, rejected files, encodings and line
//! endings, and spreadsheets read through the public API. One test binary; one module per concern.

#[path = "import/audience.rs"]
mod audience;
#[path = "import/competitors.rs"]
mod competitors;
#[path = "import/examples.rs"]
mod examples;
#[path = "import/fuzz.rs"]
mod fuzz;
#[path = "import/identity.rs"]
mod identity;
#[path = "import/meta.rs"]
mod meta;
#[path = "import/native_social.rs"]
mod native_social;
#[path = "import/native_web_time_crm.rs"]
mod native_web_time_crm;
#[path = "import/rejects.rs"]
mod rejects;
#[path = "import/robustness.rs"]
mod robustness;
#[path = "import/sheets.rs"]
mod sheets;
#[path = "import/support.rs"]
mod support;
#[path = "import/tiktok.rs"]
mod tiktok;
#[path = "import/variants.rs"]
mod variants;
#[path = "import/workbooks.rs"]
mod workbooks;
