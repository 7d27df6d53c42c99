//! Passes over the loop IR, run in the order listed in [`run`]. Each is a plain function.

pub mod mapping;

use crate::ir;
pub use mapping::{HostStmt, Kernel, Mapped};

/// Runs every pass on one lowered function.
pub fn run(func: ir::Function) -> Result<Mapped, Vec<mapping::Error>> {
    let mapped = mapping::map(func)?;
    debug_assert!(
        ir::validate(&mapped.func).is_ok(),
        "mapping broke the IR of `{}`",
        mapped.func.name
    );
    Ok(mapped)
}
