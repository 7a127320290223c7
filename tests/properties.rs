//! Property tests of the counting invariants, through the library's own stages.

use proptest::prelude::*;

use topictrends::config::{Overrides, Settings};
use topictrends::count::results::Results;
use topictrends::count::{Accumulator, DocRecord, Engine};
use topictrends::metadata::DocMeta;
use topictrends::pipeline::{build_engine, load_dictionary};

fn engine() -> Engine {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("themes.toml"),
        "[[theme]]\nname = \"t\"\npatterns = [\"supply chain\", \"cyber*\", \"access as a service\"]\n",
    )
    .unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(&cfg, "[themes]\nfile = \"themes.toml\"\n").unwrap();
    let settings = Settings::resolve(Some(&cfg), &Overrides::default()).unwrap();
    let dict = load_dictionary(&settings).unwrap();
    build_engine(&settings, &dict).unwrap()
}

fn doc(index: usize, group: &str) -> DocRecord {
    DocRecord {
        index,
        doc_id: format!("d{index}"),
        file: format!("d{index}.txt"),
        meta: DocMeta::default(),
        group: group.to_string(),
        encoding: "utf-8".into(),
        ..DocRecord::default()
    }
}

fn finish(engine: &Engine, acc: Accumulator) -> Results {
    Results::finish_with(acc, &engine.matcher)
}

/// Words that exercise every filter: stopwords, short words, numbers, hyphens,
/// apostrophes, accents, theme words.
fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "the",
        "of",
        "a",
        "I",
        "supply",
        "chain",
        "Supply-chain",
        "cyber",
        "cyberspace",
        "access",
        "as",
        "service",
        "States",
        "States'",
        "don't",
        "world’s",
        "sécurité",
        "se\u{301}curite\u{301}",
        "2023",
        "G20",
        "x",
        "norms",
        "multi-",
        "stakeholder",
        "CII",
        "Côte",
        "d'Ivoire",
    ])
    .prop_map(str::to_string)
}

fn separator() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        " ", "  ", "\n", "\n\n", ", ", ". ", "; ", " (", ") ", " – ", "\t",
    ])
    .prop_map(str::to_string)
}

fn text() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((word(), separator()), 0..60)
}

fn join(parts: &[(String, String)]) -> String {
    parts.iter().map(|(w, s)| format!("{w}{s}")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// The term counts of a session (before any min_count filter) sum to its kept tokens.
    #[test]
    fn term_counts_sum_to_kept_tokens(texts in prop::collection::vec(text(), 1..5)) {
        let engine = engine();
        let mut acc = Accumulator::default();
        for (i, t) in texts.iter().enumerate() {
            let prepared = engine.analyzer.prepare(&join(t)).into_owned();
            acc.add(&engine, doc(i, if i % 2 == 0 { "A" } else { "B" }), &prepared);
        }
        let r = finish(&engine, acc);
        for s in &r.sessions {
            let sum: u64 = s.terms.iter().map(|t| t.count).sum();
            prop_assert_eq!(sum, s.kept);
        }
        let kept: u64 = r.docs.iter().map(|d| d.kept_tokens).sum();
        prop_assert_eq!(kept, r.sessions.iter().map(|s| s.kept).sum::<u64>());
    }

    /// Splitting a text at a token boundary into two statements of one session changes no term count.
    #[test]
    fn splitting_a_statement_changes_no_term_count(t in text(), cut in any::<prop::sample::Index>()) {
        let engine = engine();
        let whole = engine.analyzer.prepare(&join(&t)).into_owned();
        let mut one = Accumulator::default();
        one.add(&engine, doc(0, "S"), &whole);
        let at = if t.is_empty() { 0 } else { cut.index(t.len() + 1) };
        // Cut after a separator: a token boundary, unless the separator is a
        // line break after a hyphen, which cleaning joins ("multi-\nstakeholder").
        let (a, b) = t.split_at(at);
        prop_assume!(!a.last().is_some_and(|(w, s)| w.ends_with('-') && s.starts_with('\n')));
        let mut two = Accumulator::default();
        two.add(&engine, doc(0, "S"), &engine.analyzer.prepare(&join(a)));
        two.add(&engine, doc(1, "S"), &engine.analyzer.prepare(&join(b)));
        let (r1, r2) = (finish(&engine, one), finish(&engine, two));
        let counts = |r: &Results| -> Vec<(String, u64)> {
            r.sessions.iter().flat_map(|s| s.terms.iter().map(|t| (t.term.clone(), t.count))).collect()
        };
        prop_assert_eq!(counts(&r1), counts(&r2));
    }

    /// Merging accumulators in any grouping gives the same results as one accumulator.
    #[test]
    fn merge_order_does_not_matter(texts in prop::collection::vec(text(), 1..6), split in 0usize..6) {
        let engine = engine();
        let prepared: Vec<String> = texts.iter().map(|t| engine.analyzer.prepare(&join(t)).into_owned()).collect();
        let mut all = Accumulator::default();
        for (i, p) in prepared.iter().enumerate() {
            all.add(&engine, doc(i, "S"), p);
        }
        let split = split.min(prepared.len());
        let (mut x, mut y) = (Accumulator::default(), Accumulator::default());
        for (i, p) in prepared.iter().enumerate() {
            if i < split { x.add(&engine, doc(i, "S"), p) } else { y.add(&engine, doc(i, "S"), p) }
        }
        let merged = y.merge(x);
        let (r1, r2) = (finish(&engine, all), finish(&engine, merged));
        let view = |r: &Results| -> Vec<(String, String, u64, u32)> {
            r.sessions.iter().flat_map(|s| s.terms.iter().map(|t| (t.term.clone(), t.display.clone(), t.count, t.docs))).collect()
        };
        prop_assert_eq!(view(&r1), view(&r2));
        prop_assert_eq!(r1.hits, r2.hits);
    }
}
