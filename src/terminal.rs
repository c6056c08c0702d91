//! What the terminal in front of the user is like, asked once at the edge so that rendering can
//! take it as data: how many columns it has, if standard output is one.

use std::io::IsTerminal;

/// The columns to fit text answers to: `COLUMNS` if it holds a number, else the terminal's own
/// width; `None` when standard output is not a terminal, so that pipes and files get whole lines.
pub fn width() -> Option<usize> {
    let terminal = std::io::stdout().is_terminal();
    let columns = std::env::var("COLUMNS").ok();
    choose(terminal, columns.as_deref(), || {
        terminal_size::terminal_size().map(|(width, _)| usize::from(width.0))
    })
}

/// Whether to colour output: standard output is a terminal and `NO_COLOR` is unset or empty.
pub fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The choice [`width`] makes, apart from asking the system.
fn choose(
    terminal: bool,
    columns: Option<&str>,
    measured: impl FnOnce() -> Option<usize>,
) -> Option<usize> {
    if !terminal {
        return None;
    }
    // A terminal that reports no size (a fresh pseudo-terminal) is no reason to wrap at zero.
    let usable = |c: &usize| *c > 0;
    columns
        .and_then(|c| c.trim().parse().ok())
        .filter(usable)
        .or_else(|| measured().filter(usable))
}

#[cfg(test)]
mod tests {
    use super::choose;

    #[test]
    fn only_a_terminal_has_a_width_and_columns_overrides_it() {
        assert_eq!(choose(false, Some("100"), || Some(120)), None);
        assert_eq!(choose(true, Some("100"), || Some(120)), Some(100));
        assert_eq!(choose(true, None, || Some(120)), Some(120));
        // A value that is no width is ignored, not trusted.
        assert_eq!(choose(true, Some("wide"), || Some(120)), Some(120));
        assert_eq!(choose(true, Some("0"), || None), None);
        assert_eq!(choose(true, None, || Some(0)), None);
    }
}
