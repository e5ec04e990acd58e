//! The local terminal of an interactive `puressh ssh` session, through
//! libc: the package's only `unsafe` (the library forbids it), also used
//! by [`crate::tty`]'s passphrase prompts:
//!
//! - [`get_termios`] / [`set_termios`]: the two termios calls;
//! - [`RawMode`]: raw mode on stdin, restored when dropped (normal exit,
//!   error return or panic unwinding) and around a suspend;
//! - [`window_size`] and [`terminal_modes`]: what `pty-req` and
//!   `window-change` report;
//! - [`SignalPipe`]: SIGWINCH, SIGTERM, SIGHUP, SIGINT and SIGQUIT turned
//!   into bytes on a pipe the relay loop polls (the self-pipe trick:
//!   a handler may only do async-signal-safe things such as `write`);
//! - [`poll_readable`] and [`read_fd`]: `poll(2)` and unbuffered reads.

use puressh::connection::tty_modes::{Opcode, TerminalModes};
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicI32, Ordering};

/// Raw mode on a terminal, as `ssh` sets it: no echo, no line editing,
/// no signal characters, no output processing. Dropping restores the
/// saved mode.
pub(crate) struct RawMode {
    fd: RawFd,
    saved: libc::termios,
    active: bool,
}

/// The current termios of `fd`, if it is a terminal.
#[allow(unsafe_code)]
pub(crate) fn get_termios(fd: RawFd) -> Option<libc::termios> {
    // SAFETY: termios is plain data that tcgetattr fills completely.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: `t` is a valid, writable termios; a bad fd only fails.
    (unsafe { libc::tcgetattr(fd, &raw mut t) } == 0).then_some(t)
}

/// Sets `fd`'s termios; false if that failed.
#[allow(unsafe_code)]
pub(crate) fn set_termios(fd: RawFd, t: &libc::termios) -> bool {
    // TCSADRAIN: output already written keeps the old processing (a
    // prompt printed before raw mode still gets its CR).
    // SAFETY: `t` is a valid termios; a bad fd only fails.
    unsafe { libc::tcsetattr(fd, libc::TCSADRAIN, t) == 0 }
}

impl RawMode {
    /// Puts `fd` into raw mode; `None` if it is not a terminal.
    pub(crate) fn enter(fd: RawFd) -> Option<Self> {
        let saved = get_termios(fd)?;
        let mut raw = Self { fd, saved, active: false };
        raw.resume().then_some(raw)
    }

    /// Raw mode again after [`Self::suspend`]; false if that failed.
    pub(crate) fn resume(&mut self) -> bool {
        let mut t = self.saved;
        t.c_iflag |= libc::IGNPAR;
        t.c_iflag &= !(libc::ISTRIP | libc::INLCR | libc::IGNCR | libc::ICRNL | libc::IXON | libc::IXANY | libc::IXOFF);
        t.c_lflag &=
            !(libc::ISIG | libc::ICANON | libc::ECHO | libc::ECHOE | libc::ECHOK | libc::ECHONL | libc::IEXTEN);
        t.c_oflag &= !libc::OPOST;
        t.c_cc[libc::VMIN] = 1;
        t.c_cc[libc::VTIME] = 0;
        self.active = set_termios(self.fd, &t);
        self.active
    }

    /// The saved (cooked) mode, e.g. before stopping the process.
    pub(crate) fn suspend(&mut self) {
        if self.active {
            set_termios(self.fd, &self.saved);
            self.active = false;
        }
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        self.suspend();
    }
}

/// Columns, rows, width and height in pixels of the terminal on `fd`
/// (zeros when it is not one, as `ssh` sends).
#[allow(unsafe_code)]
pub(crate) fn window_size(fd: RawFd) -> (u32, u32, u32, u32) {
    // SAFETY: winsize is plain data.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ writes one winsize through the valid pointer.
    if unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &raw mut ws) } != 0 {
        return (0, 0, 0, 0);
    }
    (u32::from(ws.ws_col), u32::from(ws.ws_row), u32::from(ws.ws_xpixel), u32::from(ws.ws_ypixel))
}

/// The termios speed code as bits per second.
fn baud(speed: libc::speed_t) -> u32 {
    match speed {
        libc::B0 => 0,
        libc::B1200 => 1200,
        libc::B2400 => 2400,
        libc::B4800 => 4800,
        libc::B9600 => 9600,
        libc::B19200 => 19200,
        libc::B57600 => 57600,
        libc::B115200 => 115_200,
        libc::B230400 => 230_400,
        _ => 38400,
    }
}

/// The terminal modes of `fd` for `pty-req` (RFC 4254 §8); empty when
/// it is not a terminal.
#[allow(unsafe_code)]
pub(crate) fn terminal_modes(fd: RawFd) -> TerminalModes {
    let mut modes = TerminalModes::new();
    let Some(t) = get_termios(fd) else { return modes };
    // SAFETY: reading the speed fields of a valid termios.
    let (ispeed, ospeed) = unsafe { (libc::cfgetispeed(&raw const t), libc::cfgetospeed(&raw const t)) };
    modes.set(Opcode::TTY_OP_ISPEED, baud(ispeed));
    modes.set(Opcode::TTY_OP_OSPEED, baud(ospeed));
    let chars = [
        (Opcode::VINTR, libc::VINTR),
        (Opcode::VQUIT, libc::VQUIT),
        (Opcode::VERASE, libc::VERASE),
        (Opcode::VKILL, libc::VKILL),
        (Opcode::VEOF, libc::VEOF),
        (Opcode::VEOL, libc::VEOL),
        (Opcode::VEOL2, libc::VEOL2),
        (Opcode::VSTART, libc::VSTART),
        (Opcode::VSTOP, libc::VSTOP),
        (Opcode::VSUSP, libc::VSUSP),
        (Opcode::VREPRINT, libc::VREPRINT),
        (Opcode::VWERASE, libc::VWERASE),
        (Opcode::VLNEXT, libc::VLNEXT),
        (Opcode::VDISCARD, libc::VDISCARD),
    ];
    for (opcode, index) in chars {
        // _POSIX_VDISABLE (0) is sent as 255, as OpenSSH does.
        let c = t.c_cc.get(index).copied().unwrap_or(0);
        modes.set(opcode, if c == 0 { 255 } else { u32::from(c) });
    }
    let flags: [(Opcode, libc::tcflag_t, libc::tcflag_t); 32] = [
        (Opcode::IGNPAR, t.c_iflag, libc::IGNPAR),
        (Opcode::PARMRK, t.c_iflag, libc::PARMRK),
        (Opcode::INPCK, t.c_iflag, libc::INPCK),
        (Opcode::ISTRIP, t.c_iflag, libc::ISTRIP),
        (Opcode::INLCR, t.c_iflag, libc::INLCR),
        (Opcode::IGNCR, t.c_iflag, libc::IGNCR),
        (Opcode::ICRNL, t.c_iflag, libc::ICRNL),
        (Opcode::IUCLC, t.c_iflag, libc::IUCLC),
        (Opcode::IXON, t.c_iflag, libc::IXON),
        (Opcode::IXANY, t.c_iflag, libc::IXANY),
        (Opcode::IXOFF, t.c_iflag, libc::IXOFF),
        (Opcode::IMAXBEL, t.c_iflag, libc::IMAXBEL),
        (Opcode::IUTF8, t.c_iflag, libc::IUTF8),
        (Opcode::ISIG, t.c_lflag, libc::ISIG),
        (Opcode::ICANON, t.c_lflag, libc::ICANON),
        (Opcode::ECHO, t.c_lflag, libc::ECHO),
        (Opcode::ECHOE, t.c_lflag, libc::ECHOE),
        (Opcode::ECHOK, t.c_lflag, libc::ECHOK),
        (Opcode::ECHONL, t.c_lflag, libc::ECHONL),
        (Opcode::NOFLSH, t.c_lflag, libc::NOFLSH),
        (Opcode::TOSTOP, t.c_lflag, libc::TOSTOP),
        (Opcode::IEXTEN, t.c_lflag, libc::IEXTEN),
        (Opcode::ECHOCTL, t.c_lflag, libc::ECHOCTL),
        (Opcode::ECHOKE, t.c_lflag, libc::ECHOKE),
        (Opcode::PENDIN, t.c_lflag, libc::PENDIN),
        (Opcode::OPOST, t.c_oflag, libc::OPOST),
        (Opcode::OLCUC, t.c_oflag, libc::OLCUC),
        (Opcode::ONLCR, t.c_oflag, libc::ONLCR),
        (Opcode::OCRNL, t.c_oflag, libc::OCRNL),
        (Opcode::ONOCR, t.c_oflag, libc::ONOCR),
        (Opcode::ONLRET, t.c_oflag, libc::ONLRET),
        (Opcode::PARENB, t.c_cflag, libc::PARENB),
    ];
    for (opcode, field, bit) in flags {
        modes.set_flag(opcode, field & bit != 0);
    }
    modes.set_flag(Opcode::CS7, t.c_cflag & libc::CSIZE == libc::CS7);
    modes.set_flag(Opcode::CS8, t.c_cflag & libc::CSIZE == libc::CS8);
    modes.set_flag(Opcode::PARODD, t.c_cflag & libc::PARODD != 0);
    modes
}

/// The write end of the signal pipe, for the handler (-1: none).
static SIGNAL_WRITE_FD: AtomicI32 = AtomicI32::new(-1);

extern "C" fn on_signal(signal: libc::c_int) {
    let fd = SIGNAL_WRITE_FD.load(Ordering::Relaxed);
    let byte = u8::try_from(signal).unwrap_or(0);
    // SAFETY: write(2) is async-signal-safe; the pipe is non-blocking,
    // so a full pipe drops the byte instead of blocking the handler.
    #[allow(unsafe_code)]
    unsafe {
        libc::write(fd, (&raw const byte).cast(), 1);
    }
}

/// Signals delivered as bytes (their numbers) on a non-blocking pipe.
pub(crate) struct SignalPipe {
    read_fd: RawFd,
    write_fd: RawFd,
    installed: Vec<(libc::c_int, libc::sighandler_t)>,
}

impl SignalPipe {
    /// Installs handlers for `signals`; the previous ones come back on drop.
    #[allow(unsafe_code)]
    pub(crate) fn install(signals: &[libc::c_int]) -> std::io::Result<Self> {
        let mut fds = [0 as libc::c_int; 2];
        // SAFETY: pipe2 writes two descriptors into the array.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_NONBLOCK | libc::O_CLOEXEC) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let [read_fd, write_fd] = fds;
        SIGNAL_WRITE_FD.store(write_fd, Ordering::Relaxed);
        let mut pipe = Self { read_fd, write_fd, installed: Vec::new() };
        for &signal in signals {
            let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            // SAFETY: the handler only calls write(2) on a descriptor
            // that stays open while it is installed (closed after the
            // handlers are restored, in drop). glibc's signal() restarts
            // interrupted system calls (BSD semantics).
            let previous = unsafe { libc::signal(signal, handler) };
            pipe.installed.push((signal, previous));
        }
        Ok(pipe)
    }

    /// The descriptor to poll.
    pub(crate) const fn fd(&self) -> RawFd {
        self.read_fd
    }

    /// The signals received since the last call, in order.
    pub(crate) fn drain(&self) -> Vec<libc::c_int> {
        let mut buf = [0u8; 64];
        let mut out = Vec::new();
        while let Ok(n @ 1..) = read_fd(self.read_fd, &mut buf) {
            out.extend(buf.iter().take(n).map(|b| libc::c_int::from(*b)));
        }
        out
    }
}

impl Drop for SignalPipe {
    #[allow(unsafe_code)]
    fn drop(&mut self) {
        for &(signal, previous) in self.installed.iter().rev() {
            // SAFETY: puts back the disposition signal() returned.
            unsafe { libc::signal(signal, previous) };
        }
        SIGNAL_WRITE_FD.store(-1, Ordering::Relaxed);
        // SAFETY: both descriptors are ours (pipe2 above) and closed once.
        unsafe {
            libc::close(self.read_fd);
            libc::close(self.write_fd);
        }
    }
}

/// Stops this process as a terminal's suspend key would (`~^Z`); returns
/// when it is continued.
#[allow(unsafe_code)]
pub(crate) fn stop_self() {
    // SAFETY: sending a signal to ourselves has no memory effects.
    unsafe {
        libc::kill(libc::getpid(), libc::SIGTSTP);
    }
}

/// Which of `fds` are readable (or hung up), waiting at most
/// `timeout_ms` (-1: forever). An interrupted wait reports none.
#[allow(unsafe_code)]
pub(crate) fn poll_readable(fds: &[RawFd], timeout_ms: i32) -> std::io::Result<Vec<bool>> {
    let mut pollfds: Vec<libc::pollfd> =
        fds.iter().map(|&fd| libc::pollfd { fd, events: libc::POLLIN, revents: 0 }).collect();
    let count = libc::nfds_t::try_from(pollfds.len()).unwrap_or(0);
    // SAFETY: the pointer and count describe the vector above.
    let n = unsafe { libc::poll(pollfds.as_mut_ptr(), count, timeout_ms) };
    if n < 0 {
        let e = std::io::Error::last_os_error();
        return if e.kind() == std::io::ErrorKind::Interrupted { Ok(vec![false; fds.len()]) } else { Err(e) };
    }
    Ok(pollfds.iter().map(|p| p.revents & (libc::POLLIN | libc::POLLHUP | libc::POLLERR) != 0).collect())
}

/// One unbuffered read(2) (std's stdin buffers, which would hide
/// bytes from `poll`). Interrupted reads are retried.
#[allow(unsafe_code)]
pub(crate) fn read_fd(fd: RawFd, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        // SAFETY: the pointer and length describe `buf`.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if let Ok(n) = usize::try_from(n) {
            return Ok(n);
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}
