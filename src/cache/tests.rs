use super::*;
use crate::fact_file::SourceText;
use crate::load::{CacheUse, GraphSpec, BUNDLED_TEXT};

const SMALL: &str = r#"(
    sources: [(id: "s", title: "T", publisher: "P", published: "late 2014..2015-03")],
    relations: [(name: "r", inverse: "r_by", domain: ["actor"], self_loops: true)],
    entities: [(id: "a", name: "Alpha", kind: "actor", aliases: ["A"], tags: ["t"],
                attributes: {"k": "v"}), (id: "b", name: "Beta", kind: "place")],
    facts: [(subject: "a", relation: "r", object: "b", when: "2017-08-06", source: "s",
             quote: "q", reported_by: ["b"], note: "n")],
)"#;

fn bundled_model() -> Model {
    crate::validate::load(
        &[
            SourceText::new("g.ron", BUNDLED_TEXT),
            SourceText::new("small.ron", SMALL.replace("\"a\"", "\"a2\"")),
        ],
        &[],
    )
    .unwrap()
}

fn encode(model: &Model) -> Vec<u8> {
    let mut w = codec::Writer { out: Vec::new() };
    w.model(model);
    w.out
}

#[test]
fn a_model_survives_encoding() {
    let model = bundled_model();
    let bytes = encode(&model);
    let back = codec::Reader {
        bytes: &bytes,
        at: 0,
    }
    .model(vec!["g.ron".to_string(), "small.ron".to_string()])
    .unwrap();
    assert_eq!(format!("{model:?}"), format!("{back:?}"));
}

#[test]
fn damaged_payloads_decode_to_none_or_a_model_but_never_panic() {
    let bytes = encode(&bundled_model());
    for cut in (0..bytes.len()).step_by(7) {
        let _ = codec::Reader {
            bytes: &bytes[..cut],
            at: 0,
        }
        .model(Vec::new());
    }
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..2000 {
        let mut damaged = bytes.clone();
        for _ in 0..3 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = (state % damaged.len() as u64) as usize;
            damaged[at] = (state >> 32) as u8;
        }
        if let Some(m) = (codec::Reader {
            bytes: &damaged,
            at: 0,
        })
        .model(vec!["g.ron".to_string(), "small.ron".to_string()])
        {
            // Whatever decodes is consistent enough to build a graph from.
            let _ = crate::graph::KnowledgeGraph::new(m);
        }
    }
}

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Dir {
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

fn miss(reason: Miss) -> CacheUse {
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
    let text: Vec<u8> = (0..(HASH_CHUNK * 2 + 17))
        .map(|i| (i % 251) as u8)
        .collect();
    std::fs::write(&file, &text).unwrap();
    assert_eq!(hash_file(&file).unwrap(), content_hash(&text));
}
