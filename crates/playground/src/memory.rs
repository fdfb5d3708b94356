//! WebAssembly memory grown ahead of a bulk load, in big steps.
//!
//! Rust's allocator on `wasm32-unknown-unknown` (dlmalloc) grows the memory by what one
//! allocation lacks, rounded up to 64 KiB. A load of 100,000 records into fresh memory grows it
//! thousands of times, and V8 answers every `memory.grow` with a full garbage collection of the
//! JavaScript heap: measured in Node, a first generation of 20,000 records per entity of
//! user-app took 8.5-8.8 s of CPU with 1,181-1,189 garbage collections, and 2.5 s with none
//! once the memory had grown beforehand. So before each step of a bulk load the allocator is
//! asked for one block as large as a quarter of the memory (at least [`MIN_HEADROOM`]), which
//! it frees at once: the memory grows geometrically, a few dozen times in all, and the freed
//! block is where the step's allocations go. Natively this does nothing.

/// The least headroom a step of a bulk load gets.
pub const MIN_HEADROOM: usize = 16 << 20;

/// Makes sure the allocator has `bytes` free in one block: when it has not, the memory grows
/// once by that much. A request the memory cannot grow for is dropped (the allocator then
/// grows in its own small steps, as without this), never a panic.
#[cfg(target_arch = "wasm32")]
pub fn reserve(bytes: usize) {
    let mut block: Vec<u8> = Vec::new();
    if block.try_reserve_exact(bytes).is_ok() {
        // The allocation itself is the point: keep the optimiser from removing it.
        std::hint::black_box(&mut block);
    }
}

/// Natively the allocator maps large blocks on its own: nothing to do.
#[cfg(not(target_arch = "wasm32"))]
pub fn reserve(_bytes: usize) {}

/// The headroom before a step of a bulk load: a quarter of the memory the module has, at least
/// [`MIN_HEADROOM`], so the memory grows by a constant factor rather than 64 KiB at a time.
pub fn reserve_headroom() {
    #[cfg(target_arch = "wasm32")]
    reserve((core::arch::wasm32::memory_size(0) * 65536 / 4).max(MIN_HEADROOM));
}
