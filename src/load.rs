//! Where fact files come from: paths the user named, or the article graph bundled in the binary.

use crate::bundled::{BUNDLED_ARTICLE, BUNDLED_NAME, BUNDLED_TEXT};
use crate::cache::{self, FolderKey, Miss, Stamp, TextFile, CACHE_MIN_BYTES};
use crate::diagnostic::Diagnostic;
use crate::fact_file::{FileKind, SourceText};
use crate::graph::KnowledgeGraph;
use crate::input::FileType;
use crate::validate::{self, FactDriver, FromDisk, QuoteText, ReadText};
use std::path::{Path, PathBuf};

/// Reads source texts from disk, except the bundled graph's, which come from the binary, and
/// keeps the identity of each file read, which a cache of the graph depends on.
struct Texts {
    bundled: bool,
    /// `None` once a text was read whose stamp could not be taken: no cache can be keyed on it.
    read: std::cell::RefCell<Option<Vec<TextFile>>>,
}

impl Texts {
    fn new(bundled: bool) -> Texts {
        Texts {
            bundled,
            read: std::cell::RefCell::new(Some(Vec::new())),
        }
    }

    /// The texts read from disk, if every one of them could be keyed.
    fn files(self) -> Option<Vec<TextFile>> {
        self.read.into_inner()
    }
}

impl ReadText for Texts {
    fn read_text(&self, file: usize, path: &Path) -> Result<String, Diagnostic> {
        // The bundled graph is always file 0 when it is loaded.
        if self.bundled && file == 0 && path == Path::new(BUNDLED_ARTICLE.0) {
            return Ok(BUNDLED_ARTICLE.1.to_string());
        }
        // Taken before reading, so a change while we read shows as a different stamp later.
        let stamp = Stamp::of(path);
        let text = FromDisk.read_text(file, path)?;
        let mut read = self.read.borrow_mut();
        match (stamp, read.as_mut()) {
            (Ok(stamp), Some(files)) => {
                // A text cited by several sources, or read again by a second pass, counts once,
                // as last read.
                files.retain(|f| f.path != path);
                files.push(TextFile {
                    path: path.to_path_buf(),
                    stamp,
                    hash: cache::content_hash(text.as_bytes()),
                });
            }
            _ => *read = None,
        }
        Ok(text)
    }
}

/// What to load: named files, and the bundled graph when no file was named at the start.
#[derive(Debug, Clone)]
pub struct GraphSpec {
    pub files: Vec<PathBuf>,
    /// Whether the bundled article graph is part of the graph (a REPL started on it may `load`
    /// more files beside it).
    pub bundled: bool,
    /// Use and write a binary cache for a single file at least this large; `None`: never.
    cache_min_bytes: Option<u64>,
}

impl Default for GraphSpec {
    fn default() -> GraphSpec {
        GraphSpec::new(Vec::new())
    }
}

/// Whether a load used the binary cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheUse {
    /// Not applicable: the cache is off, or several files, the bundled graph, a small file or
    /// `--text` checks were involved.
    Off,
    Hit,
    /// Parsed and validated; `written` tells whether a new cache was stored.
    Miss {
        reason: Miss,
        written: bool,
    },
}

impl GraphSpec {
    pub fn new(files: Vec<PathBuf>) -> GraphSpec {
        GraphSpec {
            bundled: files.is_empty(),
            files,
            cache_min_bytes: Some(CACHE_MIN_BYTES),
        }
    }

    /// Neither reads nor writes binary caches (`--no-cache`).
    pub fn without_cache(mut self) -> GraphSpec {
        self.cache_min_bytes = None;
        self
    }

    /// Caches files of at least `min_bytes` (tests use small files).
    pub fn cache_from(mut self, min_bytes: u64) -> GraphSpec {
        self.cache_min_bytes = Some(min_bytes);
        self
    }

    /// The fact files named, folders replaced by the `*.ron` files under them (see
    /// [`crate::folder::expand`]).
    pub fn fact_files(&self) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
        crate::folder::expand(&self.files)
    }

    /// The fact files named (folders expanded) and how they look now; a folder that cannot be
    /// listed counts as itself, so that the load that follows reports it.
    pub fn manifest(&self) -> crate::folder::Manifest {
        let files = self.fact_files().unwrap_or_else(|_| self.files.clone());
        crate::folder::Manifest::of(&files)
    }

    /// Reads every file; all unreadable files are reported, not just the first.
    pub fn read(&self) -> Result<Vec<SourceText>, Vec<Diagnostic>> {
        let mut texts = read_paths(&self.fact_files()?)?;
        if self.bundled {
            texts.insert(0, SourceText::new(BUNDLED_NAME, BUNDLED_TEXT));
        }
        Ok(texts)
    }

    /// Reads, validates and indexes.
    pub fn load(&self, quote_texts: &[QuoteText]) -> Result<KnowledgeGraph, Vec<Diagnostic>> {
        self.load_with_info(quote_texts).map(|(graph, _)| graph)
    }

    /// Like [`GraphSpec::load`], and tells whether the binary cache was used.
    pub fn load_with_info(
        &self,
        quote_texts: &[QuoteText],
    ) -> Result<(KnowledgeGraph, CacheUse), Vec<Diagnostic>> {
        let cacheable = match (self.files.as_slice(), self.cache_min_bytes) {
            ([path], Some(min)) if quote_texts.is_empty() && !self.bundled => Some((path, min)),
            _ => None,
        };
        match cacheable {
            Some((dir, min)) if dir.is_dir() => self.load_folder(dir, min),
            Some((file, min)) if Stamp::of(file).is_ok_and(|s| s.size >= min) => {
                self.load_file(file)
            }
            _ => {
                let texts = self.read()?;
                let mut model = self.validate(&texts, quote_texts)?;
                if self.bundled {
                    // The built-in graph's warnings are for its curators, who `check` the file by
                    // name; a reader of the article cannot act on them.
                    model
                        .warnings
                        .retain(|w| w.location.as_ref().is_some_and(|l| l.file != BUNDLED_NAME));
                }
                // The text is only needed for diagnostics; freeing it first lowers the peak.
                drop(texts);
                Ok((KnowledgeGraph::new(model), CacheUse::Off))
            }
        }
    }

    /// One large file, through its cache beside it (`FILE.ron.fgcache`).
    fn load_file(&self, file: &Path) -> Result<(KnowledgeGraph, CacheUse), Vec<Diagnostic>> {
        let name = file.display().to_string();
        let reason = match cache::load(file, &name) {
            Ok(graph) => return Ok((graph, CacheUse::Hit)),
            // Never read, and not replaced either: whatever put it there should be known.
            Err(Miss::NotAFile(what)) => {
                return Err(vec![not_a_cache(&cache::cache_path(file), file, what)])
            }
            Err(reason) => reason,
        };
        // Taken before reading, so a change while we read shows as a different stamp later.
        let taken = cache::now_ns();
        let stamp = Stamp::of(file);
        let texts = self.read()?;
        let reader = Texts::new(self.bundled);
        let model = self.validate_with(&texts, &[], &reader)?;
        let hash = cache::content_hash(texts[0].text.as_bytes());
        // Freed before the graph is built, so text and graph never take memory together.
        drop(texts);
        let graph = KnowledgeGraph::new(model);
        let written = match (stamp, reader.files()) {
            (Ok(stamp), Some(read)) => {
                cache::store(file, (stamp, taken), hash, &graph, &read).is_ok()
            }
            _ => false,
        };
        Ok((graph, CacheUse::Miss { reason, written }))
    }

    /// One folder, through one cache for all of its files (`DIR/.factgraph.fgcache`) once they
    /// come to `min` bytes together.
    fn load_folder(
        &self,
        dir: &Path,
        min: u64,
    ) -> Result<(KnowledgeGraph, CacheUse), Vec<Diagnostic>> {
        let files = crate::folder::fact_files_in(dir).map_err(|e| vec![e])?;
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        // Taken before reading, so a change while we read shows as a different key later.
        let key = FolderKey::of(dir, files.clone()).filter(|k| k.size() >= min);
        let reason = match key.as_ref().map(|k| k.load(names)) {
            Some(Ok(graph)) => return Ok((graph, CacheUse::Hit)),
            Some(Err(Miss::NotAFile(what))) => {
                return Err(vec![not_a_cache(&cache::folder_cache_path(dir), dir, what)])
            }
            Some(Err(reason)) => Some(reason),
            None => None,
        };
        let texts = read_paths(&files)?;
        let reader = Texts::new(self.bundled);
        let model = self.validate_with(&texts, &[], &reader)?;
        let hash = key
            .as_ref()
            .map(|k| k.content_hash(texts.iter().map(|t| t.text.as_bytes())));
        drop(texts);
        let graph = KnowledgeGraph::new(model);
        let (Some(key), Some(hash), Some(reason)) = (key, hash, reason) else {
            return Ok((graph, CacheUse::Off));
        };
        let written = match reader.files() {
            Some(read) => key.store(hash, &graph, &read).is_ok(),
            None => false,
        };
        Ok((graph, CacheUse::Miss { reason, written }))
    }
}

/// Reads every file; all unreadable files are reported, not just the first.
fn read_paths(paths: &[PathBuf]) -> Result<Vec<SourceText>, Vec<Diagnostic>> {
    let mut texts = Vec::with_capacity(paths.len());
    let mut errors = Vec::new();
    for path in paths {
        match SourceText::read(path) {
            Ok(text) => texts.push(text),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(texts)
    } else {
        Err(errors)
    }
}

impl GraphSpec {
    fn validate(
        &self,
        texts: &[SourceText],
        quote_texts: &[QuoteText],
    ) -> Result<crate::model::Model, Vec<Diagnostic>> {
        self.validate_with(texts, quote_texts, &Texts::new(self.bundled))
    }

    fn validate_with(
        &self,
        texts: &[SourceText],
        quote_texts: &[QuoteText],
        reader: &Texts,
    ) -> Result<crate::model::Model, Vec<Diagnostic>> {
        validate::load_reading(texts, quote_texts, FactDriver::Auto, reader)
    }
}

/// Parses `SOURCE_ID=PATH` for `check --text` and reads the text.
pub fn quote_text(spec: &str) -> Result<QuoteText, Diagnostic> {
    let Some((source_id, path)) = spec.split_once('=') else {
        return Err(
            Diagnostic::error(format!("`--text {spec}` needs the form SOURCE_ID=PATH"))
                .help("for example --text national=article.txt"),
        );
    };
    let text = SourceText::read_kind(Path::new(path), FileKind::Text)?;
    Ok(QuoteText {
        source_id: source_id.to_string(),
        text,
    })
}

/// The error for a device, FIFO, socket or directory at `cache`, where `file`'s cache should be.
fn not_a_cache(cache: &Path, file: &Path, what: FileType) -> Diagnostic {
    let cache = cache.display().to_string();
    Diagnostic::error(format!(
        "`{cache}` is {}, not a cache file",
        what.describe()
    ))
    .at(crate::diagnostic::Location::file_only(&cache))
    .help(format!(
        "factgraph keeps its binary cache of `{}` there; remove what is there, or pass --no-cache",
        file.display()
    ))
}

/// Where the bundled graph was built from: shown instead of its name while the file there is
/// unchanged, so that a curator can open the file the `file:line` of evidence points into.
const BUNDLED_SOURCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/", "graphs/al-sukhna.ron");

impl GraphSpec {
    /// The loaded files (`names`, in the order the model numbers them) as a reader standing in
    /// `cwd` names them: absolute paths made relative where that is shorter, and the bundled graph
    /// by the file it was built from if that is unchanged, else as `<built-in al-sukhna.ron>`.
    pub fn shown_files(&self, names: &[String], cwd: Option<&Path>) -> Vec<String> {
        names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                if self.bundled && i == 0 {
                    let built = Path::new(BUNDLED_SOURCE);
                    return match (std::fs::read_to_string(built), cwd) {
                        (Ok(text), Some(cwd)) if text == BUNDLED_TEXT => shown_path(built, cwd),
                        _ => "<built-in al-sukhna.ron>".to_string(),
                    };
                }
                match cwd {
                    Some(cwd) => shown_path(Path::new(name), cwd),
                    None => name.clone(),
                }
            })
            .collect()
    }
}

/// `path` relative to `cwd` when it is absolute and the relative form is shorter.
pub(crate) fn shown_path(path: &Path, cwd: &Path) -> String {
    let whole = path.display().to_string();
    if path.is_relative() || cwd.is_relative() {
        return whole;
    }
    let (mut rest, mut here) = (path.components().peekable(), cwd.components().peekable());
    while let (Some(a), Some(b)) = (rest.peek(), here.peek()) {
        if a != b {
            break;
        }
        rest.next();
        here.next();
    }
    let mut relative: PathBuf = here.map(|_| "..").collect();
    relative.extend(rest);
    let relative = relative.display().to_string();
    if !relative.is_empty() && relative.len() < whole.len() {
        relative
    } else {
        whole
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_paths_are_shown_from_where_the_reader_stands() {
        let cwd = Path::new("/home/ann/stories");
        let shown = |p: &str| shown_path(Path::new(p), cwd);
        assert_eq!(shown("/home/ann/stories/graphs/a.ron"), "graphs/a.ron");
        assert_eq!(shown("/home/ann/b.ron"), "../b.ron");
        assert_eq!(shown("/srv/c.ron"), "/srv/c.ron");
        assert_eq!(shown("graphs/d.ron"), "graphs/d.ron");
    }

    #[test]
    fn the_bundled_graph_is_shown_as_the_file_it_was_built_from() {
        let spec = GraphSpec::default();
        let names = [BUNDLED_NAME.to_string()];
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(spec.shown_files(&names, Some(root)), [BUNDLED_NAME]);
        assert_eq!(
            spec.shown_files(&names, Some(&root.join("docs"))),
            ["../graphs/al-sukhna.ron"]
        );
    }
}
