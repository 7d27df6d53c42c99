//! Emitting thread-level loops that take 16-byte vector steps (see [`super::vector`] for when
//! a loop may): each thread takes `V` consecutive iterations at a time, loading and storing
//! each row's `V` elements with one access, then the remaining iterations one at a time.

use std::fmt::Write;

use super::vector::Plan;
use super::{ctype, ExprPrinter, Form, FunctionWriter};
use crate::back::Level;
use crate::ir::{ArrayId, Expr, ExprKind, For, LoopId, Stmt, VarId};
use crate::passes::{HostStmt, Kernel};

/// Where a vector step keeps each row group of its plan: the register's name, whether the
/// step loads it first and stores it last, and whether the step declares it.
pub(super) struct StepRegs<'r> {
    pub name: &'r dyn Fn(usize) -> String,
    pub load: &'r dyn Fn(usize) -> bool,
    pub store: &'r dyn Fn(usize) -> bool,
    pub declare: bool,
    /// The address of each group's vector, where not `&a[prefix..., parpyc_j]`.
    pub addr: Option<&'r dyn Fn(usize) -> String>,
    /// Whether the launch reads each group's elements once (see [`streamed_rows`]): loaded
    /// with the streaming hint, so that they do not push out of the caches what is read again.
    pub stream: &'r dyn Fn(usize) -> bool,
}

impl FunctionWriter<'_> {
    /// The address of a row's element `j`, with `j` spelled `name`.
    pub(super) fn row_addr(&self, l: &For, array: ArrayId, prefix: &[Expr], name: &str) -> String {
        let var = |v: VarId| {
            if v == l.var {
                name.to_string()
            } else {
                self.vars[v.0 as usize].clone()
            }
        };
        let load = |p: &ExprPrinter, a: ArrayId, index: &[Expr]| {
            format!(
                "{}[{}]",
                self.arrays[a.0 as usize],
                self.flat_index(p, a, index)
            )
        };
        let array_name = |a: ArrayId| self.arrays[a.0 as usize].clone();
        let bound = |v: VarId| self.bounds[v.0 as usize];
        let p = ExprPrinter {
            var: &var,
            array: &array_name,
            load: &load,
            bound: &bound,
        };
        let mut index = prefix.to_vec();
        index.push(Expr::var(l.var, self.func().vars[l.var.0 as usize].ty));
        format!(
            "&{}[{}]",
            self.arrays[array.0 as usize],
            self.flat_index(&p, array, &index)
        )
    }

    /// One vector step of a loop, with `parpyc_j` its first iteration: each row's registers
    /// (`parpyc_v<g>`), the body once per lane, then the stores.
    fn vector_step(&self, out: &mut String, l: &For, plan: &Plan, ind: Level, streamed: &[bool]) {
        let name = |gi: usize| format!("parpyc_v{gi}");
        let load = |gi: usize| plan.groups[gi].loaded;
        let store = |gi: usize| plan.groups[gi].stored;
        let stream = |gi: usize| streamed[gi];
        self.step_with(
            out,
            l,
            plan,
            ind,
            &StepRegs {
                name: &name,
                load: &load,
                store: &store,
                declare: true,
                addr: None,
                stream: &stream,
            },
        );
    }

    /// A vector step whose rows live in the registers `regs` names.
    pub(super) fn step_with(
        &self,
        out: &mut String,
        l: &For,
        plan: &Plan,
        ind: Level,
        regs: &StepRegs,
    ) {
        self.step_loads(out, l, plan, ind, regs, "parpyc_j");
        self.step_lanes(out, l, plan, ind, regs, "parpyc_j");
        self.step_stores(out, l, plan, ind, regs, "parpyc_j");
    }

    /// The address of group `gi`'s vector at iteration `j`.
    fn step_addr(&self, l: &For, plan: &Plan, regs: &StepRegs, gi: usize, j: &str) -> String {
        match regs.addr {
            Some(f) => f(gi),
            None => {
                let g = &plan.groups[gi];
                self.row_addr(l, g.array, &g.prefix, j)
            }
        }
    }

    /// The loads (and declarations) of a vector step's registers, its first iteration `j`.
    fn step_loads(
        &self,
        out: &mut String,
        l: &For,
        plan: &Plan,
        ind: Level,
        regs: &StepRegs,
        j: &str,
    ) {
        for (gi, g) in plan.groups.iter().enumerate() {
            let vt = g.vtype;
            let r = (regs.name)(gi);
            let addr = self.step_addr(l, plan, regs, gi, j);
            let value = if (regs.stream)(gi) {
                format!("__ldcs((const {vt}*){addr})")
            } else {
                format!("*(const {vt}*){addr}")
            };
            if (regs.load)(gi) {
                if regs.declare {
                    let konst = if g.stored { "" } else { "const " };
                    let _ = writeln!(out, "{ind}{konst}{vt} {r} = {value};");
                } else {
                    let _ = writeln!(out, "{ind}{r} = {value};");
                }
            } else if regs.declare {
                let _ = writeln!(out, "{ind}{vt} {r};");
            }
        }
    }

    /// The body of a vector step once per lane, its first iteration `j`.
    pub(super) fn step_lanes(
        &self,
        out: &mut String,
        l: &For,
        plan: &Plan,
        ind: Level,
        regs: &StepRegs,
        j: &str,
    ) {
        const LANES: [&str; 4] = ["x", "y", "z", "w"];
        for (u, lane) in LANES.iter().enumerate().take(plan.width) {
            let jname = if u == 0 {
                j.to_string()
            } else {
                format!("({j} + {u})")
            };
            let var = |v: VarId| {
                if v == l.var {
                    jname.clone()
                } else {
                    self.vars[v.0 as usize].clone()
                }
            };
            let load = |p: &ExprPrinter, a: ArrayId, index: &[Expr]| match plan
                .group_of(l.var, a, index)
            {
                Some(gi) => format!("{}.{lane}", (regs.name)(gi)),
                None => format!(
                    "{}[{}]",
                    self.arrays[a.0 as usize],
                    self.flat_index(p, a, index)
                ),
            };
            let array = |a: ArrayId| self.arrays[a.0 as usize].clone();
            let bound = |v: VarId| self.bounds[v.0 as usize];
            let p = ExprPrinter {
                var: &var,
                array: &array,
                load: &load,
                bound: &bound,
            };
            for s in &l.body {
                match s {
                    Stmt::Assign { var, value, .. } => {
                        let _ = writeln!(
                            out,
                            "{ind}{} = {};",
                            self.vars[var.0 as usize],
                            p.expr(value)
                        );
                    }
                    Stmt::Store {
                        array,
                        index,
                        value,
                        ..
                    } => {
                        let lhs = match plan.group_of(l.var, *array, index) {
                            Some(gi) => format!("{}.{lane}", (regs.name)(gi)),
                            None => format!(
                                "{}[{}]",
                                self.arrays[array.0 as usize],
                                self.flat_index(&p, *array, index)
                            ),
                        };
                        let _ = writeln!(out, "{ind}{lhs} = {};", p.expr(value));
                    }
                    _ => {}
                }
            }
        }
    }

    /// The stores of a vector step's written rows, its first iteration `j`.
    fn step_stores(
        &self,
        out: &mut String,
        l: &For,
        plan: &Plan,
        ind: Level,
        regs: &StepRegs,
        j: &str,
    ) {
        for (gi, g) in plan.groups.iter().enumerate() {
            if (regs.store)(gi) {
                let addr = self.step_addr(l, plan, regs, gi, j);
                // Through the store intrinsic: a plain assignment of a vector held in an
                // array of registers can reach memory as four scalar stores.
                let _ = writeln!(
                    out,
                    "{ind}__stwb(({}*){addr}, {});",
                    g.vtype,
                    (regs.name)(gi)
                );
            }
        }
    }

    /// The scalar loop over `j = from + tid, from + tid + threads, ...` up to `parpyc_hi`.
    #[allow(clippy::too_many_arguments)]
    fn scalar_rest(
        &self,
        out: &mut String,
        l: &For,
        from: &str,
        (tid, count): (&str, &str),
        level: usize,
        k: &Kernel,
        kidx: usize,
    ) {
        let ind = Level(level);
        let v = &self.vars[l.var.0 as usize];
        let info = &self.func().vars[l.var.0 as usize];
        let decl = if info.scoped {
            format!("{} ", ctype(info.ty))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{ind}for ({decl}{v} = {from} + {tid}; {v} < parpyc_hi; {v} += {count}) {{"
        );
        self.device_block(out, &l.body, level + 1, k, kidx);
        let _ = writeln!(out, "{ind}}}");
    }

    /// A thread-level loop taking `V` iterations at a time with 16-byte accesses (see
    /// [`vector`]), then the remaining iterations, or all of them where a row is not aligned,
    /// one at a time.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn vector_loop(
        &self,
        out: &mut String,
        l: &For,
        plan: &Plan,
        (tid, count): (&str, &str),
        level: usize,
        k: &Kernel,
        kidx: usize,
    ) {
        let ind = Level(level);
        let ind1 = Level(level + 1);
        let ind2 = Level(level + 2);
        let ind3 = Level(level + 3);
        let width = plan.width;
        let jt = ctype(self.func().vars[l.var.0 as usize].ty);
        let _ = writeln!(out, "{ind}{{");
        let _ = writeln!(out, "{ind1}const {jt} parpyc_lo = {};", self.expr(&l.start));
        let _ = writeln!(out, "{ind1}const {jt} parpyc_hi = {};", self.expr(&l.stop));
        let _ = writeln!(out, "{ind1}{jt} parpyc_rest = parpyc_lo;");
        let mut conds = vec!["parpyc_lo < parpyc_hi".to_string()];
        for g in &plan.groups {
            let addr = self.row_addr(l, g.array, &g.prefix, "parpyc_lo");
            conds.push(format!("parpyc_aligned16({addr})"));
        }
        let _ = writeln!(out, "{ind1}if ({}) {{", conds.join(" && "));
        let _ = writeln!(
            out,
            "{ind2}const {jt} parpyc_n = (parpyc_hi - parpyc_lo) / {width};"
        );
        let streamed = self.streamed_rows(k, kidx, l, plan);
        let batch = batch_of(l, plan);
        if batch > 1 {
            self.batched_steps(out, l, plan, (tid, count), level + 2, &streamed, batch);
        }
        let _ = writeln!(out, "#pragma unroll 8");
        let from = if batch > 1 {
            String::new()
        } else {
            format!("{jt} parpyc_q = {tid}")
        };
        let _ = writeln!(
            out,
            "{ind2}for ({from}; parpyc_q < parpyc_n; parpyc_q += {count}) {{"
        );
        let _ = writeln!(
            out,
            "{ind3}const {jt} parpyc_j = parpyc_lo + parpyc_q * {width};"
        );
        self.vector_step(out, l, plan, ind3, &streamed);
        let _ = writeln!(out, "{ind2}}}");
        let _ = writeln!(out, "{ind2}parpyc_rest = parpyc_lo + parpyc_n * {width};");
        let _ = writeln!(out, "{ind1}}}");
        self.scalar_rest(out, l, "parpyc_rest", (tid, count), level + 1, k, kidx);
        let _ = writeln!(out, "{ind}}}");
    }
}

/// How many vector steps a turn of a loop's batched form takes (1: no batched form). Loops
/// that only read memory (reductions such as `mv`'s and `sum_rows'`) issue the loads of `B`
/// steps from one base pointer per row before the arithmetic of any of them, so that each
/// thread keeps more loads in flight; the arithmetic runs in the iterations' order, so the
/// result is the same. The batched turns run only where each thread has at least `4 B` steps
/// (long rows), then the unrolled loop of single steps takes the rest. Loops that store keep
/// one step at a time: their loads may not move above an earlier step's stores. On the H200,
/// 1024 rows of 65536 `f32`: `sum_rows` from 88% to 90% of copy bandwidth and `mv` from 87% to
/// 89% (512 threads both, in one run).
fn batch_of(l: &For, plan: &Plan) -> usize {
    if l.body.iter().any(|s| matches!(s, Stmt::Store { .. })) {
        return 1;
    }
    match plan.groups.iter().filter(|g| g.loaded).count() {
        0 => 1,
        1 | 2 => 4,
        3 | 4 => 2,
        _ => 1,
    }
}

impl FunctionWriter<'_> {
    /// The batched turns of a vector loop that only reads (see [`batch_of`]): `batch` steps
    /// at `parpyc_q`, `parpyc_q + count`, ..., their loads first, while all of them are in
    /// range. Declares `parpyc_q`, where the loop of single steps goes on.
    #[allow(clippy::too_many_arguments)]
    fn batched_steps(
        &self,
        out: &mut String,
        l: &For,
        plan: &Plan,
        (tid, count): (&str, &str),
        level: usize,
        streamed: &[bool],
        batch: usize,
    ) {
        let ind = Level(level);
        let ind1 = Level(level + 1);
        let width = plan.width;
        let jt = ctype(self.func().vars[l.var.0 as usize].ty);
        let _ = writeln!(out, "{ind}{jt} parpyc_q = {tid};");
        // Each row's vectors from one base pointer per row (as in the rows forms): the steps'
        // addresses are then a register and an offset each.
        for (gi, g) in plan.groups.iter().enumerate().filter(|(_, g)| g.loaded) {
            let _ = writeln!(
                out,
                "{ind}const {vt}* const parpyc_b{gi} = (const {vt}*){};",
                self.row_addr(l, g.array, &g.prefix, "parpyc_lo"),
                vt = g.vtype
            );
        }
        // Only long rows: with 8 steps per thread (rows of 8192 f32 over 256 threads) the
        // batched turns were 2-3 points slower than the unrolled loop alone on the H200.
        let _ = writeln!(
            out,
            "{ind}for (; parpyc_n >= {} * {count} && parpyc_q + {} * {count} < parpyc_n; parpyc_q += {batch} * {count}) {{",
            4 * batch,
            batch - 1
        );
        let load = |gi: usize| plan.groups[gi].loaded;
        let store = |_: usize| false;
        let stream = |gi: usize| streamed[gi];
        let names: Vec<Box<dyn Fn(usize) -> String>> = (0..batch)
            .map(|u| {
                Box::new(move |gi: usize| format!("parpyc_v{gi}_{u}"))
                    as Box<dyn Fn(usize) -> String>
            })
            .collect();
        let addrs: Vec<Box<dyn Fn(usize) -> String>> = (0..batch)
            .map(|u| {
                let count = count.to_string();
                Box::new(move |gi: usize| format!("&parpyc_b{gi}[parpyc_q + {u} * {count}]"))
                    as Box<dyn Fn(usize) -> String>
            })
            .collect();
        let regs = |u: usize| StepRegs {
            name: &*names[u],
            load: &load,
            store: &store,
            declare: true,
            addr: Some(&*addrs[u]),
            stream: &stream,
        };
        let mut steps = String::new();
        for u in 0..batch {
            self.step_loads(&mut steps, l, plan, ind1, &regs(u), &format!("parpyc_j{u}"));
        }
        for u in 0..batch {
            self.step_lanes(&mut steps, l, plan, ind1, &regs(u), &format!("parpyc_j{u}"));
        }
        // The iterations' indices, where the body uses them.
        for u in 0..batch {
            if steps.contains(&format!("parpyc_j{u}")) {
                let _ = writeln!(
                    out,
                    "{ind1}const {jt} parpyc_j{u} = parpyc_lo + (parpyc_q + {u} * {count}) * {width};"
                );
            }
        }
        out.push_str(&steps);
        let _ = writeln!(out, "{ind}}}");
    }

    /// Which rows of `plan` (a vector loop `l` of kernel `kidx`) one launch reads once, element
    /// by element: rows the loop only reads, of an array the function never writes and the
    /// kernel reads nowhere else, whose index holds the variable of every loop around `l` as
    /// one of its entries (as `A[i, j]` under a parallel `i`: distinct turns read distinct
    /// rows), in a kernel the host program launches once. Such loads get the streaming hint
    /// (`ld.global.cs`); a row read again (`b[j]` for every `i`) keeps its place in the caches.
    /// The hint changes no result.
    fn streamed_rows(&self, k: &Kernel, kidx: usize, l: &For, plan: &Plan) -> Vec<bool> {
        let none = vec![false; plan.groups.len()];
        let ki = match self.forms[kidx] {
            Form::Mapped => kidx,
            Form::Cluster(ki) | Form::Rows(ki) | Form::RowsCluster(ki) | Form::RowsShared(ki) => ki,
            Form::Phase(..) => return none,
        };
        if launched_in_loop(&self.m.host, ki, false) {
            return none;
        }
        let Some(around) = enclosing_loops(&k.body, l.id) else {
            return none;
        };
        plan.groups
            .iter()
            .map(|g| {
                g.loaded
                    && !g.stored
                    && !self.func().arrays[g.array.0 as usize].written
                    && around
                        .iter()
                        .all(|v| g.prefix.iter().any(|p| p.kind == ExprKind::Var(*v)))
                    && only_row_read(&k.body, g.array, l, &g.prefix)
            })
            .collect()
    }
}

/// Whether the host program launches kernel `ki` inside a loop (`in_loop`: inside one already).
fn launched_in_loop(host: &[HostStmt], ki: usize, in_loop: bool) -> bool {
    host.iter().any(|s| match s {
        HostStmt::Launch(i) => *i == ki && in_loop,
        HostStmt::For { body, .. } | HostStmt::While { body, .. } => {
            launched_in_loop(body, ki, true)
        }
        HostStmt::If { then, els, .. } => {
            launched_in_loop(then, ki, in_loop) || launched_in_loop(els, ki, in_loop)
        }
        _ => false,
    })
}

/// The variables of the `for` loops around loop `id` in `body`, or `None` where it is not
/// there or a `while` loop is around it (whose turns are not told apart by any variable).
fn enclosing_loops(body: &[Stmt], id: LoopId) -> Option<Vec<VarId>> {
    for s in body {
        match s {
            Stmt::For(l) if l.id == id => return Some(Vec::new()),
            Stmt::For(l) => {
                if let Some(mut vars) = enclosing_loops(&l.body, id) {
                    vars.push(l.var);
                    return Some(vars);
                }
            }
            Stmt::If { then, els, .. } => {
                if let Some(vars) = enclosing_loops(then, id).or_else(|| enclosing_loops(els, id)) {
                    return Some(vars);
                }
            }
            Stmt::OneThread(inner) => {
                if let Some(vars) = enclosing_loops(inner, id) {
                    return Some(vars);
                }
            }
            Stmt::While { body, .. } if enclosing_loops(body, id).is_some() => return None,
            _ => {}
        }
    }
    None
}

/// Whether every read of `array` in `body` is a load of `array[prefix..., j]` inside loop `l`
/// (`j` its variable). The array is not written.
fn only_row_read(body: &[Stmt], array: ArrayId, l: &For, prefix: &[Expr]) -> bool {
    let count = |stmts: &[Stmt], row_only: bool| {
        let mut n = 0usize;
        for s in stmts {
            s.walk(&mut |t| {
                t.exprs(&mut |e| {
                    if row_only {
                        e.visit_loads(&mut |a, index| {
                            let is_row = index.split_last().is_some_and(|(last, p)| {
                                last.kind == ExprKind::Var(l.var) && p == prefix
                            });
                            n += usize::from(a == array && is_row);
                        });
                    } else {
                        e.visit_arrays(&mut |a| n += usize::from(a == array));
                    }
                })
            });
        }
        n
    };
    count(body, false) == count(&l.body, true)
}
