//! Throughput check for the dump reader.
//!
//! Generates a plain-format dump of about 300 MB (override with the first
//! argument, in MB), then measures a plain `io::copy` (the floor: bytes
//! moved, nothing looked at) against `count_rows` into `io::sink()`,
//! both from memory and from a file through a 256 KiB `BufReader`, plus an
//! `--inserts`-style dump for comparison.
//!
//! Run with `cargo run --release --example throughput [MB]`.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::time::Instant;

use common::dump::{count_rows, DumpReader};

fn generate_copy_dump(target: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(target + (1 << 20));
    out.extend_from_slice(
        b"--\n-- PostgreSQL database dump\n--\n\n\\restrict k\n\nSET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\n\
CREATE FUNCTION public.f() RETURNS text LANGUAGE plpgsql AS $$\nBEGIN RETURN 'COPY x FROM stdin;'; END;\n$$;\n\n",
    );
    let mut table = 0;
    while out.len() < target {
        table += 1;
        out.extend_from_slice(
            format!("--\n-- Data for Name: t{table}\n--\n\nCOPY public.t{table} (id, email, \"Name\", note, created, score, active) FROM stdin;\n")
                .as_bytes(),
        );
        // About 50 MB per table.
        let end = (out.len() + 50_000_000).min(target);
        let mut id: u64 = 0;
        while out.len() < end {
            id += 1;
            let _ = writeln!(
                out,
                "{id}\tuser{id}@example.com\tUser Number {id}\tsome note with a tab\\there and \\\\ backslash\t2024-01-{:02} 12:34:56+00\t{}.{}\t{}",
                id % 28 + 1,
                id % 1000,
                id % 97,
                if id.is_multiple_of(2) { 't' } else { 'f' }
            );
        }
        out.extend_from_slice(b"\\.\n\n\n");
    }
    out.extend_from_slice(b"--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict k\n\n");
    out
}

/// A link table: two integer columns, rows of about 16 bytes, the worst
/// case for per-row overhead.
fn generate_narrow_dump(target: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(target + 1024);
    out.extend_from_slice(b"COPY public.links (a, b) FROM stdin;\n");
    let mut id: u64 = 1_000_000;
    while out.len() < target {
        id += 1;
        let _ = writeln!(out, "{id}\t{}", id * 7 % 1_000_003);
    }
    out.extend_from_slice(b"\\.\n");
    out
}

fn generate_insert_dump(target: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(target + (1 << 20));
    out.extend_from_slice(b"SET standard_conforming_strings = on;\n\n");
    let mut id: u64 = 0;
    while out.len() < target {
        id += 1;
        let _ = writeln!(
            out,
            "INSERT INTO public.users (id, email, \"Name\", note, active) VALUES ({id}, 'user{id}@example.com', 'O''Brien {id}', NULL, true);"
        );
    }
    out.extend_from_slice(b"\n--\n-- PostgreSQL database dump complete\n--\n");
    out
}

/// A reader with nothing but `Read`, so `io::copy` takes its generic path.
struct PlainRead<'a>(&'a [u8]);

impl Read for PlainRead<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

/// `io::sink()` whose input the optimiser cannot prove unused: without it,
/// copying from memory into `io::sink()` compiles to nothing.
struct Opaque;

impl Write for Opaque {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        std::hint::black_box(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// One event per row, as a masker sees tables it rewrites: every event's
/// bytes written to `out`.
fn pass_events<R: io::BufRead>(input: R, out: &mut impl Write) -> io::Result<()> {
    let mut reader = DumpReader::new(input);
    while let Some(ev) = reader.next_event().map_err(io::Error::other)? {
        out.write_all(ev.bytes())?;
    }
    Ok(())
}

fn mb_per_s(bytes: usize, secs: f64) -> f64 {
    bytes as f64 / 1e6 / secs
}

/// Runs `f` three times and reports the best time.
fn best<F: FnMut() -> io::Result<()>>(label: &str, bytes: usize, mut f: F) -> io::Result<f64> {
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let start = Instant::now();
        f()?;
        best = best.min(start.elapsed().as_secs_f64());
    }
    let rate = mb_per_s(bytes, best);
    println!("{label:<48} {:>8.0} MB/s  ({best:.3} s)", rate);
    Ok(rate)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mb: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(300);
    let data = generate_copy_dump(mb * 1_000_000);
    let rows = count_rows(&data[..], io::sink())?;
    println!(
        "COPY dump: {} MB, {} tables, {} rows, complete: {}",
        data.len() / 1_000_000,
        rows.tables.len(),
        rows.total(),
        rows.complete
    );

    best("io::copy, memory -> sink", data.len(), || {
        io::copy(&mut PlainRead(&data[..]), &mut Opaque).map(|_| ())
    })?;
    best("count_rows, memory -> sink", data.len(), || {
        count_rows(&data[..], io::sink())
            .map(|_| ())
            .map_err(io::Error::other)
    })?;
    best(
        "events per row, memory (64 KiB BufReader) -> sink",
        data.len(),
        || {
            pass_events(
                BufReader::with_capacity(64 << 10, &data[..]),
                &mut io::sink(),
            )
        },
    )?;
    best(
        "count_rows, memory (64 KiB BufReader) -> sink",
        data.len(),
        || {
            count_rows(BufReader::with_capacity(64 << 10, &data[..]), io::sink())
                .map(|_| ())
                .map_err(io::Error::other)
        },
    )?;

    let path = std::env::temp_dir().join(format!("dump-throughput-{}.sql", std::process::id()));
    std::fs::write(&path, &data)?;
    let file_result = (|| -> io::Result<()> {
        best("io::copy, file -> sink", data.len(), || {
            io::copy(&mut File::open(&path)?, &mut Opaque).map(|_| ())
        })?;
        best(
            "count_rows, file (256 KiB BufReader) -> sink",
            data.len(),
            || {
                let input = BufReader::with_capacity(256 << 10, File::open(&path)?);
                count_rows(input, io::sink())
                    .map(|_| ())
                    .map_err(io::Error::other)
            },
        )?;
        Ok(())
    })();
    std::fs::remove_file(&path)?;
    file_result?;
    drop(data);

    let narrow = generate_narrow_dump(mb * 1_000_000 / 3);
    let rows = count_rows(&narrow[..], io::sink())?;
    println!(
        "narrow COPY dump: {} MB, {} rows",
        narrow.len() / 1_000_000,
        rows.total()
    );
    best(
        "io::copy, narrow rows, memory -> sink",
        narrow.len(),
        || io::copy(&mut PlainRead(&narrow[..]), &mut Opaque).map(|_| ()),
    )?;
    best(
        "events per row, narrow rows, memory -> sink",
        narrow.len(),
        || pass_events(&narrow[..], &mut io::sink()),
    )?;
    best(
        "count_rows, narrow rows, memory -> sink",
        narrow.len(),
        || {
            count_rows(&narrow[..], io::sink())
                .map(|_| ())
                .map_err(io::Error::other)
        },
    )?;
    drop(narrow);

    let inserts = generate_insert_dump(mb * 1_000_000 / 3);
    let rows = count_rows(&inserts[..], io::sink())?;
    println!(
        "INSERT dump: {} MB, {} rows",
        inserts.len() / 1_000_000,
        rows.total()
    );
    best(
        "count_rows, --inserts dump, memory -> sink",
        inserts.len(),
        || {
            count_rows(&inserts[..], io::sink())
                .map(|_| ())
                .map_err(io::Error::other)
        },
    )?;
    Ok(())
}
