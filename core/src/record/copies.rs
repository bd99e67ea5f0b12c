//! Conflict copies: what a cloud-synced folder leaves beside a record that
//! changed in two places at once, named after the record.
//!
//! - OneDrive and SharePoint: `NAME.review-LAPTOP-7QX2.toml`, then
//!   `NAME.review-LAPTOP-7QX2-2.toml` (the computer's name, a number);
//! - Dropbox: `NAME.review (Jo's conflicted copy 2026-12-07).toml`;
//! - Syncthing: `NAME.review.sync-conflict-20261207-101500-ABCDEFG.toml`
//!   (date, time, the device's short id).

/// Which service left a conflict copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncService {
    OneDrive,
    Dropbox,
    Syncthing,
}

impl SyncService {
    pub fn name(self) -> &'static str {
        match self {
            SyncService::OneDrive => "OneDrive",
            SyncService::Dropbox => "Dropbox",
            SyncService::Syncthing => "Syncthing",
        }
    }
}

/// A conflict copy's name taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictCopy {
    /// The record it is a copy of: `NAME.review.toml`.
    pub record: String,
    pub service: SyncService,
}

/// The record a file named `name` is a conflict copy of, if it is one.
pub fn conflict_copy_of(name: &str) -> Option<ConflictCopy> {
    if name.starts_with('.') {
        return None;
    }
    let stem = name.strip_suffix(".toml")?;
    let found = |base: &str, service| {
        (!base.is_empty()).then(|| ConflictCopy {
            record: format!("{base}.review.toml"),
            service,
        })
    };
    // Syncthing: NAME.review.sync-conflict-YYYYMMDD-HHMMSS-DEVICE
    if let Some(at) = stem.rfind(".review.sync-conflict-") {
        let (base, rest) = stem.split_at(at);
        let rest = rest.get(".review.sync-conflict-".len()..)?;
        let parts: Vec<&str> = rest.split('-').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if let [date, time, device] = parts.as_slice()
            && digits(date, 8)
            && digits(time, 6)
            && device.len() == 7
            && device.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return found(base, SyncService::Syncthing);
        }
        return None;
    }
    // Dropbox: NAME.review (WHO's conflicted copy YYYY-MM-DD)[ (n)]
    if let Some(at) = stem.rfind(".review (") {
        let (base, rest) = stem.split_at(at);
        let inner = rest.get(".review (".len()..)?;
        let (inner, tail) = inner.split_once(')')?;
        let numbered = tail.is_empty()
            || tail
                .strip_prefix(" (")
                .and_then(|t| t.strip_suffix(')'))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if inner.contains("conflicted copy") && numbered {
            return found(base, SyncService::Dropbox);
        }
        return None;
    }
    // OneDrive: NAME.review-COMPUTER[-n]
    if let Some(at) = stem.rfind(".review-") {
        let (base, rest) = stem.split_at(at);
        let host = rest.get(".review-".len()..)?;
        let ok = !host.is_empty()
            && !host.starts_with('-')
            && !host.ends_with('-')
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            return found(base, SyncService::OneDrive);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(name: &str) -> Option<(String, SyncService)> {
        conflict_copy_of(name).map(|c| (c.record, c.service))
    }

    #[test]
    fn the_copies_of_each_service_are_recognised() {
        let r = "food-hubs.review.toml".to_owned();
        assert_eq!(
            of("food-hubs.review-LAPTOP-7QX2.toml"),
            Some((r.clone(), SyncService::OneDrive))
        );
        assert_eq!(
            of("food-hubs.review-LAPTOP-7QX2-2.toml"),
            Some((r.clone(), SyncService::OneDrive))
        );
        assert_eq!(
            of("food-hubs.review (Jo's conflicted copy 2026-12-07).toml"),
            Some((r.clone(), SyncService::Dropbox))
        );
        assert_eq!(
            of("food-hubs.review (Jo's conflicted copy 2026-12-07) (1).toml"),
            Some((r.clone(), SyncService::Dropbox))
        );
        assert_eq!(
            of("food-hubs.review.sync-conflict-20261207-101500-ABCDEFG.toml"),
            Some((r, SyncService::Syncthing))
        );
        // a name that holds dots and the word review itself
        assert_eq!(
            of("a.review.b.review-PC.toml").map(|c| c.0),
            Some("a.review.b.review.toml".to_owned())
        );
    }

    #[test]
    fn near_misses_are_not_copies() {
        for name in [
            "food-hubs.review.toml",
            "food-hubs.toml",
            "food-hubs.review-.toml",
            "food-hubs.review--2.toml",
            "food-hubs.review-LAPTOP 7QX2.toml",
            "food-hubs.review-LAPTOP-7QX2.txt",
            "food-hubs.review-LAPTOP-7QX2.toml.bak",
            "food-hubs.reviews-LAPTOP.toml",
            ".food-hubs.review-LAPTOP-7QX2.toml",
            ".review-LAPTOP.toml",
            "food-hubs.review (copy).toml",
            "food-hubs.review (Jo's conflicted copy 2026-12-07).toml.tmp",
            "food-hubs.review (Jo's conflicted copy 2026-12-07) x.toml",
            "food-hubs.review.sync-conflict-2026127-101500-ABCDEFG.toml",
            "food-hubs.review.sync-conflict-20261207-101500-ABCDEF.toml",
            "food-hubs.review.sync-conflict-20261207-101500.toml",
            "food-hubs.review.sync-conflict-20261207-1015OO-ABCDEFG.toml",
        ] {
            assert_eq!(of(name), None, "{name}");
        }
    }
}
