//! Names a generated `.cu` file must not declare: C and C++ keywords, CUDA's qualifiers and
//! built-in variables, vector types, and functions and macros of the headers it includes.

pub const RESERVED: &[&str] = &[
    // C and C++ keywords
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
    "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const",
    "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await", "co_return",
    "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum",
    "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline",
    "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr",
    "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
    "requires", "restrict", "return", "short", "signed", "sizeof", "static", "static_assert",
    "static_cast", "struct", "switch", "template", "this", "thread_local", "throw", "true", "try",
    "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void", "volatile",
    "wchar_t", "while", "xor", "xor_eq", "main", "NULL",
    // CUDA
    "threadIdx", "blockIdx", "blockDim", "gridDim", "warpSize", "dim3", "half", "half2",
    "nv_bfloat16", "nv_bfloat162", "cudaStream_t", "cudaError_t", "std", "assert", "printf",
    "malloc", "free", "memcpy", "memset", "clock", "min", "max", "abs", "exp", "expf", "log",
    "logf", "sin", "sinf", "cos", "cosf", "tan", "tanf", "sqrt", "sqrtf", "tanh", "tanhf", "pow",
    "powf", "fabs", "fabsf", "floor", "floorf", "ceil", "ceilf", "fmod", "fmodf", "fmax", "fmaxf",
    "fmin", "fminf", "atan2", "atan2f", "round", "trunc", "isnan", "isinf", "signbit", "erf",
    "INFINITY", "NAN", "signal", "time", "select", "index", "exit", "abort", "y0", "y1", "j0", "j1",
    "yn", "jn", "gamma", "lgamma", "tgamma", "rint", "remainder", "div", "ldiv", "rand", "size_t",
    "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
    "ptrdiff_t", "stream",
    // Vector types of the CUDA runtime
    "char1", "char2", "char3", "char4", "uchar1", "uchar2", "uchar3", "uchar4", "short1", "short2",
    "short3", "short4", "ushort1", "ushort2", "ushort3", "ushort4", "int1", "int2", "int3", "int4",
    "uint1", "uint2", "uint3", "uint4", "long1", "long2", "long3", "long4", "ulong1", "ulong2",
    "ulong3", "ulong4", "longlong1", "longlong2", "longlong3", "longlong4", "ulonglong1",
    "ulonglong2", "ulonglong3", "ulonglong4", "float1", "float2", "float3", "float4", "double1",
    "double2", "double3", "double4",
];
