//! No input makes the compiler panic: every program and spec of the repository, mutated in
//! thousands of small ways (lines dropped, duplicated or swapped, characters deleted or
//! replaced, tokens exchanged), must compile or produce diagnostics.

use std::panic;
use std::path::{Path, PathBuf};

use parpyc_compiler::{compile, Input};

/// A small deterministic generator, so that a failure reproduces.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&str] = &[
    ":",
    "[",
    "]",
    "(",
    ")",
    ",",
    "-1",
    "0",
    "2.5",
    "i",
    "N",
    "x",
    "parpy.label('N')",
    "for",
    "in",
    "range(",
    "sum(",
    "=",
    "+=",
    "//",
    "%",
    "**",
    "if",
    "else",
    "while",
    "not",
    "and",
    "\"f32[N]\"",
    "threads",
    "reduce = true",
    "{",
    "}",
    "\n",
    "    ",
    "axis=1",
    "parpy.operators.max(",
    "inf",
    "True",
];

fn mutate(text: &str, rng: &mut Lcg) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    match rng.below(6) {
        0 if !lines.is_empty() => {
            let i = rng.below(lines.len());
            lines.remove(i);
        }
        1 if !lines.is_empty() => {
            let i = rng.below(lines.len());
            let l = lines[i].clone();
            lines.insert(i, l);
        }
        2 if lines.len() > 1 => {
            let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
            lines.swap(a, b);
        }
        3 => {
            let chars: Vec<char> = text.chars().collect();
            if chars.is_empty() {
                return String::new();
            }
            let i = rng.below(chars.len());
            let mut out: String = chars[..i].iter().collect();
            out.extend(&chars[i + 1..]);
            return out;
        }
        _ => {
            let chars: Vec<char> = text.chars().collect();
            let i = rng.below(chars.len() + 1);
            let mut out: String = chars[..i].iter().collect();
            out.push_str(TOKENS[rng.below(TOKENS.len())]);
            out.extend(&chars[i..]);
            return out;
        }
    }
    lines.join("\n") + "\n"
}

fn programs() -> Vec<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    let mut dirs = vec![
        root.join("tests/fixtures/ok"),
        root.join("tests/fixtures/err"),
        root.join("tests/diff"),
    ];
    for e in std::fs::read_dir(root.join("examples"))
        .expect("examples/")
        .flatten()
    {
        dirs.push(e.path());
    }
    for d in dirs {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut ps: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "py"))
            .collect();
        ps.sort();
        for p in ps {
            for ext in ["toml", "json"] {
                let s = p.with_extension(ext);
                if s.exists() {
                    out.push((p.clone(), s));
                }
            }
        }
    }
    out
}

#[test]
fn mutated_inputs_never_panic() {
    let progs = programs();
    assert!(progs.len() >= 40, "found only {} programs", progs.len());
    panic::set_hook(Box::new(|_| {}));
    let mut rng = Lcg(0x5eed);
    let mut failures = Vec::new();
    let mut runs = 0;
    for (py, spec) in &progs {
        let source = std::fs::read_to_string(py).unwrap();
        let spec_text = std::fs::read_to_string(spec).unwrap();
        let spec_name = spec.to_string_lossy().to_string();
        for round in 0..60 {
            let (src, sp) = if round % 4 == 3 {
                (source.clone(), mutate(&spec_text, &mut rng))
            } else {
                (mutate(&source, &mut rng), spec_text.clone())
            };
            let (src, sp) = if round % 7 == 6 {
                (mutate(&src, &mut rng), mutate(&sp, &mut rng))
            } else {
                (src, sp)
            };
            runs += 1;
            let result = panic::catch_unwind(|| {
                let input = Input {
                    source_name: "m.py",
                    source: &src,
                    spec_name: &spec_name,
                    spec: &sp,
                    stem: "m",
                    backend: None,
                };
                let _ = compile(&input);
            });
            if result.is_err() {
                failures.push(format!(
                    "--- {} (round {round})\n{src}\n--- spec\n{sp}",
                    py.display()
                ));
            }
        }
    }
    let _ = panic::take_hook();
    assert!(
        failures.is_empty(),
        "{} of {runs} inputs panicked; the first:\n{}",
        failures.len(),
        failures[0]
    );
}
