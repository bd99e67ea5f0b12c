//! Saved web pages (`.html`, `.htm`), and the HTML part of an e-mail: the
//! article's text, one line per block, headings and list items on lines of
//! their own (a list item as a `•` bullet), so a case-study page reads as its
//! paste does.
//!
//! Navigation, the site's header and footer, sidebars, cookie banners,
//! scripts, styles and forms are not content. When the page has an
//! `<article>` or `<main>`, only that is read. The page is tokenised
//! (html5gum), never built into a tree, and open elements are kept on a
//! plain stack, so a megabyte of nested `<div>`s costs neither stack nor
//! quadratic time.

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// Elements whose content is never the case study.
const SKIPPED: [&str; 17] = [
    "script", "style", "noscript", "template", "svg", "head", "nav", "header", "footer", "aside",
    "form", "button", "select", "iframe", "object", "canvas", "dialog",
];

/// Words in a `class` or `id` that mark a part of the page as furniture.
const FURNITURE: [&str; 14] = [
    "cookie",
    "consent",
    "gdpr",
    "banner",
    "navbar",
    "menu",
    "sidebar",
    "breadcrumb",
    "share",
    "social",
    "related",
    "comments",
    "newsletter",
    "widget",
];

/// Elements that start and end a line.
const BLOCKS: [&str; 30] = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "blockquote",
    "pre",
    "address",
    "figure",
    "figcaption",
    "hr",
    "body",
    "html",
    "center",
    "summary",
    "details",
];

/// Elements that have no end tag.
const VOID: [&str; 14] = [
    "br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "track",
    "wbr", "param",
];

/// How far down the stack an end tag looks for its start (badly nested
/// pages stay linear).
const MAX_END_SEARCH: usize = 64;
/// The most text kept from a page.
const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

/// The text of a page.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Page {
    pub text: String,
    /// The first `<h1>`.
    pub heading: Option<String>,
    /// The `<title>`, without the site's name after a separator.
    pub title: Option<String>,
}

struct Open {
    name: String,
    skip: bool,
    article: bool,
}

#[derive(Default)]
struct Out {
    text: String,
    line: String,
}

impl Out {
    fn push_text(&mut self, s: &str) {
        for (i, part) in s.split_whitespace().enumerate() {
            if (i > 0 || s.starts_with(char::is_whitespace))
                && !self.line.is_empty()
                && !self.line.ends_with(' ')
            {
                self.line.push(' ');
            }
            self.line.push_str(part);
        }
        if s.ends_with(char::is_whitespace) && !self.line.is_empty() && !self.line.ends_with(' ') {
            self.line.push(' ');
        }
    }

    fn break_line(&mut self) {
        let line = self.line.trim();
        if !line.is_empty() && self.text.len() + line.len() < MAX_TEXT_BYTES {
            self.text.push_str(line);
            self.text.push('\n');
        }
        self.line.clear();
    }

    fn blank_line(&mut self) {
        self.break_line();
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
    }
}

fn is_furniture(attr: &str) -> bool {
    let a = attr.to_ascii_lowercase();
    a.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
        FURNITURE
            .iter()
            .any(|f| w == *f || (w.starts_with(f) && w.len() <= f.len() + 3))
    })
}

/// The content of a page.
pub(crate) fn read(html: &str) -> Page {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let tokens = Tokenizer::new_with_emitter(html, emitter);
    let mut stack: Vec<Open> = Vec::new();
    let mut skipping = 0usize;
    let mut in_article = 0usize;
    let mut all = Out::default();
    let mut article = Out::default();
    let mut heading: Option<String> = None;
    let mut in_h1: Option<String> = None;
    let mut title: Option<String> = None;
    let mut in_title: Option<String> = None;
    for token in tokens {
        let Ok(token) = token;
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if name == "title" && title.is_none() {
                    in_title = Some(String::new());
                }
                let furniture = tag.attributes.iter().any(|(k, v)| {
                    matches!(k.as_slice(), b"class" | b"id" | b"role")
                        && (is_furniture(&String::from_utf8_lossy(&v.value))
                            || v.value.as_slice() == b"navigation"
                            || v.value.as_slice() == b"contentinfo")
                });
                let breaks =
                    BLOCKS.contains(&name.as_str()) || matches!(name.as_str(), "br" | "td" | "th");
                if breaks && skipping == 0 {
                    if matches!(name.as_str(), "td" | "th") {
                        for out in [&mut all, &mut article] {
                            if !out.line.is_empty() {
                                out.line.push_str(" | ");
                            }
                        }
                    } else if name.starts_with('h') && name.len() == 2 || name == "p" {
                        all.blank_line();
                        article.blank_line();
                    } else {
                        all.break_line();
                        article.break_line();
                    }
                    if name == "li" {
                        all.push_text("• ");
                        article.push_text("• ");
                    }
                }
                if name == "h1" && heading.is_none() && skipping == 0 {
                    in_h1 = Some(String::new());
                }
                if VOID.contains(&name.as_str()) || tag.self_closing {
                    continue;
                }
                let skip = SKIPPED.contains(&name.as_str()) || furniture;
                let is_article = name == "article" || name == "main";
                if skip {
                    skipping += 1;
                }
                if is_article {
                    in_article += 1;
                }
                stack.push(Open {
                    name,
                    skip,
                    article: is_article,
                });
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if name == "title"
                    && let Some(t) = in_title.take()
                {
                    title = Some(t);
                }
                if name == "h1"
                    && let Some(h) = in_h1.take()
                {
                    let h = h.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !h.is_empty() {
                        heading = Some(h);
                    }
                }
                let found = stack
                    .iter()
                    .rev()
                    .take(MAX_END_SEARCH)
                    .position(|o| o.name == name);
                if let Some(depth) = found {
                    for _ in 0..=depth {
                        if let Some(o) = stack.pop() {
                            if o.skip {
                                skipping = skipping.saturating_sub(1);
                            }
                            if o.article {
                                in_article = in_article.saturating_sub(1);
                            }
                        }
                    }
                }
                if skipping == 0 && (BLOCKS.contains(&name.as_str())) {
                    if name.starts_with('h') && name.len() == 2 || name == "p" {
                        all.blank_line();
                        article.blank_line();
                    } else {
                        all.break_line();
                        article.break_line();
                    }
                }
            }
            Token::String(s) => {
                let s = String::from_utf8_lossy(&s.value);
                if let Some(t) = &mut in_title {
                    t.push_str(&s);
                }
                if skipping > 0 {
                    continue;
                }
                if let Some(h) = &mut in_h1 {
                    h.push_str(&s);
                }
                all.push_text(&s);
                if in_article > 0 {
                    article.push_text(&s);
                }
            }
            _ => {}
        }
    }
    all.break_line();
    article.break_line();
    let mut text = if article.text.chars().any(char::is_alphanumeric) {
        article.text
    } else {
        all.text
    };
    text.truncate(text.trim_end().len());
    if !text.is_empty() {
        text.push('\n');
    }
    let title = title
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .map(|t| {
            [" | ", " – ", " — ", " - "]
                .iter()
                .find_map(|sep| t.split_once(sep).map(|(a, _)| a.trim().to_string()))
                .unwrap_or(t)
        })
        .filter(|t| !t.is_empty());
    Page {
        text,
        heading,
        title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_text_with_its_structure() {
        let page = read(
            "<html><head><title>Food hubs | CCIN</title><script>var a = '<p>no</p>';</script></head>\
             <body><nav><a href=/>Home</a></nav><div class=\"cookie-banner\">We use cookies <button>Accept</button></div>\
             <article><h1>Food  hubs</h1><ul><li>Lead Member Oldham&nbsp;Council</li><li>Year 2020</li></ul>\
             <h2>About the project</h2><p>The hubs <b>opened</b> in 2020.</p></article>\
             <aside>Related posts</aside><footer>© CCIN</footer></body></html>",
        );
        assert_eq!(page.title.as_deref(), Some("Food hubs"));
        assert_eq!(page.heading.as_deref(), Some("Food hubs"));
        assert_eq!(
            page.text,
            "Food hubs\n\n• Lead Member Oldham Council\n• Year 2020\n\nAbout the project\n\nThe hubs opened in 2020.\n"
        );
    }

    #[test]
    fn without_an_article_the_body_less_its_furniture() {
        let page = read("<body><div id=menu>Home</div><p>Text</p><footer>x</footer>");
        assert_eq!(page.text, "Text\n");
    }

    #[test]
    fn deep_nesting_is_linear_and_needs_no_stack() {
        let html = format!(
            "{}text{}",
            "<div>".repeat(200_000),
            "</div>".repeat(200_000)
        );
        let start = std::time::Instant::now();
        let page = read(&html);
        assert_eq!(page.text, "text\n");
        let unclosed = format!(
            "{}text{}",
            "<span><i>".repeat(100_000),
            "</b>".repeat(100_000)
        );
        assert!(read(&unclosed).text.contains("text"));
        assert!(start.elapsed().as_secs() < 20);
    }
}
