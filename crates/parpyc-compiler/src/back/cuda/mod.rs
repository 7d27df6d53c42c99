//! The CUDA back end: one standalone `.cu` file per module, holding a small prelude of helpers,
//! the kernels, one `extern "C"` entry point per exported function (the host program, which
//! launches the kernels on the caller's stream), and the allocation, copy and error functions
//! the Python module and the Rust runtime call.

mod bounds;
mod expr;
mod keywords;
mod rows;
mod vector;
mod vector_loop;

use std::collections::HashMap;
use std::fmt::Write;

use super::namer::Namer;
use super::Level;
use crate::ir::{self, ArrayId, Dim, Expr, Stmt, VarId};
use crate::passes::split::Step;
use crate::passes::{HostStmt, Kernel, Mapped};
pub use expr::ctype;
use expr::{float_lit, int_lit, ExprPrinter};

const PRELUDE: &str = include_str!("prelude.cuh");
const CLUSTER_PRELUDE: &str = include_str!("clusters.cuh");
const SHARED_PRELUDE: &str = include_str!("shared.cuh");

/// Module-wide choices of the spec's options.
pub struct Options {
    /// `use_cuda_graphs`: each call captures its launches into a CUDA graph and launches that.
    pub graphs: bool,
    /// `use_cuda_thread_block_clusters`.
    pub clusters: bool,
    /// `max_thread_blocks_per_cluster`: bounds the clusters of that option, and also those
    /// that rows too long for one block run in, with the option on or off.
    pub cluster_blocks: i64,
}

/// Separates the fixed prelude from the program's own code in a generated file.
pub const KERNELS_MARKER: &str = "\n// ---- The program's kernels and entry points. ----\n";

/// Writes the `.cu` file of a module whose exported symbols start with `prefix`.
pub fn write_string(
    prefix: &str,
    header_comment: &str,
    funcs: &[Mapped],
    opts: &Options,
) -> String {
    let mut globals = Namer::new(keywords::RESERVED);
    for f in funcs {
        globals.reserve(&format!("{prefix}_{}", f.func.name));
    }
    let mut writers: Vec<FunctionWriter> = funcs
        .iter()
        .map(|f| FunctionWriter::new(prefix, f, &mut globals, opts))
        .collect();
    let mut out = String::new();
    let _ = writeln!(out, "{header_comment}");
    out.push_str(&PRELUDE.replace("PREFIX", prefix));
    if writers
        .iter()
        .any(|w| w.forms.iter().any(|f| f.is_cluster()))
    {
        out.push_str(CLUSTER_PRELUDE);
    }
    if writers
        .iter()
        .any(|w| w.forms.iter().any(|f| matches!(f, Form::RowsShared(_))))
    {
        out.push_str(SHARED_PRELUDE);
    }
    out.push_str(KERNELS_MARKER);
    // Headers of external functions.
    let mut headers: Vec<&String> = Vec::new();
    for f in funcs {
        for h in &f.func.headers {
            if !headers.contains(&h) {
                headers.push(h);
            }
        }
    }
    for h in &headers {
        if h.starts_with('<') || h.starts_with('"') {
            let _ = writeln!(out, "#include {h}");
        } else {
            let _ = writeln!(out, "#include \"{h}\"");
        }
    }
    for w in &mut writers {
        w.write(&mut out);
    }
    out
}

/// Whether a kernel has a form for thread-block clusters (with the option on): its rows meet at
/// barriers, and its thread count may want more than one block.
fn clusters_apply(k: &Kernel) -> bool {
    k.row_in_block
        && !matches!(k.levels.last().map(|e| &e.kind), Some(ir::ExprKind::Int(n)) if *n <= k.tpb)
}

/// Identifiers of the generated host and kernel code that no program name may take.
const FIXED_NAMES: [&str; 29] = [
    "rows_done",
    "rows_limit",
    "rows_lo",
    "rows_extent",
    "rows_nv",
    "rows_k",
    "rows_threads",
    "rows_block",
    "rows_blocks",
    "rows_kernel",
    "rows_shared",
    "rows_stage",
    "rows_choice",
    "config",
    "cluster",
    "cluster_limit",
    "cluster_blocks",
    "large_clusters",
    "cache",
    "block",
    "blocks_per_row",
    "block_limit",
    "grid",
    "err",
    "cuda_stream",
    "stream",
    "row_threads",
    "slots",
    "split_limit",
];

/// The C identifiers of an exported function's parameters and symbols, in ABI order: Python
/// names where C allows them. The `.cu` file and the header both use these.
pub fn abi_names(f: &ir::Function) -> Vec<String> {
    let mut namer = Namer::new(keywords::RESERVED);
    for fixed in FIXED_NAMES {
        namer.reserve(fixed);
    }
    let mut names = Vec::new();
    for p in &f.params {
        let n = match p {
            ir::Param::Array(a) => f.arrays[a.0 as usize].name.clone(),
            // f16 scalars travel as their bits; the entry point converts them.
            ir::Param::Scalar(v) if f.vars[v.0 as usize].ty == crate::types::ElemTy::F16 => {
                format!("{}_bits", f.vars[v.0 as usize].name)
            }
            ir::Param::Scalar(v) => f.vars[v.0 as usize].name.clone(),
        };
        names.push(namer.name(&n));
    }
    for s in &f.symbols {
        names.push(namer.name(&f.vars[s.0 as usize].name));
    }
    names
}

/// The C signature of an exported function's entry point, shared with the header.
pub fn entry_signature(prefix: &str, f: &ir::Function) -> String {
    let names = abi_names(f);
    let mut params = Vec::new();
    for (p, name) in f.params.iter().zip(&names) {
        match p {
            ir::Param::Array(a) => {
                let info = &f.arrays[a.0 as usize];
                let konst = if info.written { "" } else { "const " };
                params.push(format!("{konst}{}* {name}", c_abi_type(info.elem)));
            }
            ir::Param::Scalar(v) => {
                let info = &f.vars[v.0 as usize];
                params.push(format!("{} {name}", c_abi_type(info.ty)));
            }
        }
    }
    for name in &names[f.params.len()..] {
        params.push(format!("int64_t {name}"));
    }
    params.push("void* stream".to_string());
    format!("int32_t {prefix}_{}({})", f.name, params.join(", "))
}

/// Types as the C ABI spells them (f16 travels as its bits).
pub fn c_abi_type(t: crate::types::ElemTy) -> &'static str {
    match t {
        crate::types::ElemTy::F16 => "uint16_t",
        t => ctype(t),
    }
}

/// What a kernel of [`FunctionWriter::all`] is: a mapped kernel, or another form of mapped
/// kernel `ki`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    Mapped,
    /// Phase `n` (from 1) of its split form.
    Phase(usize, usize),
    /// Its rows over a thread-block cluster.
    Cluster(usize),
    /// Its rows in registers, one block per row.
    Rows(usize),
    /// Its rows in registers, over a cluster.
    RowsCluster(usize),
    /// Its rows in shared memory, one block per row (see [`rows`]).
    RowsShared(usize),
}

impl Form {
    /// Whether the form's barriers and reductions span a thread-block cluster.
    fn is_cluster(self) -> bool {
        matches!(self, Form::Cluster(_) | Form::RowsCluster(_))
    }
}

struct FunctionWriter<'a> {
    prefix: &'a str,
    m: &'a Mapped,
    /// Every kernel: the mapped ones, then the phases of each split one.
    all: Vec<&'a Kernel>,
    /// Per mapped kernel with a split form: the index in `all` of its first phase.
    phase_base: Vec<Option<usize>>,
    /// Per mapped kernel with a cluster form: its index in `all`.
    cluster_of: Vec<Option<usize>>,
    /// Per kernel of `all`: which form it is.
    forms: Vec<Form>,
    /// `max_thread_blocks_per_cluster`, where clusters are on.
    /// `max_thread_blocks_per_cluster` where `use_cuda_thread_block_clusters` is on.
    max_cluster: Option<i64>,
    /// `max_thread_blocks_per_cluster`, on or off.
    cluster_blocks: i64,
    /// Per mapped kernel with a form that keeps its rows in registers: its index in `all`.
    rows_of: Vec<Option<usize>>,
    /// Per mapped kernel: its plan for keeping rows in registers, if it has one.
    row_plans: Vec<Option<rows::RowPlan>>,
    vars: Vec<String>,
    arrays: Vec<String>,
    kernel_names: Vec<String>,
    /// Per kernel: the identifiers of each level's thread index and thread count.
    level_names: Vec<Vec<(String, String)>>,
    /// f16 scalar parameters: the variable and the parameter holding its bits.
    half_params: Vec<(VarId, String)>,
    /// With CUDA graphs: the name of the function holding the host program.
    graph_host: Option<String>,
    /// Per variable: what is known of its magnitude (see `bounds`).
    bounds: Vec<Option<u32>>,
}

impl<'a> FunctionWriter<'a> {
    fn new(
        prefix: &'a str,
        m: &'a Mapped,
        globals: &mut Namer,
        opts: &Options,
    ) -> FunctionWriter<'a> {
        let f = &m.func;
        let mut namer = Namer::new(keywords::RESERVED);
        for fixed in FIXED_NAMES {
            namer.reserve(fixed);
        }
        // Parameters keep their ABI names (shared with the header).
        let mut vars = vec![String::new(); f.vars.len()];
        let mut arrays = vec![String::new(); f.arrays.len()];
        let abi = abi_names(f);
        for n in &abi {
            namer.reserve(n);
        }
        let mut half_params = Vec::new();
        for (p, n) in f.params.iter().zip(&abi) {
            match p {
                ir::Param::Array(a) => arrays[a.0 as usize] = n.clone(),
                ir::Param::Scalar(v) if f.vars[v.0 as usize].ty == crate::types::ElemTy::F16 => {
                    half_params.push((*v, n.clone()));
                }
                ir::Param::Scalar(v) => vars[v.0 as usize] = n.clone(),
            }
        }
        for (v, _) in &half_params {
            vars[v.0 as usize] = namer.name(&f.vars[v.0 as usize].name);
        }
        for (s, n) in f.symbols.iter().zip(&abi[f.params.len()..]) {
            vars[s.0 as usize] = n.clone();
        }
        for (i, v) in f.vars.iter().enumerate() {
            if vars[i].is_empty() && !v.scoped {
                vars[i] = namer.name(&v.name);
            }
        }
        // Compiler loop variables are declared in their loops: siblings may share a name.
        let mut scoped_names = Vec::new();
        for (i, v) in f.vars.iter().enumerate() {
            if v.scoped {
                vars[i] = if namer.is_free(&v.name) {
                    v.name.clone()
                } else {
                    namer.name(&v.name)
                };
                scoped_names.push(vars[i].clone());
            }
        }
        for n in &scoped_names {
            namer.reserve(n);
        }
        for (i, a) in f.arrays.iter().enumerate() {
            if a.temp {
                arrays[i] = namer.name(&a.name);
            }
        }
        let mut all: Vec<&Kernel> = m.kernels.iter().collect();
        let mut phase_base = Vec::new();
        let mut forms: Vec<Form> = vec![Form::Mapped; m.kernels.len()];
        for (ki, k) in m.kernels.iter().enumerate() {
            match &k.split {
                Some(sp) => {
                    phase_base.push(Some(all.len()));
                    for (n, pk) in sp.kernels.iter().enumerate() {
                        all.push(pk);
                        forms.push(Form::Phase(ki, n + 1));
                    }
                }
                None => phase_base.push(None),
            }
        }
        let mut cluster_of = vec![None; m.kernels.len()];
        if opts.clusters {
            for (ki, k) in m.kernels.iter().enumerate() {
                if clusters_apply(k) {
                    cluster_of[ki] = Some(all.len());
                    all.push(k);
                    forms.push(Form::Cluster(ki));
                }
            }
        }
        // The rows-in-registers forms: one block per row, then a row over a cluster, then the
        // rows in shared memory; all print from the mapped kernel's plan.
        let mut rows_of = vec![None; m.kernels.len()];
        let mut row_plans: Vec<Option<rows::RowPlan>> = Vec::new();
        for (ki, k) in m.kernels.iter().enumerate() {
            let elem = |a: ArrayId| f.arrays[a.0 as usize].elem;
            let written = |a: ArrayId| f.arrays[a.0 as usize].written;
            row_plans.push(rows::plan(k, &elem, &written));
            if row_plans[ki].is_some() {
                rows_of[ki] = Some(all.len());
                all.extend([k, k, k]);
                forms.extend([Form::Rows(ki), Form::RowsCluster(ki), Form::RowsShared(ki)]);
            }
        }
        let mut kernel_names: Vec<String> = Vec::new();
        let mut level_names = Vec::new();
        for (fi, k) in all.iter().enumerate() {
            let label = k
                .root
                .par
                .as_ref()
                .map(|p| p.label.as_str())
                .unwrap_or("par");
            let name = match forms[fi] {
                Form::Mapped => globals.name(&format!("{}_{}_{}", prefix, f.name, label)),
                Form::Phase(ki, n) => globals.name(&format!("{}_{n}", kernel_names[ki])),
                Form::Cluster(ki) => globals.name(&format!("{}_cluster", kernel_names[ki])),
                Form::Rows(ki) => globals.name(&format!("{}_rows", kernel_names[ki])),
                Form::RowsCluster(ki) => {
                    globals.name(&format!("{}_rows_cluster", kernel_names[ki]))
                }
                Form::RowsShared(ki) => globals.name(&format!("{}_rows_shared", kernel_names[ki])),
            };
            kernel_names.push(name);
            let mut names = Vec::new();
            let mut loops: HashMap<usize, String> = HashMap::new();
            Stmt::For(k.root.clone()).walk(&mut |s| {
                if let Stmt::For(l) = s {
                    if let (Some(p), Some(d)) = (&l.par, k.level_of.get(&l.id)) {
                        loops.entry(*d).or_insert_with(|| p.label.clone());
                    }
                }
            });
            for d in 0..k.levels.len() {
                let label = loops.get(&d).cloned().unwrap_or_else(|| d.to_string());
                names.push((
                    namer.name(&format!("tid_{label}")),
                    namer.name(&format!("threads_{label}")),
                ));
            }
            level_names.push(names);
        }
        let graph_host = opts
            .graphs
            .then(|| globals.name(&format!("{}_{}_host", prefix, f.name)));
        let bodies: Vec<&[Stmt]> = all.iter().map(|k| k.body.as_slice()).collect();
        let bounds = bounds::var_bounds(m, &bodies);
        FunctionWriter {
            prefix,
            m,
            all,
            phase_base,
            cluster_of,
            forms,
            max_cluster: opts.clusters.then_some(opts.cluster_blocks),
            cluster_blocks: opts.cluster_blocks,
            rows_of,
            row_plans,
            vars,
            arrays,
            kernel_names,
            level_names,
            half_params,
            graph_host,
            bounds,
        }
    }

    fn func(&self) -> &ir::Function {
        &self.m.func
    }

    fn printer<R>(&self, f: impl FnOnce(&ExprPrinter) -> R) -> R {
        let var = |v: VarId| self.vars[v.0 as usize].clone();
        let load = |p: &ExprPrinter, a: ArrayId, index: &[Expr]| {
            format!(
                "{}[{}]",
                self.arrays[a.0 as usize],
                self.flat_index(p, a, index)
            )
        };
        let array = |a: ArrayId| self.arrays[a.0 as usize].clone();
        let bound = |v: VarId| self.bounds[v.0 as usize];
        let p = ExprPrinter {
            var: &var,
            array: &array,
            load: &load,
            bound: &bound,
        };
        f(&p)
    }

    /// A level's thread count from the spec, on the host: at least 1, whatever the arguments
    /// make of it (`threads = "N - 5"` for `range(N - 5)` is negative where the loop runs no
    /// iteration), so that a level with no threads still runs the code around its loops, and
    /// a thread takes every iteration where the count leaves none.
    fn level_count(&self, t: &Expr) -> String {
        match t.kind {
            ir::ExprKind::Int(_) => self.expr(t),
            _ => format!("parpyc_max<int64_t>({}, 1)", self.expr(t)),
        }
    }

    fn expr(&self, e: &Expr) -> String {
        self.printer(|p| p.expr(e))
    }

    /// Row-major offset of an element: `(i * M + j) * K + k`.
    fn flat_index(&self, p: &ExprPrinter, a: ArrayId, index: &[Expr]) -> String {
        let info = &self.func().arrays[a.0 as usize];
        if index.is_empty() {
            return "0".to_string();
        }
        let mut acc = p.index(&index[0]);
        for (k, ix) in index.iter().enumerate().skip(1) {
            let dim = match info.dims[k] {
                Dim::Const(n) => n.to_string(),
                Dim::Var(v) => self.vars[v.0 as usize].clone(),
            };
            let prev = if k == 1 && !needs_parens(&index[0]) {
                acc
            } else {
                format!("({acc})")
            };
            let cur = p.index(ix);
            let cur = if needs_parens(ix) {
                format!("({cur})")
            } else {
                cur
            };
            acc = format!("{prev} * {dim} + {cur}");
        }
        acc
    }

    fn write(&mut self, out: &mut String) {
        for (i, k) in self.all.iter().enumerate() {
            self.kernel(out, i, k);
        }
        self.entry(out);
    }

    fn kernel_params(&self, k: &Kernel, kidx: usize) -> Vec<(String, String)> {
        let f = self.func();
        let mut params = Vec::new();
        for a in &k.arrays {
            let info = &f.arrays[a.0 as usize];
            let konst = if info.written { "" } else { "const " };
            params.push((
                format!("{konst}{}*", ctype(info.elem)),
                self.arrays[a.0 as usize].clone(),
            ));
        }
        for v in &k.scalars {
            params.push((
                ctype(f.vars[v.0 as usize].ty).to_string(),
                self.vars[v.0 as usize].clone(),
            ));
        }
        for (_, count) in &self.level_names[kidx] {
            params.push(("int64_t".to_string(), count.clone()));
        }
        params
    }

    fn kernel(&self, out: &mut String, kidx: usize, k: &Kernel) {
        let f = self.func();
        let params = self.kernel_params(k, kidx);
        let plist: Vec<String> = params.iter().map(|(t, n)| format!("{t} {n}")).collect();
        let template = if matches!(self.forms[kidx], Form::RowsShared(_)) {
            // Blocks of PARPYC_SHARED_BLOCK threads (see shared.cuh), built for three to a
            // multiprocessor (at most 85 registers each); the launch's occupancy query says how
            // many fit.
            "\n// Each block's row in shared memory.\n__launch_bounds__(PARPYC_SHARED_BLOCK, 3)"
        } else if matches!(self.forms[kidx], Form::RowsCluster(_)) {
            // Blocks of PARPYC_BLOCK threads (256 or 512, the launch's choice), 1024 threads to a
            // multiprocessor: at most 64 registers each, so that a cluster's blocks share their
            // multiprocessors with others.
            "\n// Vectors of each row per thread: PARPYC_K; threads per block: PARPYC_BLOCK.\ntemplate <int PARPYC_K, int PARPYC_BLOCK>\n__launch_bounds__(PARPYC_BLOCK, 1024 / PARPYC_BLOCK)"
        } else if self.row_plan(kidx).is_some() {
            "\n// Vectors of each row per thread: PARPYC_K.\ntemplate <int PARPYC_K>"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{template}\n__global__ void {}({}) {{",
            self.kernel_names[kidx],
            plist.join(", ")
        );
        let l1 = Level(1);
        let names = &self.level_names[kidx];
        let depth = k.levels.len();
        let (tid, count) = &names[depth - 1];
        if depth == 1 {
            let _ = writeln!(
                out,
                "{l1}const int64_t {tid} = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;"
            );
        } else if self.one_block_rows(k, kidx) {
            // Each row in one block: its threads are the block's, and the block is the row.
            let _ = writeln!(out, "{l1}const int64_t {tid} = threadIdx.x;");
            if depth == 2 {
                let _ = writeln!(out, "{l1}const int64_t {} = blockIdx.x;", names[0].0);
            } else {
                let _ = writeln!(out, "{l1}int64_t block = blockIdx.x;");
                for d in (0..depth - 1).rev() {
                    let (t, c) = &names[d];
                    if d == 0 {
                        let _ = writeln!(out, "{l1}const int64_t {t} = block;");
                    } else {
                        let _ = writeln!(out, "{l1}const int64_t {t} = block % {c};");
                        let _ = writeln!(out, "{l1}block /= {c};");
                    }
                }
            }
        } else {
            // Block indices and block sizes fit 32 bits, whose division is much cheaper.
            let cluster_rows = matches!(self.forms[kidx], Form::RowsCluster(_));
            let bdim = if cluster_rows {
                "PARPYC_BLOCK"
            } else {
                "blockDim.x"
            };
            let _ = writeln!(out, "{l1}int64_t block = blockIdx.x;");
            let _ = writeln!(
                out,
                "{l1}const int64_t blocks_per_row = (unsigned)(({count} + {bdim} - 1) / {bdim});"
            );
            let _ = writeln!(
                out,
                "{l1}const int64_t {tid} = (int64_t)((unsigned)block % (unsigned)blocks_per_row) * {bdim} + threadIdx.x;"
            );
            if cluster_rows {
                // The row's vectors in runs of PARPYC_K * PARPYC_BLOCK, one to a block, its
                // threads PARPYC_BLOCK apart (constant offsets from one address).
                let _ = writeln!(
                    out,
                    "{l1}const int64_t parpyc_t = ({tid} - threadIdx.x) * PARPYC_K + threadIdx.x;"
                );
            }
            let _ = writeln!(
                out,
                "{l1}block = (unsigned)block / (unsigned)blocks_per_row;"
            );
            for d in (0..depth - 1).rev() {
                let (t, c) = &names[d];
                if d == 0 {
                    let _ = writeln!(out, "{l1}const int64_t {t} = block;");
                } else {
                    let _ = writeln!(out, "{l1}const int64_t {t} = block % {c};");
                    let _ = writeln!(out, "{l1}block /= {c};");
                }
            }
        }
        for v in k.locals.iter().filter(|v| !f.vars[v.0 as usize].scoped) {
            let ty = f.vars[v.0 as usize].ty;
            let _ = writeln!(
                out,
                "{l1}{} {} = {};",
                ctype(ty),
                self.vars[v.0 as usize],
                zero(ty)
            );
        }
        if self.forms[kidx].is_cluster() && k.body.iter().any(has_reduce) {
            // The cluster's blocks ready their reductions' barriers (clusters.cuh).
            let _ = writeln!(
                out,
                "{l1}unsigned parpyc_reductions = parpyc_cluster_begin();"
            );
        }
        if matches!(self.forms[kidx], Form::RowsShared(_)) {
            let _ = writeln!(
                out,
                "{l1}extern __shared__ __align__(16) unsigned char parpyc_stage[];"
            );
        } else if let Some(plan) = self.row_plan(kidx) {
            let mut declared = Vec::new();
            for r in &plan.groups {
                if !declared.contains(&r.slot) {
                    declared.push(r.slot);
                    let _ = writeln!(out, "{l1}{} parpyc_r{}[PARPYC_K];", r.vtype, r.slot);
                }
            }
        }
        self.device_block(out, &k.body, 1, k, kidx);
        out.push_str("}\n");
    }

    /// The shared-memory form of the rows form `fi` of `all` (it follows the rows form and its
    /// cluster form).
    fn shared_form(&self, fi: usize) -> usize {
        match (self.forms[fi], self.forms.get(fi + 2)) {
            (Form::Rows(ki), Some(Form::RowsShared(kj))) if ki == *kj => fi + 2,
            _ => unreachable!("a rows form is followed by its cluster and shared forms"),
        }
    }

    /// The row plan kernel `fi` of `all` prints with, if it is a rows-in-registers form.
    fn row_plan(&self, fi: usize) -> Option<&rows::RowPlan> {
        match self.forms[fi] {
            Form::Rows(ki) | Form::RowsCluster(ki) | Form::RowsShared(ki) => {
                self.row_plans[ki].as_ref()
            }
            _ => None,
        }
    }

    /// Whether every row of kernel `kidx` of `all` runs in one block (its blocks per row is 1).
    fn one_block_rows(&self, k: &Kernel, kidx: usize) -> bool {
        if self.forms[kidx].is_cluster() || k.split_phase || k.levels.len() < 2 {
            return false;
        }
        k.row_in_block
            || matches!(k.levels[k.levels.len() - 1].kind, ir::ExprKind::Int(n) if n <= k.tpb)
    }

    fn device_block(
        &self,
        out: &mut String,
        stmts: &[Stmt],
        level: usize,
        k: &Kernel,
        kidx: usize,
    ) {
        for s in stmts {
            self.device_stmt(out, s, level, k, kidx);
        }
    }

    fn device_stmt(&self, out: &mut String, s: &Stmt, level: usize, k: &Kernel, kidx: usize) {
        let ind = Level(level);
        match s {
            Stmt::Assign { var, value, .. } => {
                let _ = writeln!(
                    out,
                    "{ind}{} = {};",
                    self.vars[var.0 as usize],
                    self.expr(value)
                );
            }
            Stmt::Store {
                array,
                index,
                value,
                ..
            } => {
                let lhs = self.printer(|p| {
                    format!(
                        "{}[{}]",
                        self.arrays[array.0 as usize],
                        self.flat_index(p, *array, index)
                    )
                });
                let _ = writeln!(out, "{ind}{lhs} = {};", self.expr(value));
            }
            Stmt::For(l) => {
                // A pass of the kernel's row plan, if the loop is one.
                let pass = self
                    .row_plan(kidx)
                    .and_then(|rp| rp.pass_of(l).map(|p| (rp, p)));
                let v = &self.vars[l.var.0 as usize];
                let start = self.expr(&l.start);
                let stop = self.expr(&l.stop);
                let cmp = if l.step > 0 { "<" } else { ">" };
                let mut guard = String::new();
                let (init, incr) = match (&l.par, k.level_of.get(&l.id)) {
                    (Some(_), Some(d)) => {
                        let (tid, count) = &self.level_names[kidx][*d];
                        let offset = if l.step == 1 {
                            tid.clone()
                        } else {
                            format!("{tid} * {}", l.step)
                        };
                        let init = if l.start.kind == ir::ExprKind::Int(0) {
                            offset
                        } else {
                            format!("{} + {offset}", paren(&start))
                        };
                        let incr = if l.step == 1 {
                            format!("{v} += {count}")
                        } else {
                            format!("{v} += {count} * {}", l.step)
                        };
                        // Blocks hold a multiple of 32 threads: those past the thread count
                        // take no iterations.
                        // A constant count that fills its blocks exactly needs no guard.
                        let exact = match k.levels[*d].kind {
                            ir::ExprKind::Int(n) => n % 32 == 0 && (n <= k.tpb || n % k.tpb == 0),
                            _ => false,
                        };
                        // A split kernel's blocks may hold more threads than its rows use.
                        // The rows-over-a-cluster form's launch gives each row exactly its
                        // blocks' threads, and its passes cover the row by their vectors'
                        // bounds alone (a guard there costs the loads' overlap).
                        let cluster_pass =
                            pass.is_some() && matches!(self.forms[kidx], Form::RowsCluster(_));
                        if *d + 1 == k.levels.len()
                            && !cluster_pass
                            && (!exact || k.split_phase || self.forms[kidx].is_cluster())
                        {
                            guard = format!("{tid} < {count}");
                        }
                        (init, incr)
                    }
                    _ => (start, step_incr(v, l.step)),
                };
                let info = &self.func().vars[l.var.0 as usize];
                let decl = if info.scoped {
                    format!("{} ", ctype(info.ty))
                } else {
                    String::new()
                };
                // The guard stays outside the loop, whose condition is then the plain bound.
                let (lind, blevel) = if guard.is_empty() {
                    (ind, level + 1)
                } else {
                    let _ = writeln!(out, "{ind}if ({guard}) {{");
                    (Level(level + 1), level + 2)
                };
                let plan = match k.level_of.get(&l.id) {
                    Some(d) if l.par.is_some() && self.vectorizes(k, *d) => {
                        vector::plan(l, |a| self.func().arrays[a.0 as usize].elem)
                    }
                    _ => None,
                };
                if let Some((rp, pass)) = pass {
                    let d = k.level_of[&l.id];
                    let (tid, count) = &self.level_names[kidx][d];
                    let shared = matches!(self.forms[kidx], Form::RowsShared(_));
                    let (tid, count) = if matches!(self.forms[kidx], Form::RowsCluster(_)) {
                        ("parpyc_t", "PARPYC_BLOCK")
                    } else {
                        (tid.as_str(), count.as_str())
                    };
                    self.rows_loop(out, rp, pass, (tid, count), lind.0, shared);
                } else if let Some(plan) = plan {
                    let d = k.level_of[&l.id];
                    let (tid, count) = &self.level_names[kidx][d];
                    self.vector_loop(out, l, &plan, (tid, count), lind.0, k, kidx);
                } else {
                    let _ = writeln!(
                        out,
                        "{lind}for ({decl}{v} = {init}; {v} {cmp} {stop}; {incr}) {{"
                    );
                    self.device_block(out, &l.body, blevel, k, kidx);
                    let _ = writeln!(out, "{lind}}}");
                }
                if !guard.is_empty() {
                    let _ = writeln!(out, "{ind}}}");
                }
            }
            Stmt::While { cond, body, .. } => {
                let _ = writeln!(out, "{ind}while ({}) {{", self.expr(cond));
                self.device_block(out, body, level + 1, k, kidx);
                let _ = writeln!(out, "{ind}}}");
            }
            Stmt::If {
                cond, then, els, ..
            } => {
                let _ = writeln!(out, "{ind}if ({}) {{", self.expr(cond));
                self.device_block(out, then, level + 1, k, kidx);
                if !els.is_empty() {
                    let _ = writeln!(out, "{ind}}} else {{");
                    self.device_block(out, els, level + 1, k, kidx);
                }
                let _ = writeln!(out, "{ind}}}");
            }
            Stmt::Eval(e, _) => {
                let _ = writeln!(out, "{ind}{};", self.expr(e));
            }
            Stmt::Break => {
                let _ = writeln!(out, "{ind}break;");
            }
            Stmt::Continue => {
                let _ = writeln!(out, "{ind}continue;");
            }
            Stmt::Sync if self.forms[kidx].is_cluster() => {
                let _ = writeln!(out, "{ind}parpyc_cluster_sync();");
            }
            Stmt::Sync => {
                let _ = writeln!(out, "{ind}__syncthreads();");
            }
            Stmt::BlockReduce { var, op } => {
                let ty = self.func().vars[var.0 as usize].ty;
                let n = &self.vars[var.0 as usize];
                let neutral = self.expr(&ir::neutral(*op, ty));
                let (scope, count) = if self.forms[kidx].is_cluster() {
                    ("cluster", ", parpyc_reductions")
                } else {
                    ("block", "")
                };
                let _ = writeln!(
                    out,
                    "{ind}{n} = parpyc_{scope}_reduce<parpyc_op_{}<{t}>, {t}>({n}, {neutral}{count});",
                    op.name(),
                    t = ctype(ty)
                );
            }
            Stmt::AtomicCombine {
                array,
                index,
                op,
                var,
            } => {
                let ty = self.func().arrays[array.0 as usize].elem;
                let target = self.printer(|p| {
                    format!(
                        "{}[{}]",
                        self.arrays[array.0 as usize],
                        self.flat_index(p, *array, index)
                    )
                });
                let _ = writeln!(
                    out,
                    "{ind}parpyc_atomic<parpyc_op_{}<{t}>, {t}>(&{target}, {});",
                    op.name(),
                    self.vars[var.0 as usize],
                    t = ctype(ty)
                );
            }
            Stmt::PartialStore { array, slot, var } => {
                let tid = &self.level_names[kidx][k.levels.len() - 1].0;
                let _ = writeln!(
                    out,
                    "{ind}if (threadIdx.x == 0) {{ {}[{} * blocks_per_row + {tid} / blockDim.x] = {}; }}",
                    self.arrays[array.0 as usize],
                    paren(&self.expr(slot)),
                    self.vars[var.0 as usize]
                );
            }
            Stmt::PartialGather {
                array,
                slot,
                var,
                op,
            } => {
                let ty = self.func().vars[var.0 as usize].ty;
                let _ = writeln!(
                    out,
                    "{ind}{} = parpyc_gather<parpyc_op_{}<{t}>, {t}>(&{}[{} * blocks_per_row], blocks_per_row, {});",
                    self.vars[var.0 as usize],
                    op.name(),
                    self.arrays[array.0 as usize],
                    paren(&self.expr(slot)),
                    self.expr(&ir::neutral(*op, ty)),
                    t = ctype(ty)
                );
            }
            Stmt::OneThread(body) => {
                // Once per row: with several parallel levels a row may span blocks, and the
                // row's first thread is thread 0 of its first block.
                let first = if k.levels.len() > 1 {
                    self.level_names[kidx][k.levels.len() - 1].0.as_str()
                } else {
                    "threadIdx.x"
                };
                let _ = writeln!(out, "{ind}if ({first} == 0) {{");
                self.device_block(out, body, level + 1, k, kidx);
                let _ = writeln!(out, "{ind}}}");
            }
        }
    }

    /// The most iterations any thread-level loop of a kernel has, as a host expression, when
    /// every such loop's bounds are known before the launch.
    fn thread_extent(&self, k: &Kernel) -> Option<String> {
        let last = k.levels.len() - 1;
        let mut loops = Vec::new();
        for s in &k.body {
            s.walk(&mut |s| {
                if let Stmt::For(l) = s {
                    if l.par.is_some() && k.level_of.get(&l.id) == Some(&last) {
                        loops.push(l.clone());
                    }
                }
            });
        }
        let mut extents: Vec<String> = Vec::new();
        for l in &loops {
            let mut host = true;
            for e in [&l.start, &l.stop] {
                e.visit_vars(&mut |v| host &= k.scalars.contains(&v));
                host &= !e.loads();
            }
            if !host {
                return None;
            }
            let (start, stop) = (self.expr(&l.start), self.expr(&l.stop));
            let e = match (l.step, &l.start.kind) {
                (1, ir::ExprKind::Int(0)) => format!("(int64_t)({stop})"),
                (s, _) if s > 0 => {
                    format!("((int64_t)({stop}) - (int64_t)({start}) + {}) / {s}", s - 1)
                }
                (s, _) => format!(
                    "((int64_t)({start}) - (int64_t)({stop}) + {}) / {}",
                    -s - 1,
                    -s
                ),
            };
            if !extents.contains(&e) {
                extents.push(e);
            }
        }
        let mut it = extents.into_iter();
        let first = it.next()?;
        Some(it.fold(first, |acc, e| format!("parpyc_max<int64_t>({acc}, {e})")))
    }

    /// Whether thread-level loops of level `d` may take vector steps: the level's threads fit
    /// in one block per row, so that a row's iterations are spread over the block's threads
    /// rather than the grid's (where vector steps would leave threads without work).
    fn vectorizes(&self, k: &Kernel, d: usize) -> bool {
        if d + 1 != k.levels.len() {
            return false;
        }
        k.row_in_block
            || k.split_phase
            || (k.levels.len() >= 2
                && matches!(k.levels[d].kind, ir::ExprKind::Int(n) if n <= k.tpb))
    }

    /// The exported entry point: the host program.
    fn entry(&self, out: &mut String) {
        let f = self.func();
        let sig = entry_signature(self.prefix, f);
        let l1 = Level(1);
        if let Some(host) = &self.graph_host {
            // The host program in a function of its own; the entry point captures what it
            // launches into a CUDA graph and launches the graph.
            let entry = format!("{}_{}(", self.prefix, f.name);
            let host_sig = sig
                .replacen(&entry, &format!("{host}("), 1)
                .replace("void* stream)", "cudaStream_t cuda_stream)");
            let args: Vec<String> = abi_names(f);
            let _ = writeln!(out, "\nstatic {host_sig};");
            let _ = writeln!(out, "\nextern \"C\" {sig} {{");
            let _ = writeln!(out, "{l1}static parpyc_graph_cache cache;");
            let _ = writeln!(
                out,
                "{l1}return {}_graph_run(&cache, (cudaStream_t)stream, [&](cudaStream_t cuda_stream) {{ return {host}({}); }});",
                self.prefix,
                args.iter()
                    .map(String::as_str)
                    .chain(["cuda_stream"])
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            out.push_str("}\n");
            let _ = writeln!(out, "\nstatic {host_sig} {{");
        } else {
            let _ = writeln!(out, "\nextern \"C\" {sig} {{");
            let _ = writeln!(out, "{l1}cudaStream_t cuda_stream = (cudaStream_t)stream;");
        }
        for (v, bits) in &self.half_params {
            let _ = writeln!(
                out,
                "{l1}const __half {} = parpyc_half_from_bits({bits});",
                self.vars[v.0 as usize]
            );
        }
        // Host locals.
        let mut locals: Vec<VarId> = Vec::new();
        fn collect(stmts: &[HostStmt], out: &mut Vec<VarId>) {
            for s in stmts {
                match s {
                    HostStmt::Assign { var, .. } if !out.contains(var) => out.push(*var),
                    HostStmt::For { var, body, .. } => {
                        if !out.contains(var) {
                            out.push(*var)
                        }
                        collect(body, out);
                    }
                    HostStmt::While { body, .. } => collect(body, out),
                    HostStmt::If { then, els, .. } => {
                        collect(then, out);
                        collect(els, out);
                    }
                    _ => {}
                }
            }
        }
        collect(&self.m.host, &mut locals);
        // Loops of split kernels that run on the host.
        fn steps(program: &[Step], out: &mut Vec<VarId>) {
            for s in program {
                if let Step::For { var, body, .. } = s {
                    if !out.contains(var) {
                        out.push(*var);
                    }
                    steps(body, out);
                }
            }
        }
        for k in &self.m.kernels {
            if let Some(sp) = &k.split {
                steps(&sp.program, &mut locals);
            }
        }
        for c in &f.checks {
            let (a, b) = (self.expr(&c.a), self.expr(&c.b));
            let _ = writeln!(out, "{l1}if ({a} != {b}) {{");
            let _ = writeln!(
                out,
                "{}return {}_fail(\"slices of different lengths at {}: %lld and %lld\", (long long)({a}), (long long)({b}));",
                Level(2),
                self.prefix,
                c.what
            );
            let _ = writeln!(out, "{l1}}}");
        }
        for v in &locals {
            let ty = f.vars[v.0 as usize].ty;
            let _ = writeln!(
                out,
                "{l1}{} {} = {};",
                ctype(ty),
                self.vars[v.0 as usize],
                zero(ty)
            );
        }
        self.host_block(out, &self.m.host, 1);
        let _ = writeln!(out, "{l1}return 0;");
        out.push_str("}\n");
    }

    /// The head of a host loop `for var in range(start, stop, step)` (the step a constant).
    fn host_for(&self, var: VarId, start: &Expr, stop: &Expr, step: i64) -> String {
        let v = &self.vars[var.0 as usize];
        let cmp = if step > 0 { "<" } else { ">" };
        format!(
            "for ({v} = {}; {v} {cmp} {}; {}) {{",
            self.expr(start),
            self.expr(stop),
            step_incr(v, step)
        )
    }

    fn host_block(&self, out: &mut String, stmts: &[HostStmt], level: usize) {
        let ind = Level(level);
        for s in stmts {
            match s {
                HostStmt::Assign { var, value } => {
                    let _ = writeln!(
                        out,
                        "{ind}{} = {};",
                        self.vars[var.0 as usize],
                        self.expr(value)
                    );
                }
                HostStmt::For {
                    var,
                    start,
                    stop,
                    step,
                    body,
                } => {
                    let _ = writeln!(out, "{ind}{}", self.host_for(*var, start, stop, *step));
                    self.host_block(out, body, level + 1);
                    let _ = writeln!(out, "{ind}}}");
                }
                HostStmt::While { cond, body, .. } => {
                    let _ = writeln!(out, "{ind}while ({}) {{", self.expr(cond));
                    self.host_block(out, body, level + 1);
                    let _ = writeln!(out, "{ind}}}");
                }
                HostStmt::If {
                    cond, then, els, ..
                } => {
                    let _ = writeln!(out, "{ind}if ({}) {{", self.expr(cond));
                    self.host_block(out, then, level + 1);
                    if !els.is_empty() {
                        let _ = writeln!(out, "{ind}}} else {{");
                        self.host_block(out, els, level + 1);
                    }
                    let _ = writeln!(out, "{ind}}}");
                }
                HostStmt::Eval(e) => {
                    let _ = writeln!(out, "{ind}{};", self.expr(e));
                }
                HostStmt::Break => {
                    let _ = writeln!(out, "{ind}break;");
                }
                HostStmt::Continue => {
                    let _ = writeln!(out, "{ind}continue;");
                }
                HostStmt::Launch(i) => self.launch(out, *i, level),
            }
        }
    }

    /// `kernel<<<grid, block, 0, cuda_stream>>>(...)` for kernel `fi` of `all`, passing the
    /// thread counts named `counts`, and the check of the launch.
    fn call(&self, out: &mut String, fi: usize, counts: &[String], label: &str, level: usize) {
        let ind = Level(level);
        let args = self.launch_args(fi, counts);
        let _ = writeln!(
            out,
            "{ind}{}<<<(unsigned)grid, (unsigned)block, 0, cuda_stream>>>({});",
            self.kernel_names[fi],
            args.join(", ")
        );
        self.launch_check(out, label, level);
    }

    /// The arguments of a launch of kernel `fi` of `all`, with the thread counts named `counts`
    /// (the host's, which every form of a kernel shares). Half-precision arrays travel through
    /// the C ABI as their bits.
    fn launch_args(&self, fi: usize, counts: &[String]) -> Vec<String> {
        let params = self.kernel_params(self.all[fi], fi);
        let fixed = params.len() - counts.len();
        params
            .into_iter()
            .take(fixed)
            .map(|(t, n)| {
                if t.contains("__half") {
                    format!("({t}){n}")
                } else {
                    n
                }
            })
            .chain(counts.iter().cloned())
            .collect()
    }

    /// The check after a `<<<...>>>` launch.
    fn launch_check(&self, out: &mut String, label: &str, level: usize) {
        let ind = Level(level);
        let _ = writeln!(out, "{ind}cudaError_t err = cudaGetLastError();");
        let _ = writeln!(out, "{ind}if (err != cudaSuccess) {{");
        let _ = writeln!(
            out,
            "{}return {}_fail(\"launching the kernel of parallel loop '{label}' failed: %s\", cudaGetErrorString(err));",
            Level(level + 1),
            self.prefix
        );
        let _ = writeln!(out, "{ind}}}");
    }

    fn launch(&self, out: &mut String, kidx: usize, level: usize) {
        if let Some(fi) = self.rows_of[kidx] {
            self.launch_rows(out, kidx, fi, level);
            return;
        }
        self.launch_rest(out, kidx, level);
    }

    /// The launch of a kernel with a form that keeps rows in registers (see [`rows`]): that
    /// form where the rows fit and the arrays allow it, the others otherwise.
    fn launch_rows(&self, out: &mut String, kidx: usize, fi: usize, level: usize) {
        let k = &self.m.kernels[kidx];
        let Some(rp) = self.row_plan(fi) else {
            return;
        };
        let f = self.func();
        let (ind, ind2, ind3, ind4, ind5) = (
            Level(level),
            Level(level + 1),
            Level(level + 2),
            Level(level + 3),
            Level(level + 4),
        );
        let names = &self.level_names[kidx];
        let label = k
            .root
            .par
            .as_ref()
            .map(|p| p.label.clone())
            .unwrap_or_default();
        let w = rp.width;
        let ks: Vec<usize> = (0..)
            .map(|e| 1usize << e)
            .take_while(|x| *x <= rp.max_k)
            .collect();
        let _ = writeln!(out, "{ind}{{");
        let _ = writeln!(out, "{ind2}bool rows_done = false;");
        let limit = ks
            .iter()
            .map(|kk| {
                format!(
                    "parpyc_max_block((const void*){}<{kk}>)",
                    self.kernel_names[fi]
                )
            })
            .fold(k.tpb.min(1024).to_string(), |a, b| {
                format!("parpyc_min<int64_t>({a}, {b})")
            });
        let _ = writeln!(out, "{ind2}static const int64_t rows_limit = {limit};");
        let (l0, _, _) = &rp.loops[0];
        let _ = writeln!(
            out,
            "{ind2}const int64_t rows_lo = (int64_t)({});",
            self.expr(&l0.start)
        );
        let _ = writeln!(
            out,
            "{ind2}const int64_t rows_extent = (int64_t)({}) - rows_lo;",
            self.expr(&l0.stop)
        );
        let mut conds = vec![
            "rows_extent > 0".to_string(),
            format!("rows_lo % {w} == 0"),
            format!("rows_extent % {w} == 0"),
        ];
        let dim = |d: &Dim| match d {
            Dim::Const(n) => n.to_string(),
            Dim::Var(v) => self.vars[v.0 as usize].clone(),
        };
        let mut group_arrays: Vec<ArrayId> = Vec::new();
        for g in &rp.groups {
            if !group_arrays.contains(&g.array) {
                group_arrays.push(g.array);
            }
        }
        for a in &group_arrays {
            let info = &f.arrays[a.0 as usize];
            conds.push(format!("parpyc_aligned16({})", self.arrays[a.0 as usize]));
            if info.dims.len() > 1 {
                conds.push(format!(
                    "(int64_t)({}) % {w} == 0",
                    dim(&info.dims[info.dims.len() - 1])
                ));
            }
        }
        // Two arguments may be one array: a written one must not overlap another of its type.
        let bytes = |a: ArrayId| {
            let info = &f.arrays[a.0 as usize];
            let mut e = format!("(int64_t)sizeof({})", ctype(info.elem));
            for d in &info.dims {
                e = format!("{e} * (int64_t)({})", dim(d));
            }
            e
        };
        for (i, a) in k.arrays.iter().enumerate() {
            for b in &k.arrays[i + 1..] {
                let (ia, ib) = (&f.arrays[a.0 as usize], &f.arrays[b.0 as usize]);
                if ia.elem != ib.elem || !(ia.written || ib.written) {
                    continue;
                }
                if !group_arrays.contains(a) && !group_arrays.contains(b) {
                    continue;
                }
                conds.push(format!(
                    "parpyc_disjoint({}, {}, {}, {})",
                    self.arrays[a.0 as usize],
                    bytes(*a),
                    self.arrays[b.0 as usize],
                    bytes(*b)
                ));
            }
        }
        let mut seen = Vec::new();
        conds.retain(|c| {
            let fresh = !seen.contains(c);
            seen.push(c.clone());
            fresh
        });
        let _ = writeln!(out, "{ind2}if ({}) {{", conds.join(" && "));
        let _ = writeln!(out, "{ind3}const int64_t rows_nv = rows_extent / {w};");
        // About 128 threads or more per row, at most `max_k` vectors each.
        let _ = writeln!(out, "{ind3}int64_t rows_k = 1;");
        let _ = writeln!(
            out,
            "{ind3}while (rows_k < {} && rows_nv / (rows_k * 2) >= 128) {{",
            rp.max_k
        );
        let _ = writeln!(out, "{ind4}rows_k *= 2;");
        let _ = writeln!(out, "{ind3}}}");
        let _ = writeln!(
            out,
            "{ind3}const int64_t rows_threads = ((rows_nv + rows_k - 1) / rows_k + 31) / 32 * 32;"
        );
        let _ = writeln!(out, "{ind3}if (rows_threads <= rows_limit) {{");
        let (rows_count, threads) = (&names[0].1, &names[1].1);
        let _ = writeln!(
            out,
            "{ind4}int64_t {rows_count} = {};",
            self.level_count(&k.levels[0])
        );
        let _ = writeln!(out, "{ind4}if ({rows_count} > 0) {{");
        let kname = &self.kernel_names[fi];
        let ind6 = Level(level + 5);
        let i7 = Level(level + 6);
        // Blocks so large that few fit: the rows in shared memory where more of them fit.
        let sfi = self.shared_form(fi);
        let sname = &self.kernel_names[sfi];
        let _ = writeln!(
            out,
            "{ind5}static thread_local parpyc_rows_choice rows_choice[{}];",
            ks.len()
        );
        // The rows the shared form keeps in shared memory, not every register array: a row
        // written in one pass and stored from there takes none.
        let _ = writeln!(
            out,
            "{ind5}const int64_t rows_stage = (int64_t){} * rows_nv * 16;",
            rp.shared_slots()
        );
        let _ = writeln!(out, "{ind5}int64_t rows_shared = 0;");
        let _ = writeln!(out, "{ind5}switch (rows_k) {{");
        for (ki, kk) in ks.iter().enumerate() {
            let _ = writeln!(
                out,
                "{ind6}case {kk}: rows_shared = parpyc_rows_shared(&rows_choice[{ki}], (const void*){kname}<{kk}>, (const void*){sname}, rows_threads, rows_stage, {rows_count}); break;"
            );
        }
        let _ = writeln!(out, "{ind5}}}");
        let _ = writeln!(
            out,
            "{ind5}const int64_t {threads} = rows_shared > 0 ? rows_shared : rows_threads;"
        );
        let _ = writeln!(out, "{ind5}const int64_t block = {threads};");
        let counts: Vec<String> = names.iter().map(|n| n.1.clone()).collect();
        let args = self.launch_args(fi, &counts);
        let _ = writeln!(
            out,
            "{ind5}const int64_t grid = parpyc_min<int64_t>({rows_count}, 2147483647);"
        );
        let _ = writeln!(out, "{ind5}{rows_count} = grid;");
        let _ = writeln!(out, "{ind5}if (rows_shared > 0) {{");
        let _ = writeln!(
            out,
            "{ind6}{sname}<<<(unsigned)grid, (unsigned)block, (size_t)rows_stage, cuda_stream>>>({});",
            self.launch_args(sfi, &counts).join(", ")
        );
        let _ = writeln!(out, "{ind5}}} else {{");
        let _ = writeln!(out, "{ind6}switch (rows_k) {{");
        for kk in &ks {
            let _ = writeln!(
                out,
                "{i7}case {kk}: {kname}<{kk}><<<(unsigned)grid, (unsigned)block, 0, cuda_stream>>>({}); break;",
                args.join(", ")
            );
        }
        let _ = writeln!(out, "{ind6}}}");
        let _ = writeln!(out, "{ind5}}}");
        self.launch_check(out, &label, level + 4);
        let _ = writeln!(out, "{ind4}}}");
        let _ = writeln!(out, "{ind4}rows_done = true;");
        // A row too long for one block: over the blocks of a cluster (Hopper), each keeping its
        // share in registers, with cluster-wide reductions.
        let cfi = fi + 1;
        let max_k = rp.max_k;
        let _ = writeln!(out, "{ind3}}} else if (parpyc_clusters_supported()) {{");
        // At most 8 blocks (portable clusters), and no more than the spec's
        // `max_thread_blocks_per_cluster` (8 unless it says otherwise): blocks of 256 threads
        // where that many hold the row (more blocks to a multiprocessor, measured faster), of
        // 512 otherwise.
        let most = self.cluster_blocks.min(8);
        let cname = &self.kernel_names[cfi];
        let _ = writeln!(out, "{ind4}int64_t rows_block = 256;");
        let _ = writeln!(
            out,
            "{ind4}int64_t rows_blocks = (rows_nv + {max_k} * rows_block - 1) / ({max_k} * rows_block);"
        );
        let _ = writeln!(out, "{ind4}if (rows_blocks > {most}) {{");
        let _ = writeln!(out, "{ind5}rows_block = 512;");
        let _ = writeln!(
            out,
            "{ind5}rows_blocks = (rows_nv + {max_k} * rows_block - 1) / ({max_k} * rows_block);"
        );
        let _ = writeln!(out, "{ind4}}}");
        let _ = writeln!(out, "{ind4}if (rows_blocks <= {most}) {{");
        let _ = writeln!(
            out,
            "{ind5}int64_t {rows_count} = {};",
            self.level_count(&k.levels[0])
        );
        let _ = writeln!(out, "{ind5}if ({rows_count} > 0) {{");
        let ind6 = Level(level + 5);
        let _ = writeln!(
            out,
            "{ind6}const int64_t {threads} = rows_blocks * rows_block;"
        );
        let _ = writeln!(out, "{ind6}const int64_t block = rows_block;");
        let _ = writeln!(out, "{ind6}const int64_t blocks_per_row = rows_blocks;");
        let _ = writeln!(
            out,
            "{ind6}{rows_count} = parpyc_min<int64_t>({rows_count}, 2147483647 / blocks_per_row);"
        );
        let _ = writeln!(
            out,
            "{ind6}const int64_t grid = blocks_per_row * {rows_count};"
        );
        let _ = writeln!(
            out,
            "{ind6}auto* const rows_kernel = rows_block == 256 ? {cname}<{max_k}, 256> : {cname}<{max_k}, 512>;"
        );
        let counts: Vec<String> = names.iter().map(|n| n.1.clone()).collect();
        self.cluster_call(out, cfi, "rows_kernel", &counts, &label, level + 5);
        let _ = writeln!(out, "{ind5}}}");
        let _ = writeln!(out, "{ind5}rows_done = true;");
        let _ = writeln!(out, "{ind4}}}");
        let _ = writeln!(out, "{ind3}}}");
        let _ = writeln!(out, "{ind2}}}");
        let _ = writeln!(out, "{ind2}if (!rows_done) {{");
        self.launch_rest(out, kidx, level + 2);
        let _ = writeln!(out, "{ind2}}}");
        let _ = writeln!(out, "{ind}}}");
    }

    fn launch_rest(&self, out: &mut String, kidx: usize, level: usize) {
        let k = &self.m.kernels[kidx];
        if k.split.is_some() || self.cluster_of[kidx].is_some() {
            self.launch_wide(out, kidx, level);
            return;
        }
        self.launch_one(out, kidx, level);
    }

    /// The launch of a kernel whose rows may span several blocks: when a row wants more
    /// threads than one block holds and the rows are too few to fill the GPU with one block
    /// each, its cluster form (where clusters are on and the row's blocks fit one cluster) or
    /// its split form; the kernel itself, with one block per row, otherwise.
    fn launch_wide(&self, out: &mut String, kidx: usize, level: usize) {
        let k = &self.m.kernels[kidx];
        let (ind, ind2, ind3) = (Level(level), Level(level + 1), Level(level + 2));
        let names = &self.level_names[kidx];
        let counts: Vec<String> = names.iter().map(|n| n.1.clone()).collect();
        let (rows, threads) = (&names[0].1, &names[names.len() - 1].1);
        let prefix = self.prefix;
        let label = k
            .root
            .par
            .as_ref()
            .map(|p| p.label.clone())
            .unwrap_or_default();
        let max_block =
            |fi: usize| format!("parpyc_max_block((const void*){})", self.kernel_names[fi]);
        let _ = writeln!(out, "{ind}{{");
        let _ = writeln!(
            out,
            "{ind2}static const int64_t block_limit = parpyc_min<int64_t>({}, {});",
            k.tpb,
            max_block(kidx)
        );
        let split = k.split.as_deref().zip(self.phase_base[kidx]);
        if let Some((sp, base)) = split {
            let split_limit = (0..sp.kernels.len())
                .map(|n| max_block(base + n))
                .fold(k.tpb.to_string(), |a, b| {
                    format!("parpyc_min<int64_t>({a}, {b})")
                });
            let _ = writeln!(
                out,
                "{ind2}static const int64_t split_limit = {split_limit};"
            );
        }
        for (d, t) in k.levels.iter().enumerate().take(k.levels.len() - 1) {
            let _ = writeln!(
                out,
                "{ind2}const int64_t {} = {};",
                names[d].1,
                self.level_count(t)
            );
        }
        let want = self.level_count(&k.levels[k.levels.len() - 1]);
        let wide = match self.thread_extent(k) {
            Some(extent) => format!("parpyc_fit_threads({want}, {extent})"),
            None => format!("(int64_t)({want})"),
        };
        let _ = writeln!(out, "{ind2}const int64_t row_threads = {wide};");
        let mut grid_rows = rows.clone();
        for (_, c) in names.iter().take(names.len() - 1).skip(1) {
            grid_rows = format!("{grid_rows} * {c}");
        }
        let positive: Vec<String> = names
            .iter()
            .take(names.len() - 1)
            .map(|(_, c)| format!("{c} > 0"))
            .collect();
        let _ = writeln!(
            out,
            "{ind2}if ({} && row_threads > block_limit && {grid_rows} < 2 * parpyc_sm_count()) {{",
            positive.join(" && ")
        );
        let grid_check = |out: &mut String, level: usize| {
            let i = Level(level);
            let _ = writeln!(out, "{i}const int64_t grid = blocks_per_row * {grid_rows};");
            let _ = writeln!(out, "{i}if (grid > 2147483647) {{");
            let _ = writeln!(out, "{}return {prefix}_fail(\"parallel loop '{label}' needs %lld thread blocks, more than a launch allows\", (long long)grid);", Level(level + 1));
            let _ = writeln!(out, "{i}}}");
        };
        let split_program = |out: &mut String, level: usize| {
            let Some((sp, base)) = split else { return };
            let i = Level(level);
            let _ = writeln!(out, "{i}const int64_t {threads} = row_threads;");
            let _ = writeln!(out, "{i}const int64_t block = split_limit;");
            let _ = writeln!(
                out,
                "{i}const int64_t blocks_per_row = ({threads} + block - 1) / block;"
            );
            grid_check(out, level);
            let _ = writeln!(out, "{i}const int64_t slots = {};", self.expr(&sp.slots));
            for t in &sp.temps {
                let name = &self.arrays[t.array.0 as usize];
                let ty = ctype(self.func().arrays[t.array.0 as usize].elem);
                let count = if t.per_block {
                    "slots * blocks_per_row"
                } else {
                    "slots"
                };
                let _ = writeln!(out, "{i}parpyc_temp {name}_mem(cuda_stream);");
                let _ = writeln!(
                    out,
                    "{i}if ({prefix}_check(cudaMallocAsync(&{name}_mem.ptr, (size_t)parpyc_max<int64_t>(1, {count}) * sizeof({ty}), cuda_stream), \"allocating a temporary of parallel loop '{label}'\")) {{"
                );
                let _ = writeln!(out, "{}return 1;", Level(level + 1));
                let _ = writeln!(out, "{i}}}");
                let _ = writeln!(out, "{i}{ty}* {name} = ({ty}*){name}_mem.ptr;");
            }
            self.split_steps(out, &sp.program, base, &counts, &label, level);
        };
        match (self.cluster_of[kidx], self.max_cluster) {
            (Some(ci), Some(max)) => {
                let ind4 = Level(level + 3);
                let _ = writeln!(
                    out,
                    "{ind3}static const int64_t cluster_limit = parpyc_min<int64_t>({}, {});",
                    k.tpb,
                    max_block(ci)
                );
                if max > 8 {
                    let _ = writeln!(
                        out,
                        "{ind3}static const bool large_clusters = parpyc_allow_large_clusters((const void*){});",
                        self.kernel_names[ci]
                    );
                    let _ = writeln!(out, "{ind3}(void)large_clusters;");
                }
                let _ = writeln!(
                    out,
                    "{ind3}const int64_t cluster_blocks = (row_threads + cluster_limit - 1) / cluster_limit;"
                );
                let _ = writeln!(out, "{ind3}if (cluster_blocks <= {max}) {{");
                let _ = writeln!(out, "{ind4}const int64_t {threads} = row_threads;");
                let _ = writeln!(out, "{ind4}const int64_t block = cluster_limit;");
                let _ = writeln!(out, "{ind4}const int64_t blocks_per_row = cluster_blocks;");
                grid_check(out, level + 3);
                self.cluster_call(out, ci, &self.kernel_names[ci], &counts, &label, level + 3);
                let _ = writeln!(out, "{ind3}}} else {{");
                if split.is_some() {
                    split_program(out, level + 3);
                } else {
                    self.launch_one(out, kidx, level + 3);
                }
                let _ = writeln!(out, "{ind3}}}");
            }
            _ => split_program(out, level + 2),
        }
        let _ = writeln!(out, "{ind2}}} else {{");
        self.launch_one(out, kidx, level + 2);
        let _ = writeln!(out, "{ind2}}}");
        let _ = writeln!(out, "{ind}}}");
    }

    /// The launch of kernel `fi` of `all`, a cluster form, with `blocks_per_row` blocks per
    /// cluster.
    #[allow(clippy::too_many_arguments)]
    fn cluster_call(
        &self,
        out: &mut String,
        fi: usize,
        kname: &str,
        counts: &[String],
        label: &str,
        level: usize,
    ) {
        let ind = Level(level);
        let ind1 = Level(level + 1);
        let prefix = self.prefix;
        let args = self.launch_args(fi, counts);
        let _ = writeln!(out, "{ind}cudaLaunchConfig_t config = {{}};");
        let _ = writeln!(out, "{ind}config.gridDim = dim3((unsigned)grid);");
        let _ = writeln!(out, "{ind}config.blockDim = dim3((unsigned)block);");
        let _ = writeln!(out, "{ind}config.stream = cuda_stream;");
        let _ = writeln!(out, "{ind}cudaLaunchAttribute cluster;");
        let _ = writeln!(
            out,
            "{ind}cluster.id = cudaLaunchAttributeClusterDimension;"
        );
        let _ = writeln!(
            out,
            "{ind}cluster.val.clusterDim.x = (unsigned)blocks_per_row;"
        );
        let _ = writeln!(out, "{ind}cluster.val.clusterDim.y = 1;");
        let _ = writeln!(out, "{ind}cluster.val.clusterDim.z = 1;");
        let _ = writeln!(out, "{ind}config.attrs = &cluster;");
        let _ = writeln!(out, "{ind}config.numAttrs = 1;");
        let _ = writeln!(
            out,
            "{ind}cudaError_t err = cudaLaunchKernelEx(&config, {kname}, {});",
            args.join(", ")
        );
        let _ = writeln!(out, "{ind}if (err == cudaSuccess) {{");
        let _ = writeln!(out, "{ind1}err = cudaGetLastError();");
        let _ = writeln!(out, "{ind}}}");
        let _ = writeln!(out, "{ind}if (err != cudaSuccess) {{");
        let _ = writeln!(out, "{}return {prefix}_fail(\"launching the kernel of parallel loop '{label}' in clusters of %lld blocks failed: %s\", (long long)blocks_per_row, cudaGetErrorString(err));", Level(level + 1));
        let _ = writeln!(out, "{ind}}}");
    }

    fn split_steps(
        &self,
        out: &mut String,
        steps: &[Step],
        base: usize,
        counts: &[String],
        label: &str,
        level: usize,
    ) {
        let ind = Level(level);
        for s in steps {
            match s {
                Step::Launch(n) => {
                    let _ = writeln!(out, "{ind}{{");
                    self.call(out, base + n, counts, label, level + 1);
                    let _ = writeln!(out, "{ind}}}");
                }
                Step::For {
                    var,
                    start,
                    stop,
                    step,
                    body,
                } => {
                    let _ = writeln!(out, "{ind}{}", self.host_for(*var, start, stop, *step));
                    self.split_steps(out, body, base, counts, label, level + 1);
                    let _ = writeln!(out, "{ind}}}");
                }
            }
        }
    }

    fn launch_one(&self, out: &mut String, kidx: usize, level: usize) {
        let k = &self.m.kernels[kidx];
        let ind = Level(level);
        let ind2 = Level(level + 1);
        let names = &self.level_names[kidx];
        let depth = k.levels.len();
        let prefix = self.prefix;
        let _ = writeln!(out, "{ind}{{");
        let fit = if k.row_in_block {
            self.thread_extent(k)
        } else {
            None
        };
        if k.row_in_block {
            // Threads per block the kernel's registers allow, looked up once.
            let _ = writeln!(
                out,
                "{ind2}static const int64_t block_limit = parpyc_min<int64_t>({}, parpyc_max_block((const void*){}));",
                k.tpb,
                self.kernel_names[kidx]
            );
        }
        for (d, t) in k.levels.iter().enumerate() {
            let value = match &fit {
                Some(extent) if d + 1 == depth => {
                    format!("parpyc_row_threads({extent}, parpyc_min<int64_t>(block_limit, 512))")
                }
                _ => self.level_count(t),
            };
            // A block-wide reduction's threads fit one block.
            let value = if k.row_in_block && d + 1 == depth {
                format!("parpyc_min<int64_t>({value}, block_limit)")
            } else {
                value
            };
            let konst = if d == 0 { "" } else { "const " };
            let _ = writeln!(out, "{ind2}{konst}int64_t {} = {value};", names[d].1);
        }
        let positive: Vec<String> = names.iter().map(|(_, c)| format!("{c} > 0")).collect();
        let _ = writeln!(out, "{ind2}if ({}) {{", positive.join(" && "));
        let ind3 = Level(level + 2);
        let count = &names[depth - 1].1;
        let tpb = k.tpb;
        let label = k
            .root
            .par
            .as_ref()
            .map(|p| p.label.clone())
            .unwrap_or_default();
        if k.row_in_block {
            let _ = writeln!(out, "{ind3}const int64_t block = ({count} + 31) / 32 * 32;");
        } else {
            let _ = writeln!(
                out,
                "{ind3}const int64_t block = {count} < {tpb} ? ({count} + 31) / 32 * 32 : {tpb};"
            );
        }
        let mut grid = format!("(({count} + block - 1) / block)");
        for (_, c) in names.iter().take(depth - 1) {
            grid = format!("{grid} * {c}");
        }
        let ind4 = Level(level + 3);
        let outer = &names[0].1;
        let _ = writeln!(out, "{ind3}int64_t grid = {grid};");
        // More blocks than a launch allows: fewer threads at the outermost level, each taking
        // more of its iterations.
        let _ = writeln!(out, "{ind3}if (grid > 2147483647) {{");
        if depth == 1 {
            // Whole blocks, so that no thread runs past the count.
            let _ = writeln!(
                out,
                "{ind4}{outer} = parpyc_max<int64_t>(block, {outer} / ((grid + 2147483646) / 2147483647) / block * block);"
            );
        } else {
            let _ = writeln!(
                out,
                "{ind4}{outer} = parpyc_max<int64_t>(1, {outer} / ((grid + 2147483646) / 2147483647));"
            );
        }
        let _ = writeln!(out, "{ind4}grid = {grid};");
        let _ = writeln!(out, "{ind3}}}");
        let _ = writeln!(out, "{ind3}if (grid > 2147483647) {{");
        let _ = writeln!(out, "{ind4}return {prefix}_fail(\"parallel loop '{label}' needs %lld thread blocks, more than a launch allows\", (long long)grid);");
        let _ = writeln!(out, "{ind3}}}");
        self.call(
            out,
            kidx,
            &names.iter().map(|n| n.1.clone()).collect::<Vec<_>>(),
            &label,
            level + 2,
        );
        let _ = writeln!(out, "{ind2}}}");
        let _ = writeln!(out, "{ind}}}");
    }
}

/// The increment of a sequential loop over `v` by the constant `step`.
/// Whether a statement reduces over a block (or a cluster) somewhere inside it.
fn has_reduce(s: &Stmt) -> bool {
    let mut found = false;
    s.walk(&mut |x| found |= matches!(x, Stmt::BlockReduce { .. }));
    found
}

fn step_incr(v: &str, step: i64) -> String {
    match step {
        1 => format!("{v}++"),
        -1 => format!("{v}--"),
        s if s > 0 => format!("{v} += {s}"),
        s => format!("{v} -= {}", -s),
    }
}

fn needs_parens(e: &Expr) -> bool {
    matches!(
        e.kind,
        ir::ExprKind::Binary(..) | ir::ExprKind::Select { .. }
    )
}

fn paren(s: &str) -> String {
    if s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        s.to_string()
    } else {
        format!("({s})")
    }
}

fn zero(t: crate::types::ElemTy) -> String {
    if t.is_float() {
        float_lit(0.0, t)
    } else {
        int_lit(0, t)
    }
}
