//! Unit and model-based tests of the pool logic, on real memory through `RawRegion` (so Miri
//! checks the pointer handling too).

extern crate std;

use super::*;
use std::vec;
use std::vec::Vec;

/// A word-aligned buffer filled with a pattern, and a pool view of it.
struct Buffer {
    words: Vec<usize>,
}

const FILL: usize = 0x5a5a_5a5a;

impl Buffer {
    fn new(bytes: usize) -> Buffer {
        Buffer {
            words: vec![FILL; bytes.div_ceil(WORD)],
        }
    }

    fn start(&mut self) -> usize {
        self.words.as_mut_ptr() as usize
    }

    fn region(&mut self, geometry: &Geometry) -> RawRegion {
        // SAFETY: the buffer outlives every use of the region in these tests, holds every
        // geometry built from its start and size, and the tests access the words only through
        // the region while it is in use.
        unsafe { RawRegion::new(geometry, self.words.as_mut_ptr().cast()) }
    }
}

/// A pool on a buffer, as `rt_mp_init` would set it up.
struct TestPool {
    buffer: Buffer,
    geometry: Geometry,
    state: PoolState,
    owner: usize,
}

impl TestPool {
    fn new(size: usize, block_size: usize, align: usize) -> TestPool {
        let mut buffer = Buffer::new(size);
        let layout =
            Geometry::for_region(buffer.start(), size, block_size, align).expect("valid pool");
        let state = init(&layout.geometry, &mut buffer.region(&layout.geometry));
        TestPool {
            buffer,
            geometry: layout.geometry,
            state,
            owner: 0x1000,
        }
    }

    fn alloc(&mut self) -> Result<usize, PoolError> {
        let mut region = self.buffer.region(&self.geometry);
        alloc(&self.geometry, &mut self.state, &mut region, self.owner)
    }

    fn free(&mut self, block: usize) -> Result<(), PoolError> {
        let mut region = self.buffer.region(&self.geometry);
        free(
            &self.geometry,
            &mut self.state,
            &mut region,
            self.owner,
            block,
        )
    }

    fn check(&mut self) -> CheckReport {
        check(
            &self.geometry,
            &self.state,
            &self.buffer.region(&self.geometry),
        )
    }

    fn is_allocated(&mut self, block: usize) -> bool {
        is_allocated(
            &self.geometry,
            &self.state,
            &self.buffer.region(&self.geometry),
            block,
        )
    }

    fn block(&self, index: usize) -> usize {
        self.geometry.start() + index * self.geometry.stride() + WORD
    }

    fn write_word(&mut self, addr: usize, word: usize) {
        self.buffer.region(&self.geometry).set_header(addr, word);
    }
}

fn expected_count(size: usize, block_size: usize, align: usize) -> usize {
    let size = size & !(align - 1);
    let block = (block_size + align - 1) & !(align - 1);
    size / (block + WORD)
}

#[test]
fn counts_follow_the_c_formula() {
    for align in [4usize, 8, 16, 32, 64] {
        if align < WORD {
            continue;
        }
        for block_size in [1usize, 3, 4, 7, 8, 13, 16, 80, 100, 255, 256] {
            for size in [200usize, 1000, 4096, 4099, 10_000] {
                let expected = expected_count(size, block_size, align);
                let start = 0x10_0000;
                match Geometry::for_region(start, size, block_size, align) {
                    Ok(layout) => {
                        assert_eq!(
                            layout.geometry.total(),
                            expected,
                            "size {size} block {block_size} align {align}"
                        );
                        assert_eq!(layout.size, size & !(align - 1));
                        assert_eq!(layout.geometry.block_size() % align, 0);
                        assert!(layout.geometry.block_size() >= block_size);
                        assert!(layout.geometry.end() <= start + size);
                    }
                    Err(e) => {
                        assert_eq!(expected, 0);
                        assert_eq!(e, PoolError::TooSmall);
                    }
                }
            }
        }
    }
}

#[test]
fn the_sample_pool_has_the_documented_count() {
    // memp_sample.c: 4096 bytes of 80-byte blocks; 48 blocks with 4-byte pointers.
    let layout = Geometry::for_region(0x2000, 4096, 80, 8).unwrap();
    assert_eq!(layout.geometry.total(), 4096 / (80 + WORD));
}

#[test]
fn bad_regions_are_refused() {
    assert_eq!(
        Geometry::for_region(0, 4096, 80, 8),
        Err(PoolError::InvalidArgument)
    );
    assert_eq!(
        Geometry::for_region(0x1002, 4096, 80, 8),
        Err(PoolError::InvalidArgument)
    );
    assert_eq!(
        Geometry::for_region(0x1000, 0, 80, 8),
        Err(PoolError::InvalidArgument)
    );
    assert_eq!(
        Geometry::for_region(0x1000, 4096, 0, 8),
        Err(PoolError::InvalidArgument)
    );
    assert_eq!(
        Geometry::for_region(0x1000, 8, 80, 8),
        Err(PoolError::TooSmall)
    );
    assert_eq!(
        Geometry::for_region(0x1000, 4096, 80, 6),
        Err(PoolError::InvalidArgument)
    );
    assert_eq!(
        Geometry::for_region(0x1000, 4096, usize::MAX - 2, 8),
        Err(PoolError::Overflow)
    );
    assert_eq!(
        Geometry::for_region(usize::MAX - 63, 4096, 8, 8),
        Err(PoolError::Overflow)
    );
    // Aligned to a word but not to the alignment: accepted, same count as C.
    let layout = Geometry::for_region(0x1000 + WORD, 4096, 80, 16).unwrap();
    assert_eq!(layout.geometry.total(), expected_count(4096, 80, 16));
}

#[test]
fn heap_layouts_check_overflow() {
    assert_eq!(
        Geometry::for_count(10, 80, 8),
        Ok(HeapLayout {
            block_size: 80,
            bytes: 10 * (80 + WORD)
        })
    );
    assert_eq!(
        Geometry::for_count(0, 80, 8),
        Err(PoolError::InvalidArgument)
    );
    assert_eq!(
        Geometry::for_count(10, 0, 8),
        Err(PoolError::InvalidArgument)
    );
    assert_eq!(
        Geometry::for_count(usize::MAX / 8, 80, 8),
        Err(PoolError::Overflow)
    );
    assert_eq!(
        Geometry::for_count(2, usize::MAX - 3, 8),
        Err(PoolError::Overflow)
    );
    assert_eq!(
        Geometry::with_count(0x1000, 80, 0),
        Err(PoolError::InvalidArgument)
    );
    assert_eq!(
        Geometry::with_count((usize::MAX - 200) & !(WORD - 1), 80, 4),
        Err(PoolError::Overflow)
    );
}

#[test]
fn init_writes_one_word() {
    let mut pool = TestPool::new(4096, 80, 8);
    let total = pool.geometry.total();
    assert_eq!(
        pool.state,
        PoolState {
            head: pool.geometry.start(),
            free: total
        }
    );
    let untouched = pool.buffer.words.iter().skip(1).all(|&w| w == FILL);
    assert!(
        untouched,
        "init must not touch anything but slot 0's header"
    );
    assert_eq!(
        pool.check(),
        CheckReport {
            listed: 0,
            never_used: total,
            fault: None
        }
    );
}

#[test]
fn blocks_come_in_the_c_versions_order() {
    let mut pool = TestPool::new(1024, 24, 8);
    let total = pool.geometry.total();
    // Ascending first.
    let blocks: Vec<usize> = (0..total).map(|_| pool.alloc().unwrap()).collect();
    for (i, &b) in blocks.iter().enumerate() {
        assert_eq!(b, pool.block(i));
    }
    assert_eq!(pool.alloc(), Err(PoolError::Exhausted));
    assert_eq!(pool.state.head, 0);
    // Last freed, first handed out.
    pool.free(blocks[3]).unwrap();
    pool.free(blocks[7]).unwrap();
    pool.free(blocks[1]).unwrap();
    assert_eq!(pool.alloc(), Ok(blocks[1]));
    assert_eq!(pool.alloc(), Ok(blocks[7]));
    assert_eq!(pool.alloc(), Ok(blocks[3]));
    assert_eq!(pool.alloc(), Err(PoolError::Exhausted));
}

#[test]
fn freed_blocks_come_before_never_used_ones() {
    let mut pool = TestPool::new(1024, 24, 8);
    let a = pool.alloc().unwrap();
    let b = pool.alloc().unwrap();
    pool.free(a).unwrap();
    assert_eq!(
        pool.check(),
        CheckReport {
            listed: 1,
            never_used: pool.geometry.total() - 2,
            fault: None
        }
    );
    assert_eq!(pool.alloc(), Ok(a));
    assert_eq!(pool.alloc(), Ok(pool.block(2)));
    pool.free(b).unwrap();
    assert_eq!(pool.alloc(), Ok(b));
    assert_eq!(pool.alloc(), Ok(pool.block(3)));
}

#[test]
fn blocks_are_whole_and_distinct() {
    let mut pool = TestPool::new(2048, 13, 8);
    let total = pool.geometry.total();
    let blocks: Vec<usize> = (0..total).map(|_| pool.alloc().unwrap()).collect();
    let region = pool.buffer.region(&pool.geometry);
    for (i, &b) in blocks.iter().enumerate() {
        assert!(b >= pool.geometry.start() + WORD);
        assert!(b + pool.geometry.block_size() <= pool.geometry.end());
        for offset in (0..pool.geometry.block_size()).step_by(WORD) {
            // SAFETY: the block lies inside the buffer (checked above).
            unsafe { region.pointer(b + offset).cast::<usize>().write(i) };
        }
    }
    for (i, &b) in blocks.iter().enumerate() {
        for offset in (0..pool.geometry.block_size()).step_by(WORD) {
            // SAFETY: as above.
            let word = unsafe { region.pointer(b + offset).cast::<usize>().read() };
            assert_eq!(word, i);
        }
        assert_eq!(
            region.header(b - WORD),
            pool.owner,
            "writing a block must not touch headers"
        );
    }
}

#[test]
fn misuse_of_free_changes_nothing() {
    let mut pool = TestPool::new(1024, 24, 8);
    let a = pool.alloc().unwrap();
    let b = pool.alloc().unwrap();
    pool.free(a).unwrap();
    let before = pool.state;
    assert_eq!(pool.free(a), Err(PoolError::NotAllocated), "double free");
    assert_eq!(
        pool.free(b + WORD),
        Err(PoolError::NotBlockStart),
        "middle of a block"
    );
    assert_eq!(
        pool.free(b + 1),
        Err(PoolError::NotBlockStart),
        "unaligned pointer"
    );
    assert_eq!(
        pool.free(pool.geometry.end() + WORD),
        Err(PoolError::OutsidePool)
    );
    assert_eq!(
        pool.free(pool.geometry.start()),
        Err(PoolError::OutsidePool),
        "header of slot 0"
    );
    assert_eq!(pool.free(0), Err(PoolError::OutsidePool));
    assert_eq!(
        pool.free(pool.block(5)),
        Err(PoolError::NotAllocated),
        "never handed out"
    );
    let mut other_owner = TestPool::new(64, 8, 8);
    other_owner.owner = 0x2000;
    let mut region = pool.buffer.region(&pool.geometry);
    assert_eq!(
        free(
            &pool.geometry,
            &mut pool.state,
            &mut region,
            other_owner.owner,
            b
        ),
        Err(PoolError::NotAllocated),
        "a block of another pool"
    );
    assert_eq!(pool.state, before);
    assert_eq!(pool.check().fault, None);
    assert_eq!(pool.alloc(), Ok(a));
}

#[test]
fn corruption_is_detected_not_followed() {
    // A link written after free pointing outside the pool.
    let mut pool = TestPool::new(1024, 24, 8);
    let a = pool.alloc().unwrap();
    pool.free(a).unwrap();
    pool.write_word(a - WORD, 0x10 | TAG_FREE);
    assert_eq!(pool.check().fault, Some(PoolError::Corrupted));
    // `a` itself is free and is handed out; the bad link it leaves as the head is refused
    // when it is used, and the refusal changes nothing.
    assert_eq!(pool.alloc(), Ok(a));
    let before = pool.state;
    assert_eq!(pool.alloc(), Err(PoolError::Corrupted));
    assert_eq!(pool.state, before);

    // A cycle: a freed block linking to itself.
    let mut pool = TestPool::new(1024, 24, 8);
    let a = pool.alloc().unwrap();
    let _b = pool.alloc().unwrap();
    pool.free(a).unwrap();
    pool.write_word(a - WORD, (a - WORD) | TAG_FREE);
    assert_eq!(pool.check().fault, Some(PoolError::Corrupted));

    // A link off the slot boundary.
    let mut pool = TestPool::new(1024, 24, 8);
    let a = pool.alloc().unwrap();
    pool.free(a).unwrap();
    pool.write_word(a - WORD, (a + WORD) | TAG_FREE);
    assert_eq!(pool.check().fault, Some(PoolError::Corrupted));

    // Counter disagreeing with the list.
    let mut pool = TestPool::new(1024, 24, 8);
    pool.state.free -= 1;
    assert_eq!(pool.check().fault, Some(PoolError::Corrupted));

    // The frontier mark overwritten.
    let mut pool = TestPool::new(1024, 24, 8);
    let start = pool.geometry.start();
    pool.write_word(start, 0);
    assert_eq!(pool.check().fault, Some(PoolError::Corrupted));
    assert_eq!(pool.alloc(), Err(PoolError::Corrupted));
}

#[test]
fn is_allocated_tells_live_from_free_and_unused() {
    let mut pool = TestPool::new(1024, 24, 8);
    let a = pool.alloc().unwrap();
    let b = pool.alloc().unwrap();
    pool.free(a).unwrap();
    assert!(!pool.is_allocated(a));
    assert!(pool.is_allocated(b));
    assert!(!pool.is_allocated(pool.block(4)));
    assert!(!pool.is_allocated(b + WORD));
    // A stale owner word in a never-used slot (a pool re-initialised on the same memory).
    let stale = pool.block(6);
    pool.write_word(stale - WORD, pool.owner);
    assert!(!pool.is_allocated(stale));
}

#[test]
fn header_codec_round_trips() {
    for word in [
        Header::Allocated(0x1000),
        Header::Free(None),
        Header::Free(Some(0x2008)),
        Header::Frontier(0x3000),
    ] {
        assert_eq!(Header::decode(word.encode()), word);
    }
    assert_eq!(Header::decode(0x1002), Header::Invalid(0x1002));
    assert!(!is_valid_owner(0));
    assert!(!is_valid_owner(0x1001));
}

/// A small deterministic generator (xorshift), so the property test needs no dependency and
/// every failure reproduces from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Random init/alloc/free sequences with misuse mixed in, checked against the model (see
/// `pool::model`): a bounded run here, long runs with the cargo-fuzz target in `fuzz/`.
#[test]
fn model_based_random_sequences() {
    let runs = if cfg!(miri) { 6 } else { 300 };
    let steps = if cfg!(miri) { 60 } else { 400 };
    for seed in 1..=runs {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed);
        let input: Vec<u8> = (0..steps * 2 + 4).map(|_| rng.next() as u8).collect();
        let summary = super::model::run(&input);
        assert!(
            summary.steps > 0 || summary.total == 0,
            "seed {seed}: nothing ran"
        );
    }
}

/// `slot_index` agrees with the division it replaces, for every stride shape (odd, even,
/// power of two) and for addresses on, off, before and after the slots.
#[test]
fn slot_index_is_exact_without_division() {
    for block_size in [WORD, 2 * WORD, 3 * WORD, 5 * WORD, 12 * WORD, 80, 248, 1000] {
        let block_size = block_size.next_multiple_of(WORD);
        let total = if cfg!(miri) { 5 } else { 37 };
        let start = 0x10_0000;
        let geometry = Geometry::with_count(start, block_size, total).unwrap();
        let stride = geometry.stride();
        let probe_end = geometry.end() + 3 * stride;
        let mut addr = start.wrapping_sub(3 * stride);
        while addr != probe_end {
            let expected = (addr >= start && addr < geometry.end() && (addr - start) % stride == 0)
                .then(|| (addr - start) / stride);
            assert_eq!(
                geometry.slot_index(addr),
                expected,
                "stride {stride} addr {addr:#x}"
            );
            addr = addr.wrapping_add(if cfg!(miri) { WORD } else { 1 });
        }
        for far in [
            0,
            1,
            usize::MAX,
            usize::MAX - WORD + 1,
            start.wrapping_neg(),
        ] {
            let expected = (far >= start && far < geometry.end() && (far - start) % stride == 0)
                .then(|| (far - start) / stride);
            assert_eq!(geometry.slot_index(far), expected);
        }
    }
}

/// Defect: `block_list` or a freed header pointing into the middle of a held block made the
/// pool hand out memory overlapping it (and write its pool pointer into the user's data).
#[test]
fn links_off_the_slot_boundary_are_refused() {
    // Through a freed header.
    let mut pool = TestPool::new(1024, 24, 8);
    let held = pool.alloc().unwrap();
    let freed = pool.alloc().unwrap();
    pool.free(freed).unwrap();
    // The middle of `held`, still word-aligned and with room for a block after it.
    let inside = held + WORD;
    pool.write_word(freed - WORD, inside | TAG_FREE);
    assert_eq!(pool.alloc(), Ok(freed));
    let before = pool.state;
    assert_eq!(pool.alloc(), Err(PoolError::Corrupted));
    assert_eq!(pool.state, before);
    assert_eq!(pool.buffer.region(&pool.geometry).header(inside), FILL);

    // Through the head itself (the C struct's block_list overwritten).
    let mut pool = TestPool::new(1024, 24, 8);
    let held = pool.alloc().unwrap();
    pool.state.head = held + WORD;
    let before = pool.state;
    assert_eq!(pool.alloc(), Err(PoolError::Corrupted));
    assert_eq!(pool.state, before);
}

/// Defect: a freed header overwritten with a frontier mark made the allocator carve the next
/// slot, overwriting the header of a held block, and hand that block out a second time.
#[test]
fn a_forged_frontier_never_hands_out_a_held_block() {
    // The shape where the counts happen to agree: 4 slots, all handed out, slots 0 and 2
    // freed (2 first on the list), slot 2's header forged into a mark. free == 2 == the
    // number of slots from 2 to the end, so only the held slot 3 betrays the forgery.
    let mut pool = TestPool::new(4 * (24 + WORD), 24, 8);
    assert_eq!(pool.geometry.total(), 4);
    let blocks: Vec<usize> = (0..4).map(|_| pool.alloc().unwrap()).collect();
    pool.free(blocks[0]).unwrap();
    pool.free(blocks[2]).unwrap();
    let slot2 = blocks[2] - WORD;
    pool.write_word(slot2, Header::Frontier(slot2).encode());
    let before = pool.state;
    assert_eq!(pool.alloc(), Err(PoolError::Corrupted));
    assert_eq!(pool.state, before);
    assert_eq!(
        pool.buffer.region(&pool.geometry).header(blocks[3] - WORD),
        pool.owner
    );

    // A mark whose count disagrees: a long list behind it.
    let mut pool = TestPool::new(1024, 24, 8);
    let blocks: Vec<usize> = (0..6).map(|_| pool.alloc().unwrap()).collect();
    for &b in &blocks[..5] {
        pool.free(b).unwrap();
    }
    let slot = blocks[4] - WORD;
    pool.write_word(slot, Header::Frontier(slot).encode());
    assert_eq!(pool.alloc(), Err(PoolError::Corrupted));

    // Whatever word is written into whichever freed header, no block is handed out while
    // it is held.
    for victim in 0..4 {
        for forged_at in 0..6 {
            let mut pool = TestPool::new(6 * (24 + WORD), 24, 8);
            let blocks: Vec<usize> = (0..6).map(|_| pool.alloc().unwrap()).collect();
            let mut held: Vec<usize> = blocks.clone();
            for &b in blocks.iter().skip(victim).step_by(2) {
                pool.free(b).unwrap();
                held.retain(|&h| h != b);
            }
            let slot = pool.block(forged_at) - WORD;
            if held.contains(&(slot + WORD)) {
                continue;
            }
            pool.write_word(slot, Header::Frontier(slot).encode());
            while let Ok(b) = pool.alloc() {
                assert!(!held.contains(&b), "block {b:#x} handed out twice");
                held.push(b);
            }
        }
    }
}

/// `retire` takes the owner's address out of every header, so a pool set up again on the same
/// memory (same object) neither accepts a stale block nor trips over its old headers.
#[test]
fn retired_blocks_are_not_the_next_pools() {
    let mut pool = TestPool::new(1024, 24, 8);
    let old: Vec<usize> = (0..5).map(|_| pool.alloc().unwrap()).collect();
    pool.free(old[1]).unwrap();
    let mut region = pool.buffer.region(&pool.geometry);
    retire(&pool.geometry, &mut region, pool.owner);
    for &b in &old {
        assert_ne!(region.header(b - WORD), pool.owner);
    }
    // Set up again on the same memory, for the same owner.
    pool.state = init(&pool.geometry, &mut region);
    assert_eq!(
        pool.free(old[3]),
        Err(PoolError::NotAllocated),
        "stale block"
    );
    let fresh: Vec<usize> = (0..pool.geometry.total())
        .map(|_| pool.alloc().unwrap())
        .collect();
    for (i, &b) in fresh.iter().enumerate() {
        assert_eq!(b, pool.block(i));
    }
    assert_eq!(pool.check().fault, None);
}

/// A region is bounded: the safe `SlotMemory` methods read an address outside it as invalid
/// and ignore writes there (under Miri: no out-of-bounds or misaligned access).
#[test]
fn raw_region_access_is_bounded() {
    let mut pool = TestPool::new(256, 24, 8);
    let end = pool.geometry.end();
    let start = pool.geometry.start();
    let mut region = pool.buffer.region(&pool.geometry);
    for addr in [
        0,
        1,
        start - WORD,
        start + 1,
        end,
        end + WORD,
        usize::MAX,
        usize::MAX - 7,
    ] {
        assert_eq!(
            Header::decode(region.header(addr)),
            Header::Invalid(OUTSIDE)
        );
        region.set_header(addr, 0x1234);
    }
    assert!(pool.buffer.words.iter().skip(1).all(|&w| w == FILL));
    // A region whose base is not the geometry's start is empty.
    let other = Geometry::with_count(start + WORD, 24, 2).unwrap();
    let mut region = pool.buffer.region(&other);
    region.set_header(start + WORD, 7);
    assert_eq!(region.header(start + WORD), OUTSIDE);
    // Pool operations on a geometry that does not match the region stay inside it.
    let mut state = PoolState {
        head: start,
        free: 3,
    };
    let far = Geometry::with_count(0x40, 24, 1000).unwrap();
    let mut region = pool.buffer.region(&pool.geometry);
    assert_eq!(
        alloc(&far, &mut state, &mut region, 0x1000),
        Err(PoolError::Corrupted)
    );
    assert!(free(&far, &mut state, &mut region, 0x1000, 0x40 + WORD).is_err());
    let _ = check(&far, &state, &region);
    retire(&far, &mut region, 0x1000);
}

/// Geometry rebuilt from stored fields that were overwritten is refused, never a panic
/// (debug builds check arithmetic overflow).
#[test]
fn garbage_fields_give_an_error_not_a_panic() {
    for (start, block_size, total) in [
        (usize::MAX & !(WORD - 1), 80, usize::MAX),
        (WORD, usize::MAX & !(WORD - 1), 2),
        (0x1000, 80, usize::MAX / 8),
        (0x1001, 80, 4),
        (0x1000, 81, 4),
        (0, 80, 4),
    ] {
        assert!(Geometry::with_count(start, block_size, total).is_err());
    }
}

/// A never-used slot that holds the owner's address by chance (memory used before the pool,
/// such as a reused heap block) is carved normally: every slot before the frontier is held.
#[test]
fn the_owners_address_in_unused_memory_is_not_a_held_block() {
    let mut pool = TestPool::new(6 * (24 + WORD), 24, 8);
    for i in 1..6 {
        let slot = pool.block(i) - WORD;
        pool.write_word(slot, pool.owner);
    }
    let blocks: Vec<usize> = (0..6).map(|_| pool.alloc().unwrap()).collect();
    for (i, &b) in blocks.iter().enumerate() {
        assert_eq!(b, pool.block(i));
    }
    assert_eq!(pool.alloc(), Err(PoolError::Exhausted));
}

#[test]
fn inverse_of_odd_is_the_inverse() {
    let mut odd = 1usize;
    for _ in 0..5000 {
        assert_eq!(odd.wrapping_mul(super::inverse_of_odd(odd)), 1, "odd {odd}");
        odd = odd.wrapping_mul(0x9e37_79b9).wrapping_add(2) | 1;
    }
    for odd in [1usize, 3, 5, 7, 9, 21, 255, usize::MAX, usize::MAX - 2] {
        assert_eq!(odd.wrapping_mul(super::inverse_of_odd(odd)), 1, "odd {odd}");
    }
}
