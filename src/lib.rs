//! # rtt-mempool
//!
//! RT-Thread's memory pool (`rt_mp_init`, `rt_mp_alloc`, `rt_mp_free`, ...) in Rust, as a
//! C-ABI drop-in for the kernel's `src/mempool.c`.
//!
//! The crate is split the way zlib-rs splits itself from libz-rs-sys:
//! - [`pool`]: the pool logic (geometry, free list, checks). Safe code apart from one raw
//!   region accessor; knows nothing about C or the kernel; unit-, property- and Miri-tested.
//! - `kernel`: bindgen's view of the user's own RT-Thread headers and tiny wrappers around the
//!   kernel services the pool uses (objects, locks, the scheduler's suspend lists, timers,
//!   errno, hooks).
//! - `api`: the `extern "C"` `rt_mp_*` functions, doing only ABI work: argument checks,
//!   setting up and retiring `struct rt_mempool`, and the waiting protocol (documented there).
//! - `diag`: `mp_check`, the bounded consistency report (left out with Kconfig
//!   `RTT_MEMPOOL_OMIT_MP_CHECK`).
//!
//! The library is `#![no_std]`. On hosted targets (the host test kernel) it links `std` only
//! for the panic runtime; on bare-metal targets it has no panic path at all (checked by
//! `make test`), and the panic handler below is never reached.

#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks, clippy::missing_safety_doc)]

#[cfg(not(target_os = "none"))]
extern crate std;

pub mod pool;

#[cfg(all(feature = "capi", not(test)))]
mod api;
#[cfg(all(feature = "capi", not(test), not(rtt_omit_mp_check)))]
mod diag;
#[cfg(all(feature = "capi", not(test)))]
mod kernel;

#[cfg(all(feature = "capi", not(test)))]
pub use api::*;
#[cfg(all(feature = "capi", not(test), not(rtt_omit_mp_check)))]
pub use diag::rtt_mempool_check;

#[cfg(all(not(test), target_os = "none"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    // Unreachable: the library avoids operations that can panic (unwrap, unchecked indexing,
    // division by a value that may be zero) and `make test` checks that the optimized
    // firmware archive references no panic entry point at all. Spinning keeps `core::fmt`
    // out of the image.
    loop {
        core::hint::spin_loop();
    }
}

#[cfg(all(test, feature = "capi"))]
mod header_tests {
    extern crate std;

    /// The committed `include/rtt_mempool.h` is what cbindgen makes of the current sources.
    /// Regenerate it with `make header`.
    #[test]
    fn committed_header_is_current() {
        let generated = std::fs::read_to_string(env!("RTT_MEMPOOL_GENERATED_HEADER")).unwrap();
        let committed = include_str!("../include/rtt_mempool.h");
        assert!(
            generated == committed,
            "include/rtt_mempool.h is stale: run `make header` and commit it"
        );
    }
}
