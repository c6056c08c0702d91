//! Pictures: the dot export piped through Graphviz's `dot`, which draws far better than we could.

use super::{ExportError, ExportFormat};
use std::io::{Read, Write};
use std::process::{Command, Stdio};

/// The program that renders; overridable so tests can point at a missing one.
pub const DOT_PROGRAM_ENV: &str = "FACTGRAPH_DOT";

/// Runs `dot -T<format>` over `dot_text` and returns the picture's bytes. Cost: one process.
pub fn render(dot_text: &[u8], format: ExportFormat) -> Result<Vec<u8>, ExportError> {
    let program = std::env::var_os(DOT_PROGRAM_ENV).unwrap_or_else(|| "dot".into());
    let mut child = Command::new(&program)
        .arg(format!("-T{}", format.name()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ExportError::GraphvizMissing { format },
            _ => ExportError::io(None, e),
        })?;
    let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        return Err(ExportError::io(
            None,
            std::io::Error::other("could not connect to `dot`"),
        ));
    };
    // Feed, drain and collect at once: a large graph would otherwise fill a pipe and deadlock.
    let (written, image, messages) = std::thread::scope(|s| {
        let writer = s.spawn(move || stdin.write_all(dot_text));
        let errors = s.spawn(move || {
            let mut text = String::new();
            stderr.read_to_string(&mut text).map(|_| text)
        });
        let mut image = Vec::new();
        let read = stdout.read_to_end(&mut image).map(|_| image);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("writer thread failed")));
        let messages = errors
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("reader thread failed")));
        (written, read, messages)
    });
    let status = child.wait()?;
    let messages = messages.unwrap_or_default();
    if !status.success() {
        return Err(ExportError::Graphviz {
            status: status.code(),
            stderr: messages,
        });
    }
    // A broken pipe means `dot` stopped reading; its exit status above says why.
    written?;
    Ok(image?)
}
