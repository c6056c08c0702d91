//! Long answers go through a pager when a person reads them on a terminal, so the start of a
//! thousand-row table does not scroll away.

use std::io::{self, Write};
use std::process::{Command, Stdio};

const DEFAULT_PAGER: &str = "less -FRX";

/// Rows `text` takes on a screen `columns` wide, long lines wrapping.
pub fn height(text: &str, columns: usize) -> usize {
    let columns = columns.max(1);
    text.lines()
        .map(|l| l.chars().count().div_ceil(columns).max(1))
        .sum()
}

/// Writes `text` to stdout, through `$PAGER` (default `less -FRX`) when `screen` (columns, rows of
/// the terminal stdout is) is too short for it. A pager that cannot start means plain output.
pub fn show(text: &str, screen: Option<(usize, usize)>) -> io::Result<()> {
    if let Some((columns, rows)) = screen {
        // One row stays for the prompt that follows.
        if height(text, columns) >= rows && page(text).is_ok() {
            return Ok(());
        }
    }
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

fn page(text: &str) -> io::Result<()> {
    let command = std::env::var("PAGER")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_PAGER.to_string());
    // $PAGER is a shell command line (`less -R`, `bat --paging=always`), as git reads it.
    let mut child = if cfg!(unix) {
        Command::new("sh")
            .arg("-c")
            .arg(&command)
            .stdin(Stdio::piped())
            .spawn()?
    } else {
        let mut words = command.split_whitespace();
        let program = words.next().unwrap_or("more");
        Command::new(program)
            .args(words)
            .stdin(Stdio::piped())
            .spawn()?
    };
    if let Some(mut stdin) = child.stdin.take() {
        match stdin.write_all(text.as_bytes()) {
            // The reader quit the pager before the end: that is not a failure.
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(e),
            _ => {}
        }
    }
    let status = child.wait()?;
    // `sh` answers 126/127 for a pager it could not run; then nothing was shown.
    match status.code() {
        Some(126 | 127) => Err(io::Error::other(format!("pager `{command}` did not run"))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_and_blank_lines_count() {
        assert_eq!(height("ab\n\ncdef\n", 2), 4);
        assert_eq!(height("", 80), 0);
    }
}
