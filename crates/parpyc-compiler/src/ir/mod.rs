//! The loop IR: one function per exported ParPy function, with every type known, every name
//! resolved to a variable or an array, and slice statements already expanded into loops.
//!
//! # Contract
//!
//! - **Variables** (`VarId`) are scalars of one [`ElemTy`], declared once at function scope
//!   (Python's rule: a local assigned in both branches of an `if` is usable after it). Scalar
//!   parameters and shape symbols are variables too; they are never assigned.
//! - **Arrays** (`ArrayId`) are the function's array parameters: C-contiguous, with an element
//!   type and one [`Dim`] per dimension. A `Load`/`Store` carries one index per dimension, each
//!   already in range `0..dim` (negative literal indices were resolved by lowering).
//! - **Labels and parallelism.** A `For` may carry a [`Par`]: its iterations are spread over
//!   `threads` threads, thread `t` running iterations `start + (t + k*threads)*step`. A parallel
//!   `For` with a [`Reduction`] combines `acc = op(acc, e)` updates from all its threads; it is
//!   the only way a parallel loop may write a variable declared outside it.
//! - **Host and device.** Before mapping, any statement may appear anywhere. The mapping pass
//!   (`passes::mapping`) splits the body: the outermost parallel `For` of each nest becomes a
//!   kernel; everything outside parallel loops is the host program, which may only compute
//!   scalars and control loops and launches. Only in kernel bodies, after mapping, may the
//!   statements `Sync`, `BlockReduce`, `OneThread`, `AtomicCombine`, `PartialStore` and
//!   `PartialGather` appear.
//! - **Temporaries.** Arrays with `temp` set are not parameters: the host program allocates
//!   them on the device for one call (one element per row of a kernel split at grid-wide
//!   barriers, see `passes::split`). They are one-dimensional, and their length is known only
//!   when the function is called.
//! - Expressions have no side effects; integer arithmetic is at the declared width.

mod print;

use crate::diag::Span;
use crate::types::ElemTy;

pub use crate::front::ast::{MathFn, ReduceOp};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VarId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArrayId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LoopId(pub u32);

#[derive(Clone, Debug)]
pub struct Function {
    pub name: String,
    /// Parameters in the Python function's order.
    pub params: Vec<Param>,
    /// Shape symbols that are not integer parameters, in order of first appearance; the C
    /// entry point takes them after the parameters.
    pub symbols: Vec<VarId>,
    pub vars: Vec<VarInfo>,
    pub arrays: Vec<ArrayInfo>,
    pub body: Vec<Stmt>,
    /// Headers of the external functions the function calls, as written (`<h.h>`).
    pub headers: Vec<String>,
    /// Lengths that must agree at run time (slices whose lengths depend on symbols), checked
    /// on entry before any launch.
    pub checks: Vec<ShapeCheck>,
}

/// Two `i64` expressions over parameters and symbols that must be equal.
#[derive(Clone, Debug)]
pub struct ShapeCheck {
    pub a: Expr,
    pub b: Expr,
    /// Where, for the error message: `line 15`.
    pub what: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    Array(ArrayId),
    Scalar(VarId),
}

#[derive(Clone, Debug)]
pub struct VarInfo {
    /// The Python name, or a hint for a compiler temporary.
    pub name: String,
    pub ty: ElemTy,
    /// A loop variable the compiler introduced (for a slice dimension): used only inside its
    /// loop, so back ends may declare it there and reuse its name in sibling loops.
    pub scoped: bool,
}

#[derive(Clone, Debug)]
pub struct ArrayInfo {
    pub name: String,
    pub elem: ElemTy,
    pub dims: Vec<Dim>,
    /// Whether the function stores into the array (the Python module copies it back).
    pub written: bool,
    /// A device temporary of the host program, not a parameter (see the module doc).
    pub temp: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dim {
    Const(i64),
    Var(VarId),
}

#[derive(Clone, Debug)]
pub struct Par {
    /// The number of threads, an `i64` expression over parameters and symbols.
    pub threads: Expr,
    /// Threads per block.
    pub tpb: i64,
    pub label: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reduction {
    pub acc: VarId,
    pub op: ReduceOp,
}

#[derive(Clone, Debug)]
pub enum Stmt {
    Assign {
        var: VarId,
        value: Expr,
        span: Span,
    },
    Store {
        array: ArrayId,
        index: Vec<Expr>,
        value: Expr,
        span: Span,
    },
    For(For),
    While {
        cond: Expr,
        body: Vec<Stmt>,
        span: Span,
    },
    If {
        cond: Expr,
        then: Vec<Stmt>,
        els: Vec<Stmt>,
        span: Span,
    },
    Break,
    Continue,
    /// An expression evaluated for its effect: a call of an external returning nothing.
    Eval(Expr, Span),
    /// Kernels only: a barrier for all threads of the block.
    Sync,
    /// Kernels only: every thread of the block contributes `var`; afterwards every thread
    /// holds `op` over all contributions.
    BlockReduce {
        var: VarId,
        op: ReduceOp,
    },
    /// Kernels only: run by one thread of the block (stores outside thread-level loops).
    OneThread(Vec<Stmt>),
    /// Kernels only: `array[index] = op(array[index], var)`, atomically (blocks combine their
    /// parts of a reduction that spans the grid).
    AtomicCombine {
        array: ArrayId,
        index: Vec<Expr>,
        op: ReduceOp,
        var: VarId,
    },
    /// Kernels only, in a row spread over several blocks: the first thread of each block
    /// stores the block's part `var` of a reduction at `array[slot * blocks_per_row + b]`, `b`
    /// the block's place in its row.
    PartialStore {
        array: ArrayId,
        slot: Expr,
        var: VarId,
    },
    /// Kernels only, in a row spread over several blocks: every thread sets `var` to `op` over
    /// the parts that [`Stmt::PartialStore`] left at `array[slot * blocks_per_row..]`, one per
    /// block of the row.
    PartialGather {
        array: ArrayId,
        slot: Expr,
        var: VarId,
        op: ReduceOp,
    },
}

#[derive(Clone, Debug)]
pub struct For {
    pub id: LoopId,
    pub var: VarId,
    pub start: Expr,
    pub stop: Expr,
    /// A non-zero constant.
    pub step: i64,
    pub body: Vec<Stmt>,
    pub par: Option<Par>,
    pub reduction: Option<Reduction>,
    /// For a reduction written `a[k] += e` (`reduce = true`): after the loop, the reduction's
    /// result is combined into this element, which the loop does not otherwise access.
    pub into: Option<(ArrayId, Vec<Expr>)>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: ElemTy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    /// Division of floats; integer operands were converted by lowering (`/` is true division).
    Div,
    /// Python's `//`: floor division, also for negative operands.
    FloorDiv,
    /// Python's `%`: the result has the sign of the divisor.
    Mod,
    Pow,
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
    Invert,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Int(i64),
    Float(f64),
    Bool(bool),
    Var(VarId),
    Load {
        array: ArrayId,
        index: Vec<Expr>,
    },
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Math(MathFn, Vec<Expr>),
    /// Conversion to `Expr::ty`.
    Cast(Box<Expr>),
    Select {
        cond: Box<Expr>,
        then: Box<Expr>,
        els: Box<Expr>,
    },
    /// A call of an external function (`@parpy.external`), by its target-language name.
    /// `device` externals run in kernels, the others on the host.
    Extern {
        name: String,
        args: Vec<Expr>,
        device: bool,
    },
    /// An array passed whole (its device pointer), to an external.
    ArrayPtr(ArrayId),
}

impl Expr {
    pub fn int(v: i64) -> Expr {
        Expr {
            kind: ExprKind::Int(v),
            ty: ElemTy::I64,
        }
    }
    pub fn var(v: VarId, ty: ElemTy) -> Expr {
        Expr {
            kind: ExprKind::Var(v),
            ty,
        }
    }
    pub fn binary(op: BinOp, l: Expr, r: Expr, ty: ElemTy) -> Expr {
        Expr {
            kind: ExprKind::Binary(op, Box::new(l), Box::new(r)),
            ty,
        }
    }
    /// Converts to `ty` unless the type already matches.
    pub fn cast(self, ty: ElemTy) -> Expr {
        if self.ty == ty {
            return self;
        }
        match self.kind {
            ExprKind::Int(i) if ty.is_float() => Expr {
                kind: ExprKind::Float(i as f64),
                ty,
            },
            ExprKind::Int(i) if ty.is_int() => Expr {
                kind: ExprKind::Int(i),
                ty,
            },
            ExprKind::Float(f) if ty.is_float() => Expr {
                kind: ExprKind::Float(f),
                ty,
            },
            kind => Expr {
                kind: ExprKind::Cast(Box::new(Expr { kind, ty: self.ty })),
                ty,
            },
        }
    }

    /// Calls `f` on every array element the expression reads, in evaluation order (an index's
    /// own reads before the read it indexes).
    pub fn visit_loads<'e>(&'e self, f: &mut impl FnMut(ArrayId, &'e [Expr])) {
        match &self.kind {
            ExprKind::Load { array, index } => {
                index.iter().for_each(|x| x.visit_loads(f));
                f(*array, index);
            }
            ExprKind::Unary(_, x) | ExprKind::Cast(x) => x.visit_loads(f),
            ExprKind::Binary(_, a, b) => {
                a.visit_loads(f);
                b.visit_loads(f);
            }
            ExprKind::Math(_, args) | ExprKind::Extern { args, .. } => {
                args.iter().for_each(|x| x.visit_loads(f))
            }
            ExprKind::Select { cond, then, els } => {
                cond.visit_loads(f);
                then.visit_loads(f);
                els.visit_loads(f);
            }
            ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Bool(_)
            | ExprKind::Var(_)
            | ExprKind::ArrayPtr(_) => {}
        }
    }

    /// Replaces every use of variable `from` with `to`.
    pub fn rename_var(&mut self, from: VarId, to: VarId) {
        match &mut self.kind {
            ExprKind::Var(v) if *v == from => *v = to,
            ExprKind::Load { index, .. } => index.iter_mut().for_each(|x| x.rename_var(from, to)),
            ExprKind::Unary(_, x) | ExprKind::Cast(x) => x.rename_var(from, to),
            ExprKind::Binary(_, a, b) => {
                a.rename_var(from, to);
                b.rename_var(from, to);
            }
            ExprKind::Math(_, args) | ExprKind::Extern { args, .. } => {
                args.iter_mut().for_each(|x| x.rename_var(from, to))
            }
            ExprKind::Select { cond, then, els } => {
                cond.rename_var(from, to);
                then.rename_var(from, to);
                els.rename_var(from, to);
            }
            _ => {}
        }
    }

    /// Whether the expression reads variable `v`.
    pub fn mentions(&self, v: VarId) -> bool {
        let mut found = false;
        self.visit_vars(&mut |x| found |= x == v);
        found
    }

    /// Calls `f` on every variable the expression reads.
    pub fn visit_vars(&self, f: &mut impl FnMut(VarId)) {
        match &self.kind {
            ExprKind::Var(v) => f(*v),
            ExprKind::Load { index, .. } => index.iter().for_each(|e| e.visit_vars(f)),
            ExprKind::Unary(_, e) | ExprKind::Cast(e) => e.visit_vars(f),
            ExprKind::Binary(_, a, b) => {
                a.visit_vars(f);
                b.visit_vars(f);
            }
            ExprKind::Math(_, args) | ExprKind::Extern { args, .. } => {
                args.iter().for_each(|e| e.visit_vars(f))
            }
            ExprKind::Select { cond, then, els } => {
                cond.visit_vars(f);
                then.visit_vars(f);
                els.visit_vars(f);
            }
            ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::Bool(_) | ExprKind::ArrayPtr(_) => {}
        }
    }

    /// Whether the expression reads array elements.
    pub fn loads(&self) -> bool {
        match &self.kind {
            ExprKind::Load { .. } => true,
            ExprKind::Unary(_, e) | ExprKind::Cast(e) => e.loads(),
            ExprKind::Binary(_, a, b) => a.loads() || b.loads(),
            ExprKind::Math(_, args) | ExprKind::Extern { args, .. } => args.iter().any(Expr::loads),
            ExprKind::Select { cond, then, els } => cond.loads() || then.loads() || els.loads(),
            _ => false,
        }
    }

    /// Calls `f` on every external call in the expression, with whether it is a device one.
    pub fn visit_externs(&self, f: &mut impl FnMut(&str, bool)) {
        match &self.kind {
            ExprKind::Extern { name, args, device } => {
                f(name, *device);
                args.iter().for_each(|a| a.visit_externs(f));
            }
            ExprKind::Load { index, .. } => index.iter().for_each(|e| e.visit_externs(f)),
            ExprKind::Unary(_, e) | ExprKind::Cast(e) => e.visit_externs(f),
            ExprKind::Binary(_, a, b) => {
                a.visit_externs(f);
                b.visit_externs(f);
            }
            ExprKind::Math(_, args) => args.iter().for_each(|e| e.visit_externs(f)),
            ExprKind::Select { cond, then, els } => {
                cond.visit_externs(f);
                then.visit_externs(f);
                els.visit_externs(f);
            }
            _ => {}
        }
    }

    /// Calls `f` on every array the expression reads.
    pub fn visit_arrays(&self, f: &mut impl FnMut(ArrayId)) {
        match &self.kind {
            ExprKind::Load { array, index } => {
                f(*array);
                index.iter().for_each(|e| e.visit_arrays(f));
            }
            ExprKind::ArrayPtr(a) => f(*a),
            ExprKind::Unary(_, e) | ExprKind::Cast(e) => e.visit_arrays(f),
            ExprKind::Binary(_, a, b) => {
                a.visit_arrays(f);
                b.visit_arrays(f);
            }
            ExprKind::Math(_, args) | ExprKind::Extern { args, .. } => {
                args.iter().for_each(|e| e.visit_arrays(f))
            }
            ExprKind::Select { cond, then, els } => {
                cond.visit_arrays(f);
                then.visit_arrays(f);
                els.visit_arrays(f);
            }
            ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::Bool(_) | ExprKind::Var(_) => {}
        }
    }
}

impl Stmt {
    /// Calls `f` on every statement of the tree, outermost first.
    pub fn walk(&self, f: &mut impl FnMut(&Stmt)) {
        f(self);
        match self {
            Stmt::For(l) => l.body.iter().for_each(|s| s.walk(f)),
            Stmt::While { body, .. } | Stmt::OneThread(body) => body.iter().for_each(|s| s.walk(f)),
            Stmt::If { then, els, .. } => {
                then.iter().for_each(|s| s.walk(f));
                els.iter().for_each(|s| s.walk(f));
            }
            _ => {}
        }
    }

    /// Calls `f` on every expression directly held by this statement (not its children).
    pub fn exprs(&self, f: &mut impl FnMut(&Expr)) {
        match self {
            Stmt::Assign { value, .. } => f(value),
            Stmt::Store { index, value, .. } => {
                index.iter().for_each(&mut *f);
                f(value);
            }
            Stmt::For(l) => {
                f(&l.start);
                f(&l.stop);
                if let Some(p) = &l.par {
                    f(&p.threads);
                }
                if let Some((_, index)) = &l.into {
                    index.iter().for_each(&mut *f);
                }
            }
            Stmt::AtomicCombine { index, .. } => index.iter().for_each(&mut *f),
            Stmt::PartialStore { slot, .. } | Stmt::PartialGather { slot, .. } => f(slot),
            Stmt::While { cond, .. } | Stmt::If { cond, .. } | Stmt::Eval(cond, _) => f(cond),
            _ => {}
        }
    }
}

/// The neutral element of a reduction at type `ty`.
pub fn neutral(op: ReduceOp, ty: ElemTy) -> Expr {
    let kind = match (op, ty.is_float()) {
        (ReduceOp::Sum, true) => ExprKind::Float(0.0),
        (ReduceOp::Sum, false) => ExprKind::Int(0),
        (ReduceOp::Prod, true) => ExprKind::Float(1.0),
        (ReduceOp::Prod, false) => ExprKind::Int(1),
        (ReduceOp::Max, true) => ExprKind::Float(f64::NEG_INFINITY),
        (ReduceOp::Min, true) => ExprKind::Float(f64::INFINITY),
        (ReduceOp::Max, false) => ExprKind::Int(int_min(ty)),
        (ReduceOp::Min, false) => ExprKind::Int(int_max(ty)),
    };
    if ty == ElemTy::Bool {
        return Expr {
            kind: ExprKind::Bool(op == ReduceOp::Min || op == ReduceOp::Prod),
            ty,
        };
    }
    Expr { kind, ty }
}

/// The smallest value of an integer type, as the `i64` bit pattern the printer reads back.
fn int_min(ty: ElemTy) -> i64 {
    match ty {
        ElemTy::I8 => i8::MIN as i64,
        ElemTy::I16 => i16::MIN as i64,
        ElemTy::I32 => i32::MIN as i64,
        ElemTy::I64 => i64::MIN,
        _ => 0,
    }
}

/// The largest value of an integer type; `u64::MAX` is stored as its bit pattern, -1.
fn int_max(ty: ElemTy) -> i64 {
    match ty {
        ElemTy::I8 => i8::MAX as i64,
        ElemTy::I16 => i16::MAX as i64,
        ElemTy::I32 => i32::MAX as i64,
        ElemTy::I64 => i64::MAX,
        ElemTy::U8 => u8::MAX as i64,
        ElemTy::U16 => u16::MAX as i64,
        ElemTy::U32 => u32::MAX as i64,
        _ => -1,
    }
}

/// `op(acc, x)`.
pub fn combine(op: ReduceOp, acc: Expr, x: Expr) -> Expr {
    let ty = acc.ty;
    match op {
        ReduceOp::Sum => Expr::binary(BinOp::Add, acc, x, ty),
        ReduceOp::Prod => Expr::binary(BinOp::Mul, acc, x, ty),
        ReduceOp::Max => Expr {
            kind: ExprKind::Math(MathFn::Max2, vec![acc, x]),
            ty,
        },
        ReduceOp::Min => Expr {
            kind: ExprKind::Math(MathFn::Min2, vec![acc, x]),
            ty,
        },
    }
}

/// An integer expression as `constant + sum(coefficient * variable)`, if it is affine.
pub fn affine(e: &Expr) -> Option<(i64, std::collections::BTreeMap<VarId, i64>)> {
    use std::collections::BTreeMap;
    fn add(a: &mut BTreeMap<VarId, i64>, b: BTreeMap<VarId, i64>, sign: i64) {
        for (v, c) in b {
            let e = a.entry(v).or_insert(0);
            *e += sign * c;
            if *e == 0 {
                a.remove(&v);
            }
        }
    }
    match &e.kind {
        ExprKind::Int(v) => Some((*v, BTreeMap::new())),
        ExprKind::Var(v) => Some((0, BTreeMap::from([(*v, 1)]))),
        ExprKind::Cast(x) if x.ty.is_int() => affine(x),
        ExprKind::Unary(UnOp::Neg, x) => {
            let (c, vs) = affine(x)?;
            Some((-c, vs.into_iter().map(|(v, k)| (v, -k)).collect()))
        }
        ExprKind::Binary(op @ (BinOp::Add | BinOp::Sub), a, b) => {
            let (ca, mut va) = affine(a)?;
            let (cb, vb) = affine(b)?;
            let sign = if *op == BinOp::Add { 1 } else { -1 };
            add(&mut va, vb, sign);
            Some((ca + sign * cb, va))
        }
        ExprKind::Binary(BinOp::Mul, a, b) => {
            let (ca, va) = affine(a)?;
            let (cb, vb) = affine(b)?;
            let (k, c, vs) = if va.is_empty() {
                (ca, cb, vb)
            } else if vb.is_empty() {
                (cb, ca, va)
            } else {
                return None;
            };
            Some((
                k * c,
                vs.into_iter()
                    .map(|(v, x)| (v, x * k))
                    .filter(|(_, x)| *x != 0)
                    .collect(),
            ))
        }
        _ => None,
    }
}

/// Checks the invariants above that later passes rely on. Run after lowering and, in debug
/// builds, after every pass.
pub fn validate(f: &Function) -> Result<(), String> {
    fn check_expr(f: &Function, e: &Expr) -> Result<(), String> {
        let mut err = Ok(());
        e.visit_vars(&mut |v| {
            if v.0 as usize >= f.vars.len() {
                err = Err(format!("variable {} out of range", v.0));
            }
        });
        e.visit_arrays(&mut |a| {
            if a.0 as usize >= f.arrays.len() {
                err = Err(format!("array {} out of range", a.0));
            }
        });
        if let ExprKind::Load { array, index } = &e.kind {
            if let Some(info) = f.arrays.get(array.0 as usize) {
                if info.dims.len() != index.len() {
                    err = Err(format!(
                        "load of `{}` with {} indices for {} dimensions",
                        info.name,
                        index.len(),
                        info.dims.len()
                    ));
                }
            }
        }
        err
    }
    let mut result = Ok(());
    for s in &f.body {
        s.walk(&mut |s| {
            if result.is_err() {
                return;
            }
            s.exprs(&mut |e| {
                if result.is_ok() {
                    result = check_expr(f, e);
                }
            });
            match s {
                Stmt::For(l) if l.step == 0 => result = Err("loop with step 0".into()),
                Stmt::Store { array, index, .. } => {
                    let info = &f.arrays[array.0 as usize];
                    if info.dims.len() != index.len() {
                        result = Err(format!(
                            "store to `{}` with {} indices for {} dimensions",
                            info.name,
                            index.len(),
                            info.dims.len()
                        ));
                    } else if !info.written {
                        result = Err(format!(
                            "store to `{}`, which is not marked written",
                            info.name
                        ));
                    }
                }
                Stmt::Assign { var, .. } if var.0 as usize >= f.vars.len() => {
                    result = Err(format!("assignment to unknown variable {}", var.0))
                }
                _ => {}
            }
        });
    }
    result
}
