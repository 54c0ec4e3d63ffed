//! Which channel a platform export lands on: the account the export names (its handle, page name or page slug),
//! or, when it names none, the one channel of that network that it can belong to; the user decides with
//! `--channel KEY` when several could. The rules, per format, are in docs/sources.md ("Channel identity").

use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{AccountKind, Channel, ChannelKind, Network};

/// Lower-case ASCII letters and digits, every other run of characters one `-`, none at the ends
/// (`"Lisa DeBruine"` -> `lisa-debruine`, `"@rOpenSci"` -> `ropensci`).
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// What a user put before a platform's fixed file name to tell downloads apart
/// (`kaiadevintern_account_overview_analytics.csv` -> `kaiadevintern`): the account's handle, by the convention
/// docs/sources.md states. `None` for the plain name, or a browser's copy (`account_overview_analytics (1).csv`).
pub fn name_prefix<'a>(file_name: &'a str, marker: &str) -> Option<&'a str> {
    let at = file_name.to_ascii_lowercase().find(marker)?;
    let prefix = file_name[..at].trim_end_matches(['_', '-', ' ', '.']).trim();
    (!prefix.is_empty()).then_some(prefix)
}

/// A handle as compared: trimmed, without `@`, lower case; `None` when empty.
fn norm(handle: Option<&str>) -> Option<String> {
    handle.map(|h| h.trim().trim_start_matches('@').to_lowercase()).filter(|h| !h.is_empty())
}

/// What an export tells about the account it comes from.
#[derive(Debug, Clone, Copy)]
pub struct AccountClue<'a> {
    pub network: Network,
    /// Page or personal profile, where the network has both (LinkedIn); `None` for networks with one kind.
    pub account: Option<AccountKind>,
    /// The account's handle, page name or page slug as the file's content names it (post links, a `Page name`
    /// column). It decides whenever it is there.
    pub from_content: Option<&'a str>,
    /// The same, taken from the file name (`tweet_activity_metrics_<handle>_…`, `<page-slug>_content_…`,
    /// `<handle>_account_overview_analytics.csv`): used only when the content names no account.
    pub from_file_name: Option<&'a str>,
    /// The name of a new channel when no handle is known (`LinkedIn profile`).
    pub display_name: &'a str,
}

impl<'a> AccountClue<'a> {
    /// A clue with only the network (and account kind) known.
    pub fn new(network: Network, account: Option<AccountKind>, display_name: &'a str) -> Self {
        AccountClue { network, account, from_content: None, from_file_name: None, display_name }
    }
    pub fn content(self, handle: Option<&'a str>) -> Self {
        AccountClue { from_content: handle, ..self }
    }
    pub fn file_name(self, handle: Option<&'a str>) -> Self {
        AccountClue { from_file_name: handle, ..self }
    }
    /// The handle that decides: the content's, else the file name's.
    pub fn handle(&self) -> Option<&'a str> {
        let clean = |h: Option<&'a str>| h.map(|h| h.trim().trim_start_matches('@')).filter(|h| !h.is_empty());
        clean(self.from_content).or_else(|| clean(self.from_file_name))
    }
}

/// Several channels could be the account of an export that names none: the user must choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmbiguousChannel {
    pub network: Network,
    /// The candidates' keys with their handles, sorted by key.
    pub candidates: Vec<(String, Option<String>)>,
}

impl AmbiguousChannel {
    /// What is wrong: the candidates, each with its handle.
    pub fn message(&self) -> String {
        let list: Vec<String> = self
            .candidates
            .iter()
            .map(|(key, handle)| match handle {
                Some(h) => format!("{key} (@{h})"),
                None => key.clone(),
            })
            .collect();
        format!(
            "the file does not name its {} account, and {} channels could be it: {}",
            self.network,
            list.len(),
            list.join(", ")
        )
    }

    /// What to do: `--channel KEY`.
    pub fn hint(&self) -> String {
        let example = self.candidates.first().map_or("KEY", |(k, _)| k.as_str());
        format!(
            "import it again with --channel KEY naming one of them (for example --channel {example}), or a new key \
             for another account"
        )
    }

    /// The error of `file` (row 1: the file as a whole).
    pub fn report(&self, file: &SourceFile, errs: &mut ErrorSink) {
        errs.report(&file.display_name, None, 1, None, self.message(), Some(self.hint()));
    }
}

/// The channel of an export, or the error in `errs` (then `None`): [`resolve_channel`] for a file.
pub fn file_channel(
    file: &SourceFile,
    clue: AccountClue<'_>,
    opts: &ImportOptions,
    errs: &mut ErrorSink,
) -> Option<Channel> {
    match resolve_channel(clue, opts) {
        Ok(c) => Some(c),
        Err(e) => {
            e.report(file, errs);
            None
        }
    }
}

/// True when an existing channel may be the account of `clue`: a non-paid channel of the same network (or the
/// channel keyed by the network's name with no network yet: declared in channels.csv, or a placeholder that
/// records referred to), of the same account kind when both kinds are known.
fn may_be(c: &Channel, clue: &AccountClue<'_>) -> bool {
    let network = match c.network {
        Some(n) => n == clue.network && c.kind != ChannelKind::PaidSocial,
        None => c.key == clue.network.as_str() && c.handle.is_none(),
    };
    let account = match (c.account, clue.account) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    network && account
}

/// The organic social channel of the account an export comes from. Rules, in order:
/// 1. `opts.channel` (`--channel KEY`) when set: that key (the existing channel with that key if there is one,
///    with its network, handle and account kind filled in where it has none);
/// 2. only channels that may be this account are considered: same network (paid channels excluded), same account
///    kind where both are known (a LinkedIn personal profile never lands on a company page, nor the reverse);
/// 3. when the export names its account ([`AccountClue::handle`]: the content's, else the file name's):
///    the channel with that handle (case-insensitive, without `@`); else the channel that handle's channel was
///    merged into (`opts.channel_aliases`); else the one and only channel of the
///    network if it has no handle yet (it is claimed: it keeps its key, name and kind and gets the handle); else a
///    new channel: two accounts are never one;
/// 4. when it names none: the one channel of the network; none: a new channel; several: an
///    [`AmbiguousChannel`] error (the user passes `--channel KEY`).
///
/// A new channel is keyed by the network's name (`linkedin`) when that key is free, else `network-handle`
/// slugged (`x-lisadebruine`), else `network-profile`/`network-page` by account kind, else `network-2`, with
/// `-2`, `-3`, ... appended while the key is taken.
pub fn resolve_channel(clue: AccountClue<'_>, opts: &ImportOptions) -> Result<Channel, AmbiguousChannel> {
    let network = clue.network;
    let handle = clue.handle();
    let claim = |c: &Channel| Channel {
        network: c.network.or(Some(network)),
        handle: c.handle.clone().or_else(|| handle.map(str::to_string)),
        account: c.account.or(clue.account),
        kind: if c.kind == ChannelKind::Other { ChannelKind::OrganicSocial } else { c.kind },
        ..c.clone()
    };
    let existing = &opts.existing_channels;
    if let Some(key) = opts.channel.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        return Ok(match existing.iter().find(|c| c.key == key) {
            Some(c) if c.network.is_none_or(|n| n == network) => claim(c),
            Some(c) => c.clone(),
            None => fresh(key.to_string(), &clue),
        });
    }
    let candidates: Vec<&Channel> = existing.iter().filter(|c| may_be(c, &clue)).collect();
    if handle.is_some() {
        if let Some(c) = candidates.iter().find(|c| norm(c.handle.as_deref()) == norm(handle)) {
            return Ok(claim(c));
        }
        // A handle of an account that was merged into another channel (`channels merge`).
        let alias =
            opts.channel_aliases.iter().find(|a| a.network == network && Some(&a.handle) == norm(handle).as_ref());
        if let Some(c) = alias.and_then(|a| candidates.iter().find(|c| c.key == a.channel)) {
            return Ok(claim(c));
        }
        if let [only] = candidates[..] {
            if only.handle.is_none() {
                return Ok(claim(only));
            }
        }
    } else {
        match candidates[..] {
            [] => {}
            [only] => return Ok(claim(only)),
            _ => {
                return Err(AmbiguousChannel {
                    network,
                    candidates: candidates.iter().map(|c| (c.key.clone(), c.handle.clone())).collect(),
                })
            }
        }
    }
    let taken = |key: &str| existing.iter().any(|c| c.key == key);
    let base = network.as_str().to_string();
    if !taken(&base) {
        return Ok(fresh(base, &clue));
    }
    let suffix = match handle.map(slug).filter(|s| !s.is_empty()) {
        Some(s) => s,
        None => clue.account.map_or("2", |a| a.as_str()).to_string(),
    };
    let first = format!("{base}-{suffix}");
    let mut key = first.clone();
    let mut n = 2;
    while taken(&key) {
        key = format!("{first}-{n}");
        n += 1;
    }
    Ok(fresh(key, &clue))
}

/// A new organic social channel for the account of `clue`, named after its handle, else the clue's display name.
fn fresh(key: String, clue: &AccountClue<'_>) -> Channel {
    let handle = clue.handle();
    let name = match (handle, clue.display_name.trim()) {
        (Some(h), _) => h,
        (None, "") => clue.network.as_str(),
        (None, name) => name,
    };
    Channel {
        key,
        name: name.to_string(),
        kind: ChannelKind::OrganicSocial,
        network: Some(clue.network),
        handle: handle.map(str::to_string),
        account: clue.account,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use socialledger_domain::ChannelAlias;

    fn channel(key: &str, network: Network, handle: Option<&str>) -> Channel {
        Channel {
            key: key.into(),
            name: key.into(),
            kind: ChannelKind::OrganicSocial,
            network: Some(network),
            handle: handle.map(Into::into),
            account: None,
        }
    }

    fn with(channels: Vec<Channel>) -> ImportOptions {
        ImportOptions { existing_channels: channels, ..Default::default() }
    }

    fn x(handle: Option<&str>) -> AccountClue<'_> {
        AccountClue::new(Network::X, None, "X").content(handle)
    }

    fn key(clue: AccountClue<'_>, opts: &ImportOptions) -> String {
        resolve_channel(clue, opts).unwrap().key
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Lisa DeBruine"), "lisa-debruine");
        assert_eq!(slug("@rOpenSci"), "ropensci");
        assert_eq!(slug("  pro--efficient data_entry! "), "pro-efficient-data-entry");
        assert_eq!(slug("دورلي - doorly"), "doorly");
    }

    #[test]
    fn name_prefixes() {
        assert_eq!(name_prefix("koe_account_overview_analytics.csv", "account_overview_analytics"), Some("koe"));
        assert_eq!(name_prefix("account_overview_analytics.csv", "account_overview_analytics"), None);
        assert_eq!(name_prefix("account_overview_analytics (1).csv", "account_overview_analytics"), None);
        assert_eq!(name_prefix("Acme-Account_Overview_Analytics.csv", "account_overview_analytics"), Some("Acme"));
        assert_eq!(name_prefix("overview.csv", "account_overview_analytics"), None);
    }

    #[test]
    fn first_account_of_a_network_gets_the_network_key() {
        let clue =
            AccountClue::new(Network::LinkedIn, Some(AccountKind::Page), "LinkedIn page").file_name(Some("doorly"));
        let c = resolve_channel(clue, &ImportOptions::default()).unwrap();
        assert_eq!(c.key, "linkedin");
        assert_eq!(c.kind, ChannelKind::OrganicSocial);
        assert_eq!(c.network, Some(Network::LinkedIn));
        assert_eq!(c.handle.as_deref(), Some("doorly"));
        assert_eq!(c.account, Some(AccountKind::Page));
        assert_eq!(c.name, "doorly");
    }

    #[test]
    fn the_same_account_lands_where_it_landed_before() {
        let opts = with(vec![channel("x-main", Network::X, Some("rOpenSci"))]);
        assert_eq!(key(x(Some("@ropensci")), &opts), "x-main");
    }

    #[test]
    fn the_content_decides_before_the_file_name() {
        let opts = with(vec![channel("x", Network::X, Some("a")), channel("x-b", Network::X, Some("b"))]);
        assert_eq!(key(x(Some("b")).file_name(Some("a")), &opts), "x-b");
        assert_eq!(key(x(None).file_name(Some("a")), &opts), "x");
    }

    #[test]
    fn a_second_account_gets_network_and_handle() {
        let opts = with(vec![channel("x", Network::X, Some("rOpenSci"))]);
        assert_eq!(key(x(Some("LisaDeBruine")), &opts), "x-lisadebruine");
        // The network key is free on another network.
        let li = AccountClue::new(Network::LinkedIn, None, "LinkedIn").content(Some("LisaDeBruine"));
        assert_eq!(key(li, &opts), "linkedin");
    }

    #[test]
    fn a_handle_less_export_joins_the_one_account_of_its_network() {
        let opts = with(vec![channel("x", Network::X, Some("rOpenSci")), channel("linkedin", Network::LinkedIn, None)]);
        assert_eq!(key(x(None), &opts), "x");
        // With none, it makes the network's channel.
        assert_eq!(key(x(None), &with(vec![])), "x");
    }

    #[test]
    fn a_handle_less_export_with_several_candidates_asks_the_user() {
        let opts = with(vec![channel("x", Network::X, Some("a")), channel("x-b", Network::X, Some("b"))]);
        let err = resolve_channel(x(None), &opts).unwrap_err();
        assert_eq!(
            err.candidates,
            [("x".to_string(), Some("a".to_string())), ("x-b".to_string(), Some("b".to_string()))]
        );
        assert_eq!(err.message(), "the file does not name its x account, and 2 channels could be it: x (@a), x-b (@b)");
        assert!(err.hint().contains("--channel KEY"), "{}", err.hint());
        // --channel decides.
        let opts = ImportOptions { channel: Some("x-b".into()), ..opts };
        assert_eq!(key(x(None), &opts), "x-b");
    }

    #[test]
    fn a_named_account_claims_the_one_channel_without_handle_only_when_it_is_alone() {
        let opts = with(vec![channel("x", Network::X, None)]);
        let c = resolve_channel(x(Some("a")), &opts).unwrap();
        assert_eq!((c.key.as_str(), c.handle.as_deref()), ("x", Some("a")));
        // Beside an account with a handle, the handle-less channel may be that account's: not claimed.
        let opts = with(vec![channel("x", Network::X, None), channel("x-b", Network::X, Some("b"))]);
        assert_eq!(key(x(Some("c")), &opts), "x-c");
    }

    #[test]
    fn profiles_and_pages_are_different_channels() {
        let page =
            Channel { account: Some(AccountKind::Page), ..channel("linkedin", Network::LinkedIn, Some("doorly")) };
        let profile = AccountClue::new(Network::LinkedIn, Some(AccountKind::Profile), "LinkedIn profile");
        let c = resolve_channel(profile, &with(vec![page.clone()])).unwrap();
        assert_eq!((c.key.as_str(), c.account), ("linkedin-profile", Some(AccountKind::Profile)));
        // And the page export does not land on the profile.
        let profile_first =
            Channel { account: Some(AccountKind::Profile), ..channel("linkedin", Network::LinkedIn, None) };
        let page_clue = AccountClue::new(Network::LinkedIn, Some(AccountKind::Page), "LinkedIn page");
        assert_eq!(key(page_clue, &with(vec![profile_first.clone()])), "linkedin-page");
        assert_eq!(key(page_clue.file_name(Some("doorly")), &with(vec![profile_first])), "linkedin-doorly");
    }

    #[test]
    fn paid_channels_are_not_candidates() {
        let ads = Channel { kind: ChannelKind::PaidSocial, ..channel("meta-ads", Network::Facebook, None) };
        let page = AccountClue::new(Network::Facebook, Some(AccountKind::Page), "Facebook page");
        assert_eq!(key(page, &with(vec![ads])), "facebook");
    }

    #[test]
    fn a_merged_away_handle_lands_on_the_channel_it_was_merged_into() {
        let mut opts = with(vec![channel("x", Network::X, Some("acme")), channel("x-b", Network::X, Some("b"))]);
        opts.channel_aliases =
            vec![ChannelAlias { network: Network::X, handle: "acme-old".into(), channel: "x".into() }];
        assert_eq!(key(x(Some("@Acme-Old")), &opts), "x");
        // Not on another network.
        let li = AccountClue::new(Network::LinkedIn, None, "LinkedIn").content(Some("acme-old"));
        assert_eq!(key(li, &opts), "linkedin");
    }

    #[test]
    fn taken_derived_keys_get_a_number() {
        let opts = with(vec![channel("x", Network::X, Some("a")), channel("x-b", Network::Mastodon, Some("b"))]);
        assert_eq!(key(x(Some("b")), &opts), "x-b-2");
    }

    #[test]
    fn the_channel_option_wins() {
        let mut opts = ImportOptions {
            channel: Some("linkedin-hr".into()),
            existing_channels: vec![channel("linkedin", Network::LinkedIn, Some("doorly"))],
            ..Default::default()
        };
        let li = |h| AccountClue::new(Network::LinkedIn, None, "LinkedIn").content(Some(h));
        let c = resolve_channel(li("doorly"), &opts).unwrap();
        assert_eq!((c.key.as_str(), c.network), ("linkedin-hr", Some(Network::LinkedIn)));
        opts.channel = Some("linkedin".into());
        assert_eq!(resolve_channel(li("other"), &opts).unwrap(), opts.existing_channels[0]);
    }

    #[test]
    fn a_declared_channel_without_handle_is_claimed_by_the_first_export() {
        let declared =
            Channel { name: "Our LinkedIn page".into(), network: None, ..channel("linkedin", Network::LinkedIn, None) };
        let clue =
            AccountClue::new(Network::LinkedIn, Some(AccountKind::Page), "LinkedIn page").file_name(Some("doorly"));
        let c = resolve_channel(clue, &with(vec![declared])).unwrap();
        assert_eq!(c.key, "linkedin");
        assert_eq!(c.name, "Our LinkedIn page", "the declared name is kept");
        assert_eq!(c.handle.as_deref(), Some("doorly"));
        assert_eq!(c.network, Some(Network::LinkedIn));
        // Once claimed, another page goes to its own key.
        let acme =
            AccountClue::new(Network::LinkedIn, Some(AccountKind::Page), "LinkedIn page").file_name(Some("acme"));
        assert_eq!(key(acme, &with(vec![c])), "linkedin-acme");
    }
}
