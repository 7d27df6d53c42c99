//! Computes `out = A b` with the kernels of examples/mv_f32, linked in by build.rs, and checks
//! the result against a loop on the CPU. Prints `OK` (exit status 0), or `MISMATCH` (1); an
//! error, such as no GPU, is printed with exit status 2.
//!
//! Usage: `rust-mv [N M]` (default 1000 × 777).

use std::process::ExitCode;

use parpy_runtime::{DeviceBuffer, Stream};

// `mod mv_f32`, with `mv_f32::mv(...)` and `mv_f32::RUNTIME`.
parpy_runtime::include_kernels!(mod mv_f32);

fn main() -> ExitCode {
    match run() {
        Ok(true) => {
            println!("OK");
            ExitCode::SUCCESS
        }
        Ok(false) => {
            println!("MISMATCH");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<bool, Box<dyn std::error::Error>> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    let (n, m) = match args[..] {
        [n, m] => (n, m),
        [] => (1000, 777),
        _ => return Err("usage: rust-mv [N M]".into()),
    };
    let rt = &mv_f32::RUNTIME;
    let mut ok = true;

    // The tutorial's numbers first.
    let a = DeviceBuffer::from_slice(rt, &[2.5f32, 3.5, 1.5, 0.5], &[2, 2])?;
    let b = DeviceBuffer::from_slice(rt, &[2.0f32, 1.0], &[2])?;
    let mut out = DeviceBuffer::<f32>::zeros(rt, &[2])?;
    mv_f32::mv(&a, &b, &mut out, 2, Stream::DEFAULT)?;
    let small = out.to_vec()?; // waits for the kernel
    println!("mv([[2.5, 3.5], [1.5, 0.5]], [2, 1]) = {small:?} (expected [8.5, 3.5])");
    ok &= small == [8.5, 3.5];

    // A shape that contradicts the spec is refused before anything is launched.
    let mut wrong = DeviceBuffer::<f32>::zeros(rt, &[3])?;
    match mv_f32::mv(&a, &b, &mut wrong, 2, Stream::DEFAULT) {
        Err(e) => println!("a wrong shape is refused: {e}"),
        Ok(()) => {
            println!("a wrong shape was not refused");
            ok = false;
        }
    }

    // Then a larger product, checked against the CPU.
    let a_host: Vec<f32> = (0..n * m)
        .map(|i| ((i * 7 + 3) % 17) as f32 / 8.0 - 1.0)
        .collect();
    let b_host: Vec<f32> = (0..m)
        .map(|j| ((j * 5 + 1) % 13) as f32 / 6.0 - 1.0)
        .collect();
    let a = DeviceBuffer::from_slice(rt, &a_host, &[n, m])?;
    let b = DeviceBuffer::from_slice(rt, &b_host, &[m])?;
    let mut out = DeviceBuffer::<f32>::zeros(rt, &[n])?;
    mv_f32::mv(&a, &b, &mut out, n as i64, Stream::DEFAULT)?;
    let got = out.to_vec()?;
    let max_err = (0..n)
        .map(|i| {
            let want: f64 = (0..m)
                .map(|j| f64::from(a_host[i * m + j]) * f64::from(b_host[j]))
                .sum();
            (f64::from(got[i]) - want).abs() / want.abs().max(1.0)
        })
        .fold(0.0, f64::max);
    println!(
        "mv of {n} x {m}: out[..4] = {:?}, max relative error against the CPU {max_err:.2e}",
        &got[..n.min(4)]
    );
    ok &= max_err < 1e-4;
    Ok(ok)
}
