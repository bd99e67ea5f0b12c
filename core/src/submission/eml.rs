//! E-mails (`.eml`): usually a press release forwarded by a council, or a
//! filled form sent as an attachment.
//!
//! The subject (RFC 2047 words decoded, without `Re:`/`Fwd:`) is the title
//! when the text has none; the text/plain part, else the text of the
//! text/html part, is the body, with its transfer encoding and charset
//! decoded. The headers of a forwarded message quoted in the body are not
//! content. An e-mail carrying one attached submission is that submission,
//! which the caller reads; with several, the first is read and the e-mail
//! says which.

use mailparse::{DispositionType, MailHeaderMap, ParsedMail};

use super::html;

/// The most MIME boundaries a message may declare: a bound on how deep its
/// parts nest, since the parser descends into them recursively.
const MAX_BOUNDARIES: usize = 64;

/// Attachments that are submissions, by extension.
pub(crate) const SUBMISSION_ATTACHMENTS: [&str; 6] = ["docx", "md", "txt", "html", "htm", "pdf"];

/// What an e-mail holds.
#[derive(Debug, Default)]
pub(crate) struct Mail {
    /// The subject without `Re:`/`Fwd:` (of the forwarded message, when the
    /// body quotes one).
    pub subject: Option<String>,
    /// The sender, as written ("Jane Smith <jane@example.org>").
    pub from: Option<String>,
    /// The year the e-mail was sent.
    pub year: Option<i64>,
    /// The sender's covering note above a forwarded message, and a press
    /// release's banner and what follows its "Ends": not the case study.
    pub note: Option<String>,
    /// The body text, forwarded-message headers removed.
    pub body: String,
    /// The submission attachments: (file name, bytes).
    pub attachments: Vec<(String, Vec<u8>)>,
}

impl Mail {
    /// A message read from either format: its body with a forwarded
    /// message's headers and the covering note taken out (the forwarded
    /// subject, when there is one, is the subject).
    pub(crate) fn new(
        subject: Option<String>,
        from: Option<String>,
        year: Option<i64>,
        body: &str,
        attachments: Vec<(String, Vec<u8>)>,
    ) -> Mail {
        let (body, forwarded_subject, note) = strip_forwarded_headers(body);
        Mail {
            subject: forwarded_subject.or(subject),
            from,
            year,
            note,
            body,
            attachments,
        }
    }
}

/// `subject` without any leading `Re:`, `Fwd:`, `Fw:`, `AW:`, `WG:`.
pub(crate) fn clean_subject(subject: &str) -> String {
    let mut s = subject.trim();
    loop {
        let lower = s.to_ascii_lowercase();
        let Some(rest) = ["re:", "fwd:", "fw:", "aw:", "wg:", "tr:", "[fwd:"]
            .iter()
            .find(|p| lower.starts_with(*p))
            .and_then(|p| s.get(p.len()..))
        else {
            break;
        };
        s = rest.trim_start();
    }
    s.trim_end_matches(']').trim().to_string()
}

/// The year of a Unix time (proleptic Gregorian calendar).
pub(crate) fn year_of(unix: i64) -> i64 {
    // Days to civil date, after Howard Hinnant's algorithm.
    let z = unix.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(month <= 2)
}

pub(crate) fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Why an e-mail (`.eml` or Outlook's `.msg`) cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum MailError {
    #[error("not read: the message nests {found} MIME parts (at most {MAX_BOUNDARIES})")]
    TooManyParts { found: usize },
    #[error("not a readable e-mail: {0}")]
    Unreadable(String),
    #[error("not an e-mail: it has no headers")]
    NoHeaders,
    #[error("not a readable Outlook message (.msg): {0}")]
    NotACompoundFile(String),
    #[error("not an Outlook message: the compound file has no message properties")]
    NoMessageProperties,
}

/// Reads an e-mail; the error says why it cannot be read.
pub(crate) fn read(bytes: &[u8]) -> Result<Mail, MailError> {
    let boundaries = bytes
        .windows(9)
        .filter(|w| w.eq_ignore_ascii_case(b"boundary="))
        .count();
    if boundaries > MAX_BOUNDARIES {
        return Err(MailError::TooManyParts { found: boundaries });
    }
    let mail = mailparse::parse_mail(bytes).map_err(|e| MailError::Unreadable(e.to_string()))?;
    let headers = &mail.headers;
    if headers.is_empty() {
        return Err(MailError::NoHeaders);
    }
    let subject = headers
        .get_first_header("Subject")
        .map(|h| decoded_header(h.get_value_raw()).unwrap_or_else(|| h.get_value()))
        .map(|s| clean_subject(&s))
        .filter(|s| !s.is_empty());
    let from = headers
        .get_first_value("From")
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty());
    let year = headers
        .get_first_value("Date")
        .and_then(|d| mailparse::dateparse(&d).ok())
        .map(year_of);

    let mut plain: Option<String> = None;
    let mut html_text: Option<String> = None;
    let mut attachments = Vec::new();
    // Depth-first over the parts, without recursion.
    let mut stack: Vec<&ParsedMail<'_>> = vec![&mail];
    while let Some(part) = stack.pop() {
        if !part.subparts.is_empty() {
            stack.extend(part.subparts.iter().rev());
            continue;
        }
        let disposition = part.get_content_disposition();
        let name = disposition
            .params
            .get("filename")
            .or_else(|| part.ctype.params.get("name"))
            .cloned();
        let mime = part.ctype.mimetype.to_ascii_lowercase();
        if let Some(name) = name.filter(|n| {
            disposition.disposition == DispositionType::Attachment
                || !mime.starts_with("text/")
                || SUBMISSION_ATTACHMENTS.contains(&extension(n).as_str())
        }) {
            let ext = extension(&name);
            // A text attachment in a declared charset other than UTF-8 is
            // decoded by it (the readers take UTF-8).
            let declared = part.ctype.params.get("charset").is_some_and(|c| {
                !c.eq_ignore_ascii_case("utf-8") && !c.eq_ignore_ascii_case("us-ascii")
            });
            let text = matches!(ext.as_str(), "md" | "txt" | "html" | "htm");
            if SUBMISSION_ATTACHMENTS.contains(&ext.as_str()) {
                let body = if text && declared {
                    part.get_body().map(String::into_bytes)
                } else {
                    part.get_body_raw()
                };
                if let Ok(body) = body {
                    attachments.push((name, body));
                }
            }
            continue;
        }
        // an empty part holds no text: the next one of its kind may
        if mime == "text/plain" && plain.is_none() {
            plain = text_body(part).filter(|t| !t.trim().is_empty());
        } else if mime == "text/html" && html_text.is_none() {
            html_text = text_body(part)
                .map(|h| html::read(&h).text)
                .filter(|t| !t.trim().is_empty());
        }
    }
    let body = plain.or(html_text).unwrap_or_default();
    Ok(Mail::new(subject, from, year, &body, attachments))
}

/// A text part's body, its transfer encoding and charset decoded. A
/// quoted-printable body may carry raw 8-bit bytes, as some mailers write a
/// pound sign (the byte 0xA3 rather than `=A3`): the decoder of the mail
/// parser drops such bytes, so each is escaped first and the part decoded
/// here, by its declared charset.
fn text_body(part: &ParsedMail<'_>) -> Option<String> {
    let mailparse::body::Body::QuotedPrintable(encoded) = part.get_body_encoded() else {
        return part.get_body().ok();
    };
    let raw = encoded.get_raw();
    if raw.is_ascii() {
        return part.get_body().ok();
    }
    let mut escaped = Vec::with_capacity(raw.len() + raw.len() / 8);
    for &b in raw {
        if b.is_ascii() {
            escaped.push(b);
        } else {
            escaped.extend_from_slice(format!("={b:02X}").as_bytes());
        }
    }
    let bytes = quoted_printable::decode(&escaped, quoted_printable::ParseMode::Robust).ok()?;
    let charset = charset::Charset::for_label(part.ctype.charset.as_bytes())
        .unwrap_or(charset::Charset::for_label(b"utf-8")?);
    Some(charset.decode(&bytes).0.into_owned())
}

/// Lines that open a forwarded or quoted message.
/// A header whose RFC 2047 words hold raw 8-bit bytes (`=?utf-8?Q?Café?=`,
/// as some mailers write them): each such byte escaped as `=E9` before the
/// words are decoded, so it is decoded by the word's charset rather than
/// dropped. `None` when the header has no such byte.
fn decoded_header(raw: &[u8]) -> Option<String> {
    if raw.is_ascii() || !raw.windows(2).any(|w| w == b"=?") {
        return None;
    }
    let mut out = Vec::with_capacity(raw.len() * 2);
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        let rest = raw.get(i..).unwrap_or(&[]);
        if rest.starts_with(b"=?") {
            // =?charset?Q?text?=
            let inner = rest.get(2..).unwrap_or(&[]);
            let q1 = inner.iter().position(|&c| c == b'?');
            let q_word = q1.and_then(|q| inner.get(q + 1..q + 3)).is_some_and(|e| {
                e.first().is_some_and(|c| c.eq_ignore_ascii_case(&b'q')) && e.get(1) == Some(&b'?')
            });
            let head = q1.map_or(0, |q| q + 5);
            let end = inner
                .get(head.min(inner.len())..)
                .and_then(|t| t.windows(2).position(|w| w == b"?="))
                .map(|e| head + e + 2);
            if let (true, Some(end)) = (q_word, end) {
                let word = rest.get(..end + 2).unwrap_or(rest);
                for (k, &c) in word.iter().enumerate() {
                    if c >= 0x80 && k >= head + 2 {
                        out.extend_from_slice(format!("={c:02X}").as_bytes());
                    } else {
                        out.push(c);
                    }
                }
                i += word.len();
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    let mut line = b"Subject: ".to_vec();
    line.extend_from_slice(&out);
    line.extend_from_slice(b"\r\n");
    mailparse::parse_header(&line)
        .ok()
        .map(|(h, _)| h.get_value())
}

fn opens_forwarded(line: &str) -> bool {
    let t = line
        .trim()
        .trim_matches(|c: char| c == '-' || c == '_' || c == ' ');
    let t = t.to_ascii_lowercase();
    t == "forwarded message"
        || t == "original message"
        || t == "begin forwarded message:"
        || t.starts_with("forwarded message")
}

/// Header lines of a forwarded message ("From: ...", "Sent: ...").
fn forwarded_header(line: &str) -> Option<(&str, &str)> {
    let t = line.trim().trim_start_matches('>').trim();
    let (key, value) = t.split_once(':')?;
    let k = key.trim().to_ascii_lowercase();
    matches!(
        k.as_str(),
        "from" | "sent" | "date" | "to" | "cc" | "subject" | "reply-to"
    )
    .then_some((key.trim(), value.trim()))
}

/// The body without the header block of a forwarded message (its lines
/// blanked), and that message's subject.
pub(crate) fn strip_forwarded_headers(body: &str) -> (String, Option<String>, Option<String>) {
    let lines: Vec<&str> = body.lines().collect();
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    let mut note: Vec<&str> = Vec::new();
    let mut subject = None;
    let mut in_headers = false;
    // The sender's covering note ("Dear colleagues, please see our press
    // release below ... Thanks, Sam") stands before the forwarded message:
    // a few lines, kept as the e-mail's note rather than as the text.
    let opener = lines.iter().position(|l| opens_forwarded(l));
    let covering = opener.filter(|&at| {
        let said = lines[..at].iter().filter(|l| !l.trim().is_empty()).count();
        (1..=MAX_COVERING_LINES).contains(&said)
    });
    // A press release's own furniture: "Embargoed until ..." or "For
    // immediate release" at its top, and "Ends" with the notes to editors
    // after it, are the release's, not the case study's.
    let mut ended = false;
    let mut started = false;
    for (i, &line) in lines.iter().enumerate() {
        if covering.is_some_and(|at| i < at) {
            note.push(line);
            out.push("");
            continue;
        }
        if opens_forwarded(line) {
            in_headers = true;
            out.push("");
            continue;
        }
        if in_headers {
            if let Some((key, value)) = forwarded_header(line) {
                if key.eq_ignore_ascii_case("subject") && subject.is_none() {
                    let s = clean_subject(value);
                    if !s.is_empty() {
                        subject = Some(s);
                    }
                }
                out.push("");
                continue;
            }
            if !line.trim().is_empty() {
                in_headers = false;
            }
        }
        let text = line.strip_prefix("> ").unwrap_or(line);
        let bare = text
            .trim()
            .trim_matches(|c: char| "-–—[]()*#".contains(c))
            .trim();
        if !ended && !started && is_release_banner(bare) {
            note.push(text);
            out.push("");
            continue;
        }
        if !ended && (covering.is_some() || opener.is_some()) && bare.eq_ignore_ascii_case("ends") {
            ended = true;
        }
        if ended {
            note.push(text);
            out.push("");
            continue;
        }
        if !text.trim().is_empty() {
            started = true;
        }
        out.push(text);
    }
    let note = note.join("\n").trim().to_owned();
    (out.join("\n"), subject, (!note.is_empty()).then_some(note))
}

/// The most lines of a covering note above a forwarded message.
const MAX_COVERING_LINES: usize = 15;

/// "Embargoed until 00:01, 14 June" or "For immediate release".
fn is_release_banner(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    l.starts_with("embargoed") || l.starts_with("embargo:") || l == "for immediate release"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_text_part_does_not_hide_the_html_one() {
        // Eudora nests multipart/related in multipart/mixed with the outer
        // boundary a prefix of the inner one; the parser then finds an
        // empty text/plain part beside the HTML that holds the message
        let mail = "From: d@example.com\r\nSubject: Hasen\r\nMime-Version: 1.0\r\n\
Content-Type: multipart/mixed;\r\n\tboundary=\"==_71==_\"\r\n\r\n\
--==_71==_\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"==_71==_.REL\"\r\n\r\n\
--==_71==_.REL\r\nContent-Type: text/html; charset=\"iso-8859-1\"\r\n\r\n\
<html>Die Hasen klagten einst</html>\r\n\r\n\
--==_71==_.REL--\r\n\r\n\
--==_71==_\r\nContent-Type: image/png; name=\"ball.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n\
--==_71==_--\r\n";
        let m = read(mail.as_bytes()).expect("reads");
        assert!(m.body.contains("Die Hasen klagten einst"), "{:?}", m.body);
    }

    #[test]
    fn what_is_not_an_e_mail_is_refused_with_the_reason() {
        assert_eq!(
            read(b"\n\nonly a body\n").map(|_| ()),
            Err(MailError::NoHeaders)
        );
        let nested = "Content-Type: multipart/mixed; boundary=b\n".repeat(MAX_BOUNDARIES + 1);
        let err = read(nested.as_bytes()).map(|_| ()).unwrap_err();
        assert!(matches!(err, MailError::TooManyParts { found } if found > MAX_BOUNDARIES));
        assert!(
            err.to_string().starts_with("not read: the message nests"),
            "{err}"
        );
        assert_eq!(
            MailError::NoHeaders.to_string(),
            "not an e-mail: it has no headers"
        );
    }

    #[test]
    fn a_raw_pound_sign_in_a_quoted_printable_latin_1_body_is_kept() {
        let mail = b"From: a@b.example\r\nSubject: Fund\r\nMIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=iso-8859-1\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\r\n\
The council's \xa32 million fund, caf=E9 included.\r\n";
        let m = read(mail).expect("reads");
        assert!(
            m.body.contains("council's £2 million fund, café included"),
            "{}",
            m.body
        );
        // the same in UTF-8, escaped as it should be, reads the same
        let utf8 = b"From: a@b.example\r\nSubject: Fund\r\nMIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\r\n\
The council's =C2=A32 million fund.\r\n";
        assert!(read(utf8).expect("reads").body.contains("£2 million"));
    }

    #[test]
    fn a_covering_note_and_a_release_s_furniture_are_the_e_mail_s_note_not_its_text() {
        let body = "Dear colleagues,\n\nPlease see our press release below.\n\nThanks, Sam\n\n\
---------- Forwarded message ---------\nFrom: Press Office <press@wigan.example>\n\
Subject: The Deal\n\nEMBARGOED UNTIL 00:01 14 JUNE\n\nWigan Council and its residents agreed \
a new Deal.\n\nMore than 5,000 residents took part.\n\nEnds\n\nNotes to editors\n\
1. The Deal began in 2011.\n";
        let (text, subject, note) = strip_forwarded_headers(body);
        assert_eq!(subject.as_deref(), Some("The Deal"));
        let at = |t: &str| t.lines().position(|l| l.contains("5,000"));
        assert_eq!(at(&text), at(body), "lines keep their numbers");
        assert!(text.contains("Wigan Council and its residents") && text.contains("5,000"));
        let note = note.expect("a note");
        // what is taken out of the text is in the note
        for moved in [
            "Dear colleagues",
            "Thanks, Sam",
            "EMBARGOED",
            "Ends",
            "Notes to editors",
            "2011",
        ] {
            assert!(!text.contains(moved), "{moved} in {text}");
            assert!(note.contains(moved), "{moved} not in {note}");
        }
        // a message that forwards nothing keeps all its text, "ends" and all
        let plain = "The scheme ends\n\nends\n\nIt ends in March.";
        let (text, _, note) = strip_forwarded_headers(plain);
        assert_eq!(text, plain);
        assert_eq!(note, None);
    }

    #[test]
    fn subjects_lose_their_prefixes() {
        assert_eq!(clean_subject("Re: Fwd: FW:  Food hubs"), "Food hubs");
        assert_eq!(clean_subject("[Fwd: Food hubs]"), "Food hubs");
        assert_eq!(clean_subject("Refugee week"), "Refugee week");
    }

    #[test]
    fn raw_8_bit_bytes_in_an_encoded_word_are_kept() {
        assert_eq!(
            decoded_header(b"=?utf-8?Q?Caf\xc3\xa9_hubs?= in N\xc3\xbcrnberg").as_deref(),
            Some("Café hubs in Nürnberg")
        );
        assert_eq!(
            decoded_header(b"=?iso-8859-1?q?Caf\xe9?=").as_deref(),
            Some("Café")
        );
        assert_eq!(decoded_header(b"=?utf-8?Q?plain?="), None);
    }

    #[test]
    fn years_of_unix_times() {
        assert_eq!(year_of(0), 1970);
        assert_eq!(year_of(1_795_342_500), 2026);
        assert_eq!(year_of(951_782_400), 2000); // 29 Feb 2000
        assert_eq!(year_of(-1), 1969);
    }

    #[test]
    fn forwarded_headers_are_not_content() {
        let body = "FYI\n\n---------- Forwarded message ---------\nFrom: Press Office <press@oldham.example>\nDate: Mon, 3 May 2021\nSubject: Food hubs open\nTo: comms@councils.coop\n\nThe hubs open today.\n";
        let (text, subject, _) = strip_forwarded_headers(body);
        assert_eq!(subject.as_deref(), Some("Food hubs open"));
        assert!(!text.contains("press@oldham"));
        assert!(text.contains("The hubs open today."));
        assert_eq!(text.lines().count(), body.lines().count());
    }
}
