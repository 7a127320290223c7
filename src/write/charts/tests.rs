//! Chart tests: layout, scales, glyphs and byte-identical PNGs, on small hand-made inputs.
use super::style::{PALETTE, series_style};
use super::*;

/// A deterministic, realistic-looking input: `sessions` dated sessions, `themes` themes.
fn fixture(sessions: usize, themes: usize) -> ChartInput {
    let points: Vec<SessionPoint> = (0..sessions)
        .map(|s| SessionPoint {
            label: format!("{}-{:02}", 1990 + s / 4, 1 + (s % 4) * 3),
            docs: 1 + (s as u32 * 7) % 40,
            kept_tokens: 2_000 + (s as u64 * 1_337) % 50_000,
            dated: true,
            day: None,
        })
        .collect();
    let wave = |t: usize, s: usize| {
        2.0 + 1.5 * ((t as f64 * 0.9 + s as f64 * 0.45).sin()) + t as f64 * 0.15
    };
    let theme_list: Vec<ThemeSeries> = (0..themes)
        .map(|t| {
            let per_1000: Vec<f64> = (0..sessions).map(|s| wave(t, s)).collect();
            let hits: Vec<u64> = (0..sessions)
                .map(|s| (per_1000[s] * points[s].kept_tokens as f64 / 1000.0).round() as u64)
                .collect();
            let patterns = (0..3)
                .map(|p| PatternSeries {
                    pattern: format!("pattern{p}*"),
                    hits: hits.iter().map(|h| h * (p as u64 + 1) / 6).collect(),
                })
                .collect();
            ThemeSeries {
                name: format!("Theme {t}: cyber capacity"),
                per_1000,
                hits,
                ci: None,
                patterns,
            }
        })
        .collect();
    let top_terms = (0..sessions)
        .map(|s| {
            (0..25)
                .map(|k| TermBar {
                    term: format!("term{k}"),
                    count: (200 - k * 7 + s) as u64,
                    per_1000: (200 - k * 7 + s) as f64 / 10.0,
                })
                .collect()
        })
        .collect();
    let watch_terms = ["ransomware", "norms", "capacity", "critical infrastructure"]
        .iter()
        .enumerate()
        .map(|(w, term)| TermSeries {
            term: term.to_string(),
            per_1000: (0..sessions).map(|s| wave(w + 3, s) / 2.0).collect(),
        })
        .collect();
    let keyness = (0..sessions)
        .map(|s| (s > 0).then(|| keyness_fixture(s, points[s].kept_tokens)))
        .collect();
    ChartInput {
        sessions: points,
        themes: theme_list,
        top_terms,
        watch_terms,
        keyness,
        footer: format!("{sessions} sessions · config: topictrends.toml"),
        // A smaller canvas and few per-session charts keep the suite fast on two cores; size
        // handling and "0 = every session" are tested separately.
        settings: ChartSettings {
            width: 800,
            height: 450,
            session_charts: 3,
            ..ChartSettings::default()
        },
    }
}

/// Ten rising and ten falling terms; the weakest of each side fall below |G2| = 3.84.
fn keyness_fixture(earlier: usize, kept: u64) -> KeynessBars {
    KeynessBars {
        reference: "earlier sessions".to_string(),
        reference_sessions: earlier,
        total_target: kept,
        total_reference: kept * earlier as u64,
        rising: (0..10)
            .map(|k| KeyBar {
                term: format!("rising{k}"),
                count_target: 100 - k * 5,
                count_reference: if k == 0 { 0 } else { 10 + k },
                g2: 48.0 - k as f64 * 5.0,
                log_ratio: 3.0 - k as f64 * 0.2,
            })
            .collect(),
        falling: (0..10)
            .map(|k| KeyBar {
                term: format!("falling{k}"),
                count_target: k,
                count_reference: 90 - k * 4,
                g2: -(30.0 - k as f64 * 3.0),
                log_ratio: -2.0 + k as f64 * 0.15,
            })
            .collect(),
    }
}

struct Image {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl Image {
    fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let i = (y as usize * self.width as usize + x as usize) * 3;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }
    fn has_color(&self, c: [u8; 3]) -> bool {
        self.rgb.chunks_exact(3).any(|p| p == c)
    }
    fn distinct_colors(&self) -> usize {
        self.rgb
            .chunks_exact(3)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    }
    /// Pixels darker than mid-grey inside a box.
    fn dark_pixels(&self, x0: u32, y0: u32, x1: u32, y1: u32) -> usize {
        let mut n = 0;
        for y in y0..y1.min(self.height) {
            for x in x0..x1.min(self.width) {
                if self.pixel(x, y).iter().all(|&v| v < 90) {
                    n += 1;
                }
            }
        }
        n
    }
}

fn decode(png_bytes: &[u8]) -> Image {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("valid PNG header");
    let mut rgb = vec![0; reader.output_buffer_size().expect("buffer size")];
    let info = reader.next_frame(&mut rgb).expect("valid PNG data");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    rgb.truncate(info.buffer_size());
    Image {
        width: info.width,
        height: info.height,
        rgb,
    }
}

fn rgb(c: plotters::style::RGBColor) -> [u8; 3] {
    [c.0, c.1, c.2]
}

/// Writes charts to $CHARTS_DUMP_DIR when set, for looking at them; tests never depend on it.
fn dump(prefix: &str, charts: &[RenderedChart]) {
    let Some(dir) = std::env::var_os("CHARTS_DUMP_DIR") else {
        return;
    };
    for chart in charts {
        let name = chart.path.to_string_lossy().replace('/', "__");
        std::fs::write(
            std::path::Path::new(&dir).join(format!("{prefix}-{name}")),
            &chart.png,
        )
        .unwrap();
    }
}

/// Every chart decodes at the configured size, is not blank, and has a dark title.
fn assert_readable(charts: &[RenderedChart], settings: &ChartSettings) {
    let (w, h) = canvas::pixel_size("t", settings.width, settings.height, settings.scale).unwrap();
    for chart in charts {
        let image = decode(&chart.png);
        let name = chart.path.display();
        assert_eq!((image.width, image.height), (w, h), "{name}");
        assert!(image.distinct_colors() > 2, "{name} looks blank");
        let title_band = (46.0 * settings.scale) as u32;
        let dark = image.dark_pixels(0, 0, w / 2, title_band);
        assert!(
            dark > 150,
            "{name}: only {dark} dark pixels in the title band"
        );
    }
}

#[test]
fn renders_every_chart_in_a_fixed_order() {
    let mut input = fixture(6, 3);
    input.themes[1].name = "Sécurité / réseaux".to_string();
    input.settings.session_charts = 2;
    let charts = render_all(&input).unwrap();
    dump("basic", &charts);
    let paths: Vec<String> = charts
        .iter()
        .map(|c| c.path.to_string_lossy().into_owned())
        .collect();
    let theme1 = safe_file_stem("Sécurité / réseaux");
    assert_eq!(
        paths,
        vec![
            "charts/theme_trends.png".to_string(),
            "charts/theme_heatmap.png".to_string(),
            format!(
                "charts/themes/{}.png",
                safe_file_stem("Theme 0: cyber capacity")
            ),
            format!("charts/themes/{theme1}.png"),
            format!(
                "charts/themes/{}.png",
                safe_file_stem("Theme 2: cyber capacity")
            ),
            "charts/top_terms/1991-01.png".to_string(),
            "charts/top_terms/1991-04.png".to_string(),
            "charts/keyness/1991-01.png".to_string(),
            "charts/keyness/1991-04.png".to_string(),
            "charts/term_trends.png".to_string(),
        ]
    );
    assert_readable(&charts, &input.settings);
}

#[test]
fn trend_chart_draws_each_theme_in_its_own_colour() {
    let input = fixture(5, 8);
    let charts = render_all(&input).unwrap();
    let trends = decode(&charts[0].png);
    for t in 0..8 {
        assert!(
            trends.has_color(rgb(series_style(t).color)),
            "theme {t} colour missing"
        );
    }
    // Themes not drawn must not leave colour behind: a 2-theme chart has no third palette colour.
    let few = render_all(&fixture(5, 2)).unwrap();
    let trends = decode(&few[0].png);
    assert!(trends.has_color(rgb(PALETTE[1])));
    assert!(!trends.has_color(rgb(PALETTE[2])));
}

#[test]
fn heatmap_uses_a_graded_ramp() {
    let charts = render_all(&fixture(6, 4)).unwrap();
    let heatmap = decode(&charts[1].png);
    let input = fixture(6, 4);
    let v_max = input
        .themes
        .iter()
        .flat_map(|t| t.per_1000.iter().copied())
        .fold(0.0, f64::max);
    let (_, scale_top) = layout::nice_ticks(v_max, 5);
    for theme in &input.themes {
        for v in &theme.per_1000 {
            assert!(
                heatmap.has_color(rgb(style::viridis(v / scale_top))),
                "cell colour for {v} missing"
            );
        }
    }
    // 24 cells with distinct values plus the ramp: many distinct colours.
    assert!(
        heatmap.distinct_colors() > 60,
        "{}",
        heatmap.distinct_colors()
    );
}

#[test]
fn a_heatmap_of_many_themes_renders_with_thinned_labels() {
    // 150 themes: rows far thinner than a label; the chart renders, its size as asked.
    let input = fixture(6, 150);
    let charts = render_all(&input).unwrap();
    let heatmap = decode(&charts[1].png);
    assert!(heatmap.distinct_colors() > 60);
    assert_readable(&charts, &input.settings);
}

#[test]
fn edge_cases_render_readable_charts() {
    let mut cases = vec![
        ("one-session", fixture(1, 3)),
        ("two-sessions", fixture(2, 3)),
        ("eighty-sessions", fixture(80, 4)),
        ("twentyfive-themes", fixture(6, 25)),
    ];
    let mut long = fixture(12, 3);
    for s in &mut long.sessions {
        s.label = format!("Open-ended working group, substantive session {}", s.label);
    }
    long.themes[0].name =
        "A very long theme name that goes on about confidence-building measures and capacity"
            .into();
    cases.push(("long-labels", long));
    let mut with_ci = fixture(8, 3);
    for t in &mut with_ci.themes {
        t.ci = Some(t.per_1000.iter().map(|v| (v * 0.8, v * 1.2)).collect());
    }
    with_ci.settings.smoothing = Some(3);
    cases.push(("ci-smoothing", with_ci));
    for (name, input) in cases {
        let charts = render_all(&input).unwrap_or_else(|e| panic!("{name}: {e}"));
        dump(name, &charts);
        assert_readable(&charts, &input.settings);
    }
}

#[test]
fn default_size_with_many_themes_is_readable() {
    let mut input = fixture(12, 25);
    input.settings = ChartSettings {
        session_charts: 1,
        smoothing: Some(3),
        ..ChartSettings::default()
    };
    let charts = render_all(&input).unwrap();
    dump("default", &charts);
    assert_readable(&charts, &input.settings);
    let trends = decode(&charts[0].png);
    assert_eq!((trends.width, trends.height), (1600, 900));
    for t in 0..25 {
        assert!(
            trends.has_color(rgb(series_style(t).color)),
            "theme {t} colour missing"
        );
    }
}

#[test]
fn no_data_gives_charts_that_say_so() {
    let empty = ChartInput {
        settings: ChartSettings {
            width: 800,
            height: 450,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut zero = fixture(4, 3);
    for t in &mut zero.themes {
        t.per_1000.iter_mut().for_each(|v| *v = 0.0);
        t.hits.iter_mut().for_each(|v| *v = 0);
        t.patterns
            .iter_mut()
            .for_each(|p| p.hits.iter_mut().for_each(|h| *h = 0));
    }
    zero.watch_terms
        .iter_mut()
        .for_each(|w| w.per_1000.iter_mut().for_each(|v| *v = 0.0));
    zero.top_terms.iter_mut().for_each(Vec::clear);
    for k in zero.keyness.iter_mut().flatten() {
        k.rising.clear();
        k.falling.clear();
    }
    let mut undated_only = fixture(3, 2);
    undated_only
        .sessions
        .iter_mut()
        .for_each(|s| s.dated = false);
    for (name, input) in [
        ("empty", empty),
        ("all-zero", zero),
        ("undated-only", undated_only),
    ] {
        let charts = render_all(&input).unwrap_or_else(|e| panic!("{name}: {e}"));
        dump(name, &charts);
        assert_readable(&charts, &input.settings);
        for chart in charts
            .iter()
            .filter(|c| !c.path.starts_with("charts/top_terms") || name != "undated-only")
        {
            let image = decode(&chart.png);
            let (w, h) = (image.width, image.height);
            // "No data" sits in the middle, and no series colour was drawn.
            assert!(
                image.dark_pixels(w / 3, h / 3, 2 * w / 3, 2 * h / 3) > 0,
                "{name} {}",
                chart.path.display()
            );
            assert!(
                !image.has_color(rgb(PALETTE[0])),
                "{name} {} drew data",
                chart.path.display()
            );
        }
    }
}

#[test]
fn identical_input_gives_identical_bytes() {
    let mut input = fixture(7, 5);
    input.settings.smoothing = Some(3);
    assert_eq!(render_all(&input).unwrap(), render_all(&input).unwrap());
}

#[test]
fn size_follows_settings_times_scale() {
    let mut input = fixture(3, 2);
    input.settings = ChartSettings {
        width: 500,
        height: 300,
        scale: 2.0,
        ..ChartSettings::default()
    };
    let charts = render_all(&input).unwrap();
    dump("scale2", &charts);
    assert_readable(&charts, &input.settings);
    assert_eq!(decode(&charts[0].png).width, 1000);

    input.settings.scale = 0.0;
    assert!(matches!(
        render_all(&input),
        Err(ChartError::InvalidSize { .. })
    ));
}

#[test]
fn mismatched_lengths_are_reported_with_the_chart() {
    let mut input = fixture(3, 2);
    input.themes[1].per_1000.pop();
    let err = render_all(&input).unwrap_err();
    assert!(matches!(err, ChartError::Inconsistent { .. }));
    assert!(err.to_string().contains("charts/themes/"), "{err}");

    let mut input = fixture(3, 2);
    input.watch_terms[0].per_1000.push(1.0);
    assert!(
        render_all(&input)
            .unwrap_err()
            .to_string()
            .starts_with("charts/term_trends.png")
    );

    let mut input = fixture(3, 2);
    input.themes[0].ci = Some(vec![(0.0, 1.0)]);
    assert!(matches!(
        render_all(&input),
        Err(ChartError::Inconsistent { .. })
    ));
}

#[test]
fn undated_sessions_stay_out_of_trends_but_get_top_terms() {
    let mut input = fixture(4, 2);
    input.sessions[3].dated = false;
    input.sessions[3].label = "undated".into();
    input.settings.session_charts = 0;
    let charts = render_all(&input).unwrap();
    assert!(charts.iter().any(|c| c.path.ends_with("undated.png")));
    input.settings.session_charts = 2;
    let charts = render_all(&input).unwrap();
    let top: Vec<_> = charts
        .iter()
        .filter(|c| c.path.starts_with("charts/top_terms"))
        .collect();
    assert_eq!(top.len(), 2);
    assert!(top.iter().all(|c| !c.path.ends_with("undated.png")));
}

#[test]
fn safe_file_stem_is_safe_and_keeps_names_apart() {
    let long = "x".repeat(300);
    let names = [
        "../x",
        "a/b",
        "a\\b",
        "CON",
        "nul",
        "com1",
        &long,
        "Sécurité",
        "网络",
        "",
        ".hidden",
        "a_b",
        "ok-name_1",
    ];
    let mut seen = std::collections::BTreeSet::new();
    for name in names {
        let stem = safe_file_stem(name);
        assert!(!stem.is_empty(), "{name:?}");
        assert!(!stem.starts_with('.'), "{name:?} -> {stem}");
        assert!(
            stem.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "{name:?} -> {stem}"
        );
        assert!(stem.len() <= 73, "{name:?} -> {stem}");
        assert!(
            seen.insert(stem.to_lowercase()),
            "{name:?} -> {stem} collides"
        );
        assert_eq!(safe_file_stem(name), stem, "stable");
    }
    for (name, expected_prefix) in [
        ("Sécurité", "Securite-"),
        ("../x", "x-"),
        ("CON", "CON-"),
        ("", "unnamed-"),
        ("网络", "unnamed-"),
    ] {
        assert!(
            safe_file_stem(name).starts_with(expected_prefix),
            "{name:?} -> {}",
            safe_file_stem(name)
        );
    }
    // Names that are already safe stay as they are; spaces become underscores.
    assert_eq!(safe_file_stem("ok-name_1"), "ok-name_1");
    assert_eq!(safe_file_stem("Capacity building"), "Capacity_building");
    assert!(
        safe_file_stem("a  b").starts_with("a_b-"),
        "squeezed spaces are a change"
    );
    assert_eq!(safe_file_stem("2023-07-26"), "2023-07-26");
    assert_ne!(
        safe_file_stem(&"y".repeat(300)),
        safe_file_stem(&"y".repeat(301))
    );
}

#[test]
fn colliding_stems_get_a_suffix() {
    let stems = unique_stems(["Cyber", "cyber", "Cyber"].into_iter());
    assert_eq!(stems.len(), 3);
    let lower: std::collections::BTreeSet<_> = stems.iter().map(|s| s.to_lowercase()).collect();
    assert_eq!(lower.len(), 3, "{stems:?}");
}

#[test]
fn moving_average_is_centred_and_skips_gaps() {
    let avg = moving_average(&[1.0, 2.0, 3.0, 4.0, 5.0], 3);
    assert_eq!(avg, vec![1.5, 2.0, 3.0, 4.0, 4.5]);
    let avg = moving_average(&[1.0, f64::NAN, 3.0], 3);
    assert_eq!(avg, vec![1.0, 2.0, 3.0]);
    assert_eq!(moving_average(&[2.0], 5), vec![2.0]);
}

/// The embedded font must work with no font configuration at all: rerun the title test in a child
/// process whose environment has no HOME and a fontconfig file that does not exist.
#[test]
fn text_renders_without_any_system_font_configuration() {
    if std::env::var_os("TOPICTRENDS_CHILD").is_some() {
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let output = std::process::Command::new(exe)
        .args([
            "write::charts::tests::renders_every_chart_in_a_fixed_order",
            "--exact",
            "--test-threads=1",
        ])
        .env_clear()
        .env("FONTCONFIG_FILE", "/dev/null")
        .env("HOME", "")
        .env("TOPICTRENDS_CHILD", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("1 passed"), "{stdout}");
}

mod props {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn safe_file_stem_never_yields_a_path(name in "\\PC{0,80}") {
            let stem = safe_file_stem(&name);
            prop_assert!(!stem.is_empty());
            prop_assert!(!stem.starts_with('.'));
            prop_assert!(stem.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            prop_assert!(stem.len() <= 73);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]
        #[test]
        fn arbitrary_values_never_fail_to_render(
            values in proptest::collection::vec(prop_oneof![Just(f64::NAN), Just(f64::INFINITY), -5.0..1e6f64], 1..6),
            label in "\\PC{0,40}",
        ) {
            let n = values.len();
            let input = ChartInput {
                sessions: (0..n).map(|i| SessionPoint { label: format!("{label}{i}"), docs: i as u32, kept_tokens: i as u64 * 10, dated: i % 3 != 2, day: None }).collect(),
                themes: vec![ThemeSeries {
                    name: label.clone(),
                    per_1000: values.clone(),
                    hits: vec![1; n],
                    ci: Some(values.iter().map(|v| (v - 1.0, v + 1.0)).collect()),
                    patterns: vec![PatternSeries { pattern: label.clone(), hits: vec![u64::MAX / 4; n] }],
                }],
                top_terms: (0..n).map(|i| vec![TermBar { term: label.clone(), count: i as u64, per_1000: values[i] }]).collect(),
                watch_terms: vec![TermSeries { term: label.clone(), per_1000: values.clone() }],
                keyness: (0..n).map(|i| (i > 0).then(|| KeynessBars {
                    reference: label.clone(),
                    reference_sessions: i,
                    total_target: i as u64,
                    total_reference: 0,
                    rising: vec![KeyBar { term: label.clone(), count_target: u64::MAX, count_reference: 0, g2: values[i], log_ratio: values[i] }],
                    falling: vec![KeyBar { term: label.clone(), count_target: 0, count_reference: 1, g2: -values[i], log_ratio: f64::NAN }],
                })).collect(),
                footer: label.clone(),
                settings: ChartSettings { width: 400, height: 300, smoothing: Some(2), ..ChartSettings::default() },
            };
            let charts = render_all(&input).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(charts.iter().all(|c| !c.png.is_empty()));
        }
    }
}

/// The keyness charts of `input`, by file name.
fn keyness_charts(input: &ChartInput) -> Vec<RenderedChart> {
    render_all(input)
        .unwrap()
        .into_iter()
        .filter(|c| c.path.starts_with("charts/keyness"))
        .collect()
}

#[test]
fn keyness_charts_follow_the_per_session_selection_but_skip_sessions_without_reference() {
    let mut input = fixture(4, 2);
    input.settings.session_charts = 0;
    let paths: Vec<String> = keyness_charts(&input)
        .iter()
        .map(|c| c.path.to_string_lossy().into_owned())
        .collect();
    // The first session has nothing earlier to compare with.
    assert_eq!(
        paths,
        [
            "charts/keyness/1990-04.png",
            "charts/keyness/1990-07.png",
            "charts/keyness/1990-10.png"
        ]
    );
    input.settings.session_charts = 2;
    assert_eq!(keyness_charts(&input).len(), 2);
    // No keyness data at all: no keyness charts, the others unchanged.
    input.keyness.clear();
    assert!(keyness_charts(&input).is_empty());
    assert_eq!(render_all(&input).unwrap().len(), 2 + 2 + 2 + 1);
}

#[test]
fn keyness_chart_shows_rising_and_falling_in_two_colours() {
    let input = fixture(3, 2);
    let charts = keyness_charts(&input);
    dump("keyness", &charts);
    assert_readable(&charts, &input.settings);
    let image = decode(&charts[0].png);
    for color in [keyness::RISING, keyness::FALLING] {
        assert!(image.has_color(rgb(color)), "{color:?}");
        // Bars below |G2| = 3.84 are drawn pale.
        assert!(
            image.has_color(rgb(style::tint(color, 0.6))),
            "pale {color:?}"
        );
    }
    // Rising bars lie right of the falling ones: compare the mean x of each colour.
    let mean_x = |c: [u8; 3]| {
        let xs: Vec<u32> = (0..image.height)
            .flat_map(|y| (0..image.width).map(move |x| (x, y)))
            .filter(|&(x, y)| image.pixel(x, y) == c)
            .map(|(x, _)| x)
            .collect();
        xs.iter().map(|&x| f64::from(x)).sum::<f64>() / xs.len() as f64
    };
    let (rising, falling) = (mean_x(rgb(keyness::RISING)), mean_x(rgb(keyness::FALLING)));
    assert!(rising > falling, "rising at {rising}, falling at {falling}");
}

#[test]
fn keyness_edge_cases_render() {
    let base = fixture(2, 1);
    let with = |f: &dyn Fn(&mut KeynessBars)| {
        let mut input = base.clone();
        f(input.keyness[1].as_mut().unwrap());
        input
    };
    let cases: Vec<(&str, ChartInput, bool, bool)> = vec![
        ("no-rising", with(&|k| k.rising.clear()), false, true),
        ("no-falling", with(&|k| k.falling.clear()), true, false),
        (
            "long-labels",
            with(&|k| {
                k.rising[0].term =
                    "a-very-long-compound-term-that-no-label-column-can-hold ".repeat(6);
                k.falling[0].term = "x".repeat(400);
                k.reference = "the other sessions of a very long-named working group".repeat(3);
            }),
            true,
            true,
        ),
        (
            "one-each",
            with(&|k| {
                k.rising.truncate(1);
                k.falling.truncate(1);
            }),
            true,
            true,
        ),
        (
            "non-finite",
            with(&|k| {
                k.rising[0].g2 = f64::INFINITY;
                k.rising[1].g2 = f64::NAN;
                k.falling[0].log_ratio = f64::NEG_INFINITY;
            }),
            true,
            true,
        ),
    ];
    for (name, input, rising, falling) in cases {
        let charts = keyness_charts(&input);
        dump(name, &charts);
        assert_eq!(charts.len(), 1, "{name}");
        assert_readable(&charts, &input.settings);
        let image = decode(&charts[0].png);
        assert_eq!(image.has_color(rgb(keyness::RISING)), rising, "{name}");
        assert_eq!(image.has_color(rgb(keyness::FALLING)), falling, "{name}");
    }
}

#[test]
fn keyness_without_any_term_says_no_data() {
    let mut input = fixture(2, 1);
    let k = input.keyness[1].as_mut().unwrap();
    k.rising.clear();
    k.falling.clear();
    let charts = keyness_charts(&input);
    assert_readable(&charts, &input.settings);
    let image = decode(&charts[0].png);
    let (w, h) = (image.width, image.height);
    assert!(image.dark_pixels(w / 3, h / 3, 2 * w / 3, 2 * h / 3) > 0);
    assert!(!image.has_color(rgb(keyness::RISING)));
    assert!(!image.has_color(rgb(keyness::FALLING)));
}

#[test]
fn keyness_length_mismatch_is_reported() {
    let mut input = fixture(3, 1);
    input.keyness.pop();
    let err = render_all(&input).unwrap_err();
    assert!(err.to_string().starts_with("charts/keyness"), "{err}");
}

#[test]
fn group_label_reaches_the_chart_text() {
    let mut input = fixture(4, 2);
    input.settings.session_charts = 1;
    let sessions = render_all(&input).unwrap();
    input.settings.group_label = "Year".to_string();
    let years = render_all(&input).unwrap();
    assert_readable(&years, &input.settings);
    // Every chart with the group in its title or axis changes; top-terms bars do not.
    for (a, b) in sessions.iter().zip(&years) {
        let differs = a.png != b.png;
        let expected = !a.path.starts_with("charts/top_terms");
        assert_eq!(differs, expected, "{}", a.path.display());
    }
    // An empty label falls back to "Session".
    input.settings.group_label = " ".to_string();
    assert_eq!(render_all(&input).unwrap(), sessions);
}

#[test]
fn group_nouns_read_as_english() {
    for (label, one, many) in [
        ("Session", "session", "sessions"),
        ("Year", "year", "years"),
        ("Country", "country", "countries"),
        ("Day", "day", "days"),
        ("Class", "class", "classes"),
        ("ISO3", "ISO3", "ISO3s"),
        ("", "session", "sessions"),
    ] {
        let settings = ChartSettings {
            group_label: label.to_string(),
            ..ChartSettings::default()
        };
        assert_eq!(settings.group_one(), one, "{label}");
        assert_eq!(settings.group_many(), many, "{label}");
    }
}

#[test]
fn the_themes_with_most_hits_are_charted_when_capped() {
    // Most hits first, the earlier in the dictionary first among equals.
    assert_eq!(charted_themes(&[5, 9, 5, 1], 2), [true, true, false, false]);
    assert_eq!(
        charted_themes(&[5, 9, 5, 1], 1),
        [false, true, false, false]
    );
    assert_eq!(charted_themes(&[0, 0, 0], 2), [true, true, false]);
    // 0, or a cap the dictionary does not reach: every theme.
    assert_eq!(charted_themes(&[5, 9], 0), [true, true]);
    assert_eq!(charted_themes(&[5, 9], 2), [true, true]);
    assert!(charted_themes(&[], 3).is_empty());

    let mut input = fixture(4, 3);
    for (t, theme) in input.themes.iter_mut().enumerate() {
        // Theme 1 has the most hits.
        theme.hits = vec![if t == 1 { 10 } else { 1 }; 4];
    }
    input.settings.session_charts = 1;
    input.settings.theme_charts = 1;
    let theme_charts: Vec<String> = render_all(&input)
        .unwrap()
        .iter()
        .map(|c| c.path.to_string_lossy().into_owned())
        .filter(|p| p.starts_with("charts/themes/"))
        .collect();
    assert_eq!(
        theme_charts,
        theme_chart_paths(&[input.themes[1].name.clone()])
    );
    input.settings.theme_charts = 0;
    let all = render_all(&input).unwrap();
    let n = all
        .iter()
        .filter(|c| c.path.starts_with("charts/themes"))
        .count();
    assert_eq!(n, 3);
}
