//! Snapshot tests: every example, every fixture under `tests/fixtures` and every differential
//! program of `tests/diff` is compiled, and the text of each stage (IR, CUDA, header) or the
//! diagnostics are compared with `tests/snapshots/<group>/<name>.snap`. Set `PARPYC_BLESS=1` to rewrite the snapshots after an
//! intended change, and review the diff.

use std::path::{Path, PathBuf};

use parpyc_compiler::{back::cuda::KERNELS_MARKER, diag, Input};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// `(group, name, source path, spec path)` of every fixture, relative to the root.
fn fixtures() -> Vec<(String, String, PathBuf, PathBuf)> {
    let root = root();
    let mut out = Vec::new();
    let mut add_dir = |group: &str, dir: PathBuf| {
        let Ok(entries) = std::fs::read_dir(root.join(&dir)) else {
            return;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "py") {
                let stem = p
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .expect("utf-8 name")
                    .to_string();
                let spec = ["toml", "json"]
                    .iter()
                    .map(|e| p.with_extension(e))
                    .find(|s| s.exists());
                let Some(spec) = spec else {
                    panic!("fixture {} has no .toml or .json spec", p.display())
                };
                let rel = |q: &Path| q.strip_prefix(&root).expect("inside root").to_path_buf();
                out.push((group.to_string(), stem, rel(&p), rel(&spec)));
            }
        }
    };
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root.join("examples"))
        .expect("examples/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    examples.sort();
    for e in examples {
        add_dir(
            "examples",
            e.strip_prefix(&root).expect("inside root").to_path_buf(),
        );
    }
    add_dir("ok", PathBuf::from("tests/fixtures/ok"));
    add_dir("diff", PathBuf::from("tests/diff"));
    add_dir("err", PathBuf::from("tests/fixtures/err"));
    out
}

fn snapshot(
    group: &str,
    source_name: &str,
    spec_name: &str,
    source: &str,
    spec: &str,
    stem: &str,
) -> String {
    let input = Input {
        source_name,
        source,
        spec_name,
        spec,
        stem,
        backend: None,
    };
    let mut s = format!("----- SOURCE {source_name}\n{source}----- SPEC {spec_name}\n{spec}");
    let files = diag::Files {
        source_name,
        source,
        spec_name,
        spec,
    };
    match parpyc_compiler::analyze(&input) {
        Err(diags) => {
            assert_eq!(
                group,
                "err",
                "{source_name} should compile, but:\n{}",
                diag::render(&diags, &files, false)
            );
            s.push_str("----- ERROR\n");
            s.push_str(&diag::render(&diags, &files, false));
        }
        Ok((_, mapped)) => {
            assert_ne!(group, "err", "{source_name} should fail to compile");
            s.push_str("----- IR\n");
            for m in &mapped {
                s.push_str(&m.func.to_string());
            }
            let out =
                parpyc_compiler::compile(&input).expect("analysis passed, so compilation must");
            for f in &out.files {
                if f.name.ends_with(".cu") {
                    let (_, program) = f
                        .contents
                        .split_once(KERNELS_MARKER)
                        .expect("marker after the prelude");
                    s.push_str("----- CUDA\n");
                    s.push_str(program.trim_start());
                } else if f.name.ends_with(".h") {
                    s.push_str("----- HEADER\n");
                    s.push_str(&f.contents);
                }
            }
        }
    }
    s
}

#[test]
fn fixtures_match_snapshots() {
    let root = root();
    let bless = std::env::var_os("PARPYC_BLESS").is_some();
    let mut failures = Vec::new();
    let all = fixtures();
    assert!(
        all.len() >= 30,
        "expected the examples and fixtures, found {}",
        all.len()
    );
    for (group, name, src, spec) in &all {
        let source = std::fs::read_to_string(root.join(src)).expect("read source");
        let spec_text = std::fs::read_to_string(root.join(spec)).expect("read spec");
        let src_name = src.to_string_lossy().to_string();
        let spec_name = spec.to_string_lossy().to_string();
        let got = snapshot(group, &src_name, &spec_name, &source, &spec_text, name);
        // Output is a pure function of the inputs.
        assert_eq!(
            got,
            snapshot(group, &src_name, &spec_name, &source, &spec_text, name),
            "{src_name}: output differs between runs"
        );
        let path = root
            .join("tests/snapshots")
            .join(group)
            .join(format!("{name}.snap"));
        if bless {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, &got).expect("write snapshot");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(want) if want == got => {}
            Ok(want) => {
                let line = want
                    .lines()
                    .zip(got.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(want.lines().count().min(got.lines().count()));
                failures.push(format!(
                    "{}: differs from the snapshot at line {}",
                    path.display(),
                    line + 1
                ));
            }
            Err(_) => failures.push(format!("{}: no snapshot", path.display())),
        }
    }
    assert!(failures.is_empty(), "{}\n(rerun with PARPYC_BLESS=1 to accept the new output, then review `git diff tests/snapshots`)", failures.join("\n"));
}
