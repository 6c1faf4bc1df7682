//! Markdown → Typst markup.
//!
//! [`markdown_to_typst`] walks the events of `pulldown-cmark` (`CommonMark` plus the GFM
//! extensions the documents use: tables, footnotes, strikethrough, task lists and heading
//! attributes) and writes a Typst *markup* body, ready to be placed inside a document that
//! imports `templates/typst/xroad.typ`.
//!
//! The output is built so that no input can turn into Typst code:
//!
//! - every piece of text goes through [`escape_text`], which backslash-escapes each character
//!   that means something in Typst markup, wherever it stands;
//! - every value that enters Typst *code* (a link target, the content of a code span or block,
//!   a language tag) goes through [`string_literal`];
//! - structure is written with function calls (`#list(..)`, `#table(..)`, `#quote(..)`) and
//!   content blocks rather than indentation-sensitive markup, so nesting cannot go wrong;
//! - raw HTML is shown as literal text; HTML comments are dropped, except the markers
//!   `<!-- signatures -->` and `<!-- /signatures -->`, which wrap the signature section in a
//!   `#block(..)[..] <signatures>`, and `<!-- signatory -->` and `<!-- /signatory -->` inside
//!   it, which wrap one signatory's block in `#block(breakable: false)[..] <signatory>` so
//!   that it never splits across pages. A section without signatory blocks never splits
//!   either; one with them may split between them, and the text before each block (the
//!   party's name, say) is made sticky so that it stays with the block. In a signatory's
//!   block, a paragraph with a line to write on by hand (a run of underscores) gets
//!   [`WRITING_SPACE`] of room above it.
//!
//! Brackets are always balanced: a construct still open when its container ends (an
//! unbalanced signature marker, say) is closed together with that container.

use std::collections::HashMap;
use std::fmt::Write as _;

use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
    TextMergeStream,
};

/// The HTML comment (without `<!--` and `-->`) that starts a signature section.
pub const SIGNATURES_START: &str = "signatures";

/// The HTML comment (without `<!--` and `-->`) that ends a signature section.
pub const SIGNATURES_END: &str = "/signatures";

/// The label of the signature section's block, for the page design to style it.
pub const SIGNATURES_LABEL: &str = "signatures";

/// The HTML comment (without `<!--` and `-->`) that starts one signatory's block.
pub const SIGNATORY_START: &str = "signatory";

/// The HTML comment (without `<!--` and `-->`) that ends one signatory's block.
pub const SIGNATORY_END: &str = "/signatory";

/// The label of a signatory's block, for the page design to style it.
pub const SIGNATORY_LABEL: &str = "signatory";

/// The room to sign by hand above a line to write on in a signatory's block.
pub const WRITING_SPACE: &str = "15mm";

/// How many underscores in a row make a line to write on by hand.
pub const BLANK_RUN: usize = 8;

/// Whether text (Markdown or markup, escaped or not) holds a line to write on by hand: a run
/// of [`BLANK_RUN`] underscores.
#[must_use]
pub fn has_blank(text: &str) -> bool {
    text.chars()
        .filter(|&c| c != '\\')
        .collect::<String>()
        .contains(&"_".repeat(BLANK_RUN))
}

/// How deeply constructs may nest in the output. Typst limits the nesting of markup and
/// of show rules, so deeper constructs are flattened: their text is kept without them.
const MAX_DEPTH: usize = 24;

/// The mark put in front of an unchecked task list item.
const TASK_OPEN: &str = "☐ ";

/// The mark put in front of a checked task list item.
const TASK_DONE: &str = "☑ ";

/// Converts a `CommonMark` + GFM document to a Typst markup body.
///
/// The result is meant to be included in a Typst document (for example after
/// `#show: document.with(..)` of `xroad.typ`); it sets no page or text styles itself.
/// The conversion never fails and never panics: any input gives markup that compiles.
#[must_use]
pub fn markdown_to_typst(markdown: &str) -> String {
    let events: Vec<Event<'_>> =
        TextMergeStream::new(Parser::new_ext(markdown, parser_options())).collect();
    let footnotes = collect_footnotes(&events);
    let mut renderer = Renderer::new(&footnotes, false, 0);
    renderer.run(&events);
    renderer.finish()
}

/// Tables with this many columns or more are laid out on landscape pages (PDF) and
/// stacked on narrow screens (HTML).
pub const WIDE_TABLE: usize = 6;

/// The number of columns of the widest table in a Markdown document (0 without tables).
#[must_use]
pub fn widest_table(markdown: &str) -> usize {
    Parser::new_ext(markdown, parser_options())
        .filter_map(|e| match e {
            Event::Start(Tag::Table(aligns)) => Some(aligns.len()),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

/// Escapes text so that Typst markup shows it literally, character for character.
///
/// Every character that is special anywhere in Typst markup is preceded by a backslash
/// (`\ # $ * _ @ < > [ ] ~ " ' = - + / { }` and the backtick), which also defuses comments
/// (`//`, `/*`),
/// automatic links (`https://`), shorthands (`~`, `-?`, `--`, `...`), smart quotes and the
/// markers that start headings, lists and terms at the beginning of a line. A `.` is escaped
/// where it could form `...` or an enumeration marker such as `1.`, and at the start of the
/// text, so that escaped pieces can be concatenated safely. Line breaks become spaces and
/// other control characters are dropped, so the result is always a single line.
#[must_use]
pub fn escape_text(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '#' | '$' | '*' | '_' | '@' | '<' | '>' | '[' | ']' | '`' | '~' | '"' | '\''
            | '=' | '-' | '+' | '/' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '.' => {
                let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
                let next = chars.get(i + 1).copied();
                let risky = match (prev, next) {
                    (None, _) => true,
                    (Some(p), n) => p.is_ascii_digit() || p == '.' || n == Some('.'),
                };
                if risky {
                    out.push('\\');
                }
                out.push('.');
            }
            c if is_typst_newline(c) => out.push(' '),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Quotes a value as a Typst string literal, e.g. `say "hi"` → `"say \"hi\""`.
///
/// Backslashes, quotes, line breaks, tabs and all other control characters are escaped, so
/// the literal is always a single line that evaluates to exactly `s`.
#[must_use]
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_typst_newline(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The parser options of the documents: GFM tables, footnotes, strikethrough, task lists and
/// `{#id}` heading attributes; no smart punctuation and no math.
fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Whether Typst treats `c` as a line break in source text.
const fn is_typst_newline(c: char) -> bool {
    matches!(
        c,
        '\n' | '\x0B' | '\x0C' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Prepares the text of code for `raw`: line breaks become `\n`, other control characters
/// (which no font can show) are dropped, tabs are kept.
fn code_text(code: &str) -> String {
    let code = code.replace("\r\n", "\n");
    code.chars()
        .filter_map(|c| match c {
            c if is_typst_newline(c) => Some('\n'),
            '\t' => Some('\t'),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Normalises a footnote label the way references are matched to definitions: case- and
/// whitespace-insensitively.
fn footnote_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Footnote definitions by normalised label: the events between the definition's start and
/// end. The first definition of a label wins.
type Footnotes<'e> = HashMap<String, &'e [Event<'e>]>;

/// Finds every footnote definition in the event stream.
fn collect_footnotes<'e>(events: &'e [Event<'e>]) -> Footnotes<'e> {
    let mut footnotes = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Some(Event::Start(Tag::FootnoteDefinition(label))) = events.get(i) {
            let body_start = i + 1;
            let mut depth = 1usize;
            let mut j = body_start;
            while j < events.len() {
                match events.get(j) {
                    Some(Event::Start(_)) => depth += 1,
                    Some(Event::End(_)) => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                j += 1;
            }
            let body = events.get(body_start..j).unwrap_or(&[]);
            footnotes.entry(footnote_key(label)).or_insert(body);
            i = j + 1;
        } else {
            i += 1;
        }
    }
    footnotes
}

/// Trims the whitespace around a block of markup without leaving a lone `\` at its end,
/// which would otherwise escape the bracket that follows it.
fn trim_block(s: &str) -> String {
    let trimmed = s.trim();
    let backslashes = trimmed.chars().rev().take_while(|&c| c == '\\').count();
    if backslashes % 2 == 1 {
        format!("{trimmed} ")
    } else {
        trimmed.to_owned()
    }
}

/// Reduces a heading id to the characters a Typst label literal accepts.
fn label_name(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        .collect()
}

/// Markup being written for one open construct.
#[derive(Debug, Default)]
struct Out {
    /// The markup so far.
    s: String,
    /// Whether `s` ends with an embedded expression (`#f(..)[..]`), after which a `(`, `[`,
    /// `.` or `;` would continue the expression instead of starting text.
    after_expr: bool,
}

impl Out {
    /// Appends markup or escaped text, ending a preceding expression first where needed.
    fn push(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if self.after_expr && s.starts_with(['(', '[', '.', ';']) {
            self.s.push(';');
        }
        self.s.push_str(s);
        self.after_expr = false;
    }

    /// Appends an embedded expression such as `#emph[..]`.
    fn push_expr(&mut self, s: &str) {
        self.push(s);
        self.after_expr = true;
    }

    /// Makes sure that block-level markup starts on a line of its own.
    fn begin_block(&mut self) {
        if !self.s.is_empty() && !self.s.ends_with('\n') {
            self.push("\n");
        }
    }

    /// Appends a finished block and the paragraph break after it.
    fn push_block(&mut self, block: &str) {
        self.begin_block();
        self.push(block);
        self.push("\n\n");
    }
}

/// The kind of an open construct, with what it needs to be closed.
#[derive(Debug)]
enum Kind {
    /// A heading.
    Heading {
        /// Its level, 1–6.
        level: usize,
        /// Its label (from `{#id}`), or empty.
        label: String,
    },
    /// An inline style written as `#name[..]` (`emph`, `strong`, `strike`, `super`, `sub`).
    Styled(&'static str),
    /// A link to the given URL.
    Link(String),
    /// A construct whose content is kept as it is (images keep their alt text).
    Transparent,
    /// A construct whose content is dropped (metadata blocks).
    Discard,
    /// A construct nested too deeply for Typst, whose content is kept without it.
    Flat {
        /// Whether the content is a block of its own (or inline).
        block: bool,
    },
    /// A list.
    List {
        /// The number of the first item of an ordered list; `None` for a bullet list.
        start: Option<u64>,
        /// The markup of the items closed so far.
        items: Vec<String>,
        /// Whether any item holds paragraphs.
        loose: bool,
    },
    /// A list item.
    Item {
        /// Whether it holds paragraphs.
        loose: bool,
    },
    /// A block quote.
    Quote,
    /// A table.
    Table {
        /// The alignment of each column.
        aligns: Vec<Alignment>,
        /// The cells of the header row.
        header: Option<Vec<String>>,
        /// The cells of the body rows.
        rows: Vec<Vec<String>>,
        /// For each column, the length in characters of the longest word of code in it.
        words: Vec<usize>,
    },
    /// A table row.
    Row {
        /// Whether it is the header row.
        head: bool,
        /// The markup of its cells closed so far.
        cells: Vec<String>,
    },
    /// A table cell.
    Cell,
    /// A code block; its text is collected verbatim.
    Code(Option<String>),
    /// An HTML block; its text is collected verbatim.
    Html,
    /// A signature section.
    Signatures {
        /// Whether its end marker was seen inside a nested construct, so that it closes as
        /// soon as that construct does.
        close_pending: bool,
        /// Where in its markup the text after the last signatory's block starts.
        mark: usize,
        /// Whether it holds signatory blocks (and so may split between them).
        signatories: bool,
    },
    /// One signatory's block inside a signature section.
    Signatory {
        /// As for [`Kind::Signatures`].
        close_pending: bool,
    },
}

impl Kind {
    /// Whether this is a section opened by a marker comment.
    const fn is_marked(&self) -> bool {
        matches!(self, Kind::Signatures { .. } | Kind::Signatory { .. })
    }

    /// Whether its end marker was seen inside a nested construct.
    const fn close_pending(&self) -> bool {
        matches!(
            self,
            Kind::Signatures {
                close_pending: true,
                ..
            } | Kind::Signatory {
                close_pending: true
            }
        )
    }
}

/// One open construct and the markup written inside it.
#[derive(Debug)]
struct Frame {
    /// What the construct is.
    kind: Kind,
    /// Its content so far.
    out: Out,
}

/// A piece of raw HTML: text to show, or a signature marker.
#[derive(Debug, PartialEq)]
enum HtmlPiece<'h> {
    /// Literal text (with comments removed).
    Text(&'h str),
    /// `<!-- signatures -->`.
    Open,
    /// `<!-- /signatures -->`.
    Close,
    /// `<!-- signatory -->`.
    OpenSignatory,
    /// `<!-- /signatory -->`.
    CloseSignatory,
}

/// Splits raw HTML into literal text and signature markers, dropping every other comment.
fn html_pieces(html: &str) -> Vec<HtmlPiece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        if start > 0 {
            pieces.push(HtmlPiece::Text(rest.get(..start).unwrap_or_default()));
        }
        let after = rest.get(start + 4..).unwrap_or_default();
        // `<!-->` and `<!--->` are complete (empty) comments in CommonMark.
        let (body, next) = if let Some(r) = after.strip_prefix('>') {
            ("", r)
        } else if let Some(r) = after.strip_prefix("->") {
            ("", r)
        } else if let Some(end) = after.find("-->") {
            (
                after.get(..end).unwrap_or_default(),
                after.get(end + 3..).unwrap_or_default(),
            )
        } else {
            (after, "")
        };
        let body = body.trim();
        if body.eq_ignore_ascii_case(SIGNATURES_START) {
            pieces.push(HtmlPiece::Open);
        } else if body.eq_ignore_ascii_case(SIGNATURES_END) {
            pieces.push(HtmlPiece::Close);
        } else if body.eq_ignore_ascii_case(SIGNATORY_START) {
            pieces.push(HtmlPiece::OpenSignatory);
        } else if body.eq_ignore_ascii_case(SIGNATORY_END) {
            pieces.push(HtmlPiece::CloseSignatory);
        }
        rest = next;
    }
    if !rest.is_empty() {
        pieces.push(HtmlPiece::Text(rest));
    }
    pieces
}

/// Walks the events and writes the markup, keeping a stack of open constructs.
struct Renderer<'f, 'e> {
    /// The footnote definitions of the document.
    footnotes: &'f Footnotes<'e>,
    /// Whether this renders the body of a footnote (whose own references stay text).
    in_footnote: bool,
    /// How deeply the output of this renderer is nested already (in a footnote, say).
    depth: usize,
    /// The markup of the document itself.
    root: Out,
    /// The constructs open inside it, innermost last.
    stack: Vec<Frame>,
    /// The nesting depth inside a footnote definition being skipped (0 when not skipping).
    skip: usize,
    /// The paragraph open directly in a signatory's block: the stack depth and where its
    /// markup starts.
    para: Option<(usize, usize)>,
}

impl<'f, 'e> Renderer<'f, 'e> {
    /// Creates a renderer with an empty root, for output nested `depth` levels deep.
    fn new(footnotes: &'f Footnotes<'e>, in_footnote: bool, depth: usize) -> Self {
        Self {
            footnotes,
            in_footnote,
            depth,
            root: Out::default(),
            stack: Vec::new(),
            skip: 0,
            para: None,
        }
    }

    /// Closes everything still open and returns the markup, ending with one newline (or
    /// empty for an empty document).
    fn finish(mut self) -> String {
        while !self.stack.is_empty() {
            self.pop();
        }
        let body = trim_block(&self.root.s);
        if body.is_empty() {
            String::new()
        } else {
            format!("{body}\n")
        }
    }

    /// The innermost open construct's markup.
    fn out(&mut self) -> &mut Out {
        match self.stack.last_mut() {
            Some(frame) => &mut frame.out,
            None => &mut self.root,
        }
    }

    /// The innermost open construct that is not a signature section or block.
    fn innermost_structural(&mut self) -> Option<&mut Frame> {
        self.stack.iter_mut().rev().find(|f| !f.kind.is_marked())
    }

    /// Whether text is written inside a heading (where it has to stay on one line).
    fn in_heading(&self) -> bool {
        self.stack
            .iter()
            .any(|f| matches!(f.kind, Kind::Heading { .. }))
    }

    /// Opens a construct, or a flat stand-in for it where the output would nest too deeply.
    fn open(&mut self, kind: Kind) {
        let depth = self.depth + self.stack.len();
        // How many levels the construct needs; its rows, cells and items come with it.
        let needed = match kind {
            Kind::Table { .. } => 3,
            Kind::List { .. } => 2,
            Kind::Item { .. }
            | Kind::Row { .. }
            | Kind::Cell
            | Kind::Code(_)
            | Kind::Html
            | Kind::Discard
            | Kind::Flat { .. } => 0,
            _ => 1,
        };
        let kind = if needed > 0 && depth + needed > MAX_DEPTH {
            Kind::Flat {
                block: matches!(
                    kind,
                    Kind::Heading { .. }
                        | Kind::List { .. }
                        | Kind::Quote
                        | Kind::Table { .. }
                        | Kind::Signatures { .. }
                        | Kind::Signatory { .. }
                ),
            }
        } else {
            kind
        };
        self.stack.push(Frame {
            kind,
            out: Out::default(),
        });
    }

    /// Processes all events.
    fn run(&mut self, events: &[Event<'_>]) {
        for event in events {
            self.event(event);
        }
    }

    /// Processes one event.
    fn event(&mut self, event: &Event<'_>) {
        if self.skip > 0 {
            match event {
                Event::Start(_) => self.skip += 1,
                Event::End(_) => self.skip -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(*tag),
            Event::Text(text) => self.text(text),
            Event::Code(code) => {
                self.note_code_words(code);
                let expr = format!("#raw({})", string_literal(&code_text(code)));
                self.out().push_expr(&expr);
            }
            Event::InlineMath(math) | Event::DisplayMath(math) => {
                let text = escape_text(&format!("${math}$"));
                self.out().push(&text);
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(Frame {
                    kind: Kind::Html, ..
                }) = self.stack.last()
                {
                    self.out().s.push_str(html);
                } else {
                    self.inline_html(html);
                }
            }
            Event::FootnoteReference(label) => self.footnote_reference(label),
            Event::SoftBreak => {
                if self.in_heading() {
                    self.out().push(" ");
                } else {
                    self.out().push("\n");
                }
            }
            Event::HardBreak => {
                if self.in_heading() {
                    self.out().push("\\ ");
                } else {
                    self.out().push("\\\n");
                }
            }
            Event::Rule => self.out().push_block("#line(length: 100%)"),
            Event::TaskListMarker(checked) => {
                self.out()
                    .push(if *checked { TASK_DONE } else { TASK_OPEN });
            }
        }
    }

    /// Notes the longest word of a code span in a table cell for its column, which is made
    /// wide enough for it (the page design never breaks a word of code).
    fn note_code_words(&mut self, code: &str) {
        let longest = code
            .split(' ')
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0);
        let Some(cell) = self
            .stack
            .iter()
            .rposition(|f| matches!(f.kind, Kind::Cell))
        else {
            return;
        };
        let (Some(row), Some(table)) = (cell.checked_sub(1), cell.checked_sub(2)) else {
            return;
        };
        let column = match self.stack.get(row).map(|f| &f.kind) {
            Some(Kind::Row { cells, .. }) => cells.len(),
            _ => return,
        };
        if let Some(Frame {
            kind: Kind::Table { words, .. },
            ..
        }) = self.stack.get_mut(table)
            && let Some(w) = words.get_mut(column)
        {
            *w = (*w).max(longest);
        }
    }

    /// Handles text: verbatim inside code and HTML blocks, escaped everywhere else.
    fn text(&mut self, text: &str) {
        match self.stack.last().map(|f| &f.kind) {
            Some(Kind::Code(_) | Kind::Html) => self.out().s.push_str(text),
            Some(Kind::Discard) => {}
            _ => {
                let escaped = escape_text(text);
                self.out().push(&escaped);
            }
        }
    }

    /// Handles the start of a tag.
    fn start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                if let Some(Frame {
                    kind: Kind::Item { loose },
                    ..
                }) = self.innermost_structural()
                {
                    *loose = true;
                }
                self.out().begin_block();
                if matches!(
                    self.stack.last().map(|f| &f.kind),
                    Some(Kind::Signatory { .. })
                ) {
                    let at = self.out().s.len();
                    self.para = Some((self.stack.len(), at));
                }
            }
            Tag::Heading { level, id, .. } => {
                self.out().begin_block();
                let label = id.as_deref().map(label_name).unwrap_or_default();
                self.open(Kind::Heading {
                    level: heading_level(*level),
                    label,
                });
            }
            Tag::BlockQuote(_) => self.open(Kind::Quote),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned),
                    CodeBlockKind::Indented => None,
                };
                self.open(Kind::Code(lang));
            }
            Tag::HtmlBlock => self.open(Kind::Html),
            Tag::List(start) => self.open(Kind::List {
                start: *start,
                items: Vec::new(),
                loose: false,
            }),
            Tag::Item => self.open(Kind::Item { loose: false }),
            Tag::FootnoteDefinition(_) => self.skip = 1,
            Tag::Table(aligns) => self.open(Kind::Table {
                aligns: aligns.clone(),
                header: None,
                rows: Vec::new(),
                words: vec![0; aligns.len()],
            }),
            Tag::TableHead => self.open(Kind::Row {
                head: true,
                cells: Vec::new(),
            }),
            Tag::TableRow => self.open(Kind::Row {
                head: false,
                cells: Vec::new(),
            }),
            Tag::TableCell => self.open(Kind::Cell),
            Tag::Emphasis => self.open(Kind::Styled("emph")),
            Tag::Strong => self.open(Kind::Styled("strong")),
            Tag::Strikethrough => self.open(Kind::Styled("strike")),
            Tag::Superscript => self.open(Kind::Styled("super")),
            Tag::Subscript => self.open(Kind::Styled("sub")),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let url = if *link_type == LinkType::Email {
                    format!("mailto:{dest_url}")
                } else {
                    dest_url.to_string()
                };
                self.open(Kind::Link(url));
            }
            Tag::Image { .. }
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => self.open(Kind::Transparent),
            Tag::MetadataBlock(_) => self.open(Kind::Discard),
        }
    }

    /// Handles the end of a tag.
    fn end(&mut self, tag: TagEnd) {
        if tag == TagEnd::Paragraph {
            self.end_paragraph();
            self.out().push("\n\n");
            return;
        }
        // Signature sections and blocks still open inside the construct end with it.
        while self.stack.last().is_some_and(|f| f.kind.is_marked()) {
            self.pop();
        }
        self.pop();
    }

    /// Closes the innermost construct and writes it into its parent. A signature section
    /// whose end marker was seen inside that construct is closed right after it.
    fn pop(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        self.close(frame);
        if self.stack.last().is_some_and(|f| f.kind.close_pending()) {
            self.pop();
        }
    }

    /// Ends a paragraph: one directly in a signatory's block that holds a line to write on
    /// gets the room to write above it.
    fn end_paragraph(&mut self) {
        let depth = self.stack.len();
        let Some((d, at)) = self.para.take() else {
            return;
        };
        if d != depth {
            self.para = Some((d, at));
            return;
        }
        let out = self.out();
        if out.s.get(at..).is_some_and(has_blank) && out.s.is_char_boundary(at) {
            out.s.insert_str(at, &format!("#v({WRITING_SPACE})\n"));
        }
    }

    /// Writes a closed construct into its parent.
    fn close(&mut self, frame: Frame) {
        let Frame { kind, out } = frame;
        let content = out.s;
        match kind {
            Kind::Heading { level, label } => {
                let mut line = "=".repeat(level);
                line.push(' ');
                line.push_str(&trim_block(&content));
                if !label.is_empty() {
                    line.push_str(" <");
                    line.push_str(&label);
                    line.push('>');
                }
                self.out().push_block(&line);
            }
            Kind::Styled(name) => {
                let expr = format!("#{name}[{content}]");
                self.out().push_expr(&expr);
            }
            Kind::Link(url) if !url.is_empty() && crate::render::html::safe_link(&url) => {
                let expr = format!("#link({})[{content}]", string_literal(&url));
                self.out().push_expr(&expr);
            }
            // Typst rejects an empty URL, and a link with an unsafe scheme (`javascript:`,
            // `file:`, `data:`) must not be clickable: such a link is shown as its text.
            Kind::Link(_) | Kind::Transparent | Kind::Flat { block: false } => {
                let parent = self.out();
                parent.push(&content);
                if !content.is_empty() {
                    parent.after_expr = out.after_expr;
                }
            }
            Kind::Discard => {}
            Kind::Flat { block: true } => {
                let block = trim_block(&content);
                self.out().push_block(&block);
            }
            Kind::List {
                start,
                items,
                loose,
            } => {
                let block = list_markup(start, &items, loose);
                self.out().push_block(&block);
            }
            Kind::Item { loose } => self.close_item(trim_block(&content), loose),
            Kind::Quote => {
                let block = format!("#quote(block: true)[\n{}\n]", trim_block(&content));
                self.out().push_block(&block);
            }
            Kind::Table {
                aligns,
                header,
                rows,
                words,
            } => {
                let block = table_markup(&aligns, header, rows, &words);
                if !block.is_empty() {
                    self.out().push_block(&block);
                }
            }
            Kind::Row { head, cells } => self.close_row(head, cells),
            Kind::Cell => self.close_cell(&content),
            Kind::Code(lang) => {
                let code = code_text(&content);
                let code = code.strip_suffix('\n').unwrap_or(&code);
                let lang = lang
                    .map(|l| format!("lang: {}, ", string_literal(&l)))
                    .unwrap_or_default();
                let block = format!("#raw(block: true, {lang}{})", string_literal(code));
                self.out().push_block(&block);
            }
            Kind::Html => self.block_html(&content),
            Kind::Signatures { signatories, .. } => {
                let block = format!(
                    "#block(breakable: {signatories})[\n{}\n] <{SIGNATURES_LABEL}>",
                    trim_block(&content)
                );
                self.out().push_block(&block);
            }
            Kind::Signatory { .. } => {
                let block = format!(
                    "#block(breakable: false)[\n{}\n] <{SIGNATORY_LABEL}>",
                    trim_block(&content)
                );
                let parent = self.out();
                parent.push_block(&block);
                let end = parent.s.len();
                if let Some(Frame {
                    kind: Kind::Signatures { mark, .. },
                    ..
                }) = self.stack.last_mut()
                {
                    *mark = end;
                }
            }
        }
    }

    /// Adds a closed item to its list.
    fn close_item(&mut self, item: String, loose: bool) {
        if let Some(Frame {
            kind: Kind::List {
                items, loose: l, ..
            },
            ..
        }) = self.stack.last_mut()
        {
            items.push(item);
            *l |= loose;
        } else {
            // An item outside a list (a flattened one): keep its text.
            self.out().push_block(&item);
        }
    }

    /// Adds a closed row to its table.
    fn close_row(&mut self, head: bool, cells: Vec<String>) {
        if let Some(Frame {
            kind: Kind::Table { header, rows, .. },
            ..
        }) = self.stack.last_mut()
        {
            if head {
                *header = Some(cells);
            } else {
                rows.push(cells);
            }
        } else {
            // A row outside a table (a flattened one): keep its text.
            let text = cells.join(" ");
            self.out().push_block(&text);
        }
    }

    /// Adds a closed cell to its row.
    fn close_cell(&mut self, content: &str) {
        if let Some(Frame {
            kind: Kind::Row { cells, .. },
            ..
        }) = self.stack.last_mut()
        {
            cells.push(trim_block(content));
        } else {
            self.out().push(content);
        }
    }

    /// Writes an HTML block: its text literally, line by line, with signature markers acted
    /// upon and comments dropped.
    fn block_html(&mut self, html: &str) {
        for piece in html_pieces(html) {
            match piece {
                HtmlPiece::Text(text) => {
                    let lines: Vec<String> = text
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(escape_text)
                        .collect();
                    if !lines.is_empty() {
                        self.out().push_block(&lines.join("\\\n"));
                    }
                }
                HtmlPiece::Open => self.open_signatures(),
                HtmlPiece::Close => self.close_signatures(),
                HtmlPiece::OpenSignatory => self.open_signatory(),
                HtmlPiece::CloseSignatory => self.close_marked(true),
            }
        }
    }

    /// Writes inline HTML: its text literally, with signature markers acted upon and
    /// comments dropped.
    fn inline_html(&mut self, html: &str) {
        for piece in html_pieces(html) {
            match piece {
                HtmlPiece::Text(text) => {
                    let escaped = escape_text(text);
                    self.out().push(&escaped);
                }
                HtmlPiece::Open => self.open_signatures(),
                HtmlPiece::Close => self.close_signatures(),
                HtmlPiece::OpenSignatory => self.open_signatory(),
                HtmlPiece::CloseSignatory => self.close_marked(true),
            }
        }
    }

    /// Starts a signature section, unless one is open already.
    fn open_signatures(&mut self) {
        let open = self
            .stack
            .iter()
            .any(|f| matches!(f.kind, Kind::Signatures { .. }));
        // Too deep to nest a block (or being skipped): the marker is ignored.
        let room = self.depth + self.stack.len() < MAX_DEPTH;
        if !open && room {
            self.out().begin_block();
            self.open(Kind::Signatures {
                close_pending: false,
                mark: 0,
                signatories: false,
            });
        }
    }

    /// Starts a signatory's block, directly inside an open signature section (elsewhere the
    /// marker is ignored). The text since the section's start or the previous block is made
    /// sticky, so that it stays on the page of this block.
    fn open_signatory(&mut self) {
        let room = self.depth + self.stack.len() < MAX_DEPTH;
        let Some(Frame {
            kind: Kind::Signatures {
                mark, signatories, ..
            },
            out,
        }) = self.stack.last_mut()
        else {
            return;
        };
        if !room {
            return;
        }
        *signatories = true;
        let at = (*mark).min(out.s.len());
        if out.s.is_char_boundary(at) {
            let tail = out.s.split_off(at);
            let tail = trim_block(&tail);
            out.after_expr = false;
            if !tail.is_empty() {
                out.push_block(&format!("#block(sticky: true)[\n{tail}\n]"));
            }
        }
        self.out().begin_block();
        self.open(Kind::Signatory {
            close_pending: false,
        });
    }

    /// Ends the open signature section (and a signatory's block still open in it).
    fn close_signatures(&mut self) {
        self.close_marked(false);
    }

    /// Ends the open signatory's block (`signatory`) or signature section: now if it is the
    /// innermost construct, otherwise as soon as the constructs inside it are closed.
    /// Without one open, does nothing.
    fn close_marked(&mut self, signatory: bool) {
        let wanted = |k: &Kind| {
            if signatory {
                matches!(k, Kind::Signatory { .. })
            } else {
                matches!(k, Kind::Signatures { .. })
            }
        };
        let Some(i) = self.stack.iter().rposition(|f| wanted(&f.kind)) else {
            return;
        };
        let inner_all_marked = self
            .stack
            .get(i + 1..)
            .is_some_and(|rest| rest.iter().all(|f| f.kind.is_marked()));
        if inner_all_marked {
            while self.stack.len() > i {
                self.pop();
            }
        } else if let Some(f) = self.stack.get_mut(i) {
            match &mut f.kind {
                Kind::Signatures { close_pending, .. } | Kind::Signatory { close_pending } => {
                    *close_pending = true;
                }
                _ => {}
            }
        }
    }

    /// Writes a footnote reference: the definition's content inside `#footnote[..]`, or the
    /// reference's own text when there is no definition (or inside another footnote).
    fn footnote_reference(&mut self, label: &str) {
        let body = if self.in_footnote {
            None
        } else {
            self.footnotes.get(&footnote_key(label)).copied()
        };
        match body {
            Some(events) => {
                let depth = self.depth + self.stack.len() + 1;
                let mut inner = Renderer::new(self.footnotes, true, depth);
                inner.run(events);
                let content = inner.finish();
                let expr = format!("#footnote[{}]", trim_block(&content));
                self.out().push_expr(&expr);
            }
            None => {
                let text = escape_text(&format!("[^{label}]"));
                self.out().push(&text);
            }
        }
    }
}

/// Converts a heading level to its number.
pub(crate) const fn heading_level(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Writes a `#list(..)` or, for an ordered list, an `#enum(..)` call.
fn list_markup(start: Option<u64>, items: &[String], loose: bool) -> String {
    let mut block = match start {
        Some(n) => format!("#enum(\n  start: {n},\n  tight: {},\n", !loose),
        None => format!("#list(\n  tight: {},\n", !loose),
    };
    for item in items {
        let _ = writeln!(block, "  [{item}],");
    }
    block.push(')');
    block
}

/// Columns whose longest word of code has this many characters or more get a width that
/// holds it; other columns size themselves (and wrap their text).
const LONG_WORD: usize = 20;

/// The width of one character of inline code in a table, in the table text's `em`, in
/// hundredths: the page design's monospace font advances 0.615 em at 0.688 of the text size
/// (0.423 em), rounded up.
const CODE_CHAR_WIDTH: usize = 43;

/// The `columns` argument of a table: the number of columns, or their widths when a column
/// holds a long word of code (an identifier), which must fit its column unbroken.
fn columns_markup(words: &[usize], columns: usize) -> String {
    if words.iter().all(|&w| w < LONG_WORD) {
        return columns.to_string();
    }
    let widths: Vec<String> = (0..columns)
        .map(|i| match words.get(i) {
            Some(&w) if w >= LONG_WORD => {
                let hundredths = w * CODE_CHAR_WIDTH;
                format!("{}.{:02}em + 12pt", hundredths / 100, hundredths % 100)
            }
            _ => "auto".to_owned(),
        })
        .collect();
    format!("({},)", widths.join(", "))
}

/// Writes a `#table(..)` call: one column per alignment, the header row repeated on every
/// page, and every row padded or cut to the number of columns.
fn table_markup(
    aligns: &[Alignment],
    header: Option<Vec<String>>,
    rows: Vec<Vec<String>>,
    words: &[usize],
) -> String {
    let columns = aligns.len();
    if columns == 0 {
        return String::new();
    }
    let align: Vec<&str> = aligns
        .iter()
        .map(|a| match a {
            Alignment::None | Alignment::Left => "left",
            Alignment::Center => "center",
            Alignment::Right => "right",
        })
        .collect();
    let cells = |mut row: Vec<String>| -> String {
        // GFM pads short rows with empty cells and drops the cells beyond the header's.
        row.resize(columns, String::new());
        row.iter()
            .map(|c| format!("[{c}]"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut block = format!(
        "#table(\n  columns: {},\n  align: ({},),\n",
        columns_markup(words, columns),
        align.join(", ")
    );
    if let Some(header) = header {
        let _ = writeln!(block, "  table.header(repeat: true, {}),", cells(header));
    }
    for row in rows {
        let _ = writeln!(block, "  {},", cells(row));
    }
    block.push(')');
    block
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Converts and returns the markup, for the exact-output tests below.
    fn t(markdown: &str) -> String {
        markdown_to_typst(markdown)
    }

    // Every markup character is escaped, so text cannot become markup or code.
    #[test]
    fn escape_text_escapes_every_markup_character() {
        assert_eq!(
            escape_text(r#"\ # $ * _ @ < > [ ] ` ~ " ' = - + / { }"#),
            r#"\\ \# \$ \* \_ \@ \< \> \[ \] \` \~ \" \' \= \- \+ \/ \{ \}"#
        );
    }

    // Comments, links, shorthands and line-start markers are defused.
    #[test]
    fn escape_text_defuses_comments_links_and_shorthands() {
        assert_eq!(escape_text("a // b /* c */"), r"a \/\/ b \/\* c \*\/");
        assert_eq!(escape_text("https://x.fi"), r"https:\/\/x.fi");
        assert_eq!(
            escape_text("a -? b -- c --- d..."),
            r"a \-? b \-\- c \-\-\- d\.\.\."
        );
        assert_eq!(escape_text("1. x 2024.12 v1.2"), r"1\. x 2024\.12 v1\.2");
        assert_eq!(escape_text(". after"), r"\. after");
        assert_eq!(escape_text("end."), "end.");
    }

    // Line breaks become spaces and control characters disappear, so the text is one line.
    #[test]
    fn escape_text_keeps_a_single_line() {
        assert_eq!(escape_text("a\nb\r\nc\u{2028}d\u{1}e\tf"), "a b  c de\tf");
    }

    // String literals escape what Typst strings need escaped.
    #[test]
    fn string_literal_escapes() {
        assert_eq!(string_literal(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(string_literal("x\ny\tz\r"), r#""x\ny\tz\r""#);
        assert_eq!(string_literal("\u{0}\u{2028}"), r#""\u{0}\u{2028}""#);
        assert_eq!(string_literal(""), r#""""#);
    }

    // An empty document gives an empty body.
    #[test]
    fn empty_document() {
        assert_eq!(t(""), "");
        assert_eq!(t("\n\n  \n"), "");
    }

    // Headings map to `=` markers, with `{#id}` as a label.
    #[test]
    fn headings() {
        assert_eq!(
            t("# One\n\n## Two {#two}\n\n###### Six\n"),
            "= One\n\n== Two <two>\n\n====== Six\n"
        );
        assert_eq!(t("Multi\nline\n===\n"), "= Multi line\n");
        assert_eq!(t("# a  \\\n"), "= a  \\\\\n");
        assert_eq!(t("# odd {#a/b\"c}\n"), "= odd <abc>\n");
        assert_eq!(t("#\n"), "=\n");
    }

    // Paragraphs are separated by blank lines; soft and hard breaks are kept.
    #[test]
    fn paragraphs_and_breaks() {
        assert_eq!(t("a\nb\n\nc  \nd\\\ne\n"), "a\nb\n\nc\\\nd\\\ne\n");
    }

    // Inline styles use functions, ended with `;` where text would continue them.
    #[test]
    fn emphasis_strong_strike() {
        assert_eq!(
            t("*a* **b** ~~c~~ ***d***"),
            "#emph[a] #strong[b] #strike[c] #emph[#strong[d]]\n"
        );
        assert_eq!(
            t("*a*(b) *c*.d *e*;"),
            "#emph[a];(b) #emph[c]\\.d #emph[e];;\n"
        );
    }

    // Links keep their target as an escaped string; e-mail autolinks get `mailto:`.
    #[test]
    fn links() {
        assert_eq!(
            t(r#"[x *y*](http://a.b/"c"\\ "t") <https://z.fi> <me@x.fi>"#),
            "#link(\"http://a.b/\\\"c\\\"\\\\\")[x #emph[y]] #link(\"https://z.fi\")[https:\\/\\/z.fi] \
             #link(\"mailto:me@x.fi\")[me\\@x.fi]\n"
        );
    }

    // Images are shown as their alt text.
    #[test]
    fn images() {
        assert_eq!(t("![the *logo*](logo.png \"t\")"), "the #emph[logo]\n");
        assert_eq!(t("[![alt](i.png)](u)"), "#link(\"u\")[alt]\n");
        assert_eq!(t("[no target]()"), "no target\n");
    }

    // Bullet and ordered lists, tight, with the right start number and nesting.
    #[test]
    fn tight_lists() {
        assert_eq!(
            t("- a\n- b\n  1. c\n  2. d\n\n3. e\n"),
            "#list(\n  tight: true,\n  [a],\n  [b\n#enum(\n  start: 1,\n  tight: true,\n  [c],\n  [d],\n)],\n)\n\n\
             #enum(\n  start: 3,\n  tight: true,\n  [e],\n)\n"
        );
    }

    // A loose list puts its items' paragraphs apart.
    #[test]
    fn loose_lists() {
        assert_eq!(
            t("1. a\n\n   b\n2. c\n"),
            "#enum(\n  start: 1,\n  tight: false,\n  [a\n\nb],\n  [c],\n)\n"
        );
    }

    // Task list items start with a ballot box.
    #[test]
    fn task_lists() {
        assert_eq!(
            t("- [ ] open\n- [x] done\n"),
            "#list(\n  tight: true,\n  [☐ open],\n  [☑ done],\n)\n"
        );
    }

    // Tables get their alignments, a repeating header and rows padded to the column count.
    #[test]
    fn tables() {
        assert_eq!(
            t("| a | *b* | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 |\n| 3 | 4 | 5 | 6 | 7 |\n"),
            "#table(\n  columns: 4,\n  align: (left, center, right, left,),\n  \
             table.header(repeat: true, [a], [#emph[b]], [c], [d]),\n  [1], [2], [], [],\n  \
             [3], [4], [5], [6],\n)\n"
        );
    }

    // A column with a long word of code is as wide as that word; the others size themselves.
    #[test]
    fn tables_make_room_for_identifiers() {
        assert_eq!(
            t(
                "| a | b |\n|---|---|\n| x | `SERVER:FI/MUN/1234567-1/ab` y |\n| z | `C=FI, O=a` |\n"
            ),
            "#table(\n  columns: (auto, 11.18em + 12pt,),\n  align: (left, left,),\n  \
             table.header(repeat: true, [a], [b]),\n  [x], [#raw(\"SERVER:FI/MUN/1234567-1/ab\") y],\n  \
             [z], [#raw(\"C=FI, O=a\")],\n)\n"
        );
        assert_eq!(columns_markup(&[19, 3], 2), "2");
    }

    // Block quotes become block `quote`s and can nest.
    #[test]
    fn block_quotes() {
        assert_eq!(
            t("> a\n>\n> > b\n"),
            "#quote(block: true)[\na\n\n#quote(block: true)[\nb\n]\n]\n"
        );
    }

    // Code spans and blocks pass their text as string literals, with the language if any.
    #[test]
    fn code() {
        assert_eq!(t("`a\"\\b`"), "#raw(\"a\\\"\\\\b\")\n");
        assert_eq!(
            t("```toml extra\nx = \"]\"\n```\n\n    indented\n"),
            "#raw(block: true, lang: \"toml\", \"x = \\\"]\\\"\")\n\n#raw(block: true, \"indented\")\n"
        );
    }

    // Footnotes are placed where they are referenced; undefined ones keep their text.
    #[test]
    fn footnotes() {
        assert_eq!(
            t("A[^n] B[^N] C[^x].\n\n[^n]: Note *one*.\n\n    more\n"),
            "A#footnote[Note #emph[one]\\.\n\nmore] B#footnote[Note #emph[one]\\.\n\nmore] \
             C\\[^x\\].\n"
        );
    }

    // A footnote that refers to a footnote keeps the inner reference as text.
    #[test]
    fn nested_footnotes_do_not_recurse() {
        assert_eq!(t("x[^a]\n\n[^a]: y[^a]\n"), "x#footnote[y\\[^a\\]]\n");
    }

    // Thematic breaks become a full-width line.
    #[test]
    fn rules() {
        assert_eq!(t("a\n\n---\n\nb\n"), "a\n\n#line(length: 100%)\n\nb\n");
    }

    // HTML is shown literally; comments vanish.
    #[test]
    fn html() {
        assert_eq!(
            t("<div>\n*x*\n</div>\n"),
            "\\<div\\>\\\n\\*x\\*\\\n\\<\\/div\\>\n"
        );
        assert_eq!(t("a <b>c</b> d"), "a \\<b\\>c\\<\\/b\\> d\n");
        assert_eq!(t("<!-- gone -->\n\na <!-- gone --> b"), "a  b\n");
    }

    // The signature markers wrap their section in an unbreakable block.
    #[test]
    fn signature_section() {
        assert_eq!(
            t("a\n\n<!-- signatures -->\n## Sign\n\nHere\n<!-- /signatures -->\n\nb\n"),
            "a\n\n#block(breakable: false)[\n== Sign\n\nHere\n] <signatures>\n\nb\n"
        );
    }

    // Each signatory's block is unbreakable, with room to write above each line to write
    // on; the section around them may split between them, and the text before a block
    // sticks to it.
    #[test]
    fn signatory_blocks() {
        assert_eq!(
            t(include_str!("../../tests/fixtures/markdown/signatories.md")),
            "== Sign\n\n#block(breakable: true)[\n#block(sticky: true)[\n#strong[Principal: X]\n]\n\n\
             #block(breakable: false)[\n#v(15mm)\nPlace and date: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\n\n\
             #v(15mm)\nSignature: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\n\nName: N\n] <signatory>\n\n\
             #block(sticky: true)[\n#strong[Agent: Y]\n\nAccepts.\n]\n\n\
             #block(breakable: false)[\n#v(15mm)\nSignature: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\n] <signatory>\n] <signatures>\n"
        );
        // Outside a signature section the marker does nothing; a short run of underscores
        // is not a line to write on.
        assert_eq!(
            t("<!-- signatory -->\n\na \\_\\_ b\n\n<!-- /signatory -->\n"),
            "a \\_\\_ b\n"
        );
        assert!(has_blank(r"x \_\_\_\_\_\_\_\_"));
        assert!(!has_blank(r"x \_\_\_\_\_\_\_"));
    }

    // Markers also work inline.
    #[test]
    fn inline_signature_markers() {
        assert_eq!(
            t("a <!-- signatures -->b\n\nc<!--/signatures--> d\n"),
            "a \n#block(breakable: false)[\nb\n\nc\n] <signatures>\n\n d\n"
        );
    }

    // Unbalanced markers still give balanced brackets.
    #[test]
    fn unbalanced_signature_markers() {
        assert_eq!(t("<!-- /signatures -->\n\na\n"), "a\n");
        assert_eq!(
            t("<!-- signatures -->\n\na\n"),
            "#block(breakable: false)[\na\n] <signatures>\n"
        );
        // Opened inside emphasis: closed with it.
        assert_eq!(
            t("*a <!-- signatures --> b* c"),
            "#emph[a \n#block(breakable: false)[\nb\n] <signatures>\n\n] c\n"
        );
        // Closed inside a list that is inside the section: closed after the list.
        assert_eq!(
            t("<!-- signatures -->\n- a <!-- /signatures -->\n- b\n\nc\n"),
            "#block(breakable: false)[\n#list(\n  tight: true,\n  [a],\n  [b],\n)\n] <signatures>\n\nc\n"
        );
    }

    // Hostile text stays text.
    #[test]
    fn hostile_text_is_escaped() {
        assert_eq!(
            t("#set page(width: 1pt) $x$ @ref <l> ]"),
            "\\#set page(width: 1pt) \\$x\\$ \\@ref \\<l\\> \\]\n"
        );
    }

    // Unbalanced-bracket detection for the fuzz test: brackets outside strings and escapes.
    fn brackets_balanced(markup: &str) -> bool {
        let mut depth = 0i64;
        let mut chars = markup.chars();
        let mut in_string = false;
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' if in_string => in_string = false,
                '"' => in_string = true,
                '[' if !in_string => depth += 1,
                ']' if !in_string => {
                    depth -= 1;
                    if depth < 0 {
                        return false;
                    }
                }
                _ => {}
            }
        }
        depth == 0 && !in_string
    }

    // A small deterministic generator of awkward Markdown, for the fuzz tests.
    struct Fuzz(u64);

    impl Fuzz {
        /// The next pseudo-random number below `n`.
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(self.0 >> 33).unwrap_or(0) % n.max(1)
        }

        /// A document of `parts` fragments.
        fn document(&mut self, parts: usize) -> String {
            const FRAGMENTS: &[&str] = &[
                "text",
                " ",
                "\n",
                "\n\n",
                "# ",
                "## h {#x}",
                "- ",
                "* ",
                "1. ",
                "3) ",
                "> ",
                "    ",
                "```",
                "```rust\n",
                "~~~",
                "`",
                "*",
                "**",
                "_",
                "~~",
                "[",
                "]",
                "(",
                ")",
                "![",
                "](u)",
                "<",
                ">",
                "<!-- signatures -->",
                "<!-- /signatures -->",
                "<!--",
                "-->",
                "<div>",
                "</div>",
                "|",
                "|---|",
                ":-:",
                "[^1]",
                "[^1]: ",
                "- [ ] ",
                "- [x] ",
                "\\",
                "#",
                "$",
                "@",
                "=",
                "+",
                "/",
                "//",
                "/*",
                "*/",
                "...",
                "--",
                "-?",
                "~",
                "\"",
                "'",
                "{",
                "}",
                "http://x.y",
                "<http://a>",
                "&amp;",
                "&#0;",
                "\t",
                "---\n",
                "===\n",
                "1.",
                "é",
                "\u{2028}",
                "\r",
                "[a]: /u\n",
                "[a]",
                "\u{0}",
            ];
            (0..parts)
                .map(|_| FRAGMENTS[self.below(FRAGMENTS.len())])
                .collect()
        }
    }

    // No input makes the converter panic or leave brackets unbalanced.
    #[test]
    fn fuzz_never_panics_and_balances_brackets() {
        let mut fuzz = Fuzz(7);
        for _ in 0..3000 {
            let parts = fuzz.below(40);
            let markdown = fuzz.document(parts);
            let markup = markdown_to_typst(&markdown);
            assert!(
                brackets_balanced(&markup),
                "unbalanced output for {markdown:?}:\n{markup}"
            );
        }
    }

    // The checker above is itself able to fail.
    #[test]
    fn bracket_checker_detects_imbalance() {
        assert!(brackets_balanced("#emph[a \\] b] #raw(\"]\")"));
        assert!(!brackets_balanced("#emph[a \\]"));
        assert!(!brackets_balanced("]["));
    }

    /// The CommonMark spec's examples (and hostile and fuzzed documents) through the real
    /// `typst` CLI and the real page design.
    mod commonmark {
        use super::super::{
            Footnotes, HtmlPiece, collect_footnotes, footnote_key, html_pieces, markdown_to_typst,
            parser_options,
        };
        use super::{Fuzz, t};
        use std::fmt::Write as _;
        use std::path::{Path, PathBuf};
        use std::process::Command;

        /// Where npm puts the spec (`commonmark-spec` is a devDependency in package.json).
        const SPEC: &str = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/node_modules/commonmark-spec/spec.txt"
        );

        /// The page design the documents are compiled with.
        const TEMPLATE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/typst/xroad.typ");

        /// One example of the spec.
        struct Example {
            /// Its number in the spec.
            number: usize,
            /// The section it belongs to.
            section: String,
            /// Its Markdown input.
            markdown: String,
            /// The HTML the reference implementation makes of it.
            html: String,
        }

        /// Extracts the examples from `spec.txt` as the package's own `index.js` does: fenced
        /// with 32 backticks and ` example`, Markdown and HTML separated by a `.` line, `→`
        /// standing for a tab.
        fn parse_spec(spec: &str) -> Vec<Example> {
            let fence = "`".repeat(32);
            let opening = format!("{fence} example");
            let spec = spec.replace("\r\n", "\n");
            let tests = spec
                .split("\n<!-- END TESTS -->")
                .next()
                .unwrap_or_default();
            let mut examples = Vec::new();
            let mut section = String::new();
            // 0: prose, 1: Markdown of an example, 2: its HTML.
            let (mut state, mut markdown, mut html) = (0, String::new(), String::new());
            for line in tests.lines() {
                match state {
                    0 if line == opening => {
                        state = 1;
                        markdown.clear();
                        html.clear();
                    }
                    0 => {
                        let hashes = line.chars().take_while(|&c| c == '#').count();
                        if (1..=6).contains(&hashes) {
                            section = line.get(hashes..).unwrap_or_default().trim().to_owned();
                        }
                    }
                    1 if line == "." => state = 2,
                    1 => {
                        markdown.push_str(line);
                        markdown.push('\n');
                    }
                    _ if line == fence => {
                        state = 0;
                        examples.push(Example {
                            number: examples.len() + 1,
                            section: section.clone(),
                            markdown: markdown.replace('→', "\t"),
                            html: html.replace('→', "\t"),
                        });
                    }
                    _ => {
                        html.push_str(line);
                        html.push('\n');
                    }
                }
            }
            examples
        }

        /// The words a reader sees in the reference HTML: the alphanumeric runs of its text,
        /// without tags and comments, entities decoded.
        fn visible_words(html: &str) -> Vec<String> {
            let mut text = String::new();
            let mut rest = html;
            while let Some(lt) = rest.find('<') {
                text.push_str(rest.get(..lt).unwrap_or_default());
                let tag = rest.get(lt..).unwrap_or_default();
                let end = if tag.starts_with("<!--") {
                    tag.find("-->").map(|e| e + 3)
                } else {
                    tag.find('>').map(|e| e + 1)
                };
                rest = tag.get(end.unwrap_or(tag.len())..).unwrap_or_default();
                text.push(' ');
            }
            text.push_str(rest);
            let text = text
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
            text.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect()
        }

        /// Whether `words` occur in `text` in this order.
        fn contains_in_order(text: &str, words: &[String]) -> Result<(), String> {
            let mut at = 0;
            for word in words {
                match text.get(at..).and_then(|rest| rest.find(word.as_str())) {
                    Some(found) => at += found + word.len(),
                    None => return Err(word.clone()),
                }
            }
            Ok(())
        }

        /// The `typst` CLI: `$TYPST`, or `typst` on the PATH.
        fn typst() -> PathBuf {
            let typst = std::env::var_os("TYPST").map_or_else(|| "typst".into(), PathBuf::from);
            match Command::new(&typst).arg("--version").output() {
                Ok(out) if out.status.success() => typst,
                _ => panic!(
                    "cannot run the typst CLI ({}): install it with \
                     `cargo install --locked typst-cli --version 0.15.1` or set TYPST",
                    typst.display()
                ),
            }
        }

        /// How the test documents are compiled.
        #[derive(Clone, Copy)]
        struct Design {
            /// With `--pdf-standard a-2b`.
            pdf_a: bool,
            /// With the `packet` design (cover, contents, headers from headings) instead of
            /// `document`.
            packet: bool,
        }

        /// A single document, compiled to PDF/A-2b.
        const DOCUMENT: Design = Design {
            pdf_a: true,
            packet: false,
        };

        /// The Typst preamble of every test document: the real page design and a function
        /// that turns content back into its plain text.
        const PREAMBLE: &str = r#"#let space = [ ].func()
#let plain(it) = {
  if type(it) == str { it }
  else if type(it) == array { it.map(plain).join("") }
  else if type(it) == content {
    if it.has("text") and type(it.text) == str { it.text }
    else if it.func() in (space, linebreak, parbreak) { " " }
    else { it.fields().values().filter(v => type(v) in (content, array)).map(plain).join("") }
  } else { "" }
}
"#;

        /// A test document holding some bodies, each followed by its plain text as metadata.
        fn test_document(bodies: &[(usize, String)], design: Design) -> String {
            let mut doc = if design.packet {
                "#import \"xroad.typ\": packet\n#show: packet.with(title: \"Cases\", \
                 subtitle: \"Test\", draft: true, date: \"1.1.2025\", parties: \"A, B\", \
                 pdf-date: datetime(year: 2025, month: 1, day: 1), cover: [Cover])\n"
            } else {
                "#import \"xroad.typ\": document\n#show: document.with(title: \"Cases\", \
                 draft: true, date: \"1.1.2025\", parties: \"A, B\")\n"
            }
            .to_owned();
            doc.push_str(PREAMBLE);
            for (id, body) in bodies {
                let _ = write!(
                    doc,
                    "\n// case {id}\n#let body = [\n{body}\n]\n#body\n\
                     #metadata((id: {id}, text: plain(body))) <case>\n"
                );
            }
            doc
        }

        /// A scratch folder holding the page design.
        fn workdir(name: &str) -> PathBuf {
            let dir = std::env::temp_dir().join(format!("md2typst-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("create a scratch folder");
            std::fs::copy(TEMPLATE, dir.join("xroad.typ"))
                .unwrap_or_else(|e| panic!("cannot copy {TEMPLATE}: {e}"));
            dir
        }

        /// Compiles `doc` to a PDF (PDF/A-2b when `pdf_a`), then returns each case's plain
        /// text; or typst's error output.
        fn query(
            typst: &Path,
            dir: &Path,
            file: &str,
            doc: &str,
            pdf_a: bool,
        ) -> Result<Vec<(usize, String)>, String> {
            std::fs::write(dir.join(file), doc).expect("write a test document");
            let standard: &[&str] = if pdf_a {
                &["--pdf-standard", "a-2b"]
            } else {
                &[]
            };
            let pdf = Command::new(typst)
                .current_dir(dir)
                .args(["compile", "--ignore-system-fonts", "--root", "."])
                .args(standard)
                .args(["--creation-timestamp", "1735689600", file])
                .output()
                .expect("run typst");
            if !pdf.status.success() {
                return Err(String::from_utf8_lossy(&pdf.stderr).into_owned());
            }
            let out = Command::new(typst)
                .current_dir(dir)
                .args(["eval", "--ignore-system-fonts", "--root", ".", "--in", file])
                .arg("query(<case>).map(it => it.value)")
                .output()
                .expect("run typst");
            if !out.status.success() {
                return Err(String::from_utf8_lossy(&out.stderr).into_owned());
            }
            let values: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout)
                .map_err(|e| format!("bad query output: {e}"))?;
            Ok(values
                .iter()
                .map(|v| {
                    let id = v["id"]
                        .as_u64()
                        .and_then(|i| usize::try_from(i).ok())
                        .unwrap_or(0);
                    (id, v["text"].as_str().unwrap_or_default().to_owned())
                })
                .collect())
        }

        /// Compiles all cases in one document; when that fails, compiles each case alone
        /// (on all cores) and names the ones that fail.
        fn compile_all(
            typst: &Path,
            name: &str,
            cases: &[(usize, String)],
            design: Design,
        ) -> Vec<(usize, String)> {
            let dir = workdir(name);
            let result = query(
                typst,
                &dir,
                "all.typ",
                &test_document(cases, design),
                design.pdf_a,
            );
            let texts = match result {
                Ok(texts) => texts,
                Err(batch_error) => {
                    let threads = std::thread::available_parallelism().map_or(2, usize::from);
                    let failures: Vec<String> = std::thread::scope(|scope| {
                        let handles: Vec<_> = (0..threads)
                            .map(|k| {
                                let dir = &dir;
                                scope.spawn(move || {
                                    cases
                                        .iter()
                                        .skip(k)
                                        .step_by(threads)
                                        .filter_map(|(id, body)| {
                                            let file = format!("case-{id}.typ");
                                            let doc = test_document(&[(*id, body.clone())], design);
                                            query(typst, dir, &file, &doc, design.pdf_a).err().map(|e| {
                                                format!("case {id}:\n--- typst ---\n{body}\n--- error ---\n{e}")
                                            })
                                        })
                                        .collect::<Vec<_>>()
                                })
                            })
                            .collect();
                        handles
                            .into_iter()
                            .flat_map(|h| h.join().unwrap_or_default())
                            .collect()
                    });
                    panic!(
                        "{name}: the batch does not compile:\n{batch_error}\n\n{} case(s) fail alone:\n{}",
                        failures.len(),
                        failures.join("\n\n")
                    );
                }
            };
            let _ = std::fs::remove_dir_all(&dir);
            assert_eq!(
                texts.len(),
                cases.len(),
                "{name}: every case is compiled once"
            );
            texts
        }

        // Every example of the CommonMark spec converts to Typst that compiles with the page
        // design, and keeps the words the reference HTML shows, in their order.
        #[test]
        fn commonmark_spec_examples_compile_and_keep_their_text() {
            let spec = std::fs::read_to_string(SPEC).unwrap_or_else(|e| {
                panic!(
                    "cannot read the CommonMark spec at {SPEC}: {e}\n\
                     help: run `npm install` in the repository root; package.json lists \
                     `commonmark-spec` as a devDependency"
                )
            });
            let examples = parse_spec(&spec);
            assert!(
                examples.len() > 600,
                "only {} examples found in {SPEC}",
                examples.len()
            );
            let cases: Vec<(usize, String)> = examples
                .iter()
                .map(|e| (e.number, markdown_to_typst(&e.markdown)))
                .collect();
            // PDF/A forbids glyphs that no font has; only these examples need such glyphs.
            let (plain, pdf_a): (Vec<_>, Vec<_>) = cases
                .into_iter()
                .partition(|(n, _)| BEYOND_THE_FONTS.contains(n));
            let typst = typst();
            let mut texts = compile_all(&typst, "spec", &pdf_a, DOCUMENT);
            texts.extend(compile_all(
                &typst,
                "spec-plain",
                &plain,
                Design {
                    pdf_a: false,
                    ..DOCUMENT
                },
            ));
            texts.sort_by_key(|(n, _)| *n);

            let mut lost = Vec::new();
            for (example, (id, text)) in examples.iter().zip(&texts) {
                assert_eq!(example.number, *id);
                if let Err(word) = contains_in_order(text, &visible_words(&example.html)) {
                    lost.push(format!(
                        "example {} ({}): `{word}` is missing\n--- markdown ---\n{}--- html ---\n{}--- text ---\n{text}\n",
                        example.number, example.section, example.markdown, example.html
                    ));
                }
            }
            assert!(
                lost.is_empty(),
                "{} example(s) lose text:\n\n{}",
                lost.len(),
                lost.join("\n")
            );
            let markdown: Vec<(usize, String)> = examples
                .iter()
                .map(|e| (e.number, e.markdown.clone()))
                .collect();
            assert_text_kept("spec", &markdown, &texts);
        }

        /// Spec examples with letters that no font embedded in typst has (Malayalam and
        /// Kannada); they are compiled without the PDF/A standard, which forbids them.
        const BEYOND_THE_FONTS: &[usize] = &[27];

        // The word check sees tags, comments and entities as a reader does, and can fail.
        #[test]
        fn word_check_reads_html_as_a_reader() {
            let words = visible_words("<p>a <em>b</em><!-- c > d --> &lt;e&gt; f&amp;g</p>");
            assert_eq!(words, ["a", "b", "e", "f", "g"]);
            assert!(contains_in_order("a b e fg", &words).is_ok());
            assert_eq!(contains_in_order("b a e f g", &words), Err("b".to_owned()));
        }

        /// What a reader should see of a Markdown document, from the parser's own events:
        /// text, code, HTML without comments, task boxes, and each footnote's text where it
        /// is referenced. The Typst output must show exactly this, give or take whitespace.
        fn expected_text(markdown: &str) -> String {
            use pulldown_cmark::{Event, Parser, Tag, TagEnd, TextMergeStream};
            let events: Vec<Event<'_>> =
                TextMergeStream::new(Parser::new_ext(markdown, parser_options())).collect();
            let footnotes = collect_footnotes(&events);
            fn walk(events: &[Event<'_>], notes: &Footnotes<'_>, top: bool) -> String {
                let html_text = |html: &str| -> String {
                    html_pieces(html)
                        .into_iter()
                        .filter_map(|piece| match piece {
                            HtmlPiece::Text(s) => Some(s),
                            _ => None,
                        })
                        .collect()
                };
                let mut text = String::new();
                let mut skip = 0usize;
                let mut html_block: Option<String> = None;
                for event in events {
                    match event {
                        Event::Start(Tag::FootnoteDefinition(_)) if skip == 0 => skip = 1,
                        Event::Start(_) if skip > 0 => skip += 1,
                        Event::End(_) if skip > 0 => skip -= 1,
                        _ if skip > 0 => {}
                        Event::Start(Tag::HtmlBlock) => html_block = Some(String::new()),
                        Event::End(TagEnd::HtmlBlock) => {
                            text.push_str(&html_text(&html_block.take().unwrap_or_default()));
                        }
                        Event::Html(s) if html_block.is_some() => {
                            html_block.get_or_insert_default().push_str(s);
                        }
                        Event::Text(s) | Event::Code(s) => text.push_str(s),
                        Event::Html(s) | Event::InlineHtml(s) => text.push_str(&html_text(s)),
                        Event::TaskListMarker(done) => text.push(if *done { '☑' } else { '☐' }),
                        Event::FootnoteReference(label) => {
                            match notes.get(&footnote_key(label)).filter(|_| top) {
                                Some(body) => text.push_str(&walk(body, notes, false)),
                                None => text.push_str(&format!("[^{label}]")),
                            }
                        }
                        Event::End(TagEnd::Paragraph) => text.push(' '),
                        _ => {}
                    }
                }
                text
            }
            walk(&events, &footnotes, true)
        }

        /// Drops whitespace and the control characters Typst text cannot show.
        fn squeeze(text: &str) -> String {
            text.chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect()
        }

        /// Checks that each compiled case shows exactly the text of its Markdown.
        fn assert_text_kept(name: &str, markdown: &[(usize, String)], texts: &[(usize, String)]) {
            let mut wrong = Vec::new();
            for ((id, md), (text_id, text)) in markdown.iter().zip(texts) {
                assert_eq!(id, text_id, "{name}: cases come back in order");
                let (want, got) = (squeeze(&expected_text(md)), squeeze(text));
                if want != got {
                    wrong.push(format!(
                        "case {id}:\n--- markdown ---\n{md}\n--- typst ---\n{}\n--- expected text ---\n{want}\n--- shown text ---\n{got}\n",
                        markdown_to_typst(md)
                    ));
                }
            }
            assert!(
                wrong.is_empty(),
                "{name}: {} case(s) do not show their text literally:\n\n{}",
                wrong.len(),
                wrong.join("\n")
            );
        }

        // Text that would be Typst syntax, in every position, comes out literally.
        #[test]
        fn hostile_text_compiles_literally() {
            const HOSTILE: &[&str] = &[
                "#set page(width: 1pt)\n#{panic()}\n#import \"/etc/passwd\"",
                "$x^2$ and $$ $",
                "a // comment? /* and */ */\n// start\n/* open",
                "@ref <label> <a> @ <",
                "\\= not a heading\n\\== not a heading either\n\\- not a list\n\\+ not an enum",
                "1\\. not an enum\n2024. year\n/ Term: not a term",
                "https://example.com/a_b\\*c http://x.fi",
                "~ -? -- --- ... .. . ' \" ` ``",
                "\\[a\\] \\] \\[ \\\\ \\\\\\\\ \\u{41}",
                "{ } ( ) ; : #emph[x] x#strong[y] *a*(b) *a*.b *a*;c",
                "# = heading\n\n## \\- heading\n\n###### #\n\n# a \\",
                "| #x | $y$ |\n|---|---|\n| \\| | ] |",
                "- \\- item\n- = item\n- [ ] \\[ \\]\n\n1. 1. x\n   2. y",
                "> \\> #q\n> = h",
                "`#raw` ``a ` b`` ```\"\\```",
                "```typ\n#panic()\n\"]\n```",
                "[#link](#x) [\\]](<a b>) <mailto:a@b.c> ![#img*](x)",
                "x[^1] y[^1] z[^none]\n\n[^1]: #note $a$ ]\n",
                "<span>#x</span> <!-- c --> <div>\n= no\n</div>",
                "<!-- signatures -->\n#sig ]\n<!-- /signatures -->",
                "\u{2028}= after LS \u{85}- after NEL \u{c}+ after FF",
                "tab\there\u{0}nul \u{feff}bom \u{202e}rtl",
                "# Title[^t] {#1.a:b-c_d}\n\n## Same {#1.a:b-c_d}\n\n## Empty {#}\n\n[^t]: a\n\n    b",
                "- # in a list[^t] *x*\n\n> # in a quote\n\n[^t]: note",
                "[](<>) [x]() ![](<>)",
            ];
            let cases: Vec<(usize, String)> = HOSTILE
                .iter()
                .enumerate()
                .map(|(i, md)| (i, (*md).to_owned()))
                .collect();
            let typst_cases: Vec<(usize, String)> =
                cases.iter().map(|(i, md)| (*i, t(md))).collect();
            let texts = compile_all(&typst(), "hostile", &typst_cases, DOCUMENT);
            assert_text_kept("hostile", &cases, &texts);
        }

        // Constructs nested deeper than Typst allows are flattened, keeping their text.
        #[test]
        fn deeply_nested_documents_compile_and_keep_their_text() {
            let n = 120;
            let documents = [
                format!("{}a", "> ".repeat(n)),
                (0..n)
                    .map(|i| format!("{}- x{i}\n", "  ".repeat(i)))
                    .collect(),
                format!("{}a{}", "*".repeat(n), "*".repeat(n)),
                format!("{}a{}(u)", "[".repeat(n), "]".repeat(n)),
                format!(
                    "{}*a* [^1] <!-- signatures --> b\n\n{}| h |\n{}|---|\n{}| c |\n\n[^1]: {}deep",
                    "> - ".repeat(n / 4),
                    "> ".repeat(n / 4),
                    "> ".repeat(n / 4),
                    "> ".repeat(n / 4),
                    "> ".repeat(n)
                ),
            ];
            let cases: Vec<(usize, String)> = documents.into_iter().enumerate().collect();
            let typst_cases: Vec<(usize, String)> =
                cases.iter().map(|(i, md)| (*i, t(md))).collect();
            let texts = compile_all(
                &typst(),
                "deep",
                &typst_cases,
                Design {
                    packet: true,
                    ..DOCUMENT
                },
            );
            assert_text_kept("deep", &cases, &texts);
        }

        // The text check can fail: markup that is not escaped shows other text.
        #[test]
        fn text_check_notices_unescaped_markup() {
            let cases = vec![(0, "*a*".to_owned()), (1, "a".to_owned())];
            let raw = vec![(0, "\\*a\\*".to_owned()), (1, "a -- b".to_owned())];
            let texts = compile_all(&typst(), "check", &raw, DOCUMENT);
            let result = std::panic::catch_unwind(|| assert_text_kept("check", &cases, &texts));
            assert!(
                result.is_err(),
                "unescaped markup went unnoticed: {texts:?}"
            );
        }

        // Random awkward documents compile and show their text.
        #[test]
        fn fuzzed_documents_compile_and_keep_their_text() {
            let mut fuzz = Fuzz(2025);
            let cases: Vec<(usize, String)> = (0..300)
                .map(|i| {
                    let parts = fuzz.below(60);
                    (i, fuzz.document(parts))
                })
                .collect();
            let typst_cases: Vec<(usize, String)> = cases
                .iter()
                .map(|(i, md)| (*i, markdown_to_typst(md)))
                .collect();
            let texts = compile_all(
                &typst(),
                "fuzz",
                &typst_cases,
                Design {
                    packet: true,
                    ..DOCUMENT
                },
            );
            assert_text_kept("fuzz", &cases, &texts);
        }
    }
}
