//! Masking personal data in plain pg_dump streams and live copies.
//!
//! A rules file ([`Rules`]) says, per table, which columns are masked with
//! which [`Transform`] and which are kept. The [`Masker`] streams a plain
//! dump through [`dump::DumpReader`] and rewrites only the masked
//! values: every other byte of the output is the input's. The same
//! transforms are available one value at a time ([`apply_transform`]) and
//! one row at a time ([`TableMasker::mask_row`]) for masking a restored
//! database in place and for SQL functions.
//!
//! # Failing closed
//!
//! Masking tools that pass through what they do not understand leak: rows
//! they cannot parse go out unmasked, tables whose names differ in case are
//! skipped, a column added after the rules were written is copied as is.
//! Here every such case is an error, and a run that fails must have its
//! output discarded:
//!
//! * in strict mode (the default) every table whose data is in the dump and
//!   every column of it must be classed, masked or kept;
//! * a rule for a table or column that is not in the dump is an error (the
//!   rules are stale or misspelt, and the real table would go out as is);
//! * names are compared exactly as PostgreSQL resolves them: rules for
//!   `public.users` do not match a table created as `"Users"`;
//! * a value that cannot be decoded, a row with the wrong number of fields,
//!   text that is not JSON in a `json` rule's column, an INSERT without a
//!   column list for a table with rules, large objects (strict mode) and a
//!   truncated dump (one without pg_dump's completion trailer, unless the
//!   caller allows that explicitly) all stop the run;
//! * every statement that can carry data into a table is either rewritten
//!   value by value (COPY rows, `INSERT ... VALUES` with a column list) or
//!   refused, naming the table and line, when the table is masked (in
//!   strict mode: any table): UPDATE, MERGE, DELETE, `WITH ...`, `INSERT
//!   ... SELECT`, INSERT whose `ON CONFLICT`/`RETURNING` clause has values
//!   of its own, `SELECT ... INTO`, `CREATE TABLE ... AS`, `COPY ... FROM`
//!   a file, `ALTER TABLE ... ADD COLUMN ... DEFAULT` and `ALTER COLUMN ...
//!   TYPE ... USING` for a masked column. Statements that may write
//!   anywhere (DO, CALL, psql meta-commands such as `\i`, text that is not
//!   SQL, such as data rows outside their COPY block) are refused whenever
//!   the rules mask anything. Statements for tables kept whole pass;
//!   `pg_catalog` is never guarded;
//! * a COPY block that runs past a lost `\.` is refused (see
//!   [`dump::DumpReader`]: rows with the wrong field count, a COPY
//!   statement inside data, end of input inside data);
//! * a table name without schema that could mean a table with rules is
//!   refused rather than guessed;
//! * keyed transforms refuse to run without a secret salt; there is no
//!   built-in key.
//!
//! # Partitions and inheritance
//!
//! A rule on a partitioned or inherited table covers all its partitions and
//! children, present and future. The masker learns the relations from the
//! dump's DDL (`CREATE TABLE ... PARTITION OF`, `ALTER TABLE ... ATTACH
//! PARTITION`, `CREATE TABLE ... INHERITS`, which pg_dump writes before any
//! data) and masks a child's rows with its parents' rules, matched by
//! column name, merged with the child's own rules (which take precedence
//! column by column; two parents classing a column differently is an
//! error). A rule on a parent without data of its own is satisfied by its
//! partitions' data. What was learned is in [`MaskReport::inherits`]; for
//! dumps that do not declare it (data-only, one table of a parallel copy)
//! give it to [`Masker::with_parents`], with [`Rules::only_with_ancestors`]
//! for the rules of that one table.
//!
//! # Determinism
//!
//! Keyed outputs are HMAC-SHA256(salt, kind, value): the same value masks
//! to the same output in every table and every run with the same salt, so
//! joins and foreign keys on masked columns still match, and nobody without
//! the salt can reverse or recompute them. The salt comes from the
//! environment variable the rules name ([`Rules::salt_env`], read by the
//! caller and checked by [`Salt::from_var_value`], at least
//! [`MIN_SALT_LEN`] bytes) or is chosen at random for one run on purpose
//! ([`Salt::random`]); there is no default.
//!
//! # The rules file
//!
//! ```toml
//! salt_env = "MASK_SALT"   # where the salt is (default MASK_SALT)
//! strict = true            # every table and column must be classed (default true)
//!
//! [tables."public.users"]
//! email = { template = "user_{id}@test.example.com" }
//! phone = "fake_phone"
//! keep  = ["id", "created_at"]
//!
//! [tables.'"Billing"."Invoice Lines"']
//! '"Note"' = "scrub"
//! ```
//!
//! Table keys are schema-qualified SQL names and column keys SQL
//! identifiers, resolved like PostgreSQL does (unquoted parts fold to lower
//! case, quoted parts keep case, spaces and reserved words). A table key
//! without schema is an error that suggests `public.<name>`: guessing the
//! schema could silently miss a table. `keep = [...]` lists the kept
//! columns (a column really named `keep` is written `'"keep"'`). A column
//! classed twice, kept and masked, or masked by a template that reads a
//! masked column (its original value would leak) is an error, as are
//! unknown settings and transforms.
//!
//! Transforms, and what they do with NULL and the empty string:
//!
//! | rule | result | NULL | `''` |
//! | --- | --- | --- | --- |
//! | `"keep"` | unchanged | NULL | `''` |
//! | `"null"` | NULL | NULL | NULL |
//! | `{ set = "x" }` (string, number or boolean) | the constant | NULL, or `x` with `nulls = true` | `x` |
//! | `{ template = "user_{id}@x" }` | other columns' original values in text; `{{` `}}` are braces; placeholders are identifiers (`{"userId"}`) | NULL, or rendered with `nulls = true` | rendered |
//! | `"hash"`, `{ hash = { length = 16, template = "u_{hash}@x" } }` | keyed HMAC-SHA256 in lower-case hex, first `length` (1-64, default 64) digits | NULL | `''` |
//! | `"random_hash"`, `{ random_hash = { length = 32 } }` | random hex, new on every run | NULL, or random with `nulls = true` | `''` |
//! | `{ partial = { first = 2, last = 2, char = "*" } }` | first/last characters kept, the rest replaced one for one (all of it when the value is not longer than `first + last`); defaults 0, 0, `*` | NULL | `''` |
//! | `"fake_email"` | `anna.meyer.k3f9x2qz7m4b@example.com`, unique in practice | NULL | `''` |
//! | `"fake_name"`, `"fake_first_name"`, `"fake_last_name"` | `Anna Meyer`, `Anna`, `Meyer` | NULL | `''` |
//! | `"fake_phone"` | the original's format with keyed digits | NULL | `''` |
//! | `{ json = { "email" = "fake_email", "tokens[*]" = "random_hash" } }` | transforms at paths inside JSON text; other bytes unchanged | NULL | `''` |
//! | `"scrub"` | e-mail addresses and phone numbers inside text replaced by their `fake_email`/`fake_phone` | NULL | `''` |
//!
//! A template referring to a column that is NULL in a row is an error
//! unless the rule says what to write instead (`null_as = "..."`).
//! Inside `json`, paths are `key`, `a.b`, `list[*]`, `list[0]`, `obj.*`,
//! `"dotted.key"`; a path missing from a document is fine, text that is not
//! JSON is an error; numbers and booleans at a path are transformed as
//! their text and written back as strings, JSON `null` follows the NULL
//! rule, and objects or arrays can only be replaced whole (`null`, `set`).
//! `template` and `json` cannot be nested inside `json`.
//!
//! `fake_email` uniqueness: names (8 + 8 bits) and a 12-character base32
//! suffix (60 bits) come from one digest, so n distinct inputs collide with
//! probability about n^2 / 2^77 (1.7e-8 for 50 million). `fake_phone` and
//! the name fakes are not unique; use a template or `hash` for columns
//! under a UNIQUE constraint. `scrub` errs towards masking: any run of 7 to
//! 15 digits that is not a date, decimal or IP address counts as a phone
//! number.

mod context;
mod detect;
mod error;
mod fake;
mod json;
mod lineage;
mod masker;
mod outcome;
mod parallel;
mod rules;
mod salt;
mod scrub;
mod simd;
mod table;
mod transform;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod fuzz;

pub use context::MaskContext;
pub use detect::{column_looks_personal, value_looks_personal};
pub use error::{MaskError, Position};
pub use json::{JsonPath, JsonRules};
pub use masker::{DataMode, MaskReport, Masker, TableStats, Treatment};
pub use rules::{Rules, TableRules, DEFAULT_SALT_ENV};
pub use salt::{Salt, MIN_SALT_LEN};
pub use table::TableMasker;
pub use transform::{apply_transform, FakeKind, Template, Transform, MAX_HASH_LEN};
