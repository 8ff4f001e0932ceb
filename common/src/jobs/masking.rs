//! The rules and the salt, as every command that masks gets them: one loader, one resolver.

use std::path::Path;

use mask::{MaskContext, Rules, Salt};

use crate::error::{Error, Result};

/// Where the salt of a run comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SaltChoice {
    /// The variable the rules name (`salt_env`, default `MASK_SALT`), read only when the rules
    /// use a keyed transform.
    #[default]
    FromRules,
    /// A fresh random salt for this run, asked for explicitly: masked values do not match those
    /// of any other run.
    Random,
}

/// Reads and checks a rules file. A file that cannot be read and rules that are not valid are
/// both configuration errors (exit 2), each naming the file once.
pub fn load_rules(path: &Path) -> Result<Rules> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::ConfigRead {
        what: "rules file",
        path: path.to_path_buf(),
        source,
    })?;
    Ok(Rules::parse(&text, &path.display().to_string())?)
}

/// The masking context of a run: a random salt when asked for, else the rules' salt from its
/// variable when the rules need one, else none. A missing or short salt is a configuration
/// error naming the variable, never its value.
pub fn context(rules: &Rules, choice: SaltChoice) -> Result<MaskContext> {
    if choice == SaltChoice::Random {
        tracing::warn!("using a random salt: masked values are not reproducible across runs");
        return Ok(MaskContext::new(Salt::random()));
    }
    if !rules.needs_salt() {
        return Ok(MaskContext::without_salt());
    }
    let var = rules.salt_env();
    let value = std::env::var_os(var).unwrap_or_default();
    crate::secrets::remember(&value.to_string_lossy());
    Ok(MaskContext::new(Salt::from_var_value(var, value)?))
}

/// Rules and salt choice, for a run that masks on the way (a restore, a refresh).
#[derive(Debug, Clone)]
pub struct MaskSpec {
    /// The rules.
    pub rules: Rules,
    /// Where the salt comes from.
    pub salt: SaltChoice,
}

impl MaskSpec {
    /// The masking context of the run (see [`context`]).
    pub fn context(&self) -> Result<MaskContext> {
        context(&self.rules, self.salt)
    }
}
