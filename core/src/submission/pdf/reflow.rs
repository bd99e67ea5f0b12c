//! A page's lines gathered into paragraphs, bullets joined to their items.

use super::*;

/// Joins a bullet drawn on its own (some writers draw a list's markers after
/// its text) to the item on its baseline, to its right: the nearest one
/// within four type sizes that has no bullet yet.
///
/// The items of each baseline are sorted by where they start once, and an
/// item is taken out when it gets its bullet, so each mark finds its item
/// by a binary search: a page of many marks on one baseline is read in
/// n log n, not in a scan of the baseline for every mark.
pub(super) fn attach_bullets(mut lines: Vec<Line>) -> Vec<Line> {
    let is_mark = |l: &Line| {
        let t = l.text.trim();
        t.chars().count() == 1 && is_bullet(t)
    };
    let mut by_baseline: HashMap<i32, Baseline> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        // a line that cannot be to a mark's right is no item
        if !is_mark(l) && !l.text.starts_with('•') && !l.x_start.is_nan() {
            by_baseline
                .entry(rounded(l.y))
                .or_default()
                .items
                .push((l.x_start, i));
        }
    }
    for b in by_baseline.values_mut() {
        b.items
            .sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        b.next = (0..=b.items.len()).collect();
    }
    let mut gone = vec![false; lines.len()];
    for m in 0..lines.len() {
        let Some((x, y, size)) = lines
            .get(m)
            .filter(|l| is_mark(l))
            .map(|l| (l.x_start, l.y, l.size))
        else {
            continue;
        };
        let key = rounded(y);
        let item = [key, key - 1, key + 1].iter().find_map(|k| {
            let b = by_baseline.get_mut(k)?;
            let at = b.first_from(b.items.partition_point(|&(start, _)| start <= x));
            let &(start, i) = b.items.get(at)?;
            (start > x && start < x + size * 4.0).then(|| {
                b.take(at);
                i
            })
        });
        if let Some(l) = item.and_then(|i| lines.get_mut(i)) {
            l.text = format!("• {}", l.text.trim_start());
            l.x_start = x;
            if let Some(g) = gone.get_mut(m) {
                *g = true;
            }
        }
    }
    let mut keep = gone.into_iter().map(|g| !g);
    lines.retain(|_| keep.next().unwrap_or(true));
    lines
}

/// The items on one baseline that may still take a bullet, by where they
/// start.
#[derive(Default)]
pub(super) struct Baseline {
    /// Start and index in the page's lines, sorted by start.
    pub(super) items: Vec<(f32, usize)>,
    /// For each place in `items`, a place at or before the first item from
    /// there on not yet taken (`items.len()` past the last).
    pub(super) next: Vec<usize>,
}

impl Baseline {
    /// The first place from `at` on whose item is not taken.
    pub(super) fn first_from(&mut self, mut at: usize) -> usize {
        let end = self.items.len();
        while at < end {
            let Some(&n) = self.next.get(at) else { break };
            if n == at {
                break;
            }
            // path halving: later searches skip what this one walked
            let nn = self.next.get(n).copied().unwrap_or(end);
            if let Some(slot) = self.next.get_mut(at) {
                *slot = nn;
            }
            at = n;
        }
        at.min(end)
    }

    pub(super) fn take(&mut self, at: usize) {
        if let Some(slot) = self.next.get_mut(at) {
            *slot = at + 1;
        }
    }
}

/// Whether the text is mostly characters no font mapped (the replacement
/// character, private-use code points): a text layer that cannot be read.
pub(super) fn undecodable(pages: &[Vec<Line>]) -> bool {
    let (mut bad, mut all) = (0usize, 0usize);
    for c in pages.iter().flatten().flat_map(|l| l.text.chars()) {
        if c.is_whitespace() {
            continue;
        }
        all += 1;
        if c == '\u{FFFD}' || ('\u{E000}'..='\u{F8FF}').contains(&c) {
            bad += 1;
        }
    }
    bad * 2 > all
}

/// A line of letters shifted down by 29 code points, as a subset TrueType
/// font's glyph ids read when the font has no Unicode map: its words mix
/// digits and punctuation into capitals, and shifted back they are
/// lower-case words.
pub(super) fn is_shifted_garbage(text: &str) -> bool {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.len() < 8 {
        return false;
    }
    let lower = |c: char| c.is_ascii_lowercase();
    let shifted_lower = chars
        .iter()
        .filter(|&&c| char::from_u32(u32::from(c) + 29).is_some_and(lower))
        .count();
    let own_lower = chars.iter().filter(|&&c| lower(c)).count();
    let vowels = |cs: &mut dyn Iterator<Item = char>| {
        let (mut v, mut n) = (0usize, 0usize);
        for c in cs {
            n += 1;
            v += usize::from("aeiouAEIOU".contains(c));
        }
        (v, n)
    };
    let (v_own, n_own) = vowels(&mut chars.iter().copied().filter(char::is_ascii_alphabetic));
    let (v_shift, n_shift) = vowels(
        &mut chars
            .iter()
            .filter_map(|&c| char::from_u32(u32::from(c) + 29))
            .filter(char::is_ascii_lowercase),
    );
    shifted_lower * 10 > chars.len() * 7
        && own_lower * 4 < chars.len()
        && v_own * 5 < n_own
        && v_shift * 4 >= n_shift
}

/// What a page number alone on its line reads: "3", "Page 3", "Page 3 of
/// 4", "3 / 4" (it is one when it heads or foots a page of other text).
pub(super) fn is_page_number(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    let t = t.strip_prefix("page").unwrap_or(&t).trim();
    !t.is_empty()
        && t.len() <= 12
        && t.chars().any(|c| c.is_ascii_digit())
        && t.split(|c: char| c.is_whitespace() || c == '/')
            .filter(|w| !w.is_empty())
            .all(|w| w == "of" || w.chars().all(|c| c.is_ascii_digit()))
}

/// A line that starts a list item.
pub(super) fn is_bullet(text: &str) -> bool {
    let t = text.trim_start();
    if t.starts_with(['•', '▪', '◦', '○', '●', '■', '–', '-', '*', '·', '➢', '✓'])
    {
        return true;
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    (1..=2).contains(&digits)
        && t[digits..].starts_with(['.', ')'])
        && t[digits + 1..].starts_with(' ')
}

pub(super) fn rounded(x: f32) -> i32 {
    // sizes and gaps on a page are well within i32
    let x = (x * 2.0).round().clamp(-1.0e6, 1.0e6);
    #[allow(clippy::cast_possible_truncation)]
    let n = x as i32;
    n
}

/// The size most of the text is set in.
pub(super) fn body_size(pages: &[Vec<Line>]) -> f32 {
    let mut by_size: HashMap<i32, usize> = HashMap::new();
    for l in pages.iter().flatten() {
        *by_size.entry(rounded(l.size)).or_default() += l.text.len();
    }
    by_size
        .into_iter()
        .max_by_key(|&(s, n)| (n, -s))
        .map_or(0.0, |(s, _)| {
            #[allow(clippy::cast_precision_loss)]
            let s = s as f32 / 2.0;
            s
        })
}

/// The usual distance between the baselines of a paragraph's lines.
pub(super) fn line_spacing(pages: &[Vec<Line>], body: f32) -> Option<f32> {
    let mut by_gap: HashMap<i32, usize> = HashMap::new();
    for page in pages {
        for pair in page.windows(2) {
            if let [a, b] = pair {
                let gap = a.y - b.y;
                if similar(a.size, body) && similar(b.size, body) && gap > 0.0 && gap < body * 3.0 {
                    *by_gap.entry(rounded(gap)).or_default() += 1;
                }
            }
        }
    }
    by_gap
        .into_iter()
        .max_by_key(|&(g, n)| (n, -g))
        .map(|(g, _)| {
            #[allow(clippy::cast_precision_loss)]
            let g = g as f32 / 2.0;
            g
        })
}

pub(super) fn similar(a: f32, b: f32) -> bool {
    (a - b).abs() <= b.abs() * 0.1 + 0.25
}

/// The lines of every page as paragraphs, one per line, a blank line at a
/// wide gap or a new page; and the first page's title.
/// The pages' lines as paragraphs, the title, and whether text was left out
/// at the limit.
pub(super) fn reflow(pages: &[Vec<Line>]) -> (String, Option<String>, bool) {
    let mut cut = false;
    let body = body_size(pages);
    let spacing = line_spacing(pages, body).unwrap_or(body * 1.2);
    let title = pages.first().and_then(|page| {
        let biggest = page.iter().map(|l| l.size).fold(0.0f32, f32::max);
        if biggest <= body * 1.15 {
            return None;
        }
        // the first line in the largest type, and the lines that continue it
        let start = page
            .iter()
            .position(|l| similar(l.size, biggest) && !l.text.trim().is_empty())?;
        let mut parts = vec![page.get(start)?.text.trim()];
        for pair in page.get(start..)?.windows(2).take(2) {
            match pair {
                [a, b]
                    if similar(b.size, biggest)
                        && (a.y - b.y) > 0.0
                        && (a.y - b.y) < biggest * 1.6 =>
                {
                    parts.push(b.text.trim())
                }
                _ => break,
            }
        }
        Some(parts.join(" "))
    });
    // the text's margins over the whole document (a page of short lines
    // does not move them); a line over the margin does not either
    let mut ends: Vec<f32> = pages
        .iter()
        .flatten()
        .filter(|l| similar(l.size, body))
        .map(|l| l.x_end)
        .collect();
    let mut starts: Vec<f32> = pages
        .iter()
        .flatten()
        .filter(|l| similar(l.size, body))
        .map(|l| l.x_start)
        .collect();
    ends.sort_by(f32::total_cmp);
    starts.sort_by(f32::total_cmp);
    let right = ends.get(ends.len() * 19 / 20).copied().unwrap_or(0.0);
    let left = starts.get(starts.len() / 20).copied().unwrap_or(0.0);
    let measure = (right - left).max(body * 10.0);
    let mut out = String::new();
    let mut para = String::new();
    // the last line of the page before, when it ran to the margin: its
    // paragraph may go on at the top of the next page
    let mut carried: Option<&Line> = None;
    for page in pages {
        let lines: Vec<&Line> = page.iter().filter(|l| !l.text.trim().is_empty()).collect();
        // a page number heads or foots a page of other text; numbers
        // elsewhere (a table's, a chart's) are text
        let words = lines.iter().any(|l| !is_page_number(&l.text));
        let top = lines.iter().map(|l| l.y).fold(f32::MIN, f32::max);
        let foot = lines.iter().map(|l| l.y).fold(f32::MAX, f32::min);
        let lines: Vec<&Line> = lines
            .into_iter()
            .filter(|l| {
                !(words && is_page_number(&l.text) && (l.y >= top - 0.5 || l.y <= foot + 0.5))
            })
            .collect();
        let short = |p: &Line| {
            similar(p.size, body)
                && (p.x_end < right - measure * 0.2
                    || (p.x_end < right - measure * 0.08
                        && p.text.trim_end().ends_with(['.', '!', '?', ':'])))
        };
        let mut prev: Option<&Line> = None;
        for l in lines {
            let text = l.text.split_whitespace().collect::<Vec<_>>().join(" ");
            let (breaks, blank) = match (prev, carried.take()) {
                (None, Some(p)) => {
                    let goes_on = similar(p.size, l.size)
                        && p.bold == l.bold
                        && text.starts_with(char::is_lowercase);
                    (!goes_on, !goes_on)
                }
                (None, None) => (true, !out.is_empty() || !para.is_empty()),
                (Some(p), _) => {
                    let gap = p.y - l.y;
                    let wide = gap > spacing * 1.3 + 0.5 || gap < -0.5;
                    (
                        wide || short(p)
                            || !similar(p.size, l.size)
                            || p.bold != l.bold
                            || is_bullet(&text)
                            || field(&text, false).is_some(),
                        gap > spacing * 2.2 && gap > 0.0,
                    )
                }
            };
            if breaks {
                cut |= end_paragraph(&mut out, &mut para);
                if blank {
                    out.push('\n');
                }
                para = text;
            } else if para.ends_with('\u{AD}') {
                // in place: a copy of the paragraph for each of its lines
                // would be quadratic in a long one
                para.pop();
                para.push_str(&text);
            } else if para.ends_with('-')
                && para.chars().rev().nth(1).is_some_and(char::is_alphabetic)
                && text.starts_with(char::is_lowercase)
            {
                para.push_str(&text);
            } else {
                para.push(' ');
                para.push_str(&text);
            }
            prev = Some(l);
        }
        carried = prev.filter(|p| !short(p));
        if carried.is_none() {
            cut |= end_paragraph(&mut out, &mut para);
        }
    }
    cut |= end_paragraph(&mut out, &mut para);
    let title = title.filter(|t| !t.is_empty());
    (out.trim_end().to_string() + "\n", title, cut)
}

/// Ends a paragraph: kept while the text is under its limit; `true` when
/// it was left out for that.
pub(super) fn end_paragraph(out: &mut String, para: &mut String) -> bool {
    let p = std::mem::take(para);
    let p = p.replace('\u{AD}', "");
    if p.is_empty() {
        return false;
    }
    if out.len() + p.len() < MAX_TEXT_BYTES {
        out.push_str(&p);
        out.push('\n');
        return false;
    }
    true
}
