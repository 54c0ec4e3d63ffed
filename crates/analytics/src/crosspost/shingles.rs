//! A post's text as a set: normalisation, then hashed character shingles, and the exact Jaccard index of two sets.
//!
//! **Normalisation** (what two posts may differ in and still be "the same text"; docs/crossposting.md):
//! * HTML entities of the X exports (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`, `&apos;`, `&nbsp;`) become their
//!   characters, so an X copy does not differ from the LinkedIn original by its escaping.
//! * Links are dropped (tokens with `://`, starting with `www.`, or a `domain.tld/path` such as `lnkd.in/x`):
//!   every network gets its own shortened or UTM-tagged link, and a changed link is not tailoring.
//! * Mentions (`@handle`) are dropped: the same company has another handle on each network.
//! * Hashtags lose the `#` and keep the word: the word is content ("#analytics" inside a sentence is the word
//!   analytics), and per-network hashtags are a (small) part of tailoring, so they count as any other word.
//! * Case is folded (Unicode lower case) and everything that is neither a letter nor a digit (punctuation, emoji,
//!   line breaks) is dropped, words joined by one space: tools that push a post everywhere rewrap lines and
//!   strip or convert emoji.
//!
//! **Shingles.** Every window of [`SHINGLE_CHARS`] consecutive characters of the normalised text (a text shorter
//! than that is one shingle), hashed to 32 bits. Character shingles rather than word shingles because posts are
//! short (a tweet has 20 words, so one changed word moves a word-3-shingle Jaccard by a tenth); five characters is
//! the usual choice for short documents (Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, ch. 3.2).
//! 32-bit hashes keep 100,000 posts' sets in memory; two different shingles of two posts collide with probability
//! about `|A|·|B| / 2^32` (5e-6 for two 150-character posts), which moves a Jaccard index by nothing visible.

/// Characters per shingle.
pub const SHINGLE_CHARS: usize = 5;

/// The text as the audit compares it (see the module documentation). Empty when nothing comparable is left (a
/// post of only a link, mentions or emoji).
pub fn normalize(text: &str) -> String {
    let decoded = decode_entities(text);
    let mut out = String::with_capacity(decoded.len());
    for token in decoded.split_whitespace() {
        if token.starts_with('@') || is_link(token) {
            continue;
        }
        let start = out.len();
        if start > 0 {
            out.push(' ');
        }
        let mut kept = false;
        let word = token.trim_start_matches('#');
        if word.is_ascii() {
            // The common case, without Unicode tables.
            for b in word.bytes().filter(u8::is_ascii_alphanumeric) {
                out.push(char::from(b.to_ascii_lowercase()));
                kept = true;
            }
        } else {
            // Lower case first, then filter: some capitals lower-case to a letter plus a combining mark ('İ').
            for c in word.chars().flat_map(char::to_lowercase).filter(|c| c.is_alphanumeric()) {
                out.push(c);
                kept = true;
            }
        }
        if !kept {
            out.truncate(start);
        }
    }
    out
}

/// True for a token that is a link: a scheme (`https://`), `www.`, or `host.tld/...` (shorteners such as
/// `lnkd.in/abc` or `bit.ly/x`, which platforms print without a scheme).
fn is_link(token: &str) -> bool {
    let lower = token.to_ascii_lowercase();
    let t = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    if t.contains("://") || t.starts_with("www.") {
        return true;
    }
    match t.find('/') {
        Some(slash) => {
            let host = &t[..slash];
            match host.rfind('.') {
                Some(dot) => {
                    dot > 0 && host[dot + 1..].len() >= 2 && host[dot + 1..].chars().all(|c| c.is_ascii_alphabetic())
                }
                None => false,
            }
        }
        None => false,
    }
}

/// The few HTML entities the X exports write, decoded; anything else is left as it is.
fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return std::borrow::Cow::Borrowed(text);
    }
    const ENTITIES: [(&str, &str); 7] = [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&apos;", "'"),
        ("&nbsp;", " "),
        ("&amp;", "&"),
    ];
    let mut s = text.to_string();
    for (entity, plain) in ENTITIES {
        s = s.replace(entity, plain);
    }
    std::borrow::Cow::Owned(s)
}

/// The sorted, de-duplicated 32-bit hashes of the character shingles of `normalized` (empty for an empty text).
pub fn shingles(normalized: &str) -> Vec<u32> {
    let chars: Vec<u32> = normalized.chars().map(u32::from).collect();
    if chars.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<u32> = if chars.len() <= SHINGLE_CHARS {
        vec![hash_window(&chars)]
    } else {
        chars.windows(SHINGLE_CHARS).map(hash_window).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// FNV-1a over the characters, finished by the SplitMix64 mixer so that every output bit depends on every input
/// character (MinHash needs hashes that look random, not FNV's weak low bits), folded to 32 bits.
fn hash_window(chars: &[u32]) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in chars {
        h = (h ^ u64::from(c)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    (mix64(h) >> 32) as u32
}

/// The SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijection on 64 bits with full avalanche.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The Jaccard index `|A ∩ B| / |A ∪ B|` of two sorted, de-duplicated sets; 0 when both are empty (two empty
/// texts are not evidence of a copy).
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    if union == 0 {
        0.0
    } else {
        common as f64 / union as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalisation_drops_links_mentions_case_punctuation_and_emoji() {
        assert_eq!(
            normalize(
                "New post by @acme_co: Forecasts 🚀 START with data!\n\nRead: https://t.co/xYz?utm=li #DataQuality"
            ),
            "new post by forecasts start with data read dataquality"
        );
        assert_eq!(normalize("see lnkd.in/abc and www.example.com and bit.ly/x"), "see and and");
        assert_eq!(normalize("R&amp;D &gt; marketing"), "rd marketing");
        assert_eq!(normalize("   🎉 @a https://x.y "), "");
        // A version number and a decimal are not links: no slash after the dot.
        assert_eq!(normalize("v1.2 costs 3.50"), "v12 costs 350");
        assert_eq!(normalize("Straße ÄRGER"), "straße ärger");
    }

    #[test]
    fn shingles_of_short_and_empty_texts() {
        assert!(shingles("").is_empty());
        assert_eq!(shingles("abc").len(), 1);
        assert_eq!(shingles("abcde").len(), 1);
        // "abcdef" has two windows; "aaaaaaa" has one distinct window.
        assert_eq!(shingles("abcdef").len(), 2);
        assert_eq!(shingles("aaaaaaa").len(), 1);
    }

    #[test]
    fn jaccard_by_hand() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard(&[1, 2], &[1, 2]), 1.0);
        assert_eq!(jaccard(&[], &[]), 0.0);
        assert_eq!(jaccard(&[1], &[]), 0.0);
    }

    proptest! {
        #[test]
        fn normalisation_is_idempotent_and_never_panics(text in "\\PC{0,200}") {
            let once = normalize(&text);
            prop_assert_eq!(normalize(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
        }

        #[test]
        fn jaccard_is_symmetric_and_in_unit_interval(a in prop::collection::btree_set(0u32..60, 0..40),
                                                     b in prop::collection::btree_set(0u32..60, 0..40)) {
            let a: Vec<u32> = a.into_iter().collect();
            let b: Vec<u32> = b.into_iter().collect();
            let j = jaccard(&a, &b);
            prop_assert!((0.0..=1.0).contains(&j));
            prop_assert_eq!(j, jaccard(&b, &a));
            let common = a.iter().filter(|x| b.contains(x)).count();
            let union = a.len() + b.len() - common;
            if union > 0 {
                prop_assert!((j - common as f64 / union as f64).abs() < 1e-15);
            }
        }
    }
}
