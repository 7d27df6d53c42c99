//! Two generated modules in one binary: `mv_f32::mv` and `sum_rows::sum_rows` on the same
//! matrix, with a buffer allocated by one module passed to the other. Prints `OK` (exit
//! status 0), or `MISMATCH` (1); an error, such as no GPU, is printed with exit status 2.

use std::process::ExitCode;

use parpy_runtime::{DeviceBuffer, Stream};

parpy_runtime::include_kernels!(mod mv_f32);
parpy_runtime::include_kernels!(mod sum_rows);

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

fn run() -> Result<bool, parpy_runtime::Error> {
    let (n, m) = (300, 517);
    let x_host: Vec<f32> = (0..n * m).map(|i| (i % 13) as f32 - 5.0).collect();
    // The matrix belongs to mv_f32's runtime; sum_rows reads it too.
    let x = DeviceBuffer::from_slice(&mv_f32::RUNTIME, &x_host, &[n, m])?;
    let ones = DeviceBuffer::from_slice(&mv_f32::RUNTIME, &vec![1.0f32; m], &[m])?;
    let mut by_mv = DeviceBuffer::<f32>::zeros(&mv_f32::RUNTIME, &[n])?;
    let mut by_sum = DeviceBuffer::<f32>::zeros(&sum_rows::RUNTIME, &[n])?;
    mv_f32::mv(&x, &ones, &mut by_mv, n as i64, Stream::DEFAULT)?;
    sum_rows::sum_rows(&x, &mut by_sum, n as i64, Stream::DEFAULT)?;
    let (by_mv, by_sum) = (by_mv.to_vec()?, by_sum.to_vec()?);
    let want: Vec<f32> = (0..n)
        .map(|i| x_host[i * m..(i + 1) * m].iter().sum())
        .collect();
    println!("row sums by mv_f32::mv:         {:?}", &by_mv[..4]);
    println!("row sums by sum_rows::sum_rows: {:?}", &by_sum[..4]);
    println!("row sums on the CPU:            {:?}", &want[..4]);
    // Small integers: every order of summation is exact.
    Ok(by_mv == want && by_sum == want)
}
