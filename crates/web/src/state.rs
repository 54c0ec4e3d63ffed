//! What every request handler shares: the store and the configuration (nothing per-process that another server
//! would need).

use crate::WebConfig;
use socialledger_store::Store;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
}
