//! A small TOML reader for the corpus's `rules.toml` and `labels.toml` (the test crate has no TOML
//! dependency, and the tests must not read rules through the tools' own code): tables, dotted and
//! quoted keys, basic and literal strings, integers, floats, booleans, arrays over several lines
//! and inline tables. Enough for these files; anything else is a loud error.

/// A TOML value. Tables keep their keys in file order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Array(Vec<Value>),
    Table(Vec<(String, Value)>),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_table(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The value under `key` of a table.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_table()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Written back as TOML (inline form; strings as basic strings).
    pub fn to_toml(&self) -> String {
        match self {
            Value::Str(s) => basic_string(s),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => format!("{f:?}"),
            Value::Bool(b) => b.to_string(),
            Value::Array(a) => format!(
                "[{}]",
                a.iter().map(Value::to_toml).collect::<Vec<_>>().join(", ")
            ),
            Value::Table(t) => format!(
                "{{ {} }}",
                t.iter()
                    .map(|(k, v)| format!("{} = {}", basic_string(k), v.to_toml()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// A TOML basic string for `s`.
pub fn basic_string(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct P<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    what: &'a str,
}

/// Parses a whole document into a table.
pub fn parse(text: &str, what: &str) -> Value {
    let mut p = P {
        s: text.as_bytes(),
        text,
        i: 0,
        what,
    };
    let mut root = Value::Table(Vec::new());
    let mut current: Vec<String> = Vec::new();
    loop {
        p.skip_ws_nl_comments();
        if p.i >= p.s.len() {
            break;
        }
        if p.s[p.i] == b'[' {
            p.i += 1;
            p.skip_ws();
            current = p.key_path();
            p.skip_ws();
            p.expect(b']');
            table_at(&mut root, &current, &p);
            p.end_of_line();
            continue;
        }
        let path = p.key_path();
        p.skip_ws();
        p.expect(b'=');
        p.skip_ws();
        let v = p.value();
        p.end_of_line();
        let mut full = current.clone();
        full.extend(path);
        let (last, parents) = full.split_last().expect("key");
        let t = table_at(&mut root, parents, &p);
        if t.iter().any(|(k, _)| k == last) {
            p.fail(&format!("key {last:?} defined twice"));
        }
        t.push((last.clone(), v));
    }
    root
}

fn table_at<'v>(root: &'v mut Value, path: &[String], p: &P) -> &'v mut Vec<(String, Value)> {
    let mut cur = root;
    for k in path {
        let Value::Table(t) = cur else {
            p.fail(&format!("{k:?} is not a table"));
        };
        let pos = match t.iter().position(|(kk, _)| kk == k) {
            Some(pos) => pos,
            None => {
                t.push((k.clone(), Value::Table(Vec::new())));
                t.len() - 1
            }
        };
        cur = &mut t[pos].1;
    }
    match cur {
        Value::Table(t) => t,
        _ => p.fail("not a table"),
    }
}

impl P<'_> {
    fn fail(&self, msg: &str) -> ! {
        let line = self.text[..self.i.min(self.text.len())]
            .matches('\n')
            .count()
            + 1;
        panic!("{}: line {line}: {msg}", self.what)
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn expect(&mut self, b: u8) {
        if self.peek() != Some(b) {
            self.fail(&format!("expected {:?}", b as char));
        }
        self.i += 1;
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    fn skip_comment(&mut self) {
        if self.peek() == Some(b'#') {
            while !matches!(self.peek(), None | Some(b'\n')) {
                self.i += 1;
            }
        }
    }

    fn skip_ws_nl_comments(&mut self) {
        loop {
            self.skip_ws();
            self.skip_comment();
            match self.peek() {
                Some(b'\n' | b'\r') => self.i += 1,
                _ => return,
            }
        }
    }

    fn end_of_line(&mut self) {
        self.skip_ws();
        self.skip_comment();
        match self.peek() {
            None => {}
            Some(b'\n') => self.i += 1,
            Some(b'\r') => self.i += 1,
            _ => self.fail("expected the end of the line"),
        }
    }

    fn key_path(&mut self) -> Vec<String> {
        let mut out = vec![self.key()];
        loop {
            self.skip_ws();
            if self.peek() == Some(b'.') {
                self.i += 1;
                self.skip_ws();
                out.push(self.key());
            } else {
                return out;
            }
        }
    }

    fn key(&mut self) -> String {
        match self.peek() {
            Some(b'"') => self.basic(),
            Some(b'\'') => self.literal(),
            _ => {
                let start = self.i;
                while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
                {
                    self.i += 1;
                }
                if start == self.i {
                    self.fail("expected a key");
                }
                self.text[start..self.i].to_string()
            }
        }
    }

    fn basic(&mut self) -> String {
        self.expect(b'"');
        let mut out = String::new();
        loop {
            let Some(c) = self.text[self.i..].chars().next() else {
                self.fail("unterminated string");
            };
            self.i += c.len_utf8();
            match c {
                '"' => return out,
                '\n' => self.fail("newline in a string"),
                '\\' => {
                    let e = self.peek().unwrap_or(b' ');
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'n' => out.push('\n'),
                        b't' => out.push('\t'),
                        b'r' => out.push('\r'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'u' | b'U' => {
                            let n = if e == b'u' { 4 } else { 8 };
                            let hex = &self.text[self.i..self.i + n];
                            self.i += n;
                            let cp = u32::from_str_radix(hex, 16)
                                .unwrap_or_else(|_| self.fail("bad \\u escape"));
                            out.push(
                                char::from_u32(cp).unwrap_or_else(|| self.fail("bad \\u escape")),
                            );
                        }
                        _ => self.fail("unknown escape"),
                    }
                }
                c => out.push(c),
            }
        }
    }

    fn literal(&mut self) -> String {
        self.expect(b'\'');
        let start = self.i;
        while !matches!(self.peek(), None | Some(b'\'') | Some(b'\n')) {
            self.i += 1;
        }
        let s = self.text[start..self.i].to_string();
        self.expect(b'\'');
        s
    }

    fn value(&mut self) -> Value {
        match self.peek() {
            Some(b'"') => Value::Str(self.basic()),
            Some(b'\'') => Value::Str(self.literal()),
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws_nl_comments();
                    if self.peek() == Some(b']') {
                        self.i += 1;
                        return Value::Array(items);
                    }
                    items.push(self.value());
                    self.skip_ws_nl_comments();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b']') => {}
                        _ => self.fail("expected , or ] in an array"),
                    }
                }
            }
            Some(b'{') => {
                self.i += 1;
                let mut t: Vec<(String, Value)> = Vec::new();
                loop {
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        self.i += 1;
                        return Value::Table(t);
                    }
                    let path = self.key_path();
                    self.skip_ws();
                    self.expect(b'=');
                    self.skip_ws();
                    let v = self.value();
                    if path.len() != 1 {
                        self.fail("dotted keys in inline tables are not supported here");
                    }
                    t.push((path[0].clone(), v));
                    self.skip_ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {}
                        _ => self.fail("expected , or } in an inline table"),
                    }
                }
            }
            _ => {
                let start = self.i;
                while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.' | b'_'))
                {
                    self.i += 1;
                }
                let word = self.text[start..self.i].replace('_', "");
                match word.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    w => {
                        if let Ok(i) = w.parse::<i64>() {
                            Value::Int(i)
                        } else if let Ok(f) = w.parse::<f64>() {
                            Value::Float(f)
                        } else {
                            self.fail(&format!("cannot read the value {w:?}"))
                        }
                    }
                }
            }
        }
    }
}
