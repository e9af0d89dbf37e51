//! Allocations and time per operation, azpay beside the floor, printed as one JSON line per
//! operation (the comparison harness reads them; criterion gives the detailed view).
//!
//! `opcost [--quick] [--only NAME] [--count-only]`, `opcost --only NAME --side azpay|floor --iters N`
//! (callgrind), or `opcost --callback-body FILE` to write the signed EPoint callback): a counting global allocator wraps the system allocator; each case is
//! run once to warm up, then 1000 times while counting; time is the median of 15 batches
//! (min and max reported as the spread).
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new_size as u64, Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// (allocations, bytes) per call, over `n` calls.
fn count(f: &mut dyn FnMut(), n: u64) -> (f64, f64) {
    f();
    let (a0, b0) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed));
    for _ in 0..n {
        f();
    }
    let (a1, b1) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed));
    ((a1 - a0) as f64 / n as f64, (b1 - b0) as f64 / n as f64)
}

/// (median, min, max) nanoseconds per call over `batches` batches of about `each`.
fn time(f: &mut dyn FnMut(), batches: usize, each: Duration) -> (f64, f64, f64) {
    // Calibrate the batch size.
    let mut n = 1u64;
    loop {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        if t.elapsed() >= each / 4 || n > 1 << 30 {
            let per = t.elapsed().as_secs_f64() / n as f64;
            n = ((each.as_secs_f64() / per) as u64).max(1);
            break;
        }
        n *= 2;
    }
    let mut v: Vec<f64> = (0..batches)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed().as_secs_f64() * 1e9 / n as f64
        })
        .collect();
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--callback-body") {
        // The signed callback the EPoint case verifies, for the other clients to verify too.
        let path = args.get(i + 1).expect("--callback-body FILE");
        std::fs::write(path, azpay_benches::epoint::callback_body()).expect("write");
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    // `--only NAME`: one case; `--count-only`: no timing (for callgrind).
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1));
    let count_only = args.iter().any(|a| a == "--count-only");
    // `--side azpay|floor --iters N`: run only that side N times (for callgrind: the
    // instructions of N calls minus those of 0 calls are the cost of N operations).
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    if let (Some(side), Some(iters)) = (arg("--side"), arg("--iters")) {
        let iters: u64 = iters.parse().expect("--iters N");
        for mut case in azpay_benches::cases() {
            if only.is_some_and(|o| o != case.name) {
                continue;
            }
            let f = if side == "floor" {
                &mut case.floor
            } else {
                &mut case.azpay
            };
            for _ in 0..iters {
                f();
            }
        }
        return;
    }
    let (batches, each) = if quick {
        (5, Duration::from_millis(20))
    } else {
        (15, Duration::from_millis(100))
    };
    for mut case in azpay_benches::cases() {
        if only.is_some_and(|o| o != case.name) {
            continue;
        }
        let (aa, ab) = count(&mut case.azpay, 1000);
        let (fa, fb) = count(&mut case.floor, 1000);
        if count_only {
            println!(
                "{{\"name\":\"{}\",\"azpay_allocs\":{aa},\"azpay_bytes\":{ab},\
                 \"floor_allocs\":{fa},\"floor_bytes\":{fb}}}",
                case.name
            );
            continue;
        }
        let (am, amin, amax) = time(&mut case.azpay, batches, each);
        let (fm, fmin, fmax) = time(&mut case.floor, batches, each);
        println!(
            "{{\"name\":\"{}\",\"azpay_allocs\":{aa},\"azpay_bytes\":{ab},\"floor_allocs\":{fa},\
             \"floor_bytes\":{fb},\"azpay_ns\":{am:.1},\"azpay_ns_min\":{amin:.1},\
             \"azpay_ns_max\":{amax:.1},\"floor_ns\":{fm:.1},\"floor_ns_min\":{fmin:.1},\
             \"floor_ns_max\":{fmax:.1}}}",
            case.name
        );
    }
}
