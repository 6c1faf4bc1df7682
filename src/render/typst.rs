//! Markdown → Typst markup.
//!
//! [`markdown_to_typst`] walks the events of `pulldown-cmark` (CommonMark plus the GFM
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
//! - raw HTML is shown as literal text; HTML comments are dropped, except the two markers
//!   `<!-- signatures -->` and `<!-- /signatures -->`, which wrap the signature section in
//!   `#block(breakable: false)[..]` so that it never splits across pages.
//!
//! Brackets are always balanced: a construct still open when its container ends (an
//! unbalanced signature marker, say) is closed together with that container.

use std::collections::HashMap;

use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
    TextMergeStream,
};

/// The HTML comment (without `<!--` and `-->`) that starts a signature section.
pub const SIGNATURES_START: &str = "signatures";

/// The HTML comment (without `<!--` and `-->`) that ends a signature section.
pub const SIGNATURES_END: &str = "/signatures";

/// The mark put in front of an unchecked task list item.
const TASK_OPEN: &str = "☐ ";

/// The mark put in front of a checked task list item.
const TASK_DONE: &str = "☑ ";

/// Converts a CommonMark + GFM document to a Typst markup body.
///
/// The result is meant to be included in a Typst document (for example after
/// `#show: document.with(..)` of `xroad.typ`); it sets no page or text styles itself.
/// The conversion never fails and never panics: any input gives markup that compiles.
pub fn markdown_to_typst(markdown: &str) -> String {
    let events: Vec<Event<'_>> =
        TextMergeStream::new(Parser::new_ext(markdown, parser_options())).collect();
    let footnotes = collect_footnotes(&events);
    let mut renderer = Renderer::new(&footnotes, false);
    renderer.run(&events);
    renderer.finish()
}

/// Escapes text so that Typst markup shows it literally, character for character.
///
/// Every character that is special anywhere in Typst markup is preceded by a backslash
/// (`\ # $ * _ @ < > [ ] ` ~ " ' = - + / { }`), which also defuses comments (`//`, `/*`),
/// automatic links (`https://`), shorthands (`~`, `-?`, `--`, `...`), smart quotes and the
/// markers that start headings, lists and terms at the beginning of a line. A `.` is escaped
/// where it could form `...` or an enumeration marker such as `1.`, and at both ends of the
/// text, so that escaped pieces can be concatenated safely. Line breaks become spaces and
/// other control characters are dropped, so the result is always a single line.
pub fn escape_text(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '#' | '$' | '*' | '_' | '@' | '<' | '>' | '[' | ']' | '`' | '~' | '"'
            | '\'' | '=' | '-' | '+' | '/' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '.' => {
                let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
                let next = chars.get(i + 1).copied();
                let risky = match (prev, next) {
                    (None, _) | (_, None) => true,
                    (Some(p), Some(n)) => p.is_ascii_digit() || p == '.' || n == '.',
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
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
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
fn is_typst_newline(c: char) -> bool {
    matches!(
        c,
        '\n' | '\x0B' | '\x0C' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
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
    /// The document itself.
    Root,
    /// A heading of the given level (1–6) and optional label.
    Heading { level: usize, label: String },
    /// An inline style written as `#name[..]` (`emph`, `strong`, `strike`, `super`, `sub`).
    Styled(&'static str),
    /// A link to the given URL.
    Link(String),
    /// A construct whose content is kept as it is (images keep their alt text).
    Transparent,
    /// A construct whose content is dropped (metadata blocks).
    Discard,
    /// A bullet list (`None`) or an ordered list starting at the number.
    List {
        start: Option<u64>,
        items: Vec<String>,
        loose: bool,
    },
    /// A list item; `loose` when it holds paragraphs.
    Item { loose: bool },
    /// A block quote.
    Quote,
    /// A table with its column alignments, header cells and body rows.
    Table {
        aligns: Vec<Alignment>,
        header: Option<Vec<String>>,
        rows: Vec<Vec<String>>,
    },
    /// A table row (the header row when `head`).
    Row { head: bool, cells: Vec<String> },
    /// A table cell.
    Cell,
    /// A code block; its text is collected verbatim.
    Code(Option<String>),
    /// An HTML block; its text is collected verbatim.
    Html,
    /// A signature section; `close_pending` once its end marker was seen inside a nested
    /// construct, so that it closes as soon as that construct does.
    Signatures { close_pending: bool },
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
    /// The open constructs; the first is always the root.
    stack: Vec<Frame>,
    /// The nesting depth inside a footnote definition being skipped (0 when not skipping).
    skip: usize,
}

impl<'f, 'e> Renderer<'f, 'e> {
    /// Creates a renderer with an empty root.
    fn new(footnotes: &'f Footnotes<'e>, in_footnote: bool) -> Self {
        Self {
            footnotes,
            in_footnote,
            stack: vec![Frame {
                kind: Kind::Root,
                out: Out::default(),
            }],
            skip: 0,
        }
    }

    /// Closes everything still open and returns the markup, ending with one newline (or
    /// empty for an empty document).
    fn finish(mut self) -> String {
        while self.stack.len() > 1 {
            self.pop();
        }
        let root = self.stack.pop().map(|f| f.out.s).unwrap_or_default();
        let body = trim_block(&root);
        if body.is_empty() {
            String::new()
        } else {
            format!("{body}\n")
        }
    }

    /// The innermost open construct's markup.
    fn out(&mut self) -> &mut Out {
        if self.stack.is_empty() {
            self.stack.push(Frame {
                kind: Kind::Root,
                out: Out::default(),
            });
        }
        let last = self.stack.len() - 1;
        &mut self.stack[last].out
    }

    /// The innermost open construct that is not a signature section.
    fn innermost_structural(&mut self) -> Option<&mut Frame> {
        self.stack
            .iter_mut()
            .rev()
            .find(|f| !matches!(f.kind, Kind::Signatures { .. }))
    }

    /// Whether text is written inside a heading (where it has to stay on one line).
    fn in_heading(&self) -> bool {
        self.stack
            .iter()
            .any(|f| matches!(f.kind, Kind::Heading { .. }))
    }

    /// Opens a construct.
    fn open(&mut self, kind: Kind) {
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
                let expr = format!("#raw({})", string_literal(code));
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
                self.out().push(if *checked { TASK_DONE } else { TASK_OPEN });
            }
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
            self.out().push("\n\n");
            return;
        }
        // Signature sections still open inside the construct end with it.
        while matches!(
            self.stack.last().map(|f| &f.kind),
            Some(Kind::Signatures { .. })
        ) {
            self.pop();
        }
        if self.stack.len() > 1 {
            self.pop();
        }
    }

    /// Closes the innermost construct and writes it into its parent. A signature section
    /// whose end marker was seen inside that construct is closed right after it.
    fn pop(&mut self) {
        if self.stack.len() <= 1 {
            return;
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        self.close(frame);
        if let Some(Frame {
            kind: Kind::Signatures {
                close_pending: true,
            },
            ..
        }) = self.stack.last()
        {
            self.pop();
        }
    }

    /// Writes a closed construct into its parent.
    fn close(&mut self, frame: Frame) {
        let Frame { kind, out } = frame;
        let content = out.s;
        match kind {
            Kind::Root => self.out().push(&content),
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
            Kind::Link(url) => {
                let expr = format!("#link({})[{content}]", string_literal(&url));
                self.out().push_expr(&expr);
            }
            Kind::Transparent => {
                let parent = self.out();
                parent.push(&content);
                if !content.is_empty() {
                    parent.after_expr = out.after_expr;
                }
            }
            Kind::Discard => {}
            Kind::List {
                start,
                items,
                loose,
            } => {
                let mut block = match start {
                    Some(n) => format!("#enum(\n  start: {n},\n  tight: {},\n", !loose),
                    None => format!("#list(\n  tight: {},\n", !loose),
                };
                for item in &items {
                    block.push_str("  [");
                    block.push_str(item);
                    block.push_str("],\n");
                }
                block.push(')');
                self.out().push_block(&block);
            }
            Kind::Item { loose } => {
                let item = trim_block(&content);
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
                    // An item outside a list (never produced by the parser): keep its text.
                    self.out().push_block(&item);
                }
            }
            Kind::Quote => {
                let block = format!("#quote(block: true)[\n{}\n]", trim_block(&content));
                self.out().push_block(&block);
            }
            Kind::Table {
                aligns,
                header,
                rows,
            } => {
                let block = table_markup(&aligns, header, rows);
                if !block.is_empty() {
                    self.out().push_block(&block);
                }
            }
            Kind::Row { head, cells } => {
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
                    let text = cells.join(" ");
                    self.out().push_block(&text);
                }
            }
            Kind::Cell => {
                if let Some(Frame {
                    kind: Kind::Row { cells, .. },
                    ..
                }) = self.stack.last_mut()
                {
                    cells.push(trim_block(&content));
                } else {
                    self.out().push(&content);
                }
            }
            Kind::Code(lang) => {
                let code = content.strip_suffix('\n').unwrap_or(&content);
                let lang = lang
                    .map(|l| format!("lang: {}, ", string_literal(&l)))
                    .unwrap_or_default();
                let block = format!("#raw(block: true, {lang}{})", string_literal(code));
                self.out().push_block(&block);
            }
            Kind::Html => self.block_html(&content),
            Kind::Signatures { .. } => {
                let block = format!("#block(breakable: false)[\n{}\n]", trim_block(&content));
                self.out().push_block(&block);
            }
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
            }
        }
    }

    /// Starts a signature section, unless one is open already.
    fn open_signatures(&mut self) {
        let open = self
            .stack
            .iter()
            .any(|f| matches!(f.kind, Kind::Signatures { .. }));
        if !open {
            self.out().begin_block();
            self.open(Kind::Signatures {
                close_pending: false,
            });
        }
    }

    /// Ends the open signature section: now if it is the innermost construct, otherwise as
    /// soon as the constructs inside it are closed. Without an open section, does nothing.
    fn close_signatures(&mut self) {
        if matches!(
            self.stack.last().map(|f| &f.kind),
            Some(Kind::Signatures { .. })
        ) {
            self.pop();
        } else if let Some(Frame {
            kind: Kind::Signatures { close_pending },
            ..
        }) = self
            .stack
            .iter_mut()
            .find(|f| matches!(f.kind, Kind::Signatures { .. }))
        {
            *close_pending = true;
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
                let mut inner = Renderer::new(self.footnotes, true);
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
fn heading_level(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Writes a `#table(..)` call: one column per alignment, the header row repeated on every
/// page, and every row padded or cut to the number of columns.
fn table_markup(aligns: &[Alignment], header: Option<Vec<String>>, rows: Vec<Vec<String>>) -> String {
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
    let cells = |row: Vec<String>| -> String {
        let mut row = row;
        row.resize(columns, String::new());
        row.iter()
            .map(|c| format!("[{c}]"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut block = format!(
        "#table(\n  columns: {columns},\n  align: ({},),\n",
        align.join(", ")
    );
    if let Some(header) = header {
        block.push_str(&format!("  table.header(repeat: true, {}),\n", cells(header)));
    }
    for row in rows {
        block.push_str(&format!("  {},\n", cells(row)));
    }
    block.push(')');
    block
}
