//! The three sections of a cache, each readable on its own (so two threads can decode them side by
//! side) and each checked against the counts in the header:
//!
//! 1. declarations: sources, relations, entities, then the reporters and notes of the facts that
//!    have them, then the load's warnings, then its duplicate entities (four varint sections, see
//!    `codec`, each preceded by its length in bytes);
//! 2. facts: one fixed-width row per fact (`rows`), then the table of the quote blocks;
//! 3. adjacency: the arrays as the graph holds them;
//! 4. quotes: the blocks (`quotes`), read on first use rather than here.
//!
//! Arrays are read a block at a time and decoded in a tight loop, each element checked against what
//! it may point at; their lengths follow from the counts.

use super::quotes::{self, QuoteBlocks};
use super::stream::{HashedReader, HashedWriter};
use super::{codec, rows, Counts, BLOCK};
use crate::adjacency::{Adjacency, AdjacencyParts, InEdge, OutEdge};
use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, Extra, Fact, FactId, Model, RelationId, Words};
use crate::names::NameIndex;
use std::hash::Hasher;
use std::io::{self, Read, Write};
use std::sync::Arc;

pub fn write_declarations(
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
    let mut extras = codec::Writer { out: Vec::new() };
    extras.extras(m.all_words().extras());
    out.u64(extras.out.len() as u64)?;
    out.put(&extras.out)?;
    let mut warnings = codec::Writer { out: Vec::new() };
    warnings.warnings(&m.warnings, &m.files);
    out.u64(warnings.out.len() as u64)?;
    out.put(&warnings.out)?;
    let mut duplicates = codec::Writer { out: Vec::new() };
    duplicates.warnings(&m.duplicates, &m.files);
    out.u64(duplicates.out.len() as u64)?;
    out.put(&duplicates.out)
}

/// `table` is what writing the quote section returned.
pub fn write_facts(
    out: &mut HashedWriter<impl Write, impl Hasher>,
    g: &KnowledgeGraph,
    table: &[quotes::Entry],
) -> io::Result<()> {
    for f in g.model.facts() {
        out.put(&rows::put_fact(f))?;
    }
    out.u64(table.len() as u64)?;
    table.iter().try_for_each(|e| out.put(&e.bytes()))
}

pub fn write_adjacency(
    out: &mut HashedWriter<impl Write, impl Hasher>,
    g: &KnowledgeGraph,
) -> io::Result<()> {
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
    for e in &a.incoming {
        for v in [e.fact.0, e.relation.0, e.subject.0] {
            out.put(&v.to_le_bytes())?;
        }
    }
    Ok(())
}

/// `count` elements of `width` bytes each, decoded by `decode`; `None` if the input is shorter or
/// any element does not decode.
fn array<T>(
    input: &mut HashedReader<impl Read, impl Hasher>,
    count: u64,
    width: usize,
    decode: impl Fn(&[u8]) -> Option<T>,
) -> Option<Vec<T>> {
    // Checked before allocating, so that a damaged count cannot ask for more than the file holds.
    if count.checked_mul(width as u64)? > input.remaining() {
        return None;
    }
    let count = usize::try_from(count).ok()?;
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

fn u32s(input: &mut HashedReader<impl Read, impl Hasher>, count: u64) -> Option<Vec<u32>> {
    array(input, count, 4, |b| u32_at(b, 0))
}

/// A varint section: its length, then its bytes.
fn varint_section(input: &mut HashedReader<impl Read, impl Hasher>) -> Option<Vec<u8>> {
    let n = input.u64()?;
    input.take_vec(n)
}

/// Section 1, decoded: the model without its facts, and the facts' reporters and notes.
pub struct Declarations {
    pub model: Model,
    extras: Vec<(FactId, Extra)>,
}

pub fn read_declarations(
    input: &mut HashedReader<impl Read, impl Hasher>,
    files: Vec<String>,
    counts: Counts,
) -> Option<Declarations> {
    let bytes = varint_section(input)?;
    let model = codec::Reader {
        bytes: &bytes,
        at: 0,
    }
    .declarations(files)?;
    drop(bytes);
    let declared = Counts {
        sources: model.sources.len() as u64,
        relations: model.relations.len() as u64,
        entities: model.entities.len() as u64,
        facts: counts.facts,
    };
    if declared != counts {
        return None;
    }
    let bytes = varint_section(input)?;
    let extras = codec::Reader {
        bytes: &bytes,
        at: 0,
    }
    .extras(model.entities.len())?;
    let bytes = varint_section(input)?;
    let mut model = model;
    model.warnings = codec::Reader {
        bytes: &bytes,
        at: 0,
    }
    .warnings(&model.files)?;
    let bytes = varint_section(input)?;
    model.duplicates = codec::Reader {
        bytes: &bytes,
        at: 0,
    }
    .warnings(&model.files)?;
    Some(Declarations { model, extras })
}

/// Section 2, decoded.
pub struct Facts {
    rows: Vec<Fact>,
    /// The quote blocks; empty when no fact has a quote.
    pub table: Vec<quotes::Entry>,
}

/// `files` is how many files the model names: facts' origins must be among them; `quote_len` is
/// the length of the quote section, which the table must describe.
pub fn read_facts(
    input: &mut HashedReader<impl Read, impl Hasher>,
    counts: Counts,
    files: usize,
    quote_len: u64,
) -> Option<Facts> {
    let bound = |n: u64| usize::try_from(n).ok();
    let bounds = rows::Bounds {
        entities: bound(counts.entities)?,
        relations: bound(counts.relations)?,
        sources: bound(counts.sources)?,
        files,
    };
    let rows = array(input, counts.facts, rows::FACT_ROW, |b| {
        rows::get_fact(b, bounds)
    })?;
    let blocks = input.u64()?;
    let table = array(input, blocks, quotes::ENTRY, quotes::Entry::from_bytes)?;
    quotes::check_table(&table, counts.facts, quote_len)?;
    Some(Facts { rows, table })
}

pub fn read_adjacency(
    input: &mut HashedReader<impl Read, impl Hasher>,
    counts: Counts,
) -> Option<Adjacency> {
    let (entities, facts) = (counts.entities, counts.facts);
    let parts = AdjacencyParts {
        out_start: u32s(input, entities.checked_add(1)?)?,
        out: array(input, facts, 12, |b| {
            Some(OutEdge {
                fact: FactId(u32_at(b, 0)?),
                relation: RelationId(u32_at(b, 1)?),
                object: EntityId(u32_at(b, 2)?),
            })
        })?,
        in_start: u32s(input, entities.checked_add(1)?)?,
        incoming: array(input, facts, 12, |b| {
            Some(InEdge {
                fact: FactId(u32_at(b, 0)?),
                relation: RelationId(u32_at(b, 1)?),
                subject: EntityId(u32_at(b, 2)?),
            })
        })?,
    };
    Adjacency::from_parts(
        parts,
        usize::try_from(entities).ok()?,
        usize::try_from(facts).ok()?,
        usize::try_from(counts.relations).ok()?,
    )
}

/// The graph the sections make; `None` if they do not fit together. `quotes` is `None` when no
/// fact has a quote.
pub fn assemble(
    declarations: Declarations,
    (facts, quotes): (Facts, Option<QuoteBlocks>),
    adjacency: Adjacency,
    names: NameIndex,
) -> Option<KnowledgeGraph> {
    let n = facts.rows.len();
    let words = match quotes {
        Some(q) => Words::paged(n, Arc::new(q), declarations.extras)?,
        None => Words::from_parts(n, Vec::new(), String::new(), declarations.extras)?,
    };
    let model = declarations.model.with_facts(facts.rows, words)?;
    Some(KnowledgeGraph::from_parts(model, adjacency, names))
}
