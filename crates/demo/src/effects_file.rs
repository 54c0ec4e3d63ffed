//! The `--effects` file: a TOML list of channel truths that replace the documented defaults, so that worlds
//! with other truths than the default company (Facebook works, the LinkedIn page does not, Instagram's followers
//! are all outside the target group) can be simulated and the verdict rules checked on them.
//!
//! ```toml
//! [[effect]]
//! channel = "facebook"
//! create = 0.08
//! win = 0.03
//! saturation = 0.5
//! half_life_days = 45
//! audience_in_target_group = 0.2   # social channels only: share of followers inside the target group
//! ```
//!
//! A listed channel replaces its default entry field by field: a field left out keeps that channel's default.
//! Channels not listed keep their defaults ([`ChannelEffect::defaults`], [`ChannelAudience::defaults`]). Pure:
//! takes the text, reads no file.

use crate::{ChannelAudience, ChannelEffect, DemoError};

/// The effect fields of one `[[effect]]` table besides `channel`.
const FIELDS: [&str; 4] = ["create", "win", "saturation", "half_life_days"];
/// The field that sets a social channel's share of followers inside the target group
/// ([`ChannelAudience::inside_share`]).
const AUDIENCE_FIELD: &str = "audience_in_target_group";

/// The truths an `--effects` file sets: every channel's effect and every social channel's audience share.
#[derive(Debug, Clone, PartialEq)]
pub struct World {
    pub effects: Vec<ChannelEffect>,
    pub audience: Vec<ChannelAudience>,
}

/// The effects of an `--effects` file (see [`parse_world`], which also gives the audience shares).
pub fn parse_effects(text: &str, file: &str) -> Result<Vec<ChannelEffect>, DemoError> {
    parse_world(text, file).map(|w| w.effects)
}

/// The effects of [`ChannelEffect::defaults`] and the audience shares of [`ChannelAudience::defaults`] with the
/// entries of the TOML `text` applied. `file` names the file in error messages. Each error says the file, the
/// entry (`[[effect]]` number, from 1) and the field, and what to write instead. Unknown keys are errors (a typo
/// must not silently keep a default).
pub fn parse_world(text: &str, file: &str) -> Result<World, DemoError> {
    let err = |entry: Option<usize>, message: String| DemoError::Effects { file: file.to_string(), entry, message };
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        err(None, format!("{} (the format: docs/demo-model.md, \"Other worlds\")", e.message().trim_end()))
    })?;
    if let Some(key) = table.keys().find(|k| k.as_str() != "effect") {
        return Err(err(None, format!("unknown key \"{key}\": the file holds only [[effect]] tables")));
    }
    let entries = match table.get("effect") {
        None => &[][..],
        Some(toml::Value::Array(a)) => &a[..],
        Some(_) => return Err(err(None, "\"effect\" must be a list of tables: write each as [[effect]]".into())),
    };
    let defaults = ChannelEffect::defaults();
    let known: Vec<&str> = defaults.iter().map(|e| e.channel.as_str()).collect();
    let mut effects = defaults.clone();
    let mut audience = ChannelAudience::defaults();
    let mut seen: Vec<&str> = Vec::new();
    for (i, value) in entries.iter().enumerate() {
        let n = i + 1;
        let Some(entry) = value.as_table() else {
            return Err(err(Some(n), "must be a table: write it as [[effect]] followed by its fields".into()));
        };
        if let Some(key) = entry
            .keys()
            .find(|k| k.as_str() != "channel" && k.as_str() != AUDIENCE_FIELD && !FIELDS.contains(&k.as_str()))
        {
            return Err(err(
                Some(n),
                format!("unknown field \"{key}\"; the fields are channel, {}, {AUDIENCE_FIELD}", FIELDS.join(", ")),
            ));
        }
        let channel = match entry.get("channel") {
            Some(toml::Value::String(s)) => s.as_str(),
            Some(_) => return Err(err(Some(n), "field \"channel\" must be a string such as \"facebook\"".into())),
            None => {
                return Err(err(Some(n), "field \"channel\" is missing: say which channel the entry is for".into()))
            }
        };
        let Some(target) = effects.iter_mut().find(|e| e.channel == channel) else {
            return Err(err(
                Some(n),
                format!("unknown channel \"{channel}\"; the demo's channels are {}", known.join(", ")),
            ));
        };
        if seen.contains(&channel) {
            return Err(err(Some(n), format!("channel \"{channel}\" is listed twice; keep one entry")));
        }
        seen.push(channel);
        for field in FIELDS {
            let Some(given) = entry.get(field) else { continue };
            let v = number(given).ok_or_else(|| {
                err(
                    Some(n),
                    format!("channel \"{channel}\": field \"{field}\" must be a number, not {}", given.type_str()),
                )
            })?;
            if !v.is_finite() || v < 0.0 {
                return Err(err(
                    Some(n),
                    format!(
                        "channel \"{channel}\": field \"{field}\" = {v} must be a finite number >= 0 (0 switches \
                         that part of the effect off)"
                    ),
                ));
            }
            let slot = match field {
                "create" => &mut target.create,
                "win" => &mut target.win,
                "saturation" => &mut target.saturation,
                _ => &mut target.half_life_days,
            };
            *slot = v;
        }
        if let Some(given) = entry.get(AUDIENCE_FIELD) {
            let field = AUDIENCE_FIELD;
            let social: Vec<String> = audience.iter().map(|a| a.channel.clone()).collect();
            let Some(slot) = audience.iter_mut().find(|a| a.channel == channel) else {
                return Err(err(
                    Some(n),
                    format!(
                        "channel \"{channel}\": field \"{field}\" is only for the channels with followers whose \
                         demographics the demo writes ({}); leave it out here",
                        social.join(", ")
                    ),
                ));
            };
            let v = number(given).ok_or_else(|| {
                err(
                    Some(n),
                    format!("channel \"{channel}\": field \"{field}\" must be a number, not {}", given.type_str()),
                )
            })?;
            if !(0.0..=1.0).contains(&v) {
                return Err(err(
                    Some(n),
                    format!(
                        "channel \"{channel}\": field \"{field}\" = {v} must be a share from 0 to 1 (0.02: two in a \
                         hundred followers are inside the target group)"
                    ),
                ));
            }
            slot.inside_share = v;
        }
        if target.half_life_days <= 0.0 {
            return Err(err(
                Some(n),
                format!(
                    "channel \"{channel}\": field \"half_life_days\" must be above 0 (the days a touch's pressure \
                     takes to halve)"
                ),
            ));
        }
    }
    Ok(World { effects, audience })
}

/// A TOML number as `f64` (integers too: `create = 0` is a number).
fn number(value: &toml::Value) -> Option<f64> {
    match value {
        toml::Value::Float(f) => Some(*f),
        toml::Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn effect<'a>(effects: &'a [ChannelEffect], channel: &str) -> &'a ChannelEffect {
        effects.iter().find(|e| e.channel == channel).unwrap()
    }

    #[test]
    fn listed_channels_replace_their_default_and_omitted_fields_keep_it() {
        let text = "[[effect]]\nchannel = \"facebook\"\ncreate = 0.08\nwin = 0.03\nsaturation = 0.5\n\
                    half_life_days = 45\n\n[[effect]]\nchannel = \"linkedin\"\ncreate = 0\n";
        let effects = parse_effects(text, "f.toml").unwrap();
        let defaults = ChannelEffect::defaults();
        assert_eq!(effects.len(), defaults.len());
        let fb = effect(&effects, "facebook");
        assert_eq!((fb.create, fb.win, fb.saturation, fb.half_life_days), (0.08, 0.03, 0.5, 45.0));
        let li = effect(&effects, "linkedin");
        let li_default = effect(&defaults, "linkedin");
        assert_eq!(li.create, 0.0);
        assert_eq!((li.win, li.saturation, li.half_life_days), (li_default.win, li_default.saturation, 60.0));
        assert_eq!(effect(&effects, "events"), effect(&defaults, "events"));
        // The order stays the defaults' order (truth.json lists effects in it).
        let order: Vec<&str> = effects.iter().map(|e| e.channel.as_str()).collect();
        let default_order: Vec<&str> = defaults.iter().map(|e| e.channel.as_str()).collect();
        assert_eq!(order, default_order);
    }

    #[test]
    fn an_empty_file_is_the_default_company() {
        assert_eq!(parse_effects("", "f.toml").unwrap(), ChannelEffect::defaults());
    }

    fn error(text: &str) -> String {
        parse_effects(text, "my.toml").unwrap_err().to_string()
    }

    #[test]
    fn an_unknown_channel_names_the_file_the_entry_and_the_channels() {
        let e = error("[[effect]]\nchannel = \"linkedin\"\n[[effect]]\nchannel = \"myspace\"\ncreate = 0.1\n");
        assert!(e.contains("my.toml") && e.contains("[[effect]] 2") && e.contains("myspace"), "{e}");
        assert!(e.contains("facebook"), "{e}");
    }

    #[test]
    fn an_unknown_field_names_the_field() {
        let e = error("[[effect]]\nchannel = \"x\"\nhalflife = 3\n");
        assert!(e.contains("my.toml") && e.contains("[[effect]] 1") && e.contains("halflife"), "{e}");
        let e = error("[[effects]]\nchannel = \"x\"\n");
        assert!(e.contains("my.toml") && e.contains("effects"), "{e}");
    }

    #[test]
    fn negative_and_non_finite_values_name_the_field() {
        let e = error("[[effect]]\nchannel = \"x\"\ncreate = -0.1\n");
        assert!(e.contains("[[effect]] 1") && e.contains("create") && e.contains("-0.1"), "{e}");
        let e = error("[[effect]]\nchannel = \"x\"\nsaturation = nan\n");
        assert!(e.contains("saturation") && e.contains("NaN"), "{e}");
        let e = error("[[effect]]\nchannel = \"x\"\nwin = inf\n");
        assert!(e.contains("win"), "{e}");
        let e = error("[[effect]]\nchannel = \"x\"\nhalf_life_days = 0\n");
        assert!(e.contains("half_life_days"), "{e}");
    }

    #[test]
    fn the_audience_share_of_a_social_channel_is_set_and_the_others_keep_theirs() {
        let text = "[[effect]]\nchannel = \"instagram\"\ncreate = 0\naudience_in_target_group = 0.01\n\
                    [[effect]]\nchannel = \"x\"\naudience_in_target_group = 1\n";
        let world = parse_world(text, "f.toml").unwrap();
        let share = |c: &str| world.audience.iter().find(|a| a.channel == c).unwrap().inside_share;
        assert_eq!((share("instagram"), share("x")), (0.01, 1.0));
        assert_eq!(share("linkedin"), 0.55);
        assert_eq!(effect(&world.effects, "instagram").create, 0.0);
        assert_eq!(parse_world("", "f.toml").unwrap().audience, ChannelAudience::defaults());
    }

    #[test]
    fn a_bad_audience_share_names_the_file_the_entry_and_the_field() {
        let e =
            error("[[effect]]\nchannel = \"x\"\n[[effect]]\nchannel = \"instagram\"\naudience_in_target_group = 1.5\n");
        assert!(e.contains("my.toml") && e.contains("[[effect]] 2") && e.contains("audience_in_target_group"), "{e}");
        assert!(e.contains("1.5") && e.contains("from 0 to 1"), "{e}");
        let e = error("[[effect]]\nchannel = \"x\"\naudience_in_target_group = nan\n");
        assert!(e.contains("audience_in_target_group") && e.contains("NaN"), "{e}");
        let e = error("[[effect]]\nchannel = \"x\"\naudience_in_target_group = \"most\"\n");
        assert!(e.contains("audience_in_target_group") && e.contains("string"), "{e}");
        // Channels without followers have no audience to set: the message lists the ones that do.
        let e = error("[[effect]]\nchannel = \"pr\"\naudience_in_target_group = 0.5\n");
        assert!(e.contains("[[effect]] 1") && e.contains("\"pr\"") && e.contains("linkedin, x"), "{e}");
    }

    #[test]
    fn a_channel_listed_twice_or_a_wrong_type_is_an_error() {
        assert!(error("[[effect]]\nchannel = \"x\"\n[[effect]]\nchannel = \"x\"\n").contains("twice"));
        let e = error("[[effect]]\nchannel = \"x\"\ncreate = \"high\"\n");
        assert!(e.contains("[[effect]] 1") && e.contains("create") && e.contains("string"), "{e}");
        assert!(error("[[effect]]\ncreate = 0.1\n").contains("channel"));
        assert!(error("this is not toml").contains("my.toml"));
    }
}
