//! The `parpyc` command: reads the annotated Python file and its spec, runs the compiler library,
//! writes the generated files atomically, and with `--compile` builds `lib<stem>.so` with nvcc.
//! Exit codes: 0 success, 1 diagnostics in the user's input, 2 bad command line or I/O failure.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use parpyc_compiler::{diag, Backend, Input};

#[derive(Parser)]
#[command(
    name = "parpyc",
    version,
    about = "Ahead-of-time compiler for ParPy programs"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Compile FILE.py into GPU source, a C header and a Python module (and a library).
    Build {
        #[command(flatten)]
        common: Common,
        /// Output directory.
        #[arg(
            short = 'o',
            long = "out-dir",
            value_name = "DIR",
            default_value = "build"
        )]
        out_dir: PathBuf,
        /// Also build lib<stem>.so with nvcc (from $NVCC, $CUDA_HOME, $CUDA_PATH or PATH).
        #[arg(long)]
        compile: bool,
        /// CUDA architectures for --compile, comma-separated (default: the spec's cuda_arch, or sm_90).
        #[arg(long, value_name = "sm_90,...", value_delimiter = ',')]
        arch: Vec<String>,
    },
    /// Check FILE.py and its spec and report every diagnostic; writes nothing.
    Check {
        #[command(flatten)]
        common: Common,
    },
}

#[derive(clap::Args)]
struct Common {
    /// The annotated Python file.
    #[arg(value_name = "FILE.py")]
    file: PathBuf,
    /// The parallelization spec (.toml or .json).
    #[arg(long, value_name = "SPEC")]
    spec: PathBuf,
    /// The target backend (overrides the spec's options.backend).
    #[arg(long, value_enum)]
    backend: Option<BackendArg>,
    /// When to color diagnostics.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum BackendArg {
    Cuda,
    Metal,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

/// A failure that is not the user's program: exit code 2.
struct Fatal(anyhow::Error);

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(Fatal(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

impl<E: Into<anyhow::Error>> From<E> for Fatal {
    fn from(e: E) -> Fatal {
        Fatal(e.into())
    }
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))
}

fn run(cli: Cli) -> Result<ExitCode, Fatal> {
    let (common, build) = match cli.command {
        Cmd::Build {
            common,
            out_dir,
            compile,
            arch,
        } => (common, Some((out_dir, compile, arch))),
        Cmd::Check { common } => (common, None),
    };
    let source = read(&common.file)?;
    let spec = read(&common.spec)?;
    let spec_name = common.spec.display().to_string();
    if parpyc_compiler::spec::Format::from_path(&spec_name).is_none() {
        return Err(Fatal(anyhow::anyhow!(
            "the spec `{spec_name}` must end in .toml or .json"
        )));
    }
    let source_name = common.file.display().to_string();
    let stem = common
        .file
        .file_stem()
        .and_then(|s| s.to_str())
        .context("the input file has no usable name")?
        .to_string();
    let input = Input {
        source_name: &source_name,
        source: &source,
        spec_name: &spec_name,
        spec: &spec,
        stem: &stem,
        backend: common.backend.map(|b| match b {
            BackendArg::Cuda => Backend::Cuda,
            BackendArg::Metal => Backend::Metal,
        }),
    };
    let color = match common.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let files = diag::Files {
        source_name: &source_name,
        source: &source,
        spec_name: &spec_name,
        spec: &spec,
    };
    let report = |diags: &[parpyc_compiler::Diagnostic]| {
        eprint!("{}", diag::render(diags, &files, color));
        let n = diags.len();
        eprintln!(
            "error: could not compile `{source_name}` due to {n} error{}",
            if n == 1 { "" } else { "s" }
        );
    };
    let Some((out_dir, compile, arch)) = build else {
        return Ok(match parpyc_compiler::analyze(&input) {
            Ok(_) => {
                eprintln!("    Checked {source_name} with {spec_name}: no errors");
                ExitCode::SUCCESS
            }
            Err(diags) => {
                report(&diags);
                ExitCode::from(1)
            }
        });
    };
    let output = match parpyc_compiler::compile(&input) {
        Ok(o) => o,
        Err(diags) => {
            report(&diags);
            return Ok(ExitCode::from(1));
        }
    };
    let archs = if arch.is_empty() {
        output.spec.options.cuda_arch.clone()
    } else {
        arch
    };
    for a in &archs {
        if !a.starts_with("sm_") {
            return Err(Fatal(anyhow::anyhow!(
                "`{a}` is not a CUDA architecture such as sm_90"
            )));
        }
    }
    write_outputs(&common, &out_dir, &stem, &output, compile, &archs)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes every file into a staging directory inside `out_dir`, builds the library there when
/// asked, and only then moves the files into place: an error leaves `out_dir` as it was.
fn write_outputs(
    common: &Common,
    out_dir: &Path,
    stem: &str,
    output: &parpyc_compiler::Output,
    compile: bool,
    archs: &[String],
) -> Result<()> {
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create `{}`", out_dir.display()))?;
    let inputs: Vec<PathBuf> = [&common.file, &common.spec]
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut names: Vec<String> = output.files.iter().map(|f| f.name.clone()).collect();
    let lib_name = format!("lib{stem}.so");
    if compile {
        names.push(lib_name.clone());
    }
    for n in &names {
        let target = out_dir.join(n);
        if let Ok(c) = target.canonicalize() {
            if inputs.contains(&c) {
                bail!(
                    "refusing to overwrite the input `{}`; choose another output directory with -o",
                    target.display()
                );
            }
        }
    }
    let staging = out_dir.join(format!(".parpyc-staging-{}", std::process::id()));
    std::fs::create_dir_all(&staging)
        .with_context(|| format!("cannot create `{}`", staging.display()))?;
    let result = (|| -> Result<()> {
        for f in &output.files {
            let p = staging.join(&f.name);
            std::fs::write(&p, &f.contents)
                .with_context(|| format!("cannot write `{}`", p.display()))?;
        }
        if compile {
            let spec_dir = common
                .spec
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            nvcc(
                &staging,
                stem,
                &lib_name,
                &output.spec.options,
                &spec_dir,
                archs,
            )?;
        }
        for n in &names {
            let to = out_dir.join(n);
            std::fs::rename(staging.join(n), &to)
                .with_context(|| format!("cannot write `{}`", to.display()))?;
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&staging);
    result?;
    let shown: Vec<String> = names
        .iter()
        .map(|n| out_dir.join(n).display().to_string())
        .collect();
    eprintln!("   Generated {}", shown.join(", "));
    Ok(())
}

/// nvcc runs in the output directory, so a relative path to it (`NVCC=tools/nvcc`,
/// `CUDA_HOME=cuda`) is taken from the directory parpyc was started in, as the user meant it; a
/// bare name (`NVCC=nvcc`) is still looked up on `PATH`.
fn find_nvcc() -> Result<PathBuf> {
    let from_here = |p: PathBuf| std::path::absolute(&p).unwrap_or(p);
    if let Some(p) = std::env::var_os("NVCC") {
        let p = PathBuf::from(p);
        return Ok(if p.components().count() > 1 {
            from_here(p)
        } else {
            p
        });
    }
    for var in ["CUDA_HOME", "CUDA_PATH"] {
        if let Some(home) = std::env::var_os(var) {
            let p = Path::new(&home).join("bin").join("nvcc");
            if p.exists() {
                return Ok(from_here(p));
            }
        }
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let p = dir.join("nvcc");
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    bail!("nvcc not found: set NVCC to its path, set CUDA_HOME, or put nvcc on PATH (`--compile` needs it)")
}

fn nvcc(
    dir: &Path,
    stem: &str,
    lib_name: &str,
    options: &parpyc_compiler::spec::Options,
    spec_dir: &Path,
    archs: &[String],
) -> Result<()> {
    let nvcc = find_nvcc()?;
    let mut cmd = Command::new(&nvcc);
    cmd.current_dir(dir)
        .args(["-O3", "-shared", "-Xcompiler", "-fPIC", "-std=c++17"]);
    for a in archs {
        let n = a.trim_start_matches("sm_");
        cmd.arg(format!("-gencode=arch=compute_{n},code=sm_{n}"));
    }
    for inc in &options.includes {
        let p = spec_dir.join(inc);
        let p = p.canonicalize().unwrap_or(p);
        cmd.arg(format!("-I{}", p.display()));
    }
    // nvcc from the Python package index keeps its libraries in `lib`, not `lib64`.
    if let Some(lib) = nvcc.parent().and_then(Path::parent).map(|p| p.join("lib")) {
        if lib.join("libcudart_static.a").exists() {
            cmd.arg(format!("-L{}", lib.display()));
        }
    }
    cmd.args(&options.extra_flags);
    cmd.args([format!("{stem}.cu"), "-o".to_string(), lib_name.to_string()]);
    for l in &options.libs {
        cmd.arg(format!("-l{l}"));
    }
    let out = cmd
        .output()
        .with_context(|| format!("cannot run `{}`", nvcc.display()))?;
    if !out.status.success() {
        bail!(
            "nvcc failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}
