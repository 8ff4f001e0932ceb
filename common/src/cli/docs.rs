//! Shell completions and man pages, generated from a tool's own argument definitions, so they
//! can never disagree with `--help`.
//!
//! Installed with, for example:
//!
//! ```text
//! backup-tool completions bash > /etc/bash_completion.d/backup-tool
//! backup-tool completions zsh  > /usr/local/share/zsh/site-functions/_backup-tool
//! backup-tool completions fish > ~/.config/fish/completions/backup-tool.fish
//! backup-tool manpage > /usr/local/share/man/man1/backup-tool.1
//! ```

use std::io::Write;

/// Writes the completion script of `cmd` for `shell` to `out`.
pub fn completions(mut cmd: clap::Command, shell: clap_complete::Shell, out: &mut dyn Write) {
    let name = cmd.get_name().to_string();
    clap_complete::generate(shell, &mut cmd, name, out);
}

/// Writes the man page (roff) of `cmd`, with a section for each subcommand, to `out`.
pub fn manpage(cmd: clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    let cmd = cmd.disable_help_subcommand(true);
    clap_mangen::Man::new(cmd.clone()).render(out)?;
    for sub in cmd.get_subcommands() {
        if sub.is_hide_set() {
            continue;
        }
        let title = format!("{} {}", cmd.get_name(), sub.get_name()).to_uppercase();
        writeln!(out, ".SH \"{title}\"")?;
        if let Some(about) = sub.get_long_about().or(sub.get_about()) {
            writeln!(out, "{}", about.to_string().replace('\n', "\n.br\n"))?;
        }
        clap_mangen::Man::new(sub.clone()).render_options_section(out)?;
        if let Some(after) = sub.get_after_help() {
            writeln!(out, ".PP\n.nf\n{}\n.fi", after.to_string().replace('\\', "\\\\"))?;
        }
    }
    Ok(())
}
