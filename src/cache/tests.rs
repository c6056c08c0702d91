use super::*;
use crate::bundled::BUNDLED_TEXT;
use crate::fact_file::SourceText;
use crate::load::{CacheUse, GraphSpec};
use crate::model::FactId;
use std::io::Write;

const SMALL: &str = r#"(
    sources: [(id: "s", title: "T", publisher: "P", published: "late 2014..2015-03", reliability: "B")],
    relations: [(name: "r", inverse: "r_by", domain: ["actor"], self_loops: true)],
    entities: [(id: "a", name: "Alpha", kind: "actor", aliases: ["A"], tags: ["t"],
                attributes: {"k": "v"}), (id: "b", name: "Beta", kind: "place", shared_names: ["A"], not_same_as: ["a"])],
    facts: [(subject: "a", relation: "r", object: "b", when: "2017-08-06", source: "s",
             quote: "q", reported_by: ["b"], note: "n", credibility: 2)],
)"#;

fn bundled_graph() -> KnowledgeGraph {
    let model = crate::validate::load(
        &[
            // Under its own name, whose article text is found beside it in graphs/sources/.
            SourceText::new(crate::bundled::BUNDLED_NAME, BUNDLED_TEXT),
            SourceText::new("small.ron", SMALL.replace("\"a\"", "\"a2\"")),
        ],
        &[],
    )
    .unwrap();
    KnowledgeGraph::new(model)
}

const STAMP: Stamp = Stamp {
    size: 1,
    mtime_ns: 2,
    inode: 3,
    ctime_ns: 4,
};

/// A whole cache file, in memory.
fn encode(graph: &KnowledgeGraph) -> Vec<u8> {
    let mut header = Header {
        stamp: STAMP,
        stamped_ns: 5,
        content_hash: 3,
        counts: Counts {
            sources: graph.model.sources.len() as u64,
            relations: graph.model.relations.len() as u64,
            entities: graph.model.entities.len() as u64,
            facts: graph.model.facts().len() as u64,
        },
        sections: [Section::default(); SECTIONS],
        texts: vec![TextFile {
            path: PathBuf::from("sources/s.txt"),
            stamp: STAMP,
            hash: 4,
        }],
    };
    write_cache(std::io::Cursor::new(Vec::new()), &mut header, graph)
        .unwrap()
        .into_inner()
}

fn decode_bytes(bytes: &[u8], files: &[&str]) -> Option<KnowledgeGraph> {
    let header = read_header(&mut &bytes[..]).ok()?;
    let files = files.iter().map(|f| f.to_string()).collect();
    let open = |i: usize| {
        let s: Section = header.sections[i];
        bytes.get(s.offset as usize..(s.offset + s.len) as usize)
    };
    decode(&header, files, open, None)
}

/// Rewrites the hashes of a cache's quote blocks and then of its sections to match its (damaged)
/// contents, as a faulty writer would have: what is left to catch the damage is the decoding's
/// own checks.
fn forge_hashes(bytes: &mut [u8]) {
    let Ok(mut header) = read_header(&mut &bytes[..]) else {
        return;
    };
    let (facts, quotes) = (header.sections[1], header.sections[3]);
    let table = facts.offset as usize + header.counts.facts as usize * rows::FACT_ROW;
    let blocks = bytes
        .get(table..table + 8)
        .map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap()) as usize);
    for k in 0..blocks.min(bytes.len() / quotes::ENTRY) {
        let at = table + 8 + k * quotes::ENTRY;
        let Some(e) = bytes
            .get(at..at + quotes::ENTRY)
            .and_then(quotes::Entry::from_bytes)
        else {
            break;
        };
        let start = quotes.offset.saturating_add(e.offset) as usize;
        let Some(block) = bytes.get(start..start.saturating_add(e.len as usize)) else {
            continue;
        };
        let mut h = hasher();
        h.write(block);
        bytes[at + 24..at + 32].copy_from_slice(&h.finish().to_le_bytes());
    }
    for s in &mut header.sections {
        if let Some(section) = bytes.get(s.offset as usize..(s.offset + s.len) as usize) {
            let mut h = hasher();
            for block in section.chunks(BLOCK) {
                h.write(block);
            }
            s.hash = h.finish();
        }
    }
    let fixed = header_bytes(&header);
    bytes[..fixed.len()].copy_from_slice(&fixed);
}

/// What a cache must bring back: the model and the adjacency arrays.
fn same(a: &KnowledgeGraph, b: &KnowledgeGraph) {
    assert_eq!(format!("{:?}", a.model), format!("{:?}", b.model));
    assert_eq!(
        format!("{:?}", a.adjacency()),
        format!("{:?}", b.adjacency())
    );
}

#[test]
fn a_graph_survives_encoding() {
    let graph = bundled_graph();
    let back = decode_bytes(
        &encode(&graph),
        &[crate::bundled::BUNDLED_NAME, "small.ron"],
    )
    .unwrap();
    same(&graph, &back);
    // The parts built on first use come out as a fresh build's, derived relations included.
    assert!(!graph.model.derived().facts.is_empty());
    let relations = graph.model.relations.len() + graph.model.derived().relations.len();
    for r in (0..relations as u32).map(crate::model::RelationId) {
        assert_eq!(back.facts_of(r), graph.facts_of(r));
    }
    assert_eq!(
        format!("{:?}", back.derived_adjacency()),
        format!("{:?}", graph.derived_adjacency())
    );
    assert_eq!(back.model.quote(FactId(0)), graph.model.quote(FactId(0)));
    assert_eq!(back.lookup("ISIS"), graph.lookup("ISIS"));
    assert_eq!(back.sharing("a"), graph.sharing("a"));
    assert_eq!(graph.sharing("a").len(), 1);
    // So is a curator's judgement that two entities differ.
    let beta = back.model.entities.iter().find(|e| e.id == "b").unwrap();
    assert_eq!(beta.not_same_as(), ["a2"]);
    // The Admiralty grades and contradictory relations are carried, not recomputed.
    let small = back.model.sources.iter().find(|s| s.id == "s").unwrap();
    assert_eq!(small.reliability.map(|r| r.letter()), Some("B"));
    let graded = back.model.facts().len() - 1;
    let credibility = back.model.words(FactId(graded as u32)).credibility;
    assert_eq!(credibility.map(|c| c.grade()), Some(2));
    let claimed = back
        .model
        .relations
        .iter()
        .find(|r| r.name == "claimed")
        .unwrap();
    assert_eq!(claimed.contradicts.len(), 1);
}

#[test]
fn a_graph_of_many_blocks_survives_a_round_trip_through_a_file() {
    let dir = scratch("blocks");
    let file = dir.0.join("big.ron");
    crate::generate::generate(60_000, 3, &file, false).unwrap();
    let text = SourceText::read(&file).unwrap();
    let model = crate::validate::load(std::slice::from_ref(&text), &[]).unwrap();
    let graph = KnowledgeGraph::new(model);
    let stamp = Stamp::of(&file).unwrap();
    let hash = content_hash(text.text.as_bytes());
    store(&file, (stamp, now_ns()), hash, &graph, &[]).unwrap();
    let cache = std::fs::metadata(cache_path(&file)).unwrap().len();
    assert!(
        cache > 3 * BLOCK as u64,
        "{cache} bytes is not several blocks"
    );
    let back = super::load(&file, &text.name).unwrap();
    same(&graph, &back);
}

#[test]
fn damaged_caches_decode_to_none_or_a_graph_but_never_panic() {
    let bytes = encode(&bundled_graph());
    let files = [crate::bundled::BUNDLED_NAME, "small.ron"];
    assert!(decode_bytes(&bytes, &files).is_some());
    for cut in (0..bytes.len()).step_by(7) {
        assert!(decode_bytes(&bytes[..cut], &files).is_none());
    }
    // A flipped byte fails its section's hash.
    let mut flipped = bytes.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    assert!(decode_bytes(&flipped, &files).is_none());
    let header = header_bytes(&read_header(&mut &bytes[..]).unwrap()).len();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut decoded = 0;
    for _ in 0..2000 {
        let mut damaged = bytes.clone();
        for _ in 0..3 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = header + (state % (damaged.len() - header) as u64) as usize;
            damaged[at] = (state >> 32) as u8;
        }
        forge_hashes(&mut damaged);
        if let Some(graph) = decode_bytes(&damaged, &files) {
            decoded += 1;
            // Whatever decodes can be questioned without a panic.
            let mut session = crate::session::Session::with_graph(GraphSpec::default(), graph);
            for q in [
                "neighbors ISIL depth 2",
                "path Russia to Talbiseh",
                "match ?a ?r ?b, ?b ?s ?c select ?a count",
                "stats",
                "timeline Tadmor",
            ] {
                let _ = session.execute(crate::session::Input::line("q", q));
            }
        }
    }
    // Most damage lands in fields the decoder cannot check (a quote's letters, which of two
    // valid entities a fact names): the queries above must have run on many damaged graphs.
    assert!(decoded > 100, "only {decoded} damaged caches decoded");
}

pub(super) struct Dir(pub(super) PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(super) fn scratch(name: &str) -> Dir {
    let dir = std::env::temp_dir().join(format!("factgraph-cache-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Dir(dir)
}

fn load(file: &Path) -> CacheUse {
    GraphSpec::new(vec![file.to_path_buf()])
        .cache_from(0)
        .load_with_info(&[])
        .unwrap()
        .1
}

pub(super) fn miss(reason: Miss) -> CacheUse {
    CacheUse::Miss {
        reason,
        written: true,
    }
}

#[test]
fn the_cache_is_used_only_while_the_file_is_unchanged() {
    let dir = scratch("invalidate");
    let file = dir.0.join("g.ron");
    std::fs::write(&file, SMALL).unwrap();
    assert_eq!(load(&file), miss(Miss::Absent));
    assert_eq!(load(&file), CacheUse::Hit);

    // Same size and modification time, other contents: only the content hash can tell.
    let mtime = std::fs::metadata(&file).unwrap().modified().unwrap();
    let changed = SMALL.replacen("Alpha", "Alphb", 1);
    assert_ne!(changed, SMALL);
    std::fs::write(&file, &changed).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    assert_eq!(load(&file), miss(Miss::Stale));
    assert_eq!(load(&file), CacheUse::Hit);

    std::fs::write(&file, format!("{changed}\n")).unwrap();
    assert_eq!(load(&file), miss(Miss::Stale));

    // A damaged cache is ignored and rebuilt.
    let cache = cache_path(&file);
    let mut bytes = std::fs::read(&cache).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&cache, &bytes).unwrap();
    assert_eq!(load(&file), miss(Miss::Corrupt));
    std::fs::write(&cache, b"FGCACHE1 but then nothing").unwrap();
    assert_eq!(load(&file), miss(Miss::Corrupt));
    std::fs::write(&cache, b"").unwrap();
    assert_eq!(load(&file), miss(Miss::Corrupt));
    assert_eq!(load(&file), CacheUse::Hit);
}

#[test]
fn small_files_several_files_and_the_bundled_graph_are_not_cached() {
    let dir = scratch("policy");
    let file = dir.0.join("g.ron");
    std::fs::write(&file, BUNDLED_TEXT).unwrap();
    let (article, text) = crate::bundled::BUNDLED_ARTICLE;
    let article = dir.0.join(article.trim_start_matches("graphs/"));
    std::fs::create_dir_all(article.parent().unwrap()).unwrap();
    std::fs::write(article, text).unwrap();
    let spec = GraphSpec::new(vec![file.clone()]);
    assert_eq!(spec.load_with_info(&[]).unwrap().1, CacheUse::Off);
    let off = GraphSpec::new(vec![file.clone()])
        .cache_from(0)
        .without_cache();
    assert_eq!(off.load_with_info(&[]).unwrap().1, CacheUse::Off);
    assert_eq!(
        GraphSpec::default()
            .cache_from(0)
            .load_with_info(&[])
            .unwrap()
            .1,
        CacheUse::Off
    );
    assert!(!cache_path(&file).exists());
}

#[test]
fn streaming_and_in_memory_hashes_agree() {
    let dir = scratch("hash");
    let file = dir.0.join("big");
    let text: Vec<u8> = (0..(BLOCK * 2 + 17)).map(|i| (i % 251) as u8).collect();
    std::fs::write(&file, &text).unwrap();
    assert_eq!(hash_file(&file).unwrap(), content_hash(&text));
}

#[test]
fn the_block_reader_returns_what_was_written_however_it_is_asked_for() {
    let data: Vec<u8> = (0..(3 * BLOCK + 11)).map(|i| (i * 7 % 253) as u8).collect();
    let mut w = stream::HashedWriter::new(Vec::new(), hasher());
    w.put(&data[..5]).unwrap();
    w.put(&data[5..]).unwrap();
    let (len, hash) = w.finish().unwrap();
    assert_eq!(len, data.len() as u64);
    let mut r = stream::HashedReader::new(&data[..], len, hasher());
    assert_eq!(r.take(3).unwrap(), &data[..3]);
    assert!(
        r.take(BLOCK + 1).is_none(),
        "more than a block at once is refused"
    );
    assert_eq!(r.take(BLOCK).unwrap(), &data[3..3 + BLOCK]);
    assert!(
        r.take_vec(u64::MAX).is_none(),
        "no allocation beyond the input"
    );
    let rest = r.take_vec((data.len() - 3 - BLOCK) as u64).unwrap();
    assert_eq!(rest, &data[3 + BLOCK..]);
    assert_eq!(r.finish(), Some(hash));
    let mut short = stream::HashedReader::new(&data[..10], 20, hasher());
    assert!(short.take(15).is_none(), "a premature end is not an answer");
}

#[cfg(unix)]
#[test]
fn the_cache_replaces_only_a_regular_file_and_follows_no_link() {
    let dir = scratch("targets");
    let file = dir.0.join("g.ron");
    std::fs::write(&file, SMALL).unwrap();
    let cache = cache_path(&file);
    let not_written = CacheUse::Miss {
        reason: Miss::Corrupt,
        written: false,
    };
    // A link where the cache goes could aim the cache at any file; what it names is kept.
    let notes = dir.0.join("notes.txt");
    std::fs::write(&notes, "mine").unwrap();
    std::os::unix::fs::symlink(&notes, &cache).unwrap();
    assert_eq!(load(&file), not_written);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "mine");
    assert!(std::fs::symlink_metadata(&cache).unwrap().is_symlink());
    std::fs::remove_file(&cache).unwrap();
    // A directory is neither read nor replaced; the load says what is in the way.
    std::fs::create_dir(&cache).unwrap();
    let refused = GraphSpec::new(vec![file.clone()])
        .cache_from(0)
        .load_with_info(&[])
        .err()
        .unwrap();
    assert!(refused[0]
        .message
        .ends_with("is a directory, not a cache file"));
    assert!(cache.is_dir());
    std::fs::remove_dir(&cache).unwrap();
    assert_eq!(load(&file), miss(Miss::Absent));
    assert_eq!(load(&file), CacheUse::Hit);
}

#[test]
fn a_warm_load_gives_the_warnings_of_a_cold_one_under_the_name_given() {
    let dir = scratch("warnings");
    let file = dir.0.join("g.ron");
    // `q` names neither end of the fact, and the fact is dated after its source.
    std::fs::write(&file, SMALL).unwrap();
    let spec = GraphSpec::new(vec![file.clone()]).cache_from(0);
    let (cold, first) = spec.load_with_info(&[]).unwrap();
    assert_eq!(first, miss(Miss::Absent));
    assert_eq!(cold.model.warnings.len(), 2, "{:?}", cold.model.warnings);
    let (warm, second) = spec.load_with_info(&[]).unwrap();
    assert_eq!(second, CacheUse::Hit);
    assert_eq!(warm.model.warnings, cold.model.warnings);
    // Named another way, the same cache answers with warnings located in the file as now named.
    let cwd = std::env::current_dir().unwrap();
    let relative: PathBuf = cwd
        .components()
        .map(|_| "..")
        .collect::<PathBuf>()
        .join(file.strip_prefix("/").unwrap());
    let (renamed, third) = GraphSpec::new(vec![relative.clone()])
        .cache_from(0)
        .load_with_info(&[])
        .unwrap();
    assert_eq!(third, CacheUse::Hit);
    let shown = crate::diagnostic::render_all(&renamed.model.warnings);
    assert!(
        shown.contains(&format!("--> {}:6:", relative.display())),
        "{shown}"
    );
    assert_eq!(
        shown.replace(&relative.display().to_string(), "F"),
        crate::diagnostic::render_all(&cold.model.warnings)
            .replace(&file.display().to_string(), "F")
    );
}

#[test]
fn a_folder_has_one_cache_stale_once_any_file_is_added_changed_or_removed() {
    let dir = scratch("folder");
    let folder = dir.0.join("corpus");
    std::fs::create_dir_all(folder.join("sub")).unwrap();
    std::fs::write(folder.join("a.ron"), SMALL).unwrap();
    let other = |id: &str| format!("(entities: [(id: \"{id}\", name: \"{id}\", kind: \"place\")])");
    std::fs::write(folder.join("sub/b.ron"), other("b1")).unwrap();
    let loaded = || {
        GraphSpec::new(vec![folder.clone()])
            .cache_from(0)
            .load_with_info(&[])
            .unwrap()
    };
    assert_eq!(loaded().1, miss(Miss::Absent));
    assert!(crate::cache::folder_cache_path(&folder).is_file());
    let (warm, used) = loaded();
    assert_eq!(used, CacheUse::Hit);
    // A warm load names the files as a cold one does.
    let cold = GraphSpec::new(vec![folder.clone()])
        .without_cache()
        .load(&[])
        .unwrap();
    assert_eq!(warm.model.files, cold.model.files);
    same(&cold, &warm);

    // Added.
    std::fs::write(folder.join("sub/c.ron"), other("c1")).unwrap();
    assert_eq!(loaded().1, miss(Miss::Stale));
    assert_eq!(loaded().1, CacheUse::Hit);
    // Changed, with the same size and modification time: only the content hash can tell.
    let b = folder.join("sub/b.ron");
    let mtime = std::fs::metadata(&b).unwrap().modified().unwrap();
    std::fs::write(&b, other("b2")).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&b)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let (graph, used) = loaded();
    assert_eq!(used, miss(Miss::Stale));
    assert!(graph.model.entities.iter().any(|e| e.id == "b2"));
    assert_eq!(loaded().1, CacheUse::Hit);
    // Removed.
    std::fs::remove_file(folder.join("sub/c.ron")).unwrap();
    let (graph, used) = loaded();
    assert_eq!(used, miss(Miss::Stale));
    assert!(!graph.model.entities.iter().any(|e| e.id == "c1"));
    assert_eq!(loaded().1, CacheUse::Hit);

    // A damaged folder cache is ignored and rebuilt.
    std::fs::write(
        crate::cache::folder_cache_path(&folder),
        b"FGCACHE1 and nothing",
    )
    .unwrap();
    assert_eq!(loaded().1, miss(Miss::Corrupt));
    assert_eq!(loaded().1, CacheUse::Hit);
}

#[test]
fn merges_and_duplicate_warnings_survive_the_cache() {
    let second = r#"(entities: [
        (id: "is_fighters", name: "Islamic State fighters", kind: "actor", same_as: ["isil"]),
        (id: "dayr", name: "Dayr az-Zawr", kind: "place"),
    ])"#;
    let model = crate::validate::load(
        &[
            SourceText::new(crate::bundled::BUNDLED_NAME, BUNDLED_TEXT),
            SourceText::new("second.ron", second),
        ],
        &[],
    )
    .unwrap();
    assert_eq!(model.merged().len(), 1);
    assert_eq!(model.duplicates.len(), 1, "Dayr az-Zawr is Deir Ezzor");
    let graph = KnowledgeGraph::new(model);
    let back = decode_bytes(
        &encode(&graph),
        &[crate::bundled::BUNDLED_NAME, "second.ron"],
    )
    .unwrap();
    assert_eq!(back.model.merged(), graph.model.merged());
    assert_eq!(back.model.duplicates, graph.model.duplicates);
    assert_eq!(back.lookup("is_fighters"), graph.lookup("isil"));
}

#[test]
fn a_copy_of_the_shipped_vocabulary_is_still_counted_as_one_after_the_cache() {
    let vocabulary = crate::vocabulary::find("conflict").unwrap();
    let copy = SourceText::new("copy/conflict.ron", vocabulary.text.text.clone());
    let files = [
        SourceText::new(crate::bundled::BUNDLED_NAME, BUNDLED_TEXT),
        copy,
    ];
    let model = crate::validate::load(&files, &[]).unwrap();
    assert_eq!(model.vocabulary_files, [(1, "conflict")]);
    let graph = KnowledgeGraph::new(model);
    let names = [crate::bundled::BUNDLED_NAME, "copy/conflict.ron"];
    let back = decode_bytes(&encode(&graph), &names).unwrap();
    assert_eq!(back.model.summary(), graph.model.summary());
    assert!(back
        .model
        .summary()
        .ends_with("in 1 file, plus the conflict vocabulary"));
}

/// A file of SMALL's graph and its cache, stamped at `stamped_ns` relative to the file's newest
/// time: above [`RACY_NS`] the stamp vouches for the text, below it the text must be hashed.
fn cached_small(dir: &Dir, later_ns: i128) -> (PathBuf, Stamp) {
    let file = dir.0.join("g.ron");
    std::fs::write(&file, SMALL).unwrap();
    let text = SourceText::read(&file).unwrap();
    let graph = KnowledgeGraph::new(crate::validate::load(&[text], &[]).unwrap());
    let stamp = Stamp::of(&file).unwrap();
    let taken = stamp.mtime_ns.max(stamp.ctime_ns) + later_ns;
    store(
        &file,
        (stamp, taken),
        content_hash(SMALL.as_bytes()),
        &graph,
        &[],
    )
    .unwrap();
    (file, stamp)
}

/// Loads `file`'s cache for the file as it is now, with `hash_now` standing in for hashing it;
/// also tells whether the hash was asked for.
fn load_hashing(file: &Path, hash_now: u64) -> (Result<KnowledgeGraph, Miss>, bool) {
    let asked = std::sync::atomic::AtomicBool::new(false);
    let loaded = load_keyed(
        &cache_path(file),
        Stamp::of(file).map_err(|_| Miss::Absent),
        vec!["g.ron".to_string()],
        &[file],
        || {
            asked.store(true, std::sync::atomic::Ordering::SeqCst);
            Ok(hash_now)
        },
    );
    (loaded, asked.into_inner())
}

/// Writes `text` over `file` in place and puts its modification time back, as `touch -r` or a
/// careless tool would: only the change time, which cannot be put back, shows the write.
fn rewrite_keeping_mtime(file: &Path, text: &str) {
    let mtime = std::fs::metadata(file).unwrap().modified().unwrap();
    // Past the tick of a coarse file-system clock (ext4 without fine timestamps: 4-10 ms).
    std::thread::sleep(std::time::Duration::from_millis(30));
    std::fs::write(file, text).unwrap();
    let f = std::fs::File::options().write(true).open(file).unwrap();
    f.set_modified(mtime).unwrap();
}

#[cfg(unix)]
#[test]
fn an_old_enough_stamp_vouches_for_the_file_without_hashing_it() {
    let dir = scratch("stamp-trusted");
    let (file, _) = cached_small(&dir, RACY_NS + 1);
    // A wrong hash would be a miss: the load never asks for one.
    let (loaded, hashed) = load_hashing(&file, 0);
    assert!(loaded.is_ok_and(|g| g.lookup("Alpha").is_ok()));
    assert!(!hashed);
}

#[cfg(unix)]
#[test]
fn a_file_rewritten_with_its_size_and_time_put_back_is_a_miss_by_its_stamp() {
    let dir = scratch("stamp-rewritten");
    let changed = SMALL.replacen("Alpha", "Alphb", 1);
    // In place: same inode, new change time.
    let (file, before) = cached_small(&dir, RACY_NS + 1);
    rewrite_keeping_mtime(&file, &changed);
    let after = Stamp::of(&file).unwrap();
    assert_eq!(
        (after.size, after.mtime_ns, after.inode),
        (before.size, before.mtime_ns, before.inode)
    );
    let right = content_hash(SMALL.as_bytes());
    assert!(matches!(
        load_hashing(&file, right),
        (Err(Miss::Stale), false)
    ));

    // Replaced by another file (an editor's save by rename): a new inode.
    let (file, before) = cached_small(&dir, RACY_NS + 1);
    let other = dir.0.join("other.ron");
    std::fs::write(&other, &changed).unwrap();
    let mtime = std::fs::metadata(&file).unwrap().modified().unwrap();
    std::fs::File::options()
        .write(true)
        .open(&other)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    std::fs::rename(&other, &file).unwrap();
    assert_ne!(Stamp::of(&file).unwrap().inode, before.inode);
    assert!(matches!(
        load_hashing(&file, right),
        (Err(Miss::Stale), false)
    ));
    // And through the loader: the new text is read, and the cache rebuilt for it.
    assert_eq!(load(&file), miss(Miss::Stale));
    assert_eq!(load(&file), CacheUse::Hit);
}

#[test]
fn a_racy_stamp_is_checked_by_the_content_hash() {
    let dir = scratch("stamp-racy");
    // Stamped within the racy window of the file's times: a write in the same clock tick would
    // have left the stamp as it is, so only the text can tell.
    let (file, _) = cached_small(&dir, RACY_NS - 1);
    let right = content_hash(SMALL.as_bytes());
    let (loaded, hashed) = load_hashing(&file, right);
    assert!(loaded.is_ok() && hashed);
    assert!(matches!(
        load_hashing(&file, right ^ 1),
        (Err(Miss::Stale), true)
    ));
}

#[test]
fn a_touched_file_is_a_miss_and_its_cache_rebuilt_for_the_new_stamp() {
    // A decision: telling a touch from an edit would take hashing the whole file on every
    // start after it; one rebuild is cheaper than that.
    let dir = scratch("stamp-touched");
    let (file, before) = cached_small(&dir, RACY_NS + 1);
    let later = std::time::UNIX_EPOCH
        + std::time::Duration::from_nanos((before.mtime_ns + 5_000_000_000) as u64);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(later)
        .unwrap();
    assert!(matches!(
        load_hashing(&file, content_hash(SMALL.as_bytes())),
        (Err(Miss::Stale), false)
    ));
    assert_eq!(load(&file), miss(Miss::Stale));
    assert_eq!(load(&file), CacheUse::Hit);
}

#[cfg(unix)]
#[test]
fn a_racy_stamp_confirmed_once_it_is_old_enough_is_recorded_so_later_starts_need_no_hash() {
    let dir = scratch("stamp-refreshed");
    let (file, _) = cached_small(&dir, 0);
    let right = content_hash(SMALL.as_bytes());
    // Until the file's times are old enough, each start hashes, and the cache stays as it was.
    assert!(matches!(load_hashing(&file, right), (Ok(_), true)));
    let racy = std::fs::read(cache_path(&file)).unwrap();
    std::thread::sleep(std::time::Duration::from_nanos(
        RACY_NS as u64 + 100_000_000,
    ));
    // A wrong hash is a miss and is never recorded.
    assert!(matches!(
        load_hashing(&file, right ^ 1),
        (Err(Miss::Stale), true)
    ));
    assert_eq!(std::fs::read(cache_path(&file)).unwrap(), racy);
    // The right one, now that the times are old, is recorded with the stamp: the next start
    // trusts the stamp (a wrong hash would have been a miss) and hashes nothing.
    assert!(matches!(load_hashing(&file, right), (Ok(_), true)));
    assert_ne!(std::fs::read(cache_path(&file)).unwrap(), racy);
    let (loaded, hashed) = load_hashing(&file, right ^ 1);
    assert!(loaded.is_ok_and(|g| g.lookup("Alpha").is_ok()));
    assert!(!hashed);
}

#[cfg(unix)]
#[test]
fn a_folder_follows_the_stamp_rule_of_its_files() {
    let dir = scratch("stamp-folder");
    let folder = dir.0.join("corpus");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("a.ron"), SMALL).unwrap();
    let loaded = || {
        GraphSpec::new(vec![folder.clone()])
            .cache_from(0)
            .load_with_info(&[])
            .unwrap()
            .1
    };
    let cache = crate::cache::folder_cache_path(&folder);
    let written = || std::fs::metadata(&cache).unwrap().modified().unwrap();
    assert_eq!(loaded(), miss(Miss::Absent));
    std::thread::sleep(std::time::Duration::from_nanos(
        RACY_NS as u64 + 100_000_000,
    ));
    // The racy stamp is confirmed by hashing and recorded once; then the stamp alone vouches.
    let first = written();
    assert_eq!(loaded(), CacheUse::Hit);
    let second = written();
    assert_ne!(first, second);
    assert_eq!(loaded(), CacheUse::Hit);
    assert_eq!(written(), second);
    // A file rewritten in place with its size and time put back changes the folder's stamp.
    rewrite_keeping_mtime(&folder.join("a.ron"), &SMALL.replacen("Alpha", "Alphb", 1));
    assert_eq!(loaded(), miss(Miss::Stale));
}

/// Replaces `from` by `to` (as long) in `range` of `file`'s bytes, in place: a process that has
/// the file open reads the new bytes.
fn forge_in_place(file: &Path, range: std::ops::Range<usize>, from: &[u8], to: &[u8]) -> usize {
    let mut bytes = std::fs::read(file).unwrap();
    let mut forged = 0;
    let mut at = range.start;
    while at + from.len() <= range.end {
        if &bytes[at..at + from.len()] == from {
            bytes[at..at + from.len()].copy_from_slice(to);
            forged += 1;
            at += from.len();
        } else {
            at += 1;
        }
    }
    let mut f = std::fs::File::options().write(true).open(file).unwrap();
    f.write_all(&bytes).unwrap();
    forged
}

#[cfg(unix)]
#[test]
fn quotes_are_read_from_the_cache_on_first_use_and_a_forged_block_fails_the_query() {
    let dir = scratch("quote-blocks");
    let file = dir.0.join("g.ron");
    crate::generate::generate(20_000, 5, &file, false).unwrap();
    let spec = GraphSpec::new(vec![file.clone()]).cache_from(0);
    assert_eq!(spec.load_with_info(&[]).unwrap().1, miss(Miss::Absent));
    let cold = GraphSpec::new(vec![file.clone()]).without_cache();
    let cold = crate::session::Session::open(cold).unwrap();
    let warm = || {
        let (graph, used) = spec.load_with_info(&[]).unwrap();
        assert_eq!(used, CacheUse::Hit);
        crate::session::Session::with_graph(spec.clone(), graph)
    };
    let run = |session: &mut crate::session::Session, q: &str| {
        session.execute(crate::session::Input::line("q", q))
    };
    let questions = ["neighbors \"a1\" out", "search \"attended\" in quotes"];
    // Intact, the paged quotes answer as the file's: whole reads (search, export) included.
    let mut intact = warm();
    let mut reference = cold;
    for q in questions {
        assert_eq!(run(&mut intact, q), run(&mut reference, q), "{q}");
    }
    let export = |session: &mut crate::session::Session, name: &str| {
        let out = dir.0.join(name);
        run(session, &format!("export graphml \"{}\"", out.display())).unwrap();
        std::fs::read_to_string(out).unwrap()
    };
    let exported = export(&mut intact, "warm.graphml");
    assert!(exported.contains(reference.graph().model.quote(FactId(7))));
    assert_eq!(exported, export(&mut reference, "cold.graphml"));

    // Loaded warm, then its quote text forged (hash table and other sections intact). A load
    // that finds its racy stamp old enough rewrites the cache and keeps reading the file it
    // opened: load again until a load leaves the cache it read in place, so the forgery below
    // reaches the file the session reads, whatever the clock says.
    let cache = cache_path(&file);
    let inode = || std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&cache).unwrap());
    let mut session = loop {
        let before = inode();
        let session = warm();
        if inode() == before {
            break session;
        }
    };
    let header = read_header(&mut std::fs::File::open(&cache).unwrap()).unwrap();
    let quotes = header.sections[3];
    let (start, end) = (
        quotes.offset as usize,
        (quotes.offset + quotes.len) as usize,
    );
    assert!(
        quotes.len > 4 * quotes::QUOTE_BLOCK as u64,
        "too few blocks"
    );
    let forged = forge_in_place(&cache, (start + end) / 2..end, b"Actor", b"FORGE");
    assert!(forged > 100, "only {forged} quotes forged");
    let model = &reference.graph().model;
    let last = FactId(model.facts().len() as u32 - 1);
    let words = session.graph().model.all_words();
    assert_eq!(words.unreadable().map(|(n, _)| n), Some(0));
    // Blocks before the forgery read as written; the last block is refused, not shown.
    assert_eq!(
        session.graph().model.quote(FactId(0)),
        model.quote(FactId(0))
    );
    assert_eq!(
        session.graph().model.quote(last),
        crate::model::UNREADABLE_QUOTE
    );
    for q in questions
        .iter()
        .chain(&["search \"FORGE\" in quotes", "stats"])
    {
        match run(&mut session, q) {
            Ok(crate::session::Outcome::Output(out)) => {
                assert!(!out.contains("FORGE"), "{q} shows forged text")
            }
            Ok(_) => {}
            Err(errors) => {
                let message = &errors[0].message;
                assert!(message.contains("is damaged"), "{q}: {message}");
                assert!(message.contains(&cache.display().to_string()));
            }
        }
    }
    let out = dir.0.join("forged.graphml");
    let exported = run(
        &mut session,
        &format!("export graphml \"{}\"", out.display()),
    );
    assert!(exported.is_err(), "{exported:?}");
    // The export reads its quotes before it writes: no file, so no placeholder in one.
    assert!(
        !out.exists(),
        "an export of damaged quotes wrote {}",
        out.display()
    );
    // Every search reads all quotes, so each fails alike rather than answering from an index
    // that lacks the damaged ones.
    for _ in 0..2 {
        let searched = run(&mut session, "search \"attended\" in quotes");
        assert!(searched.is_err(), "{searched:?}");
    }
    // The first error removed the damaged cache and said so: the next start reads the fact file
    // and writes the cache again, so the damage is met once, not on every start.
    let Err(errors) = run(&mut session, questions[0]) else {
        panic!("the hub's quotes span the forged blocks")
    };
    assert!(
        errors[0].notes.iter().any(|n| n.contains("was removed")),
        "{errors:?}"
    );
    assert!(!cache.exists(), "the damaged cache is still there");
    assert_eq!(spec.load_with_info(&[]).unwrap().1, miss(Miss::Absent));
    let mut healed = warm();
    for q in questions {
        assert_eq!(run(&mut healed, q), run(&mut reference, q), "{q}");
    }
}

#[cfg(unix)]
#[test]
fn a_damaged_cache_that_a_later_load_replaced_is_left_in_place_and_the_error_says_so() {
    let dir = scratch("quote-replaced");
    let file = dir.0.join("g.ron");
    crate::generate::generate(20_000, 5, &file, false).unwrap();
    let spec = GraphSpec::new(vec![file.clone()]).cache_from(0);
    assert_eq!(spec.load_with_info(&[]).unwrap().1, miss(Miss::Absent));
    let cache = cache_path(&file);
    let inode = || std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&cache).unwrap());
    // As in the test above: a load that leaves the cache it read in place.
    let mut session = loop {
        let before = inode();
        let (graph, used) = spec.load_with_info(&[]).unwrap();
        assert_eq!(used, CacheUse::Hit);
        if inode() == before {
            break crate::session::Session::with_graph(spec.clone(), graph);
        }
    };
    // A sound copy takes the cache's place (as a later load's rename would), then the file the
    // session reads is forged.
    let intact = dir.0.join("intact.fgcache");
    std::fs::copy(&cache, &intact).unwrap();
    let opened = dir.0.join("opened.fgcache");
    std::fs::rename(&cache, &opened).unwrap();
    std::fs::rename(&intact, &cache).unwrap();
    let header = read_header(&mut std::fs::File::open(&opened).unwrap()).unwrap();
    let quotes = header.sections[3];
    let range = quotes.offset as usize..(quotes.offset + quotes.len) as usize;
    assert!(forge_in_place(&opened, range, b"Actor", b"FORGE") > 100);
    let Err(errors) = session.execute(crate::session::Input::line("q", "neighbors \"a1\" out"))
    else {
        panic!("the hub's quotes span the forged blocks")
    };
    assert!(
        errors[0]
            .notes
            .iter()
            .any(|n| n.contains("written a new cache in its place")),
        "{errors:?}"
    );
    // The sound cache is kept and answers the next start.
    assert!(cache.exists() && opened.exists());
    assert_eq!(spec.load_with_info(&[]).unwrap().1, CacheUse::Hit);
}
