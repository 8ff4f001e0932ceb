//! Throughput of the stream masker on a generated, realistic dump, single
//! core, in memory (no disk, no pipe): `cargo bench -p mask --bench mask`.
//!
//! The dump has users (names, e-mail addresses, phone numbers, a free-text
//! bio), support tickets (subject, free-text body and a JSON `meta`, all
//! scrubbed), orders (a JSON payload masked at paths) and a large kept
//! events table. About 40% of its bytes are in the scrubbed free-text and
//! JSON columns. In free text, one word in 200 is an e-mail address and one
//! a phone number (`MASK_BENCH_PII=dense`: one in 40 each); the JSON
//! columns hold an address and a phone number in every row. Workloads:
//!
//! * `scrub`: strict rules, the free-text and JSON columns scrubbed;
//! * `no-scrub`: the same dump and rules with the scrubbed columns kept;
//! * `pass-through`: non-strict rules masking nothing that is in the dump
//!   but one tiny table, so nearly every byte takes the bulk lane;
//! * `scrub-values`: the scrub transform alone over the scrubbed values.
//!
//! Every workload runs `MASK_BENCH_ROUNDS` times (default 5); the median,
//! minimum and maximum MB/s (10^6 bytes of dump per second of the thread's
//! CPU time, so that waiting for a core on a shared machine does not count)
//! and the median by wall time are printed.
//! `MASK_BENCH_MB` sets the dump size (default 100), `MASK_BENCH_ONLY` a
//! comma-separated list of the workloads to run, `MASK_BENCH_RULES` a
//! rules file for an extra workload `custom`.

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs
)]

use std::io::{BufReader, Write};
use std::time::Instant;

use mask::{apply_transform, MaskContext, Masker, Rules, Salt, Transform};

const SALT: &[u8] = b"bench-salt-0123456789abcdefghijk";

const FIRST: &[&str] = &[
    "Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannah", "Jonas", "Lena", "Maria",
    "Noah", "Olivia", "Paul", "Sofia", "Tim", "Émilie", "Zoë", "Ömer", "Luca",
];
const LAST: &[&str] = &[
    "Meyer", "Schmidt", "Müller", "Garcia", "Rossi", "Dubois", "Novak", "Kowalski", "Jensen",
    "Smith", "Okafor", "Tanaka", "Silva", "Nguyen", "Ivanova", "Kaya",
];
const DOMAINS: &[&str] = &[
    "gmail.com",
    "outlook.com",
    "corp.example",
    "web.de",
    "uni-bonn.de",
];
const WORDS: &[&str] = &[
    "the",
    "order",
    "arrived",
    "late",
    "and",
    "the",
    "box",
    "was",
    "damaged",
    "please",
    "refund",
    "my",
    "account",
    "cannot",
    "log",
    "in",
    "since",
    "update",
    "invoice",
    "attached",
    "thanks",
    "for",
    "quick",
    "help",
    "shipping",
    "address",
    "changed",
    "to",
    "new",
    "office",
    "call",
    "back",
    "tomorrow",
    "morning",
    "ticket",
    "reopened",
    "version",
    "2.4.1",
    "on",
    "Android",
    "total",
    "49.90",
    "EUR",
    "paid",
    "via",
    "card",
    "ending",
    "4242",
    "reference",
    "delivery",
];

/// A small deterministic generator (xorshift), so every run sees the same dump.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[(self.next() % list.len() as u64) as usize]
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn email(&mut self) -> String {
        let f = self.pick(FIRST).to_lowercase();
        let l = self.pick(LAST).to_lowercase();
        let n = self.below(1000);
        let d = self.pick(DOMAINS);
        format!("{f}.{l}{n}@{d}")
    }
    fn phone(&mut self) -> String {
        match self.below(3) {
            0 => format!("+49 1{} {:07}", 50 + self.below(30), self.below(10_000_000)),
            1 => format!(
                "(0{}) {}-{:04}",
                30 + self.below(60),
                100 + self.below(900),
                self.below(10_000)
            ),
            _ => format!("+1-202-555-{:04}", self.below(10_000)),
        }
    }
    /// Free text: words, sometimes with an address or phone number, a date,
    /// an amount or an IP address in it.
    fn text(&mut self, words: u64) -> String {
        // One word in `1 / density` is an address, one a phone number,
        // two are a date or an IP address (MASK_BENCH_PII=dense: 40,
        // otherwise 200).
        let density = if std::env::var("MASK_BENCH_PII").is_ok_and(|v| v == "dense") {
            40
        } else {
            200
        };
        let mut s = String::new();
        for i in 0..words {
            if i > 0 {
                s.push(' ');
            }
            match self.below(density) {
                0 => s.push_str(&self.email()),
                1 => s.push_str(&self.phone()),
                2 => s.push_str("2024-03-17"),
                3 => s.push_str("10.1.20.7"),
                _ => s.push_str(self.pick(WORDS)),
            }
        }
        s
    }
}

fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// An order's JSON: a customer record, items and a free-text note.
fn order_payload(g: &mut Gen) -> String {
    let mut p = String::from("{\"customer\": {\"name\": ");
    json_string(&format!("{} {}", g.pick(FIRST), g.pick(LAST)), &mut p);
    p.push_str(", \"email\": ");
    json_string(&g.email(), &mut p);
    p.push_str(", \"phone\": ");
    json_string(&g.phone(), &mut p);
    p.push_str("}, \"items\": [{\"sku\": \"A-1234\", \"qty\": 2, \"price\": 19.95}, {\"sku\": \"B-77\", \"qty\": 1, \"price\": 9.99}], \"note\": ");
    let n = 6 + g.below(10);
    json_string(&g.text(n), &mut p);
    p.push('}');
    p
}

fn row(out: &mut Vec<u8>, fields: &[Option<&str>]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        dump::encode_copy_field(f.map(str::as_bytes), out);
    }
    out.push(b'\n');
}

const HEADER: &str = "--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n\
SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\
SELECT pg_catalog.set_config('search_path', '', false);\n\n\
CREATE TABLE public.users (id bigint NOT NULL, name text, email text, phone text, bio text, created_at timestamp with time zone);\n\n\
CREATE TABLE public.tickets (id bigint NOT NULL, user_id bigint, status text, subject text, body text, meta jsonb, created_at timestamp with time zone);\n\n\
CREATE TABLE public.orders (id bigint NOT NULL, user_id bigint, total numeric, payload jsonb, created_at timestamp with time zone);\n\n\
CREATE TABLE public.events (id bigint NOT NULL, user_id bigint, kind text, payload jsonb, created_at timestamp with time zone);\n\n\
CREATE TABLE public.flags (id bigint NOT NULL, owner_email text);\n\n";

/// A dump of about `mb` megabytes, and the bytes in scrubbed columns.
fn generate(mb: usize) -> (Vec<u8>, usize) {
    let target = mb * 1_000_000;
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    let users = target / 2300;
    let mut d = HEADER.as_bytes().to_vec();
    let mut scrubbed = 0usize;
    d.extend_from_slice(
        b"COPY public.users (id, name, email, phone, bio, created_at) FROM stdin;\n",
    );
    for i in 0..users {
        let name = format!("{} {}", g.pick(FIRST), g.pick(LAST));
        let email = g.email();
        let phone = g.phone();
        let bio = {
            let n = 8 + g.below(12);
            g.text(n)
        };
        scrubbed += bio.len();
        let id = i.to_string();
        row(
            &mut d,
            &[
                Some(&id),
                Some(&name),
                Some(&email),
                (i % 3 != 0).then_some(phone.as_str()),
                Some(&bio),
                Some("2023-06-01 10:11:12+00"),
            ],
        );
    }
    d.extend_from_slice(b"\\.\n\n");
    d.extend_from_slice(
        b"COPY public.tickets (id, user_id, status, subject, body, meta, created_at) FROM stdin;\n",
    );
    for i in 0..users {
        let subject = {
            let n = 4 + g.below(4);
            g.text(n)
        };
        let body = {
            let n = 30 + g.below(60);
            g.text(n)
        };
        let mut meta = String::from("{\"channel\": \"email\", \"from\": ");
        json_string(&g.email(), &mut meta);
        meta.push_str(", \"callback\": ");
        json_string(&g.phone(), &mut meta);
        meta.push_str(", \"tags\": [\"billing\", \"urgent\"], \"agent\": ");
        json_string(&format!("{} {}", g.pick(FIRST), g.pick(LAST)), &mut meta);
        meta.push('}');
        scrubbed += subject.len() + body.len() + meta.len();
        let (id, uid) = (i.to_string(), (i / 2).to_string());
        row(
            &mut d,
            &[
                Some(&id),
                Some(&uid),
                Some("open"),
                Some(&subject),
                Some(&body),
                Some(&meta),
                Some("2024-01-02 03:04:05+00"),
            ],
        );
    }
    d.extend_from_slice(b"\\.\n\n");
    d.extend_from_slice(
        b"COPY public.orders (id, user_id, total, payload, created_at) FROM stdin;\n",
    );
    for i in 0..users {
        let p = order_payload(&mut g);
        scrubbed += p.len();
        let (id, uid) = (i.to_string(), (i / 2).to_string());
        row(
            &mut d,
            &[
                Some(&id),
                Some(&uid),
                Some("49.89"),
                Some(&p),
                Some("2024-02-03 04:05:06+00"),
            ],
        );
    }
    d.extend_from_slice(b"\\.\n\n");
    d.extend_from_slice(
        b"COPY public.flags (id, owner_email) FROM stdin;\n1\tx@corp.example\n\\.\n\n",
    );
    d.extend_from_slice(
        b"COPY public.events (id, user_id, kind, payload, created_at) FROM stdin;\n",
    );
    let mut n = 0u64;
    while d.len() < target {
        n += 1;
        let payload = format!(
            "{{\"path\": \"/app/projects/{}/items/{}\", \"ip\": \"10.{}.{}.{}\", \"ua\": \"Mozilla/5.0 (X11; Linux x86_64) agent/{}\", \"ms\": {}, \"ok\": true}}",
            n % 5000, n % 977, n % 256, n * 7 % 256, n * 13 % 256, n % 40, n % 1000
        );
        let (id, uid) = (n.to_string(), (n % 50_000).to_string());
        row(
            &mut d,
            &[
                Some(&id),
                Some(&uid),
                Some("page_view"),
                Some(&payload),
                Some("2025-01-01 00:00:03+00"),
            ],
        );
    }
    d.extend_from_slice(b"\\.\n\n--\n-- PostgreSQL database dump complete\n--\n\n");
    (d, scrubbed)
}

const SCRUB_RULES: &str = r#"
strict = true
[tables."public.users"]
email = { template = "user_{id}@test.example.com" }
name = "fake_name"
phone = "fake_phone"
bio = "scrub"
keep = ["id", "created_at"]
[tables."public.tickets"]
subject = "scrub"
body = "scrub"
meta = "scrub"
keep = ["id", "user_id", "status", "created_at"]
[tables."public.orders"]
payload = { json = { "customer.email" = "fake_email", "customer.phone" = "fake_phone", "customer.name" = "fake_name", "note" = "scrub" } }
keep = ["id", "user_id", "total", "created_at"]
[tables."public.flags"]
owner_email = "fake_email"
keep = ["id"]
[tables."public.events"]
keep = ["id", "user_id", "kind", "payload", "created_at"]
"#;

const NO_SCRUB_RULES: &str = r#"
strict = true
[tables."public.users"]
email = { template = "user_{id}@test.example.com" }
name = "fake_name"
phone = "fake_phone"
keep = ["id", "created_at", "bio"]
[tables."public.tickets"]
keep = ["id", "user_id", "status", "created_at", "subject", "body", "meta"]
[tables."public.orders"]
payload = { json = { "customer.email" = "fake_email", "customer.phone" = "fake_phone", "customer.name" = "fake_name" } }
keep = ["id", "user_id", "total", "created_at"]
[tables."public.flags"]
owner_email = "fake_email"
keep = ["id"]
[tables."public.events"]
keep = ["id", "user_id", "kind", "payload", "created_at"]
"#;

const PASS_RULES: &str = r#"
strict = false
[tables."public.flags"]
owner_email = "fake_email"
keep = ["id"]
"#;

fn ctx() -> MaskContext {
    MaskContext::new(Salt::from_secret(SALT).unwrap()).with_random_seed(1)
}

/// Bytes the masker writes, counted and dropped.
struct Sink(u64);

impl Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0 += b.len() as u64;
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn rounds() -> usize {
    std::env::var("MASK_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
}

/// Nanoseconds this thread has been on a CPU (Linux), so that time spent
/// waiting for a core on a shared machine does not count.
fn cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Runs `f` (which processes `bytes` bytes) several times; prints MB/s by
/// CPU time (one core) and by wall time, medians of the rounds.
fn measure(name: &str, bytes: usize, mut f: impl FnMut()) -> f64 {
    if std::env::var("MASK_BENCH_ONLY").is_ok_and(|only| !only.split(',').any(|o| o == name)) {
        return 0.0;
    }
    let mut cpu = Vec::new();
    let mut wall = Vec::new();
    for _ in 0..rounds() {
        let (t, c) = (Instant::now(), cpu_ns());
        f();
        let w = t.elapsed().as_secs_f64();
        let c = match (c, cpu_ns()) {
            (Some(a), Some(b)) if b > a => (b - a) as f64 / 1e9,
            _ => w,
        };
        cpu.push(bytes as f64 / c / 1e6);
        wall.push(bytes as f64 / w / 1e6);
    }
    cpu.sort_by(f64::total_cmp);
    wall.sort_by(f64::total_cmp);
    let median = cpu[cpu.len() / 2];
    println!(
        "{name:<14} {:>7.1} MB  {median:>6.0} MB/s per CPU second (min {:.0}, max {:.0})  {:>6.0} MB/s wall  ({} rounds)",
        bytes as f64 / 1e6,
        cpu[0],
        cpu[cpu.len() - 1],
        wall[wall.len() / 2],
        cpu.len()
    );
    median
}

fn filter(rules: &Rules, dump: &[u8]) {
    let mut out = Sink(0);
    let input = BufReader::with_capacity(256 * 1024, dump);
    Masker::new(rules, ctx())
        .unwrap()
        .run(input, &mut out)
        .unwrap();
    assert!(out.0 > 0);
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let mb = std::env::var("MASK_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let (dump, scrubbed) = generate(mb);
    println!(
        "generated dump: {:.1} MB, {:.0}% of it in scrubbed free-text and JSON columns",
        dump.len() as f64 / 1e6,
        scrubbed as f64 * 100.0 / dump.len() as f64
    );
    let scrub = Rules::parse(SCRUB_RULES, "bench").unwrap();
    let no_scrub = Rules::parse(NO_SCRUB_RULES, "bench").unwrap();
    let pass = Rules::parse(PASS_RULES, "bench").unwrap();
    let mut g0 = Gen(11);
    let none0 = |_: &str| None;
    if let Ok(path) = std::env::var("MASK_BENCH_RULES") {
        let custom = Rules::parse(&std::fs::read_to_string(&path).unwrap(), &path).unwrap();
        measure("custom", dump.len(), || filter(&custom, &dump));
    }
    measure("scrub", dump.len(), || filter(&scrub, &dump));
    measure("no-scrub", dump.len(), || filter(&no_scrub, &dump));
    measure("pass-through", dump.len(), || filter(&pass, &dump));
    // The json transform alone, over orders payloads: with fakes, and with
    // rules that keep what they find (the walk only).
    let payloads: Vec<String> = (0..20_000).map(|_| order_payload(&mut g0)).collect();
    let payload_bytes: usize = payloads.iter().map(String::len).sum();
    let json_rule = |rule: &str| {
        let text = format!("[tables.\"public.t\"]\np = {{ json = {{ \"customer.email\" = \"{rule}\", \"customer.phone\" = \"{rule}\", \"customer.name\" = \"{rule}\" }} }}\n");
        let r = Rules::parse(&text, "bench").unwrap();
        let t = r
            .tables()
            .next()
            .unwrap()
            .masked()
            .next()
            .unwrap()
            .1
            .clone();
        t
    };
    for (name, rule) in [("json-fakes", "fake_email"), ("json-walk", "keep")] {
        let t = json_rule(rule);
        let c = ctx();
        measure(name, payload_bytes * 10, || {
            for _ in 0..10 {
                for v in &payloads {
                    std::hint::black_box(apply_transform(&t, Some(v), &none0, &c).unwrap());
                }
            }
        });
    }
    // One keyed fake at a time (an HMAC-SHA256 each).
    let emails: Vec<String> = (0..100_000).map(|_| g0.email()).collect();
    let email_bytes: usize = emails.iter().map(String::len).sum();
    let fake = Transform::Fake(mask::FakeKind::Email);
    let c0 = ctx();
    measure("fake-email", email_bytes * 10, || {
        for _ in 0..10 {
            for v in &emails {
                std::hint::black_box(apply_transform(&fake, Some(v), &none0, &c0).unwrap());
            }
        }
    });
    // The scrub transform alone, over the free text of one table's worth of values.
    let mut g = Gen(7);
    let values: Vec<String> = (0..20_000).map(|_| g.text(40)).collect();
    let bytes: usize = values.iter().map(String::len).sum();
    let c = ctx();
    let none = |_: &str| None;
    measure("scrub-values", bytes * 20, || {
        for _ in 0..20 {
            for v in &values {
                std::hint::black_box(
                    apply_transform(&Transform::Scrub, Some(v), &none, &c).unwrap(),
                );
            }
        }
    });
}
