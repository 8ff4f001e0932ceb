//! Deterministic, realistic fake values: names, e-mail addresses and phone
//! numbers derived from the keyed digest of the original value.
//!
//! The word lists are part of this source file on purpose: a fake-data crate
//! that reorders or extends its lists in a minor release would silently
//! change every masked value, and with it every join between dumps masked
//! before and after an upgrade. Changing these lists is a visible change of
//! the masking output and must be treated as one.

use super::salt::{Keyed, Salt};

/// Length of the keyed suffix that makes fake e-mail addresses unique.
pub(crate) const EMAIL_SUFFIX_LEN: usize = 12;

/// The lower-case base32 alphabet of the suffix (RFC 4648's, lower-cased).
const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// Where fake addresses point: a domain reserved for documentation
/// (RFC 2606), so no mail can ever reach a real person.
const EMAIL_DOMAIN: &str = "example.com";

/// `first.last.suffix@example.com`, all lower case.
///
/// Uniqueness: the first and last name (8 bits each, exactly 256 names per
/// list) and the 12 base32 characters of the suffix (60 bits) come from
/// independent bits of one HMAC-SHA256 digest, and names contain only
/// letters, so two different inputs give the same address only if 76
/// digest bits collide. For n distinct inputs the chance of any collision
/// is about n^2 / 2^77: 1.7e-8 for 50 million values, 6.6e-8 for 100
/// million.
pub(crate) fn email(salt: &Salt, value: &[u8], out: &mut String) {
    let d = salt.keyed(Keyed::FakeEmail, value);
    // Built on the stack and written out once: names are at most 9 and 10
    // letters, so the address is at most 9 + 1 + 10 + 1 + 12 + 12 bytes.
    let mut buf = [0u8; 64];
    let mut n = 0;
    let mut put = |part: &[u8]| {
        buf[n..n + part.len()].copy_from_slice(part);
        n += part.len();
    };
    put(FIRST_NAMES[usize::from(d[0])].as_bytes());
    put(b".");
    put(LAST_NAMES[usize::from(d[1])].as_bytes());
    put(b".");
    // 60 bits from d[2..10], five at a time.
    let mut bits = u64::from_be_bytes([d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9]]);
    let mut suffix = [0u8; EMAIL_SUFFIX_LEN];
    for c in &mut suffix {
        *c = BASE32[(bits >> 59) as usize];
        bits <<= 5;
    }
    put(&suffix);
    put(b"@");
    put(EMAIL_DOMAIN.as_bytes());
    let address = &mut buf[..n];
    address.make_ascii_lowercase();
    debug_assert!(address.is_ascii());
    // SAFETY: the names (tested to be ASCII letters), the base32 alphabet,
    // the dots, `@` and the domain are ASCII, and ASCII is valid UTF-8
    // (this runs for every address; no need to check it each time).
    out.push_str(unsafe { std::str::from_utf8_unchecked(address) });
}

/// `First Last`.
pub(crate) fn name(salt: &Salt, value: &[u8], out: &mut String) {
    let d = salt.keyed(Keyed::FakeName, value);
    out.push_str(FIRST_NAMES[usize::from(d[0])]);
    out.push(' ');
    out.push_str(LAST_NAMES[usize::from(d[1])]);
}

/// A first name.
pub(crate) fn first_name(salt: &Salt, value: &[u8], out: &mut String) {
    let d = salt.keyed(Keyed::FakeFirstName, value);
    out.push_str(FIRST_NAMES[usize::from(d[0])]);
}

/// A last name.
pub(crate) fn last_name(salt: &Salt, value: &[u8], out: &mut String) {
    let d = salt.keyed(Keyed::FakeLastName, value);
    out.push_str(LAST_NAMES[usize::from(d[0])]);
}

/// A phone number in the same format as the original: every ASCII digit is
/// replaced by a keyed digit, everything else (`+`, spaces, dashes,
/// brackets, letters of an extension) stays, so the result fits the same
/// column width and looks like what the application stored. A leading zero
/// stays a zero and any other first digit stays non-zero, which keeps trunk
/// and international prefixes plausible. A value without digits gets a
/// number in the `+1 555` range.
///
/// Not unique: two numbers of the same format collide with probability
/// 10^-digits each, so phone columns under a UNIQUE constraint should use
/// `hash` or a template instead.
pub(crate) fn phone(salt: &Salt, value: &str, out: &mut String) {
    let mut digits = KeyedDigits::new(salt, value.as_bytes());
    if !value.bytes().any(|b| b.is_ascii_digit()) {
        out.push_str("+1 555 ");
        for i in 0..7 {
            if i == 3 {
                out.push(' ');
            }
            out.push(char::from(b'0' + digits.next::<10>()));
        }
        return;
    }
    // Short values (nearly all): the digits are replaced in a copy on the
    // stack, written out once.
    if value.len() <= 64 {
        let mut buf = [0u8; 64];
        let buf = &mut buf[..value.len()];
        buf.copy_from_slice(value.as_bytes());
        let mut first = true;
        for b in buf.iter_mut().filter(|b| b.is_ascii_digit()) {
            *b = b'0' + keyed_digit(&mut first, *b, &mut digits);
        }
        debug_assert!(std::str::from_utf8(buf).is_ok());
        // SAFETY: `buf` is the bytes of a `str` with some ASCII digits
        // replaced by ASCII digits, which leaves every UTF-8 sequence as it
        // was: still valid UTF-8.
        out.push_str(unsafe { std::str::from_utf8_unchecked(buf) });
        return;
    }
    phone_streamed(value, &mut digits, out);
}

/// The keyed digit that replaces `original`: a leading zero stays zero, any
/// other first digit stays non-zero.
#[inline]
fn keyed_digit(first: &mut bool, original: u8, digits: &mut KeyedDigits) -> u8 {
    let d = if !*first {
        digits.next::<10>()
    } else if original == b'0' {
        0
    } else {
        1 + digits.next::<9>()
    };
    *first = false;
    d
}

/// [`phone`]'s digits replaced while the value is copied out piece by piece
/// (values of any length).
fn phone_streamed(value: &str, digits: &mut KeyedDigits, out: &mut String) {
    out.reserve(value.len());
    let mut first = true;
    // Start of the text since the last digit: copied whole at the next one
    // (digits are ASCII, so both ends are char boundaries).
    let mut kept = 0;
    for (i, b) in value.bytes().enumerate() {
        if !b.is_ascii_digit() {
            continue;
        }
        let d = keyed_digit(&mut first, b, digits);
        out.push_str(&value[kept..i]);
        out.push(char::from(b'0' + d));
        kept = i + 1;
    }
    out.push_str(&value[kept..]);
}

/// An endless stream of uniform keyed digits for one value: the digest's
/// bytes with rejection of the few that would bias the result, then
/// further digests in counter mode.
struct KeyedDigits<'a> {
    salt: &'a Salt,
    value: &'a [u8],
    block: [u8; 32],
    pos: usize,
    counter: u32,
}

impl<'a> KeyedDigits<'a> {
    fn new(salt: &'a Salt, value: &'a [u8]) -> Self {
        KeyedDigits {
            salt,
            value,
            block: salt.keyed(Keyed::FakePhone, value),
            pos: 0,
            counter: 0,
        }
    }

    /// A digit in `0..N` (`N` is 9 or 10; a constant, so that the
    /// remainder is a multiplication).
    #[inline]
    fn next<const N: u8>(&mut self) -> u8 {
        // Largest multiple of N that fits in a byte.
        let limit = 256 - (256 % u16::from(N));
        loop {
            if self.pos == self.block.len() {
                self.counter += 1;
                self.block =
                    self.salt
                        .mac(&[b"fake_phone+\0", &self.counter.to_be_bytes(), self.value]);
                self.pos = 0;
            }
            let b = self.block[self.pos];
            self.pos += 1;
            if u16::from(b) < limit {
                return b % N;
            }
        }
    }
}

/// Given names, ASCII letters only (they also go into e-mail addresses).
/// Exactly 256, so a digest byte picks one uniformly.
pub(crate) const FIRST_NAMES: [&str; 256] = [
    "Aaron",
    "Abigail",
    "Adam",
    "Adele",
    "Adrian",
    "Agnes",
    "Ahmed",
    "Aiko",
    "Aisha",
    "Alan",
    "Albert",
    "Alec",
    "Alejandro",
    "Alexa",
    "Alfred",
    "Alice",
    "Alma",
    "Amara",
    "Amelia",
    "Amir",
    "Ana",
    "Anders",
    "Andrea",
    "Andrew",
    "Angela",
    "Anita",
    "Anna",
    "Anton",
    "Arjun",
    "Astrid",
    "Aurora",
    "Ava",
    "Ben",
    "Bianca",
    "Boris",
    "Brenda",
    "Bruno",
    "Caleb",
    "Camila",
    "Carl",
    "Carla",
    "Carmen",
    "Caroline",
    "Cecilia",
    "Chen",
    "Chloe",
    "Chris",
    "Clara",
    "Colin",
    "Cora",
    "Daniel",
    "Daria",
    "David",
    "Deborah",
    "Declan",
    "Diana",
    "Diego",
    "Dimitri",
    "Dora",
    "Edgar",
    "Edith",
    "Eduardo",
    "Elena",
    "Eli",
    "Elif",
    "Elijah",
    "Elise",
    "Ella",
    "Emil",
    "Emily",
    "Emma",
    "Enzo",
    "Eric",
    "Erik",
    "Esther",
    "Ethan",
    "Eva",
    "Fabian",
    "Fatima",
    "Felix",
    "Fiona",
    "Frank",
    "Freya",
    "Gabriel",
    "Gemma",
    "George",
    "Gianna",
    "Grace",
    "Greta",
    "Hana",
    "Hannah",
    "Hans",
    "Harper",
    "Hassan",
    "Hector",
    "Helen",
    "Henry",
    "Hugo",
    "Ian",
    "Ida",
    "Igor",
    "Ines",
    "Ingrid",
    "Irene",
    "Isaac",
    "Isabel",
    "Ivan",
    "Jack",
    "Jacob",
    "Jade",
    "James",
    "Jana",
    "Jasper",
    "Javier",
    "Jonas",
    "Joao",
    "Jorge",
    "Josef",
    "Julia",
    "Julian",
    "Kai",
    "Karen",
    "Karim",
    "Kate",
    "Keith",
    "Kenji",
    "Kim",
    "Klara",
    "Lars",
    "Laura",
    "Lea",
    "Leila",
    "Leo",
    "Leon",
    "Lila",
    "Linus",
    "Lisa",
    "Lorenzo",
    "Louis",
    "Lucas",
    "Lucia",
    "Luis",
    "Luka",
    "Maja",
    "Malik",
    "Marco",
    "Maria",
    "Marius",
    "Marta",
    "Mateo",
    "Matilda",
    "Max",
    "Maya",
    "Mei",
    "Mia",
    "Miguel",
    "Mila",
    "Mina",
    "Moritz",
    "Nadia",
    "Naomi",
    "Nathan",
    "Nell",
    "Nico",
    "Nina",
    "Noah",
    "Nora",
    "Olga",
    "Oliver",
    "Olivia",
    "Omar",
    "Oscar",
    "Otto",
    "Paola",
    "Pascal",
    "Paul",
    "Paula",
    "Pedro",
    "Petra",
    "Philip",
    "Pia",
    "Priya",
    "Quentin",
    "Rafael",
    "Rania",
    "Raul",
    "Rebecca",
    "Rhea",
    "Rico",
    "Rita",
    "Robert",
    "Rosa",
    "Ruben",
    "Ruth",
    "Ryan",
    "Sabine",
    "Salma",
    "Sam",
    "Samuel",
    "Sara",
    "Sean",
    "Selma",
    "Sergio",
    "Simon",
    "Sofia",
    "Sonja",
    "Stella",
    "Stefan",
    "Sven",
    "Tara",
    "Teresa",
    "Theo",
    "Thomas",
    "Tim",
    "Tina",
    "Tobias",
    "Tom",
    "Uma",
    "Ursula",
    "Valentin",
    "Vera",
    "Victor",
    "Vivian",
    "Walter",
    "Wanda",
    "Wei",
    "Wendy",
    "Xavier",
    "Yara",
    "Yasmin",
    "Yusuf",
    "Zara",
    "Zoe",
    "Aditi",
    "Bjorn",
    "Celine",
    "Dalia",
    "Emre",
    "Farah",
    "Goran",
    "Hiro",
    "Imani",
    "Jin",
    "Kofi",
    "Lena",
    "Mateus",
    "Nils",
    "Ola",
    "Rui",
    "Sanna",
    "Tariq",
    "Uri",
    "Vilma",
    "Yuki",
    "Zeynep",
    "Amos",
];

/// Family names, same rules as [`FIRST_NAMES`].
pub(crate) const LAST_NAMES: [&str; 256] = [
    "Abbott",
    "Acosta",
    "Adler",
    "Ahmadi",
    "Alvarez",
    "Andersen",
    "Arnold",
    "Bach",
    "Baker",
    "Banerjee",
    "Barros",
    "Bauer",
    "Becker",
    "Bell",
    "Berg",
    "Bianchi",
    "Blake",
    "Bose",
    "Brandt",
    "Brooks",
    "Brown",
    "Bruno",
    "Campbell",
    "Carter",
    "Castro",
    "Chavez",
    "Chen",
    "Clarke",
    "Coleman",
    "Costa",
    "Cruz",
    "Dahl",
    "Davies",
    "Delgado",
    "Diaz",
    "Dubois",
    "Duarte",
    "Eklund",
    "Ellis",
    "Engel",
    "Evans",
    "Falk",
    "Farah",
    "Fernandes",
    "Fischer",
    "Fleming",
    "Fontaine",
    "Ford",
    "Foster",
    "Fox",
    "Frank",
    "Fuchs",
    "Garcia",
    "Gill",
    "Gomez",
    "Graham",
    "Gray",
    "Greco",
    "Gupta",
    "Haas",
    "Hahn",
    "Hall",
    "Hansen",
    "Hart",
    "Hayes",
    "Hoffmann",
    "Holm",
    "Horvat",
    "Hughes",
    "Ibrahim",
    "Iversen",
    "Jansen",
    "Jensen",
    "Johnson",
    "Jones",
    "Kaiser",
    "Kang",
    "Kaur",
    "Keller",
    "Kelly",
    "Khan",
    "Kim",
    "Klein",
    "Koch",
    "Kowalski",
    "Kramer",
    "Kruger",
    "Kumar",
    "Lambert",
    "Lang",
    "Larsen",
    "Laurent",
    "Lehmann",
    "Lindqvist",
    "Lopez",
    "Lund",
    "Mahler",
    "Marin",
    "Marsh",
    "Martin",
    "Mason",
    "Meyer",
    "Miller",
    "Mills",
    "Molina",
    "Moreau",
    "Moreno",
    "Morris",
    "Muller",
    "Murphy",
    "Nagy",
    "Nakamura",
    "Navarro",
    "Neumann",
    "Nguyen",
    "Nielsen",
    "Novak",
    "Nowak",
    "Oliveira",
    "Olsen",
    "Ortiz",
    "Owen",
    "Park",
    "Patel",
    "Pereira",
    "Perez",
    "Peters",
    "Petrov",
    "Pham",
    "Popescu",
    "Porter",
    "Quinn",
    "Ramos",
    "Reed",
    "Reyes",
    "Richter",
    "Rios",
    "Rossi",
    "Russo",
    "Sanchez",
    "Santos",
    "Sato",
    "Schmidt",
    "Schneider",
    "Schulz",
    "Scott",
    "Shah",
    "Silva",
    "Simmons",
    "Singh",
    "Smith",
    "Sousa",
    "Stewart",
    "Stone",
    "Suzuki",
    "Svensson",
    "Tanaka",
    "Taylor",
    "Thomsen",
    "Torres",
    "Turner",
    "Vargas",
    "Vasquez",
    "Vogel",
    "Wagner",
    "Walsh",
    "Wang",
    "Ward",
    "Weber",
    "Wells",
    "West",
    "White",
    "Wolf",
    "Wong",
    "Wright",
    "Yamamoto",
    "Young",
    "Zhang",
    "Ziegler",
    "Zimmermann",
    "Aalto",
    "Barker",
    "Castillo",
    "Dietrich",
    "Eriksen",
    "Ferrari",
    "Gallo",
    "Herrera",
    "Ivanova",
    "Jovanovic",
    "Kovacs",
    "Lindberg",
    "Moller",
    "Nolan",
    "Okafor",
    "Pacheco",
    "Quintero",
    "Rasmussen",
    "Sauer",
    "Takahashi",
    "Ueda",
    "Valdez",
    "Winter",
    "Yilmaz",
    "Zamora",
    "Adeyemi",
    "Berger",
    "Conti",
    "Dalton",
    "Estrada",
    "Forsberg",
    "Galindo",
    "Hendricks",
    "Ishikawa",
    "Jaramillo",
    "Kuhn",
    "Lorenz",
    "Mendes",
    "Nilsson",
    "Obi",
    "Pires",
    "Romano",
    "Sharma",
    "Tran",
    "Ulrich",
    "Vidal",
    "Webb",
    "Xu",
    "Yang",
    "Zhou",
    "Amato",
    "Baptiste",
    "Cardenas",
    "Dunn",
    "Ekstrom",
    "Fiore",
    "Grant",
    "Holmberg",
    "Iqbal",
    "Joshi",
    "Keane",
    "Landry",
    "Marquez",
    "Nash",
    "Osei",
    "Prieto",
    "Roth",
    "Strand",
    "Toivonen",
    "Unger",
    "Vance",
    "Weiss",
    "Yoon",
    "Zeller",
    "Brennan",
    "Hartmann",
];

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn salt() -> Salt {
        Salt::from_secret(b"fake-test-salt-0123456789").unwrap()
    }

    fn push_lower(out: &mut String, s: &str) {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
    }

    /// [`email`] as it was written before it was built on the stack.
    fn email_reference(salt: &Salt, value: &[u8], out: &mut String) {
        let d = salt.keyed(Keyed::FakeEmail, value);
        push_lower(out, FIRST_NAMES[usize::from(d[0])]);
        out.push('.');
        push_lower(out, LAST_NAMES[usize::from(d[1])]);
        out.push('.');
        let mut bits = u64::from_be_bytes([d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9]]);
        let mut suffix = [0u8; EMAIL_SUFFIX_LEN];
        for c in &mut suffix {
            *c = BASE32[(bits >> 59) as usize];
            bits <<= 5;
        }
        out.push_str(std::str::from_utf8(&suffix).unwrap());
        out.push('@');
        out.push_str(EMAIL_DOMAIN);
    }

    /// [`phone`] without its copy on the stack: every value through the
    /// streamed path.
    fn phone_reference(salt: &Salt, value: &str, out: &mut String) {
        if !value.bytes().any(|b| b.is_ascii_digit()) {
            return phone(salt, value, out);
        }
        phone_streamed(value, &mut KeyedDigits::new(salt, value.as_bytes()), out);
    }

    proptest::proptest! {
        #[test]
        fn fakes_are_the_reference_ones(value in "[0-9 +().é/a-z-]{0,80}") {
            let s = salt();
            let (mut a, mut b) = (String::from("x"), String::from("x"));
            email(&s, value.as_bytes(), &mut a);
            email_reference(&s, value.as_bytes(), &mut b);
            proptest::prop_assert_eq!(&a, &b);
            let (mut a, mut b) = (String::from("x"), String::from("x"));
            phone(&s, &value, &mut a);
            phone_reference(&s, &value, &mut b);
            proptest::prop_assert_eq!(&a, &b);
        }
    }

    #[test]
    fn longest_address_fits_the_buffer() {
        let longest = |list: &[&str]| list.iter().map(|n| n.len()).max().unwrap();
        assert!(
            longest(&FIRST_NAMES)
                + longest(&LAST_NAMES)
                + 2
                + EMAIL_SUFFIX_LEN
                + 1
                + EMAIL_DOMAIN.len()
                <= 64
        );
    }

    #[test]
    fn lists_are_distinct_letters() {
        for list in [&FIRST_NAMES, &LAST_NAMES] {
            let set: HashSet<_> = list.iter().map(|n| n.to_ascii_lowercase()).collect();
            assert_eq!(set.len(), 256);
            assert!(list
                .iter()
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphabetic())));
        }
    }

    #[test]
    fn emails_look_right_and_are_deterministic() {
        let s = salt();
        let mut a = String::new();
        email(&s, b"anna@corp.example", &mut a);
        let mut b = String::new();
        email(&s, b"anna@corp.example", &mut b);
        assert_eq!(a, b);
        let (local, domain) = a.split_once('@').unwrap();
        assert_eq!(domain, "example.com");
        let parts: Vec<&str> = local.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[2].len(), EMAIL_SUFFIX_LEN);
        let mut c = String::new();
        email(&s, b"anna@corp.example ", &mut c);
        assert_ne!(a, c);
    }

    #[test]
    fn phones_keep_their_format() {
        let s = salt();
        for input in [
            "+49 170 1234567",
            "(030) 123-45-67 ext. 12",
            "0170/9876543",
            "12",
        ] {
            let mut out = String::new();
            phone(&s, input, &mut out);
            assert_eq!(out.len(), input.len());
            for (a, b) in input.chars().zip(out.chars()) {
                assert_eq!(a.is_ascii_digit(), b.is_ascii_digit(), "{input} -> {out}");
                if !a.is_ascii_digit() {
                    assert_eq!(a, b);
                }
            }
            assert_ne!(out, input);
        }
        let mut out = String::new();
        phone(&s, "0123", &mut out);
        assert!(out.starts_with('0'));
        out.clear();
        phone(&s, "+4", &mut out);
        assert_ne!(out, "+0");
        out.clear();
        phone(&s, "unknown", &mut out);
        assert!(out.starts_with("+1 555 ") && out.len() == 15, "{out}");
        // Long inputs draw more digests.
        let long = "1".repeat(200);
        out.clear();
        phone(&s, &long, &mut out);
        assert_eq!(out.len(), 200);
        assert!(out.bytes().all(|b| b.is_ascii_digit()));
    }
}
