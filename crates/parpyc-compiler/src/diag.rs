//! Diagnostics: one type for every phase's errors, rendered in the style of rustc by
//! codespan-reporting. Each phase keeps its own error enum (with spans and data) and turns it
//! into a [`Diagnostic`] in one `to_diagnostic` function, so its wording is reviewed in one place.

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label as CsLabel};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;

pub type Span = Range<usize>;

/// Which input a span points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum File {
    Source,
    Spec,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub file: File,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code, `E0101`.
    pub code: &'static str,
    pub title: String,
    pub primary: Option<Label>,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(code: &'static str, title: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            title: title.into(),
            primary: None,
            secondary: Vec::new(),
            notes: Vec::new(),
            hint: None,
        }
    }

    pub fn at(mut self, file: File, span: Span, message: impl Into<String>) -> Diagnostic {
        self.primary = Some(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }

    pub fn source(self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.at(File::Source, span, message)
    }

    pub fn spec(self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.at(File::Spec, span, message)
    }

    pub fn also(mut self, file: File, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }
}

/// The inputs a diagnostic can point into, by the names the user gave them.
pub struct Files<'a> {
    pub source_name: &'a str,
    pub source: &'a str,
    pub spec_name: &'a str,
    pub spec: &'a str,
}

/// Renders diagnostics as text, in the style of rustc. `color` adds ANSI colors.
pub fn render(diags: &[Diagnostic], files: &Files<'_>, color: bool) -> String {
    let mut db = SimpleFiles::new();
    let src = db.add(files.source_name, files.source);
    let spec = db.add(files.spec_name, files.spec);
    let id = |f: File| if f == File::Source { src } else { spec };
    let len = |f: File| {
        if f == File::Source {
            files.source.len()
        } else {
            files.spec.len()
        }
    };
    let clamp = |l: &Label| {
        let n = len(l.file);
        let start = l.span.start.min(n);
        start..l.span.end.clamp(start, n)
    };
    let config = term::Config::default();
    let mut out = String::new();
    for d in diags {
        let mut cs = CsDiagnostic::error()
            .with_code(d.code)
            .with_message(&d.title);
        let mut labels = Vec::new();
        if let Some(p) = &d.primary {
            labels.push(CsLabel::primary(id(p.file), clamp(p)).with_message(&p.message));
        }
        for s in &d.secondary {
            labels.push(CsLabel::secondary(id(s.file), clamp(s)).with_message(&s.message));
        }
        cs = cs.with_labels(labels);
        let mut notes: Vec<String> = d.notes.iter().map(|n| format!("note: {n}")).collect();
        if let Some(h) = &d.hint {
            notes.push(format!("hint: {h}"));
        }
        cs = cs.with_notes(notes);
        let text = if color {
            let mut w = term::termcolor::Ansi::new(Vec::new());
            match term::emit_to_write_style(&mut w, &config, &db, &cs) {
                Ok(()) => String::from_utf8_lossy(&w.into_inner()).into_owned(),
                Err(e) => format!("error[{}]: {} ({e})\n", d.code, d.title),
            }
        } else {
            term::emit_into_string(&config, &db, &cs)
                .unwrap_or_else(|e| format!("error[{}]: {} ({e})\n", d.code, d.title))
        };
        out.push_str(&text);
    }
    out
}

/// The candidate closest to `name` by edit distance, if it is close enough to be a likely typo.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring characters (`rwo` is one edit from `row`), ignoring ASCII case.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(suggest("rwo", ["row", "out", "A"]), Some("row"));
        assert_eq!(suggest("xyz", ["row", "out"]), None);
        assert_eq!(
            suggest("thread", ["threads", "reduce", "tpb"]),
            Some("threads")
        );
    }
}
