//! Finding nvcc the way users expect, and telling the `cc` crate to use the same one.
//!
//! `cc` (`Build::cuda(true)`) runs the first of the variables `NVCC_<target>`,
//! `NVCC_<target with underscores>`, `HOST_NVCC` (or `TARGET_NVCC` when cross compiling) and
//! `NVCC` that is set, and otherwise `nvcc` from `PATH`; it has no setting for the path
//! (`Build::compiler` would replace nvcc by the host compiler's role). So the search here
//! starts with those variables, adds `CUDA_HOME` and `CUDA_PATH` before `PATH`, and where its
//! answer is not what `cc` would run by itself, sets `NVCC` in the build script's environment.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The variables `cc` reads for nvcc, in its order of precedence.
pub(crate) fn cc_variables(target: &str, cross: bool) -> [String; 4] {
    [
        format!("NVCC_{target}"),
        format!("NVCC_{}", target.replace(['-', '.'], "_")),
        format!("{}_NVCC", if cross { "TARGET" } else { "HOST" }),
        "NVCC".to_string(),
    ]
}

/// Where nvcc was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub path: PathBuf,
    /// Whether `cc` would run this nvcc without being told (the path came from one of its
    /// variables, or is the first nvcc on `PATH`).
    pub cc_agrees: bool,
}

/// Finds nvcc: the variables of [`cc_variables`] (a bare name is looked up on `PATH`), then
/// `CUDA_HOME/bin/nvcc`, `CUDA_PATH/bin/nvcc`, then `PATH`.
pub(crate) fn find(
    env: &dyn Fn(&str) -> Option<OsString>,
    target: &str,
    cross: bool,
) -> Result<Found, String> {
    let path_var = env("PATH");
    let on_path = |name: &Path| -> Option<PathBuf> {
        std::env::split_paths(path_var.as_deref()?)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    };
    for var in cc_variables(target, cross) {
        let Some(value) = env(&var).filter(|v| !v.is_empty()) else {
            continue;
        };
        let given = PathBuf::from(&value);
        let path = if given.components().count() == 1 {
            on_path(&given).unwrap_or(given)
        } else {
            given
        };
        if !path.is_file() {
            return Err(format!(
                "{var} is set to `{}`, which is not a file; set it to the path of nvcc",
                Path::new(&value).display()
            ));
        }
        return Ok(Found {
            path,
            cc_agrees: true,
        });
    }
    let mut tried = Vec::new();
    for var in ["CUDA_HOME", "CUDA_PATH"] {
        if let Some(home) = env(var).filter(|v| !v.is_empty()) {
            let p = Path::new(&home).join("bin").join("nvcc");
            if p.is_file() {
                return Ok(Found {
                    path: p,
                    cc_agrees: false,
                });
            }
            tried.push(format!("{var}/bin/nvcc (`{}`) does not exist", p.display()));
        }
    }
    if let Some(p) = on_path(Path::new("nvcc")) {
        return Ok(Found {
            path: p,
            cc_agrees: true,
        });
    }
    tried.push("no nvcc on PATH".to_string());
    Err(format!(
        "nvcc not found ({}): set NVCC to its path, set CUDA_HOME to the CUDA installation, or \
         put nvcc on PATH (without a CUDA installation, `pip install nvidia-cuda-nvcc \
         nvidia-cuda-runtime nvidia-cuda-crt nvidia-nvvm nvidia-cuda-cccl` provides one)",
        tried.join("; ")
    ))
}

/// The library directories next to nvcc that exist: `<nvcc>/../lib` (where the CUDA packages
/// from the Python package index keep `libcudart_static.a`) and `<nvcc>/../lib64` (a CUDA
/// installation's). A symlinked nvcc is followed to its installation.
pub(crate) fn lib_dirs(nvcc: &Path) -> Vec<PathBuf> {
    let real = nvcc.canonicalize().unwrap_or_else(|_| nvcc.to_path_buf());
    let Some(root) = real.parent().and_then(Path::parent) else {
        return Vec::new();
    };
    ["lib", "lib64"]
        .iter()
        .map(|d| root.join(d))
        .filter(|d| d.is_dir())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const TARGET: &str = "x86_64-unknown-linux-gnu";

    struct Fake {
        dir: PathBuf,
    }

    impl Fake {
        /// A directory with `cuda/bin/nvcc`, `other/nvcc` and `cuda/lib`.
        fn new(name: &str) -> Fake {
            let dir = std::env::temp_dir()
                .join(format!("parpyc-build-nvcc-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            for d in ["cuda/bin", "cuda/lib", "other"] {
                std::fs::create_dir_all(dir.join(d)).unwrap();
            }
            std::fs::write(dir.join("cuda/bin/nvcc"), "").unwrap();
            std::fs::write(dir.join("other/nvcc"), "").unwrap();
            Fake { dir }
        }

        fn p(&self, rel: &str) -> PathBuf {
            self.dir.join(rel)
        }
    }

    impl Drop for Fake {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    fn run(vars: &[(&str, &Path)]) -> Result<Found, String> {
        let map: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_os_str().to_owned()))
            .collect();
        find(&|k| map.get(k).cloned(), TARGET, false)
    }

    #[test]
    fn order_of_precedence() {
        let f = Fake::new("order");
        let cuda_nvcc = f.p("cuda/bin/nvcc");
        let other = f.p("other/nvcc");
        let cuda = f.p("cuda");
        let other_dir = f.p("other");
        // NVCC first, as cc reads it.
        let got = run(&[("NVCC", &other), ("CUDA_HOME", &cuda)]).unwrap();
        assert_eq!(got.path, other);
        assert!(got.cc_agrees);
        // cc's target-specific variable wins over NVCC.
        let got = run(&[
            ("NVCC", &cuda_nvcc),
            ("NVCC_x86_64_unknown_linux_gnu", &other),
        ])
        .unwrap();
        assert_eq!(got.path, other);
        // CUDA_HOME, then CUDA_PATH, before PATH; cc must be told.
        let got = run(&[("CUDA_PATH", &cuda), ("PATH", &other_dir)]).unwrap();
        assert_eq!(got.path, cuda_nvcc);
        assert!(!got.cc_agrees);
        // PATH last.
        let got = run(&[("CUDA_HOME", &other_dir), ("PATH", &other_dir)]).unwrap();
        assert_eq!(got.path, other);
        assert!(got.cc_agrees);
        // A bare name in NVCC is looked up on PATH.
        let got = run(&[("NVCC", Path::new("nvcc")), ("PATH", &other_dir)]).unwrap();
        assert_eq!(got.path, other);
    }

    #[test]
    fn clear_errors() {
        let f = Fake::new("errors");
        let e = run(&[("NVCC", &f.p("nope/nvcc"))]).unwrap_err();
        assert!(e.starts_with("NVCC is set to `"), "{e}");
        assert!(e.contains("which is not a file"), "{e}");
        let e = run(&[("CUDA_HOME", &f.p("other")), ("PATH", &f.p("cuda"))]).unwrap_err();
        assert!(
            e.starts_with("nvcc not found (CUDA_HOME/bin/nvcc (`"),
            "{e}"
        );
        assert!(e.contains("no nvcc on PATH"), "{e}");
        assert!(e.contains("set NVCC to its path"), "{e}");
        let e = run(&[]).unwrap_err();
        assert!(e.starts_with("nvcc not found (no nvcc on PATH)"), "{e}");
    }

    #[test]
    fn library_directories() {
        let f = Fake::new("libs");
        assert_eq!(
            lib_dirs(&f.p("cuda/bin/nvcc")),
            vec![f.p("cuda/lib").canonicalize().unwrap()]
        );
        std::fs::create_dir_all(f.p("cuda/lib64")).unwrap();
        assert_eq!(lib_dirs(&f.p("cuda/bin/nvcc")).len(), 2);
        assert!(lib_dirs(Path::new("nvcc")).is_empty());
    }

    #[test]
    fn cc_variable_names() {
        assert_eq!(
            cc_variables("aarch64-unknown-linux-gnu", true),
            [
                "NVCC_aarch64-unknown-linux-gnu",
                "NVCC_aarch64_unknown_linux_gnu",
                "TARGET_NVCC",
                "NVCC"
            ]
        );
    }
}
