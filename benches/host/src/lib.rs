//! Host benchmark of rtt-mempool's pool core; the benchmark itself is `benches/pool.rs`
//! (`cargo bench -p rtt-mempool-bench`). This library only holds the region helper it uses.

use rtt_mempool::pool::{Geometry, RawRegion};

/// A word-aligned pool region on the heap, as `rt_mp_init` would get it from the caller.
pub struct Region {
    words: Vec<u64>,
}

impl Region {
    /// A zeroed region of `bytes` bytes (rounded up to 8), aligned to 8 like RT_ALIGN_SIZE 8.
    pub fn new(bytes: usize) -> Region {
        Region {
            words: vec![0; bytes.div_ceil(8)],
        }
    }

    /// The region's start address.
    pub fn start(&mut self) -> usize {
        self.words.as_mut_ptr() as usize
    }

    /// The region's size in bytes.
    pub fn len(&self) -> usize {
        self.words.len() * 8
    }

    /// Whether the region is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The pool's view of the region, for `geometry` (built from `start()` and `len()`).
    pub fn raw(&mut self, geometry: &Geometry) -> RawRegion {
        // SAFETY: the region is ours, word-aligned and as large as every geometry built from
        // `start()` and `len()`; the benchmark uses one RawRegion at a time.
        unsafe { RawRegion::new(geometry, self.words.as_mut_ptr().cast()) }
    }
}
