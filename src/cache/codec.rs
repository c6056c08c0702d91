//! A compact binary encoding of a validated [`Model`], written by us so that reading it back needs no
//! parsing of RON and no serde machinery, and so that every byte read is checked: a corrupt cache
//! yields `None`, never a panic or a model that points outside itself.
//!
//! This encodes the small, irregular parts of a cache (declarations, and the few facts' reporters and
//! notes; `payload` lays out the rest): integers as LEB128 varints, strings as a length and UTF-8
//! bytes, optional values behind a presence byte.

use crate::date::{days_in_month, DatePoint, Part, When};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::model::{
    Credibility, Entity, EntityId, Extra, FactId, Kind, Merge, Model, Origin, Relation, RelationId,
    Reliability, Source,
};
use std::collections::BTreeMap;

pub struct Writer {
    pub out: Vec<u8>,
}

impl Writer {
    fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.out.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    fn int(&mut self, v: i32) {
        self.uint(u64::from(((v << 1) ^ (v >> 31)) as u32));
    }

    fn str(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.out.extend_from_slice(s.as_bytes());
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.out.push(0),
            Some(s) => {
                self.out.push(1);
                self.str(s);
            }
        }
    }

    fn strs(&mut self, items: &[String]) {
        self.uint(items.len() as u64);
        for s in items {
            self.str(s);
        }
    }

    fn origin(&mut self, o: Origin) {
        self.uint(u64::from(o.file));
        self.uint(u64::from(o.line));
    }

    fn kinds(&mut self, kinds: &[Kind]) {
        self.uint(kinds.len() as u64);
        self.out.extend(kinds.iter().map(|&k| k as u8));
    }

    fn point(&mut self, p: DatePoint) {
        match p {
            DatePoint::Day { year, month, day } => {
                self.out.extend([0, month, day]);
                self.int(year);
            }
            DatePoint::Month { year, month } => {
                self.out.extend([1, month]);
                self.int(year);
            }
            DatePoint::Part { year, part } => {
                self.out.extend([2, part as u8]);
                self.int(year);
            }
            DatePoint::Year { year } => {
                self.out.push(3);
                self.int(year);
            }
        }
    }

    fn when(&mut self, w: Option<When>) {
        match w {
            None => self.out.push(0),
            Some(When::At(p)) => {
                self.out.push(1);
                self.point(p);
            }
            Some(When::Range { from, to }) => {
                self.out.push(2);
                self.point(from);
                self.point(to);
            }
            Some(When::Since(p)) => {
                self.out.push(3);
                self.point(p);
            }
            Some(When::Until(p)) => {
                self.out.push(4);
                self.point(p);
            }
            Some(When::AsOf(p)) => {
                self.out.push(5);
                self.point(p);
            }
            Some(When::By(p)) => {
                self.out.push(6);
                self.point(p);
            }
        }
    }

    /// Sources, relations and entities: everything but facts and `Model::files`, which the
    /// loader sets to the names the user gave.
    pub fn declarations(&mut self, m: &Model) {
        self.uint(m.sources.len() as u64);
        for s in &m.sources {
            self.str(&s.id);
            self.str(&s.title);
            self.str(&s.publisher);
            self.when(Some(s.published));
            self.opt_str(s.url.as_deref());
            self.out.push(s.reliability.map_or(0, |r| r.index() + 1));
            self.opt_str(s.text.as_deref());
            self.origin(s.origin);
        }
        self.uint(m.relations.len() as u64);
        for r in &m.relations {
            self.str(&r.name);
            self.opt_str(r.inverse.as_deref());
            self.out.push(
                u8::from(r.symmetric) | u8::from(r.self_loops) << 1 | u8::from(r.hedged) << 2,
            );
            self.kinds(&r.domain);
            self.kinds(&r.range);
            self.uint(r.broader.map_or(0, |b| u64::from(b.0) + 1));
            self.opt_str(r.description.as_deref());
            self.opt_str(r.starts_state.as_deref());
            self.opt_str(r.ends_state.as_deref());
            self.uint(r.contradicts.len() as u64);
            for c in &r.contradicts {
                self.uint(u64::from(c.0));
            }
            self.origin(r.origin);
        }
        self.uint(m.entities.len() as u64);
        for e in &m.entities {
            self.str(&e.id);
            self.str(&e.name);
            self.out.push(e.kind as u8);
            self.strs(e.aliases());
            self.strs(e.tags());
            self.uint(e.attributes().len() as u64);
            for (k, v) in e.attributes() {
                self.str(k);
                self.str(v);
            }
            self.strs(e.shared_names());
            self.strs(e.not_same_as());
            self.origin(e.origin);
        }
        self.uint(m.merged().len() as u64);
        for merge in m.merged() {
            self.str(&merge.id);
            self.str(&merge.name);
            self.uint(u64::from(merge.into.0));
            self.origin(merge.origin);
        }
        self.uint(m.vocabulary_files.len() as u64);
        for (file, name) in &m.vocabulary_files {
            self.uint(*file as u64);
            self.str(name);
        }
    }

    /// The reporters and notes of the facts that have them.
    pub fn extras(&mut self, extras: &[(FactId, Extra)]) {
        self.uint(extras.len() as u64);
        for (fact, extra) in extras {
            self.uint(u64::from(fact.0));
            self.uint(extra.reported_by.len() as u64);
            for r in extra.reported_by.iter() {
                self.uint(u64::from(r.0));
            }
            self.opt_str(extra.note.as_deref());
            self.out
                .push(extra.credibility.map_or(0, Credibility::grade));
        }
    }
}

impl Writer {
    /// The load's warnings, whole, but for the file name of their locations, kept as an index
    /// into `files`: a cached file is named as the user names it on each load.
    pub fn warnings(&mut self, warnings: &[Diagnostic], files: &[String]) {
        self.uint(warnings.len() as u64);
        for d in warnings {
            self.out.push(u8::from(d.severity == Severity::Warning));
            self.str(&d.message);
            self.opt_str(d.label.as_deref());
            self.strs(&d.help);
            self.strs(&d.notes);
            self.uint(d.omitted as u64);
            match d.location.as_deref() {
                None => self.out.push(0),
                Some(l) => {
                    self.out.push(1);
                    match files.iter().position(|f| *f == l.file) {
                        Some(i) => self.uint(i as u64 + 1),
                        None => {
                            self.uint(0);
                            self.str(&l.file);
                        }
                    }
                    for n in [l.line, l.column, l.text_column, l.width] {
                        self.uint(n as u64);
                    }
                    self.str(&l.line_text);
                    self.out.push(u8::from(l.cut_after));
                }
            }
        }
    }
}

pub struct Reader<'a> {
    pub bytes: &'a [u8],
    pub at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    #[inline]
    fn uint(&mut self) -> Option<u64> {
        // Most numbers in a model (indices below 128, lengths, lines of small files) are one byte.
        if let Some(&b) = self.bytes.get(self.at).filter(|&&b| b < 0x80) {
            self.at += 1;
            return Some(u64::from(b));
        }
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.uint()?).ok()
    }

    /// An index that must be below `bound`.
    fn index(&mut self, bound: usize) -> Option<u32> {
        self.u32().filter(|&i| (i as usize) < bound)
    }

    fn int(&mut self) -> Option<i32> {
        let z = self.u32()?;
        Some(((z >> 1) as i32) ^ -((z & 1) as i32))
    }

    /// A count of items each at least `min_bytes` long: bounded by what is left, so a corrupt
    /// length cannot make us allocate without limit.
    fn len(&mut self, min_bytes: usize) -> Option<usize> {
        let n = usize::try_from(self.uint()?).ok()?;
        (n.saturating_mul(min_bytes) <= self.bytes.len() - self.at).then_some(n)
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = self.len(1)?;
        let s = std::str::from_utf8(&self.bytes[self.at..self.at + n]).ok()?;
        self.at += n;
        Some(s)
    }

    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }

    fn opt_string(&mut self) -> Option<Option<String>> {
        match self.byte()? {
            0 => Some(None),
            1 => self.string().map(Some),
            _ => None,
        }
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        let n = self.len(1)?;
        (0..n).map(|_| self.string()).collect()
    }

    fn origin(&mut self, files: usize) -> Option<Origin> {
        let file = self.index(files)?;
        Some(Origin {
            file,
            line: self.u32()?,
        })
    }

    fn kinds(&mut self) -> Option<Vec<Kind>> {
        let n = self.len(1)?;
        (0..n)
            .map(|_| Kind::ALL.get(usize::from(self.byte()?)).copied())
            .collect()
    }

    /// A year as the date grammar writes it: four digits.
    fn year(&mut self) -> Option<i32> {
        self.int().filter(|y| (0..=9999).contains(y))
    }

    fn point(&mut self) -> Option<DatePoint> {
        let month_ok = |m: u8| (1..=12).contains(&m);
        Some(match self.byte()? {
            0 => {
                let (month, day) = (self.byte().filter(|&m| month_ok(m))?, self.byte()?);
                let year = self.year()?;
                (day >= 1 && day <= days_in_month(year, month)).then_some(())?;
                DatePoint::Day { year, month, day }
            }
            1 => {
                let month = self.byte().filter(|&m| month_ok(m))?;
                DatePoint::Month {
                    year: self.year()?,
                    month,
                }
            }
            2 => {
                let part = [Part::Early, Part::Mid, Part::Late]
                    .get(usize::from(self.byte()?))
                    .copied()?;
                DatePoint::Part {
                    year: self.year()?,
                    part,
                }
            }
            3 => DatePoint::Year { year: self.year()? },
            _ => return None,
        })
    }

    fn when(&mut self) -> Option<Option<When>> {
        Some(Some(match self.byte()? {
            0 => return Some(None),
            1 => When::At(self.point()?),
            2 => When::Range {
                from: self.point()?,
                to: self.point()?,
            },
            3 => When::Since(self.point()?),
            4 => When::Until(self.point()?),
            5 => When::AsOf(self.point()?),
            6 => When::By(self.point()?),
            _ => return None,
        }))
    }

    /// The declarations [`Writer::declarations`] wrote, as a model without facts; `None` unless
    /// they are all there, consistent, and nothing follows them.
    pub fn declarations(&mut self, files: Vec<String>) -> Option<Model> {
        let nf = files.len();
        let n = self.len(4)?;
        let mut sources = Vec::with_capacity(n);
        for _ in 0..n {
            sources.push(Source {
                id: self.string()?,
                title: self.string()?,
                publisher: self.string()?,
                published: self.when()??,
                url: self.opt_string()?,
                reliability: match self.byte()? {
                    0 => None,
                    r => Some(Reliability::from_index(r - 1)?),
                },
                text: self.opt_string()?,
                origin: self.origin(nf)?,
            });
        }
        let n = self.len(4)?;
        let mut relations = Vec::with_capacity(n);
        for _ in 0..n {
            let name = self.string()?;
            let inverse = self.opt_string()?;
            let flags = self.byte().filter(|&f| f < 8)?;
            relations.push(Relation {
                name,
                inverse,
                symmetric: flags & 1 != 0,
                self_loops: flags & 2 != 0,
                hedged: flags & 4 != 0,
                domain: self.kinds()?,
                range: self.kinds()?,
                broader: match self.u32()? {
                    0 => None,
                    b => Some(RelationId(b - 1)).filter(|b| b.index() < n),
                },
                description: self.opt_string()?,
                starts_state: self.opt_string()?,
                ends_state: self.opt_string()?,
                contradicts: (0..self.len(1)?)
                    .map(|_| self.index(n).map(RelationId))
                    .collect::<Option<_>>()?,
                origin: self.origin(nf)?,
            });
        }
        let n = self.len(4)?;
        let mut entities = Vec::with_capacity(n);
        for _ in 0..n {
            let (id, name) = (self.string()?, self.string()?);
            let kind = Kind::ALL.get(usize::from(self.byte()?)).copied()?;
            let (aliases, tags) = (self.strings()?, self.strings()?);
            let mut attributes = BTreeMap::new();
            for _ in 0..self.len(2)? {
                attributes.insert(self.string()?, self.string()?);
            }
            let (shared_names, not_same_as) = (self.strings()?, self.strings()?);
            let origin = self.origin(nf)?;
            entities.push(
                Entity::new(id, name, kind, origin)
                    .with_details(aliases, tags, attributes)
                    .with_shared_names(shared_names)
                    .with_not_same_as(not_same_as),
            );
        }
        let n = self.len(4)?;
        let mut merges = Vec::with_capacity(n);
        for _ in 0..n {
            let (id, name) = (self.string()?, self.string()?);
            let into = EntityId(self.u32()?);
            if into.index() >= entities.len() {
                return None;
            }
            let origin = self.origin(nf)?;
            merges.push(Merge {
                id,
                name,
                into,
                origin,
            });
        }
        let mut vocabulary_files = Vec::new();
        for _ in 0..self.len(2)? {
            let file = self.index(nf)? as usize;
            vocabulary_files.push((file, crate::vocabulary::find(self.str()?)?.name));
        }
        let mut model = Model::new(files, sources, relations, entities);
        model.set_merges(merges);
        model.vocabulary_files = vocabulary_files;
        (self.at == self.bytes.len()).then_some(model)
    }

    /// The warnings [`Writer::warnings`] wrote, located in `files` as now named.
    pub fn warnings(&mut self, files: &[String]) -> Option<Vec<Diagnostic>> {
        let n = self.len(8)?;
        let mut warnings = Vec::with_capacity(n);
        for _ in 0..n {
            let severity = match self.byte()? {
                0 => Severity::Error,
                1 => Severity::Warning,
                _ => return None,
            };
            let mut d = Diagnostic {
                severity,
                message: self.string()?,
                label: self.opt_string()?,
                help: self.strings()?,
                notes: self.strings()?,
                omitted: usize::try_from(self.uint()?).ok()?,
                location: None,
            };
            if self.byte()? == 1 {
                let file = match self.uint()? {
                    0 => self.string()?,
                    i => files.get(usize::try_from(i - 1).ok()?)?.clone(),
                };
                let mut n = || self.uint().and_then(|n| usize::try_from(n).ok());
                let (line, column, text_column, width) = (n()?, n()?, n()?, n()?);
                d.location = Some(Box::new(Location {
                    file,
                    line,
                    column,
                    line_text: self.string()?,
                    text_column,
                    cut_after: self.byte()? == 1,
                    width,
                }));
            }
            warnings.push(d);
        }
        (self.at == self.bytes.len()).then_some(warnings)
    }

    /// The extras [`Writer::extras`] wrote, checked against the model's entity count.
    pub fn extras(&mut self, entities: usize) -> Option<Vec<(FactId, Extra)>> {
        let n = self.len(3)?;
        let mut extras = Vec::with_capacity(n);
        for _ in 0..n {
            let fact = FactId(self.u32()?);
            let reported_by = match self.len(1)? {
                0 => Box::default(),
                n => (0..n)
                    .map(|_| self.index(entities).map(EntityId))
                    .collect::<Option<Box<[_]>>>()?,
            };
            let note = self.opt_string()?.map(Into::into);
            let credibility = match self.byte()? {
                0 => None,
                c => Some(Credibility::new(i64::from(c))?),
            };
            extras.push((
                fact,
                Extra {
                    reported_by,
                    note,
                    credibility,
                },
            ));
        }
        (self.at == self.bytes.len()).then_some(extras)
    }
}
