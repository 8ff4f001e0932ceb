//! Partitions and inheritance: which tables belong to which parent, and the
//! rules that therefore apply to them.
//!
//! A rule on a partitioned (or inherited) table covers every partition (or
//! child), present and future: the stream masker learns the relations from
//! the dump's DDL (`CREATE TABLE ... PARTITION OF`, `ALTER TABLE ... ATTACH
//! PARTITION`, `CREATE TABLE ... INHERITS`, `ALTER TABLE ... INHERIT`),
//! which pg_dump writes before any data, and masks a child's rows with its
//! parents' rules merged with the child's own ([`TableRules::inherit`]).

use std::collections::{BTreeMap, BTreeSet};

use super::error::{MaskError, Position};
use super::rules::{Rules, TableRules};
use dump::QualifiedName;

/// Deepest chain of parents followed; deeper (or a cycle) is an error.
const MAX_DEPTH: usize = 64;

/// What a run knows about how tables belong together.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lineage {
    /// Child -> direct parents, in the order they were declared.
    parents: BTreeMap<QualifiedName, Vec<QualifiedName>>,
    /// Tables created `PARTITION BY`: they hold no rows of their own.
    partitioned: BTreeSet<QualifiedName>,
    /// Effective rules per table, until the next relation is learned.
    cache: BTreeMap<QualifiedName, Option<TableRules>>,
}

impl Lineage {
    /// Records that `child` belongs to `parent`; false if already known.
    pub(crate) fn link(&mut self, child: &QualifiedName, parent: &QualifiedName) -> bool {
        let list = self.parents.entry(child.clone()).or_default();
        if list.contains(parent) {
            return false;
        }
        list.push(parent.clone());
        self.cache.clear();
        true
    }

    /// Records a table created as partitioned.
    pub(crate) fn partitioned(&mut self, table: &QualifiedName) {
        self.partitioned.insert(table.clone());
    }

    /// Whether `table` was created `PARTITION BY`.
    pub(crate) fn is_partitioned(&self, table: &QualifiedName) -> bool {
        self.partitioned.contains(table)
    }

    /// Child -> direct parents.
    pub(crate) fn parents(&self) -> &BTreeMap<QualifiedName, Vec<QualifiedName>> {
        &self.parents
    }

    /// Whether `table` is `ancestor` or descends from it.
    pub(crate) fn descends_from(&self, table: &QualifiedName, ancestor: &QualifiedName) -> bool {
        let mut todo = vec![(table, 0usize)];
        while let Some((t, depth)) = todo.pop() {
            if t == ancestor {
                return true;
            }
            if depth < MAX_DEPTH {
                if let Some(ps) = self.parents.get(t) {
                    todo.extend(ps.iter().map(|p| (p, depth + 1)));
                }
            }
        }
        false
    }

    /// Every table known by name `name` in some schema: rules tables and
    /// tables whose relations were learned.
    pub(crate) fn known_as<'a>(
        &'a self,
        rules: &'a Rules,
        name: &'a str,
    ) -> impl Iterator<Item = &'a QualifiedName> + 'a {
        rules
            .tables()
            .map(TableRules::name)
            .chain(self.parents.keys())
            .filter(move |t| t.schema.is_some() && t.name == name)
    }

    /// The rules that apply to `table`: its own merged with those of all
    /// its ancestors. `None` when neither it nor any ancestor has rules.
    ///
    /// # Errors
    ///
    /// [`MaskError::Rules`] when parents' rules conflict or merged rules
    /// would leak through a template, and for a cycle of relations.
    pub(crate) fn effective(
        &mut self,
        rules: &Rules,
        table: &QualifiedName,
        at: Position,
    ) -> Result<Option<&TableRules>, MaskError> {
        if !self.cache.contains_key(table) {
            let computed = self.compute(rules, table, 0, at)?;
            self.cache.insert(table.clone(), computed);
        }
        Ok(self.cache.get(table).and_then(Option::as_ref))
    }

    fn compute(
        &self,
        rules: &Rules,
        table: &QualifiedName,
        depth: usize,
        at: Position,
    ) -> Result<Option<TableRules>, MaskError> {
        let own = rules.table(table);
        let Some(parents) = self.parents.get(table) else {
            return Ok(own.cloned());
        };
        if depth > MAX_DEPTH {
            return Err(MaskError::Rules {
                file: rules.file().to_owned(),
                line: None,
                reason: format!(
                    "table {table}{at}: its partition or inheritance relations form a cycle \
                     or are nested deeper than {MAX_DEPTH} levels"
                ),
            });
        }
        let mut inherited = Vec::new();
        for p in parents {
            if let Some(r) = self.compute(rules, p, depth + 1, at)? {
                inherited.push(r);
            }
        }
        if inherited.is_empty() {
            return Ok(own.cloned());
        }
        let refs: Vec<&TableRules> = inherited.iter().collect();
        TableRules::inherit(table, own, &refs)
            .map(Some)
            .map_err(|reason| MaskError::Rules {
                file: rules.file().to_owned(),
                line: None,
                reason,
            })
    }
}
