//! The peer-benchmark query sample format (shared/data/README.md): `kind<TAB>arg1<TAB>arg2<TAB>
//! expected`, read against a graph so that the benchmarks and examples/sample.rs run the very
//! queries networkx, igraph and Kuzu answer, and check the agreed answers.

use super::{join_count, out_degree, shortest_path_len_undirected, Scratch};
use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, RelationId};

/// One query of the sample, resolved, with the agreed answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Query {
    /// Number of out-edges of the entity.
    Neighbor(EntityId, usize),
    /// Undirected hop count; `None`: unreachable (written -1).
    Path(EntityId, EntityId, Option<usize>),
    /// Distinct (x, y) with x -r1-> z -r2-> y.
    Join(RelationId, RelationId, usize),
}

impl Query {
    /// Runs the query; `Err` with both answers if it disagrees with the sample.
    pub fn check(&self, graph: &KnowledgeGraph, scratch: &mut Scratch) -> Result<(), String> {
        let (got, want) = match *self {
            Query::Neighbor(e, want) => (Some(out_degree(graph, e)), Some(want)),
            Query::Path(a, b, want) => (shortest_path_len_undirected(graph, a, b, scratch), want),
            Query::Join(r1, r2, want) => (Some(join_count(graph, r1, r2, scratch)), Some(want)),
        };
        if got == want {
            Ok(())
        } else {
            Err(format!("{self:?}: got {got:?}"))
        }
    }

    /// 0, 1, 2 for neighbour, path, join: the columns of the comparison.
    pub fn kind(&self) -> usize {
        match self {
            Query::Neighbor(..) => 0,
            Query::Path(..) => 1,
            Query::Join(..) => 2,
        }
    }
}

/// Reads a sample, resolving names as a user types them (the original strings are entity names).
pub fn parse(graph: &KnowledgeGraph, text: &str) -> Result<Vec<Query>, String> {
    let entity = |name: &str| {
        graph
            .lookup(name)
            .map_err(|e| format!("entity `{name}`: {e:?}"))
    };
    let relation = |name: &str| match graph.lookup_relation(name) {
        Ok(m) if !m.backwards => m
            .relations
            .first()
            .copied()
            .ok_or_else(|| format!("relation `{name}` is empty")),
        _ => Err(format!("unknown relation `{name}`")),
    };
    let mut out = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let [kind, a, b, expected] = fields[..] else {
            return Err(format!("bad query line `{line}`"));
        };
        let number = |s: &str| s.parse::<i64>().map_err(|_| format!("bad answer `{s}`"));
        let count = |s: &str| usize::try_from(number(s)?).map_err(|_| format!("bad count `{s}`"));
        out.push(match kind {
            "neighbor" => Query::Neighbor(entity(a)?, count(expected)?),
            "path" => Query::Path(
                entity(a)?,
                entity(b)?,
                usize::try_from(number(expected)?).ok(),
            ),
            "join" => Query::Join(relation(a)?, relation(b)?, count(expected)?),
            _ => return Err(format!("unknown query kind `{kind}`")),
        });
    }
    Ok(out)
}
