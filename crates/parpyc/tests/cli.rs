//! The command line as users meet it: exit codes, where diagnostics go, and what is written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn parpyc(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_parpyc"));
    cmd.current_dir(root()).args(args).env("NO_COLOR", "1");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("run parpyc")
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("parpyc-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn build_writes_the_three_files_deterministically() {
    let out = tempdir("build");
    let o = parpyc(
        &[
            "build",
            "examples/mv/mv.py",
            "--spec",
            "examples/mv/mv.toml",
            "-o",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["mv.cu", "mv.h", "mv.py"]);
    let first: Vec<Vec<u8>> = names
        .iter()
        .map(|n| std::fs::read(out.join(n)).unwrap())
        .collect();
    let o = parpyc(
        &[
            "build",
            "examples/mv/mv.py",
            "--spec",
            "examples/mv/mv.toml",
            "-o",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0));
    let second: Vec<Vec<u8>> = names
        .iter()
        .map(|n| std::fs::read(out.join(n)).unwrap())
        .collect();
    assert_eq!(first, second, "output must be byte-identical across runs");
    let cu = String::from_utf8(first[0].clone()).unwrap();
    assert!(cu.contains("extern \"C\" int32_t mv_mv_parpy(const double* A, const double* b, double* out, int64_t N, int64_t M, void* stream)"));
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn tutorial_bug_is_reported_at_its_line_and_nothing_is_written() {
    let out = tempdir("row");
    let o = parpyc(
        &[
            "build",
            "tests/fixtures/err/tutorial_row_undefined.py",
            "--spec",
            "tests/fixtures/err/tutorial_row_undefined.toml",
            "-o",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("error[E0301]: `row` is not defined"), "{err}");
    assert!(
        err.contains("tests/fixtures/err/tutorial_row_undefined.py:10:13"),
        "{err}"
    );
    assert!(
        !out.exists(),
        "nothing may be written when there is an error"
    );
}

#[test]
fn check_reports_every_error_and_writes_nothing() {
    let o = parpyc(
        &[
            "check",
            "tests/fixtures/err/spec_unknown_key_and_bad_type.py",
            "--spec",
            "tests/fixtures/err/spec_unknown_key_and_bad_type.toml",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("E0204") && err.contains("E0202"), "{err}");
    assert!(err.contains("due to 3 errors"), "{err}");
    let o = parpyc(
        &[
            "check",
            "examples/softmax/softmax.py",
            "--spec",
            "examples/softmax/softmax.toml",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn bad_command_lines_and_io_errors_exit_with_2() {
    assert_eq!(parpyc(&["build"], &[]).status.code(), Some(2));
    assert_eq!(parpyc(&["frobnicate"], &[]).status.code(), Some(2));
    let o = parpyc(
        &["check", "examples/nope.py", "--spec", "examples/mv/mv.toml"],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read `examples/nope.py`"),
        "{}",
        stderr(&o)
    );
    let o = parpyc(
        &["check", "examples/mv/mv.py", "--spec", "examples/mv/mv.py"],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(".toml or .json"), "{}", stderr(&o));
}

#[test]
fn never_overwrites_its_inputs() {
    let o = parpyc(
        &[
            "build",
            "examples/mv/mv.py",
            "--spec",
            "examples/mv/mv.toml",
            "-o",
            "examples/mv",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("refusing to overwrite the input"),
        "{}",
        stderr(&o)
    );
    let src = std::fs::read_to_string(root().join("examples/mv/mv.py")).unwrap();
    assert!(src.contains("@parpy.jit"));
    assert!(!root().join("examples/mv/mv.cu").exists());
}

#[test]
fn compile_without_nvcc_is_an_error_that_writes_nothing() {
    let out = tempdir("nonvcc");
    let o = parpyc(
        &[
            "build",
            "examples/mv/mv.py",
            "--spec",
            "examples/mv/mv.toml",
            "-o",
            out.to_str().unwrap(),
            "--compile",
        ],
        &[("NVCC", "/nonexistent/nvcc"), ("PATH", "/nonexistent")],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot run `/nonexistent/nvcc`"),
        "{}",
        stderr(&o)
    );
    let left: Vec<_> = std::fs::read_dir(&out)
        .map(|d| d.collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "files were left behind: {left:?}");
}

#[test]
fn a_relative_nvcc_path_is_taken_from_where_parpyc_runs() {
    // nvcc runs in the output directory; `NVCC=tools/nvcc` still means the one next to the
    // user. A stand-in records its arguments and writes the library it is asked for.
    let dir = tempdir("relnvcc");
    std::fs::create_dir_all(dir.join("tools")).unwrap();
    let fake = dir.join("tools/nvcc");
    std::fs::write(
        &fake,
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args\"\nwhile [ $# -gt 0 ]; do [ \"$1\" = -o ] && touch \"$2\"; shift; done\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_parpyc"))
        .current_dir(&dir)
        .args(["build", "--spec"])
        .arg(root().join("examples/mv/mv.toml"))
        .arg(root().join("examples/mv/mv.py"))
        .args(["-o", "out", "--compile"])
        .env("NO_COLOR", "1")
        .env("NVCC", "tools/nvcc")
        .output()
        .expect("run parpyc");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let args = std::fs::read_to_string(dir.join("tools/args")).expect("the stand-in nvcc ran");
    assert!(args.lines().any(|a| a == "mv.cu"), "{args}");
    assert!(dir.join("out/libmv.so").exists());
}
