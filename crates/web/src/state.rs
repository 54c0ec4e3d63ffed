//! What every request handler shares: the store, the configuration and the stored analyses this server has parsed
//! (nothing per-process that another server would need: the parsed copies are checked against the database on
//! every request, see [`ParsedAnalyses`]).

use crate::analyses::ParsedAnalyses;
use crate::WebConfig;
use socialledger_store::Store;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub parsed: Arc<ParsedAnalyses>,
}
