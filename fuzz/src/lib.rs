//! What the fuzz targets share: splitting an input into its parts, turning bytes into JSON
//! values, a time budget per call, and an allocation limit.
//!
//! # Inputs
//!
//! A target that needs two values reads them from one input split at its first NUL byte:
//! `type = "track"\0{"type": "track"}` is a trigger and an event. Each part is used as JSON
//! text when it is JSON, so hand-written seeds stay readable; otherwise the bytes drive
//! [`arbitrary`] to build a value from words the target cares about.
//!
//! # Limits
//!
//! - **Time**: [`within_budget`] fails the input when a call under test takes longer than
//!   `FUZZ_BUDGET_MS` milliseconds (10 by default) of the thread's CPU time, so that waiting
//!   for a core on a busy machine does not count. A slow call is timed twice more and only the
//!   fastest of the three counts.
//!   libFuzzer's own `-timeout` (whole seconds) stays as the backstop for hangs.
//! - **Memory**: a global allocator aborts on any single allocation larger than the
//!   `-malloc_limit_mb` given to libFuzzer. libFuzzer enforces that flag only through a
//!   sanitizer's malloc hooks, and the default build here has no sanitizer; `-rss_limit_mb`
//!   works either way and catches growth over many inputs.

use arbitrary::Unstructured;
use serde_json::{Map, Number, Value};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

/// Reads the limits: `FUZZ_BUDGET_MS` from the environment, `-malloc_limit_mb=N` (else
/// `-rss_limit_mb=N`, as libFuzzer does) from the command line. Call it from the target's
/// `init`.
pub fn init() {
    budget();
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter()
            .rev()
            .find_map(|arg| arg.strip_prefix(name)?.parse::<usize>().ok())
            .filter(|&mb| mb > 0)
    };
    if let Some(mb) = flag("-malloc_limit_mb=").or_else(|| flag("-rss_limit_mb=")) {
        LIMIT.store(mb.saturating_mul(1 << 20), Ordering::Relaxed);
    }
}

// ---------------------------------------------------------------------------------------------
// Allocation limit

static LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);
static REPORTING: AtomicBool = AtomicBool::new(false);

/// The system allocator, refusing single allocations over the limit by aborting, which
/// libFuzzer reports as a crash and saves the input of.
pub struct LimitedAllocator;

#[global_allocator]
static ALLOCATOR: LimitedAllocator = LimitedAllocator;

fn check_size(size: usize) {
    if size > LIMIT.load(Ordering::Relaxed) && !REPORTING.swap(true, Ordering::Relaxed) {
        // Reporting may allocate: `REPORTING` lets those allocations through.
        let limit = LIMIT.load(Ordering::Relaxed) >> 20;
        let trace = std::backtrace::Backtrace::force_capture();
        eprintln!("==ERROR: out-of-memory (malloc({size})) over the limit of {limit} MB\n{trace}");
        std::process::abort();
    }
}

unsafe impl GlobalAlloc for LimitedAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        check_size(layout.size());
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        check_size(layout.size());
        System.alloc_zeroed(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        check_size(new_size);
        System.realloc(ptr, layout, new_size)
    }
}

// ---------------------------------------------------------------------------------------------
// Time budget

fn budget() -> Duration {
    static BUDGET: OnceLock<Duration> = OnceLock::new();
    *BUDGET.get_or_init(|| {
        let ms = std::env::var("FUZZ_BUDGET_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .unwrap_or(10);
        Duration::from_millis(ms)
    })
}

/// The CPU time this thread has used: unlike the wall clock, it does not count the time the
/// thread waits for a core, which on a busy machine can be far longer than the call itself.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid `timespec` to write to; the clock exists on every Linux.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Runs `call` and panics when it takes longer than the budget in CPU time, the fastest of
/// three runs.
pub fn within_budget<R>(what: &str, call: impl Fn() -> R) -> R {
    let start = thread_cpu_time();
    let result = call();
    let mut fastest = thread_cpu_time().saturating_sub(start);
    if fastest > budget() {
        for _ in 0..2 {
            let start = thread_cpu_time();
            drop(call());
            fastest = fastest.min(thread_cpu_time().saturating_sub(start));
        }
        assert!(
            fastest <= budget(),
            "{what} took {fastest:?} of CPU time, over the budget of {:?} (FUZZ_BUDGET_MS)",
            budget()
        );
    }
    result
}

// ---------------------------------------------------------------------------------------------
// Inputs

/// With `FUZZ_SHOW=1` in the environment, prints the values an input was read as, as JSON:
/// how a failing input built with `arbitrary` becomes a readable seed and test.
pub fn show(what: &str, value: &Value) {
    static SHOW: OnceLock<bool> = OnceLock::new();
    if *SHOW.get_or_init(|| std::env::var_os("FUZZ_SHOW").is_some()) {
        eprintln!("{what}: {value}");
    }
}

/// The input before its first NUL byte, and what follows it (`None` without a NUL).
pub fn split(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    }
}

/// The JSON value `bytes` hold as text, or one built from them.
pub fn json_or_build(bytes: &[u8], build: impl FnOnce(&mut Unstructured) -> Value) -> Value {
    match serde_json::from_slice(bytes) {
        Ok(value) => value,
        Err(_) => build(&mut Unstructured::new(bytes)),
    }
}

/// What [`Builder`] draws object keys and strings from.
pub struct Builder<'a> {
    /// Object keys and strings, chosen three times out of four.
    pub words: &'a [&'a str],
    /// Directive names such as `@path`: when not empty, half of the objects built are
    /// `{"@directive": argument}`.
    pub directives: &'a [&'a str],
    /// How deep values nest.
    pub depth: u32,
}

impl Builder<'_> {
    /// Any JSON value; never fails: an input that runs out gives nulls, zeros and empties.
    pub fn value(&self, u: &mut Unstructured) -> Value {
        self.value_at(u, self.depth)
    }

    /// An object, always.
    pub fn object(&self, u: &mut Unstructured) -> Value {
        self.object_at(u, self.depth, false)
    }

    fn value_at(&self, u: &mut Unstructured, depth: u32) -> Value {
        let most = if depth == 0 { 4 } else { 6 };
        match u.int_in_range(0..=most).unwrap_or(0) {
            0 => Value::Null,
            1 => Value::Bool(u.arbitrary().unwrap_or(false)),
            2 => number(u),
            3 | 4 => Value::String(self.string(u)),
            5 => {
                let len = u.int_in_range(0..=5).unwrap_or(0);
                Value::Array((0..len).map(|_| self.value_at(u, depth - 1)).collect())
            }
            _ => self.object_at(u, depth, true),
        }
    }

    fn object_at(&self, u: &mut Unstructured, depth: u32, directive: bool) -> Value {
        let depth = depth.saturating_sub(1);
        let mut map = Map::new();
        if directive && !self.directives.is_empty() && u.arbitrary().unwrap_or(false) {
            let name = u.choose(self.directives).map_or("@path", |d| *d);
            map.insert(name.to_owned(), self.value_at(u, depth));
            return Value::Object(map);
        }
        let len = u.int_in_range(0..=6).unwrap_or(0);
        for _ in 0..len {
            let key = self.string(u);
            map.insert(key, self.value_at(u, depth));
        }
        Value::Object(map)
    }

    /// A word (three times out of four) or any string.
    pub fn string(&self, u: &mut Unstructured) -> String {
        if !self.words.is_empty() && u.ratio(3, 4).unwrap_or(true) {
            if let Ok(word) = u.choose(self.words) {
                return (*word).to_owned();
            }
        }
        u.arbitrary().unwrap_or_default()
    }
}

/// Small integers mostly, then any integer or finite float.
pub fn number(u: &mut Unstructured) -> Value {
    match u.int_in_range(0..=3).unwrap_or(0) {
        0 => Value::from(u.int_in_range(-3i64..=300).unwrap_or(0)),
        1 => Value::from(u.arbitrary::<i64>().unwrap_or(0)),
        2 => Value::from(u.arbitrary::<u64>().unwrap_or(0)),
        _ => {
            Number::from_f64(u.arbitrary::<f64>().unwrap_or(0.5)).map_or(Value::Null, Value::Number)
        }
    }
}

/// The keys Segment events hold, for building events.
pub const EVENT_WORDS: &[&str] = &[
    "type",
    "track",
    "identify",
    "group",
    "page",
    "event",
    "Order Completed",
    "name",
    "userId",
    "anonymousId",
    "groupId",
    "traits",
    "properties",
    "context",
    "page",
    "path",
    "url",
    "total",
    "products",
    "sku",
    "email",
    "id",
    "parentAccount",
    "plan",
    "",
    "0",
    "1",
    "a.b",
    "__proto__",
];
