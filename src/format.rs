//! The formats answers and exports are written in, kept in one leaf module so that the grammar
//! (`set format`, `export`), clap, `help` and completion all read the same lists, and neither the
//! query layer nor the exporters need to import the other to name a format.

use clap::builder::PossibleValue;
use clap::ValueEnum;
use std::fmt;

/// How an answer is printed (`--format`, `set format ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnswerFormat {
    Text,
    Json,
    Jsonl,
    Tsv,
    Csv,
    Markdown,
}

impl AnswerFormat {
    pub const ALL: [AnswerFormat; 6] = [
        AnswerFormat::Text,
        AnswerFormat::Json,
        AnswerFormat::Jsonl,
        AnswerFormat::Tsv,
        AnswerFormat::Csv,
        AnswerFormat::Markdown,
    ];

    pub fn name(self) -> &'static str {
        match self {
            AnswerFormat::Text => "text",
            AnswerFormat::Json => "json",
            AnswerFormat::Jsonl => "jsonl",
            AnswerFormat::Tsv => "tsv",
            AnswerFormat::Csv => "csv",
            AnswerFormat::Markdown => "markdown",
        }
    }

    /// The format named `name` (any case).
    pub fn from_name(name: &str) -> Option<AnswerFormat> {
        AnswerFormat::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// `text|json|...`, for usage lines.
    pub fn choices() -> String {
        AnswerFormat::ALL.map(AnswerFormat::name).join("|")
    }
}

/// A file format of `export`. Images are dot rendered by Graphviz.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    Dot,
    Graphml,
    Json,
    Ntriples,
    Cypher,
    Csv,
    Svg,
    Png,
    Pdf,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 9] = [
        ExportFormat::Dot,
        ExportFormat::Graphml,
        ExportFormat::Json,
        ExportFormat::Ntriples,
        ExportFormat::Cypher,
        ExportFormat::Csv,
        ExportFormat::Svg,
        ExportFormat::Png,
        ExportFormat::Pdf,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Dot => "dot",
            ExportFormat::Graphml => "graphml",
            ExportFormat::Json => "json",
            ExportFormat::Ntriples => "ntriples",
            ExportFormat::Cypher => "cypher",
            ExportFormat::Csv => "csv",
            ExportFormat::Svg => "svg",
            ExportFormat::Png => "png",
            ExportFormat::Pdf => "pdf",
        }
    }

    /// Whether the format is a picture made by Graphviz's `dot`.
    pub fn is_image(self) -> bool {
        matches!(
            self,
            ExportFormat::Svg | ExportFormat::Png | ExportFormat::Pdf
        )
    }

    /// Whether the bytes are not text, and so would garble a terminal.
    pub fn is_binary(self) -> bool {
        matches!(self, ExportFormat::Png | ExportFormat::Pdf)
    }

    /// The file name endings that name each format, for inference and for messages. CSV has none:
    /// it is written to a directory, which has no ending to read.
    pub const EXTENSIONS: [(&'static str, ExportFormat); 10] = [
        ("dot", ExportFormat::Dot),
        ("gv", ExportFormat::Dot),
        ("graphml", ExportFormat::Graphml),
        ("json", ExportFormat::Json),
        ("nt", ExportFormat::Ntriples),
        ("ntriples", ExportFormat::Ntriples),
        ("cypher", ExportFormat::Cypher),
        ("svg", ExportFormat::Svg),
        ("png", ExportFormat::Png),
        ("pdf", ExportFormat::Pdf),
    ];

    /// The format a file name's ending names (`z.PNG` is png), if it names one.
    pub fn from_file_name(name: &str) -> Option<ExportFormat> {
        let (stem, ending) = name.rsplit_once('.')?;
        // `.png` alone, or `dir.d/png`, is not a file ending.
        if stem.is_empty() || stem.ends_with(['/', '\\']) || ending.contains(['/', '\\']) {
            return None;
        }
        ExportFormat::EXTENSIONS
            .into_iter()
            .find(|(e, _)| e.eq_ignore_ascii_case(ending))
            .map(|(_, f)| f)
    }

    /// `.dot .gv .graphml ...`, for messages.
    pub fn extension_list() -> String {
        ExportFormat::EXTENSIONS
            .map(|(e, _)| format!(".{e}"))
            .join(" ")
    }

    /// The format named `name` (any case).
    pub fn from_name(name: &str) -> Option<ExportFormat> {
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// `dot|graphml|...`, for usage lines.
    pub fn choices() -> String {
        ExportFormat::ALL.map(ExportFormat::name).join("|")
    }
}

/// How much of the evidence behind each fact a text answer shows (`--evidence`, `set evidence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Evidence {
    /// Each distinct quote once, listed under the answer; the rows that rest on it end with `[n]`.
    #[default]
    Footnotes,
    /// Under every row its quote, source and `file:line`: what a curator checks against the file.
    Full,
    /// Under every row one line: source, date and the quote cut to fit.
    Short,
    /// As `full`, with each quote shown inside its sentence where the source has its text.
    Context,
    Off,
}

impl Evidence {
    pub const ALL: [Evidence; 5] = [
        Evidence::Footnotes,
        Evidence::Full,
        Evidence::Short,
        Evidence::Context,
        Evidence::Off,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Evidence::Footnotes => "footnotes",
            Evidence::Full => "full",
            Evidence::Short => "short",
            Evidence::Context => "context",
            Evidence::Off => "off",
        }
    }

    /// The mode named `name` (any case).
    pub fn from_name(name: &str) -> Option<Evidence> {
        Evidence::ALL
            .into_iter()
            .find(|e| e.name().eq_ignore_ascii_case(name))
    }

    /// `footnotes|full|...`, for usage lines.
    pub fn choices() -> String {
        Evidence::ALL.map(Evidence::name).join("|")
    }
}

impl fmt::Display for AnswerFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// clap offers, checks and suggests `--format` values from [`AnswerFormat::ALL`].
impl ValueEnum for AnswerFormat {
    fn value_variants<'a>() -> &'a [AnswerFormat] {
        &AnswerFormat::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()))
    }
}

/// clap offers, checks and suggests `--evidence` values from [`Evidence::ALL`].
impl ValueEnum for Evidence {
    fn value_variants<'a>() -> &'a [Evidence] {
        &Evidence::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()))
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// clap offers, checks and suggests export formats from [`ExportFormat::ALL`], aliases included.
impl ValueEnum for ExportFormat {
    fn value_variants<'a>() -> &'a [ExportFormat] {
        &ExportFormat::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let value = PossibleValue::new(self.name());
        Some(match self {
            ExportFormat::Dot => value.alias("gv"),
            ExportFormat::Ntriples => value.aliases(["nt", "n-triples"]),
            _ => value,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_accepts_every_export_format_by_name_and_alias() {
        for f in ExportFormat::ALL {
            assert_eq!(ExportFormat::from_str(f.name(), true), Ok(f));
            assert_eq!(ExportFormat::from_name(&f.name().to_uppercase()), Some(f));
        }
        assert_eq!(
            ExportFormat::from_str("nt", true),
            Ok(ExportFormat::Ntriples)
        );
        assert!(ExportFormat::from_str("docx", true).is_err());
    }

    #[test]
    fn file_endings_name_formats_and_every_format_but_csv_has_one() {
        assert_eq!(
            ExportFormat::from_file_name("out/z.PNG"),
            Some(ExportFormat::Png)
        );
        assert_eq!(
            ExportFormat::from_file_name("a.b.gv"),
            Some(ExportFormat::Dot)
        );
        assert_eq!(
            ExportFormat::from_file_name("x.nt"),
            Some(ExportFormat::Ntriples)
        );
        for none in [
            "z.docx",
            "png",
            ".png",
            "dir.png/",
            "dir.d/png",
            "out/.svg",
            "z.",
        ] {
            assert_eq!(ExportFormat::from_file_name(none), None, "{none}");
        }
        for f in ExportFormat::ALL {
            let named = ExportFormat::EXTENSIONS.iter().any(|&(_, g)| g == f);
            assert_eq!(named, f != ExportFormat::Csv, "{f}");
        }
    }

    #[test]
    fn clap_accepts_exactly_the_answer_formats() {
        for f in AnswerFormat::ALL {
            assert_eq!(AnswerFormat::from_str(f.name(), false), Ok(f));
        }
        assert!(AnswerFormat::from_str("dot", false).is_err());
    }
}
