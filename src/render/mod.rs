//! Rendering: templates → Markdown documents, Markdown → HTML pages and the site,
//! Markdown → Typst → PDF through the typst program.

pub mod markdown;
