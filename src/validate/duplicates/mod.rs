//! Entities that are probably one, declared twice under names that differ only in spelling: found
//! once every file's entities are known, and reported as curation warnings that show both
//! declarations, the evidence and the `same_as` that would merge them.
//!
//! Cost: O(names). Each name and alias is normalised once and looked up in hash tables holding the
//! first entity that claims each key or skeleton; a key shared by k entities gives k - 1 reports,
//! each against the first, never the k² pairs.

mod contained;

use super::Validator;
use crate::diagnostic::{clip, Diagnostic, Locator, Place, Problems};
use crate::fact_file::Spanned;
use crate::model::{Entity, EntityId, Kind};
use crate::spelling::{key, skeleton, without_members, words, MIN_SKELETON};
use hashbrown::hash_map::Entry;
use hashbrown::{HashMap, HashSet};

/// How two names matched, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum How {
    /// One key once case, diacritics, punctuation, spaces and a leading article are set aside.
    SameKey,
    /// One name is the other followed by words for members ("fighters").
    Members,
    /// One consonant skeleton: a transliteration variant.
    Skeleton,
    /// One name holds the other as whole words: weak evidence, reported as possible.
    Contained,
}

/// A name (0) or alias (1..) of an entity.
type NameOf = (EntityId, usize);

/// Two entities that are probably one.
#[derive(Debug)]
struct Found {
    /// The entity that would carry `same_as`, and which of its names matched.
    from: NameOf,
    /// The entity it probably is, and which of its names matched.
    to: NameOf,
    how: How,
    /// The shared key or skeleton, or the words for members.
    detail: String,
    /// Whether `from` and `to` trade places from how the rule found them (`from` holds `to`'s
    /// name, or is it followed by words for members), so that `from` is the newer declaration.
    flipped: bool,
}

impl Found {
    /// The pair with `from` in the later-loaded file: the warning and its `same_as` belong with
    /// the declaration the curator is adding, not with a file loaded before it (the bundled
    /// article graph). The two rules that find names in order (`SameKey`, `Skeleton`) already
    /// report against the first claimant.
    fn newer_first(self, entities: &[Entity]) -> Found {
        let file = |n: NameOf| entities[n.0.index()].origin.file;
        if file(self.from) >= file(self.to) {
            return self;
        }
        Found {
            from: self.to,
            to: self.from,
            flipped: !self.flipped,
            ..self
        }
    }
}

fn names(e: &Entity) -> impl Iterator<Item = &str> {
    std::iter::once(e.name.as_str()).chain(e.aliases().iter().map(String::as_str))
}

fn name_of(entities: &[Entity], (id, k): NameOf) -> &str {
    names(&entities[id.index()]).nth(k).unwrap_or_default()
}

/// Every pair of entities that are probably one, each once with its strongest evidence. Within
/// one file, a name followed by words for members is taken as meant ("Syrian government troops"
/// beside "Syrian government"): that curator saw both.
fn find(entities: &[Entity]) -> Vec<Found> {
    let mut keys: HashMap<String, NameOf> = HashMap::with_capacity(entities.len());
    let mut skeletons: HashMap<(Kind, String), NameOf> = HashMap::with_capacity(entities.len());
    let mut with_members = Vec::new();
    let mut found = Vec::new();
    for (i, e) in entities.iter().enumerate() {
        let id = EntityId(i as u32);
        for (k, name) in names(e).enumerate() {
            let words = words(name);
            let key = key(&words);
            if key.is_empty() {
                continue;
            }
            let skeleton = skeleton(&words);
            if let Some(reduced) = without_members(&words) {
                with_members.push(((id, k), reduced));
            }
            if let Some(to) = first_claim(keys.entry(key.clone()), (id, k)) {
                found.push(Found {
                    from: (id, k),
                    to,
                    how: How::SameKey,
                    detail: key,
                    flipped: false,
                });
            }
            if skeleton.chars().count() < MIN_SKELETON {
                continue;
            }
            if let Some(to) = first_claim(skeletons.entry((e.kind, skeleton.clone())), (id, k)) {
                found.push(Found {
                    from: (id, k),
                    to,
                    how: How::Skeleton,
                    detail: skeleton,
                    flipped: false,
                });
            }
        }
    }
    for (from, (reduced, extra)) in with_members {
        let Some(&to) = keys.get(&reduced) else {
            continue;
        };
        let file = |id: EntityId| entities[id.index()].origin.file;
        if to.0 != from.0 && file(to.0) != file(from.0) {
            found.push(Found {
                from,
                to,
                how: How::Members,
                detail: extra,
                flipped: false,
            });
        }
    }
    found.extend(contained::find(entities));
    let pair = |f: &Found| (f.from.0.min(f.to.0), f.from.0.max(f.to.0));
    found.sort_by_key(|f| (pair(f), f.how));
    found.dedup_by_key(|f| pair(f));
    found.into_iter().map(|f| f.newer_first(entities)).collect()
}

/// The entity that first claimed a key, if another did; else `name` claims it.
fn first_claim<K: std::hash::Hash>(
    entry: Entry<'_, K, NameOf, hashbrown::DefaultHashBuilder>,
    name: NameOf,
) -> Option<NameOf> {
    match entry {
        Entry::Occupied(o) => Some(*o.get()).filter(|to| to.0 != name.0),
        Entry::Vacant(v) => {
            v.insert(name);
            None
        }
    }
}

/// Whether one of the two says it is not the other (`not_same_as`) or goes by the other's name
/// (`shared_names`): a curator's word that they are two entities.
fn told_apart(a: &Entity, b: &Entity) -> bool {
    let not = |x: &Entity, y: &Entity| x.not_same_as().contains(&y.id);
    if not(a, b) || not(b, a) {
        return true;
    }
    let keys = |e: &Entity| -> HashSet<String> { names(e).map(|n| key(&words(n))).collect() };
    let shares = |x: &Entity, y: &Entity| {
        let theirs = keys(y);
        x.shared_names()
            .iter()
            .any(|s| theirs.contains(&key(&words(s))))
    };
    shares(a, b) || shares(b, a)
}

impl Validator<'_> {
    /// Every pair of entities that are probably one, as a curation warning at the name of the one
    /// that would carry `same_as`.
    pub(super) fn report_duplicates(&self) -> Problems {
        let mut warnings = Problems::new(super::MAX_PROBLEMS);
        let found = find(&self.model.entities);
        let files = self.files;
        let mut locators: HashMap<usize, Locator<'_>> = HashMap::new();
        for f in found {
            let (from, to) = (self.model.entity(f.from.0), self.model.entity(f.to.0));
            if told_apart(from, to) {
                continue;
            }
            let place = self.name_place(f.from);
            if !warnings.keeps(&place) {
                warnings.pass_over();
                continue;
            }
            let there = match self.name_place(f.to) {
                Place::Bytes { file, bytes } => {
                    let source = &files[file];
                    let locator = locators
                        .entry(file)
                        .or_insert_with(|| Locator::new(&source.name, &source.text));
                    let l = locator.locate(bytes);
                    format!("{}:{}:{}", l.file, l.line, l.column)
                }
                _ => self.model.origin_text(to.origin),
            };
            let d = self.describe_duplicate(&f, &there);
            warnings.push(place, d);
        }
        warnings
    }

    /// Where a name or alias is written in its entity's record.
    fn name_place(&self, (id, k): NameOf) -> Place {
        let (file, span) = self.records[id.index()].clone();
        let record = Spanned { value: (), span };
        match k {
            0 => self.field(file, &record, "name"),
            _ => {
                let alias = name_of(&self.model.entities, (id, k));
                self.item_in_field(file, &record, "aliases", alias)
            }
        }
    }

    fn describe_duplicate(&self, f: &Found, there: &str) -> Diagnostic {
        let entities = &self.model.entities;
        let (from, to) = (&entities[f.from.0.index()], &entities[f.to.0.index()]);
        let (from_id, to_id) = (clip(&from.id), clip(&to.id));
        let d = if f.how == How::Contained {
            Diagnostic::warning(format!("entity `{from_id}` is possibly `{to_id}`"))
                .label(format!("possibly the same as `{to_id}`"))
        } else if from.kind == to.kind {
            Diagnostic::warning(format!("entity `{from_id}` is probably `{to_id}`"))
                .label(format!("probably the same as `{to_id}`"))
        } else {
            Diagnostic::warning(format!(
                "entity `{from_id}` has a name of `{to_id}`, but is {} where `{to_id}` is {}",
                super::a_kind(from.kind),
                super::a_kind(to.kind)
            ))
            .label(format!("also a name of `{to_id}`"))
        };
        let d = d
            .note(format!("`{to_id}` is declared at {there}"))
            .note(format!("evidence: {}", self.evidence(f)));
        let same_as = format!("`same_as: [\"{to_id}\"]`");
        let not_same_as = format!("; if they differ, add `not_same_as: [\"{to_id}\"]` instead");
        let d = match (from.kind == to.kind, from.origin.file == to.origin.file) {
            (true, false) => d.help(format!(
                "if they are one entity, add {same_as} to `{from_id}`{not_same_as}"
            )),
            (true, true) => d.help(format!(
                "if they are one entity, keep `{to_id}`: cite it instead of `{from_id}` and make the names of `{from_id}` its aliases, or add {same_as} to `{from_id}`{not_same_as}"
            )),
            (false, _) => d.help(format!(
                "if they are one entity, give them one kind and add {same_as} to `{from_id}`{not_same_as}"
            )),
        };
        match f.how {
            How::SameKey => d.help(format!(
                "if they are two entities that share the name, add `shared_names: [\"{}\"]` to `{from_id}`",
                clip(name_of(entities, f.to))
            )),
            How::Members | How::Skeleton | How::Contained => d,
        }
    }

    /// The names that matched and the rule that matched them.
    fn evidence(&self, f: &Found) -> String {
        let entities = &self.model.entities;
        let written = |n: NameOf| {
            let role = if n.1 == 0 { "name" } else { "alias" };
            format!(
                "\"{}\" ({role} of `{}`)",
                clip(name_of(entities, n)),
                clip(&entities[n.0.index()].id)
            )
        };
        let (a, b) = (written(f.from), written(f.to));
        let detail = clip(&f.detail);
        match f.how {
            How::SameKey if name_of(entities, f.from) == name_of(entities, f.to) => {
                format!("{a} and {b} are the same")
            }
            How::SameKey => format!(
                "{a} and {b} both read \"{detail}\" once case, diacritics, punctuation, spaces and a leading article are set aside"
            ),
            How::Members if f.flipped => format!(
                "{b} is {a} followed by \"{detail}\", a word for its members"
            ),
            How::Members => format!(
                "{a} is {b} followed by \"{detail}\", a word for its members"
            ),
            How::Contained if f.flipped => format!(
                "{a} is held as whole words (\"{detail}\") in {b}; weak evidence: a name inside another is as often a part, a branch or a rival"
            ),
            How::Contained => format!(
                "{a} holds {b} as whole words (\"{detail}\"); weak evidence: a name inside another is as often a part, a branch or a rival"
            ),
            How::Skeleton => format!(
                "{a} and {b} may be one name transliterated two ways: both reduce to the consonants \"{detail}\" once vowels, doubled letters and particles such as al-, az-, ez- are set aside"
            ),
        }
    }
}
