//! Checking rules against a database or a dump: tables and columns the rules name but the
//! database lacks, columns nobody classed, and kept columns whose names or values look personal.

use serde::Serialize;

use mask::Rules;

use std::collections::BTreeMap;

use super::columns::{data_columns, holds_no_text, is_text_like};
use crate::engine::schema::TableInfo;
use crate::error::Result;

/// One problem `lint` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What kind of problem.
    pub kind: FindingKind,
    /// The table.
    pub table: String,
    /// The column, if the finding is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Why, in words (never a data value).
    pub detail: String,
}

/// Kinds of lint findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// The rules name a table that is not there.
    UnknownTable,
    /// The rules name a column that is not there.
    UnknownColumn,
    /// A table has no rules at all.
    UnclassifiedTable,
    /// A column of a ruled table is neither masked nor kept.
    UnclassifiedColumn,
    /// A column that is kept (or passes unmasked) looks personal by its name or its values.
    LooksPersonal,
}

/// Checks rules against a schema and sampled values. `sample(table, column)` returns some
/// non-NULL values of a column, for the value heuristics.
pub fn lint(
    rules: &Rules,
    tables: &[TableInfo],
    sample: &mut dyn FnMut(&TableInfo, &str) -> Result<Vec<String>>,
) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    let by_name = crate::engine::schema::by_name(tables);
    for tr in rules.tables() {
        let Some(t) = by_name.get(tr.name()) else {
            out.push(Finding {
                kind: FindingKind::UnknownTable,
                table: tr.name().to_string(),
                column: None,
                detail: "the rules name this table, but it does not exist (renamed or dropped?)"
                    .into(),
            });
            continue;
        };
        let cols = data_columns(t);
        for c in tr.columns() {
            if !cols.iter().any(|x| x == c) {
                out.push(Finding {
                    kind: FindingKind::UnknownColumn,
                    table: t.name.to_string(),
                    column: Some(c.to_string()),
                    detail: "the rules name this column, but the table does not have it".into(),
                });
            }
        }
    }
    for t in tables {
        let cols = data_columns(t);
        let tr = rules.table(&t.name);
        if tr.is_none() {
            out.push(Finding {
                kind: FindingKind::UnclassifiedTable,
                table: t.name.to_string(),
                column: None,
                detail: if rules.strict() {
                    "no rules for this table: strict masking refuses it".into()
                } else {
                    "no rules for this table: its data passes unmasked".into()
                },
            });
        }
        for c in &cols {
            let classed_masked = tr
                .and_then(|r| r.transform(c))
                .is_some_and(|t| !matches!(t, mask::Transform::Keep));
            if classed_masked {
                continue;
            }
            let kept = tr.is_some_and(|r| r.kept().any(|k| k == c));
            if tr.is_some() && !kept {
                out.push(Finding {
                    kind: FindingKind::UnclassifiedColumn,
                    table: t.name.to_string(),
                    column: Some(c.clone()),
                    detail: "neither masked nor kept: add it to the rules".into(),
                });
            }
            let data_type = t
                .columns
                .iter()
                .find(|x| &x.name == c)
                .map(|x| x.data_type.as_str())
                .unwrap_or("");
            let name_hint = mask::column_looks_personal(c)
                .filter(|why| !holds_no_text(data_type) || why.contains("birth"));
            if let Some(why) = name_hint {
                out.push(Finding {
                    kind: FindingKind::LooksPersonal,
                    table: t.name.to_string(),
                    column: Some(c.clone()),
                    detail: format!("not masked, but {why}"),
                });
                continue;
            }
            // Only text can hold an address or a token; numbers and timestamps only produce noise.
            let text_like = t
                .columns
                .iter()
                .find(|x| &x.name == c)
                .is_none_or(|x| is_text_like(&x.data_type));
            if !text_like {
                continue;
            }
            let values = sample(t, c)?;
            let mut reasons: BTreeMap<&'static str, usize> = BTreeMap::new();
            for v in &values {
                if let Some(why) = mask::value_looks_personal(v) {
                    *reasons.entry(why).or_default() += 1;
                }
            }
            if let Some((why, n)) = reasons.into_iter().max_by_key(|(_, n)| *n) {
                // One odd value in a sample is noise; a tenth of the sample is a pattern.
                if n * 10 >= values.len().max(1) && n >= 2 {
                    out.push(Finding {
                        kind: FindingKind::LooksPersonal,
                        table: t.name.to_string(),
                        column: Some(c.clone()),
                        detail: format!(
                            "not masked, but {n} of {} sampled values: {why}",
                            values.len()
                        ),
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| (a.kind, &a.table, &a.column).cmp(&(b.kind, &b.table, &b.column)));
    Ok(out)
}
