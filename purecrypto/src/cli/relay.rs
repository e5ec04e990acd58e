//! The interactive loop `s_client` and `s_server` share, openssl's way:
//! standard input goes to the peer as it arrives and what the peer sends is
//! printed as it arrives, until the peer closes or the [`Session`] says
//! to stop. Each side decides what an input chunk means (data, or one of
//! openssl's one-letter commands) and what to do after the peer spoke.
//!
//! Standard input is read on a scoped thread; the process's own stdin
//! stops waiting once [`relay`] returns (`stop_reading_stdin`), and
//! reading resumes for the next connection.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::vec::Vec;

use super::CliError;
use crate::tls::Stream;

/// What the loop does after an input chunk.
pub(super) enum Flow {
    /// Go on.
    Continue,
    /// Standard input is done with; wait for the peer alone.
    PeerOnly,
    /// Leave the loop (the caller closes the connection).
    Stop,
}

/// One side's reading of the conversation.
pub(super) trait Session {
    /// A chunk of standard input as read (a line from a terminal), or an
    /// empty one at its end.
    fn input(&mut self, stream: &mut Stream<TcpStream>, chunk: &[u8]) -> Result<Flow, CliError>;

    /// After the peer sent something (events to report).
    fn after_read(&mut self, stream: &mut Stream<TcpStream>) -> Result<(), CliError> {
        let _ = stream;
        Ok(())
    }
}

/// Runs the loop until the peer closes or `session` stops it.
pub(super) fn relay(
    stream: &mut Stream<TcpStream>,
    stdin: &mut (dyn Read + Send),
    stdout: &mut dyn Write,
    session: &mut dyn Session,
) -> Result<(), CliError> {
    // An empty chunk is the end of standard input.
    let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
    super::resume_reading_stdin();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut buf = std::vec![0u8; 16384];
            loop {
                let n = match stdin.read(&mut buf) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    r => r.unwrap_or(0),
                };
                if tx.send(buf.get(..n).unwrap_or_default().to_vec()).is_err() || n == 0 {
                    break;
                }
            }
        });
        let result = exchange(stream, &rx, stdout, session);
        super::stop_reading_stdin();
        result
    })
}

/// [`relay`]'s loop: hands over what standard input gave so far, then
/// waits a moment for the peer.
fn exchange(
    stream: &mut Stream<TcpStream>,
    input: &std::sync::mpsc::Receiver<Vec<u8>>,
    stdout: &mut dyn Write,
    session: &mut dyn Session,
) -> Result<(), CliError> {
    use std::io::ErrorKind;
    use std::sync::mpsc::TryRecvError;

    stream.get_ref().set_read_timeout(Some(std::time::Duration::from_millis(20))).map_err(CliError::io("socket"))?;
    let mut input_open = true;
    let mut buf = [0u8; 16384];
    loop {
        while input_open {
            let chunk = match input.try_recv() {
                Ok(chunk) => chunk,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => Vec::new(),
            };
            let ended = chunk.is_empty();
            match session.input(stream, &chunk)? {
                Flow::Stop => return Ok(()),
                Flow::Continue if !ended => {}
                Flow::Continue | Flow::PeerOnly => {
                    input_open = false;
                    stream.get_ref().set_read_timeout(None).map_err(CliError::io("socket"))?;
                }
            }
        }
        let read = stream.read(&mut buf);
        session.after_read(stream)?;
        match read {
            Ok(0) => return Ok(()),
            Ok(n) => {
                stdout.write_all(buf.get(..n).unwrap_or_default()).map_err(CliError::io("stdout"))?;
                stdout.flush().map_err(CliError::io("stdout"))?;
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted) => {}
            Err(e) if e.kind() == ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(CliError::io("receive")(e)),
        }
    }
}
