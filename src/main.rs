//! The `casetag` command line.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use casetag::app::{App, Options, SystemClock};
use casetag::batch::Batch;
use casetag::cli::{self, CleanWriter, EXIT_ERROR, EXIT_OK, Outcome, or_exit, report};
use casetag::config::Config;
use casetag::export::{self, ExportOptions, Format};
use casetag::keymap::Keymap;
use casetag::record::Decision;
use casetag::session::default_state_dir;
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
    /// The folder of submissions to open (default: the current folder).
    dir: Option<PathBuf>,

    #[command(flatten)]
    open: OpenArgs,

    #[command(subcommand)]
    command: Option<Command>,
}

/// `--taxonomy`: every command that reads submissions or records.
#[derive(clap::Args, Debug)]
struct TaxonomyArg {
    /// Use this taxonomy instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    taxonomy: Option<PathBuf>,
}

/// The options of the terminal program (`casetag DIR`, `casetag demo`).
#[derive(clap::Args, Debug)]
struct OpenArgs {
    #[command(flatten)]
    taxonomy: TaxonomyArg,

    /// Lay this keymap over the default and the user's one.
    #[arg(long, value_name = "FILE")]
    keymap: Option<PathBuf>,

    /// The name written to records as the reviewer (default: `reviewer` in
    /// the config file, else the login name).
    #[arg(long, value_name = "NAME")]
    reviewer: Option<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check every submission and record: one line per problem; exit 1 if any.
    Check {
        /// The folder of submissions to check.
        dir: PathBuf,
        /// Also list warnings (unrecognised principle statements, unknown proposed tags).
        #[arg(short = 'W', long)]
        warnings: bool,
        #[command(flatten)]
        taxonomy: TaxonomyArg,
    },
    /// Progress and counts per category, principle and value.
    Stats {
        /// The folder of submissions to count.
        dir: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Compare with the same submissions tagged by another officer in
        /// OTHER_DIR: percent agreement and Cohen's kappa per field, and
        /// where they differ.
        #[arg(long, value_name = "OTHER_DIR")]
        compare: Option<PathBuf>,
        #[command(flatten)]
        taxonomy: TaxonomyArg,
    },
    /// Export the approved case studies for the website (csv, json) or the printed pack.
    ///
    /// The printed Case Studies Pack comes in three formats with the same
    /// content: pack (Markdown, for pandoc), docx (an editable Word document
    /// with a contents field, built-in styles, real lists and tables) and
    /// html (one self-contained page: open it in a browser, then Print and
    /// Save as PDF).
    Export {
        /// The folder of submissions to export from.
        dir: PathBuf,
        /// What to write.
        #[arg(long, value_enum)]
        format: FormatArg,
        /// Write to FILE instead of standard output (`-` is standard output).
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Which decisions to export, comma-separated.
        #[arg(long, value_delimiter = ',', value_parser = export::parse_decision, default_value = "approve")]
        decision: Vec<Decision>,
        /// Include the officer's note (csv and json; the printed pack never shows it).
        #[arg(long)]
        note: bool,
        /// Export invalid and changed records too.
        #[arg(long)]
        force: bool,
        /// csv: keep cells that start with = + - @ as they are, instead of
        /// putting a ' before them so that a spreadsheet shows them as text.
        #[arg(long)]
        raw_cells: bool,
        /// pack, docx, html: about the first 60 words of each case study, as
        /// plain text, instead of its whole text.
        #[arg(long)]
        excerpt: bool,
        #[command(flatten)]
        taxonomy: TaxonomyArg,
    },
    /// Write the sample batch to DIR (default: a new temporary folder) and open it.
    ///
    /// A folder that already holds the sample (from an earlier `casetag demo
    /// DIR`) is opened as it is, with the work done there.
    Demo {
        /// Where to write the sample batch.
        dir: Option<PathBuf>,
        #[command(flatten)]
        open: OpenArgs,
    },
    /// Show what casetag read from one submission.
    Show {
        /// The submission file (.md, .txt, .docx, .odt, .eml, .msg, .html or .pdf).
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long, conflicts_with = "body")]
        json: bool,
        /// Also print the submission's text.
        #[arg(long)]
        body: bool,
        #[command(flatten)]
        taxonomy: TaxonomyArg,
    },
    /// Set up the git repository holding DIR to merge records field by field.
    ///
    /// Adds `*.review.toml merge=casetag` to the repository's `.gitattributes`
    /// and sets the repository's `merge.casetag` driver to this program; each
    /// step only when missing.
    GitSetup {
        /// A folder in the repository (default: the current folder).
        dir: Option<PathBuf>,
    },
    /// Merge three versions of a record field by field (git's merge driver:
    /// `%O %A %B %P`); exit 1 on a conflict, kept in the record's [conflict] table.
    MergeRecord {
        /// The common ancestor's version.
        base: PathBuf,
        /// Our version; the merged record is written here.
        ours: PathBuf,
        /// Their version.
        theirs: PathBuf,
        /// The record's path in the repository, for messages.
        path: String,
        #[command(flatten)]
        taxonomy: TaxonomyArg,
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
    /// The printed pack as an editable Word document (needs -o FILE).
    Docx,
    /// The printed pack as one HTML page: open it in a browser, print, save as PDF.
    Html,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Pack => Format::Pack,
            FormatArg::Docx => Format::Docx,
            FormatArg::Html => Format::Html,
        }
    }
}

fn main() -> ExitCode {
    // Messages name files and quote them: they reach the terminal cleaned.
    let mut err = CleanWriter::new(io::stderr());
    let rc = cli::exit_code(parse(&mut err).and_then(|args| run(args, &mut err)));
    drop(err);
    ExitCode::from(u8::try_from(rc).unwrap_or(2))
}

/// The command line, or the reason it is not one (with "did you mean" when a
/// word resembles a command).
fn parse(err: &mut dyn Write) -> Result<Args, i32> {
    let words: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let e = match Args::try_parse_from(&words) {
        Ok(args) => {
            // `casetag chek`: a folder that does not exist but looks like a command
            if let (None, Some(dir)) = (&args.command, &args.dir)
                && !dir.exists()
                && let Some(hint) = did_you_mean(dir.as_os_str())
            {
                report(
                    err,
                    format_args!("no folder or command `{}`; {hint}", dir.display()),
                );
                return Err(EXIT_ERROR);
            }
            return Ok(args);
        }
        Err(e) => e,
    };
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return Err(EXIT_OK);
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return Err(EXIT_ERROR);
        }
        _ => {}
    }
    // `casetag chek b`: clap read `chek` as DIR and stumbled on `b`
    if let Some(word) = first_word(&words)
        && Args::command().find_subcommand(word).is_none()
        && !Path::new(word).exists()
        && let Some(hint) = did_you_mean(word)
    {
        report(
            err,
            format_args!("no command `{}`; {hint}", word.to_string_lossy()),
        );
        return Err(EXIT_ERROR);
    }
    // clap's own message, cleaned: it quotes the arguments it was given
    let _ = write!(err, "{}", e.render());
    let missing_format =
        e.kind() == ErrorKind::MissingRequiredArgument && e.to_string().contains("--format");
    if missing_format {
        let _ = writeln!(err, "\nThe formats (--format):");
        for v in FormatArg::value_variants() {
            if let Some(pv) = v.to_possible_value() {
                let help = pv.get_help().map(ToString::to_string).unwrap_or_default();
                let _ = writeln!(err, "  {:<6} {help}", pv.get_name());
            }
        }
    }
    Err(EXIT_ERROR)
}

/// The first word of the command line that is neither an option nor an
/// option's value: the command, or DIR.
fn first_word(words: &[std::ffi::OsString]) -> Option<&std::ffi::OsStr> {
    let cmd = Args::command();
    let takes_value = |w: &str| {
        cmd.get_arguments().any(|a| {
            a.get_long().is_some_and(|l| w == format!("--{l}")) && a.get_action().takes_values()
        })
    };
    let mut words = words.iter().skip(1);
    while let Some(w) = words.next() {
        let text = w.to_string_lossy();
        if !text.starts_with('-') {
            return Some(w);
        }
        if takes_value(&text) {
            words.next();
        }
    }
    None
}

/// "did you mean `casetag check`?" when `word` is close to a command's name.
fn did_you_mean(word: &std::ffi::OsStr) -> Option<String> {
    let word = word.to_str()?;
    let cmd = Args::command();
    let names = cli::command_names(&cmd);
    cli::closest_command(word, names).map(|name| format!("did you mean `casetag {name}`?"))
}

/// Runs the command line; every failure is reported once, by [`or_exit`].
fn run(args: Args, err: &mut dyn Write) -> Outcome {
    // Reports are cleaned by each command; an export is data and goes out as
    // it is, unless it is about to be shown on a terminal.
    let stdout = io::stdout();
    let out: &mut dyn Write = &mut if stdout.is_terminal() {
        Box::new(CleanWriter::new(stdout)) as Box<dyn Write>
    } else {
        Box::new(stdout)
    };
    let load = |t: &TaxonomyArg, err: &mut dyn Write| {
        or_exit(cli::load_taxonomy(t.taxonomy.as_deref()), EXIT_ERROR, err)
    };
    match args.command {
        Some(Command::Check {
            dir,
            warnings,
            taxonomy,
        }) => Ok(cli::check(&dir, &load(&taxonomy, err)?, warnings, out, err)),
        Some(Command::Stats {
            dir,
            json,
            compare,
            taxonomy,
        }) => {
            let taxonomy = load(&taxonomy, err)?;
            Ok(cli::stats(
                &dir,
                compare.as_deref(),
                &taxonomy,
                json,
                out,
                err,
            ))
        }
        Some(Command::Show {
            file,
            json,
            body,
            taxonomy,
        }) => {
            let what = if json {
                cli::ShowAs::Json
            } else if body {
                cli::ShowAs::TextWithBody
            } else {
                cli::ShowAs::Text
            };
            Ok(cli::show_as(&file, &load(&taxonomy, err)?, what, out, err))
        }
        Some(Command::Export {
            dir,
            format,
            output,
            decision,
            note,
            force,
            raw_cells,
            excerpt,
            taxonomy,
        }) => {
            let opts = ExportOptions {
                format: format.into(),
                decisions: decision,
                include_note: note,
                force,
                output,
                raw_cells,
                pack_text: if excerpt {
                    export::PackText::Excerpt
                } else {
                    export::PackText::Full
                },
            };
            Ok(cli::export(&dir, &load(&taxonomy, err)?, &opts, out, err))
        }
        Some(Command::GitSetup { dir }) => Ok(cli::git_setup(
            dir.as_deref().unwrap_or(Path::new(".")),
            out,
            err,
        )),
        Some(Command::MergeRecord {
            base,
            ours,
            theirs,
            path,
            taxonomy,
        }) => Ok(cli::merge_record(
            &base,
            &ours,
            &theirs,
            &path,
            &load(&taxonomy, err)?,
            err,
        )),
        Some(Command::Completions { shell }) => Ok(cli::completions(shell, Args::command(), out)),
        Some(Command::Man { command }) => {
            Ok(cli::man(Args::command(), command.as_deref(), out, err))
        }
        Some(Command::Demo { dir, open: o }) => {
            let taxonomy = load(&o.taxonomy, err)?;
            let demo = or_exit(
                casetag::demo::write_sample(dir.as_deref())
                    .map_err(|e| format!("cannot write the sample batch: {e}")),
                EXIT_ERROR,
                err,
            )?;
            let said = if demo.existing {
                "opening the sample batch already in"
            } else {
                "the sample batch is in"
            };
            let said = format!(
                "{said} {}",
                casetag::sanitize::clean(&demo.dir.display().to_string())
            );
            report(err, format_args!("{said}"));
            // said again inside, where the screen would hide the line above
            open(&demo.dir, taxonomy, &o, Some(said), err)
        }
        None => {
            let taxonomy = load(&args.open.taxonomy, err)?;
            let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
            open(&dir, taxonomy, &args.open, None, err)
        }
    }
}

/// Opens a batch in the terminal program, with `greeting` on the message
/// line unless there is a warning to show.
fn open(
    dir: &Path,
    taxonomy: Taxonomy,
    o: &OpenArgs,
    greeting: Option<String>,
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
    let keymap = or_exit(Keymap::load(o.keymap.as_deref()), EXIT_ERROR, err)?;
    // Temporary files left by a crash are never records; clear them first.
    let _ = casetag::record::clean_temp_files(dir);
    // The list is read in the background once the screen is up.
    let listing = or_exit(Batch::listing(dir), EXIT_ERROR, err)?;
    let options = Options {
        reviewer: config.reviewer(o.reviewer.as_deref()),
        taxonomy,
        keymap,
        state_dir: state_dir(),
        export_dir: config.export_dir.clone(),
        clock: Box::new(SystemClock),
    };
    let mut batch = Batch::empty(dir);
    batch.skipped = listing.skipped;
    batch.conflict_copies = listing.conflict_copies;
    let mut app = App::new(batch, options);
    if let Some(g) = greeting
        && app.message.is_none()
    {
        app.info(g);
    }
    app.next_after_decision = config.after_decision != Some(casetag::config::AfterDecision::Stay);
    or_exit(
        casetag::tui::run(&mut app, listing.submissions)
            .map_err(|e| format!("terminal error: {e}")),
        EXIT_ERROR,
        err,
    )?;
    Ok(EXIT_OK)
}

/// The state folder, with the state of earlier versions (kept in the data
/// folder) moved into it the first time.
fn state_dir() -> Option<std::path::PathBuf> {
    let dir = default_state_dir()?;
    if let Some(old) = casetag::session::old_state_dir() {
        casetag::session::move_old_state(&old, &dir);
    }
    Some(dir)
}
