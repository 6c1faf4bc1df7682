//! Tables for the terminal that fit a given width and wrap cells only between words, so
//! that no date, identifier or host name is ever broken across lines.
//!
//! A table is drawn with `comfy-table`, each column at least as wide as its longest word.
//! When even that does not fit the width, the rows are printed as records instead: one
//! block per row, one `header: value` line per cell, wrapped between words.

use comfy_table::{
    ColumnConstraint, ContentArrangement, Table as Comfy, Width, presets::UTF8_FULL_CONDENSED,
};

/// The width of tables when standard output is not a terminal and `COLUMNS` is not set.
pub const PIPE_WIDTH: usize = 100;

/// A table of text cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers.
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; missing cells are empty, extra cells are ignored. Control, bidirectional
    /// and invisible characters in a cell are shown escaped ([`visible`]).
    pub fn row(&mut self, cells: Vec<String>) {
        let mut cells: Vec<String> = cells
            .into_iter()
            .map(|c| visible(&c).into_owned())
            .collect();
        cells.resize(self.header.len(), String::new());
        self.rows.push(cells);
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as text whose lines are at most `width` columns wide (unless one word is
    /// wider), ending with a newline.
    pub fn render(&self, width: usize) -> String {
        let columns = self.header.len();
        let longest_word = |c: usize| {
            std::iter::once(&self.header[c])
                .chain(self.rows.iter().map(|r| &r[c]))
                .flat_map(|cell| cell.split_whitespace())
                .map(text_width)
                .max()
                .unwrap_or(0)
        };
        let minimum: Vec<usize> = (0..columns).map(longest_word).collect();
        // Each column has one space of padding on each side and a border on its left, and
        // the table has a border on the right.
        let frame = 3 * columns + 1;
        if minimum.iter().sum::<usize>() + frame > width {
            return self.records(width);
        }
        let mut t = Comfy::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(u16::try_from(width).unwrap_or(u16::MAX))
            .set_header(self.header.clone());
        for row in &self.rows {
            t.add_row(row.clone());
        }
        for (c, min) in minimum.iter().enumerate() {
            if let Some(col) = t.column_mut(c) {
                // comfy-table's widths include the padding.
                col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
                    u16::try_from(*min + 2).unwrap_or(u16::MAX),
                )));
            }
        }
        let mut s = t.to_string();
        s.push('\n');
        s
    }

    /// The rows as records: the first cell as a heading, then `header: value` lines.
    fn records(&self, width: usize) -> String {
        let label = self
            .header
            .iter()
            .skip(1)
            .map(|h| text_width(h))
            .max()
            .unwrap_or(0)
            + 2;
        let mut out = String::new();
        for (i, row) in self.rows.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            for line in wrap(&format!("{}: {}", self.header[0], row[0]), width, 2) {
                out.push_str(&line);
                out.push('\n');
            }
            for (h, cell) in self.header.iter().zip(row).skip(1) {
                if cell.is_empty() {
                    continue;
                }
                let head = format!("  {:<label$}", format!("{h}:"));
                let indent = text_width(&head);
                let lines = wrap(cell, width.saturating_sub(indent), 0);
                for (n, line) in lines.iter().enumerate() {
                    if n == 0 {
                        out.push_str(&head);
                    } else {
                        out.push_str(&" ".repeat(indent));
                    }
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out
    }
}

/// Whether `c` must not reach a terminal raw: a control character (other than a line
/// break) that could start a terminal escape sequence or move the cursor, a bidirectional
/// control or an invisible character (SPEC §6.3's list, which [`crate::text`] refuses in
/// the input, but also in what a server or a file outside the input says).
pub fn needs_escape(c: char) -> bool {
    c != '\n' && crate::text::forbidden(c).is_some()
}

/// `s` with every character that [`needs_escape`] written as a visible escape `\u{1b}`,
/// so that text from the input or from a server never reaches the terminal raw.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The number of terminal columns `s` takes (one per character: the tool's text is
/// Latin script).
pub fn text_width(s: &str) -> usize {
    s.chars().count()
}

/// Wraps `text` between words into lines of at most `width` columns (a longer word stays
/// whole on its own line); lines after the first are indented by `indent` spaces.
pub fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let prefix = if lines.is_empty() { 0 } else { indent };
        if !line.is_empty() && prefix + text_width(&line) + 1 + text_width(word) > width {
            lines.push(std::mem::take(&mut line));
        }
        if line.is_empty() && !lines.is_empty() {
            line.push_str(&" ".repeat(indent));
        } else if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Table {
        let mut t = Table::new(&["certificate", "holder", "expires", "what to do"]);
        t.row(vec![
            "signing".into(),
            "Pikkulan kunta / vtj-pikkula-client".into(),
            "2026-12-20".into(),
            "new key and CSR in the admin UI, apply in DVV's e-services, install, register".into(),
        ]);
        t
    }

    fn widest(s: &str) -> usize {
        s.lines().map(text_width).max().unwrap_or(0)
    }

    #[test]
    fn a_table_fits_and_keeps_words_whole() {
        for width in [70, 80, 100] {
            let s = example().render(width);
            assert!(widest(&s) <= width, "{width}:\n{s}");
            assert!(s.contains("2026-12-20"), "{s}");
            assert!(s.contains("vtj-pikkula-client"), "{s}");
            assert!(s.contains('┌'), "drawn as a table at {width}:\n{s}");
        }
    }

    #[test]
    fn too_narrow_for_a_table_gives_records() {
        let s = example().render(40);
        assert!(!s.contains('┌'), "{s}");
        assert!(widest(&s) <= 40, "{s}");
        assert!(s.starts_with("certificate: signing\n"), "{s}");
        assert!(s.contains("  expires:    2026-12-20\n"), "{s}");
    }

    /// A terminal escape, a bidirectional override and a zero-width space in a cell are
    /// printed as visible escapes, never raw.
    #[test]
    fn cells_are_escaped() {
        let mut t = Table::new(&["a", "b"]);
        t.row(vec!["x\u{1b}[2Jy".into(), "\u{202e}1\u{200b}\u{7}".into()]);
        let s = t.render(80);
        assert!(!s.chars().any(needs_escape), "{s:?}");
        assert!(s.contains("x\\u{1b}[2Jy"), "{s}");
        assert!(s.contains("\\u{202e}1\\u{200b}\\u{7}"), "{s}");
        assert_eq!(visible("Järvenranta\tA\r"), "Järvenranta\tA\\u{d}");
    }

    #[test]
    fn wrapping_is_between_words() {
        assert_eq!(wrap("aa bb cc", 5, 0), ["aa bb", "cc"]);
        assert_eq!(wrap("aa bb cc", 5, 2), ["aa bb", "  cc"]);
        assert_eq!(wrap("2026-12-20", 4, 0), ["2026-12-20"]);
        assert_eq!(wrap("", 4, 0), [""]);
    }
}
