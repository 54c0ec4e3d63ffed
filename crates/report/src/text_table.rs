//! Plain-text tables for a terminal of a given width: the report's channel tables, `attribution` and `channels`.
//!
//! The first column holds names, the others figures. Figures are never cut: a column is as wide as its widest
//! cell. Names get the width that is left, up to the longest name; a name that does not fit wraps onto
//! continuation lines at word boundaries (a word longer than the column is split), so two names that share a
//! long prefix never print as the same cut-off text. Text from outside is stripped of control characters.

/// How a column's cells line up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One line of a table: cells, or a rule across the table's width.
#[derive(Clone, Debug)]
enum Line {
    Cells(Vec<String>),
    Rule,
}

/// A table built row by row and rendered to a width.
#[derive(Clone, Debug)]
pub struct TextTable {
    headers: Vec<String>,
    aligns: Vec<Align>,
    lines: Vec<Line>,
}

/// The narrowest the name column gets before the table overflows the width instead.
pub const MIN_NAME_WIDTH: usize = 10;

impl TextTable {
    /// A table whose first column (names) is left-aligned and whose other columns are given by `columns`.
    pub fn new(name_header: &str, columns: &[(&str, Align)]) -> Self {
        let mut headers = vec![name_header.to_string()];
        let mut aligns = vec![Align::Left];
        for (h, a) in columns {
            headers.push((*h).to_string());
            aligns.push(*a);
        }
        TextTable { headers, aligns, lines: Vec::new() }
    }

    /// Adds a row; missing cells are empty, extra cells are ignored.
    pub fn row(&mut self, cells: Vec<String>) {
        let mut cells: Vec<String> = cells.into_iter().map(|c| clean(&c)).collect();
        cells.resize(self.headers.len(), String::new());
        self.lines.push(Line::Cells(cells));
    }

    /// Adds a rule (`-----`) across the table.
    pub fn rule(&mut self) {
        self.lines.push(Line::Rule);
    }

    /// The widths of the figure columns (every column but the first).
    fn figure_widths(&self) -> Vec<usize> {
        (1..self.headers.len())
            .map(|i| {
                let cells = self.lines.iter().filter_map(|l| match l {
                    Line::Cells(c) => Some(chars(&c[i])),
                    Line::Rule => None,
                });
                cells.chain(std::iter::once(chars(&self.headers[i]))).max().unwrap_or(0)
            })
            .collect()
    }

    /// The table's lines for a terminal `width` characters wide (no trailing spaces).
    pub fn render(&self, width: usize) -> Vec<String> {
        let figures = self.figure_widths();
        let fixed: usize = figures.iter().map(|w| w + 1).sum();
        let longest = self
            .lines
            .iter()
            .filter_map(|l| match l {
                Line::Cells(c) => Some(chars(&c[0])),
                Line::Rule => None,
            })
            .chain(std::iter::once(chars(&self.headers[0])))
            .max()
            .unwrap_or(0);
        let name_w = longest.min(width.saturating_sub(fixed)).max(MIN_NAME_WIDTH.min(longest));
        let mut widths = vec![name_w];
        widths.extend(figures);
        let total: usize = widths.iter().sum::<usize>() + widths.len() - 1;

        let mut out = vec![self.line(&self.headers, &widths)];
        out.push("-".repeat(total));
        for line in &self.lines {
            match line {
                Line::Rule => out.push("-".repeat(total)),
                Line::Cells(cells) => {
                    let mut names = wrap_words(&cells[0], name_w).into_iter();
                    let mut first = cells.clone();
                    first[0] = names.next().unwrap_or_default();
                    out.push(self.line(&first, &widths));
                    for rest in names {
                        out.push(rest.trim_end().to_string());
                    }
                }
            }
        }
        out
    }

    fn line(&self, cells: &[String], widths: &[usize]) -> String {
        let parts: Vec<String> = cells
            .iter()
            .zip(widths)
            .zip(&self.aligns)
            .map(|((c, w), a)| match a {
                Align::Left => format!("{c:<w$}"),
                Align::Right => format!("{c:>w$}"),
            })
            .collect();
        parts.join(" ").trim_end().to_string()
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// `text` without control characters (escape sequences, tabs, newlines become spaces or vanish).
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\t' || c == '\n' || c == '\r' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect()
}

/// `text` in lines of at most `width` characters, broken between words; a word longer than a line is split.
/// Nothing is dropped: the lines joined with spaces give the words back.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        if !line.is_empty() && chars(&line) + 1 + word.len() <= width {
            line.push(' ');
            line.extend(word.iter());
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        while word.len() > width {
            lines.push(word.drain(..width).collect());
        }
        line.extend(word.iter());
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn table(names: &[&str]) -> TextTable {
        let mut t = TextTable::new("Channel", &[("Cost", Align::Right)]);
        for n in names {
            t.row(vec![(*n).to_string(), "12,345".to_string()]);
        }
        t
    }

    #[test]
    fn names_get_the_room_that_is_left_and_wrap_when_it_is_short() {
        let names = ["Fleetwise on LinkedIn", "Fleetwise on X", "Fleetwise on YouTube"];
        let wide = table(&names).render(100);
        assert_eq!(wide[0], "Channel                 Cost");
        assert_eq!(wide[2], "Fleetwise on LinkedIn 12,345");
        let narrow = table(&names).render(20);
        assert!(narrow.iter().all(|l| chars(l) <= 20), "{narrow:?}");
        // Every name is printed in full over its lines: three names, three different texts.
        assert_eq!(narrow[2], "Fleetwise on  12,345");
        assert_eq!(narrow[3], "LinkedIn");
        assert_eq!(narrow[5], "X");
        assert_eq!(narrow[7], "YouTube");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(clean("a\u{1b}[31mred\u{7}\nb"), "a[31mred b");
        let mut t = table(&[]);
        t.row(vec!["\u{1b}[2Jevil".into(), "1".into()]);
        assert!(t.render(80).iter().all(|l| !l.chars().any(char::is_control)));
    }

    #[test]
    fn figures_are_never_cut() {
        let mut t = TextTable::new("Channel", &[("Pipeline", Align::Right)]);
        t.row(vec!["A".into(), "8,800,000-13,000,000".into()]);
        assert!(t.render(5).iter().any(|l| l.ends_with("8,800,000-13,000,000")));
    }

    proptest! {
        #[test]
        fn wrapping_keeps_every_word_and_the_width(text in "[a-zA-Zé ]{0,60}", width in 1usize..30) {
            let lines = wrap_words(&text, width);
            prop_assert!(lines.iter().all(|l| chars(l) <= width));
            let joined: String = lines.concat().split_whitespace().collect();
            let original: String = text.split_whitespace().collect();
            prop_assert_eq!(joined, original);
        }
    }
}
