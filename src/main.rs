//! The `casetag` command line.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use casetag::app::{App, Options, SystemClock};
use casetag::batch::Batch;
use casetag::cli::{self, CleanWriter, EXIT_ERROR, EXIT_OK, Outcome, or_exit, report};
use casetag::config::Config;
use casetag::export::{self, ExportOptions, Format};
use casetag::keymap::Keymap;
use casetag::record::Decision;
use casetag::state::default_state_dir;
use casetag::taxonomy::Taxonomy;

/// Review and tag CCIN case-study submissions, keyboard only.
///
/// `casetag DIR` opens the batch of submissions in DIR (default: the current
/// folder) in the terminal program; the commands below work without it.
#[derive(Parser, Debug)]
#[command(
    name = "casetag",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Args {
    /// The folder of submissions to open.
    dir: Option<PathBuf>,

    /// Use this taxonomy instead of the built-in one.
    #[arg(long, global = true, value_name = "FILE")]
    taxonomy: Option<PathBuf>,

    /// Lay this keymap over the default and the user's one.
    #[arg(long, global = true, value_name = "FILE")]
    keymap: Option<PathBuf>,

    /// The name written to records as the reviewer.
    #[arg(long, global = true, value_name = "NAME")]
    reviewer: Option<String>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check every submission and record: one line per problem; exit 1 if any.
    Check {
        dir: PathBuf,
        /// Also list warnings (unrecognised principle statements, unknown proposed tags).
        #[arg(short = 'W', long)]
        warnings: bool,
    },
    /// Progress and counts per category, principle and value.
    Stats {
        dir: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Export the approved case studies for the website (csv, json) or the printed pack.
    Export {
        dir: PathBuf,
        #[arg(long, value_enum)]
        format: FormatArg,
        /// Write to FILE instead of standard output (`-` is standard output).
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Which decisions to export, comma-separated.
        #[arg(long, value_delimiter = ',', value_parser = export::parse_decision, default_value = "approve")]
        decision: Vec<Decision>,
        /// Include the officer's note (csv and json).
        #[arg(long)]
        note: bool,
        /// Export invalid and changed records too.
        #[arg(long)]
        force: bool,
        /// csv: keep cells that start with = + - @ as they are, instead of
        /// putting a ' before them so that a spreadsheet shows them as text.
        #[arg(long)]
        raw_cells: bool,
    },
    /// Write the sample batch to DIR (default: a new temporary folder) and open it.
    Demo { dir: Option<PathBuf> },
    /// Show what casetag read from one submission.
    Show {
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print the shell completion script for SHELL, to be sourced by the shell.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: cli::Shell,
    },
    /// Print the manual page (roff), e.g. `casetag man | man -l -`.
    Man {
        /// A command whose own page to print (`casetag man check`).
        command: Option<String>,
    },
}

/// What to export as (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    /// A table for the website's import (one row per case study).
    Csv,
    /// The same data as JSON, for scripts.
    Json,
    /// The printed Case Studies Pack, in Markdown (for pandoc).
    Pack,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Pack => Format::Pack,
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    // Messages name files and quote them: they reach the terminal cleaned.
    let mut err = CleanWriter::new(io::stderr());
    let rc = cli::exit_code(run(args, &mut err));
    drop(err);
    ExitCode::from(u8::try_from(rc).unwrap_or(2))
}

/// Runs the command line; every failure is reported once, by [`or_exit`].
fn run(args: Args, err: &mut dyn Write) -> Outcome {
    let taxonomy = or_exit(
        cli::load_taxonomy(args.taxonomy.as_deref()),
        EXIT_ERROR,
        err,
    )?;
    // Reports are cleaned by each command; an export is data and goes out as
    // it is, unless it is about to be shown on a terminal.
    let stdout = io::stdout();
    let out: &mut dyn Write = &mut if stdout.is_terminal() {
        Box::new(CleanWriter::new(stdout)) as Box<dyn Write>
    } else {
        Box::new(stdout)
    };
    match args.command {
        Some(Command::Check { dir, warnings }) => {
            Ok(cli::check(&dir, &taxonomy, warnings, out, err))
        }
        Some(Command::Stats { dir, json }) => Ok(cli::stats(&dir, &taxonomy, json, out, err)),
        Some(Command::Show { file, json }) => Ok(cli::show(&file, &taxonomy, json, out, err)),
        Some(Command::Export {
            dir,
            format,
            output,
            decision,
            note,
            force,
            raw_cells,
        }) => {
            let opts = ExportOptions {
                format: format.into(),
                decisions: decision,
                include_note: note,
                force,
                output,
                raw_cells,
            };
            Ok(cli::export(&dir, &taxonomy, &opts, out, err))
        }
        Some(Command::Completions { shell }) => Ok(cli::completions(shell, Args::command(), out)),
        Some(Command::Man { command }) => {
            Ok(cli::man(Args::command(), command.as_deref(), out, err))
        }
        Some(Command::Demo { dir }) => {
            let dir = or_exit(
                casetag::demo::write_sample(dir.as_deref())
                    .map_err(|e| format!("cannot write the sample batch: {e}")),
                EXIT_ERROR,
                err,
            )?;
            report(
                err,
                format_args!("the sample batch is in {}", dir.display()),
            );
            open(
                &dir,
                taxonomy,
                args.keymap.as_deref(),
                args.reviewer.as_deref(),
                err,
            )
        }
        None => {
            let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
            open(
                &dir,
                taxonomy,
                args.keymap.as_deref(),
                args.reviewer.as_deref(),
                err,
            )
        }
    }
}

/// Opens a batch in the terminal program.
fn open(
    dir: &Path,
    taxonomy: Taxonomy,
    keymap: Option<&Path>,
    reviewer: Option<&str>,
    err: &mut dyn Write,
) -> Outcome {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        report(
            err,
            format_args!(
                "opening {} needs a terminal; to check a batch without one, run `casetag check {}`",
                dir.display(),
                dir.display()
            ),
        );
        return Err(EXIT_ERROR);
    }
    let config = or_exit(Config::load(), EXIT_ERROR, err)?;
    let keymap = or_exit(Keymap::load(keymap), EXIT_ERROR, err)?;
    // Temporary files left by a crash are never records; clear them first.
    let _ = casetag::record::clean_temp_files(dir);
    // The list is read in the background once the screen is up.
    let listing = or_exit(Batch::listing(dir), EXIT_ERROR, err)?;
    let options = Options {
        reviewer: config.reviewer(reviewer),
        taxonomy,
        keymap,
        state_dir: default_state_dir(),
        export_dir: config.export_dir.clone(),
        clock: Box::new(SystemClock),
    };
    let mut batch = Batch::empty(dir);
    batch.skipped = listing.skipped;
    let mut app = App::new(batch, options);
    or_exit(
        casetag::tui::run(&mut app, listing.submissions)
            .map_err(|e| format!("terminal error: {e}")),
        EXIT_ERROR,
        err,
    )?;
    Ok(EXIT_OK)
}
