//! Compile ParPy programs into a Rust crate from its `build.rs`: parpyc's compiler turns the
//! annotated Python file and its spec into CUDA, nvcc (through the `cc` crate) builds it into a
//! static library linked into the crate, and typed Rust bindings are written for `include!`.
//! No `parpyc` binary is needed; nvcc is, but no GPU.
//!
//! ```toml
//! # Cargo.toml
//! [dependencies]
//! parpy-runtime = "0.1"
//!
//! [build-dependencies]
//! parpyc-build = "0.1"
//! ```
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     parpyc_build::Build::new("kernels/mv.py", "kernels/mv.toml").compile();
//! }
//! ```
//!
//! ```ignore
//! // src/main.rs
//! parpy_runtime::include_kernels!(mod mv);
//!
//! use parpy_runtime::{DeviceBuffer, Stream};
//!
//! fn main() -> Result<(), parpy_runtime::Error> {
//!     let a = DeviceBuffer::from_slice(&mv::RUNTIME, &[1.0f32, 2.0, 3.0, 4.0], &[2, 2])?;
//!     let b = DeviceBuffer::from_slice(&mv::RUNTIME, &[1.0f32, 1.0], &[2])?;
//!     let mut out = DeviceBuffer::<f32>::zeros(&mv::RUNTIME, &[2])?;
//!     mv::mv(&a, &b, &mut out, 2, Stream::DEFAULT)?;
//!     assert_eq!(out.to_vec()?, [3.0, 7.0]);
//!     Ok(())
//! }
//! ```
//!
//! # What the bindings contain
//!
//! For a module `<stem>.py` (C prefix `<prefix>`), `$OUT_DIR/parpyc/<prefix>.rs` defines
//!
//! - one function per exported Python function, with its parameters in order: arrays as
//!   `&DeviceBuffer<T>` (read) or `&mut DeviceBuffer<T>` (written by the function), scalars by
//!   value (`f16` as `Half`), then a `Stream`. It checks every array's shape against the spec
//!   (binding the shape symbols from the buffers), launches, and returns
//!   `Result<(), parpy_runtime::Error>`;
//! - `pub static RUNTIME: parpy_runtime::Runtime`, the module's allocation and copy functions,
//!   for making buffers.
//!
//! Every C symbol carries the module's prefix, so several modules link into one crate.
//!
//! # What `build.rs` prints
//!
//! `cargo:rerun-if-changed` for the Python file, the spec and the spec's `includes`
//! directories; `cargo:rerun-if-env-changed` for the variables that choose nvcc and the
//! architectures; the link lines for the static library, `cudart_static` (searched for in
//! `<nvcc>/../lib` and `<nvcc>/../lib64`), `dl`, `rt`, `pthread` and `stdc++`, and the spec's
//! `libs`.
//!
//! # nvcc
//!
//! nvcc is taken from `NVCC` (or the target-specific variables the `cc` crate reads first,
//! such as `NVCC_x86_64_unknown_linux_gnu`), then `CUDA_HOME/bin/nvcc`, `CUDA_PATH/bin/nvcc`,
//! then `PATH`. The `cc` crate has no setting for nvcc's path, only the `NVCC` variable: when
//! nvcc is found another way, this crate sets `NVCC` in the build script's own environment
//! before running `cc` (build scripts are single-threaded unless they start threads).
//!
//! The kernels are built for the spec's `cuda_arch` (default `sm_90`), which [`Build::arch`]
//! or the `PARPYC_CUDA_ARCH` variable (`sm_80,sm_90`) replace.

#![warn(missing_docs)]
// The examples show whole `build.rs` files.
#![allow(clippy::needless_doctest_main)]

mod bindings;
mod nvcc;

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use parpyc_compiler::{diag, Input};

/// A module to compile: the annotated Python file, its spec and build settings.
#[derive(Clone, Debug)]
pub struct Build {
    source: PathBuf,
    spec: PathBuf,
    stem: Option<String>,
    archs: Vec<String>,
    device_debug: bool,
}

/// What [`Build::compile`] produced.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The module's C prefix, also the name of the Rust module `include_kernels!` defines.
    pub prefix: String,
    /// The Rust bindings, `$OUT_DIR/parpyc/<prefix>.rs`.
    pub bindings: PathBuf,
    /// The CUDA source, `$OUT_DIR/parpyc/<stem>.cu`.
    pub cuda: PathBuf,
    /// The C header, `$OUT_DIR/parpyc/<stem>.h`.
    pub header: PathBuf,
    /// The compiler's description of the module's functions.
    pub interface: parpyc_compiler::interface::Module,
}

/// Why a build failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The program or spec has errors: the compiler's diagnostics, rendered as `parpyc` does.
    Diagnostics {
        /// The Python file.
        source: PathBuf,
        /// The number of errors.
        count: usize,
        /// The diagnostics, as text.
        rendered: String,
    },
    /// A file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// nvcc was not found.
    NvccNotFound(String),
    /// nvcc (through the `cc` crate) failed.
    Nvcc(String),
    /// A setting is wrong, or the build script's environment lacks a variable cargo sets.
    Config(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Diagnostics {
                source,
                count,
                rendered,
            } => write!(
                f,
                "parpyc-build: could not compile `{}` due to {count} error{}:\n\n{rendered}",
                source.display(),
                if *count == 1 { "" } else { "s" }
            ),
            Error::Io { path, message } => {
                write!(f, "parpyc-build: `{}`: {message}", path.display())
            }
            Error::NvccNotFound(m) => write!(f, "parpyc-build: {m}"),
            Error::Nvcc(m) => write!(f, "parpyc-build: compiling the CUDA source failed: {m}"),
            Error::Config(m) => write!(f, "parpyc-build: {m}"),
        }
    }
}

impl std::error::Error for Error {}

fn env(name: &str) -> Option<OsString> {
    std::env::var_os(name)
}

fn cargo_env(name: &str) -> Result<String, Error> {
    std::env::var(name).map_err(|_| {
        Error::Config(format!(
            "`{name}` is not set: parpyc-build runs in build scripts (`build.rs`), where cargo sets it"
        ))
    })
}

/// Records that this build script links module `prefix`; two modules with one prefix would
/// define the same C symbols (and overwrite each other's files).
fn claim_prefix(prefix: &str) -> Result<(), Error> {
    static BUILT: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if built.iter().any(|p| p == prefix) {
        return Err(Error::Config(format!(
            "this build script already built a module with the prefix `{prefix}`; give one of \
             them another name with `Build::stem`"
        )));
    }
    built.push(prefix.to_string());
    Ok(())
}

impl Build {
    /// A module from the annotated Python file `source` and its spec (`.toml` or `.json`).
    /// Relative paths are relative to the crate's directory (where `Cargo.toml` is).
    pub fn new(source: impl AsRef<Path>, spec: impl AsRef<Path>) -> Build {
        Build {
            source: source.as_ref().to_path_buf(),
            spec: spec.as_ref().to_path_buf(),
            stem: None,
            archs: Vec::new(),
            device_debug: false,
        }
    }

    /// Names the module `stem` instead of the Python file's stem; its C prefix (and the Rust
    /// module's name) derive from it.
    pub fn stem(&mut self, stem: &str) -> &mut Build {
        self.stem = Some(stem.to_string());
        self
    }

    /// Builds for the CUDA architecture `arch` (`sm_80`); call it once per architecture. It
    /// replaces the spec's `cuda_arch` and the `PARPYC_CUDA_ARCH` variable.
    pub fn arch(&mut self, arch: &str) -> &mut Build {
        self.archs.push(arch.to_string());
        self
    }

    /// Compiles device code for debugging (`nvcc -G`, slow). Off by default, also in debug
    /// builds of the crate.
    pub fn device_debug(&mut self, on: bool) -> &mut Build {
        self.device_debug = on;
        self
    }

    /// Compiles the module, links it into the crate and writes its bindings; panics with the
    /// compiler's diagnostics or nvcc's output, which cargo shows, on failure.
    #[track_caller]
    pub fn compile(&self) -> Generated {
        match self.try_compile() {
            Ok(g) => g,
            Err(e) => panic!("{e}"),
        }
    }

    /// [`compile`](Build::compile), returning errors.
    pub fn try_compile(&self) -> Result<Generated, Error> {
        let out_dir = PathBuf::from(cargo_env("OUT_DIR")?).join("parpyc");
        let (generated, options) = self.generate(&out_dir)?;
        claim_prefix(&generated.prefix)?;
        self.build_cuda(&generated, &options)?;
        Ok(generated)
    }

    fn resolve(path: &Path) -> PathBuf {
        match env("CARGO_MANIFEST_DIR") {
            Some(dir) if path.is_relative() => Path::new(&dir).join(path),
            _ => path.to_path_buf(),
        }
    }

    fn read(path: &Path) -> Result<String, Error> {
        std::fs::read_to_string(Self::resolve(path)).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            message: format!("cannot read it: {e}"),
        })
    }

    fn stem_name(&self) -> Result<String, Error> {
        if let Some(s) = &self.stem {
            return Ok(s.clone());
        }
        self.source
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string)
            .ok_or_else(|| {
                Error::Config(format!(
                    "`{}` has no usable file name",
                    self.source.display()
                ))
            })
    }

    /// Writes the CUDA source, the header and the bindings into `dir` (no nvcc); returns them
    /// and the spec's options.
    fn generate(&self, dir: &Path) -> Result<(Generated, parpyc_compiler::spec::Options), Error> {
        println!(
            "cargo:rerun-if-changed={}",
            Self::resolve(&self.source).display()
        );
        println!(
            "cargo:rerun-if-changed={}",
            Self::resolve(&self.spec).display()
        );
        let source = Self::read(&self.source)?;
        let spec = Self::read(&self.spec)?;
        let source_name = self.source.display().to_string();
        let spec_name = self.spec.display().to_string();
        if parpyc_compiler::spec::Format::from_path(&spec_name).is_none() {
            return Err(Error::Config(format!(
                "the spec `{spec_name}` must end in .toml or .json"
            )));
        }
        let stem = self.stem_name()?;
        let input = Input {
            source_name: &source_name,
            source: &source,
            spec_name: &spec_name,
            spec: &spec,
            stem: &stem,
            backend: Some(parpyc_compiler::Backend::Cuda),
        };
        let output = parpyc_compiler::compile(&input).map_err(|diags| {
            let files = diag::Files {
                source_name: &source_name,
                source: &source,
                spec_name: &spec_name,
                spec: &spec,
            };
            Error::Diagnostics {
                source: self.source.clone(),
                count: diags.len(),
                rendered: diag::render(&diags, &files, false),
            }
        })?;
        let spec_dir = Self::resolve(&self.spec)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        for inc in &output.spec.options.includes {
            println!("cargo:rerun-if-changed={}", spec_dir.join(inc).display());
        }
        bindings::check_names(&output.interface).map_err(Error::Config)?;
        std::fs::create_dir_all(dir).map_err(|e| Error::Io {
            path: dir.to_path_buf(),
            message: format!("cannot create it: {e}"),
        })?;
        let write = |name: &str, contents: &str| -> Result<PathBuf, Error> {
            let path = dir.join(name);
            std::fs::write(&path, contents).map_err(|e| Error::Io {
                path: path.clone(),
                message: format!("cannot write it: {e}"),
            })?;
            Ok(path)
        };
        let mut cuda = None;
        let mut header = None;
        for f in &output.files {
            let path = write(&f.name, &f.contents)?;
            if f.name.ends_with(".cu") {
                cuda = Some(path);
            } else if f.name.ends_with(".h") {
                header = Some(path);
            }
        }
        let (Some(cuda), Some(header)) = (cuda, header) else {
            return Err(Error::Config(
                "the compiler wrote no CUDA source; the CUDA backend is the only one parpyc-build builds"
                    .to_string(),
            ));
        };
        let interface = output.interface;
        let rust = bindings::generate(&interface, &source_name, &spec_name);
        let bindings = write(&format!("{}.rs", interface.prefix), &rust)?;
        let generated = Generated {
            prefix: interface.prefix.clone(),
            bindings,
            cuda,
            header,
            interface,
        };
        Ok((generated, output.spec.options))
    }

    fn archs(&self, spec: &parpyc_compiler::spec::Options) -> Result<Vec<String>, Error> {
        println!("cargo:rerun-if-env-changed=PARPYC_CUDA_ARCH");
        let archs: Vec<String> = if !self.archs.is_empty() {
            self.archs.clone()
        } else if let Some(v) = std::env::var("PARPYC_CUDA_ARCH")
            .ok()
            .filter(|v| !v.is_empty())
        {
            v.split(',').map(|s| s.trim().to_string()).collect()
        } else {
            spec.cuda_arch.clone()
        };
        for a in &archs {
            let n = a.strip_prefix("sm_").unwrap_or("");
            if n.is_empty() || !n.starts_with(|c: char| c.is_ascii_digit()) {
                return Err(Error::Config(format!(
                    "`{a}` is not a CUDA architecture such as sm_90"
                )));
            }
        }
        Ok(archs)
    }

    fn build_cuda(
        &self,
        generated: &Generated,
        spec: &parpyc_compiler::spec::Options,
    ) -> Result<(), Error> {
        let target = cargo_env("TARGET")?;
        let host = cargo_env("HOST")?;
        let cross = target != host;
        for var in nvcc::cc_variables(&target, cross)
            .iter()
            .map(String::as_str)
            .chain(["CUDA_HOME", "CUDA_PATH"])
        {
            println!("cargo:rerun-if-env-changed={var}");
        }
        let found = nvcc::find(&env, &target, cross).map_err(Error::NvccNotFound)?;
        if !found.cc_agrees {
            // The `cc` crate reads nvcc's path from this variable only (see the crate docs).
            std::env::set_var("NVCC", &found.path);
        }
        let archs = self.archs(spec)?;
        let spec_dir = Self::resolve(&self.spec)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();

        let mut b = cc::Build::new();
        b.cuda(true)
            .file(&generated.cuda)
            .flag("-std=c++17")
            .debug(self.device_debug)
            // Generated code is not the user's to fix: no warnings from the host compiler
            // (`warnings(false)`) nor from nvcc (`-w`). Errors are still shown.
            .warnings(false)
            .flag("-w");
        for a in &archs {
            let n = a.trim_start_matches("sm_");
            b.flag(format!("-gencode=arch=compute_{n},code=sm_{n}"));
        }
        for inc in &spec.includes {
            b.include(spec_dir.join(inc));
        }
        for f in &spec.extra_flags {
            b.flag(f);
        }
        b.try_compile(&format!("parpyc_{}", generated.prefix))
            .map_err(|e| Error::Nvcc(e.to_string()))?;

        for dir in nvcc::lib_dirs(&found.path) {
            println!("cargo:rustc-link-search=native={}", dir.display());
        }
        for l in &spec.libs {
            println!("cargo:rustc-link-lib={l}");
        }
        println!("cargo:rustc-link-lib=cudart_static");
        if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
            for l in ["dl", "rt", "pthread", "stdc++"] {
                println!("cargo:rustc-link-lib={l}");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("parpyc-build-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn generates_cuda_header_and_bindings_for_the_examples() {
        let out = temp("examples");
        for (stem, function) in [
            ("mv", "mv_parpy"),
            ("mv_f32", "mv"),
            ("sum_rows", "sum_rows"),
            ("softmax", "softmax"),
        ] {
            let dir = repo().join("examples").join(stem);
            let g = Build::new(
                dir.join(format!("{stem}.py")),
                dir.join(format!("{stem}.toml")),
            )
            .generate(&out)
            .unwrap()
            .0;
            assert_eq!(g.prefix, stem);
            assert!(g.cuda.ends_with(format!("{stem}.cu")));
            let rust = std::fs::read_to_string(&g.bindings).unwrap();
            assert!(rust.contains(&format!("pub fn {function}(")), "{rust}");
            assert!(rust.contains(&format!("pub fn {stem}_alloc(")), "{rust}");
        }
        let rust = std::fs::read_to_string(out.join("softmax.rs")).unwrap();
        // Both shape symbols of softmax are integer arguments.
        assert!(rust.contains("__parpyc_shapes.scalar(\"N\", N);"), "{rust}");
        assert!(rust.contains("__parpyc_shapes.scalar(\"M\", M);"), "{rust}");
        assert!(
            rust.contains("out: &mut ::parpy_runtime::DeviceBuffer<f32>,"),
            "{rust}"
        );
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn diagnostics_are_rendered_into_the_error() {
        let dir = temp("diag");
        std::fs::create_dir_all(&dir).unwrap();
        let py = dir.join("bad.py");
        std::fs::write(
            &py,
            "import parpy\n\n@parpy.jit\ndef mv(A, b, out, N):\n    parpy.label('N')\n    for i in range(N):\n        out[row] = A[i, 0]\n",
        )
        .unwrap();
        let spec = dir.join("bad.toml");
        std::fs::write(
            &spec,
            "[functions.mv]\nargs = { A = \"f32[N, M]\", b = \"f32[M]\", out = \"f32[N]\", N = \"i64\" }\n\n[functions.mv.par]\nN = { threads = \"N\" }\n",
        )
        .unwrap();
        let e = Build::new(&py, &spec)
            .generate(&dir.join("out"))
            .unwrap_err();
        let text = e.to_string();
        assert!(matches!(e, Error::Diagnostics { count: 1, .. }), "{text}");
        assert!(
            text.starts_with("parpyc-build: could not compile `"),
            "{text}"
        );
        assert!(
            text.contains("error[E0301]: `row` is not defined"),
            "{text}"
        );
        assert!(text.contains("bad.py:7:13"), "{text}");
        assert!(!dir.join("out").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_file_is_an_io_error() {
        let e = Build::new("no/such.py", "no/such.toml")
            .generate(&temp("missing"))
            .unwrap_err();
        assert!(matches!(&e, Error::Io { path, .. } if path == Path::new("no/such.py")));
        assert!(
            e.to_string()
                .starts_with("parpyc-build: `no/such.py`: cannot read it: "),
            "{e}"
        );
    }

    #[test]
    fn architectures() {
        let spec = parpyc_compiler::spec::Options::default();
        let mut b = Build::new("a.py", "a.toml");
        if std::env::var_os("PARPYC_CUDA_ARCH").is_none() {
            assert_eq!(b.archs(&spec).unwrap(), ["sm_90"]);
        }
        b.arch("sm_80").arch("sm_90a");
        assert_eq!(b.archs(&spec).unwrap(), ["sm_80", "sm_90a"]);
        let e = Build::new("a.py", "a.toml")
            .arch("compute_90")
            .archs(&spec)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "parpyc-build: `compute_90` is not a CUDA architecture such as sm_90"
        );
    }

    #[test]
    fn one_prefix_per_build_script() {
        claim_prefix("twice_test").unwrap();
        let e = claim_prefix("twice_test").unwrap_err();
        assert!(e
            .to_string()
            .contains("already built a module with the prefix `twice_test`"));
    }

    #[test]
    fn outside_a_build_script() {
        if std::env::var_os("OUT_DIR").is_none() {
            let e = Build::new("a.py", "a.toml").try_compile().unwrap_err();
            assert!(e.to_string().contains("`OUT_DIR` is not set"), "{e}");
        }
    }
}
