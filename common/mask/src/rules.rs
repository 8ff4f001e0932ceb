//! The rules file: which columns of which tables are masked how, and which
//! are kept.
//!
//! Grammar (TOML):
//!
//! ```toml
//! salt_env = "MASK_SALT"   # variable holding the salt (default MASK_SALT)
//! strict = true            # every table and column must be classed (default true)
//!
//! [tables."public.users"]  # schema-qualified; unquoted parts fold to lower case
//! email = { template = "user_{id}@test.example.com" }
//! phone = "fake_phone"
//! '"displayName"' = "fake_name"     # quoted identifier keeps its case
//! keep  = ["id", "created_at"]
//! reviewed = ["company"]            # kept on purpose after review: lint stays quiet
//! ```
//!
//! Table and column keys are SQL identifiers resolved exactly as PostgreSQL
//! resolves them ([`dump::parse_qualified_name`]): `Users` means
//! `users`, `"Users"` means `Users`. A table key must name its schema;
//! `users` alone is refused rather than guessed, because a guess of
//! `public` would silently miss a table in another schema. The key `keep`
//! inside a table is the list of kept columns; a column that is really
//! named `keep` is written `'"keep"'`. `reviewed` lists kept columns too,
//! ones a person looked at and keeps on purpose although lint calls them
//! personal (a company name of a business account): lint does not flag them
//! and a refresh needs no `--allow-unmasked` for them.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::error::MaskError;
use super::json::{JsonPath, JsonRules};
use super::transform::{FakeKind, Template, Transform, MAX_HASH_LEN};
use dump::{parse_qualified_name, quote_identifier, QualifiedName};

/// The environment variable read for the salt when the rules name none.
pub const DEFAULT_SALT_ENV: &str = "MASK_SALT";

/// The parsed rules file.
#[derive(Debug, Clone)]
pub struct Rules {
    file: String,
    salt_env: String,
    strict: bool,
    tables: BTreeMap<QualifiedName, TableRules>,
}

/// The rules of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRules {
    name: QualifiedName,
    masked: BTreeMap<String, Transform>,
    keep: BTreeSet<String>,
    /// Kept columns a person reviewed and kept on purpose (`reviewed = [...]`): lint does not
    /// call them personal.
    reviewed: BTreeSet<String>,
}

/// Returned for kept columns by [`TableRules::transform`].
static KEEP: Transform = Transform::Keep;

impl TableRules {
    /// The table.
    pub fn name(&self) -> &QualifiedName {
        &self.name
    }

    /// Masked columns and their transforms, by column name.
    pub fn masked(&self) -> impl Iterator<Item = (&str, &Transform)> {
        self.masked.iter().map(|(c, t)| (c.as_str(), t))
    }

    /// Kept columns.
    pub fn kept(&self) -> impl Iterator<Item = &str> {
        self.keep.iter().map(String::as_str)
    }

    /// Whether a column is kept on purpose after review (listed under `reviewed`): lint's
    /// "looks personal" finding is waived for it.
    pub fn is_reviewed(&self, column: &str) -> bool {
        self.reviewed.contains(column)
    }

    /// How a column is classed: its transform, [`Transform::Keep`] for a
    /// kept column, `None` when the rules do not mention it.
    pub fn transform(&self, column: &str) -> Option<&Transform> {
        if self.keep.contains(column) {
            Some(&KEEP)
        } else {
            self.masked.get(column)
        }
    }

    /// Every column the rules mention, masked or kept.
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.masked
            .keys()
            .chain(self.keep.iter())
            .map(String::as_str)
    }
}

impl TableRules {
    /// The rules of a partition or child table: what its parents' rules
    /// (already merged with their own ancestors') say about each column,
    /// with the table's own rules, if any, taking precedence column by
    /// column. Partitions have exactly their parent's columns and
    /// inheriting tables all of their parents' columns, so rules written for
    /// the parent match the child by column name, whatever the column order.
    ///
    /// # Errors
    ///
    /// A reason naming the columns when two parents class a column
    /// differently (and the table has no rule of its own for it), or when
    /// the merged rules would let a template read a masked column.
    pub(crate) fn inherit(
        name: &QualifiedName,
        own: Option<&TableRules>,
        parents: &[&TableRules],
    ) -> Result<TableRules, String> {
        let mut merged = TableRules {
            name: name.clone(),
            masked: BTreeMap::new(),
            keep: BTreeSet::new(),
            reviewed: BTreeSet::new(),
        };
        let mut from: BTreeMap<String, &QualifiedName> = BTreeMap::new();
        let is_own = |c: &str| own.is_some_and(|o| o.transform(c).is_some());
        for parent in parents {
            for (col, t) in parent.masked().chain(parent.kept().map(|c| (c, &KEEP))) {
                if is_own(col) {
                    continue;
                }
                if let Some(first) = from.get(col) {
                    if merged.transform(col) != Some(t) {
                        return Err(format!(
                            "table {name} inherits column {} from {first} and {} with different \
                             rules; give [tables.'{name}'] its own rule for it",
                            quote_identifier(col),
                            parent.name
                        ));
                    }
                    continue;
                }
                from.insert(col.to_owned(), &parent.name);
                match t {
                    Transform::Keep => merged.keep.insert(col.to_owned()),
                    t => merged.masked.insert(col.to_owned(), t.clone()).is_none(),
                };
            }
        }
        if let Some(own) = own {
            for (col, t) in own.masked() {
                merged.masked.insert(col.to_owned(), t.clone());
            }
            for col in own.kept() {
                merged.keep.insert(col.to_owned());
            }
        }
        for r in parents.iter().copied().chain(own) {
            for col in &r.reviewed {
                if merged.keep.contains(col) {
                    merged.reviewed.insert(col.clone());
                }
            }
        }
        for (col, t) in &merged.masked {
            for r in t.referenced_columns() {
                if merged.masked.contains_key(r) {
                    return Err(format!(
                        "table {name}: with the rules it inherits, the template of column {} \
                         reads the masked column {}, whose original value would leak",
                        quote_identifier(col),
                        quote_identifier(r)
                    ));
                }
            }
        }
        Ok(merged)
    }

    /// Whether any column is masked.
    pub fn masks_anything(&self) -> bool {
        !self.masked.is_empty()
    }
}

impl Rules {
    /// Parses rules from text; `file` names the source in messages.
    ///
    /// # Errors
    ///
    /// [`MaskError::Rules`] with the line and a reason naming the table and
    /// column concerned.
    pub fn parse(text: &str, file: &str) -> Result<Rules, MaskError> {
        let fail = |span: Option<Range<usize>>, reason: String| MaskError::Rules {
            file: file.to_owned(),
            line: span.map(|s| line_of(text, s.start)),
            reason,
        };
        let doc = DeTable::parse(text).map_err(|e| fail(e.span(), e.message().to_owned()))?;
        parse_document(doc.get_ref())
            .map_err(|(span, reason)| fail(span, reason))?
            .finish(file)
    }

    /// Name of the rules file, for messages.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The environment variable holding the salt.
    pub fn salt_env(&self) -> &str {
        &self.salt_env
    }

    /// Whether every table and column in a dump must be classed.
    pub fn strict(&self) -> bool {
        self.strict
    }

    /// The rules of every table, ordered by name.
    pub fn tables(&self) -> impl Iterator<Item = &TableRules> {
        self.tables.values()
    }

    /// The rules of one table, matched by resolved name (`public.users`
    /// never matches a table created as `"Users"`).
    pub fn table(&self, name: &QualifiedName) -> Option<&TableRules> {
        self.tables.get(name)
    }

    /// The same rules restricted to one table, for masking a dump that holds
    /// only that table's data (parallel copies dump table by table). Strictness
    /// and salt are kept, so the one-table dump is held to the same checks.
    pub fn only(&self, name: &QualifiedName) -> Rules {
        Rules {
            file: self.file.clone(),
            salt_env: self.salt_env.clone(),
            strict: self.strict,
            tables: self
                .tables
                .iter()
                .filter(|(k, _)| *k == name)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// Whether the rules mask anything at all, or strict mode is on: then
    /// nothing the masker cannot see into may pass.
    pub(crate) fn guards_anything(&self) -> bool {
        self.strict || self.tables.values().any(TableRules::masks_anything)
    }

    /// Like [`Rules::only`], keeping also the rules of `name`'s ancestors
    /// under `relations` (child, parent pairs, as in
    /// [`crate::MaskReport::inherits`] or `pg_inherits`): what masking one
    /// partition's data needs, together with [`crate::Masker::with_parents`]
    /// given the same relations.
    pub fn only_with_ancestors(
        &self,
        name: &QualifiedName,
        relations: &[(QualifiedName, QualifiedName)],
    ) -> Rules {
        let mut keep: BTreeSet<&QualifiedName> = BTreeSet::from([name]);
        let mut todo = vec![name];
        while let Some(t) = todo.pop() {
            for (child, parent) in relations {
                if child == t && keep.insert(parent) {
                    todo.push(parent);
                }
            }
        }
        Rules {
            file: self.file.clone(),
            salt_env: self.salt_env.clone(),
            strict: self.strict,
            tables: self
                .tables
                .iter()
                .filter(|(k, _)| keep.contains(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// Whether any transform needs the secret salt.
    pub fn needs_salt(&self) -> bool {
        self.first_keyed_column().is_some()
    }

    /// `table.column` of the first column whose transform needs the salt.
    pub(crate) fn first_keyed_column(&self) -> Option<String> {
        self.tables.values().find_map(|t| {
            t.masked
                .iter()
                .find(|(_, tr)| tr.needs_salt())
                .map(|(c, _)| format!("{}.{}", t.name, quote_identifier(c)))
        })
    }
}

type Fail = (Option<Range<usize>>, String);

/// What the document says, before the checks that span tables.
struct Parsed {
    salt_env: Option<String>,
    strict: Option<bool>,
    tables: BTreeMap<QualifiedName, TableRules>,
}

impl Parsed {
    fn finish(self, file: &str) -> Result<Rules, MaskError> {
        Ok(Rules {
            file: file.to_owned(),
            salt_env: self.salt_env.unwrap_or_else(|| DEFAULT_SALT_ENV.to_owned()),
            strict: self.strict.unwrap_or(true),
            tables: self.tables,
        })
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count()
}

fn parse_document(doc: &DeTable<'_>) -> Result<Parsed, Fail> {
    let mut parsed = Parsed {
        salt_env: None,
        strict: None,
        tables: BTreeMap::new(),
    };
    for (key, value) in doc.iter() {
        let span = Some(key.span());
        match key.get_ref().as_ref() {
            "salt_env" => match value.get_ref() {
                DeValue::String(s) if !s.trim().is_empty() && !s.contains('=') => {
                    parsed.salt_env = Some(s.to_string());
                }
                _ => return Err((span, "salt_env must be the name of an environment variable".into())),
            },
            "strict" => match value.get_ref() {
                DeValue::Boolean(b) => parsed.strict = Some(*b),
                _ => return Err((span, "strict must be true or false".into())),
            },
            "tables" => match value.get_ref() {
                DeValue::Table(t) => parsed.tables = parse_tables(t)?,
                _ => return Err((span, "tables must be a table of [tables.\"schema.table\"] sections".into())),
            },
            other => {
                return Err((
                    span,
                    format!("unknown setting {other:?} (known: salt_env, strict, [tables.\"schema.table\"])"),
                ))
            }
        }
    }
    Ok(parsed)
}

fn parse_tables(tables: &DeTable<'_>) -> Result<BTreeMap<QualifiedName, TableRules>, Fail> {
    let mut out: BTreeMap<QualifiedName, TableRules> = BTreeMap::new();
    let mut spelled: BTreeMap<QualifiedName, String> = BTreeMap::new();
    for (key, value) in tables.iter() {
        let span = Some(key.span());
        let key_text: &str = key.get_ref();
        let name = parse_qualified_name(key_text).map_err(|e| {
            (
                span.clone(),
                format!("table key {key_text:?} is not a table name: {e}"),
            )
        })?;
        if name.schema.is_none() {
            return Err((
                span,
                format!(
                    "table key {key_text:?} must name its schema, e.g. \"public.{}\" (quoted \
                     parts keep their case: '\"public\".\"Users\"')",
                    name.name
                ),
            ));
        }
        if let Some(first) = spelled.get(&name) {
            return Err((
                span,
                format!("table keys {first:?} and {key_text:?} both mean table {name}"),
            ));
        }
        let DeValue::Table(columns) = value.get_ref() else {
            return Err((
                span,
                format!("table {name}: expected a table of column rules"),
            ));
        };
        let rules = parse_table(&name, columns)?;
        spelled.insert(name.clone(), key_text.to_owned());
        out.insert(name, rules);
    }
    Ok(out)
}

fn parse_column_key(
    table: &QualifiedName,
    text: &str,
    span: &Range<usize>,
) -> Result<String, Fail> {
    let bad = |why: String| (Some(span.clone()), format!("table {table}: {why}"));
    let name = parse_qualified_name(text)
        .map_err(|e| bad(format!("{text:?} is not a column name: {e}")))?;
    if name.schema.is_some() {
        return Err(bad(format!(
            "{text:?} is not a single column name (to name a table, quote the whole key: \
             [tables.\"schema.table\"])"
        )));
    }
    Ok(name.name)
}

fn parse_table(table: &QualifiedName, columns: &DeTable<'_>) -> Result<TableRules, Fail> {
    let mut rules = TableRules {
        name: table.clone(),
        masked: BTreeMap::new(),
        keep: BTreeSet::new(),
        reviewed: BTreeSet::new(),
    };
    let mut spans: BTreeMap<String, Range<usize>> = BTreeMap::new();
    let mut class = |col: String, span: Range<usize>, t: Transform, rules: &mut TableRules| {
        if spans.contains_key(&col) {
            return Err((
                Some(span),
                format!(
                    "table {table}: column {} is classed twice (kept and masked, or listed \
                     twice)",
                    quote_identifier(&col)
                ),
            ));
        }
        spans.insert(col.clone(), span);
        match t {
            Transform::Keep => rules.keep.insert(col),
            t => rules.masked.insert(col, t).is_none(),
        };
        Ok(())
    };
    for (key, value) in columns.iter() {
        let key_text: &str = key.get_ref();
        if key_text == "keep" || key_text == "reviewed" {
            let DeValue::Array(items) = value.get_ref() else {
                return Err((
                    Some(key.span()),
                    format!(
                        "table {table}: {key_text} must be a list of column names (a column named \
                         {key_text} is written '\"{key_text}\"')"
                    ),
                ));
            };
            for item in items.iter() {
                let DeValue::String(s) = item.get_ref() else {
                    return Err((
                        Some(item.span()),
                        format!("table {table}: {key_text} must list column names as strings"),
                    ));
                };
                let col = parse_column_key(table, s, &item.span())?;
                if key_text == "reviewed" {
                    rules.reviewed.insert(col.clone());
                }
                class(col, item.span(), Transform::Keep, &mut rules)?;
            }
            continue;
        }
        let col = parse_column_key(table, key_text, &key.span())?;
        let at = |why: String| {
            (
                Some(key.span()),
                format!("table {table}, column {}: {why}", quote_identifier(&col)),
            )
        };
        let t = parse_transform(value, false).map_err(|(_, why)| at(why))?;
        class(col, key.span(), t, &mut rules)?;
    }
    // A template must not copy an original value into the output.
    for (col, t) in &rules.masked {
        for r in t.referenced_columns() {
            let why = if r == col {
                Some("refers to its own column, whose original value would be written back")
            } else if rules.masked.contains_key(r) {
                Some("refers to a masked column, whose original value would leak into this one")
            } else {
                None
            };
            if let Some(why) = why {
                return Err((
                    spans.get(col).cloned(),
                    format!(
                        "table {table}, column {}: the template {} {why}: {}",
                        quote_identifier(col),
                        quote_identifier(r),
                        "reference kept columns only"
                    ),
                ));
            }
        }
    }
    Ok(rules)
}

const SHORTHANDS: &str = "keep, null, hash, random_hash, fake_email, fake_name, \
                          fake_first_name, fake_last_name, fake_phone, scrub";
const KINDS: [&str; 6] = ["template", "set", "hash", "random_hash", "partial", "json"];

/// One column's (or JSON path's) transform.
fn parse_transform(value: &Spanned<DeValue<'_>>, nested: bool) -> Result<Transform, Fail> {
    let span = Some(value.span());
    let err = |why: String| (span.clone(), why);
    let t = match value.get_ref() {
        DeValue::String(s) => match s.as_ref() {
            "keep" => Transform::Keep,
            "null" => Transform::Null,
            "hash" => Transform::Hash {
                length: MAX_HASH_LEN,
                template: None,
            },
            "random_hash" => Transform::RandomHash {
                length: MAX_HASH_LEN,
                nulls: false,
            },
            "fake_email" => Transform::Fake(FakeKind::Email),
            "fake_name" => Transform::Fake(FakeKind::Name),
            "fake_first_name" => Transform::Fake(FakeKind::FirstName),
            "fake_last_name" => Transform::Fake(FakeKind::LastName),
            "fake_phone" => Transform::Fake(FakeKind::Phone),
            "scrub" => Transform::Scrub,
            k @ ("template" | "set" | "partial" | "json") => {
                return Err(err(format!(
                    "{k} needs its settings in table form, e.g. {}",
                    example(k)
                )))
            }
            other => {
                return Err(err(format!(
                    "unknown transform {other:?} (known: {SHORTHANDS}, or the table forms \
                     {{ template = ... }}, {{ set = ... }}, {{ hash = {{ ... }} }}, \
                     {{ random_hash = {{ ... }} }}, {{ partial = {{ ... }} }}, {{ json = {{ ... }} }})"
                )))
            }
        },
        DeValue::Table(t) => parse_table_form(t, &err)?,
        _ => {
            return Err(err(
                "a transform is a string such as \"fake_email\" or a table such as { template = \"...\" }"
                    .into(),
            ))
        }
    };
    if nested && matches!(t, Transform::Template { .. } | Transform::Json(_)) {
        return Err(err(format!(
            "{} is not supported inside json rules",
            t.kind_name()
        )));
    }
    Ok(t)
}

fn example(kind: &str) -> &'static str {
    match kind {
        "template" => "{ template = \"user_{id}@test.example.com\" }",
        "set" => "{ set = \"constant\" }",
        "partial" => "{ partial = { first = 2, last = 2, char = \"*\" } }",
        _ => "{ json = { \"profile.email\" = \"fake_email\" } }",
    }
}

fn parse_table_form(t: &DeTable<'_>, err: &dyn Fn(String) -> Fail) -> Result<Transform, Fail> {
    let kinds: Vec<&str> = t
        .iter()
        .map(|(k, _)| -> &str { k.get_ref() })
        .filter(|k| KINDS.contains(k))
        .collect();
    let [kind] = kinds.as_slice() else {
        return Err(err(format!(
            "a table-form transform needs exactly one of {} (found {})",
            KINDS.join(", "),
            if kinds.is_empty() {
                "none".to_owned()
            } else {
                kinds.join(", ")
            }
        )));
    };
    let kind = *kind;
    let allowed: &[&str] = match kind {
        "template" => &["nulls", "null_as"],
        "set" | "random_hash" => &["nulls"],
        _ => &[],
    };
    let mut nulls = false;
    let mut null_as = None;
    for (k, v) in t.iter() {
        let k: &str = k.get_ref();
        if k == kind {
            continue;
        }
        if !allowed.contains(&k) {
            return Err(err(format!(
                "{kind} does not take the setting {k:?}{}",
                if allowed.is_empty() {
                    String::new()
                } else {
                    format!(" (it takes: {})", allowed.join(", "))
                }
            )));
        }
        match (k, v.get_ref()) {
            ("nulls", DeValue::Boolean(b)) => nulls = *b,
            ("null_as", DeValue::String(s)) => {
                if s.contains('\0') {
                    return Err(err("null_as must not contain NUL characters".into()));
                }
                null_as = Some(s.to_string());
            }
            _ => return Err(err(format!("{k} has the wrong type"))),
        }
    }
    let body = t.get(kind).map(Spanned::get_ref);
    let transform = match (kind, body) {
        ("template", Some(DeValue::String(s))) => {
            let template = Template::parse(s).map_err(err)?;
            if template.has_nul() {
                return Err(err("the template must not contain NUL characters".into()));
            }
            Transform::Template {
                template,
                nulls,
                null_as,
            }
        }
        ("set", Some(v)) => {
            let value = match v {
                DeValue::String(s) => s.to_string(),
                DeValue::Integer(i) => scalar_text(i.as_str(), i.radix())
                    .ok_or_else(|| err("set: integer out of range".into()))?,
                DeValue::Float(f) => f.as_str().to_owned(),
                DeValue::Boolean(b) => b.to_string(),
                _ => return Err(err("set takes a string, number or boolean".into())),
            };
            if value.contains('\0') {
                return Err(err("set must not contain NUL characters".into()));
            }
            Transform::Set { value, nulls }
        }
        ("hash", Some(DeValue::Table(o))) => {
            let mut length = MAX_HASH_LEN;
            let mut template = None;
            for (k, v) in o.iter() {
                match (k.get_ref().as_ref(), v.get_ref()) {
                    ("length", DeValue::Integer(i)) => length = hash_length(i, err)?,
                    ("template", DeValue::String(s)) => {
                        let tpl = Template::parse(s).map_err(err)?;
                        if tpl.placeholder_count() == 0 || tpl.columns().any(|c| c != "hash") {
                            return Err(err(
                                "a hash template uses {hash} for the digest and no other \
                                 placeholder, e.g. \"user_{hash}@example.com\""
                                    .into(),
                            ));
                        }
                        if tpl.has_nul() {
                            return Err(err("the template must not contain NUL characters".into()));
                        }
                        template = Some(tpl);
                    }
                    (k, _) => {
                        return Err(err(format!(
                            "hash takes length (1 to {MAX_HASH_LEN}) and template, not {k:?}"
                        )))
                    }
                }
            }
            Transform::Hash { length, template }
        }
        ("random_hash", Some(DeValue::Table(o))) => {
            let mut length = MAX_HASH_LEN;
            for (k, v) in o.iter() {
                match (k.get_ref().as_ref(), v.get_ref()) {
                    ("length", DeValue::Integer(i)) => length = hash_length(i, err)?,
                    (k, _) => {
                        return Err(err(format!(
                            "random_hash takes length (1 to {MAX_HASH_LEN}), not {k:?}"
                        )))
                    }
                }
            }
            Transform::RandomHash { length, nulls }
        }
        ("partial", Some(DeValue::Table(o))) => {
            let mut first = 0;
            let mut last = 0;
            let mut fill = '*';
            for (k, v) in o.iter() {
                match (k.get_ref().as_ref(), v.get_ref()) {
                    ("first", DeValue::Integer(i)) => first = count(i, err)?,
                    ("last", DeValue::Integer(i)) => last = count(i, err)?,
                    ("char", DeValue::String(s)) => {
                        let mut chars = s.chars();
                        match (chars.next(), chars.next()) {
                            (Some(c), None) if c != '\0' => fill = c,
                            _ => return Err(err("partial: char must be one character".into())),
                        }
                    }
                    (k, _) => {
                        return Err(err(format!(
                            "partial takes first, last (numbers) and char (one character), \
                             not {k:?}"
                        )))
                    }
                }
            }
            Transform::Partial { first, last, fill }
        }
        ("json", Some(DeValue::Table(o))) => {
            let mut paths = Vec::new();
            for (k, v) in o.iter() {
                let path = JsonPath::parse(k.get_ref()).map_err(err)?;
                let t = parse_transform(v, true)
                    .map_err(|(_, why)| err(format!("json path {path}: {why}")))?;
                paths.push((path, t));
            }
            if paths.is_empty() {
                return Err(err(
                    "json needs at least one path, e.g. { json = { \"email\" = \"fake_email\" } }"
                        .into(),
                ));
            }
            Transform::Json(JsonRules { paths })
        }
        (kind, _) => {
            return Err(err(format!(
                "{kind} has the wrong type, e.g. {}",
                match kind {
                    "hash" => "{ hash = { length = 16 } }",
                    "random_hash" => "{ random_hash = { length = 32 } }",
                    k => example(k),
                }
            )))
        }
    };
    Ok(transform)
}

fn scalar_text(digits: &str, radix: u32) -> Option<String> {
    i64::from_str_radix(digits, radix)
        .ok()
        .map(|n| n.to_string())
}

fn count(i: &toml::de::DeInteger<'_>, err: &dyn Fn(String) -> Fail) -> Result<usize, Fail> {
    u32::from_str_radix(i.as_str(), i.radix())
        .map(|n| n as usize)
        .map_err(|_| err("expected a count of characters (0 or more)".into()))
}

fn hash_length(i: &toml::de::DeInteger<'_>, err: &dyn Fn(String) -> Fail) -> Result<usize, Fail> {
    match usize::from_str_radix(i.as_str(), i.radix()) {
        Ok(n) if (1..=MAX_HASH_LEN).contains(&n) => Ok(n),
        _ => Err(err(format!(
            "length must be 1 to {MAX_HASH_LEN} hex digits"
        ))),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Rules, MaskError> {
        Rules::parse(text, "test.toml")
    }

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn parses_the_documented_forms() {
        let r = parse(
            r##"
salt_env = "MY_SALT"
strict = false

[tables."public.users"]
email = { template = "user_{id}@test.example.com" }
Name = { template = "Test User {id}", nulls = true, null_as = "?" }
phone = "fake_phone"
token = "random_hash"
h1 = "hash"
h2 = { hash = { length = 16 } }
h3 = { hash = { template = "user_{hash}@example.com", length = 12 } }
r2 = { random_hash = { length = 32 }, nulls = true }
c = { set = "x", nulls = true }
n = { set = 0 }
gone = "null"
p = { partial = { first = 2, last = 2, char = "#" } }
j = { json = { "email" = "fake_email", "profile.phone" = "fake_phone", "tokens[*]" = "random_hash" } }
note = "scrub"
k2 = "keep"
keep = ["id", "created_at"]

[tables.'"Billing"."Invoice Lines"']
'"Note"' = "scrub"
'"keep"' = "null"
"##,
        )
        .unwrap();
        assert_eq!(r.salt_env(), "MY_SALT");
        assert!(!r.strict());
        assert!(r.needs_salt());
        let users = r
            .table(&QualifiedName::new(Some("public"), "users"))
            .unwrap();
        assert_eq!(
            users.kept().collect::<Vec<_>>(),
            vec!["created_at", "id", "k2"]
        );
        assert_eq!(users.transform("name").unwrap().kind_name(), "template");
        assert_eq!(
            users.transform("n"),
            Some(&Transform::Set {
                value: "0".into(),
                nulls: false
            })
        );
        assert_eq!(users.transform("id"), Some(&Transform::Keep));
        assert_eq!(users.transform("nope"), None);
        assert_eq!(
            users.transform("h3"),
            Some(&Transform::Hash {
                length: 12,
                template: Some(Template::parse("user_{hash}@example.com").unwrap())
            })
        );
        let billing = r
            .table(&QualifiedName::new(Some("Billing"), "Invoice Lines"))
            .unwrap();
        assert_eq!(billing.transform("Note"), Some(&Transform::Scrub));
        assert_eq!(billing.transform("keep"), Some(&Transform::Null));
        assert!(r
            .table(&QualifiedName::new(Some("billing"), "invoice lines"))
            .is_none());
    }

    #[test]
    fn defaults() {
        let r = parse("[tables.\"public.t\"]\nkeep = [\"a\"]\n").unwrap();
        assert!(r.strict());
        assert_eq!(r.salt_env(), DEFAULT_SALT_ENV);
        assert!(!r.needs_salt());
    }

    #[test]
    fn rejects_mistakes_with_line_and_names() {
        let e = err("[tables.users]\nkeep = [\"id\"]\n");
        assert!(e.contains("public.users") && e.contains("line 1"), "{e}");
        let e = err("[tables.\"public.users\"]\nemail = \"fake_mail\"\n");
        assert!(
            e.contains("line 2") && e.contains("public.users") && e.contains("email"),
            "{e}"
        );
        let e = err("[tables.\"public.users\"]\nemail = \"null\"\nkeep = [\"email\"]\n");
        assert!(e.contains("classed twice"), "{e}");
        let e = err("[tables.\"public.users\"]\nemail = \"null\"\n'\"email\"' = \"hash\"\n");
        assert!(e.contains("classed twice"), "{e}");
        let e = err("[tables.\"public.users\"]\nkeep = [\"id\", \"ID\"]\n");
        assert!(e.contains("classed twice"), "{e}");
        let e = err("[tables.\"public.users\"]\n[tables.'public.\"users\"']\n");
        assert!(e.contains("both mean"), "{e}");
        let e = err("stric = true\n");
        assert!(e.contains("unknown setting"), "{e}");
        let e = err("[tables.\"public.t\"]\na = { template = \"x_{b}\" }\nb = \"hash\"\n");
        assert!(e.contains("leak"), "{e}");
        let e = err("[tables.\"public.t\"]\na = { template = \"x_{a}\" }\n");
        assert!(e.contains("own column"), "{e}");
        let e = err("[tables.\"public.t\"]\na = { hash = { template = \"x_{id}\" } }\n");
        assert!(e.contains("{hash}"), "{e}");
        let e = err("[tables.\"public.t\"]\na = { hash = { length = 65 } }\n");
        assert!(e.contains("length"), "{e}");
        let e = err("[tables.\"public.t\"]\na = { set = \"x\", length = 3 }\n");
        assert!(e.contains("does not take"), "{e}");
        let e = err("[tables.\"public.t\"]\na = { set = \"x\", template = \"y\" }\n");
        assert!(e.contains("exactly one"), "{e}");
        let e = err("[tables.\"public.t\"]\na = { json = { \"x\" = { template = \"{id}\" } } }\n");
        assert!(e.contains("not supported inside json"), "{e}");
        let e = err("[tables.\"public.t\"]\na = { partial = { char = \"ab\" } }\n");
        assert!(e.contains("one character"), "{e}");
        let e = err("[tables.\"public.t\"]\nkeep = \"a\"\n");
        assert!(e.contains("list"), "{e}");
        let e = err("[tables.public.t]\nkeep = [\"a\"]\n");
        assert!(e.contains("public"), "{e}");
        let e = err("[tables.\"public.t\"]\na = \"partial\"\n");
        assert!(e.contains("table form"), "{e}");
        let e = err("not toml at all [");
        assert!(e.contains("test.toml"), "{e}");
    }
}
