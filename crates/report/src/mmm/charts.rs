//! The mix model's charts as plain chart data: the decomposition of the outcome over time and one response
//! curve per channel.

use super::{group_label, input_caption, input_unit, target_caption, target_unit};
use crate::figures::Unit;
use crate::svg::{AreaLayer, CurveChart, OverlayLine, StackedAreaChart};
use socialledger_mmm::{ChannelGroup, MmmResult};

/// Up to this many channels get an area each; beyond it they are summed by group (social, paid, campaigns,
/// newsletters, PR, events), since more areas than the palette has colours cannot be told apart.
pub const MAX_CHANNEL_AREAS: usize = 8;

/// Fills of the parts that are not channels: light greys, darker the further from the baseline.
const BASELINE: &str = "#d9d9d9";
const TREND_SEASONALITY: &str = "#b3b3b3";
const CONTROLS: &str = "#8c8c8c";

/// Fills of the channels: the Okabe-Ito palette without its black (which would swallow the outcome's line),
/// and Paul Tol's wine as the eighth, also distinguishable under the common colour-vision deficiencies.
const CHANNEL_COLOURS: [&str; 8] =
    ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#882255"];

/// The channel colour `i` (cycling), shared by the areas and the response curves so a channel keeps its colour.
pub fn channel_colour(i: usize) -> &'static str {
    CHANNEL_COLOURS[i % CHANNEL_COLOURS.len()]
}

/// One area of the decomposition: its name and the channels (indices into `result.channels`) it sums.
#[derive(Clone, Debug, PartialEq)]
pub struct ChannelArea {
    pub name: String,
    pub channels: Vec<usize>,
}

/// The channel areas, bottom to top: one per channel when there are at most [`MAX_CHANNEL_AREAS`], else one per
/// group; either way social first, next to the baseline, as the steady rhythm the pushes sit on.
pub fn channel_areas(r: &MmmResult) -> Vec<ChannelArea> {
    let mut order: Vec<usize> = (0..r.channels.len()).collect();
    order.sort_by_key(|&i| r.channels[i].group);
    if r.channels.len() <= MAX_CHANNEL_AREAS {
        return order
            .into_iter()
            .map(|i| ChannelArea { name: r.channels[i].name.clone(), channels: vec![i] })
            .collect();
    }
    let mut areas: Vec<(ChannelGroup, ChannelArea)> = Vec::new();
    for i in order {
        let g = r.channels[i].group;
        match areas.iter_mut().find(|(ag, _)| *ag == g) {
            Some((_, a)) => a.channels.push(i),
            None => areas.push((g, ChannelArea { name: group_label(g).to_string(), channels: vec![i] })),
        }
    }
    areas.into_iter().map(|(_, a)| a).collect()
}

/// The outcome per period split into its parts (baseline, trend and seasonality, controls, channels), with the
/// actual outcome and the model's total as lines. Trend and seasonality share one area, which goes below zero
/// where together they lower the outcome (see [`crate::svg::area`] for why negatives hang below the axis).
pub fn decomposition(r: &MmmResult) -> StackedAreaChart {
    let d = &r.decomposition;
    let mut layers = vec![
        AreaLayer {
            name: "Baseline".into(),
            values: d.iter().map(|p| p.baseline).collect(),
            colour: BASELINE,
            hatched: false,
        },
        AreaLayer {
            name: "Trend and seasonality".into(),
            values: d.iter().map(|p| p.trend + p.seasonality).collect(),
            colour: TREND_SEASONALITY,
            hatched: true,
        },
    ];
    if d.iter().any(|p| p.controls != 0.0) {
        layers.push(AreaLayer {
            name: "Controls".into(),
            values: d.iter().map(|p| p.controls).collect(),
            colour: CONTROLS,
            hatched: true,
        });
    }
    for (i, area) in channel_areas(r).into_iter().enumerate() {
        layers.push(AreaLayer {
            name: area.name,
            values: d.iter().map(|p| area.channels.iter().filter_map(|&m| p.channels.get(m)).sum()).collect(),
            colour: channel_colour(i),
            hatched: false,
        });
    }
    let per = super::period_word(r);
    StackedAreaChart {
        id: "chart-mmm-decomposition".into(),
        title: format!("What makes up {} each {per}", r.target),
        description: format!(
            "Each {per}'s {} split by the mix model into baseline, trend and seasonality, controls and the channels; parts that lower it are drawn below zero. The solid line is the actual {}, the dashed line the model's total.",
            r.target, r.target
        ),
        unit: target_unit(r),
        dates: d.iter().map(|p| p.date).collect(),
        layers,
        lines: vec![
            OverlayLine {
                name: format!("Actual {}", r.target),
                values: d.iter().map(|p| p.actual).collect(),
                colour: "#000000",
                dash: None,
                class: "actual",
            },
            OverlayLine {
                name: "Model total".into(),
                values: d.iter().map(|p| p.fitted).collect(),
                colour: "#555555",
                dash: Some("6 3"),
                class: "total",
            },
        ],
    }
}

/// One small chart per channel (in the result's order) with the channel's index in `result.channels`:
/// contribution per period against input per period, from nothing to twice today's level, today's level marked.
pub fn response_curves(r: &MmmResult) -> Vec<(usize, CurveChart)> {
    let areas = channel_areas(r);
    r.response_curves
        .iter()
        .enumerate()
        .filter_map(|(k, curve)| {
            let m = r.channels.iter().position(|c| c.channel == curve.channel)?;
            let c = &r.channels[m];
            // The colour of the channel's own area, when it has one.
            let colour = areas.iter().position(|a| a.channels == [m]).map_or(channel_colour(k), channel_colour);
            let x_unit = input_unit(r, c.input);
            let y_unit: Unit = target_unit(r);
            let chart = CurveChart {
                id: format!("chart-mmm-curve-{k}"),
                title: format!("Response curve of {}", c.name),
                description: format!(
                    "What {} brings in {} per {} (vertical) for each level of its {} (horizontal), from none to twice today's level; the dot is today's level.{}",
                    c.name,
                    r.target,
                    super::period_word(r),
                    input_caption(r, c.input),
                    if c.identifiable { "" } else { " The history cannot tell this channel's effect: the curve is the model's guess." }
                ),
                name: c.name.clone(),
                colour,
                x_unit,
                x_caption: input_caption(r, c.input),
                y_unit,
                y_caption: target_caption(r),
                points: curve.input.iter().copied().zip(curve.contribution.iter().copied()).collect(),
                current: Some(curve.current),
            };
            Some((m, chart))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmm::testing::{channel, result};
    use crate::svg::testing::{assert_clean, texts_of};

    #[test]
    fn few_channels_get_an_area_each_social_first() {
        let r = result(
            vec![
                channel("fair", "Trade fair", ChannelGroup::Event, true),
                channel("li", "LinkedIn page", ChannelGroup::Social, true),
            ],
            true,
        );
        let names: Vec<String> = channel_areas(&r).into_iter().map(|a| a.name).collect();
        assert_eq!(names, ["LinkedIn page", "Trade fair"]);
        let chart = decomposition(&r);
        let layers: Vec<&str> = chart.layers.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(layers, ["Baseline", "Trend and seasonality", "Controls", "LinkedIn page", "Trade fair"]);
        // The layers add up to the model's total in every period.
        for (t, p) in r.decomposition.iter().enumerate() {
            let sum: f64 = chart.layers.iter().map(|l| l.values[t]).sum();
            assert!((sum - p.fitted).abs() < 1e-9 * p.fitted.abs().max(1.0), "period {t}");
        }
    }

    #[test]
    fn many_channels_are_summed_by_group() {
        let groups = [ChannelGroup::Social, ChannelGroup::Paid, ChannelGroup::Event];
        let channels: Vec<_> =
            (0..10).map(|i| channel(&format!("c{i}"), &format!("Channel {i}"), groups[i % 3], true)).collect();
        let r = result(channels, true);
        let areas = channel_areas(&r);
        assert_eq!(
            areas.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
            ["Social (base rhythm)", "Paid media", "Events"]
        );
        assert_eq!(areas.iter().map(|a| a.channels.len()).sum::<usize>(), 10);
        let chart = decomposition(&r);
        let social = chart.layers.iter().find(|l| l.name == "Social (base rhythm)").unwrap();
        assert_eq!(social.values[0], 4_000.0, "four social channels at 1,000 each");
        for (t, p) in r.decomposition.iter().enumerate() {
            let sum: f64 = chart.layers.iter().map(|l| l.values[t]).sum();
            assert!((sum - p.fitted).abs() < 1e-6, "period {t}");
        }
    }

    #[test]
    fn negative_seasonality_is_drawn_below_zero_and_every_channel_has_a_legend_entry() {
        let r = result(
            vec![
                channel("x", "<script>alert(1)</script>", ChannelGroup::Social, true),
                channel("n", "Newsletter", ChannelGroup::Newsletter, false),
            ],
            true,
        );
        let svg = decomposition(&r).to_svg();
        assert_clean(&svg);
        // Trend and seasonality dips below zero in the second half of the year: a band below the axis.
        assert!(svg.contains("class=\"area below\""), "{svg}");
        let legend = texts_of(&svg, "label");
        for name in ["&lt;script&gt;alert(1)&lt;/script&gt;", "Newsletter", "Actual pipeline", "Model total"] {
            assert!(legend.iter().any(|l| l == name), "{name}: {legend:?}");
        }
        assert!(!svg.contains("<script>"));
    }

    #[test]
    fn a_curve_per_channel_with_its_units() {
        let r = result(vec![channel("li", "LinkedIn page", ChannelGroup::Social, false)], true);
        let curves = response_curves(&r);
        assert_eq!(curves.len(), 1);
        let curves: Vec<CurveChart> = curves
            .into_iter()
            .map(|(m, c)| {
                assert_eq!(m, 0);
                c
            })
            .collect();
        assert_eq!(curves[0].x_caption, "hours per week");
        assert_eq!(curves[0].y_caption, "pipeline per week, EUR");
        assert!(curves[0].description.contains("the curve is the model's guess"));
        assert_eq!(curves[0].current_label().unwrap(), "today: 10 h → 1.55k");
        assert_clean(&curves[0].to_svg());
    }
}
