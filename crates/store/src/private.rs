//! Files only the owner may read: the data directory is created 0700 and the SQLite database
//! 0600 (its `-wal` and `-shm` files take the database's mode, and are set to it too), since
//! they hold every customer's conversation.

use std::io;
use std::path::Path;

/// Creates `path` and its missing parents, readable by the owner only (0700 on Unix).
pub fn create_private_dir_all(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Creates the empty file `path` readable and writable by the owner only (0600 on Unix),
/// unless it exists; SQLite then opens it as a new database.
pub(crate) fn create_private_file(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

/// Gives the database's `-wal` and `-shm` files, where they exist, the owner-only mode.
pub(crate) fn restrict_sidecars(database: &Path) -> io::Result<()> {
    #[cfg(unix)]
    for suffix in ["-wal", "-shm"] {
        let mut name = database.as_os_str().to_owned();
        name.push(suffix);
        let path = std::path::PathBuf::from(name);
        if path.exists() {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    #[cfg(not(unix))]
    let _ = database;
    Ok(())
}
