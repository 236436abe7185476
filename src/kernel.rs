//! Kernel access: bindgen's view of the user's RT-Thread headers (`rtthread.h` with their
//! `rtconfig.h`), and the small safe layer the `rt_mp_*` shell is written against.
//!
//! Nothing here re-implements a kernel service: objects, suspend lists, thread timers, the
//! scheduler, errno and the heap are the kernel's own, called through the bindings (or, where
//! the user's kernel has only a macro or a static inline, through `src/glue.c`).
//!
//! # One source for every release
//!
//! RT-Thread's releases differ in how a pool is locked and how its waiters queue. `build.rs`
//! reads that off the user's own headers (see its `KERNEL_SHAPES`), never off a version
//! number:
//!
//! | what the headers have | then | RT-Thread |
//! | --- | --- | --- |
//! | `struct rt_mempool` has `spinlock` | on SMP the pool lock is that spinlock | 5.1 and later |
//! | no `spinlock` there | the pool lock is `rt_hw_interrupt_disable` (on SMP the kernel's global lock) | 4.1, 5.0 |
//! | `rt_thread_suspend_to_list` | FIFO waiters, woken with `rt_susp_list_dequeue`; detach wakes them with `RT_ERROR` | 5.1 and later |
//! | none | waiters pushed at the head and woken from it (LIFO); detach wakes them with `-RT_ERROR` | 4.1, 5.0 |
//! | `struct rt_object_information` has `spinlock` | the registry walk takes it | 5.1 and later |
//!
//! On a single core the pool lock is always interrupt masking: nothing else can run on the
//! only CPU until they are unmasked, and it skips the scheduler-lock bookkeeping that
//! `rt_spin_lock_irqsave` adds there (5.2+), most of the C version's fast-path cost.
//! The registry keeps the kernel's own lock even on one core: that bookkeeping (a critical
//! section) is what stops the kernel's timer calls under it from rescheduling at their own
//! spin unlock on 5.2 (tried: masking interrupts alone there lost the stress and timeout
//! cases). Since that lock masks interrupts on the only CPU too, a pool found under it
//! ([`Registry::lock_pool`]) is not masked a second time there ([`PoolGuard::nested_in`]).
//!
//! # Locks, and the order they nest in
//!
//! [`Registry`] (the kernel's list of MemPool objects) may be held while a pool is locked
//! ([`Registry::lock_pool`]), never the other way round: no code here, and nothing in `rt_mp_detach`/`rt_mp_delete`, takes the registry's
//! lock while holding a pool's (they retire the pool under its lock, release it, and only
//! then unregister it). The scheduler's and the timer's locks nest inside, as in the kernel.

use core::ffi::{c_char, c_int, CStr};
use core::marker::PhantomData;
use core::ptr::{addr_of_mut, NonNull};
use core::sync::atomic::{AtomicPtr, Ordering};

use crate::pool::{Geometry, PoolState, RawRegion};

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

pub use sys::{rt_base_t, rt_err_t, rt_int32_t, rt_mempool, rt_size_t, rt_thread};

// The error numbers as the user's configuration defines them (from 5.0.2 on they follow the
// C library's errno values with RT_USING_LIBC), evaluated by clang through an enum.
pub const EOK: rt_err_t = sys::RTT_MEMPOOL_EOK as rt_err_t;
pub const ERROR: rt_err_t = sys::RTT_MEMPOOL_ERROR as rt_err_t;
pub const ETIMEOUT: rt_err_t = sys::RTT_MEMPOOL_ETIMEOUT as rt_err_t;
pub const ENOMEM: rt_err_t = sys::RTT_MEMPOOL_ENOMEM as rt_err_t;
pub const EINVAL: rt_err_t = sys::RTT_MEMPOOL_EINVAL as rt_err_t;

/// The thread error of a waiter whose pool was detached or deleted: what this kernel's own C
/// mempool gives it. Kernels with the suspend-list API ignore negative errors there, so
/// RT-Thread 5.1+ passes `RT_ERROR`; 4.1/5.0 set `-RT_ERROR` themselves.
pub const RETIRED_ERROR: rt_err_t = if cfg!(rtt_susp_list) { ERROR } else { -ERROR };

/// `RT_ALIGN_SIZE` of the user's configuration.
pub const ALIGN_SIZE: usize = sys::RTT_MEMPOOL_ALIGN_SIZE as usize;
// Each block's header is a pointer and block sizes are rounded to RT_ALIGN_SIZE: a smaller
// alignment would misalign the headers. Checked when the library is built, not at run time.
const _: () = assert!(
    ALIGN_SIZE.is_power_of_two() && ALIGN_SIZE >= core::mem::size_of::<usize>(),
    "rtt-mempool needs RT_ALIGN_SIZE to be a power of two of at least the pointer size"
);

/// `RT_NAME_MAX` of the user's configuration.
#[cfg_attr(rtt_omit_mp_check, allow(dead_code))] // used by mp_check (diag)
pub const NAME_MAX: usize = sys::RTT_MEMPOOL_NAME_MAX as usize;

const CLASS_MEMPOOL: u8 = sys::RT_Object_Class_MemPool as u8;
const CLASS_STATIC: u8 = sys::RT_Object_Class_Static as u8;

/// The C glue of `src/glue.c`: wrappers for what the user's headers offer only as macros or
/// static inlines, and the waiter queue of kernels without the suspend-list API.
mod glue {
    use super::sys;

    extern "C" {
        #[cfg(rtt_wrapped = "rt_hw_interrupt_disable")]
        pub fn rtt_mempool_rt_hw_interrupt_disable() -> sys::rt_base_t;
        #[cfg(rtt_wrapped = "rt_hw_interrupt_enable")]
        pub fn rtt_mempool_rt_hw_interrupt_enable(level: sys::rt_base_t);
        #[cfg(all(not(rtt_omit_mp_check), rtt_wrapped = "rt_strncmp"))]
        pub fn rtt_mempool_rt_strncmp(
            cs: *const core::ffi::c_char,
            ct: *const core::ffi::c_char,
            count: usize,
        ) -> core::ffi::c_int;
        #[cfg(all(rtt_pool_spinlock, rtt_wrapped = "rt_spin_lock_init"))]
        pub fn rtt_mempool_rt_spin_lock_init(lock: *mut sys::rt_spinlock);
        #[cfg(all(
            any(rtt_pool_spinlock, rtt_registry_spinlock),
            rtt_wrapped = "rt_spin_lock_irqsave"
        ))]
        pub fn rtt_mempool_rt_spin_lock_irqsave(lock: *mut sys::rt_spinlock) -> sys::rt_base_t;
        #[cfg(all(
            any(rtt_pool_spinlock, rtt_registry_spinlock),
            rtt_wrapped = "rt_spin_unlock_irqrestore"
        ))]
        pub fn rtt_mempool_rt_spin_unlock_irqrestore(
            lock: *mut sys::rt_spinlock,
            level: sys::rt_base_t,
        );
        #[cfg(not(rtt_susp_list))]
        pub fn rtt_mempool_suspend_on(
            thread: *mut sys::rt_thread,
            list: *mut sys::rt_list_t,
        ) -> sys::rt_err_t;
        #[cfg(not(rtt_susp_list))]
        pub fn rtt_mempool_resume_first(
            list: *mut sys::rt_list_t,
            error: sys::rt_err_t,
        ) -> *mut sys::rt_thread;
        #[cfg(rtt_hook)]
        pub fn rtt_mempool_alloc_hook(mp: *mut sys::rt_mempool, block: *mut core::ffi::c_void);
        #[cfg(rtt_hook)]
        pub fn rtt_mempool_free_hook(mp: *mut sys::rt_mempool, block: *mut core::ffi::c_void);
    }
}

// The kernel services that may be a macro or a static inline, each bound to the function
// bindgen saw or to its C wrapper.
#[cfg(rtt_wrapped = "rt_hw_interrupt_disable")]
use glue::rtt_mempool_rt_hw_interrupt_disable as irq_disable;
#[cfg(rtt_wrapped = "rt_hw_interrupt_enable")]
use glue::rtt_mempool_rt_hw_interrupt_enable as irq_enable;
#[cfg(all(rtt_pool_spinlock, rtt_wrapped = "rt_spin_lock_init"))]
use glue::rtt_mempool_rt_spin_lock_init as spin_lock_init;
#[cfg(all(
    any(all(rtt_smp, rtt_pool_spinlock), rtt_registry_spinlock),
    rtt_wrapped = "rt_spin_lock_irqsave"
))]
use glue::rtt_mempool_rt_spin_lock_irqsave as spin_lock_irqsave;
#[cfg(all(
    any(all(rtt_smp, rtt_pool_spinlock), rtt_registry_spinlock),
    rtt_wrapped = "rt_spin_unlock_irqrestore"
))]
use glue::rtt_mempool_rt_spin_unlock_irqrestore as spin_unlock_irqrestore;
#[cfg(all(not(rtt_omit_mp_check), rtt_wrapped = "rt_strncmp"))]
use glue::rtt_mempool_rt_strncmp as strncmp;
#[cfg(not(rtt_wrapped = "rt_hw_interrupt_disable"))]
use sys::rt_hw_interrupt_disable as irq_disable;
#[cfg(not(rtt_wrapped = "rt_hw_interrupt_enable"))]
use sys::rt_hw_interrupt_enable as irq_enable;
#[cfg(all(rtt_pool_spinlock, not(rtt_wrapped = "rt_spin_lock_init")))]
use sys::rt_spin_lock_init as spin_lock_init;
#[cfg(all(
    any(all(rtt_smp, rtt_pool_spinlock), rtt_registry_spinlock),
    not(rtt_wrapped = "rt_spin_lock_irqsave")
))]
use sys::rt_spin_lock_irqsave as spin_lock_irqsave;
#[cfg(all(
    any(all(rtt_smp, rtt_pool_spinlock), rtt_registry_spinlock),
    not(rtt_wrapped = "rt_spin_unlock_irqrestore")
))]
use sys::rt_spin_unlock_irqrestore as spin_unlock_irqrestore;
#[cfg(all(not(rtt_omit_mp_check), not(rtt_wrapped = "rt_strncmp")))]
use sys::rt_strncmp as strncmp;

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

/// The current tick.
pub fn tick() -> sys::rt_tick_t {
    // SAFETY: rt_tick_get may be called from any context.
    unsafe { sys::rt_tick_get() }
}

/// Takes the lock of `mp`, in the form this kernel takes it (see the module documentation),
/// and returns the level to restore. Only the level is kept: the lock itself is found from
/// `mp` again at unlock, which keeps [`PoolGuard`] two words (it lives on the stack of a
/// waiting thread).
///
/// # Safety
///
/// `mp` must point to a pool object whose lock is initialised and stays valid until
/// [`unlock_pool_raw`] is called with the level returned.
#[inline(always)]
#[cfg_attr(not(all(rtt_smp, rtt_pool_spinlock)), allow(unused_variables))]
unsafe fn lock_pool_raw(mp: *mut rt_mempool) -> rt_base_t {
    #[cfg(all(rtt_smp, rtt_pool_spinlock))]
    // SAFETY: guaranteed by the caller.
    return unsafe { spin_lock_irqsave(addr_of_mut!((*mp).spinlock)) };
    #[cfg(not(all(rtt_smp, rtt_pool_spinlock)))]
    // SAFETY: masking interrupts is always allowed; the caller restores the level.
    return unsafe { irq_disable() };
}

/// Releases what [`lock_pool_raw`] took.
///
/// # Safety
///
/// The pool lock of `mp` must be held by this CPU, taken by [`lock_pool_raw`] (or nested
/// inside another lock).
#[inline(always)]
#[cfg_attr(not(all(rtt_smp, rtt_pool_spinlock)), allow(unused_variables))]
unsafe fn unlock_pool_raw(mp: *mut rt_mempool, level: rt_base_t) {
    #[cfg(all(rtt_smp, rtt_pool_spinlock))]
    // SAFETY: guaranteed by the caller.
    unsafe {
        spin_unlock_irqrestore(addr_of_mut!((*mp).spinlock), level)
    };
    #[cfg(not(all(rtt_smp, rtt_pool_spinlock)))]
    // SAFETY: restores a level rt_hw_interrupt_disable returned (caller).
    unsafe {
        irq_enable(level)
    };
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
#[inline(always)]
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
pub unsafe fn is_static(mp: *const rt_mempool) -> bool {
    // SAFETY: the caller guarantees `mp` is a readable object.
    unsafe { (*mp).parent.type_ & CLASS_STATIC != 0 }
}

/// The kernel's list of registered MemPool objects, held locked: no pool is registered or
/// unregistered (so none is freed by `rt_mp_delete`) while this exists, on any CPU.
///
/// # Invariants
///
/// `info` is the kernel's MemPool container and its lock is held, taken as the kernel's own
/// object functions take it (its spinlock where it has one, else `rt_hw_interrupt_disable`),
/// with `level` to restore. Interrupts stay masked until it drops: keep it short, never block.
pub struct Registry {
    info: NonNull<sys::rt_object_information>,
    level: rt_base_t,
}

impl Drop for Registry {
    #[inline(always)]
    fn drop(&mut self) {
        #[cfg(rtt_registry_spinlock)]
        // SAFETY: held (invariant), taken with rt_spin_lock_irqsave, which returned `level`.
        unsafe {
            spin_unlock_irqrestore(addr_of_mut!((*self.info.as_ptr()).spinlock), self.level)
        };
        #[cfg(not(rtt_registry_spinlock))]
        // SAFETY: held (invariant): restores what rt_hw_interrupt_disable returned.
        unsafe {
            irq_enable(self.level)
        };
    }
}

/// The kernel's container of MemPool objects, once looked up. `rt_object_get_information`
/// searches the kernel's table of classes on every call (60 instructions on Cortex-A9 in
/// qemu-vexpress-a9's release build, on the way of every woken waiter, `scripts/trace_path.py`)
/// and returns the address of a static of the kernel, the same on every call: caching it is
/// safe with relaxed ordering, since every thread that stores it stores that same address and
/// what it points to is the kernel's, initialised before any thread runs.
static MEMPOOL_CONTAINER: AtomicPtr<sys::rt_object_information> =
    AtomicPtr::new(core::ptr::null_mut());

/// [`MEMPOOL_CONTAINER`], looked up on first use. A call of its own: inlined, the compiler
/// keeps the static's address in a register across the whole blocking loop (a saved register
/// more in the frame that sleeps).
#[inline(never)]
fn mempool_container() -> Option<NonNull<sys::rt_object_information>> {
    if let Some(info) = NonNull::new(MEMPOOL_CONTAINER.load(Ordering::Relaxed)) {
        return Some(info);
    }
    // SAFETY: the object container of a class is a static of the kernel, valid forever.
    let info = unsafe { sys::rt_object_get_information(sys::RT_Object_Class_MemPool) };
    MEMPOOL_CONTAINER.store(info, Ordering::Relaxed);
    NonNull::new(info)
}

impl Registry {
    /// Locks the registry.
    #[inline(always)]
    pub fn lock() -> Option<Registry> {
        let info = mempool_container()?;
        #[cfg(rtt_registry_spinlock)]
        // SAFETY: the container's spinlock is initialised by the kernel and static; released
        // in Drop.
        let level = unsafe { spin_lock_irqsave(addr_of_mut!((*info.as_ptr()).spinlock)) };
        #[cfg(not(rtt_registry_spinlock))]
        // SAFETY: masking interrupts is always allowed; restored in Drop.
        let level = unsafe { irq_disable() };
        // INVARIANT: the container's lock is taken just now with this level.
        Some(Registry { info, level })
    }

    /// The `index`-th registered pool, if there are that many. Reads only kernel-owned list
    /// nodes, so it is safe whatever memory a caller's pointers point to.
    #[cfg_attr(rtt_omit_mp_check, allow(dead_code))] // used by mp_check (diag)
    pub fn nth(&self, index: usize) -> Option<*mut rt_mempool> {
        self.pools().nth(index)
    }

    /// Whether `mp` is registered right now. O(pools); reads no memory through `mp`.
    pub fn contains(&self, mp: *const rt_mempool) -> bool {
        self.pools().any(|pool| pool.cast_const() == mp)
    }

    fn pools(&self) -> impl Iterator<Item = *mut rt_mempool> + '_ {
        // SAFETY: `info` is the kernel's container (invariant).
        let head = unsafe { addr_of_mut!((*self.info.as_ptr()).object_list) };
        // SAFETY: the list links registered objects only, and under the registry's lock
        // (invariant) nothing links or unlinks one while we walk it.
        let mut node = unsafe { (*head).next };
        core::iter::from_fn(move || {
            if node == head {
                return None;
            }
            // `list` is a field of `struct rt_object`, the first member of `rt_mempool`.
            let pool = node
                .wrapping_byte_sub(core::mem::offset_of!(sys::rt_object, list))
                .cast::<rt_mempool>();
            // SAFETY: as above: `node` is a registered object's node.
            node = unsafe { (*node).next };
            Some(pool)
        })
    }

    /// Finds `mp` among the registered pools and locks it, if it is still a live pool: this is
    /// the only way a thread that has slept may reach a pool again. The registry stays held
    /// with the pool (the locks are released in the order they nest: RT-Thread 5.1 checks
    /// that), so the pool cannot be unregistered, so not freed, while the guard exists.
    #[inline(always)]
    pub fn lock_pool(self, mp: *mut rt_mempool) -> Option<LockedPool> {
        if !self.contains(mp) {
            return None;
        }
        // SAFETY: `mp` is a registered MemPool object, so a pool whose lock was initialised
        // before it was registered (rt_mp_init) or published (rt_mp_create), and it stays
        // registered, so valid, while `self` is held, which LockedPool keeps until after the
        // pool guard.
        #[cfg(rtt_smp)]
        let guard = unsafe { PoolGuard::lock(mp) }?;
        // SAFETY: as above; `self` outlives the guard and the guard is never dropped
        // (LockedPool keeps it in a ManuallyDrop beside the registry).
        #[cfg(not(rtt_smp))]
        let guard = core::mem::ManuallyDrop::new(unsafe { PoolGuard::nested_in(mp, &self) }?);
        Some(LockedPool {
            guard,
            _registry: self,
        })
    }
}

/// A pool found in the registry and locked, with the registry still held.
///
/// # Invariants
///
/// `guard` is released before `_registry` (field order), and the pool it locks is
/// registered while `_registry` is held. On a single core `guard` is
/// [`PoolGuard::nested_in`]'s and never dropped: the registry's lock is its lock.
pub struct LockedPool {
    #[cfg(rtt_smp)]
    guard: PoolGuard<'static>,
    #[cfg(not(rtt_smp))]
    guard: core::mem::ManuallyDrop<PoolGuard<'static>>,
    _registry: Registry,
}

impl core::ops::Deref for LockedPool {
    type Target = PoolGuard<'static>;

    fn deref(&self) -> &Self::Target {
        &self.guard
    }
}

impl core::ops::DerefMut for LockedPool {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.guard
    }
}

/// [`Registry::lock`] and [`Registry::lock_pool`] in one call of its own, so that the
/// registry walk never takes room in the caller's frame (a waiting thread's).
#[inline(never)]
pub fn find_locked_pool(mp: *mut rt_mempool) -> Option<LockedPool> {
    Registry::lock()?.lock_pool(mp)
}

/// Exclusive access to one live pool's fields: the only way this library reads or writes
/// them after the pool was set up.
///
/// # Invariants
///
/// The pool lock of `mp` is held for the guard's lifetime (released in Drop with `level`;
/// or, for a guard made by [`PoolGuard::nested_in`], which is never dropped, held by the
/// registry's lock it was found under, see [`LockedPool`]), and `mp` was a live
/// pool (class MemPool, `block_total_count` not 0) when the lock was taken; under the lock
/// nobody else changes that or the fields. `mp` stays valid for the guard's lifetime `'r`:
/// the caller's contract of the C API vouches for it, or the registry it was found in, held
/// with it ([`LockedPool`]).
pub struct PoolGuard<'r> {
    mp: NonNull<rt_mempool>,
    level: rt_base_t,
    _registry: PhantomData<&'r Registry>,
}

impl Drop for PoolGuard<'_> {
    #[inline(always)]
    fn drop(&mut self) {
        // SAFETY: the pool lock of `mp` is held (invariant), with this level to restore.
        unsafe { unlock_pool_raw(self.mp.as_ptr(), self.level) };
    }
}

/// What [`PoolGuard::wake_first`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// A waiter was made ready.
    Woken,
    /// The kernel would not wake the first waiter: its timeout is already in flight (on
    /// another CPU, or in the soft-timer thread) and will make it ready instead.
    Refused,
}

impl<'r> PoolGuard<'r> {
    /// Locks `mp` if it is a live pool.
    ///
    /// # Safety
    ///
    /// `mp` must point to readable, aligned memory of a `struct rt_mempool` whose lock was
    /// initialised, valid for `'r`.
    #[inline(always)]
    pub unsafe fn lock(mp: *mut rt_mempool) -> Option<PoolGuard<'r>> {
        let nonnull = NonNull::new(mp)?;
        // SAFETY: guaranteed by the caller.
        let level = unsafe { lock_pool_raw(mp) };
        // SAFETY: readable (caller), its lock taken just above with this level.
        let guard = unsafe { Self::if_live(nonnull, level) };
        if guard.is_none() {
            // SAFETY: taken just above with this level.
            unsafe { unlock_pool_raw(mp, level) };
        }
        guard
    }

    /// The guard of `mp`, whose lock is held, if it is a live pool.
    ///
    /// # Safety
    ///
    /// `mp` must be readable and aligned, valid for `'r`, and its pool lock held with `level`
    /// to restore (or, with [`PoolGuard::nested_in`]'s contract, by the registry's lock).
    #[inline(always)]
    unsafe fn if_live(mp: NonNull<rt_mempool>, level: rt_base_t) -> Option<PoolGuard<'r>> {
        // SAFETY: readable (caller); read under the lock, so it cannot change meanwhile.
        let live = unsafe { is_mempool(mp.as_ptr()) && (*mp.as_ptr()).block_total_count != 0 };
        // Not `then_some`: it would build the guard eagerly, and dropping the unused one
        // would release a lock this function does not own.
        if !live {
            return None;
        }
        // INVARIANT: locked (caller), and live as just checked.
        Some(PoolGuard {
            mp,
            level,
            _registry: PhantomData,
        })
    }

    /// [`PoolGuard::lock`] for a pool found under the registry's lock, on a single core: that
    /// lock masks interrupts on the only CPU already (`rt_spin_lock_irqsave`, or
    /// `rt_hw_interrupt_disable` where the container has no spinlock), which is all the pool
    /// lock does there, so the pool's own masking is skipped (two kernel calls and a saved
    /// register less on the way of a woken waiter).
    ///
    /// # Safety
    ///
    /// As [`PoolGuard::lock`]; `registry` must outlive the guard, and the guard must never be
    /// dropped (it holds no level of its own to restore): [`LockedPool`] keeps it in a
    /// `ManuallyDrop` beside the registry.
    #[cfg(not(rtt_smp))]
    #[inline(always)]
    unsafe fn nested_in(mp: *mut rt_mempool, registry: &Registry) -> Option<PoolGuard<'r>> {
        let _ = registry;
        // SAFETY: readable (caller); the registry's lock, held for the guard's lifetime
        // (caller), masks interrupts on the only CPU and so excludes every other user of the
        // pool; no level of its own (never dropped, caller).
        unsafe { Self::if_live(NonNull::new(mp)?, 0) }
    }

    /// The pool's address (for headers and hooks; not to be dereferenced).
    #[inline(always)]
    pub fn as_ptr(&self) -> *mut rt_mempool {
        self.mp.as_ptr()
    }

    /// The pool's geometry, free-list state and region, checked: overwritten fields give
    /// `None`, never arithmetic that overflows.
    #[inline(always)]
    pub fn load(&self) -> Option<(Geometry, PoolState, RawRegion)> {
        // SAFETY: a live pool under its lock (invariant).
        let (start, block_size, total, head, free) = unsafe {
            let mp = self.mp.as_ptr();
            (
                (*mp).start_address.cast::<u8>(),
                (*mp).block_size as usize,
                (*mp).block_total_count as usize,
                (*mp).block_list as usize,
                (*mp).block_free_count as usize,
            )
        };
        let geometry = Geometry::with_count(start as usize, block_size, total).ok()?;
        // SAFETY: a live pool owns its region (rt_mp_init's contract, or rt_mp_create's heap
        // block of exactly this geometry), and under the pool lock nothing else touches the
        // headers.
        let region = unsafe { RawRegion::new(&geometry, start) };
        Some((geometry, PoolState { head, free }, region))
    }

    /// Writes the free-list state back. `block_list` keeps C's meaning: the next block's slot.
    #[inline(always)]
    pub fn store(&mut self, state: &PoolState, region: &RawRegion) {
        let head = if state.head == 0 {
            core::ptr::null_mut()
        } else {
            region.pointer(state.head)
        };
        // SAFETY: a live pool under its lock (invariant).
        unsafe {
            (*self.mp.as_ptr()).block_list = head;
            (*self.mp.as_ptr()).block_free_count = state.free as rt_size_t;
        }
    }

    /// Whether threads wait on the pool (the kernel's `rt_list_isempty`, inlined because
    /// `rt_mp_free` asks it every time).
    #[inline(always)]
    pub fn has_waiters(&self) -> bool {
        // SAFETY: a live pool under its lock (invariant).
        unsafe {
            let head = addr_of_mut!((*self.mp.as_ptr()).suspend_thread);
            (*head).next != head
        }
    }

    /// Makes the first waiter ready with `thread->error = RT_EOK` (FIFO on 5.1+, the most
    /// recent on 4.1/5.0, as that kernel's C mempool). Call only when [`Self::has_waiters`].
    #[inline(always)]
    pub fn wake_first(&mut self) -> Wake {
        // SAFETY: a live pool under its lock (invariant); the suspend list holds threads only.
        let woken = unsafe {
            let list = addr_of_mut!((*self.mp.as_ptr()).suspend_thread);
            #[cfg(rtt_susp_list)]
            let thread = sys::rt_susp_list_dequeue(list, EOK);
            #[cfg(not(rtt_susp_list))]
            let thread = glue::rtt_mempool_resume_first(list, EOK);
            !thread.is_null()
        };
        if woken {
            Wake::Woken
        } else {
            Wake::Refused
        }
    }

    /// The stored `block_free_count`, unchecked (for [`crate::api`]'s owed wake-ups, which it
    /// only bounds).
    pub fn free_count(&self) -> usize {
        // SAFETY: a live pool under its lock (invariant).
        unsafe { (*self.mp.as_ptr()).block_free_count as usize }
    }

    /// Wake-ups a free could not deliver (see [`Wake::Refused`]), to be passed on by the
    /// waiter that leaves without one. Kept in the object's `flag` byte, which the kernel
    /// leaves to each object class and RT-Thread's mempool never uses (0 when set up).
    pub fn owed_wakes(&self) -> u8 {
        // SAFETY: a live pool under its lock (invariant).
        unsafe { (*self.mp.as_ptr()).parent.flag }
    }

    pub fn set_owed_wakes(&mut self, owed: u8) {
        // SAFETY: a live pool under its lock (invariant).
        unsafe { (*self.mp.as_ptr()).parent.flag = owed }
    }

    /// Queues the calling thread on the pool (FIFO and uninterruptible on 5.1+, at the head
    /// on 4.1/5.0, as that kernel's C mempool) and, for a finite wait, arms its timer for
    /// `ticks`. The switch happens at the next [`schedule`], after the lock is released.
    /// Returns false if the kernel refused.
    pub fn suspend(&mut self, waiter: &Waiter, ticks: Option<sys::rt_tick_t>) -> bool {
        let thread = waiter.thread;
        // SAFETY: a live pool under its lock (invariant); `thread` is the running thread
        // (Waiter's invariant), valid while it runs.
        unsafe {
            (*thread).error = EOK;
            let list = addr_of_mut!((*self.mp.as_ptr()).suspend_thread);
            #[cfg(rtt_susp_list)]
            let suspended = sys::rt_thread_suspend_to_list(
                thread,
                list,
                sys::RT_IPC_FLAG_FIFO as _,
                sys::RT_UNINTERRUPTIBLE as _,
            );
            #[cfg(not(rtt_susp_list))]
            let suspended = glue::rtt_mempool_suspend_on(thread, list);
            if suspended != EOK {
                return false;
            }
            if let Some(mut ticks) = ticks {
                let timer = addr_of_mut!((*thread).thread_timer);
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

    /// Takes the pool out of use: every waiter is woken with [`RETIRED_ERROR`] and the pool
    /// is marked empty (total 0), so that [`PoolGuard::lock`] refuses it from now on and no
    /// block is taken or returned while the caller unregisters it and, for a created pool,
    /// frees its memory. Returns the geometry and region it had, for [`crate::pool::retire`].
    pub fn retire(self) -> Option<(Geometry, RawRegion)> {
        let (geometry, _, region) = self.load()?;
        // SAFETY: a live pool under its lock (invariant); the suspend list holds threads.
        unsafe {
            let list = addr_of_mut!((*self.mp.as_ptr()).suspend_thread);
            #[cfg(rtt_susp_list)]
            sys::rt_susp_list_resume_all(list, RETIRED_ERROR);
            #[cfg(not(rtt_susp_list))]
            while !glue::rtt_mempool_resume_first(list, RETIRED_ERROR).is_null() {}
            (*self.mp.as_ptr()).block_total_count = 0;
            (*self.mp.as_ptr()).block_free_count = 0;
            (*self.mp.as_ptr()).block_list = core::ptr::null_mut();
        }
        Some((geometry, region))
    }

    /// The pool's name and block size, for `mp_check`'s report.
    #[cfg_attr(rtt_omit_mp_check, allow(dead_code))] // used by mp_check (diag)
    pub fn block_size(&self) -> usize {
        // SAFETY: a live pool under its lock (invariant).
        unsafe { (*self.mp.as_ptr()).block_size as usize }
    }

    /// How many threads wait, counting at most `limit`. Where suspend lists are guarded by
    /// the scheduler lock (5.1+: a timeout unlinks its thread under it, not under the pool
    /// lock), the count is taken under it, so the walk never meets a node being unlinked.
    #[cfg_attr(rtt_omit_mp_check, allow(dead_code))] // used by mp_check (diag)
    pub fn waiter_count(&self, limit: usize) -> usize {
        #[cfg(rtt_sched_lock)]
        let mut level: sys::rt_sched_lock_level_t = 0;
        // SAFETY: taken and released around the walk below.
        #[cfg(rtt_sched_lock)]
        unsafe {
            sys::rt_sched_lock(&raw mut level)
        };
        let mut count = 0;
        // SAFETY: a live pool under its lock (invariant), and its list is not changed
        // meanwhile: on 4.1/5.0 every change to it happens with interrupts masked, which the
        // pool lock is there; on 5.1+ under the scheduler lock, held here.
        unsafe {
            let head = addr_of_mut!((*self.mp.as_ptr()).suspend_thread);
            let mut node = (*head).next;
            while node != head && count < limit {
                count += 1;
                node = (*node).next;
            }
        }
        #[cfg(rtt_sched_lock)]
        // SAFETY: pairs with the lock above.
        unsafe {
            sys::rt_sched_unlock(level)
        };
        count
    }
}

/// Prepares the suspend list, the owed-wake count and (where the pool has one) the spinlock
/// of a pool being set up, before it is registered or published.
///
/// # Safety
///
/// `mp` must be valid for writes and not yet visible to other threads as a live pool.
pub unsafe fn init_sync(mp: *mut rt_mempool) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        // rt_list_init, a static inline of the kernel's: an empty list points at itself.
        let list = addr_of_mut!((*mp).suspend_thread);
        (*list).next = list;
        (*list).prev = list;
        (*mp).parent.flag = 0;
        #[cfg(rtt_pool_spinlock)]
        spin_lock_init(addr_of_mut!((*mp).spinlock));
    }
}

/// Calls the alloc hook through the kernel's own hook macro (see `src/glue.c`).
#[cfg(rtt_hook)]
#[inline(always)]
pub fn alloc_hook(mp: *mut rt_mempool, block: *mut core::ffi::c_void) {
    // SAFETY: the hook gets the arguments RT-Thread passes it; the user vouched, by
    // installing it, that it may be called from every context rt_mp_alloc is called from.
    unsafe { glue::rtt_mempool_alloc_hook(mp, block) }
}

/// Calls the free hook through the kernel's own hook macro (see `src/glue.c`).
#[cfg(rtt_hook)]
#[inline(always)]
pub fn free_hook(mp: *mut rt_mempool, block: *mut core::ffi::c_void) {
    // SAFETY: as for `alloc_hook`.
    unsafe { glue::rtt_mempool_free_hook(mp, block) }
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
/// `mp` must be a registered static pool; no registry or pool lock held by the caller.
pub unsafe fn object_detach(mp: *mut rt_mempool) {
    // SAFETY: guaranteed by the caller.
    unsafe { sys::rt_object_detach(addr_of_mut!((*mp).parent)) }
}

/// Allocates and registers a pool object on the heap, zeroed (so `block_total_count` is 0
/// and every call refuses it until it is published); null when the heap is exhausted.
///
/// # Safety
///
/// `name` must be a NUL-terminated string; not from interrupt context.
#[cfg(rtt_heap)]
pub unsafe fn object_allocate(name: *const c_char) -> *mut rt_mempool {
    // SAFETY: guaranteed by the caller; the kernel sizes MemPool objects as rt_mempool and
    // zeroes them.
    unsafe { sys::rt_object_allocate(sys::RT_Object_Class_MemPool, name).cast() }
}

/// Unregisters and frees a heap pool object.
///
/// # Safety
///
/// `mp` must come from [`object_allocate`] and not be used afterwards; no registry or pool
/// lock held by the caller.
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

/// The running thread, for the blocking path.
///
/// # Invariants
///
/// `thread` is the thread that made this value and is running it.
pub struct Waiter {
    thread: *mut rt_thread,
}

impl Waiter {
    /// The calling thread; `None` before the scheduler runs.
    pub fn current() -> Option<Waiter> {
        // SAFETY: rt_thread_self may be called from any context.
        let thread = unsafe { sys::rt_thread_self() };
        // INVARIANT: the caller's own thread; a Waiter is not Send (raw pointer field).
        (!thread.is_null()).then_some(Waiter { thread })
    }

    /// The thread's error after it was woken: RT_EOK when a free woke it, -RT_ETIMEOUT when
    /// its timer expired, [`RETIRED_ERROR`] when its pool went away.
    pub fn wake_reason(&self) -> rt_err_t {
        // SAFETY: the running thread's control block is valid while it runs (invariant).
        unsafe { (*self.thread).error }
    }
}

/// Reports misuse on the console when the kernel is built with `RT_USING_DEBUG`, in
/// RT-Thread's log format. The message is a constant: no formatting code in the library.
#[cfg_attr(not(rtt_debug), allow(unused_variables))]
pub fn report(function: &CStr, problem: &CStr) {
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

/// Prints a constant line on the console.
#[cfg_attr(rtt_omit_mp_check, allow(dead_code))] // used by mp_check (diag)
pub fn print(line: &CStr) {
    // SAFETY: "%s" with one NUL-terminated string.
    unsafe { sys::rt_kprintf(c"%s".as_ptr(), line.as_ptr()) };
}

/// Prints `prefix`, a C string and `suffix` on the console.
///
/// # Safety
///
/// `text` must be NUL-terminated.
#[cfg_attr(rtt_omit_mp_check, allow(dead_code))] // used by mp_check (diag)
pub unsafe fn print_with(prefix: &CStr, text: *const c_char, suffix: &CStr) {
    // SAFETY: three NUL-terminated strings, guaranteed by the caller for `text`.
    unsafe { sys::rt_kprintf(c"%s%s%s".as_ptr(), prefix.as_ptr(), text, suffix.as_ptr()) };
}

/// Prints one line of `mp_check`'s report: the name (at most RT_NAME_MAX bytes, copied while
/// the pool was registered) and the figures.
#[cfg_attr(rtt_omit_mp_check, allow(dead_code))] // used by mp_check (diag)
pub fn print_check_line(name: &[u8; NAME_MAX], figures: [usize; 5], verdict: &CStr) {
    // SAFETY: the name is printed with its bound, so it need not be NUL-terminated; the
    // numbers are passed as unsigned long, as the format says.
    unsafe {
        sys::rt_kprintf(
            c"%-*.*s %6lu %6lu %6lu %6lu %7lu  %s\n".as_ptr(),
            NAME_MAX as c_int,
            NAME_MAX as c_int,
            name.as_ptr(),
            figures[0] as core::ffi::c_ulong,
            figures[1] as core::ffi::c_ulong,
            figures[2] as core::ffi::c_ulong,
            figures[3] as core::ffi::c_ulong,
            figures[4] as core::ffi::c_ulong,
            verdict.as_ptr(),
        );
    }
}

/// The object name of `mp`, copied.
///
/// Byte by byte through volatile reads: a plain copy loop is turned into a `memcpy` call,
/// which would pull compiler_builtins' memcpy (some 500 bytes) into the firmware for 16
/// bytes.
///
/// # Safety
///
/// `mp` must be readable (a registered pool, under the [`Registry`]).
#[cfg_attr(rtt_omit_mp_check, allow(dead_code))] // used by mp_check (diag)
pub unsafe fn name_of(mp: *const rt_mempool) -> [u8; NAME_MAX] {
    let mut name = [0u8; NAME_MAX];
    // SAFETY: the name array lies inside the readable object; its length is RT_NAME_MAX.
    let source = unsafe { core::ptr::addr_of!((*mp).parent.name) }.cast::<u8>();
    for (i, to) in name.iter_mut().enumerate() {
        // SAFETY: `i` < RT_NAME_MAX, inside the object's name array.
        *to = unsafe { source.add(i).read_volatile() };
    }
    name
}

/// Whether the string `wanted` names the pool whose name is `name` (copied by [`name_of`]):
/// the kernel's `rt_strncmp` over RT_NAME_MAX bytes, as `rt_object_find` compares names.
///
/// # Safety
///
/// `wanted` must be a NUL-terminated string.
#[cfg(not(rtt_omit_mp_check))] // used by mp_check (diag)
pub unsafe fn same_name(wanted: *const c_char, name: &[u8; NAME_MAX]) -> bool {
    // SAFETY: both are read up to a NUL or RT_NAME_MAX bytes; `name` has RT_NAME_MAX bytes.
    unsafe { strncmp(wanted, name.as_ptr().cast(), NAME_MAX as _) == 0 }
}
