//! Stop requests: SIGINT and SIGTERM set a flag that long stages check, so a run stops cleanly.
//!
//! The first signal asks the run to stop (staging is removed, exit 130); a
//! second one exits at once, for a user who does not want to wait. A run
//! killed that way leaves staging behind, which the next run removes.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::exit;

static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();

fn shared() -> &'static Arc<AtomicBool> {
    FLAG.get_or_init(|| Arc::new(AtomicBool::new(false)))
}

/// The flag the handlers set: hand it to [`crate::pipeline::analyze_with`].
pub fn flag() -> &'static AtomicBool {
    shared()
}

/// Installs the SIGINT/SIGTERM handlers (once; later calls do nothing).
pub fn install() -> std::io::Result<()> {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    if INSTALLED.get().is_some() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        for sig in [SIGINT, SIGTERM] {
            // Registered first, so it sees the flag as it was before this signal set it.
            signal_hook::flag::register_conditional_shutdown(
                sig,
                exit::INTERRUPTED,
                Arc::clone(shared()),
            )?;
            signal_hook::flag::register(sig, Arc::clone(shared()))?;
        }
    }
    let _ = INSTALLED.set(());
    Ok(())
}

/// True once a stop was requested.
pub fn requested() -> bool {
    flag().load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    #[test]
    fn install_is_idempotent() {
        super::install().unwrap();
        super::install().unwrap();
    }
}
