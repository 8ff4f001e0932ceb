//! One file per subcommand.

mod apply;
mod filter;
mod leaks;
mod lint;

use std::process::ExitCode;

use anyhow::Result;
use common::mask::{MaskContext, Rules, Salt};

use crate::cli::{Command, SaltArgs};

/// Runs a subcommand and returns the exit code it chose.
pub fn run(cmd: Command) -> Result<ExitCode> {
    match cmd {
        Command::Filter(a) => filter::run(a),
        Command::Apply(a) => apply::run(a),
        Command::Lint(a) => lint::run(a),
        Command::Leaks(a) => leaks::run(a),
    }
}

/// Loads a rules file; its errors are usage errors (exit 2) naming the file.
pub fn load_rules(path: &std::path::Path) -> Result<Rules> {
    Rules::load(path).map_err(|e| {
        common::Error::Config {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
        .into()
    })
}

/// The masking context: the rules' salt from its variable, a random one when asked, or none when
/// the rules need none.
pub fn context(rules: &Rules, salt: &SaltArgs) -> Result<MaskContext> {
    if salt.random_salt {
        tracing::warn!("using a random salt: outputs are not reproducible across runs");
        return Ok(MaskContext::new(Salt::random()));
    }
    if rules.needs_salt() {
        let s = Salt::from_env(rules)
            .map_err(|e| common::Error::Usage(format!("{e} (or pass --random-salt)")))?;
        return Ok(MaskContext::new(s));
    }
    Ok(MaskContext::without_salt())
}
