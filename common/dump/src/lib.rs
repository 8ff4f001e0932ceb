//! Reading pg_dump's plain (SQL script) format as a stream of events.
//!
//! A plain dump is a psql script: settings, DDL, function bodies in dollar
//! quotes, psql meta-commands (`\connect`, `\restrict`, `\unrestrict`) and
//! the data, either as `COPY ... FROM stdin;` blocks in COPY TEXT format or
//! as INSERT statements. Two jobs need to see that structure while the dump
//! streams past:
//!
//! * a backup counts rows per table ([`count_rows`]) while it writes the
//!   dump away, and notices a dump that was cut short;
//! * a masker rewrites some columns of some tables and must pass everything
//!   else through byte for byte.
//!
//! [`DumpReader`] splits the input into [`Event`]s whose bytes concatenate to
//! exactly the input. Statements are delimited the way psql delimits them
//! (quotes, dollar quotes, nested comments, parentheses, `BEGIN ATOMIC`
//! bodies), so text like `COPY x FROM stdin;` or `\.` inside a function body
//! is never taken for data. COPY rows are served zero-copy from the input
//! buffer, one event per row, or in bulk with [`DumpReader::copy_rows_to`]
//! for tables nobody rewrites. The COPY TEXT codec ([`split_copy_fields`],
//! [`decode_copy_field`], [`encode_copy_field`]) and the INSERT parser
//! ([`parse_insert_values`], [`InsertStatement::write_with`]) are what a
//! masker uses to look into and rewrite the rows it cares about.
//!
//! Statements other than COPY and INSERT that can put data into tables
//! (UPDATE, MERGE, `WITH ...`, `SELECT ... INTO`, `CREATE TABLE ... AS`,
//! DO, ...) and DDL that ties tables together (partitions, inheritance) are
//! handed out whole as [`Event::Statement`] with what [`analyse_statement`]
//! found, as are text that is not SQL and psql meta-commands pg_dump never
//! writes, so that a masker can refuse what it cannot rewrite.
//!
//! Everything fails closed: a dump that ends inside a COPY block, a string,
//! a comment or a statement, a data row the server would read differently,
//! COPY data that runs on past a lost `\.` (a row whose field count is not
//! the COPY statement's column count, a `COPY ... FROM stdin;` line inside
//! data),
//! or a construct whose data this module could not locate (COPY with
//! options, `\copy`, meta-commands inside statements) is an error, never
//! passed through. Error messages name lines and tables, never row data.

mod blocks;
mod copy;
mod count;
mod error;
mod fields;
mod insert;
mod lexer;
mod name;
mod reader;
mod scan;
mod single_txn;
mod split;
mod statement;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

#[cfg(target_arch = "x86_64")]
pub use blocks::avx2_block_masks;
pub use blocks::{block_masks, plain_block_masks};
pub use copy::{
    decode_copy_field, decode_copy_field_str, encode_copy_field, split_copy_fields,
    split_line_terminator, CopyFields,
};
pub use count::{count_rows, RowCounts};
pub use error::DumpError;
pub use fields::{split_fields, RowShape};
pub use insert::{
    parse_insert_values, parse_insert_values_with, quote_literal, InsertStatement, InsertValue,
    NewValue, SqlValue,
};
pub use name::{parse_column_list, parse_qualified_name, quote_identifier, QualifiedName};
pub use reader::{DumpReader, Event, FieldSpan, SplitRows};
pub use single_txn::{
    for_single_transaction, for_single_transaction_with, is_ownership, ScriptOptions,
    SingleTransaction,
};
pub use split::{
    foreign_key_in_two_steps, key_constraint_in_two_steps, post_data_kind, split_script, Piece,
    PostData,
};
pub use statement::{analyse_statement, LinkKind, Statement, TableLink, TableWrite};
