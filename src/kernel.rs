//! Kernel access: bindgen's view of the user's RT-Thread headers (`rtthread.h` with their
//! `rtconfig.h`), and the few small wrappers the `rt_mp_*` shell uses.
//!
//! Nothing here re-implements a kernel service: objects, suspend lists, thread timers, the
//! scheduler, errno and the heap are the kernel's own, called through the bindings. Static
//! inline list helpers come through `src/glue.c`.

use core::ffi::{c_char, c_uint};
use core::ptr::addr_of_mut;

#[allow(
    non_camel_case_types,
    non_upper_case_globals,
    non_snake_case,
    dead_code,
    unsafe_op_in_unsafe_fn,
    clippy::all,
    clippy::pedantic
)]
pub mod sys {
    include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
}

pub use sys::{rt_err_t, rt_int32_t, rt_mempool, rt_size_t, rt_thread};

pub const EOK: rt_err_t = sys::RT_EOK as rt_err_t;
pub const ERROR: rt_err_t = sys::RT_ERROR as rt_err_t;
pub const ETIMEOUT: rt_err_t = sys::RT_ETIMEOUT as rt_err_t;
pub const ENOMEM: rt_err_t = sys::RT_ENOMEM as rt_err_t;
pub const EINVAL: rt_err_t = sys::RT_EINVAL as rt_err_t;

/// `RT_ALIGN_SIZE` of the user's configuration.
pub const ALIGN_SIZE: usize = sys::RTT_MEMPOOL_ALIGN_SIZE as usize;
// Each block's header is a pointer and block sizes are rounded to RT_ALIGN_SIZE: a smaller
// alignment would misalign the headers. Checked when the library is built, not at run time.
const _: () = assert!(
    ALIGN_SIZE.is_power_of_two() && ALIGN_SIZE >= core::mem::size_of::<usize>(),
    "rtt-mempool needs RT_ALIGN_SIZE to be a power of two of at least the pointer size"
);

/// `RT_NAME_MAX` of the user's configuration.
pub const NAME_MAX: usize = sys::RTT_MEMPOOL_NAME_MAX as usize;

const CLASS_MEMPOOL: u8 = sys::RT_Object_Class_MemPool as u8;
const CLASS_STATIC: u8 = sys::RT_Object_Class_Static as u8;

extern "C" {
    fn rtt_mempool_list_init(list: *mut sys::rt_list_t);
    fn rtt_mempool_list_len(list: *const sys::rt_list_t) -> c_uint;
}

/// Sets the calling thread's errno (the global one in interrupt context), as the kernel does.
pub fn set_errno(error: rt_err_t) {
    // SAFETY: rt_set_errno may be called from any context; it picks the thread or global slot.
    unsafe { sys::rt_set_errno(error) }
}

/// Whether the caller may block: a thread, not an interrupt handler, scheduler not locked.
pub fn may_block() -> bool {
    // SAFETY: these kernel queries read per-CPU state and may be called from any context.
    unsafe {
        sys::rt_interrupt_get_nest() == 0
            && sys::rt_critical_level() == 0
            && !sys::rt_thread_self().is_null()
    }
}

/// Whether the caller runs in interrupt context.
pub fn in_interrupt() -> bool {
    // SAFETY: as in `may_block`.
    unsafe { sys::rt_interrupt_get_nest() != 0 }
}

/// Lets the scheduler switch to a thread made ready meanwhile, as the C version does after
/// waking a waiter.
pub fn schedule() {
    // SAFETY: rt_schedule may be called from any context; in an interrupt handler or with the
    // scheduler locked the kernel defers the switch.
    unsafe { sys::rt_schedule() }
}

/// Exclusive access to one pool's fields and free list.
///
/// Single core (`RT_USING_SMP` off): masking interrupts is enough, because nothing else can
/// run on the only CPU until they are unmasked. It also skips the scheduler-lock bookkeeping
/// that `rt_spin_lock_irqsave` adds there, which is most of the C version's fast-path cost.
/// SMP: the pool's own spinlock, exactly as the kernel's C mempool takes it, because another
/// CPU may be in the pool at the same time.
///
/// Every access to a pool's fields after `rt_mp_init` happens under this lock, in both
/// configurations, so the two schemes never meet.
pub struct PoolLock {
    level: sys::rt_base_t,
    #[cfg(rtt_smp)]
    spinlock: *mut sys::rt_spinlock,
}

impl PoolLock {
    /// # Safety
    ///
    /// `mp` must point to a pool set up by `rt_mp_init`/`rt_mp_create` (its spinlock
    /// initialised) that stays valid until the lock is dropped.
    #[cfg_attr(not(rtt_smp), allow(unused_variables))]
    pub unsafe fn acquire(mp: *mut rt_mempool) -> PoolLock {
        #[cfg(rtt_smp)]
        {
            // SAFETY: the caller guarantees `mp` is a live pool with an initialised spinlock.
            let spinlock = unsafe { addr_of_mut!((*mp).spinlock) };
            // SAFETY: as above; the spinlock is released in Drop.
            let level = unsafe { sys::rt_spin_lock_irqsave(spinlock) };
            PoolLock { level, spinlock }
        }
        #[cfg(not(rtt_smp))]
        {
            // SAFETY: masking interrupts is always allowed; Drop restores the saved level.
            let level = unsafe { sys::rt_hw_interrupt_disable() };
            PoolLock { level }
        }
    }
}

impl Drop for PoolLock {
    fn drop(&mut self) {
        #[cfg(rtt_smp)]
        // SAFETY: the spinlock was taken in `acquire` with this level and is still valid.
        unsafe {
            sys::rt_spin_unlock_irqrestore(self.spinlock, self.level)
        };
        #[cfg(not(rtt_smp))]
        // SAFETY: restores the level that `acquire`'s rt_hw_interrupt_disable returned.
        unsafe {
            sys::rt_hw_interrupt_enable(self.level)
        };
    }
}

/// Whether `mp` is a live memory pool object: its class byte says MemPool. Detached and
/// deleted objects have their class reset by the kernel.
///
/// Reads the class from the kernel's public `struct rt_object` instead of calling
/// `rt_object_get_type`, because this runs on every allocation and free.
///
/// # Safety
///
/// `mp` must be non-null, aligned and readable for `size_of::<rt_mempool>()` bytes.
pub unsafe fn is_mempool(mp: *const rt_mempool) -> bool {
    // SAFETY: the caller guarantees `mp` is readable.
    let class = unsafe { (*mp).parent.type_ };
    class & !CLASS_STATIC == CLASS_MEMPOOL
}

/// Whether `mp` was set up by `rt_mp_init` (a static object) rather than `rt_mp_create`.
///
/// # Safety
///
/// As for [`is_mempool`].
pub unsafe fn is_static(mp: *mut rt_mempool) -> bool {
    // SAFETY: the caller guarantees `mp` is a readable object.
    unsafe { sys::rt_object_is_systemobject(addr_of_mut!((*mp).parent)) != 0 }
}

/// Walks the kernel's list of registered memory pools and returns the first `Some` that
/// `visit(index, pool)` gives. The walk holds the list's own spinlock, the one
/// `rt_object_init` and `rt_object_detach` take, so no pool is linked or unlinked meanwhile,
/// on any CPU. `visit` runs under that lock with interrupts masked: it must not block or take
/// a pool's lock (`rt_mp_detach` takes the pool's lock first, then this one). Reads only
/// kernel-owned list nodes, so it is safe whatever pointer a caller handed us.
fn find_pool<T>(mut visit: impl FnMut(usize, *mut rt_mempool) -> Option<T>) -> Option<T> {
    // SAFETY: the object container of a class is a static of the kernel, valid forever.
    let info = unsafe { sys::rt_object_get_information(sys::RT_Object_Class_MemPool) };
    if info.is_null() {
        return None;
    }
    // SAFETY: the container's spinlock is initialised by the kernel; released below.
    let level = unsafe { sys::rt_spin_lock_irqsave(addr_of_mut!((*info).spinlock)) };
    let mut found = None;
    // SAFETY: `info` is the kernel's container; its list links registered objects only, and
    // under its lock nothing unlinks one while we walk it.
    unsafe {
        let head = addr_of_mut!((*info).object_list);
        let mut node = (*head).next;
        let mut index = 0;
        while node != head {
            // `list` is a field of `struct rt_object`, the first member of `rt_mempool`.
            let pool = node
                .cast::<u8>()
                .sub(core::mem::offset_of!(sys::rt_object, list))
                .cast::<rt_mempool>();
            found = visit(index, pool);
            if found.is_some() {
                break;
            }
            index += 1;
            node = (*node).next;
        }
    }
    // SAFETY: pairs with the lock above.
    unsafe { sys::rt_spin_unlock_irqrestore(addr_of_mut!((*info).spinlock), level) };
    found
}

/// Whether `mp` is a pool registered with the kernel right now. O(number of pools); reads no
/// memory through `mp`.
pub fn is_registered_pool(mp: *const rt_mempool) -> bool {
    find_pool(|_, pool| (pool.cast_const() == mp).then_some(())).is_some()
}

/// The `index`-th registered pool, if there are that many. Like RT-Thread's own `list`
/// command, a caller that uses the pool after this returns must expect it to be detached
/// meanwhile (check its class again under its lock).
pub fn registered_pool(index: usize) -> Option<*mut rt_mempool> {
    find_pool(|i, pool| (i == index).then_some(pool))
}

/// Registers a static pool object under `name`.
///
/// # Safety
///
/// `mp` must be valid for writes and not registered; `name` a NUL-terminated string.
pub unsafe fn object_init(mp: *mut rt_mempool, name: *const c_char) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        sys::rt_object_init(
            addr_of_mut!((*mp).parent),
            sys::RT_Object_Class_MemPool,
            name,
        )
    }
}

/// Unregisters a static pool object.
///
/// # Safety
///
/// `mp` must be a registered static pool.
pub unsafe fn object_detach(mp: *mut rt_mempool) {
    // SAFETY: guaranteed by the caller.
    unsafe { sys::rt_object_detach(addr_of_mut!((*mp).parent)) }
}

/// Allocates and registers a pool object on the heap; null when the heap is exhausted.
///
/// # Safety
///
/// `name` must be a NUL-terminated string; not from interrupt context.
#[cfg(rtt_heap)]
pub unsafe fn object_allocate(name: *const c_char) -> *mut rt_mempool {
    // SAFETY: guaranteed by the caller; the kernel sizes MemPool objects as rt_mempool.
    unsafe { sys::rt_object_allocate(sys::RT_Object_Class_MemPool, name).cast() }
}

/// Unregisters and frees a heap pool object.
///
/// # Safety
///
/// `mp` must come from [`object_allocate`] and not be used afterwards.
#[cfg(rtt_heap)]
pub unsafe fn object_delete(mp: *mut rt_mempool) {
    // SAFETY: guaranteed by the caller.
    unsafe { sys::rt_object_delete(addr_of_mut!((*mp).parent)) }
}

/// # Safety
///
/// Not from interrupt context.
#[cfg(rtt_heap)]
pub unsafe fn heap_alloc(bytes: usize) -> *mut u8 {
    // SAFETY: guaranteed by the caller.
    unsafe { sys::rt_malloc(bytes as rt_size_t).cast() }
}

/// # Safety
///
/// `memory` must come from [`heap_alloc`] and not be used afterwards.
#[cfg(rtt_heap)]
pub unsafe fn heap_free(memory: *mut u8) {
    // SAFETY: guaranteed by the caller.
    unsafe { sys::rt_free(memory.cast()) }
}

/// Prepares the suspend list and spinlock of a pool being set up.
///
/// # Safety
///
/// `mp` must be valid for writes and not in use by any other thread.
pub unsafe fn init_sync(mp: *mut rt_mempool) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        rtt_mempool_list_init(addr_of_mut!((*mp).suspend_thread));
        sys::rt_spin_lock_init(addr_of_mut!((*mp).spinlock));
    }
}

/// Whether threads wait on `mp`. Compares the list head with itself (the kernel's
/// `rt_list_isempty`, inlined because `rt_mp_free` asks it every time).
///
/// # Safety
///
/// `mp` must be a live pool, read under its [`PoolLock`].
pub unsafe fn has_waiters(mp: *mut rt_mempool) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let head = addr_of_mut!((*mp).suspend_thread);
        (*head).next != head
    }
}

/// How many threads wait on `mp`.
///
/// # Safety
///
/// As for [`has_waiters`].
pub unsafe fn waiter_count(mp: *mut rt_mempool) -> usize {
    // SAFETY: guaranteed by the caller.
    unsafe { rtt_mempool_list_len(addr_of_mut!((*mp).suspend_thread)) as usize }
}

/// Makes the first waiter ready with `thread->error = RT_EOK`. Returns whether there was one.
///
/// # Safety
///
/// `mp` must be a live pool, under its [`PoolLock`].
pub unsafe fn wake_first(mp: *mut rt_mempool) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe { !sys::rt_susp_list_dequeue(addr_of_mut!((*mp).suspend_thread), EOK).is_null() }
}

/// Makes every waiter ready with `thread->error = RT_ERROR` (the pool is going away).
/// Returns whether there was one.
///
/// # Safety
///
/// As for [`wake_first`].
pub unsafe fn wake_all_with_error(mp: *mut rt_mempool) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let had_waiters = has_waiters(mp);
        sys::rt_susp_list_resume_all(addr_of_mut!((*mp).suspend_thread), ERROR);
        had_waiters
    }
}

/// The running thread, for the blocking path.
pub struct Waiter {
    thread: *mut rt_thread,
}

impl Waiter {
    /// The calling thread; `None` before the scheduler runs.
    pub fn current() -> Option<Waiter> {
        // SAFETY: rt_thread_self may be called from any context.
        let thread = unsafe { sys::rt_thread_self() };
        (!thread.is_null()).then_some(Waiter { thread })
    }

    /// Puts the thread on `mp`'s suspend list (FIFO, uninterruptible, as the C version) and,
    /// for a finite wait, arms its timer for `ticks`. The switch happens at the next
    /// [`schedule`], after the pool lock is released. Returns false if the kernel refused.
    ///
    /// # Safety
    ///
    /// `mp` must be a live pool, under its [`PoolLock`]; the caller must be this thread.
    pub unsafe fn suspend_on(&self, mp: *mut rt_mempool, ticks: Option<sys::rt_tick_t>) -> bool {
        // SAFETY: `self.thread` is the running thread, valid while it runs; `mp` is live.
        unsafe {
            (*self.thread).error = EOK;
            let suspended = sys::rt_thread_suspend_to_list(
                self.thread,
                addr_of_mut!((*mp).suspend_thread),
                sys::RT_IPC_FLAG_FIFO as _,
                sys::RT_UNINTERRUPTIBLE as _,
            );
            if suspended != EOK {
                return false;
            }
            if let Some(mut ticks) = ticks {
                let timer = addr_of_mut!((*self.thread).thread_timer);
                sys::rt_timer_control(
                    timer,
                    sys::RT_TIMER_CTRL_SET_TIME as _,
                    (&raw mut ticks).cast(),
                );
                sys::rt_timer_start(timer);
            }
            true
        }
    }

    /// The thread's error after it was woken: RT_EOK when a block was freed for it,
    /// -RT_ETIMEOUT when its timer expired, RT_ERROR when the pool went away.
    pub fn wake_reason(&self) -> rt_err_t {
        // SAFETY: the running thread's control block is valid while it runs.
        unsafe { (*self.thread).error }
    }
}

/// The current tick.
pub fn tick() -> sys::rt_tick_t {
    // SAFETY: rt_tick_get may be called from any context.
    unsafe { sys::rt_tick_get() }
}

/// Reports misuse on the console when the kernel is built with `RT_USING_DEBUG`, in
/// RT-Thread's log format. The message is a constant: no formatting code in the library.
#[cfg_attr(not(rtt_debug), allow(unused_variables))]
pub fn report(function: &core::ffi::CStr, problem: &core::ffi::CStr) {
    #[cfg(rtt_debug)]
    // SAFETY: the format takes two strings, both NUL-terminated.
    unsafe {
        sys::rt_kprintf(
            c"[E/mempool] %s: %s\n".as_ptr(),
            function.as_ptr(),
            problem.as_ptr(),
        );
    }
}

/// The figures of one line of `mp_check`'s report, read under the pool's lock.
#[derive(Debug, Default, Clone, Copy)]
pub struct CheckLine {
    pub block_size: usize,
    pub total: usize,
    pub free: usize,
    pub listed: usize,
    pub waiters: usize,
}

/// Prints one line of `mp_check`'s report.
///
/// # Safety
///
/// `mp` must point to a pool object (its name readable).
pub unsafe fn print_check_line(mp: *mut rt_mempool, line: &CheckLine, verdict: &core::ffi::CStr) {
    // SAFETY: the name is RT_NAME_MAX bytes inside the object and printed with that bound;
    // the numbers are passed as unsigned long, as the format says.
    unsafe {
        sys::rt_kprintf(
            c"%-*.*s %6lu %6lu %6lu %6lu %7lu  %s\n".as_ptr(),
            NAME_MAX as core::ffi::c_int,
            NAME_MAX as core::ffi::c_int,
            (*mp).parent.name.as_ptr(),
            line.block_size as core::ffi::c_ulong,
            line.total as core::ffi::c_ulong,
            line.free as core::ffi::c_ulong,
            line.listed as core::ffi::c_ulong,
            line.waiters as core::ffi::c_ulong,
            verdict.as_ptr(),
        );
    }
}

/// Prints a constant line on the console.
pub fn print(line: &core::ffi::CStr) {
    // SAFETY: "%s" with one NUL-terminated string.
    unsafe { sys::rt_kprintf(c"%s".as_ptr(), line.as_ptr()) };
}

/// Prints `prefix`, a C string and `suffix` on the console.
///
/// # Safety
///
/// `text` must be NUL-terminated.
pub unsafe fn print_with(prefix: &core::ffi::CStr, text: *const c_char, suffix: &core::ffi::CStr) {
    // SAFETY: three NUL-terminated strings, guaranteed by the caller for `text`.
    unsafe { sys::rt_kprintf(c"%s%s%s".as_ptr(), prefix.as_ptr(), text, suffix.as_ptr()) };
}
