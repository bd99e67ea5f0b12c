//! The noise a copy of a web page carries, which is not the case study: the
//! cookie banner and its "Always Active" switches, the site's menu and
//! breadcrumb, share buttons, links to other posts with their dates, the
//! footer (DESIGN section 3, "Messy pastes").
//!
//! Noise lines are blanked, not removed, so line numbers stay those of the
//! file. The rules are narrow on purpose: a line is noise for what it is as a
//! whole (a line that only says "Read more", a date, a cookie notice) or for
//! where it stands (a short line right under "Related posts", a menu above the
//! title); a sentence of a press release that mentions cookies is kept.

use super::lines::{Field, content, field, is_blank, is_principles_heading, split_lines};

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

/// The line in lower case, single-spaced, without trailing ":" or arrows.
fn key(line: &str) -> String {
    let t = line
        .trim()
        .trim_end_matches([':', '»', '›', '→', '>', '|'])
        .trim();
    t.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn word_count(line: &str) -> usize {
    line.split_whitespace().count()
}

fn is_chrome(line: &str) -> bool {
    let k = key(line);
    CHROME.contains(&k.as_str())
        || k.starts_with('©')
        || k.starts_with("copyright ")
        || k.starts_with("powered by ")
}

/// A line about cookies that belongs to a notice, not to a story.
fn is_cookie_notice(line: &str) -> bool {
    let k = key(line);
    let about_cookies = k.contains("cookie") || (k.contains("consent") && word_count(&k) <= 4);
    if !about_cookies {
        return false;
    }
    word_count(&k) <= 8 || COOKIE_CONTEXT.iter().any(|w| k.contains(w))
}

/// A breadcrumb: "Home » Case Studies » Title" (or with › or " > ").
fn is_breadcrumb(line: &str) -> bool {
    let t = line.trim();
    ["»", "›", " > ", " / "]
        .iter()
        .any(|sep| t.split(sep).filter(|p| !p.trim().is_empty()).count() >= 2)
        && word_count(t) <= 20
        && key(t).starts_with("home")
}

/// A line that is only a date ("12 March 2021", "March 4, 2022", "14th June
/// 2018", "Posted on 3 November 2020", "12/03/2021", "2021-03-12").
pub(crate) fn is_date_line(line: &str) -> bool {
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
    let day = |w: &str| {
        let d = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        !d.is_empty() && d.len() <= 2 && d.chars().all(|c| c.is_ascii_digit())
    };
    let year = |w: &str| w.len() == 4 && w.chars().all(|c| c.is_ascii_digit());
    let month = |w: &str| {
        MONTHS
            .iter()
            .any(|m| *m == w || (w.len() >= 3 && m.starts_with(w)))
    };
    match words.as_slice() {
        [d, m, y] => (day(d) && month(m) && year(y)) || (month(d) && day(m) && year(y)),
        [m, y] => month(m) && year(y),
        [one] => {
            let parts: Vec<&str> = one.split(['/', '-', '.']).collect();
            parts.len() == 3
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
                && parts.iter().any(|p| p.len() == 4)
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
        if under_other_posts && (is_short_label(line) || is_date_line(line) || is_chrome(line)) {
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
    // A menu above the title: many short lines before the fields. The last
    // one is the title; the ones before it are the menu.
    if let Some(h) = header_start(&lines) {
        let before: Vec<usize> = (0..h)
            .filter(|&i| !noise[i] && !is_blank(lines[i]))
            .collect();
        let all_short = before.iter().all(|&i| {
            let c = content(lines[i]);
            !c.bulleted && is_short_label(lines[i])
        });
        if before.len() > MAX_PREAMBLE && all_short {
            for &i in before.iter().take(before.len() - 1) {
                noise[i] = true;
            }
        }
    }
    lines
        .iter()
        .zip(&noise)
        .map(|(l, &n)| if n { "" } else { *l })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
