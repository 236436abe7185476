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
//! | `10`     | the word `0b10` alone: *retired*, the header of a block of a pool that was detached or deleted ([`retire`]); any other word with these bits is corruption |
//!
//! # Lazy carving
//!
//! `init` writes one word (the frontier mark in slot 0) instead of linking every slot, so it
//! costs the same for 4 blocks or 40,000. The free list holds the freed slots, most recently
//! freed first, and ends at the frontier; taking the frontier slot moves the mark one slot up.
//! This hands out blocks in exactly the C version's order — ascending at first, then
//! last-freed-first — and `head` (the C struct's `block_list`) is always the address of the
//! slot the next allocation returns, or 0 when the pool is empty.
//!
//! # What the checks guarantee
//!
//! Whatever the pool's memory and its stored fields hold, the functions here never read or
//! write outside the region (every access goes through [`SlotMemory`], which is bounded), and
//! [`alloc`] only ever hands out the start of a slot that is not held:
//! - every slot it takes (`head`, from the C struct's `block_list` or from a freed header's
//!   link) must be exactly a slot start, checked by [`Geometry::slot_index`] without a
//!   division;
//! - it takes only slots whose header is a free or frontier tag, and a held slot's header is
//!   always its owner's address, so a link into a held block is refused;
//! - a frontier mark is believed only where it is consistent: with no freed block listed
//!   before it, the free count must be exactly the number of slots from it to the end, and the
//!   slot it carves next must not be held. A block beyond the real frontier was never handed
//!   out, so its header holds the owner's address only by chance (memory used before); when
//!   it does, every slot before the mark must be held, which is true of the real frontier and
//!   false of a forged one (it has cut freed blocks off the list). [`retire`] clears the
//!   owner's address from a detached pool's headers, so a pool set up again on the same
//!   memory rarely needs that slower proof.

use core::num::NonZeroUsize;

/// Size of the per-block header: one pointer, as in RT-Thread.
pub const WORD: usize = core::mem::size_of::<usize>();

const TAG_MASK: usize = 0b11;
const TAG_FREE: usize = 0b01;
const TAG_FRONTIER: usize = 0b11;
/// The header of a block of a pool that no longer exists (see [`retire`]).
const RETIRED: usize = 0b10;
/// What [`RawRegion`] reads outside its region: tag `10` but not [`RETIRED`], so invalid.
const OUTSIDE: usize = !TAG_FREE;

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

    /// One past the last slot.
    pub fn end(&self) -> usize {
        self.start + self.total * self.stride()
    }

    /// The index of the slot that starts at `slot`: `Some(i)` exactly when
    /// `slot == start + i * stride` with `i < total`, whatever `slot` is.
    ///
    /// Division-free, because it runs on every allocation and free and Cortex-A9 and many
    /// Cortex-M parts have no divide instruction: with `stride = odd << shift`, the offset must
    /// have its low `shift` bits clear, and `(offset >> shift) * odd⁻¹ (mod 2^N)` is the
    /// quotient when `odd` divides it. That product is below `total` only then: multiplying
    /// by the odd stride is a bijection modulo 2^N, and `i * odd` for `i < total` does not wrap
    /// (the constructors checked that `total * stride` fits), so every `i < total` is the image
    /// of exactly one slot offset and of nothing else.
    #[inline(always)]
    pub fn slot_index(&self, slot: usize) -> Option<usize> {
        let offset = slot.wrapping_sub(self.start);
        let stride = self.stride();
        let low_bit = stride & stride.wrapping_neg();
        if offset & low_bit.wrapping_sub(1) != 0 {
            return None;
        }
        let shift = stride.trailing_zeros();
        let odd = stride.wrapping_shr(shift);
        let index = offset.wrapping_shr(shift).wrapping_mul(inverse_of_odd(odd));
        (index < self.total).then_some(index)
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
        match self.slot_index(slot) {
            Some(_) => Ok(slot),
            None => Err(PoolError::NotBlockStart),
        }
    }
}

/// The inverse of an odd number modulo 2^N (N = the bits of `usize`): `x` with
/// `odd * x == 1 (mod 2^N)`. Newton's iteration `x = x * (2 - odd * x)` doubles the number of
/// correct low bits, starting from 5 with `3 * odd ^ 2`: three steps for 32 bits, four for 64,
/// written out (at opt-level "s" a loop over them is kept as a loop, slower and no smaller).
#[inline(always)]
fn inverse_of_odd(odd: usize) -> usize {
    #[inline(always)]
    fn step(odd: usize, x: usize) -> usize {
        x.wrapping_mul(2usize.wrapping_sub(odd.wrapping_mul(x)))
    }
    let mut inverse = step(odd, step(odd, step(odd, odd.wrapping_mul(3) ^ 2))); // 40 bits
    if usize::BITS > 40 {
        inverse = step(odd, inverse); // 80 bits
    }
    inverse
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
    /// A block of a pool that was detached or deleted.
    Retired,
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
            _ if word == RETIRED => Header::Retired,
            _ => Header::Invalid(word),
        }
    }

    pub fn encode(self) -> usize {
        match self {
            Header::Allocated(owner) => owner,
            Header::Free(next) => next.unwrap_or(0) | TAG_FREE,
            Header::Frontier(slot) => slot | TAG_FRONTIER,
            Header::Retired => RETIRED,
            Header::Invalid(word) => word,
        }
    }
}

/// Whether `owner` can be stored in a header: non-null and word-aligned, so it never looks
/// like a free-list tag.
pub fn is_valid_owner(owner: usize) -> bool {
    owner != 0 && owner % WORD == 0
}

/// Access to the header words of one pool's slots.
///
/// An implementation must stay sound for *any* address it is given, because the pool
/// functions are safe and pass addresses computed from memory that may have been
/// overwritten: [`RawRegion`] reads an address outside its region as [`Header::Invalid`] and
/// ignores writes there.
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
///
/// Refuses with [`PoolError::Corrupted`], writing nothing, when the head is not exactly a slot
/// start, its header is neither a free nor the frontier tag, or a frontier mark is
/// inconsistent (see the module documentation): so a corrupted link or a forged mark can make
/// it fail, never hand out a block twice or memory that is not a whole block of the pool.
///
/// Inlined: its callers keep the pool view in registers, and a call would add a frame to
/// the blocking path, where RT-Thread's sample runs on 512-byte stacks.
#[inline(always)]
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
    let Some(index) = geometry.slot_index(slot) else {
        return Err(PoolError::Corrupted);
    };
    if !is_valid_owner(owner) {
        return Err(PoolError::Corrupted);
    }
    // Work out the new head and check it before writing anything, so that a refusal leaves
    // the pool exactly as it was. A freed slot's link is checked when it becomes the head.
    let next = match Header::decode(memory.header(slot)) {
        Header::Free(next) => next.unwrap_or(0),
        Header::Frontier(mark) if mark == slot => {
            // No freed block is listed before the real frontier, so every free block is at or
            // after it: a mark anywhere else (written over a freed header) has lost some of
            // the list and does not match the count...
            if state.free != geometry.total() - index {
                return Err(PoolError::Corrupted);
            }
            if index + 1 < geometry.total() {
                let next = slot + geometry.stride();
                // ...or it is followed by a held block, which a slot beyond the real frontier
                // never is. A never-used slot may hold the owner's address by chance (memory
                // used before, e.g. a heap block): then the slower proof decides.
                if memory.header(next) == owner && !all_held_below(geometry, memory, owner, index) {
                    return Err(PoolError::Corrupted);
                }
                memory.set_header(next, Header::Frontier(next).encode());
                next
            } else {
                0
            }
        }
        _ => return Err(PoolError::Corrupted),
    };
    memory.set_header(slot, Header::Allocated(owner).encode());
    state.head = next;
    state.free -= 1;
    Ok(slot + WORD)
}

/// Whether every slot before the one at `index` is held by `owner`: true of the real frontier
/// when no freed block is listed before it (every free block is at or after it), false of a
/// forged mark, which has cut freed blocks off the list. O(index), and only reached when the
/// slot after a frontier mark holds the owner's address.
#[cold]
#[inline(never)]
fn all_held_below<M: SlotMemory>(
    geometry: &Geometry,
    memory: &M,
    owner: usize,
    index: usize,
) -> bool {
    let mut slot = geometry.start();
    for _ in 0..index {
        if memory.header(slot) != owner {
            return false;
        }
        slot += geometry.stride();
    }
    true
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

/// Walks the free list and checks it against the counters: every link exactly a slot start,
/// no cycle, the list ending at the frontier or at 0, and freed plus never-used blocks equal
/// to `state.free`. Takes at most `total + 1` steps, whatever the memory holds.
pub fn check<M: SlotMemory>(geometry: &Geometry, state: &PoolState, memory: &M) -> CheckReport {
    let mut walk = CheckWalk::new(state);
    // The walk ends by itself within `total + 2` links (it counts them).
    walk.advance(geometry, state, memory, usize::MAX);
    walk.report()
}

/// [`check`] in steps, so that a caller can bound how long it holds the pool's lock: it
/// follows at most `budget` links per [`CheckWalk::advance`], and the caller re-takes the
/// lock in between (and starts again if the pool changed meanwhile).
#[derive(Debug, Clone, Copy)]
pub struct CheckWalk {
    slot: usize,
    steps: usize,
    report: CheckReport,
    done: bool,
}

impl CheckWalk {
    pub fn new(state: &PoolState) -> CheckWalk {
        CheckWalk {
            slot: state.head,
            steps: 0,
            report: CheckReport {
                listed: 0,
                never_used: 0,
                fault: None,
            },
            done: false,
        }
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    /// What was found; complete once [`CheckWalk::is_done`].
    pub fn report(&self) -> CheckReport {
        self.report
    }

    /// Follows at most `budget` more links of the list.
    pub fn advance<M: SlotMemory>(
        &mut self,
        geometry: &Geometry,
        state: &PoolState,
        memory: &M,
        budget: usize,
    ) {
        let mut left = budget;
        while !self.done && left > 0 {
            left -= 1;
            if self.slot == 0 {
                self.finish(geometry, state);
                return;
            }
            if self.steps > geometry.total() {
                // More links than slots: the list loops.
                return self.fail();
            }
            self.steps += 1;
            let Some(index) = geometry.slot_index(self.slot) else {
                return self.fail();
            };
            match Header::decode(memory.header(self.slot)) {
                Header::Free(next) => {
                    self.report.listed += 1;
                    self.slot = next.unwrap_or(0);
                }
                Header::Frontier(mark) if mark == self.slot => {
                    self.report.never_used = geometry.total() - index;
                    self.finish(geometry, state);
                }
                _ => self.fail(),
            }
        }
    }

    fn finish(&mut self, geometry: &Geometry, state: &PoolState) {
        self.done = true;
        if state.free > geometry.total()
            || self.report.listed + self.report.never_used != state.free
        {
            self.report.fault = Some(PoolError::Corrupted);
        }
    }

    fn fail(&mut self) {
        self.done = true;
        self.report.fault = Some(PoolError::Corrupted);
    }
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
        if slot == target || geometry.slot_index(slot).is_none() {
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

/// Marks every header that names `owner` as retired: the pool is being detached or deleted,
/// and its blocks must not be taken for blocks of a pool set up later on the same memory
/// (with the same object), neither by a stale `rt_mp_free` nor by [`alloc`]'s frontier check.
/// Touches only headers, never the blocks; O(total).
pub fn retire<M: SlotMemory>(geometry: &Geometry, memory: &mut M, owner: usize) {
    let mut slot = geometry.start();
    for _ in 0..geometry.total() {
        if memory.header(slot) == owner {
            memory.set_header(slot, Header::Retired.encode());
        }
        slot += geometry.stride();
    }
}

/// A pool region in memory, accessed through a pointer that keeps the region's provenance.
///
/// # Invariants
///
/// `base` is valid for reads and writes of `len` bytes (a multiple of [`WORD`]) and
/// word-aligned, or `len` is 0. Every access is bounds-checked against them, so the safe
/// [`SlotMemory`] methods cannot reach outside the region, whatever address they are given.
pub struct RawRegion {
    base: *mut u8,
    len: usize,
}

impl RawRegion {
    /// The region of `geometry`, reached through `base`. A `base` whose address is not
    /// `geometry.start()` gives an empty region (every read invalid, every write ignored).
    ///
    /// # Safety
    ///
    /// `base` must be valid for reads and writes of `geometry.end() - geometry.start()` bytes
    /// for as long as the `RawRegion` is used, with nothing else accessing the slot headers
    /// meanwhile.
    pub unsafe fn new(geometry: &Geometry, base: *mut u8) -> RawRegion {
        // INVARIANT: the caller guarantees the bytes; `start` is word-aligned and
        // `end - start = total * stride` is a multiple of WORD (checked constructors).
        let len = if base as usize == geometry.start() {
            geometry.end() - geometry.start()
        } else {
            0
        };
        RawRegion { base, len }
    }

    /// The pointer for address `addr` inside the region, derived from `base`.
    pub fn pointer(&self, addr: usize) -> *mut u8 {
        self.base
            .wrapping_add(addr.wrapping_sub(self.base as usize))
    }

    /// The header word at `addr`, if it is a whole aligned word inside the region.
    #[inline(always)]
    fn word(&self, addr: usize) -> Option<*mut usize> {
        let offset = addr.wrapping_sub(self.base as usize);
        (offset < self.len && offset % WORD == 0).then(|| self.base.wrapping_add(offset).cast())
    }
}

impl SlotMemory for RawRegion {
    fn header(&self, slot: usize) -> usize {
        match self.word(slot) {
            // SAFETY: an aligned word inside the region (`word`), readable by the invariant.
            Some(word) => unsafe { word.read() },
            None => OUTSIDE,
        }
    }

    fn set_header(&mut self, slot: usize, value: usize) {
        if let Some(word) = self.word(slot) {
            // SAFETY: as in `header`; the invariant also makes the word writable and unshared.
            unsafe { word.write(value) }
        }
    }
}

#[cfg(any(test, feature = "model"))]
pub mod model;

#[cfg(test)]
mod tests;
