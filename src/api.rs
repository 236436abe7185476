//! The `rt_mp_*` C API: argument checks, loading and storing `struct rt_mempool`, blocking and
//! waking through the kernel. The pool logic itself is in [`crate::pool`].
//!
//! Compatibility with RT-Thread 5.3's `src/mempool.c`: same struct layout (from the user's
//! headers), same block counts and addresses, same kernel object class, same blocking and
//! waking (suspend list FIFO, thread timer, `rt_schedule`), same hook points. Differences are
//! only where the C version trusts its caller: misuse is refused with an error code, errno,
//! and a console report when `RT_USING_DEBUG` is on, and nothing is modified. The README's
//! misuse table lists every case.

use core::ffi::{c_char, c_int, c_void, CStr};
use core::ptr::addr_of;
use core::sync::atomic::{AtomicPtr, Ordering};

use crate::kernel::{self, rt_err_t, rt_int32_t, rt_mempool, rt_size_t, PoolLock, Waiter};
use crate::pool::{self, Geometry, PoolError, PoolState, RawRegion, WORD};

/// Reads the pool bookkeeping out of the C struct, after checking (again, now under the lock)
/// that it is still a live pool: another thread may have detached or deleted it since the
/// caller's first look. The geometry fields are the ones `set_up` validated and stored;
/// nothing but this module writes them while the pool is live.
///
/// # Safety
///
/// `mp` must point to a pool object (live or detached), under its lock.
#[inline(always)]
unsafe fn load(mp: *mut rt_mempool) -> Result<(Geometry, PoolState, RawRegion), Misuse> {
    // SAFETY: guaranteed by the caller; the geometry fields are those `set_up` stored from a
    // validated geometry (a pool being created, or deleted, has a total of 0 and is refused).
    unsafe {
        if !kernel::is_mempool(mp) || (*mp).block_total_count == 0 {
            return Err(Misuse::NotAPool);
        }
        let start = (*mp).start_address.cast::<u8>();
        let geometry = Geometry::from_laid_out(
            start as usize,
            (*mp).block_size as usize,
            (*mp).block_total_count as usize,
        );
        let state = PoolState {
            head: (*mp).block_list as usize,
            free: (*mp).block_free_count as usize,
        };
        // A live pool owns its region (rt_mp_init's contract or rt_mp_create's heap block)
        // and, under the pool lock, nothing else touches the slot headers.
        Ok((geometry, state, RawRegion::new(start)))
    }
}

/// [`load`] for code that walks the free list and so must not trust the geometry fields:
/// `mp_check`, which is run precisely when memory may have been overwritten.
///
/// # Safety
///
/// As for [`load`].
unsafe fn load_checked(mp: *mut rt_mempool) -> Result<(Geometry, PoolState, RawRegion), Misuse> {
    // SAFETY: guaranteed by the caller.
    let (geometry, state, region) = unsafe { load(mp) }?;
    Geometry::with_count(geometry.start(), geometry.block_size(), geometry.total())
        .map(|geometry| (geometry, state, region))
        .map_err(|_| Misuse::Corrupted)
}

/// Writes the bookkeeping back.
///
/// # Safety
///
/// As for [`load`].
unsafe fn store(mp: *mut rt_mempool, state: &PoolState, region: &RawRegion) {
    // SAFETY: guaranteed by the caller. `block_list` keeps C's meaning: the next block's slot.
    unsafe {
        (*mp).block_list = if state.head == 0 {
            core::ptr::null_mut()
        } else {
            region.pointer(state.head)
        };
        (*mp).block_free_count = state.free as rt_size_t;
    }
}

/// Whether `mp` can be dereferenced as a pool at all and is a live one. With
/// `RTT_MEMPOOL_PARANOID_CHECKS`, the pointer must first be found among the kernel's
/// registered pools, so a garbage pointer is never read.
fn is_live_pool(mp: *mut rt_mempool) -> bool {
    if mp.is_null() || (mp as usize) % core::mem::align_of::<rt_mempool>() != 0 {
        return false;
    }
    #[cfg(rtt_paranoid)]
    if !kernel::is_registered_pool(mp) {
        return false;
    }
    // SAFETY: non-null and aligned; the caller handed it to us as a pool (the C API's
    // contract), and in paranoid builds it is one of the kernel's registered objects.
    unsafe { kernel::is_mempool(mp) }
}

/// Why a call was refused. The errno and the console text follow from it, so that each call
/// site is one small call (the refusal paths would otherwise be a large part of the code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Misuse {
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
        // jump table of address loads, larger still.
        const TEXTS: &[u8] = b"null argument\0misaligned pool object\0not a live mempool\0\
            created pool: use rt_mp_delete\0static pool: use rt_mp_detach\0interrupt context\0\
            already initialized\0cannot suspend here\0kernel refused to suspend\0out of memory\0\
            bad size or address\0region too small\0size overflow\0not a block of a pool\0\
            not the start of a block\0block not allocated (double free?)\0pool memory corrupted\0";
        const ROWS: usize = Misuse::Corrupted as usize + 1;
        const OFFSETS: [u16; ROWS] = {
            let mut offsets = [0u16; ROWS];
            let (mut row, mut i) = (1, 0);
            while i + 1 < TEXTS.len() {
                if TEXTS[i] == 0 {
                    assert!(row < ROWS, "more texts than Misuse variants");
                    offsets[row] = (i + 1) as u16;
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
fn refuse(function: &'static CStr, misuse: Misuse) -> rt_err_t {
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

/// Fills in a pool whose region is laid out and whose object is registered or allocated:
/// the part `rt_mp_init` and `rt_mp_create` share.
///
/// # Safety
///
/// `mp` must be valid for writes and not yet used by other threads; `region` must own the
/// geometry's memory.
unsafe fn set_up(mp: *mut rt_mempool, geometry: &Geometry, size: usize, mut region: RawRegion) {
    let state = pool::init(geometry, &mut region);
    // SAFETY: guaranteed by the caller.
    unsafe {
        (*mp).start_address = region.pointer(geometry.start()).cast();
        (*mp).size = size as rt_size_t;
        (*mp).block_size = geometry.block_size() as rt_size_t;
        (*mp).block_total_count = geometry.total() as rt_size_t;
        kernel::init_sync(mp);
        store(mp, &state, &region);
    }
}

/// Wakes every waiter of a pool that is going away (their `rt_mp_alloc` returns RT_NULL with
/// thread error RT_ERROR) and takes the pool out of use under its lock: a static pool is
/// unregistered there, as the C version does; a created pool is marked empty (total 0), so
/// that nothing takes or returns a block while `rt_mp_delete` frees its memory. Refuses a pool
/// that another thread took out of use first.
///
/// As in RT-Thread, the woken threads run at the next scheduling point: neither
/// `rt_mp_detach` nor `rt_mp_delete` reschedules.
///
/// # Safety
///
/// `mp` must point to a pool object whose lock is initialised.
unsafe fn release_waiters(mp: *mut rt_mempool) -> Result<(), Misuse> {
    // SAFETY: guaranteed by the caller.
    let _lock = unsafe { PoolLock::acquire(mp) };
    // SAFETY: under the pool lock; `load` checks the class and the total again.
    unsafe {
        load(mp)?;
        kernel::wake_all_with_error(mp);
        if kernel::is_static(mp) {
            kernel::object_detach(mp);
        } else {
            (*mp).block_total_count = 0;
            (*mp).block_free_count = 0;
            (*mp).block_list = core::ptr::null_mut();
        }
    }
    Ok(())
}

/// Initializes a memory pool in memory the caller provides and registers it as a kernel
/// object of class MemPool.
///
/// The region is cut into `RT_ALIGN_DOWN(size, RT_ALIGN_SIZE) / (RT_ALIGN(block_size,
/// RT_ALIGN_SIZE) + sizeof(void *))` blocks, exactly as RT-Thread does. Initialization takes
/// the same time for any number of blocks: blocks are carved from the region on first use.
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
/// Returns RT_EOK as RT-Thread does. Where RT-Thread asserts or corrupts memory, returns
/// -RT_EINVAL (errno set, nothing written): null `mp`, `name` or `start`; zero `size` or
/// `block_size`; a region too small for one block; `start` or `mp` not aligned to a pointer;
/// sizes that overflow; `mp` already a registered pool. A `start` aligned to a pointer but
/// not to RT_ALIGN_SIZE is accepted, as in RT-Thread, so block counts never differ.
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
    // Only an object whose class byte says "static MemPool" can be a registered pool; the
    // registry walk (O(pools), under the pool list's own lock) confirms it.
    // SAFETY: `mp` is valid for writes, so readable, and aligned (checked above).
    if unsafe { kernel::is_mempool(mp) } && kernel::is_registered_pool(mp) {
        return refuse(F, Misuse::AlreadyInitialized);
    }
    // SAFETY: `mp` is valid for writes and unregistered (checked above); `name` is a string;
    // the caller guarantees `start` is ours for `size` bytes and the geometry lies inside it.
    unsafe {
        kernel::object_init(mp, name);
        set_up(
            mp,
            &layout.geometry,
            layout.size,
            RawRegion::new(start.cast()),
        );
    }
    kernel::EOK
}

/// Unregisters a pool set up by [`rt_mp_init`]. Threads waiting on it wake up and their
/// `rt_mp_alloc` returns RT_NULL (their thread error is RT_ERROR).
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
/// As RT-Thread, plus: -RT_EINVAL for null, for anything that is not a live pool (detached,
/// deleted, another object class) and for a pool made by `rt_mp_create` (use
/// `rt_mp_delete`), where RT-Thread asserts.
#[no_mangle]
pub unsafe extern "C" fn rt_mp_detach(mp: *mut rt_mempool) -> rt_err_t {
    const F: &CStr = c"rt_mp_detach";
    if !is_live_pool(mp) {
        return refuse(F, Misuse::NotAPool);
    }
    // SAFETY: `mp` is a live pool.
    if !unsafe { kernel::is_static(mp) } {
        return refuse(F, Misuse::CreatedPool);
    }
    // SAFETY: a live static pool.
    match unsafe { release_waiters(mp) } {
        Ok(()) => kernel::EOK,
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
/// RT-Thread allocates too little), or a call from interrupt context.
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
    // SAFETY: `name` is a string; thread context checked above.
    let mp = unsafe { kernel::object_allocate(name) };
    if mp.is_null() {
        return refuse_null(F, Misuse::NoMemory);
    }
    // SAFETY: thread context.
    let start = unsafe { kernel::heap_alloc(heap.bytes) };
    let geometry = match Geometry::with_count(start as usize, heap.block_size, block_count as usize)
    {
        Ok(geometry) => geometry,
        Err(_) => {
            // SAFETY: `mp` came from object_allocate and is not shared yet; rt_free(NULL) is
            // a no-op, so a null `start` needs no special case.
            unsafe {
                kernel::heap_free(start);
                kernel::object_delete(mp);
            }
            return refuse_null(F, Misuse::NoMemory);
        }
    };
    // SAFETY: `mp` is a fresh object of the right size, not yet visible to other threads
    // through anything but its name; the heap block is ours and exactly the geometry's size.
    unsafe { set_up(mp, &geometry, heap.bytes, RawRegion::new(start)) };
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
/// As RT-Thread, plus: -RT_EINVAL for null, for anything that is not a live pool, for a pool
/// set up by `rt_mp_init` (use `rt_mp_detach`) and from interrupt context.
#[cfg(rtt_heap)]
#[no_mangle]
pub unsafe extern "C" fn rt_mp_delete(mp: *mut rt_mempool) -> rt_err_t {
    const F: &CStr = c"rt_mp_delete";
    if kernel::in_interrupt() {
        return refuse(F, Misuse::InterruptContext);
    }
    if !is_live_pool(mp) {
        return refuse(F, Misuse::NotAPool);
    }
    // SAFETY: `mp` is a live pool.
    if unsafe { kernel::is_static(mp) } {
        return refuse(F, Misuse::StaticPool);
    }
    // SAFETY: a live created pool.
    if let Err(misuse) = unsafe { release_waiters(mp) } {
        return refuse(F, misuse);
    }
    // SAFETY: a created pool, now marked empty under its lock: its memory came from the heap
    // and its object from rt_object_allocate, and no alloc or free uses them any more.
    unsafe {
        kernel::heap_free((*mp).start_address.cast());
        kernel::object_delete(mp);
    }
    kernel::EOK
}

/// The hook type of `rt_mp_alloc_sethook` / `rt_mp_free_sethook`.
#[allow(non_camel_case_types)]
pub type rt_mp_hook_t = Option<unsafe extern "C" fn(mp: *mut rt_mempool, block: *mut c_void)>;

#[cfg(rtt_hook)]
static ALLOC_HOOK: AtomicPtr<c_void> = AtomicPtr::new(core::ptr::null_mut());
#[cfg(rtt_hook)]
static FREE_HOOK: AtomicPtr<c_void> = AtomicPtr::new(core::ptr::null_mut());

#[cfg_attr(not(rtt_hook), allow(dead_code))]
fn store_hook(slot: &AtomicPtr<c_void>, hook: rt_mp_hook_t) {
    slot.store(
        hook.map_or(core::ptr::null_mut(), |f| f as *mut c_void),
        Ordering::Relaxed,
    );
}

#[cfg_attr(not(rtt_hook), allow(dead_code, unused_variables))]
fn call_hook(slot: &AtomicPtr<c_void>, mp: *mut rt_mempool, block: *mut c_void) {
    let hook = slot.load(Ordering::Relaxed);
    if !hook.is_null() {
        // SAFETY: `store_hook` stores only function pointers of the hook type, and a
        // non-null function pointer round-trips through a data pointer on every target
        // RT-Thread supports.
        let hook: unsafe extern "C" fn(*mut rt_mempool, *mut c_void) =
            unsafe { core::mem::transmute(hook) };
        // SAFETY: calling the user's hook with the arguments RT-Thread passes it.
        unsafe { hook(mp, block) };
    }
}

/// Sets the function called after every successful allocation, with the pool and the block.
/// RT_NULL removes it.
///
/// ```c
/// static void on_alloc(struct rt_mempool *mp, void *block) { allocs++; }
/// rt_mp_alloc_sethook(on_alloc);
/// ```
///
/// # Safety
///
/// `hook` must be safe to call from every context `rt_mp_alloc` is called from.
///
/// # Compatibility
///
/// As RT-Thread with `RT_USING_HOOK` and `RT_HOOK_USING_FUNC_PTR`.
#[cfg(rtt_hook)]
#[no_mangle]
pub unsafe extern "C" fn rt_mp_alloc_sethook(hook: rt_mp_hook_t) {
    store_hook(&ALLOC_HOOK, hook);
}

/// Sets the function called for every block given back, with the pool and the block.
/// RT_NULL removes it.
///
/// ```c
/// static void on_free(struct rt_mempool *mp, void *block) { frees++; }
/// rt_mp_free_sethook(on_free);
/// ```
///
/// # Safety
///
/// `hook` must be safe to call from every context `rt_mp_free` is called from.
///
/// # Compatibility
///
/// As RT-Thread with `RT_USING_HOOK` and `RT_HOOK_USING_FUNC_PTR`: called at the same point,
/// before the block is given back. A free refused because the block's header names no live
/// pool calls no hook (RT-Thread would call it with that garbage pointer).
#[cfg(rtt_hook)]
#[no_mangle]
pub unsafe extern "C" fn rt_mp_free_sethook(hook: rt_mp_hook_t) {
    store_hook(&FREE_HOOK, hook);
}

/// One attempt of `rt_mp_alloc`.
enum Take {
    Block(*mut c_void),
    /// The pool is empty. Its lock is still held, so that the caller can queue itself
    /// before a free could miss it.
    Empty(PoolLock),
}

/// Takes a block under the pool lock, or returns the lock when the pool is empty.
///
/// Stack use matters here as much as speed: RT-Thread's own sample runs its threads on
/// 512-byte stacks, and an interrupt taken there saves its context on the same stack. Inlined,
/// with the pool view in registers, `rt_mp_alloc` keeps a 40-byte frame while it waits in
/// `rt_schedule` (the first version, with the view in memory, took 112 bytes in `rt_mp_free`
/// and overflowed the sample's stack on SMP).
///
/// # Safety
///
/// `mp` must point to a pool object whose lock is initialised (live, or detached since).
#[inline(always)]
unsafe fn take(mp: *mut rt_mempool) -> Result<Take, Misuse> {
    // SAFETY: guaranteed by the caller.
    let lock = unsafe { PoolLock::acquire(mp) };
    // SAFETY: under the pool lock.
    let (geometry, mut state, mut region) = unsafe { load(mp) }?;
    match pool::alloc(&geometry, &mut state, &mut region, mp as usize) {
        Ok(block) => {
            // SAFETY: under the pool lock.
            unsafe { store(mp, &state, &region) };
            Ok(Take::Block(region.pointer(block).cast()))
        }
        Err(PoolError::Exhausted) => Ok(Take::Empty(lock)),
        Err(error) => Err(error.into()),
    }
}

/// Gives `block` back to `mp` under the pool lock and returns the lock still held, so that the
/// caller wakes the first waiter in the same critical section, as the C version does. (`rt_mp_free`
/// then reaches `rt_schedule` as a tail call, with no frame of its own left on the stack.)
///
/// # Safety
///
/// `mp` must point to a pool object whose lock is initialised (live, or detached since);
/// `owner` is the header word of `block`.
#[inline(always)]
unsafe fn give_back(mp: *mut rt_mempool, owner: usize, block: usize) -> Result<PoolLock, Misuse> {
    // SAFETY: guaranteed by the caller.
    let lock = unsafe { PoolLock::acquire(mp) };
    // SAFETY: under the pool lock.
    let (geometry, mut state, mut region) = unsafe { load(mp) }?;
    #[cfg(rtt_paranoid)]
    if !pool::is_allocated(&geometry, &state, &region, block) {
        return Err(Misuse::NotAllocated);
    }
    pool::free(&geometry, &mut state, &mut region, owner, block)?;
    // SAFETY: under the pool lock.
    unsafe { store(mp, &state, &region) };
    Ok(lock)
}

/// Takes a block from the pool. With `time == 0` it returns at once; with a positive `time`
/// it waits up to that many ticks, with `RT_WAITING_FOREVER` until a block is freed. Waiters
/// are served first come, first served.
///
/// ```c
/// void *msg = rt_mp_alloc(&mp, RT_WAITING_FOREVER);
/// if (msg == RT_NULL)
///     rt_kprintf("pool went away: %d\n", rt_get_errno());
/// ```
///
/// # Safety
///
/// `mp` must be null or point to readable memory of a `struct rt_mempool`.
///
/// # Compatibility
///
/// As RT-Thread: RT_NULL with errno -RT_ETIMEOUT when no block comes in time; RT_NULL with the
/// thread error RT_ERROR when the pool is detached or deleted while waiting. Plus: RT_NULL
/// with errno -RT_EINVAL for null or a dead pool, and when it would have to wait in interrupt
/// context, with the scheduler locked or before the scheduler runs (RT-Thread asserts or
/// hangs); RT_NULL with -RT_ERROR when the pool's memory was found corrupted.
#[no_mangle]
pub unsafe extern "C" fn rt_mp_alloc(mp: *mut rt_mempool, time: rt_int32_t) -> *mut c_void {
    const F: &CStr = c"rt_mp_alloc";
    if !is_live_pool(mp) {
        return refuse_null(F, Misuse::NotAPool);
    }
    let mut remaining = time;
    let mut checked_context = false;
    let mut woken = false;
    loop {
        // SAFETY: `mp` was a live pool at the check above; `take` checks again under the
        // lock, and after waking the thread error tells whether it went away.
        let lock = match unsafe { take(mp) } {
            Ok(Take::Block(block)) => {
                #[cfg(rtt_hook)]
                call_hook(&ALLOC_HOOK, mp, block);
                return block;
            }
            Ok(Take::Empty(lock)) => lock,
            Err(Misuse::NotAPool) if woken => {
                // Woken by a free, but the pool was detached or deleted before this thread
                // ran: the same outcome as being woken by the detach itself.
                kernel::set_errno(kernel::ERROR);
                return core::ptr::null_mut();
            }
            Err(misuse) => return refuse_null(F, misuse),
        };
        if remaining == 0 {
            drop(lock);
            kernel::set_errno(-kernel::ETIMEOUT);
            return core::ptr::null_mut();
        }
        if !checked_context {
            // Asked once, outside the lock: on SMP the pool's spinlock itself locks the
            // scheduler, which would look like the caller's doing. The pool may have refilled
            // meanwhile, so try again before waiting.
            drop(lock);
            if !kernel::may_block() {
                return refuse_null(F, Misuse::CannotWait);
            }
            checked_context = true;
            continue;
        }
        let Some(waiter) = Waiter::current() else {
            drop(lock);
            return refuse_null(F, Misuse::CannotWait);
        };
        let ticks = (remaining > 0).then_some(remaining as kernel::sys::rt_tick_t);
        let before = kernel::tick();
        // SAFETY: under the pool lock, on the running thread.
        if !unsafe { waiter.suspend_on(mp, ticks) } {
            drop(lock);
            return refuse_null(F, Misuse::SuspendRefused);
        }
        drop(lock);
        kernel::schedule();
        woken = true;
        if waiter.wake_reason() != kernel::EOK {
            // Timed out (-RT_ETIMEOUT) or the pool went away (RT_ERROR): the thread error is
            // the errno the caller sees, as in RT-Thread.
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

/// Gives a block back to its pool (found through the block's header) and wakes the first
/// thread waiting on that pool. `RT_NULL` is ignored.
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
/// As RT-Thread for blocks it handed out. Where RT-Thread corrupts its free list or writes
/// through a garbage pointer, this refuses with errno -RT_EINVAL and changes nothing: a block
/// freed twice, a pointer into the middle of a block, a pointer no pool handed out, a block of
/// a detached pool. (Errno is -RT_ERROR if the pool's own memory is found corrupted.) A block
/// of a deleted pool is refused as long as the freed object's memory is not reused; with
/// `RTT_MEMPOOL_PARANOID_CHECKS` always, because the pool pointer is looked up among the
/// registered pools before anything is read through it, and stale blocks of a pool
/// re-initialized on the same memory are caught too.
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
    call_hook(&FREE_HOOK, mp, block);
    // SAFETY: `mp` is a live pool (checked above; `give_back` checks again under the lock).
    let lock = match unsafe { give_back(mp, owner, block as usize) } {
        Ok(lock) => lock,
        Err(misuse) => {
            refuse(F, misuse);
            return;
        }
    };
    // SAFETY: under the pool lock; as the C version, the first waiter is woken (it takes the
    // block when it runs, unless another thread takes it first, as in RT-Thread).
    let woke = unsafe { kernel::has_waiters(mp) && kernel::wake_first(mp) };
    drop(lock);
    if woke {
        kernel::schedule();
    }
}

/// Checks one pool (by name) or all pools and prints a line for each: name, block size,
/// total, free, freed blocks on the list, waiters, and whether the free list is consistent.
/// The msh command `mp_check [name]` calls it. Bounded in time even on a corrupted list.
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
/// 0 when every checked pool is consistent, -RT_ERROR when one is not, -RT_EINVAL when no pool
/// has that name.
#[no_mangle]
pub unsafe extern "C" fn rtt_mempool_check(name: *const c_char) -> c_int {
    let wanted = (!name.is_null()).then(|| {
        // SAFETY: the caller guarantees `name` is a string.
        unsafe { CStr::from_ptr(name) }
    });
    kernel::print(c"pool             block  total   free listed waiters  free list\n");
    let mut checked = 0usize;
    let mut broken = 0usize;
    let mut index = 0;
    // One pool at a time, without the kernel's list lock held while a pool is locked (the lock
    // order of rt_mp_detach is pool, then list); a pool detached in between is skipped.
    while let Some(mp) = kernel::registered_pool(index) {
        index += 1;
        if let Some(wanted) = wanted {
            // SAFETY: the kernel keeps object names NUL-terminated within RT_NAME_MAX, inside
            // the object, which was registered a moment ago.
            let pool_name = unsafe { CStr::from_ptr(addr_of!((*mp).parent.name).cast::<c_char>()) };
            if pool_name != wanted {
                continue;
            }
        }
        // SAFETY: a pool registered a moment ago; its lock is initialised, and `load_checked`
        // checks its class again under the lock.
        let lock = unsafe { PoolLock::acquire(mp) };
        // SAFETY: under the pool lock.
        let (line, fault) = match unsafe { load_checked(mp) } {
            Ok((geometry, state, region)) => {
                let report = pool::check(&geometry, &state, &region);
                let line = kernel::CheckLine {
                    block_size: geometry.block_size(),
                    total: geometry.total(),
                    free: state.free,
                    listed: report.listed,
                    // SAFETY: under the pool lock.
                    waiters: unsafe { kernel::waiter_count(mp) },
                };
                (line, report.fault.is_some())
            }
            Err(Misuse::NotAPool) => continue,
            Err(_) => (kernel::CheckLine::default(), true),
        };
        drop(lock);
        checked += 1;
        broken += usize::from(fault);
        let verdict = if fault { c"CORRUPTED" } else { c"ok" };
        // SAFETY: the name lies inside the object, as above.
        unsafe { kernel::print_check_line(mp, &line, verdict) };
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

/// Compile-time proof that every export has exactly the type the user's `rtthread.h`
/// declares: each pair must coerce to one function pointer type.
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

#[cfg(rtt_hook)]
same_signature! {
    rt_mp_alloc_sethook: unsafe extern "C" fn(rt_mp_hook_t);
    rt_mp_free_sethook: unsafe extern "C" fn(rt_mp_hook_t);
}
