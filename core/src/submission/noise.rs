//! The noise a copy of a web page carries, which is not the case study: the
//! cookie banner and its "Always Active" switches, the site's menu and
//! breadcrumb, share buttons, links to other posts with their dates, the
//! footer (the "messy pastes" of the README's Submissions section).
//!
//! Noise lines are blanked, not removed, so line numbers stay those of the
//! file. The rules are narrow on purpose: a line is noise for what it is as a
//! whole (a line that only says "Read more", a date, a cookie notice) or for
//! where it stands (a short line right under "Related posts", a menu above the
//! title); a sentence of a press release that mentions cookies is kept.

use super::lines::{Field, content, field, is_blank, is_principles_heading};

/// Lines that are the site's furniture wherever they stand (compared in lower
/// case, without trailing punctuation).
const CHROME: [&str; 45] = [
    "always active",
    "skip to content",
    "skip to main content",
    "skip to navigation",
    "toggle navigation",
    "menu",
    "main menu",
    "close menu",
    "search",
    "search for",
    "home",
    "case studies",
    "case study",
    "share",
    "share this",
    "share this post",
    "share this page",
    "share on twitter",
    "share on facebook",
    "twitter",
    "x",
    "facebook",
    "linkedin",
    "instagram",
    "youtube",
    "whatsapp",
    "email",
    "print",
    "read more",
    "read more »",
    "back to case studies",
    "back to top",
    "privacy policy",
    "cookie policy",
    "accessibility",
    "accessibility statement",
    "terms and conditions",
    "sitemap",
    "like this",
    "like this:",
    "loading",
    "loading...",
    "tags",
    "categories",
    "filed under",
];

/// Headings of lists of other posts: they and the short lines under them
/// (post titles, dates) are noise.
const OTHER_POSTS: [&str; 12] = [
    "related posts",
    "related",
    "related case studies",
    "you may also like",
    "more case studies",
    "other case studies",
    "latest news",
    "recent posts",
    "latest posts",
    "previous post",
    "next post",
    "post navigation",
];

/// The short lines of a cookie banner, noise only near a line about cookies.
const COOKIE_UI: [&str; 26] = [
    "accept",
    "accept all",
    "accept all cookies",
    "reject",
    "reject all",
    "decline",
    "save & accept",
    "save and accept",
    "save my preferences",
    "manage consent",
    "manage preferences",
    "privacy overview",
    "necessary",
    "non-necessary",
    "functional",
    "analytics",
    "performance",
    "advertisement",
    "marketing",
    "statistics",
    "preferences",
    "others",
    "close",
    "customise",
    "customize",
    "show more",
];

/// Words that, beside "cookie", make a line part of a cookie notice.
const COOKIE_CONTEXT: [&str; 14] = [
    "website",
    "consent",
    "browser",
    "accept",
    "settings",
    "policy",
    "preferences",
    "visits",
    "essential",
    "gdpr",
    "plugin",
    "third-party",
    "navigate",
    "analytics",
];

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// How far (in lines) the short buttons of a cookie banner may stand from a
/// line about cookies.
const COOKIE_REACH: usize = 6;
/// The most plain short lines above the fields kept as they are (the title
/// and a breadcrumb); more are a menu.
const MAX_PREAMBLE: usize = 3;
/// The longest line (in words) that a menu entry or a link to a post has.
const SHORT_WORDS: usize = 10;

/// The characters taken off the end of a line's key.
const KEY_TRAILERS: [char; 6] = [':', '»', '›', '→', '>', '|'];

/// Appends the key of `line` to `out`: the line in lower case,
/// single-spaced, without trailing ":" or arrows. Nothing is allocated
/// beyond `out`'s growth, so the keys of a whole file share one buffer.
fn push_key(line: &str, out: &mut String) {
    let t = line.trim().trim_end_matches(KEY_TRAILERS).trim();
    let from = out.len();
    if t.is_ascii() {
        // `char::is_whitespace` of ASCII: tab, line feed, vertical tab, form
        // feed, carriage return and space (so the words are those of
        // `split_whitespace`), found by bytes.
        let space = |b: u8| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ');
        let bytes = t.as_bytes();
        let mut at = 0;
        while let Some(skip) = bytes
            .get(at..)
            .and_then(|r| r.iter().position(|&b| !space(b)))
        {
            let start = at + skip;
            let len = bytes
                .get(start..)
                .and_then(|r| r.iter().position(|&b| space(b)))
                .unwrap_or(bytes.len() - start);
            if out.len() > from {
                out.push(' ');
            }
            // ASCII, so every byte is a character boundary
            out.push_str(t.get(start..start + len).unwrap_or(""));
            at = start + len;
        }
        if let Some(k) = out.get_mut(from..) {
            k.make_ascii_lowercase();
        }
        return;
    }
    let mut sigma = false;
    for w in t.split_whitespace() {
        if out.len() > from {
            out.push(' ');
        }
        for c in w.chars() {
            // Only the capital sigma lowers by context (final or not).
            sigma |= c == 'Σ';
            out.extend(c.to_lowercase());
        }
    }
    if sigma {
        out.truncate(from);
        let joined: Vec<&str> = t.split_whitespace().collect();
        out.push_str(&joined.join(" ").to_lowercase());
    }
}

/// The keys of every line of a file, in one buffer.
struct Keys {
    buf: String,
    ends: Vec<usize>,
}

impl Keys {
    fn new(lines: &[&str]) -> Keys {
        let mut buf = String::with_capacity(lines.iter().map(|l| l.len()).sum());
        let mut ends = Vec::with_capacity(lines.len());
        for l in lines {
            push_key(l, &mut buf);
            ends.push(buf.len());
        }
        Keys { buf, ends }
    }

    fn get(&self, i: usize) -> &str {
        let from = match i.checked_sub(1) {
            Some(p) => self.ends.get(p).copied().unwrap_or(0),
            None => 0,
        };
        let to = self.ends.get(i).copied().unwrap_or(from);
        self.buf.get(from..to).unwrap_or("")
    }
}

/// The key of one line (see [`push_key`]).
#[cfg(test)]
fn key(line: &str) -> String {
    let mut k = String::new();
    push_key(line, &mut k);
    k
}

fn word_count(line: &str) -> usize {
    line.split_whitespace().count()
}

/// Whether `hay` holds `needle` (bytes, found with `memchr`'s searcher).
fn has(hay: &str, needle: &str) -> bool {
    memchr::memmem::find(hay.as_bytes(), needle.as_bytes()).is_some()
}

/// Chrome by the line's key.
fn is_chrome_key(k: &str) -> bool {
    CHROME.contains(&k)
        || k.starts_with('©')
        || k.starts_with("copyright ")
        || k.starts_with("powered by ")
}

/// A line about cookies that belongs to a notice, not to a story (by the
/// line's key).
fn is_cookie_notice_key(k: &str) -> bool {
    let about_cookies = has(k, "cookie") || (has(k, "consent") && word_count(k) <= 4);
    if !about_cookies {
        return false;
    }
    word_count(k) <= 8 || COOKIE_CONTEXT.iter().any(|w| has(k, w))
}

#[cfg(test)]
fn is_cookie_notice(line: &str) -> bool {
    is_cookie_notice_key(&key(line))
}

/// A breadcrumb: "Home » Case Studies » Title" (or with › or " > "); `k` is
/// the line's key.
fn is_breadcrumb(line: &str, k: &str) -> bool {
    let t = line.trim();
    k.starts_with("home")
        && word_count(t) <= 20
        && ["»", "›", " > ", " / "].iter().any(|sep| {
            t.split(sep)
                .filter(|p| !p.trim().is_empty())
                .nth(1)
                .is_some()
        })
}

#[cfg(test)]
fn is_date_line(line: &str) -> bool {
    is_date_key(&key(line))
}

/// A line that is only a date ("12 March 2021", "March 4, 2022", "14th June
/// 2018", "Posted on 3 November 2020", "12/03/2021", "2021-03-12"), by its
/// key.
fn is_date_key(k: &str) -> bool {
    let k = k
        .strip_prefix("posted on ")
        .or_else(|| k.strip_prefix("published "))
        .or_else(|| k.strip_prefix("published on "))
        .or_else(|| k.strip_prefix("updated "))
        .unwrap_or(k);
    // A date has at most three words: look no further than a fourth.
    let mut words = [""; 3];
    let mut n = 0;
    for w in k
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        match words.get_mut(n) {
            Some(slot) => *slot = w,
            None => return false,
        }
        n += 1;
    }
    let (day, month, year) = (is_day, is_month, is_year);
    match words.get(..n).unwrap_or(&[]) {
        [d, m, y] => (day(d) && month(m) && year(y)) || (month(d) && day(m) && year(y)),
        [m, y] => month(m) && year(y),
        [one] => {
            let mut parts = 0;
            let mut four = false;
            for p in one.split(['/', '-', '.']) {
                if p.is_empty() || p.len() > 4 || !p.chars().all(|c| c.is_ascii_digit()) {
                    return false;
                }
                parts += 1;
                four |= p.len() == 4;
            }
            parts == 3 && four
        }
        _ => false,
    }
}

/// A short line without the full stop of a sentence (a menu entry, a post's
/// title).
fn is_short_label(line: &str) -> bool {
    let t = line.trim();
    let n = word_count(t);
    n > 0 && n <= SHORT_WORDS && !t.ends_with(['.', '!', '?', ';'])
}

/// A day of the month as dates on the website write it: "3", "03", "3rd".
fn is_day(w: &str) -> bool {
    let d = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    !d.is_empty() && d.len() <= 2 && d.chars().all(|c| c.is_ascii_digit())
}

fn is_year(w: &str) -> bool {
    w.len() == 4 && w.chars().all(|c| c.is_ascii_digit())
}

/// A month's name or its first three letters or more ("sept").
fn is_month(w: &str) -> bool {
    MONTHS
        .iter()
        .any(|m| *m == w || (w.len() >= 3 && m.starts_with(w)))
}

/// A menu above the title: many short lines before the fields. The last one
/// is the title; the ones before it are the menu, marked as noise.
fn mark_menu(lines: &[&str], noise: &mut [bool]) {
    let Some(h) = header_start(lines) else {
        return;
    };
    let before: Vec<usize> = (0..h)
        .filter(|&i| !noise.get(i).copied().unwrap_or(true) && !is_blank(lines[i]))
        .collect();
    let all_short = before.iter().all(|&i| {
        let c = content(lines[i]);
        !c.bulleted && is_short_label(lines[i])
    });
    if before.len() > MAX_PREAMBLE && all_short {
        for &i in before.iter().take(before.len() - 1) {
            if let Some(n) = noise.get_mut(i) {
                *n = true;
            }
        }
    }
}

/// The first line where the case study's own header begins: "Principles met",
/// or the "Lead Member" or "Participating Members" field (on any layout).
fn header_start(lines: &[&str]) -> Option<usize> {
    lines.iter().position(|l| {
        is_principles_heading(l)
            || field(l, true)
                .is_some_and(|f| matches!(f.field, Field::LeadMember | Field::ParticipatingMembers))
    })
}

/// `text` with its noise lines emptied (same number of lines).
pub(crate) fn strip(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    // Every line's key, made once: the rules below read only these.
    let keys = Keys::new(&lines);
    let mut noise = vec![false; lines.len()];
    // Within COOKIE_REACH lines of a line about cookies (marked in one pass,
    // so a file of many such lines costs linear time).
    let mut near_cookie = vec![false; lines.len()];
    let mut cookie_notice = vec![false; lines.len()];
    let mut last_cookie: Option<usize> = None;
    for (i, notice) in cookie_notice.iter_mut().enumerate() {
        if is_cookie_notice_key(keys.get(i)) {
            *notice = true;
            let from = last_cookie.map_or(i.saturating_sub(COOKIE_REACH), |c| {
                (c + 1).max(i.saturating_sub(COOKIE_REACH))
            });
            let to = (i + COOKIE_REACH + 1).min(lines.len());
            for n in near_cookie.iter_mut().take(to).skip(from) {
                *n = true;
            }
            last_cookie = Some(i);
        }
    }
    let mut under_other_posts = false;
    for (i, line) in lines.iter().enumerate() {
        if is_blank(line) {
            continue;
        }
        let k = keys.get(i);
        if OTHER_POSTS.contains(&k) {
            noise[i] = true;
            under_other_posts = true;
            continue;
        }
        if under_other_posts && (is_short_label(line) || is_date_key(k) || is_chrome_key(k)) {
            noise[i] = true;
            continue;
        }
        under_other_posts = false;
        noise[i] = is_chrome_key(k)
            || cookie_notice[i]
            || is_breadcrumb(line, k)
            || is_date_key(k)
            || (near_cookie[i] && COOKIE_UI.contains(&k));
    }
    mark_menu(&lines, &mut noise);
    let mut out = String::with_capacity(text.len());
    for (i, (l, &n)) in lines.iter().zip(&noise).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if !n {
            out.push_str(l);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The rules as they were first written (a key made per call, a line's
    /// words split and joined anew), kept to show that the faster ones say
    /// the same of every line and every text.
    mod old {
        use super::super::{
            CHROME, COOKIE_CONTEXT, COOKIE_REACH, COOKIE_UI, OTHER_POSTS, is_day, is_month,
            is_short_label, is_year, mark_menu, word_count,
        };
        use crate::submission::lines::{is_blank, split_lines};

        /// The line in lower case, single-spaced, without trailing ":" or arrows.
        pub(super) fn key(line: &str) -> String {
            let t = line
                .trim()
                .trim_end_matches([':', '»', '›', '→', '>', '|'])
                .trim();
            t.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        }

        pub(super) fn is_chrome(line: &str) -> bool {
            let k = key(line);
            CHROME.contains(&k.as_str())
                || k.starts_with('©')
                || k.starts_with("copyright ")
                || k.starts_with("powered by ")
        }

        /// A line about cookies that belongs to a notice, not to a story.
        pub(super) fn is_cookie_notice(line: &str) -> bool {
            let k = key(line);
            let about_cookies =
                k.contains("cookie") || (k.contains("consent") && word_count(&k) <= 4);
            if !about_cookies {
                return false;
            }
            word_count(&k) <= 8 || COOKIE_CONTEXT.iter().any(|w| k.contains(w))
        }

        /// A breadcrumb: "Home » Case Studies » Title" (or with › or " > ").
        pub(super) fn is_breadcrumb(line: &str) -> bool {
            let t = line.trim();
            ["»", "›", " > ", " / "]
                .iter()
                .any(|sep| t.split(sep).filter(|p| !p.trim().is_empty()).count() >= 2)
                && word_count(t) <= 20
                && key(t).starts_with("home")
        }

        /// A line that is only a date ("12 March 2021", "March 4, 2022", "14th June
        /// 2018", "Posted on 3 November 2020", "12/03/2021", "2021-03-12").
        pub(super) fn is_date_line(line: &str) -> bool {
            let k = key(line);
            let k = k
                .strip_prefix("posted on ")
                .or_else(|| k.strip_prefix("published "))
                .or_else(|| k.strip_prefix("published on "))
                .or_else(|| k.strip_prefix("updated "))
                .unwrap_or(&k);
            let words: Vec<&str> = k
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|w| !w.is_empty())
                .collect();
            let (day, month, year) = (is_day, is_month, is_year);
            match words.as_slice() {
                [d, m, y] => (day(d) && month(m) && year(y)) || (month(d) && day(m) && year(y)),
                [m, y] => month(m) && year(y),
                [one] => {
                    let parts: Vec<&str> = one.split(['/', '-', '.']).collect();
                    parts.len() == 3
                        && parts.iter().all(|p| {
                            !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit())
                        })
                        && parts.iter().any(|p| p.len() == 4)
                }
                _ => false,
            }
        }

        /// `text` with its noise lines emptied (same number of lines).
        pub(super) fn strip(text: &str) -> String {
            let lines: Vec<&str> = split_lines(text).iter().map(|l| l.text).collect();
            let mut noise = vec![false; lines.len()];
            // Within COOKIE_REACH lines of a line about cookies (marked in one pass,
            // so a file of many such lines costs linear time).
            let mut near_cookie = vec![false; lines.len()];
            let mut last_cookie: Option<usize> = None;
            for (i, l) in lines.iter().enumerate() {
                if is_cookie_notice(l) {
                    let from = last_cookie.map_or(i.saturating_sub(COOKIE_REACH), |c| {
                        (c + 1).max(i.saturating_sub(COOKIE_REACH))
                    });
                    let to = (i + COOKIE_REACH + 1).min(lines.len());
                    for n in near_cookie.iter_mut().take(to).skip(from) {
                        *n = true;
                    }
                    last_cookie = Some(i);
                }
            }
            let near_cookie = |i: usize| near_cookie.get(i).copied().unwrap_or(false);
            let mut under_other_posts = false;
            for (i, line) in lines.iter().enumerate() {
                if is_blank(line) {
                    continue;
                }
                let k = key(line);
                if OTHER_POSTS.contains(&k.as_str()) {
                    noise[i] = true;
                    under_other_posts = true;
                    continue;
                }
                if under_other_posts
                    && (is_short_label(line) || is_date_line(line) || is_chrome(line))
                {
                    noise[i] = true;
                    continue;
                }
                under_other_posts = false;
                noise[i] = is_chrome(line)
                    || is_cookie_notice(line)
                    || is_breadcrumb(line)
                    || is_date_line(line)
                    || (COOKIE_UI.contains(&k.as_str()) && near_cookie(i));
            }
            mark_menu(&lines, &mut noise);
            lines
                .iter()
                .zip(&noise)
                .map(|(l, &n)| if n { "" } else { *l })
                .collect::<Vec<_>>()
                .join("\n")
        }
    }

    #[test]
    fn dates() {
        for yes in [
            "12 March 2021",
            "March 4, 2022",
            "14th June 2018",
            "Posted on 3 November 2020",
            "12/03/2021",
            "2021-03-12",
            "Sept 2019",
        ] {
            assert!(is_date_line(yes), "{yes}");
        }
        for no in [
            "2021",
            "Year 2021",
            "March",
            "In March 2021 we began",
            "1 2 3",
        ] {
            assert!(!is_date_line(no), "{no}");
        }
    }

    #[test]
    fn cookie_notices_but_not_cookies_in_a_story() {
        assert!(is_cookie_notice("Cookie Settings"));
        assert!(is_cookie_notice(
            "This website uses cookies to improve your experience while you navigate through the website."
        ));
        assert!(!is_cookie_notice(
            "A bakery co-operative that started on the market now sells cookies and bread to three hospitals."
        ));
    }

    #[test]
    fn noise_is_blanked_and_lines_kept() {
        let text = "We use cookies on our website. Accept?\nAccept All\nAlways Active\nTitle\n- Lead Member X\nRelated posts\nOther post\n12 March 2021\n";
        let out = strip(text);
        assert_eq!(out.lines().count(), text.lines().count());
        assert_eq!(out, "\n\n\nTitle\n- Lead Member X\n\n\n\n");
    }

    #[test]
    fn a_menu_above_the_title_goes_and_the_title_stays() {
        let text = "Menu\nAbout\nMembers\nNews\nContact\nFood hubs\n• Lead Member Oldham Council\n";
        assert_eq!(
            strip(text),
            "\n\n\n\n\nFood hubs\n• Lead Member Oldham Council\n"
        );
        // a title and a breadcrumb alone are left to the header's own rules
        let text = "Food hubs\nCase studies overview\n• Lead Member Oldham Council\n";
        assert_eq!(strip(text), text);
    }

    /// Lines shaped like a pasted page's: its furniture, dates, cookie
    /// banners, breadcrumbs, header fields, and any text at all, in any case,
    /// with the spaces and trailing marks the keys take off.
    fn line() -> impl Strategy<Value = String> {
        let furniture: Vec<String> = CHROME
            .iter()
            .chain(&OTHER_POSTS)
            .chain(&COOKIE_UI)
            .chain(&COOKIE_CONTEXT)
            .chain(&MONTHS)
            .map(|s| (*s).to_string())
            .chain(
                [
                    "12 March 2021",
                    "March 4, 2022",
                    "Posted on 3 November 2020",
                    "published on 14th June 2018",
                    "12/03/2021",
                    "2021-03-12",
                    "1.2.2021",
                    "We use cookies on our website to give you the best experience.",
                    "Cookie Settings",
                    "Manage consent",
                    "This website uses cookies to improve your experience while you navigate through the website.",
                    "A bakery co-operative now sells cookies and bread to three hospitals.",
                    "Home » Case Studies » Food hubs",
                    "Home › News",
                    "home / case studies / x",
                    "© 2024 Oldham Council",
                    "Copyright Kirklees",
                    "Powered by WordPress",
                    "• Lead Member Oldham Council",
                    "Participating Members: Preston",
                    "Principles met",
                    "## Principles met",
                    "ΟΔΟΣ ΣΟΦΙΑΣ",
                    "İstanbul Σ",
                    "",
                ]
                .map(String::from),
            )
            .collect();
        let body = prop_oneof![
            3 => proptest::sample::select(furniture),
            1 => "\\PC{0,30}",
            1 => any::<String>(),
            1 => "[a-zA-Z0-9 ,.:/»›→>|©Σς\u{a0}\u{85}\u{b}\u{2003}-]{0,40}",
        ];
        let space =
            proptest::sample::select(vec!["", " ", "  ", "\t", "\u{a0}", "\u{2003}", "\u{b}"]);
        let tail = proptest::sample::select(vec![
            "", ":", " :", " »", "›", " →", "|", " > ", "::", ".", " \u{85}",
        ]);
        (space.clone(), body, tail, space, 0..3u8).prop_map(|(lead, body, tail, end, case)| {
            let body = match case {
                0 => body,
                1 => body.to_uppercase(),
                _ => body.to_lowercase(),
            };
            format!("{lead}{body}{tail}{end}")
        })
    }

    proptest! {
        #[test]
        fn the_rules_say_what_they_said_of_every_line(l in line()) {
            let k = key(&l);
            prop_assert_eq!(&k, &old::key(&l));
            prop_assert_eq!(is_chrome_key(&k), old::is_chrome(&l));
            prop_assert_eq!(is_cookie_notice_key(&k), old::is_cookie_notice(&l));
            prop_assert_eq!(is_breadcrumb(&l, &k), old::is_breadcrumb(&l));
            prop_assert_eq!(is_date_line(&l), old::is_date_line(&l));
            // a buffer that already holds keys gains this one's after them
            let mut buf = String::from("kept");
            push_key(&l, &mut buf);
            prop_assert_eq!(buf, format!("kept{k}"));
        }

        #[test]
        fn strip_says_what_it_said_of_every_text(lines in proptest::collection::vec(line(), 0..40)) {
            let text = lines.join("\n");
            prop_assert_eq!(strip(&text), old::strip(&text));
        }
    }
}
