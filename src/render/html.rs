//! Markdown → HTML fragments, with pulldown-cmark.
//!
//! The document's Markdown comes from our own templates with every value escaped, so it
//! holds no markup that a value brought in. This step still treats it as untrusted
//! (defence in depth):
//!
//! - raw HTML is never passed through: HTML comments are dropped, other HTML is shown as
//!   text, except the marker comments `<!-- signatures -->` and `<!-- /signatures -->`,
//!   which open and close `<section class="signatures">`, and `<!-- signatory -->` and
//!   `<!-- /signatory -->` inside it, which open and close `<div class="signatory">` (one
//!   signatory's block, kept on one page in print); there a paragraph with a line to
//!   write on by hand gets `class="sign-line"` (room to sign above it);
//! - link targets must be relative or `http`, `https`, `mailto` or `tel`; images must be
//!   relative (the site fetches nothing from the network); anything else keeps its text and
//!   loses the link;
//! - heading attributes (`{#id}`) are not parsed: every heading gets an id made from its
//!   text, unique in the page.
//!
//! Tables get `<th scope="col">` headers and each cell a `data-label` with its column's
//! header (for the stacked layout of narrow screens); a table with
//! [`WIDE_TABLE`](crate::render::typst::WIDE_TABLE) columns or more is marked `wide` (printed
//! on landscape pages). A code span with spaces is written word by word, so that the page
//! can break it at its spaces only. Task list items become disabled checkboxes inside
//! a `<label>` with the item's text, and footnotes are numbered in the order they are
//! referred to and listed at the end with links back.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use pulldown_cmark::{Alignment, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::arrangement::Lang;
use crate::templates::escape_html;
use crate::words::Words;

/// A heading of a rendered fragment, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The `id` attribute, unique in the page.
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// The HTML of one Markdown document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// The HTML, to be placed inside the page's `<main>`.
    pub html: String,
    /// Every heading, in order.
    pub headings: Vec<Heading>,
}

/// The Markdown extensions the documents use.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Renders `markdown` as an HTML fragment. `reserved` are ids the page layout uses, which
/// headings must not take; `footnote_words` label the footnotes and their back-links.
pub fn to_html(markdown: &str, footnote_words: &FootnoteWords, reserved: &[&str]) -> Fragment {
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, options()).collect();
    let mut t = Transform {
        ids: reserved.iter().map(|s| (*s).to_string()).collect(),
        ..Transform::default()
    };
    t.run(events);
    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, t.main.into_iter());
    if t.signatory_open {
        html.push_str("</div>\n");
    }
    if t.signatures_open {
        html.push_str("</section>\n");
    }
    html.push_str(&footnotes_html(t.notes, &t.note_numbers, footnote_words));
    Fragment {
        html,
        headings: t.headings,
    }
}

/// The words of the footnote markup, from the word catalogue, escaped for HTML.
#[derive(Debug, Clone)]
pub struct FootnoteWords {
    /// The label of the footnotes section.
    pub title: String,
    /// The label of the links back to the reference.
    pub back: String,
}

impl FootnoteWords {
    /// The words in one language.
    pub fn new(words: &Words, lang: Lang) -> FootnoteWords {
        FootnoteWords {
            title: escape_html(&words.word(lang, "footnotes")),
            back: escape_html(&words.word(lang, "footnote-back")),
        }
    }
}

/// The state of one conversion.
#[derive(Default)]
struct Transform<'a> {
    /// The document's events after the conversion.
    main: Vec<Event<'a>>,
    /// Footnote definitions by label: their events.
    notes: Vec<(String, Vec<Event<'a>>)>,
    /// The footnote being defined, while inside a definition.
    in_note: Option<(String, Vec<Event<'a>>)>,
    /// Footnote numbers by label, in the order of first reference.
    note_numbers: BTreeMap<String, usize>,
    /// How often each footnote was referred to.
    note_refs: BTreeMap<String, usize>,
    /// Ids already taken in the page.
    ids: BTreeSet<String>,
    /// The headings, in order.
    headings: Vec<Heading>,
    /// Where the open heading starts in the output, and its level.
    heading: Option<(usize, HeadingLevel)>,
    /// Whether a signatures section is open.
    signatures_open: bool,
    /// Whether a signatory's block is open inside it.
    signatory_open: bool,
    /// The header texts of the open table's columns.
    labels: Vec<String>,
    /// Where the last heading starts and ends in the output, so that a signatures section
    /// right after it can take it in.
    last_heading: Option<(usize, usize)>,
    /// For each open link or image: whether it was dropped.
    links: Vec<bool>,
    /// The open table: column alignments, whether in the head, the current column.
    table: Option<(Vec<Alignment>, bool, usize)>,
    /// While a task item's `<label>` or note is open: how many inline tags are open inside
    /// it, and whether the label was closed and the note is open.
    label: Option<(usize, bool)>,
}

impl<'a> Transform<'a> {
    fn out(&mut self) -> &mut Vec<Event<'a>> {
        match &mut self.in_note {
            Some((_, events)) => events,
            None => &mut self.main,
        }
    }

    fn html(&mut self, s: impl Into<String>) {
        let s: String = s.into();
        self.out().push(Event::Html(CowStr::from(s)));
    }

    fn run(&mut self, events: Vec<Event<'a>>) {
        let mut i = 0;
        while i < events.len() {
            let event = events[i].clone();
            if self.close_label_before(&event) {
                i += 1;
                continue;
            }
            match event {
                Event::Start(Tag::HtmlBlock) => {
                    let mut text = String::new();
                    i += 1;
                    while i < events.len() && !matches!(events[i], Event::End(TagEnd::HtmlBlock)) {
                        if let Event::Html(s) | Event::InlineHtml(s) | Event::Text(s) = &events[i] {
                            text.push_str(s);
                        }
                        i += 1;
                    }
                    self.html_block(&text);
                }
                Event::Html(s) => self.html_block(&s),
                Event::InlineHtml(s) => {
                    if !s.trim_start().starts_with("<!--") {
                        self.out().push(Event::Text(s));
                    }
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    let at = self.out().len();
                    self.heading = Some((at, level));
                    self.html(String::new());
                }
                Event::End(TagEnd::Heading(level)) => self.end_heading(level),
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let keep = safe_link(&dest_url);
                    self.links.push(keep);
                    if keep {
                        self.out().push(Event::Start(Tag::Link {
                            link_type,
                            dest_url,
                            title,
                            id,
                        }));
                    }
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let keep = safe_image(&dest_url);
                    self.links.push(keep);
                    if keep {
                        self.out().push(Event::Start(Tag::Image {
                            link_type,
                            dest_url,
                            title,
                            id,
                        }));
                    }
                }
                Event::Code(code) if code.contains(' ') => {
                    let words: Vec<String> = code
                        .split(' ')
                        .map(|w| format!("<span>{}</span>", escape_html(w)))
                        .collect();
                    self.html(format!("<code class=\"words\">{}</code>", words.join(" ")));
                }
                Event::Start(Tag::Paragraph)
                    if self.signatory_open && paragraph_has_blank(&events, i) =>
                {
                    self.html("<p class=\"sign-line\">");
                }
                Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                    if self.links.pop().unwrap_or(false) {
                        self.out().push(Event::End(end));
                    }
                }
                Event::FootnoteReference(label) => self.footnote_reference(&label),
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    self.in_note = Some((label.to_string(), Vec::new()));
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    if let Some(note) = self.in_note.take() {
                        self.notes.push(note);
                    }
                }
                Event::Start(Tag::List(start)) => {
                    let task = task_at(&events, i + 2).is_some();
                    match (start, task) {
                        (None, true) => self.html("<ul class=\"task-list\">\n"),
                        (start, _) => self.out().push(Event::Start(Tag::List(start))),
                    }
                }
                Event::Start(Tag::Item) => match task_at(&events, i + 1) {
                    Some(true) => self.html("<li class=\"task done\">"),
                    Some(false) => self.html("<li class=\"task\">"),
                    None => self.out().push(Event::Start(Tag::Item)),
                },
                Event::TaskListMarker(checked) => {
                    let checked = if checked { " checked" } else { "" };
                    self.html(format!(
                        "<label><input type=\"checkbox\" disabled{checked}> "
                    ));
                    self.label = Some((0, false));
                }
                Event::Start(Tag::Table(alignments)) => {
                    let wide = alignments.len() >= crate::render::typst::WIDE_TABLE;
                    self.labels = header_labels(&events, i);
                    self.table = Some((alignments, false, 0));
                    self.html(if wide {
                        "<div class=\"table-wrap wide\" tabindex=\"0\">\n<table class=\"wide\">\n"
                    } else {
                        "<div class=\"table-wrap\" tabindex=\"0\">\n<table>\n"
                    });
                }
                Event::End(TagEnd::Table) => {
                    self.table = None;
                    self.html("</tbody>\n</table>\n</div>\n");
                }
                Event::Start(Tag::TableHead) => {
                    if let Some(t) = &mut self.table {
                        t.1 = true;
                        t.2 = 0;
                    }
                    self.html("<thead>\n<tr>");
                }
                Event::End(TagEnd::TableHead) => {
                    if let Some(t) = &mut self.table {
                        t.1 = false;
                    }
                    self.html("</tr>\n</thead>\n<tbody>\n");
                }
                Event::Start(Tag::TableRow) => {
                    if let Some(t) = &mut self.table {
                        t.2 = 0;
                    }
                    self.html("<tr>");
                }
                Event::End(TagEnd::TableRow) => self.html("</tr>\n"),
                Event::Start(Tag::TableCell) => {
                    let (head, align, col) = match &self.table {
                        Some((aligns, head, col)) => (
                            *head,
                            aligns.get(*col).copied().unwrap_or(Alignment::None),
                            *col,
                        ),
                        None => (false, Alignment::None, 0),
                    };
                    let class = match align {
                        Alignment::Left => " class=\"left\"",
                        Alignment::Center => " class=\"center\"",
                        Alignment::Right => " class=\"right\"",
                        Alignment::None => "",
                    };
                    if head {
                        self.html(format!("<th scope=\"col\"{class}>"));
                    } else {
                        let label = self
                            .labels
                            .get(col)
                            .filter(|l| !l.is_empty())
                            .map(|l| format!(" data-label=\"{}\"", escape_html(l)))
                            .unwrap_or_default();
                        self.html(format!("<td{class}{label}>"));
                    }
                }
                Event::End(TagEnd::TableCell) => {
                    let head = self.table.as_ref().is_some_and(|t| t.1);
                    if let Some(t) = &mut self.table {
                        t.2 += 1;
                    }
                    self.html(if head { "</th>" } else { "</td>" });
                }
                other => self.out().push(other),
            }
            i += 1;
        }
        if let Some((_, in_note)) = self.label.take() {
            self.html(if in_note { "</span>" } else { "</label>" });
        }
    }

    /// Keeps a task item's `<label>` around its first line only: closes it at the first
    /// line break, where the rest of the paragraph becomes a `<span class="task-note">`,
    /// before the first block-level tag, or at the end of the item or paragraph. Returns
    /// whether the event was used up.
    fn close_label_before(&mut self, event: &Event<'_>) -> bool {
        let Some((depth, in_note)) = self.label else {
            return false;
        };
        match event {
            Event::Start(tag) if is_inline(&tag.to_end()) => {
                self.label = Some((depth + 1, in_note))
            }
            Event::End(end) if is_inline(end) && depth > 0 => {
                self.label = Some((depth - 1, in_note))
            }
            Event::SoftBreak | Event::HardBreak if depth == 0 && !in_note => {
                self.label = Some((0, true));
                self.html("</label> <span class=\"task-note\">");
                return true;
            }
            Event::Start(_) | Event::End(_) | Event::Html(_) => {
                self.label = None;
                self.html(if in_note { "</span>" } else { "</label>" });
            }
            _ => {}
        }
        false
    }

    fn html_block(&mut self, text: &str) {
        let squashed: String = text.split_whitespace().collect();
        if squashed == "<!--signatures-->" {
            if !self.signatures_open && self.in_note.is_none() {
                self.signatures_open = true;
                let open = Event::Html(CowStr::from("<section class=\"signatures\">\n"));
                // A heading just before the marker titles the section, and goes to the
                // new page with it.
                match self.last_heading {
                    Some((start, end)) if end == self.main.len() => self.main.insert(start, open),
                    _ => self.main.push(open),
                }
            }
        } else if squashed == "<!--signatory-->" {
            if self.signatures_open && !self.signatory_open && self.in_note.is_none() {
                self.signatory_open = true;
                self.html("<div class=\"signatory\">\n");
            }
        } else if squashed == "<!--/signatory-->" {
            if self.signatory_open && self.in_note.is_none() {
                self.signatory_open = false;
                self.html("</div>\n");
            }
        } else if squashed == "<!--/signatures-->" {
            if self.signatures_open && self.in_note.is_none() {
                if self.signatory_open {
                    self.signatory_open = false;
                    self.html("</div>\n");
                }
                self.signatures_open = false;
                self.html("</section>\n");
            }
        } else if is_only_comments(text) {
            // Template comments are not part of the document.
        } else {
            let text = text.trim().to_string();
            let out = self.out();
            out.push(Event::Start(Tag::Paragraph));
            out.push(Event::Text(CowStr::from(text)));
            out.push(Event::End(TagEnd::Paragraph));
        }
    }

    fn end_heading(&mut self, level: HeadingLevel) {
        let Some((at, _)) = self.heading.take() else {
            return;
        };
        let mut text = String::new();
        for e in &self.out()[at..] {
            match e {
                Event::Text(s) | Event::Code(s) => text.push_str(s),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                _ => {}
            }
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let id = unique_id(&mut self.ids, &slug(&text));
        let n = level as u8;
        self.out()[at] = Event::Html(CowStr::from(format!("<h{n} id=\"{id}\">")));
        self.html(format!("</h{n}>\n"));
        let end = self.out().len();
        self.last_heading = self.in_note.is_none().then_some((at, end));
        self.headings.push(Heading { level: n, id, text });
    }

    fn footnote_reference(&mut self, label: &str) {
        let next = self.note_numbers.len() + 1;
        let n = *self.note_numbers.entry(label.to_string()).or_insert(next);
        let count = self.note_refs.entry(label.to_string()).or_insert(0);
        *count += 1;
        let id = if *count == 1 {
            format!("fnref-{n}")
        } else {
            format!("fnref-{n}-{count}")
        };
        self.html(format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"{id}\">{n}</a></sup>"
        ));
    }
}

/// The plain text of each header cell of the table that starts at `at`.
fn header_labels(events: &[Event<'_>], at: usize) -> Vec<String> {
    let mut labels = Vec::new();
    let mut cell: Option<String> = None;
    for e in events.iter().skip(at + 1) {
        match e {
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => labels.extend(cell.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = &mut cell {
                    c.push_str(t);
                }
            }
            Event::End(TagEnd::TableHead) => break,
            _ => {}
        }
    }
    labels
}

/// Whether the paragraph that starts at `at` holds a line to write on by hand.
fn paragraph_has_blank(events: &[Event<'_>], at: usize) -> bool {
    let mut text = String::new();
    for e in events.iter().skip(at + 1) {
        match e {
            Event::End(TagEnd::Paragraph) => break,
            Event::Text(t) => text.push_str(t),
            _ => {}
        }
    }
    crate::render::typst::has_blank(&text)
}

/// Whether the item starting at `events[at]` (just after `Start(Item)`) is a task, and checked.
fn task_at(events: &[Event<'_>], at: usize) -> Option<bool> {
    match events.get(at) {
        Some(Event::TaskListMarker(c)) => Some(*c),
        Some(Event::Start(Tag::Paragraph)) => match events.get(at + 1) {
            Some(Event::TaskListMarker(c)) => Some(*c),
            _ => None,
        },
        _ => None,
    }
}

fn is_inline(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Whether `text` is nothing but HTML comments and whitespace.
fn is_only_comments(text: &str) -> bool {
    let mut rest = text.trim();
    while !rest.is_empty() {
        let Some(after) = rest.strip_prefix("<!--") else {
            return false;
        };
        let Some(end) = after.find("-->") else {
            return false;
        };
        rest = after[end + 3..].trim_start();
    }
    true
}

/// The scheme of a URL, lowercased, with the whitespace and control characters that
/// browsers ignore removed; `None` for a relative URL.
fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    cleaned[end..]
        .starts_with(':')
        .then(|| cleaned[..end].to_ascii_lowercase())
}

/// Link targets that can be followed safely: relative ones and `http`, `https`, `mailto`
/// and `tel`; `javascript:`, `file:`, `data:` and every other scheme are refused.
pub fn safe_link(url: &str) -> bool {
    match scheme(url) {
        None => true,
        Some(s) => matches!(s.as_str(), "http" | "https" | "mailto" | "tel"),
    }
}

/// Image sources: relative only, so that nothing is fetched from the network.
fn safe_image(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    scheme(url).is_none()
        && !cleaned.starts_with("//")
        && !cleaned.starts_with("\\\\")
        && !cleaned.is_empty()
}

/// An id made from a heading's text: lowercase ASCII letters, digits and `-`, with the
/// Nordic letters folded (`ä` → `a`).
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'ä' | 'å' | 'á' | 'à' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            'š' => 's',
            'ž' => 'z',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("section");
    } else if out.starts_with(|c: char| c.is_ascii_digit()) || out.starts_with("fn") {
        out.insert_str(0, "s-");
    }
    out
}

fn unique_id(ids: &mut BTreeSet<String>, base: &str) -> String {
    let mut id = base.to_string();
    let mut n = 1;
    while ids.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    ids.insert(id.clone());
    id
}

/// The footnotes, numbered, with links back to the first reference.
fn footnotes_html(
    mut notes: Vec<(String, Vec<Event<'_>>)>,
    numbers: &BTreeMap<String, usize>,
    words: &FootnoteWords,
) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let (title, back) = (&words.title, &words.back);
    // Referred notes in number order, then the others in definition order.
    notes.sort_by_key(|(label, _)| numbers.get(label).copied().unwrap_or(usize::MAX));
    let mut html = format!("<section class=\"footnotes\" aria-label=\"{title}\">\n<ol>\n");
    for (i, (label, mut events)) in notes.into_iter().enumerate() {
        let n = i + 1;
        if numbers.contains_key(&label) {
            let link = Event::Html(CowStr::from(format!(
                " <a href=\"#fnref-{n}\" class=\"footnote-back\" aria-label=\"{back} {n}\">\u{21a9}\u{fe0e}</a>"
            )));
            match events.last() {
                Some(Event::End(TagEnd::Paragraph)) => {
                    let at = events.len() - 1;
                    events.insert(at, link);
                }
                _ => events.push(link),
            }
        }
        let _ = write!(html, "<li id=\"fn-{n}\">");
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html.push_str("</li>\n");
    }
    html.push_str("</ol>\n</section>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> FootnoteWords {
        FootnoteWords::new(&Words::builtin(), Lang::En)
    }

    fn html(md: &str) -> String {
        to_html(md, &en(), &["main"]).html
    }

    // Tables get a head with column-scoped header cells and a body.
    #[test]
    fn tables_have_scoped_headers() {
        let out = html("| a | b |\n|---|--:|\n| 1 | 2 |\n");
        assert_eq!(
            out,
            "<div class=\"table-wrap\" tabindex=\"0\">\n<table>\n<thead>\n<tr><th scope=\"col\">a</th><th scope=\"col\" class=\"right\">b</th></tr>\n</thead>\n<tbody>\n<tr><td data-label=\"a\">1</td><td class=\"right\" data-label=\"b\">2</td></tr>\n</tbody>\n</table>\n</div>\n"
        );
    }

    // Task list items are disabled checkboxes, checked where done, labelled by their text.
    #[test]
    fn task_lists_are_labelled_checkboxes() {
        let out = html("- [x] Agreement made (20.11.2026)\n- [ ] **Permit** applied\n  - detail\n");
        let noted = html("- [ ] **Next:** Permit\n  Send the *application*.\n  Test first.\n");
        assert_eq!(
            noted,
            "<ul class=\"task-list\">\n<li class=\"task\"><label><input type=\"checkbox\" disabled> <strong>Next:</strong> Permit</label> <span class=\"task-note\">Send the <em>application</em>.\nTest first.</span></li>\n</ul>\n"
        );
        assert_eq!(
            out,
            "<ul class=\"task-list\">\n<li class=\"task done\"><label><input type=\"checkbox\" disabled checked> Agreement made (20.11.2026)</label></li>\n<li class=\"task\"><label><input type=\"checkbox\" disabled> <strong>Permit</strong> applied</label>\n<ul>\n<li>detail</li>\n</ul>\n</li>\n</ul>\n"
        );
        let loose = html("- [x] one\n\n- [ ] two\n");
        assert!(loose.contains("<li class=\"task done\">\n<p><label><input type=\"checkbox\" disabled checked> one</label></p>"), "{loose}");
    }

    // Headings get unique ids from their text, avoiding the layout's ids.
    #[test]
    fn headings_get_unique_ids() {
        let f = to_html(
            "# Sopimus\n## Osapuolet\n## Osapuolet\n## Main\n## Tekninen ylläpito ja päivitykset\n## 3. Kustannukset\n",
            &en(),
            &["main"],
        );
        let ids: Vec<&str> = f.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "sopimus",
                "osapuolet",
                "osapuolet-2",
                "main-2",
                "tekninen-yllapito-ja-paivitykset",
                "s-3-kustannukset"
            ]
        );
        assert!(
            f.html
                .starts_with("<h1 id=\"sopimus\">Sopimus</h1>\n<h2 id=\"osapuolet\">")
        );
        assert_eq!(f.headings[4].text, "Tekninen ylläpito ja päivitykset");
    }

    // Heading attribute syntax is not parsed, so a value cannot choose an id or a class.
    #[test]
    fn heading_attributes_are_text() {
        let f = to_html("## Name {#main .x onclick=y}\n", &en(), &[]);
        assert!(
            f.html.contains(">Name {#main .x onclick=y}</h2>"),
            "{}",
            f.html
        );
    }

    // Raw HTML never passes: tags become text, comments vanish, the markers become a section.
    #[test]
    fn raw_html_is_inert_except_the_signature_markers() {
        let out = html(
            "<script>alert(1)</script>\n\nText <b onmouseover=\"x\">bold</b> here.\n\n<!-- a note -->\n\n<!-- signatures -->\n## Signatures\n\nLine\n<!-- /signatures -->\n",
        );
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<b "), "{out}");
        assert!(
            out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{out}"
        );
        assert!(
            out.contains("&lt;b onmouseover=\"x\"&gt;bold&lt;/b&gt;"),
            "{out}"
        );
        assert!(!out.contains("a note"), "{out}");
        assert!(out.contains("<section class=\"signatures\">\n<h2 id=\"signatures\">Signatures</h2>\n<p>Line</p>\n</section>\n"), "{out}");
    }

    // An unclosed signatures section is closed at the end; a stray close is ignored.
    #[test]
    fn signature_sections_balance() {
        let out = html("<!-- /signatures -->\n\n<!-- signatures -->\n\nSign here\n");
        assert_eq!(
            out,
            "<section class=\"signatures\">\n<p>Sign here</p>\n</section>\n"
        );
    }

    // A heading right before the opening marker moves into the section, to print with it.
    #[test]
    fn signatures_take_their_heading() {
        let out = html(
            "## Terms\n\nText\n\n## Signatures\n\n<!-- signatures -->\nSign\n<!-- /signatures -->\n",
        );
        assert_eq!(
            out,
            "<h2 id=\"terms\">Terms</h2>\n<p>Text</p>\n<section class=\"signatures\">\n<h2 id=\"signatures\">Signatures</h2>\n<p>Sign</p>\n</section>\n"
        );
    }

    // Dangerous link targets lose the link, keep the text; remote images become their alt text.
    #[test]
    fn unsafe_links_and_images_are_dropped() {
        let out = html(
            "[a](javascript:alert(1)) [b](JaVa\tScRiPt:x) [c](data:text/html,x) [d](https://dvv.fi/x) [e](other.html#x) ![f](https://cdn.example/x.png) ![g](img/g.png)",
        );
        assert!(!out.to_lowercase().contains("javascript"), "{out}");
        assert!(!out.contains("data:"), "{out}");
        assert!(out.contains("<a href=\"https://dvv.fi/x\">d</a>"), "{out}");
        assert!(out.contains("<a href=\"other.html#x\">e</a>"), "{out}");
        assert!(!out.contains("cdn.example"), "{out}");
        assert!(out.contains(" f "), "{out}");
        assert!(out.contains("<img src=\"img/g.png\" alt=\"g\""), "{out}");
    }

    // Footnotes are numbered by first reference and link back.
    #[test]
    fn footnotes_are_numbered_with_back_links() {
        let out = html("A[^z] and B[^a] and again[^z].\n\n[^a]: Second.\n[^z]: First.\n");
        assert!(
            out.contains(
                "A<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup>"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "B<sup class=\"footnote-ref\"><a href=\"#fn-2\" id=\"fnref-2\">2</a></sup>"
            ),
            "{out}"
        );
        assert!(
            out.contains("<a href=\"#fn-1\" id=\"fnref-1-2\">1</a>"),
            "{out}"
        );
        let notes = &out[out
            .find("<section class=\"footnotes\"")
            .expect("footnotes section")..];
        assert!(
            notes.find("First.").unwrap() < notes.find("Second.").unwrap(),
            "{notes}"
        );
        assert!(notes.contains("<li id=\"fn-1\"><p>First. <a href=\"#fnref-1\" class=\"footnote-back\" aria-label=\"Back to reference 1\">"), "{notes}");
    }

    // Slugs fold Nordic letters and never start with a digit.
    #[test]
    fn slugs() {
        assert_eq!(slug("Ääni ja Ö-merkki"), "aani-ja-o-merkki");
        assert_eq!(slug("  "), "section");
        assert_eq!(slug("2. Vastuut"), "s-2-vastuut");
        assert_eq!(slug("<script>"), "script");
    }
}
