//! The rules of one table resolved against the table's actual column list.

use super::context::MaskContext;
use super::error::{MaskError, Position};
use super::outcome::Outcome;
use super::rules::Rules;
use super::transform::{apply_value, Refs, Transform};
use dump::{quote_identifier, QualifiedName};

/// One masked column of a [`TableMasker`].
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Position of the column in the row.
    pub(crate) column: usize,
    pub(crate) transform: Transform,
    /// Row positions of the template's placeholders, in order.
    pub(crate) refs: Vec<usize>,
}

/// The rules of one table resolved against a concrete column list (a COPY
/// or INSERT column list, or the columns a live database reports): which
/// positions are masked how, which are only read by templates, and which
/// are passed through untouched.
///
/// Resolving is where schema drift is caught: a rule for a column the table
/// no longer has, or (in strict mode) a column nobody classed, is an error
/// before the first row is written.
#[derive(Debug, Clone)]
pub struct TableMasker {
    pub(crate) file: String,
    pub(crate) table: QualifiedName,
    pub(crate) table_sql: String,
    pub(crate) columns: Vec<String>,
    /// Masked columns, in row order.
    pub(crate) plans: Vec<Plan>,
    /// Per row position: index into `plans`.
    pub(crate) plan_of: Vec<Option<usize>>,
    /// Per row position: whether masking reads it (masked or referenced).
    pub(crate) needed: Vec<bool>,
}

impl Rules {
    /// Resolves the rules of `table` against its column list, in row order.
    ///
    /// `Ok(None)` means the rules do not mention the table and strict mode
    /// is off: pass its data through. A table whose columns are all kept
    /// gives a masker for which [`TableMasker::is_identity`] is true.
    ///
    /// # Errors
    ///
    /// [`MaskError::UnclassifiedTable`] (strict mode, no rules),
    /// [`MaskError::UnknownColumn`] (a rule names a column not in the list),
    /// [`MaskError::UnclassifiedColumn`] (strict mode, a column not in the
    /// rules), [`MaskError::UnknownTemplateColumn`], and
    /// [`MaskError::Row`] for a column list naming a column twice.
    pub fn resolve(
        &self,
        table: &QualifiedName,
        columns: &[String],
    ) -> Result<Option<TableMasker>, MaskError> {
        self.resolve_at(table, columns, Position::Unknown)
    }

    pub(crate) fn resolve_at(
        &self,
        table: &QualifiedName,
        columns: &[String],
        at: Position,
    ) -> Result<Option<TableMasker>, MaskError> {
        self.resolve_rules(table, self.table(table), columns, at)
    }

    /// [`Rules::resolve`] with the table's rules given (merged with its
    /// parents' for a partition or child table).
    pub(crate) fn resolve_rules(
        &self,
        table: &QualifiedName,
        rules: Option<&super::rules::TableRules>,
        columns: &[String],
        at: Position,
    ) -> Result<Option<TableMasker>, MaskError> {
        let file = self.file().to_owned();
        let table_sql = table.to_string();
        let Some(rules) = rules else {
            if self.strict() {
                return Err(MaskError::UnclassifiedTable {
                    file,
                    table: table_sql,
                    at,
                });
            }
            return Ok(None);
        };
        let position = |name: &str| columns.iter().position(|c| c == name);
        for (i, c) in columns.iter().enumerate() {
            if columns[..i].contains(c) {
                return Err(MaskError::Row {
                    table: table_sql,
                    at,
                    reason: format!("the column list names column {} twice", quote_identifier(c)),
                });
            }
        }
        for c in rules.columns() {
            if position(c).is_none() {
                return Err(MaskError::UnknownColumn {
                    file,
                    table: table_sql,
                    column: quote_identifier(c),
                    at,
                });
            }
        }
        if self.strict() {
            if let Some(c) = columns.iter().find(|c| rules.transform(c).is_none()) {
                return Err(MaskError::UnclassifiedColumn {
                    file,
                    table: table_sql,
                    column: quote_identifier(c),
                    at,
                });
            }
        }
        let mut plans = Vec::new();
        let mut plan_of = vec![None; columns.len()];
        let mut needed = vec![false; columns.len()];
        for (i, c) in columns.iter().enumerate() {
            let Some(t) = rules.transform(c) else {
                continue;
            };
            if *t == Transform::Keep {
                continue;
            }
            let mut refs = Vec::new();
            for r in t.referenced_columns() {
                let Some(p) = position(r) else {
                    return Err(MaskError::UnknownTemplateColumn {
                        file,
                        table: table_sql,
                        column: quote_identifier(c),
                        referenced: quote_identifier(r),
                        at,
                    });
                };
                needed[p] = true;
                refs.push(p);
            }
            needed[i] = true;
            plan_of[i] = Some(plans.len());
            plans.push(Plan {
                column: i,
                transform: t.clone(),
                refs,
            });
        }
        Ok(Some(TableMasker {
            file,
            table: table.clone(),
            table_sql,
            columns: columns.to_vec(),
            plans,
            plan_of,
            needed,
        }))
    }
}

/// Row access for templates over a slice of column values.
pub(crate) struct SliceRefs<'a, 'v> {
    pub(crate) refs: &'a [usize],
    pub(crate) row: &'a [Option<&'v str>],
}

impl Refs for SliceRefs<'_, '_> {
    fn get(&self, slot: usize, _name: &str) -> Option<Option<&str>> {
        self.refs.get(slot).and_then(|&p| self.row.get(p).copied())
    }
}

impl TableMasker {
    /// The table.
    pub fn table(&self) -> &QualifiedName {
        &self.table
    }

    /// The column list it was resolved against.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Masked columns: row position, name and transform, in row order.
    pub fn masked_columns(&self) -> impl Iterator<Item = (usize, &str, &Transform)> {
        self.plans
            .iter()
            .map(|p| (p.column, self.columns[p.column].as_str(), &p.transform))
    }

    /// Row positions that masking reads: the masked columns and the columns
    /// their templates refer to. A live-copy UPDATE only needs to select
    /// these.
    pub fn needed_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.needed
            .iter()
            .enumerate()
            .filter(|(_, &n)| n)
            .map(|(i, _)| i)
    }

    /// Whether nothing is masked (every column kept or unclassed in
    /// non-strict mode): the table's data can be copied as it is.
    pub fn is_identity(&self) -> bool {
        self.plans.is_empty()
    }

    /// Masks one row in place. `row` holds the values in column order
    /// (`None` for NULL). Templates see the original values, whatever order
    /// the columns are masked in. Returns how many values changed.
    ///
    /// # Errors
    ///
    /// [`MaskError::Row`] when `row` does not have one value per column,
    /// [`MaskError::Value`] when a value cannot be masked.
    pub fn mask_row(
        &self,
        row: &mut [Option<String>],
        ctx: &MaskContext,
    ) -> Result<usize, MaskError> {
        if row.len() != self.columns.len() {
            return Err(self.width_error(Position::Unknown, row.len(), "values", "table"));
        }
        let mut new_values = Vec::with_capacity(self.plans.len());
        {
            let view: Vec<Option<&str>> = row.iter().map(Option::as_deref).collect();
            let mut out = String::new();
            for (k, plan) in self.plans.iter().enumerate() {
                out.clear();
                let refs = SliceRefs {
                    refs: &plan.refs,
                    row: &view,
                };
                let outcome = self.apply(
                    k,
                    view[plan.column],
                    &refs,
                    ctx,
                    &mut out,
                    Position::Unknown,
                )?;
                match outcome {
                    Outcome::Unchanged => {}
                    Outcome::Null => new_values.push((plan.column, None)),
                    Outcome::Text => new_values.push((plan.column, Some(out.clone()))),
                }
            }
        }
        let changed = new_values.len();
        for (i, v) in new_values {
            row[i] = v;
        }
        Ok(changed)
    }

    /// Applies plan `k` to `value`, turning a failure into a located error.
    pub(crate) fn apply(
        &self,
        k: usize,
        value: Option<&str>,
        refs: &dyn Refs,
        ctx: &MaskContext,
        out: &mut String,
        at: Position,
    ) -> Result<Outcome, MaskError> {
        let plan = &self.plans[k];
        apply_value(&plan.transform, value, refs, ctx, out)
            .map_err(|reason| self.value_error(plan.column, at, reason))
    }

    /// An error about the value in row position `column`.
    /// [`MaskError::Row`] for a row of `width` fields or values (`what`) in
    /// a table of another width (`list`: what gave the columns).
    pub(crate) fn width_error(
        &self,
        at: Position,
        width: usize,
        what: &str,
        list: &str,
    ) -> MaskError {
        MaskError::Row {
            table: self.table_sql.clone(),
            at,
            reason: format!(
                "the row has {width} {what} but the {list} has {} columns",
                self.columns.len()
            ),
        }
    }

    pub(crate) fn value_error(&self, column: usize, at: Position, reason: String) -> MaskError {
        MaskError::Value {
            file: self.file.clone(),
            table: self.table_sql.clone(),
            column: quote_identifier(&self.columns[column]),
            at,
            reason,
        }
    }
}
