//! Rendering: templates → Markdown documents, Markdown → HTML pages and the site,
//! Markdown → Typst → PDF through the typst program, Markdown → Word.

pub mod docx;
pub mod html;
pub mod markdown;
pub mod numbering;
pub mod pdf;
pub mod site;
pub mod typst;
