//! Criterion benchmark of the pool core (`rtt_mempool::pool`) on the host: the parts of
//! `rt_mp_init`, `rt_mp_alloc` and `rt_mp_free` that do not touch the kernel. For
//! regressions without RT-Thread; the side-by-side comparison with the kernel's C mempool is
//! `scripts/qemu_bench.py` (`make bench` with RTT_ROOT).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use rtt_mempool::pool::{self, Geometry};
use rtt_mempool_bench::Region;

const POOL_BYTES: usize = 64 * 1024;
const BLOCK: usize = 16;
const ALIGN: usize = 8;

/// Stands for the pool object's address, which the allocated blocks' headers hold.
static OWNER: u64 = 0;

fn owner() -> usize {
    &OWNER as *const u64 as usize
}

fn benches(c: &mut Criterion) {
    let mut region = Region::new(POOL_BYTES);
    let start = region.start();
    let len = region.len();

    // rt_mp_init's pool work for 64 KiB of 16-byte blocks: geometry (one division) and the
    // one header write; independent of the number of blocks.
    c.bench_function("pool::init 64KiB/16B", |b| {
        b.iter(|| {
            let layout = Geometry::for_region(black_box(start), black_box(len), BLOCK, ALIGN)
                .expect("valid region");
            let mut raw = region.raw(&layout.geometry);
            black_box(pool::init(&layout.geometry, &mut raw))
        })
    });

    let geometry = Geometry::for_region(start, len, BLOCK, ALIGN)
        .expect("valid region")
        .geometry;
    let mut raw = region.raw(&geometry);
    let mut state = pool::init(&geometry, &mut raw);
    // Hand out a few blocks first, so that the pair runs on the free list, not the frontier.
    let warm: Vec<usize> = (0..4)
        .map(|_| pool::alloc(&geometry, &mut state, &mut raw, owner()).expect("free block"))
        .collect();
    for block in warm.into_iter().rev() {
        pool::free(&geometry, &mut state, &mut raw, owner(), block).expect("allocated block");
    }

    // The fast path: alloc + free of one block.
    c.bench_function("pool::alloc+free pair", |b| {
        b.iter(|| {
            let block = pool::alloc(&geometry, &mut state, &mut raw, black_box(owner()))
                .expect("free block");
            pool::free(&geometry, &mut state, &mut raw, owner(), black_box(block))
                .expect("allocated block");
        })
    });

    // The same pair as the C API runs it: the geometry is rebuilt and checked from the pool
    // struct's fields on every call (Geometry::with_count), as `rt_mp_alloc`/`rt_mp_free` do.
    let (gstart, gsize, gtotal) = (geometry.start(), geometry.block_size(), geometry.total());
    c.bench_function("pool::alloc+free pair, geometry per call", |b| {
        b.iter(|| {
            let g = Geometry::with_count(black_box(gstart), black_box(gsize), black_box(gtotal))
                .expect("valid geometry");
            let block =
                pool::alloc(&g, &mut state, &mut raw, black_box(owner())).expect("free block");
            let g = Geometry::with_count(black_box(gstart), black_box(gsize), black_box(gtotal))
                .expect("valid geometry");
            pool::free(&g, &mut state, &mut raw, owner(), black_box(block))
                .expect("allocated block");
        })
    });
}

criterion_group!(pool_benches, benches);
criterion_main!(pool_benches);
