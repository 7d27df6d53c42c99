//! The front end: the only code that knows the Python parser. It parses the source text,
//! reads the module's imports, and turns each `@parpy.jit` function into the syntax tree of
//! [`ast`], resolving ParPy, NumPy, `math` and builtin names statically; the module itself is
//! never run. Anything outside the language is reported here, at its exact span.

pub mod ast;
mod names;
pub mod versions;

use std::collections::HashMap;

use rustpython_parser::ast as py;
use rustpython_parser::ast::Ranged;
use rustpython_parser::text_size::TextRange;
use rustpython_parser::{parse, Mode};

use crate::diag::{Diagnostic, Span};
use ast::*;
pub use names::Resolved;

/// Front-end errors.
#[derive(Clone, Debug)]
pub enum Error {
    Syntax {
        span: Span,
        message: String,
    },
    Unsupported {
        span: Span,
        what: String,
        instead: Option<String>,
    },
    DanglingLabel {
        span: Span,
    },
    LabelArgument {
        span: Span,
    },
    UnknownAttribute {
        span: Span,
        path: String,
        suggestion: Option<String>,
    },
    BadRange {
        span: Span,
        problem: String,
    },
    BadCall {
        span: Span,
        name: String,
        problem: String,
    },
    NoJitFunctions,
}

impl Error {
    pub fn to_diagnostic(&self) -> Diagnostic {
        match self {
            Error::Syntax { span, message } => Diagnostic::new("E0101", "invalid Python syntax")
                .source(span.clone(), message.clone())
                .hint("parpyc reads the file as Python 3; fix the syntax error first"),
            Error::Unsupported { span, what, instead } => {
                let d = Diagnostic::new("E0102", format!("{what} is not supported in ParPy code"))
                    .source(span.clone(), "not supported here");
                match instead {
                    Some(i) => d.hint(i.clone()),
                    None => d.note("parpyc compiles the ParPy subset of Python: loops over `range`, `while`, `if`, scalar locals, array subscripts and slices, arithmetic and the ParPy operators"),
                }
            }
            Error::DanglingLabel { span } => Diagnostic::new("E0103", "label attached to nothing")
                .source(span.clone(), "no statement follows this label in its block")
                .hint("place `parpy.label(...)` directly before the loop or slice statement it names"),
            Error::LabelArgument { span } => {
                Diagnostic::new("E0104", "a label's name must be a string literal")
                    .source(span.clone(), "expected a string such as 'N'")
                    .hint("write `parpy.label('N')`")
            }
            Error::UnknownAttribute { span, path, suggestion } => {
                let d = Diagnostic::new("E0105", format!("`{path}` is not part of ParPy"))
                    .source(span.clone(), "unknown name");
                match suggestion {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint("see the README for the operators parpyc supports"),
                }
            }
            Error::BadRange { span, problem } => Diagnostic::new("E0106", "unsupported loop")
                .source(span.clone(), problem.clone())
                .hint("loops iterate over `range(stop)`, `range(start, stop)` or `range(start, stop, step)` with a constant step"),
            Error::BadCall { span, name, problem } => {
                Diagnostic::new("E0107", format!("invalid call of `{name}`")).source(span.clone(), problem.clone())
            }
            Error::NoJitFunctions => Diagnostic::new("E0108", "no `@parpy.jit` function in this file")
                .hint("decorate the functions to compile with `@parpy.jit`"),
        }
    }
}

fn span(r: TextRange) -> Span {
    r.start().to_usize()..r.end().to_usize()
}

/// Parses `source` and returns its `@parpy.jit` functions.
pub fn parse_module(source: &str, path: &str) -> Result<Module, Vec<Error>> {
    let module = match parse(source, Mode::Module, path) {
        Ok(py::Mod::Module(m)) => m,
        Ok(_) => return Err(vec![Error::NoJitFunctions]),
        Err(e) => {
            let at = e.offset.to_usize().min(source.len());
            // One character, unless that would run onto the next line.
            let end = match source[at..].chars().next() {
                Some(c) if c != '\n' && c != '\r' => at + c.len_utf8(),
                _ => at,
            };
            return Err(vec![Error::Syntax {
                span: at..end,
                message: e.error.to_string(),
            }]);
        }
    };
    let mut cx = Converter {
        names: names::Imports::default(),
        errors: Vec::new(),
        helpers: Vec::new(),
        externals: Vec::new(),
        signatures: HashMap::new(),
        symbols: Vec::new(),
        type_vars: Vec::new(),
    };
    for stmt in &module.body {
        match stmt {
            py::Stmt::Import(i) => {
                for a in &i.names {
                    cx.names
                        .import(a.name.as_str(), a.asname.as_ref().map(|n| n.as_str()));
                }
            }
            py::Stmt::ImportFrom(i) => {
                if let Some(m) = &i.module {
                    for a in &i.names {
                        cx.names.import_from(
                            m.as_str(),
                            a.name.as_str(),
                            a.asname.as_ref().map(|n| n.as_str()),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    for stmt in &module.body {
        match stmt {
            py::Stmt::FunctionDef(f) if f.decorator_list.iter().any(|d| cx.is_jit_decorator(d)) => {
                cx.helpers.push(f.name.to_string());
                cx.signatures.insert(f.name.to_string(), signature(f));
            }
            py::Stmt::FunctionDef(f)
                if f.decorator_list
                    .iter()
                    .any(|d| cx.external_decorator(d).is_some()) =>
            {
                cx.externals.push(f.name.to_string());
                cx.signatures.insert(f.name.to_string(), signature(f));
            }
            // `N = parpy.types.symbol()`, `T = parpy.types.type_var()`.
            py::Stmt::Assign(a) => {
                if let ([py::Expr::Name(target)], py::Expr::Call(c)) =
                    (a.targets.as_slice(), &*a.value)
                {
                    match cx.names.resolve_expr(&c.func) {
                        Some(Resolved::Path(p)) if p == "parpy.types.symbol" => {
                            cx.symbols.push(target.id.to_string())
                        }
                        Some(Resolved::Path(p)) if p == "parpy.types.type_var" => {
                            cx.type_vars.push(target.id.to_string())
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    let mut functions = Vec::new();
    let mut externals = Vec::new();
    for stmt in &module.body {
        if let py::Stmt::FunctionDef(f) = stmt {
            if let Some(call) = f
                .decorator_list
                .iter()
                .find_map(|d| cx.external_decorator(d))
            {
                if let Some(e) = cx.external(f, call) {
                    externals.push(e);
                }
                continue;
            }
            if f.decorator_list.iter().any(|d| cx.is_jit_decorator(d)) {
                let mut function = cx.function(f);
                implicit_labels(&mut function, &cx.symbols);
                functions.push(function);
            } else if f.decorator_list.is_empty() {
                // Plain Python functions are not compiled; they may be test drivers.
            }
        }
    }
    if functions.is_empty() && cx.errors.is_empty() {
        cx.errors.push(Error::NoJitFunctions);
    }
    if cx.errors.is_empty() {
        let mut module = Module {
            functions,
            externals,
        };
        versions::run(&mut module);
        Ok(module)
    } else {
        Err(cx.errors)
    }
}

/// ParPy 0.3's implicit shape labels: in a function whose parameter annotations use shape
/// symbols (`x: buffer(F32, [N])` with `N = parpy.types.symbol()`) and that has no
/// `parpy.label` of its own, a `for` loop whose bounds name one symbol is labelled by it
/// (`for i in range(N)` by `N`), and a slice statement whose target names one symbol in the
/// bounds of each sliced dimension takes those (`x[:N, :M] = ...` by `N` and `M`; a target
/// without slices takes the slices of the value's first sliced array: `s = sum(x[i, :M])` by
/// `M`), so that a spec entry for `N` parallelizes them with no `parpy.label` call. A function
/// with labels of its own keeps to them (an entry for its explicit `N` would otherwise also
/// parallelize every other loop over `N`), a loop inside the loop labelled `N` does not take
/// `N` again, and where a label lands on a statement with nothing to parallelize it is unused.
/// The spec option `implicit_shape_labels = false` turns them off, and only the functions the
/// spec exports keep them (see [`drop_implicit_labels`]): a helper's symbols are bound by each
/// call, not by the caller's spec.
fn implicit_labels(f: &mut Function, symbols: &[String]) {
    fn explicit(stmts: &[Stmt]) -> bool {
        stmts
            .iter()
            .any(|s| !s.labels.is_empty() || s.parts().1.into_iter().any(|b| explicit(b)))
    }
    let mut used: Vec<String> = Vec::new();
    for p in &f.params {
        if let Some(Annotation {
            kind: AnnotationKind::Buffer { dims, .. },
            ..
        }) = &p.annotation
        {
            for d in dims {
                if let DimRef::Symbol(s) = d {
                    if symbols.contains(s) && !used.contains(s) {
                        used.push(s.clone());
                    }
                }
            }
        }
    }
    used.retain(|s| !f.params.iter().any(|p| &p.name == s));
    if !used.is_empty() && !explicit(&f.body) {
        label_block(&mut f.body, &used, &[]);
    }
}

/// Removes the labels [`implicit_labels`] gave, from every function (`all`: the spec's
/// `implicit_shape_labels = false`) or from those the spec does not export.
pub fn drop_implicit_labels(module: &mut Module, all: bool, exported: &[&str]) {
    fn block(stmts: &mut [Stmt]) {
        for s in stmts {
            s.labels.retain(|l| !l.implicit);
            s.parts_mut().1.into_iter().for_each(|b| block(b));
        }
    }
    for f in &mut module.functions {
        if all || !exported.contains(&f.name.as_str()) {
            block(&mut f.body);
        }
    }
}

/// The symbols `e` names, in order, once each.
fn symbol_names(e: &Expr, symbols: &[String], out: &mut Vec<Label>) {
    if let ExprKind::Name(n) = &e.kind {
        if symbols.contains(n) && !out.iter().any(|l| &l.name == n) {
            out.push(Label {
                name: n.clone(),
                span: e.span.clone(),
                implicit: true,
            });
        }
    }
    for c in e.children() {
        symbol_names(c, symbols, out);
    }
}

/// The labels of a slice statement's sliced dimensions, from the left: one symbol named in the
/// bounds of each sliced dimension of the first subscript of `e` that slices (none where some
/// sliced dimension names no symbol, or several).
fn slice_labels(e: &Expr, symbols: &[String]) -> Option<Vec<Label>> {
    if let ExprKind::Subscript { indices, .. } = &e.kind {
        if indices.iter().any(|i| matches!(i, Index::Slice { .. })) {
            let mut labels = Vec::new();
            for i in indices {
                if let Index::Slice { lo, hi, step, .. } = i {
                    let mut found = Vec::new();
                    for x in [lo, hi, step].into_iter().flatten() {
                        symbol_names(x, symbols, &mut found);
                    }
                    if found.len() != 1 || labels.iter().any(|l: &Label| l.name == found[0].name) {
                        return Some(Vec::new());
                    }
                    labels.extend(found);
                }
            }
            return Some(labels);
        }
    }
    e.children()
        .into_iter()
        .find_map(|c| slice_labels(c, symbols))
}

/// `outer`: the labels of the loops around `stmts`, which a statement inside them does not
/// take again (`for k in range(N)` inside the loop labelled `N` stays sequential).
fn label_block(stmts: &mut [Stmt], symbols: &[String], outer: &[String]) {
    for s in stmts {
        let mut found = Vec::new();
        match &mut s.kind {
            StmtKind::For { range, body, .. } => {
                for e in [range.start.as_ref(), Some(&range.stop), range.step.as_ref()]
                    .into_iter()
                    .flatten()
                {
                    symbol_names(e, symbols, &mut found);
                }
                // A range over several symbols (`range(N - M)`) is none of theirs.
                if found.len() != 1 || outer.contains(&found[0].name) {
                    found.clear();
                }
                let mut inner = outer.to_vec();
                inner.extend(found.iter().map(|l| l.name.clone()));
                label_block(body, symbols, &inner);
            }
            StmtKind::Assign { target, value } | StmtKind::AugAssign { target, value, .. } => {
                found = slice_labels(target, symbols)
                    .or_else(|| slice_labels(value, symbols))
                    .unwrap_or_default();
                if found.iter().any(|l| outer.contains(&l.name)) {
                    found.clear();
                }
            }
            _ => {
                for b in s.parts_mut().1 {
                    label_block(b, symbols, outer);
                }
            }
        }
        s.labels = found;
    }
}

struct Converter {
    names: names::Imports,
    /// Module-level `N = parpy.types.symbol()` and `T = parpy.types.type_var()`.
    symbols: Vec<String>,
    type_vars: Vec<String>,
    errors: Vec<Error>,
    /// The module's `@parpy.jit` functions, which other functions may call.
    helpers: Vec<String>,
    /// The module's `@parpy.external` functions.
    externals: Vec<String>,
    /// The parameters of every helper and external, with their default values.
    signatures: HashMap<String, Vec<(String, Option<py::Expr>)>>,
}

/// A function's parameters and their default values.
fn signature(f: &py::StmtFunctionDef) -> Vec<(String, Option<py::Expr>)> {
    let a = &f.args;
    a.posonlyargs
        .iter()
        .chain(a.args.iter())
        .map(|p| (p.def.arg.to_string(), p.default.as_deref().cloned()))
        .collect()
}

fn unsupported(span: Span, what: &str, instead: Option<&str>) -> Error {
    Error::Unsupported {
        span,
        what: what.to_string(),
        instead: instead.map(str::to_string),
    }
}

impl Converter {
    fn is_jit_decorator(&self, d: &py::Expr) -> bool {
        let target = match d {
            py::Expr::Call(c) => &*c.func,
            other => other,
        };
        matches!(self.names.resolve_expr(target), Some(Resolved::Path(p)) if p == "parpy.jit")
    }

    fn function(&mut self, f: &py::StmtFunctionDef) -> Function {
        let a = &f.args;
        let mut params = Vec::new();
        for p in a.posonlyargs.iter().chain(a.args.iter()) {
            // A default value is filled in at each call that leaves the parameter out.
            params.push(Param {
                name: p.def.arg.to_string(),
                span: span(p.def.range),
                annotation: p.def.annotation.as_ref().and_then(|e| self.annotation(e)),
            });
        }
        if let Some(v) = &a.vararg {
            self.errors
                .push(unsupported(span(v.range), "`*args`", None));
        }
        if let Some(v) = &a.kwarg {
            self.errors
                .push(unsupported(span(v.range), "`**kwargs`", None));
        }
        for k in &a.kwonlyargs {
            self.errors.push(unsupported(
                span(k.def.range),
                "a keyword-only argument",
                None,
            ));
        }
        let body = self.block(&f.body);
        let name_start = span(f.range).start;
        let ret = f.returns.as_ref().and_then(|r| self.type_ref(r));
        Function {
            name: f.name.to_string(),
            name_span: name_start..name_start + 3 + f.name.len(),
            params,
            ret,
            body,
            span: span(f.range),
        }
    }

    /// The call of `@parpy.external(...)`, if `d` is one.
    fn external_decorator<'d>(&self, d: &'d py::Expr) -> Option<&'d py::ExprCall> {
        match d {
            py::Expr::Call(c) if matches!(self.names.resolve_expr(&c.func), Some(Resolved::Path(p)) if p == "parpy.external") => {
                Some(c)
            }
            _ => None,
        }
    }

    /// An external declaration: `@parpy.external("name", parpy.CompileBackend.Cuda,
    /// parpy.Target.Device, header="<h.h>")` on a function with typed parameters.
    fn external(&mut self, f: &py::StmtFunctionDef, call: &py::ExprCall) -> Option<External> {
        let sp = span(call.range);
        let bad = |what: &str| Error::BadCall {
            span: sp.clone(),
            name: "parpy.external".into(),
            problem: what.to_string(),
        };
        let target_name = match call.args.first() {
            Some(py::Expr::Constant(k)) => match &k.value {
                py::Constant::Str(s) => s.clone(),
                _ => {
                    self.errors.push(bad(
                        "the first argument is the function's name in CUDA, a string",
                    ));
                    return None;
                }
            },
            _ => {
                self.errors.push(bad(
                    "the first argument is the function's name in CUDA, a string",
                ));
                return None;
            }
        };
        let backend = match call.args.get(1).and_then(|b| self.names.resolve_expr(b)) {
            Some(Resolved::Path(p)) if p.starts_with("parpy.CompileBackend.") => {
                p["parpy.CompileBackend.".len()..].to_string()
            }
            _ => {
                self.errors.push(bad(
                    "the second argument is the backend, such as `parpy.CompileBackend.Cuda`",
                ));
                return None;
            }
        };
        let device = match call.args.get(2).and_then(|b| self.names.resolve_expr(b)) {
            Some(Resolved::Path(p)) if p == "parpy.Target.Device" => true,
            Some(Resolved::Path(p)) if p == "parpy.Target.Host" => false,
            None if call.args.len() == 2 => true,
            _ => {
                self.errors.push(bad(
                    "the third argument is `parpy.Target.Device` or `parpy.Target.Host`",
                ));
                return None;
            }
        };
        let mut header = None;
        for k in &call.keywords {
            match (k.arg.as_ref().map(|a| a.as_str()), &k.value) {
                (Some("header"), py::Expr::Constant(c)) => {
                    if let py::Constant::Str(h) = &c.value {
                        header = Some(h.clone());
                    }
                }
                (Some("parallelize"), _) => {}
                _ => {
                    self.errors.push(Error::BadCall {
                        span: span(k.range),
                        name: "parpy.external".into(),
                        problem: "unknown keyword argument".into(),
                    });
                    return None;
                }
            }
        }
        let mut params = Vec::new();
        for p in f.args.posonlyargs.iter().chain(f.args.args.iter()) {
            let annotation = match &p.def.annotation {
                Some(a) => Some(self.annotation(a)?),
                None => {
                    self.errors.push(unsupported(
                        span(p.def.range),
                        "an external's parameter without a type",
                        Some("annotate it, such as `x: parpy.types.F32`"),
                    ));
                    return None;
                }
            };
            params.push(Param {
                name: p.def.arg.to_string(),
                span: span(p.def.range),
                annotation,
            });
        }
        let ret = match &f.returns {
            Some(r) => match self.type_ref(r) {
                Some(t) => Some(t),
                None => {
                    self.errors.push(unsupported(
                        span(r.range()),
                        "this return type",
                        Some("return a type of `parpy.types`, such as `parpy.types.F32`"),
                    ));
                    return None;
                }
            },
            None => None,
        };
        let name_start = span(f.range).start;
        Some(External {
            name: f.name.to_string(),
            target_name,
            backend,
            device,
            header,
            params,
            ret,
            span: name_start..name_start + 4 + f.name.len(),
        })
    }

    fn type_ref(&self, e: &py::Expr) -> Option<TypeRef> {
        match self.names.resolve_expr(e)? {
            Resolved::Path(p) => p
                .strip_prefix("parpy.types.")
                .and_then(crate::types::ElemTy::from_parpy_name)
                .map(TypeRef::Concrete),
            Resolved::Local(n) if self.type_vars.contains(&n) => Some(TypeRef::Var(n)),
            _ => None,
        }
    }

    /// A parameter annotation of `parpy.types`; anything else is reported.
    fn annotation(&mut self, e: &py::Expr) -> Option<Annotation> {
        let sp = span(e.range());
        if let Some(t) = self.type_ref(e) {
            return Some(Annotation {
                kind: AnnotationKind::Scalar(t),
                span: sp,
            });
        }
        if let py::Expr::Call(c) = e {
            if matches!(self.names.resolve_expr(&c.func), Some(Resolved::Path(p)) if p == "parpy.types.buffer")
                && c.args.len() == 2
            {
                let elem = self.type_ref(&c.args[0]);
                let dims = match &c.args[1] {
                    py::Expr::List(l) => l
                        .elts
                        .iter()
                        .map(|d| match d {
                            py::Expr::Constant(k) => match &k.value {
                                py::Constant::Int(i) => i64::try_from(i).ok().map(DimRef::Const),
                                _ => None,
                            },
                            py::Expr::Name(n)
                                if self.symbols.iter().any(|x| x == n.id.as_str()) =>
                            {
                                Some(DimRef::Symbol(n.id.to_string()))
                            }
                            _ => None,
                        })
                        .collect::<Option<Vec<_>>>(),
                    py::Expr::Tuple(l) => l
                        .elts
                        .iter()
                        .map(|d| match d {
                            py::Expr::Name(n)
                                if self.symbols.iter().any(|x| x == n.id.as_str()) =>
                            {
                                Some(DimRef::Symbol(n.id.to_string()))
                            }
                            _ => None,
                        })
                        .collect::<Option<Vec<_>>>(),
                    _ => None,
                };
                if let (Some(elem), Some(dims)) = (elem, dims) {
                    return Some(Annotation {
                        kind: AnnotationKind::Buffer { elem, dims },
                        span: sp,
                    });
                }
            }
        }
        // Annotations that are not ParPy types (`x: np.ndarray`, `n: int`, 0.1's
        // `x: parpy.float32`) mean nothing to ParPy's reference run, and nothing here: the
        // parameter's type comes from the spec or the call. Malformed `parpy.types` ones are
        // reported.
        let types_path = |r: Option<Resolved>| matches!(r, Some(Resolved::Path(p)) if p.starts_with("parpy.types"));
        let mentions_types = match e {
            py::Expr::Call(c) => types_path(self.names.resolve_expr(&c.func)),
            other => types_path(self.names.resolve_expr(other)),
        };
        if !mentions_types {
            return None;
        }
        self.errors.push(unsupported(
            sp,
            "this annotation",
            Some("annotate parameters with `parpy.types` (`parpy.types.F32`, `parpy.types.buffer(F32, [N])` with `N = parpy.types.symbol()`), or give their types in the spec"),
        ));
        None
    }

    fn block(&mut self, stmts: &[py::Stmt]) -> Vec<Stmt> {
        let mut out = Vec::new();
        let mut pending: Vec<Label> = Vec::new();
        for s in stmts {
            if let Some(label) = self.label_call(s) {
                if let Some(l) = label {
                    pending.push(l);
                }
                continue;
            }
            // Docstrings and other bare constants are ignored, as Python does.
            if let py::Stmt::Expr(e) = s {
                if matches!(&*e.value, py::Expr::Constant(_)) {
                    continue;
                }
            }
            if let py::Stmt::Assign(a) = s {
                if a.targets.len() > 1 {
                    // `a = b = v`: `v` once, then each target from the left, as Python does.
                    match self.chained_assign(a) {
                        Some(stmts) => {
                            let labels = std::mem::take(&mut pending);
                            for (k, kind) in stmts.into_iter().enumerate() {
                                out.push(Stmt {
                                    kind,
                                    labels: if k == 0 { labels.clone() } else { vec![] },
                                    span: span(s.range()),
                                });
                            }
                        }
                        None => pending.clear(),
                    }
                    continue;
                }
            }
            if let Some(kind) = self.stmt(s) {
                out.push(Stmt {
                    kind,
                    labels: std::mem::take(&mut pending),
                    span: span(s.range()),
                });
            } else {
                pending.clear();
            }
        }
        for l in pending {
            self.errors.push(Error::DanglingLabel { span: l.span });
        }
        out
    }

    /// `Some(label)` if `s` is a `parpy.label(...)` statement (`Some(None)` if malformed).
    fn label_call(&mut self, s: &py::Stmt) -> Option<Option<Label>> {
        let py::Stmt::Expr(e) = s else { return None };
        let py::Expr::Call(c) = &*e.value else {
            return None;
        };
        if !matches!(self.names.resolve_expr(&c.func), Some(Resolved::Path(p)) if p == "parpy.label")
        {
            return None;
        }
        match c.args.as_slice() {
            [py::Expr::Constant(k)] if c.keywords.is_empty() => match &k.value {
                py::Constant::Str(name) => Some(Some(Label {
                    name: name.clone(),
                    span: span(e.range),
                    implicit: false,
                })),
                _ => {
                    self.errors.push(Error::LabelArgument {
                        span: span(k.range),
                    });
                    Some(None)
                }
            },
            _ => {
                self.errors.push(Error::LabelArgument {
                    span: span(c.range),
                });
                Some(None)
            }
        }
    }

    /// The statements of `t1 = t2 = ... = v`. A scalar value goes through a hidden local, so
    /// that it is computed once even when a target is something it reads; a slice value is
    /// assigned to each target in turn.
    fn chained_assign(&mut self, a: &py::StmtAssign) -> Option<Vec<StmtKind>> {
        let mut targets = Vec::new();
        for t in &a.targets {
            targets.push(self.target(t));
        }
        let targets: Vec<Expr> = targets.into_iter().collect::<Option<_>>()?;
        let value = self.expr(&a.value)?;
        fn sliced(e: &Expr) -> bool {
            let here = matches!(&e.kind, ExprKind::Subscript { indices, .. }
                if indices.iter().any(|i| matches!(i, Index::Slice { .. })));
            here || e.children().into_iter().any(sliced)
        }
        if sliced(&value) || targets.iter().any(sliced) {
            return Some(
                targets
                    .into_iter()
                    .map(|target| StmtKind::Assign {
                        target,
                        value: value.clone(),
                    })
                    .collect(),
            );
        }
        let sp = value.span.clone();
        let tmp = Expr {
            kind: ExprKind::Name("value#chain".to_string()),
            span: sp,
        };
        let mut out = vec![StmtKind::Assign {
            target: tmp.clone(),
            value,
        }];
        out.extend(targets.into_iter().map(|target| StmtKind::Assign {
            target,
            value: tmp.clone(),
        }));
        Some(out)
    }

    fn stmt(&mut self, s: &py::Stmt) -> Option<StmtKind> {
        let sp = span(s.range());
        let kind = match s {
            py::Stmt::Assign(a) => {
                if a.targets.len() != 1 {
                    self.errors.push(unsupported(
                        sp,
                        "assignment to several targets",
                        Some("assign each target in its own statement"),
                    ));
                    return None;
                }
                let target = self.target(&a.targets[0])?;
                let value = self.expr(&a.value)?;
                StmtKind::Assign { target, value }
            }
            py::Stmt::AnnAssign(a) => {
                let Some(v) = &a.value else {
                    self.errors
                        .push(unsupported(sp, "a declaration without a value", None));
                    return None;
                };
                let target = self.target(&a.target)?;
                let value = self.expr(v)?;
                StmtKind::Assign { target, value }
            }
            py::Stmt::AugAssign(a) => {
                let target = self.target(&a.target)?;
                let value = self.expr(&a.value)?;
                let op = self.binop(a.op, sp.clone())?;
                StmtKind::AugAssign { target, op, value }
            }
            py::Stmt::For(f) => {
                if !f.orelse.is_empty() {
                    self.errors.push(unsupported(
                        span(f.orelse[0].range()),
                        "`for ... else`",
                        Some("move the `else` block after the loop"),
                    ));
                }
                let py::Expr::Name(v) = &*f.target else {
                    self.errors.push(unsupported(
                        span(f.target.range()),
                        "a loop target other than a name",
                        Some("write `for i in range(...)`"),
                    ));
                    return None;
                };
                let range = self.range(&f.iter)?;
                let body = self.block(&f.body);
                StmtKind::For {
                    var: v.id.to_string(),
                    var_span: span(v.range),
                    range,
                    body,
                }
            }
            py::Stmt::While(w) => {
                if !w.orelse.is_empty() {
                    self.errors.push(unsupported(
                        span(w.orelse[0].range()),
                        "`while ... else`",
                        Some("move the `else` block after the loop"),
                    ));
                }
                let cond = self.expr(&w.test)?;
                let body = self.block(&w.body);
                StmtKind::While { cond, body }
            }
            py::Stmt::If(i) => {
                let cond = self.expr(&i.test)?;
                let then = self.block(&i.body);
                let els = self.block(&i.orelse);
                StmtKind::If { cond, then, els }
            }
            py::Stmt::Pass(_) => StmtKind::Pass,
            py::Stmt::Break(_) => StmtKind::Break,
            py::Stmt::Continue(_) => StmtKind::Continue,
            py::Stmt::Return(r) => {
                let value = match &r.value {
                    Some(v) => Some(self.expr(v)?),
                    None => None,
                };
                StmtKind::Return(value)
            }
            py::Stmt::Expr(e) => {
                if let py::Expr::Call(c) = &*e.value {
                    // `parpy.builtin.inline(f(...))` is a statement call of `f`.
                    let inner = match self.names.resolve_expr(&c.func) {
                        Some(Resolved::Path(p))
                            if p == "parpy.builtin.inline" && c.args.len() == 1 =>
                        {
                            match &c.args[0] {
                                py::Expr::Call(inner) => Some(inner),
                                _ => None,
                            }
                        }
                        _ => None,
                    };
                    if let Some(Resolved::Path(p)) = self.names.resolve_expr(&c.func) {
                        if p.ends_with(".static_fail") && p.starts_with("parpy") {
                            let msg = match c.args.first() {
                                Some(py::Expr::Constant(k)) => match &k.value {
                                    py::Constant::Str(m) => m.clone(),
                                    _ => String::new(),
                                },
                                _ => String::new(),
                            };
                            return Some(StmtKind::StaticFail(msg));
                        }
                    }
                    let call = inner.unwrap_or(c);
                    if let Some(Resolved::Local(name)) = self.names.resolve_expr(&call.func) {
                        if self.externals.contains(&name) {
                            let args = self.call_args(&name, call)?;
                            return Some(StmtKind::CallExt {
                                name,
                                name_span: span(call.func.range()),
                                args,
                            });
                        }
                        if self.helpers.contains(&name) {
                            let args = self.call_args(&name, call)?;
                            return Some(StmtKind::Call {
                                name,
                                name_span: span(call.func.range()),
                                args,
                            });
                        }
                        self.errors.push(unsupported(
                            sp,
                            &format!("calling `{name}`"),
                            Some("only `@parpy.jit` functions of the same module can be called"),
                        ));
                        return None;
                    }
                }
                self.errors.push(unsupported(
                    sp,
                    "an expression statement",
                    Some("assign the value to a local or an array element"),
                ));
                return None;
            }
            py::Stmt::With(w) => {
                let is_gpu = w.items.len() == 1
                    && w.items[0].optional_vars.is_none()
                    && matches!(self.names.resolve_expr(&w.items[0].context_expr), Some(Resolved::Path(p)) if p == "parpy.gpu" || p == "parpy.builtin.gpu" || p == "parpy.operators.gpu");
                if !is_gpu {
                    self.errors.push(unsupported(
                        sp,
                        "a `with` statement",
                        Some("the only context ParPy knows is `with parpy.gpu:`"),
                    ));
                    return None;
                }
                let body = self.block(&w.body);
                StmtKind::Gpu { body }
            }
            py::Stmt::FunctionDef(_) | py::Stmt::AsyncFunctionDef(_) => {
                self.errors.push(unsupported(
                    sp,
                    "a nested function",
                    Some("define helper functions at module level"),
                ));
                return None;
            }
            py::Stmt::Try(_) | py::Stmt::TryStar(_) => {
                self.errors.push(unsupported(sp, "`try`", None));
                return None;
            }
            py::Stmt::Raise(_) => {
                self.errors.push(unsupported(sp, "`raise`", None));
                return None;
            }
            py::Stmt::Assert(_) => {
                self.errors.push(unsupported(
                    sp,
                    "`assert`",
                    Some("check inputs in the caller, before the call"),
                ));
                return None;
            }
            py::Stmt::Import(_) | py::Stmt::ImportFrom(_) => {
                self.errors.push(unsupported(
                    sp,
                    "an import inside a function",
                    Some("import at the top of the module"),
                ));
                return None;
            }
            py::Stmt::Delete(_) => {
                self.errors.push(unsupported(sp, "`del`", None));
                return None;
            }
            py::Stmt::Global(_) | py::Stmt::Nonlocal(_) => {
                self.errors
                    .push(unsupported(sp, "`global`/`nonlocal`", None));
                return None;
            }
            py::Stmt::ClassDef(_) => {
                self.errors
                    .push(unsupported(sp, "a class definition", None));
                return None;
            }
            _ => {
                self.errors.push(unsupported(sp, "this statement", None));
                return None;
            }
        };
        Some(kind)
    }

    fn target(&mut self, e: &py::Expr) -> Option<Expr> {
        match e {
            py::Expr::Name(_) | py::Expr::Subscript(_) => self.expr(e),
            py::Expr::Tuple(_) | py::Expr::List(_) => {
                self.errors.push(unsupported(
                    span(e.range()),
                    "tuple unpacking",
                    Some("assign each value in its own statement"),
                ));
                None
            }
            py::Expr::Attribute(_) => {
                self.errors.push(unsupported(
                    span(e.range()),
                    "assignment to an attribute",
                    None,
                ));
                None
            }
            _ => {
                self.errors
                    .push(unsupported(span(e.range()), "this assignment target", None));
                None
            }
        }
    }

    fn range(&mut self, e: &py::Expr) -> Option<RangeArgs> {
        let sp = span(e.range());
        let py::Expr::Call(c) = e else {
            self.errors.push(Error::BadRange {
                span: sp,
                problem: "loops must iterate over `range(...)`".into(),
            });
            return None;
        };
        if !matches!(self.names.resolve_expr(&c.func), Some(Resolved::Builtin(n)) if n == "range") {
            self.errors.push(Error::BadRange {
                span: sp,
                problem: "loops must iterate over `range(...)`".into(),
            });
            return None;
        }
        if !c.keywords.is_empty() || c.args.is_empty() || c.args.len() > 3 {
            self.errors.push(Error::BadRange {
                span: sp,
                problem: "`range` takes one to three positional arguments".into(),
            });
            return None;
        }
        let mut args = Vec::new();
        for a in &c.args {
            args.push(self.expr(a)?);
        }
        let mut it = args.into_iter();
        Some(match c.args.len() {
            1 => RangeArgs {
                start: None,
                stop: it.next()?,
                step: None,
            },
            2 => RangeArgs {
                start: it.next(),
                stop: it.next()?,
                step: None,
            },
            _ => RangeArgs {
                start: it.next(),
                stop: it.next()?,
                step: it.next(),
            },
        })
    }

    fn binop(&mut self, op: py::Operator, sp: Span) -> Option<BinOp> {
        Some(match op {
            py::Operator::Add => BinOp::Add,
            py::Operator::Sub => BinOp::Sub,
            py::Operator::Mult => BinOp::Mul,
            py::Operator::Div => BinOp::Div,
            py::Operator::FloorDiv => BinOp::FloorDiv,
            py::Operator::Mod => BinOp::Mod,
            py::Operator::Pow => BinOp::Pow,
            py::Operator::BitAnd => BinOp::BitAnd,
            py::Operator::BitOr => BinOp::BitOr,
            py::Operator::BitXor => BinOp::BitXor,
            py::Operator::LShift => BinOp::Shl,
            py::Operator::RShift => BinOp::Shr,
            py::Operator::MatMult => {
                self.errors.push(unsupported(
                    sp,
                    "the matrix product operator `@`",
                    Some("write the product as loops with a `sum` reduction"),
                ));
                return None;
            }
        })
    }

    fn exprs(&mut self, es: &[py::Expr]) -> Option<Vec<Expr>> {
        let mut out = Vec::new();
        let mut ok = true;
        for e in es {
            match self.expr(e) {
                Some(x) => out.push(x),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn expr(&mut self, e: &py::Expr) -> Option<Expr> {
        let sp = span(e.range());
        let kind = match e {
            py::Expr::Name(n) => match self.names.resolve_name(n.id.as_str()) {
                Resolved::Path(p) => return self.constant_path(&p, sp),
                Resolved::Builtin(b) if b == "True" || b == "False" => ExprKind::Bool(b == "True"),
                _ => ExprKind::Name(n.id.to_string()),
            },
            py::Expr::Constant(c) => match &c.value {
                py::Constant::Int(i) => match i64::try_from(i) {
                    Ok(v) => ExprKind::Int(v),
                    Err(_) => {
                        self.errors.push(unsupported(
                            sp,
                            "an integer literal outside the 64-bit range",
                            None,
                        ));
                        return None;
                    }
                },
                py::Constant::Float(f) => ExprKind::Float(*f),
                py::Constant::Bool(b) => ExprKind::Bool(*b),
                py::Constant::Str(_) => {
                    self.errors.push(unsupported(sp, "a string", None));
                    return None;
                }
                py::Constant::None => {
                    self.errors.push(unsupported(sp, "`None`", None));
                    return None;
                }
                _ => {
                    self.errors.push(unsupported(sp, "this constant", None));
                    return None;
                }
            },
            py::Expr::BinOp(b) => {
                let l = self.expr(&b.left);
                let r = self.expr(&b.right);
                let op = self.binop(b.op, sp.clone())?;
                ExprKind::Binary(op, Box::new(l?), Box::new(r?))
            }
            py::Expr::UnaryOp(u) => {
                let x = self.expr(&u.operand)?;
                // A negative literal stays a literal, so `x[-1]` is a constant index.
                if u.op == py::UnaryOp::USub {
                    match x.kind {
                        ExprKind::Int(i) => {
                            return Some(Expr {
                                kind: ExprKind::Int(-i),
                                span: sp,
                            })
                        }
                        ExprKind::Float(f) => {
                            return Some(Expr {
                                kind: ExprKind::Float(-f),
                                span: sp,
                            })
                        }
                        _ => {}
                    }
                }
                let op = match u.op {
                    py::UnaryOp::USub => UnOp::Neg,
                    py::UnaryOp::UAdd => UnOp::Pos,
                    py::UnaryOp::Not => UnOp::Not,
                    py::UnaryOp::Invert => UnOp::Invert,
                };
                ExprKind::Unary(op, Box::new(x))
            }
            py::Expr::Compare(c) => {
                let left = self.expr(&c.left)?;
                let rights = self.exprs(&c.comparators)?;
                let mut pairs = Vec::new();
                for (op, r) in c.ops.iter().zip(rights) {
                    let op = match op {
                        py::CmpOp::Eq => CmpOp::Eq,
                        py::CmpOp::NotEq => CmpOp::Ne,
                        py::CmpOp::Lt => CmpOp::Lt,
                        py::CmpOp::LtE => CmpOp::Le,
                        py::CmpOp::Gt => CmpOp::Gt,
                        py::CmpOp::GtE => CmpOp::Ge,
                        _ => {
                            self.errors.push(unsupported(
                                sp,
                                "`is`/`in` comparisons",
                                Some("compare numbers with `==`, `!=`, `<`, `<=`, `>`, `>=`"),
                            ));
                            return None;
                        }
                    };
                    pairs.push((op, r));
                }
                ExprKind::Compare(Box::new(left), pairs)
            }
            py::Expr::BoolOp(b) => {
                let vs = self.exprs(&b.values)?;
                let op = match b.op {
                    py::BoolOp::And => BoolOp::And,
                    py::BoolOp::Or => BoolOp::Or,
                };
                ExprKind::BoolOp(op, vs)
            }
            py::Expr::IfExp(i) => {
                let c = self.expr(&i.test);
                let t = self.expr(&i.body);
                let f = self.expr(&i.orelse);
                ExprKind::IfExp {
                    cond: Box::new(c?),
                    then: Box::new(t?),
                    els: Box::new(f?),
                }
            }
            py::Expr::Subscript(s) => {
                let base = self.expr(&s.value)?;
                let indices = match &*s.slice {
                    py::Expr::Tuple(t) => {
                        let mut v = Vec::new();
                        for el in &t.elts {
                            v.push(self.index(el)?);
                        }
                        v
                    }
                    other => vec![self.index(other)?],
                };
                // `a[i][j]` is `a[i, j]`.
                match base.kind {
                    ExprKind::Subscript {
                        base: inner,
                        indices: mut first,
                    } => {
                        first.extend(indices);
                        ExprKind::Subscript {
                            base: inner,
                            indices: first,
                        }
                    }
                    _ => ExprKind::Subscript {
                        base: Box::new(base),
                        indices,
                    },
                }
            }
            py::Expr::Call(c) => return self.call(c, sp),
            py::Expr::Attribute(_) => match self.names.resolve_expr(e) {
                Some(Resolved::Path(p)) => return self.constant_path(&p, sp),
                _ => {
                    self.errors.push(unsupported(sp, "attribute access", Some("pass sizes as integer arguments or shape symbols in the spec instead of reading attributes such as `x.shape`")));
                    return None;
                }
            },
            py::Expr::List(_) | py::Expr::ListComp(_) => {
                self.errors
                    .push(unsupported(sp, "a list", Some("use an array argument")));
                return None;
            }
            py::Expr::Tuple(_) => {
                self.errors
                    .push(unsupported(sp, "a tuple outside an index", None));
                return None;
            }
            py::Expr::Dict(_) | py::Expr::DictComp(_) => {
                self.errors.push(unsupported(sp, "a dict literal", None));
                return None;
            }
            py::Expr::Lambda(_) => {
                self.errors.push(unsupported(
                    sp,
                    "a lambda",
                    Some("define a `@parpy.jit` helper function at module level"),
                ));
                return None;
            }
            py::Expr::GeneratorExp(_) | py::Expr::SetComp(_) | py::Expr::Set(_) => {
                self.errors.push(unsupported(
                    sp,
                    "a comprehension",
                    Some("write the loop out with `for ... in range(...)`"),
                ));
                return None;
            }
            py::Expr::Slice(_) => {
                self.errors
                    .push(unsupported(sp, "a slice outside a subscript", None));
                return None;
            }
            _ => {
                self.errors.push(unsupported(sp, "this expression", None));
                return None;
            }
        };
        Some(Expr { kind, span: sp })
    }

    fn index(&mut self, e: &py::Expr) -> Option<Index> {
        if let py::Expr::Slice(s) = e {
            let lo = match &s.lower {
                Some(x) => Some(Box::new(self.expr(x)?)),
                None => None,
            };
            let hi = match &s.upper {
                Some(x) => Some(Box::new(self.expr(x)?)),
                None => None,
            };
            let step = match &s.step {
                Some(x) => Some(Box::new(self.expr(x)?)),
                None => None,
            };
            return Some(Index::Slice {
                lo,
                hi,
                step,
                span: span(s.range),
            });
        }
        if let py::Expr::Constant(k) = e {
            if let py::Constant::Str(key) = &k.value {
                return Some(Index::Expr(Expr {
                    kind: ExprKind::Str(key.clone()),
                    span: span(k.range),
                }));
            }
        }
        Some(Index::Expr(self.expr(e)?))
    }

    /// A ParPy or library name used as a value: `parpy.operators.inf`, `np.inf`, `math.pi`.
    fn constant_path(&mut self, path: &str, sp: Span) -> Option<Expr> {
        let kind = match names::constant(path) {
            Some(v) => ExprKind::Float(v),
            None => {
                self.errors.push(Error::UnknownAttribute {
                    span: sp,
                    path: path.to_string(),
                    suggestion: names::suggest_path(path),
                });
                return None;
            }
        };
        Some(Expr { kind, span: sp })
    }

    fn call(&mut self, c: &py::ExprCall, sp: Span) -> Option<Expr> {
        let fsp = span(c.func.range());
        let resolved = self.names.resolve_expr(&c.func);
        if matches!(&resolved, Some(Resolved::Path(p)) if matches!(p.as_str(), "parpy.builtin.convert" | "parpy.operators.convert" | "parpy.convert"))
        {
            return self.convert_call(c, sp);
        }
        if let Some(Resolved::Path(p)) = &resolved {
            let leaf = p.rsplit('.').next().unwrap_or("");
            let module_ok = matches!(
                p.rsplit_once('.').map(|x| x.0),
                Some("parpy.builtin" | "parpy.operators" | "parpy")
            );
            if module_ok && leaf == "static_backend_eq" && c.args.len() == 1 {
                if let Some(Resolved::Path(b)) = self.names.resolve_expr(&c.args[0]) {
                    if let Some(name) = b.strip_prefix("parpy.CompileBackend.") {
                        return Some(Expr {
                            kind: ExprKind::StaticBackendEq(name.to_string()),
                            span: sp,
                        });
                    }
                }
                self.errors.push(Error::BadCall {
                    span: sp,
                    name: p.clone(),
                    problem: "expected a backend such as `parpy.CompileBackend.Cuda`".into(),
                });
                return None;
            }
            if module_ok && leaf == "static_types_eq" && c.args.len() == 2 {
                match (self.type_ref(&c.args[0]), self.type_ref(&c.args[1])) {
                    (Some(a), Some(b)) => {
                        return Some(Expr {
                            kind: ExprKind::StaticTypesEq(a, b),
                            span: sp,
                        })
                    }
                    _ => {
                        self.errors.push(Error::BadCall {
                            span: sp,
                            name: p.clone(),
                            problem: "expected two types of `parpy.types` or type variables".into(),
                        });
                        return None;
                    }
                }
            }
        }
        let (func, name) = match &resolved {
            Some(Resolved::Path(p)) => match names::function(p) {
                Some(f) => (f, p.clone()),
                None => {
                    self.errors.push(Error::UnknownAttribute {
                        span: fsp,
                        path: p.clone(),
                        suggestion: names::suggest_path(p),
                    });
                    return None;
                }
            },
            Some(Resolved::Builtin(b)) if b == "float" && is_str_arg(c) => {
                return self.float_call(c, sp);
            }
            Some(Resolved::Builtin(b)) => match names::python_builtin(b) {
                Some(f) => (f, b.clone()),
                None => {
                    self.errors
                        .push(unsupported(fsp, &format!("Python's `{b}`"), None));
                    return None;
                }
            },
            Some(Resolved::Local(n)) => {
                let external = self.externals.contains(n);
                if !external && !self.helpers.contains(n) {
                    self.errors.push(unsupported(
                        sp,
                        &format!("calling `{n}`"),
                        Some("only `@parpy.jit` functions of the same module can be called"),
                    ));
                    return None;
                }
                let (name, name_span, args) = (n.clone(), fsp, self.call_args(n, c)?);
                let kind = if external {
                    ExprKind::CallExt {
                        name,
                        name_span,
                        args,
                    }
                } else {
                    ExprKind::CallFn {
                        name,
                        name_span,
                        args,
                    }
                };
                return Some(Expr { kind, span: sp });
            }
            None => {
                self.errors
                    .push(unsupported(fsp, "calling this expression", None));
                return None;
            }
        };
        let mut axis = None;
        for k in &c.keywords {
            match k.arg.as_ref().map(|a| a.as_str()) {
                Some("axis") if matches!(func, Builtin::Reduce(_) | Builtin::ReduceOrPair(_)) => {
                    let v = self.expr(&k.value)?;
                    match v.kind {
                        ExprKind::Int(i) => axis = Some((i, v.span)),
                        _ => {
                            self.errors.push(Error::BadCall {
                                span: v.span,
                                name: name.clone(),
                                problem: "`axis` must be an integer literal".into(),
                            });
                            return None;
                        }
                    }
                }
                _ => {
                    self.errors.push(Error::BadCall {
                        span: span(k.range),
                        name: name.clone(),
                        problem: "unexpected keyword argument".into(),
                    });
                    return None;
                }
            }
        }
        let args = self.exprs(&c.args)?;
        let arity_ok = match func {
            Builtin::Reduce(_) => args.len() == 1,
            Builtin::PyReduce(ReduceOp::Sum) => args.len() == 1,
            Builtin::PyReduce(_) | Builtin::ReduceOrPair(_) => args.len() == 1 || args.len() == 2,
            Builtin::Math(m) | Builtin::PyMath(m) => args.len() == m.arity(),
            Builtin::Cast(_) | Builtin::PyCast(_) => args.len() == 1,
        };
        if !arity_ok {
            self.errors.push(Error::BadCall {
                span: sp,
                name,
                problem: format!("wrong number of arguments ({})", args.len()),
            });
            return None;
        }
        Some(Expr {
            kind: ExprKind::Call {
                func,
                func_span: fsp,
                args,
                axis,
            },
            span: sp,
        })
    }

    /// `parpy.builtin.convert(x, parpy.types.F32)`.
    fn convert_call(&mut self, c: &py::ExprCall, sp: Span) -> Option<Expr> {
        let name = "parpy.builtin.convert".to_string();
        if c.args.len() != 2 || !c.keywords.is_empty() {
            self.errors.push(Error::BadCall {
                span: sp,
                name,
                problem: "expected a value and a type: `convert(x, parpy.types.F32)`".into(),
            });
            return None;
        }
        let ty = self.type_ref(&c.args[1]);
        let Some(ty) = ty else {
            self.errors.push(Error::BadCall {
                span: span(c.args[1].range()),
                name,
                problem:
                    "not a type of `parpy.types` such as `parpy.types.F32`, nor a type variable"
                        .into(),
            });
            return None;
        };
        let ty = match ty {
            TypeRef::Concrete(t) => t,
            TypeRef::Var(v) => {
                let x = self.expr(&c.args[0])?;
                return Some(Expr {
                    kind: ExprKind::ConvertVar(Box::new(x), v),
                    span: sp,
                });
            }
        };
        let x = self.expr(&c.args[0])?;
        Some(Expr {
            kind: ExprKind::Call {
                func: Builtin::Cast(ty),
                func_span: span(c.func.range()),
                args: vec![x],
                axis: None,
            },
            span: sp,
        })
    }

    /// `float('inf')`, `float('-inf')`, `float(x)`.
    /// The arguments of a call of helper or external `name` in parameter order: positional
    /// arguments, then keyword arguments by name, then the defaults of the parameters left.
    fn call_args(&mut self, name: &str, c: &py::ExprCall) -> Option<Vec<Expr>> {
        let Some(params) = self.signatures.get(name).cloned() else {
            return self.exprs(&c.args);
        };
        let sp = span(c.range);
        if c.args.len() > params.len() {
            self.errors.push(Error::BadCall {
                span: sp,
                name: name.to_string(),
                problem: format!(
                    "{} arguments given, but `{name}` takes {}",
                    c.args.len(),
                    params.len()
                ),
            });
            return None;
        }
        let mut slots: Vec<Option<&py::Expr>> = c.args.iter().map(Some).collect();
        slots.resize(params.len(), None);
        for k in &c.keywords {
            let Some(arg) = &k.arg else {
                self.errors
                    .push(unsupported(span(k.range), "`**` in a call", None));
                return None;
            };
            let Some(i) = params.iter().position(|(p, _)| p == arg.as_str()) else {
                self.errors.push(Error::BadCall {
                    span: span(k.range),
                    name: name.to_string(),
                    problem: format!("`{name}` has no parameter `{arg}`"),
                });
                return None;
            };
            if slots[i].is_some() {
                self.errors.push(Error::BadCall {
                    span: span(k.range),
                    name: name.to_string(),
                    problem: format!("parameter `{arg}` is given twice"),
                });
                return None;
            }
            slots[i] = Some(&k.value);
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (slot, (p, default)) in slots.into_iter().zip(&params) {
            let Some(e) = slot.or(default.as_ref()) else {
                self.errors.push(Error::BadCall {
                    span: sp.clone(),
                    name: name.to_string(),
                    problem: format!("missing argument `{p}`"),
                });
                return None;
            };
            match self.expr(e) {
                Some(x) => out.push(x),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn float_call(&mut self, c: &py::ExprCall, sp: Span) -> Option<Expr> {
        if let [py::Expr::Constant(k)] = c.args.as_slice() {
            if let py::Constant::Str(s) = &k.value {
                let v = match s.trim().to_ascii_lowercase().as_str() {
                    "inf" | "+inf" | "infinity" => f64::INFINITY,
                    "-inf" | "-infinity" => f64::NEG_INFINITY,
                    other => match other.parse::<f64>() {
                        Ok(v) => v,
                        Err(_) => {
                            self.errors.push(Error::BadCall {
                                span: sp,
                                name: "float".into(),
                                problem: format!("`{s}` is not a number"),
                            });
                            return None;
                        }
                    },
                };
                return Some(Expr {
                    kind: ExprKind::Float(v),
                    span: sp,
                });
            }
        }
        self.errors.push(unsupported(
            sp,
            "Python's `float(...)` conversion",
            Some("convert with `parpy.operators.float64(x)` (or float32)"),
        ));
        None
    }
}

/// Whether a call's only argument is a string literal (`float('inf')`).
fn is_str_arg(c: &py::ExprCall) -> bool {
    matches!(c.args.as_slice(), [py::Expr::Constant(k)] if matches!(k.value, py::Constant::Str(_)))
}

/// Parses a stand-alone expression, such as a thread count written in the spec (`"N * 4"`).
/// Only names and arithmetic are accepted; spans are relative to `text`.
pub fn parse_expression(text: &str) -> Result<Expr, Error> {
    let parsed = match parse(text, Mode::Expression, "<spec>") {
        Ok(py::Mod::Expression(e)) => e,
        Ok(_) => {
            return Err(Error::Syntax {
                span: 0..text.len(),
                message: "expected an expression".into(),
            })
        }
        Err(e) => {
            let at = e.offset.to_usize().min(text.len());
            return Err(Error::Syntax {
                span: at..(at + 1).min(text.len()),
                message: e.error.to_string(),
            });
        }
    };
    let mut cx = Converter {
        names: names::Imports::default(),
        errors: Vec::new(),
        helpers: Vec::new(),
        externals: Vec::new(),
        signatures: HashMap::new(),
        symbols: Vec::new(),
        type_vars: Vec::new(),
    };
    match cx.expr(&parsed.body) {
        Some(e) if cx.errors.is_empty() => Ok(e),
        _ => Err(cx.errors.into_iter().next().unwrap_or(Error::Syntax {
            span: 0..text.len(),
            message: "invalid expression".into(),
        })),
    }
}
