//! Runs the C test suite and the `memp_sample` check on the host test kernel.
//!
//! Everything happens in C (`c_tests/kernel/src/runner.c`); this binary only links the C
//! archive built by `build.rs` with the `rtt_mempool` library and hands over the arguments.
//! An argument that does not start with `-` selects the test cases whose name contains it; a
//! filter that selects nothing fails (`no test case matches '<filter>'`, exit status 1).

use std::ffi::{c_char, c_int, CString};

// Linked for its `rt_mp_*` exports, which the C tests and the sample call.
use rtt_mempool as _;

extern "C" {
    fn rtt_host_main(argc: c_int, argv: *mut *mut c_char) -> c_int;
}

fn main() {
    let args: Vec<CString> = std::env::args()
        .map(|a| CString::new(a).expect("arguments contain no NUL byte"))
        .collect();
    let mut argv: Vec<*mut c_char> = args.iter().map(|a| a.as_ptr() as *mut c_char).collect();
    argv.push(std::ptr::null_mut());
    let argc = c_int::try_from(args.len()).expect("argument count fits in a C int");
    // SAFETY: argv holds argc pointers to NUL-terminated strings that outlive the call, then a
    // null pointer, as C's main expects; the runner does not keep them after returning.
    let code = unsafe { rtt_host_main(argc, argv.as_mut_ptr()) };
    std::process::exit(code);
}
