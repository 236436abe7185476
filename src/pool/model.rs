//! A reference model of the pool and a driver that replays a byte string as pool operations
//! against it, asserting the invariants after every step. Shared by the property test
//! (`cargo test`) and the cargo-fuzz target (`fuzz/`); not part of the firmware.
//!
//! Invariants: the free count equals total minus live blocks; blocks come in the C version's
//! order (freed ones last-in-first-out, then never-used ones ascending); no block is handed
//! out twice; every block is inside the pool at its slot; misuse (double free, a block's
//! middle, a never-used slot, outside the pool) is refused and changes nothing; `check` finds
//! the free list consistent and `is_allocated` agrees with the model.

extern crate alloc;

use super::*;
use alloc::vec;
use alloc::vec::Vec;

/// What a run did, for the caller's own assertions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Blocks in the pool (0: the input's geometry had no block, nothing ran).
    pub total: usize,
    /// Operations replayed.
    pub steps: usize,
}

/// Replays `input`: its first 4 bytes choose the geometry (alignment, block size, region
/// size), then each pair of bytes is one operation. Panics when an invariant breaks.
pub fn run(input: &[u8]) -> Summary {
    let Some((head, ops)) = input.split_first_chunk::<4>() else {
        return Summary { total: 0, steps: 0 };
    };
    let align = [WORD, 8, 16, 32][usize::from(head[0] % 4)].max(WORD);
    let block_size = 1 + usize::from(head[1] % 96);
    let size = 16 + usize::from(u16::from_le_bytes([head[2], head[3]]) % 2048);
    let mut words = vec![0x5a5a_5a5a_usize; size.div_ceil(WORD)];
    let start = words.as_mut_ptr() as usize;
    let Ok(layout) = Geometry::for_region(start, size, block_size, align) else {
        return Summary { total: 0, steps: 0 };
    };
    let geometry = layout.geometry;
    // SAFETY: `words` outlives the region and is only accessed through it below.
    let mut memory = unsafe { RawRegion::new(&geometry, words.as_mut_ptr().cast()) };
    let owner = 0x1000;
    let mut state = init(&geometry, &mut memory);
    let total = geometry.total();
    let block = |i: usize| geometry.start() + i * geometry.stride() + WORD;

    let mut live: Vec<usize> = Vec::new();
    let mut freed: Vec<usize> = Vec::new();
    let mut used = 0usize;
    let mut steps = 0usize;
    for op in ops.chunks_exact(2) {
        steps += 1;
        let (kind, arg) = (op[0] % 10, usize::from(op[1]));
        let before = state;
        match kind {
            0..=4 => match alloc(&geometry, &mut state, &mut memory, owner) {
                Ok(b) => {
                    let expected = freed.pop().unwrap_or_else(|| {
                        used += 1;
                        block(used - 1)
                    });
                    assert_eq!(b, expected, "address order");
                    assert!(!live.contains(&b), "block handed out twice");
                    assert_eq!(
                        geometry.slot_of_block(b),
                        Ok(b - WORD),
                        "block off its slot"
                    );
                    live.push(b);
                }
                Err(e) => {
                    assert_eq!(e, PoolError::Exhausted);
                    assert_eq!(live.len(), total);
                    assert_eq!(state, before);
                }
            },
            5..=7 if !live.is_empty() => {
                let b = live.swap_remove(arg % live.len());
                assert_eq!(free(&geometry, &mut state, &mut memory, owner, b), Ok(()));
                freed.push(b);
            }
            _ => {
                let bad = match arg % 4 {
                    0 if !freed.is_empty() => freed[arg % freed.len()],
                    1 if !live.is_empty() => live[arg % live.len()] + WORD * (1 + arg % 3),
                    2 if used < total => block(used + arg % (total - used)),
                    _ => geometry.end() + WORD * (arg % 8),
                };
                if !live.contains(&bad) {
                    assert!(
                        free(&geometry, &mut state, &mut memory, owner, bad).is_err(),
                        "misuse accepted"
                    );
                    assert_eq!(state, before, "misuse changed the pool");
                }
            }
        }
        assert_eq!(state.free, total - live.len(), "free count");
        let report = check(&geometry, &state, &memory);
        assert_eq!(report.fault, None);
        assert_eq!(report.listed, freed.len());
        assert_eq!(report.never_used, total - used);
        for &b in &live {
            assert!(is_allocated(&geometry, &state, &memory, b));
        }
        for &b in &freed {
            assert!(!is_allocated(&geometry, &state, &memory, b));
        }
    }
    // The region borrows `words` by pointer: keep the buffer alive until here.
    drop(words);
    Summary { total, steps }
}
