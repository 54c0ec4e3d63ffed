//! The key/value settings table.

use crate::support::on_both;

#[tokio::test]
async fn settings_are_set_replaced_and_listed() {
    on_both("settings", |db| async move {
        let store = db.open().await;
        assert_eq!(store.settings_get("gross_margin").await.unwrap(), None);
        store.settings_set("gross_margin", "0.62").await.unwrap();
        store.settings_set("currency", "EUR").await.unwrap();
        store.settings_set("gross_margin", "0.65").await.unwrap();
        assert_eq!(store.settings_get("gross_margin").await.unwrap().as_deref(), Some("0.65"));
        assert_eq!(
            store.settings().await.unwrap(),
            [("currency".to_string(), "EUR".to_string()), ("gross_margin".to_string(), "0.65".to_string())]
        );
        // Settings survive reopening.
        store.close().await;
        let again = db.open().await;
        assert_eq!(again.settings_get("currency").await.unwrap().as_deref(), Some("EUR"));
    })
    .await;
}
