//! `touchpoints.csv`: dated interactions of contacts or accounts with channels, the raw material of journeys.
//! Built for files of a million rows: columns resolved once, vocabularies and UTM mappings cached per distinct
//! value, timestamps in `...Z` form parsed on a fast path.

use super::{canonical_format, channel_key, EnumCache, FastMap, HashKeys, SeenKeys, Spec};
use crate::parse::TsFormat;
use crate::read::{Headed, Row};
use crate::{CellError, ErrorSink, ImportOptions, SourceFile};
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
    let mut mapper = Mapper::new(&h, Keys::InMemory { seen: SeenKeys::default(), hashes: HashKeys::default() });
    ds.touchpoints.reserve(h.data().len());
    h.for_each_row(file, opts, errs, |r| {
        if let Some((tp, _)) = mapper.map(r) {
            ds.touchpoints.push(tp);
        }
    });
    ds
}

/// How a [`Mapper`] makes keys unique within the file.
#[derive(Debug)]
pub(crate) enum Keys {
    /// Remembers every key of the file: a `touchpoint_id` used twice is an error, identical rows without one get
    /// their occurrence number mixed into the hash (see [`HashKeys`]).
    InMemory { seen: SeenKeys<String>, hashes: HashKeys },
    /// Remembers nothing (bounded memory): rows without an id get the key of their first occurrence, and the
    /// caller resolves repeats against the keys already written (the store's streaming import, see
    /// [`crate::stream`]), with [`duplicate_id`] and [`derived_key`].
    Deferred,
}

/// Maps rows of a canonical touchpoints file onto [`Touchpoint`]s: columns resolved once, vocabularies and UTM
/// mappings cached per distinct value. Shared by the whole-file parse and the streaming reader.
#[derive(Debug)]
pub(crate) struct Mapper {
    cols: [Option<usize>; 12],
    kinds: EnumCache<TouchKind>,
    utm: FastMap<String, FastMap<String, Result<String, String>>>,
    keys: Keys,
}

impl Mapper {
    pub(crate) fn new(h: &Headed<'_>, keys: Keys) -> Mapper {
        // The canonical columns in their documented order, which the field indexes below follow.
        const _: () = assert!(columns::TOUCHPOINTS.len() == 12);
        let cols = std::array::from_fn(|i| h.col(columns::TOUCHPOINTS[i]));
        Mapper { cols, kinds: EnumCache::default(), utm: FastMap::default(), keys }
    }

    /// The row's touchpoint and whether its key was derived from its values (no `touchpoint_id`); `None` when
    /// the row has errors (reported on `r`).
    pub(crate) fn map(&mut self, r: &mut Row<'_>) -> Option<(Touchpoint, bool)> {
        let [c_id, c_contact, c_account, c_deal, c_at, c_channel, c_kind, c_campaign, c_post, c_source, c_medium, c_ucampaign] =
            self.cols;
        let owned = |s: &str| (!s.is_empty()).then(|| s.to_string());
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
            text => match self.kinds.parse(text) {
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
                let utm = &mut self.utm;
                if !utm.get(source).is_some_and(|m| m.contains_key(medium)) {
                    let mapped = r.opts().utm_rules.channel_for(Some(source), Some(medium)).map(str::to_string);
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
        if let (false, Keys::InMemory { seen, .. }) = (id.is_empty(), &mut self.keys) {
            seen.check(id.to_string(), || format!("touchpoint_id {id}"), r, c_id);
        }
        let (Some(at), Some(kind), Some(channel), false) = (at, kind, channel, r.failed()) else { return None };
        let (deal, campaign, post) = (r.cell(c_deal), r.cell(c_campaign), r.cell(c_post));
        let ucampaign = r.cell(c_ucampaign);
        let mut tp = Touchpoint {
            key: String::new(),
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
        };
        let derived = id.is_empty();
        tp.key = match (&mut self.keys, derived) {
            (_, false) => id.to_string(),
            (Keys::InMemory { hashes, .. }, true) => hashes.key(KEY_PREFIX, &hash_fields(&tp, &mut String::new())),
            (Keys::Deferred, true) => derived_key(&tp, 1),
        };
        Some((tp, derived))
    }
}

/// The prefix of keys derived from a row's values.
const KEY_PREFIX: &str = "tp";

/// The values a touchpoint without an id is keyed by, in hash order; `at_text` holds the instant as
/// seconds.nanoseconds since 1970 (the same for every way of writing it).
fn hash_fields<'a>(tp: &'a Touchpoint, at_text: &'a mut String) -> [&'a str; 11] {
    *at_text = format!("{}.{:09}", tp.at.timestamp(), tp.at.timestamp_subsec_nanos());
    let o = |v: &'a Option<String>| v.as_deref().unwrap_or("");
    [
        o(&tp.contact),
        o(&tp.account),
        o(&tp.deal),
        at_text.as_str(),
        &tp.channel,
        tp.kind.as_str(),
        o(&tp.campaign),
        o(&tp.post_ref),
        o(&tp.utm_source),
        o(&tp.utm_medium),
        o(&tp.utm_campaign),
    ]
}

/// The key of the `occurrence`-th (1-based) row with exactly `tp`'s values and no `touchpoint_id`: what
/// [`HashKeys::key`] gives that row when it sees the whole file.
pub fn derived_key(tp: &Touchpoint, occurrence: u32) -> String {
    HashKeys::key_at(KEY_PREFIX, &hash_fields(tp, &mut String::new()), occurrence)
}

/// The error for a `touchpoint_id` that an earlier line of the same file has already used, as the whole-file
/// parse reports it (see [`SeenKeys`]).
pub fn duplicate_id(file: &str, column: &str, id: &str, line: usize, first_line: usize) -> CellError {
    CellError {
        file: file.to_string(),
        sheet: None,
        row: line,
        column: Some(column.to_string()),
        message: format!("touchpoint_id {id} is also on line {first_line}"),
        hint: Some(SeenKeys::<String>::HINT.into()),
    }
}
