//! Embeds every file under `templates/` into the binary, so that the built-in templates
//! need no files at run time and a new template needs no code change.

use std::fmt::Write;
use std::path::Path;

fn main() {
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
