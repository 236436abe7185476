//! The memory pool itself: block geometry, the free list and its checks.
//!
//! This module knows nothing about C or RT-Thread. It works on addresses (`usize`) and reads
//! and writes one header word per block through [`SlotMemory`], so the same code runs on a
//! real pool region (see [`RawRegion`]) and under Miri and the property tests.
//!
//! # Layout (identical to RT-Thread's `src/mempool.c`)
//!
//! A pool region of `size` bytes is cut into `block_total_count` *slots* of
//! `stride = align_up(block_size) + size_of::<usize>()` bytes, starting at the region's start:
//!
//! ```text
//! start                     start + stride
//! | header | block .......  | header | block .......  | ... (size_aligned % stride unused)
//! ```
//!
//! The user gets `slot + WORD`. While a block is allocated its header holds the owning pool's
//! address, so that `rt_mp_free(block)` finds its pool: this is RT-Thread's ABI and users size
//! pools by it, so the overhead stays one word per block.
//!
//! # Header words
//!
//! A pool address is word-aligned, so its two low bits are `00`. Free slots use those bits as a
//! tag that no pool pointer has, which lets `free` tell a double free from a live block:
//!
//! | low bits | meaning                                                                |
//! |----------|------------------------------------------------------------------------|
//! | `00`     | allocated; the word is the owner's address                             |
//! | `01`     | freed; the rest is the address of the next free slot (0: end of list)  |
//! | `11`     | the *frontier*: the first slot never handed out; the rest is its own address |
//! | `10`     | never written by this module: corruption                               |
//!
//! # Lazy carving
//!
//! `init` writes one word (the frontier mark in slot 0) instead of linking every slot, so it
//! costs the same for 4 blocks or 40,000. The free list holds the freed slots, most recently
//! freed first, and ends at the frontier; taking the frontier slot moves the mark one slot up.
//! This hands out blocks in exactly the C version's order — ascending at first, then
//! last-freed-first — and `head` (the C struct's `block_list`) is always the address of the
//! slot the next allocation returns, or 0 when the pool is empty.

use core::num::NonZeroUsize;

/// Size of the per-block header: one pointer, as in RT-Thread.
pub const WORD: usize = core::mem::size_of::<usize>();

const TAG_MASK: usize = 0b11;
const TAG_FREE: usize = 0b01;
const TAG_FRONTIER: usize = 0b11;

/// Why an operation was refused. Nothing is modified when one of these is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolError {
    /// A zero size, a null or misaligned address, or an alignment that is not a power of two
    /// of at least one word.
    InvalidArgument,
    /// The region is too small to hold one block.
    TooSmall,
    /// A size computation overflows the address space.
    Overflow,
    /// The pool has no free block.
    Exhausted,
    /// The address does not lie inside the pool's blocks.
    OutsidePool,
    /// The address lies inside the pool but is not the start of a block.
    NotBlockStart,
    /// The block is not allocated: it is free already (double free) or was never handed out.
    NotAllocated,
    /// The pool's bookkeeping contradicts itself (its memory was overwritten).
    Corrupted,
}

/// Where a pool's slots are. Every constructor checks that `start + total * stride` fits in
/// the address space, so the arithmetic below cannot overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    start: usize,
    block_size: usize,
    total: usize,
}

/// What `rt_mp_init` stores for a region, computed without touching it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionLayout {
    pub geometry: Geometry,
    /// The region size rounded down to the alignment (RT-Thread's `mp->size`).
    pub size: usize,
}

/// What `rt_mp_create` needs from the heap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeapLayout {
    /// The block size rounded up to the alignment.
    pub block_size: usize,
    /// Bytes to allocate for `count` blocks and their headers.
    pub bytes: usize,
}

fn check_alignment(align: usize) -> Result<(), PoolError> {
    if align.is_power_of_two() && align >= WORD {
        Ok(())
    } else {
        Err(PoolError::InvalidArgument)
    }
}

/// `block_size` rounded up to `align` (a checked power of two), as `RT_ALIGN` does.
fn align_block(block_size: usize, align: usize) -> Result<usize, PoolError> {
    if block_size == 0 {
        return Err(PoolError::InvalidArgument);
    }
    block_size
        .checked_add(align - 1)
        .map(|s| s & !(align - 1))
        .ok_or(PoolError::Overflow)
}

impl Geometry {
    /// The layout `rt_mp_init(start, size, block_size)` gives with `RT_ALIGN_SIZE == align`:
    /// `size` rounded down and `block_size` rounded up to `align`, and as many slots as fit.
    ///
    /// `start` must be word-aligned (the header is a pointer); it need not be aligned to
    /// `align`, exactly as in the C version, so the block count never differs from it.
    pub fn for_region(
        start: usize,
        size: usize,
        block_size: usize,
        align: usize,
    ) -> Result<RegionLayout, PoolError> {
        check_alignment(align)?;
        if start == 0 || start % WORD != 0 || size == 0 {
            return Err(PoolError::InvalidArgument);
        }
        let block_size = align_block(block_size, align)?;
        let stride = block_size.checked_add(WORD).ok_or(PoolError::Overflow)?;
        let size = size & !(align - 1);
        start.checked_add(size).ok_or(PoolError::Overflow)?;
        let total = size / NonZeroUsize::MIN.saturating_add(stride - 1);
        if total == 0 {
            return Err(PoolError::TooSmall);
        }
        Ok(RegionLayout {
            geometry: Geometry {
                start,
                block_size,
                total,
            },
            size,
        })
    }

    /// The heap allocation `rt_mp_create(count, block_size)` needs, with overflow checks the C
    /// version lacks.
    pub fn for_count(
        count: usize,
        block_size: usize,
        align: usize,
    ) -> Result<HeapLayout, PoolError> {
        check_alignment(align)?;
        if count == 0 {
            return Err(PoolError::InvalidArgument);
        }
        let block_size = align_block(block_size, align)?;
        let bytes = block_size
            .checked_add(WORD)
            .and_then(|stride| stride.checked_mul(count))
            .ok_or(PoolError::Overflow)?;
        Ok(HeapLayout { block_size, bytes })
    }

    /// The geometry of `count` blocks of an already aligned `block_size` at `start`, e.g. the
    /// memory `rt_mp_create` got from the heap.
    pub fn with_count(
        start: usize,
        block_size: usize,
        count: usize,
    ) -> Result<Geometry, PoolError> {
        let geometry = Geometry {
            start,
            block_size,
            total: count,
        };
        if start == 0
            || start % WORD != 0
            || block_size == 0
            || block_size % WORD != 0
            || count == 0
        {
            return Err(PoolError::InvalidArgument);
        }
        block_size
            .checked_add(WORD)
            .and_then(|stride| stride.checked_mul(count))
            .and_then(|bytes| start.checked_add(bytes))
            .ok_or(PoolError::Overflow)?;
        Ok(geometry)
    }

    /// The geometry of a pool this module laid out before (by [`Geometry::for_region`] or
    /// [`Geometry::with_count`]), rebuilt from the fields it was stored in, without checking
    /// them again: the allocation and free paths rebuild it on every call. Use
    /// [`Geometry::with_count`] for fields that may have been overwritten.
    ///
    /// # Safety
    ///
    /// The three values must be those of a geometry one of the checked constructors returned
    /// (so that `start + total * stride` fits in the address space): the pool functions
    /// access memory anywhere inside the geometry they are given.
    pub unsafe fn from_laid_out(start: usize, block_size: usize, total: usize) -> Geometry {
        Geometry {
            start,
            block_size,
            total,
        }
    }

    pub fn start(&self) -> usize {
        self.start
    }

    pub fn block_size(&self) -> usize {
        self.block_size
    }

    pub fn total(&self) -> usize {
        self.total
    }

    /// Distance between two consecutive slots.
    pub fn stride(&self) -> usize {
        self.block_size + WORD
    }

    /// The stride as a divisor that cannot be zero, so dividing by it has no panic path.
    fn divisor(&self) -> NonZeroUsize {
        NonZeroUsize::MIN.saturating_add(self.stride() - 1)
    }

    /// One past the last slot.
    pub fn end(&self) -> usize {
        self.start + self.total * self.stride()
    }

    /// The slot of the user pointer `block`, if `block` is exactly where a block starts.
    /// Inlined: `rt_mp_free` calls it on every free, and a call would put the geometry on
    /// the stack of a frame that stays there while the freeing thread wakes a waiter.
    #[inline(always)]
    pub fn slot_of_block(&self, block: usize) -> Result<usize, PoolError> {
        let slot = block.wrapping_sub(WORD);
        if block < WORD || slot < self.start || slot >= self.end() {
            return Err(PoolError::OutsidePool);
        }
        let offset = slot - self.start;
        let stride = self.divisor();
        // A power-of-two stride (e.g. 12 + 4 bytes) needs no division, which Cortex-A9 lacks.
        let misplaced = if stride.is_power_of_two() {
            offset & (stride.get() - 1)
        } else {
            offset % stride
        };
        if misplaced != 0 {
            return Err(PoolError::NotBlockStart);
        }
        Ok(slot)
    }

    /// Whether `slot` is where a slot may be read: inside the pool, word-aligned, with room
    /// for a whole block after it. Cheap (no division): the allocation path uses it on every
    /// link it follows, so a corrupted link can never make it hand out memory outside the pool.
    fn holds_slot(&self, slot: usize) -> bool {
        slot >= self.start
            && slot % WORD == 0
            && slot < self.end()
            && self.end() - slot >= self.stride()
    }

    /// `holds_slot` plus the exact slot boundary, for the checks that may take their time.
    fn is_slot(&self, slot: usize) -> bool {
        slot.checked_add(WORD)
            .is_some_and(|block| self.slot_of_block(block).is_ok())
    }
}

/// A decoded header word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Header {
    /// Allocated; the owner's address.
    Allocated(usize),
    /// Freed; the next slot of the free list, if any.
    Free(Option<usize>),
    /// The first never-used slot; holds its own address.
    Frontier(usize),
    /// Not a word this module writes.
    Invalid(usize),
}

impl Header {
    pub fn decode(word: usize) -> Header {
        match word & TAG_MASK {
            0 => Header::Allocated(word),
            TAG_FREE => {
                let next = word & !TAG_MASK;
                Header::Free(if next == 0 { None } else { Some(next) })
            }
            TAG_FRONTIER => Header::Frontier(word & !TAG_MASK),
            _ => Header::Invalid(word),
        }
    }

    pub fn encode(self) -> usize {
        match self {
            Header::Allocated(owner) => owner,
            Header::Free(next) => next.unwrap_or(0) | TAG_FREE,
            Header::Frontier(slot) => slot | TAG_FRONTIER,
            Header::Invalid(word) => word,
        }
    }
}

/// Whether `owner` can be stored in a header: non-null and word-aligned, so it never looks
/// like a free-list tag.
pub fn is_valid_owner(owner: usize) -> bool {
    owner != 0 && owner % WORD == 0
}

/// Access to the header words of one pool's slots. The pool code calls it only with slot
/// addresses inside its [`Geometry`] (checked by `Geometry::holds_slot`).
pub trait SlotMemory {
    fn header(&self, slot: usize) -> usize;
    fn set_header(&mut self, slot: usize, word: usize);
}

/// A pool's mutable bookkeeping: the C struct's `block_list` and `block_free_count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolState {
    /// The slot the next allocation returns (0: none).
    pub head: usize,
    /// Free blocks, freed and never used.
    pub free: usize,
}

/// Prepares a pool: one header write, whatever the number of blocks.
pub fn init<M: SlotMemory>(geometry: &Geometry, memory: &mut M) -> PoolState {
    let first = geometry.start();
    memory.set_header(first, Header::Frontier(first).encode());
    PoolState {
        head: first,
        free: geometry.total(),
    }
}

/// Takes the next free block and marks it as `owner`'s. Returns the user pointer.
pub fn alloc<M: SlotMemory>(
    geometry: &Geometry,
    state: &mut PoolState,
    memory: &mut M,
    owner: usize,
) -> Result<usize, PoolError> {
    if state.free == 0 {
        return Err(PoolError::Exhausted);
    }
    let slot = state.head;
    if !geometry.holds_slot(slot) || !is_valid_owner(owner) {
        return Err(PoolError::Corrupted);
    }
    // Work out the new head and check it before writing anything, so that a refusal leaves
    // the pool exactly as it was.
    let (next, carved) = match Header::decode(memory.header(slot)) {
        Header::Free(next) => (next.unwrap_or(0), false),
        Header::Frontier(mark) if mark == slot => {
            let next = slot + geometry.stride();
            if next < geometry.end() {
                (next, true)
            } else {
                (0, false)
            }
        }
        _ => return Err(PoolError::Corrupted),
    };
    // A link is either the end of the list or somewhere a block fits; anything else means a
    // freed block was written to after `free`, and following it would leave the pool.
    if next != 0 && !geometry.holds_slot(next) {
        return Err(PoolError::Corrupted);
    }
    if carved {
        memory.set_header(next, Header::Frontier(next).encode());
    }
    memory.set_header(slot, Header::Allocated(owner).encode());
    state.head = next;
    state.free -= 1;
    Ok(slot + WORD)
}

/// Gives `block` back to the pool. It must be a block of this pool that is allocated to
/// `owner`; anything else is refused and changes nothing.
pub fn free<M: SlotMemory>(
    geometry: &Geometry,
    state: &mut PoolState,
    memory: &mut M,
    owner: usize,
    block: usize,
) -> Result<(), PoolError> {
    let slot = geometry.slot_of_block(block)?;
    if memory.header(slot) != owner || !is_valid_owner(owner) {
        return Err(PoolError::NotAllocated);
    }
    if state.free >= geometry.total() {
        return Err(PoolError::Corrupted);
    }
    let next = if state.head == 0 {
        None
    } else {
        Some(state.head)
    };
    memory.set_header(slot, Header::Free(next).encode());
    state.head = slot;
    state.free += 1;
    Ok(())
}

/// What [`check`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckReport {
    /// Freed blocks on the free list.
    pub listed: usize,
    /// Blocks never handed out (from the frontier to the end).
    pub never_used: usize,
    /// The first inconsistency, if any.
    pub fault: Option<PoolError>,
}

/// Walks the free list and checks it against the counters: every link inside the pool and on
/// a slot boundary, no cycle, the list ending at the frontier or at 0, and freed plus
/// never-used blocks equal to `state.free`. Takes at most `total + 1` steps, whatever the
/// memory holds.
pub fn check<M: SlotMemory>(geometry: &Geometry, state: &PoolState, memory: &M) -> CheckReport {
    let mut report = CheckReport {
        listed: 0,
        never_used: 0,
        fault: None,
    };
    let mut slot = state.head;
    let mut steps = 0usize;
    while slot != 0 {
        if steps > geometry.total() {
            // More links than slots: the list loops.
            report.fault = Some(PoolError::Corrupted);
            return report;
        }
        steps += 1;
        if !geometry.is_slot(slot) {
            report.fault = Some(PoolError::Corrupted);
            return report;
        }
        match Header::decode(memory.header(slot)) {
            Header::Free(next) => {
                report.listed += 1;
                slot = next.unwrap_or(0);
            }
            Header::Frontier(mark) if mark == slot => {
                report.never_used = (geometry.end() - slot) / geometry.divisor();
                break;
            }
            _ => {
                report.fault = Some(PoolError::Corrupted);
                return report;
            }
        }
    }
    if state.free > geometry.total() || report.listed + report.never_used != state.free {
        report.fault = Some(PoolError::Corrupted);
    }
    report
}

/// Whether the slot of `block` is currently handed out: not on the free list and below the
/// frontier. Walks the free list (at most `total + 1` steps), so it is for the optional
/// paranoid checks, not for every call.
pub fn is_allocated<M: SlotMemory>(
    geometry: &Geometry,
    state: &PoolState,
    memory: &M,
    block: usize,
) -> bool {
    let Ok(target) = geometry.slot_of_block(block) else {
        return false;
    };
    let mut slot = state.head;
    for _ in 0..=geometry.total() {
        if slot == 0 {
            return true;
        }
        if slot == target || !geometry.is_slot(slot) {
            return false;
        }
        match Header::decode(memory.header(slot)) {
            Header::Free(next) => slot = next.unwrap_or(0),
            Header::Frontier(mark) if mark == slot => return target < slot,
            _ => return false,
        }
    }
    false
}

/// A pool region in memory, accessed through a pointer that keeps the region's provenance.
pub struct RawRegion {
    base: *mut u8,
}

impl RawRegion {
    /// # Safety
    ///
    /// For every [`Geometry`] the region is used with: `base` is `geometry.start()`, and it is
    /// valid for reads and writes of `geometry.end() - geometry.start()` bytes for as long as
    /// the `RawRegion` is used, with nothing else accessing the slot headers meanwhile.
    pub unsafe fn new(base: *mut u8) -> RawRegion {
        RawRegion { base }
    }

    /// The pointer for address `addr` inside the region, derived from `base`.
    pub fn pointer(&self, addr: usize) -> *mut u8 {
        self.base
            .wrapping_add(addr.wrapping_sub(self.base as usize))
    }
}

impl SlotMemory for RawRegion {
    fn header(&self, slot: usize) -> usize {
        // SAFETY: the pool functions pass only word-aligned slot addresses inside the
        // geometry, which `RawRegion::new`'s contract makes readable.
        unsafe { self.pointer(slot).cast::<usize>().read() }
    }

    fn set_header(&mut self, slot: usize, word: usize) {
        // SAFETY: as in `header`; the contract also makes the words writable and unshared.
        unsafe { self.pointer(slot).cast::<usize>().write(word) }
    }
}

#[cfg(any(test, feature = "model"))]
pub mod model;

#[cfg(test)]
mod tests;
