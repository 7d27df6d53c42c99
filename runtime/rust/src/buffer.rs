//! Device memory owned by Rust: [`DeviceBuffer`].

use std::ffi::c_void;
use std::fmt;
use std::marker::PhantomData;

use crate::{Element, Error, Runtime, Stream};

/// A C-contiguous array of `T` in device memory, with a shape, allocated and freed through a
/// generated module's functions ([`Runtime`]).
///
/// Copies between the host and the device wait for their stream: when
/// [`copy_from_host`](DeviceBuffer::copy_from_host) or
/// [`copy_to_host`](DeviceBuffer::copy_to_host) return, the host slice is free again or holds
/// the data, including the results of kernels queued on that stream before. Kernel launches
/// and [`copy_from_device`](DeviceBuffer::copy_from_device) are asynchronous; work on one
/// stream runs in order.
///
/// The same type serves modules loaded at run time ([`Library`](crate::Library)) and kernels
/// linked statically by `parpyc-build`: a buffer from one module's runtime may be passed to
/// another module's functions (device memory is shared by everything in the process).
///
/// # Threads
///
/// `DeviceBuffer` is `Send` and `Sync`: it owns its allocation exclusively, the functions it
/// calls (the CUDA runtime underneath) may be called from any thread, and it follows Rust's
/// borrowing rules on the host side: writes from the host need `&mut self`, and the generated
/// bindings take written arrays as `&mut DeviceBuffer`. What the host cannot see is device work
/// still running: a buffer given to a kernel on one stream and read or written on another
/// stream needs synchronization between the streams (as in CUDA), or the data is unspecified.
/// That never makes host memory unsafe: device memory is only reached through copies, and a
/// buffer is freed only after `cudaFree` waits for the device.
pub struct DeviceBuffer<T: Element> {
    ptr: *mut c_void,
    len: usize,
    shape: Vec<usize>,
    runtime: Runtime,
    _elem: PhantomData<T>,
}

// SAFETY: see "Threads" above: the allocation is owned by this value alone, the module's
// functions are thread-safe, and `T: Element` is `Send + Sync`.
unsafe impl<T: Element> Send for DeviceBuffer<T> {}
// SAFETY: `&DeviceBuffer` only reads the device memory (copies to the host, read-only kernel
// arguments); writing needs `&mut`.
unsafe impl<T: Element> Sync for DeviceBuffer<T> {}

/// The number of elements of `shape`, checking that its size in bytes fits in `i64`.
fn element_count<T: Element>(shape: &[usize], function: &str) -> Result<usize, Error> {
    let too_large = || {
        Error::argument(
            function,
            "shape",
            format!("{shape:?} is too large to allocate"),
        )
    };
    let len = shape
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .ok_or_else(too_large)?;
    let bytes = len
        .checked_mul(T::DTYPE.size_bytes())
        .ok_or_else(too_large)?;
    i64::try_from(bytes).map_err(|_| too_large())?;
    Ok(len)
}

impl<T: Element> DeviceBuffer<T> {
    /// Allocates an array of `shape` (C-contiguous; `&[]` is a single element) whose contents
    /// are unspecified until written.
    pub fn alloc(runtime: &Runtime, shape: &[usize]) -> Result<DeviceBuffer<T>, Error> {
        let len = element_count::<T>(shape, "alloc")?;
        let ptr = runtime.raw_alloc(len * T::DTYPE.size_bytes())?;
        Ok(DeviceBuffer {
            ptr,
            len,
            shape: shape.to_vec(),
            runtime: runtime.clone(),
            _elem: PhantomData,
        })
    }

    /// Allocates an array of `shape` and copies `data` (C order, `shape`'s product long) into
    /// it, on the default stream.
    pub fn from_slice(
        runtime: &Runtime,
        data: &[T],
        shape: &[usize],
    ) -> Result<DeviceBuffer<T>, Error> {
        let len = element_count::<T>(shape, "from_slice")?;
        if data.len() != len {
            return Err(Error::argument(
                "from_slice",
                "data",
                format!(
                    "has {} elements, but shape {shape:?} needs {len}",
                    data.len()
                ),
            ));
        }
        let mut b = DeviceBuffer::alloc(runtime, shape)?;
        b.copy_from_host(data, Stream::DEFAULT)?;
        Ok(b)
    }

    /// Allocates an array of `shape` filled with zeros (`false`, `0`, `0.0`).
    pub fn zeros(runtime: &Runtime, shape: &[usize]) -> Result<DeviceBuffer<T>, Error> {
        let len = element_count::<T>(shape, "zeros")?;
        let zeros = vec![0u8; len * T::DTYPE.size_bytes()];
        let b = DeviceBuffer::alloc(runtime, shape)?;
        // SAFETY: `zeros` holds as many bytes as the allocation, and all-zero bytes are a
        // valid zero of every element type.
        unsafe {
            runtime.raw_copy_to_device(
                b.ptr,
                zeros.as_ptr().cast(),
                zeros.len(),
                Stream::DEFAULT,
            )?
        };
        Ok(b)
    }

    /// Copies `data` (C order, [`len`](DeviceBuffer::len) elements) into the buffer; returns
    /// when `stream` has run the copy, and everything queued before it.
    pub fn copy_from_host(&mut self, data: &[T], stream: Stream) -> Result<(), Error> {
        self.check_len("copy_from_host", "data", data.len())?;
        // SAFETY: `data` is valid for reads of the buffer's size in bytes (checked just now),
        // and the allocation for writes; the copy is complete when this returns.
        unsafe {
            self.runtime.raw_copy_to_device(
                self.ptr,
                data.as_ptr().cast(),
                std::mem::size_of_val(data),
                stream,
            )
        }
    }

    /// Copies the buffer into `out` ([`len`](DeviceBuffer::len) elements, C order); returns
    /// when `stream` has run the copy, and so the kernels queued on it before.
    pub fn copy_to_host(&self, out: &mut [T], stream: Stream) -> Result<(), Error> {
        self.check_len("copy_to_host", "out", out.len())?;
        // SAFETY: the allocation holds `out.len()` elements (checked just now).
        unsafe { T::read_device(&self.runtime, self.ptr, out, stream) }
    }

    /// The contents, copied to a new vector after everything queued on the default stream.
    pub fn to_vec(&self) -> Result<Vec<T>, Error> {
        self.to_vec_on(Stream::DEFAULT)
    }

    /// The contents, copied to a new vector after everything queued on `stream`.
    pub fn to_vec_on(&self, stream: Stream) -> Result<Vec<T>, Error> {
        let mut out = vec![T::default(); self.len];
        self.copy_to_host(&mut out, stream)?;
        Ok(out)
    }

    /// Queues a copy of `src` (same number of elements; shapes may differ) into this buffer on
    /// `stream`; it does not wait.
    pub fn copy_from_device(&mut self, src: &DeviceBuffer<T>, stream: Stream) -> Result<(), Error> {
        self.check_len("copy_from_device", "src", src.len)?;
        // SAFETY: both allocations hold `len` elements and stay allocated until the copy has
        // run: freeing either goes through `cudaFree`, which waits for the device.
        unsafe {
            self.runtime.raw_copy_on_device(
                self.ptr,
                src.ptr,
                self.len * T::DTYPE.size_bytes(),
                stream,
            )
        }
    }

    /// The shape, outermost dimension first.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The number of dimensions.
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    /// The number of elements (the product of the shape).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the buffer has no elements.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The size of the data in bytes.
    pub fn size_bytes(&self) -> usize {
        self.len * T::DTYPE.size_bytes()
    }

    /// Gives the buffer another shape with the same number of elements (C order).
    pub fn reshape(&mut self, shape: &[usize]) -> Result<(), Error> {
        let len = element_count::<T>(shape, "reshape")?;
        if len != self.len {
            return Err(Error::argument(
                "reshape",
                "shape",
                format!(
                    "{shape:?} has {len} elements, but the buffer has {} ({:?})",
                    self.len, self.shape
                ),
            ));
        }
        self.shape = shape.to_vec();
        Ok(())
    }

    /// The device address of the first element (null for an empty buffer), for a generated
    /// entry point's `const T*` parameter. Valid while the buffer lives; the host must not
    /// dereference it.
    pub fn as_ptr(&self) -> *const T {
        self.ptr as *const T
    }

    /// The device address of the first element, for a generated entry point's `T*`
    /// (written) parameter.
    pub fn as_mut_ptr(&mut self) -> *mut T {
        self.ptr.cast()
    }

    /// The runtime the buffer was allocated with (and is freed with).
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    fn check_len(&self, function: &str, argument: &str, n: usize) -> Result<(), Error> {
        if n == self.len {
            return Ok(());
        }
        Err(Error::argument(
            function,
            argument,
            format!(
                "has {n} elements, but the buffer has {} (shape {:?})",
                self.len, self.shape
            ),
        ))
    }
}

impl<T: Element> Drop for DeviceBuffer<T> {
    fn drop(&mut self) {
        // SAFETY: the pointer came from `raw_alloc` of this runtime and is not used again.
        unsafe { self.runtime.raw_free(self.ptr) };
    }
}

impl<T: Element> fmt::Debug for DeviceBuffer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceBuffer")
            .field("dtype", &T::DTYPE)
            .field("shape", &self.shape)
            .field("ptr", &self.ptr)
            .field("module", &self.runtime.module())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Half;

    #[test]
    fn element_counts() {
        assert_eq!(element_count::<f32>(&[3, 4], "t").unwrap(), 12);
        assert_eq!(element_count::<f32>(&[], "t").unwrap(), 1);
        assert_eq!(element_count::<f32>(&[0, 4], "t").unwrap(), 0);
        assert!(element_count::<u8>(&[usize::MAX, 2], "t").is_err());
        // Fits in usize, but not in int64_t bytes.
        let e = element_count::<f64>(&[1 << 61], "alloc").unwrap_err();
        assert_eq!(
            e.to_string(),
            "alloc: argument `shape` [2305843009213693952] is too large to allocate"
        );
        assert_eq!(element_count::<Half>(&[2, 2], "t").unwrap(), 4);
    }

    #[test]
    fn buffers_are_thread_safe() {
        fn assert_traits<T: Send + Sync>() {}
        assert_traits::<DeviceBuffer<f32>>();
        assert_traits::<DeviceBuffer<bool>>();
        assert_traits::<DeviceBuffer<Half>>();
    }
}
