//! What the live jobs need to know about columns: which hold data, which can hold text, and
//! whether the rules still fit the database.

use dump::QualifiedName;
use mask::Rules;

use crate::engine::schema::TableInfo;
use crate::error::{Error, Result};

/// The columns a masker sees for a table: generated columns hold no data of their own and are
/// left out, exactly as pg_dump leaves them out of COPY.
pub(crate) fn data_columns(t: &TableInfo) -> Vec<String> {
    t.columns
        .iter()
        .filter(|c| !c.generated)
        .map(|c| c.name.clone())
        .collect()
}

/// Fails when the rules name a table the database does not have (fail closed: a renamed table
/// must not be silently left unmasked).
pub(crate) fn check_rule_tables(rules: &Rules, tables: &[TableInfo], what: &str) -> Result<()> {
    let names: std::collections::BTreeSet<&QualifiedName> =
        tables.iter().map(|t| &t.name).collect();
    for tr in rules.tables() {
        if !names.contains(tr.name()) {
            return Err(Error::Config {
                path: rules.file().into(),
                message: format!("rules name table {}, which {what} does not have", tr.name()),
            });
        }
    }
    Ok(())
}

/// Types whose values are never an address, a name or a token (`email_verified` is a
/// timestamp, `is_email_public` a flag): name hints about them are noise. Dates stay suspect,
/// since a date of birth is personal.
pub(crate) fn holds_no_text(data_type: &str) -> bool {
    let t = data_type.to_ascii_lowercase();
    t == "boolean"
        || t == "bool"
        || t.starts_with("timestamp")
        || t.starts_with("time ")
        || t == "time"
        || t == "datetime"
        || t == "interval"
}

/// Whether a column type can hold free text (PostgreSQL names, or SQLite declared types by
/// SQLite's affinity rules: CHAR, CLOB, TEXT, or no type at all).
pub(crate) fn is_text_like(data_type: &str) -> bool {
    let t = data_type.to_ascii_lowercase();
    t.is_empty()
        || t.contains("char")
        || t.contains("text")
        || t.contains("clob")
        || t.starts_with("json")
        || t == "name"
}
