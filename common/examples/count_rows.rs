//! Prints the per-table row counts of a plain-format dump read from the file
//! named by the first argument (or standard input), and whether the dump is
//! complete. Handy for checking the reader against a real pg_dump.
//!
//! `cargo run --release --example count_rows -- dump.sql`

use std::fs::File;
use std::io::{self, BufRead, BufReader};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let input: Box<dyn BufRead> = match std::env::args().nth(1) {
        Some(path) => Box::new(BufReader::with_capacity(256 << 10, File::open(path)?)),
        None => Box::new(BufReader::with_capacity(256 << 10, io::stdin().lock())),
    };
    let counts = common::dump::count_rows(input, io::sink())?;
    for (table, rows) in &counts.tables {
        println!("{rows:>12}  {table}");
    }
    println!(
        "{:>12}  total rows, {} bytes, complete: {}",
        counts.total(),
        counts.bytes,
        counts.complete
    );
    Ok(())
}
