//! Passes over the loop IR, run in the order listed in [`run`]. Each is a plain function.

mod carried;
pub mod fusion;
pub mod liveness;
pub mod mapping;
pub mod split;

use crate::ir;
pub use mapping::{HostStmt, Kernel, Mapped};

/// Runs every pass on one lowered function.
pub fn run(func: ir::Function) -> Result<Mapped, Vec<mapping::Error>> {
    let mut mapped = mapping::map(func)?;
    fusion::run(&mapped.func, &mut mapped.kernels);
    for k in &mut mapped.kernels {
        k.row_in_block = mapping::row_in_block(k);
    }
    split::run(&mut mapped.func, &mut mapped.kernels);
    debug_assert!(
        ir::validate(&mapped.func).is_ok(),
        "mapping broke the IR of `{}`",
        mapped.func.name
    );
    Ok(mapped)
}
