//! The fact files one side of a diff names: a file, or a folder's `*.ron` files. Kept here, in one
//! place, until loading folders is part of `load::GraphSpec`; then a side is just its path.

use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

/// `path` itself, or every `*.ron` file under the folder `path` (sub-folders too), sorted by path
/// so that a side always loads in the same order.
pub fn side_files(path: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if !path.is_dir() {
        // A missing or unreadable file is reported by the load, as for any fact file.
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    collect(path, &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err(Diagnostic::error(format!(
            "{} holds no fact files (*.ron)",
            path.display()
        )));
    }
    Ok(files)
}

fn collect(folder: &Path, files: &mut Vec<PathBuf>) -> Result<(), Diagnostic> {
    let unreadable =
        |e: std::io::Error| Diagnostic::error(format!("cannot read {}: {e}", folder.display()));
    for entry in std::fs::read_dir(folder).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "ron") {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::side_files;

    #[test]
    fn a_folder_is_its_ron_files_in_path_order_and_an_empty_one_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("b")).unwrap();
        for name in ["b/z.ron", "a.ron", "notes.txt"] {
            std::fs::write(dir.path().join(name), "()").unwrap();
        }
        let files = side_files(dir.path()).unwrap();
        let names: Vec<_> = files
            .iter()
            .map(|f| {
                f.strip_prefix(dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["a.ron", "b/z.ron"]);
        let empty = tempfile::tempdir().unwrap();
        assert!(side_files(empty.path()).is_err());
    }
}
