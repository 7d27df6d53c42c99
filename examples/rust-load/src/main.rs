//! Loads `libmv.so` (built by `parpyc build examples/mv/mv.py --spec examples/mv/mv.toml
//! --compile`) with the runtime crate, computes `out = A b` with its `mv_parpy` and checks the
//! result against a loop on the CPU. Prints `OK` (exit status 0), or `MISMATCH` (1); an error,
//! such as no GPU or no library, is printed with exit status 2.
//!
//! Usage: `rust-load path/to/libmv.so [N M]` (default 1000 × 777).

use std::ffi::c_void;
use std::process::ExitCode;

use parpy_runtime::bind::{Dim, Shapes};
use parpy_runtime::{DeviceBuffer, Error, Library, Stream};

/// `int32_t mv_mv_parpy(const double* A, const double* b, double* out, int64_t N, int64_t M,
/// void* stream);` from `mv.h`.
type MvParpy = unsafe extern "C" fn(*const f64, *const f64, *mut f64, i64, i64, *mut c_void) -> i32;

/// `mv_parpy(A, b, out, N)` with the checks of `mv.toml`:
/// `A = "f64[N, M]", b = "f64[M]", out = "f64[N]", N = "i64"`.
fn mv_parpy(
    lib: &Library,
    a: &DeviceBuffer<f64>,
    b: &DeviceBuffer<f64>,
    out: &mut DeviceBuffer<f64>,
    n: i64,
    stream: Stream,
) -> Result<(), Error> {
    let mut shapes = Shapes::new("mv_parpy");
    shapes.scalar("N", n);
    shapes.array(
        "A",
        "f64[N, M]",
        a.shape(),
        &[Dim::Symbol("N"), Dim::Symbol("M")],
    )?;
    shapes.array("b", "f64[M]", b.shape(), &[Dim::Symbol("M")])?;
    shapes.array("out", "f64[N]", out.shape(), &[Dim::Symbol("N")])?;
    let m = shapes.symbol("M")?;
    // SAFETY: `MvParpy` is the declaration of `mv.h`, the library is the one built from
    // mv.py (the promise made to `Library::open`), and the shapes were checked above.
    let status = unsafe {
        let f = lib.get::<MvParpy>("mv_parpy")?;
        f(
            a.as_ptr(),
            b.as_ptr(),
            out.as_mut_ptr(),
            n,
            m,
            stream.as_raw(),
        )
    };
    lib.runtime().check(status, "mv_parpy")
}

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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: rust-load path/to/libmv.so [N M]";
    let path = args.first().ok_or(usage)?;
    let (n, m) = match &args[1..] {
        [n, m] => (n.parse()?, m.parse()?),
        [] => (1000usize, 777usize),
        _ => return Err(usage.into()),
    };
    // SAFETY: the user names a library built by `parpyc build --compile` from mv.py.
    let lib = unsafe { Library::open(path)? };
    println!(
        "loaded {} (module `{}`)",
        lib.path().display(),
        lib.prefix()
    );
    let rt = lib.runtime();
    let mut ok = true;

    // The tutorial's numbers first.
    let a = DeviceBuffer::from_slice(rt, &[2.5, 3.5, 1.5, 0.5], &[2, 2])?;
    let b = DeviceBuffer::from_slice(rt, &[2.0, 1.0], &[2])?;
    let mut out = DeviceBuffer::<f64>::zeros(rt, &[2])?;
    mv_parpy(&lib, &a, &b, &mut out, 2, Stream::DEFAULT)?;
    let small = out.to_vec()?; // waits for the kernel
    println!("mv_parpy([[2.5, 3.5], [1.5, 0.5]], [2, 1]) = {small:?} (expected [8.5, 3.5])");
    ok &= small == [8.5, 3.5];

    // Then a larger product, checked against the CPU.
    let a_host: Vec<f64> = (0..n * m)
        .map(|i| ((i * 7 + 3) % 17) as f64 / 8.0 - 1.0)
        .collect();
    let b_host: Vec<f64> = (0..m)
        .map(|j| ((j * 5 + 1) % 13) as f64 / 6.0 - 1.0)
        .collect();
    let a = DeviceBuffer::from_slice(rt, &a_host, &[n, m])?;
    let b = DeviceBuffer::from_slice(rt, &b_host, &[m])?;
    let mut out = DeviceBuffer::<f64>::zeros(rt, &[n])?;
    mv_parpy(&lib, &a, &b, &mut out, n as i64, Stream::DEFAULT)?;
    let got = out.to_vec()?;
    let max_err = (0..n)
        .map(|i| {
            let want: f64 = (0..m).map(|j| a_host[i * m + j] * b_host[j]).sum();
            (got[i] - want).abs() / want.abs().max(1.0)
        })
        .fold(0.0, f64::max);
    println!(
        "mv_parpy of {n} x {m}: out[..4] = {:?}, max relative error against the CPU {max_err:.2e}",
        &got[..n.min(4)]
    );
    ok &= max_err < 1e-12;
    Ok(ok)
}
