//! Rows kept in registers across the passes over them.
//!
//! A kernel whose row (its thread level's iterations for one iteration of the outer level)
//! runs in one block, and whose block-level code is a sequence of thread-level loops over the
//! same range with straight-line bodies, reads and writes each row `a[p..., j]` at the same
//! elements in every pass: softmax takes its maximum, then `exp` and the sum, then divides.
//! Each thread can then own the same `K` 16-byte vectors of the row in every pass (vector `q`
//! of `tid + k * threads` for `k < K`), load them from memory once, keep them in registers
//! (`parpyc_r<g>[k]`, indexed only by the unrolled `k`), and store each written row once, in
//! the last pass that writes it: one read and one write of memory per element instead of one
//! per pass.
//!
//! This changes which thread runs which iteration, which the parallel loops allow (the mapping
//! pass rejects dependences between iterations), and each thread still runs its iterations in
//! order. The launch checks what the form needs: the range's length is a multiple of the
//! vector width and at most `K * width` elements per thread of one block, every such row starts
//! on a 16-byte boundary, and no written array overlaps another array of its element type (two
//! arguments may be one array); otherwise it launches the kernel as usual.
//!
//! Where a row's block is so large that at most two fit on a multiprocessor, its passes (each
//! ends at a barrier) leave memory idle while the block computes, and few other blocks are
//! there to fill the gap. The launch then runs the kernel's form `_rows_shared` where it fits
//! more rows on a multiprocessor: blocks of 256 threads (`PARPYC_SHARED_BLOCK`), each keeping
//! its row in shared memory instead of registers (`parpyc_s<n>[q]`, the same vectors per
//! thread, so no thread reads what another wrote and no barrier is added). A pass that loads a row copies the thread's
//! vectors with `cp.async` first; each step then reads the vectors it needs from shared memory
//! and writes back those it changes that a later pass reads. A row that is neither copied in
//! nor written back (written in one pass and stored from there) stays in the step's locals and
//! takes no shared memory, so the rows there have their own numbering ([`RowGroup::shared`]).
//! With several rows per multiprocessor in different passes, one block's loads overlap another's
//! arithmetic.

use super::vector::{self, Plan};
use crate::ir::{ArrayId, Expr, For, Stmt, VarId};
use crate::passes::Kernel;
use crate::types::ElemTy;

/// A row held in registers: `array[prefix..., j]` over the loops' range.
#[derive(Debug)]
pub struct RowGroup {
    pub array: ArrayId,
    pub prefix: Vec<Expr>,
    pub vtype: &'static str,
    /// The pass (index into [`RowPlan::loops`]) that loads the row, if a pass reads it before
    /// any writes it.
    pub load_in: Option<usize>,
    /// The last pass that writes the row, which stores it.
    pub store_in: Option<usize>,
    /// The register array holding it: a row whose last use is the pass that first writes
    /// another (softmax's `x` and `out`) hands its registers on.
    pub slot: usize,
    /// Its row of shared memory in the shared-memory form, if it has one there (see
    /// [`RowPlan::touches_shared`]).
    pub shared: Option<usize>,
}

#[derive(Debug)]
pub struct RowPlan {
    /// Elements per vector.
    pub width: usize,
    /// The thread-level loops of the row body, in order, with each one's vector plan and the
    /// row group of each of its plan's groups.
    pub loops: Vec<(For, Plan, Vec<usize>)>,
    pub groups: Vec<RowGroup>,
    /// The most vectors per thread a launch may use (a power of two).
    pub max_k: usize,
}

impl RowPlan {
    /// The pass of a thread-level loop, by its variable and range.
    pub fn pass_of(&self, l: &For) -> Option<usize> {
        self.loops.iter().position(|(x, _, _)| x.id == l.id)
    }

    /// The rows of shared memory the shared-memory form's blocks use (its stage is this many
    /// rows of vectors).
    pub fn shared_slots(&self) -> usize {
        self.groups
            .iter()
            .filter_map(|g| g.shared)
            .map(|s| s + 1)
            .max()
            .unwrap_or(0)
    }

    /// Whether the shared-memory form keeps group `gi` in shared memory: a pass copies it in
    /// (`cp.async`), or writes it back for a later pass. Every read of shared memory follows
    /// one of these (a row's first pass reads it only if that pass loads it).
    fn touches_shared(&self, gi: usize) -> bool {
        self.groups[gi].load_in.is_some()
            || self.loops.iter().enumerate().any(|(pass, (_, p, map))| {
                map.iter().zip(&p.groups).any(|(&r, g)| r == gi && g.stored)
                    && self.used_after(gi, pass)
            })
    }

    /// Numbers the rows of shared memory: the register arrays with a holder there, in order.
    /// Holders of one register array have disjoint lifetimes, so they can share its row too.
    fn assign_shared(&mut self) {
        let touching: Vec<bool> = (0..self.groups.len())
            .map(|gi| self.touches_shared(gi))
            .collect();
        let mut row_of = vec![None; slot_count(&self.groups)];
        let mut next = 0;
        for (s, row) in row_of.iter_mut().enumerate() {
            if self
                .groups
                .iter()
                .zip(&touching)
                .any(|(g, &t)| t && g.slot == s)
            {
                *row = Some(next);
                next += 1;
            }
        }
        for (g, t) in self.groups.iter_mut().zip(touching) {
            g.shared = if t { row_of[g.slot] } else { None };
        }
    }

    /// Whether a pass after `pass` uses group `gi`.
    fn used_after(&self, gi: usize, pass: usize) -> bool {
        self.loops[pass + 1..]
            .iter()
            .any(|(_, _, map)| map.contains(&gi))
    }
}

/// The plan for kernel `k`, if its rows can stay in registers and some row is used by more
/// than one pass.
pub fn plan(
    k: &Kernel,
    elem: &dyn Fn(ArrayId) -> ElemTy,
    written: &dyn Fn(ArrayId) -> bool,
) -> Option<RowPlan> {
    if !k.row_in_block || k.levels.len() != 2 || k.split_phase {
        return None;
    }
    let root = k.body.iter().find_map(|s| match s {
        Stmt::For(l) if l.id == k.root.id => Some(l),
        _ => None,
    })?;
    let thread_level = |l: &For| l.par.is_some() && k.level_of.get(&l.id) == Some(&1);
    // Block-level variables: a row's prefix may not depend on them.
    let mut block_vars: Vec<VarId> = Vec::new();
    let mut loops: Vec<(For, Plan, Vec<usize>)> = Vec::new();
    // Arrays accessed outside the thread-level loops (block-level code).
    let mut outside: Vec<ArrayId> = Vec::new();
    for s in &root.body {
        match s {
            Stmt::For(l) if thread_level(l) => {
                let p = vector::plan(l, elem)?;
                if l.step != 1 {
                    return None;
                }
                if let Some((first, _, _)) = loops.first() {
                    if first.start != l.start || first.stop != l.stop {
                        return None;
                    }
                }
                loops.push((l.clone(), p, Vec::new()));
            }
            Stmt::For(_) | Stmt::While { .. } => return None,
            other => {
                let mut nested_loop = false;
                other.walk(&mut |x| {
                    match x {
                        Stmt::Assign { var, .. } | Stmt::BlockReduce { var, .. } => {
                            block_vars.push(*var)
                        }
                        Stmt::For(_) | Stmt::While { .. } => nested_loop = true,
                        Stmt::Store { array, .. } | Stmt::AtomicCombine { array, .. } => {
                            outside.push(*array)
                        }
                        _ => {}
                    }
                    x.exprs(&mut |e| e.visit_arrays(&mut |a| outside.push(a)));
                });
                if nested_loop {
                    return None;
                }
            }
        }
    }
    if loops.len() < 2 {
        return None;
    }
    // The range is known before the launch.
    let (start, stop) = (&loops[0].0.start, &loops[0].0.stop);
    for e in [start, stop] {
        let mut host = !e.loads();
        e.visit_vars(&mut |v| host &= k.scalars.contains(&v));
        if !host {
            return None;
        }
    }
    let width = loops[0].1.width;
    let mut groups: Vec<RowGroup> = Vec::new();
    for (pass, (_, p, map)) in loops.iter_mut().enumerate() {
        if p.width != width {
            return None;
        }
        for g in &p.groups {
            if g.prefix
                .iter()
                .any(|x| block_vars.iter().any(|v| x.mentions(*v)))
            {
                return None;
            }
            let gi = match groups
                .iter()
                .position(|r| r.array == g.array && r.prefix == g.prefix)
            {
                Some(i) => i,
                None => {
                    groups.push(RowGroup {
                        array: g.array,
                        prefix: g.prefix.clone(),
                        vtype: g.vtype,
                        load_in: g.loaded.then_some(pass),
                        store_in: None,
                        slot: 0,
                        shared: None,
                    });
                    groups.len() - 1
                }
            };
            if g.stored {
                groups[gi].store_in = Some(pass);
            }
            map.push(gi);
        }
    }
    // A written row's array is used only through that row: any other access (another row of
    // it, an element at another index, block-level code) would see the registers' values late.
    for (ri, r) in groups.iter().enumerate() {
        if r.store_in.is_none() && !written(r.array) {
            continue;
        }
        if outside.contains(&r.array) {
            return None;
        }
        for (l, p, map) in &loops {
            // Every access of the row's array is through this row's group.
            let other = vector::body_accesses(&l.body)
                .iter()
                .any(|(_, a, index, _)| {
                    *a == r.array && p.group_of(l.var, *a, index).is_none_or(|gi| map[gi] != ri)
                });
            if other {
                return None;
            }
        }
    }
    // Some row is used by more than one pass; otherwise there is nothing to keep.
    let reused = groups
        .iter()
        .enumerate()
        .any(|(gi, _)| loops.iter().filter(|(_, _, map)| map.contains(&gi)).count() > 1);
    if !reused {
        return None;
    }
    assign_slots(&mut groups, &loops);
    let bytes = match width {
        4 => 4,
        _ => 8,
    };
    // Registers: about 32 vectors' worth of 4-byte rows per thread, half for 8-byte ones
    // (their arithmetic is slower too, and wants more threads).
    let slots = slot_count(&groups);
    let mut max_k: usize = if bytes == 4 { 8 } else { 4 };
    while max_k > 1 && slots * max_k > 16 {
        max_k /= 2;
    }
    let mut rp = RowPlan {
        width,
        loops,
        groups,
        max_k,
    };
    rp.assign_shared();
    // A row used by two passes is loaded in its first or written there for the second.
    debug_assert!(rp.shared_slots() > 0, "a reused row is in shared memory");
    Some(rp)
}

/// The register arrays the groups use.
fn slot_count(groups: &[RowGroup]) -> usize {
    groups.iter().map(|g| g.slot + 1).max().unwrap_or(0)
}

/// Gives each row group a register array, sharing one between a row whose last use is a pass
/// and a row that pass writes first, after its last read of the first row in the body's order
/// (each lane reads the old row's lane before writing the new row's).
fn assign_slots(groups: &mut [RowGroup], loops: &[(For, Plan, Vec<usize>)]) {
    let passes_of = |gi: usize| -> Vec<usize> {
        loops
            .iter()
            .enumerate()
            .filter(|(_, (_, _, map))| map.contains(&gi))
            .map(|(p, _)| p)
            .collect()
    };
    // Statement indices of a group's reads and writes in one pass.
    let accesses = |gi: usize, pass: usize| -> (Vec<usize>, Vec<usize>) {
        let (l, plan, map) = &loops[pass];
        let (mut reads, mut writes) = (Vec::new(), Vec::new());
        for (si, a, index, is_store) in vector::body_accesses(&l.body) {
            if plan.group_of(l.var, a, index).is_some_and(|g| map[g] == gi) {
                if is_store {
                    writes.push(si);
                } else {
                    reads.push(si);
                }
            }
        }
        (reads, writes)
    };
    let mut free_after: Vec<(usize, usize)> = Vec::new(); // (slot, last pass of its holder)
    let mut next = 0;
    for gi in 0..groups.len() {
        let passes = passes_of(gi);
        let (first, last) = (passes[0], passes[passes.len() - 1]);
        let mut chosen = None;
        if groups[gi].load_in.is_none() {
            let (_, writes) = accesses(gi, first);
            for (k, &(slot, holder_last)) in free_after.iter().enumerate() {
                let holder = groups[..gi]
                    .iter()
                    .rposition(|g| g.slot == slot)
                    .expect("a slot has a holder");
                if holder_last != first
                    || groups[holder].vtype != groups[gi].vtype
                    || groups[holder].store_in == Some(first)
                {
                    continue;
                }
                let (reads, hw) = accesses(holder, first);
                let first_write = writes.iter().min().copied().unwrap_or(usize::MAX);
                let done = reads.iter().chain(&hw).all(|&r| r <= first_write)
                    && hw.iter().all(|&w| w < first_write);
                if done {
                    chosen = Some((k, slot));
                    break;
                }
            }
        }
        let slot = match chosen {
            Some((k, slot)) => {
                free_after.remove(k);
                slot
            }
            None => {
                next += 1;
                next - 1
            }
        };
        groups[gi].slot = slot;
        free_after.push((slot, last));
    }
}

impl super::FunctionWriter<'_> {
    /// Pass `pass` of a row plan: each thread's `PARPYC_K` vectors of the row, loading the
    /// rows this pass reads first and storing those it writes last; with `shared`, the
    /// shared-memory form's pass (see the module's text).
    pub(super) fn rows_loop(
        &self,
        out: &mut String,
        rp: &RowPlan,
        pass: usize,
        (tid, count): (&str, &str),
        level: usize,
        shared: bool,
    ) {
        use crate::back::Level;
        use std::fmt::Write;
        let (l, plan, map) = &rp.loops[pass];
        let ind = Level(level);
        let ind1 = Level(level + 1);
        let ind2 = Level(level + 2);
        let ind3 = Level(level + 3);
        let width = rp.width;
        let jt = super::ctype(self.func().vars[l.var.0 as usize].ty);
        let _ = writeln!(out, "{ind}{{");
        let _ = writeln!(out, "{ind1}const {jt} parpyc_lo = {};", self.expr(&l.start));
        let _ = writeln!(
            out,
            "{ind1}const {jt} parpyc_nv = ({} - parpyc_lo) / {width};",
            self.expr(&l.stop)
        );
        // Each row's vectors from one base pointer per row, so that the K addresses are one
        // register and constant offsets.
        let load = |gi: usize| rp.groups[map[gi]].load_in == Some(pass);
        let store = |gi: usize| plan.groups[gi].stored && rp.groups[map[gi]].store_in == Some(pass);
        for (gi, g) in plan.groups.iter().enumerate() {
            if load(gi) || store(gi) {
                let konst = if store(gi) { "" } else { "const " };
                let vt = g.vtype;
                let _ = writeln!(
                    out,
                    "{ind1}{konst}{vt}* const parpyc_p{gi} = ({konst}{vt}*){};",
                    self.row_addr(l, g.array, &g.prefix, "parpyc_lo")
                );
            }
        }
        if shared {
            self.shared_pass(out, rp, pass, tid, level);
            let _ = writeln!(out, "{ind}}}");
            return;
        }
        let name = |gi: usize| format!("parpyc_r{}[parpyc_k]", rp.groups[map[gi]].slot);
        let _ = writeln!(out, "#pragma unroll");
        let _ = writeln!(
            out,
            "{ind1}for (int parpyc_k = 0; parpyc_k < PARPYC_K; parpyc_k++) {{"
        );
        let _ = writeln!(
            out,
            "{ind2}const {jt} parpyc_q = {tid} + parpyc_k * {count};"
        );
        let _ = writeln!(out, "{ind2}if (parpyc_q < parpyc_nv) {{");
        let addr = |gi: usize| format!("&parpyc_p{gi}[parpyc_q]");
        let mut step = String::new();
        self.step_with(
            &mut step,
            l,
            plan,
            ind3,
            &super::vector_loop::StepRegs {
                name: &name,
                load: &load,
                store: &store,
                declare: false,
                addr: Some(&addr),
                stream: &|_| false,
            },
        );
        // A pass whose rows all stay in registers may not need the element's index.
        if step.contains("parpyc_j") {
            let _ = writeln!(
                out,
                "{ind3}const {jt} parpyc_j = parpyc_lo + parpyc_q * {width};"
            );
        }
        out.push_str(&step);
        let _ = writeln!(out, "{ind2}}}");
        let _ = writeln!(out, "{ind1}}}");
        let _ = writeln!(out, "{ind}}}");
    }

    /// The body of a pass of the shared-memory form, after its rows' base pointers: the copies
    /// of the rows it loads into shared memory, then its steps over the thread's vectors.
    fn shared_pass(&self, out: &mut String, rp: &RowPlan, pass: usize, tid: &str, level: usize) {
        use crate::back::Level;
        use std::fmt::Write;
        let (l, plan, map) = &rp.loops[pass];
        let ind1 = Level(level + 1);
        let ind2 = Level(level + 2);
        let jt = super::ctype(self.func().vars[l.var.0 as usize].ty);
        // A group's row of shared memory, where the pass copies it in, reads or writes it back
        // (only groups with one do that; see `RowPlan::touches_shared`).
        let slot = |gi: usize| {
            rp.groups[map[gi]]
                .shared
                .expect("a row copied in, read or written back is in shared memory")
        };
        let mut slots: Vec<usize> = (0..plan.groups.len())
            .filter_map(|gi| rp.groups[map[gi]].shared)
            .collect();
        slots.sort_unstable();
        slots.dedup();
        for s in &slots {
            let gi = (0..plan.groups.len())
                .find(|&gi| rp.groups[map[gi]].shared == Some(*s))
                .expect("a slot of this pass");
            let _ = writeln!(
                out,
                "{ind1}{vt}* const parpyc_s{s} = ({vt}*)(parpyc_stage + (size_t){s} * parpyc_nv * 16);",
                vt = plan.groups[gi].vtype
            );
        }
        let loads: Vec<usize> = (0..plan.groups.len())
            .filter(|&gi| rp.groups[map[gi]].load_in == Some(pass))
            .collect();
        // The block is the row's threads: PARPYC_SHARED_BLOCK, a constant of the form.
        let each = format!(
            "for ({jt} parpyc_q = {tid}; parpyc_q < parpyc_nv; parpyc_q += PARPYC_SHARED_BLOCK) {{"
        );
        if !loads.is_empty() {
            let _ = writeln!(out, "{ind1}{each}");
            for &gi in &loads {
                let _ = writeln!(
                    out,
                    "{ind2}__pipeline_memcpy_async(&parpyc_s{}[parpyc_q], &parpyc_p{gi}[parpyc_q], 16);",
                    slot(gi)
                );
            }
            let _ = writeln!(out, "{ind1}}}");
            let _ = writeln!(out, "{ind1}__pipeline_commit();");
            let _ = writeln!(out, "{ind1}__pipeline_wait_prior(0);");
        }
        let _ = writeln!(out, "{ind1}{each}");
        let name = |gi: usize| format!("parpyc_v{gi}");
        let mut step = String::new();
        // Rows read before this step writes them come from shared memory.
        for (gi, g) in plan.groups.iter().enumerate() {
            if g.loaded {
                let _ = writeln!(
                    step,
                    "{ind2}{}{} parpyc_v{gi} = parpyc_s{}[parpyc_q];",
                    if g.stored { "" } else { "const " },
                    g.vtype,
                    slot(gi)
                );
            } else {
                let _ = writeln!(step, "{ind2}{} parpyc_v{gi};", g.vtype);
            }
        }
        let never = |_: usize| false;
        self.step_lanes(
            &mut step,
            l,
            plan,
            ind2,
            &super::vector_loop::StepRegs {
                name: &name,
                load: &never,
                store: &never,
                declare: false,
                addr: None,
                stream: &never,
            },
            "parpyc_j",
        );
        for (gi, g) in plan.groups.iter().enumerate().filter(|(_, g)| g.stored) {
            if rp.used_after(map[gi], pass) {
                let _ = writeln!(step, "{ind2}parpyc_s{}[parpyc_q] = parpyc_v{gi};", slot(gi));
            }
            if rp.groups[map[gi]].store_in == Some(pass) {
                let _ = writeln!(
                    step,
                    "{ind2}__stwb(({}*)&parpyc_p{gi}[parpyc_q], parpyc_v{gi});",
                    g.vtype
                );
            }
        }
        if step.contains("parpyc_j") {
            let _ = writeln!(
                out,
                "{ind2}const {jt} parpyc_j = parpyc_lo + parpyc_q * {};",
                rp.width
            );
        }
        out.push_str(&step);
        let _ = writeln!(out, "{ind1}}}");
    }
}
