//! End-to-end: `report.html` is written by every run, reads in the analyst's order, loads nothing
//! from anywhere, keeps hostile text as text, is byte-identical whatever the thread count and
//! stays under 5 MB on the General Debate slice; headless Chromium renders every theme and a
//! page that is not blank.
//!
//! Without Chromium on PATH the browser test prints why it skips; `.ci/run` installs it and sets
//! `TOPICTRENDS_REQUIRE_CHROMIUM`, so in CI a missing browser fails instead.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use scraper::{Html, Selector};

/// The section ids, in the order an analyst reads them.
const SECTIONS: [&str; 5] = ["run", "trends", "themes", "new", "method"];

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

fn report_of(out: &Path) -> String {
    let path = out.join("report.html");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Theme names as the run's theme_scores.csv lists them, in dictionary order.
fn themes_of(out: &Path) -> Vec<String> {
    let mut seen = Vec::new();
    for r in read_csv(&out.join("theme_scores.csv")) {
        let name = r["theme"]
            .strip_prefix('\'')
            .unwrap_or(&r["theme"])
            .to_string();
        if !seen.contains(&name) {
            seen.push(name);
        }
    }
    seen
}

/// `%XX` escapes decoded.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Checks that the page can load nothing: no script, no event handler, a Content-Security-Policy
/// forbidding external loads, and every reference an anchor, a PNG data URI or a relative link
/// to a file of this output.
fn assert_loads_nothing(out: &Path, html: &str) {
    let doc = Html::parse_document(html);
    assert_eq!(doc.select(&sel("script")).count(), 0, "no script element");
    let csp = doc
        .select(&sel("meta[http-equiv=\"Content-Security-Policy\"]"))
        .next()
        .expect("a Content-Security-Policy meta element")
        .value()
        .attr("content")
        .unwrap()
        .to_string();
    for rule in ["default-src 'none'", "img-src data:", "base-uri 'none'"] {
        assert!(csp.contains(rule), "{csp}");
    }
    let mut checked = 0;
    for element in doc
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        for (name, value) in element.value().attrs() {
            assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "event handler attribute {name}={value:?} on <{}>",
                element.value().name()
            );
            assert!(
                !value.to_ascii_lowercase().contains("url("),
                "url() in {name}={value:?}"
            );
            let reference = matches!(
                name,
                "src"
                    | "href"
                    | "srcset"
                    | "action"
                    | "formaction"
                    | "poster"
                    | "data"
                    | "xlink:href"
            );
            if !reference {
                continue;
            }
            checked += 1;
            if let Some(id) = value.strip_prefix('#') {
                assert!(
                    doc.select(&sel(&format!("[id=\"{id}\"]"))).next().is_some(),
                    "anchor {value} has no target"
                );
            } else if let Some(data) = value.strip_prefix("data:") {
                assert_eq!(name, "src", "only images are data URIs");
                assert!(
                    data.starts_with("image/png;base64,"),
                    "{}",
                    &value[..40.min(value.len())]
                );
            } else {
                let rel = value.strip_prefix("./").unwrap_or_else(|| {
                    panic!("{name}={value:?}: not an anchor, a data URI or a ./ relative link")
                });
                assert!(
                    !rel.contains(':') && !rel.starts_with('/') && !rel.contains(".."),
                    "{value}"
                );
                let target = out.join(percent_decode(rel));
                // run.json is written after the page; everything else exists when it is rendered.
                assert!(
                    target.exists() || rel == "run.json",
                    "{value} links to a missing file"
                );
            }
        }
    }
    assert!(checked > 10, "only {checked} references found");
    for style in doc.select(&sel("style")) {
        let css: String = style.text().collect();
        let lower = css.to_ascii_lowercase();
        assert!(
            !lower.contains("url(") && !lower.contains("@import"),
            "the style sheet loads nothing"
        );
    }
}

/// Runs the shipped input (repository config) into a fresh folder.
fn shipped_run() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let res = bin()
        .current_dir(repo())
        .args(["--quiet", "run", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert_ok(&res);
    (dir, out)
}

#[test]
fn every_run_writes_a_report_with_every_section_and_theme() {
    let (_dir, out) = shipped_run();
    let html = report_of(&out);
    let doc = Html::parse_document(&html);
    // Sections in reading order, each with its heading.
    let ids: Vec<String> = doc
        .select(&sel("main > section"))
        .map(|s| s.value().id().unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids, SECTIONS, "top-level sections in reading order");
    for id in SECTIONS {
        assert!(
            doc.select(&sel(&format!("section#{id} > h2")))
                .next()
                .is_some(),
            "section {id} has a heading"
        );
        assert!(
            doc.select(&sel(&format!("nav a[href=\"#{id}\"]")))
                .next()
                .is_some(),
            "the contents link to {id}"
        );
    }
    // Every theme: its own section with heading, chart, patterns and passages, and a contents entry.
    let themes = themes_of(&out);
    assert_eq!(themes.len(), 6);
    let headings: Vec<String> = doc
        .select(&sel("section#themes > section.theme > h3"))
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(headings, themes);
    let nav: Vec<String> = doc
        .select(&sel("nav ol ol a"))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(nav, themes);
    for theme in doc.select(&sel("section.theme")) {
        let id = theme.value().id().unwrap();
        for part in ["img", "table", "h4"] {
            assert!(
                theme.select(&sel(part)).next().is_some(),
                "{id} lacks {part}"
            );
        }
    }
    // Charts embedded, each with a text alternative that says what it shows.
    let images: Vec<_> = doc.select(&sel("img")).collect();
    assert_eq!(
        images.len(),
        1 + themes.len() + 1,
        "trends, one per theme, watch terms"
    );
    for img in &images {
        let alt = img.value().attr("alt").unwrap_or_default();
        assert!(
            alt.len() > 40 && alt.contains("per 1,000 words"),
            "alt text: {alt:?}"
        );
    }
    let trends_alt = images[0].value().attr("alt").unwrap();
    assert!(
        trends_alt.contains("6 themes over 2 sessions"),
        "{trends_alt}"
    );
    // Header cells with a scope in every table; a skip link; print rules.
    for table in doc.select(&sel("table")) {
        let headers: Vec<_> = table.select(&sel("th")).collect();
        assert!(!headers.is_empty(), "a table without header cells");
        assert!(headers.iter().all(|th| th.value().attr("scope").is_some()));
        assert!(
            table.select(&sel("caption")).next().is_some(),
            "a table without caption"
        );
    }
    assert!(doc.select(&sel("a.skip[href=\"#main\"]")).next().is_some());
    assert!(html.contains("@media print"));
    // The run paragraph names what was read and the configuration by hash.
    let run: String = doc
        .select(&sel("section#run"))
        .next()
        .unwrap()
        .text()
        .collect();
    for part in [
        "2 statements",
        "2 sessions",
        "2023-07-26 to 2024-03-06",
        "OEWG",
        "topictrends.toml",
        "themes.toml",
        "BLAKE3",
        "metadata.csv",
    ] {
        assert!(run.contains(part), "run section lacks {part:?}: {run}");
    }
    // Every CSV of the run is linked from the method section.
    let method = doc.select(&sel("section#method")).next().unwrap();
    let links: BTreeSet<String> = method
        .select(&sel("a"))
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("./").to_string())
        .collect();
    for e in std::fs::read_dir(&out).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".csv") || name.ends_with(".png") {
            assert!(links.contains(&name), "{name} is not linked");
        }
    }
    assert!(links.contains("charts/theme_trends.png") && links.contains("run.json"));
    assert_loads_nothing(&out, &html);
    // The output's own README lists the page.
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(readme.contains("| `report.html` |"), "{readme}");
}

#[test]
fn report_can_be_turned_off_and_says_when_charts_are() {
    let dir = workdir_with("handcount");
    std::fs::write(
        dir.path().join("off.toml"),
        "[input]\ndir = \"input\"\n[output]\nreport = false\n[themes]\nfile = \"themes.toml\"\n",
    )
    .unwrap();
    assert_ok(&run_in(
        dir.path(),
        &["run", "--config", "off.toml", "--output", "off"],
    ));
    assert!(!dir.path().join("off/report.html").exists());
    assert!(dir.path().join("off/documents.csv").exists());

    assert_ok(&run_in(
        dir.path(),
        &[
            "run",
            "--config",
            "config.toml",
            "--output",
            "plain",
            "--no-charts",
        ],
    ));
    let out = dir.path().join("plain");
    let html = report_of(&out);
    assert!(!html.contains("<img"), "no charts to embed");
    assert!(html.contains("Charts are off for this run"));
    assert_loads_nothing(&out, &html);

    // Only some tables written: the page links to those and names the others as not written.
    std::fs::write(
        dir.path().join("few.toml"),
        "[input]\ndir = \"input\"\n[output]\ntables = [\"theme_scores.csv\"]\n[themes]\nfile = \"themes.toml\"\n",
    )
    .unwrap();
    assert_ok(&run_in(
        dir.path(),
        &[
            "run",
            "--config",
            "few.toml",
            "--output",
            "few",
            "--no-charts",
        ],
    ));
    let out = dir.path().join("few");
    assert!(!out.join("theme_matches.csv").exists());
    let html = report_of(&out);
    assert_loads_nothing(&out, &html);
    assert!(html.contains("href=\"./theme_scores.csv\""));
    assert!(
        html.contains(
            "<code>theme_matches.csv</code> (not written by this run: <code>[output] tables</code>)"
        ),
        "a table not written is named as such"
    );
}

/// Markup a statement, a file name, a speaker and a theme name try to smuggle in.
const HOSTILE_STATEMENT: &str = "<script>alert('statement')</script>";
const HOSTILE_TAIL: &str = "</table><img src=x onerror=alert(2)>";
const HOSTILE_SPEAKER: &str = "<img src=x onerror=alert('speaker')>";
const HOSTILE_THEME: &str = "Mercs </table><script>alert('theme')</script>";
const HOSTILE_FILE: &str = "b<i>&x.txt";

/// A run whose statement, file name, speaker and theme name carry markup.
fn hostile_run() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("in")).unwrap();
    std::fs::write(
        d.join("config.toml"),
        "[input]\ndir = \"in\"\n[themes]\nfile = \"themes.toml\"\n[charts]\nsession_charts = 1\n",
    )
    .unwrap();
    std::fs::write(
        d.join("themes.toml"),
        format!(
            "[[theme]]\nname = \"{}\"\npatterns = [\"mercenar*\"]\n\n[[theme]]\nname = \"Capacity\"\npatterns = [\"capacity\"]\n",
            HOSTILE_THEME.replace('"', "\\\"")
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("in/metadata.csv"),
        format!(
            "file,session,date,speaker,forum\n\
             a.txt,1,2023-01-10,\"{HOSTILE_SPEAKER}\",OEWG\n\
             {HOSTILE_FILE},2,2023-06-10,Plain speaker,OEWG\n\
             c.txt,3,2024-01-10,Other,OEWG\n"
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("in/a.txt"),
        format!(
            "{HOSTILE_TAIL} Mercenaries, a threat: {HOSTILE_STATEMENT} mercenaries act. We build capacity.\n"
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("in").join(HOSTILE_FILE),
        "Mercenary groups need capacity.\n",
    )
    .unwrap();
    std::fs::write(d.join("in/c.txt"), "Capacity, capacity and mercenaries.\n").unwrap();
    let res = run_in(d, &["run", "--config", "config.toml", "--output", "out"]);
    assert_ok(&res);
    let out = d.join("out");
    (dir, out)
}

#[test]
fn hostile_text_changes_nothing_but_the_words_shown() {
    let (_dir, out) = hostile_run();
    let html = report_of(&out);
    // In the bytes: only escaped forms.
    assert!(html.contains("&lt;script&gt;alert(&#39;statement&#39;)&lt;/script&gt;"));
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "a script tag got through");
    assert!(!lower.contains("<img src=x"), "an image tag got through");
    assert_eq!(
        lower.matches("<table").count(),
        lower.matches("</table>").count(),
        "every table closes exactly once"
    );
    // In the parsed page: the markup is text, where it belongs, and no element came from it.
    let doc = Html::parse_document(&html);
    assert_eq!(
        doc.select(&sel("table")).count(),
        lower.matches("<table").count()
    );
    assert_eq!(
        doc.select(&sel("i")).count(),
        0,
        "the file name made no <i>"
    );
    let passages: String = doc
        .select(&sel("section#theme-1 table.passages"))
        .next()
        .expect("the hostile theme's passages")
        .text()
        .collect();
    for text in [HOSTILE_STATEMENT, HOSTILE_SPEAKER, HOSTILE_FILE] {
        assert!(
            passages.contains(text),
            "{text:?} not shown as text in {passages}"
        );
    }
    assert!(
        passages.contains("</table><img src=x onerror=alert(2)>"),
        "{passages}"
    );
    let heading: String = doc
        .select(&sel("section#theme-1 > h3"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(heading, HOSTILE_THEME);
    let nav: Vec<String> = doc
        .select(&sel("nav ol ol a"))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(nav, [HOSTILE_THEME, "Capacity"]);
    assert_loads_nothing(&out, &html);
}

#[test]
fn report_is_identical_whatever_the_thread_count_and_small_on_the_general_debate() {
    let Some(shared) = shared_or_skip("the General Debate report") else {
        return;
    };
    let corpus = shared.join("corpora/ungdc-1990-2004");
    if !corpus.is_dir() {
        eprintln!(
            "skipping the General Debate report: {} is missing",
            corpus.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str| {
        let out = dir.path().join(format!("t{threads}"));
        let res = bin()
            .current_dir(repo())
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "--quiet",
                "run",
                "--config",
                "config/examples/ungd-by-year.toml",
                "--input",
            ])
            .arg(&corpus)
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap();
        assert_ok(&res);
        out
    };
    let (one, four) = (run("1"), run("4"));
    let a = std::fs::read(one.join("report.html")).unwrap();
    let b = std::fs::read(four.join("report.html")).unwrap();
    assert!(a == b, "report.html differs between 1 and 4 threads");
    assert!(a.len() < 5_000_000, "report.html is {} bytes", a.len());
    let html = String::from_utf8(a).unwrap();
    for year in ["1990", "2004"] {
        assert!(html.contains(year));
    }
    assert_loads_nothing(&one, &html);
}

/// The headless browser to use, or `None` (with a message) to skip. With
/// `TOPICTRENDS_REQUIRE_CHROMIUM` set (as `.ci/run` does) a missing browser fails instead.
fn chromium() -> Option<String> {
    let candidates = std::env::var("TOPICTRENDS_CHROMIUM")
        .ok()
        .into_iter()
        .chain(
            [
                "chromium-headless-shell",
                "chromium",
                "chromium-browser",
                "google-chrome",
            ]
            .map(String::from),
        );
    let found = candidates.into_iter().find(|name| {
        Command::new(name)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("TOPICTRENDS_REQUIRE_CHROMIUM").is_none(),
            "TOPICTRENDS_REQUIRE_CHROMIUM is set (as .ci/run does) but no chromium-headless-shell, chromium, chromium-browser or google-chrome is on PATH"
        );
        eprintln!(
            "skipping the browser test: no chromium-headless-shell, chromium, chromium-browser or google-chrome on PATH \
             (Debian: apt-get install chromium-headless-shell; .ci/run installs it)"
        );
    }
    found
}

/// Runs headless Chromium on `page` with `args`, offline-minded flags and a throwaway profile;
/// returns stdout. Fails after two minutes.
fn headless(browser: &str, page: &Path, args: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    // stdout goes to a file: a page's DOM fills a pipe long before the browser exits.
    let stdout_path = profile.path().join("stdout");
    let stdout = std::fs::File::create(&stdout_path).unwrap();
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(&url)
        .stdout(stdout)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("{browser} did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "{browser} failed: {status:?}");
    String::from_utf8_lossy(&std::fs::read(&stdout_path).unwrap()).into_owned()
}

#[test]
fn chromium_renders_every_theme_and_a_visible_page() {
    let Some(browser) = chromium() else {
        return;
    };
    let (dir, out) = shipped_run();
    let page = out.join("report.html");
    let dom = headless(&browser, &page, &["--dump-dom".to_string()]);
    let doc = Html::parse_document(&dom);
    let headings: Vec<String> = doc
        .select(&sel("section.theme > h3"))
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(
        headings,
        themes_of(&out),
        "the rendered DOM has every theme"
    );
    for id in SECTIONS {
        assert!(
            doc.select(&sel(&format!("section#{id}"))).next().is_some(),
            "{id}"
        );
    }
    assert_eq!(doc.select(&sel("img")).count(), 8);

    let shot = dir.path().join("shot.png");
    headless(
        &browser,
        &page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000".to_string(),
        ],
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    assert_eq!((info.width, info.height), (1280, 2000));
    let distinct: BTreeSet<[u8; 3]> = pixels.iter().map(|p| [p[0], p[1], p[2]]).collect();
    let dark = pixels
        .iter()
        .filter(|p| p[..3].iter().all(|&c| c < 100))
        .count();
    // The embedded charts drew: the trend chart's bluish-green line (Okabe-Ito #009E73) shows.
    let green = pixels
        .iter()
        .filter(|p| {
            i32::from(p[1]) > i32::from(p[0]) + 60 && i32::from(p[1]) > i32::from(p[2]) + 20
        })
        .count();
    assert!(
        distinct.len() > 64,
        "{} colours: the page looks blank",
        distinct.len()
    );
    assert!(
        dark > pixels.len() / 200,
        "only {dark} dark pixels: no text rendered"
    );
    assert!(
        green > 100,
        "only {green} green pixels: the trend chart did not render"
    );

    // The browser too sees the hostile run's markup as text only.
    let (_hostile_dir, hostile) = hostile_run();
    let dom = headless(
        &browser,
        &hostile.join("report.html"),
        &["--dump-dom".to_string()],
    );
    let doc = Html::parse_document(&dom);
    assert_eq!(doc.select(&sel("script")).count(), 0);
    assert_eq!(doc.select(&sel("i")).count(), 0);
    let text: String = doc.root_element().text().collect();
    assert!(text.contains(HOSTILE_STATEMENT) && text.contains(HOSTILE_THEME));
}

#[test]
fn past_theme_charts_the_least_hit_themes_get_no_chart_and_the_report_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("in")).unwrap();
    std::fs::write(
        d.join("config.toml"),
        "[input]\ndir = \"in\"\n[themes]\nfile = \"themes.toml\"\n[charts]\nsession_charts = 1\ntheme_charts = 2\n",
    )
    .unwrap();
    std::fs::write(
        d.join("themes.toml"),
        "[[theme]]\nname = \"Rare\"\npatterns = [\"norms\"]\n\n[[theme]]\nname = \"Common\"\npatterns = [\"capacity\"]\n\n[[theme]]\nname = \"Middle\"\npatterns = [\"mercenar*\"]\n",
    )
    .unwrap();
    std::fs::write(
        d.join("in/metadata.csv"),
        "file,session,date\na.txt,1,2023-01-10\nb.txt,2,2024-01-10\n",
    )
    .unwrap();
    std::fs::write(
        d.join("in/a.txt"),
        "Capacity, capacity, mercenaries and norms.\n",
    )
    .unwrap();
    std::fs::write(
        d.join("in/b.txt"),
        "Capacity and capacity building, mercenaries.\n",
    )
    .unwrap();
    let res = run_in(d, &["run", "--config", "config.toml", "--output", "out"]);
    assert_ok(&res);
    let out = d.join("out");
    let mut charts: Vec<String> = std::fs::read_dir(out.join("charts/themes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    charts.sort();
    assert_eq!(charts, ["Common.png", "Middle.png"]);
    let html = report_of(&out);
    assert!(
        html.contains("Charts of their own are drawn for the 2 themes with the most hits"),
        "no note on the cap"
    );
    assert_eq!(html.matches("No chart of its own").count(), 1);
}

/// The run's time span covers statements that have only a year as well as dated ones: a
/// year comes before that year's dates at the start and after them at the end.
#[test]
fn the_time_span_counts_statements_that_have_only_a_year() {
    let dir = small_job_with(
        &[
            ("a.txt", "Peace and security.\n"),
            ("b.txt", "Peace and development.\n"),
            ("c.txt", "Peace and human rights.\n"),
        ],
        "file,date,year\na.txt,,1990\nb.txt,,1995\nc.txt,2000-05-05,\n",
        "[[theme]]\nname = \"Peace\"\npatterns = [\"peace\"]\n",
        "[metadata]\ngroup_by = \"year\"\n",
    );
    assert_ok(&run_in(
        dir.path(),
        &["run", "--config", "config.toml", "--no-charts"],
    ));
    let html = report_of(&dir.path().join("output"));
    assert!(html.contains("from 1990 to 2000-05-05"), "{html}");
}

/// The same configuration run from its project folder and, by absolute path, from elsewhere
/// (as cron does) gives the same page: the manifest's and the dictionary's warnings name their
/// files relative to the input folder and to the configuration's folder, not to where the
/// run was started.
#[test]
fn report_is_the_same_wherever_the_run_starts() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_dir(&repo().join("input"), &project.join("input"));
    copy_dir(&repo().join("config"), &project.join("config"));
    // A manifest row naming no file, and a pattern that loses a number: one warning each.
    let manifest = project.join("input/metadata.csv");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str("no-such-statement.txt,Session 9,2025-01-01,Nobody,Forum\n");
    std::fs::write(&manifest, text).unwrap();
    let themes = project.join("config/themes.toml");
    let mut text = std::fs::read_to_string(&themes).unwrap();
    text.push_str("\n[[theme]]\nname = \"Group\"\npatterns = [\"Group of 77\"]\n");
    std::fs::write(&themes, text).unwrap();
    let inside = run_in(
        &project,
        &["--quiet", "run", "--no-charts", "--output", "out1"],
    );
    assert_ok(&inside);
    let config = project.join("config/topictrends.toml");
    let elsewhere = bin()
        .current_dir(dir.path())
        .args(["--quiet", "run", "--no-charts", "--config"])
        .arg(&config)
        .arg("--output")
        .arg(project.join("out2"))
        .output()
        .unwrap();
    assert_ok(&elsewhere);
    let (one, two) = (
        report_of(&project.join("out1")),
        report_of(&project.join("out2")),
    );
    for place in ["<code>metadata.csv:", "<code>themes.toml</code>"] {
        assert!(one.contains(place), "{place} not in the page");
    }
    assert!(!two.contains(&dir.path().display().to_string()));
    assert!(one == two, "the pages differ");
}
