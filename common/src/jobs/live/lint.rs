//! Checking rules against a database or a dump: tables and columns the rules name but the
//! database lacks, columns nobody classed, and kept columns whose names or values look personal.

use serde::Serialize;

use mask::Rules;

use std::collections::BTreeMap;

use super::columns::{data_columns, holds_no_text, is_text_like};
use crate::engine::schema::{ColumnInfo, TableInfo};
use crate::error::Result;

/// One problem `lint` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What kind of problem.
    pub kind: FindingKind,
    /// The table.
    pub table: String,
    /// The column, if the finding is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Why, in words (never a data value).
    pub detail: String,
}

/// Kinds of lint findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// The rules name a table that is not there.
    UnknownTable,
    /// The rules name a column that is not there.
    UnknownColumn,
    /// A table has no rules at all.
    UnclassifiedTable,
    /// A column of a ruled table is neither masked nor kept.
    UnclassifiedColumn,
    /// A column that is kept (or passes unmasked) looks personal by its name or its values.
    LooksPersonal,
}

impl FindingKind {
    /// The kind as lint prints and `--json` names it (`looks_personal`).
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::UnknownTable => "unknown_table",
            FindingKind::UnknownColumn => "unknown_column",
            FindingKind::UnclassifiedTable => "unclassified_table",
            FindingKind::UnclassifiedColumn => "unclassified_column",
            FindingKind::LooksPersonal => "looks_personal",
        }
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Finding {
    /// The finding's object as lint prints it: `schema.table` or `schema.table.column`, each
    /// part quoted where SQL needs it.
    pub fn object(&self) -> String {
        match &self.column {
            Some(c) => format!("{}.{}", self.table, dump::quote_identifier(c)),
            None => self.table.clone(),
        }
    }
}

/// Words in a table's name that say its rows are people (or their accounts and messages).
const PERSON_TABLES: &[&str] = &[
    "user",
    "users",
    "customer",
    "customers",
    "staff",
    "person",
    "people",
    "persons",
    "contact",
    "contacts",
    "patient",
    "patients",
    "employee",
    "employees",
    "member",
    "members",
    "guest",
    "guests",
    "client",
    "clients",
    "profile",
    "profiles",
    "student",
    "students",
    "teacher",
    "teachers",
    "doctor",
    "doctors",
    "lead",
    "leads",
    "subscriber",
    "subscribers",
    "recipient",
    "recipients",
    "applicant",
    "applicants",
    "candidate",
    "candidates",
    "driver",
    "drivers",
    "passenger",
    "passengers",
    "visitor",
    "visitors",
    "attendee",
    "attendees",
    "participant",
    "participants",
    "actor",
    "actors",
    "author",
    "authors",
    "owner",
    "owners",
    "account",
    "accounts",
    "partner",
    "partners",
    "emergency",
    "household",
    "family",
    "tenant",
    "tenants",
    "buyer",
    "buyers",
    "seller",
    "sellers",
    "host",
    "hosts",
    "worker",
    "workers",
    "volunteer",
    "volunteers",
    "traveler",
    "travelers",
    "resident",
    "residents",
    "investor",
    "investors",
    "donor",
    "donors",
    "beneficiary",
    "beneficiaries",
    "signer",
    "signers",
];

/// Words in a table's name that say its rows are organisations: their contact data is a
/// business's, not a person's.
const ORG_TABLES: &[&str] = &[
    "clinic",
    "clinics",
    "company",
    "companies",
    "organization",
    "organizations",
    "organisation",
    "organisations",
    "org",
    "orgs",
    "business",
    "businesses",
    "vendor",
    "vendors",
    "supplier",
    "suppliers",
    "branch",
    "branches",
    "office",
    "offices",
    "site",
    "sites",
    "venue",
    "venues",
    "hospital",
    "hospitals",
    "school",
    "schools",
    "store",
    "stores",
    "shop",
    "shops",
    "warehouse",
    "warehouses",
    "agency",
    "agencies",
];

/// Words of a column name that are the whole of a location too coarse to point at a person.
const COARSE_PLACES: &[&str] = &[
    "city",
    "town",
    "state",
    "region",
    "country",
    "county",
    "province",
    "district",
    "territory",
    "locality",
    "continent",
    "timezone",
    "zone",
    "area",
];

/// Words of a column name that say it holds a picture.
const PICTURE_WORDS: &[&str] = &[
    "photo",
    "picture",
    "pic",
    "avatar",
    "portrait",
    "selfie",
    "signature",
    "image",
    "headshot",
    "thumbnail",
    "face",
    "scan",
];

/// Words of a column name that say it holds a digest or a storage key, not a secret of a person.
const DIGEST_WORDS: &[&str] = &[
    "checksum", "digest", "etag", "sha", "sha1", "sha256", "md5", "crc",
];

/// Words of a column name for a person in a role: the column holds that person's name.
const ROLE_WORDS: &[&str] = &[
    "recipient",
    "cardholder",
    "holder",
    "author",
    "composer",
    "sender",
    "signer",
    "guardian",
    "spouse",
    "parent",
    "beneficiary",
    "assignee",
    "reporter",
    "approver",
    "reviewer",
    "witness",
    "nominee",
    "customer",
    "employee",
    "patient",
    "manager",
    "supervisor",
    "addressee",
    "attendee",
    "organizer",
    "organiser",
    "requester",
    "submitter",
    "uploader",
    "creator",
    "writer",
    "artist",
    "lyricist",
    "performer",
    "contact",
    "passenger",
    "tenant",
    "landlord",
    "subscriber",
    "payer",
    "insured",
    "policyholder",
    "guarantor",
    "cosigner",
    "parent",
    "child",
    "sender",
    "owner",
    "buyer",
    "seller",
    "driver",
    "doctor",
    "nurse",
    "practitioner",
    "physician",
];

/// Words that alone make a column a personal identifier (a record number, a national number,
/// a licence of one person).
const PERSONAL_IDS: &[&str] = &[
    "mrn", "ssn", "npi", "dea", "nhs", "passport", "itin", "sin", "nino",
];

/// Words of a column name for a person's name in parts, beside `name`/`names`.
const NAME_KINDS: &[&str] = &[
    "given",
    "preferred",
    "middle",
    "maiden",
    "nick",
    "nickname",
    "surname",
    "surnames",
    "forename",
    "forenames",
    "firstname",
    "lastname",
    "fullname",
    "display",
    "legal",
];

/// Words for a place on the map (a person's location where the row is theirs).
const GEO_WORDS: &[&str] = &[
    "latitude",
    "longitude",
    "lat",
    "lon",
    "lng",
    "geo",
    "geolocation",
    "coordinates",
    "coords",
];

/// Words for a person's profile on another service.
const PROFILE_WORDS: &[&str] = &[
    "linkedin",
    "twitter",
    "facebook",
    "instagram",
    "github",
    "tiktok",
    "mastodon",
    "telegram",
    "whatsapp",
    "skype",
];

/// Words that, beside a role word, still describe its name (`recipient_name`, `author full name`).
const NAME_PARTS: &[&str] = &[
    "name", "full", "display", "first", "last", "given", "family",
];

/// Words of a column name for free text people write about themselves or others.
const FREE_TEXT_WORDS: &[&str] = &[
    "note",
    "notes",
    "bio",
    "biography",
    "about",
    "message",
    "messages",
    "reason",
    "comment",
    "comments",
    "remark",
    "remarks",
    "feedback",
    "dietary",
    "allergy",
    "allergies",
    "diagnosis",
    "symptom",
    "symptoms",
    "complaint",
    "memo",
    "testimonial",
    "story",
    "greeting",
    "dedication",
];

/// Words of a column name for a row's own title, personal where the row belongs to a person.
const TITLE_WORDS: &[&str] = &["title", "slug", "subject", "headline", "caption", "name"];

/// Words of a foreign key column that say the row belongs to a person.
const OWNER_WORDS: &[&str] = &[
    "user",
    "host",
    "author",
    "owner",
    "organizer",
    "organiser",
    "creator",
    "contact",
    "customer",
    "patient",
    "member",
    "person",
    "client",
    "employee",
    "student",
    "guest",
    "account",
    "profile",
    "uploader",
    "sender",
    "recipient",
];

/// Words qualifying an identifier (`*_id`, `*_code`, `*_number`, `*_key`) that make it a person's:
/// an account at another service, an invitation, a document, a login.
const PERSONAL_ID_WORDS: &[&str] = &[
    "provider",
    "external",
    "remote",
    "stripe",
    "paypal",
    "braintree",
    "subject",
    "openid",
    "oauth",
    "google",
    "facebook",
    "apple",
    "github",
    "twitter",
    "invite",
    "invitation",
    "referral",
    "access",
    "verification",
    "recovery",
    "reset",
    "session",
    "license",
    "licence",
    "insurance",
    "passport",
    "policy",
    "membership",
    "national",
    "tax",
    "ssn",
    "social",
    "driver",
    "document",
    "badge",
    "medical",
    "mrn",
    "patient",
    "employee",
    "student",
    "customer",
    "device",
    "login",
    "member",
    "subscriber",
];

/// Last words of a column name that make it an identifier.
const ID_WORDS: &[&str] = &[
    "id", "uid", "code", "number", "no", "key", "token", "state", "data",
];

/// Lower-case words of an identifier (`firstName`, `first_name`, `"First Name"` -> first, name).
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether a table's name says its rows are people.
fn person_table(t: &TableInfo) -> bool {
    let w = words(&t.name.name);
    w.iter().any(|x| PERSON_TABLES.contains(&x.as_str()))
        || w.last()
            .is_some_and(|x| x.ends_with("user") || x.ends_with("users"))
}

/// Whether a table's name says its rows are organisations.
fn org_table(t: &TableInfo) -> bool {
    let w = words(&t.name.name);
    !person_table(t) && w.iter().any(|x| ORG_TABLES.contains(&x.as_str()))
}

/// Whether every word is a coarse place or a word that goes with one (`home_region`).
fn coarse_only(w: &[String]) -> bool {
    w.iter().all(|x| {
        COARSE_PLACES.contains(&x.as_str())
            || ["home", "work", "code", "name"].contains(&x.as_str())
    })
}

/// Why a kept text column looks personal by the words of its name and its table.
fn text_reason(t: &TableInfo, w: &[String], person: bool, org: bool) -> Option<&'static str> {
    let has = |list: &[&str]| w.iter().any(|x| list.contains(&x.as_str()));
    // A kind, a state or a moment describes the row, whatever table it is in.
    if w.last().is_some_and(|x| {
        [
            "type", "kind", "status", "format", "mime", "locale", "lang", "version", "at", "on",
            "date", "time", "expires", "expiry", "count",
        ]
        .contains(&x.as_str())
    }) {
        return None;
    }
    if has(ROLE_WORDS)
        && w.iter()
            .all(|x| ROLE_WORDS.contains(&x.as_str()) || NAME_PARTS.contains(&x.as_str()))
    {
        return Some("names a person by their role");
    }
    if has(NAME_KINDS) && (has(&["name", "names"]) || w.len() == 1) {
        return Some("a person's name");
    }
    if has(&["username", "login", "handle", "nickname"])
        || w.windows(2).any(|p| p[0] == "user" && p[1] == "name")
    {
        return Some("a person's login or handle");
    }
    if has(PROFILE_WORDS) {
        return Some("a person's profile on another service");
    }
    if has(&["device"]) && has(&["name"]) {
        return Some("device names carry their owner's name");
    }
    if has(&["pin", "passcode"]) {
        return Some("a credential");
    }
    if w.iter().any(|x| x == "last4" || x == "pan") || w.ends_with(&["last".into(), "four".into()])
    {
        return Some("part of a card number");
    }
    if has(&["exif", "gps", "geolocation"]) {
        return Some("picture metadata holds places and devices");
    }
    if w.last().is_some_and(|x| x == "filename") || w.ends_with(&["file".into(), "name".into()]) {
        return Some("uploaded files are often named after people");
    }
    if !org
        && (has(&["line1", "line2", "line3", "street", "addr"])
            || w.iter().any(|x| x.starts_with("address")))
    {
        return Some("part of a postal address");
    }
    let table_words = words(&t.name.name);
    if table_words
        .iter()
        .any(|x| x == "session" || x == "sessions")
        || has(&["session"])
    {
        return Some("session data identifies a person who logged in");
    }
    if person && has(PICTURE_WORDS) {
        return Some("a picture of a person (or where it is kept)");
    }
    // `clinic_appointment`: the last word says what a row is (the others name the app).
    let org_rows = table_words
        .last()
        .is_some_and(|x| ORG_TABLES.contains(&x.as_str()));
    if !org_rows && has(FREE_TEXT_WORDS) {
        return Some("free text people write holds names and contact details");
    }
    let owned = t.columns.iter().any(|c| {
        c.foreign_key
            && words(&c.name)
                .iter()
                .any(|x| OWNER_WORDS.contains(&x.as_str()))
    });
    if owned && !person && w.len() == 1 && TITLE_WORDS.contains(&w[0].as_str()) {
        return Some("the title of a person's own record, written by them");
    }
    None
}

/// Why a kept column looks personal, from its name, its type, its table, whether it is a
/// foreign key, and sampled values; `None` when it does not.
fn personal_reason(
    t: &TableInfo,
    col: &ColumnInfo,
    sample: &mut dyn FnMut(&TableInfo, &str) -> Result<Vec<String>>,
) -> Result<Option<String>> {
    let ty = col.data_type.to_ascii_lowercase();
    let w = words(&col.name);
    let numeric = [
        "int", "serial", "numeric", "decimal", "real", "double", "float", "money", "oid",
    ]
    .iter()
    .any(|n| ty.contains(n))
        && !ty.contains("[]");
    let text = is_text_like(&col.data_type) || ty == "tsvector";
    let person = person_table(t);
    // A full-text index holds copies of text from other tables: names, titles, notes.
    if t.full_text && text {
        return Ok(Some(
            "a full-text index copies text from other tables".into(),
        ));
    }
    // An identifier of a person elsewhere (an account at a provider, an invitation, a document).
    let qualified_id = w.len() > 1
        && w.last().is_some_and(|x| ID_WORDS.contains(&x.as_str()))
        && w.iter().any(|x| PERSONAL_ID_WORDS.contains(&x.as_str()));
    if text && !col.foreign_key && qualified_id {
        return Ok(Some(
            "an identifier of a person (an account, a document, a login)".into(),
        ));
    }
    if !col.foreign_key && w.iter().any(|x| PERSONAL_IDS.contains(&x.as_str())) && !org_table(t) {
        return Ok(Some(
            "a personal identifier (record, national or licence number)".into(),
        ));
    }
    // In a session table the session's key is the cookie: its `id` when no other column holds
    // a token or key (Laravel), that column otherwise (Prisma's `sessionToken`).
    let session_table = words(&t.name.name)
        .iter()
        .any(|x| x == "session" || x == "sessions");
    let describes = w.last().is_some_and(|x| {
        [
            "type", "kind", "status", "at", "on", "date", "time", "expires", "expiry", "count",
        ]
        .contains(&x.as_str())
    });
    if session_table && text && !col.foreign_key && !describes {
        let surrogate = w == ["id"]
            && t.columns.iter().any(|c| {
                c.name != col.name
                    && words(&c.name)
                        .iter()
                        .any(|x| ["token", "key", "sid"].contains(&x.as_str()))
            });
        if !surrogate {
            return Ok(Some(
                "session data identifies a person who logged in".into(),
            ));
        }
    }
    // A place on the map, where a row is a person's (a message, a share, a check-in).
    if w.iter().any(|x| GEO_WORDS.contains(&x.as_str())) && !org_table(t) && !coarse_only(&w) {
        return Ok(Some("a location (where someone was)".into()));
    }
    // A date of death is health data about a person, as a birth date is.
    if w.iter()
        .any(|x| ["deceased", "death", "died"].contains(&x.as_str()))
    {
        return Ok(Some("a date of death".into()));
    }
    // A reference to another row, a number, a flag or a record's timestamp is not a person's data.
    if col.foreign_key || numeric || w.last().is_some_and(|x| x == "id" || x == "ids") {
        return Ok(None);
    }
    if ty == "bytea" || ty.contains("blob") {
        if !org_table(t) && w.iter().any(|x| PICTURE_WORDS.contains(&x.as_str())) {
            return Ok(Some(
                "holds a picture (of a person, or taken by one)".into(),
            ));
        }
        return Ok(None);
    }
    let coarse = !w.is_empty()
        && w.iter().all(|x| {
            COARSE_PLACES.contains(&x.as_str())
                || [
                    "billing", "shipping", "home", "work", "mailing", "code", "name",
                ]
                .contains(&x.as_str())
        })
        && w.iter().any(|x| COARSE_PLACES.contains(&x.as_str()));
    if coarse {
        return Ok(None);
    }
    let org = org_table(t);
    if text {
        if let Some(why) = text_reason(t, &w, person, org) {
            return Ok(Some(why.into()));
        }
    }
    let name_hint = mask::column_looks_personal(&col.name)
        .filter(|why| !holds_no_text(&col.data_type) || why.contains("birth"))
        // A bare `name`, `title` or `label` names the row's thing: a person only in a table of
        // people.
        .filter(|why| !(why.contains("person's name") && !person && w.len() == 1))
        .filter(|_| !org);
    if let Some(why) = name_hint {
        return Ok(Some(why.to_string()));
    }
    if person
        && w.iter()
            .any(|x| ["company", "employer", "organization", "organisation"].contains(&x.as_str()))
    {
        return Ok(Some("a person's employer identifies them".into()));
    }
    if person && ty == "inet" {
        return Ok(Some("a person's network address".into()));
    }
    // Only text can hold an address or a token; numbers and timestamps only produce noise.
    if !text {
        return Ok(None);
    }
    let values = sample(t, &col.name)?;
    let mut reasons: BTreeMap<&'static str, usize> = BTreeMap::new();
    for v in &values {
        if let Some(why) = mask::value_looks_personal(v) {
            *reasons.entry(why).or_default() += 1;
        }
    }
    let Some((why, n)) = reasons.into_iter().max_by_key(|(_, n)| *n) else {
        return Ok(None);
    };
    if org && !why.contains("token") && !why.contains("card") && !why.contains("IBAN") {
        return Ok(None);
    }
    if why.contains("token")
        && !person
        && w.iter()
            .any(|x| DIGEST_WORDS.contains(&x.as_str()) || x == "key")
    {
        return Ok(None);
    }
    // One odd value in a sample is noise; a tenth of the sample is a pattern.
    if n * 10 >= values.len().max(1) && n >= 2 {
        return Ok(Some(format!(
            "{n} of {} sampled values: {why}",
            values.len()
        )));
    }
    Ok(None)
}

/// Splits `a."B C".d` into its parts: quoted parts as written inside the quotes, unquoted parts
/// folded to lower case (as PostgreSQL resolves them).
pub fn name_parts(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = s.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => {
                quoted = !quoted;
                was_quoted = true;
            }
            '.' if !quoted => {
                parts.push(if was_quoted {
                    cur.clone()
                } else {
                    cur.to_lowercase()
                });
                cur.clear();
                was_quoted = false;
            }
            c => cur.push(c),
        }
    }
    parts.push(if was_quoted { cur } else { cur.to_lowercase() });
    parts
}

/// Checks rules against a schema and sampled values. `sample(table, column)` returns some
/// non-NULL values of a column, for the value heuristics.
pub fn lint(
    rules: &Rules,
    tables: &[TableInfo],
    sample: &mut dyn FnMut(&TableInfo, &str) -> Result<Vec<String>>,
) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    let by_name = crate::engine::schema::by_name(tables);
    for tr in rules.tables() {
        let Some(t) = by_name.get(tr.name()) else {
            out.push(Finding {
                kind: FindingKind::UnknownTable,
                table: tr.name().to_string(),
                column: None,
                detail: "the rules name this table, but it does not exist (renamed or dropped?)"
                    .into(),
            });
            continue;
        };
        let cols = data_columns(t);
        for c in tr.columns() {
            if !cols.iter().any(|x| x == c) {
                out.push(Finding {
                    kind: FindingKind::UnknownColumn,
                    table: t.name.to_string(),
                    column: Some(c.to_string()),
                    detail: "the rules name this column, but the table does not have it".into(),
                });
            }
        }
    }
    for t in tables {
        let cols = data_columns(t);
        let tr = rules.table(&t.name);
        if tr.is_none() {
            out.push(Finding {
                kind: FindingKind::UnclassifiedTable,
                table: t.name.to_string(),
                column: None,
                detail: if rules.strict() {
                    "no rules for this table: strict masking refuses it".into()
                } else {
                    "no rules for this table: its data passes unmasked".into()
                },
            });
        }
        for c in &cols {
            let classed_masked = tr
                .and_then(|r| r.transform(c))
                .is_some_and(|t| !matches!(t, mask::Transform::Keep));
            if classed_masked {
                continue;
            }
            let kept = tr.is_some_and(|r| r.kept().any(|k| k == c));
            if tr.is_some() && !kept {
                out.push(Finding {
                    kind: FindingKind::UnclassifiedColumn,
                    table: t.name.to_string(),
                    column: Some(c.clone()),
                    detail: "neither masked nor kept: add it to the rules".into(),
                });
            }
            let Some(info) = t.columns.iter().find(|x| &x.name == c) else {
                continue;
            };
            if tr.is_some_and(|r| r.is_reviewed(c)) {
                continue;
            }
            let masks_something = tr.is_some_and(|r| {
                cols.iter().any(|x| {
                    r.transform(x)
                        .is_some_and(|t| !matches!(t, mask::Transform::Keep))
                })
            });
            if masks_something && info.data_type == "tsvector" {
                out.push(Finding {
                    kind: FindingKind::LooksPersonal,
                    table: t.name.to_string(),
                    column: Some(c.clone()),
                    detail: "not masked, but a full-text vector beside masked columns is derived from \
                             them (kept up by a trigger): mask it (\"null\") and let the application \
                             rebuild it"
                        .into(),
                });
                continue;
            }
            if let Some(why) = personal_reason(t, info, sample)? {
                out.push(Finding {
                    kind: FindingKind::LooksPersonal,
                    table: t.name.to_string(),
                    column: Some(c.clone()),
                    detail: format!("not masked, but {why}"),
                });
            }
        }
    }
    out.sort_by(|a, b| (a.kind, &a.table, &a.column).cmp(&(b.kind, &b.table, &b.column)));
    Ok(out)
}
