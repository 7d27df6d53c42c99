//! `DeviceBuffer` and `Runtime` against a stand-in module whose seven functions use host memory,
//! so that allocation, copies, shapes, errors and freeing are tested without a GPU.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_char, c_void, CString};
use std::sync::Mutex;

use parpy_runtime::{Api, DeviceBuffer, Error, Half, Runtime, Stream};

/// Live allocations: address -> size in bytes.
static LIVE: Mutex<Option<HashMap<usize, usize>>> = Mutex::new(None);

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn fail(message: &str) -> i32 {
    LAST_ERROR.with(|e| *e.borrow_mut() = CString::new(message).expect("no NUL in messages"));
    1
}

fn live_bytes() -> usize {
    LIVE.lock()
        .expect("no test panicked holding LIVE")
        .as_ref()
        .map_or(0, |m| m.values().sum())
}

unsafe extern "C" fn last_error() -> *const c_char {
    LAST_ERROR.with(|e| e.borrow().as_ptr())
}

unsafe extern "C" fn alloc(ptr: *mut *mut c_void, bytes: i64) -> i32 {
    // SAFETY: the runtime passes a valid pointer to write the result to.
    unsafe { *ptr = std::ptr::null_mut() };
    if bytes <= 0 {
        return 0;
    }
    if bytes > 1 << 30 {
        return fail("cudaMalloc failed: out of memory");
    }
    let p = Box::into_raw(vec![0xa5u8; bytes as usize].into_boxed_slice()) as *mut u8;
    LIVE.lock()
        .expect("no test panicked holding LIVE")
        .get_or_insert_with(HashMap::new)
        .insert(p as usize, bytes as usize);
    // SAFETY: as above.
    unsafe { *ptr = p.cast() };
    0
}

unsafe extern "C" fn free(ptr: *mut c_void) -> i32 {
    if ptr.is_null() {
        return 0;
    }
    let Some(n) = LIVE
        .lock()
        .expect("no test panicked holding LIVE")
        .get_or_insert_with(HashMap::new)
        .remove(&(ptr as usize))
    else {
        return fail("cudaFree failed: invalid argument");
    };
    // SAFETY: `ptr` came from `alloc` with `n` bytes.
    drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr.cast::<u8>(), n)) });
    0
}

unsafe extern "C" fn copy(
    dst: *mut c_void,
    src: *const c_void,
    bytes: i64,
    _s: *mut c_void,
) -> i32 {
    if bytes > 0 {
        // SAFETY: the runtime passes ranges valid for `bytes` bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(src.cast::<u8>(), dst.cast::<u8>(), bytes as usize)
        };
    }
    0
}

unsafe extern "C" fn sync(stream: *mut c_void) -> i32 {
    if stream as usize == 0xbad {
        return fail("synchronizing the stream failed: an illegal memory access was encountered");
    }
    0
}

// SAFETY: the functions above behave as a generated module's do, with host memory.
static API: Api = unsafe { Api::new(last_error, alloc, free, copy, copy, copy, sync) };
static RT: Runtime = Runtime::from_static(&API, "host");

/// The tests share `LIVE`; they run one at a time so that counting bytes is meaningful.
static SERIAL: Mutex<()> = Mutex::new(());

#[test]
fn round_trips_every_element_type() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    fn round_trip<T: parpy_runtime::Element + PartialEq + std::fmt::Debug>(data: &[T]) {
        let b = DeviceBuffer::from_slice(&RT, data, &[data.len()]).unwrap();
        assert_eq!(b.to_vec().unwrap(), data);
        assert_eq!(b.size_bytes(), std::mem::size_of_val(data));
    }
    round_trip(&[true, false, true]);
    round_trip(&[-1i8, 2]);
    round_trip(&[-1i16, 2]);
    round_trip(&[-1i32, 2]);
    round_trip(&[-1i64, 2]);
    round_trip(&[1u8, 255]);
    round_trip(&[1u16, 65535]);
    round_trip(&[1u32, 7]);
    round_trip(&[1u64, u64::MAX]);
    round_trip(&[Half::from_f32(1.5), Half::MAX]);
    round_trip(&[1.5f32, -0.25]);
    round_trip(&[1.5f64, -0.25]);
    assert_eq!(live_bytes(), 0);
}

#[test]
fn shapes_zeros_and_device_copies() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let a = DeviceBuffer::from_slice(&RT, &[1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3]).unwrap();
    assert_eq!(a.shape(), [2, 3]);
    assert_eq!((a.len(), a.ndim(), a.is_empty()), (6, 2, false));
    let mut z = DeviceBuffer::<f32>::zeros(&RT, &[3, 2]).unwrap();
    assert_eq!(z.to_vec().unwrap(), [0.0; 6]);
    z.copy_from_device(&a, Stream::DEFAULT).unwrap();
    let mut host = [0.0f32; 6];
    z.copy_to_host(&mut host, Stream::DEFAULT).unwrap();
    assert_eq!(host, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    z.reshape(&[6]).unwrap();
    assert_eq!(z.shape(), [6]);
    let e = z.reshape(&[4]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "reshape: argument `shape` [4] has 4 elements, but the buffer has 6 ([6])"
    );
    z.copy_from_host(&[9.0; 6], Stream::DEFAULT).unwrap();
    assert_eq!(z.to_vec().unwrap(), [9.0; 6]);
    let e = z.copy_from_host(&[1.0; 5], Stream::DEFAULT).unwrap_err();
    assert!(matches!(e, Error::Argument { .. }));
    assert_eq!(
        e.to_string(),
        "copy_from_host: argument `data` has 5 elements, but the buffer has 6 (shape [6])"
    );
    let e = DeviceBuffer::from_slice(&RT, &[1.0f32; 5], &[2, 3]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "from_slice: argument `data` has 5 elements, but shape [2, 3] needs 6"
    );
    // A scalar (0-d) array and an empty one.
    let s = DeviceBuffer::from_slice(&RT, &[7i64], &[]).unwrap();
    assert_eq!((s.len(), s.to_vec().unwrap()), (1, vec![7]));
    let empty = DeviceBuffer::<f64>::alloc(&RT, &[0, 5]).unwrap();
    assert!(empty.is_empty() && empty.as_ptr().is_null());
    assert_eq!(empty.to_vec().unwrap(), Vec::<f64>::new());
    drop((a, z, s, empty));
    assert_eq!(live_bytes(), 0, "every buffer is freed on drop");
}

#[test]
fn bools_read_back_from_arbitrary_bytes() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // Fresh allocations of the stand-in are filled with 0xa5, which is no valid `bool`.
    let b = DeviceBuffer::<bool>::alloc(&RT, &[3]).unwrap();
    assert_eq!(b.to_vec().unwrap(), [true, true, true]);
    let mut bytes = DeviceBuffer::<u8>::from_slice(&RT, &[0, 1, 2], &[3]).unwrap();
    let mut c = DeviceBuffer::<bool>::alloc(&RT, &[3]).unwrap();
    // Reinterpret by copying through the raw pointers' bytes on the "device".
    // SAFETY: both hold three bytes of host memory in this stand-in module.
    unsafe {
        copy(
            c.as_mut_ptr().cast(),
            bytes.as_mut_ptr().cast(),
            3,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(c.to_vec().unwrap(), [false, true, true]);
}

#[test]
fn failures_carry_the_module_message() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let e = DeviceBuffer::<u8>::alloc(&RT, &[1 << 31]).unwrap_err();
    assert_eq!(
        e,
        Error::Device {
            module: "host".into(),
            operation: "alloc(2147483648 bytes)".into(),
            status: 1,
            message: "cudaMalloc failed: out of memory".into(),
        }
    );
    assert_eq!(
        e.to_string(),
        "host: alloc(2147483648 bytes): cudaMalloc failed: out of memory"
    );
    // SAFETY: the stand-in's `sync` only compares the handle.
    let bad = unsafe { Stream::from_raw(0xbad as *mut c_void) };
    let e = RT.sync(bad).unwrap_err();
    assert_eq!(
        e.to_string(),
        "host: sync: synchronizing the stream failed: an illegal memory access was encountered"
    );
    RT.sync(Stream::DEFAULT).unwrap();
    assert_eq!(RT.module(), "host");
    assert!(RT.path().is_none());
}

#[test]
fn buffers_move_between_threads() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let a = DeviceBuffer::from_slice(&RT, &[1u32, 2, 3], &[3]).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let rt = RT.clone();
            std::thread::spawn(move || {
                let b = DeviceBuffer::from_slice(&rt, &[i; 8], &[2, 4]).unwrap();
                b.to_vec().unwrap()
            })
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        assert_eq!(h.join().unwrap(), vec![i as u32; 8]);
    }
    let a = std::thread::spawn(move || a.to_vec().unwrap())
        .join()
        .unwrap();
    assert_eq!(a, [1, 2, 3]);
    assert_eq!(live_bytes(), 0);
}
