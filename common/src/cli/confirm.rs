//! The one confirmation prompt before something is replaced.
//!
//! Without a terminal to ask on (cron, CI, a pipe) nothing is replaced unless `--yes` was given:
//! a script must say so explicitly.

use std::io::{BufRead, IsTerminal, Write};

use crate::error::{Error, Result};

/// Asks the operator to type `name` before `what` is replaced; `yes` skips the question.
/// Returns whether they agreed.
pub fn confirm_replace(what: &str, name: &str, yes: bool) -> Result<bool> {
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::Refused(format!(
            "{what} needs confirmation: type '{name}' at the prompt, or pass --yes in scripts"
        )));
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{what}. Type '{name}' to confirm: ");
    let _ = err.flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::io("cannot read the confirmation", e))?;
    Ok(line.trim() == name)
}
