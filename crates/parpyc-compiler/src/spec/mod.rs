//! The parallelization spec (TOML or JSON, one schema): options, argument types and the
//! `LoopPar` of each label, per exported function. This module reads and validates the file on
//! its own; whether labels and arguments exist in the Python source is checked by `lower`.

mod raw;

use crate::diag::{suggest, Diagnostic, Span};
use crate::types::ElemTy;
use crate::Backend;
use raw::{Entry, Node, Value};

#[derive(Clone, Debug)]
pub struct Spec {
    pub options: Options,
    pub functions: Vec<FunctionSpec>,
}

#[derive(Clone, Debug)]
pub struct Options {
    pub backend: Option<Backend>,
    pub force_int_size: ElemTy,
    pub force_float_size: ElemTy,
    pub use_cuda_graphs: bool,
    pub use_cuda_thread_block_clusters: bool,
    pub max_thread_blocks_per_cluster: i64,
    /// ParPy 0.3's implicit shape labels (see `front::implicit_labels`), on by default.
    pub implicit_shape_labels: bool,
    pub includes: Vec<String>,
    pub libs: Vec<String>,
    pub extra_flags: Vec<String>,
    pub cuda_arch: Vec<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            backend: None,
            force_int_size: ElemTy::I64,
            force_float_size: ElemTy::F64,
            use_cuda_graphs: false,
            use_cuda_thread_block_clusters: false,
            max_thread_blocks_per_cluster: 8,
            implicit_shape_labels: true,
            includes: Vec::new(),
            libs: Vec::new(),
            extra_flags: Vec::new(),
            cuda_arch: vec!["sm_90".to_string()],
        }
    }
}

#[derive(Clone, Debug)]
pub struct FunctionSpec {
    pub name: String,
    pub name_span: Span,
    /// Argument types; the fields of a dict argument `d` appear as `d.field`.
    pub args: Vec<ArgSpec>,
    /// The names of dict arguments.
    pub dicts: Vec<String>,
    pub par: Vec<ParSpec>,
}

#[derive(Clone, Debug)]
pub struct ArgSpec {
    pub name: String,
    pub name_span: Span,
    pub ty: ArgTy,
    pub ty_span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ArgTy {
    Scalar(ElemTy),
    Array { elem: ElemTy, dims: Vec<DimSpec> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DimSpec {
    Const(i64),
    Sym(String),
}

#[derive(Clone, Debug)]
pub struct ParSpec {
    pub label: String,
    pub label_span: Span,
    pub threads: Threads,
    pub reduce: bool,
    pub tpb: Option<i64>,
}

/// A thread count: a positive integer, or an expression over integer arguments and shape
/// symbols (`"N"`, `"N * 4"`), kept as text with its span and parsed where symbols are known.
#[derive(Clone, Debug, PartialEq)]
pub enum Threads {
    Const(i64),
    Expr { text: String, span: Span },
}

const OPTION_KEYS: &[&str] = &[
    "backend",
    "force_int_size",
    "force_float_size",
    "use_cuda_graphs",
    "use_cuda_thread_block_clusters",
    "max_thread_blocks_per_cluster",
    "implicit_shape_labels",
    "includes",
    "libs",
    "extra_flags",
    "cuda_arch",
];
const TOP_KEYS: &[&str] = &["options", "functions"];
const FUNCTION_KEYS: &[&str] = &["args", "par"];
const PAR_KEYS: &[&str] = &["threads", "reduce", "tpb"];

/// Spec errors. Each becomes one diagnostic pointing into the spec file.
#[derive(Clone, Debug)]
pub enum Error {
    Syntax {
        span: Span,
        message: String,
        format: &'static str,
    },
    UnknownKey {
        span: Span,
        key: String,
        context: &'static str,
        known: &'static [&'static str],
    },
    WrongKind {
        span: Span,
        what: String,
        expected: &'static str,
        found: &'static str,
    },
    BadType {
        span: Span,
        text: String,
        problem: String,
    },
    BadOption {
        span: Span,
        option: &'static str,
        problem: String,
    },
    MissingThreads {
        span: Span,
        label: String,
    },
    BadThreads {
        span: Span,
        problem: String,
    },
    NoFunctions {
        span: Span,
    },
}

impl Error {
    pub fn to_diagnostic(&self) -> Diagnostic {
        match self {
            Error::Syntax { span, message, format } => {
                Diagnostic::new("E0201", format!("the spec is not valid {format}"))
                    .spec(span.clone(), message.clone())
            }
            Error::UnknownKey { span, key, context, known } => {
                let d = Diagnostic::new("E0202", format!("unknown key `{key}` in {context}"))
                    .spec(span.clone(), "not a key parpyc knows");
                match suggest(key, known.iter().copied()) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint(format!("the keys of {context} are {}", quoted_list(known))),
                }
            }
            Error::WrongKind { span, what, expected, found } => Diagnostic::new(
                "E0203",
                format!("{what} must be {expected}"),
            )
            .spec(span.clone(), format!("this is {found}")),
            Error::BadType { span, text, problem } => {
                Diagnostic::new("E0204", format!("invalid type `{text}`"))
                    .spec(span.clone(), problem.clone())
                    .hint("write a scalar type (`i64`, `f32`) or an array type such as `f32[N, M]`; element types are bool, i8, i16, i32, i64, u8, u16, u32, u64, f16, f32, f64")
            }
            Error::BadOption { span, option, problem } => {
                Diagnostic::new("E0205", format!("invalid value for option `{option}`"))
                    .spec(span.clone(), problem.clone())
            }
            Error::MissingThreads { span, label } => Diagnostic::new(
                "E0206",
                format!("label `{label}` has no thread count"),
            )
            .spec(span.clone(), "`threads` is missing here")
            .hint(format!("write `{label} = {{ threads = 256 }}`, or a symbol: `{{ threads = \"N\" }}`")),
            Error::BadThreads { span, problem } => {
                Diagnostic::new("E0207", "invalid thread count").spec(span.clone(), problem.clone())
            }
            Error::NoFunctions { span } => Diagnostic::new("E0208", "the spec exports no function")
                .spec(span.clone(), "no `functions` table in this spec")
                .hint("add a table per exported function: `[functions.mv]` with `args` and `par`"),
        }
    }
}

fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The format a spec is written in, chosen by the file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    pub fn from_path(path: &str) -> Option<Format> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".toml") {
            Some(Format::Toml)
        } else if lower.ends_with(".json") {
            Some(Format::Json)
        } else {
            None
        }
    }
}

/// Reads and validates a spec. Every problem found is returned, not only the first.
pub fn parse(text: &str, format: Format) -> Result<Spec, Vec<Error>> {
    let root = match format {
        Format::Toml => raw::parse_toml(text),
        Format::Json => raw::parse_json(text),
    }
    .map_err(|e| {
        vec![Error::Syntax {
            span: e.span,
            message: e.message,
            format: if format == Format::Toml {
                "TOML"
            } else {
                "JSON"
            },
        }]
    })?;
    let mut cx = Reader { errors: Vec::new() };
    let spec = cx.spec(&root);
    if cx.errors.is_empty() {
        Ok(spec)
    } else {
        Err(cx.errors)
    }
}

struct Reader {
    errors: Vec<Error>,
}

impl Reader {
    fn table<'n>(&mut self, node: &'n Node, what: &str) -> &'n [Entry] {
        match &node.value {
            Value::Table(es) => es,
            other => {
                self.errors.push(Error::WrongKind {
                    span: node.span.clone(),
                    what: what.to_string(),
                    expected: "a table",
                    found: other.kind(),
                });
                &[]
            }
        }
    }

    fn check_keys(
        &mut self,
        entries: &[Entry],
        known: &'static [&'static str],
        context: &'static str,
    ) {
        for e in entries {
            if !known.contains(&e.key.as_str()) {
                self.errors.push(Error::UnknownKey {
                    span: e.key_span.clone(),
                    key: e.key.clone(),
                    context,
                    known,
                });
            }
        }
    }

    fn spec(&mut self, root: &Node) -> Spec {
        let entries = self.table(root, "the spec");
        self.check_keys(entries, TOP_KEYS, "the spec");
        let mut options = Options::default();
        let mut functions = Vec::new();
        let mut saw_functions = false;
        for e in entries {
            match e.key.as_str() {
                "options" => self.options(&e.node, &mut options),
                "functions" => {
                    saw_functions = true;
                    for f in self.table(&e.node, "`functions`") {
                        functions.push(self.function(f));
                    }
                }
                _ => {}
            }
        }
        if !saw_functions {
            self.errors.push(Error::NoFunctions { span: 0..0 });
        }
        Spec { options, functions }
    }

    fn string<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n str> {
        match &node.value {
            Value::Str(s) => Some(s),
            other => {
                self.errors.push(Error::WrongKind {
                    span: node.span.clone(),
                    what: what.to_string(),
                    expected: "a string",
                    found: other.kind(),
                });
                None
            }
        }
    }

    fn boolean(&mut self, node: &Node, what: &str) -> Option<bool> {
        match &node.value {
            Value::Bool(b) => Some(*b),
            other => {
                self.errors.push(Error::WrongKind {
                    span: node.span.clone(),
                    what: what.to_string(),
                    expected: "`true` or `false`",
                    found: other.kind(),
                });
                None
            }
        }
    }

    fn strings(&mut self, node: &Node, what: &str) -> Vec<String> {
        match &node.value {
            Value::Array(items) => items
                .iter()
                .filter_map(|i| self.string(i, what).map(str::to_string))
                .collect(),
            other => {
                self.errors.push(Error::WrongKind {
                    span: node.span.clone(),
                    what: what.to_string(),
                    expected: "an array of strings",
                    found: other.kind(),
                });
                Vec::new()
            }
        }
    }

    fn options(&mut self, node: &Node, o: &mut Options) {
        let entries = self.table(node, "`options`");
        self.check_keys(entries, OPTION_KEYS, "`options`");
        for e in entries {
            let n = &e.node;
            match e.key.as_str() {
                "backend" => {
                    if let Some(s) = self.string(n, "`backend`") {
                        match Backend::parse(s) {
                            Some(b) => o.backend = Some(b),
                            None => self.errors.push(Error::BadOption {
                                span: n.span.clone(),
                                option: "backend",
                                problem: format!(
                                    "`{s}` is not a backend; use \"cuda\" or \"metal\""
                                ),
                            }),
                        }
                    }
                }
                "force_int_size" | "force_float_size" => {
                    let float = e.key == "force_float_size";
                    let option = if float {
                        "force_float_size"
                    } else {
                        "force_int_size"
                    };
                    if let Some(s) = self.string(n, "the size") {
                        match ElemTy::parse(s) {
                            Some(t) if t.is_float() == float && t != ElemTy::Bool => {
                                if float {
                                    o.force_float_size = t
                                } else {
                                    o.force_int_size = t
                                }
                            }
                            _ => self.errors.push(Error::BadOption {
                                span: n.span.clone(),
                                option,
                                problem: if float {
                                    format!("`{s}` is not a float type; use \"f16\", \"f32\" or \"f64\"")
                                } else {
                                    format!("`{s}` is not an integer type; use \"i32\" or \"i64\"")
                                },
                            }),
                        }
                    }
                }
                "use_cuda_graphs" => {
                    if let Some(b) = self.boolean(n, "`use_cuda_graphs`") {
                        o.use_cuda_graphs = b;
                    }
                }
                "implicit_shape_labels" => {
                    if let Some(b) = self.boolean(n, "`implicit_shape_labels`") {
                        o.implicit_shape_labels = b;
                    }
                }
                "use_cuda_thread_block_clusters" => {
                    if let Some(b) = self.boolean(n, "`use_cuda_thread_block_clusters`") {
                        o.use_cuda_thread_block_clusters = b;
                    }
                }
                "max_thread_blocks_per_cluster" => match n.value {
                    Value::Int(i) if (1..=16).contains(&i) => o.max_thread_blocks_per_cluster = i,
                    _ => self.errors.push(Error::BadOption {
                        span: n.span.clone(),
                        option: "max_thread_blocks_per_cluster",
                        problem: "expected an integer from 1 to 16 (8 is the portable cluster size; Hopper GPUs allow up to 16)".into(),
                    }),
                },
                "includes" => o.includes = self.strings(n, "`includes`"),
                "libs" => o.libs = self.strings(n, "`libs`"),
                "extra_flags" => o.extra_flags = self.strings(n, "`extra_flags`"),
                "cuda_arch" => {
                    let archs = self.strings(n, "`cuda_arch`");
                    for a in &archs {
                        let ok = a.strip_prefix("sm_").is_some_and(|d| {
                            !d.is_empty()
                                && d.trim_end_matches('a').chars().all(|c| c.is_ascii_digit())
                        });
                        if !ok {
                            self.errors.push(Error::BadOption {
                                span: n.span.clone(),
                                option: "cuda_arch",
                                problem: format!(
                                    "`{a}` is not a CUDA architecture such as \"sm_90\""
                                ),
                            });
                        }
                    }
                    if !archs.is_empty() {
                        o.cuda_arch = archs;
                    }
                }
                _ => {}
            }
        }
    }

    fn function(&mut self, e: &Entry) -> FunctionSpec {
        let mut f = FunctionSpec {
            name: e.key.clone(),
            name_span: e.key_span.clone(),
            args: Vec::new(),
            dicts: Vec::new(),
            par: Vec::new(),
        };
        let entries = self.table(&e.node, &format!("`functions.{}`", e.key));
        self.check_keys(entries, FUNCTION_KEYS, "a function's table");
        for fe in entries {
            match fe.key.as_str() {
                "args" => {
                    for a in self.table(&fe.node, "`args`") {
                        // A dict argument: an inline table of field types, flattened into
                        // arguments named `dict.field`.
                        if let Value::Table(fields) = &a.node.value {
                            f.dicts.push(a.key.clone());
                            for fl in fields {
                                let Some(text) = self.string(
                                    &fl.node,
                                    &format!("the type of `{}[\"{}\"]`", a.key, fl.key),
                                ) else {
                                    continue;
                                };
                                match parse_type(text) {
                                    Ok(ty) => f.args.push(ArgSpec {
                                        name: format!("{}.{}", a.key, fl.key),
                                        name_span: fl.key_span.clone(),
                                        ty,
                                        ty_span: fl.node.span.clone(),
                                    }),
                                    Err(problem) => self.errors.push(Error::BadType {
                                        span: fl.node.span.clone(),
                                        text: text.to_string(),
                                        problem,
                                    }),
                                }
                            }
                            continue;
                        }
                        if let Some(text) =
                            self.string(&a.node, &format!("the type of `{}`", a.key))
                        {
                            match parse_type(text) {
                                Ok(ty) => f.args.push(ArgSpec {
                                    name: a.key.clone(),
                                    name_span: a.key_span.clone(),
                                    ty,
                                    ty_span: a.node.span.clone(),
                                }),
                                Err(problem) => self.errors.push(Error::BadType {
                                    span: a.node.span.clone(),
                                    text: text.to_string(),
                                    problem,
                                }),
                            }
                        }
                    }
                }
                "par" => {
                    for p in self.table(&fe.node, "`par`") {
                        if let Some(par) = self.par(p) {
                            f.par.push(par);
                        }
                    }
                }
                _ => {}
            }
        }
        f
    }

    fn par(&mut self, e: &Entry) -> Option<ParSpec> {
        let entries = self.table(&e.node, &format!("the entry of label `{}`", e.key));
        if !matches!(e.node.value, Value::Table(_)) {
            return None;
        }
        self.check_keys(entries, PAR_KEYS, "a label's entry");
        let mut threads = None;
        let mut reduce = false;
        let mut tpb = None;
        for pe in entries {
            let n = &pe.node;
            match pe.key.as_str() {
                "threads" => match &n.value {
                    Value::Int(i) if *i > 0 => threads = Some(Threads::Const(*i)),
                    Value::Int(_) => self.errors.push(Error::BadThreads {
                        span: n.span.clone(),
                        problem: "the thread count must be positive".into(),
                    }),
                    Value::Str(s) if !s.trim().is_empty() => {
                        // The text's span inside the quotes, so expression errors point at it.
                        let inner = if n.span.end - n.span.start >= 2 + s.len() {
                            n.span.start + 1..n.span.start + 1 + s.len()
                        } else {
                            n.span.clone()
                        };
                        threads = Some(Threads::Expr { text: s.clone(), span: inner })
                    }
                    other => self.errors.push(Error::WrongKind {
                        span: n.span.clone(),
                        what: "`threads`".into(),
                        expected: "a positive integer or a string naming an integer argument or shape symbol",
                        found: other.kind(),
                    }),
                },
                "reduce" => {
                    if let Some(b) = self.boolean(n, "`reduce`") {
                        reduce = b;
                    }
                }
                "tpb" => match n.value {
                    Value::Int(i) if (32..=1024).contains(&i) && i % 32 == 0 => tpb = Some(i),
                    _ => self.errors.push(Error::BadThreads {
                        span: n.span.clone(),
                        problem: "`tpb` (threads per block) must be a multiple of 32 from 32 to 1024".into(),
                    }),
                },
                _ => {}
            }
        }
        match threads {
            Some(threads) => Some(ParSpec {
                label: e.key.clone(),
                label_span: e.key_span.clone(),
                threads,
                reduce,
                tpb,
            }),
            None => {
                if !entries.iter().any(|pe| pe.key == "threads") {
                    self.errors.push(Error::MissingThreads {
                        span: e.node.span.clone(),
                        label: e.key.clone(),
                    });
                }
                None
            }
        }
    }
}

/// Parses `f32`, `f32[N, M]`, `i64[]`.
pub fn parse_type(text: &str) -> Result<ArgTy, String> {
    let t = text.trim();
    let (elem_text, dims_text) = match t.find('[') {
        Some(i) => {
            if !t.ends_with(']') {
                return Err("an array type ends with `]`".into());
            }
            (&t[..i], Some(&t[i + 1..t.len() - 1]))
        }
        None => (t, None),
    };
    let elem_text = elem_text.trim();
    let elem =
        ElemTy::parse(elem_text).ok_or_else(|| format!("`{elem_text}` is not an element type"))?;
    let Some(dims_text) = dims_text else {
        return Ok(ArgTy::Scalar(elem));
    };
    let mut dims = Vec::new();
    if !dims_text.trim().is_empty() {
        for d in dims_text.split(',') {
            let d = d.trim();
            if let Ok(n) = d.parse::<i64>() {
                if n < 0 {
                    return Err(format!("dimension `{d}` is negative"));
                }
                dims.push(DimSpec::Const(n));
            } else if !d.is_empty()
                && d.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !d.starts_with(|c: char| c.is_ascii_digit())
            {
                dims.push(DimSpec::Sym(d.to_string()));
            } else {
                return Err(format!(
                    "dimension `{d}` is neither an integer nor a symbol name"
                ));
            }
        }
    }
    Ok(ArgTy::Array { elem, dims })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types() {
        assert_eq!(parse_type("i64"), Ok(ArgTy::Scalar(ElemTy::I64)));
        assert_eq!(
            parse_type("f32[N, 4]"),
            Ok(ArgTy::Array {
                elem: ElemTy::F32,
                dims: vec![DimSpec::Sym("N".into()), DimSpec::Const(4)]
            })
        );
        assert_eq!(
            parse_type("f64[]"),
            Ok(ArgTy::Array {
                elem: ElemTy::F64,
                dims: vec![]
            })
        );
        assert!(parse_type("float[N]").is_err());
        assert!(parse_type("f32[N").is_err());
    }

    #[test]
    fn reads_seed_spec() {
        let s = parse(
            "[functions.mv]\nargs = { A = \"f32[N, M]\", N = \"i64\" }\n[functions.mv.par]\nN = { threads = \"N\" }\nM = { threads = 256, reduce = true }\n",
            Format::Toml,
        )
        .unwrap();
        assert_eq!(s.functions[0].par.len(), 2);
        assert!(s.functions[0].par[1].reduce);
    }

    #[test]
    fn unknown_key_suggests() {
        let e = parse("[functions.mv.par]\nN = { thread = 4 }\n", Format::Toml).unwrap_err();
        assert!(matches!(&e[0], Error::UnknownKey { key, .. } if key == "thread"));
    }
}
