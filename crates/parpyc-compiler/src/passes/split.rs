//! Rows spread over several blocks: kernels split at their grid-wide barriers.
//!
//! A kernel with two parallel levels runs each row (one iteration of its outer level) with the
//! threads of its inner level. When block-level code between the inner level's loops waits at
//! a barrier, or combines a reduction, a row normally runs in one block ([`row_in_block`]).
//! When the spec asks for more threads per row than one block holds, and there are too few
//! rows to fill the GPU with one block each, the row instead spans several blocks, and each
//! barrier becomes the end of one kernel and the start of the next (blocks of one launch cannot
//! wait for each other):
//!
//! - the row's block-level code is cut into phases at its barriers; each phase is a kernel
//!   over the same rows and threads;
//! - a sequential block-level loop that contains barriers runs on the host, launching its
//!   body's phases once per iteration (the rows are independent, so every row may take its
//!   iterations in step with the others);
//! - an `if` that contains barriers evaluates its condition in the phase before, and each phase
//!   of a branch runs its code only in the rows whose condition holds;
//! - a block-level local that one phase assigns and another reads lives in a device temporary
//!   with one element per row (`slot`) between them;
//! - a block-wide reduction leaves each block's part in a temporary with one element per block
//!   of each row, which the next phase combines ([`Stmt::PartialStore`],
//!   [`Stmt::PartialGather`]).
//!
//! The original kernel stays as it is: the launch picks it or the split program at run time.
//!
//! [`row_in_block`]: super::mapping::row_in_block

use std::collections::HashSet;

use super::mapping::{upward_exposed, uses};
use super::Kernel;
use crate::ir::{self, ArrayId, BinOp, Expr, ExprKind, For, Function, Stmt, VarId};
use crate::types::ElemTy;

/// A kernel's split form.
#[derive(Clone, Debug)]
pub struct Split {
    /// One kernel per phase; [`Step::Launch`] refers to them by index.
    pub kernels: Vec<Kernel>,
    /// What the host runs instead of the one launch.
    pub program: Vec<Step>,
    /// Device temporaries, allocated for the call.
    pub temps: Vec<Temp>,
    /// The number of rows (the outer level's iterations), a host expression.
    pub slots: Expr,
}

#[derive(Clone, Debug)]
pub struct Temp {
    pub array: ArrayId,
    /// One element per block of each row (a reduction's parts), not one per row.
    pub per_block: bool,
}

#[derive(Clone, Debug)]
pub enum Step {
    Launch(usize),
    For {
        var: VarId,
        start: Expr,
        stop: Expr,
        step: i64,
        body: Vec<Step>,
    },
}

/// A phase tree: block-level code without barriers, or a loop hoisted to the host.
enum Phase {
    Run(Vec<Stmt>),
    Loop {
        var: VarId,
        start: Expr,
        stop: Expr,
        step: i64,
        body: Vec<Phase>,
    },
}

/// Splits every kernel that may run its rows over several blocks, adding its temporaries to
/// `func`.
pub fn run(func: &mut Function, kernels: &mut [Kernel]) {
    for k in kernels.iter_mut() {
        if let Some(s) = split(func, k) {
            k.split = Some(Box::new(s));
        }
    }
}

fn has_barrier(stmts: &[Stmt]) -> bool {
    let mut found = false;
    for s in stmts {
        s.walk(&mut |x| found |= matches!(x, Stmt::Sync | Stmt::BlockReduce { .. }));
    }
    found
}

/// Whether `break` or `continue` in `stmts` would leave the loop around them.
fn escapes(stmts: &[Stmt]) -> bool {
    stmts.iter().any(|s| match s {
        Stmt::Break | Stmt::Continue => true,
        Stmt::If { then, els, .. } => escapes(then) || escapes(els),
        Stmt::OneThread(body) => escapes(body),
        _ => false,
    })
}

struct Splitter<'a> {
    func: &'a mut Function,
    /// Variables the kernel assigns: host loop bounds may not read them.
    kernel_vars: HashSet<VarId>,
    slot: Expr,
    /// Per reduction part: its temporary.
    parts: Vec<(VarId, ArrayId)>,
    temps: Vec<Temp>,
}

fn split(func: &mut Function, k: &Kernel) -> Option<Split> {
    if !k.row_in_block || k.levels.len() != 2 {
        return None;
    }
    // A constant thread count that fits one block never needs more.
    if matches!(k.levels[1].kind, ExprKind::Int(n) if n <= k.tpb) {
        return None;
    }
    let [Stmt::For(root)] = k.body.as_slice() else {
        return None;
    };
    if root.reduction.is_some() || root.into.is_some() || !has_barrier(&root.body) {
        return None;
    }
    let (_, _, assigned) = uses(func, &k.body, &k.levels);
    let ity = func.vars[root.var.0 as usize].ty;
    let i = Expr::var(root.var, ity).cast(ElemTy::I64);
    let slot = if root.start.kind == ExprKind::Int(0) && root.step == 1 {
        i
    } else {
        let off = Expr::binary(
            BinOp::Sub,
            i,
            root.start.clone().cast(ElemTy::I64),
            ElemTy::I64,
        );
        Expr::binary(BinOp::FloorDiv, off, Expr::int(root.step), ElemTy::I64)
    };
    let mut sp = Splitter {
        func,
        kernel_vars: assigned.into_iter().collect(),
        slot,
        parts: Vec::new(),
        temps: Vec::new(),
    };
    let mut phases = Vec::new();
    let mut cur = Vec::new();
    sp.phases(&root.body, &mut phases, &mut cur)?;
    flush(&mut cur, &mut phases);

    // Locals that cross phases: read by a phase before it assigns them, and assigned by some
    // phase.
    let mut runs: Vec<&Vec<Stmt>> = Vec::new();
    collect_runs(&phases, &mut runs);
    if runs.len() < 2 {
        return None;
    }
    let mut exposed = HashSet::new();
    let mut assigned_any = HashSet::new();
    for r in &runs {
        let mut defined = HashSet::new();
        upward_exposed(r, &mut defined, &mut exposed);
        for s in r.iter() {
            s.walk(&mut |x| match x {
                Stmt::Assign { var, .. } | Stmt::PartialGather { var, .. } => {
                    assigned_any.insert(*var);
                }
                Stmt::BlockReduce { var, .. } => {
                    assigned_any.insert(*var);
                }
                _ => {}
            });
        }
    }
    let mut crossing: Vec<VarId> = exposed.intersection(&assigned_any).copied().collect();
    crossing.sort();
    let mut temp_of = Vec::new();
    for v in crossing {
        let a = sp.temp(v, false);
        temp_of.push((v, a));
    }

    // The kernels: every phase loads the crossing locals it mentions and stores those it
    // assigns.
    let mut kernels = Vec::new();
    let program = sp.program(phases, root, k, &temp_of, &mut kernels);
    let rows = trip_count(root);
    Some(Split {
        kernels,
        program,
        temps: sp.temps,
        slots: rows,
    })
}

fn flush(cur: &mut Vec<Stmt>, out: &mut Vec<Phase>) {
    if !cur.is_empty() {
        out.push(Phase::Run(std::mem::take(cur)));
    }
}

fn collect_runs<'p>(phases: &'p [Phase], out: &mut Vec<&'p Vec<Stmt>>) {
    for p in phases {
        match p {
            Phase::Run(r) => out.push(r),
            Phase::Loop { body, .. } => collect_runs(body, out),
        }
    }
}

/// `max(0, ceil((stop - start) / step))` for the root's range, as a host expression.
fn trip_count(l: &For) -> Expr {
    let (start, stop) = (
        l.start.clone().cast(ElemTy::I64),
        l.stop.clone().cast(ElemTy::I64),
    );
    let max0 = |n: Expr| Expr {
        kind: ExprKind::Math(ir::MathFn::Max2, vec![n, Expr::int(0)]),
        ty: ElemTy::I64,
    };
    if start.kind == ExprKind::Int(0) && l.step == 1 {
        return max0(stop);
    }
    let (lo, hi, step) = if l.step > 0 {
        (start, stop, l.step)
    } else {
        (stop, start, -l.step)
    };
    let span = Expr::binary(BinOp::Sub, hi, lo, ElemTy::I64);
    let n = Expr::binary(
        BinOp::FloorDiv,
        Expr::binary(BinOp::Add, span, Expr::int(step - 1), ElemTy::I64),
        Expr::int(step),
        ElemTy::I64,
    );
    max0(n)
}

impl Splitter<'_> {
    fn temp(&mut self, v: VarId, per_block: bool) -> ArrayId {
        let info = &self.func.vars[v.0 as usize];
        let name = format!(
            "{}_{}",
            if per_block { "parts" } else { "row" },
            info.name.replace('#', "_")
        );
        let elem = info.ty;
        self.func.arrays.push(ir::ArrayInfo {
            name,
            elem,
            dims: vec![ir::Dim::Const(0)],
            written: true,
            temp: true,
        });
        let a = ArrayId(self.func.arrays.len() as u32 - 1);
        self.temps.push(Temp {
            array: a,
            per_block,
        });
        a
    }

    fn part_temp(&mut self, v: VarId) -> ArrayId {
        if let Some((_, a)) = self.parts.iter().find(|(p, _)| *p == v) {
            return *a;
        }
        let a = self.temp(v, true);
        self.parts.push((v, a));
        a
    }

    /// Whether a host expression may stand for `e`: it reads neither arrays nor anything the
    /// kernel computes.
    fn host_expr(&self, e: &Expr) -> bool {
        let mut ok = !e.loads();
        e.visit_vars(&mut |v| ok &= !self.kernel_vars.contains(&v));
        e.visit_externs(&mut |_, _| ok = false);
        ok
    }

    /// Cuts block-level `stmts` into phases at their barriers; `None` where a construct cannot
    /// be split (the kernel then keeps each row in one block).
    fn phases(&mut self, stmts: &[Stmt], out: &mut Vec<Phase>, cur: &mut Vec<Stmt>) -> Option<()> {
        for s in stmts {
            match s {
                Stmt::Sync => flush(cur, out),
                Stmt::BlockReduce { var, op } => {
                    // The block combines its threads' parts and leaves the result for the next
                    // phase, which combines the blocks'.
                    let array = self.part_temp(*var);
                    cur.push(s.clone());
                    cur.push(Stmt::PartialStore {
                        array,
                        slot: self.slot.clone(),
                        var: *var,
                    });
                    flush(cur, out);
                    cur.push(Stmt::PartialGather {
                        array,
                        slot: self.slot.clone(),
                        var: *var,
                        op: *op,
                    });
                }
                Stmt::For(l) if l.par.is_none() && has_barrier(&l.body) => {
                    // Hoisted to the host: its bounds must be known there, and nothing in its
                    // body may leave it early.
                    let scoped = self.func.vars[l.var.0 as usize].scoped;
                    if scoped
                        || !self.host_expr(&l.start)
                        || !self.host_expr(&l.stop)
                        || escapes(&l.body)
                    {
                        return None;
                    }
                    self.kernel_vars.remove(&l.var);
                    flush(cur, out);
                    let mut body = Vec::new();
                    let mut inner = Vec::new();
                    self.phases(&l.body, &mut body, &mut inner)?;
                    flush(&mut inner, &mut body);
                    out.push(Phase::Loop {
                        var: l.var,
                        start: l.start.clone(),
                        stop: l.stop.clone(),
                        step: l.step,
                        body,
                    });
                }
                Stmt::If {
                    cond,
                    then,
                    els,
                    span,
                } if has_barrier(then) || has_barrier(els) => {
                    self.func.vars.push(ir::VarInfo {
                        name: "cond".to_string(),
                        ty: ElemTy::Bool,
                        scoped: false,
                    });
                    let c = VarId(self.func.vars.len() as u32 - 1);
                    self.kernel_vars.insert(c);
                    cur.push(Stmt::Assign {
                        var: c,
                        value: cond.clone(),
                        span: span.clone(),
                    });
                    flush(cur, out);
                    for (branch, taken) in [(then, true), (els, false)] {
                        let mut ph = Vec::new();
                        let mut inner = Vec::new();
                        self.phases(branch, &mut ph, &mut inner)?;
                        flush(&mut inner, &mut ph);
                        out.extend(guard(ph, c, taken, span));
                    }
                }
                Stmt::While { body, .. } if has_barrier(body) => return None,
                other => cur.push(other.clone()),
            }
        }
        Some(())
    }

    /// The host program of a phase tree, adding each phase's kernel to `kernels`.
    fn program(
        &mut self,
        phases: Vec<Phase>,
        root: &For,
        k: &Kernel,
        temp_of: &[(VarId, ArrayId)],
        kernels: &mut Vec<Kernel>,
    ) -> Vec<Step> {
        let mut steps = Vec::new();
        for p in phases {
            match p {
                Phase::Run(seg) => {
                    let mut body = Vec::new();
                    let mut mentioned = HashSet::new();
                    let mut assigned = HashSet::new();
                    for s in &seg {
                        s.walk(&mut |x| {
                            match x {
                                Stmt::Assign { var, .. }
                                | Stmt::PartialGather { var, .. }
                                | Stmt::BlockReduce { var, .. } => {
                                    assigned.insert(*var);
                                    mentioned.insert(*var);
                                }
                                Stmt::PartialStore { var, .. } => {
                                    mentioned.insert(*var);
                                }
                                _ => {}
                            }
                            x.exprs(&mut |e| {
                                e.visit_vars(&mut |v| {
                                    mentioned.insert(v);
                                })
                            });
                        });
                    }
                    // A phase loads every crossing local it mentions, unless it starts by
                    // assigning it: where an assignment may not run (in a branch), the row's
                    // value must stay as it was.
                    for (v, a) in temp_of
                        .iter()
                        .filter(|(v, _)| mentioned.contains(v) && !assigned_first(&seg, *v))
                    {
                        let ty = self.func.vars[v.0 as usize].ty;
                        body.push(Stmt::Assign {
                            var: *v,
                            value: Expr {
                                kind: ExprKind::Load {
                                    array: *a,
                                    index: vec![self.slot.clone()],
                                },
                                ty,
                            },
                            span: root.span.clone(),
                        });
                    }
                    body.extend(seg);
                    let stores: Vec<Stmt> = temp_of
                        .iter()
                        .filter(|(v, _)| assigned.contains(v))
                        .map(|(v, a)| Stmt::Store {
                            array: *a,
                            index: vec![self.slot.clone()],
                            value: Expr::var(*v, self.func.vars[v.0 as usize].ty),
                            span: root.span.clone(),
                        })
                        .collect();
                    if !stores.is_empty() {
                        body.push(Stmt::OneThread(stores));
                    }
                    let mut r = root.clone();
                    r.body = body;
                    let kbody = vec![Stmt::For(r.clone())];
                    let (arrays, scalars, locals) = uses(self.func, &kbody, &k.levels);
                    kernels.push(Kernel {
                        root: r,
                        body: kbody,
                        levels: k.levels.clone(),
                        level_of: k.level_of.clone(),
                        tpb: k.tpb,
                        row_in_block: false,
                        split_phase: true,
                        split: None,
                        arrays,
                        scalars,
                        locals,
                    });
                    steps.push(Step::Launch(kernels.len() - 1));
                }
                Phase::Loop {
                    var,
                    start,
                    stop,
                    step,
                    body,
                } => {
                    let body = self.program(body, root, k, temp_of, kernels);
                    steps.push(Step::For {
                        var,
                        start,
                        stop,
                        step,
                        body,
                    });
                }
            }
        }
        steps
    }
}

/// Whether the first statement of `seg` that mentions `v` assigns it unconditionally without
/// reading it.
fn assigned_first(seg: &[Stmt], v: VarId) -> bool {
    for s in seg {
        let mut mentions = false;
        s.walk(&mut |x| {
            match x {
                Stmt::Assign { var, .. }
                | Stmt::PartialGather { var, .. }
                | Stmt::BlockReduce { var, .. }
                | Stmt::PartialStore { var, .. }
                | Stmt::AtomicCombine { var, .. } => mentions |= *var == v,
                Stmt::For(l) => mentions |= l.var == v,
                _ => {}
            }
            x.exprs(&mut |e| mentions |= e.mentions(v));
        });
        if mentions {
            return match s {
                Stmt::Assign { var, value, .. } => *var == v && !value.mentions(v),
                Stmt::PartialGather { var, .. } => *var == v,
                _ => false,
            };
        }
    }
    false
}

/// The phases of one branch of an `if`, each running only where the branch is taken.
fn guard(phases: Vec<Phase>, c: VarId, taken: bool, span: &crate::diag::Span) -> Vec<Phase> {
    phases
        .into_iter()
        .map(|p| match p {
            Phase::Run(seg) => {
                let (then, els) = if taken {
                    (seg, Vec::new())
                } else {
                    (Vec::new(), seg)
                };
                Phase::Run(vec![Stmt::If {
                    cond: Expr::var(c, ElemTy::Bool),
                    then,
                    els,
                    span: span.clone(),
                }])
            }
            Phase::Loop {
                var,
                start,
                stop,
                step,
                body,
            } => Phase::Loop {
                var,
                start,
                stop,
                step,
                body: guard(body, c, taken, span),
            },
        })
        .collect()
}
