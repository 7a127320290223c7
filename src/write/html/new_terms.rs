//! "What is new": the words that rose and fell in the most recent sessions (keyness), each
//! session's most distinctive terms (tf-idf), and frequent phrases no theme covers yet.

use std::fmt::Write;

use super::escape::{esc, isolate};
use super::format::{count, rate};
use super::{Page, figure, open_section};
use crate::config::KeynessReference;
use crate::report::evidence::collocations;
use crate::report::evidence::keyness::KeyTerm;
use crate::report::evidence::tfidf::top_terms_by_session;

/// Most recent sessions shown.
const RECENT: usize = 3;
/// Rising and falling terms listed per session.
pub(super) const RISING: usize = 12;
pub(super) const FALLING: usize = 6;
/// Distinctive terms per session.
const DISTINCTIVE: usize = 12;
/// Candidate phrases listed.
const PHRASES: usize = 30;

pub(super) fn section(s: &mut String, page: &Page<'_>) {
    open_section(
        s,
        "new",
        "Which words rose or fell in the most recent sessions, what each of them talks about most, and which frequent phrases the dictionary does not cover yet.",
    );
    keyness(s, page);
    distinctive(s, page);
    watch_terms(s, page);
    phrases(s, page);
    s.push_str("</section>\n");
}

/// "security <span>+48.2</span>, ..." for a list of key terms.
fn term_list(terms: &[&KeyTerm]) -> String {
    if terms.is_empty() {
        return "–".to_string();
    }
    terms
        .iter()
        .map(|k| {
            format!(
                "{} <span class=\"g2\">({}{:.1})</span>",
                isolate(&k.display),
                if k.stats.g2 > 0.0 { "+" } else { "" },
                k.stats.g2
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn keyness(s: &mut String, page: &Page<'_>) {
    let r = &page.input.analysis.results;
    let ev = &page.input.settings.evidence;
    let rows = page.input.keyness;
    let with_rows: Vec<usize> = {
        let mut v: Vec<usize> = rows.iter().map(|k| k.session).collect();
        v.dedup();
        v.into_iter().filter(|&i| r.sessions[i].dated).collect()
    };
    let recent = &with_rows[with_rows.len().saturating_sub(RECENT)..];
    let reference = match ev.keyness_reference {
        KeynessReference::Earlier => "all earlier sessions pooled",
        KeynessReference::Others => "all other sessions pooled",
    };
    s.push_str("<h3 id=\"new-words\">What is new</h3>\n");
    if recent.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"note\">No session has a reference to compare with (keyness needs at least two sessions and terms seen {} times or more).</p>",
            ev.keyness_min_count
        );
        return;
    }
    let _ = write!(
        s,
        "<table>\n<caption>Terms more (rising) and less (falling) frequent in each recent session than in {reference}, \
         by signed log-likelihood G2 (above 3.84: p &lt; 0.05). Every session and term: {}; \
         charts in <code>charts/keyness/</code>.</caption>\n<thead><tr><th scope=\"col\">{}</th>\
         <th scope=\"col\">Rising</th><th scope=\"col\">Falling</th></tr></thead>\n<tbody>\n",
        page.table_link("keyness.csv"),
        esc(&crate::write::charts::data::group_label(
            &page.input.settings.group_by
        )),
    );
    for &i in recent.iter().rev() {
        let start = rows.partition_point(|k| k.session < i);
        let end = rows.partition_point(|k| k.session <= i);
        let own = &rows[start..end];
        let rising: Vec<&KeyTerm> = own
            .iter()
            .filter(|k| k.stats.g2 > 0.0)
            .take(RISING)
            .collect();
        let falling: Vec<&KeyTerm> = own
            .iter()
            .rev()
            .filter(|k| k.stats.g2 < 0.0)
            .take(FALLING)
            .collect();
        let _ = writeln!(
            s,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            esc(&r.sessions[i].label),
            term_list(&rising),
            term_list(&falling)
        );
    }
    s.push_str("</tbody>\n</table>\n");
}

fn distinctive(s: &mut String, page: &Page<'_>) {
    let r = &page.input.analysis.results;
    let top = top_terms_by_session(r, DISTINCTIVE);
    let dated: Vec<usize> = (0..r.sessions.len())
        .filter(|&i| r.sessions[i].dated)
        .collect();
    let recent = &dated[dated.len().saturating_sub(RECENT)..];
    s.push_str("<h3 id=\"top-terms\">Top terms</h3>\n");
    if recent.is_empty() || top.is_empty() {
        s.push_str("<p class=\"note\">No dated session has terms to rank.</p>\n");
        return;
    }
    let _ = write!(
        s,
        "<table>\n<caption>The most distinctive terms of each recent session (tf-idf: frequent in the session, rare in the others). \
         Every session: {}; raw counts: {}; \
         charts in <code>charts/top_terms/</code>.</caption>\n<thead><tr><th scope=\"col\">{}</th>\
         <th scope=\"col\">Terms, most distinctive first (occurrences)</th></tr></thead>\n<tbody>\n",
        page.table_link("top_terms.csv"),
        page.table_link("term_frequencies.csv"),
        esc(&crate::write::charts::data::group_label(
            &page.input.settings.group_by
        )),
    );
    for &i in recent.iter().rev() {
        let terms: Vec<String> = top
            .iter()
            .filter(|t| t.session == i)
            .map(|t| {
                format!(
                    "{} <span class=\"g2\">({})</span>",
                    isolate(&t.display),
                    count(t.count)
                )
            })
            .collect();
        let _ = writeln!(
            s,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            esc(&r.sessions[i].label),
            if terms.is_empty() {
                "–".to_string()
            } else {
                terms.join(", ")
            }
        );
    }
    s.push_str("</tbody>\n</table>\n");
}

fn watch_terms(s: &mut String, page: &Page<'_>) {
    let c = &page.input.settings.charts;
    if c.watch_terms.is_empty() {
        return;
    }
    s.push_str("<h3 id=\"watch-terms\">Watch terms</h3>\n");
    let alt = format!(
        "Small multiples, one panel per watch term ({}), each term's occurrences per 1,000 words over time on a shared scale. The counts are in term_frequencies.csv.",
        c.watch_terms.join(", ")
    );
    figure(
        s,
        page,
        "charts/term_trends.png",
        &alt,
        "Occurrences per 1,000 words of the words listed in <code>[charts] watch_terms</code>.",
    );
}

fn phrases(s: &mut String, page: &Page<'_>) {
    let input = page.input;
    let ev = &input.settings.evidence;
    s.push_str("<h3 id=\"phrases\">Candidate phrases no theme covers</h3>\n");
    if !ev.collocations {
        s.push_str("<p class=\"note\">Collocations are off for this run (<code>[evidence] collocations = false</code>).</p>\n");
        return;
    }
    let r = &input.analysis.results;
    let ranked = collocations::ranked(r, &input.analysis.collocations);
    let free: Vec<&collocations::Phrase> = ranked
        .iter()
        .filter(|p| p.themes.is_empty())
        .take(PHRASES)
        .collect();
    if free.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"note\">Every phrase seen {} times or more is already covered by a theme, or none is that frequent.</p>",
            ev.collocation_min_count
        );
        return;
    }
    let _ = write!(
        s,
        "<table>\n<caption>Two- and three-word sequences that occur together far more often than their words predict \
         (log-likelihood G2) and that no theme's pattern matches: candidates for the dictionary. \
         All phrases, covered or not: {}.</caption>\n<thead><tr>\
         <th scope=\"col\">Phrase</th><th scope=\"col\">Occurrences</th><th scope=\"col\">G2</th>\
         <th scope=\"col\">Sessions with it</th><th scope=\"col\">Latest</th></tr></thead>\n<tbody>\n",
        page.table_link("collocations.csv"),
    );
    for p in free {
        let latest = p
            .sessions
            .last()
            .map_or(String::new(), |&(i, _)| r.sessions[i].label.clone());
        let _ = writeln!(
            s,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            isolate(&p.text),
            count(p.count),
            rate(p.g2),
            count(p.sessions.len() as u64),
            esc(&latest)
        );
    }
    s.push_str("</tbody>\n</table>\n");
}
