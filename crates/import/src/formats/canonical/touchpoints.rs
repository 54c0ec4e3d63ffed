//! `touchpoints.csv`: dated interactions of contacts or accounts with channels, the raw material of journeys.
//! Built for files of a million rows: columns resolved once, vocabularies and UTM mappings cached per distinct
//! value, timestamps in `...Z` form parsed on a fast path.

use super::{canonical_format, channel_key, EnumCache, FastMap, HashKeys, SeenKeys, Spec};
use crate::parse::TsFormat;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::canonical::columns;
use socialledger_domain::{Dataset, TouchKind, Touchpoint};

pub const SPEC: Spec = Spec {
    name: "canonical-touchpoints",
    description: "socialledger touchpoints.csv: contact/account, timestamp, channel or UTM, kind, campaign, ...",
    required: &["timestamp"],
    any_of: &["contact_id", "account_id"],
    excluded: &[],
    columns: columns::TOUCHPOINTS,
};

/// The canonical touchpoints format.
#[derive(Debug, Clone, Copy)]
pub struct Touchpoints;
canonical_format!(Touchpoints);

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = SPEC.headed(file, errs) else {
        return ds;
    };
    let (c_id, c_contact, c_account, c_deal) =
        (h.col("touchpoint_id"), h.col("contact_id"), h.col("account_id"), h.col("deal_id"));
    let (c_at, c_channel, c_kind, c_campaign) =
        (h.col("timestamp"), h.col("channel"), h.col("kind"), h.col("campaign"));
    let (c_post, c_source, c_medium, c_ucampaign) =
        (h.col("post_id"), h.col("utm_source"), h.col("utm_medium"), h.col("utm_campaign"));
    let mut kinds = EnumCache::<TouchKind>::default();
    let mut utm: FastMap<String, FastMap<String, Result<String, String>>> = FastMap::default();
    let mut seen = SeenKeys::default();
    let mut hashes = HashKeys::default();
    ds.touchpoints.reserve(h.data().len());
    let owned = |s: &str| (!s.is_empty()).then(|| s.to_string());
    h.for_each_row(file, opts, errs, |r| {
        let (contact, account) = (r.cell(c_contact), r.cell(c_account));
        if contact.is_empty() && account.is_empty() {
            r.error(
                c_contact.or(c_account),
                "neither contact_id nor account_id is filled",
                Some("a touchpoint belongs to a contact or an account; fill one of them".into()),
            );
        }
        let at = r.req_timestamp(c_at, &[TsFormat::Iso]);
        let kind = match r.cell(c_kind) {
            "" => {
                r.error(c_kind, "kind is empty", Some("this column is required".into()));
                None
            }
            text => match kinds.parse(text) {
                Ok(k) => Some(k),
                Err(message) => {
                    r.error(c_kind, message, None);
                    None
                }
            },
        };
        let (source, medium) = (r.cell(c_source), r.cell(c_medium));
        let channel = match r.cell(c_channel) {
            "" if source.is_empty() && medium.is_empty() => {
                r.error(
                    c_channel,
                    "neither channel nor utm_source/utm_medium is filled",
                    Some("write the channel key, or the UTM source and medium it is derived from (docs/utm.md)".into()),
                );
                None
            }
            "" => {
                if !utm.get(source).is_some_and(|m| m.contains_key(medium)) {
                    let mapped = opts.utm_rules.channel_for(Some(source), Some(medium)).map(str::to_string);
                    utm.entry(source.to_string()).or_default().insert(medium.to_string(), mapped);
                }
                match &utm[source][medium] {
                    Ok(key) => Some(key.clone()),
                    Err(message) => {
                        let message = message.clone();
                        r.error(c_source, message, None);
                        None
                    }
                }
            }
            key => Some(channel_key(key)),
        };
        let id = r.cell(c_id);
        if !id.is_empty() {
            seen.check(id.to_string(), || format!("touchpoint_id {id}"), r, c_id);
        }
        let (Some(at), Some(kind), Some(channel), false) = (at, kind, channel, r.failed()) else { return };
        let (deal, campaign, post) = (r.cell(c_deal), r.cell(c_campaign), r.cell(c_post));
        let ucampaign = r.cell(c_ucampaign);
        let key = if id.is_empty() {
            // The instant as seconds.nanoseconds since 1970: the same for every way of writing it.
            let at_text = format!("{}.{:09}", at.timestamp(), at.timestamp_subsec_nanos());
            hashes.key(
                "tp",
                &[contact, account, deal, &at_text, &channel, kind.as_str(), campaign, post, source, medium, ucampaign],
            )
        } else {
            id.to_string()
        };
        ds.touchpoints.push(Touchpoint {
            key,
            contact: owned(contact),
            account: owned(account),
            deal: owned(deal),
            at,
            channel,
            kind,
            campaign: owned(campaign),
            post_ref: owned(post),
            utm_source: owned(source),
            utm_medium: owned(medium),
            utm_campaign: owned(ucampaign),
        });
    });
    ds
}
