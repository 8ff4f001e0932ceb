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
pub fn completions(
    mut cmd: clap::Command,
    shell: clap_complete::Shell,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let name = cmd.get_name().to_string();
    // Generated in memory, so that a closed pipe or a full disk is an error, not a panic.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, name.clone(), &mut script);
    let mut text = String::from_utf8_lossy(&script).into_owned();
    if shell == clap_complete::Shell::Bash {
        // The bash generator spells the case labels of a program whose name has a `-` unlike
        // the names it looks them up by (`backup__subcmd__tool` vs `backup__tool`), so no option
        // after a subcommand would complete.
        text = text.replace(&name.replace('-', "__subcmd__"), &name.replace('-', "__"));
    }
    out.write_all(text.as_bytes())?;
    out.flush()
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
            writeln!(
                out,
                ".PP\n.nf\n{}\n.fi",
                after.to_string().replace('\\', "\\\\")
            )?;
        }
    }
    Ok(())
}
