//! `casetag completions SHELL` and `casetag man`: generated from the same
//! clap definitions as `--help`, so they never drift from the commands.

use std::io::Write;

use super::{EXIT_ERROR, EXIT_OK, report};

pub use clap_complete::Shell;

/// `casetag completions SHELL`: the completion script for `shell`.
pub fn completions(shell: Shell, mut cmd: clap::Command, out: &mut dyn Write) -> i32 {
    let name = cmd.get_name().to_string();
    clap_complete::generate(shell, &mut cmd, name, out);
    EXIT_OK
}

/// `casetag man [COMMAND]`: the manual page of casetag, which lists the
/// commands as `casetag-check(1)` and so on, or the page of one command.
pub fn man(
    mut cmd: clap::Command,
    command: Option<&str>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    cmd.build();
    let page = match command {
        None => cmd,
        Some(name) => {
            let Some(sub) = cmd.find_subcommand(name) else {
                let names = command_names(&cmd);
                report(
                    err,
                    format_args!("no command `{name}`; the commands are {}", names.join(", ")),
                );
                return EXIT_ERROR;
            };
            // the page is casetag-check(1); its synopsis stays `casetag check`
            let title = format!("{}-{}", cmd.get_name(), sub.get_name());
            let version = cmd.get_version().unwrap_or_default().to_owned();
            sub.clone().name(title).version(version)
        }
    };
    match clap_mangen::Man::new(page).render(out) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            report(err, format_args!("cannot write the manual page: {e}"));
            EXIT_ERROR
        }
    }
}

/// The names of casetag's commands, `help` left out.
pub fn command_names(cmd: &clap::Command) -> Vec<&str> {
    cmd.get_subcommands()
        .map(clap::Command::get_name)
        .filter(|n| *n != "help")
        .collect()
}

/// The command `word` was most likely meant to be: one or two letters
/// wrong, missing, extra or swapped (`chek`, `exprot`, `stat`).
pub fn closest_command<'a>(word: &str, names: Vec<&'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    let most = if word.chars().count() <= 3 { 1 } else { 2 };
    names
        .into_iter()
        .map(|n| (strsim::osa_distance(&word, n), n))
        .filter(|&(d, _)| d <= most)
        .min_by_key(|&(d, _)| d)
        .map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::closest_command;

    #[test]
    fn near_misses_find_their_command_and_others_nothing() {
        let names = || {
            vec![
                "check",
                "stats",
                "export",
                "demo",
                "show",
                "completions",
                "man",
            ]
        };
        assert_eq!(closest_command("chek", names()), Some("check"));
        assert_eq!(closest_command("CHECK", names()), Some("check"));
        assert_eq!(closest_command("exprot", names()), Some("export"));
        assert_eq!(closest_command("stat", names()), Some("stats"));
        assert_eq!(closest_command("shwo", names()), Some("show"));
        assert_eq!(closest_command("mna", names()), Some("man"));
        assert_eq!(closest_command("batch", names()), None);
        assert_eq!(closest_command("submissions", names()), None);
        assert_eq!(closest_command("b", names()), None);
    }
}
