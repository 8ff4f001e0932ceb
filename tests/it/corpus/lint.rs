//! `mask-tool lint` scored against the hand labels: with rules that keep every column, its
//! "looks personal" findings should be the labelled personal columns (recall at least 95% and
//! precision at least 90% over the corpus); with each entry's own rules, it must flag no kept
//! column that is not personal.

use std::collections::BTreeSet;
use std::path::Path;

use tests::{run, tool};

use super::model::{
    col_label, keep_all_rules, split_name, Col, Engine, Entry, HELD_OUT_PG_ENTRIES,
    HELD_OUT_SQLITE_ENTRIES, PG_ENTRIES, SALT, SECOND_HELD_OUT_PG_ENTRIES,
    SECOND_HELD_OUT_SQLITE_ENTRIES, SQLITE_ENTRIES,
};
use super::{pg, sqlite};

/// The kept columns lint flags as personal under the entry's own rules although the labels say
/// they are not, as `--allow-unmasked` takes them (`schema.table.column`, each part quoted
/// where PostgreSQL needs it, as lint prints them).
pub fn false_alarms(entry: &Entry, db: &str) -> Vec<String> {
    let (_, findings, _) = lint(&entry.rules_path, db);
    findings
        .into_iter()
        .filter(|(k, c)| k == "looks_personal" && !entry.labels.pii.contains(c))
        .map(|(_, c)| col_label(&c))
        .collect()
}

/// lint's findings: (kind, column).
fn lint(rules: &Path, db: &str) -> (i32, Vec<(String, Col)>, String) {
    let mut l = tool("mask-tool");
    l.env("MASK_SALT", SALT)
        .args(["lint", "--json", "--rules"])
        .arg(rules)
        .args(["--db", db]);
    let out = run(l);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "lint --json printed no JSON ({e}): {}{}",
            out.stdout, out.stderr
        )
    });
    let findings = j["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    let t = split_name(f["table"].as_str().unwrap_or(""));
                    let (s, t) = match t.as_slice() {
                        [s, t] => (s.clone(), t.clone()),
                        [t] => (String::new(), t.clone()),
                        _ => (String::new(), String::new()),
                    };
                    (
                        f["kind"].as_str().unwrap_or("").to_string(),
                        (s, t, f["column"].as_str().unwrap_or("").to_string()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (out.code, findings, out.stderr)
}

struct Score {
    entry: String,
    columns: usize,
    pii: usize,
    tp: usize,
    fp: Vec<Col>,
    fn_: Vec<Col>,
}

#[test]
fn corpus_lint_precision_and_recall_against_the_labels() {
    let mut scores = Vec::new();
    let mut failures = Vec::new();
    let entries: Vec<Entry> = PG_ENTRIES
        .iter()
        .map(|e| Entry::load(Engine::Pg, e))
        .chain(
            SQLITE_ENTRIES
                .iter()
                .map(|e| Entry::load(Engine::Sqlite, e)),
        )
        .collect();
    for entry in &entries {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (db, _keep_alive, tables) = match entry.engine {
            Engine::Pg => {
                let (url, t) = pg::load_source(entry);
                (url, None, t)
            }
            Engine::Sqlite => {
                let (path, dir, t) = sqlite::lint_tables(entry);
                (path.to_string_lossy().into_owned(), Some(dir), t)
            }
        };
        let universe: BTreeSet<Col> = tables
            .iter()
            .flat_map(|(s, t, cols)| cols.iter().map(move |c| (s.clone(), t.clone(), c.clone())))
            .collect();
        for l in &entry.labels.pii {
            if !universe.contains(l) {
                failures.push(format!(
                    "{}: label {} names no column lint lists",
                    entry.name,
                    col_label(l)
                ));
            }
        }
        // Keep everything: every personal column should be flagged.
        let all = tmp.path().join("keep-all.toml");
        std::fs::write(&all, keep_all_rules(&tables)).expect("rules");
        let (code, findings, stderr) = lint(&all, &db);
        let flagged: BTreeSet<Col> = findings
            .iter()
            .filter(|(k, _)| k == "looks_personal")
            .map(|(_, c)| c.clone())
            .collect();
        for (k, c) in findings.iter().filter(|(k, _)| k != "looks_personal") {
            failures.push(format!(
                "{}: keep-all rules: unexpected finding {k} on {}",
                entry.name,
                col_label(c)
            ));
        }
        if code != 3 && !flagged.is_empty() {
            failures.push(format!(
                "{}: lint found personal columns but exit {code}: {stderr}",
                entry.name
            ));
        }
        let pii = &entry.labels.pii;
        scores.push(Score {
            entry: format!(
                "{}/{}",
                if entry.engine == Engine::Pg {
                    "pg"
                } else {
                    "sqlite"
                },
                entry.name
            ),
            columns: universe.len(),
            pii: pii.len(),
            tp: flagged.intersection(pii).count(),
            fp: flagged.difference(pii).cloned().collect(),
            fn_: pii.difference(&flagged).cloned().collect(),
        });

        // The entry's own rules: nothing kept that is not personal may be flagged.
        let (code, findings, stderr) = lint(&entry.rules_path, &db);
        for (k, c) in &findings {
            if k == "looks_personal" && pii.contains(c) {
                continue;
            }
            failures.push(format!(
                "{}: own rules: lint reports {k} on {} (labelled not personal)",
                entry.name,
                col_label(c)
            ));
        }
        if findings.is_empty() && code != 0 {
            failures.push(format!(
                "{}: own rules: lint exit {code} without findings: {stderr}",
                entry.name
            ));
        }
    }
    let pct = |a: usize, b: usize| {
        if b == 0 {
            100.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    let mut table =
        String::from("\nlint \"looks personal\" with keep-all rules, against labels.toml pii:\n");
    table.push_str(&format!(
        "{:<24} {:>7} {:>5} {:>5} {:>5} {:>5} {:>9} {:>8}\n",
        "entry", "columns", "pii", "TP", "FP", "FN", "precision", "recall"
    ));
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for s in &scores {
        tp += s.tp;
        fp += s.fp.len();
        fn_ += s.fn_.len();
        table.push_str(&format!(
            "{:<24} {:>7} {:>5} {:>5} {:>5} {:>5} {:>8.1}% {:>7.1}%\n",
            s.entry,
            s.columns,
            s.pii,
            s.tp,
            s.fp.len(),
            s.fn_.len(),
            pct(s.tp, s.tp + s.fp.len()),
            pct(s.tp, s.tp + s.fn_.len())
        ));
    }
    let precision = pct(tp, tp + fp);
    let recall = pct(tp, tp + fn_);
    table.push_str(&format!(
        "{:<24} {:>7} {:>5} {:>5} {:>5} {:>5} {:>8.1}% {:>7.1}%\n",
        "overall",
        scores.iter().map(|s| s.columns).sum::<usize>(),
        scores.iter().map(|s| s.pii).sum::<usize>(),
        tp,
        fp,
        fn_,
        precision,
        recall
    ));
    for s in &scores {
        if !s.fp.is_empty() {
            table.push_str(&format!(
                "  {} flagged, not personal: {}\n",
                s.entry,
                s.fp.iter().map(col_label).collect::<Vec<_>>().join(", ")
            ));
        }
        if !s.fn_.is_empty() {
            table.push_str(&format!(
                "  {} personal, not flagged: {}\n",
                s.entry,
                s.fn_.iter().map(col_label).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    eprintln!("{table}");
    if recall < 95.0 {
        failures.push(format!("overall recall {recall:.1}% < 95%"));
    }
    if precision < 90.0 {
        failures.push(format!("overall precision {precision:.1}% < 90%"));
    }
    assert!(
        failures.is_empty(),
        "lint quality (table above): precision {precision:.1}%, recall {recall:.1}%\n{}",
        failures.join("\n")
    );
}

/// The same measurement over the held-out entries (added after lint was tuned on the others, labelled
/// before lint was run on them), reported on its own and held to the same goals, so that the
/// figures above are not the only ones: recall at least 95% and precision at least 90%.
#[test]
fn corpus_lint_held_out_precision_and_recall() {
    let entries: Vec<Entry> = HELD_OUT_PG_ENTRIES
        .iter()
        .map(|e| Entry::load(Engine::Pg, e))
        .chain(
            HELD_OUT_SQLITE_ENTRIES
                .iter()
                .map(|e| Entry::load(Engine::Sqlite, e)),
        )
        .collect();
    let scored = score_entries(&entries);
    let (precision, recall) = (scored.precision, scored.recall);
    eprintln!(
        "\nheld-out entries (not used to tune lint):{}",
        scored.table
    );
    let mut failures = scored.failures;
    failures.extend(scored.findings);
    if recall < 95.0 {
        failures.push(format!("held-out recall {recall:.1}% < 95%"));
    }
    if precision < 90.0 {
        failures.push(format!("held-out precision {precision:.1}% < 90%"));
    }
    assert!(
        failures.is_empty(),
        "lint quality on the held-out entries (table above): precision {precision:.1}%, recall {recall:.1}%\n{}",
        failures.join("\n")
    );
}

/// The second held-out set (WordPress/WooCommerce port, Go fintech, browser profile): added after
/// every entry above had been used to tune lint, labelled before lint was run on them. Its figures
/// are printed, not held to a goal: a goal met by tuning lint on these entries would measure
/// nothing. What is asserted is what does not depend on lint's heuristics: each entry loads, its
/// labels name columns lint lists, its rules are strict, class every column lint lists, mask every
/// labelled column and name no derived one (the masking tests show that nothing of the originals
/// is left), and lint's exit code agrees with its findings.
#[test]
fn corpus_lint_second_held_out_precision_and_recall() {
    let entries: Vec<Entry> = SECOND_HELD_OUT_PG_ENTRIES
        .iter()
        .map(|e| Entry::load(Engine::Pg, e))
        .chain(
            SECOND_HELD_OUT_SQLITE_ENTRIES
                .iter()
                .map(|e| Entry::load(Engine::Sqlite, e)),
        )
        .collect();
    let scored = score_entries(&entries);
    let mut failures = scored.failures;
    for (entry, universe) in entries.iter().zip(&scored.universes) {
        failures.extend(rules_cover_labels(entry, universe));
    }
    let mut text = format!(
        "\nsecond held-out entries (not used to tune lint; figures reported, not asserted):{}",
        scored.table
    );
    if !scored.findings.is_empty() {
        text.push_str("  lint's other reports (not asserted):\n");
        for f in &scored.findings {
            text.push_str(&format!("    {f}\n"));
        }
    }
    eprintln!("{text}");
    assert!(
        failures.is_empty(),
        "second held-out entries: {} broken promise(s) of the corpus or of lint's exit codes:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// What an entry's rules must do whatever lint says: `strict = true`, every column lint lists
/// classed (masked, kept or reviewed) and no other named, every labelled personal column masked,
/// no derived column named.
fn rules_cover_labels(entry: &Entry, universe: &BTreeSet<Col>) -> Vec<String> {
    let mut out = Vec::new();
    let name = entry.name;
    if entry.rules.strict != Some(true) {
        out.push(format!("{name}: rules.toml does not say strict = true"));
    }
    let mut masked = BTreeSet::new();
    let mut kept = BTreeSet::new();
    for t in &entry.rules.tables {
        for (c, _, _) in &t.masked {
            masked.insert((t.schema.clone(), t.table.clone(), c.clone()));
        }
        for c in &t.keep {
            kept.insert((t.schema.clone(), t.table.clone(), c.clone()));
        }
    }
    for c in universe {
        if !masked.contains(c) && !kept.contains(c) {
            out.push(format!("{name}: rules leave {} unclassed", col_label(c)));
        }
    }
    for c in masked.union(&kept) {
        if !universe.contains(c) {
            out.push(format!(
                "{name}: rules name {}, which lint does not list",
                col_label(c)
            ));
        }
    }
    for c in &entry.labels.pii {
        if !masked.contains(c) {
            out.push(format!(
                "{name}: labelled personal but not masked: {}",
                col_label(c)
            ));
        }
    }
    for c in &entry.labels.derived {
        if masked.contains(c) || kept.contains(c) {
            out.push(format!(
                "{name}: derived column named in the rules: {}",
                col_label(c)
            ));
        }
    }
    out
}

/// What scoring a set of entries gives.
struct Scored {
    /// The figures, per entry and overall, with the columns behind them.
    table: String,
    /// Broken promises that do not depend on the heuristics: a label naming no column lint
    /// lists, personal columns found without exit 3, an exit other than 0 without findings.
    failures: Vec<String>,
    /// What lint reports beyond "looks personal" with keep-all rules, and what it reports on
    /// the kept columns of the entries' own rules that are not labelled personal.
    findings: Vec<String>,
    precision: f64,
    recall: f64,
    /// Per entry, the columns lint lists.
    universes: Vec<BTreeSet<Col>>,
}

/// Scores lint on `entries` as the first test does.
fn score_entries(entries: &[Entry]) -> Scored {
    let mut scores = Vec::new();
    let mut failures = Vec::new();
    let mut findings_out = Vec::new();
    let mut universes = Vec::new();
    for entry in entries {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (db, _keep_alive, tables) = match entry.engine {
            Engine::Pg => {
                let (url, t) = pg::load_source(entry);
                (url, None, t)
            }
            Engine::Sqlite => {
                let (path, dir, t) = sqlite::lint_tables(entry);
                (path.to_string_lossy().into_owned(), Some(dir), t)
            }
        };
        let universe: BTreeSet<Col> = tables
            .iter()
            .flat_map(|(s, t, cols)| cols.iter().map(move |c| (s.clone(), t.clone(), c.clone())))
            .collect();
        for l in &entry.labels.pii {
            if !universe.contains(l) {
                failures.push(format!(
                    "{}: label {} names no column lint lists",
                    entry.name,
                    col_label(l)
                ));
            }
        }
        let all = tmp.path().join("keep-all.toml");
        std::fs::write(&all, keep_all_rules(&tables)).expect("rules");
        let (code, findings, stderr) = lint(&all, &db);
        let flagged: BTreeSet<Col> = findings
            .iter()
            .filter(|(k, _)| k == "looks_personal")
            .map(|(_, c)| c.clone())
            .collect();
        for (k, c) in findings.iter().filter(|(k, _)| k != "looks_personal") {
            findings_out.push(format!(
                "{}: keep-all rules: unexpected finding {k} on {}",
                entry.name,
                col_label(c)
            ));
        }
        if code != 3 && !flagged.is_empty() {
            failures.push(format!(
                "{}: lint found personal columns but exit {code}: {stderr}",
                entry.name
            ));
        }
        let pii = &entry.labels.pii;
        scores.push(Score {
            entry: format!(
                "{}/{}",
                if entry.engine == Engine::Pg {
                    "pg"
                } else {
                    "sqlite"
                },
                entry.name
            ),
            columns: universe.len(),
            pii: pii.len(),
            tp: flagged.intersection(pii).count(),
            fp: flagged.difference(pii).cloned().collect(),
            fn_: pii.difference(&flagged).cloned().collect(),
        });
        universes.push(universe);
        let (code, findings, stderr) = lint(&entry.rules_path, &db);
        for (k, c) in &findings {
            if k == "looks_personal" && pii.contains(c) {
                continue;
            }
            findings_out.push(format!(
                "{}: own rules: lint reports {k} on {} (labelled not personal)",
                entry.name,
                col_label(c)
            ));
        }
        if findings.is_empty() && code != 0 {
            failures.push(format!(
                "{}: own rules: lint exit {code} without findings: {stderr}",
                entry.name
            ));
        }
    }
    let pct = |a: usize, b: usize| {
        if b == 0 {
            100.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    let mut table =
        String::from("\nlint \"looks personal\" with keep-all rules, against labels.toml pii:\n");
    table.push_str(&format!(
        "{:<26} {:>7} {:>5} {:>5} {:>5} {:>5} {:>9} {:>8}\n",
        "entry", "columns", "pii", "TP", "FP", "FN", "precision", "recall"
    ));
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for s in &scores {
        tp += s.tp;
        fp += s.fp.len();
        fn_ += s.fn_.len();
        table.push_str(&format!(
            "{:<26} {:>7} {:>5} {:>5} {:>5} {:>5} {:>8.1}% {:>7.1}%\n",
            s.entry,
            s.columns,
            s.pii,
            s.tp,
            s.fp.len(),
            s.fn_.len(),
            pct(s.tp, s.tp + s.fp.len()),
            pct(s.tp, s.tp + s.fn_.len())
        ));
    }
    let precision = pct(tp, tp + fp);
    let recall = pct(tp, tp + fn_);
    table.push_str(&format!(
        "{:<26} {:>7} {:>5} {:>5} {:>5} {:>5} {:>8.1}% {:>7.1}%\n",
        "overall",
        scores.iter().map(|s| s.columns).sum::<usize>(),
        scores.iter().map(|s| s.pii).sum::<usize>(),
        tp,
        fp,
        fn_,
        precision,
        recall
    ));
    for s in &scores {
        if !s.fp.is_empty() {
            table.push_str(&format!(
                "  {} flagged, not personal: {}\n",
                s.entry,
                s.fp.iter().map(col_label).collect::<Vec<_>>().join(", ")
            ));
        }
        if !s.fn_.is_empty() {
            table.push_str(&format!(
                "  {} personal, not flagged: {}\n",
                s.entry,
                s.fn_.iter().map(col_label).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    Scored {
        table,
        failures,
        findings: findings_out,
        precision,
        recall,
        universes,
    }
}
