//! Masks one plain dump file: `mask_file RULES INPUT OUTPUT`. The salt
//! comes from the variable the rules name, or is random with
//! `MASK_RANDOM_SALT=1`. Prints the report as JSON.

use std::fs::File;
use std::io::{BufReader, BufWriter};

use common::mask::{MaskContext, Masker, Rules, Salt};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [rules, input, output] = args.as_slice() else {
        return Err("usage: mask_file RULES INPUT OUTPUT".into());
    };
    let rules = Rules::load(rules.as_ref())?;
    let salt = if std::env::var_os("MASK_RANDOM_SALT").is_some() {
        Salt::random()
    } else {
        Salt::from_env(&rules)?
    };
    let input = BufReader::with_capacity(256 * 1024, File::open(input)?);
    let output = BufWriter::new(File::create(output)?);
    let report = Masker::new(&rules, MaskContext::new(salt))?.run(input, output)?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
