//! `help` and `help TOPIC`: the language in brief, with examples drawn from the loaded graph so
//! they can be run as they stand.

use crate::format::{AnswerFormat, Evidence, ExportFormat};
use crate::graph::KnowledgeGraph;
use crate::model::EntityId;
use crate::query::{quoted_string, Slot, COMMANDS, QUERY_COMMANDS};
use std::fmt::Write;

/// The topics `help TOPIC` knows: every command under its main spelling, and the time clauses;
/// derived from
/// the grammar's command lists so that a new command cannot be left out.
pub fn topics() -> Vec<&'static str> {
    let main_spelling = |c: &&str| !matches!(*c, "neighbours" | "exit" | "help");
    let queries = QUERY_COMMANDS.iter().copied().filter(main_spelling);
    let others = COMMANDS
        .iter()
        .copied()
        .filter(|c| main_spelling(c) && !QUERY_COMMANDS.contains(c));
    queries
        .chain([
            "at",
            "during",
            "reported",
            "questions",
            "filters",
            "not",
            "group",
            "order",
            "paths",
        ])
        .chain(others)
        .collect()
}

/// Names of the best-connected entities, written so they parse as query text.
fn examples(graph: &KnowledgeGraph) -> (String, String, String) {
    let model = &graph.model;
    let mut degree = vec![0usize; model.entities.len()];
    for f in model.facts() {
        degree[f.subject.index()] += 1;
        degree[f.object.index()] += 1;
    }
    let mut order: Vec<usize> = (0..degree.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(degree[i]), i));
    let name = |rank: usize| {
        order.get(rank).map_or_else(
            || "ENTITY".to_string(),
            |&i| {
                let n = &model.entity(EntityId(i as u32)).name;
                // Quoted whenever it is not one plain word, so every example works in every slot.
                if crate::query::needs_quotes(n, Slot::OneWord) {
                    quoted_string(n)
                } else {
                    n.clone()
                }
            },
        )
    };
    let relation = order
        .first()
        .and_then(|&i| model.facts().iter().find(|f| f.subject.index() == i))
        .map_or_else(
            || "RELATION".to_string(),
            |f| model.relation(f.relation).name.clone(),
        );
    (name(0), name(1), relation)
}

pub fn help(graph: &KnowledgeGraph, topic: Option<&str>) -> Result<String, String> {
    let (a, b, rel) = examples(graph);
    let mut out = String::new();
    let Some(topic) = topic else {
        let _ = writeln!(out, "Queries (names and aliases work, in any case; quote names with spaces where a keyword could follow):");
        let _ = writeln!(
            out,
            "  neighbors ENTITY [in|out|both] [via REL, ...] [depth N] [kind KIND] [limit N [offset M]]"
        );
        let _ = writeln!(out, "  path ENTITY to ENTITY [directed] [via REL, ...] [avoid ENTITY|via REL|kind KIND, ...] [chronological]");
        let _ = writeln!(out, "    [min N] [max N] [all | shortest K] [limit K]");
        let _ = writeln!(out, "  match PATTERN, ...           PATTERN = TERM REL TERM [as ?f]; TERM = ENTITY or ?var; REL = relation, ?var or a path (help paths)");
        let _ = writeln!(out, "    [not {{ ... }}] [optional {{ ... }}] [where COND] [group by ?k AGG as ?n] [select ?var, ... | count]");
        let _ = writeln!(
            out,
            "    [order by KEY [desc], ...] [limit N [offset M]]   help filters, not, group, order"
        );
        let _ = writeln!(
            out,
            "  why ENTITY REL ENTITY        the facts, dates, sources and quotes behind a claim"
        );
        let _ = writeln!(
            out,
            "  show ENTITY                  the entity's card and every fact about it"
        );
        let _ = writeln!(
            out,
            "  timeline [ENTITY] [from DATE] [to DATE] [limit N [offset M]]"
        );
        let _ = writeln!(
            out,
            "  changes [ENTITY]             who took or lost which place, from whom, in date order"
        );
        let _ = writeln!(
            out,
            "  conflicts [ENTITY]           facts that cannot all be true, with both sources"
        );
        let _ = writeln!(
            out,
            "  entities [kind KIND] [matching TEXT] | relations | sources | stats"
        );
        let _ = writeln!(
            out,
            "  search TEXT [in quotes|names|notes] [mentioning ENTITY] [limit N]   words, ranked"
        );
        let _ = writeln!(
            out,
            "  QUERY at DATE                the graph as it stood at DATE"
        );
        let _ = writeln!(
            out,
            "  QUERY during PERIOD          only what may fall in PERIOD (2017, 2017-07..2017-08-06)"
        );
        let _ = writeln!(
            out,
            "  QUERY reported DATE          only what sources published by DATE had said"
        );
        let _ = writeln!(
            out,
            "  who REL ENTITY, what did ENTITY REL, when did ENTITY REL ENTITY, where is ENTITY:"
        );
        let _ = writeln!(
            out,
            "                               questions, answered by the query they stand for"
        );
        let _ = writeln!(
            out,
            "Commands: help [TOPIC], set format {}, set at|during|reported DATE|none,",
            AnswerFormat::choices()
        );
        let _ = writeln!(
            out,
            "  set evidence {}, set pager on|off, set limit memory SIZE, timing on|off,",
            Evidence::choices()
        );
        let _ = writeln!(
            out,
            "  load FILE|DIR, reload, quit, export [FORMAT] FILE [force] [QUERY | focus ENTITY [depth N]]"
        );
        let _ = writeln!(
            out,
            "Keys: Tab completes names, relations and keywords (twice lists them); the right arrow (→)"
        );
        let _ = writeln!(
            out,
            "  accepts the grey hint from an earlier line; Ctrl-R searches history; Ctrl-C cancels a query."
        );
        let _ = writeln!(
            out,
            "Try:  neighbors {a}    path {a} to {b}    show {b}    help path"
        );
        return Ok(out);
    };
    let text = match topic.to_lowercase().as_str() {
        "neighbors" | "neighbours" => format!(
            "neighbors ENTITY [in|out|both] [via REL, ...] [depth N] [kind KIND]\n  \
             Breadth-first expansion around ENTITY (default: both directions, depth 1). Each result\n  \
             says its depth and the fact that reached it. `via` keeps only those relations (a family\n  \
             name covers its narrower relations; an inverse label reads edges backwards).\n  \
             e.g. neighbors {a}\n       neighbors {a} out via {rel}\n       neighbors {b} depth 2 kind place\n"
        ),
        "path" => format!(
            "path ENTITY to ENTITY [directed] [via REL, ...] [avoid ENTITY, ...] [avoid via REL, ...]\n     \
             [avoid kind KIND, ...] [chronological] [min N] [max N] [all | shortest K] [limit K]\n  \
             One shortest path by default, ignoring edge direction unless `directed`. `shortest K` gives\n  \
             the K shortest simple paths; `all` lists simple paths of min..max hops (max defaults to 12),\n  \
             at most `limit` of them (default 100), with a note when a limit cut the answer.\n  \
             `avoid via` never uses those relations (either way round); `avoid kind` passes through no\n  \
             entity of those kinds (the ends may be). `chronological` takes dated hops only, each no\n  \
             earlier than the one before (its latest day on or after the previous hop's earliest).\n  \
             e.g. path {a} to {b}\n       path {a} to {b} shortest 3\n       path {a} to {b} all max 3\n       \
             path {a} to {b} avoid kind event avoid via located_in\n       \
             path \"Al Tanf ceasefire\" to \"US\" chronological\n"
        ),
        "paths" | "relation paths" => "match ?x REL+ ?y    (also REL*, REL{n,m}, A|B, ^REL, (A|B)+)\n  \
             Relation paths in a pattern: `+` one or more hops, `*` zero or more (every entity reaches\n  \
             itself), `{n,m}` n to m hops (`{n}` exactly, `{n,}` at least), `a|b` one hop by either,\n  \
             `^a` backwards. `^` binds tightest, then the quantifier, then `|`: group with ( ).\n  \
             Rows are distinct (start, end) pairs, as in SPARQL; each carries the facts of one\n  \
             shortest walk, every hop in the time scope. `via` takes `a|b` as `a, b`.\n  \
             e.g. match ?x located_in+ homs_province select ?x\n       \
             match ?a attacked|fights|shelled ?b where ?a.kind = actor and ?b.kind = actor\n       \
             match ?e (located_in|part_of){1,3} syria select ?e\n       \
             neighbors ISIL via attacked|shelled\n"
            .to_string(),
        "match" => format!(
            "match PATTERN, ... [where COND] [group by ?k AGG, ...] [select ?var, ... | count]\n      \
             [order by KEY [asc|desc], ...] [limit N [offset M]]\n  \
             A join over triple patterns; ?variables bind entities or relations, and `as ?f` after a\n  \
             pattern names its fact. Rows are distinct, sorted, carry every fact behind them, and\n  \
             stop at 10,000 with a note; `count` gives their number instead. What a match holds\n  \
             counts against the memory limit (`set limit memory`). `help filters`, `help not`,\n  \
             `help group`, `help order` and `help paths` tell the clauses.\n  \
             e.g. match {a} {rel} ?x\n       match ?who {rel} ?x, ?x located_in ?where\n       \
             match ?who {rel} ?x select ?who count\n       \
             match ?who {rel} ?x as ?f where ?f.when during 2017 select ?f order by ?f.when\n"
        ),
        "filters" | "conditions" => "match PATTERNS where CONDITION\n  \
             Keeps the rows for which CONDITION holds: comparisons joined by `and`, `or`, `not` and\n  \
             parentheses. `=` `!=` `<` `<=` `>` `>=`, `in [a, b]`, `contains \"text\"` (any case; on\n  \
             tags and aliases: one of them is the text), `matches \"regex\"`. A fact (`as ?f`) has\n  \
             ?f.when .source .quote .reported_by .note .relation, and the Admiralty grades\n  \
             ?f.reliability (of its source, A-F) and ?f.credibility (1-6); an entity ?x.kind .name\n  \
             .id .tags .aliases .attr(\"key\"). Dates: `?f.when during 2017` (may fall in it), `before 2016-01`\n  \
             (may start before), `after late 2014`; `certainly during|before|after` for the strict\n  \
             reading. Undated facts are never during, before or after anything.\n  \
             e.g. match ?a ?r ?b where ?r in [attacked, shelled] and ?a.kind = actor\n       \
             match ?x ?r ?y as ?f where ?x.tags contains \"town\" and ?f.when certainly before 2016\n"
            .to_string(),
        "not" | "optional" => "match PATTERNS, not { PATTERNS [where COND] }, optional { PATTERNS [where COND] }\n  \
             `not` keeps the rows for which the block finds no match; `optional` adds the block's\n  \
             variables where it matches and leaves them empty (`-`, null in JSON) where it does not.\n  \
             e.g. match ?a besieges ?b, not { ?x besieges ?a } select ?a\n       \
             match ?x recaptured ?p, optional { ?p located_in ?region }\n"
            .to_string(),
        "group" | "group by" => "match PATTERNS group by KEY, ... [AGGREGATE as ?name, ...]\n  \
             One row per distinct value of the keys (variables or properties such as ?f.source), with\n  \
             aggregates over each group's rows: `count`, `count distinct ?y`, `min(?f.when)`,\n  \
             `max(?f.when)`, `sample ?y`. Every fact of a group is its evidence.\n  \
             e.g. match ?a ?r ?b as ?f group by ?f.source count as ?n order by ?n desc\n       \
             match ?a ?r ?b as ?f group by ?a count as ?n, max(?f.when) as ?last\n"
            .to_string(),
        "order" | "order by" | "limit" | "offset" => "... order by KEY [asc|desc], ... limit N [offset M]\n  \
             Sorts match rows by columns (or their properties, such as ?f.when), and by `count` in a\n  \
             grouped match; ties keep the usual order. `limit` and `offset` page the rows of `match`,\n  \
             `neighbors` and `timeline`.\n  \
             e.g. match ?a ?r ?b group by ?a count as ?n order by ?n desc, ?a limit 5\n       \
             neighbors ISIL limit 5 offset 5\n"
            .to_string(),
        "why" => format!(
            "why ENTITY REL ENTITY\n  The facts that state the claim, with dates, sources, quotes and notes; if none does,\n  \
             the facts that link the two directly, or else the shortest path between them.\n  \
             e.g. why {a} {rel} {b}\n"
        ),
        "show" => format!(
            "show ENTITY\n  Kind, aliases, attributes, who held it (from `starts_state` relations), every fact in\n  \
             and out, dated.\n  e.g. show {b}\n       show {b} at 2016-01\n"
        ),
        "timeline" => format!(
            "timeline [ENTITY] [from DATE] [to DATE]\n  Dated facts in order of their earliest possible day.\n  \
             e.g. timeline {a}\n       timeline from 2017-07 to 2017-08\n"
        ),
        "questions" | "who" | "what" | "when" | "where" => format!(
            "who REL ENTITY                 match ?who REL ENTITY      (or what REL ENTITY)\n\
             what did ENTITY REL            match ENTITY REL ?what     (or who did; does, do)\n\
             when did ENTITY REL ENTITY     why ENTITY REL ENTITY      (or did ENTITY REL ENTITY)\n\
             where is ENTITY                show ENTITY                (or who is, what is)\n  \
             A question runs as the query beside it, and the answer says so. A relation may be asked\n  \
             in its plain form when only its -d, -ed or -s form is a relation (broker: brokered).\n  \
             Any question may end in `at DATE`.\n  \
             e.g. who {rel} {b}\n       what did {a} {rel}\n"
        ),
        "changes" => format!(
            "changes [ENTITY]\n  Transitions of state (`starts_state` relations, such as `controls`), in date order: the\n  \
             place, who held it before (or nobody, or unknown), who after, when, and the facts behind\n  \
             each. With ENTITY, the changes of that place, or of the places it held or lost. `as of`\n  \
             reports name a holder but no change, so they start no transition of their own.\n  \
             e.g. changes during 2017\n       changes {a}\n       changes {b} during 2015..2017\n"
        ),
        "conflicts" => format!(
            "conflicts [ENTITY]\n  Facts that cannot all be true, each with both facts, their sources (id, publisher,\n  \
             grades, publication date) and their quotes: the same claim on days that cannot meet\n  \
             (disjoint_dates); a capture by the side already holding the place (held_already); two\n  \
             sides holding one place as of the same days, or the side a capture displaced still\n  \
             holding it after (two_holders); relations declared\n  \
             `contradicts`, such as claimed and denied, at dates that meet (contradictory); a fact\n  \
             dated after its source appeared (after_publication). With ENTITY, those with a fact\n  \
             about it; in a time clause, those with a fact in it. `check --conflicts` reports the same.\n  \
             e.g. conflicts\n       conflicts {b}\n       conflicts during 2017\n"
        ),
        "entities" => "entities [kind KIND] [matching TEXT]\n  Lists entities; TEXT matches ids, names, aliases and tags.\n  e.g. entities kind place matching homs\n".to_string(),
        "search" => format!(
            "search TEXT [in quotes|names|notes] [mentioning ENTITY] [limit N]\n  \
             Quotes, notes, names and aliases holding the words of TEXT, best first (BM25): texts\n  \
             holding them side by side come first, then those holding more of them. Case, accents\n  \
             and the endings -s, -es, -ies, -ed and -ing do not matter (captures finds captured).\n  \
             `in` looks in one field; `mentioning` keeps facts with ENTITY as subject or object;\n  \
             `limit` shows N hits ({} unless given). Matched words are shown in [brackets].\n  \
             e.g. search \"withdrew from\" in quotes\n       search \"withdrew\" in quotes mentioning {a}\n",
            crate::query::eval::search::DEFAULT_SEARCH_LIMIT
        ),
        "relations" => "relations\n  The vocabulary: name / inverse, family (<), state changes, fact counts.\n".to_string(),
        "sources" => "sources\n  The sources facts cite, with fact counts.\n".to_string(),
        "stats" => "stats\n  Size and shape of the loaded graph.\n".to_string(),
        "at" => format!(
            "QUERY at DATE\n  Answers from the graph as it stood at DATE. An event stands once it may have happened;\n  \
             a span (2015..2017-03, since, until) while it may last; an `as of` statement on its date,\n  \
             not before, and after it only carried forward: marked `last reported DATE`. A fact that\n  \
             stands for some of the days a date may denote but not all is marked `(possibly)`.\n  \
             Dates: 2017-08-06 (or 6 August 2017), 2015-05 (or May 2015), 2014, late 2014 (Sep-Dec),\n  \
             mid 2016, early 2017, 2015..2017-03, since 2015, until 2017-03, as of 2017-08-06,\n  \
             by 2017-08-03. `at`, `during` and `reported` end a query, in any order.\n  \
             e.g. show {b} at 2016-01\n       show {b} at 6 August 2017\n       neighbors {b} at 2017-08 during 2017\n"
        ),
        "during" => format!(
            "QUERY during PERIOD\n  Answers from the dated facts that may fall in PERIOD, any date form; those that only\n  \
             may (a month-dated fact in a period of days) are marked `(possibly)`. Undated facts fall\n  \
             in no period. Works with every query; `stats` counts the facts in scope.\n  \
             e.g. timeline {b} during 2017\n       match ?a {rel} ?b during 2017-07..2017-08-06\n       \
             stats during late 2014\n  See also: set during, --during on query, run and export.\n"
        ),
        "reported" => format!(
            "QUERY reported DATE\n  Answers from what the press had said by DATE: facts whose source was published after\n  \
             DATE are hidden. With `at`, it asks what was said by one date about another.\n  \
             e.g. neighbors {b} at 2017-03-01 reported 2017-03-05\n       show {b} reported 2017-08-06\n  \
             See also: set reported, --reported on query, run and export.\n"
        ),
        "set" => format!(
            "set format {}\nset at DATE | set at none   (a time slice for every query)\n\
             set during PERIOD | set during none   (only facts that may fall in PERIOD)\n\
             set reported DATE | set reported none (only what was published by DATE)\n  \
             A query's own at, during and reported override these one by one.\n  \
             e.g. set during 2017\n       set reported 2017-08-06\n\
             set evidence {}\n  \
             How text answers show the quotes behind their rows: each quote once, numbered, under\n  \
             the answer (footnotes, the default); under every row with its file:line (full); one line\n  \
             cut to the width (short); or not at all (off).\nset pager on|off\n\
             set limit memory SIZE        (what one query may build beyond the graph: {} unless\n                             \
             set; KB, MB, GB, TB; a query that reaches it stops with a note)\n",
            AnswerFormat::choices(),
            Evidence::choices(),
            crate::query::size_text(crate::query::eval::DEFAULT_MEMORY_LIMIT)
        ),
        "load" => "load FILE|DIR\n  Adds a fact file, or every *.ron under a folder, to the graph; if the result does not\n  validate, the old graph stays.\n".to_string(),
        "reload" => "reload\n  Re-reads the loaded files, and the folders for files added or removed, and says what\n  changed; if they no longer validate, the errors are shown and the old graph stays.\n".to_string(),
        "export" => format!(
            "export [{}] FILE [force] [QUERY | focus ENTITY [depth N]]\n  Writes the whole graph, the part a query's answer touches, or an ego picture: ENTITY,\n  \
             what lies within N steps of it (1 unless given) and the facts between. Without a format,\n  \
             the ending of FILE names it ({}).\n  \
             An existing FILE is replaced only with `force`, or if this session wrote it; a loaded\n  \
             fact file or the running script never is.\n  \
             e.g. export answer.svg path {a} to {b}\n       export around.png focus {a} depth 2\n",
            ExportFormat::choices(),
            ExportFormat::extension_list()
        ),
        "timing" => "timing on|off\n  Shows the time each query took.\n".to_string(),
        "quit" | "exit" => "quit (or exit, or Ctrl-D)\n".to_string(),
        "help" => format!("help [TOPIC]\n  The language in brief, or one topic: {}\n", topics().join(", ")),
        other => return Err(format!("no help on `{}`", crate::query::clipped(other))),
    };
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::GraphSpec;

    #[test]
    fn every_topic_and_every_command_has_help() {
        let graph = GraphSpec::new(Vec::new()).load(&[]).unwrap();
        for topic in topics().into_iter().chain(COMMANDS.iter().copied()) {
            assert!(help(&graph, Some(topic)).is_ok(), "no help on {topic}");
        }
        assert!(help(&graph, Some("nonsense")).is_err());
    }

    #[test]
    fn time_clauses_have_help_with_examples_and_their_settings() {
        let graph = GraphSpec::new(Vec::new()).load(&[]).unwrap();
        for (topic, words) in [
            ("during", ["during PERIOD", "(possibly)", "set during"]),
            (
                "reported",
                ["reported DATE", "at 2017-03-01 reported", "set reported"],
            ),
            (
                "at",
                ["as of 2017-08-06", "last reported DATE", "(possibly)"],
            ),
            (
                "set",
                ["set during PERIOD", "set reported DATE", "set during 2017"],
            ),
        ] {
            let text = help(&graph, Some(topic)).unwrap();
            for word in words {
                assert!(text.contains(word), "help {topic} lacks {word}:\n{text}");
            }
        }
    }

    #[test]
    fn usage_lines_list_every_format() {
        let graph = GraphSpec::new(Vec::new()).load(&[]).unwrap();
        let (set, export) = (help(&graph, Some("set")), help(&graph, Some("export")));
        for f in AnswerFormat::ALL {
            assert!(set.as_ref().is_ok_and(|t| t.contains(f.name())), "{f}");
        }
        for f in ExportFormat::ALL {
            assert!(export.as_ref().is_ok_and(|t| t.contains(f.name())), "{f}");
        }
    }
}
