//! Which channel a platform export lands on: the user's `--channel`, the channel it landed on before, or a new
//! key derived from the network (and handle when the network key is taken).

use crate::ImportOptions;
use socialledger_domain::{Channel, ChannelKind, Network};

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

fn same_handle(a: Option<&str>, b: Option<&str>) -> bool {
    let norm = |h: Option<&str>| h.map(|h| h.trim().trim_start_matches('@').to_lowercase()).filter(|h| !h.is_empty());
    norm(a) == norm(b)
}

/// The organic social channel of an account on `network`. Rules, in order:
/// 1. `opts.channel` (`--channel KEY`) when set: that key (the existing channel with that key if there is one);
/// 2. the existing channel with the same network and handle (handles compare case-insensitively, without `@`);
/// 3. the existing channel keyed by the network's name that has no handle yet (declared in channels.csv or
///    created for time entries): it is claimed, keeping its key, name and kind;
/// 4. key = the network's name (`linkedin`) when no existing channel has that key;
/// 5. key = `network-handle` slugged (`x-lisadebruine`), or `network-display-name` when there is no handle,
///    with `-2`, `-3`, ... appended while the key is taken.
pub fn resolve_channel(network: Network, handle: Option<&str>, display_name: &str, opts: &ImportOptions) -> Channel {
    let handle = handle.map(|h| h.trim().trim_start_matches('@')).filter(|h| !h.is_empty());
    let fresh = |key: String| Channel {
        key,
        name: if display_name.trim().is_empty() {
            handle.unwrap_or(network.as_str()).to_string()
        } else {
            display_name.trim().to_string()
        },
        kind: ChannelKind::OrganicSocial,
        network: Some(network),
        handle: handle.map(str::to_string),
    };
    let existing = &opts.existing_channels;
    if let Some(key) = opts.channel.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        return match existing.iter().find(|c| c.key == key) {
            Some(c) => c.clone(),
            None => fresh(key.to_string()),
        };
    }
    if let Some(c) = existing.iter().find(|c| c.network == Some(network) && same_handle(c.handle.as_deref(), handle)) {
        return c.clone();
    }
    let base = network.as_str().to_string();
    // A channel declared without a handle (channels.csv, or one a time tracker named) is this account's channel:
    // the first export with a handle claims it, and keeps its key, name and kind.
    if let Some(c) =
        existing.iter().find(|c| c.key == base && c.network.is_none_or(|n| n == network) && c.handle.is_none())
    {
        return Channel { network: Some(network), handle: handle.map(str::to_string), ..c.clone() };
    }
    let taken = |key: &str| existing.iter().any(|c| c.key == key);
    if !taken(&base) {
        return fresh(base);
    }
    let suffix = slug(handle.unwrap_or(display_name));
    let first = if suffix.is_empty() { format!("{base}-2") } else { format!("{base}-{suffix}") };
    let mut key = first.clone();
    let mut n = 2;
    while taken(&key) {
        key = format!("{first}-{n}");
        n += 1;
    }
    fresh(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(key: &str, network: Network, handle: Option<&str>) -> Channel {
        Channel {
            key: key.into(),
            name: key.into(),
            kind: ChannelKind::OrganicSocial,
            network: Some(network),
            handle: handle.map(Into::into),
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Lisa DeBruine"), "lisa-debruine");
        assert_eq!(slug("@rOpenSci"), "ropensci");
        assert_eq!(slug("  pro--efficient data_entry! "), "pro-efficient-data-entry");
        assert_eq!(slug("دورلي - doorly"), "doorly");
    }

    #[test]
    fn first_account_of_a_network_gets_the_network_key() {
        let c = resolve_channel(Network::LinkedIn, Some("doorly"), "Doorly", &ImportOptions::default());
        assert_eq!(c.key, "linkedin");
        assert_eq!(c.kind, ChannelKind::OrganicSocial);
        assert_eq!(c.network, Some(Network::LinkedIn));
        assert_eq!(c.handle.as_deref(), Some("doorly"));
        assert_eq!(c.name, "Doorly");
    }

    #[test]
    fn the_same_account_lands_where_it_landed_before() {
        let opts = ImportOptions {
            existing_channels: vec![channel("x-main", Network::X, Some("rOpenSci"))],
            ..Default::default()
        };
        assert_eq!(resolve_channel(Network::X, Some("@ropensci"), "rOpenSci", &opts).key, "x-main");
    }

    #[test]
    fn a_second_account_gets_network_and_handle() {
        let opts =
            ImportOptions { existing_channels: vec![channel("x", Network::X, Some("rOpenSci"))], ..Default::default() };
        assert_eq!(resolve_channel(Network::X, Some("LisaDeBruine"), "Lisa", &opts).key, "x-lisadebruine");
        // The network key is free on another network.
        assert_eq!(resolve_channel(Network::LinkedIn, Some("LisaDeBruine"), "Lisa", &opts).key, "linkedin");
    }

    #[test]
    fn taken_derived_keys_get_a_number() {
        let opts = ImportOptions {
            existing_channels: vec![channel("x", Network::X, Some("a")), channel("x-b", Network::Mastodon, Some("b"))],
            ..Default::default()
        };
        assert_eq!(resolve_channel(Network::X, Some("b"), "B", &opts).key, "x-b-2");
        assert_eq!(resolve_channel(Network::X, None, "Company Page", &opts).key, "x-company-page");
    }

    #[test]
    fn the_channel_option_wins() {
        let mut opts = ImportOptions {
            channel: Some("linkedin-hr".into()),
            existing_channels: vec![channel("linkedin", Network::LinkedIn, Some("doorly"))],
            ..Default::default()
        };
        let c = resolve_channel(Network::LinkedIn, Some("doorly"), "Doorly", &opts);
        assert_eq!((c.key.as_str(), c.network), ("linkedin-hr", Some(Network::LinkedIn)));
        opts.channel = Some("linkedin".into());
        assert_eq!(resolve_channel(Network::LinkedIn, Some("other"), "Other", &opts), opts.existing_channels[0]);
    }

    #[test]
    fn a_declared_channel_without_handle_is_claimed_by_the_first_export() {
        let declared = Channel { name: "Our LinkedIn page".into(), ..channel("linkedin", Network::LinkedIn, None) };
        let opts = ImportOptions { existing_channels: vec![declared], ..Default::default() };
        let c = resolve_channel(Network::LinkedIn, Some("doorly"), "Doorly", &opts);
        assert_eq!(c.key, "linkedin");
        assert_eq!(c.name, "Our LinkedIn page", "the declared name is kept");
        assert_eq!(c.handle.as_deref(), Some("doorly"));
        // Once claimed, another account goes to its own key.
        let opts = ImportOptions { existing_channels: vec![c], ..Default::default() };
        assert_eq!(resolve_channel(Network::LinkedIn, Some("acme"), "Acme", &opts).key, "linkedin-acme");
    }
}
