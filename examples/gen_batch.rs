//! Writes a realistic batch of submissions for benchmarks and trials at scale.
//!
//! ```text
//! cargo run --release --example gen_batch -- DIR N [--seed S]
//! ```
//!
//! N submissions go into DIR (created if missing; refused when it holds other
//! files): Markdown with TOML front matter and plain text in both website
//! layouts, 1 to 8 KB each, with titles, councils, years and programmes drawn
//! from lists and bodies assembled from sentences about co-operative council
//! projects (so keyword suggestions have evidence). About 30% get a record, in
//! every state: approved, needs-info with a note, declined, in progress, a few
//! invalid (an unknown id) and a few changed since review (a stale
//! `submission_sha256`). The same N and seed always write the same bytes.
//!
//! A hidden `.gen_batch` file (casetag ignores dot files) says what was
//! generated, so benchmarks can reuse a batch. The benchmarks include this file
//! as a module (`#[path]`) for [`ensure_batch`].
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use casetag::record::Record;
use casetag::record::sha256_hex;
use casetag::taxonomy::{Entry, Kind, Taxonomy};

/// The seed when none is given.
pub const DEFAULT_SEED: u64 = 1;

/// The hidden file saying what a folder holds.
pub const MARKER: &str = ".gen_batch";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = Vec::new();
    let mut seed = DEFAULT_SEED;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seed" => match it.next().and_then(|s| s.parse().ok()) {
                Some(s) => seed = s,
                None => usage("--seed needs a number"),
            },
            "-h" | "--help" => usage(""),
            _ => positional.push(a.clone()),
        }
    }
    let [dir, n] = positional.as_slice() else {
        usage("expected DIR and N");
    };
    let Ok(n) = n.parse::<usize>() else {
        usage("N must be a number");
    };
    let dir = PathBuf::from(dir);
    if is_generated(&dir, n, seed) {
        eprintln!(
            "gen_batch: {} already holds {n} generated submissions (seed {seed})",
            dir.display()
        );
        return;
    }
    let started = Instant::now();
    match generate(&dir, n, seed) {
        Ok(s) => eprintln!(
            "gen_batch: wrote {n} submissions ({} .md, {} .txt, {} bytes) and {} records \
             ({} approved, {} needs-info, {} declined, {} in progress, {} invalid, {} stale) \
             to {} in {:.2} s",
            s.markdown,
            s.text,
            s.submission_bytes,
            s.records(),
            s.approved,
            s.needs_info,
            s.declined,
            s.in_progress,
            s.invalid,
            s.stale,
            dir.display(),
            started.elapsed().as_secs_f64()
        ),
        Err(e) => {
            eprintln!("gen_batch: {}: {e}", dir.display());
            std::process::exit(1);
        }
    }
}

fn usage(why: &str) -> ! {
    if !why.is_empty() {
        eprintln!("gen_batch: {why}");
    }
    eprintln!("usage: cargo run --release --example gen_batch -- DIR N [--seed S]");
    std::process::exit(2);
}

// ---------------------------------------------------------------------------
// For benchmarks
// ---------------------------------------------------------------------------

/// The benchmark batch of `n` submissions, `temp_dir()/casetag-bench-N`,
/// generated with the default seed unless it is already there.
pub fn ensure_batch(n: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("casetag-bench-{n}"));
    if !is_generated(&dir, n, DEFAULT_SEED) {
        if dir.exists() {
            // Ours (the name says so), but incomplete or of another size.
            if let Err(e) = std::fs::remove_dir_all(&dir) {
                panic!("cannot clear {}: {e}", dir.display());
            }
        }
        let started = Instant::now();
        if let Err(e) = generate(&dir, n, DEFAULT_SEED) {
            panic!("cannot generate {}: {e}", dir.display());
        }
        eprintln!(
            "generated {n} submissions in {} ({:.1} s)",
            dir.display(),
            started.elapsed().as_secs_f64()
        );
    }
    dir
}

fn marker_text(n: usize, seed: u64) -> String {
    format!("casetag gen_batch n={n} seed={seed} version=2\n")
}

/// True when `dir` holds a complete batch of `n` from `seed`: the marker says
/// so and the folder holds `n` submissions.
pub fn is_generated(dir: &Path, n: usize, seed: u64) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join(MARKER)) else {
        return false;
    };
    if text != marker_text(n, seed) {
        return false;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let count = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.ends_with(".md") || name.ends_with(".txt")
        })
        .count();
    count == n
}

// ---------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------

/// A struct of counts that can be added up, field by field.
macro_rules! counts {
    ($(#[$meta:meta])* pub struct $name:ident { $(pub $field:ident: $ty:ty,)+ }) => {
        $(#[$meta])*
        pub struct $name {
            $(pub $field: $ty,)+
        }

        impl $name {
            fn add(&mut self, o: &$name) {
                $(self.$field += o.$field;)+
            }
        }
    };
}

counts! {
    /// What [`generate`] wrote.
    #[derive(Debug, Default, Clone, Copy)]
    pub struct Summary {
        pub markdown: usize,
        pub text: usize,
        pub submission_bytes: u64,
        pub approved: usize,
        pub needs_info: usize,
        pub declined: usize,
        pub in_progress: usize,
        pub invalid: usize,
        pub stale: usize,
    }
}

impl Summary {
    pub fn records(&self) -> usize {
        self.approved
            + self.needs_info
            + self.declined
            + self.in_progress
            + self.invalid
            + self.stale
    }
}

/// Writes `n` submissions and their records into `dir`, which must be empty
/// or missing. Deterministic for `(n, seed)` whatever the number of threads:
/// each submission draws from its own generator seeded by `seed` and its index.
pub fn generate(dir: &Path, n: usize, seed: u64) -> io::Result<Summary> {
    std::fs::create_dir_all(dir)?;
    if std::fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::other(
            "the folder is not empty; give a new or empty folder",
        ));
    }
    let taxonomy = Taxonomy::builtin();
    let vocab = Vocab::new(&taxonomy);
    // At least 4 threads: creating a file is mostly waiting on the file system.
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(4, 8);
    let results: Vec<io::Result<Summary>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let vocab = &vocab;
                s.spawn(move || {
                    let mut sum = Summary::default();
                    let mut i = t;
                    while i < n {
                        write_one(dir, i, seed, vocab, &mut sum)?;
                        i += threads;
                    }
                    Ok(sum)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("a generator thread panicked")))
            })
            .collect()
    });
    let mut total = Summary::default();
    for r in results {
        total.add(&r?);
    }
    std::fs::write(dir.join(MARKER), marker_text(n, seed))?;
    Ok(total)
}

/// A tiny xorshift64* generator.
pub struct Rng(u64);

impl Rng {
    /// Seeded through splitmix64, so neighbouring seeds differ everywhere.
    pub fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x1234_5678 } else { z })
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// `k` distinct indices of `0..n`, in drawing order.
    pub fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(k);
        while out.len() < k.min(n) {
            let i = self.below(n);
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }
}

/// The taxonomy's entries as the generator uses them.
struct Vocab {
    categories: Vec<Entry>,
    principles: Vec<Entry>,
    values: Vec<Entry>,
}

impl Vocab {
    fn new(t: &Taxonomy) -> Vocab {
        Vocab {
            categories: t.entries(Kind::Category).to_vec(),
            principles: t.entries(Kind::Principle).to_vec(),
            values: t.entries(Kind::Value).to_vec(),
        }
    }
}

/// One submission's choices.
struct Plan {
    lead: (&'static str, &'static str),
    partners: Vec<&'static str>,
    year: usize,
    programme: &'static str,
    /// Category indices: the theme first, then up to 3 secondary themes.
    themes: Vec<usize>,
    /// Principle indices, in taxonomy order.
    principles: Vec<usize>,
    /// The title's theme phrase, for the file name.
    head: &'static str,
    title: String,
}

fn write_one(dir: &Path, i: usize, seed: u64, v: &Vocab, sum: &mut Summary) -> io::Result<()> {
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let plan = plan(&mut rng, v);
    let format = rng.below(100);
    let stem = format!(
        "{}-{}-{i:06}",
        slug(plan.lead.1),
        slug(plan.head)
            .split('-')
            .take(4)
            .collect::<Vec<_>>()
            .join("-")
    );
    // 1 to 8 KB: the body stops within a sentence (under 300 bytes) of this.
    let target = rng.range(1024, 7850);
    let (name, bytes) = if format < 45 {
        sum.markdown += 1;
        (format!("{stem}.md"), markdown(&mut rng, v, &plan, target))
    } else {
        sum.text += 1;
        let layout_a = format < 75;
        (
            format!("{stem}.txt"),
            text(&mut rng, v, &plan, target, layout_a),
        )
    };
    sum.submission_bytes += bytes.len() as u64;
    std::fs::write(dir.join(&name), &bytes)?;
    if rng.chance(30) {
        let toml = record(&mut rng, v, &plan, &name, &bytes, sum);
        std::fs::write(dir.join(format!("{stem}.review.toml")), toml)?;
    }
    Ok(())
}

fn plan(rng: &mut Rng, v: &Vocab) -> Plan {
    let lead = *rng.pick(COUNCILS);
    let mut partners = Vec::new();
    for _ in 0..rng.range(0, 3) {
        let c = rng.pick(COUNCILS).0;
        if c != lead.0 && !partners.contains(&c) {
            partners.push(c);
        }
    }
    let theme = rng.below(THEMES.len());
    let mut themes = vec![theme];
    for _ in 0..rng.range(0, 3) {
        let t = rng.below(THEMES.len());
        if !themes.contains(&t) {
            themes.push(t);
        }
    }
    let n_principles = *rng.pick(&[1, 1, 2, 2, 2, 3, 3, 4]);
    // Walking the talk (the last) is rare.
    let mut principles = rng.distinct(v.principles.len() - 1, n_principles);
    if rng.chance(3) {
        principles.push(v.principles.len() - 1);
    }
    principles.sort_unstable();
    let year = rng.range(2013, 2025);
    let programme = *rng.pick(PROGRAMMES);
    let head = *rng.pick(THEMES[theme].titles);
    let title = match rng.below(10) {
        0..=3 => head.to_string(),
        4 | 5 => format!("{head} in {}", lead.1),
        6 => format!("{head}: from pilot to programme"),
        7 => format!("{head}: lessons from the first {} years", rng.range(2, 6)),
        8 => format!("{head} with {}", rng.pick(WITH)),
        _ => format!("{}: {}", lead.1, lowercase_first(head)),
    };
    Plan {
        lead,
        partners,
        year,
        programme,
        themes,
        principles,
        head,
        title,
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if !s.starts_with("NHS") => f.to_lowercase().chain(c).collect(),
        _ => s.to_string(),
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// One sentence: mostly the theme's, some of the secondary themes', some
/// general; placeholders filled in.
fn sentence(rng: &mut Rng, plan: &Plan, recent: &mut Vec<&'static str>) -> String {
    let mut s = pick_sentence(rng, plan);
    for _ in 0..4 {
        if !recent.contains(&s) {
            break;
        }
        s = pick_sentence(rng, plan);
    }
    recent.push(s);
    if recent.len() > 12 {
        recent.remove(0);
    }
    let partner = plan
        .partners
        .first()
        .copied()
        .unwrap_or("a neighbouring council");
    s.replace("{lead}", plan.lead.1)
        .replace("{partner}", partner)
        .replace("{year}", &plan.year.to_string())
        .replace("{n}", &rng.range(3, 40).to_string())
        .replace("{m}", &(rng.range(2, 95) * 100).to_string())
}

fn pick_sentence(rng: &mut Rng, plan: &Plan) -> &'static str {
    let roll = rng.below(100);
    let pool: &[&'static str] = if roll < 60 {
        THEMES[plan.themes[0]].sentences
    } else if roll < 80 && plan.themes.len() > 1 {
        THEMES[plan.themes[1 + rng.below(plan.themes.len() - 1)]].sentences
    } else {
        GENERAL
    };
    pool[rng.below(pool.len())]
}

/// Paragraphs of 2 to 5 sentences until `out` reaches `target` bytes;
/// `headings` are put in front of the paragraphs as the text goes on.
fn body(rng: &mut Rng, plan: &Plan, out: &mut String, target: usize, headings: &[&str]) {
    let mut heading = 0;
    let mut paragraphs = 0;
    let mut recent = Vec::new();
    while out.len() < target || paragraphs < 2 {
        if heading < headings.len() && (paragraphs == 0 || rng.chance(35)) {
            let _ = write!(out, "{}\n\n", headings[heading]);
            heading += 1;
        }
        let mut para = String::new();
        for _ in 0..rng.range(2, 5) {
            // Stop within a sentence of the target (at least 2 paragraphs).
            if paragraphs >= 2 && !para.is_empty() && out.len() + para.len() >= target {
                break;
            }
            if !para.is_empty() {
                para.push(' ');
            }
            para.push_str(&sentence(rng, plan, &mut recent));
        }
        out.push_str(&para);
        out.push_str("\n\n");
        paragraphs += 1;
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out.push('\n');
}

/// A name as a council might write it: the label, the id, or shouted.
fn spelled(rng: &mut Rng, e: &Entry) -> String {
    match rng.below(6) {
        0..=2 => e.label.clone(),
        3 => e.id.clone(),
        4 => e.label.to_uppercase(),
        _ => e.label.to_lowercase(),
    }
}

fn members(plan: &Plan) -> Vec<String> {
    let mut m = vec![plan.lead.0.to_string()];
    m.extend(plan.partners.iter().map(|p| p.to_string()));
    m
}

fn markdown(rng: &mut Rng, v: &Vocab, plan: &Plan, target: usize) -> Vec<u8> {
    let mut out = String::with_capacity(target + 512);
    out.push_str("+++\n");
    let _ = writeln!(out, "title = {}", toml_str(&plan.title));
    let _ = writeln!(out, "lead_member = {}", toml_str(plan.lead.0));
    let mut m = members(plan);
    if rng.chance(40) {
        m.push(format!("{} {}", plan.lead.1, rng.pick(LOCAL_PARTNERS)));
    }
    let list: Vec<String> = m.iter().map(|s| toml_str(s)).collect();
    let _ = writeln!(out, "participating_members = [{}]", list.join(", "));
    let _ = writeln!(out, "year = {}", plan.year);
    let _ = writeln!(out, "status = {}", toml_str(plan.programme));
    if rng.chance(70) {
        let _ = writeln!(
            out,
            "contact = \"{}.{}@example.org\"",
            slug(THEMES[plan.themes[0]].short),
            slug(plan.lead.1)
        );
    }
    if rng.chance(75) {
        out.push_str("\n[proposed]\n");
        let _ = writeln!(
            out,
            "primary_category = {}",
            toml_str(&spelled(rng, &v.categories[plan.themes[0]]))
        );
        if plan.themes.len() > 1 {
            let cats: Vec<String> = plan.themes[1..]
                .iter()
                .map(|&t| toml_str(&spelled(rng, &v.categories[t])))
                .collect();
            let _ = writeln!(out, "categories = [{}]", cats.join(", "));
        }
        let ps: Vec<String> = plan
            .principles
            .iter()
            .map(|&p| toml_str(&spelled(rng, &v.principles[p])))
            .collect();
        let _ = writeln!(out, "principles = [{}]", ps.join(", "));
        if rng.chance(80) {
            let vs: Vec<String> = rng
                .distinct(v.values.len(), 3)
                .into_iter()
                .map(|x| toml_str(&spelled(rng, &v.values[x])))
                .collect();
            let _ = writeln!(out, "values = [{}]", vs.join(", "));
        }
    }
    out.push_str("+++\n");
    if rng.chance(15) {
        out.push_str("## Principles met\n\n");
        for &p in &plan.principles {
            let _ = writeln!(out, "- {}", statement(rng, &v.principles[p], true));
        }
        out.push('\n');
    }
    body(
        rng,
        plan,
        &mut out,
        target,
        &["## The challenge", "## What we did", "## What changed"],
    );
    out.into_bytes()
}

/// A principle's statement as pasted: the official wording, sometimes with
/// "well-being", curly quotes or the sub-points flattened onto one line.
fn statement(rng: &mut Rng, e: &Entry, one_line: bool) -> String {
    let mut s = e.description.clone();
    if rng.chance(20) {
        s = s.replace("wellbeing", "well-being");
    }
    if !e.sub_points.is_empty() && one_line {
        for p in &e.sub_points {
            let _ = write!(s, " • {}: {}", p.label, p.statement.replace('\'', "’"));
        }
    }
    s
}

fn text(rng: &mut Rng, v: &Vocab, plan: &Plan, target: usize, layout_a: bool) -> Vec<u8> {
    let mut out = String::with_capacity(target + 512);
    if rng.chance(92) {
        let _ = write!(out, "{}\n\n", plan.title);
    }
    let mut m = members(plan);
    if rng.chance(40) {
        m.push(format!("{} {}", plan.lead.1, rng.pick(LOCAL_PARTNERS)));
    }
    let status_word = if !layout_a && rng.chance(50) {
        "Type"
    } else {
        "Status"
    };
    let bullet = if layout_a { "  • " } else { "- " };
    let _ = writeln!(out, "{bullet}Lead Member {}", plan.lead.0);
    let _ = writeln!(out, "{bullet}Participating Members {}", m.join(", "));
    let _ = writeln!(out, "{bullet}Year {}", plan.year);
    let _ = write!(out, "{bullet}{status_word} {}\n\n", plan.programme);
    out.push_str("Principles met\n\n");
    for (k, &p) in plan.principles.iter().enumerate() {
        let e = &v.principles[p];
        if layout_a {
            let _ = writeln!(out, "  • {}", statement(rng, e, true));
        } else if e.sub_points.is_empty() {
            if k > 0 && rng.chance(40) {
                out.push_str("-\n");
            }
            let _ = writeln!(out, "{}", e.label);
            let _ = writeln!(out, "{}", statement(rng, e, false));
        }
    }
    out.push_str("\nAbout the project\n\n");
    body(rng, plan, &mut out, target, &[]);
    out.into_bytes()
}

fn record(
    rng: &mut Rng,
    v: &Vocab,
    plan: &Plan,
    name: &str,
    bytes: &[u8],
    sum: &mut Summary,
) -> String {
    let mut r = Record::new(name);
    r.submission_sha256 = Some(sha256_hex(bytes));
    r.reviewer = Some(rng.pick(REVIEWERS).to_string());
    r.reviewed_at = Some(format!(
        "2026-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        rng.range(9, 11),
        rng.range(1, 28),
        rng.range(8, 17),
        rng.below(60),
        rng.below(60)
    ));
    r.seconds_spent = Some(rng.range(12, 420) as u64);
    let primary = v.categories[plan.themes[0]].id.clone();
    let mut secondary: Vec<usize> = plan.themes[1..].to_vec();
    secondary.sort_unstable();
    let secondary: Vec<String> = secondary
        .iter()
        .map(|&t| v.categories[t].id.clone())
        .collect();
    let principles: Vec<String> = plan
        .principles
        .iter()
        .map(|&p| v.principles[p].id.clone())
        .collect();
    let values: Vec<String> = rng
        .distinct(v.values.len(), 3)
        .into_iter()
        .map(|x| v.values[x].id.clone())
        .collect();
    let approve = |r: &mut Record| {
        r.set_decision(Some(casetag::record::Decision::Approve));
        r.tags.primary_category = Some(primary.clone());
        r.tags.categories = secondary.clone();
        r.tags.principles = principles.clone();
        r.tags.values = values.clone();
    };
    let state = rng.below(100);
    if state < 40 {
        approve(&mut r);
        if rng.chance(15) {
            r.note = Some(rng.pick(APPROVE_NOTES).to_string());
        }
        sum.approved += 1;
    } else if state < 55 {
        r.set_decision(Some(casetag::record::Decision::NeedsInfo));
        r.tags.primary_category = Some(primary.clone());
        if rng.chance(50) {
            r.tags.principles = principles.clone();
        }
        r.note = Some(rng.pick(NEEDS_INFO_NOTES).to_string());
        sum.needs_info += 1;
    } else if state < 70 {
        r.set_decision(Some(casetag::record::Decision::Decline));
        if rng.chance(50) {
            r.tags.primary_category = Some(primary.clone());
        }
        if rng.chance(60) {
            r.note = Some(rng.pick(DECLINE_NOTES).to_string());
        }
        sum.declined += 1;
    } else if state < 88 {
        r.tags.primary_category = Some(primary.clone());
        if rng.chance(60) {
            r.tags.principles = principles.clone();
        }
        if rng.chance(30) {
            r.tags.values = values[..rng.range(1, 2)].to_vec();
        }
        sum.in_progress += 1;
    } else if state < 94 {
        approve(&mut r);
        match rng.below(3) {
            0 => r.tags.primary_category = Some("transport".to_string()),
            1 => r.tags.values[2] = "kindness".to_string(),
            _ => r.tags.principles.push("localism".to_string()),
        }
        sum.invalid += 1;
    } else {
        approve(&mut r);
        // Reviewed against an earlier version of the file.
        let mut earlier = bytes.to_vec();
        earlier.extend_from_slice(b"\nAn earlier draft.\n");
        r.submission_sha256 = Some(sha256_hex(&earlier));
        sum.stale += 1;
    }
    r.to_toml()
}

// ---------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------

/// (the council's name, its place)
const COUNCILS: &[(&str, &str)] = &[
    ("Oldham Council", "Oldham"),
    ("Rochdale Borough Council", "Rochdale"),
    ("Preston City Council", "Preston"),
    ("Cardiff Council", "Cardiff"),
    ("Lambeth Council", "Lambeth"),
    ("Plymouth City Council", "Plymouth"),
    ("Sunderland City Council", "Sunderland"),
    ("Kirklees Council", "Kirklees"),
    ("Hull City Council", "Hull"),
    ("Brent Council", "Brent"),
    ("Glasgow City Council", "Glasgow"),
    ("Telford and Wrekin Council", "Telford"),
    ("Stevenage Borough Council", "Stevenage"),
    ("North Hertfordshire District Council", "North Herts"),
    ("Knowsley Council", "Knowsley"),
    ("Birmingham City Council", "Birmingham"),
    ("South Tyneside Council", "South Tyneside"),
    ("Oxford City Council", "Oxford"),
    ("Salford City Council", "Salford"),
    ("Newcastle City Council", "Newcastle"),
    ("Sefton Council", "Sefton"),
    ("Bassetlaw District Council", "Bassetlaw"),
    ("City of York Council", "York"),
    ("Barnsley Council", "Barnsley"),
    ("Croydon Council", "Croydon"),
    ("City of Edinburgh Council", "Edinburgh"),
    ("Islington Council", "Islington"),
    ("Liverpool City Council", "Liverpool"),
    ("Manchester City Council", "Manchester"),
    ("Wirral Council", "Wirral"),
    ("Leeds City Council", "Leeds"),
    ("Calderdale Council", "Calderdale"),
    ("Halton Borough Council", "Halton"),
    ("Tameside Council", "Tameside"),
    ("Southampton City Council", "Southampton"),
    ("Swansea Council", "Swansea"),
    ("Bury Council", "Bury"),
    ("Wigan Council", "Wigan"),
    ("Norwich City Council", "Norwich"),
    ("Exeter City Council", "Exeter"),
    ("Cheshire West and Chester Council", "Cheshire West"),
    ("Darlington Borough Council", "Darlington"),
    ("Gateshead Council", "Gateshead"),
    ("Lewisham Council", "Lewisham"),
    ("Southwark Council", "Southwark"),
    ("Vale of Glamorgan Council", "Vale of Glamorgan"),
];

const PROGRAMMES: &[&str] = &[
    "Policy Labs",
    "Policy Prototypes",
    "Innovation Fund",
    "Case Study",
];

const WITH: &[&str] = &[
    "residents",
    "tenants",
    "young people",
    "local businesses",
    "the voluntary sector",
    "carers",
    "parish councils",
];

const LOCAL_PARTNERS: &[&str] = &[
    "Council for Voluntary Service",
    "credit union",
    "tenants' federation",
    "community energy co-operative",
    "youth council",
    "housing association partners",
    "food network partners",
    "college",
    "NHS trust",
    "chamber of commerce",
];

const REVIEWERS: &[&str] = &["nhuckerby", "rpatel", "jokafor", "mbrennan", "slewis"];

const APPROVE_NOTES: &[&str] = &[
    "Ask for a photo for the pack.",
    "Good example for the website front page.",
    "Pair with the similar case study from last year.",
];

const NEEDS_INFO_NOTES: &[&str] = &[
    "No results given: ask for figures on how many residents took part.",
    "Ask which partners were involved and what each contributed.",
    "The dates do not add up; ask the contact to confirm the year.",
    "Ask for the evaluation report mentioned in the last paragraph.",
    "Needs a named contact before it can go in the pack.",
];

const DECLINE_NOTES: &[&str] = &[
    "Duplicate of a case study already on the website.",
    "A press release rather than a case study; no co-operative element.",
    "Project never went ahead; the council has asked us to withdraw it.",
];

struct Theme {
    /// For contact addresses.
    short: &'static str,
    titles: &'static [&'static str],
    sentences: &'static [&'static str],
}

/// One theme per taxonomy category, in taxonomy order.
const THEMES: &[Theme] = &[
    Theme {
        short: "climate",
        titles: &[
            "Community energy co-operative",
            "Solar on school roofs",
            "Street-by-street retrofit",
            "Citizens' climate assembly",
            "Green spaces run by their neighbours",
        ],
        sentences: &[
            "In {year} {lead} declared a climate emergency and set a target of net zero carbon emissions for the borough by 2030.",
            "Residents formed a community energy co-operative that now owns solar panels on {n} schools and community buildings.",
            "Surplus income from the solar panels goes into a community fund that helps households in fuel poverty with retrofit measures.",
            "A street-by-street retrofit scheme insulated {m} homes, with local installers trained through the council's green skills programme.",
            "Volunteers mapped every green space in the ward and now look after them with the parks team, planting trees and wildflower meadows.",
            "The recycling rate in the pilot estates rose by a third after residents designed the new collection rounds themselves.",
            "Active travel routes were chosen by the people who use them, and cycling to school has doubled on the new routes.",
            "A flood group of residents, the Environment Agency and the council now agrees the local flood plan each winter.",
            "The council's own buildings switched to renewable energy bought from the community energy co-operative.",
            "Biodiversity surveys by local schools give the council evidence it could never have afforded to collect itself.",
            "Members of the energy co-operative hold one share each and elect the board at the annual meeting.",
        ],
    },
    Theme {
        short: "community",
        titles: &[
            "Neighbourhood food hubs",
            "Community centres run by residents",
            "Mutual aid groups as equal partners",
            "Volunteer network for every ward",
            "Asset transfer to local groups",
        ],
        sentences: &[
            "Residents who had organised mutual aid groups were invited to the first planning meeting as equal partners, not as helpers.",
            "Within ten days the council and local groups opened {n} neighbourhood hubs, one in each district.",
            "Mosques, churches, tenants' associations and two football clubs offered space and volunteers.",
            "The community centre is now run by a residents' association that took on the lease from the council.",
            "More than {m} volunteers gave their time in the first year, and many of them now sit on the hub's steering group.",
            "Local groups from the voluntary sector share a single booking system for rooms, vans and equipment.",
            "Neighbourhood workers spent their first months listening in cafés, school gates and launderettes before proposing anything.",
            "Each hub has a volunteer coordinator paid by the council and a committee elected by its members.",
            "The food hub became a place where people could also get advice on debt, energy bills and benefits.",
            "Residents chose the opening hours and the activities, and the hubs have stayed busy long after the emergency.",
            "A small grants fund, decided by a panel of residents, supports new community groups with up to a few thousand pounds each.",
        ],
    },
    Theme {
        short: "cwb",
        titles: &[
            "Anchor institutions and progressive procurement",
            "Keeping the public pound local",
            "Community wealth building strategy",
            "Community shares for the high street",
            "Plural ownership of the local economy",
        ],
        sentences: &[
            "The council and {n} anchor institutions, including the hospital, the college and the university, agreed to spend more of their budgets locally.",
            "Local spend by the anchor institutions rose from a fifth to almost half of their procurement within four years.",
            "Procurement officers now break large contracts into lots that small local firms and co-operatives can bid for.",
            "A supply chain mapping exercise found {m} local businesses that could supply the council but had never been asked.",
            "Community shares raised the money to buy the old market hall, which is now owned by {m} local members.",
            "The community wealth building strategy puts plural ownership of the local economy at the heart of the council plan.",
            "Social value clauses in every major contract have created apprenticeships and local jobs that are checked each quarter.",
            "Pension fund investment in local housing and renewable energy keeps the returns circulating in the local economy.",
            "Preston's approach was the starting point, but {lead} adapted it to a borough with fewer large employers.",
            "Community ownership of the pub, the shop and the library means decisions about them are taken by people who use them.",
        ],
    },
    Theme {
        short: "learning",
        titles: &[
            "Co-operative schools trust",
            "Adult learning in the community",
            "Apprenticeships with local employers",
            "Skills for the green economy",
            "Family learning on the estate",
        ],
        sentences: &[
            "Fourteen primary and secondary schools joined the co-operative schools trust in its first two years.",
            "Parents, staff, pupils and community organisations are members of the trust, each with a voice in how it is run.",
            "The college designed the course with employers and residents, and {n} learners gained a qualification in the first year.",
            "Adult learning moved out of the town hall and into libraries, community centres and the back rooms of cafés.",
            "Every apprentice is matched with a mentor from the workforce of a local employer.",
            "Pupils on the school council chose the themes for joint projects, including a careers fair and a shared garden.",
            "Training for volunteers covers safeguarding, first aid and how to recognise signs of hardship.",
            "A skills audit of the borough found shortages in construction, care and digital skills that the new courses now address.",
            "Learners who finished the course went on to teach the next group, so the programme grows without more funding.",
            "Teachers spend time in each other's classrooms to share good practice across the trust's schools.",
        ],
    },
    Theme {
        short: "finance",
        titles: &[
            "Participatory budgeting in every ward",
            "Credit union partnership",
            "A community municipal bond",
            "Affordable credit on the high street",
            "Residents decide the ward budget",
        ],
        sentences: &[
            "Through participatory budgeting residents decided how {m} thousand pounds of the ward budget would be spent.",
            "More than {m} people voted on the projects, three times the turnout the council had expected.",
            "The council deposited part of its reserves with the credit union, which lets it offer more affordable loans.",
            "A payroll savings scheme for council staff has helped the credit union grow to {m} members.",
            "The community municipal bond raised investment from residents for solar panels and cycle routes.",
            "Credit union staff now run a weekly desk in the library alongside debt advisers and welfare rights officers.",
            "The council's finance team published the budget in plain language and held open sessions in every district.",
            "Funding for the pilot came from the Innovation Fund, matched by the council and two housing associations.",
            "Loans from the credit union replaced doorstep lenders charging many times the interest.",
            "A citizens' panel now reviews the budget priorities each autumn before councillors set the budget.",
        ],
    },
    Theme {
        short: "care",
        titles: &[
            "Home care co-operative",
            "Community-led social prescribing",
            "Carers' network run by carers",
            "Dementia-friendly neighbourhoods",
            "Mental health peer support",
        ],
        sentences: &[
            "The home care co-operative is owned by its care workers, who earn the real living wage and set their own rotas.",
            "GPs estimate that a large share of their appointments are taken up by problems that are not really medical, such as loneliness and debt.",
            "Link workers connect patients with activities and support in their community, from walking groups to debt advice.",
            "Carers told us they wanted a break and someone to talk to, so the carers' network now runs both.",
            "The health and social care partnership pooled budgets so that one team could look after people's wellbeing at home.",
            "People living with dementia and their families designed the training given to shops, buses and GP surgeries.",
            "Peer supporters with lived experience of mental health problems now run {n} groups across the borough.",
            "The NHS trust, the council and the voluntary sector agreed to share information about people who are isolated.",
            "Care home residents and their families sit on the board that oversees the quality of care.",
            "Waiting times for a first home care visit fell from weeks to days once the co-operative took on the contract.",
            "Loneliness among older people was the problem most often raised, ahead of transport and money.",
        ],
    },
    Theme {
        short: "housing",
        titles: &[
            "Tenant-led housing co-operative",
            "Community land trust homes",
            "Tenants manage their own estate",
            "Self-build for local families",
            "Ending rough sleeping together",
        ],
        sentences: &[
            "The housing co-operative now manages {m} homes, with tenants deciding on repairs, lettings and rent levels.",
            "A community land trust built {n} homes on council land, let at rents linked to local incomes.",
            "Tenants voted to take over the management of their estate, and repairs are now done in days rather than months.",
            "The self-build scheme gave local families the chance to build their own homes with help from a housing co-operative.",
            "Homeless people were involved in designing the new service, which moved away from hostels towards small shared homes.",
            "The council acts as landlord but the tenants' board sets priorities for the housing budget.",
            "Private landlords joined a voluntary charter for better standards, agreed with tenants' groups.",
            "Empty homes were brought back into use by a social enterprise that trains young people in building skills.",
            "Residents on the estate chose the design of the new homes at a series of open workshops.",
            "The number of people sleeping rough in the city centre fell by half over two winters.",
        ],
    },
    Theme {
        short: "jobs",
        titles: &[
            "Worker co-operatives for local jobs",
            "A living wage town",
            "Business start-up support for co-operatives",
            "Work placements with anchor employers",
            "Careers guidance co-produced with young people",
        ],
        sentences: &[
            "The council helped {n} worker co-operatives start up, from cleaning and catering to software and care.",
            "Every employer in the partnership now pays the real living wage, which has lifted the pay of {m} workers.",
            "Unemployed residents were offered work placements with anchor employers, and most moved into jobs.",
            "Business start-up advice now includes the co-operative option, explained by people who run co-operatives themselves.",
            "The council's own workforce strategy commits it to recruit locally and to offer secure contracts.",
            "A jobs fair held in the shopping centre drew employers, colleges and more than {m} visitors.",
            "Careers advisers work in schools alongside employers, so young people see the jobs on their doorstep.",
            "When the factory closed, former employees formed a worker co-operative and took over part of the site.",
            "Local employers share training costs through a pooled fund managed with the college.",
            "The employment support service was designed with people who had used it and found it confusing.",
        ],
    },
    Theme {
        short: "poverty",
        titles: &[
            "Warm spaces across the city",
            "Tackling the cost of living together",
            "From food bank to community pantry",
            "Holiday meals for every child",
            "Debt advice where people already go",
        ],
        sentences: &[
            "With energy bills at record levels, the council feared that many residents would face a choice between heating and eating.",
            "Three food banks saw demand treble in a fortnight, and families who had never needed help before were queuing for parcels.",
            "The community pantry is run by members who pay a small weekly subscription for a basket of food.",
            "More than {m} visits were recorded at warm spaces over the winter, many of them by people living alone.",
            "Debt advice and welfare rights officers now visit the warm spaces, so people coming in for warmth also get help with their bills.",
            "Children entitled to free school meals were offered holiday meals and activities at {n} sites.",
            "Fuel poverty in the pilot streets fell after advisers helped households switch tariffs and claim grants.",
            "The cost of living commission heard evidence from residents on low income before making its recommendations.",
            "Areas of deprivation were chosen first, but the scheme is open to anyone facing hardship.",
            "The council provided a small grant to each warm space to cover heating and refreshments.",
        ],
    },
    Theme {
        short: "social-value",
        titles: &[
            "Social value in every contract",
            "Measuring what matters",
            "An equalities charter written with residents",
            "Tackling isolation through community connectors",
            "Social return on investment",
        ],
        sentences: &[
            "For years social value was a box on the tender form, and nobody checked whether the promises were kept.",
            "The council now weighs social value at a fifth of the score for every contract over a hundred thousand pounds.",
            "An independent study found a social return of several pounds for every pound spent on the programme.",
            "Residents helped choose the outcomes the council measures, from isolation to community cohesion.",
            "The equalities charter was written with disabled people's organisations and faith groups.",
            "Impact is reported each year in a public dashboard, with the figures checked by a residents' panel.",
            "Community connectors visit people referred by GPs, housing officers and neighbours, and help them into local activities.",
            "Inclusion is measured by who takes part, not only by how many, and the figures are broken down by ward.",
            "The social value framework gives suppliers a menu of commitments drawn up with local community groups.",
        ],
    },
    Theme {
        short: "strategy",
        titles: &[
            "Becoming a co-operative council",
            "Co-operative commissioning",
            "A council plan written with residents",
            "Culture change in the town hall",
            "A new operating model for neighbourhood services",
        ],
        sentences: &[
            "In {year} {lead} adopted a co-operative council strategy that changed how every department works with residents.",
            "Commissioning now starts with a conversation with the people who use a service, before any specification is written.",
            "The council plan was written with residents at {n} open meetings and an online conversation that drew {m} comments.",
            "A programme of culture change trained managers to share power with communities rather than consult them at the end.",
            "The new operating model organises services around neighbourhoods instead of departments.",
            "Governance of the partnership is shared: residents, the voluntary sector and the council each hold a third of the seats.",
            "The co-operative charter sets out what residents can expect from the council and what the council asks of them.",
            "Senior officers spend a day each quarter working alongside frontline staff and community groups.",
            "The framework was tested in two wards before being adopted across the whole council.",
            "Ward councillors became community connectors, brokers and leaders, rather than only caseworkers.",
        ],
    },
    Theme {
        short: "youth",
        titles: &[
            "Youth council with a real budget",
            "Youth services co-operative",
            "Care leavers' co-operative",
            "Young carers speak up",
            "Young people's climate assembly",
        ],
        sentences: &[
            "The youth council was given a budget of its own and decided which projects to fund after a vote in every secondary school.",
            "When youth services faced closure, young people, youth workers and parents formed a co-operative to run them.",
            "Care leavers designed the support they receive, from finding a flat to managing money.",
            "Young carers told councillors what would make their lives easier, and the council changed its school transport rules as a result.",
            "More than {m} young people took part in the climate assembly, and its recommendations went to full council.",
            "Families were involved from the start, with parents joining the youth workers on the steering group.",
            "Students from the college ran the consultation themselves, using social media and street stalls.",
            "Teenagers from the estate chose the design of the new youth centre, down to the colour of the walls.",
            "Young people sit on the interview panels for every youth worker the co-operative employs.",
            "The children's services team now asks young people to review each service they use once a year.",
        ],
    },
];

/// Sentences for any theme.
const GENERAL: &[&str] = &[
    "Neither the council nor the community could have done the job alone.",
    "{partner} ran a parallel pilot, and officers from both councils met weekly to compare notes.",
    "The lesson for us is that people want a real say, not a consultation, and they stay involved when they get one.",
    "We learned to start with relationships rather than structures, and to give the project time.",
    "The project was evaluated by the local university, which interviewed staff, partners and {n} residents.",
    "What began as a pilot in two wards has since been rolled out across the borough.",
    "Staff had to learn to let go: some decisions that used to be made in the town hall are now made in the community.",
    "The network's Policy Lab brought together officers from {n} councils to share what worked and what did not.",
    "Funding was tight, so the council offered buildings, staff time and data instead of large grants.",
    "Councillors from all parties supported the project once they had seen the results in their own wards.",
    "We would advise other councils to involve residents from the first meeting, not once the plans are drawn up.",
    "The figures are encouraging, but the stories people tell about the difference it made matter as much.",
    "Some things did not work: the first online survey reached few people, and we went back to door-knocking.",
    "Partners signed a simple agreement setting out what each would contribute and how decisions would be taken.",
    "The co-operative model meant that the people closest to the problem had a vote on how it was solved.",
    "In {year} the project was shortlisted for a national award, which brought new partners on board.",
    "The approach is now written into the council's plans for the next five years.",
    "Other councils in the network have visited, and {partner} is adapting the model for its own area.",
];
