//! The order of relation labels, computed once, so that sorting answers by label compares integers.

use crate::model::{Model, RelationId};

/// For every relation (loaded, then derived) read forwards and backwards, the rank of its label
/// among all labels in `String` order; equal labels share a rank. O(R log R) to build.
#[derive(Debug, Clone, Default)]
pub struct LabelOrder(Vec<u32>);

impl LabelOrder {
    pub fn new(model: &Model) -> LabelOrder {
        let count = model.relations.len() + model.derived().relations.len();
        let mut labels: Vec<(String, usize)> = (0..count)
            .flat_map(|r| {
                let relation = model.relation(RelationId(r as u32));
                [
                    (relation.label(false), 2 * r),
                    (relation.label(true), 2 * r + 1),
                ]
            })
            .collect();
        labels.sort_unstable();
        let mut ranks = vec![0u32; labels.len()];
        let mut rank = 0u32;
        for (i, (label, slot)) in labels.iter().enumerate() {
            if i > 0 && labels[i - 1].0 != *label {
                rank += 1;
            }
            ranks[*slot] = rank;
        }
        LabelOrder(ranks)
    }

    /// Where `relation`'s label, read forwards or `backwards`, sorts among all labels.
    pub fn rank(&self, relation: RelationId, backwards: bool) -> u32 {
        self.0
            .get(2 * relation.index() + usize::from(backwards))
            .copied()
            .unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::GraphSpec;

    #[test]
    fn ranks_follow_the_labels_string_order() {
        let graph = GraphSpec::new(Vec::new()).load(&[]).unwrap();
        let model = &graph.model;
        let order = LabelOrder::new(model);
        let mut reads = Vec::new();
        for r in 0..model.relations.len() as u32 {
            for backwards in [false, true] {
                reads.push((RelationId(r), backwards));
            }
        }
        for &(a, ab) in &reads {
            for &(b, bb) in &reads {
                let by_text = model
                    .relation(a)
                    .label(ab)
                    .cmp(&model.relation(b).label(bb));
                assert_eq!(order.rank(a, ab).cmp(&order.rank(b, bb)), by_text);
            }
        }
    }
}
