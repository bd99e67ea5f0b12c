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

/// Words in a `class` or `id` that mark a part of the page as furniture,
/// matched as whole words of a token (`cookie-banner`, `site_menu`), never
/// as the start of one (`menuitem`, `no-sidebars`).
const FURNITURE: [&str; 18] = [
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "banner",
    "navbar",
    "menu",
    "sidebar",
    "breadcrumb",
    "breadcrumbs",
    "share",
    "sharing",
    "social",
    "related",
    "comments",
    "newsletter",
    "popup",
    "sponsored",
];

/// Words of a `class` or `id` that say a part is the content, whatever
/// else it says (`widget Blog`, `post-sidebar-wrap content`).
const CONTENT_WORDS: [&str; 8] = [
    "article", "content", "main", "body", "post", "entry", "story", "blog",
];

/// `role`s that mark furniture.
const FURNITURE_ROLES: [&str; 8] = [
    "navigation",
    "contentinfo",
    "menu",
    "menubar",
    "complementary",
    "alert",
    "alertdialog",
    "dialog",
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
/// The most elements whose text is weighed (past it, the rest of the page
/// is read as part of the last element).
const MAX_NODES: usize = 1 << 20;

/// The text of a page.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Page {
    pub text: String,
    /// The article's title: the page's own (`og:title` and the like), else
    /// its `<title>` without the site's name, else its first `<h1>`.
    pub heading: Option<String>,
    /// The `<title>`, without the site's name after a separator.
    pub title: Option<String>,
    /// Why the page gave no text, when it gave none.
    pub why_empty: Option<String>,
}

/// An element of the page, as far as the choice of its article needs.
#[derive(Debug, Default, Clone)]
struct Node {
    parent: usize,
    name: String,
    /// From its class and id: content (+25) or furniture (−25) words.
    weight: i32,
    /// Inside an `<article>` or `<main>`, or one itself.
    article: bool,
    /// Has an element child that is a block (a `<div>` that is not merely a
    /// paragraph).
    has_block: bool,
    /// Characters of text, of link text and commas: its own, then (after
    /// the page is read) with its descendants'.
    text: usize,
    link: usize,
    commas: usize,
    /// Its own and its descendants' paragraphs, list items, pictures and
    /// form fields.
    p: usize,
    li: usize,
    img: usize,
    input: usize,
    /// Its score as the article's container, once a paragraph is in it.
    score: Option<f64>,
    /// Its child elements.
    children: usize,
}

impl Node {
    fn link_density(&self) -> f64 {
        if self.text == 0 {
            0.0
        } else {
            self.link as f64 / self.text as f64
        }
    }
}

struct Open {
    name: String,
    skip: bool,
    /// Its node (for a skipped element, its parent's).
    node: usize,
    /// The nearest block around it, itself included.
    block: usize,
    link: bool,
}

/// One line of the page's text.
#[derive(Debug)]
struct Block {
    text: String,
    /// The block element it is in.
    node: usize,
    /// A blank line before it (a paragraph or heading).
    gap: bool,
}

#[derive(Default)]
struct Out {
    blocks: Vec<Block>,
    bytes: usize,
    line: String,
    node: Option<usize>,
    gap: bool,
}

impl Out {
    fn push_text(&mut self, s: &str, block: usize) {
        for (i, part) in s.split_whitespace().enumerate() {
            if (i > 0 || s.starts_with(char::is_whitespace))
                && !self.line.is_empty()
                && !self.line.ends_with(' ')
            {
                self.line.push(' ');
            }
            self.line.push_str(part);
            self.node.get_or_insert(block);
        }
        if s.ends_with(char::is_whitespace) && !self.line.is_empty() && !self.line.ends_with(' ') {
            self.line.push(' ');
        }
    }

    fn break_line(&mut self) {
        let line = self.line.trim();
        if !line.is_empty() && self.bytes + line.len() < MAX_TEXT_BYTES {
            self.bytes += line.len() + 1;
            self.blocks.push(Block {
                text: line.to_owned(),
                node: self.node.unwrap_or(0),
                gap: self.gap,
            });
            self.gap = false;
        }
        self.line.clear();
        self.node = None;
    }

    fn blank_line(&mut self) {
        self.break_line();
        self.gap = true;
    }
}

/// The whole words of a `class` or `id` value (split at spaces, hyphens
/// and underscores), lower-case.
fn words(attr: &str) -> impl Iterator<Item = String> + '_ {
    attr.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Whether a `class` or `id` marks furniture: one of its tokens starts or
/// ends with a furniture word (`sidebar-primary`, `cookie-banner`; not the
/// layout's `panel-two-col-sidebar-right-mix`), and none of them is a word
/// of content without one (`widget Blog`).
fn is_furniture(attr: &str) -> bool {
    let mut furniture = false;
    for token in attr.split_whitespace() {
        let ws: Vec<String> = words(token).collect();
        let is = |w: Option<&String>| w.is_some_and(|w| FURNITURE.contains(&w.as_str()));
        let marks = is(ws.first()) || is(ws.last());
        let anywhere = ws.iter().any(|w| FURNITURE.contains(&w.as_str()));
        if !anywhere && ws.iter().any(|w| CONTENT_WORDS.contains(&w.as_str())) {
            return false;
        }
        furniture |= marks;
    }
    furniture
}

/// Readability's weight of a class or id: words of content count for it,
/// words of furniture against.
fn class_weight(attr: &str) -> i32 {
    const GOOD: [&str; 11] = [
        "article", "body", "content", "entry", "hentry", "main", "page", "post", "text", "blog",
        "story",
    ];
    // Not readability's "meta": the website's field list is a
    // `case-study-meta` list.
    const BAD: [&str; 18] = [
        "hidden", "banner", "combx", "comment", "comments", "contact", "footer", "masthead",
        "media", "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar",
        "sponsor", "widget",
    ];
    let (mut good, mut bad) = (false, false);
    for w in words(attr) {
        good |= GOOD.contains(&w.as_str());
        bad |= BAD.contains(&w.as_str()) || w == "ad";
    }
    i32::from(good) * 25 - i32::from(bad) * 25
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// A `<meta>` that names the article's title, and how much it is trusted
/// (lower first).
fn meta_title_rank(key: &str) -> Option<u8> {
    match key {
        "dc:title" | "dcterm:title" => Some(1),
        "og:title" => Some(2),
        "weibo:article:title" | "weibo:webpage:title" => Some(3),
        "title" => Some(4),
        "twitter:title" => Some(5),
        _ => None,
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the tokens of a page give, before the article is chosen.
#[derive(Default)]
struct Scan {
    nodes: Vec<Node>,
    out: Out,
    h1: Vec<String>,
    h2: Vec<String>,
    title: Option<String>,
    meta_title: Option<(u8, String)>,
    ld_title: Option<String>,
    /// Characters of text in the page's skipped parts (scripts, menus, ...).
    skipped_text: usize,
}

/// The content of a page.
pub(crate) fn read(html: &str) -> Page {
    let page = finish(scan(html, true));
    // As readability does: when what is left is too short to be an
    // article, the parts whose class or id looked like furniture were
    // perhaps not; read again without that test.
    let letters = |p: &Page| p.text.chars().filter(|c| c.is_alphanumeric()).count();
    if letters(&page) < 400 {
        let again = finish(scan(html, false));
        if (letters(&again) >= 400 || letters(&page) == 0) && letters(&again) > letters(&page) * 2 {
            return again;
        }
    }
    page
}

fn scan(html: &str, by_class: bool) -> Scan {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let tokens = Tokenizer::new_with_emitter(html, emitter);
    let mut sc = Scan {
        nodes: vec![Node {
            name: "#root".into(),
            ..Node::default()
        }],
        ..Scan::default()
    };
    let mut stack: Vec<Open> = Vec::new();
    let mut skipping = 0usize;
    let mut in_link = 0usize;
    let mut in_heading: Option<(String, String)> = None;
    let mut in_title: Option<String> = None;
    let mut in_ld: Option<String> = None;
    for token in tokens {
        let Ok(token) = token;
        let (node, block) = stack.last().map_or((0, 0), |o| (o.node, o.block));
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                let attr = |k: &[u8]| {
                    tag.attributes
                        .get(k)
                        .map(|v| String::from_utf8_lossy(&v.value).into_owned())
                };
                if name == "title" && sc.title.is_none() {
                    in_title = Some(String::new());
                }
                if name == "meta"
                    && let Some(content) = attr(b"content")
                {
                    for key in [attr(b"property"), attr(b"name")].into_iter().flatten() {
                        for key in key.split_whitespace() {
                            let key = key.to_ascii_lowercase();
                            if let Some(rank) = meta_title_rank(&key)
                                && sc.meta_title.as_ref().is_none_or(|(r, _)| rank < *r)
                                && !content.trim().is_empty()
                            {
                                sc.meta_title = Some((rank, squash(&content)));
                            }
                        }
                    }
                }
                if name == "script"
                    && attr(b"type").is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json"))
                    && sc.ld_title.is_none()
                {
                    in_ld = Some(String::new());
                }
                // The page's own parts are never furniture, whatever their
                // class says (`<body class="no-sidebars">`).
                let structural = matches!(name.as_str(), "html" | "body" | "main" | "article");
                let furniture = !structural
                    && (tag.attributes.iter().any(|(k, v)| {
                        let v = String::from_utf8_lossy(&v.value);
                        match k.as_slice() {
                            b"class" | b"id" => by_class && is_furniture(&v),
                            b"role" => FURNITURE_ROLES
                                .iter()
                                .any(|r| v.trim().eq_ignore_ascii_case(r)),
                            b"aria-hidden" => v.trim() == "true",
                            b"hidden" => true,
                            b"style" => {
                                let v = v.to_ascii_lowercase().replace(' ', "");
                                v.contains("display:none") || v.contains("visibility:hidden")
                            }
                            _ => false,
                        }
                    }));
                let is_block =
                    BLOCKS.contains(&name.as_str()) || matches!(name.as_str(), "td" | "th");
                let breaks = is_block || name == "br";
                if breaks && skipping == 0 {
                    if matches!(name.as_str(), "td" | "th") {
                        if !sc.out.line.is_empty() {
                            sc.out.line.push_str(" | ");
                        }
                    } else if is_heading(&name) || name == "p" {
                        sc.out.blank_line();
                    } else {
                        sc.out.break_line();
                    }
                    if name == "li" {
                        sc.out.push_text("• ", block);
                    }
                }
                if skipping == 0 {
                    if let Some(n) = sc.nodes.get_mut(node) {
                        match name.as_str() {
                            "img" => n.img += 1,
                            "input" | "textarea" | "select" => n.input += 1,
                            _ => {}
                        }
                        n.has_block |= is_block && name != "br";
                    }
                    if is_heading(&name) && matches!(name.as_str(), "h1" | "h2") {
                        in_heading = Some((name.clone(), String::new()));
                    }
                }
                if VOID.contains(&name.as_str()) || tag.self_closing {
                    continue;
                }
                let skip = SKIPPED.contains(&name.as_str()) || furniture;
                if skip {
                    skipping += 1;
                }
                let mut own = node;
                if skipping == 0 && sc.nodes.len() < MAX_NODES {
                    own = sc.nodes.len();
                    let weight = ["class", "id"]
                        .iter()
                        .filter_map(|k| attr(k.as_bytes()))
                        .map(|v| class_weight(&v))
                        .sum();
                    let article = matches!(name.as_str(), "article" | "main")
                        || sc.nodes.get(node).is_some_and(|n| n.article);
                    if let Some(n) = sc.nodes.get_mut(node) {
                        n.children += 1;
                    }
                    sc.nodes.push(Node {
                        parent: node,
                        p: usize::from(name == "p"),
                        li: usize::from(name == "li"),
                        name: name.clone(),
                        weight,
                        article,
                        ..Node::default()
                    });
                }
                let link = name == "a" && skipping == 0;
                if link {
                    in_link += 1;
                }
                stack.push(Open {
                    block: if is_block { own } else { block },
                    name,
                    skip,
                    node: own,
                    link,
                });
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if name == "title"
                    && let Some(t) = in_title.take()
                {
                    sc.title = Some(t);
                }
                if name == "script"
                    && let Some(ld) = in_ld.take()
                {
                    sc.ld_title = ld_title(&ld);
                }
                if is_heading(&name)
                    && let Some((h, text)) = in_heading.take_if(|(h, _)| *h == name)
                {
                    let text = squash(&text);
                    if !text.is_empty() {
                        if h == "h1" { &mut sc.h1 } else { &mut sc.h2 }.push(text);
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
                            if o.link {
                                in_link = in_link.saturating_sub(1);
                            }
                        }
                    }
                }
                if skipping == 0 && BLOCKS.contains(&name.as_str()) {
                    if is_heading(&name) || name == "p" {
                        sc.out.blank_line();
                    } else {
                        sc.out.break_line();
                    }
                }
            }
            Token::String(s) => {
                let s = String::from_utf8_lossy(&s.value);
                if let Some(t) = &mut in_title {
                    t.push_str(&s);
                }
                if let Some(t) = &mut in_ld
                    && t.len() < 1 << 20
                {
                    t.push_str(&s);
                }
                if skipping > 0 {
                    sc.skipped_text += s.trim().len();
                    continue;
                }
                if let Some((_, h)) = &mut in_heading {
                    h.push_str(&s);
                }
                if let Some(n) = sc.nodes.get_mut(node) {
                    let chars = s.chars().filter(|c| !c.is_whitespace()).count();
                    n.text += chars;
                    if in_link > 0 {
                        n.link += chars;
                    }
                    n.commas += s.chars().filter(|c| matches!(c, ',' | '，' | '、')).count();
                }
                sc.out.push_text(&s, block);
            }
            _ => {}
        }
    }
    sc.out.break_line();
    sc
}

/// The headline of a page's JSON-LD description of itself, if it is an
/// article's.
fn ld_title(json: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(json.trim()).ok()?;
    let items: Vec<&serde_json::Value> = match &v {
        serde_json::Value::Array(a) => a.iter().collect(),
        other => match other.get("@graph") {
            Some(serde_json::Value::Array(a)) => a.iter().collect(),
            _ => vec![other],
        },
    };
    items.into_iter().find_map(|item| {
        let kind = item.get("@type")?.as_str()?;
        if !(kind.contains("Article") || kind == "NewsArticle" || kind == "BlogPosting") {
            return None;
        }
        let t = item
            .get("headline")
            .or_else(|| item.get("name"))?
            .as_str()?;
        let t = squash(t);
        (!t.is_empty()).then_some(t)
    })
}

/// Readability's cut of a `<title>`: the site's name after (or before) a
/// separator taken off.
fn title_without_site(title: &str, headings: &[String]) -> String {
    const SEPS: [&str; 8] = [" | ", " - ", " – ", " — ", " \\ ", " / ", " > ", " » "];
    let orig = squash(title);
    let word_count = |s: &str| s.split_whitespace().count();
    let last_sep = SEPS
        .iter()
        .filter_map(|sep| orig.rfind(sep).map(|i| (i, sep.len())))
        .max();
    let mut cur = orig.clone();
    if let Some((i, _)) = last_sep {
        cur = orig.get(..i).unwrap_or("").trim().to_string();
        if word_count(&cur) < 3 {
            // the site's name first: "CCIN | Food hubs in Oldham"
            let first = SEPS
                .iter()
                .filter_map(|sep| orig.find(sep).map(|i| (i, sep.len())))
                .min();
            if let Some((i, len)) = first {
                cur = orig.get(i + len..).unwrap_or("").trim().to_string();
            }
        }
    } else if orig.contains(": ")
        && !headings.contains(&orig)
        && let Some(i) = orig.rfind(':')
    {
        cur = orig.get(i + 1..).unwrap_or("").trim().to_string();
        if word_count(&cur) < 3
            && let Some(i) = orig.find(':')
        {
            cur = orig.get(i + 1..).unwrap_or("").trim().to_string();
        }
        if orig
            .find(':')
            .is_some_and(|i| word_count(orig.get(..i).unwrap_or("")) > 5)
        {
            cur = orig.clone();
        }
    }
    if word_count(&cur) <= 4 && last_sep.is_none() || cur.is_empty() {
        cur = orig.clone();
    }
    if word_count(&cur) <= 4 && last_sep.is_some() {
        let plain_words = SEPS
            .iter()
            .fold(orig.clone(), |t, sep| t.replace(sep, " "))
            .split_whitespace()
            .count();
        if word_count(&cur) != plain_words.saturating_sub(1) {
            cur = orig.clone();
        }
    }
    cur
}

fn fold(s: &str) -> String {
    s.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The nodes whose text is the article: by readability's measure, the
/// element holding the most paragraph text (weighed by commas and length,
/// lessened by the share of it that is links), with its siblings that look
/// like more of it; less the lists, tables and boxes in it that are mostly
/// links or pictures.
fn chosen(nodes: &mut [Node], blocks: &[Block]) -> Vec<bool> {
    let n = nodes.len();
    // sums over each subtree: children come after their parents
    for id in (1..n).rev() {
        let (parent, child) = match nodes.get(id) {
            Some(c) => (c.parent, c.clone()),
            None => continue,
        };
        if let Some(p) = nodes.get_mut(parent) {
            p.text += child.text;
            p.link += child.link;
            p.commas += child.commas;
            p.p += child.p;
            p.li += child.li;
            p.img += child.img;
            p.input += child.input;
        }
    }
    // The paragraphs are looked for in the <article> or <main> when most
    // of the page's paragraph text is there (not when they are teasers
    // beside an article marked up otherwise).
    let long = |b: &&Block| b.text.chars().count() >= 25;
    let in_article = |b: &&Block| nodes.get(b.node).is_some_and(|n| n.article);
    let total: usize = blocks.iter().filter(long).map(|b| b.text.len()).sum();
    let inside: usize = blocks
        .iter()
        .filter(long)
        .filter(in_article)
        .map(|b| b.text.len())
        .sum();
    let has_article = inside > 0 && inside * 2 >= total;
    for b in blocks {
        let Some(node) = nodes.get(b.node) else {
            continue;
        };
        if has_article && !node.article {
            continue;
        }
        if !matches!(
            node.name.as_str(),
            "p" | "td"
                | "pre"
                | "div"
                | "section"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "dd"
                | "blockquote"
                | "#root"
                | "body"
        ) {
            continue;
        }
        let len = b.text.chars().count();
        if len < 25 {
            continue;
        }
        let commas = b
            .text
            .chars()
            .filter(|c| matches!(c, ',' | '，' | '、'))
            .count();
        let score = 1.0 + commas as f64 + (len / 100).min(3) as f64;
        let mut at = node.parent;
        for level in 0..5usize {
            if at == 0 {
                break;
            }
            let Some(anc) = nodes.get_mut(at) else { break };
            if has_article && !anc.article {
                break;
            }
            let base = match anc.name.as_str() {
                "div" => 5.0,
                "pre" | "td" | "blockquote" => 3.0,
                "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
                _ => 0.0,
            } + f64::from(anc.weight);
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f64 * 3.0,
            };
            *anc.score.get_or_insert(base) += score / divider;
            at = anc.parent;
        }
    }
    let final_score = |node: &Node| node.score.map(|s| s * (1.0 - node.link_density()));
    let top = top_candidate(nodes, &final_score);
    let mut keep = vec![false; n];
    match top {
        Some((top, top_score)) => {
            let parent = nodes.get(top).map_or(0, |t| t.parent);
            let threshold = (top_score * 0.2).max(10.0);
            for (i, node) in nodes.iter().enumerate() {
                let sibling = node.parent == parent && i != 0;
                let chosen = i == top
                    || sibling && node.score.is_some_and(|s| s >= threshold)
                    || sibling
                        && node.name == "p"
                        && (node.text > 80 && node.link_density() < 0.25
                            || node.text >= 40 && node.link == 0);
                if let Some(k) = keep.get_mut(i) {
                    *k = chosen;
                }
            }
        }
        None if has_article => {
            for (i, node) in nodes.iter().enumerate() {
                let parent_is_article = nodes.get(node.parent).is_some_and(|p| p.article);
                if let Some(k) = keep.get_mut(i) {
                    *k = node.article && !parent_is_article;
                }
            }
        }
        None => {
            if let Some(k) = keep.get_mut(0) {
                *k = true;
            }
        }
    }
    // inherited, and the furniture in it taken out
    for id in 0..n {
        let Some(node) = nodes.get(id) else { continue };
        // parents come first: keep[parent] is final here
        let root = keep.get(id).copied().unwrap_or(false);
        let inherited = id != 0 && keep.get(node.parent).copied().unwrap_or(false);
        let kept = root || inherited && !clutter(node);
        if let Some(k) = keep.get_mut(id) {
            *k = kept;
        }
    }
    keep
}

/// Readability's choice of the article's container: the best scored, or
/// the element around several nearly as good, or a parent scored better;
/// then up through parents of one child. With its score.
fn top_candidate(
    nodes: &mut [Node],
    final_score: &dyn Fn(&Node) -> Option<f64>,
) -> Option<(usize, f64)> {
    // the final scores are the scores from here on
    for node in nodes.iter_mut() {
        node.score = final_score(node);
    }
    let mut ranked: Vec<(usize, f64)> = nodes
        .iter()
        .enumerate()
        .filter_map(|(i, node)| node.score.map(|s| (i, s)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked.truncate(5);
    let &(mut top, top_score) = ranked.first()?;
    let ancestors = |mut at: usize| {
        let mut v = Vec::new();
        for _ in 0..10_000 {
            let Some(n) = nodes.get(at) else { break };
            if at == 0 {
                break;
            }
            at = n.parent;
            v.push(at);
        }
        v
    };
    let alternatives: Vec<Vec<usize>> = ranked
        .iter()
        .skip(1)
        .filter(|(_, s)| *s / top_score >= 0.75)
        .map(|(i, _)| ancestors(*i))
        .collect();
    if alternatives.len() >= 3 {
        for at in ancestors(top) {
            if at == 0 || nodes.get(at).is_some_and(|n| n.name == "body") {
                break;
            }
            if alternatives.iter().filter(|a| a.contains(&at)).count() >= 3 {
                top = at;
                break;
            }
        }
    }
    // a parent scored better than its child is the container
    let mut last = nodes.get(top).and_then(|n| n.score).unwrap_or(top_score);
    let threshold = last / 3.0;
    let mut at = nodes.get(top).map_or(0, |n| n.parent);
    while at != 0 {
        let Some(n) = nodes.get(at) else { break };
        if n.name == "body" {
            break;
        }
        if let Some(s) = n.score {
            if s < threshold {
                break;
            }
            if s > last {
                top = at;
                break;
            }
            last = s;
        }
        at = n.parent;
    }
    // up through parents of one child
    while let Some(parent) = nodes.get(top).map(|n| n.parent) {
        match nodes.get(parent) {
            Some(p) if parent != 0 && p.name != "body" && p.children == 1 => top = parent,
            _ => break,
        }
    }
    let score = nodes.get(top).and_then(|n| n.score).unwrap_or(top_score);
    Some((top, score))
}

/// Readability's conditional cleaning: a list, table or box of the article
/// that is mostly links, pictures or form fields.
fn clutter(node: &Node) -> bool {
    let list = matches!(node.name.as_str(), "ul" | "ol");
    let boxed = matches!(
        node.name.as_str(),
        "div" | "section" | "form" | "fieldset" | "table"
    ) && node.has_block;
    if !list && !boxed {
        return false;
    }
    if node.weight
        + if list {
            0
        } else {
            node.score.map_or(0, |s| s as i32)
        }
        < 0
    {
        return true;
    }
    if node.commas >= 10 {
        return false;
    }
    let ld = node.link_density();
    let p = node.p as f64;
    (node.img > 1 && p / (node.img as f64) < 0.5)
        || (!list && node.li > node.p + 100)
        || (node.input as f64 > (p / 3.0).floor())
        || (!list && node.text < 25 && (node.img == 0 || node.img > 2) && ld > 0.0)
        || (!list && node.weight < 25 && ld > 0.2)
        || (node.weight >= 25 && ld > 0.5)
}

fn finish(mut sc: Scan) -> Page {
    let keep = chosen(&mut sc.nodes, &sc.out.blocks);
    // A long paragraph of prose outside the chosen element (a page that
    // splits its article over several containers) is still the article's:
    // readability's siblings reach only one level.
    let prose = |b: &Block| {
        let own = b.text.chars().count();
        own >= 120
            && b.text.matches(['.', ',']).count() >= 2
            && sc.nodes.get(b.node).is_some_and(|n| {
                n.weight >= 0 && n.link_density() < 0.1 && matches!(n.name.as_str(), "p" | "div")
            })
    };
    let mut text = String::new();
    for b in &sc.out.blocks {
        if !keep.get(b.node).copied().unwrap_or(false) && !prose(b) {
            continue;
        }
        if b.gap && !text.is_empty() && !text.ends_with("\n\n") {
            text.push('\n');
        }
        text.push_str(&b.text);
        text.push('\n');
    }
    let any_text = sc
        .out
        .blocks
        .iter()
        .any(|b| b.text.chars().any(char::is_alphanumeric));
    if !text.chars().any(char::is_alphanumeric) && any_text {
        // nothing looked like an article: the whole page rather than nothing
        text.clear();
        for b in &sc.out.blocks {
            if b.gap && !text.is_empty() && !text.ends_with("\n\n") {
                text.push('\n');
            }
            text.push_str(&b.text);
            text.push('\n');
        }
    }
    text.truncate(text.trim_end().len());
    if !text.is_empty() {
        text.push('\n');
    }
    let headings: Vec<String> = sc.h1.iter().chain(&sc.h2).cloned().collect();
    let title = sc.title.as_deref().map(squash).filter(|t| !t.is_empty());
    let short_title = title.as_deref().map(|t| title_without_site(t, &headings));
    let own = sc
        .ld_title
        .clone()
        .or_else(|| sc.meta_title.as_ref().map(|(_, t)| t.clone()));
    let heading = own
        .clone()
        .or_else(|| {
            // the h1 that agrees with the <title>, which says it in full
            let t = fold(short_title.as_deref()?);
            sc.h1
                .iter()
                .find(|h| {
                    let h = fold(h);
                    h == t || h.contains(&t) || t.contains(&h) && h.split(' ').count() > 1
                })
                .cloned()
                .or_else(|| short_title.clone())
        })
        .or_else(|| sc.h1.first().cloned());
    let why_empty = text.is_empty().then(|| {
        if sc.skipped_text > 0 {
            "the page's text is all in parts that are not an article's (scripts, menus, \
             banners, sidebars, hidden parts): a page built by its scripts?"
                .to_owned()
        } else {
            "the page has no text".to_owned()
        }
    });
    // "Food hubs | CCIN" with an <h1> "Food hubs": the site's name is
    // what is left
    let title = match (&heading, short_title) {
        (Some(h), Some(t)) if h.split_whitespace().count() > 1 && fold(&t).contains(&fold(h)) => {
            Some(h.clone())
        }
        (_, t) => t,
    };
    Page {
        text,
        heading,
        title,
        why_empty,
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

    const PARAGRAPH: &str = "<p>The hubs opened in 2020, with volunteers, and fed four hundred \
        families a week, through the winter, from three church halls.</p>";

    #[test]
    fn a_class_only_starting_with_a_furniture_word_is_not_furniture() {
        for open in [
            "<body class=\"no-sidebars gp-right-sidebar sidebar-primary\">",
            "<body><main class=\"container js-social-anchor-start\">",
            "<body><div class=\"widget Blog\">",
            "<body><div class=\"panel-two-col-sidebar-right-mix\">",
            "<body><div class=\"menuitem-free\">",
        ] {
            let page = read(&format!("{open}<h2>Hubs</h2>{PARAGRAPH}"));
            assert!(
                page.text.contains("four hundred"),
                "{open}: {:?}",
                page.text
            );
        }
        for furniture in [
            "<div class=\"sidebar-primary\">",
            "<div class=\"site-menu\">",
            "<div id=\"cookie_banner\">",
            "<div role=\"navigation\">",
            "<div hidden>",
            "<div style=\"display: none\">",
        ] {
            let page = read(&format!(
                "<body>{furniture}Sign up now for our lovely weekly news</div>{PARAGRAPH}"
            ));
            assert!(
                !page.text.contains("Sign up"),
                "{furniture}: {:?}",
                page.text
            );
            assert!(page.text.contains("four hundred"), "{furniture}");
        }
    }

    #[test]
    fn without_an_article_menus_and_lists_of_links_are_left_out() {
        let links: String = (0..12)
            .map(|i| format!("<li><a href=/{i}>Most read story number {i}</a></li>"))
            .collect();
        let page = read(&format!(
            "<body><div class=top><div><a href=/>Home</a> <a href=/news>News</a> <a href=/sport>Sport</a></div></div>\
             <div class=story><h1>Food hubs</h1>{PARAGRAPH}{PARAGRAPH}{PARAGRAPH}</div>\
             <div class=more><h3>Most read</h3><ul>{links}</ul></div></body>"
        ));
        assert!(page.text.contains("four hundred"), "{:?}", page.text);
        assert!(!page.text.contains("Most read"), "{:?}", page.text);
        assert!(!page.text.contains("Sport"), "{:?}", page.text);
    }

    #[test]
    fn prose_outside_the_chosen_element_is_kept_links_are_not() {
        let elsewhere = "<p>Later, the council handed the halls to the hub's members, who now run \
            them, and the hubs opened two more, in Failsworth and Chadderton, in 2022.</p>";
        let links = "<p><a href=/a>One long link to another story of the site, with commas, \
            and a full stop.</a> <a href=/b>And another long link to a second story, also, here.</a></p>";
        let page = read(&format!(
            "<body><div class=story>{PARAGRAPH}{PARAGRAPH}{PARAGRAPH}</div>\
             <div class=other><div>{elsewhere}</div><div>{links}</div></div></body>"
        ));
        assert!(page.text.contains("Failsworth"), "{:?}", page.text);
        assert!(!page.text.contains("long link"), "{:?}", page.text);
    }

    #[test]
    fn the_title_is_the_page_s_own_then_its_title_less_the_site() {
        let page = read(
            "<head><title>Section | Food hubs in Oldham – CCIN</title>\
             <meta property=\"og:title\" content=\"Food hubs in Oldham\"></head>\
             <body><h2>Latest</h2><h1>Oldham</h1><p>Text</p>",
        );
        assert_eq!(page.heading.as_deref(), Some("Food hubs in Oldham"));
        let page = read(
            "<head><title>Food hubs in Oldham open their doors - CCIN</title></head>\
             <body><h1>Menu</h1><h2>About</h2><p>Text</p>",
        );
        assert_eq!(
            page.heading.as_deref(),
            Some("Food hubs in Oldham open their doors")
        );
        // the h1 that agrees with the <title> says it in full
        let page =
            read("<head><title>Food hubs | CCIN</title></head><body><h1>Food hubs</h1><p>Text</p>");
        assert_eq!(page.heading.as_deref(), Some("Food hubs"));
    }

    #[test]
    fn a_page_with_no_text_says_why() {
        let page = read("<body><script>render()</script><nav>Home</nav></body>");
        assert_eq!(page.text, "");
        assert!(page.why_empty.is_some_and(|w| w.contains("scripts")));
        let page = read("<body><img src=a.png></body>");
        assert_eq!(page.why_empty.as_deref(), Some("the page has no text"));
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
