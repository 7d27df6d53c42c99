//! Lowering: the front end's syntax tree plus the spec become the loop IR. This is where
//! names meet their definitions, every expression gets its NumPy 2 type, labels meet their
//! spec entries, and slice statements are expanded into loops (elementwise maps, reductions
//! over every dimension, or along one `axis`).

mod dicts;
mod error;
mod expr;
mod slices;
mod views;

use std::collections::{BTreeMap, HashMap};

use crate::diag::Span;
use crate::front::ast::{self, ExprKind as AK, StmtKind as SK};
use crate::ir::{self, ArrayId, Dim, Expr, LoopId, Par, Stmt, VarId};
use crate::spec::{ArgTy, DimSpec, FunctionSpec, Options, ParSpec, Spec, Threads};
use crate::types::{ElemTy, ScalarTy};
pub use error::Error;

/// Lowers every function the spec exports.
/// Names an exported function may not take: with the module's prefix they are the runtime's C
/// symbols, or they are the Python module's own helpers.
const RESERVED_NAMES: &[&str] = &[
    "alloc",
    "check",
    "copy_on_device",
    "copy_to_device",
    "copy_to_host",
    "error",
    "fail",
    "free",
    "graph_run",
    "last_error",
    "sync",
    "Buffer",
    "from_array",
    "empty",
    "zeros",
];

pub fn lower(
    module: &ast::Module,
    spec: &Spec,
    source: &str,
) -> Result<Vec<ir::Function>, Vec<Error>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for fs in &spec.functions {
        if RESERVED_NAMES.contains(&fs.name.as_str()) {
            errors.push(Error::ReservedName {
                span: fs.name_span.clone(),
                name: fs.name.clone(),
            });
            continue;
        }
        let Some(f) = module.functions.iter().find(|f| f.name == fs.name) else {
            errors.push(Error::FunctionNotFound {
                span: fs.name_span.clone(),
                name: fs.name.clone(),
                available: module.functions.iter().map(|f| f.name.clone()).collect(),
            });
            continue;
        };
        let f = &dicts::flatten(f, fs);
        match lower_function(module, f, fs, &spec.options, source) {
            Ok(func) => out.push(func),
            Err(es) => errors.extend(es),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// What a helper parameter's `parpy.types` annotation binds against at one call.
enum AnnotArg {
    /// A scalar value of this type (weak: a Python scalar).
    Value(ElemTy, bool),
    /// A whole array.
    Array(ArrayId),
    /// A view of an array (a slice argument), with the lengths of the dimensions it spans.
    View(ArrayId, Vec<Expr>),
    Other,
}

/// The result of a helper inlined for its value.
#[derive(Clone, Debug)]
struct ReturnSlot {
    helper: String,
    /// Where the returned value goes, once the first `return` gives its type.
    var: Option<VarId>,
    /// Whether the call uses the value (a call in an expression).
    want_value: bool,
    /// For helpers that return before their end: set when a `return` ran; the statements
    /// after it are skipped and enclosing loops left.
    done: Option<VarId>,
}

/// What a name is bound to while lowering.
#[derive(Clone, Copy, Debug)]
enum Binding {
    Array(ArrayId),
    /// A scalar parameter or shape symbol: read-only.
    Param(VarId, ScalarTy),
    Local(VarId),
}

struct Lowerer<'a> {
    source: &'a str,
    module: &'a ast::Module,
    /// Temporaries made for `t op= reduction(...)`, to name them apart.
    reduction_temps: u32,
    /// Loops entered since the current helper's body began (a `return` there also breaks).
    helper_loops: usize,
    /// Parallel loops among them (a `return` cannot leave one).
    par_loops: usize,
    /// Helpers being inlined, innermost last (a helper may not call itself).
    call_stack: Vec<String>,
    /// Statements that must run before the statement being lowered: the inlined bodies of
    /// helpers called in its expressions.
    pre: Vec<Stmt>,
    /// Prefix of the local-type keys of the current helper instance (empty in the function).
    scope: String,
    /// Instances inlined so far in this pass, to give each its own scope.
    inline_count: u32,
    /// The local-type key of each local variable (its scope and versioned name, `t#1`), as
    /// the variable's own name is the displayed one (`t`).
    var_keys: HashMap<VarId, String>,
    /// Helpers applied element by element in a slice statement (`y[:] = f(x[:])`), to name
    /// their argument locals apart.
    elementwise_calls: u32,
    /// The statements computing such calls, which run inside the statement's loops.
    per_element: Vec<Stmt>,
    /// While inlining a helper called for its value: where `return` writes.
    ret: Option<ReturnSlot>,
    opts: &'a Options,
    fspec: &'a FunctionSpec,
    func: ir::Function,
    /// Number of variables that are parameters or symbols; locals come after.
    fixed_vars: usize,
    names: HashMap<String, Binding>,
    /// Inferred types of locals, refined until a pass changes nothing.
    local_types: BTreeMap<String, ScalarTy>,
    types_changed: bool,
    par: HashMap<String, &'a ParSpec>,
    /// The right-hand side of the slice statement being lowered, for rewrite hints.
    current_value: Option<ast::Expr>,
    /// The exported function's parameters and symbols: what thread counts may name, also in
    /// the labelled loops of inlined helpers.
    fn_params: HashMap<String, Binding>,
    /// Locals whose assignment failed with an error: uses of them are not reported again.
    poisoned: std::collections::HashSet<String>,
    /// Every name the Python function mentions, so compiler loop variables avoid them.
    source_names: std::collections::HashSet<String>,
    /// Variables of the enclosing loops, innermost last, with whether the body reads them.
    loop_vars: Vec<(String, bool)>,
    /// The least value of each enclosing loop's variable where the range shows it (for
    /// deciding which indices may be negative), innermost last.
    loop_lows: Vec<(String, Option<i64>)>,
    /// What the assignments so far make of each local's least value (by scoped name).
    local_lows: HashMap<String, expr::Low>,
    /// The span of the statement being lowered.
    cur_span: Span,
    /// Type variables of `parpy.types` annotations, bound by the spec's types.
    type_vars: HashMap<String, ElemTy>,
    errors: Vec<Error>,
}

fn lower_function(
    module: &ast::Module,
    f: &ast::Function,
    fs: &FunctionSpec,
    opts: &Options,
    source: &str,
) -> Result<ir::Function, Vec<Error>> {
    let mut cx = Lowerer {
        source,
        module,
        call_stack: vec![f.name.clone()],
        helper_loops: 0,
        par_loops: 0,
        reduction_temps: 0,
        pre: Vec::new(),
        scope: String::new(),
        inline_count: 0,
        var_keys: HashMap::new(),
        elementwise_calls: 0,
        per_element: Vec::new(),
        ret: None,
        opts,
        fspec: fs,
        func: ir::Function {
            name: f.name.clone(),
            params: Vec::new(),
            symbols: Vec::new(),
            vars: Vec::new(),
            arrays: Vec::new(),
            body: Vec::new(),
            headers: Vec::new(),
            checks: Vec::new(),
        },
        fixed_vars: 0,
        names: HashMap::new(),
        local_types: BTreeMap::new(),
        types_changed: false,
        par: fs.par.iter().map(|p| (p.label.clone(), p)).collect(),
        current_value: None,
        cur_span: 0..0,
        type_vars: HashMap::new(),
        loop_vars: Vec::new(),
        loop_lows: Vec::new(),
        local_lows: HashMap::new(),
        source_names: function_names(f),
        poisoned: Default::default(),
        fn_params: HashMap::new(),
        errors: Vec::new(),
    };
    cx.params(f);
    cx.check_labels(f);
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    let param_names = cx.names.clone();
    cx.fn_params = param_names.clone();
    // Locals take the NumPy type of everything assigned to them; iterate to a fixed point.
    for _ in 0..8 {
        cx.types_changed = false;
        cx.errors.clear();
        cx.poisoned.clear();
        cx.names = param_names.clone();
        cx.func.vars.truncate(cx.fixed_vars);
        cx.func.checks.clear();
        cx.func.headers.clear();
        cx.inline_count = 0;
        cx.elementwise_calls = 0;
        cx.per_element.clear();
        cx.reduction_temps = 0;
        cx.pre.clear();
        for a in &mut cx.func.arrays {
            a.written = false;
        }
        // A `return` in the exported function leaves it: what follows runs only while a
        // flag says no `return` ran (as in a helper that returns early).
        let mut body = Vec::new();
        cx.ret = None;
        if f.body.iter().any(contains_return) {
            let done = non_tail_return(&f.body, true).map(|_| {
                let done = cx.new_var(&format!("{}_done", f.name), ElemTy::Bool);
                body.push(Stmt::Assign {
                    var: done,
                    value: Expr {
                        kind: ir::ExprKind::Bool(false),
                        ty: ElemTy::Bool,
                    },
                    span: f.name_span.clone(),
                });
                done
            });
            cx.ret = Some(ReturnSlot {
                helper: f.name.clone(),
                var: None,
                want_value: false,
                done,
            });
        }
        body.extend(cx.block(&f.body));
        cx.func.body = body;
        if !cx.types_changed {
            break;
        }
    }
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    let mut next = 0;
    renumber_loops(&mut cx.func.body, &mut next);
    if let Err(e) = ir::validate(&cx.func) {
        return Err(vec![Error::Internal {
            function: cx.func.name.clone(),
            problem: e,
        }]);
    }
    Ok(cx.func)
}

fn example_type(name: &str) -> String {
    if name.len() == 1 && name.chars().all(|c| c.is_ascii_uppercase()) {
        "i64".into()
    } else {
        "f32[N]".into()
    }
}

impl<'a> Lowerer<'a> {
    /// Python evaluates operands from left to right. Where lowering the operands after the
    /// ones in `earlier` put statements that write memory into `self.pre` from `mark` on (an
    /// inlined helper's stores, an external's call), each earlier operand that reads memory is
    /// taken into a temporary at `mark`, before those writes, so that it reads what Python's
    /// order reads. In a slice statement (`iter`) the operands are NumPy views, read when they
    /// are combined, after the writes: nothing is taken ahead there.
    pub(super) fn keep_before(
        &mut self,
        mark: usize,
        earlier: &mut [&mut Expr],
        iter: Option<&[Expr]>,
        span: &Span,
    ) {
        if iter.is_some() || !self.pre[mark..].iter().any(writes_memory) {
            return;
        }
        let mut at = mark;
        for e in earlier.iter_mut() {
            if !e.loads() {
                continue;
            }
            let ty = e.ty;
            let var = self.new_var("operand", ty);
            let value = std::mem::replace(&mut **e, Expr::var(var, ty));
            self.pre.insert(
                at,
                Stmt::Assign {
                    var,
                    value,
                    span: span.clone(),
                },
            );
            at += 1;
        }
    }

    fn new_var(&mut self, name: &str, ty: ElemTy) -> VarId {
        let id = VarId(self.func.vars.len() as u32);
        self.func.vars.push(ir::VarInfo {
            name: crate::front::versions::display_name(name).to_string(),
            ty,
            scoped: false,
        });
        id
    }

    fn int_ty(&self) -> ElemTy {
        self.opts.force_int_size
    }

    fn float_ty(&self) -> ElemTy {
        self.opts.force_float_size
    }

    /// Parameters, their spec types, and shape symbols.
    fn params(&mut self, f: &ast::Function) {
        let fs = self.fspec;
        for a in &fs.args {
            let base = a.name.split('.').next().unwrap_or(&a.name);
            if !f.params.iter().any(|p| p.name == a.name || p.name == base) {
                self.errors.push(Error::ArgNotInFunction {
                    span: a.name_span.clone(),
                    name: a.name.clone(),
                    function: f.name.clone(),
                    params: f.params.iter().map(|p| p.name.clone()).collect(),
                });
            }
        }
        let types = self.param_types(f);
        // Scalars first, so that array dims can refer to them.
        let mut scalar_vars = HashMap::new();
        for p in &f.params {
            let Some((ty, _)) = types.get(&p.name) else {
                continue;
            };
            if let ArgTy::Scalar(t) = *ty {
                let v = self.new_var(&p.name, t);
                scalar_vars.insert(p.name.clone(), (v, t));
                // A Python scalar adapts to the other operand, unless the parameter is
                // annotated with an element type: ParPy (and the reference) convert such an
                // argument to a NumPy scalar of that type.
                let annotated = matches!(
                    p.annotation.as_ref().map(|a| &a.kind),
                    Some(ast::AnnotationKind::Scalar(_))
                );
                let sty = if annotated {
                    ScalarTy::strong(t)
                } else {
                    ScalarTy::weak(t)
                };
                self.names.insert(p.name.clone(), Binding::Param(v, sty));
            }
        }
        let mut symbols: HashMap<String, VarId> = HashMap::new();
        for p in &f.params {
            let Some((ty, ty_span)) = types.get(&p.name) else {
                continue;
            };
            match ty {
                ArgTy::Scalar(_) => {
                    let (v, _) = scalar_vars[&p.name];
                    self.func.params.push(ir::Param::Scalar(v));
                }
                ArgTy::Array { elem, dims } => {
                    let mut ds = Vec::new();
                    for d in dims {
                        ds.push(match d {
                            DimSpec::Const(n) => Dim::Const(*n),
                            DimSpec::Sym(s) => {
                                if let Some((v, t)) = scalar_vars.get(s) {
                                    if !t.is_int() {
                                        self.errors.push(Error::SymbolTypeMismatch {
                                            span: ty_span.clone(),
                                            name: s.clone(),
                                        });
                                    }
                                    Dim::Var(*v)
                                } else if let Some(v) = symbols.get(s) {
                                    Dim::Var(*v)
                                } else {
                                    let v = self.new_var(s, ElemTy::I64);
                                    symbols.insert(s.clone(), v);
                                    self.func.symbols.push(v);
                                    Dim::Var(v)
                                }
                            }
                        });
                    }
                    let id = ArrayId(self.func.arrays.len() as u32);
                    self.func.arrays.push(ir::ArrayInfo {
                        name: p.name.clone(),
                        elem: *elem,
                        dims: ds,
                        written: false,
                        temp: false,
                    });
                    self.func.params.push(ir::Param::Array(id));
                    self.names.insert(p.name.clone(), Binding::Array(id));
                }
            }
        }
        for (name, v) in symbols {
            self.names
                .entry(name)
                .or_insert(Binding::Param(v, ScalarTy::weak(ElemTy::I64)));
        }
        self.fixed_vars = self.func.vars.len();
    }

    /// The type of every parameter: from the spec, or else from its `parpy.types` annotation,
    /// whose type variables the spec's types bind. Reports parameters with neither.
    fn param_types(&mut self, f: &ast::Function) -> HashMap<String, (ArgTy, Span)> {
        use ast::{AnnotationKind, DimRef, TypeRef};
        let fs = self.fspec;
        let mut types = HashMap::new();
        // Type variables bound by parameters the spec types.
        for p in &f.params {
            let (Some(a), Some(ann)) = (fs.args.iter().find(|a| a.name == p.name), &p.annotation)
            else {
                continue;
            };
            let elem = match (&ann.kind, &a.ty) {
                (AnnotationKind::Scalar(TypeRef::Var(v)), ArgTy::Scalar(t)) => Some((v, *t)),
                (
                    AnnotationKind::Buffer {
                        elem: TypeRef::Var(v),
                        ..
                    },
                    ArgTy::Array { elem, .. },
                ) => Some((v, *elem)),
                _ => None,
            };
            if let Some((v, t)) = elem {
                match self.type_vars.get(v) {
                    Some(old) if *old != t => self.errors.push(Error::TypeError {
                        span: ann.span.clone(),
                        problem: format!(
                            "type variable `{v}` is {old} for an earlier parameter but {t} here"
                        ),
                    }),
                    _ => {
                        self.type_vars.insert(v.clone(), t);
                    }
                }
            }
        }
        for p in &f.params {
            if let Some(a) = fs.args.iter().find(|a| a.name == p.name) {
                types.insert(p.name.clone(), (a.ty.clone(), a.ty_span.clone()));
                continue;
            }
            let Some(ann) = &p.annotation else {
                self.errors.push(Error::MissingArgType {
                    span: p.span.clone(),
                    name: p.name.clone(),
                    function: f.name.clone(),
                    example: example_type(&p.name),
                });
                continue;
            };
            let resolve = |t: &TypeRef, vars: &HashMap<String, ElemTy>| match t {
                TypeRef::Concrete(e) => Ok(*e),
                TypeRef::Var(v) => vars.get(v).copied().ok_or(v.clone()),
            };
            let ty = match &ann.kind {
                AnnotationKind::Scalar(t) => resolve(t, &self.type_vars).map(ArgTy::Scalar),
                AnnotationKind::Buffer { elem, dims } => {
                    resolve(elem, &self.type_vars).map(|elem| ArgTy::Array {
                        elem,
                        dims: dims
                            .iter()
                            .map(|d| match d {
                                DimRef::Const(n) => DimSpec::Const(*n),
                                DimRef::Symbol(s) => DimSpec::Sym(s.clone()),
                            })
                            .collect(),
                    })
                }
            };
            match ty {
                Ok(ty) => {
                    types.insert(p.name.clone(), (ty, ann.span.clone()));
                }
                Err(var) => self.errors.push(Error::TypeError {
                    span: ann.span.clone(),
                    problem: format!("type variable `{var}` is not bound: give `{}` a type in the spec, such as \"{}\"", p.name, example_type(&p.name)),
                }),
            }
        }
        types
    }

    /// Every spec label must occur in the function.
    fn check_labels(&mut self, f: &ast::Function) {
        fn collect(stmts: &[ast::Stmt], out: &mut Vec<String>, calls: &mut Vec<String>) {
            for s in stmts {
                for l in &s.labels {
                    if !out.contains(&l.name) {
                        out.push(l.name.clone());
                    }
                }
                let mut exprs: Vec<&ast::Expr> = Vec::new();
                match &s.kind {
                    SK::For { body, range, .. } => {
                        exprs.extend(
                            [range.start.as_ref(), Some(&range.stop), range.step.as_ref()]
                                .into_iter()
                                .flatten(),
                        );
                        collect(body, out, calls)
                    }
                    SK::While { body, cond } => {
                        exprs.push(cond);
                        collect(body, out, calls)
                    }
                    SK::Gpu { body } => collect(body, out, calls),
                    SK::If { then, els, cond } => {
                        exprs.push(cond);
                        collect(then, out, calls);
                        collect(els, out, calls);
                    }
                    SK::Assign { target, value } | SK::AugAssign { target, value, .. } => {
                        exprs.extend([target, value])
                    }
                    SK::Call { name, args, .. } => {
                        calls.push(name.clone());
                        exprs.extend(args);
                    }
                    SK::CallExt { args, .. } => exprs.extend(args),
                    SK::Return(v) => exprs.extend(v),
                    SK::Pass | SK::Break | SK::Continue | SK::StaticFail(_) => {}
                }
                for e in exprs {
                    slices::visit_calls(e, &mut |n| calls.push(n.to_string()));
                }
            }
        }
        // Labels of the function and of every helper it (transitively) inlines.
        let mut labels = Vec::new();
        let mut calls = Vec::new();
        collect(&f.body, &mut labels, &mut calls);
        let mut seen = vec![f.name.clone()];
        while let Some(c) = calls.pop() {
            if seen.contains(&c) {
                continue;
            }
            seen.push(c.clone());
            if let Some(h) = self.module.functions.iter().find(|h| h.name == c) {
                collect(&h.body, &mut labels, &mut calls);
            }
        }
        for p in &self.fspec.par {
            if !labels.contains(&p.label) {
                self.errors.push(Error::UnknownLabel {
                    span: p.label_span.clone(),
                    label: p.label.clone(),
                    function: f.name.clone(),
                    labels: labels.clone(),
                });
            }
        }
    }

    /// Inlines a call of helper `name` at the current position: its statements go to
    /// `self.pre`. Array arguments alias the caller's arrays; scalars are copied into the
    /// helper's parameters. With `want_value`, returns the helper's result.
    pub(super) fn inline_call(
        &mut self,
        name: &str,
        name_span: &Span,
        args: &[ast::Expr],
        want_value: bool,
    ) -> Option<expr::TExpr> {
        let module = self.module;
        let Some(helper) = module.functions.iter().find(|h| h.name == name) else {
            self.undefined(name, name_span.clone());
            return None;
        };
        if self.call_stack.iter().any(|c| c == name) {
            self.errors.push(Error::Unsupported {
                span: name_span.clone(),
                what: format!("a recursive call of `{name}`"),
                hint: "ParPy functions are inlined into their callers; rewrite the recursion as a loop".into(),
            });
            return None;
        }
        if helper.params.len() != args.len() {
            self.errors.push(Error::TypeError {
                span: name_span.clone(),
                problem: format!(
                    "`{name}` takes {} argument{}, {} given",
                    helper.params.len(),
                    if helper.params.len() == 1 { "" } else { "s" },
                    args.len()
                ),
            });
            return None;
        }
        let early = non_tail_return(&helper.body, true).is_some();
        // Arguments, in the caller's scope.
        let mut bindings: Vec<(String, Result<Binding, expr::TExpr>)> = Vec::new();
        // What each scalar argument's least value is, in the caller's scope.
        let mut arg_lows: HashMap<String, expr::Low> = HashMap::new();
        // Parameters given a dict argument: each field binds `param.field`.
        let mut dict_params: Vec<String> = Vec::new();
        let mut views: Vec<views::View> = Vec::new();
        // Per parameter, what its annotation binds against: the argument's value or array,
        // and for a view the lengths of the dimensions it spans.
        let mut annotated: Vec<Option<AnnotArg>> = Vec::new();
        for (p, a) in helper.params.iter().zip(args) {
            annotated.push(None);
            if let AK::Subscript { base, indices } = &a.kind {
                let array = match &base.kind {
                    AK::Name(n) => match self.names.get(n) {
                        Some(Binding::Array(id)) => Some(*id),
                        _ => None,
                    },
                    _ => None,
                };
                let is_slice = |i: &ast::Index| matches!(i, ast::Index::Slice { .. });
                let ndims = array.map(|id| self.func.arrays[id.0 as usize].dims.len());
                if let (Some(id), Some(ndims)) = (array, ndims) {
                    // `x[i]` of a 2-d `x` passes row `i`, as `x[i, :]` does.
                    let mut indices = indices.clone();
                    while indices.len() < ndims {
                        indices.push(ast::Index::Slice {
                            lo: None,
                            hi: None,
                            step: None,
                            span: a.span.clone(),
                        });
                    }
                    let indices = &indices;
                    if indices.iter().any(is_slice) && indices.len() == ndims {
                        let adims = self.func.arrays[id.0 as usize].dims.clone();
                        let mut dims = Vec::new();
                        let mut lens = Vec::new();
                        for (k, i) in indices.iter().enumerate() {
                            let dim = expr::dim_expr(adims[k], &self.func);
                            match i {
                                ast::Index::Expr(x) => {
                                    let local = format!("{}#view{k}", p.name);
                                    bindings.push((local.clone(), Err(self.expr(x)?)));
                                    dims.push(views::ViewDim::Fixed(local));
                                }
                                ast::Index::Slice {
                                    lo: None,
                                    hi: None,
                                    step: None,
                                    ..
                                } => {
                                    dims.push(views::ViewDim::Whole);
                                    lens.push(dim);
                                }
                                ast::Index::Slice { lo, hi, step, .. } => {
                                    let st = self.slice_step(step)?;
                                    let start = self.slice_start(lo, st, &dim)?;
                                    let stop = match hi {
                                        Some(x) => self.bound(x, &dim, st, true)?,
                                        None if st < 0 => Expr::int(-1),
                                        None => dim.clone(),
                                    };
                                    let len = slices::slice_length(start.clone(), stop, st);
                                    let index = |e: Expr| {
                                        Err(expr::TExpr {
                                            e,
                                            ty: ScalarTy::weak(ElemTy::I64),
                                        })
                                    };
                                    let names: Vec<String> = ["start", "len", "lo", "hi"]
                                        .iter()
                                        .map(|w| format!("{}#view{k}{w}", p.name))
                                        .collect();
                                    bindings.push((names[0].clone(), index(start)));
                                    bindings.push((names[1].clone(), index(len.clone())));
                                    let mut written = |b: &Option<Box<ast::Expr>>, n: &String| {
                                        b.as_ref().map(|x| {
                                            self.int_expr(x)
                                                .map(|e| (n.clone(), index(e.cast(ElemTy::I64))))
                                        })
                                    };
                                    let lo_b = written(lo, &names[2]);
                                    let hi_b = written(hi, &names[3]);
                                    let mut bound_name = |b: Option<Option<(String, _)>>| match b {
                                        None => Some(None),
                                        Some(Some((n, v))) => {
                                            bindings.push((n.clone(), v));
                                            Some(Some(n))
                                        }
                                        Some(None) => None,
                                    };
                                    let lo_n = bound_name(lo_b)?;
                                    let hi_n = bound_name(hi_b)?;
                                    dims.push(views::ViewDim::Range {
                                        start: names[0].clone(),
                                        len: names[1].clone(),
                                        step: st,
                                        lo: lo_n,
                                        hi: hi_n,
                                    });
                                    lens.push(len);
                                }
                            }
                        }
                        let hidden = format!("{}#view", p.name);
                        bindings.push((hidden.clone(), Ok(Binding::Array(id))));
                        views.push(views::View {
                            param: p.name.clone(),
                            array: hidden,
                            dims,
                        });
                        *annotated.last_mut().expect("pushed") = Some(AnnotArg::View(id, lens));
                        continue;
                    }
                }
            }
            if let AK::Name(n) = &a.kind {
                let prefix = format!("{n}.");
                let mut fields: Vec<(String, Binding)> = self
                    .names
                    .iter()
                    .filter_map(|(k, b)| k.strip_prefix(&prefix).map(|f| (f.to_string(), *b)))
                    .collect();
                if !self.names.contains_key(n) && !fields.is_empty() {
                    fields.sort_by(|x, y| x.0.cmp(&y.0));
                    for (field, b) in fields {
                        bindings.push((format!("{}.{field}", p.name), Ok(b)));
                    }
                    dict_params.push(p.name.clone());
                    continue;
                }
            }
            let b = match &a.kind {
                AK::Name(n) if matches!(self.names.get(n), Some(Binding::Array(_))) => {
                    match self.names[n] {
                        Binding::Array(id) => Ok(Binding::Array(id)),
                        _ => unreachable!(),
                    }
                }
                _ => {
                    if slices::has_slices(a) || self.value_has_slices(a) {
                        self.errors.push(Error::Unsupported {
                            span: a.span.clone(),
                            what: "passing this slice to a helper".into(),
                            hint: "pass whole dimensions (`x[i, :]`), or the whole array and the bounds, and index inside the helper"
                                .into(),
                        });
                        return None;
                    }
                    // Arguments in Python's order (see `keep_before`).
                    let mark = self.pre.len();
                    let v = self.expr(a)?;
                    let mut earlier: Vec<&mut Expr> = bindings
                        .iter_mut()
                        .filter_map(|(_, b)| b.as_mut().err().map(|t| &mut t.e))
                        .collect();
                    self.keep_before(mark, &mut earlier, None, &a.span);
                    Err(v)
                }
            };
            if let Some(last) = annotated.last_mut() {
                *last = Some(match &b {
                    Ok(Binding::Array(id)) => AnnotArg::Array(*id),
                    Ok(_) => AnnotArg::Other,
                    Err(v) => AnnotArg::Value(v.ty.elem, v.ty.weak),
                });
            }
            if b.is_err() {
                arg_lows.insert(p.name.clone(), self.low_bound(a));
            }
            bindings.push((p.name.clone(), b));
        }
        // `parpy.types` annotations on the helper's parameters bind its type variables (to the
        // argument's element type) and shape symbols (to the argument's dimensions) per call.
        let mut call_types: Vec<(String, ElemTy)> = Vec::new();
        let mut weak_types: Vec<(String, ElemTy)> = Vec::new();
        for (p, arg) in helper.params.iter().zip(&annotated) {
            let Some(ann) = &p.annotation else { continue };
            match (&ann.kind, arg) {
                (
                    ast::AnnotationKind::Scalar(ast::TypeRef::Var(t)),
                    Some(AnnotArg::Value(e, weak)),
                ) => {
                    if *weak {
                        // A Python scalar takes the type the other arguments give the variable.
                        weak_types.push((t.clone(), *e));
                    } else {
                        call_types.push((t.clone(), *e));
                    }
                }
                (ast::AnnotationKind::Buffer { elem, dims }, Some(AnnotArg::Array(id))) => {
                    let info = self.func.arrays[id.0 as usize].clone();
                    if let ast::TypeRef::Var(t) = elem {
                        call_types.push((t.clone(), info.elem));
                    }
                    if dims.len() == info.dims.len() {
                        for (d, actual) in dims.iter().zip(&info.dims) {
                            let ast::DimRef::Symbol(sym) = d else {
                                continue;
                            };
                            let b = match actual {
                                Dim::Var(v) => Ok(Binding::Param(*v, ScalarTy::weak(ElemTy::I64))),
                                Dim::Const(n) => Err(expr::TExpr::new(
                                    ir::ExprKind::Int(*n),
                                    ScalarTy::weak(ElemTy::I64),
                                )),
                            };
                            bindings.push((sym.clone(), b));
                        }
                    }
                }
                (ast::AnnotationKind::Buffer { elem, dims }, Some(AnnotArg::View(id, lens))) => {
                    let info = self.func.arrays[id.0 as usize].clone();
                    if let ast::TypeRef::Var(t) = elem {
                        call_types.push((t.clone(), info.elem));
                    }
                    if dims.len() == lens.len() {
                        for (d, len) in dims.iter().zip(lens) {
                            if let ast::DimRef::Symbol(sym) = d {
                                let v = expr::TExpr {
                                    e: len.clone(),
                                    ty: ScalarTy::weak(ElemTy::I64),
                                };
                                bindings.push((sym.clone(), Err(v)));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        for (t, e) in weak_types {
            if !call_types.iter().any(|(u, _)| *u == t) {
                call_types.push((t, e));
            }
        }
        let saved_types = self.type_vars.clone();
        for (t, e) in call_types {
            self.type_vars.insert(t, e);
        }
        // The helper's own scope: only its parameters are visible.
        self.inline_count += 1;
        let my_scope = format!("{name}#{}/", self.inline_count);
        let saved_names = std::mem::take(&mut self.names);
        let saved_scope = std::mem::replace(&mut self.scope, my_scope.clone());
        let saved_loops = std::mem::take(&mut self.loop_vars);
        let saved_lows = std::mem::take(&mut self.loop_lows);
        let saved_ret = self.ret.replace(ReturnSlot {
            helper: name.to_string(),
            var: None,
            want_value,
            done: None,
        });
        let saved_loops_in_helper = std::mem::replace(&mut self.helper_loops, 0);
        let saved_par_loops = std::mem::replace(&mut self.par_loops, 0);
        let saved_value = self.current_value.take();
        let saved_span = self.cur_span.clone();
        self.call_stack.push(name.to_string());
        let mut body = Vec::new();
        for (pname, b) in bindings {
            match b {
                Ok(binding) => {
                    self.names.insert(pname, binding);
                }
                Err(mut v) => {
                    // A parameter annotated with an element type (or a type variable)
                    // receives the argument converted to it, as a NumPy scalar.
                    let annotated = helper
                        .params
                        .iter()
                        .find(|p| p.name == pname)
                        .and_then(|p| match p.annotation.as_ref().map(|a| &a.kind) {
                            Some(ast::AnnotationKind::Scalar(ast::TypeRef::Concrete(t))) => {
                                Some(*t)
                            }
                            Some(ast::AnnotationKind::Scalar(ast::TypeRef::Var(t))) => {
                                self.type_vars.get(t).copied()
                            }
                            _ => None,
                        });
                    if let Some(t) = annotated {
                        v = expr::TExpr {
                            e: v.e.cast(t),
                            ty: ScalarTy::strong(t),
                        };
                    }
                    if let Some(low) = arg_lows.get(&pname) {
                        self.local_lows.insert(self.key(&pname), *low);
                    }
                    if let Some(var) = self.bind_local(&pname, name_span.clone(), v.ty) {
                        let ty = self.func.vars[var.0 as usize].ty;
                        body.push(Stmt::Assign {
                            var,
                            value: v.e.cast(ty),
                            span: name_span.clone(),
                        });
                    }
                }
            }
        }
        if early {
            let done = self.new_var(&format!("{name}_done"), ElemTy::Bool);
            body.push(Stmt::Assign {
                var: done,
                value: Expr {
                    kind: ir::ExprKind::Bool(false),
                    ty: ElemTy::Bool,
                },
                span: name_span.clone(),
            });
            if let Some(r) = &mut self.ret {
                r.done = Some(done);
            }
        }
        let mut caller_pre = std::mem::take(&mut self.pre);
        if dict_params.is_empty() && views.is_empty() {
            body.extend(self.block(&helper.body));
        } else {
            let mut helper_body = dicts::block(&helper.body, &dict_params);
            for v in &views {
                for span in views::rewrite(&mut helper_body, v) {
                    self.errors.push(Error::Unsupported {
                        span,
                        what: "slicing a view that steps backwards, or by a step that is not a positive constant".into(),
                        hint: "index the view (`w[j]`) or use it whole (`w[:]`); or pass the whole array and the bounds".into(),
                    });
                }
            }
            body.extend(self.block(&helper_body));
        }
        self.helper_loops = saved_loops_in_helper;
        self.par_loops = saved_par_loops;
        let ret_var_ty = match &helper.ret {
            Some(ast::TypeRef::Var(t)) => self.type_vars.get(t).copied(),
            _ => None,
        };
        self.type_vars = saved_types;
        self.call_stack.pop();
        let ret = std::mem::replace(&mut self.ret, saved_ret);
        self.names = saved_names;
        self.scope = saved_scope;
        self.loop_vars = saved_loops;
        self.loop_lows = saved_lows;
        self.current_value = saved_value;
        self.cur_span = saved_span;
        caller_pre.extend(body);
        self.pre = caller_pre;
        if !want_value {
            return None;
        }
        match ret.and_then(|r| r.var) {
            Some(v) => {
                let ty = self.func.vars[v.0 as usize].ty;
                let key = format!("{my_scope}<return>");
                let sty = self
                    .local_types
                    .get(&key)
                    .copied()
                    .unwrap_or(ScalarTy::strong(ty));
                // `-> parpy.types.F32` (or `-> T`) converts the value, as ParPy does.
                let annotated = match &helper.ret {
                    Some(ast::TypeRef::Concrete(t)) => Some(*t),
                    Some(ast::TypeRef::Var(t)) => {
                        ret_var_ty.or_else(|| self.type_vars.get(t).copied())
                    }
                    None => None,
                };
                if let Some(t) = annotated {
                    return Some(expr::TExpr {
                        e: Expr::var(v, ty).cast(t),
                        ty: ScalarTy::strong(t),
                    });
                }
                Some(expr::TExpr {
                    e: Expr::var(v, ty),
                    ty: sty,
                })
            }
            None => {
                self.errors.push(Error::TypeError {
                    span: name_span.clone(),
                    problem: format!("`{name}` returns no value"),
                });
                None
            }
        }
    }

    /// Whether helper `name` may be applied element by element in a slice statement
    /// (`y[:] = add(x[:], y[:])`): its body is straight-line arithmetic on locals ending in a
    /// `return`, made only of operations that NumPy applies element-wise to whole arrays too
    /// (so Python computes the same with the arrays themselves); helpers it calls are such
    /// helpers. Branches, `and`/`or`, indexing, reductions and Python's own `max`/`min`,
    /// `math.*` or `int()` would not work on arrays in Python, so such helpers are not.
    pub(super) fn elementwise_helper(&self, name: &str) -> bool {
        fn check(module: &ast::Module, name: &str, seen: &mut Vec<String>) -> bool {
            if seen.iter().any(|s| s == name) {
                return false;
            }
            seen.push(name.to_string());
            let Some(h) = module.functions.iter().find(|f| f.name == name) else {
                return false;
            };
            fn expr_ok(module: &ast::Module, e: &ast::Expr, seen: &mut Vec<String>) -> bool {
                let here = match &e.kind {
                    AK::Name(_) | AK::Int(_) | AK::Float(_) | AK::Bool(_) => true,
                    AK::Binary(..) | AK::ConvertVar(..) => true,
                    AK::Unary(op, _) => *op != ast::UnOp::Not,
                    AK::Compare(_, rest) => rest.len() == 1,
                    AK::Call { func, args, .. } => match func {
                        ast::Builtin::Math(_) | ast::Builtin::Cast(_) => true,
                        ast::Builtin::ReduceOrPair(_) => args.len() == 2,
                        _ => false,
                    },
                    AK::CallFn { name, .. } => check(module, name, &mut seen.clone()),
                    _ => false,
                };
                here && e.children().into_iter().all(|c| expr_ok(module, c, seen))
            }
            let Some((last, rest)) = h.body.split_last() else {
                return false;
            };
            let SK::Return(Some(value)) = &last.kind else {
                return false;
            };
            rest.iter().all(|s| {
                s.labels.is_empty()
                    && match &s.kind {
                        SK::Assign { target, value } | SK::AugAssign { target, value, .. } => {
                            matches!(target.kind, AK::Name(_)) && expr_ok(module, value, seen)
                        }
                        SK::Pass => true,
                        _ => false,
                    }
            }) && expr_ok(module, value, seen)
        }
        check(self.module, name, &mut Vec::new())
    }

    /// `f(x[:], ...)` in a slice statement, for an element-wise helper: each argument at the
    /// iteration point goes into a local, the helper is inlined on those, and its statements
    /// join `per_element`, which runs inside the statement's loops.
    pub(super) fn elementwise_call(
        &mut self,
        name: &str,
        name_span: &Span,
        args: &[ast::Expr],
        iter: &[Expr],
    ) -> Option<expr::TExpr> {
        let mark = self.pre.len();
        self.elementwise_calls += 1;
        let n = self.elementwise_calls;
        let mut locals = Vec::new();
        for (k, a) in args.iter().enumerate() {
            let v = self.expr_at(a, Some(iter))?;
            let local = format!("{name}_arg{k}#elementwise{n}");
            let var = self.bind_local(&local, a.span.clone(), v.ty)?;
            let ty = self.func.vars[var.0 as usize].ty;
            self.pre.push(Stmt::Assign {
                var,
                value: v.e.cast(ty),
                span: a.span.clone(),
            });
            locals.push(ast::Expr {
                kind: AK::Name(local),
                span: a.span.clone(),
            });
        }
        let r = self.inline_call(name, name_span, &locals, true);
        let stmts: Vec<Stmt> = self.pre.drain(mark..).collect();
        self.per_element.extend(stmts);
        r
    }

    /// A call of an external: arguments converted to its declared parameter types (arrays
    /// passed whole as pointers), in slice statements element-wise at `iter`.
    pub(super) fn extern_call(
        &mut self,
        name: &str,
        name_span: &Span,
        args: &[ast::Expr],
        iter: Option<&[Expr]>,
        want_value: bool,
    ) -> Option<expr::TExpr> {
        use ast::{AnnotationKind, TypeRef};
        let module = self.module;
        let ext = module.externals.iter().find(|e| e.name == name)?;
        if ext.backend != "Cuda" {
            self.errors.push(Error::Unsupported {
                span: name_span.clone(),
                what: format!("calling `{name}`, declared for the {} backend,", ext.backend),
                hint: "declare a CUDA version of the external (`parpy.CompileBackend.Cuda`), and choose between them with `static_backend_eq`".into(),
            });
            return None;
        }
        if ext.params.len() != args.len() {
            self.errors.push(Error::TypeError {
                span: name_span.clone(),
                problem: format!(
                    "`{name}` takes {} argument{}, {} given",
                    ext.params.len(),
                    if ext.params.len() == 1 { "" } else { "s" },
                    args.len()
                ),
            });
            return None;
        }
        let resolve = |t: &TypeRef, vars: &HashMap<String, ElemTy>| match t {
            TypeRef::Concrete(e) => Some(*e),
            TypeRef::Var(v) => vars.get(v).copied(),
        };
        let mut lowered = Vec::new();
        for (p, a) in ext.params.iter().zip(args) {
            let Some(ann) = &p.annotation else {
                return None;
            };
            match &ann.kind {
                AnnotationKind::Scalar(t) => {
                    let Some(t) = resolve(t, &self.type_vars) else {
                        self.errors.push(Error::TypeError {
                            span: ann.span.clone(),
                            problem: "a type variable not bound by the function's parameters"
                                .into(),
                        });
                        return None;
                    };
                    let mark = self.pre.len();
                    let v = self.expr_at(a, iter)?;
                    let mut earlier: Vec<&mut Expr> = lowered.iter_mut().collect();
                    self.keep_before(mark, &mut earlier, iter, &a.span);
                    lowered.push(v.e.cast(t));
                }
                AnnotationKind::Buffer { .. } => match &a.kind {
                    AK::Name(n) if matches!(self.names.get(n), Some(Binding::Array(_))) => {
                        let Some(Binding::Array(id)) = self.names.get(n).copied() else {
                            return None;
                        };
                        self.func.arrays[id.0 as usize].written = true;
                        lowered.push(Expr {
                            kind: ir::ExprKind::ArrayPtr(id),
                            ty: self.func.arrays[id.0 as usize].elem,
                        });
                    }
                    _ => {
                        self.errors.push(Error::TypeError { span: a.span.clone(), problem: format!("parameter `{}` of `{name}` is a buffer: pass an array argument by name", p.name) });
                        return None;
                    }
                },
            }
        }
        if let Some(h) = &ext.header {
            if !self.func.headers.contains(h) {
                self.func.headers.push(h.clone());
            }
        }
        let ret = match &ext.ret {
            Some(t) => match resolve(t, &self.type_vars) {
                Some(t) => Some(t),
                None => {
                    self.errors.push(Error::TypeError {
                        span: ext.span.clone(),
                        problem: "a return type variable not bound by the function's parameters"
                            .into(),
                    });
                    return None;
                }
            },
            None => None,
        };
        if want_value && ret.is_none() {
            self.errors.push(Error::TypeError {
                span: name_span.clone(),
                problem: format!("`{name}` returns nothing"),
            });
            return None;
        }
        let ty = ret.unwrap_or(ElemTy::I32);
        Some(expr::TExpr {
            e: Expr {
                kind: ir::ExprKind::Extern {
                    name: ext.target_name.clone(),
                    args: lowered,
                    device: ext.device,
                },
                ty,
            },
            ty: ScalarTy::strong(ty),
        })
    }

    fn return_stmt(&mut self, s: &ast::Stmt, value: Option<&ast::Expr>, out: &mut Vec<Stmt>) {
        let Some(slot) = self.ret.clone() else {
            self.errors.push(Error::Unsupported {
                span: s.span.clone(),
                what: "`return` in an exported function".into(),
                hint: "exported functions write their results into array arguments".into(),
            });
            return;
        };
        if self.par_loops > 0 {
            // Python would leave the function from one iteration; parallel iterations run
            // at once.
            self.errors.push(Error::Unsupported {
                span: s.span.clone(),
                what: "`return` inside a parallel loop".into(),
                hint:
                    "guard the rest of the iteration with `if` instead, or make the loop sequential"
                        .into(),
            });
            return;
        }
        if slot.want_value {
            let Some(value) = value else {
                self.errors.push(Error::TypeError {
                    span: s.span.clone(),
                    problem: format!(
                        "`{}` is called for its value, but this `return` has none",
                        slot.helper
                    ),
                });
                return;
            };
            let Some(v) = self.expr(value) else { return };
            out.append(&mut self.pre);
            self.refine_local("<return>", v.ty);
            let ty = self.local_types[&self.key("<return>")];
            let var = match slot.var {
                Some(var) => var,
                None => {
                    let var = self.new_var(&format!("{}_result", slot.helper), ty.elem);
                    if let Some(r) = &mut self.ret {
                        r.var = Some(var);
                    }
                    var
                }
            };
            let t = self.func.vars[var.0 as usize].ty;
            out.push(Stmt::Assign {
                var,
                value: v.e.cast(t),
                span: s.span.clone(),
            });
        }
        // A statement call drops the value. A `return` before the end leaves the helper.
        if let Some(done) = slot.done {
            out.push(Stmt::Assign {
                var: done,
                value: Expr {
                    kind: ir::ExprKind::Bool(true),
                    ty: ElemTy::Bool,
                },
                span: s.span.clone(),
            });
            if self.helper_loops > 0 {
                out.push(Stmt::Break);
            }
        }
    }

    fn block(&mut self, stmts: &[ast::Stmt]) -> Vec<Stmt> {
        let mut out = Vec::new();
        let done = self.ret.as_ref().and_then(|r| r.done);
        for (i, s) in stmts.iter().enumerate() {
            self.stmt(s, &mut out);
            let Some(done) = done else { continue };
            if matches!(s.kind, SK::Return(_)) {
                // Nothing after a `return` runs.
                break;
            }
            if i + 1 < stmts.len() && contains_return(s) {
                let flag = Expr::var(done, ElemTy::Bool);
                if self.helper_loops > 0 {
                    out.push(Stmt::If {
                        cond: flag,
                        then: vec![Stmt::Break],
                        els: vec![],
                        span: s.span.clone(),
                    });
                } else {
                    let rest = self.block(&stmts[i + 1..]);
                    let not_done = Expr {
                        kind: ir::ExprKind::Unary(ir::UnOp::Not, Box::new(flag)),
                        ty: ElemTy::Bool,
                    };
                    out.push(Stmt::If {
                        cond: not_done,
                        then: rest,
                        els: vec![],
                        span: s.span.clone(),
                    });
                    break;
                }
            }
        }
        out
    }

    /// Reports names read by a statement's own expressions that are not defined, once per
    /// name at its first occurrence in the source. Returns whether all are defined.
    fn names_defined(&mut self, exprs: &[&ast::Expr]) -> bool {
        let mut missing: Vec<(String, Span)> = Vec::new();
        for e in exprs {
            slices::visit_names(e, &mut |n, sp| {
                // A dict is defined through its fields (`d.rows`); where it may stand alone
                // (an argument of a helper) is decided where it is used.
                let prefix = format!("{n}.");
                let dict = self.names.keys().any(|k| k.starts_with(&prefix));
                if !self.names.contains_key(n) && !dict && !missing.iter().any(|(m, _)| m == n) {
                    missing.push((n.to_string(), sp.clone()));
                }
            });
        }
        missing.sort_by_key(|(_, sp)| sp.start);
        let ok = missing.is_empty();
        for (n, sp) in missing {
            self.undefined(&n, sp);
        }
        ok
    }

    fn stmt(&mut self, s: &ast::Stmt, out: &mut Vec<Stmt>) {
        let before = self.errors.len();
        self.stmt_inner(s, out);
        // A local whose first assignment failed (with an error, or because it reads such a
        // local) is reported there only, not at every use.
        if let SK::Assign { target, value } = &s.kind {
            if let AK::Name(n) = &target.kind {
                let mut reads_poisoned = false;
                slices::visit_names(value, &mut |m, _| {
                    reads_poisoned |= self.poisoned.contains(m)
                });
                if !self.names.contains_key(n) && (self.errors.len() > before || reads_poisoned) {
                    self.poisoned.insert(n.clone());
                }
            }
        }
    }

    fn stmt_inner(&mut self, s: &ast::Stmt, out: &mut Vec<Stmt>) {
        let reads: Vec<&ast::Expr> = match &s.kind {
            SK::Assign { target, value } => match &target.kind {
                AK::Name(_) => vec![value],
                _ => vec![target, value],
            },
            SK::AugAssign { target, value, .. } => vec![target, value],
            SK::While { cond, .. } | SK::If { cond, .. } => vec![cond],
            SK::Call { args, .. } | SK::CallExt { args, .. } => args.iter().collect(),
            SK::Return(Some(v)) => vec![v],
            SK::For { range, .. } => [range.start.as_ref(), Some(&range.stop), range.step.as_ref()]
                .into_iter()
                .flatten()
                .collect(),
            _ => vec![],
        };
        if !self.names_defined(&reads) {
            return;
        }
        self.cur_span = s.span.clone();
        match &s.kind {
            SK::Assign { target, value } => {
                // `a = x` with `x` an array would make `a` another name for it.
                if let (AK::Name(dst), AK::Name(src)) = (&target.kind, &value.kind) {
                    // (A 0-d array read by name is its value.)
                    let whole = match self.names.get(src) {
                        Some(Binding::Array(a)) => !self.func.arrays[a.0 as usize].dims.is_empty(),
                        _ => false,
                    };
                    if whole {
                        let dst_binding = self.names.get(dst);
                        let src = crate::front::versions::source_name(src);
                        let dst = crate::front::versions::source_name(dst);
                        let hint = match dst_binding {
                            // `y = x` between arrays: most likely a copy.
                            Some(Binding::Array(a)) => {
                                let all = vec![":"; self.func.arrays[a.0 as usize].dims.len()].join(", ");
                                format!("to copy the elements of `{src}` into `{dst}`, write `{dst}[{all}] = {src}[{all}]`")
                            }
                            _ => format!("use `{src}` itself; to choose between arrays, pass the chosen one to a helper (`step(x, y)` or `step(y, x)`), or give them one array with an extra dimension and index it"),
                        };
                        self.errors.push(Error::Unsupported {
                            span: value.span.clone(),
                            what: "another name for an array".into(),
                            hint,
                        });
                        return;
                    }
                }
                if slices::has_slices(target) || self.value_has_slices(value) {
                    self.slice_assign(s, target, value, out);
                    return;
                }
                self.no_labels(s);
                self.assign(target, value, out);
            }
            SK::AugAssign { target, op, value }
                if !slices::has_slices(target) && slices::is_full_reduction(value) =>
            {
                // `t op= sum(x[i, :])`: the reduction into a temporary, then `t = t op tmp`.
                self.reduction_temps += 1;
                let tmp = ast::Expr {
                    kind: AK::Name(format!("reduced#{}", self.reduction_temps)),
                    span: value.span.clone(),
                };
                self.slice_assign(s, &tmp, value, out);
                let combined = ast::Expr {
                    kind: AK::Binary(*op, Box::new(target.clone()), Box::new(tmp)),
                    span: s.span.clone(),
                };
                self.assign(target, &combined, out);
            }
            SK::AugAssign { target, op, value } => {
                // `t op= v` is `t = t op v`.
                let combined = ast::Expr {
                    kind: AK::Binary(*op, Box::new(target.clone()), Box::new(value.clone())),
                    span: s.span.clone(),
                };
                if slices::has_slices(target) || self.value_has_slices(value) {
                    self.slice_assign(s, target, &combined, out);
                    return;
                }
                self.no_labels(s);
                self.assign(target, &combined, out);
            }
            SK::For {
                var,
                var_span,
                range,
                body,
            } => self.for_loop(s, var, var_span, range, body, out),
            SK::While { cond, body } => {
                self.no_labels(s);
                self.note_loop_lows(body);
                let Some(c) = self.cond(cond) else { return };
                let cond_pre = std::mem::take(&mut self.pre);
                self.helper_loops += 1;
                let mut body = self.block(body);
                self.helper_loops -= 1;
                let c = if cond_pre.is_empty() {
                    c
                } else {
                    // Helpers called in the condition run before every test:
                    // `while True: <helpers>; if not cond: break; <body>`.
                    let exit = Stmt::If {
                        cond: Expr {
                            kind: ir::ExprKind::Unary(ir::UnOp::Not, Box::new(c)),
                            ty: ElemTy::Bool,
                        },
                        then: vec![Stmt::Break],
                        els: vec![],
                        span: cond.span.clone(),
                    };
                    let mut full = cond_pre;
                    full.push(exit);
                    full.append(&mut body);
                    body = full;
                    Expr {
                        kind: ir::ExprKind::Bool(true),
                        ty: ElemTy::Bool,
                    }
                };
                out.push(Stmt::While {
                    cond: c,
                    body,
                    span: s.span.clone(),
                });
            }
            SK::If { cond, then, els } => {
                self.no_labels(s);
                let c = self.cond(cond);
                out.append(&mut self.pre);
                // A condition known at compile time (`static_types_eq`, literals) selects its
                // branch; the other is not compiled at all.
                if let Some(Expr {
                    kind: ir::ExprKind::Bool(b),
                    ..
                }) = &c
                {
                    let taken = if *b { then } else { els };
                    for st in taken {
                        self.stmt(st, out);
                    }
                    return;
                }
                let then = self.block(then);
                let els = self.block(els);
                if let Some(c) = c {
                    out.push(Stmt::If {
                        cond: c,
                        then,
                        els,
                        span: s.span.clone(),
                    });
                }
            }
            SK::Gpu { body } => {
                self.no_labels(s);
                // One thread on the GPU: a parallel loop of one iteration and one thread.
                let var = self.new_var("gpu", ElemTy::I64);
                self.func.vars[var.0 as usize].scoped = true;
                let body = self.block(body);
                out.push(Stmt::For(ir::For {
                    id: LoopId(0),
                    var,
                    start: Expr::int(0),
                    stop: Expr::int(1),
                    step: 1,
                    body,
                    par: Some(Par {
                        threads: Expr::int(1),
                        tpb: 32,
                        label: "gpu".into(),
                    }),
                    reduction: None,
                    into: None,
                    span: s.span.clone(),
                }));
            }
            SK::Call {
                name,
                name_span,
                args,
            } => {
                self.no_labels(s);
                self.inline_call(name, name_span, args, false);
                out.append(&mut self.pre);
            }
            SK::CallExt {
                name,
                name_span,
                args,
            } => {
                self.no_labels(s);
                if let Some(e) = self.extern_call(name, name_span, args, None, false) {
                    out.append(&mut self.pre);
                    out.push(Stmt::Eval(e.e, s.span.clone()));
                }
            }
            SK::Return(value) => {
                self.no_labels(s);
                self.return_stmt(s, value.as_ref(), out);
            }
            SK::StaticFail(msg) => {
                self.no_labels(s);
                self.errors.push(Error::StaticFail {
                    span: s.span.clone(),
                    message: msg.clone(),
                });
            }
            SK::Pass => self.no_labels(s),
            SK::Break => {
                self.no_labels(s);
                out.push(Stmt::Break);
            }
            SK::Continue => {
                self.no_labels(s);
                out.push(Stmt::Continue);
            }
        }
    }

    fn no_labels(&mut self, s: &ast::Stmt) {
        // Implicit shape labels go wherever a symbol is named, and stay unused there.
        for l in s.labels.iter().filter(|l| !l.implicit) {
            self.errors.push(Error::LabelOnStatement {
                span: l.span.clone(),
                label: l.name.clone(),
            });
        }
    }

    /// A scalar assignment: to a local or to one array element.
    fn assign(&mut self, target: &ast::Expr, value: &ast::Expr, out: &mut Vec<Stmt>) {
        match &target.kind {
            AK::Name(name) => {
                self.note_low(name, value);
                let Some(v) = self.expr(value) else { return };
                out.append(&mut self.pre);
                if let Some(var) = self.bind_local(name, target.span.clone(), v.ty) {
                    let ty = self.func.vars[var.0 as usize].ty;
                    out.push(Stmt::Assign {
                        var,
                        value: v.e.cast(ty),
                        span: self.cur_span.clone(),
                    });
                }
            }
            AK::Subscript { base, indices } => {
                let v = self.expr(value);
                let Some((array, index)) = self.element(base, indices, &target.span) else {
                    return;
                };
                let Some(v) = v else { return };
                out.append(&mut self.pre);
                self.func.arrays[array.0 as usize].written = true;
                let elem = self.func.arrays[array.0 as usize].elem;
                out.push(Stmt::Store {
                    array,
                    index,
                    value: v.e.cast(elem),
                    span: self.cur_span.clone(),
                });
            }
            _ => self.errors.push(Error::Unsupported {
                span: target.span.clone(),
                what: "this assignment target".into(),
                hint: "assign to a local or an array element".into(),
            }),
        }
    }

    /// The variable for an assignment to local `name`, created at its first assignment.
    /// Returns `None` (with an error) if the name is a parameter or an array.
    fn bind_local(&mut self, name: &str, span: Span, ty: ScalarTy) -> Option<VarId> {
        match self.names.get(name).copied() {
            Some(Binding::Local(v)) => {
                self.refine_local(name, ty);
                Some(v)
            }
            Some(Binding::Param(..)) => {
                self.errors.push(Error::AssignToParam {
                    span,
                    name: name.to_string(),
                });
                None
            }
            Some(Binding::Array(_)) => {
                self.errors.push(Error::AssignToArray {
                    span,
                    name: name.to_string(),
                });
                None
            }
            None => {
                self.refine_local(name, ty);
                let t = self.local_types[&self.key(name)];
                let v = self.new_var(name, t.elem);
                let key = self.key(name);
                self.var_keys.insert(v, key);
                self.names.insert(name.to_string(), Binding::Local(v));
                Some(v)
            }
        }
    }

    /// The key of a local's inferred type: helper instances have their own.
    /// Records what assigning `value` to local `name` makes of its least value.
    fn note_low(&mut self, name: &str, value: &ast::Expr) {
        let low = self.low_bound(value);
        let key = self.key(name);
        let low = match self.local_lows.get(&key) {
            Some(old) => old.meet(low),
            None => low,
        };
        self.local_lows.insert(key, low);
    }

    /// Before a loop's body: what its assignments make of the locals it reads, so that a read
    /// before an assignment in the body knows the values later iterations see (`k -= 1`).
    fn note_loop_lows(&mut self, body: &[ast::Stmt]) {
        fn walk(stmts: &[ast::Stmt], f: &mut impl FnMut(&str, ast::Expr)) {
            for s in stmts {
                match &s.kind {
                    SK::Assign { target, value } => {
                        if let AK::Name(n) = &target.kind {
                            f(n, value.clone());
                        }
                    }
                    SK::AugAssign { target, op, value } => {
                        if let AK::Name(n) = &target.kind {
                            f(
                                n,
                                ast::Expr {
                                    kind: AK::Binary(
                                        *op,
                                        Box::new(target.clone()),
                                        Box::new(value.clone()),
                                    ),
                                    span: s.span.clone(),
                                },
                            );
                        }
                    }
                    SK::For { body, .. } | SK::While { body, .. } => walk(body, f),
                    SK::If { then, els, .. } => {
                        walk(then, f);
                        walk(els, f);
                    }
                    _ => {}
                }
            }
        }
        let mut defs = Vec::new();
        walk(body, &mut |n, e| defs.push((n.to_string(), e)));
        // Twice: a value that depends on another local assigned later in the body.
        for _ in 0..2 {
            for (n, e) in &defs {
                if matches!(self.names.get(n.as_str()), Some(Binding::Local(_))) {
                    self.note_low(n, e);
                }
            }
        }
    }

    fn key(&self, name: &str) -> String {
        format!("{}{name}", self.scope)
    }

    fn refine_local(&mut self, name: &str, ty: ScalarTy) {
        let name = &self.key(name);
        let new = match self.local_types.get(name) {
            None => ty,
            Some(old) if *old == ty => return,
            Some(old) => {
                let p = ScalarTy::promote(*old, ty, self.float_ty());
                ScalarTy {
                    elem: p.elem,
                    weak: old.weak && ty.weak,
                }
            }
        };
        if self.local_types.get(name) != Some(&new) {
            self.local_types.insert(name.to_string(), new);
            self.types_changed = true;
        }
    }

    fn local_ty(&self, v: VarId) -> ScalarTy {
        let info = &self.func.vars[v.0 as usize];
        let key = match self.var_keys.get(&v) {
            Some(k) => k.clone(),
            None => self.key(&info.name),
        };
        self.local_types
            .get(&key)
            .copied()
            .unwrap_or(ScalarTy::strong(info.ty))
    }

    fn for_loop(
        &mut self,
        s: &ast::Stmt,
        var: &str,
        var_span: &Span,
        range: &ast::RangeArgs,
        body: &[ast::Stmt],
        out: &mut Vec<Stmt>,
    ) {
        let par = self.loop_par(s);
        let int = self.int_ty();
        let start = match &range.start {
            Some(e) => self.int_expr(e),
            None => Some(Expr::int(0).cast(int)),
        };
        let stop = self.int_expr(&range.stop);
        let step = match &range.step {
            None => Some(1),
            Some(e) => match expr::const_int(e) {
                Some(0) => {
                    self.errors.push(Error::TypeError {
                        span: e.span.clone(),
                        problem: "the step of `range` must not be zero".into(),
                    });
                    None
                }
                Some(i) => Some(i),
                None => {
                    self.errors.push(Error::NonConstantStep {
                        span: e.span.clone(),
                    });
                    None
                }
            },
        };
        let range_pre = std::mem::take(&mut self.pre);
        let Some(lv) = self.bind_local(var, var_span.clone(), ScalarTy::weak(int)) else {
            return;
        };
        let id = LoopId(0);
        let used = body_reads(body, var);
        self.loop_vars.push((var.to_string(), used));
        // Counting up, the variable starts at the start; counting down, it stays above the
        // stop.
        let low = match step {
            Some(st) if st > 0 => match range.start.as_ref().map(|e| self.low_bound(e)) {
                None => Some(0),
                Some(expr::Low::Known(v)) => Some(v),
                Some(expr::Low::Big) => Some(0),
                Some(expr::Low::Neg) => None,
            },
            Some(_) => match self.low_bound(&range.stop) {
                expr::Low::Known(v) => Some(v.saturating_add(1)),
                expr::Low::Big => Some(0),
                expr::Low::Neg => None,
            },
            None => None,
        };
        self.loop_lows.push((var.to_string(), low));
        self.note_loop_lows(body);
        self.helper_loops += 1;
        let parallel = usize::from(par.is_some());
        self.par_loops += parallel;
        let body_ir = self.block(body);
        self.par_loops -= parallel;
        self.helper_loops -= 1;
        self.loop_vars.pop();
        self.loop_lows.pop();
        let (Some(start), Some(stop), Some(step)) = (start, stop, step) else {
            return;
        };
        let mut l = ir::For {
            id,
            var: lv,
            start: start.cast(int),
            stop: stop.cast(int),
            step,
            body: body_ir,
            par: None,
            reduction: None,
            into: None,
            span: s.span.clone(),
        };
        if let Some((p, spec)) = par {
            if spec.reduce {
                match detect_reduction(&l.body, l.var, Some(&l)) {
                    Some(Detected::Local(r)) => l.reduction = Some(r),
                    Some(Detected::Element {
                        array,
                        index,
                        op,
                        value,
                    }) => {
                        // Accumulate in a local; the loop's result joins the element after it.
                        let elem = self.func.arrays[array.0 as usize].elem;
                        let acc = self.new_var("acc", elem);
                        let span = l.span.clone();
                        if let Some(last) = l.body.last_mut() {
                            let update = Stmt::Assign {
                                var: acc,
                                value: ir::combine(op, Expr::var(acc, elem), value.cast(elem)),
                                span: span.clone(),
                            };
                            replace_update(last, update);
                        }
                        out.push(Stmt::Assign {
                            var: acc,
                            value: ir::neutral(op, elem),
                            span,
                        });
                        l.reduction = Some(ir::Reduction { acc, op });
                        l.into = Some((array, index));
                    }
                    Some(Detected::NestedElement {
                        array,
                        index,
                        acc,
                        op,
                        init,
                    }) => {
                        let start = l.body.remove(init);
                        if let Some(Stmt::For(inner)) = l.body.last_mut() {
                            inner.into = None;
                        }
                        out.push(start);
                        l.reduction = Some(ir::Reduction { acc, op });
                        l.into = Some((array, index));
                    }
                    // A label shared with loops that do not reduce: those run as plain
                    // parallel loops. A body that looks like a failed reduction is reported.
                    None if !looks_like_reduction(&l.body, l.var) => {}
                    None => {
                        self.errors.push(Error::ReduceWithoutPattern {
                            span: s.span.clone(),
                            label: spec.label.clone(),
                        });
                        return;
                    }
                }
            }
            l.par = Some(p);
        }
        out.extend(range_pre);
        out.push(Stmt::For(l));
    }

    /// The parallelization of a statement from its labels, if the spec gives one.
    fn loop_par(&mut self, s: &ast::Stmt) -> Option<(Par, &'a ParSpec)> {
        let mut found: Option<(&ast::Label, &'a ParSpec)> = None;
        for l in &s.labels {
            if let Some(p) = self.par.get(&l.name).copied() {
                if let Some((first, _)) = found {
                    self.errors.push(Error::SeveralParLabels {
                        span: l.span.clone(),
                        other: first.span.clone(),
                    });
                    return None;
                }
                found = Some((l, p));
            }
        }
        let (_, spec) = found?;
        self.par_of(spec).map(|p| (p, spec))
    }

    fn par_of(&mut self, spec: &ParSpec) -> Option<Par> {
        let threads = match &spec.threads {
            Threads::Const(n) => Expr::int(*n),
            Threads::Expr { text, span } => self.threads_expr(text, span)?,
        };
        Some(Par {
            threads,
            tpb: spec.tpb.unwrap_or(1024),
            label: spec.label.clone(),
        })
    }

    /// A thread count from the spec: an integer expression over integer parameters and symbols.
    fn threads_expr(&mut self, text: &str, span: &Span) -> Option<Expr> {
        let offset = |s: &Span| span.start + s.start..span.start + s.end;
        let e = match crate::front::parse_expression(text) {
            Ok(e) => e,
            Err(e) => {
                let d = e.to_diagnostic();
                let sp = d.primary.map(|p| offset(&p.span)).unwrap_or(span.clone());
                self.errors.push(Error::BadThreadsExpr {
                    span: sp,
                    problem: d.title,
                });
                return None;
            }
        };
        // Only the exported function's parameters and symbols are in scope.
        let scope = std::mem::replace(&mut self.names, self.fn_params.clone());
        let v = self.threads_expr_in_scope(&e, span, offset);
        self.names = scope;
        v
    }

    fn threads_expr_in_scope(
        &mut self,
        e: &ast::Expr,
        span: &Span,
        offset: impl Fn(&Span) -> Span,
    ) -> Option<Expr> {
        let mut bad = None;
        slices::visit_names(e, &mut |name, s| {
            let ok = matches!(self.names.get(name), Some(Binding::Param(_, t)) if t.elem.is_int());
            if !ok && bad.is_none() {
                bad = Some((name.to_string(), s.clone()));
            }
        });
        if let Some((name, s)) = bad {
            self.errors.push(Error::BadThreadsExpr {
                span: offset(&s),
                problem: format!(
                    "`{name}` is not an integer argument or shape symbol of `{}`",
                    self.fspec.name
                ),
            });
            return None;
        }
        // A count known here must be positive (as a constant `threads` must), and no count
        // may divide by a zero that is known here.
        let mut names = false;
        slices::visit_names(e, &mut |_, _| names = true);
        let problem = if names {
            divides_by_zero(e).then(|| "this divides by zero".to_string())
        } else {
            match expr::const_int(e) {
                Some(v) if v >= 1 => None,
                Some(v) => Some(format!(
                    "a thread count must be at least 1, and this is {v}"
                )),
                None if divides_by_zero(e) => Some("this divides by zero".to_string()),
                None => None,
            }
        };
        if let Some(problem) = problem {
            self.errors.push(Error::BadThreadsExpr {
                span: span.clone(),
                problem,
            });
            return None;
        }
        let errors_before = self.errors.len();
        let v = self.expr(e);
        if self.errors.len() > errors_before {
            let es: Vec<Error> = self.errors.drain(errors_before..).collect();
            for _ in es {
                self.errors.push(Error::BadThreadsExpr {
                    span: span.clone(),
                    problem: "not an integer expression".into(),
                });
            }
            return None;
        }
        let v = v?;
        if !v.ty.elem.is_int() {
            self.errors.push(Error::BadThreadsExpr {
                span: span.clone(),
                problem: "a thread count must be an integer".into(),
            });
            return None;
        }
        Some(v.e.cast(ElemTy::I64))
    }
}

/// Whether an expression divides (`/`, `//`, `%`) by a constant zero somewhere.
fn divides_by_zero(e: &ast::Expr) -> bool {
    use ast::BinOp as AB;
    match &e.kind {
        AK::Binary(op, a, b) => {
            (matches!(op, AB::Div | AB::FloorDiv | AB::Mod) && expr::const_int(b) == Some(0))
                || divides_by_zero(a)
                || divides_by_zero(b)
        }
        AK::Unary(_, x) => divides_by_zero(x),
        _ => false,
    }
}

/// Every name a function mentions: parameters, targets, loop variables, names read.
fn function_names(f: &ast::Function) -> std::collections::HashSet<String> {
    let mut names: std::collections::HashSet<String> =
        f.params.iter().map(|p| p.name.clone()).collect();
    fn walk(stmts: &[ast::Stmt], names: &mut std::collections::HashSet<String>) {
        for s in stmts {
            let mut add = |e: &ast::Expr| {
                slices::visit_names(e, &mut |n, _| {
                    names.insert(n.to_string());
                })
            };
            match &s.kind {
                SK::Assign { target, value } | SK::AugAssign { target, value, .. } => {
                    add(target);
                    add(value);
                }
                SK::For {
                    var, range, body, ..
                } => {
                    for e in [range.start.as_ref(), Some(&range.stop), range.step.as_ref()]
                        .into_iter()
                        .flatten()
                    {
                        add(e);
                    }
                    names.insert(var.clone());
                    walk(body, names);
                }
                SK::While { cond, body } => {
                    add(cond);
                    walk(body, names);
                }
                SK::If { cond, then, els } => {
                    add(cond);
                    walk(then, names);
                    walk(els, names);
                }
                SK::Gpu { body } => walk(body, names),
                SK::Call { args, .. } | SK::CallExt { args, .. } => args.iter().for_each(&mut add),
                SK::Return(v) => v.iter().for_each(&mut add),
                SK::Pass | SK::Break | SK::Continue | SK::StaticFail(_) => {}
            }
        }
    }
    walk(&f.body, &mut names);
    names
}

/// Whether any statement of `body` reads `name`.
fn body_reads(body: &[ast::Stmt], name: &str) -> bool {
    let mut found = false;
    let mut check = |e: &ast::Expr| slices::visit_names(e, &mut |n, _| found |= n == name);
    fn walk(stmts: &[ast::Stmt], check: &mut dyn FnMut(&ast::Expr)) {
        for s in stmts {
            match &s.kind {
                SK::Assign { target, value } | SK::AugAssign { target, value, .. } => {
                    check(target);
                    check(value);
                }
                SK::For { range, body, .. } => {
                    for e in [range.start.as_ref(), Some(&range.stop), range.step.as_ref()]
                        .into_iter()
                        .flatten()
                    {
                        check(e);
                    }
                    walk(body, check);
                }
                SK::While { cond, body } => {
                    check(cond);
                    walk(body, check);
                }
                SK::If { cond, then, els } => {
                    check(cond);
                    walk(then, check);
                    walk(els, check);
                }
                SK::Gpu { body } => walk(body, check),
                SK::Call { args, .. } | SK::CallExt { args, .. } => {
                    args.iter().for_each(&mut *check)
                }
                SK::Return(v) => v.iter().for_each(&mut *check),
                SK::Pass | SK::Break | SK::Continue | SK::StaticFail(_) => {}
            }
        }
    }
    walk(body, &mut check);
    found
}

/// Whether a statement is or contains a `return`.
fn contains_return(s: &ast::Stmt) -> bool {
    match &s.kind {
        SK::Return(_) => true,
        SK::For { body, .. } | SK::While { body, .. } | SK::Gpu { body } => {
            body.iter().any(contains_return)
        }
        SK::If { then, els, .. } => then.iter().chain(els).any(contains_return),
        _ => false,
    }
}

/// The first `return` that is not in a tail position of `body`, if any.
fn non_tail_return(body: &[ast::Stmt], tail: bool) -> Option<Span> {
    for (i, s) in body.iter().enumerate() {
        let last = tail && i + 1 == body.len();
        match &s.kind {
            SK::Return(_) if !last => return Some(s.span.clone()),
            SK::If { then, els, .. } => {
                if let Some(sp) = non_tail_return(then, last).or_else(|| non_tail_return(els, last))
                {
                    return Some(sp);
                }
            }
            SK::For { body, .. } | SK::While { body, .. } | SK::Gpu { body } => {
                if let Some(sp) = non_tail_return(body, false) {
                    return Some(sp);
                }
            }
            _ => {}
        }
    }
    None
}

/// Gives every loop a distinct id, in source order.
fn renumber_loops(body: &mut [Stmt], next: &mut u32) {
    for s in body {
        match s {
            Stmt::For(l) => {
                l.id = LoopId(*next);
                *next += 1;
                renumber_loops(&mut l.body, next);
            }
            Stmt::While { body, .. } | Stmt::OneThread(body) => renumber_loops(body, next),
            Stmt::If { then, els, .. } => {
                renumber_loops(then, next);
                renumber_loops(els, next);
            }
            _ => {}
        }
    }
}

/// Recognizes a parallel reduction loop body: one update `acc = acc op e` (or `max`/`min`).
/// Whether a loop body that is not a reduction still writes one location from every
/// iteration: a local assigned before the loop, or an element that does not move with it.
fn looks_like_reduction(body: &[Stmt], loop_var: VarId) -> bool {
    let Some((last, temps)) = body.split_last() else {
        return false;
    };
    let mut assigned = vec![loop_var];
    for t in temps {
        t.walk(&mut |x| match x {
            Stmt::Assign { var, .. } => assigned.push(*var),
            Stmt::For(l) => assigned.push(l.var),
            _ => {}
        });
    }
    match last {
        Stmt::Assign { var, .. } => !assigned.contains(var),
        Stmt::Store { index, .. } => {
            let mut moves = false;
            for ix in index {
                ix.visit_vars(&mut |v| moves |= assigned.contains(&v));
            }
            !moves
        }
        // Also with an `else`, which a reduction does not take but its author may try.
        Stmt::If { then, els, .. } if then.len() == 1 && els.len() <= 1 => {
            looks_like_reduction(then, loop_var) || looks_like_reduction(els, loop_var)
        }
        _ => false,
    }
}

/// Whether element `read` of an array is never element `target` while loop `l` runs: in some
/// dimension `read` is the loop's variable and `target` an expression `e` that does not change
/// in the loop (no variable in `assigned`), outside the loop's range (`range(e + c, ...)` with
/// `c >= 1`, or `range(..., e)`, counting up).
fn elsewhere(l: &ir::For, read: &[Expr], target: &[Expr], assigned: &[VarId]) -> bool {
    use ir::{BinOp, ExprKind};
    let strip = |e: &Expr| -> Expr {
        let mut e = e.clone();
        while let ExprKind::Cast(inner) = e.kind {
            e = *inner;
        }
        e
    };
    let fixed = |e: &Expr| {
        let mut moves = false;
        e.visit_vars(&mut |v| moves |= v == l.var || assigned.contains(&v));
        !moves && !e.loads()
    };
    l.step > 0
        && read.len() == target.len()
        && read.iter().zip(target).any(|(r, t)| {
            let (r, t) = (strip(r), strip(t));
            if !matches!(r.kind, ExprKind::Var(v) if v == l.var) || !fixed(&t) {
                return false;
            }
            let above = match strip(&l.start).kind {
                ExprKind::Binary(BinOp::Add, a, c) => {
                    strip(&a) == t && matches!(strip(&c).kind, ExprKind::Int(c) if c >= 1)
                }
                _ => false,
            };
            above || strip(&l.stop) == t
        })
}

/// Replaces the update in a recognized reduction body's last statement: the statement itself,
/// or the one statement of the `if` that guards it.
fn replace_update(last: &mut Stmt, update: Stmt) {
    match last {
        Stmt::If { then, .. } if then.len() == 1 => then[0] = update,
        s => *s = update,
    }
}

/// A parallel reduction loop's body, recognized.
enum Detected {
    /// `acc = acc op e` into a local declared before the loop.
    Local(ir::Reduction),
    /// `a[k] = a[k] op e` into an array element that does not depend on the loop.
    Element {
        array: ArrayId,
        index: Vec<Expr>,
        op: ir::ReduceOp,
        value: Expr,
    },
    /// The body ends in a parallel loop that reduces into an element that does not depend on
    /// this loop either (`out[0] += x[i, j]` with both labels reducing): its accumulator
    /// `acc`, set to the neutral element at `init` of the body, becomes this loop's, and the
    /// element joins after this loop instead.
    NestedElement {
        array: ArrayId,
        index: Vec<Expr>,
        acc: VarId,
        op: ir::ReduceOp,
        init: usize,
    },
}

/// Recognizes a parallel reduction loop body: statements computing loop-local temporaries,
/// then one update `acc = acc op e` or `a[k] = a[k] op e` (`op` one of `+ * max min`).
fn detect_reduction(body: &[Stmt], loop_var: VarId, l: Option<&ir::For>) -> Option<Detected> {
    use ir::{BinOp, ExprKind, MathFn, ReduceOp};
    let (last, temps) = body.split_last()?;
    let mut assigned = vec![loop_var];
    let mut stores = Vec::new();
    for t in temps {
        t.walk(&mut |x| match x {
            Stmt::Assign { var, .. } => assigned.push(*var),
            Stmt::For(l) => assigned.push(l.var),
            Stmt::Store { array, .. } => stores.push(*array),
            _ => {}
        });
    }
    let strip = |e: &Expr| -> Expr {
        match &e.kind {
            ExprKind::Cast(inner) => (**inner).clone(),
            _ => e.clone(),
        }
    };
    // `target op e` with `target` recognized by `is_target`: the operator and `e`.
    let split = |value: &Expr, is_target: &dyn Fn(&Expr) -> bool| -> Option<(ReduceOp, Expr)> {
        let value = strip(value);
        match &value.kind {
            ExprKind::Binary(BinOp::Add, a, b) if is_target(&strip(a)) => {
                Some((ReduceOp::Sum, (**b).clone()))
            }
            ExprKind::Binary(BinOp::Mul, a, b) if is_target(&strip(a)) => {
                Some((ReduceOp::Prod, (**b).clone()))
            }
            // `e + acc` and `e * acc`: IEEE addition and multiplication commute exactly.
            ExprKind::Binary(BinOp::Add, a, b) if is_target(&strip(b)) => {
                Some((ReduceOp::Sum, (**a).clone()))
            }
            ExprKind::Binary(BinOp::Mul, a, b) if is_target(&strip(b)) => {
                Some((ReduceOp::Prod, (**a).clone()))
            }
            // `acc -= e` is `acc += -e`, to the bit (`a - b` is `a + (-b)` in IEEE arithmetic,
            // and in wrapping integer arithmetic).
            ExprKind::Binary(BinOp::Sub, a, b) if is_target(&strip(a)) => {
                let negated = Expr {
                    kind: ExprKind::Unary(ir::UnOp::Neg, b.clone()),
                    ty: b.ty,
                };
                Some((ReduceOp::Sum, negated))
            }
            ExprKind::Math(MathFn::Max2, args) if is_target(&strip(&args[0])) => {
                Some((ReduceOp::Max, args[1].clone()))
            }
            ExprKind::Math(MathFn::Min2, args) if is_target(&strip(&args[0])) => {
                Some((ReduceOp::Min, args[1].clone()))
            }
            ExprKind::Math(f @ (MathFn::Max2 | MathFn::Min2), args)
                if is_target(&strip(&args[1])) =>
            {
                let op = if *f == MathFn::Max2 {
                    ReduceOp::Max
                } else {
                    ReduceOp::Min
                };
                Some((op, args[0].clone()))
            }
            // Python's max(a, b) of floats: `b > a ? b : a` (min: `b < a`).
            ExprKind::Select { cond, then, els } => {
                let ExprKind::Binary(cmp @ (BinOp::Gt | BinOp::Lt), l, r) = &cond.kind else {
                    return None;
                };
                if l != then || r != els {
                    return None;
                }
                let op = if *cmp == BinOp::Gt {
                    ReduceOp::Max
                } else {
                    ReduceOp::Min
                };
                if is_target(&strip(els)) {
                    Some((op, (**then).clone()))
                } else if is_target(&strip(then)) {
                    Some((op, (**els).clone()))
                } else {
                    None
                }
            }
            _ => None,
        }
    };
    match last {
        // `if c: acc = acc op e` or `if c: a[k] = a[k] op e`: the update as if it stood last,
        // after the same statements, with each thread's part skipping what `c` rules out. The
        // condition may not read what is accumulated.
        Stmt::If {
            cond, then, els, ..
        } if els.is_empty() && then.len() == 1 => {
            let mut unguarded = temps.to_vec();
            unguarded.push(then[0].clone());
            let d = detect_reduction(&unguarded, loop_var, l)?;
            let mut reads_target = false;
            match &d {
                Detected::Local(r) => cond.visit_vars(&mut |v| reads_target |= v == r.acc),
                Detected::Element { array, .. } => {
                    cond.visit_arrays(&mut |a| reads_target |= a == *array)
                }
                Detected::NestedElement { .. } => return None,
            }
            (!reads_target).then_some(d)
        }
        Stmt::For(inner) if inner.par.is_some() && inner.into.is_some() => {
            let r = inner.reduction?;
            let (array, index) = inner.into.clone()?;
            // The inner accumulator's start, which moves before this loop.
            let init = temps
                .iter()
                .rposition(|t| matches!(t, Stmt::Assign { var, .. } if *var == r.acc))?;
            let mut bad = false;
            for ix in &index {
                ix.visit_vars(&mut |v| bad |= assigned.contains(&v));
            }
            for (_, t) in temps.iter().enumerate().filter(|(k, _)| *k != init) {
                t.walk(&mut |x| {
                    bad |= matches!(x, Stmt::Store { array: a, .. } if *a == array);
                    bad |= matches!(x, Stmt::Assign { var, .. } if *var == r.acc);
                    x.exprs(&mut |e| {
                        e.visit_vars(&mut |v| bad |= v == r.acc);
                        e.visit_arrays(&mut |a| bad |= a == array);
                    })
                });
            }
            (!bad).then_some(Detected::NestedElement {
                array,
                index,
                acc: r.acc,
                op: r.op,
                init,
            })
        }
        // A nested parallel reduction into a local: the outer loop reduces into it too.
        Stmt::For(inner) if inner.par.is_some() && inner.into.is_none() => {
            let r = inner.reduction?;
            let mut uses_acc = false;
            for t in temps {
                t.walk(&mut |x| x.exprs(&mut |e| e.visit_vars(&mut |v| uses_acc |= v == r.acc)));
            }
            (!uses_acc && !assigned.contains(&r.acc)).then_some(Detected::Local(r))
        }
        Stmt::Assign { var, value, .. } => {
            let (op, other) = split(value, &|e| matches!(e.kind, ExprKind::Var(v) if v == *var))?;
            let mut uses_acc = false;
            other.visit_vars(&mut |v| uses_acc |= v == *var);
            for t in temps {
                t.walk(&mut |x| x.exprs(&mut |e| e.visit_vars(&mut |v| uses_acc |= v == *var)));
            }
            (!uses_acc && !assigned.contains(var))
                .then_some(Detected::Local(ir::Reduction { acc: *var, op }))
        }
        Stmt::Store {
            array,
            index,
            value,
            ..
        } => {
            let target = |e: &Expr| matches!(&e.kind, ExprKind::Load { array: a, index: i } if a == array && i == index);
            let (op, other) = split(value, &target)?;
            // The element may not move with the loop, and nothing else may read the array but
            // elements the loop's range keeps apart from it (`B[k, j]` for `B[i, j]` with `k`
            // in `range(i + 1, M)`).
            let mut bad = false;
            for ix in index {
                ix.visit_vars(&mut |v| bad |= assigned.contains(&v));
            }
            let (mut uses, mut apart) = (0, 0);
            other.visit_arrays(&mut |a| uses += usize::from(a == *array));
            other.visit_loads(&mut |a, ix| {
                apart += usize::from(
                    a == *array && l.is_some_and(|l| elsewhere(l, ix, index, &assigned)),
                )
            });
            bad |= uses != apart;
            bad |= stores.contains(array);
            for t in temps {
                t.walk(&mut |x| x.exprs(&mut |e| e.visit_arrays(&mut |a| bad |= a == *array)));
            }
            (!bad).then_some(Detected::Element {
                array: *array,
                index: index.clone(),
                op,
                value: other,
            })
        }
        _ => None,
    }
}

/// Whether a statement writes memory: stores, or calls an external (which may write the
/// buffers it is given).
fn writes_memory(s: &Stmt) -> bool {
    let mut writes = false;
    s.walk(&mut |x| match x {
        Stmt::Store { .. } | Stmt::Eval(..) => writes = true,
        _ => x.exprs(&mut |e| e.visit_externs(&mut |_, _| writes = true)),
    });
    writes
}
