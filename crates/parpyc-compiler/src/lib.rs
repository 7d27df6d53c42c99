//! parpyc's compiler as a library. It does no I/O: source text and spec text go in, generated
//! files (as strings) or diagnostics come out.
//!
//! ```text
//! source ──front──► syntax tree ──lower (+ spec)──► loop IR ──passes──► kernels + host ──back──► files
//! ```

pub mod back;
pub mod diag;
pub mod front;
pub mod interface;
pub mod ir;
pub mod lower;
pub mod passes;
pub mod spec;
pub mod types;

pub use back::OutputFile;
pub use diag::Diagnostic;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The target of code generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Cuda,
    Metal,
}

impl Backend {
    pub fn parse(s: &str) -> Option<Backend> {
        match s {
            "cuda" => Some(Backend::Cuda),
            "metal" => Some(Backend::Metal),
            _ => None,
        }
    }
}

/// One compilation: an annotated Python file and its spec.
pub struct Input<'a> {
    /// The source's path as the user gave it (for messages only).
    pub source_name: &'a str,
    pub source: &'a str,
    /// The spec's path; its extension (`.toml` or `.json`) picks the format.
    pub spec_name: &'a str,
    pub spec: &'a str,
    /// The output stem (`mv` for `mv.py`): names the files and prefixes every C symbol.
    pub stem: &'a str,
    /// Overrides the spec's `options.backend`.
    pub backend: Option<Backend>,
}

/// The result of a successful compilation.
pub struct Output {
    pub files: Vec<OutputFile>,
    pub spec: spec::Spec,
    /// What the generated library exports, for writing bindings.
    pub interface: interface::Module,
}

/// Compiles `input`, or returns every diagnostic found.
pub fn compile(input: &Input<'_>) -> Result<Output, Vec<Diagnostic>> {
    let (spec, funcs) = analyze(input)?;
    let backend = input
        .backend
        .or(spec.options.backend)
        .unwrap_or(Backend::Cuda);
    let prefix = c_prefix(input.stem);
    let info = back::ModuleInfo {
        stem: input.stem,
        prefix: &prefix,
        source_name: input.source_name,
        spec_name: input.spec_name,
        options: &spec.options,
    };
    let files = match backend {
        Backend::Cuda => back::cuda_module(&info, &funcs),
        Backend::Metal => {
            return Err(vec![Diagnostic::new(
                "E0501",
                "the Metal backend is not available yet",
            )
            .hint("build with `--backend cuda`")])
        }
    }
    .map_err(|e| vec![Diagnostic::new("E0999", "internal compiler error").note(e)])?;
    let interface = interface::describe(input.stem, &prefix, &funcs);
    Ok(Output {
        files,
        spec,
        interface,
    })
}

/// Every stage up to code generation: what `parpyc check` runs.
pub fn analyze(input: &Input<'_>) -> Result<(spec::Spec, Vec<passes::Mapped>), Vec<Diagnostic>> {
    let format = spec::Format::from_path(input.spec_name).unwrap_or(spec::Format::Toml);
    let spec_result = spec::parse(input.spec, format);
    let module_result = front::parse_module(input.source, input.source_name);
    let mut diags = Vec::new();
    if let Err(es) = &module_result {
        diags.extend(es.iter().map(front::Error::to_diagnostic));
    }
    if let Err(es) = &spec_result {
        diags.extend(es.iter().map(spec::Error::to_diagnostic));
    }
    let (Ok(mut module), Ok(spec)) = (module_result, spec_result) else {
        return Err(diags);
    };
    let exported: Vec<&str> = spec.functions.iter().map(|f| f.name.as_str()).collect();
    front::drop_implicit_labels(&mut module, !spec.options.implicit_shape_labels, &exported);
    let funcs = lower::lower(&module, &spec, input.source).map_err(|es| {
        es.iter()
            .map(lower::Error::to_diagnostic)
            .collect::<Vec<_>>()
    })?;
    let mut mapped = Vec::new();
    for f in funcs {
        match passes::run(f) {
            Ok(m) => mapped.push(m),
            Err(es) => diags.extend(es.iter().map(passes::mapping::Error::to_diagnostic)),
        }
    }
    if diags.is_empty() {
        Ok((spec, mapped))
    } else {
        Err(diags)
    }
}

/// The C identifier prefix for a module stem: `my-mod` becomes `my_mod`.
pub fn c_prefix(stem: &str) -> String {
    let mut s: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'm');
    }
    s
}
