//! What a cache holds after its header, in order:
//!
//! 1. declarations: sources, relations, entities (a varint section, see `codec`);
//! 2. the fact count, then one fixed-width row per fact (`rows`);
//! 3. where each fact's quote ends, then the quote text;
//! 4. reporters and notes of the facts that have them (a varint section);
//! 5. the adjacency arrays, as the graph holds them.
//!
//! Sections that vary in size are preceded by their length in bytes, arrays by nothing: their
//! lengths follow from the counts before them. Arrays are read a block at a time and decoded in
//! a tight loop, each element checked against what it may point at.

use super::stream::{HashedReader, HashedWriter};
use super::{codec, rows, BLOCK};
use crate::adjacency::{Adjacency, AdjacencyParts, OutEdge};
use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, FactId, RelationId, Words};
use std::hash::Hasher;
use std::io::{self, Read, Write};

pub fn write(
    out: &mut HashedWriter<impl Write, impl Hasher>,
    g: &KnowledgeGraph,
) -> io::Result<()> {
    let m = &g.model;
    let mut declarations = codec::Writer {
        out: Vec::with_capacity(m.entities.len() * 32),
    };
    declarations.declarations(m);
    out.u64(declarations.out.len() as u64)?;
    out.put(&declarations.out)?;
    drop(declarations);
    out.u64(m.facts().len() as u64)?;
    for f in m.facts() {
        out.put(&rows::put_fact(f))?;
    }
    let words = m.all_words();
    for &end in words.quote_ends() {
        out.u64(end)?;
    }
    out.u64(words.quotes().len() as u64)?;
    out.put(words.quotes().as_bytes())?;
    let mut extras = codec::Writer { out: Vec::new() };
    extras.extras(words.extras());
    out.u64(extras.out.len() as u64)?;
    out.put(&extras.out)?;
    let a = g.adjacency().parts();
    let u32s = |out: &mut HashedWriter<_, _>, values: &[u32]| -> io::Result<()> {
        values.iter().try_for_each(|v| out.put(&v.to_le_bytes()))
    };
    u32s(out, &a.out_start)?;
    for e in &a.out {
        for v in [e.fact.0, e.relation.0, e.object.0] {
            out.put(&v.to_le_bytes())?;
        }
    }
    u32s(out, &a.in_start)?;
    for f in &a.incoming {
        out.put(&f.0.to_le_bytes())?;
    }
    u32s(out, &a.both_start)?;
    u32s(out, &a.both)
}

/// `count` elements of `width` bytes each, decoded by `decode`; `None` if the input is shorter or
/// any element does not decode.
fn array<T>(
    input: &mut HashedReader<impl Read, impl Hasher>,
    count: usize,
    width: usize,
    decode: impl Fn(&[u8]) -> Option<T>,
) -> Option<Vec<T>> {
    // Checked before allocating, so that a damaged count cannot ask for more than the file holds.
    if (count as u64).checked_mul(width as u64)? > input.remaining() {
        return None;
    }
    let per_block = BLOCK / width;
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let n = per_block.min(count - out.len());
        for element in input.take(n * width)?.chunks_exact(width) {
            out.push(decode(element)?);
        }
    }
    Some(out)
}

fn u32_at(b: &[u8], k: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(4 * k..4 * k + 4)?.try_into().ok()?,
    ))
}

fn u32s(input: &mut HashedReader<impl Read, impl Hasher>, count: usize) -> Option<Vec<u32>> {
    array(input, count, 4, |b| u32_at(b, 0))
}

/// Decodes what [`write`] wrote; `None` at the first thing that does not check out.
pub fn read(
    input: &mut HashedReader<impl Read, impl Hasher>,
    files: Vec<String>,
) -> Option<KnowledgeGraph> {
    let n = input.u64()?;
    let bytes = input.take_vec(n)?;
    let model = codec::Reader {
        bytes: &bytes,
        at: 0,
    }
    .declarations(files)?;
    drop(bytes);
    let bounds = rows::Bounds {
        entities: model.entities.len(),
        relations: model.relations.len(),
        sources: model.sources.len(),
        files: model.files.len(),
    };
    let facts = usize::try_from(input.u64()?).ok()?;
    let rows = array(input, facts, rows::FACT_ROW, |b| rows::get_fact(b, bounds))?;
    let quote_ends = array(input, facts, 8, |b| {
        Some(u64::from_le_bytes(b.try_into().ok()?))
    })?;
    let len = input.u64()?;
    let quotes = String::from_utf8(input.take_vec(len)?).ok()?;
    let len = input.u64()?;
    let bytes = input.take_vec(len)?;
    let extras = codec::Reader {
        bytes: &bytes,
        at: 0,
    }
    .extras(bounds.entities)?;
    drop(bytes);
    let words = Words::from_parts(quote_ends, quotes, extras)?;
    let model = model.with_facts(rows, words)?;
    let entities = bounds.entities;
    let parts = AdjacencyParts {
        out_start: u32s(input, entities + 1)?,
        out: array(input, facts, 12, |b| {
            Some(OutEdge {
                fact: FactId(u32_at(b, 0)?),
                relation: RelationId(u32_at(b, 1)?),
                object: EntityId(u32_at(b, 2)?),
            })
        })?,
        in_start: u32s(input, entities + 1)?,
        incoming: array(input, facts, 4, |b| u32_at(b, 0).map(FactId))?,
        both_start: u32s(input, entities + 1)?,
        both: u32s(input, 2 * facts)?,
    };
    let adjacency = Adjacency::from_parts(parts, entities, facts, bounds.relations)?;
    Some(KnowledgeGraph::with_adjacency(model, adjacency))
}
