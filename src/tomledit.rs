//! Editing the input file in place, keeping every comment, blank line and the layout of
//! everything that is not changed (through `toml_edit`).
//!
//! One [`Editor`] per file: [`Editor::open`] reads it, [`Editor::set_progress`] records a
//! phase in a member's `[members.progress]`, [`Editor::upsert_certificate`] adds or updates
//! a `[[certificates]]` entry's `expires`, and [`Editor::save`] writes the file atomically
//! (refusing when the file changed on disk since it was read). Nothing is overwritten
//! unless the caller asks ([`Overwrite`]).
//!
//! ```no_run
//! use xroad_share::tomledit::{Editor, Overwrite};
//! let mut file = Editor::open("sharing.toml".as_ref())?;
//! let date = jiff::civil::date(2026, 12, 1);
//! file.set_progress("pikkula", "agreement", date, Overwrite::Never)?;
//! file.save()?;
//! # Ok::<(), anyhow::Error>(())
//! ```

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use jiff::civil::Date;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

/// Whether an edit may replace a value that is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Keep a value that is already there.
    Never,
    /// Replace it.
    Always,
}

/// What an edit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The value was added, or replaced the one given here.
    Changed {
        /// The value that was there before, if any.
        previous: Option<Date>,
    },
    /// A value was already there and was kept: the same date, or another one with
    /// [`Overwrite::Never`].
    AlreadySet(Date),
}

/// Why an edit was not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// No `[[members]]` entry has this id.
    UnknownMember(String),
    /// The value at this key is not a date (the file would need a hand edit).
    NotADate(String),
    /// The file's layout is not one the editor can change, at this key.
    Layout(String),
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::UnknownMember(id) => write!(f, "no `[[members]]` entry has `id = \"{id}\"`"),
            EditError::NotADate(key) => write!(f, "`{key}` holds something other than a date"),
            EditError::Layout(key) => write!(
                f,
                "`{key}` is not a table, an inline table or an array of tables, so it cannot be edited"
            ),
        }
    }
}

impl std::error::Error for EditError {}

/// The slot of one certificate: what tells two `[[certificates]]` entries apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateSlot {
    /// `authentication`, `signing`, `internal-tls` or `client-tls`.
    pub kind: String,
    /// The instance, e.g. `FI-TEST`.
    pub instance: String,
    /// The member id, for signing and client TLS certificates.
    pub member: Option<String>,
    /// The subsystem code, for client TLS certificates.
    pub subsystem: Option<String>,
}

/// An input file opened for editing.
#[derive(Debug)]
pub struct Editor {
    path: PathBuf,
    original: String,
    doc: DocumentMut,
}

impl Editor {
    /// Reads and parses the file at `path`.
    pub fn open(path: &Path) -> Result<Editor> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        Editor::parse(path, &text)
    }

    /// Parses `text` as the contents of the file at `path` (where [`Editor::save`] writes).
    pub fn parse(path: &Path, text: &str) -> Result<Editor> {
        let doc: DocumentMut = text
            .parse()
            .with_context(|| format!("`{}` is not valid TOML", path.display()))?;
        Ok(Editor {
            path: path.to_path_buf(),
            original: text.to_string(),
            doc,
        })
    }

    /// The file's text with the edits made so far.
    pub fn text(&self) -> String {
        self.doc.to_string()
    }

    /// Whether the edits changed the text.
    pub fn is_changed(&self) -> bool {
        self.text() != self.original
    }

    /// Records `phase` of the member with the id `member` as done on `date`, in the
    /// member's `progress` table (created when missing). An existing date is kept unless
    /// `overwrite` is [`Overwrite::Always`]. The phase id is not checked here: the caller
    /// knows which phases the member has.
    pub fn set_progress(
        &mut self,
        member: &str,
        phase: &str,
        date: Date,
        overwrite: Overwrite,
    ) -> Result<Edit, EditError> {
        let table = self.member_mut(member)?;
        if !table.contains_key("progress") {
            let mut progress = Table::new();
            progress.set_implicit(false);
            table.insert("progress", Item::Table(progress));
        }
        let item = table.get_mut("progress");
        if let Some(Item::Value(Value::InlineTable(inline))) = item {
            let edit = set_date(inline, phase, date, overwrite)?;
            // An inline table is one line: lay it out anew, as `{ a = 1, b = 2 }`.
            if edit != Edit::AlreadySet(date) {
                inline.fmt();
            }
            return Ok(edit);
        }
        let progress = item
            .and_then(Item::as_table_like_mut)
            .ok_or_else(|| EditError::Layout(format!("members.progress of `{member}`")))?;
        set_date(progress, phase, date, overwrite)
    }

    /// Sets the `expires` date of the `[[certificates]]` entry for `slot`, adding the entry
    /// at the end of the certificates when there is none. An existing date is kept unless
    /// `overwrite` is [`Overwrite::Always`].
    pub fn upsert_certificate(
        &mut self,
        slot: &CertificateSlot,
        expires: Date,
        overwrite: Overwrite,
    ) -> Result<Edit, EditError> {
        let root = self.doc.as_table_mut();
        if !root.contains_key("certificates") {
            root.insert("certificates", Item::ArrayOfTables(ArrayOfTables::new()));
        }
        let certificates = root
            .get_mut("certificates")
            .and_then(Item::as_array_of_tables_mut)
            .ok_or_else(|| EditError::Layout("certificates".into()))?;
        let found = certificates.iter_mut().find(|t| slot_of(t) == *slot);
        let entry = match found {
            Some(t) => t,
            None => {
                let mut t = Table::new();
                t.insert("kind", toml_edit::value(slot.kind.as_str()));
                t.insert("instance", toml_edit::value(slot.instance.as_str()));
                if let Some(m) = &slot.member {
                    t.insert("member", toml_edit::value(m.as_str()));
                }
                if let Some(s) = &slot.subsystem {
                    t.insert("subsystem", toml_edit::value(s.as_str()));
                }
                certificates.push(t);
                let last = certificates.len() - 1;
                certificates
                    .get_mut(last)
                    .ok_or_else(|| EditError::Layout("certificates".into()))?
            }
        };
        set_date(entry, "expires", expires, overwrite)
    }

    /// Writes the edited text to the file atomically (a temporary file beside it, then a
    /// rename), with the file's permissions kept. Returns whether anything was written:
    /// nothing is when no edit changed the text. Refuses when the file on disk is no
    /// longer the one that was read.
    pub fn save(&self) -> Result<bool> {
        if !self.is_changed() {
            return Ok(false);
        }
        // Write through a symbolic link to the file it names.
        let target = std::fs::canonicalize(&self.path)
            .with_context(|| format!("cannot find `{}`", self.path.display()))?;
        let now = std::fs::read_to_string(&target)
            .with_context(|| format!("cannot read `{}`", self.path.display()))?;
        if now != self.original {
            bail!(
                "`{}` changed while it was being edited; nothing was written, run the command again",
                self.path.display()
            );
        }
        let permissions = std::fs::metadata(&target)
            .with_context(|| format!("cannot read `{}`", self.path.display()))?
            .permissions();
        let dir = target.parent().unwrap_or(Path::new("."));
        let mut tmp = tempfile::Builder::new()
            .prefix(".xroad-share-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .with_context(|| format!("cannot create a temporary file in `{}`", dir.display()))?;
        let write = |tmp: &mut tempfile::NamedTempFile| -> std::io::Result<()> {
            tmp.write_all(self.text().as_bytes())?;
            std::fs::set_permissions(tmp.path(), permissions.clone())?;
            tmp.as_file().sync_all()
        };
        write(&mut tmp).with_context(|| format!("cannot write `{}`", self.path.display()))?;
        tmp.persist(&target)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write `{}`", self.path.display()))?;
        Ok(true)
    }

    /// The `[[members]]` table with `id = member`.
    fn member_mut(&mut self, member: &str) -> Result<&mut Table, EditError> {
        self.doc
            .get_mut("members")
            .and_then(Item::as_array_of_tables_mut)
            .and_then(|members| {
                members
                    .iter_mut()
                    .find(|t| t.get("id").and_then(Item::as_str) == Some(member))
            })
            .ok_or_else(|| EditError::UnknownMember(member.to_string()))
    }
}

/// The slot a `[[certificates]]` table describes.
fn slot_of(t: &Table) -> CertificateSlot {
    let text = |k: &str| t.get(k).and_then(Item::as_str).map(str::to_string);
    CertificateSlot {
        kind: text("kind").unwrap_or_default(),
        instance: text("instance").unwrap_or_default(),
        member: text("member"),
        subsystem: text("subsystem"),
    }
}

/// Sets `key` in `table` to `date`, keeping a comment that follows the old value.
fn set_date(
    table: &mut dyn toml_edit::TableLike,
    key: &str,
    date: Date,
    overwrite: Overwrite,
) -> Result<Edit, EditError> {
    let new = toml_datetime(date);
    let previous = match table.get(key) {
        None => None,
        Some(item) => {
            let old = item
                .as_value()
                .and_then(Value::as_datetime)
                .and_then(|d| d.date)
                .and_then(|d| {
                    jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8).ok()
                })
                .ok_or_else(|| EditError::NotADate(key.to_string()))?;
            if old == date || overwrite == Overwrite::Never {
                return Ok(Edit::AlreadySet(old));
            }
            Some(old)
        }
    };
    let mut value = Value::from(new);
    if let Some(old) = table.get(key).and_then(Item::as_value) {
        *value.decor_mut() = old.decor().clone();
    }
    match table.get_mut(key) {
        Some(item) => *item = Item::Value(value),
        None => {
            table.insert(key, Item::Value(value));
        }
    }
    Ok(Edit::Changed { previous })
}

fn toml_datetime(date: Date) -> toml_edit::Datetime {
    toml_edit::Datetime {
        date: Some(toml_edit::Date {
            year: date.year() as u16,
            month: date.month() as u8,
            day: date.day() as u8,
        }),
        time: None,
        offset: None,
    }
}

/// The lines that differ between `before` and `after`: `-` removed, `+` added, from a
/// longest common subsequence of lines (to show or check what an edit changed).
pub fn changed_lines(before: &str, after: &str) -> Vec<String> {
    let (b, a): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    let mut lcs = vec![vec![0usize; a.len() + 1]; b.len() + 1];
    for i in (0..b.len()).rev() {
        for j in (0..a.len()).rev() {
            lcs[i][j] = if b[i] == a[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < b.len() || j < a.len() {
        if i < b.len() && j < a.len() && b[i] == a[j] {
            i += 1;
            j += 1;
        } else if i < b.len() && (j == a.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(format!("-{}", b[i]));
            i += 1;
        } else {
            out.push(format!("+{}", a[j]));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const FILE: &str = r#"# an arrangement
[packet]
date = 2026-12-01   # the packet date

[[members]]
id = "pikkula"      # the first member

[members.progress]  # phase id = date done
agreement = 2026-11-20   # signed at the council

[[members]]
id = "isola"
progress = { agreement = 2026-11-01 }

[[members]]
id = "keskila"
# no progress yet

# closing comment
"#;

    fn editor() -> Editor {
        Editor::parse(Path::new("sharing.toml"), FILE).unwrap()
    }

    #[test]
    fn progress_is_added_to_the_member_table() {
        let mut e = editor();
        let r = e.set_progress(
            "pikkula",
            "permit/FI-TEST",
            date(2026, 11, 25),
            Overwrite::Never,
        );
        assert_eq!(r, Ok(Edit::Changed { previous: None }));
        assert_eq!(
            changed_lines(FILE, &e.text()),
            ["+\"permit/FI-TEST\" = 2026-11-25"]
        );
    }

    #[test]
    fn an_existing_date_is_kept_unless_asked() {
        let mut e = editor();
        let r = e.set_progress("pikkula", "agreement", date(2026, 11, 21), Overwrite::Never);
        assert_eq!(r, Ok(Edit::AlreadySet(date(2026, 11, 20))));
        assert!(!e.is_changed());
        let r = e.set_progress(
            "pikkula",
            "agreement",
            date(2026, 11, 21),
            Overwrite::Always,
        );
        assert_eq!(
            r,
            Ok(Edit::Changed {
                previous: Some(date(2026, 11, 20))
            })
        );
        assert_eq!(
            changed_lines(FILE, &e.text()),
            [
                "-agreement = 2026-11-20   # signed at the council",
                "+agreement = 2026-11-21   # signed at the council"
            ]
        );
    }

    #[test]
    fn inline_and_missing_progress_tables() {
        let mut e = editor();
        e.set_progress("isola", "policies", date(2026, 11, 2), Overwrite::Never)
            .unwrap();
        assert!(
            e.text()
                .contains("progress = { agreement = 2026-11-01, policies = 2026-11-02 }"),
            "{}",
            e.text()
        );
        e.set_progress("keskila", "agreement", date(2026, 11, 3), Overwrite::Never)
            .unwrap();
        let text = e.text();
        assert!(
            text.contains("[members.progress]\nagreement = 2026-11-03\n"),
            "{text}"
        );
        assert!(text.contains("# no progress yet"), "{text}");
        assert!(text.ends_with("# closing comment\n"), "{text}");
        // The new table belongs to the third member.
        let doc: toml::Table = toml::from_str(&text).unwrap();
        let members = doc["members"].as_array().unwrap();
        assert!(members[2]["progress"].get("agreement").is_some(), "{text}");
    }

    #[test]
    fn unknown_member_and_non_dates_are_refused() {
        let mut e = editor();
        assert_eq!(
            e.set_progress("pikula", "agreement", date(2026, 1, 1), Overwrite::Never),
            Err(EditError::UnknownMember("pikula".into()))
        );
        let mut e = Editor::parse(
            Path::new("x.toml"),
            "[[members]]\nid = \"a\"\n[members.progress]\nagreement = \"soon\"\n",
        )
        .unwrap();
        assert_eq!(
            e.set_progress("a", "agreement", date(2026, 1, 1), Overwrite::Always),
            Err(EditError::NotADate("agreement".into()))
        );
    }

    #[test]
    fn certificates_are_updated_or_added() {
        let text = "[[members]]\nid = \"a\"\n\n[[certificates]]  # the test signing certificate\nkind = \"signing\"\ninstance = \"FI-TEST\"\nmember = \"a\"\nexpires = 2027-01-01\n";
        let mut e = Editor::parse(Path::new("x.toml"), text).unwrap();
        let slot = CertificateSlot {
            kind: "signing".into(),
            instance: "FI-TEST".into(),
            member: Some("a".into()),
            subsystem: None,
        };
        assert_eq!(
            e.upsert_certificate(&slot, date(2028, 1, 1), Overwrite::Never),
            Ok(Edit::AlreadySet(date(2027, 1, 1)))
        );
        e.upsert_certificate(&slot, date(2028, 1, 1), Overwrite::Always)
            .unwrap();
        assert_eq!(
            changed_lines(text, &e.text()),
            ["-expires = 2027-01-01", "+expires = 2028-01-01"]
        );
        let prod = CertificateSlot {
            instance: "FI".into(),
            ..slot
        };
        e.upsert_certificate(&prod, date(2028, 6, 1), Overwrite::Never)
            .unwrap();
        assert!(
            e.text().ends_with(
                "\n[[certificates]]\nkind = \"signing\"\ninstance = \"FI\"\nmember = \"a\"\nexpires = 2028-06-01\n"
            ),
            "{}",
            e.text()
        );
    }

    #[test]
    fn save_is_atomic_keeps_permissions_and_refuses_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sharing.toml");
        std::fs::write(&path, FILE).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        let mut e = Editor::open(&path).unwrap();
        assert!(!e.save().unwrap(), "nothing to write");
        e.set_progress("keskila", "agreement", date(2026, 1, 1), Overwrite::Never)
            .unwrap();
        assert!(e.save().unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), e.text());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["sharing.toml"], "no temporary file is left");
        let mut e = Editor::open(&path).unwrap();
        std::fs::write(&path, "# edited by hand meanwhile\n").unwrap();
        e.set_progress("pikkula", "policies", date(2026, 1, 2), Overwrite::Never)
            .unwrap();
        let err = e.save().unwrap_err().to_string();
        assert!(err.contains("changed while it was being edited"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "# edited by hand meanwhile\n"
        );
    }
}
