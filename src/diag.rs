//! `mp_check`: a consistency report of every pool (or one), for the msh command of the same
//! name. Diagnostics only; nothing here changes a pool.
//!
//! Bounded, because it runs on a live system: a pool is reached only through the registry
//! ([`Registry::lock_pool`]), so one deleted meanwhile is skipped, never read after it was
//! freed; its free list is walked [`LINKS_PER_LOCK`] links at a time, each with the registry
//! and the pool lock held (interrupts masked) and released in between, so the time with
//! interrupts off does not grow with the pool. If the pool's head or free count changed
//! between two steps the walk starts again, at most [`WALKS`] times; a pool that keeps
//! changing is reported as `busy`, not judged. (A change that puts the same head and count
//! back between two steps is not seen; run `mp_check` again on a quiet pool to be sure of a
//! `CORRUPTED` verdict.)

use core::ffi::{c_char, c_int};

use crate::kernel::{self, rt_mempool, Registry};
use crate::pool::{CheckWalk, PoolState};

/// Free-list links followed per lock hold.
pub const LINKS_PER_LOCK: usize = 64;
/// Walks of one pool before it is reported `busy`.
pub const WALKS: usize = 4;
/// Waiters counted at most (the count is a figure of the report, not a walk to trust).
const WAITERS_COUNTED: usize = 9999;

/// What checking one pool found.
enum Finding {
    /// Figures (block size, total, free, listed, waiters) and whether they are consistent.
    Checked([usize; 5], bool),
    /// Its fields do not even describe a region.
    Unreadable,
    /// It kept changing.
    Busy,
}

/// Checks one pool; `None` if it is no longer registered.
fn check_pool(mp: *mut rt_mempool) -> Option<Finding> {
    for _ in 0..WALKS {
        let mut walk: Option<(CheckWalk, PoolState)> = None;
        loop {
            let guard = kernel::find_locked_pool(mp)?;
            let Some((geometry, state, region)) = guard.load() else {
                return Some(Finding::Unreadable);
            };
            let (walk, first) = match &mut walk {
                Some((walk, first)) => (walk, *first),
                None => {
                    let fresh = walk.insert((CheckWalk::new(&state), state));
                    (&mut fresh.0, fresh.1)
                }
            };
            if first != state {
                break;
            }
            walk.advance(&geometry, &state, &region, LINKS_PER_LOCK);
            if walk.is_done() {
                let report = walk.report();
                let figures = [
                    guard.block_size(),
                    geometry.total(),
                    state.free,
                    report.listed,
                    guard.waiter_count(WAITERS_COUNTED),
                ];
                return Some(Finding::Checked(figures, report.fault.is_none()));
            }
        }
    }
    Some(Finding::Busy)
}

/// Checks one pool (by name) or all pools and prints a line for each: name, block size,
/// total, free, freed blocks on the list, waiters, and whether the free list is consistent.
/// The msh command `mp_check [name]` calls it. Bounded in time and in interrupt latency even
/// on a corrupted or busy pool.
///
/// ```c
/// if (rtt_mempool_check(RT_NULL) != 0)
///     rt_kprintf("a pool is corrupted\n");
/// ```
///
/// # Safety
///
/// `name` must be null or a NUL-terminated string.
///
/// # Returns
///
/// 0 when every checked pool is consistent, -RT_ERROR when one is not (or is `busy`),
/// -RT_EINVAL when no pool has that name.
#[no_mangle]
pub unsafe extern "C" fn rtt_mempool_check(name: *const c_char) -> c_int {
    kernel::print(c"pool             block  total   free listed waiters  free list\n");
    let mut checked = 0usize;
    let mut broken = 0usize;
    let mut index = 0;
    // Each pool and its name, read while it is certainly registered.
    while let Some((mp, pool_name)) = Registry::lock().and_then(|registry| {
        let mp = registry.nth(index)?;
        // SAFETY: a registered pool, held so by the registry lock.
        Some((mp, unsafe { kernel::name_of(mp) }))
    }) {
        index += 1;
        // The kernel's rt_strncmp over RT_NAME_MAX bytes, as rt_object_find compares names
        // (no memcmp or strlen of compiler_builtins in the firmware).
        // SAFETY: `name` is a string (the caller's contract).
        if !name.is_null() && !unsafe { kernel::same_name(name, &pool_name) } {
            continue;
        }
        let Some(finding) = check_pool(mp) else {
            // Unregistered since: skipped, as `list mempool` would no longer show it.
            continue;
        };
        checked += 1;
        let (figures, verdict, ok) = match finding {
            Finding::Checked(figures, true) => (figures, c"ok", true),
            Finding::Checked(figures, false) => (figures, c"CORRUPTED", false),
            Finding::Unreadable => ([0; 5], c"CORRUPTED", false),
            Finding::Busy => ([0; 5], c"busy", false),
        };
        broken += usize::from(!ok);
        kernel::print_check_line(&pool_name, figures, verdict);
    }
    if checked == 0 && !name.is_null() {
        // SAFETY: `name` is a string.
        unsafe { kernel::print_with(c"mp_check: no memory pool named ", name, c"\n") };
        return -kernel::EINVAL as c_int;
    }
    if broken > 0 {
        -kernel::ERROR as c_int
    } else {
        0
    }
}
