//! A minimal second Rust staticlib for the qemu bed: RT-Thread's own Rust component's part in
//! an image that also links rtt-mempool (see `Cargo.toml`).
//!
//! It has its own `#[panic_handler]` and pulls `compiler_builtins` in: 64-bit division and
//! remainder (`__aeabi_uldivmod` on 32-bit Arm) and block copies (`memcpy`). The C test case
//! `components.mempool.rust_peer` (`tc_rust_peer.c`) calls it and checks every result against
//! the same computation done in C, and the blocks it takes and gives back through the
//! `rt_mp_*` API against the pool's counters. `rust_peer_nth` keeps a panic path (a bounds
//! check), so that the peer's panic handler is linked into the image, not dropped.
#![no_std]

use core::ffi::{c_char, c_void};
use core::panic::PanicInfo;

/// `rt_int32_t`, `rt_err_t`: 32 bits on every RT-Thread port.
type RtInt32 = i32;

extern "C" {
    fn rt_mp_alloc(mp: *mut c_void, time: RtInt32) -> *mut c_void;
    fn rt_mp_free(block: *mut c_void);
    fn rt_kprintf(fmt: *const c_char, ...) -> RtInt32;
}

/// The peer's own panic handler (the library has its own): prints one line and stops here.
#[panic_handler]
fn panic(_info: &PanicInfo) -> ! {
    // SAFETY: a NUL-terminated format string without conversions.
    unsafe {
        rt_kprintf(c"rust_peer panic\n".as_ptr());
    }
    loop {
        core::hint::spin_loop();
    }
}

/// `a / b` and `a % b` (to `*rem`) in 64 bits; `b == 0` gives `u64::MAX` and `*rem = a`.
///
/// # Safety
/// `rem` is null or points to a writable `u64`.
#[no_mangle]
pub unsafe extern "C" fn rust_peer_udivmod(a: u64, b: u64, rem: *mut u64) -> u64 {
    let (q, r) = match (a.checked_div(b), a.checked_rem(b)) {
        (Some(q), Some(r)) => (q, r),
        _ => (u64::MAX, a),
    };
    // SAFETY: the caller passes null or a writable u64.
    if let Some(rem) = unsafe { rem.as_mut() } {
        *rem = r;
    }
    q
}

/// `values[i]`, bounds-checked as ordinary Rust is: an index out of range panics into this
/// crate's `#[panic_handler]`. A panic path like the ones RT-Thread's component has (it
/// unwraps and indexes), so that the handler and core's panic entry are in the image beside
/// the library; the test case passes only indices in range.
///
/// # Safety
/// `values` points to `len` readable `u64`s.
#[no_mangle]
pub unsafe extern "C" fn rust_peer_nth(values: *const u64, len: u32, i: u32) -> u64 {
    // SAFETY: the caller passes `len` readable values.
    let values = unsafe { core::slice::from_raw_parts(values, len as usize) };
    values[i as usize]
}

/// The 8-byte pattern the peer writes into block `index` taken with `seed` and `divisor`:
/// `(seed + index) / divisor` with the remainder in the top byte (64-bit division).
fn pattern(seed: u64, index: u64, divisor: u64) -> u64 {
    let x = seed.wrapping_add(index);
    let (q, r) = match (x.checked_div(divisor), x.checked_rem(divisor)) {
        (Some(q), Some(r)) => (q, r),
        _ => (0, x),
    };
    (q & 0x00ff_ffff_ffff_ffff) | (r << 56)
}

/// Takes up to `n` blocks from pool `mp` without waiting (`rt_mp_alloc(mp, 0)`), stores them in
/// `blocks[0..n]`, and copies into each block `len` bytes (at most 64) of the repeated pattern
/// for its index. Returns how many blocks it got (it stops at the first `RT_NULL`).
///
/// # Safety
/// `mp` is an initialised pool whose blocks hold at least `len` bytes; `blocks` points to `n`
/// writable pointers.
#[no_mangle]
pub unsafe extern "C" fn rust_peer_take(
    mp: *mut c_void,
    blocks: *mut *mut c_void,
    n: u32,
    len: u32,
    seed: u64,
    divisor: u64,
) -> u32 {
    let mut staged = [0u8; 64];
    let len = (len as usize).min(staged.len());
    let mut got = 0u32;
    while got < n {
        // SAFETY: the caller passes an initialised pool; a zero timeout never blocks.
        let block = unsafe { rt_mp_alloc(mp, 0) };
        if block.is_null() {
            break;
        }
        let word = pattern(seed, u64::from(got), divisor).to_le_bytes();
        for (i, b) in staged.iter_mut().enumerate() {
            *b = word[i % word.len()];
        }
        // SAFETY: the block holds at least `len` bytes (the caller's contract) and does not
        // overlap the local buffer; a run-time length makes this a memcpy call.
        unsafe {
            core::ptr::copy_nonoverlapping(staged.as_ptr(), block.cast::<u8>(), len);
            *blocks.add(got as usize) = block;
        }
        got += 1;
    }
    got
}

/// Gives `blocks[0..n]` back to their pool (`rt_mp_free`), last taken first.
///
/// # Safety
/// `blocks` points to `n` blocks taken from a pool and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn rust_peer_give(blocks: *mut *mut c_void, n: u32) {
    let mut i = n as usize;
    while i > 0 {
        i -= 1;
        // SAFETY: the caller passes n live blocks; each is freed once.
        unsafe {
            rt_mp_free(*blocks.add(i));
            *blocks.add(i) = core::ptr::null_mut();
        }
    }
}
