//! Parallel mapping: splits a function into a host program and kernels.
//!
//! The outermost parallel loop of each nest becomes a kernel. Inside it, parallel loops form
//! levels by nesting depth; the innermost level maps to the threads of a block (spanning several
//! blocks when it has more threads than `tpb`), the outer levels to blocks. Every level's loops
//! must agree on their thread count. Statements between levels run redundantly on every thread
//! of a block, except stores, which one thread performs; barriers separate a thread-level loop
//! from what follows it, and thread-level reductions end in a block-wide reduction.

use std::collections::{HashMap, HashSet};

use crate::diag::{Diagnostic, File, Span};
use crate::ir::{
    self, combine, neutral, ArrayId, Expr, ExprKind, For, LoopId, ReduceOp, Stmt, VarId,
};

#[derive(Clone, Debug)]
pub struct Mapped {
    pub func: ir::Function,
    pub host: Vec<HostStmt>,
    pub kernels: Vec<Kernel>,
}

/// A statement of the host program.
#[derive(Clone, Debug)]
pub enum HostStmt {
    Assign {
        var: VarId,
        value: Expr,
    },
    /// A call of a host external, for its effect.
    Eval(Expr),
    For {
        var: VarId,
        start: Expr,
        stop: Expr,
        step: i64,
        body: Vec<HostStmt>,
    },
    While {
        cond: Expr,
        body: Vec<HostStmt>,
    },
    If {
        cond: Expr,
        then: Vec<HostStmt>,
        els: Vec<HostStmt>,
    },
    Break,
    Continue,
    Launch(usize),
}

#[derive(Clone, Debug)]
pub struct Kernel {
    /// The kernel's root: the outermost parallel loop.
    pub root: For,
    /// What the kernel runs: the root loop, with a prologue and epilogue when it reduces into
    /// an array element.
    pub body: Vec<Stmt>,
    /// Thread counts of the parallel levels, outermost first; the last is the thread level.
    pub levels: Vec<Expr>,
    /// The parallel level of each parallel loop in the kernel.
    pub level_of: HashMap<LoopId, usize>,
    /// Threads per block of the thread level.
    pub tpb: i64,
    /// Whether each row of the thread level (its iterations for one iteration of the levels
    /// around it) must run in one block: the thread level reduces across the block, or its
    /// loops meet at barriers. Set by [`super::run`] once the passes have run; see
    /// [`row_in_block`].
    pub row_in_block: bool,
    /// Whether this is one phase of a split kernel: its rows span several blocks, which meet
    /// only between launches (see [`super::split`]).
    pub split_phase: bool,
    /// The kernel split at its barriers, for rows spread over several blocks; the launch
    /// chooses between it and this kernel.
    pub split: Option<Box<super::split::Split>>,
    /// Arrays the kernel uses, in parameter order.
    pub arrays: Vec<ArrayId>,
    /// Scalars the kernel reads but does not assign: parameters, symbols, host locals.
    pub scalars: Vec<VarId>,
    /// Variables assigned inside the kernel, declared at its top.
    pub locals: Vec<VarId>,
}

#[derive(Clone, Debug)]
pub enum Error {
    HostArrayAccess {
        span: Span,
    },
    Inconsistent {
        span: Span,
        other: Span,
        label: String,
        other_label: String,
        /// The two thread counts, as the spec gives them.
        threads: String,
        other_threads: String,
    },
    UnevenDepth {
        span: Span,
        other: Span,
    },
    Race {
        span: Span,
        var: String,
        loop_span: Span,
        label: String,
    },
    BlockReduction {
        span: Span,
        label: String,
    },
    ParallelBreak {
        span: Span,
    },
    KernelValueOnHost {
        span: Span,
        var: String,
    },
    NarrowAtomic {
        span: Span,
        elem: &'static str,
    },
    ExternTarget {
        span: Span,
        name: String,
        device: bool,
    },
    HostReduction {
        span: Span,
        label: String,
        var: String,
    },
    SecondAccumulator {
        span: Span,
        var: String,
        acc: String,
        label: String,
    },
    ValueAfterLoop {
        span: Span,
        var: String,
        loop_span: Span,
        label: String,
    },
    ArrayRace {
        span: Span,
        array: String,
        loop_span: Span,
        label: String,
        /// The write is under a condition that depends on the loop.
        guarded: bool,
    },
    /// Iteration `var` writes an element that iteration `var + distance` reads or writes.
    Carried {
        write: Span,
        other: Span,
        other_writes: bool,
        array: String,
        loop_span: Span,
        label: String,
        var: String,
        distance: i64,
        exact: bool,
    },
}

impl Error {
    pub fn to_diagnostic(&self) -> Diagnostic {
        match self {
            Error::HostArrayAccess { span } => Diagnostic::new("E0401", "array access outside parallel code")
                .source(span.clone(), "this statement would run on the host, but arrays live in GPU memory")
                .note("code outside parallel loops runs on the CPU and may only compute scalars and control loops")
                .hint("label the enclosing loop and parallelize it in the spec"),
            Error::Inconsistent { span, other, label, other_label, threads, other_threads } => Diagnostic::new("E0402", "inconsistent parallel structure")
                .source(span.clone(), format!("`{label}` runs with {}", threads_text(threads)))
                .also(File::Source, other.clone(), format!("`{other_label}` runs with {} at the same level", threads_text(other_threads)))
                .note("parallel loops at the same nesting level of one kernel share the block's threads")
                .hint("give both labels the same `threads` in the spec, or move the statements into separate loop nests"),
            Error::UnevenDepth { span, other } => Diagnostic::new("E0403", "inconsistent parallel structure")
                .source(span.clone(), "this innermost parallel loop is at one nesting depth")
                .also(File::Source, other.clone(), "this one is deeper")
                .hint("nest the same number of parallel loops on every path of a kernel, or split the loop nest"),
            Error::Race { span, var, loop_span, label } => Diagnostic::new("E0404", format!("data race on `{var}`"))
                .source(span.clone(), format!("every thread of parallel loop `{label}` writes `{var}`"))
                .also(File::Source, loop_span.clone(), "the parallel loop")
                .hint(format!("if the loop accumulates into `{var}`, add `reduce = true` to label `{label}` in the spec; otherwise make `{var}` local to the loop body")),
            Error::BlockReduction { span, label } => Diagnostic::new("E0405", "reduction across thread blocks")
                .source(span.clone(), format!("`{label}` reduces, but it is not the innermost parallel level"))
                .note("a reduction over a parallel level between a kernel's root and its innermost level would combine parts across blocks inside the kernel, which parpyc does not generate yet; reductions at the innermost level, and reductions at the root into an array element, are supported")
                .hint(format!("make `{label}` sequential (leave it out of the spec) so that the reduction runs on the innermost level, or reduce into an array element at the kernel's root")),
            Error::ParallelBreak { span } => Diagnostic::new("E0406", "`break`/`continue` in a parallel loop")
                .source(span.clone(), "iterations of a parallel loop run at once")
                .hint("use `if` inside the loop body, or make the loop sequential"),
            Error::HostReduction { span, label, var } => Diagnostic::new("E0412", format!("the result of parallel reduction `{label}` is needed outside the GPU"))
                .source(span.clone(), format!("this loop is a kernel of its own, and {} lives in the host code around it", quoted(var)))
                .note("the blocks of a kernel cannot hand a local back to the host")
                .hint(format!("accumulate into an array element instead (`out[0] += ...` with `reduce = true`), or parallelize a loop around this one so that {} lives on the GPU", quoted(var))),
            Error::ArrayRace { span, array, loop_span, label, guarded } => Diagnostic::new("E0413", format!("data race on `{array}`"))
                .source(span.clone(), if *guarded {
                    format!("the iterations of parallel loop `{label}` that take this branch write the same element of `{array}`")
                } else {
                    format!("every iteration of parallel loop `{label}` writes the same element of `{array}`")
                })
                .also(File::Source, loop_span.clone(), "the parallel loop")
                .note("the iterations of a parallel loop run at once, so the writes would overwrite each other in no particular order")
                .hint(format!("if the loop accumulates into the element (`{array}[k] += ...`), add `reduce = true` to label `{label}` in the spec; otherwise index `{array}` with the loop's variable, or leave `{label}` out of the spec to run the loop sequentially")),
            Error::Carried { write, other, other_writes, array, loop_span, label, var, distance, exact } => {
                // `i + 1`, or where the loop's variable has no name of its own, "another".
                let later = if *exact && var.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    let sign = if *distance > 0 { '+' } else { '-' };
                    format!("iteration `{var} {sign} {}`", distance.abs())
                } else {
                    "another iteration".to_string()
                };
                let this = if var.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    format!("iteration `{var}`")
                } else {
                    "one iteration".to_string()
                };
                let verb = if *other_writes { "writes" } else { "reads" };
                let d = Diagnostic::new("E0415", format!("the iterations of parallel loop `{label}` depend on each other"))
                    .source(write.clone(), format!("{this} writes an element of `{array}` here"));
                let d = if other == write {
                    d.note(format!("{later} {verb} the same element in this statement"))
                } else {
                    d.also(File::Source, other.clone(), format!("which {later} {verb} here"))
                };
                d.also(File::Source, loop_span.clone(), "the parallel loop")
                    .note("the iterations of a parallel loop run at once and in no particular order, so one may touch the element before or after the other, unlike in Python's order")
                    .hint(if *other_writes {
                        format!("give each iteration elements of its own to write, or leave `{label}` out of the spec to run the loop sequentially")
                    } else {
                        format!("write the results into another array than the one the loop reads, or leave `{label}` out of the spec to run the loop sequentially")
                    })
            }
            Error::ValueAfterLoop { span, var, loop_span, label } => Diagnostic::new("E0414", format!("`{var}` is read after parallel loop `{label}`, which assigns it"))
                .source(span.clone(), format!("parallel loop `{label}` assigns `{var}` here"))
                .also(File::Source, loop_span.clone(), format!("`{var}` is read after this loop"))
                .note(format!("in Python, `{var}` holds the last iteration's value after the loop; the iterations of a parallel loop run at once, each with its own `{var}`, so there is no last one"))
                .hint(format!("if the loop combines values into `{var}`, write it as a reduction (`{var} += ...`, `{var} = max({var}, ...)`) and add `reduce = true` to label `{label}`; otherwise store the values into an array inside the loop, or leave `{label}` out of the spec to run the loop sequentially")),
            Error::SecondAccumulator { span, var, acc, label } => Diagnostic::new("E0411", format!("parallel reduction `{label}` accumulates into two variables"))
                .source(span.clone(), format!("`{var}` is updated by every iteration too"))
                .note(format!("the loop already reduces into `{acc}`; a parallel loop reduces into one variable"))
                .hint(format!("split the loop into one loop per accumulator, each labelled `{label}`")),
            Error::ExternTarget { span, name, device } => {
                let (here, there) = if *device { ("on the host", "`parpy.Target.Device`") } else { ("in parallel code", "`parpy.Target.Host`") };
                Diagnostic::new("E0410", format!("external `{name}` called {here}"))
                    .source(span.clone(), format!("this code runs {here}"))
                    .note(format!("the external is declared with {there}"))
                    .hint(if *device { "call it inside a parallel loop or `with parpy.gpu:`" } else { "call it outside parallel loops" })
            }
            Error::NarrowAtomic { span, elem } => Diagnostic::new("E0409", format!("a reduction across thread blocks into {} {elem} element", if elem.starts_with(['i', 'f']) { "an" } else { "a" }))
                .source(span.clone(), "blocks combine their results atomically, which needs 4- or 8-byte elements")
                .hint("accumulate into an array of a 4- or 8-byte type (such as i32, i64, f32, f64)"),
            Error::KernelValueOnHost { span, var } => Diagnostic::new("E0408", format!("`{var}` is computed in parallel code and read outside it"))
                .source(span.clone(), "read on the host")
                .hint("write the value into an array inside the parallel loop and read the array"),
        }
    }
}

pub fn map(func: ir::Function) -> Result<Mapped, Vec<Error>> {
    let mut cx = Mapper {
        func,
        kernels: Vec::new(),
        errors: Vec::new(),
        kernel_vars: HashSet::new(),
        next_loop: 0,
    };
    cx.check_values_after_parallel_loops();
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    let body = cx.func.body.clone();
    let mut host = cx.host_block(&body);
    drop_dead_host(&mut host, &cx.kernels);
    if cx.errors.is_empty() {
        Ok(Mapped {
            func: cx.func,
            host,
            kernels: cx.kernels,
        })
    } else {
        Err(cx.errors)
    }
}

/// Drops host assignments to variables that neither the host program nor a kernel reads (what
/// is left of an accumulator whose reduction stays on the GPU).
fn drop_dead_host(host: &mut Vec<HostStmt>, kernels: &[Kernel]) {
    fn reads(stmts: &[HostStmt], read: &mut HashSet<VarId>) {
        for s in stmts {
            let mut e = |x: &Expr| {
                x.visit_vars(&mut |v| {
                    read.insert(v);
                })
            };
            match s {
                HostStmt::Assign { value, .. } => e(value),
                HostStmt::Eval(x) => e(x),
                HostStmt::For {
                    start, stop, body, ..
                } => {
                    e(start);
                    e(stop);
                    reads(body, read);
                }
                HostStmt::While { cond, body } => {
                    e(cond);
                    reads(body, read);
                }
                HostStmt::If { cond, then, els } => {
                    e(cond);
                    reads(then, read);
                    reads(els, read);
                }
                HostStmt::Break | HostStmt::Continue | HostStmt::Launch(_) => {}
            }
        }
    }
    fn prune(stmts: &mut Vec<HostStmt>, read: &HashSet<VarId>) -> bool {
        let before = stmts.len();
        stmts.retain(|s| match s {
            HostStmt::Assign { var, value } => {
                let mut effects = false;
                value.visit_externs(&mut |_, _| effects = true);
                read.contains(var) || effects
            }
            _ => true,
        });
        let mut changed = stmts.len() != before;
        for s in stmts.iter_mut() {
            match s {
                HostStmt::For { body, .. } | HostStmt::While { body, .. } => {
                    changed |= prune(body, read)
                }
                HostStmt::If { then, els, .. } => {
                    changed |= prune(then, read);
                    changed |= prune(els, read);
                }
                _ => {}
            }
        }
        changed
    }
    loop {
        let mut read = HashSet::new();
        for k in kernels {
            read.extend(k.scalars.iter().copied());
            for t in &k.levels {
                t.visit_vars(&mut |v| {
                    read.insert(v);
                });
            }
        }
        reads(host, &mut read);
        if !prune(host, &read) {
            break;
        }
    }
}

struct Mapper {
    func: ir::Function,
    kernels: Vec<Kernel>,
    errors: Vec<Error>,
    /// Variables assigned inside kernels.
    kernel_vars: HashSet<VarId>,
    /// The next id for a loop the mapping makes.
    next_loop: u32,
}

fn contains_par(stmts: &[Stmt]) -> bool {
    let mut found = false;
    for s in stmts {
        s.walk(&mut |x| found |= matches!(x, Stmt::For(l) if l.par.is_some()));
    }
    found
}

fn reads_arrays(e: &Expr) -> bool {
    e.loads()
}

impl Mapper {
    fn host_block(&mut self, stmts: &[Stmt]) -> Vec<HostStmt> {
        let mut out = Vec::new();
        let mut skip = 0;
        for (i, s) in stmts.iter().enumerate() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            // `a[k] = reduction(...)` at the top level: one block reduces and one thread stores.
            let pattern = reduction_into_element(&stmts[i..]).filter(|(l, _, _)| {
                // The accumulator must not be read anywhere else: its value stays on the GPU.
                let acc = l.reduction.map(|r| r.acc);
                let count = |ss: &[Stmt]| {
                    let mut n = 0;
                    for st in ss {
                        st.walk(&mut |x| {
                            x.exprs(&mut |e| {
                                e.visit_vars(&mut |v| n += usize::from(Some(v) == acc))
                            })
                        });
                    }
                    n
                };
                count(&self.func.body) == count(&stmts[i..i + 3])
            });
            if let Some((l, target, start)) = pattern {
                // The accumulator's start joins the result where it is not the reduction's
                // neutral element (`s = 1.5` before `s += x[i]`).
                let op = l.reduction.map(|r| r.op).unwrap_or(ReduceOp::Sum);
                let acc_ty = l
                    .reduction
                    .map(|r| self.func.vars[r.acc.0 as usize].ty)
                    .unwrap_or(crate::types::ElemTy::F64);
                let start = (*start != neutral(op, acc_ty)).then(|| start.clone().cast(acc_ty));
                if !contains_par(&l.body) && !start.as_ref().is_some_and(Expr::loads) {
                    // One block: the start, taken on the host before the launch (the loop may
                    // change what it reads), joins the block's result.
                    let start = start.map(|e| {
                        self.host_expr(&e, &l.span);
                        self.func.vars.push(ir::VarInfo {
                            name: "start".to_string(),
                            ty: acc_ty,
                            scoped: false,
                        });
                        let var = VarId(self.func.vars.len() as u32 - 1);
                        out.push(HostStmt::Assign { var, value: e });
                        Expr::var(var, acc_ty)
                    });
                    if let Some(k) = self.kernel(l, Some((target, start))) {
                        self.kernels.push(k);
                        out.push(HostStmt::Launch(self.kernels.len() - 1));
                    }
                } else {
                    // Nested parallel levels, or a start that reads arrays: the element starts at
                    // the accumulator's start (one thread, before the loop), then every block
                    // combines its part atomically.
                    let first = start.unwrap_or_else(|| neutral(op, acc_ty));
                    let init = self.init_element(&target, first, l);
                    let mut main = l.clone();
                    main.into = Some(target);
                    if let (Some(ki), Some(km)) =
                        (self.kernel(&init, None), self.kernel(&main, None))
                    {
                        self.kernels.push(ki);
                        out.push(HostStmt::Launch(self.kernels.len() - 1));
                        self.kernels.push(km);
                        out.push(HostStmt::Launch(self.kernels.len() - 1));
                    }
                }
                skip = 2;
                continue;
            }
            match s {
                Stmt::For(l) if l.par.is_some() => {
                    for nest in self.nests(l) {
                        if let Some(k) = self.kernel(&nest, None) {
                            self.kernels.push(k);
                            out.push(HostStmt::Launch(self.kernels.len() - 1));
                        }
                    }
                }
                Stmt::For(l) => {
                    self.host_expr(&l.start, &l.span);
                    self.host_expr(&l.stop, &l.span);
                    if !contains_par(&l.body) && l.body.iter().any(stmt_touches_arrays) {
                        let span = first_array_span(&l.body).unwrap_or(l.span.clone());
                        self.errors.push(Error::HostArrayAccess { span });
                        continue;
                    }
                    let body = self.host_block(&l.body);
                    out.push(HostStmt::For {
                        var: l.var,
                        start: l.start.clone(),
                        stop: l.stop.clone(),
                        step: l.step,
                        body,
                    });
                }
                Stmt::Assign { var, value, span } => {
                    self.host_expr(value, span);
                    out.push(HostStmt::Assign {
                        var: *var,
                        value: value.clone(),
                    });
                }
                Stmt::Store { span, .. } => self
                    .errors
                    .push(Error::HostArrayAccess { span: span.clone() }),
                Stmt::While { cond, body, span } => {
                    self.host_expr(cond, span);
                    let body = self.host_block(body);
                    out.push(HostStmt::While {
                        cond: cond.clone(),
                        body,
                    });
                }
                Stmt::If {
                    cond,
                    then,
                    els,
                    span,
                } => {
                    self.host_expr(cond, span);
                    let then = self.host_block(then);
                    let els = self.host_block(els);
                    out.push(HostStmt::If {
                        cond: cond.clone(),
                        then,
                        els,
                    });
                }
                Stmt::Eval(e, span) => {
                    self.host_expr(e, span);
                    out.push(HostStmt::Eval(e.clone()));
                }
                Stmt::Break => out.push(HostStmt::Break),
                Stmt::Continue => out.push(HostStmt::Continue),
                Stmt::Sync
                | Stmt::BlockReduce { .. }
                | Stmt::OneThread(_)
                | Stmt::AtomicCombine { .. }
                | Stmt::PartialStore { .. }
                | Stmt::PartialGather { .. } => {}
            }
        }
        out
    }

    /// Host expressions may not read arrays or values computed in kernels.
    fn host_expr(&mut self, e: &Expr, span: &Span) {
        if e.loads() {
            self.errors
                .push(Error::HostArrayAccess { span: span.clone() });
        }
        let mut device = None;
        e.visit_externs(&mut |name, d| {
            if d {
                device = Some(name.to_string());
            }
        });
        if let Some(name) = device {
            self.errors.push(Error::ExternTarget {
                span: span.clone(),
                name,
                device: true,
            });
        }
        let mut bad = None;
        e.visit_vars(&mut |v| {
            if self.kernel_vars.contains(&v) {
                bad = Some(v);
            }
        });
        if let Some(v) = bad {
            self.errors.push(Error::KernelValueOnHost {
                span: span.clone(),
                var: crate::front::versions::source_name(&self.func.vars[v.0 as usize].name),
            });
        }
    }

    /// The kernel of parallel loop `root`. With `store`, the root is a reduction whose result
    /// is stored into that element (`a[k] = sum(...)` at the top level): it runs as one block,
    /// and the result is first combined with the accumulator's start where one is given.
    fn kernel(&mut self, root: &For, store: Option<(Element, Option<Expr>)>) -> Option<Kernel> {
        let (store, start) = match store {
            Some((target, start)) => (Some(target), start),
            None => (None, None),
        };
        let errors_before = self.errors.len();
        // Levels: the parallel loops at each nesting depth.
        let mut levels: Vec<Vec<&For>> = Vec::new();
        let mut leaves: Vec<(usize, &For)> = Vec::new();
        collect_levels(root, 0, &mut levels, &mut leaves, &mut self.errors);
        let depth = levels.len();
        for (d, l) in &leaves {
            if *d + 1 != depth {
                let deeper = levels[depth - 1][0];
                self.errors.push(Error::UnevenDepth {
                    span: l.span.clone(),
                    other: deeper.span.clone(),
                });
            }
        }
        for (first, l) in mismatches(&levels) {
            let count = |l: &For| {
                l.par.as_ref().map_or("1".to_string(), |p| {
                    let text = self.func.expr_text(&p.threads);
                    if matches!(p.threads.kind, ExprKind::Int(_)) {
                        text
                    } else {
                        format!("`{text}`")
                    }
                })
            };
            self.errors.push(Error::Inconsistent {
                span: first.span.clone(),
                other: l.span.clone(),
                label: label_of(first),
                other_label: label_of(l),
                threads: count(first),
                other_threads: count(l),
            });
        }
        for (d, level) in levels.iter().enumerate() {
            for l in level {
                // A root reducing into an array element combines blocks atomically.
                let root_into = d == 0 && l.into.is_some();
                if l.reduction.is_some() && d + 1 != depth && !root_into {
                    self.errors.push(Error::BlockReduction {
                        span: l.span.clone(),
                        label: label_of(l),
                    });
                }
            }
        }
        if root.reduction.is_some() && root.into.is_none() && store.is_none() && depth == 1 {
            // A reduction into a local at the kernel's root needs its result outside the kernel.
            self.errors.push(Error::HostReduction {
                span: root.span.clone(),
                label: label_of(root),
                // Compiler temporaries (`reduced#1`) are named after what they hold.
                var: root
                    .reduction
                    .map(|r| self.func.vars[r.acc.0 as usize].name.clone())
                    .filter(|n| !n.contains('#'))
                    .unwrap_or_else(|| "its result".to_string()),
            });
        }
        self.check_races(root);
        self.check_array_races(root);
        let mut host_ext = None;
        Stmt::For(root.clone()).walk(&mut |st| {
            st.exprs(&mut |e| {
                e.visit_externs(&mut |name, d| {
                    if !d && host_ext.is_none() {
                        host_ext = Some(name.to_string());
                    }
                })
            })
        });
        if let Some(name) = host_ext {
            self.errors.push(Error::ExternTarget {
                span: root.span.clone(),
                name,
                device: false,
            });
        }
        if self.errors.len() > errors_before {
            return None;
        }
        let thread_level = &levels[depth - 1];
        let tpb = thread_level[0].par.as_ref().map_or(1024, |p| p.tpb);
        let mut level_of = HashMap::new();
        for (d, level) in levels.iter().enumerate() {
            for l in level {
                level_of.insert(l.id, d);
            }
        }
        let mut level_threads: Vec<Expr> = levels
            .iter()
            .map(|l| {
                l[0].par
                    .as_ref()
                    .map(|p| p.threads.clone())
                    .unwrap_or(Expr::int(1))
            })
            .collect();
        if store.is_some() {
            // One block: its threads stride over all the iterations.
            let t = level_threads[0].clone();
            level_threads[0] = Expr {
                kind: ExprKind::Math(ir::MathFn::Min2, vec![t, Expr::int(tpb)]),
                ty: crate::types::ElemTy::I64,
            };
        }
        drop(levels);

        let mut root = root.clone();
        if depth > 1 {
            let body = std::mem::take(&mut root.body);
            let mut dirty = false;
            let mut body = self.block_level(body, 1, depth, &level_of, &mut dirty);
            if matches!(body.last(), Some(Stmt::Sync)) {
                body.pop();
            }
            root.body = body;
        }

        // A root reducing into an array element: blocks combine their parts atomically.
        let body = match (root.reduction, root.into.take().or(store.clone())) {
            (Some(r), Some((array, index))) => {
                let elem = self.func.arrays[array.0 as usize].elem;
                if elem.size_bytes() < 4 && store.is_none() {
                    self.errors.push(Error::NarrowAtomic {
                        span: root.span.clone(),
                        elem: elem.name(),
                    });
                    return None;
                }
                let span = root.span.clone();
                if depth == 1 {
                    // Each thread reduces its iterations; the block combines them; one thread
                    // adds the block's part to the element.
                    let part = self.new_part(r.acc);
                    substitute_var(&mut root.body, r.acc, part);
                    root.reduction = Some(ir::Reduction {
                        acc: part,
                        op: r.op,
                    });
                    let pty = self.func.vars[part.0 as usize].ty;
                    let finish = if store.is_some() {
                        let result = match start {
                            Some(start) => combine(r.op, start, Expr::var(part, pty)),
                            None => Expr::var(part, pty),
                        };
                        Stmt::Store {
                            array,
                            index,
                            value: result.cast(elem),
                            span: span.clone(),
                        }
                    } else {
                        Stmt::AtomicCombine {
                            array,
                            index,
                            op: r.op,
                            var: part,
                        }
                    };
                    vec![
                        Stmt::Assign {
                            var: part,
                            value: neutral(r.op, pty),
                            span,
                        },
                        Stmt::For(root.clone()),
                        Stmt::BlockReduce {
                            var: part,
                            op: r.op,
                        },
                        Stmt::OneThread(vec![finish]),
                    ]
                } else {
                    // Every thread of a block holds the block's part.
                    vec![
                        Stmt::Assign {
                            var: r.acc,
                            value: neutral(r.op, elem),
                            span,
                        },
                        Stmt::For(root.clone()),
                        Stmt::OneThread(vec![Stmt::AtomicCombine {
                            array,
                            index,
                            op: r.op,
                            var: r.acc,
                        }]),
                    ]
                }
            }
            _ => vec![Stmt::For(root.clone())],
        };

        let (arrays, scalars, assigned) = uses(&self.func, &body, &level_threads);
        for v in &assigned {
            self.kernel_vars.insert(*v);
        }
        Some(Kernel {
            root,
            body,
            levels: level_threads,
            level_of,
            tpb,
            row_in_block: false,
            split_phase: false,
            split: None,
            arrays,
            scalars,
            locals: assigned,
        })
    }

    /// Rewrites statements that run at block level (inside `depth` enclosing parallel loops,
    /// fewer than the kernel's `levels`).
    /// `dirty`: whether block-level code since the last barrier touched arrays, so that a
    /// following parallel loop or single-thread store must wait for every thread first.
    fn block_level(
        &mut self,
        stmts: Vec<Stmt>,
        depth: usize,
        levels: usize,
        level_of: &HashMap<LoopId, usize>,
        dirty: &mut bool,
    ) -> Vec<Stmt> {
        let mut out = Vec::new();
        for s in stmts {
            let thread_loop = matches!(&s, Stmt::For(l) if l.par.is_some() && level_of.get(&l.id) == Some(&(levels - 1)));
            if (thread_loop || matches!(s, Stmt::Store { .. })) && *dirty {
                out.push(Stmt::Sync);
            }
            if thread_loop || matches!(s, Stmt::Store { .. }) {
                *dirty = false;
            } else {
                *dirty |= touches_memory(&s);
            }
            match s {
                Stmt::For(mut l)
                    if l.par.is_some() && level_of.get(&l.id) == Some(&(levels - 1)) =>
                {
                    match l.reduction {
                        Some(r) => {
                            // Each thread reduces its share into a private partial value, the
                            // block combines the partials, and the result joins the accumulator.
                            let ty = self.func.vars[r.acc.0 as usize].ty;
                            let part = self.new_part(r.acc);
                            substitute_var(&mut l.body, r.acc, part);
                            l.reduction = Some(ir::Reduction {
                                acc: part,
                                op: r.op,
                            });
                            let span = l.span.clone();
                            let into = l.into.take();
                            out.push(Stmt::Assign {
                                var: part,
                                value: neutral(r.op, ty),
                                span: span.clone(),
                            });
                            out.push(Stmt::For(l));
                            out.push(Stmt::BlockReduce {
                                var: part,
                                op: r.op,
                            });
                            out.push(Stmt::Assign {
                                var: r.acc,
                                value: join(r.op, r.acc, part, ty),
                                span: span.clone(),
                            });
                            if let Some((array, index)) = into {
                                // `a[k] op= result`, by one thread.
                                let elem = self.func.arrays[array.0 as usize].elem;
                                let cur = Expr {
                                    kind: ExprKind::Load {
                                        array,
                                        index: index.clone(),
                                    },
                                    ty: elem,
                                };
                                let value = combine(r.op, cur, Expr::var(r.acc, ty).cast(elem));
                                out.push(Stmt::OneThread(vec![Stmt::Store {
                                    array,
                                    index,
                                    value,
                                    span,
                                }]));
                                out.push(Stmt::Sync);
                            }
                        }
                        None => {
                            out.push(Stmt::For(l));
                            out.push(Stmt::Sync);
                        }
                    }
                }
                Stmt::For(mut l) => {
                    let d = if l.par.is_some() { depth + 1 } else { depth };
                    let mut inner = *dirty;
                    l.body = self.block_level(
                        std::mem::take(&mut l.body),
                        d,
                        levels,
                        level_of,
                        &mut inner,
                    );
                    *dirty |= inner;
                    out.push(Stmt::For(l));
                }
                Stmt::Store { .. } => {
                    out.push(Stmt::OneThread(vec![s]));
                    out.push(Stmt::Sync);
                }
                Stmt::If {
                    cond,
                    then,
                    els,
                    span,
                } => {
                    let (mut a, mut b) = (*dirty, *dirty);
                    let then = self.block_level(then, depth, levels, level_of, &mut a);
                    let els = self.block_level(els, depth, levels, level_of, &mut b);
                    *dirty |= a || b;
                    out.push(Stmt::If {
                        cond,
                        then,
                        els,
                        span,
                    });
                }
                Stmt::While { cond, body, span } => {
                    let mut inner = *dirty;
                    let body = self.block_level(body, depth, levels, level_of, &mut inner);
                    *dirty |= inner;
                    out.push(Stmt::While { cond, body, span });
                }
                other => out.push(other),
            }
        }
        // Two barriers in a row are one.
        out.dedup_by(|a, b| matches!((a, b), (Stmt::Sync, Stmt::Sync)));
        out
    }

    /// A one-thread parallel loop setting `target` to `first` (the reduction's neutral element,
    /// or the accumulator's start), run before the blocks of `l` combine their parts into it.
    fn init_element(&mut self, target: &(ArrayId, Vec<Expr>), first: Expr, l: &For) -> For {
        let elem = self.func.arrays[target.0 .0 as usize].elem;
        self.func.vars.push(ir::VarInfo {
            name: "init".to_string(),
            ty: crate::types::ElemTy::I64,
            scoped: true,
        });
        let var = VarId(self.func.vars.len() as u32 - 1);
        let id = self.fresh_loop();
        let label = l.par.as_ref().map(|p| p.label.clone()).unwrap_or_default();
        For {
            id,
            var,
            start: Expr::int(0),
            stop: Expr::int(1),
            step: 1,
            body: vec![Stmt::Store {
                array: target.0,
                index: target.1.clone(),
                value: first.cast(elem),
                span: l.span.clone(),
            }],
            par: Some(ir::Par {
                threads: Expr::int(1),
                tpb: 32,
                label: format!("{label}_init"),
            }),
            reduction: None,
            into: None,
            span: l.span.clone(),
        }
    }

    /// An id for a loop the mapping makes, unused in the function.
    fn fresh_loop(&mut self) -> LoopId {
        let mut max_id = 0;
        for s in &self.func.body {
            s.walk(&mut |x| {
                if let Stmt::For(f) = x {
                    max_id = max_id.max(f.id.0);
                }
            });
        }
        self.next_loop = self.next_loop.max(max_id + 1);
        self.next_loop += 1;
        LoopId(self.next_loop - 1)
    }

    /// The kernels of parallel loop nest `l`: the nest itself, or, where its levels ask for
    /// different thread counts in loops that are not siblings, one nest per part (loop
    /// fission; siblings that ask for different counts stay an error, E0402). `for i: (for j: for k1: ...) (for j: for k2: ...)` with `i` and `j` parallel
    /// runs as `for i: for j: for k1` and then `for i: for j: for k2`: the iterations of a
    /// parallel loop are independent, so all of them doing the first part before any does the
    /// second computes what each doing both in turn does, where no local flows between parts.
    fn nests(&mut self, l: &For) -> Vec<For> {
        if !inconsistent(l) {
            return vec![l.clone()];
        }
        match self.fission(l) {
            Some(parts) => parts.iter().flat_map(|p| self.nests(p)).collect(),
            None => vec![l.clone()],
        }
    }

    fn fission(&mut self, l: &For) -> Option<Vec<For>> {
        if l.reduction.is_some() || l.into.is_some() {
            return None;
        }
        let threads = |s: &Stmt| match s {
            Stmt::For(m) => m.par.as_ref().map(|p| p.threads.clone()),
            _ => None,
        };
        let bodies: Vec<Vec<Stmt>> = match l.body.as_slice() {
            [Stmt::For(m)] if m.par.is_some() => self
                .fission(m)?
                .into_iter()
                .map(|p| vec![Stmt::For(p)])
                .collect(),
            body if body.len() >= 2
                && threads(&body[0]).is_some()
                && body.iter().all(|s| threads(s) == threads(&body[0])) =>
            {
                // No part reads what another assigns.
                let mut assigned: Vec<HashMap<VarId, usize>> = Vec::new();
                for st in body {
                    let mut a = HashMap::new();
                    count_assignments(st, &mut a);
                    assigned.push(a);
                }
                for (q, st) in body.iter().enumerate() {
                    let mut exposed = HashSet::new();
                    upward_exposed(
                        std::slice::from_ref(st),
                        &mut HashSet::from([l.var]),
                        &mut exposed,
                    );
                    let flows = assigned
                        .iter()
                        .enumerate()
                        .any(|(p, a)| p != q && exposed.iter().any(|v| a.contains_key(v)));
                    if flows {
                        return None;
                    }
                }
                body.iter().map(|st| vec![st.clone()]).collect()
            }
            _ => return None,
        };
        Some(
            bodies
                .into_iter()
                .map(|body| For {
                    id: self.fresh_loop(),
                    body,
                    ..l.clone()
                })
                .collect(),
        )
    }

    /// A fresh variable for one thread's part of the reduction into `acc`.
    fn new_part(&mut self, acc: VarId) -> VarId {
        let info = &self.func.vars[acc.0 as usize];
        let (name, ty) = (format!("{}_part", info.name), info.ty);
        self.func.vars.push(ir::VarInfo {
            name,
            ty,
            scoped: false,
        });
        VarId(self.func.vars.len() as u32 - 1)
    }

    /// A parallel loop may not write one array element from all its iterations, except as its
    /// reduction (`into`): every write inside it must have an index that moves with the loop,
    /// run under a condition that does, or store a value that is the same in every iteration.
    /// Nor may its iterations touch each other's elements where the indices prove it (E0415).
    fn check_array_races(&mut self, root: &For) {
        let mut errors = Vec::new();
        let mut reported = HashSet::new();
        Stmt::For(root.clone()).walk(&mut |s| {
            let Stmt::For(l) = s else { return };
            let Some(p) = &l.par else { return };
            if p.threads.kind == ExprKind::Int(1) {
                return;
            }
            let dep = dependents(l);
            let facts = LoopFacts::new(l, &dep);
            let mut writes = Vec::new();
            facts.writes(&l.body, false, &mut writes);
            for (array, span, guarded) in writes {
                if reported.insert((array, l.id)) {
                    errors.push(Error::ArrayRace {
                        span,
                        array: crate::front::versions::source_name(
                            &self.func.arrays[array.0 as usize].name,
                        ),
                        loop_span: l.span.clone(),
                        label: label_of(l),
                        guarded,
                    });
                }
            }
            // Iterations that touch each other's elements (E0415, see `passes::carried`).
            if let Some(c) = super::carried::carried(l, &facts) {
                errors.push(Error::Carried {
                    write: c.write,
                    other: c.other,
                    other_writes: c.other_writes,
                    array: crate::front::versions::source_name(
                        &self.func.arrays[c.array.0 as usize].name,
                    ),
                    loop_span: l.span.clone(),
                    label: label_of(l),
                    var: crate::front::versions::source_name(
                        &self.func.vars[l.var.0 as usize].name,
                    ),
                    distance: c.distance,
                    exact: c.exact,
                });
            }
        });
        self.errors.extend(errors);
    }

    /// A variable a parallel loop assigns may be read after the loop only as the loop's
    /// reduction: in Python it would hold the last iteration's value, which a parallel loop
    /// does not have.
    fn check_values_after_parallel_loops(&mut self) {
        let live = super::liveness::after_parallel_loops(&self.func.body);
        let mut errors = Vec::new();
        let mut reported = HashSet::new();
        for s in &self.func.body {
            s.walk(&mut |x| {
                let Stmt::For(l) = x else { return };
                let (Some(p), Some(after)) = (&l.par, live.get(&l.id)) else {
                    return;
                };
                if p.threads.kind == ExprKind::Int(1) {
                    return;
                }
                let mut assigned = HashMap::new();
                for st in &l.body {
                    count_assignments(st, &mut assigned);
                }
                // Variables read before they are assigned are shared by the iterations:
                // `check_races` reports those.
                let mut defined = HashSet::from([l.var]);
                let mut exposed = HashSet::new();
                upward_exposed(&l.body, &mut defined, &mut exposed);
                let acc = l.reduction.map(|r| r.acc);
                let mut vars: Vec<VarId> = assigned
                    .into_keys()
                    .chain([l.var])
                    .filter(|v| after.contains(v) && Some(*v) != acc && !exposed.contains(v))
                    .collect();
                vars.sort();
                vars.dedup();
                for v in vars {
                    if reported.insert(v) {
                        errors.push(Error::ValueAfterLoop {
                            span: first_assignment_span(&l.body, v).unwrap_or(l.span.clone()),
                            var: crate::front::versions::source_name(
                                &self.func.vars[v.0 as usize].name,
                            ),
                            loop_span: l.span.clone(),
                            label: label_of(l),
                        });
                    }
                }
            });
        }
        self.errors.extend(errors);
    }

    /// A parallel loop may write a variable also written outside it only as its reduction.
    fn check_races(&mut self, root: &For) {
        // A variable written in a parallel loop is private to each iteration unless the loop
        // reads it before writing it: then iterations share it (a reduction, or a race).
        let mut reported = HashSet::new();
        let mut errors = Vec::new();
        Stmt::For(root.clone()).walk(&mut |s| {
            let Stmt::For(l) = s else { return };
            if l.par.is_none() {
                return;
            }
            let mut inside: HashMap<VarId, usize> = HashMap::new();
            for st in &l.body {
                count_assignments(st, &mut inside);
            }
            let mut defined = HashSet::from([l.var]);
            let mut exposed = HashSet::new();
            upward_exposed(&l.body, &mut defined, &mut exposed);
            let mut vars: Vec<VarId> = inside
                .keys()
                .copied()
                .filter(|v| exposed.contains(v))
                .collect();
            vars.sort();
            for v in vars {
                let is_acc = l.reduction.is_some_and(|r| r.acc == v);
                if !is_acc && reported.insert(v) {
                    if let Some(r) = l.reduction {
                        errors.push(Error::SecondAccumulator {
                            span: first_assignment_span(&l.body, v).unwrap_or(l.span.clone()),
                            var: crate::front::versions::source_name(
                                &self.func.vars[v.0 as usize].name,
                            ),
                            acc: crate::front::versions::source_name(
                                &self.func.vars[r.acc.0 as usize].name,
                            ),
                            label: label_of(l),
                        });
                        continue;
                    }
                    let span = first_assignment_span(&l.body, v).unwrap_or(l.span.clone());
                    errors.push(Error::Race {
                        span,
                        var: crate::front::versions::source_name(
                            &self.func.vars[v.0 as usize].name,
                        ),
                        loop_span: l.span.clone(),
                        label: label_of(l),
                    });
                }
            }
        });
        self.errors.extend(errors);
    }
}

/// What a kernel body uses: the arrays it touches and the scalars it reads but does not
/// assign (parameters, symbols, host locals: its parameters), in id order, and the variables
/// it assigns (declared at its top), in order of appearance.
pub(crate) fn uses(
    func: &ir::Function,
    body: &[Stmt],
    level_threads: &[Expr],
) -> (Vec<ArrayId>, Vec<VarId>, Vec<VarId>) {
    let mut assigned = Vec::new();
    let mut read = Vec::new();
    let mut arrays = Vec::new();
    for st in body {
        st.walk(&mut |s| {
            match s {
                Stmt::Assign { var, .. } => push_unique(&mut assigned, *var),
                Stmt::For(l) => push_unique(&mut assigned, l.var),
                Stmt::Store { array, .. } => push_unique(&mut arrays, *array),
                Stmt::AtomicCombine { array, var, .. } | Stmt::PartialStore { array, var, .. } => {
                    push_unique(&mut arrays, *array);
                    push_unique(&mut read, *var);
                }
                Stmt::PartialGather { array, var, .. } => {
                    push_unique(&mut arrays, *array);
                    push_unique(&mut assigned, *var);
                }
                Stmt::BlockReduce { var, .. } => push_unique(&mut assigned, *var),
                _ => {}
            }
            s.exprs(&mut |e| {
                e.visit_vars(&mut |v| push_unique(&mut read, v));
                e.visit_arrays(&mut |a| push_unique(&mut arrays, a));
            });
        });
    }
    // Array extents given by symbols are read when indexing.
    for a in &arrays {
        for d in &func.arrays[a.0 as usize].dims {
            if let ir::Dim::Var(v) = d {
                push_unique(&mut read, *v);
            }
        }
    }
    // Level thread counts are computed on the host, but the kernel reads them too.
    for t in level_threads {
        t.visit_vars(&mut |v| push_unique(&mut read, v));
    }
    let mut scalars: Vec<VarId> = read.into_iter().filter(|v| !assigned.contains(v)).collect();
    scalars.sort();
    arrays.sort();
    (arrays, scalars, assigned)
}

/// Whether a kernel's rows must each run in one block: block-level code between its
/// thread-level loops waits at barriers (`Sync`, or a block-wide reduction), which only the
/// threads of one block can do. Such a row runs with at most `tpb` threads, fewer than the
/// spec asks if need be (a parallel loop's threads may take any number of its iterations
/// each). A root reducing into an array element, or a kernel without barriers, may spread a
/// row over many blocks.
pub fn row_in_block(k: &Kernel) -> bool {
    if k.levels.len() < 2 {
        return false;
    }
    let mut found = false;
    for s in &k.body {
        s.walk(&mut |x| found |= matches!(x, Stmt::Sync | Stmt::BlockReduce { .. }));
    }
    found
}

/// The variables whose values may differ between iterations of loop `l`: its variable, and
/// what is computed from it (by value, by a loop's bounds, or under a condition).
fn dependents(l: &For) -> HashSet<VarId> {
    fn visit(stmts: &[Stmt], dep: &mut HashSet<VarId>, cond: bool) -> bool {
        let mut changed = false;
        let mentions = |e: &Expr, dep: &HashSet<VarId>| {
            let mut found = false;
            e.visit_vars(&mut |v| found |= dep.contains(&v));
            found
        };
        for s in stmts {
            match s {
                Stmt::Assign { var, value, .. }
                    if (cond || mentions(value, dep)) && dep.insert(*var) =>
                {
                    changed = true;
                }
                Stmt::For(f) => {
                    let moves = cond || mentions(&f.start, dep) || mentions(&f.stop, dep);
                    if moves && dep.insert(f.var) {
                        changed = true;
                    }
                    changed |= visit(&f.body, dep, moves);
                }
                Stmt::While { cond: c, body, .. } => {
                    let moves = cond || mentions(c, dep);
                    changed |= visit(body, dep, moves);
                }
                Stmt::If {
                    cond: c, then, els, ..
                } => {
                    let moves = cond || mentions(c, dep);
                    changed |= visit(then, dep, moves);
                    changed |= visit(els, dep, moves);
                }
                Stmt::OneThread(body) => changed |= visit(body, dep, cond),
                _ => {}
            }
        }
        changed
    }
    let mut dep = HashSet::from([l.var]);
    while visit(&l.body, &mut dep, false) {}
    dep
}

/// What the race check knows of one parallel loop: its variable, the variables whose values
/// may differ between its iterations (`dependents`), and what its body assigns and stores.
pub(super) struct LoopFacts<'a> {
    pub(super) var: VarId,
    dep: &'a HashSet<VarId>,
    /// The variables the loop's body assigns (locals and inner loops' variables).
    pub(super) assigned: HashSet<VarId>,
    stored: HashSet<ArrayId>,
}

impl LoopFacts<'_> {
    fn new<'a>(l: &For, dep: &'a HashSet<VarId>) -> LoopFacts<'a> {
        let mut assigned = HashSet::new();
        let mut stored = HashSet::new();
        for st in &l.body {
            st.walk(&mut |x| match x {
                Stmt::Assign { var, .. } | Stmt::PartialGather { var, .. } => {
                    assigned.insert(*var);
                }
                Stmt::For(f) => {
                    assigned.insert(f.var);
                    if let Some((a, _)) = &f.into {
                        stored.insert(*a);
                    }
                }
                Stmt::Store { array, .. } | Stmt::AtomicCombine { array, .. } => {
                    stored.insert(*array);
                }
                _ => {}
            });
        }
        LoopFacts {
            var: l.var,
            dep,
            assigned,
            stored,
        }
    }

    /// Whether `e` may differ between iterations.
    fn moves(&self, e: &Expr) -> bool {
        let mut found = false;
        e.visit_vars(&mut |v| found |= self.dep.contains(&v));
        found
    }

    /// Whether `e` has one value throughout the loop: no variable the loop assigns, no array
    /// it stores to.
    pub(super) fn fixed(&self, e: &Expr) -> bool {
        let mut found = false;
        e.visit_vars(&mut |v| found |= self.dep.contains(&v) || self.assigned.contains(&v));
        e.visit_arrays(&mut |a| found |= self.stored.contains(&a));
        !found
    }

    /// Whether a condition holds in one iteration at most (`Some(true)`: `var == e`, `var + c
    /// == e` and the like, or a conjunction with such a part, `e` and `c` fixed), fails in one
    /// at most (`Some(false)`: `var != e`), or neither (`None`).
    fn pins(&self, cond: &Expr) -> Option<bool> {
        // The loop's variable shifted by a fixed amount: one iteration per value.
        let shifted = |e: &Expr| match &e.kind {
            ExprKind::Var(v) => *v == self.var,
            ExprKind::Binary(ir::BinOp::Add, a, b) => {
                (matches!(a.kind, ExprKind::Var(v) if v == self.var) && self.fixed(b))
                    || (matches!(b.kind, ExprKind::Var(v) if v == self.var) && self.fixed(a))
            }
            ExprKind::Binary(ir::BinOp::Sub, a, b) => {
                matches!(a.kind, ExprKind::Var(v) if v == self.var) && self.fixed(b)
            }
            _ => false,
        };
        let one =
            |a: &Expr, b: &Expr| (shifted(a) && self.fixed(b)) || (shifted(b) && self.fixed(a));
        match &cond.kind {
            ExprKind::Binary(ir::BinOp::Eq, a, b) if one(a, b) => Some(true),
            ExprKind::Binary(ir::BinOp::Ne, a, b) if one(a, b) => Some(false),
            ExprKind::Binary(ir::BinOp::And, a, b) => {
                (self.pins(a) == Some(true) || self.pins(b) == Some(true)).then_some(true)
            }
            _ => None,
        }
    }

    /// The writes in `stmts` (the loop's body) that many iterations may make to one element:
    /// stores and nested reductions into elements whose index does not move with the loop. A
    /// condition that moves with the loop does not make such a write safe (`if x[i] > 0:
    /// out[0] = x[i]` races wherever two elements are positive) unless it holds in one
    /// iteration at most (`if i == 0:`); a store of a value that is the same in every
    /// iteration writes nothing that differs.
    fn writes(&self, stmts: &[Stmt], guarded: bool, out: &mut Vec<(ArrayId, Span, bool)>) {
        for s in stmts {
            match s {
                Stmt::Store {
                    array,
                    index,
                    value,
                    span,
                } => {
                    let mut reads_stored = false;
                    value.visit_arrays(&mut |a| reads_stored |= self.stored.contains(&a));
                    let same_value = !self.moves(value) && !reads_stored;
                    if !index.iter().any(|e| self.moves(e)) && !same_value {
                        out.push((*array, span.clone(), guarded));
                    }
                }
                Stmt::For(f) => {
                    if let Some((array, index)) = &f.into {
                        if !index.iter().any(|e| self.moves(e)) {
                            out.push((*array, f.span.clone(), guarded));
                        }
                    }
                    self.writes(&f.body, guarded, out);
                }
                Stmt::If {
                    cond, then, els, ..
                } => {
                    let pinned = self.pins(cond);
                    let guarded = guarded || self.moves(cond);
                    if pinned != Some(true) {
                        self.writes(then, guarded, out);
                    }
                    if pinned != Some(false) {
                        self.writes(els, guarded, out);
                    }
                }
                Stmt::While { cond, body, .. } => {
                    self.writes(body, guarded || self.moves(cond), out)
                }
                Stmt::OneThread(body) => self.writes(body, guarded, out),
                _ => {}
            }
        }
    }
}

/// An array element: the array and its index.
type Element = (ArrayId, Vec<Expr>);

/// `acc = start; for ... (parallel, reducing into acc); a[k] = acc` at the top level: the
/// loop, the element and the accumulator's start (which the kernel evaluates, so it may not
/// call an external).
fn reduction_into_element(stmts: &[Stmt]) -> Option<(&For, Element, &Expr)> {
    let [Stmt::Assign {
        var: acc,
        value: start,
        ..
    }, Stmt::For(l), Stmt::Store {
        array,
        index,
        value,
        ..
    }, ..] = stmts
    else {
        return None;
    };
    let r = l.reduction?;
    if l.par.is_none() || r.acc != *acc || l.into.is_some() {
        return None;
    }
    let stripped = match &value.kind {
        ExprKind::Cast(x) => x.as_ref(),
        _ => value,
    };
    let mut index_uses_acc = false;
    for e in index {
        e.visit_vars(&mut |v| index_uses_acc |= v == *acc);
    }
    let mut calls_extern = false;
    start.visit_externs(&mut |_, _| calls_extern = true);
    if !matches!(stripped.kind, ExprKind::Var(v) if v == *acc)
        || index_uses_acc
        || index.iter().any(Expr::loads)
        || calls_extern
    {
        return None;
    }
    Some((l, (*array, index.clone()), start))
}

/// "1 thread", "128 threads", "`N` threads".
fn threads_text(count: &str) -> String {
    if count == "1" {
        "1 thread".to_string()
    } else {
        format!("{count} threads")
    }
}

/// `name` in backquotes, unless it is a phrase.
fn quoted(name: &str) -> String {
    if name.contains(' ') {
        name.to_string()
    } else {
        format!("`{name}`")
    }
}

fn join(op: ReduceOp, acc: VarId, part: VarId, ty: crate::types::ElemTy) -> Expr {
    combine(op, Expr::var(acc, ty), Expr::var(part, ty))
}

fn label_of(l: &For) -> String {
    l.par.as_ref().map(|p| p.label.clone()).unwrap_or_default()
}

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// Whether a parallel loop nest's levels ask for different thread counts at one depth (which
/// `Mapper::kernel` reports as E0402 where fission cannot part them).
fn inconsistent(l: &For) -> bool {
    let mut levels: Vec<Vec<&For>> = Vec::new();
    collect_levels(l, 0, &mut levels, &mut Vec::new(), &mut Vec::new());
    !mismatches(&levels).is_empty()
}

/// The loops at one depth whose thread count differs from the first loop's there, each with
/// that first loop.
fn mismatches<'a>(levels: &[Vec<&'a For>]) -> Vec<(&'a For, &'a For)> {
    let threads = |l: &For| l.par.as_ref().map(|p| p.threads.clone());
    levels
        .iter()
        .flat_map(|level| {
            let first = level[0];
            level[1..]
                .iter()
                .filter(move |l| threads(l) != threads(first))
                .map(move |l| (first, *l))
        })
        .collect()
}

fn collect_levels<'a>(
    l: &'a For,
    depth: usize,
    levels: &mut Vec<Vec<&'a For>>,
    leaves: &mut Vec<(usize, &'a For)>,
    errors: &mut Vec<Error>,
) {
    if levels.len() <= depth {
        levels.push(Vec::new());
    }
    levels[depth].push(l);
    let mut nested = false;
    fn visit<'a>(
        stmts: &'a [Stmt],
        depth: usize,
        levels: &mut Vec<Vec<&'a For>>,
        leaves: &mut Vec<(usize, &'a For)>,
        errors: &mut Vec<Error>,
        nested: &mut bool,
        direct: bool,
    ) {
        for s in stmts {
            match s {
                Stmt::For(inner) if inner.par.is_some() => {
                    *nested = true;
                    collect_levels(inner, depth + 1, levels, leaves, errors);
                }
                Stmt::For(inner) => {
                    visit(&inner.body, depth, levels, leaves, errors, nested, false)
                }
                Stmt::While { body, .. } => {
                    visit(body, depth, levels, leaves, errors, nested, false)
                }
                Stmt::If { then, els, .. } => {
                    visit(then, depth, levels, leaves, errors, nested, direct);
                    visit(els, depth, levels, leaves, errors, nested, direct);
                }
                Stmt::Break | Stmt::Continue if direct => {
                    errors.push(Error::ParallelBreak { span: 0..0 })
                }
                _ => {}
            }
        }
    }
    visit(&l.body, depth, levels, leaves, errors, &mut nested, true);
    if let Some(Error::ParallelBreak { span }) = errors.last_mut() {
        if span.start == span.end {
            *span = l.span.clone();
        }
    }
    if !nested {
        leaves.push((depth, l));
    }
}

/// Adds to `exposed` the variables that `stmts` may read before assigning them, given the
/// variables already assigned (`defined`, updated with those the statements assign: a read of
/// a variable no path assigned would fail in Python, so any assignment counts).
pub(crate) fn upward_exposed(
    stmts: &[Stmt],
    defined: &mut HashSet<VarId>,
    exposed: &mut HashSet<VarId>,
) {
    let reads = |e: &Expr, defined: &HashSet<VarId>, exposed: &mut HashSet<VarId>| {
        e.visit_vars(&mut |v| {
            if !defined.contains(&v) {
                exposed.insert(v);
            }
        })
    };
    for s in stmts {
        match s {
            Stmt::Assign { var, value, .. } => {
                reads(value, defined, exposed);
                defined.insert(*var);
            }
            Stmt::For(l) => {
                reads(&l.start, defined, exposed);
                reads(&l.stop, defined, exposed);
                let mut inner = defined.clone();
                inner.insert(l.var);
                upward_exposed(&l.body, &mut inner, exposed);
                // Python would fail reading a variable a loop of no iterations left unset, so
                // what a loop assigns counts as assigned after it.
                *defined = inner;
            }
            Stmt::While { cond, body, .. } => {
                reads(cond, defined, exposed);
                let mut inner = defined.clone();
                upward_exposed(body, &mut inner, exposed);
                *defined = inner;
            }
            Stmt::If {
                cond, then, els, ..
            } => {
                reads(cond, defined, exposed);
                let mut a = defined.clone();
                let mut b = defined.clone();
                upward_exposed(then, &mut a, exposed);
                upward_exposed(els, &mut b, exposed);
                *defined = a.union(&b).copied().collect();
            }
            Stmt::OneThread(body) => upward_exposed(body, defined, exposed),
            Stmt::BlockReduce { var, .. }
            | Stmt::AtomicCombine { var, .. }
            | Stmt::PartialStore { var, .. } => {
                s.exprs(&mut |e| reads(e, defined, exposed));
                if !defined.contains(var) {
                    exposed.insert(*var);
                }
            }
            Stmt::PartialGather { var, .. } => {
                s.exprs(&mut |e| reads(e, defined, exposed));
                defined.insert(*var);
            }
            other => other.exprs(&mut |e| reads(e, defined, exposed)),
        }
    }
}

pub(super) fn count_assignments(s: &Stmt, counts: &mut HashMap<VarId, usize>) {
    s.walk(&mut |x| match x {
        Stmt::Assign { var, .. } => *counts.entry(*var).or_default() += 1,
        Stmt::For(l) => *counts.entry(l.var).or_default() += 1,
        _ => {}
    });
}

fn first_assignment_span(stmts: &[Stmt], v: VarId) -> Option<Span> {
    let mut found = None;
    for s in stmts {
        s.walk(&mut |x| {
            if let Stmt::Assign { var, span, .. } = x {
                if *var == v && found.is_none() {
                    found = Some(span.clone());
                }
            }
        });
    }
    found
}

/// Whether a statement reads or writes array memory, or passes an array to an external.
fn touches_memory(s: &Stmt) -> bool {
    let mut found = false;
    s.walk(&mut |x| {
        if matches!(x, Stmt::Store { .. } | Stmt::AtomicCombine { .. }) {
            found = true;
        }
        x.exprs(&mut |e| e.visit_arrays(&mut |_| found = true));
    });
    found
}

fn stmt_touches_arrays(s: &Stmt) -> bool {
    let mut found = false;
    s.walk(&mut |x| {
        if matches!(x, Stmt::Store { .. }) {
            found = true;
        }
        x.exprs(&mut |e| found |= reads_arrays(e));
    });
    found
}

fn first_array_span(stmts: &[Stmt]) -> Option<Span> {
    let mut found = None;
    for s in stmts {
        s.walk(&mut |x| {
            if found.is_some() {
                return;
            }
            match x {
                Stmt::Store { span, .. } => found = Some(span.clone()),
                Stmt::Assign { value, span, .. } if reads_arrays(value) => {
                    found = Some(span.clone())
                }
                _ => {}
            }
        });
    }
    found
}

/// Replaces every use and assignment of `from` with `to`.
pub(crate) fn substitute_var(stmts: &mut [Stmt], from: VarId, to: VarId) {
    for s in stmts {
        match s {
            Stmt::Assign { var, value, .. } => {
                if *var == from {
                    *var = to;
                }
                value.rename_var(from, to);
            }
            Stmt::Store { index, value, .. } => {
                index.iter_mut().for_each(|x| x.rename_var(from, to));
                value.rename_var(from, to);
            }
            Stmt::For(l) => {
                l.start.rename_var(from, to);
                l.stop.rename_var(from, to);
                substitute_var(&mut l.body, from, to);
            }
            Stmt::While { cond, body, .. } => {
                cond.rename_var(from, to);
                substitute_var(body, from, to);
            }
            Stmt::If {
                cond, then, els, ..
            } => {
                cond.rename_var(from, to);
                substitute_var(then, from, to);
                substitute_var(els, from, to);
            }
            Stmt::OneThread(body) => substitute_var(body, from, to),
            Stmt::AtomicCombine { index, var, .. } => {
                index.iter_mut().for_each(|x| x.rename_var(from, to));
                if *var == from {
                    *var = to;
                }
            }
            Stmt::BlockReduce { var, .. } => {
                if *var == from {
                    *var = to;
                }
            }
            Stmt::Eval(e, _) => e.rename_var(from, to),
            Stmt::PartialStore { slot, var, .. } | Stmt::PartialGather { slot, var, .. } => {
                slot.rename_var(from, to);
                if *var == from {
                    *var = to;
                }
            }
            Stmt::Break | Stmt::Continue | Stmt::Sync => {}
        }
    }
}
