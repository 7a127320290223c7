//! One statement's metadata: its fields from manifest, front matter, file name and header, and its group.

use crate::config::Settings;
use crate::diagnostic::Warning;
use crate::metadata::file_name_pattern::FileNamePattern;
use crate::metadata::group::{Group, group_of};
use crate::metadata::parts::TextParts;
use crate::metadata::{Candidate, DocMeta, Manifest, Source, locate, resolve};

/// Where a statement's fields can come from besides its own text.
#[derive(Clone, Copy, Default)]
pub struct Sources<'a> {
    pub manifest: Option<&'a Manifest>,
    pub file_pattern: Option<&'a FileNamePattern>,
}

/// Whether a statement is counted, and under which group.
#[derive(Debug)]
pub enum Admission {
    /// Counted in `group` ([`Group::Undated`] when no date, year or session was found for it).
    Counted { meta: DocMeta, group: Group },
    /// Its forum is not among the selected ones: the skip reason.
    NotSelected(String),
}

/// How the skip reason of a statement left out by the forum choice begins.
pub const FORUM_NOT_SELECTED: &str = "forum not selected";

/// Resolves a statement's metadata and group; `warnings` gets the problems met on the way.
pub fn admit(
    rel: &str,
    parts: &TextParts,
    sources: Sources<'_>,
    settings: &Settings,
    warnings: &mut Vec<Warning>,
) -> Admission {
    let meta = statement_metadata(rel, parts, sources, warnings);
    let forums = &settings.forums;
    if !forums.is_empty() {
        let forum = meta.get("forum").unwrap_or("");
        if !forums.iter().any(|f| f.eq_ignore_ascii_case(forum)) {
            let shown = if forum.is_empty() { "none" } else { forum };
            return Admission::NotSelected(format!("{FORUM_NOT_SELECTED} ({shown})"));
        }
    }
    let group = group_of(&meta, &settings.group_by);
    Admission::Counted { meta, group }
}

/// Resolves a statement's metadata from the manifest, its front matter, its file name and its
/// header (in that order of precedence).
pub fn statement_metadata(
    rel: &str,
    parts: &TextParts,
    sources: Sources<'_>,
    warnings: &mut Vec<Warning>,
) -> DocMeta {
    if let Some((line, message)) = &parts.front_matter_error {
        warnings.push(Warning::at_line(
            rel,
            *line,
            format!("front matter: {message}"),
        ));
    }
    if let Some((line, written)) = &parts.unread_date {
        let message = if crate::metadata::header::find_ambiguous_date(written).is_some() {
            format!(
                "header: `{written}` is a date in digits whose day and month could be either way round: not used as the date (write the month as a word, or give `date` in the manifest or front matter)"
            )
        } else {
            format!(
                "header: `{written}` is written as a date but no such day exists: not used as the date"
            )
        };
        warnings.push(Warning::at_line(rel, *line, message));
    }
    let (meta, w) = resolve(rel, &candidates(rel, parts, sources));
    warnings.extend(w);
    meta
}

/// Every value the statement's sources give field `name` (non-empty, as written), in order of
/// precedence: what a caller that finds the winning value unusable may fall back on.
pub fn values_of(
    rel: &str,
    parts: &TextParts,
    sources: Sources<'_>,
    name: &str,
) -> Vec<(String, Source)> {
    candidates(rel, parts, sources)
        .into_iter()
        .flat_map(|c| {
            (c.fields.into_iter())
                .filter(|(k, v)| k.trim().eq_ignore_ascii_case(name) && !v.trim().is_empty())
                .map(move |(_, v)| (v, c.source))
        })
        .collect()
}

/// The statement's metadata sources as candidates, in order of precedence.
fn candidates(rel: &str, parts: &TextParts, sources: Sources<'_>) -> Vec<Candidate> {
    let mut candidates = Vec::with_capacity(4);
    if let Some(m) = sources.manifest
        && let Some((line, fields)) = m.row(rel)
    {
        candidates.push(Candidate {
            source: Source::Manifest,
            origin: Some(m.path.display().to_string()),
            line: Some(line),
            fields: fields.to_vec(),
        });
    }
    if let Some(fields) = &parts.front_matter {
        // One candidate per field, so that a warning about a field names its own line.
        for (i, field) in fields.iter().enumerate() {
            candidates.push(Candidate {
                source: Source::FrontMatter,
                origin: None,
                line: Some(parts.front_matter_lines.get(i).copied().unwrap_or(1)),
                fields: vec![field.clone()],
            });
        }
    }
    if let Some(p) = sources.file_pattern {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if let Some(fields) = p.match_name(name) {
            candidates.push(Candidate {
                source: Source::FileName,
                origin: None,
                line: None,
                fields,
            });
        }
    }
    candidates.push(Candidate {
        source: Source::Header,
        origin: None,
        line: None,
        fields: parts.header.clone(),
    });
    candidates
}

/// A warning about the value of field `name` that statement `rel` took from `source`, placed
/// where that value is written: the manifest's row, the front matter's line, or (file name,
/// header) the statement itself.
pub fn field_warning(
    rel: &str,
    parts: &TextParts,
    sources: Sources<'_>,
    (name, source): (&str, Source),
    message: String,
) -> Warning {
    let is_name = |key: &str| key.trim().eq_ignore_ascii_case(name);
    match source {
        Source::Manifest => {
            let origin = sources.manifest.and_then(|m| Some((m, m.row(rel)?.0)));
            let path = origin.map(|(m, _)| m.path.display().to_string());
            locate(rel, path.as_deref(), origin.map(|(_, line)| line), message)
        }
        Source::FrontMatter => {
            let at = parts.front_matter.as_ref().and_then(|fields| {
                let i = fields.iter().position(|(k, _)| is_name(k))?;
                parts.front_matter_lines.get(i).copied()
            });
            match at {
                Some(line) => Warning::at_line(rel, line, message),
                None => Warning::new(rel, message),
            }
        }
        Source::FileName | Source::Header => Warning::new(rel, message),
    }
}

/// A statement's id: its relative path without the file name's extension (a dot in a folder
/// name is not one, nor is a file name's leading dot).
pub fn doc_id(rel: &str) -> String {
    let name_at = rel.rfind('/').map_or(0, |slash| slash + 1);
    match rel[name_at..].rfind('.') {
        Some(dot) if dot > 0 => rel[..name_at + dot].to_string(),
        _ => rel.to_string(),
    }
}

/// A warning for every statement whose doc_id an earlier one (in path order) has too, as
/// `x.md` and `x.html` share `x`: the hit tables' `file` column tells their rows apart. Ids
/// are compared in Unicode NFC, so `Sécurité.txt` typed composed and the same name decomposed
/// (as macOS writes it), which look alike and take the same manifest row, are named too.
pub fn shared_doc_ids<'a>(rels: impl IntoIterator<Item = &'a str>) -> Vec<Warning> {
    let mut first: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for rel in rels {
        let id = doc_id(rel);
        match first.get(crate::metadata::nfc(&id).as_ref()) {
            Some(earlier) if doc_id(earlier) != id => out.push(Warning::new(
                rel,
                format!(
                    "file name is {earlier}'s in another Unicode form (one composed, one \
                     decomposed): both look like `{id}` and take the same manifest row; \
                     documents.csv, theme_matches.csv and theme_contexts.csv tell them apart \
                     only by the bytes of their file column, so rename one"
                ),
            )),
            Some(earlier) => out.push(Warning::new(
                rel,
                format!(
                    "doc_id `{id}` is also {earlier}'s: documents.csv, theme_matches.csv and theme_contexts.csv tell them apart by their file column"
                ),
            )),
            None => {
                first.insert(crate::metadata::nfc(&id).into_owned(), rel);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_sharing_a_doc_id_are_named() {
        let w = shared_doc_ids(["a/x.html", "a/x.md", "a/x.txt", "a/y.txt", "b/x.txt"]);
        let files: Vec<&str> = w.iter().map(|w| w.file.as_str()).collect();
        assert_eq!(files, ["a/x.md", "a/x.txt"]);
        assert!(w[0].message.starts_with("doc_id `a/x` is also a/x.html's"));
    }

    #[test]
    fn names_alike_in_another_unicode_form_are_named() {
        let composed = "S\u{e9}curit\u{e9}.txt";
        let decomposed = "Se\u{301}curite\u{301}.txt";
        let w = shared_doc_ids([decomposed, composed, "other.txt"]);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].file, composed);
        assert!(
            w[0].message.starts_with(&format!(
                "file name is {decomposed}'s in another Unicode form"
            )),
            "{}",
            w[0].message
        );
    }

    #[test]
    fn ids_drop_the_extension_only() {
        assert_eq!(doc_id("a/b.txt"), "a/b");
        assert_eq!(doc_id(".hidden"), ".hidden");
        assert_eq!(doc_id("x.tar.gz"), "x.tar");
        // A dot in a folder name is not an extension.
        assert_eq!(doc_id("a.b/c"), "a.b/c");
        assert_eq!(doc_id("2024.03/statement"), "2024.03/statement");
        assert_eq!(doc_id("a.b/.hidden"), "a.b/.hidden");
        assert_eq!(doc_id("a.b/c.txt"), "a.b/c");
    }

    #[test]
    fn a_header_date_that_names_no_day_is_warned_about() {
        let settings =
            Settings::resolve(None, &crate::config::Overrides::default()).expect("defaults");
        let parts = TextParts::parse("Statement by Chile\n31 April 2024\n\nThank you, Chair.\n");
        let mut warnings = Vec::new();
        let Admission::Counted { group, .. } = admit(
            "s.txt",
            &parts,
            Sources::default(),
            &settings,
            &mut warnings,
        ) else {
            panic!("not admitted")
        };
        assert!(group.is_undated());
        let w: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
        assert!(
            w.iter()
                .any(|m| m.contains("`31 April 2024` is written as a date but no such day exists")),
            "{w:?}"
        );
    }

    #[test]
    fn a_front_matter_warning_names_the_line_of_its_field() {
        let settings =
            Settings::resolve(None, &crate::config::Overrides::default()).expect("defaults");
        let parts = TextParts::parse(
            "---\nspeaker: Chile\n\ndate: the day after\n---\nThank you, Chair.\n",
        );
        let mut warnings = Vec::new();
        admit("s.md", &parts, Sources::default(), &settings, &mut warnings);
        let w = (warnings.iter())
            .find(|w| w.message.starts_with("front_matter"))
            .unwrap_or_else(|| panic!("no front matter warning in {warnings:?}"));
        assert_eq!((w.file.as_str(), w.line), ("s.md", Some(4)), "{w:?}");
        assert!(w.message.contains("the day after"), "{w:?}");
    }

    #[test]
    fn a_forum_outside_the_selection_is_not_admitted() {
        let mut settings =
            Settings::resolve(None, &crate::config::Overrides::default()).expect("defaults");
        settings.forums = vec!["OEWG".into()];
        let parts = TextParts::parse("First Committee\n\nThank you, Chair.\n");
        let mut warnings = Vec::new();
        match admit(
            "s.txt",
            &parts,
            Sources::default(),
            &settings,
            &mut warnings,
        ) {
            Admission::NotSelected(reason) => {
                assert!(reason.contains("First Committee"), "{reason}")
            }
            other => panic!("admitted: {other:?}"),
        }
    }
}
