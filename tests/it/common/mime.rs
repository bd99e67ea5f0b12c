//! Base64 as e-mails carry it, for the tests and benchmarks that write them.

/// Base64 in lines of 76, as MIME writes it.
pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    let text = base64::engine::general_purpose::STANDARD.encode(bytes);
    let lines: Vec<_> = text
        .as_bytes()
        .chunks(76)
        .map(String::from_utf8_lossy)
        .collect();
    lines.join("\r\n")
}
