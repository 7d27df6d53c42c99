//! The syntax tree that the front end hands to lowering: Python's statements and expressions
//! restricted to the ParPy language, with every name that refers to ParPy, NumPy, `math` or a
//! Python builtin already resolved to a [`Builtin`], and labels attached to their statements.

use crate::diag::Span;
use crate::types::ElemTy;

#[derive(Clone, Debug)]
pub struct Module {
    pub functions: Vec<Function>,
    pub externals: Vec<External>,
}

/// `@parpy.external(name, backend, target, header=...)`: a function of the target language.
#[derive(Clone, Debug)]
pub struct External {
    /// The Python name.
    pub name: String,
    /// The name in CUDA (or Metal).
    pub target_name: String,
    /// `Cuda` or `Metal`.
    pub backend: String,
    /// Callable from kernels (`Device`) or from host code (`Host`).
    pub device: bool,
    /// The header to include, as written (`<cuda_utils.h>` or `"mine.h"`).
    pub header: Option<String>,
    pub params: Vec<Param>,
    pub ret: Option<TypeRef>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Function {
    pub name: String,
    pub name_span: Span,
    pub params: Vec<Param>,
    /// The return annotation (`-> parpy.types.F32`, or a type variable): the value returned
    /// is converted to it.
    pub ret: Option<TypeRef>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub span: Span,
    /// The `parpy.types` annotation (ParPy 0.3), an alternative to the spec's type.
    pub annotation: Option<Annotation>,
}

/// A parameter's type written in the source.
#[derive(Clone, Debug)]
pub struct Annotation {
    pub kind: AnnotationKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum AnnotationKind {
    /// `parpy.types.F32`, or a type variable.
    Scalar(TypeRef),
    /// `parpy.types.buffer(F32, [N, M])`.
    Buffer { elem: TypeRef, dims: Vec<DimRef> },
}

/// An element type in the source: a `parpy.types` type or a module-level `type_var()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeRef {
    Concrete(ElemTy),
    Var(String),
}

/// A dimension in a `buffer` annotation: a literal or a module-level `symbol()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DimRef {
    Const(i64),
    Symbol(String),
}

#[derive(Clone, Debug)]
pub struct Label {
    pub name: String,
    pub span: Span,
    /// Given by ParPy 0.3's implicit shape labels rather than a `parpy.label` call: a statement
    /// without labels of its own that names a shape symbol of the function's annotations is
    /// labelled by it (see `front::implicit_labels`).
    pub implicit: bool,
}

#[derive(Clone, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub labels: Vec<Label>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum StmtKind {
    Assign {
        target: Expr,
        value: Expr,
    },
    AugAssign {
        target: Expr,
        op: BinOp,
        value: Expr,
    },
    For {
        var: String,
        var_span: Span,
        range: RangeArgs,
        body: Vec<Stmt>,
    },
    While {
        cond: Expr,
        body: Vec<Stmt>,
    },
    If {
        cond: Expr,
        then: Vec<Stmt>,
        els: Vec<Stmt>,
    },
    /// A call of a `@parpy.jit` helper as a statement (ParPy 0.1), or through
    /// `parpy.builtin.inline(f(...))` (0.3): its body is inlined.
    Call {
        name: String,
        name_span: Span,
        args: Vec<Expr>,
    },
    /// A call of an external function as a statement (its result, if any, is dropped).
    CallExt {
        name: String,
        name_span: Span,
        args: Vec<Expr>,
    },
    /// `return` in a helper function.
    Return(Option<Expr>),
    /// `parpy.builtin.static_fail(message)`: an error if compilation reaches it.
    StaticFail(String),
    /// `with parpy.gpu:`: the block runs on the GPU, as one thread.
    Gpu {
        body: Vec<Stmt>,
    },
    Pass,
    Break,
    Continue,
}

#[derive(Clone, Debug)]
pub struct RangeArgs {
    pub start: Option<Expr>,
    pub stop: Expr,
    pub step: Option<Expr>,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Name(String),
    /// A string literal; only dict keys (`d["rows"]`) are strings.
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Unary(UnOp, Box<Expr>),
    Compare(Box<Expr>, Vec<(CmpOp, Expr)>),
    BoolOp(BoolOp, Vec<Expr>),
    IfExp {
        cond: Box<Expr>,
        then: Box<Expr>,
        els: Box<Expr>,
    },
    Subscript {
        base: Box<Expr>,
        indices: Vec<Index>,
    },
    Call {
        func: Builtin,
        func_span: Span,
        args: Vec<Expr>,
        axis: Option<(i64, Span)>,
    },
    /// A call of a `@parpy.jit` helper in an expression: a device function returning a value.
    /// `parpy.builtin.convert(x, T)` with a type variable `T`, resolved when lowering.
    ConvertVar(Box<Expr>, String),
    /// A call of an external function.
    CallExt {
        name: String,
        name_span: Span,
        args: Vec<Expr>,
    },
    /// `static_backend_eq(parpy.CompileBackend.X)`, folded when lowering.
    StaticBackendEq(String),
    /// `static_types_eq(a, b)`, folded when lowering.
    StaticTypesEq(TypeRef, TypeRef),
    CallFn {
        name: String,
        name_span: Span,
        args: Vec<Expr>,
    },
}

#[derive(Clone, Debug)]
pub enum Index {
    Expr(Expr),
    Slice {
        lo: Option<Box<Expr>>,
        hi: Option<Box<Expr>>,
        step: Option<Box<Expr>>,
        span: Span,
    },
}

impl Index {
    pub fn span(&self) -> Span {
        match self {
            Index::Expr(e) => e.span.clone(),
            Index::Slice { span, .. } => span.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Pos,
    Not,
    Invert,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

/// A reduction over the elements of a slice expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReduceOp {
    Sum,
    Prod,
    Max,
    Min,
}

impl ReduceOp {
    pub fn name(self) -> &'static str {
        match self {
            ReduceOp::Sum => "sum",
            ReduceOp::Prod => "prod",
            ReduceOp::Max => "max",
            ReduceOp::Min => "min",
        }
    }
}

/// Element-wise math functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MathFn {
    Exp,
    Log,
    Sin,
    Cos,
    Tan,
    Sqrt,
    Tanh,
    Abs,
    Atan2,
    Max2,
    Min2,
}

impl MathFn {
    pub fn name(self) -> &'static str {
        match self {
            MathFn::Exp => "exp",
            MathFn::Log => "log",
            MathFn::Sin => "sin",
            MathFn::Cos => "cos",
            MathFn::Tan => "tan",
            MathFn::Sqrt => "sqrt",
            MathFn::Tanh => "tanh",
            MathFn::Abs => "abs",
            MathFn::Atan2 => "atan2",
            MathFn::Max2 => "maximum",
            MathFn::Min2 => "minimum",
        }
    }

    pub fn arity(self) -> usize {
        match self {
            MathFn::Atan2 | MathFn::Max2 | MathFn::Min2 => 2,
            _ => 1,
        }
    }
}

/// What a called name resolved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    /// `parpy.operators.sum`, `parpy.reduce.max`, ...
    Reduce(ReduceOp),
    /// Python's own `sum`/`max`/`min`: a reduction over a one-dimensional slice expression
    /// with one argument; `max`/`min` with two arguments are element-wise.
    PyReduce(ReduceOp),
    /// `max`/`min` of ParPy 0.1 operators, which reduce with one argument and compare two.
    ReduceOrPair(ReduceOp),
    Math(MathFn),
    /// A function of Python's `math` module: it computes in float64 and gives a Python float.
    PyMath(MathFn),
    Cast(ElemTy),
    /// Python's `int(x)`, `float(x)`, `bool(x)`: a Python scalar of that kind (`Bool` stands
    /// for `bool`, `I64` for `int`, `F64` for `float`).
    PyCast(ElemTy),
}

impl Expr {
    /// The expression's direct subexpressions.
    pub fn children(&self) -> Vec<&Expr> {
        match &self.kind {
            ExprKind::Binary(_, a, b) => vec![a.as_ref(), b.as_ref()],
            ExprKind::Unary(_, a) | ExprKind::ConvertVar(a, _) => vec![a.as_ref()],
            ExprKind::Compare(a, rest) => {
                let mut v = vec![a.as_ref()];
                v.extend(rest.iter().map(|(_, r)| r));
                v
            }
            ExprKind::BoolOp(_, vs) => vs.iter().collect(),
            ExprKind::IfExp { cond, then, els } => vec![cond.as_ref(), then.as_ref(), els.as_ref()],
            ExprKind::Subscript { base, indices } => {
                let mut v = vec![base.as_ref()];
                for i in indices {
                    match i {
                        Index::Expr(x) => v.push(x),
                        Index::Slice { lo, hi, step, .. } => {
                            for x in [lo, hi, step].into_iter().flatten() {
                                v.push(x.as_ref());
                            }
                        }
                    }
                }
                v
            }
            ExprKind::Call { args, .. }
            | ExprKind::CallFn { args, .. }
            | ExprKind::CallExt { args, .. } => args.iter().collect(),
            ExprKind::Name(_)
            | ExprKind::Str(_)
            | ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Bool(_)
            | ExprKind::StaticBackendEq(_)
            | ExprKind::StaticTypesEq(..) => Vec::new(),
        }
    }

    /// The expression's direct subexpressions, for rewriting.
    pub fn children_mut(&mut self) -> Vec<&mut Expr> {
        match &mut self.kind {
            ExprKind::Binary(_, a, b) => vec![a.as_mut(), b.as_mut()],
            ExprKind::Unary(_, a) | ExprKind::ConvertVar(a, _) => vec![a.as_mut()],
            ExprKind::Compare(a, rest) => {
                let mut v = vec![a.as_mut()];
                v.extend(rest.iter_mut().map(|(_, r)| r));
                v
            }
            ExprKind::BoolOp(_, vs) => vs.iter_mut().collect(),
            ExprKind::IfExp { cond, then, els } => vec![cond.as_mut(), then.as_mut(), els.as_mut()],
            ExprKind::Subscript { base, indices } => {
                let mut v = vec![base.as_mut()];
                for i in indices {
                    match i {
                        Index::Expr(x) => v.push(x),
                        Index::Slice { lo, hi, step, .. } => {
                            for x in [lo, hi, step].into_iter().flatten() {
                                v.push(x.as_mut());
                            }
                        }
                    }
                }
                v
            }
            ExprKind::Call { args, .. }
            | ExprKind::CallFn { args, .. }
            | ExprKind::CallExt { args, .. } => args.iter_mut().collect(),
            ExprKind::Name(_)
            | ExprKind::Str(_)
            | ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Bool(_)
            | ExprKind::StaticBackendEq(_)
            | ExprKind::StaticTypesEq(..) => Vec::new(),
        }
    }
}

impl Stmt {
    /// The statement's own expressions and its nested blocks.
    pub fn parts(&self) -> (Vec<&Expr>, Vec<&Vec<Stmt>>) {
        match &self.kind {
            StmtKind::Assign { target, value } | StmtKind::AugAssign { target, value, .. } => {
                (vec![target, value], vec![])
            }
            StmtKind::For { range, body, .. } => {
                let mut es = vec![&range.stop];
                es.extend(range.start.as_ref());
                es.extend(range.step.as_ref());
                (es, vec![body])
            }
            StmtKind::While { cond, body } => (vec![cond], vec![body]),
            StmtKind::If { cond, then, els } => (vec![cond], vec![then, els]),
            StmtKind::Gpu { body } => (vec![], vec![body]),
            StmtKind::Call { args, .. } | StmtKind::CallExt { args, .. } => {
                (args.iter().collect(), vec![])
            }
            StmtKind::Return(v) => (v.iter().collect(), vec![]),
            StmtKind::StaticFail(_) | StmtKind::Pass | StmtKind::Break | StmtKind::Continue => {
                (vec![], vec![])
            }
        }
    }

    /// The statement's own expressions and its nested blocks, for rewriting.
    pub fn parts_mut(&mut self) -> (Vec<&mut Expr>, Vec<&mut Vec<Stmt>>) {
        match &mut self.kind {
            StmtKind::Assign { target, value } | StmtKind::AugAssign { target, value, .. } => {
                (vec![target, value], vec![])
            }
            StmtKind::For { range, body, .. } => {
                let mut es = vec![&mut range.stop];
                es.extend(range.start.as_mut());
                es.extend(range.step.as_mut());
                (es, vec![body])
            }
            StmtKind::While { cond, body } => (vec![cond], vec![body]),
            StmtKind::If { cond, then, els } => (vec![cond], vec![then, els]),
            StmtKind::Gpu { body } => (vec![], vec![body]),
            StmtKind::Call { args, .. } | StmtKind::CallExt { args, .. } => {
                (args.iter_mut().collect(), vec![])
            }
            StmtKind::Return(v) => (v.iter_mut().collect(), vec![]),
            StmtKind::StaticFail(_) | StmtKind::Pass | StmtKind::Break | StmtKind::Continue => {
                (vec![], vec![])
            }
        }
    }
}
