//! The error type of every fallible operation.

use std::fmt;
use std::path::PathBuf;

/// What went wrong: loading a library, a failed call into it (with the library's own message),
/// or an argument that does not fit.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A library could not be loaded (a missing file, a missing dependency, a wrong format).
    Load {
        /// The path given to [`Library::open`](crate::Library::open).
        path: PathBuf,
        /// What the dynamic loader said, and what to do about it.
        message: String,
    },
    /// A library lacks a symbol that a parpyc module exports.
    MissingSymbol {
        /// The library's path.
        path: PathBuf,
        /// The C symbol looked up, such as `mv_alloc`.
        symbol: String,
        /// What the dynamic loader said.
        message: String,
    },
    /// A function of a generated library returned a non-zero status.
    Device {
        /// The module's prefix (`mv` for `libmv.so`).
        module: String,
        /// What was being done: a function's name, or a copy or allocation.
        operation: String,
        /// The status the function returned.
        status: i32,
        /// The library's `<prefix>_last_error()` message.
        message: String,
    },
    /// An argument does not match what the function or operation expects: a shape that
    /// differs from the spec, a host slice of the wrong length, a size that overflows.
    Argument {
        /// The function or operation (`mv`, `copy_from_host`).
        function: String,
        /// The argument's name.
        argument: String,
        /// What was expected and what was given.
        message: String,
    },
}

impl Error {
    /// An [`Error::Argument`]; generated bindings and callers of dynamically loaded entry
    /// points use it for their own checks.
    pub fn argument(
        function: impl Into<String>,
        argument: impl Into<String>,
        message: impl Into<String>,
    ) -> Error {
        Error::Argument {
            function: function.into(),
            argument: argument.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Load { path, message } => {
                write!(f, "cannot load `{}`: {message}", path.display())
            }
            Error::MissingSymbol {
                path,
                symbol,
                message,
            } => write!(
                f,
                "`{}` does not export `{symbol}` ({message}); is it a library built by \
                 `parpyc build --compile`, with that module prefix?",
                path.display()
            ),
            Error::Device {
                module,
                operation,
                status,
                message,
            } => {
                if message.is_empty() {
                    write!(f, "{module}: {operation} failed with status {status}")
                } else {
                    write!(f, "{module}: {operation}: {message}")
                }
            }
            Error::Argument {
                function,
                argument,
                message,
            } => write!(f, "{function}: argument `{argument}` {message}"),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        let e = Error::Device {
            module: "mv".into(),
            operation: "mv_parpy".into(),
            status: 1,
            message: "launching the kernel of parallel loop 'N' failed: invalid device function"
                .into(),
        };
        assert_eq!(
            e.to_string(),
            "mv: mv_parpy: launching the kernel of parallel loop 'N' failed: invalid device function"
        );
        let e = Error::Device {
            module: "mv".into(),
            operation: "mv_parpy".into(),
            status: 7,
            message: String::new(),
        };
        assert_eq!(e.to_string(), "mv: mv_parpy failed with status 7");
        let e = Error::argument("mv", "A", "has shape [2, 3], expected [N, M] with N = 4");
        assert_eq!(
            e.to_string(),
            "mv: argument `A` has shape [2, 3], expected [N, M] with N = 4"
        );
        let e = Error::MissingSymbol {
            path: "build/libmv.so".into(),
            symbol: "mv_alloc".into(),
            message: "undefined symbol: mv_alloc".into(),
        };
        assert!(e.to_string().starts_with(
            "`build/libmv.so` does not export `mv_alloc` (undefined symbol: mv_alloc)"
        ));
    }

    #[test]
    fn is_a_std_error_and_thread_safe() {
        fn assert_traits<T: std::error::Error + Send + Sync + 'static>() {}
        assert_traits::<Error>();
    }
}
