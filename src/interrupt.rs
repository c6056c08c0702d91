//! The process's one handler for SIGINT, SIGTERM and SIGHUP (the operating system keeps one per
//! signal): it removes unfinished output files and ends the process, unless a running query or
//! script has asked to be stopped instead.
//!
//! Without it, an interrupted export or generate would leave its temporary file behind, since a
//! process ended by a signal runs no destructors.

use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

/// The exit status after an interrupt, as shells report a process ended by SIGINT.
pub const EXIT_STATUS: i32 = 130;

/// What to do about a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Response {
    /// The work in progress was told to stop, and will end or return to the prompt by itself.
    Stopping,
    /// Remove unfinished files and end the process now.
    Exit,
}

type Callback = Box<dyn FnMut() -> Response + Send>;

static CALLBACK: Mutex<Option<Callback>> = Mutex::new(None);
static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();

fn callback() -> MutexGuard<'static, Option<Callback>> {
    CALLBACK.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Installs the handler; later calls only report how the first went.
pub fn install() -> Result<(), String> {
    INSTALLED
        .get_or_init(|| ctrlc::set_handler(on_signal).map_err(|e| e.to_string()))
        .clone()
}

fn on_signal() {
    let response = callback().as_mut().map_or(Response::Exit, |f| f());
    if response == Response::Exit {
        crate::output::remove_unfinished();
        std::process::exit(EXIT_STATUS);
    }
}

/// While the returned guard lives, a signal goes to `on_signal` first, which decides.
#[must_use = "the callback is removed when the guard is dropped"]
pub fn divert(on_signal: impl FnMut() -> Response + Send + 'static) -> Diversion {
    *callback() = Some(Box::new(on_signal));
    Diversion(())
}

/// Keeps a callback of [`divert`] in place.
pub struct Diversion(());

impl Drop for Diversion {
    fn drop(&mut self) {
        *callback() = None;
    }
}
