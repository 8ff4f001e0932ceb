//! `mask-tool lint` scored against the hand labels: with rules that keep every column, its
//! "looks personal" findings should be the labelled personal columns (recall at least 95% and
//! precision at least 90% over the corpus); with each entry's own rules, it must flag no kept
//! column that is not personal.

use std::collections::BTreeSet;
use std::path::Path;

use tests::{run, tool};

use super::model::{
    col_label, keep_all_rules, split_name, Col, Engine, Entry, HELD_OUT_PG_ENTRIES,
    HELD_OUT_SQLITE_ENTRIES, PG_ENTRIES, SALT, SQLITE_ENTRIES,
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
    let (table, mut failures, precision, recall) = score_entries(&entries);
    eprintln!("\nheld-out entries (not used to tune lint):{table}");
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

/// Scores lint on `entries` as the test above does: (table, broken promises, precision, recall).
fn score_entries(entries: &[Entry]) -> (String, Vec<String>, f64, f64) {
    let mut scores = Vec::new();
    let mut failures = Vec::new();
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
    (table, failures, precision, recall)
}
