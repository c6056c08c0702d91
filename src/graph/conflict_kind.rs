//! The kinds of conflict between sources, shared by the replay's rival versions, `conflicts`
//! and `check --conflicts`: most are not about spells of a state at all.

/// Why two facts (or a fact and its source) cannot both be right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConflictKind {
    /// A capture by the side already holding the place: `first` started its hold.
    HeldAlready,
    /// Two sides reported holding the same place on the same days, or the side another
    /// source's capture displaced reported still holding it after.
    TwoHolders,
    /// A capture (`second`) ending a hold that another source has lasting past it (`first`
    /// started the hold in that source's own replay).
    EndedEarly,
    /// Relations declared contradictory, on the same subject and object at the same time.
    Contradictory,
    /// The same claim from two sources, on days that cannot meet.
    DisjointDates,
    /// A fact dated after its source was published; `second` is `None`.
    AfterPublication,
}

impl ConflictKind {
    /// The name JSON and tables use.
    pub fn name(self) -> &'static str {
        match self {
            ConflictKind::HeldAlready => "held_already",
            ConflictKind::TwoHolders => "two_holders",
            ConflictKind::EndedEarly => "ended_early",
            ConflictKind::Contradictory => "contradictory",
            ConflictKind::DisjointDates => "disjoint_dates",
            ConflictKind::AfterPublication => "after_publication",
        }
    }
}
