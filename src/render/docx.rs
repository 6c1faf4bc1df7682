//! Markdown → Word (`.docx`).
//!
//! [`markdown_to_docx`] walks the same `pulldown-cmark` events as the Typst converter
//! (`render::typst`) and builds the document with `docx-rs`:
//!
//! - headings get Word's own heading styles (`heading 1` … `heading 6`, with their outline
//!   levels, so that the navigation pane and a table of contents find them); the clause
//!   numbers the tool wrote into the Markdown stay text, identical to the PDF's;
//! - paragraphs, emphasis, code spans (in a monospace font), lists (their bullets and
//!   numbers as text), block quotes (indented) and tables, whose header row repeats on every
//!   page and whose rows never split;
//! - the signature section of `<!-- signatures -->`: each `<!-- signatory -->` block is kept
//!   on one page (keep with next, keep lines together), and a line to write on by hand gets
//!   [`WRITING_SPACE_TWIPS`] of room above it; the text before a block stays with it;
//! - a draft carries its marking (e.g. `LUONNOS`) in the page header of every page;
//! - the document properties: title, author, language and date (the packet's date, never
//!   the clock), so the same input gives the same bytes.
//!
//! Every value stays literal: text is only ever a run's text (escaped by `docx-rs`), never a
//! field code, and links are not made clickable (their target is shown after the text when
//! it is a safe one that differs from it).

use std::io::Cursor;

use anyhow::{Context as _, Result};
use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, Header, LineSpacing, PageMargin, PageOrientationType,
    Paragraph, Run, RunFonts, Shading, Style, StyleType, Table, TableCell, TableLayoutType,
    TableRow, WidthType,
};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeStream};

use crate::render::typst::{
    SIGNATORY_END, SIGNATORY_START, SIGNATURES_END, SIGNATURES_START, has_blank, heading_level,
};

/// The room to sign by hand above a line to write on, in twentieths of a point: 15 mm.
pub const WRITING_SPACE_TWIPS: u32 = 851;

/// The monospace font of code spans and blocks.
const MONO_FONT: &str = "Consolas";

/// The font of the text.
const BODY_FONT: &str = "Cambria";

/// What a Word document says about itself, besides its body.
#[derive(Debug, Clone)]
pub struct Meta<'a> {
    /// The title (document properties and page header).
    pub title: &'a str,
    /// The author (document properties), e.g. the security server's owner.
    pub author: &'a str,
    /// The language of the text, a BCP 47 tag such as `fi-FI`.
    pub lang: &'a str,
    /// The document's date, `YYYY-MM-DD`, also its creation and modification date.
    pub date: jiff::civil::Date,
    /// The date as the document shows it, for the footer.
    pub date_text: &'a str,
    /// The draft marking for the page header, or `None` for a final document.
    pub draft: Option<&'a str>,
    /// Keywords for the document properties.
    pub keywords: &'a [String],
    /// Landscape pages, for a document with wide tables.
    pub landscape: bool,
}

/// Converts a rendered Markdown document to the bytes of a `.docx` file.
///
/// # Errors
/// When the package cannot be written (which in memory only happens on a bug in `docx-rs`).
pub fn markdown_to_docx(markdown: &str, meta: &Meta<'_>) -> Result<Vec<u8>> {
    let mut w = Writer {
        landscape: meta.landscape,
        ..Writer::default()
    };
    for event in TextMergeStream::new(Parser::new_ext(markdown, options())) {
        w.event(event);
    }
    w.flush_paragraph();
    let mut docx = base(meta);
    for block in w.blocks {
        docx = match block {
            Block::Paragraph(p) => docx.add_paragraph(*p),
            Block::Table(t) => docx.add_table(*t),
        };
    }
    let mut xml = docx.build();
    xml.doc_props.core = core_properties(meta).into_bytes();
    xml.document = repeat_header_rows(&xml.document);
    xml.styles = with_language(&xml.styles, meta.lang);
    xml.document = renumber_paragraph_ids(&xml.document);
    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out)
        .context("cannot write the Word document's package")?;
    Ok(out.into_inner())
}

/// The Markdown extensions the documents use, as for the other formats.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The document without a body: styles, page, header and footer.
fn base(meta: &Meta<'_>) -> Docx {
    let fonts = RunFonts::new()
        .ascii(BODY_FONT)
        .hi_ansi(BODY_FONT)
        .cs(BODY_FONT);
    let mut docx = Docx::new().default_fonts(fonts).default_size(22);
    let sizes = [34, 26, 22, 22, 22, 22];
    for (i, size) in sizes.iter().enumerate() {
        let n = i + 1;
        let mut style = Style::new(format!("Heading{n}"), StyleType::Paragraph)
            .name(format!("heading {n}"))
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .outline_lvl(i)
            .size(*size)
            .bold()
            .line_spacing(LineSpacing::new().before(240).after(120));
        if n >= 4 {
            style = style.italic();
        }
        if n == 1 {
            style = style.align(AlignmentType::Center);
        }
        docx = docx.add_style(style);
    }
    docx = docx.add_style(
        Style::new("Code", StyleType::Character)
            .name("Code")
            .fonts(
                RunFonts::new()
                    .ascii(MONO_FONT)
                    .hi_ansi(MONO_FONT)
                    .cs(MONO_FONT),
            )
            .size(17),
    );
    let mut header = Paragraph::new()
        .add_run(Run::new().add_text(meta.title).size(17).color("595959"))
        .align(AlignmentType::Left);
    if let Some(label) = meta.draft {
        header = header.add_run(Run::new().add_tab()).add_run(
            Run::new()
                .add_text(label)
                .bold()
                .size(24)
                .color("A6A6A6")
                .character_spacing(40),
        );
    }
    let footer =
        Paragraph::new().add_run(Run::new().add_text(meta.date_text).size(17).color("595959"));
    docx = docx
        .header(Header::new().add_paragraph(header))
        .footer(Footer::new().add_paragraph(footer));
    // A4, in twentieths of a point.
    let (short, long) = (11_906, 16_838);
    let margin = PageMargin::new()
        .top(1_418)
        .bottom(1_418)
        .left(1_418)
        .right(1_418)
        .header(709)
        .footer(709);
    if meta.landscape {
        docx.page_size(long, short)
            .page_orient(PageOrientationType::Landscape)
            .page_margin(margin)
    } else {
        docx.page_size(short, long).page_margin(margin)
    }
}

/// A block of the body.
enum Block {
    /// A paragraph.
    Paragraph(Box<Paragraph>),
    /// A table.
    Table(Box<Table>),
}

/// An open list: its next number (`None` for bullets).
struct List {
    /// The number of the next item of an ordered list.
    next: Option<u64>,
}

/// An open table being collected.
#[derive(Default)]
struct TableState {
    /// Whether the header row is being read.
    in_head: bool,
    /// The rows so far: whether each is the header, and its cells.
    rows: Vec<(bool, Vec<Cell>)>,
    /// The cells of the row being read.
    cells: Vec<Cell>,
    /// The paragraphs of the cell being read.
    cell: Vec<Paragraph>,
    /// The length in characters of the longest paragraph of the cell being read.
    cell_len: usize,
    /// The length in characters of the longest word of code in the cell being read.
    cell_code: usize,
}

/// A table cell: its paragraphs, the length of the longest and of its longest word of code.
type Cell = (Vec<Paragraph>, usize, usize);

/// The width of one character of code (8.5 pt Consolas, or a wider stand-in such as
/// DejaVu Sans Mono where Consolas is missing), in twentieths of a point, rounded up.
const CODE_CHAR_TWIPS: usize = 110;

/// A table cell's left and right margins together, with some air.
const CELL_MARGINS_TWIPS: usize = 260;

/// The widths of a table's columns: each column's share follows its longest text (within
/// limits), but a column never gets less than its longest word of code needs, so that an
/// identifier is never broken (Word would break it after a hyphen).
fn column_widths(longest: &[usize], code: &[usize], width: usize) -> Vec<usize> {
    let need: Vec<usize> = code
        .iter()
        .map(|&c| {
            if c > 0 {
                c * CODE_CHAR_TWIPS + CELL_MARGINS_TWIPS
            } else {
                0
            }
        })
        .collect();
    let weights: Vec<usize> = longest.iter().map(|&l| l.clamp(10, 40)).collect();
    // Columns whose share is below their need get their need; the others share the rest.
    let mut fixed = vec![false; weights.len()];
    loop {
        let rest = width.saturating_sub(
            need.iter()
                .zip(&fixed)
                .filter(|(_, f)| **f)
                .map(|(n, _)| n)
                .sum::<usize>(),
        );
        let total: usize = weights
            .iter()
            .zip(&fixed)
            .filter(|(_, f)| !**f)
            .map(|(w, _)| w)
            .sum::<usize>()
            .max(1);
        let mut changed = false;
        for i in 0..weights.len() {
            if !fixed[i] && rest * weights[i] / total < need[i] {
                fixed[i] = true;
                changed = true;
            }
        }
        if !changed {
            return (0..weights.len())
                .map(|i| {
                    if fixed[i] {
                        need[i]
                    } else {
                        rest * weights[i] / total
                    }
                })
                .collect();
        }
    }
}

/// The width of the text on a page, in twentieths of a point (A4 less the margins).
const TEXT_WIDTH: usize = 11_906 - 2 * 1_418;

/// The width of the text on a landscape page.
const TEXT_WIDTH_LANDSCAPE: usize = 16_838 - 2 * 1_418;

/// Walks the events and collects the blocks.
#[derive(Default)]
struct Writer {
    /// The finished blocks of the body.
    blocks: Vec<Block>,
    /// The paragraph being written, and its plain text so far.
    paragraph: Option<(Paragraph, String)>,
    /// The style of the paragraph to open next (a heading's).
    style: Option<String>,
    /// Bold, italic and strikethrough nesting.
    bold: usize,
    /// Italic nesting.
    italic: usize,
    /// Strikethrough nesting.
    strike: usize,
    /// The open lists, innermost last.
    lists: Vec<List>,
    /// A bullet or number to put before the next text of a list item.
    prefix: Option<String>,
    /// Block quote nesting.
    quote: usize,
    /// The open tables, innermost last.
    tables: Vec<TableState>,
    /// Whether a signature section is open.
    signatures: bool,
    /// Whether a signatory's block is open.
    signatory: bool,
    /// The targets of the open links.
    links: Vec<String>,
    /// Whether inside a code block, and the text so far.
    code_block: Option<String>,
    /// Whether inside an image (whose alt text is kept).
    image: usize,
    /// Whether the pages are landscape (for the tables' widths).
    landscape: bool,
}

impl Writer {
    /// Handles one event.
    fn event(&mut self, event: Event<'_>) {
        if let Some(code) = &mut self.code_block {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => self.end_code_block(),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t, false),
            Event::Code(t) => self.text(&t, true),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&format!("${t}$"), false),
            Event::Html(h) | Event::InlineHtml(h) => self.html(&h),
            Event::FootnoteReference(label) => self.text(&format!("[{label}]"), false),
            Event::SoftBreak => self.text(" ", false),
            Event::HardBreak => {
                let (p, text) = self.open_paragraph();
                *p = std::mem::take(p).add_run(Run::new().add_break(BreakType::TextWrapping));
                text.push('\n');
            }
            Event::Rule => {
                self.flush_paragraph();
                self.push(Paragraph::new().add_run(Run::new().add_text("―".repeat(20))));
            }
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }, false),
        }
    }

    /// Handles the start of a tag.
    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => self.flush_paragraph(),
            Tag::Heading { level, .. } => {
                self.flush_paragraph();
                self.style = Some(format!("Heading{}", heading_level(level)));
            }
            Tag::BlockQuote(_) => {
                self.flush_paragraph();
                self.quote += 1;
            }
            Tag::CodeBlock(_) => {
                self.flush_paragraph();
                self.code_block = Some(String::new());
            }
            Tag::List(start) => {
                self.flush_paragraph();
                self.lists.push(List { next: start });
            }
            Tag::Item => {
                self.flush_paragraph();
                let prefix = match self.lists.last_mut() {
                    Some(List { next: Some(n) }) => {
                        let p = format!("{n}. ");
                        *n += 1;
                        p
                    }
                    _ => "• ".to_owned(),
                };
                self.prefix = Some(prefix);
            }
            Tag::FootnoteDefinition(label) => {
                self.flush_paragraph();
                self.prefix = Some(format!("[{label}] "));
            }
            Tag::Table(_) => {
                self.flush_paragraph();
                self.tables.push(TableState::default());
            }
            Tag::TableHead => {
                if let Some(t) = self.tables.last_mut() {
                    t.in_head = true;
                }
            }
            Tag::TableRow | Tag::TableCell => {}
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Strikethrough => self.strike += 1,
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let url = if link_type == LinkType::Email {
                    String::new()
                } else {
                    dest_url.to_string()
                };
                self.links.push(url);
            }
            Tag::Image { .. } => self.image += 1,
            Tag::Superscript
            | Tag::Subscript
            | Tag::HtmlBlock
            | Tag::MetadataBlock(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => {}
        }
    }

    /// Handles the end of a tag.
    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Item | TagEnd::FootnoteDefinition => {
                self.flush_paragraph();
            }
            TagEnd::Heading(_) => {
                self.flush_paragraph();
                self.style = None;
            }
            TagEnd::BlockQuote(_) => {
                self.flush_paragraph();
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::List(_) => {
                self.flush_paragraph();
                self.lists.pop();
            }
            TagEnd::TableHead => {
                self.end_row();
                if let Some(t) = self.tables.last_mut() {
                    t.in_head = false;
                }
            }
            TagEnd::TableRow => self.end_row(),
            TagEnd::TableCell => {
                self.flush_paragraph();
                if let Some(t) = self.tables.last_mut() {
                    let cell = std::mem::take(&mut t.cell);
                    let len = std::mem::take(&mut t.cell_len);
                    let code = std::mem::take(&mut t.cell_code);
                    t.cells.push((cell, len, code));
                }
            }
            TagEnd::Table => self.end_table(),
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            TagEnd::Link => {
                if let Some(url) = self.links.pop()
                    && !url.is_empty()
                    && crate::render::html::safe_link(&url)
                {
                    let shown = self
                        .paragraph
                        .as_ref()
                        .is_some_and(|(_, text)| text.ends_with(url.as_str()));
                    if !shown {
                        self.text(&format!(" ({url})"), false);
                    }
                }
            }
            TagEnd::Image => self.image = self.image.saturating_sub(1),
            TagEnd::CodeBlock => self.end_code_block(),
            _ => {}
        }
    }

    /// Ends a table row.
    fn end_row(&mut self) {
        if let Some(t) = self.tables.last_mut() {
            let cells = std::mem::take(&mut t.cells);
            if !cells.is_empty() {
                t.rows.push((t.in_head, cells));
            }
        }
    }

    /// Ends a table and writes it where it belongs.
    fn end_table(&mut self) {
        let Some(t) = self.tables.pop() else {
            return;
        };
        if let Some(parent) = self.tables.last_mut() {
            // A table in a table cell (which the templates never make): its text as
            // paragraphs of the cell.
            for (_, cells) in t.rows {
                for (paragraphs, len, code) in cells {
                    parent.cell.extend(paragraphs);
                    parent.cell_len = parent.cell_len.max(len);
                    parent.cell_code = parent.cell_code.max(code);
                }
            }
            return;
        }
        let columns = t.rows.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
        let mut longest = vec![0usize; columns];
        let mut code = vec![0usize; columns];
        for (_, cells) in &t.rows {
            for (i, (_, len, c)) in cells.iter().enumerate() {
                if let (Some(l), Some(w)) = (longest.get_mut(i), code.get_mut(i)) {
                    *l = (*l).max(*len);
                    *w = (*w).max(*c);
                }
            }
        }
        let width = if self.landscape {
            TEXT_WIDTH_LANDSCAPE
        } else {
            TEXT_WIDTH
        };
        let grid = column_widths(&longest, &code, width);
        let rows: Vec<TableRow> = t
            .rows
            .into_iter()
            .map(|(head, mut cells)| {
                cells.resize_with(columns, Default::default);
                let cells = cells
                    .into_iter()
                    .zip(&grid)
                    .map(|((paragraphs, _, _), &w)| {
                        let mut cell = TableCell::new().width(w, WidthType::Dxa);
                        if paragraphs.is_empty() {
                            cell = cell.add_paragraph(Paragraph::new());
                        }
                        for p in paragraphs {
                            cell = cell.add_paragraph(p);
                        }
                        if head {
                            cell = cell.shading(Shading::new().fill("E8E8E8"));
                        }
                        cell
                    })
                    .collect();
                // The header row is the only one written with `cantSplit`, which
                // `repeat_header_rows` turns into a header that repeats on every page.
                let row = TableRow::new(cells);
                if head { row.cant_split() } else { row }
            })
            .collect();
        if !rows.is_empty() {
            let table = Table::new(rows)
                .set_grid(grid)
                .width(width, WidthType::Dxa)
                .layout(TableLayoutType::Fixed);
            self.blocks.push(Block::Table(Box::new(table)));
        }
    }

    /// Ends a code block: one paragraph per line, in the monospace font.
    fn end_code_block(&mut self) {
        let code = self.code_block.take().unwrap_or_default();
        let code = code.strip_suffix('\n').unwrap_or(&code);
        for line in code.split('\n') {
            let p = Paragraph::new()
                .add_run(Run::new().add_text(clean(line)).style("Code"))
                .keep_lines(true);
            self.push(p);
        }
    }

    /// Handles raw HTML: the signature markers act, other comments vanish, the rest is
    /// shown as text.
    fn html(&mut self, html: &str) {
        let mut rest = html;
        while let Some(start) = rest.find("<!--") {
            let before = rest.get(..start).unwrap_or_default();
            self.literal(before);
            let after = rest.get(start + 4..).unwrap_or_default();
            let (body, next) = match after.find("-->") {
                Some(end) => (
                    after.get(..end).unwrap_or_default(),
                    after.get(end + 3..).unwrap_or_default(),
                ),
                None => (after, ""),
            };
            let body = body.trim();
            if body.eq_ignore_ascii_case(SIGNATURES_START) {
                self.flush_paragraph();
                self.signatures = true;
            } else if body.eq_ignore_ascii_case(SIGNATURES_END) {
                self.flush_paragraph();
                self.signatures = false;
                self.signatory = false;
            } else if body.eq_ignore_ascii_case(SIGNATORY_START) && self.signatures {
                self.flush_paragraph();
                self.signatory = true;
            } else if body.eq_ignore_ascii_case(SIGNATORY_END) {
                self.flush_paragraph();
                if self.signatory {
                    self.signatory = false;
                    self.end_signatory();
                }
            }
            rest = next;
        }
        self.literal(rest);
    }

    /// The last paragraph of a signatory's block does not keep with the next one.
    fn end_signatory(&mut self) {
        if let Some(Block::Paragraph(p)) = self.blocks.last_mut() {
            let last = std::mem::take(p.as_mut());
            **p = last.keep_next(false);
        }
    }

    /// Shows raw HTML as text, line by line.
    fn literal(&mut self, html: &str) {
        let lines: Vec<&str> = html
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                self.event(Event::HardBreak);
            }
            self.text(line, false);
        }
    }

    /// Adds text to the open paragraph (opening one if needed), in the current style.
    fn text(&mut self, text: &str, code: bool) {
        if text.is_empty() {
            return;
        }
        if code {
            let longest = text.split(' ').map(|w| w.chars().count()).max();
            if let Some(t) = self.tables.last_mut() {
                t.cell_code = t.cell_code.max(longest.unwrap_or(0));
            }
        }
        let prefix = self.prefix.take();
        let (bold, italic, strike) = (self.bold > 0, self.italic > 0, self.strike > 0);
        let (p, plain) = self.open_paragraph();
        let mut para = std::mem::take(p);
        if let Some(prefix) = prefix {
            para = para.add_run(Run::new().add_text(&prefix));
            plain.push_str(&prefix);
        }
        let mut run = Run::new().add_text(clean(text));
        if code {
            run = run.style("Code");
        }
        if bold {
            run = run.bold();
        }
        if italic {
            run = run.italic();
        }
        if strike {
            run = run.strike();
        }
        *p = para.add_run(run);
        plain.push_str(text);
    }

    /// The open paragraph, opened with the current style where none is.
    fn open_paragraph(&mut self) -> (&mut Paragraph, &mut String) {
        if self.paragraph.is_none() {
            let mut p = Paragraph::new();
            if let Some(style) = &self.style {
                p = p.style(style).keep_next(true);
            }
            let depth = self.lists.len() + self.quote;
            if depth > 0 {
                let indent = i32::try_from(depth * 360).unwrap_or(i32::MAX);
                let hanging = if self.lists.is_empty() {
                    None
                } else {
                    Some(docx_rs::SpecialIndentType::Hanging(360))
                };
                p = p.indent(Some(indent), hanging, None, None);
            }
            if self.signatures {
                // A signatory's block stays on one page, and the text before it (the
                // party's name) stays with it.
                p = p.keep_next(true).keep_lines(true);
            }
            self.paragraph = Some((p, String::new()));
        }
        let (p, text) = self.paragraph.get_or_insert_with(Default::default);
        (p, text)
    }

    /// Finishes the open paragraph, if any, and writes it where it belongs.
    fn flush_paragraph(&mut self) {
        let Some((mut p, text)) = self.paragraph.take() else {
            return;
        };
        if self.signatory && has_blank(&text) {
            p = p.line_spacing(LineSpacing::new().before(WRITING_SPACE_TWIPS).after(120));
        }
        if let Some(t) = self.tables.last_mut() {
            t.cell_len = t.cell_len.max(text.chars().count());
        }
        self.push(p);
    }

    /// Writes a finished paragraph into the open table cell, or the body.
    fn push(&mut self, p: Paragraph) {
        match self.tables.last_mut() {
            Some(t) => t.cell.push(p),
            None => self.blocks.push(Block::Paragraph(Box::new(p))),
        }
    }
}

/// Drops the characters that XML 1.0 cannot hold (control characters other than tab).
fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| c == '\t' || !c.is_control())
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect()
}

/// Escapes text for XML character data and attribute values.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in clean(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The core properties (`docProps/core.xml`): title, author, language, keywords and the
/// document's date as its creation and modification time.
fn core_properties(meta: &Meta<'_>) -> String {
    let date = format!("{}T00:00:00Z", meta.date);
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>",
            "<cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:keywords>{keywords}</cp:keywords>",
            "<dc:language>{lang}</dc:language>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified>"#,
            "<cp:revision>1</cp:revision></cp:coreProperties>"
        ),
        title = xml_escape(meta.title),
        author = xml_escape(meta.author),
        keywords = xml_escape(&meta.keywords.join(", ")),
        lang = xml_escape(meta.lang),
        date = date,
    )
}

/// Marks the header rows (the only rows written with `cantSplit`) to repeat on every page.
/// The element name cannot occur in text, where `<` is always escaped.
fn repeat_header_rows(document: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(document);
    text.replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />")
        .into_bytes()
}

/// Sets the language of the text in the default run properties (for spelling and
/// hyphenation), makes `Normal` the default paragraph style and gives paragraphs some
/// space below.
fn with_language(styles: &[u8], lang: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(styles)
        .replacen(
            r#"<w:style w:type="paragraph" w:styleId="Normal">"#,
            r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal">"#,
            1,
        )
        .replacen(
            "<w:pPrDefault><w:pPr><w:rPr /></w:pPr></w:pPrDefault>",
            r#"<w:pPrDefault><w:pPr><w:spacing w:after="120" /></w:pPr></w:pPrDefault>"#,
            1,
        );
    let tag = format!(
        r#"<w:lang w:val="{0}" w:eastAsia="{0}" w:bidi="{0}" />"#,
        xml_escape(lang)
    );
    match text.find("<w:rPrDefault>") {
        Some(at) => {
            let rest = text.get(at..).unwrap_or_default();
            match rest.find("</w:rPr>") {
                Some(end) => {
                    let mut out = String::with_capacity(text.len() + tag.len());
                    out.push_str(text.get(..at + end).unwrap_or_default());
                    out.push_str(&tag);
                    out.push_str(text.get(at + end..).unwrap_or_default());
                    out.into_bytes()
                }
                None => text.into_bytes(),
            }
        }
        None => text.into_bytes(),
    }
}

/// Numbers the paragraphs' ids (`w14:paraId`) in document order, so that they do not
/// depend on how many paragraphs the thread made before.
fn renumber_paragraph_ids(document: &[u8]) -> Vec<u8> {
    const ATTR: &str = "w14:paraId=\"";
    let text = String::from_utf8_lossy(document);
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    let mut n: u32 = 0;
    while let Some(at) = rest.find(ATTR) {
        let value_start = at + ATTR.len();
        let Some(len) = rest.get(value_start..).and_then(|r| r.find('"')) else {
            break;
        };
        n += 1;
        out.push_str(rest.get(..value_start).unwrap_or_default());
        out.push_str(&format!("{n:08X}"));
        rest = rest.get(value_start + len..).unwrap_or_default();
    }
    out.push_str(rest);
    out.into_bytes()
}

/// The language tag of a document language for Word, e.g. `fi-FI`.
#[must_use]
pub fn word_language(code: &str) -> &'static str {
    match code {
        "sv" => "sv-FI",
        "en" => "en-GB",
        _ => "fi-FI",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    fn meta() -> Meta<'static> {
        Meta {
            title: "Title & <x>",
            author: "Owner",
            lang: "fi-FI",
            date: jiff::civil::date(2026, 12, 1),
            date_text: "1.12.2026",
            draft: Some("LUONNOS"),
            keywords: &[],
            landscape: false,
        }
    }

    /// The text of one part of the package.
    fn part(docx: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip");
        let mut f = zip.by_name(name).expect("the part");
        let mut s = String::new();
        f.read_to_string(&mut s).expect("text");
        s
    }

    // A column gets at least what its longest word of code needs; the rest is shared.
    #[test]
    fn columns_make_room_for_code() {
        let w = column_widths(&[40, 51, 40], &[0, 51, 0], TEXT_WIDTH);
        assert_eq!(w[1], 51 * CODE_CHAR_TWIPS + CELL_MARGINS_TWIPS);
        let wide = column_widths(&[10, 51, 10], &[0, 51, 0], TEXT_WIDTH);
        assert!(wide[1] > 51 * CODE_CHAR_TWIPS + CELL_MARGINS_TWIPS);
        assert_eq!(w[0], w[2]);
        assert!(w.iter().sum::<usize>() <= TEXT_WIDTH);
        assert_eq!(column_widths(&[10, 30], &[0, 0], 4000), vec![1000, 3000]);
    }

    // The same input gives the same bytes, whatever was converted before.
    #[test]
    fn reproducible() {
        let md = "# A\n\nText.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        let a = markdown_to_docx(md, &meta()).expect("docx");
        let _ = markdown_to_docx("# other\n\nx\n\ny\n", &meta()).expect("docx");
        let b = markdown_to_docx(md, &meta()).expect("docx");
        assert_eq!(a, b);
    }

    // Headings use Word's heading styles; header rows repeat; the properties are set.
    #[test]
    fn structure_and_properties() {
        let d = markdown_to_docx(
            "# T\n\n## 1. Clause\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            &meta(),
        )
        .expect("docx");
        let doc = part(&d, "word/document.xml");
        assert!(doc.contains(r#"<w:pStyle w:val="Heading2" />"#), "{doc}");
        assert!(doc.contains("1. Clause"), "{doc}");
        assert_eq!(doc.matches("<w:tblHeader />").count(), 1, "{doc}");
        let core = part(&d, "docProps/core.xml");
        assert!(
            core.contains("<dc:title>Title &amp; &lt;x&gt;</dc:title>"),
            "{core}"
        );
        assert!(core.contains("<dc:language>fi-FI</dc:language>"), "{core}");
        assert!(
            core.contains(">2026-12-01T00:00:00Z</dcterms:created>"),
            "{core}"
        );
        let styles = part(&d, "word/styles.xml");
        assert!(styles.contains(r#"<w:lang w:val="fi-FI""#), "{styles}");
        let header = part(&d, "word/header1.xml");
        assert!(header.contains("LUONNOS"), "{header}");
    }

    // A signatory's block keeps together, with 15 mm above each line to write on.
    #[test]
    fn signatory_blocks() {
        let md = include_str!("../../tests/fixtures/markdown/signatories.md");
        let d = markdown_to_docx(md, &meta()).expect("docx");
        let doc = part(&d, "word/document.xml");
        assert_eq!(doc.matches(r#"w:before="851""#).count(), 3, "{doc}");
        assert!(doc.contains("<w:keepNext />"), "{doc}");
        assert!(doc.contains("<w:keepLines />"), "{doc}");
    }

    // Hostile text stays text: no field codes, no hyperlinks, markup escaped.
    #[test]
    fn hostile_values_stay_literal() {
        let md = "{ HYPERLINK \"javascript:x\" } [a](javascript:alert(1)) <b>x</b> \u{1}\n\n[ok](https://x.fi)\n";
        let d = markdown_to_docx(md, &meta()).expect("docx");
        let doc = part(&d, "word/document.xml");
        assert!(
            !doc.contains("instrText") && !doc.contains("fldSimple"),
            "{doc}"
        );
        assert!(!doc.contains("<w:hyperlink"), "{doc}");
        assert!(!doc.contains("javascript:alert"), "{doc}");
        assert!(doc.contains("&lt;b&gt;") && !doc.contains("<b>"), "{doc}");
        assert!(
            doc.contains(">ok<") && doc.contains(" (https://x.fi)"),
            "{doc}"
        );
    }
}
