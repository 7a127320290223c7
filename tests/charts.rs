//! End-to-end: every chart is written, renders without system fonts, and shows text and data.

mod common;

use common::*;

/// Decodes a PNG into (width, height, RGB pixels).
fn decode(path: &std::path::Path) -> (u32, u32, Vec<[u8; 3]>) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width, info.height, pixels)
}

#[test]
fn default_run_writes_every_chart_without_system_fonts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let home = tempfile::tempdir().unwrap();
    let res = bin()
        .current_dir(repo())
        .env("FONTCONFIG_FILE", "/dev/null")
        .env("HOME", home.path())
        .args(["run", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert_ok(&res);
    let charts = out.join("charts");
    for f in [
        "theme_trends.png",
        "theme_heatmap.png",
        "term_trends.png",
        "themes/Cyber_mercenaries.png",
        "themes/Critical_infrastructure.png",
        "themes/Capacity_building.png",
        "themes/Multistakeholder_participation.png",
        "themes/Norms_and_international_law.png",
        "themes/Supply_chain.png",
        "top_terms/Session_5.png",
        "top_terms/Session_7.png",
    ] {
        let (w, h, px) = decode(&charts.join(f));
        assert_eq!((w, h), (1600, 900), "{f}");
        // Dark text in the title band (top 60 px, left half).
        let dark = (0..60u32)
            .flat_map(|y| (0..800u32).map(move |x| (y * w + x) as usize))
            .filter(|&i| px[i].iter().all(|&c| c < 90))
            .count();
        assert!(dark > 200, "{f}: only {dark} dark pixels in the title area");
        let distinct: std::collections::HashSet<[u8; 3]> = px.iter().copied().collect();
        assert!(
            distinct.len() > 8,
            "{f}: looks blank ({} colours)",
            distinct.len()
        );
    }
    // The trend chart shows one palette colour per theme: at least 6 saturated colours.
    let (_, _, px) = decode(&charts.join("theme_trends.png"));
    let saturated: std::collections::HashSet<[u8; 3]> = px
        .iter()
        .copied()
        .filter(|p| {
            let (mx, mn) = (
                *p.iter().max().unwrap() as i32,
                *p.iter().min().unwrap() as i32,
            );
            mx - mn > 100
        })
        .collect();
    assert!(
        saturated.len() >= 6,
        "{} saturated colours",
        saturated.len()
    );
}

#[test]
fn no_charts_flag_and_config_switch() {
    let dir = workdir_with("handcount");
    assert_ok(&run_in(
        dir.path(),
        &[
            "run",
            "--config",
            "config.toml",
            "--output",
            "a",
            "--no-charts",
        ],
    ));
    assert!(!dir.path().join("a/charts").exists());
    assert!(dir.path().join("a/theme_scores.csv").exists());
    std::fs::write(
        dir.path().join("nocharts.toml"),
        "[input]\ndir = \"input\"\n[themes]\nfile = \"themes.toml\"\n[charts]\nenabled = false\n",
    )
    .unwrap();
    assert_ok(&run_in(
        dir.path(),
        &["run", "--config", "nocharts.toml", "--output", "b"],
    ));
    assert!(!dir.path().join("b/charts").exists());
}

#[test]
fn a_chart_size_that_scales_out_of_range_is_a_config_error_before_any_input_is_read() {
    let dir = workdir_with("handcount");
    for (name, charts) in [
        ("big.toml", "scale = 8"),
        ("small.toml", "width = 200\nheight = 200\nscale = 0.5"),
    ] {
        std::fs::write(
            dir.path().join(name),
            format!(
                "[input]\ndir = \"input\"\n[themes]\nfile = \"themes.toml\"\n[charts]\n{charts}\n"
            ),
        )
        .unwrap();
        for cmd in ["check", "run"] {
            let mut args = vec![cmd, "--config", name];
            if cmd == "run" {
                args.extend(["--output", "o"]);
            }
            let res = run_in(dir.path(), &args);
            let err = String::from_utf8_lossy(&res.stderr);
            assert_eq!(res.status.code(), Some(3), "{cmd} {name}: {err}");
            assert!(
                err.contains("[charts]") && err.contains("after scaling"),
                "{err}"
            );
            assert!(!err.contains("internal error"), "{err}");
        }
    }
    assert!(!dir.path().join("o").exists());
}

#[test]
fn chart_size_and_per_session_limit_come_from_config() {
    let dir = workdir_with("handcount");
    std::fs::write(
        dir.path().join("small.toml"),
        "[input]\ndir = \"input\"\n[themes]\nfile = \"themes.toml\"\n[charts]\nwidth = 800\nheight = 450\nscale = 2.0\nsession_charts = 1\nwatch_terms = [\"capacity\", \"critical infrastructure\"]\n",
    )
    .unwrap();
    let res = run_in(
        dir.path(),
        &["run", "--config", "small.toml", "--output", "o"],
    );
    assert_ok(&res);
    let (w, h, _) = decode(&dir.path().join("o/charts/theme_heatmap.png"));
    assert_eq!((w, h), (1600, 900));
    let top: Vec<_> = std::fs::read_dir(dir.path().join("o/charts/top_terms"))
        .unwrap()
        .collect();
    assert_eq!(top.len(), 1, "only the most recent session");
    assert!(dir.path().join("o/charts/top_terms/Session_2.png").exists());
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        err.contains("\"critical infrastructure\" is not one countable word"),
        "{err}"
    );
}

#[test]
fn keyness_chart_for_every_session_with_something_earlier() {
    let dir = workdir_with("handcount");
    // Every term counts, so the two tiny statements give both rising and falling terms.
    std::fs::write(
        dir.path().join("keyness.toml"),
        "[input]\ndir = \"input\"\n[themes]\nfile = \"themes.toml\"\n[evidence]\nkeyness_min_count = 1\n",
    )
    .unwrap();
    for (config, out) in [("config.toml", "a"), ("keyness.toml", "b")] {
        assert_ok(&run_in(
            dir.path(),
            &["run", "--config", config, "--output", out],
        ));
        let keyness = dir.path().join(out).join("charts/keyness");
        // Session 1 has nothing earlier to compare with.
        let names: Vec<String> = std::fs::read_dir(&keyness)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["Session_2.png"], "{config}");
    }
    let (w, h, px) = decode(&dir.path().join("b/charts/keyness/Session_2.png"));
    assert_eq!((w, h), (1600, 900));
    // Okabe-Ito blue (rising) and vermillion (falling) keys and bars.
    for color in [[0x00, 0x72, 0xB2], [0xD5, 0x5E, 0x00]] {
        assert!(px.contains(&color), "{color:?} missing");
    }
}

/// The multilingual example with themes named in Chinese, Arabic and Russian: every chart is
/// drawn from embedded glyphs (no "no glyph" warning); a name in a script no embedded font has
/// (Runic) is drawn, and each chart showing it is named in a warning with the code point.
#[test]
fn theme_names_in_other_scripts_are_drawn_and_missing_glyphs_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples/multilingual"), dir.path());
    let themes = dir.path().join("themes.toml");
    let text = std::fs::read_to_string(&themes).unwrap();
    let renamed = text
        .replace("\"Cyber mercenaries\"", "\"网络雇佣军\"")
        .replace("\"Critical infrastructure\"", "\"البنية التحتية الحيوية\"")
        .replace("\"Capacity building\"", "\"Наращивание потенциала\"");
    std::fs::write(&themes, &renamed).unwrap();
    let res = run_in(dir.path(), &["run", "--config", "topictrends.toml"]);
    assert_ok(&res);
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(!stderr.contains("no glyph"), "{stderr}");
    let charts = dir.path().join("output/charts");
    assert!(charts.join("theme_trends.png").is_file());
    assert!(charts.join("top_terms").read_dir().unwrap().count() >= 2);

    std::fs::write(
        &themes,
        renamed.replace("\"Supply chain\"", "\"Supply chain ᚠ\""),
    )
    .unwrap();
    let res = run_in(dir.path(), &["run", "--config", "topictrends.toml"]);
    assert_ok(&res);
    let stderr = String::from_utf8_lossy(&res.stderr);
    for chart in ["charts/theme_trends.png", "charts/theme_heatmap.png"] {
        assert!(
            stderr.contains(&format!(
                "{chart}: 1 character(s) have no glyph in the embedded fonts and show as boxes: U+16A0 (ᚠ)"
            )),
            "{stderr}"
        );
    }
    let run_json = std::fs::read_to_string(dir.path().join("output/run.json")).unwrap();
    assert!(run_json.contains("U+16A0"), "{run_json}");
}
