//! Embeds every file under `templates/` into the binary, so that the built-in templates
//! need no files at run time and a new template needs no code change; and derives which
//! characters the PDF fonts can show from the font files themselves.
//!
//! The fonts are those that the typst page design (`templates/typst/xroad.typ`) names in
//! `body-font`, taken from `typst-assets`, the crate whose files the typst CLI embeds (the
//! same version as the CLI the project uses, `--ignore-system-fonts`). A character counts
//! as shown when, in each of the four styles that documents use (regular, bold, italic, bold
//! italic), one of the named families has a glyph for it: typst falls back along the list
//! character by character.

use std::fmt::Write;
use std::path::Path;

fn main() {
    embed_templates();
    font_coverage();
}

fn embed_templates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut code = String::from(
        "/// Built-in templates: (name relative to `templates/`, contents), sorted by name.\npub static BUILTIN: &[(&str, &str)] = &[\n",
    );
    let walk = walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok);
    for entry in walk.filter(|e| e.file_type().is_file()) {
        println!("cargo:rerun-if-changed={}", entry.path().display());
        let rel = entry
            .path()
            .strip_prefix(&root)
            .expect("walkdir yields paths under its root");
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            entry.path().display().to_string()
        )
        .expect("writing to a String");
    }
    code.push_str("];\n");
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("templates.rs");
    std::fs::write(out, code).expect("writing to OUT_DIR");
}

/// Writes `font_coverage.rs` to `OUT_DIR`: the sorted, disjoint ranges of code points that
/// the fonts of the page design show in every style.
fn font_coverage() {
    let design = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/typst/xroad.typ");
    println!("cargo:rerun-if-changed={}", design.display());
    let text = std::fs::read_to_string(&design).expect("the typst page design");
    let families = body_fonts(&text);
    assert!(
        !families.is_empty(),
        "no `#let body-font = (...)` in {}",
        design.display()
    );
    let normal = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted: Vec<String> = families.iter().map(|f| normal(f)).collect();
    // For each style (bold, italic), the code points some named family shows in it.
    let mut styles: std::collections::BTreeMap<(bool, bool), std::collections::BTreeSet<u32>> =
        std::collections::BTreeMap::new();
    for data in typst_assets::fonts() {
        let Ok(face) = ttf_parser::Face::parse(data, 0) else {
            continue;
        };
        let family = face
            .names()
            .into_iter()
            .filter(|n| {
                n.is_unicode()
                    && (n.name_id == ttf_parser::name_id::TYPOGRAPHIC_FAMILY
                        || n.name_id == ttf_parser::name_id::FAMILY)
            })
            .filter_map(|n| n.to_string())
            .map(|n| normal(&n))
            .collect::<Vec<_>>();
        if !family
            .iter()
            .any(|f| wanted.iter().any(|w| f.starts_with(w.as_str())))
        {
            continue;
        }
        let style = (
            face.weight().to_number() >= 600,
            face.is_italic() || face.is_oblique(),
        );
        let set = styles.entry(style).or_default();
        if let Some(cmap) = face.tables().cmap {
            for sub in cmap.subtables {
                if !sub.is_unicode() {
                    continue;
                }
                sub.codepoints(|cp| {
                    if sub.glyph_index(cp).is_some_and(|g| g.0 != 0) {
                        set.insert(cp);
                    }
                });
            }
        }
    }
    let all = [(false, false), (true, false), (false, true), (true, true)];
    let mut shown: Option<std::collections::BTreeSet<u32>> = None;
    for style in all {
        let set = styles.remove(&style).unwrap_or_else(|| {
            panic!("the fonts {families:?} have no style {style:?} (bold, italic)")
        });
        shown = Some(match shown {
            None => set,
            Some(s) => s.intersection(&set).copied().collect(),
        });
    }
    let shown = shown.unwrap_or_default();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for cp in shown {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == cp => *end = cp,
            _ => ranges.push((cp, cp)),
        }
    }
    let mut code = format!(
        "/// The fonts whose coverage follows: the page design's `body-font`.\npub const FONTS: &[&str] = &{families:?};\n/// The code points that those fonts show in every style, as sorted inclusive ranges.\npub static SHOWN: &[(u32, u32)] = &[\n"
    );
    for (a, b) in ranges {
        writeln!(code, "    (0x{a:X}, 0x{b:X}),").expect("writing to a String");
    }
    code.push_str("];\n");
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("font_coverage.rs");
    std::fs::write(out, code).expect("writing to OUT_DIR");
}

/// The font families of `#let body-font = ("A", "B")` in a typst file.
fn body_fonts(typst: &str) -> Vec<String> {
    let Some(line) = typst
        .lines()
        .find(|l| l.trim_start().starts_with("#let body-font"))
    else {
        return Vec::new();
    };
    line.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}
