//! Files written and read safely, shared by records, the state file and
//! exports: atomic replacement and the cleaning of its temporary leftovers.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

/// Prefix of casetag's temporary files. The names that follow it have no
/// extension, so no reader takes them for a record or a submission.
pub const TEMP_PREFIX: &str = ".casetag-tmp-";

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
    tmp.write_all(bytes)?;
    tmp.flush()?;
    tmp.as_file().sync_all()?;
    before_rename(tmp.path())?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

/// Makes a rename in `dir` durable. Best effort: the new file is already in
/// place, and some file systems cannot sync a folder.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Removes leftover temporary files ([`TEMP_PREFIX`], regular files only) of a
/// crashed run from `dir`; returns how many.
pub fn clean_temp_files(dir: &Path) -> io::Result<usize> {
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
        match std::fs::remove_file(entry.path()) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(removed)
}
