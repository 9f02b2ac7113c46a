//! Writing files: only when their contents change, so that mtimes stay put and cargo does not
//! rebuild for nothing.

use std::path::Path;

use crate::error::{Error, Result};

/// Writes `contents` to `path` unless the file already holds exactly that; returns whether it
/// wrote. Creates missing parent directories.
///
/// Every file frappe-codegen generates is written this way; a build script that writes files
/// of its own next to them (into `OUT_DIR`) can use it too, so an unchanged file keeps its mtime
/// and does not make cargo rebuild.
pub fn write_if_changed(path: &Path, contents: &str) -> Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::write(path, contents).map_err(|e| Error::io(path, e))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_when_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.rs");
        assert!(write_if_changed(&path, "x").unwrap());
        assert!(!write_if_changed(&path, "x").unwrap());
        assert!(write_if_changed(&path, "y").unwrap());
    }
}
