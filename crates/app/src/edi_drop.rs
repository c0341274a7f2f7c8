//! The EDI drop folder: files put in `edi_drop_dir` are received as interchanges (acting as
//! tiski itself, source `folder`) and moved to `done/` or, when refused or unreadable, to
//! `failed/`, named after the interchange they were kept as. The interchange keeps the file
//! raw and its reason either way; the times are the kernel clock's.

use crate::App;
use std::path::{Path, PathBuf};
use tiski_commerce::EdiSource;
use tiski_kernel::{Actor, AppError, AppResult};

/// Files one step takes.
pub const DROP_BATCH: usize = 50;

fn io(what: &str, path: &Path, error: std::io::Error) -> AppError {
    AppError::Corrupt(format!(
        "EDI drop folder: {what} {}: {error}",
        path.display()
    ))
}

/// The files waiting in `dir` (not hidden, not the `done`/`failed` folders), oldest name
/// first, at most `limit`.
fn waiting(dir: &Path, limit: usize) -> AppResult<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| io("read", dir, e))? {
        let entry = entry.map_err(|e| io("read", dir, e))?;
        let name = entry.file_name();
        let hidden = name.to_string_lossy().starts_with('.');
        if !hidden && entry.file_type().is_ok_and(|t| t.is_file()) {
            files.push(entry.path());
        }
    }
    files.sort();
    files.truncate(limit);
    Ok(files)
}

fn move_to(file: &Path, folder: &str, prefix: &str) -> AppResult<()> {
    let dir = file.parent().unwrap_or(Path::new(".")).join(folder);
    std::fs::create_dir_all(&dir).map_err(|e| io("create", &dir, e))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let target = dir.join(format!("{prefix}{name}"));
    std::fs::rename(file, &target).map_err(|e| io("move", file, e))
}

impl App {
    /// One step of the drop-folder worker: receives up to [`DROP_BATCH`] waiting files and
    /// moves each to `done/` or `failed/`; how many it took. Nothing when no folder is set.
    pub async fn edi_drop_step(&self) -> AppResult<usize> {
        let Some(dir) = self.settings().edi_drop_dir.clone() else {
            return Ok(0);
        };
        let limit = self.settings().max_edi_bytes;
        let listed = dir.clone();
        let files = tokio::task::spawn_blocking(move || waiting(&listed, DROP_BATCH))
            .await
            .map_err(|e| AppError::Corrupt(format!("EDI drop folder: {e}")))??;
        let actor = Actor::system();
        for file in &files {
            let name = file.file_name().map(|n| n.to_string_lossy().to_string());
            let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
            if size > limit as u64 {
                tracing::warn!(file = %file.display(), size, "EDI drop file over max_edi_bytes; moved to failed/");
                move_to(file, "failed", "too-large-")?;
                continue;
            }
            let bytes = std::fs::read(file).map_err(|e| io("read", file, e))?;
            let syntax = tiski_commerce::edi::sniff(&bytes);
            match self
                .commerce
                .receive_edi(&actor, syntax, &bytes, EdiSource::Folder, name)
                .await
            {
                Ok(outcome) => {
                    let view = &outcome.interchange;
                    let folder = if view.state == "rejected" {
                        "failed"
                    } else {
                        "done"
                    };
                    move_to(file, folder, &format!("{}-", view.id))?;
                }
                Err(error) => {
                    tracing::warn!(file = %file.display(), %error, "EDI drop file not received; moved to failed/");
                    move_to(file, "failed", "unread-")?;
                }
            }
        }
        Ok(files.len())
    }
}
