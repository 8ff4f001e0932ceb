//! Arguments every tool takes the same way, defined once and flattened into each command.

use std::path::PathBuf;

use clap::Args;

use crate::jobs::masking::SaltChoice;

/// `-v` / `-q`: how much is logged on stderr.
#[derive(Debug, Clone, Copy, Args, Default)]
pub struct LogArgs {
    /// More log output on stderr (-v debug, -vv trace). Logs never hold row values.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only warnings and errors on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// How a PostgreSQL database is reached from the command line: where its password is, where
/// the client programs are.
#[derive(Debug, Clone, Args, Default)]
pub struct PgArgs {
    /// Name of an environment variable holding the database password (never put a password on
    /// the command line; PGPASSWORD and ~/.pgpass work too).
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// Folder holding pg_dump and psql, instead of PATH.
    #[arg(long, value_name = "DIR")]
    pub pg_bin_dir: Option<PathBuf>,
}

/// `--password-env` alone, for commands that run no client program.
#[derive(Debug, Clone, Args, Default)]
pub struct PasswordArgs {
    /// Name of an environment variable holding the database password (never put a password on
    /// the command line; PGPASSWORD and ~/.pgpass work too).
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
}

/// Where the masking salt comes from.
#[derive(Debug, Clone, Copy, Args, Default)]
pub struct SaltArgs {
    /// Use a random salt for this run instead of the rules' salt_env: output is not reproducible
    /// and joins across separate runs will not match.
    #[arg(long)]
    pub random_salt: bool,
}

impl SaltArgs {
    /// The choice these flags make.
    pub fn choice(&self) -> SaltChoice {
        if self.random_salt {
            SaltChoice::Random
        } else {
            SaltChoice::FromRules
        }
    }
}

/// `--json`: the report as JSON on stdout instead of text.
#[derive(Debug, Clone, Copy, Args, Default)]
pub struct OutputArgs {
    /// Print the result as JSON on stdout (on failure too: an object with the error and the exit
    /// code).
    #[arg(long)]
    pub json: bool,
}

/// `--identity`: the age identity files that decrypt encrypted backups.
#[derive(Debug, Clone, Args, Default)]
pub struct IdentityArgs {
    /// age identity file (`age-keygen` output, or an SSH private key) that decrypts encrypted
    /// backups (`....age`); repeatable. Default: the file named by BACKUP_TOOLS_IDENTITY. The
    /// file must not be readable by group or others.
    #[arg(long, value_name = "FILE")]
    pub identity: Vec<PathBuf>,
}

impl IdentityArgs {
    /// Loads the identities for this run (see [`crate::store::target::set_identity_files`]).
    pub fn load(&self) -> crate::Result<()> {
        crate::store::target::set_identity_files(&self.identity)
    }
}

/// Arguments of `completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
