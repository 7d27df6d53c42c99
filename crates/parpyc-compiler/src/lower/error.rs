//! Errors found while lowering the syntax tree to the loop IR: names, types, shapes, labels.

use crate::diag::{Diagnostic, File, Span};

#[derive(Clone, Debug)]
pub enum Error {
    UndefinedName {
        span: Span,
        name: String,
        suggestion: Option<String>,
        unused_loop_var: Option<String>,
    },
    MissingArgType {
        span: Span,
        name: String,
        function: String,
        example: String,
    },
    ArgNotInFunction {
        span: Span,
        name: String,
        function: String,
        params: Vec<String>,
    },
    FunctionNotFound {
        span: Span,
        name: String,
        available: Vec<String>,
    },
    ReservedName {
        span: Span,
        name: String,
    },
    UnknownLabel {
        span: Span,
        label: String,
        function: String,
        labels: Vec<String>,
    },
    UnaddressedArray {
        span: Span,
        name: String,
        ndims: usize,
        rewrite: Option<String>,
    },
    WrongIndexCount {
        span: Span,
        name: String,
        ndims: usize,
        given: usize,
    },
    NotAnArray {
        span: Span,
        name: String,
    },
    AssignToParam {
        span: Span,
        name: String,
    },
    AssignToArray {
        span: Span,
        name: String,
    },
    ShapeMismatch {
        span: Span,
        other: Span,
        problem: String,
    },
    ReductionPosition {
        span: Span,
    },
    PythonSumOverDims {
        span: Span,
        ndims: usize,
    },
    BadAxis {
        span: Span,
        axis: i64,
        ndims: usize,
    },
    TypeError {
        span: Span,
        problem: String,
    },
    NonConstantStep {
        span: Span,
    },
    LabelOnStatement {
        span: Span,
        label: String,
    },
    SeveralParLabels {
        span: Span,
        other: Span,
    },
    BadThreadsExpr {
        span: Span,
        problem: String,
    },
    ReduceWithoutPattern {
        span: Span,
        label: String,
    },
    SymbolTypeMismatch {
        span: Span,
        name: String,
    },
    Unsupported {
        span: Span,
        what: String,
        hint: String,
    },
    Internal {
        function: String,
        problem: String,
    },
    StaticFail {
        span: Span,
        message: String,
    },
    DictWithoutKey {
        span: Span,
        name: String,
        keys: Vec<String>,
    },
}

impl Error {
    pub fn to_diagnostic(&self) -> Diagnostic {
        match self {
            Error::UndefinedName { span, name, suggestion, unused_loop_var } => {
                let d = Diagnostic::new("E0301", format!("`{name}` is not defined"))
                    .source(span.clone(), "not a parameter, local or loop variable");
                match (suggestion, unused_loop_var) {
                    (Some(s), _) => d.hint(format!("did you mean `{s}`?")),
                    (None, Some(v)) => d
                        .note(format!("the enclosing loop's variable is `{v}`, which its body never uses"))
                        .hint(format!("did you mean `for {name} in range(...)`, or `{v}` here?")),
                    (None, None) => d.hint("define it before this use, or add it to the function's parameters"),
                }
            }
            Error::MissingArgType { span, name, function, example } => Diagnostic::new(
                "E0302",
                format!("argument `{name}` of `{function}` has no type"),
            )
            .source(span.clone(), "no type for this argument in the spec")
            .hint(format!("add it to `[functions.{function}]` in the spec: `args = {{ {name} = \"{example}\", ... }}`")),
            Error::ArgNotInFunction { span, name, function, params } => Diagnostic::new(
                "E0303",
                format!("`{function}` has no argument `{name}`"),
            )
            .spec(span.clone(), "not a parameter of the function")
            .hint(format!("its parameters are {}", list(params))),
            Error::ReservedName { span, name } => Diagnostic::new(
                "E0326",
                format!("`{name}` is a name the generated module defines itself"),
            )
            .spec(span.clone(), "exported under this name")
            .note("the library exports its runtime as `<stem>_alloc`, `_free`, `_copy_to_device`, `_copy_to_host`, `_copy_on_device`, `_sync`, `_last_error` (with internal `_check`, `_error`, `_fail`, `_graph_run`), and the Python module defines `Buffer`, `from_array`, `empty`, `zeros` and `sync`")
            .hint(format!("rename the function `{name}` in the source and the spec")),
            Error::FunctionNotFound { span, name, available } => {
                let d = Diagnostic::new("E0304", format!("no `@parpy.jit` function `{name}` in the source"))
                    .spec(span.clone(), "the spec names this function");
                if available.is_empty() {
                    d
                } else {
                    d.hint(format!("the file's `@parpy.jit` functions are {}", list(available)))
                }
            }
            Error::UnknownLabel { span, label, function, labels } => {
                let d = Diagnostic::new("E0305", format!("label `{label}` does not occur in `{function}`"))
                    .spec(span.clone(), "this label has no `parpy.label` in the function");
                if labels.is_empty() {
                    d.hint(format!("`{function}` contains no labels; put `parpy.label('{label}')` before the loop to parallelize"))
                } else {
                    d.hint(format!("the labels of `{function}` are {}", list(labels)))
                }
            }
            Error::UnaddressedArray { span, name, ndims, rewrite } => {
                let d = Diagnostic::new("E0306", format!("array `{name}` is used without addressing its dimensions"))
                    .source(
                        span.clone(),
                        format!("`{name}` has {ndims} dimension{}; each needs an index or a slice", if *ndims == 1 { "" } else { "s" }),
                    )
                .note("ParPy does not broadcast whole arrays implicitly: every dimension of an array is addressed with an index or a `:` slice");
                match rewrite {
                    Some(r) => d.hint(format!("write the slices explicitly: `{r}`")),
                    None => d,
                }
            }
            Error::WrongIndexCount { span, name, ndims, given } => Diagnostic::new(
                "E0307",
                format!("too many indices for `{name}`"),
            )
            .source(span.clone(), format!("{given} indices for an array of {ndims} dimension{}", if *ndims == 1 { "" } else { "s" })),
            Error::NotAnArray { span, name } => Diagnostic::new("E0308", format!("`{}` is not an array", crate::front::versions::display_name(name)))
                .source(span.clone(), "indexed here")
                .hint("only array arguments can be indexed; give it an array type in the spec, such as `f32[N]`"),
            Error::AssignToParam { span, name } => {
                Diagnostic::new("E0310", format!("cannot assign to scalar parameter `{name}`"))
                    .source(span.clone(), "scalar parameters are read-only")
                    .hint("assign to a new local instead, or pass a 0-d array (`f32[]`) to return a scalar")
            }
            Error::AssignToArray { span, name } => Diagnostic::new("E0311", format!("cannot rebind array `{name}`"))
                .source(span.clone(), "assigning to the name replaces the array, it does not write into it")
                .hint(format!("write into the array with a slice: `{name}[:] = ...`")),
            Error::ShapeMismatch { span, other, problem } => Diagnostic::new("E0312", "shapes do not match")
                .source(span.clone(), problem.clone())
                .also(File::Source, other.clone(), "compared with this")
                .hint("slices combined in one statement must have the same length in each dimension (aligned from the right)"),
            Error::ReductionPosition { span } => Diagnostic::new("E0313", "a reduction must be the whole right-hand side")
                .source(span.clone(), "reduction inside a larger expression")
                .hint("assign the reduction to a local first (`s = parpy.operators.sum(x[i, :])`), then use the local"),
            Error::PythonSumOverDims { span, ndims } => Diagnostic::new(
                "E0314",
                format!("Python's `sum` over a {ndims}-dimensional slice"),
            )
            .source(span.clone(), "Python's builtin sums along the first dimension only")
            .hint("use `parpy.operators.sum(...)`, which reduces over every dimension (or `axis=`)"),
            Error::BadAxis { span, axis, ndims } => Diagnostic::new("E0315", format!("axis {axis} is out of range"))
                .source(span.clone(), format!("the reduced expression has {ndims} dimension{}", if *ndims == 1 { "" } else { "s" })),
            Error::TypeError { span, problem } => Diagnostic::new("E0316", "type error").source(span.clone(), problem.clone()),
            Error::NonConstantStep { span } => Diagnostic::new("E0317", "the step of `range` must be a constant")
                .source(span.clone(), "not an integer literal")
                .hint("write the step as an integer literal such as `2` or `-1`"),
            Error::LabelOnStatement { span, label } => Diagnostic::new(
                "E0318",
                format!("label `{label}` is on a statement that cannot carry one"),
            )
            .source(span.clone(), "labels name `for` loops and slice statements")
            .hint("move the label directly before a `for` loop or an assignment with slices"),
            Error::SeveralParLabels { span, other } => Diagnostic::new("E0319", "a loop with two parallel labels")
                .source(span.clone(), "this label is parallelized in the spec")
                .also(File::Source, other.clone(), "and so is this one")
                .hint("keep one of the labels in the spec's `par` table"),
            Error::BadThreadsExpr { span, problem } => {
                Diagnostic::new("E0320", "invalid thread count expression")
                    .spec(span.clone(), problem.clone())
                    .hint("a thread count is an integer, or an expression over integer arguments and shape symbols such as \"N\" or \"N * M\"")
            }
            Error::ReduceWithoutPattern { span, label } => Diagnostic::new(
                "E0321",
                format!("loop `{label}` is a parallel reduction, but its body is not one"),
            )
            .source(span.clone(), "expected a single update such as `s += x[i]`, `s = max(s, x[i])` or `out[k] += x[i]`")
            .hint("end the loop body with one accumulation (`+= -= *=`, `max`, `min`) into a local declared before the loop or into an array element that does not move with the loop, or remove `reduce = true`"),
            Error::SymbolTypeMismatch { span, name } => Diagnostic::new(
                "E0322",
                format!("shape symbol `{name}` names an argument that is not an integer"),
            )
            .spec(span.clone(), "used as a dimension here")
            .hint(format!("give `{name}` an integer type such as \"i64\", or rename the symbol")),
            Error::Unsupported { span, what, hint } => Diagnostic::new("E0323", format!("{what} is not supported"))
                .source(span.clone(), "not supported here")
                .hint(hint.clone()),
            Error::DictWithoutKey { span, name, keys } => Diagnostic::new("E0325", format!("dict argument `{name}` used without a key"))
                .source(span.clone(), "a dict, not an array or a number")
                .hint(format!("index it with one of its keys: {}", keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "))),
            Error::StaticFail { span, message } => Diagnostic::new("E0324", format!("static_fail: {message}"))
                .source(span.clone(), "compilation reached this `static_fail`")
                .note("the branches of `static_backend_eq` and `static_types_eq` conditions are chosen at compile time; this one was taken"),
            Error::Internal { function, problem } => Diagnostic::new("E0999", format!("internal compiler error while lowering `{function}`"))
                .note(problem.clone())
                .hint("this is a bug in parpyc; please report it with the input files"),
        }
    }
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
