//! The call-site heap profiler: `BTMALLOC_PROFILE=FILE` records, per call
//! site, live bytes, peak live bytes, allocation and free counts, and
//! writes them to `FILE` (`%p` in the name becomes the process id) at
//! process exit and, with `BTMALLOC_PROFILE_SIGNAL=USR1|USR2|<number>`,
//! after that signal arrives. `btmalloc-report FILE` ([`crate::report`])
//! ranks and symbolises the sites.
//!
//! Entry points: [`init`] (from the allocator's one-time initialisation),
//! [`enabled`], [`on_alloc`], [`on_free`], [`on_resize`], [`dump`].
//!
//! Cost when the variable is unset: heaps are created with their `special`
//! flag clear, so `malloc` takes its usual path; `free` tests one flag in
//! the cache line it reads anyway (`registry::HOT`). When set, every heap is
//! `special`, so each allocation takes the out-of-line path, which records
//! the block here.
//!
//! Nothing here allocates through the allocator: the site table and the
//! block table are private `mmap`s, guarded by a spin lock; the file is
//! written with `open`/`write` from a stack buffer; modules come from
//! `dl_iterate_phdr` (whose callback only copies into a static buffer) and
//! `readlink("/proc/self/exe")`. The signal handler only sets a flag: the
//! dump happens at the next allocation or free (a safe point, no allocator
//! lock held), or at exit.
//!
//! File format (text, one record per line, numbers in decimal except the
//! offset):
//!
//! ```text
//! btmalloc-profile 1
//! pid 1234
//! total <live> <peak> <allocs> <frees>
//! site <live> <peak> <allocs> <frees> <bytes> 0x<offset> <module path | ?>
//! ```
//!
//! `offset` is the return address minus the module's load bias (an address
//! `addr2line -e MODULE` understands), or the absolute address with module
//! `?` when no loaded module contains it.

use core::sync::atomic::{AtomicBool, Ordering};

use crate::registry;
use crate::sys::{self, SpinLock};

/// Distinct sites tracked; later sites are counted in one overflow entry.
const SITE_CAP: usize = 1 << 14;
/// Index of the overflow entry (site address reported as 0).
const OVERFLOW: usize = SITE_CAP;
/// Initial capacity of the block table (grows by doubling).
const BLOCKS_INITIAL: usize = 1 << 14;
/// Longest output path kept (longer ones disable the profiler).
const PATH_MAX: usize = 1024;

#[derive(Clone, Copy)]
#[repr(C)]
struct SiteEntry {
    site: usize,
    live: u64,
    peak: u64,
    allocs: u64,
    frees: u64,
    bytes: u64,
}

#[derive(Clone, Copy)]
#[repr(C)]
struct BlockEntry {
    /// Block address (0: empty slot).
    ptr: usize,
    size: usize,
    site: usize,
}

struct Tables {
    /// `SITE_CAP + 1` entries (the last is the overflow entry).
    sites: *mut SiteEntry,
    site_count: usize,
    blocks: *mut BlockEntry,
    block_cap: usize,
    block_len: usize,
    live: u64,
    peak: u64,
    allocs: u64,
    frees: u64,
    /// Blocks that could not be recorded (block table growth failed).
    lost: u64,
}

// SAFETY: only touched under its lock.
unsafe impl Send for Tables {}

static TABLES: SpinLock<Tables> = SpinLock::new(Tables {
    sites: core::ptr::null_mut(),
    site_count: 0,
    blocks: core::ptr::null_mut(),
    block_cap: 0,
    block_len: 0,
    live: 0,
    peak: 0,
    allocs: 0,
    frees: 0,
    lost: 0,
});

/// The output path (NUL-terminated), written once by [`init`].
static PATH: SpinLock<([u8; PATH_MAX], usize)> = SpinLock::new(([0; PATH_MAX], 0));

/// Set by the signal handler; cleared by the dump it asks for.
static DUMP_REQUESTED: AtomicBool = AtomicBool::new(false);

/// Serialises dumps (and guards the module buffer).
static DUMPING: SpinLock<()> = SpinLock::new(());

/// Whether the profiler is recording.
#[inline(always)]
pub(crate) fn enabled() -> bool {
    registry::HOT.profile.load(Ordering::Relaxed)
}

/// Reads `BTMALLOC_PROFILE` and `BTMALLOC_PROFILE_SIGNAL`; if the first is
/// set, maps the tables, installs the signal handler and turns recording on.
/// Called once, before any heap exists.
pub(crate) fn init() {
    let Some(path) = crate::config::env_bytes(c"BTMALLOC_PROFILE") else {
        return;
    };
    if path.is_empty() || path.len() >= PATH_MAX {
        return;
    }
    let sites = sys::map((SITE_CAP + 1) * core::mem::size_of::<SiteEntry>(), true);
    let blocks = sys::map(BLOCKS_INITIAL * core::mem::size_of::<BlockEntry>(), true);
    if sites.is_null() || blocks.is_null() {
        sys::write_stderr(b"btmalloc: BTMALLOC_PROFILE: cannot map the profiler tables; profiling off\n");
        return;
    }
    PATH.with(|(buf, len)| {
        if let Some(dst) = buf.get_mut(..path.len()) {
            dst.copy_from_slice(path);
        }
        *len = path.len();
    });
    TABLES.with(|t| {
        t.sites = sites.cast();
        t.blocks = blocks.cast();
        t.block_cap = BLOCKS_INITIAL;
    });
    if let Some(sig) = crate::config::env_bytes(c"BTMALLOC_PROFILE_SIGNAL").and_then(signal_number) {
        install_handler(sig);
    }
    registry::HOT.profile.store(true, Ordering::Release);
}

/// `USR1`, `SIGUSR2`, or a decimal signal number.
fn signal_number(name: &[u8]) -> Option<libc::c_int> {
    let name = name.strip_prefix(b"SIG").unwrap_or(name);
    match name {
        b"USR1" => Some(libc::SIGUSR1),
        b"USR2" => Some(libc::SIGUSR2),
        b"HUP" => Some(libc::SIGHUP),
        _ => crate::config::parse_decimal(name).and_then(|n| libc::c_int::try_from(n).ok()).filter(|&n| n > 0),
    }
}

extern "C" fn on_signal(_sig: libc::c_int) {
    // Async-signal-safe: one atomic store. The dump waits for a safe point.
    DUMP_REQUESTED.store(true, Ordering::Relaxed);
}

fn install_handler(sig: libc::c_int) {
    // SAFETY: a zeroed sigaction is a valid "no flags, empty mask" value.
    let mut sa: libc::sigaction = unsafe { core::mem::zeroed() };
    sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
    sa.sa_flags = libc::SA_RESTART;
    // SAFETY: `sa` is initialised; the handler only stores an atomic.
    let rc = unsafe {
        libc::sigemptyset(&raw mut sa.sa_mask);
        libc::sigaction(sig, &raw const sa, core::ptr::null_mut())
    };
    if rc != 0 {
        sys::write_stderr(b"btmalloc: BTMALLOC_PROFILE_SIGNAL: sigaction failed\n");
    }
}

/// Dumps if a signal asked for it (called at allocation and free, when
/// no allocator lock is held). Skips if another dump is running.
#[inline(always)]
fn poll_signal() {
    if DUMP_REQUESTED.load(Ordering::Relaxed) {
        signal_dump();
    }
}

#[cold]
fn signal_dump() {
    if DUMPING.try_acquire() {
        DUMP_REQUESTED.store(false, Ordering::Relaxed);
        write_profile();
        DUMPING.release();
    }
}

#[inline(always)]
fn hash(x: usize, bits: u32) -> usize {
    x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (usize::BITS - bits)
}

impl Tables {
    /// Index of `site`'s entry, creating it (or the overflow entry).
    fn site_index(&mut self, site: usize) -> usize {
        let mut i = hash(site, SITE_CAP.trailing_zeros());
        loop {
            // SAFETY: `i < SITE_CAP`, inside the mapping.
            let e = unsafe { &mut *self.sites.add(i) };
            if e.site == site {
                return i;
            }
            if e.site == 0 {
                if self.site_count * 4 >= SITE_CAP * 3 {
                    return OVERFLOW;
                }
                e.site = site;
                self.site_count += 1;
                return i;
            }
            i = (i + 1) & (SITE_CAP - 1);
        }
    }

    fn site(&mut self, i: usize) -> &mut SiteEntry {
        // SAFETY: `i <= OVERFLOW`, inside the mapping.
        unsafe { &mut *self.sites.add(i.min(OVERFLOW)) }
    }

    fn block_slot(&self, ptr: usize) -> usize {
        let mut i = hash(ptr, self.block_cap.trailing_zeros());
        loop {
            // SAFETY: `i < block_cap`, inside the mapping.
            let e = unsafe { &*self.blocks.add(i) };
            if e.ptr == ptr || e.ptr == 0 {
                return i;
            }
            i = (i + 1) & (self.block_cap - 1);
        }
    }

    /// Doubles the block table; false if the mapping fails.
    fn grow(&mut self) -> bool {
        let cap = self.block_cap * 2;
        let fresh = sys::map(cap * core::mem::size_of::<BlockEntry>(), true);
        if fresh.is_null() {
            return false;
        }
        let (old, old_cap) = (self.blocks, self.block_cap);
        self.blocks = fresh.cast();
        self.block_cap = cap;
        for i in 0..old_cap {
            // SAFETY: `i < old_cap`, inside the old mapping.
            let e = unsafe { *old.add(i) };
            if e.ptr != 0 {
                let j = self.block_slot(e.ptr);
                // SAFETY: `j < cap`.
                unsafe { *self.blocks.add(j) = e };
            }
        }
        // SAFETY: the old table is ours and no longer referenced.
        unsafe { sys::unmap(old.cast(), old_cap * core::mem::size_of::<BlockEntry>()) };
        true
    }

    fn insert(&mut self, ptr: usize, size: usize, site: usize) -> bool {
        if (self.block_len + 1) * 2 > self.block_cap && !self.grow() {
            return false;
        }
        let i = self.block_slot(ptr);
        // SAFETY: `i < block_cap`.
        let e = unsafe { &mut *self.blocks.add(i) };
        if e.ptr == 0 {
            self.block_len += 1;
        }
        *e = BlockEntry { ptr, size, site };
        true
    }

    /// Removes `ptr`'s entry (backward-shift deletion keeps probe chains
    /// intact without tombstones).
    fn remove(&mut self, ptr: usize) -> Option<BlockEntry> {
        let mask = self.block_cap - 1;
        let mut i = self.block_slot(ptr);
        // SAFETY: `i < block_cap`.
        let found = unsafe { *self.blocks.add(i) };
        if found.ptr == 0 {
            return None;
        }
        let mut j = i;
        loop {
            j = (j + 1) & mask;
            // SAFETY: `j < block_cap`.
            let e = unsafe { *self.blocks.add(j) };
            if e.ptr == 0 {
                break;
            }
            let home = hash(e.ptr, self.block_cap.trailing_zeros());
            // Move `e` into the hole at `i` unless its home lies in (i, j].
            let stays = if i <= j { i < home && home <= j } else { i < home || home <= j };
            if !stays {
                // SAFETY: `i, j < block_cap`.
                unsafe { *self.blocks.add(i) = e };
                i = j;
            }
        }
        // SAFETY: `i < block_cap`.
        unsafe { (*self.blocks.add(i)).ptr = 0 };
        self.block_len -= 1;
        Some(found)
    }

    fn record(&mut self, ptr: usize, size: usize, site: usize) {
        let idx = self.site_index(site);
        if !self.insert(ptr, size, idx) {
            self.lost += 1;
            return;
        }
        let size = size as u64;
        let e = self.site(idx);
        e.live += size;
        e.peak = e.peak.max(e.live);
        e.allocs += 1;
        e.bytes += size;
        self.live += size;
        self.peak = self.peak.max(self.live);
        self.allocs += 1;
    }

    fn forget(&mut self, ptr: usize) -> Option<BlockEntry> {
        let b = self.remove(ptr)?;
        let size = b.size as u64;
        let e = self.site(b.site);
        e.live = e.live.saturating_sub(size);
        e.frees += 1;
        self.live = self.live.saturating_sub(size);
        self.frees += 1;
        Some(b)
    }
}

/// Records the allocation of `size` bytes at `p` for `site` (null `p`: nothing).
#[cold]
pub(crate) fn on_alloc(p: *mut u8, size: usize, site: usize) {
    if !p.is_null() {
        TABLES.with(|t| t.record(p as usize, size, site));
    }
    poll_signal();
}

/// Forgets block `p` (unknown pointers are ignored).
#[cold]
pub(crate) fn on_free(p: *mut u8) {
    if !p.is_null() {
        TABLES.with(|t| t.forget(p as usize));
    }
    poll_signal();
}

/// Block `p` (resized in place, or moved by `mremap` to `q`) now holds
/// `size` bytes: its record keeps the site of the original allocation.
#[cold]
pub(crate) fn on_resize(p: *mut u8, q: *mut u8, size: usize) {
    TABLES.with(|t| {
        if let Some(b) = t.forget(p as usize) {
            let site = t.site(b.site).site;
            let e = t.site(b.site);
            e.allocs -= 1;
            e.frees -= 1;
            t.allocs -= 1;
            t.frees -= 1;
            t.record(q as usize, size, site);
        }
    });
}

/// Takes the table lock (fork handler: the child's tables stay usable).
pub(crate) fn lock() {
    TABLES.acquire();
}

/// Releases the table lock (fork handler).
pub(crate) fn unlock() {
    TABLES.release();
}

/// Fork handler (child): a dump another thread was writing at the fork
/// will never finish there, so its lock is released (the module buffer it
/// guards is rebuilt by every dump).
pub(crate) fn fork_child() {
    DUMPING.release();
}

/// Writes the profile now (at exit, from the `.fini_array` entry below).
pub(crate) fn dump() {
    if !enabled() {
        return;
    }
    DUMPING.acquire();
    write_profile();
    DUMPING.release();
}

/// Process exit: write the final profile. A `.fini_array` entry rather
/// than `atexit`, so it also runs for `libbtmalloc.so` without registering
/// anything from inside `malloc`.
extern "C" fn at_exit() {
    dump();
}

#[used]
#[unsafe(link_section = ".fini_array")]
static AT_EXIT: extern "C" fn() = at_exit;

/// A loaded module's executable range and its name.
#[derive(Clone, Copy)]
struct Segment {
    lo: usize,
    hi: usize,
    bias: usize,
    /// Offset and length of the name in `Modules::names`.
    name_at: usize,
    name_len: usize,
}

const MAX_SEGMENTS: usize = 512;
const NAMES_BYTES: usize = 32 * 1024;

struct Modules {
    segments: [Segment; MAX_SEGMENTS],
    count: usize,
    names: [u8; NAMES_BYTES],
    names_len: usize,
    exe: [u8; PATH_MAX],
    exe_len: usize,
}

/// The module buffer, only touched while holding [`DUMPING`] (a static,
/// so the dump needs no stack megabytes and no heap).
struct ModulesCell(core::cell::UnsafeCell<Modules>);
// SAFETY: accessed only by the thread holding `DUMPING`.
unsafe impl Sync for ModulesCell {}

static MODULES: ModulesCell = ModulesCell(core::cell::UnsafeCell::new(Modules {
    segments: [Segment { lo: 0, hi: 0, bias: 0, name_at: 0, name_len: 0 }; MAX_SEGMENTS],
    count: 0,
    names: [0; NAMES_BYTES],
    names_len: 0,
    exe: [0; PATH_MAX],
    exe_len: 0,
}));

impl Modules {
    fn name(&self, s: &Segment) -> &[u8] {
        self.names.get(s.name_at..s.name_at + s.name_len).unwrap_or(b"?")
    }

    fn find(&self, addr: usize) -> Option<(&[u8], usize)> {
        let segs = self.segments.get(..self.count)?;
        segs.iter().find(|s| s.lo <= addr && addr < s.hi).map(|s| (self.name(s), addr - s.bias))
    }

    /// Fills the segment list from `dl_iterate_phdr`.
    fn load(&mut self) {
        self.count = 0;
        self.names_len = 0;
        // SAFETY: readlink writes at most `exe.len()` bytes.
        let n = unsafe { libc::readlink(c"/proc/self/exe".as_ptr(), self.exe.as_mut_ptr().cast(), self.exe.len()) };
        self.exe_len = usize::try_from(n).unwrap_or(0);
        #[cfg(target_os = "linux")]
        // SAFETY: the callback only reads the info it is given and writes
        // into `self`, which outlives the call.
        unsafe {
            libc::dl_iterate_phdr(Some(collect_module), (self as *mut Modules).cast());
        }
    }
}

#[cfg(target_os = "linux")]
unsafe extern "C" fn collect_module(
    info: *mut libc::dl_phdr_info,
    _size: usize,
    data: *mut libc::c_void,
) -> libc::c_int {
    // SAFETY: `data` is the `Modules` passed by `load`; `info` is valid
    // for the duration of the callback (dl_iterate_phdr's contract).
    let (m, info) = unsafe { (&mut *data.cast::<Modules>(), &*info) };
    let name: &[u8] = if info.dlpi_name.is_null() {
        b""
    } else {
        // SAFETY: a NUL-terminated string owned by the dynamic loader.
        unsafe { core::ffi::CStr::from_ptr(info.dlpi_name) }.to_bytes()
    };
    // The main program has an empty name: use /proc/self/exe.
    let name = if name.is_empty() { m.exe.get(..m.exe_len).unwrap_or(b"") } else { name };
    if name.is_empty() || m.names_len + name.len() > NAMES_BYTES {
        return 0;
    }
    let name_at = m.names_len;
    if let Some(dst) = m.names.get_mut(name_at..name_at + name.len()) {
        dst.copy_from_slice(name);
    }
    m.names_len += name.len();
    let bias = info.dlpi_addr as usize;
    for k in 0..usize::from(info.dlpi_phnum) {
        // SAFETY: `dlpi_phdr` points at `dlpi_phnum` program headers.
        let ph = unsafe { &*info.dlpi_phdr.add(k) };
        if ph.p_type == libc::PT_LOAD && ph.p_flags & libc::PF_X != 0 && m.count < MAX_SEGMENTS {
            let lo = bias.wrapping_add(ph.p_vaddr as usize);
            if let Some(seg) = m.segments.get_mut(m.count) {
                *seg = Segment { lo, hi: lo.wrapping_add(ph.p_memsz as usize), bias, name_at, name_len: name.len() };
                m.count += 1;
            }
        }
    }
    0
}

/// A buffered writer to a file descriptor that never allocates.
struct Out {
    fd: libc::c_int,
    buf: [u8; 4096],
    len: usize,
}

impl Out {
    fn flush(&mut self) {
        let mut at = 0;
        while at < self.len {
            let chunk = self.buf.get(at..self.len).unwrap_or(&[]);
            // SAFETY: `chunk` is a valid slice.
            let n = unsafe { libc::write(self.fd, chunk.as_ptr().cast(), chunk.len()) };
            if n <= 0 {
                if n < 0 && sys::errno() == libc::EINTR {
                    continue;
                }
                break;
            }
            at += n as usize;
        }
        self.len = 0;
    }

    fn bytes(&mut self, b: &[u8]) {
        for &c in b {
            if self.len == self.buf.len() {
                self.flush();
            }
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = c;
                self.len += 1;
            }
        }
    }

    fn dec(&mut self, v: u64) {
        let mut tmp = [0u8; 20];
        let mut i = tmp.len();
        let mut v = v;
        loop {
            i -= 1;
            if let Some(slot) = tmp.get_mut(i) {
                *slot = b'0' + (v % 10) as u8;
            }
            v /= 10;
            if v == 0 || i == 0 {
                break;
            }
        }
        let digits = tmp;
        self.bytes(digits.get(i..).unwrap_or(&[]));
    }

    fn hex(&mut self, v: usize) {
        let mut tmp = [0u8; 16];
        let mut i = tmp.len();
        let mut v = v;
        loop {
            i -= 1;
            if let Some(slot) = tmp.get_mut(i) {
                *slot = b"0123456789abcdef".get(v & 15).copied().unwrap_or(b'0');
            }
            v >>= 4;
            if v == 0 || i == 0 {
                break;
            }
        }
        self.bytes(b"0x");
        let digits = tmp;
        self.bytes(digits.get(i..).unwrap_or(&[]));
    }
}

/// Expands `%p` in the configured path to the pid into `dst` (NUL-terminated).
fn output_path(dst: &mut [u8; PATH_MAX + 16]) -> bool {
    // SAFETY: getpid has no preconditions.
    let pid = unsafe { libc::getpid() } as u64;
    PATH.with(|(buf, len)| {
        let src = buf.get(..*len).unwrap_or(&[]);
        let mut n = 0;
        let mut i = 0;
        while i < src.len() {
            let c = src.get(i).copied().unwrap_or(0);
            if c == b'%' && src.get(i + 1) == Some(&b'p') {
                let mut tmp = [0u8; 20];
                let mut k = tmp.len();
                let mut v = pid;
                loop {
                    k -= 1;
                    if let Some(slot) = tmp.get_mut(k) {
                        *slot = b'0' + (v % 10) as u8;
                    }
                    v /= 10;
                    if v == 0 || k == 0 {
                        break;
                    }
                }
                for &d in tmp.get(k..).unwrap_or(&[]) {
                    if let Some(slot) = dst.get_mut(n) {
                        *slot = d;
                    }
                    n += 1;
                }
                i += 2;
                continue;
            }
            if let Some(slot) = dst.get_mut(n) {
                *slot = c;
            }
            n += 1;
            i += 1;
        }
        match dst.get_mut(n) {
            Some(slot) if n > 0 && n < PATH_MAX + 16 - 1 => {
                *slot = 0;
                true
            }
            _ => false,
        }
    })
}

/// Writes the whole profile file. Caller holds [`DUMPING`]. Modules are
/// collected before the table lock is taken: `dl_iterate_phdr` takes the
/// loader's lock, and a thread holding that lock may be in `malloc`.
fn write_profile() {
    // SAFETY: we hold `DUMPING`, the only guard of `MODULES`.
    let modules = unsafe { &mut *MODULES.0.get() };
    modules.load();
    let mut path = [0u8; PATH_MAX + 16];
    if !output_path(&mut path) {
        return;
    }
    // SAFETY: `path` is NUL-terminated.
    let fd = unsafe {
        libc::open(path.as_ptr().cast(), libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC, 0o644)
    };
    if fd < 0 {
        sys::write_stderr(b"btmalloc: BTMALLOC_PROFILE: cannot open the output file\n");
        return;
    }
    let mut out = Out { fd, buf: [0; 4096], len: 0 };
    out.bytes(b"btmalloc-profile 1\npid ");
    // SAFETY: getpid has no preconditions.
    out.dec(unsafe { libc::getpid() } as u64);
    out.bytes(b"\n");
    TABLES.with(|t| {
        out.bytes(b"total ");
        for v in [t.live, t.peak, t.allocs, t.frees] {
            out.dec(v);
            out.bytes(b" ");
        }
        out.bytes(b"\n");
        if t.lost != 0 {
            out.bytes(b"lost ");
            out.dec(t.lost);
            out.bytes(b"\n");
        }
        for i in 0..=OVERFLOW {
            let e = *t.site(i);
            if e.allocs == 0 {
                continue;
            }
            out.bytes(b"site ");
            for v in [e.live, e.peak, e.allocs, e.frees, e.bytes] {
                out.dec(v);
                out.bytes(b" ");
            }
            let site = if i == OVERFLOW { 0 } else { e.site };
            match modules.find(site) {
                Some((name, offset)) => {
                    out.hex(offset);
                    out.bytes(b" ");
                    out.bytes(name);
                }
                None => {
                    out.hex(site);
                    out.bytes(b" ?");
                }
            }
            out.bytes(b"\n");
        }
    });
    out.flush();
    // SAFETY: our descriptor.
    unsafe { libc::close(fd) };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(cap: usize) -> Tables {
        let sites = sys::map((SITE_CAP + 1) * core::mem::size_of::<SiteEntry>(), true);
        let blocks = sys::map(cap * core::mem::size_of::<BlockEntry>(), true);
        assert!(!sites.is_null() && !blocks.is_null());
        Tables {
            sites: sites.cast(),
            site_count: 0,
            blocks: blocks.cast(),
            block_cap: cap,
            block_len: 0,
            live: 0,
            peak: 0,
            allocs: 0,
            frees: 0,
            lost: 0,
        }
    }

    #[test]
    fn live_peak_and_counts_follow_allocs_and_frees() {
        let mut t = table(16);
        for i in 0..100usize {
            t.record(0x1000 + i * 16, 10, 0xAAA);
        }
        t.record(0x9000, 500, 0xBBB);
        for i in 0..60usize {
            assert!(t.forget(0x1000 + i * 16).is_some());
        }
        assert!(t.forget(0x1000).is_none(), "forgotten twice");
        let a = t.site_index(0xAAA);
        let e = *t.site(a);
        assert_eq!((e.live, e.peak, e.allocs, e.frees, e.bytes), (400, 1000, 100, 60, 1000));
        assert_eq!((t.live, t.peak, t.block_len), (900, 1500, 41));
        assert!(t.block_cap >= 82, "the block table grew");
        for i in 60..100usize {
            assert_eq!(t.forget(0x1000 + i * 16).map(|b| b.size), Some(10), "block {i} still findable");
        }
    }

    #[test]
    fn signal_names_parse() {
        assert_eq!(signal_number(b"USR2"), Some(libc::SIGUSR2));
        assert_eq!(signal_number(b"SIGUSR1"), Some(libc::SIGUSR1));
        assert_eq!(signal_number(b"12"), Some(12));
        assert_eq!(signal_number(b"bogus"), None);
        assert_eq!(signal_number(b"0"), None);
    }
}
