//! Files written and read safely, shared by records, the state file, the
//! settings and exports:
//!
//! - [`read_regular`] reads a regular file within a size limit, and never
//!   blocks on a FIFO or a device, even one swapped in after the first check;
//! - [`write_atomic`] replaces a file whole or not at all (temporary file in
//!   the same folder, write, sync, rename, sync the folder);
//! - [`clean_temp_files`] removes the temporary files a crash left behind.

use std::fs::Metadata;
use std::io::{self, Read, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Prefix of casetag's temporary files. The names that follow it have no
/// extension, so no reader takes them for a record or a submission.
pub const TEMP_PREFIX: &str = ".casetag-tmp-";

/// Why [`read_regular`] read nothing.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A folder, FIFO, socket or device (named by [`kind_of`]).
    #[error("is {0}, not a regular file")]
    NotRegular(&'static str),
    /// Larger than the limit the caller gave: `len` is what was seen, at
    /// least `limit + 1`.
    #[error("is too large: {len} bytes, more than the limit of {limit}")]
    TooLarge { len: u64, limit: u64 },
    #[error("cannot read: {0}")]
    Io(#[from] io::Error),
    /// A symbolic link that the batch-folder rule does not follow (see
    /// [`read_in_folder`]); the text says where it leads and why.
    #[error("{0}")]
    Link(String),
}

/// Reads the file at `path` when it is a regular file (a link to one is
/// followed) of at most `limit` bytes. `Ok(None)` when nothing exists there.
///
/// The metadata is checked before opening, so a FIFO, socket or device is
/// never opened; on Unix the file is opened with `O_NONBLOCK | O_NOCTTY`
/// and its metadata checked again, so one swapped in between cannot hang the
/// program or become its terminal. At most `limit + 1` bytes are read, so a
/// file growing meanwhile is still refused.
pub fn read_regular(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
    read_checked(path, limit, false, None)
}

/// [`read_regular`] for a file of a batch folder, under the batch's link rule
/// (nothing outside the batch is read through it): a symbolic link is followed only when it leads to a
/// regular file inside the folder that holds it; one that leads out of it
/// (`pw.txt -> /etc/passwd`), to a folder, device or FIFO, or nowhere, is
/// [`ReadError::Link`] and its target is never opened. The final file is
/// opened with `O_NOFOLLOW`, so a link swapped in after the check is refused
/// rather than followed.
pub fn read_in_folder(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
    match resolve_in_folder(path)? {
        None => Ok(None),
        Some((target, known)) => read_checked(&target, limit, true, known),
    }
}

/// Whether `path` is a symbolic link (not following it).
pub fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// What [`read_in_folder`] opens for `path`: `path` itself when it is not a
/// link (with what `lstat` said of it), the link's final target when the rule
/// allows it, `None` when nothing (not even a broken link) is there.
fn resolve_in_folder(
    path: &Path,
) -> Result<Option<(std::path::PathBuf, Option<Metadata>)>, ReadError> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if !meta.file_type().is_symlink() {
        return Ok(Some((path.to_path_buf(), Some(meta))));
    }
    let written = std::fs::read_link(path)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    let target = match std::fs::canonicalize(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(ReadError::Link(format!(
                "is a broken symbolic link (to {written}): its target does not exist"
            )));
        }
        Err(e) => {
            return Err(ReadError::Link(format!(
                "is a symbolic link (to {written}) that cannot be followed: {e}"
            )));
        }
    };
    let kind = std::fs::metadata(&target).map(|m| m.file_type());
    if let Ok(t) = &kind
        && !t.is_file()
    {
        return Err(ReadError::Link(format!(
            "is a symbolic link to {} ({written}), not to a regular file; casetag does not follow it",
            kind_of(t)
        )));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let folder = std::fs::canonicalize(folder)?;
    if !target.starts_with(&folder) {
        return Err(ReadError::Link(format!(
            "is a symbolic link leading out of its folder (to {written}); casetag does not follow it"
        )));
    }
    Ok(Some((target, None)))
}

/// Reads the regular file at `path`, of at most `limit` bytes. `known` is
/// what `lstat` has just said of `path` when it is no link: a
/// second `stat` would say the same (what is swapped in after either is
/// caught by the check of the opened file).
fn read_checked(
    path: &Path,
    limit: u64,
    no_follow: bool,
    known: Option<Metadata>,
) -> Result<Option<Vec<u8>>, ReadError> {
    let meta = match known.map_or_else(|| std::fs::metadata(path), Ok) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    check_regular(&meta, limit)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let no_follow = if no_follow { libc::O_NOFOLLOW } else { 0 };
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | no_follow);
    }
    #[cfg(not(unix))]
    let _ = no_follow;
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let meta = file.metadata()?;
    check_regular(&meta, limit)?;
    // Room for the size the file has, and one byte to see its end: read in
    // one call, without the probing reads and regrowth of an empty buffer
    // (a file that grows meanwhile is still cut at `limit + 1`).
    let room = meta.len().min(limit).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(room).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > limit {
        return Err(ReadError::TooLarge { len, limit });
    }
    Ok(Some(bytes))
}

fn check_regular(meta: &Metadata, limit: u64) -> Result<(), ReadError> {
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(&meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            len: meta.len(),
            limit,
        });
    }
    Ok(())
}

/// What kind of file `t` is, for messages: "a folder", "a FIFO (named
/// pipe)", "a socket", "a device", "a regular file" or "a special file".
pub fn kind_of(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder
/// ([`TEMP_PREFIX`]), write, `sync_all`, rename over `path`, then sync the
/// folder. On any error the temporary file is removed and the old file is
/// untouched. An existing file's permissions are kept.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with_hook(path, bytes, &mut |_| Ok(()))
}

/// [`write_atomic`] with a hook called after the temporary file is written and
/// synced, before the rename; an `Err` from it aborts the write.
pub fn write_atomic_with_hook(
    path: &Path,
    bytes: &[u8],
    before_rename: &mut dyn FnMut(&Path) -> io::Result<()>,
) -> io::Result<()> {
    write_via_temporary(path, &mut |w| w.write_all(bytes), before_rename)
        .map_err(without_temporary_name)
}

/// [`write_atomic`] of what `contents` writes, a piece at a time (an export
/// of a large batch is never whole in memory). An `Err` from it leaves the
/// old file untouched.
pub fn write_atomic_streaming(
    path: &Path,
    contents: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    write_via_temporary(path, contents, &mut |_| Ok(())).map_err(without_temporary_name)
}

/// The error without the temporary file's name that tempfile adds ("… at
/// path /batch/.casetag-tmp-x1Y2"): a name the officer never saw and cannot
/// act on. The kind is kept.
fn without_temporary_name(e: io::Error) -> io::Error {
    let text = e.to_string();
    match text.split_once(" at path ") {
        Some((cause, _)) => io::Error::new(e.kind(), cause.to_string()),
        None => e,
    }
}

/// What [`write_atomic_if_unchanged`] found in place at the last moment.
#[derive(Debug, PartialEq, Eq)]
pub enum Swapped {
    /// The new bytes are in place; what they replaced was the expected file.
    Written,
    /// Something else had been put in place since it was read: it is back
    /// where it was and the new bytes were not kept.
    Changed,
}

/// [`write_atomic_with_hook`] that replaces `path` only if it still holds
/// `expected` (`None`: no file) at the moment of the swap. Where the system
/// can exchange two names at once (Linux's `renameat2(RENAME_EXCHANGE)`,
/// macOS's `renameatx_np(RENAME_SWAP)`) the new file is swapped in and the
/// file it displaced is read: if that is not `expected`, they are swapped
/// back. So a program that ignores casetag's lock and renames its own file
/// over the record can no longer slip in between the last check and the
/// rename. Elsewhere (or on a file system that cannot exchange) the last
/// check in `before_rename` and a plain rename remain, with that small window.
pub fn write_atomic_if_unchanged(
    path: &Path,
    bytes: &[u8],
    expected: Option<&[u8]>,
    before_rename: &mut dyn FnMut(&Path) -> io::Result<()>,
) -> io::Result<Swapped> {
    let mut outcome = Swapped::Written;
    write_via_temporary_with(
        path,
        &mut |w| w.write_all(bytes),
        before_rename,
        &mut |tmp, target| {
            outcome = swap_in(tmp, target, bytes, expected)?;
            Ok(())
        },
    )
    .map_err(without_temporary_name)?;
    Ok(outcome)
}

/// Puts the temporary file `tmp` at `target` if `target` holds `expected`.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
fn swap_in(tmp: &Path, target: &Path, new: &[u8], expected: Option<&[u8]>) -> io::Result<Swapped> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    let Some(expected) = expected else {
        // No file expected: the name must still be free.
        return match renameat_with(CWD, tmp, CWD, target, RenameFlags::NOREPLACE) {
            Ok(()) => Ok(Swapped::Written),
            Err(rustix::io::Errno::EXIST) => Ok(Swapped::Changed),
            Err(e) if cannot_exchange(e) => plain_rename(tmp, target),
            Err(e) => Err(e.into()),
        };
    };
    match renameat_with(CWD, tmp, CWD, target, RenameFlags::EXCHANGE) {
        Ok(()) => {}
        // gone meanwhile: what was expected is not there
        Err(rustix::io::Errno::NOENT) => return Ok(Swapped::Changed),
        Err(e) if cannot_exchange(e) => return plain_rename(tmp, target),
        Err(e) => return Err(e.into()),
    }
    // `tmp` now names the displaced file.
    if holds(tmp, expected) {
        return Ok(Swapped::Written);
    }
    // Another program's file was displaced: put it back. If yet another
    // write came in between, the newest one is put back instead.
    renameat_with(CWD, tmp, CWD, target, RenameFlags::EXCHANGE)?;
    if !holds(tmp, new) {
        renameat_with(CWD, tmp, CWD, target, RenameFlags::EXCHANGE)?;
    }
    Ok(Swapped::Changed)
}

/// Whether the file at `path` holds exactly `bytes`.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
fn holds(path: &Path, bytes: &[u8]) -> bool {
    let limit = u64::try_from(bytes.len())
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    matches!(read_regular(path, limit), Ok(Some(b)) if b == bytes)
}

/// The file system or kernel has no exchange (or no no-replace) rename.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
fn cannot_exchange(e: rustix::io::Errno) -> bool {
    use rustix::io::Errno;
    e == Errno::INVAL || e == Errno::NOSYS || e == Errno::NOTSUP || e == Errno::OPNOTSUPP
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn swap_in(
    tmp: &Path,
    target: &Path,
    _new: &[u8],
    _expected: Option<&[u8]>,
) -> io::Result<Swapped> {
    plain_rename(tmp, target)
}

fn plain_rename(tmp: &Path, target: &Path) -> io::Result<Swapped> {
    std::fs::rename(tmp, target)?;
    Ok(Swapped::Written)
}

fn write_via_temporary(
    path: &Path,
    contents: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    before_rename: &mut dyn FnMut(&Path) -> io::Result<()>,
) -> io::Result<()> {
    write_via_temporary_with(path, contents, before_rename, &mut |tmp, target| {
        std::fs::rename(tmp, target)
    })
}

/// The temporary file written and synced, then `put` moves it to `path`
/// (on error, or if `put` leaves it, the temporary name is removed).
fn write_via_temporary_with(
    path: &Path,
    contents: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    before_rename: &mut dyn FnMut(&Path) -> io::Result<()>,
    put: &mut dyn FnMut(&Path, &Path) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let old_permissions = std::fs::metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // What a plain create gives (the umask applies), not tempfile's 0600.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    // The temporary file is removed when `tmp` is dropped on any error below.
    let mut tmp = builder.tempfile_in(dir)?;
    if let Some(p) = old_permissions {
        tmp.as_file().set_permissions(p)?;
    }
    {
        let mut out = io::BufWriter::new(tmp.as_file_mut());
        contents(&mut out)?;
        out.flush()?;
    }
    tmp.as_file().sync_all()?;
    before_rename(tmp.path())?;
    // The temporary path is removed when `tmp` is dropped, whatever `put`
    // left there (nothing, the displaced file, or the new one swapped back).
    put(tmp.path(), path)?;
    drop(tmp);
    sync_dir(dir);
    Ok(())
}

/// Makes a rename in `dir` durable. Best effort: the new file is already in
/// place, and some file systems cannot sync a folder.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Removes leftover temporary files ([`TEMP_PREFIX`], regular files only) of a
/// crashed run from `dir`; returns how many.
pub fn clean_temp_files(dir: &Path) -> io::Result<usize> {
    clean_temp_files_older_than(dir, Duration::ZERO)
}

/// [`clean_temp_files`], sparing files modified less than `age` ago: in a
/// folder shared by several running instances (the state folder), another
/// instance's write in progress is left alone.
pub fn clean_temp_files_older_than(dir: &Path, age: Duration) -> io::Result<usize> {
    let now = SystemTime::now();
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if !name.to_str().is_some_and(|n| n.starts_with(TEMP_PREFIX)) {
            continue;
        }
        // file_type does not follow symbolic links.
        if !entry.file_type()?.is_file() {
            continue;
        }
        if !age.is_zero() {
            let modified = entry.metadata().and_then(|m| m.modified());
            let young = modified.is_ok_and(|m| now.duration_since(m).unwrap_or_default() < age);
            if young {
                continue;
            }
        }
        match std::fs::remove_file(entry.path()) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_put_in_place_after_the_last_check_is_never_replaced() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("r.review.toml");
        std::fs::write(&path, "mine = 1\n").expect("write");
        // an outside program renames its own file over the record between
        // casetag's last check and its rename
        let outside = dir.path().join("outside.tmp");
        let got = write_atomic_if_unchanged(&path, b"new = 1\n", Some(b"mine = 1\n"), &mut |_| {
            std::fs::write(&outside, "theirs = 1\n")?;
            std::fs::rename(&outside, &path)
        })
        .expect("write");
        assert_eq!(got, Swapped::Changed);
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "theirs = 1\n"
        );
        // the new bytes went nowhere, and no temporary file is left
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("r.review.toml")]);
    }

    #[test]
    fn a_record_that_appeared_is_never_replaced_by_a_new_one() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("r.review.toml");
        let got = write_atomic_if_unchanged(&path, b"new = 1\n", None, &mut |_| {
            std::fs::write(&path, "theirs = 1\n")
        })
        .expect("write");
        assert_eq!(got, Swapped::Changed);
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "theirs = 1\n"
        );
    }

    #[test]
    fn an_unchanged_file_is_replaced() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("r.review.toml");
        std::fs::write(&path, "mine = 1\n").expect("write");
        let got =
            write_atomic_if_unchanged(&path, b"new = 1\n", Some(b"mine = 1\n"), &mut |_| Ok(()))
                .expect("write");
        assert_eq!(got, Swapped::Written);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new = 1\n");
    }

    #[test]
    fn read_regular_reads_within_the_limit_and_says_why_not() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("f");
        assert!(matches!(read_regular(&p, 10), Ok(None)));
        std::fs::write(&p, b"0123456789").expect("write");
        assert_eq!(
            read_regular(&p, 10).ok().flatten().as_deref(),
            Some(&b"0123456789"[..])
        );
        match read_regular(&p, 9) {
            Err(ReadError::TooLarge { len: 10, limit: 9 }) => {}
            other => panic!("{other:?}"),
        }
        match read_regular(dir.path(), 10) {
            Err(e @ ReadError::NotRegular("a folder")) => {
                assert_eq!(e.to_string(), "is a folder, not a regular file");
            }
            other => panic!("{other:?}"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn read_regular_never_opens_a_device() {
        match read_regular(Path::new("/dev/zero"), 10) {
            Err(ReadError::NotRegular("a device")) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn write_atomic_keeps_no_temporary_file() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("f.toml");
        write_atomic(&p, b"one").expect("write");
        write_atomic(&p, b"two").expect("write");
        assert_eq!(std::fs::read(&p).ok().as_deref(), Some(&b"two"[..]));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect();
        assert_eq!(names, ["f.toml"]);
    }

    #[test]
    fn a_streamed_write_is_whole_or_not_at_all() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("pack.md");
        write_atomic(&p, b"old").expect("write");
        write_atomic_streaming(&p, &mut |w| {
            for piece in ["a ", "pack ", "in pieces"] {
                w.write_all(piece.as_bytes())?;
            }
            Ok(())
        })
        .expect("write");
        assert_eq!(
            std::fs::read(&p).ok().as_deref(),
            Some(&b"a pack in pieces"[..])
        );
        let failed = write_atomic_streaming(&p, &mut |w| {
            w.write_all(b"half of it")?;
            Err(io::Error::other("a text changed on disk"))
        });
        assert!(failed.is_err_and(|e| e.to_string().contains("changed on disk")));
        assert_eq!(
            std::fs::read(&p).ok().as_deref(),
            Some(&b"a pack in pieces"[..])
        );
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1);
    }
}
