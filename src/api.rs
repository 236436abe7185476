//! The `rt_mp_*` C API: argument checks, setting up and retiring `struct rt_mempool`, and the
//! waiting protocol. It does ABI work only: the pool logic is in [`crate::pool`], the kernel
//! (locks, registry, suspend lists) in `kernel`, `mp_check` in `diag`.
//!
//! Compatibility: the user's own release of RT-Thread's `src/mempool.c` (4.1 to 5.3): same
//! struct layout (from the user's headers), same block counts and addresses, same kernel
//! object class, same blocking and waking as that release (FIFO from 5.1, the most recent
//! waiter first on 4.1/5.0; thread timer; `rt_schedule`), same hook points, same errno values.
//! Differences are only where the C version trusts its caller: misuse is refused with an
//! error code, errno, and a console report when `RT_USING_DEBUG` is on, and nothing is
//! modified. The README's misuse table lists every case and which build refuses it.
//!
//! # The waiting protocol
//!
//! 1. A thread that finds the pool empty queues itself on the pool's suspend list in the same
//!    critical section (pool lock) as the failed attempt, so no free can slip in between.
//! 2. A free gives its block back and wakes one waiter in one critical section. When the
//!    kernel will not wake the first waiter because that waiter's timeout is already in flight
//!    (on another CPU, or in the soft-timer thread: it will leave with -RT_ETIMEOUT), the
//!    wake-up is not dropped but counted as owed in the pool ([`PoolGuard::owed_wakes`]).
//! 3. A thread that has slept owns nothing and must assume nothing: a detach or delete may
//!    have run since (they wake only the threads still queued, and a created pool's memory is
//!    freed). It reaches the pool again only through the kernel's registry,
//!    [`Registry::lock_pool`]: the pool is found among the registered ones and locked with the
//!    registry held, so it cannot be unregistered and freed while it is used. Not found, or
//!    retired: the thread returns RT_NULL as if the detach had woken it.
//! 4. Woken by a free, it tries again (another thread may have taken the block first, as in
//!    RT-Thread: then it queues again). Timed out, it passes an owed wake-up on to the next
//!    waiter if a block is still free, then returns RT_NULL with -RT_ETIMEOUT. Woken by
//!    detach/delete, it returns at once without touching the pool.
//! 5. Detach and delete retire the pool under its lock (every queued waiter woken with the
//!    release's error, the pool marked empty so nothing takes or returns a block), release
//!    the lock, take the owner's address out of every block header ([`pool::retire`], so no
//!    stale block is taken for one of a later pool on the same memory), and only then
//!    unregister the object and free memory. Lock order is registry, then pool, everywhere.

use core::ffi::{c_char, c_void, CStr};

use crate::kernel::{
    self, rt_err_t, rt_int32_t, rt_mempool, rt_size_t, PoolGuard, Registry, Waiter, Wake,
};
use crate::pool::{self, Geometry, PoolError, RawRegion, WORD};

/// Why a call was refused. The errno and the console text follow from it, so that each call
/// site is one small call (the refusal paths would otherwise be a large part of the code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Misuse {
    NullArgument,
    MisalignedObject,
    NotAPool,
    CreatedPool,
    StaticPool,
    InterruptContext,
    AlreadyInitialized,
    CannotWait,
    SuspendRefused,
    NoMemory,
    BadSize,
    TooSmall,
    Overflow,
    NotPoolBlock,
    NotBlockStart,
    NotAllocated,
    Overlaps,
    Corrupted,
}

impl From<PoolError> for Misuse {
    fn from(error: PoolError) -> Misuse {
        match error {
            PoolError::InvalidArgument | PoolError::Exhausted => Misuse::BadSize,
            PoolError::TooSmall => Misuse::TooSmall,
            PoolError::Overflow => Misuse::Overflow,
            PoolError::OutsidePool => Misuse::NotPoolBlock,
            PoolError::NotBlockStart => Misuse::NotBlockStart,
            PoolError::NotAllocated => Misuse::NotAllocated,
            PoolError::Corrupted => Misuse::Corrupted,
        }
    }
}

impl Misuse {
    fn errno(self) -> rt_err_t {
        match self {
            Misuse::NoMemory => -kernel::ENOMEM,
            Misuse::Corrupted | Misuse::SuspendRefused => -kernel::ERROR,
            _ => -kernel::EINVAL,
        }
    }

    fn text(self) -> &'static CStr {
        // One string of NUL-terminated texts and a byte offset per variant: a table of `&CStr`
        // would spend eight bytes of pointer and length per row, and a `match` compiles to a
        // jump table of address loads, larger still. Terse, because every byte is flash:
        // the README's misuse table says what each refusal means.
        const TEXTS: &[u8] = b"null argument\0misaligned\0not a live pool\0use rt_mp_delete\0\
            use rt_mp_detach\0in interrupt\0already a pool\0cannot wait here\0suspend refused\0\
            out of memory\0bad size\0region too small\0size overflow\0not a pool block\0\
            not a block start\0not allocated\0overlaps mp\0pool corrupted\0";
        const ROWS: usize = Misuse::Corrupted as usize + 1;
        const OFFSETS: [u8; ROWS] = {
            let mut offsets = [0u8; ROWS];
            let (mut row, mut i) = (1, 0);
            while i + 1 < TEXTS.len() {
                if TEXTS[i] == 0 {
                    assert!(row < ROWS, "more texts than Misuse variants");
                    assert!(i < u8::MAX as usize, "texts too long for byte offsets");
                    offsets[row] = (i + 1) as u8;
                    row += 1;
                }
                i += 1;
            }
            assert!(row == ROWS, "a text per Misuse variant");
            offsets
        };
        // SAFETY: every offset is the start of one of TEXTS' NUL-terminated entries (computed
        // above at compile time), and the index is a variant of this enum, so below ROWS.
        unsafe { CStr::from_ptr(TEXTS.as_ptr().add(OFFSETS[self as usize] as usize).cast()) }
    }
}

/// Sets errno, reports the misuse and returns the error code (for the `rt_err_t` calls).
#[cold]
#[inline(never)]
pub(crate) fn refuse(function: &'static CStr, misuse: Misuse) -> rt_err_t {
    let error = misuse.errno();
    kernel::set_errno(error);
    kernel::report(function, misuse.text());
    error
}

/// [`refuse`] for the calls that return a pointer: RT_NULL.
#[cold]
#[inline(never)]
fn refuse_null<T>(function: &'static CStr, misuse: Misuse) -> *mut T {
    refuse(function, misuse);
    core::ptr::null_mut()
}

/// Whether `mp` can be dereferenced as a pool at all and is a live one (the quick look before
/// the lock; [`PoolGuard::lock`] checks again under it). With `RTT_MEMPOOL_PARANOID_CHECKS`,
/// the pointer must first be found among the kernel's registered pools, so a garbage pointer
/// is never read.
fn is_live_pool(mp: *mut rt_mempool) -> bool {
    if mp.is_null() || (mp as usize) % core::mem::align_of::<rt_mempool>() != 0 {
        return false;
    }
    #[cfg(rtt_paranoid)]
    if !is_registered(mp) {
        return false;
    }
    // SAFETY: non-null and aligned; the caller handed it to us as a pool (the C API's
    // contract), and in paranoid builds it is one of the kernel's registered objects.
    unsafe { kernel::is_mempool(mp) }
}

/// Whether `mp` is registered with the kernel: refuses copies and forgeries of a pool
/// object, whose class byte looks right but which the kernel never registered. O(pools).
fn is_registered(mp: *mut rt_mempool) -> bool {
    Registry::lock().is_some_and(|registry| registry.contains(mp))
}

/// Fills in a pool whose region is laid out, before it is registered (`rt_mp_init`) or
/// published (`rt_mp_create`): the part both share. `block_total_count` is written last,
/// after a release fence: a pool whose total is 0 is refused by every call, so no thread can
/// use it half-built.
///
/// # Safety
///
/// `mp` must be valid for writes and not yet live for other threads; `region` must own the
/// geometry's memory.
unsafe fn set_up(mp: *mut rt_mempool, geometry: &Geometry, size: usize, mut region: RawRegion) {
    let state = pool::init(geometry, &mut region);
    let head = region.pointer(state.head);
    // SAFETY: guaranteed by the caller.
    unsafe {
        kernel::init_sync(mp);
        (*mp).start_address = region.pointer(geometry.start()).cast();
        (*mp).size = size as rt_size_t;
        (*mp).block_size = geometry.block_size() as rt_size_t;
        (*mp).block_list = head;
        (*mp).block_free_count = state.free as rt_size_t;
        core::sync::atomic::fence(core::sync::atomic::Ordering::Release);
        (*mp).block_total_count = geometry.total() as rt_size_t;
    }
}

/// Takes a pool out of use (see the waiting protocol, step 5) and clears its blocks' headers.
/// The caller then unregisters it (and, for a created pool, frees its memory).
///
/// # Safety
///
/// `mp` must be a registered pool object (its lock initialised), valid during the call.
unsafe fn retire(mp: *mut rt_mempool) -> Result<(), Misuse> {
    // SAFETY: guaranteed by the caller.
    let guard = unsafe { PoolGuard::lock(mp) }.ok_or(Misuse::NotAPool)?;
    let owner = guard.as_ptr() as usize;
    let (geometry, mut region) = guard.retire().ok_or(Misuse::Corrupted)?;
    // Outside the lock: the pool is out of use, and its region is still its own until the
    // caller returns it.
    pool::retire(&geometry, &mut region, owner);
    Ok(())
}

/// Initializes a memory pool in memory the caller provides and registers it as a kernel
/// object of class MemPool.
///
/// The region is cut into `RT_ALIGN_DOWN(size, RT_ALIGN_SIZE) / (RT_ALIGN(block_size,
/// RT_ALIGN_SIZE) + sizeof(void *))` blocks, exactly as RT-Thread does. Initialization takes
/// the same time for any number of blocks: blocks are carved from the region on first use.
/// The pool is registered only once it is fully set up.
///
/// ```c
/// static rt_uint8_t pool_memory[4096];
/// static struct rt_mempool mp;
///
/// if (rt_mp_init(&mp, "mp1", pool_memory, sizeof(pool_memory), 80) != RT_EOK)
///     rt_kprintf("mp1: bad arguments\n");
/// ```
///
/// # Safety
///
/// `mp` must be valid for writes of a `struct rt_mempool` and not a registered object;
/// `name` a NUL-terminated string; `start` valid for reads and writes of `size` bytes, used by
/// nothing else until the pool is detached.
///
/// # Compatibility
///
/// Returns RT_EOK as RT-Thread does (4.1 to 5.3). Where RT-Thread asserts or corrupts memory,
/// returns -RT_EINVAL (errno set, nothing written): null `mp`, `name` or `start`; zero `size`
/// or `block_size`; a region too small for one block; `start` or `mp` not aligned to a
/// pointer; sizes that overflow; a region that overlaps `*mp`; `mp` already a registered
/// pool. A `start` aligned to a pointer but not to RT_ALIGN_SIZE is accepted, as in
/// RT-Thread, so block counts never differ.
#[no_mangle]
pub unsafe extern "C" fn rt_mp_init(
    mp: *mut rt_mempool,
    name: *const c_char,
    start: *mut c_void,
    size: rt_size_t,
    block_size: rt_size_t,
) -> rt_err_t {
    const F: &CStr = c"rt_mp_init";
    if mp.is_null() || name.is_null() || start.is_null() {
        return refuse(F, Misuse::NullArgument);
    }
    if (mp as usize) % core::mem::align_of::<rt_mempool>() != 0 {
        return refuse(F, Misuse::MisalignedObject);
    }
    let layout = match Geometry::for_region(
        start as usize,
        size as usize,
        block_size as usize,
        kernel::ALIGN_SIZE,
    ) {
        Ok(layout) => layout,
        Err(error) => return refuse(F, error.into()),
    };
    // The region (all of it: RT-Thread's `size`) must not contain the pool object itself.
    let object = mp as usize..mp as usize + core::mem::size_of::<rt_mempool>();
    let region = start as usize..start as usize + layout.size;
    if object.start < region.end && region.start < object.end {
        return refuse(F, Misuse::Overlaps);
    }
    // Only an object whose class byte says "static MemPool" can be a registered pool; the
    // registry walk (O(pools), under the registry's lock) confirms it.
    // SAFETY: `mp` is valid for writes, so readable, and aligned (checked above).
    if unsafe { kernel::is_mempool(mp) } && is_registered(mp) {
        return refuse(F, Misuse::AlreadyInitialized);
    }
    // SAFETY: `mp` is valid for writes and unregistered (checked above), so no other thread
    // uses it as a pool; the caller guarantees `start` is ours for `size` bytes and the
    // geometry lies inside it. Set up first, registered last.
    unsafe {
        set_up(
            mp,
            &layout.geometry,
            layout.size,
            RawRegion::new(&layout.geometry, start.cast()),
        );
        kernel::object_init(mp, name);
    }
    kernel::EOK
}

/// Unregisters a pool set up by [`rt_mp_init`]. Threads waiting on it wake up and their
/// `rt_mp_alloc` returns RT_NULL (their thread error is RT_ERROR on RT-Thread 5.1+,
/// -RT_ERROR on 4.1/5.0, as each release's C version gives).
///
/// ```c
/// rt_mp_detach(&mp);
/// ```
///
/// # Safety
///
/// `mp` must be null or point to readable memory of a `struct rt_mempool`.
///
/// # Compatibility
///
/// As RT-Thread, plus: -RT_EINVAL for null, for anything that is not a registered live pool
/// (detached, deleted, another object class, a copy of a pool object) and for a pool made by
/// `rt_mp_create` (use `rt_mp_delete`), where RT-Thread asserts or unlinks the original. The
/// headers of the pool's blocks no longer name it afterwards (O(blocks)), so a block of the
/// old pool is refused by a pool set up again on the same memory. As in RT-Thread 5.3, the
/// woken threads run at the next scheduling point: no reschedule here.
#[no_mangle]
pub unsafe extern "C" fn rt_mp_detach(mp: *mut rt_mempool) -> rt_err_t {
    const F: &CStr = c"rt_mp_detach";
    if !is_live_pool(mp) || !is_registered(mp) {
        return refuse(F, Misuse::NotAPool);
    }
    // SAFETY: `mp` is a registered pool.
    if !unsafe { kernel::is_static(mp) } {
        return refuse(F, Misuse::CreatedPool);
    }
    // SAFETY: a registered static pool; no lock held.
    match unsafe { retire(mp) } {
        Ok(()) => {
            // SAFETY: still registered (only this call unregisters it); no lock held.
            unsafe { kernel::object_detach(mp) };
            kernel::EOK
        }
        Err(misuse) => refuse(F, misuse),
    }
}

/// Creates a pool of `block_count` blocks of `block_size` bytes on the kernel heap.
///
/// ```c
/// rt_mp_t mp = rt_mp_create("msgs", 32, sizeof(struct msg));
/// if (mp == RT_NULL)
///     rt_kprintf("no memory for the pool\n");
/// ```
///
/// # Safety
///
/// `name` must be null or a NUL-terminated string.
///
/// # Compatibility
///
/// As RT-Thread. Returns RT_NULL with errno -RT_ENOMEM when the heap is exhausted, and with
/// -RT_EINVAL for a null name, zero count or size, a size that overflows `rt_size_t` (where
/// RT-Thread allocates too little), or a call from interrupt context. A thread that finds the
/// pool by name before it is set up is refused (its total is 0 until then).
#[cfg(rtt_heap)]
#[no_mangle]
pub unsafe extern "C" fn rt_mp_create(
    name: *const c_char,
    block_count: rt_size_t,
    block_size: rt_size_t,
) -> *mut rt_mempool {
    const F: &CStr = c"rt_mp_create";
    if name.is_null() {
        return refuse_null(F, Misuse::NullArgument);
    }
    if kernel::in_interrupt() {
        return refuse_null(F, Misuse::InterruptContext);
    }
    let heap = match Geometry::for_count(
        block_count as usize,
        block_size as usize,
        kernel::ALIGN_SIZE,
    ) {
        Ok(heap) => heap,
        Err(error) => return refuse_null(F, error.into()),
    };
    // SAFETY: thread context.
    let start = unsafe { kernel::heap_alloc(heap.bytes) };
    let Ok(geometry) = Geometry::with_count(start as usize, heap.block_size, block_count as usize)
    else {
        // SAFETY: rt_free(NULL) is a no-op, so a null `start` needs no special case.
        unsafe { kernel::heap_free(start) };
        return refuse_null(F, Misuse::NoMemory);
    };
    // SAFETY: `name` is a string; thread context checked above.
    let mp = unsafe { kernel::object_allocate(name) };
    if mp.is_null() {
        // SAFETY: our own heap block, not shared.
        unsafe { kernel::heap_free(start) };
        return refuse_null(F, Misuse::NoMemory);
    }
    // SAFETY: `mp` is a fresh, zeroed object of the right size: every call refuses it until
    // `set_up` publishes its total; the heap block is ours and exactly the geometry's size.
    unsafe { set_up(mp, &geometry, heap.bytes, RawRegion::new(&geometry, start)) };
    mp
}

/// Deletes a pool made by [`rt_mp_create`] and returns its memory to the heap. Threads
/// waiting on it wake up and their `rt_mp_alloc` returns RT_NULL.
///
/// ```c
/// rt_mp_delete(mp);
/// ```
///
/// # Safety
///
/// `mp` must be null or point to readable memory of a `struct rt_mempool`; no block of the
/// pool may be used afterwards.
///
/// # Compatibility
///
/// As RT-Thread, plus: -RT_EINVAL for null, for anything that is not a registered live pool,
/// for a pool set up by `rt_mp_init` (use `rt_mp_detach`) and from interrupt context. A
/// thread woken by a free that has not run yet when the pool is deleted returns RT_NULL
/// without touching the freed object.
#[cfg(rtt_heap)]
#[no_mangle]
pub unsafe extern "C" fn rt_mp_delete(mp: *mut rt_mempool) -> rt_err_t {
    const F: &CStr = c"rt_mp_delete";
    if kernel::in_interrupt() {
        return refuse(F, Misuse::InterruptContext);
    }
    if !is_live_pool(mp) || !is_registered(mp) {
        return refuse(F, Misuse::NotAPool);
    }
    // SAFETY: `mp` is a registered pool.
    if unsafe { kernel::is_static(mp) } {
        return refuse(F, Misuse::StaticPool);
    }
    // SAFETY: a registered created pool; no lock held. Its start address is read before it
    // is retired (the fields stay as they are, but read it while it is certainly live).
    let start = unsafe { (*mp).start_address };
    // SAFETY: as above.
    if let Err(misuse) = unsafe { retire(mp) } {
        return refuse(F, misuse);
    }
    // SAFETY: a created pool, retired: its memory came from the heap and its object from
    // rt_object_allocate, and no alloc or free uses them any more; a thread that finds it in
    // the registry meanwhile finds it retired (it looks under the registry's lock, which
    // rt_object_delete needs before it frees the object).
    unsafe {
        kernel::heap_free(start.cast());
        kernel::object_delete(mp);
    }
    kernel::EOK
}

/// Takes a block under the pool lock (`PoolError::Exhausted` when the pool is empty).
#[inline(always)]
fn take(guard: &mut PoolGuard<'_>) -> Result<*mut c_void, PoolError> {
    let (geometry, mut state, mut region) = guard.load().ok_or(PoolError::Corrupted)?;
    let block = pool::alloc(&geometry, &mut state, &mut region, guard.as_ptr() as usize)?;
    guard.store(&state, &region);
    Ok(region.pointer(block).cast())
}

/// A timed-out waiter's last duty (the waiting protocol, step 4): for every free that could
/// not wake anyone because this or another waiter was timing out, wake the next waiter while
/// blocks are free. Reaches the pool through the registry only.
#[cold]
#[inline(never)]
fn pass_on_owed_wake(mp: *mut rt_mempool) {
    let mut woke = false;
    if let Some(mut guard) = kernel::find_locked_pool(mp) {
        let owed = guard.owed_wakes();
        // The stored free count as it is, not the checked geometry: it only bounds how many
        // waiters are woken, and a waiter woken for nothing tries again and queues again.
        let free = guard.free_count();
        // One wake-up per free that woke nobody, as long as blocks and waiters are left (a
        // block taken meanwhile by a thread that did not wait settles its wake-up).
        let mut left = usize::from(owed).min(free);
        let mut refused = false;
        while left > 0 && guard.has_waiters() {
            if guard.wake_first() == Wake::Refused {
                // The next waiter is timing out too: it passes the rest on itself.
                refused = true;
                break;
            }
            left -= 1;
            woke = true;
        }
        // The count fits: `left` never grows above `owed`, a u8.
        guard.set_owed_wakes(if refused { left as u8 } else { 0 });
    }
    if woke {
        kernel::schedule();
    }
}

/// Takes a block from the pool. With `time == 0` it returns at once; with a positive `time`
/// it waits up to that many ticks, with `RT_WAITING_FOREVER` until a block is freed.
///
/// ```c
/// void *msg = rt_mp_alloc(&mp, RT_WAITING_FOREVER);
/// if (msg == RT_NULL)
///     rt_kprintf("pool went away: %d\n", rt_get_errno());
/// ```
///
/// # Safety
///
/// `mp` must be null or point to readable memory of a `struct rt_mempool` that stays valid
/// until the first attempt has been made (after a wait this function reaches the pool only
/// through the kernel's registry).
///
/// # Compatibility
///
/// As the user's release of RT-Thread: waiters are served first come, first served on 5.1+,
/// most recent first on 4.1/5.0; RT_NULL with errno -RT_ETIMEOUT when no block comes in time;
/// RT_NULL with the thread error RT_ERROR (5.1+) or -RT_ERROR (4.1/5.0) when the pool is
/// detached or deleted while waiting, also when a free had woken the thread but the pool went
/// away before it ran (where RT-Thread reads the freed object). Plus: RT_NULL with errno
/// -RT_EINVAL for null or a dead pool, and when it would have to wait in interrupt context,
/// with the scheduler locked or before the scheduler runs (RT-Thread asserts or hangs);
/// RT_NULL with -RT_ERROR when the pool's memory was found corrupted. A wake-up is never lost
/// to a waiter that is timing out at the moment of a free: it is passed on.
#[no_mangle]
pub unsafe extern "C" fn rt_mp_alloc(mp: *mut rt_mempool, time: rt_int32_t) -> *mut c_void {
    const F: &CStr = c"rt_mp_alloc";
    if !is_live_pool(mp) {
        return refuse_null(F, Misuse::NotAPool);
    }
    // The first attempt: the caller vouches for `mp` (this function's contract).
    // SAFETY: a live pool object, readable and aligned (checked above), its lock initialised
    // before it went live.
    let Some(mut guard) = (unsafe { PoolGuard::lock(mp) }) else {
        return refuse_null(F, Misuse::NotAPool);
    };
    // The same out-of-line take as the blocking path's: one copy of the pool logic in the
    // image, for one call more on the fast path.
    let block = take_out_of_line(&mut guard);
    drop(guard);
    if block == CORRUPTED {
        return refuse_null(F, Misuse::Corrupted);
    }
    if !block.is_null() {
        return hooked_alloc(mp, block);
    }
    if time == 0 {
        kernel::set_errno(-kernel::ETIMEOUT);
        return core::ptr::null_mut();
    }
    // A tail call: this frame is gone while the thread waits.
    wait_for_block(mp, time)
}

/// The blocking part of `rt_mp_alloc`. Every attempt here reaches the pool through the
/// registry (the waiting protocol, step 3), the first one too: the pool may have refilled,
/// or gone, since the first look.
///
/// This frame is on the stack while the thread sleeps, and under it the kernel's suspend
/// calls: RT-Thread's sample runs its threads on 512-byte stacks, and on SMP an interrupt
/// saves its context on the same stack. So it keeps only a few words (the pool, the time
/// left, the tick it started at; the thread is asked for again rather than kept), and the
/// pool view lives in a call of its own that has returned before it queues the thread.
#[inline(never)]
fn wait_for_block(mp: *mut rt_mempool, time: rt_int32_t) -> *mut c_void {
    const F: &CStr = c"rt_mp_alloc";
    // Asked outside any lock: on SMP the pool's spinlock itself locks the scheduler, which
    // would look like the caller's doing. (It also asks that the caller is a thread.)
    if !kernel::may_block() {
        return refuse_null(F, Misuse::CannotWait);
    }
    let mut remaining = time;
    loop {
        // The tick is needed only to shorten a finite wait (not on RT_WAITING_FOREVER's way).
        let before = if remaining > 0 { kernel::tick() } else { 0 };
        let outcome = take_or_queue(mp, remaining);
        if outcome != QUEUED {
            return outcome;
        }
        kernel::schedule();
        // The thread is asked for again rather than kept: one register less in this frame.
        let reason = Waiter::current().map_or(kernel::ERROR, |waiter| waiter.wake_reason());
        if reason != kernel::EOK {
            if reason == -kernel::ETIMEOUT {
                pass_on_owed_wake(mp);
            }
            // The thread error is the errno the caller sees, as in RT-Thread.
            return core::ptr::null_mut();
        }
        if remaining > 0 {
            let waited = kernel::tick().wrapping_sub(before);
            remaining = remaining
                .saturating_sub(waited.min(i32::MAX as _) as rt_int32_t)
                .max(0);
        }
    }
}

/// One attempt of the blocking path, through the registry: take a block, or queue the caller
/// (when it has time left) in the same critical section. Returns [`QUEUED`], or what
/// `rt_mp_alloc` returns (errno set when it is RT_NULL).
///
/// Inlined on one core with 32-bit words: the deepest point of a waiter is then the kernel's
/// suspend call, under one frame instead of two (`components.mempool.stack`, waiter: 176 ->
/// 160 bytes on qemu-vexpress-a9 and lm3s8962, the C version's 160). A call of its own
/// elsewhere, so that the registry and pool guards are not in the frame that sleeps in
/// `rt_schedule`: on SMP an interrupt saves its context on top of it (inlined, vexpress's SMP
/// waiter grew 212 -> 260 bytes), and with 64-bit words every live value costs a saved 8-byte
/// register in that frame (inlined, the waiter grew 368 -> 392 bytes on RV64 and 808 -> 840 on
/// AArch64).
#[cfg_attr(any(rtt_smp, target_pointer_width = "64"), inline(never))]
#[cfg_attr(not(any(rtt_smp, target_pointer_width = "64")), inline(always))]
fn take_or_queue(mp: *mut rt_mempool, remaining: rt_int32_t) -> *mut c_void {
    const F: &CStr = c"rt_mp_alloc";
    // The registry walk inlined here, not a call: interrupts are still enabled on the way
    // into it, and an interrupt saves its context on this thread's stack on top of whatever
    // frames are live then.
    let Some(mut guard) = Registry::lock().and_then(|registry| registry.lock_pool(mp)) else {
        return retired();
    };
    let block = take_out_of_line(&mut guard);
    if block == CORRUPTED {
        drop(guard);
        return refuse_null(F, Misuse::Corrupted);
    }
    if !block.is_null() {
        drop(guard);
        return hooked_alloc(mp, block);
    }
    if remaining == 0 {
        // Woken by a free as its time ran out, and the block was taken first.
        drop(guard);
        kernel::set_errno(-kernel::ETIMEOUT);
        return core::ptr::null_mut();
    }
    let ticks = (remaining > 0).then_some(remaining as kernel::sys::rt_tick_t);
    let queued = Waiter::current().is_some_and(|waiter| guard.suspend(&waiter, ticks));
    drop(guard);
    if !queued {
        return refuse_null(F, Misuse::SuspendRefused);
    }
    QUEUED
}

/// [`take_or_queue`]'s "queued: switch away" (odd, so never a block, nor RT_NULL).
const QUEUED: *mut c_void = 3 as *mut c_void;

/// [`take`] as a call of its own, for the blocking path: the pool view lives in this frame,
/// which has returned before the thread queues itself. The outcome comes back in one
/// register, not through memory in the waiting frame: the block, or null when the pool is
/// empty, or [`CORRUPTED`] (odd, so never a block, which is word-aligned).
#[inline(never)]
fn take_out_of_line(guard: &mut PoolGuard<'_>) -> *mut c_void {
    match take(guard) {
        Ok(block) => block,
        Err(PoolError::Exhausted) => core::ptr::null_mut(),
        // pool::alloc refuses with nothing else.
        Err(_) => CORRUPTED,
    }
}

/// [`take_out_of_line`]'s "the pool's memory is corrupted".
const CORRUPTED: *mut c_void = 1 as *mut c_void;

/// A thread that has slept finds its pool gone (woken by a free, then detached or deleted
/// before it ran): the outcome a detach gives a queued waiter.
#[cold]
#[inline(never)]
fn retired() -> *mut c_void {
    kernel::set_errno(kernel::RETIRED_ERROR);
    core::ptr::null_mut()
}

/// Calls the alloc hook (where the kernel has hooks) and returns the block.
#[inline(always)]
#[cfg_attr(not(rtt_hook), allow(unused_variables))]
fn hooked_alloc(mp: *mut rt_mempool, block: *mut c_void) -> *mut c_void {
    #[cfg(rtt_hook)]
    kernel::alloc_hook(mp, block);
    block
}

/// Gives a block back to its pool (found through the block's header) and wakes one thread
/// waiting on that pool. `RT_NULL` is ignored.
///
/// ```c
/// rt_mp_free(msg);
/// ```
///
/// # Safety
///
/// `block` must be null or a pointer whose preceding pointer-sized word is readable; a block
/// returned by `rt_mp_alloc` always is.
///
/// # Compatibility
///
/// As the user's release of RT-Thread for blocks it handed out (the first waiter woken: the
/// oldest on 5.1+, the most recent on 4.1/5.0; the free hook called before the block is given
/// back). Where RT-Thread corrupts its free list or writes through a garbage pointer, this
/// refuses with errno -RT_EINVAL and changes nothing: a block freed twice, a pointer into the
/// middle of a block, a pointer no pool handed out, a block of a detached pool, a stale block
/// of a pool set up again on the same memory. (Errno is -RT_ERROR if the pool's own memory is
/// found corrupted.) A block of a deleted pool is refused as long as the freed object's memory
/// is not reused; with `RTT_MEMPOOL_PARANOID_CHECKS` always, because the pool pointer is
/// looked up among the registered pools before anything is read through it. If the kernel
/// will not wake the first waiter because its timeout is in flight, the wake-up is passed on
/// by that waiter (RT-Thread drops it).
#[no_mangle]
pub unsafe extern "C" fn rt_mp_free(block: *mut c_void) {
    const F: &CStr = c"rt_mp_free";
    if block.is_null() {
        return;
    }
    if (block as usize) % WORD != 0 || (block as usize) < WORD {
        refuse(F, Misuse::NotBlockStart);
        return;
    }
    // SAFETY: the caller guarantees the word before `block` is readable, and it is aligned.
    let owner = unsafe { block.cast::<usize>().sub(1).read() };
    let mp = owner as *mut rt_mempool;
    if !pool::is_valid_owner(owner) || !is_live_pool(mp) {
        refuse(F, Misuse::NotAllocated);
        return;
    }
    // RT-Thread calls the hook here: the header names the pool, the block is not back yet.
    #[cfg(rtt_hook)]
    kernel::free_hook(mp, block);
    // SAFETY: the header names a live pool object (checked above), which the caller's block
    // vouches for: it stays valid during the call.
    let Some(mut guard) = (unsafe { PoolGuard::lock(mp) }) else {
        refuse(F, Misuse::NotAllocated);
        return;
    };
    let Some((geometry, mut state, mut region)) = guard.load() else {
        drop(guard);
        refuse(F, Misuse::Corrupted);
        return;
    };
    #[cfg(rtt_paranoid)]
    if !pool::is_allocated(&geometry, &state, &region, block as usize) {
        drop(guard);
        refuse(F, Misuse::NotAllocated);
        return;
    }
    if let Err(error) = pool::free(&geometry, &mut state, &mut region, owner, block as usize) {
        drop(guard);
        refuse(F, error.into());
        return;
    }
    guard.store(&state, &region);
    // As the C version: the first waiter is woken in the same critical section (it takes
    // the block when it runs, unless another thread takes it first, as in RT-Thread).
    let woke = guard.has_waiters() && {
        let owed = guard.owed_wakes();
        if owed > 0 {
            // A waiter whose timeout is in flight already owes wake-ups and is still queued:
            // waking again would only retry it (and on RT-Thread 5.3 a second attempt makes
            // that thread ready twice, the kernel's own timeout race). It passes this one on
            // too (the waiting protocol, step 2).
            guard.set_owed_wakes(owed.saturating_add(1));
            false
        } else {
            match guard.wake_first() {
                Wake::Woken => true,
                Wake::Refused => {
                    // The first waiter is timing out: owe the wake-up; it passes it on when
                    // it leaves.
                    guard.set_owed_wakes(1);
                    false
                }
            }
        }
    };
    drop(guard);
    if woke {
        kernel::schedule();
    }
}

/// Compile-time proof that every export has exactly the type the user's `rtthread.h`
/// declares: each pair must coerce to one function pointer type. (The hooks are set in
/// `src/glue.c`, which the C compiler checks against the same declarations.)
macro_rules! same_signature {
    ($($name:ident: $ty:ty;)*) => {
        $(const _: [$ty; 2] = [$name, kernel::sys::$name];)*
    };
}

same_signature! {
    rt_mp_init: unsafe extern "C" fn(*mut rt_mempool, *const c_char, *mut c_void, rt_size_t, rt_size_t) -> rt_err_t;
    rt_mp_detach: unsafe extern "C" fn(*mut rt_mempool) -> rt_err_t;
    rt_mp_alloc: unsafe extern "C" fn(*mut rt_mempool, rt_int32_t) -> *mut c_void;
    rt_mp_free: unsafe extern "C" fn(*mut c_void);
}

#[cfg(rtt_heap)]
same_signature! {
    rt_mp_create: unsafe extern "C" fn(*const c_char, rt_size_t, rt_size_t) -> *mut rt_mempool;
    rt_mp_delete: unsafe extern "C" fn(*mut rt_mempool) -> rt_err_t;
}
