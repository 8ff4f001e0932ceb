//! `mask-tool`: see the README; this binary grows its subcommands over the `common` engine.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--version") | Some("-V") => {
            println!("mask-tool {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("mask-tool: no subcommands are available in this version; see the README");
            ExitCode::from(2)
        }
    }
}
