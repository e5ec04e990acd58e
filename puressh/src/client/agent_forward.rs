//! Agent forwarding (`ssh -A`, `ForwardAgent`): each
//! `auth-agent@openssh.com` channel the server opens is relayed to a
//! fresh connection to the local agent socket.
//!
//! Entry point: [`AgentRelay`], owned by the `Session` when
//! [`ClientConfig::forward_agent`](super::ClientConfig::forward_agent) is
//! set and fed every agent-channel event by `Session::pump`. The relay
//! moves whole agent frames: it buffers a request until its length prefix
//! says it is complete, hands it to the agent and reads the one answer
//! back (the agent protocol is strictly request then answer), so it
//! needs no thread and no second descriptor in the caller's poll loop.
//! A frame over [`MAX_MESSAGE_LEN`](crate::agent::MAX_MESSAGE_LEN), or an
//! agent that fails, closes that channel only.

use crate::agent::{exchange_frame, frame_len};
use crate::connection::{Connection, Event};
use std::collections::BTreeMap;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

/// One forwarded agent channel.
#[derive(Debug)]
struct Relayed {
    agent: UnixStream,
    /// Request bytes from the server, not a whole frame yet.
    inbound: Vec<u8>,
    /// Answer bytes the server's window did not take yet.
    outbound: Vec<u8>,
}

/// The agent channels of one connection.
#[derive(Debug)]
pub(super) struct AgentRelay {
    socket: PathBuf,
    channels: BTreeMap<u32, Relayed>,
}

impl AgentRelay {
    /// Relays to the agent listening at `socket`.
    pub(super) const fn new(socket: PathBuf) -> Self {
        Self { socket, channels: BTreeMap::new() }
    }

    /// Open agent channels (for tests and diagnostics).
    #[cfg(test)]
    pub(super) fn open_channels(&self) -> usize {
        self.channels.len()
    }

    /// Acts on one agent-channel event.
    ///
    /// # Errors
    /// Only the connection's own errors (a poisoned connection); agent
    /// trouble closes the channel instead.
    pub(super) fn handle(&mut self, connection: &mut Connection, event: Event) -> Result<(), crate::Error> {
        match event {
            Event::PeerOpened { channel, .. } => match self.connect() {
                Ok(agent) => {
                    self.channels.insert(channel, Relayed { agent, inbound: Vec::new(), outbound: Vec::new() });
                }
                Err(_) => end(connection, channel),
            },
            Event::Data { channel, data } => {
                let Some(relayed) = self.channels.get_mut(&channel) else { return Ok(()) };
                relayed.inbound.extend_from_slice(&data);
                if relayed.answer_complete_requests().is_err() {
                    self.channels.remove(&channel);
                    end(connection, channel);
                    return Ok(());
                }
                self.send_pending(connection, channel)?;
            }
            Event::WindowAdjusted { channel, .. } => self.send_pending(connection, channel)?,
            Event::Eof { channel } => {
                self.channels.remove(&channel);
                end(connection, channel);
            }
            Event::Closed { channel } => {
                self.channels.remove(&channel);
            }
            _ => {}
        }
        Ok(())
    }

    fn connect(&self) -> std::io::Result<UnixStream> {
        let agent = UnixStream::connect(&self.socket)?;
        // A stuck agent must not hang the whole connection.
        agent.set_read_timeout(Some(Duration::from_secs(30)))?;
        agent.set_write_timeout(Some(Duration::from_secs(30)))?;
        Ok(agent)
    }

    fn send_pending(&mut self, connection: &mut Connection, channel: u32) -> Result<(), crate::Error> {
        let Some(relayed) = self.channels.get_mut(&channel) else { return Ok(()) };
        if !relayed.outbound.is_empty() {
            let sent = connection.send_data(channel, &relayed.outbound)?;
            relayed.outbound.drain(..sent);
        }
        Ok(())
    }
}

impl Relayed {
    /// Passes every whole request frame to the agent and queues its answer.
    fn answer_complete_requests(&mut self) -> Result<(), crate::agent::AgentError> {
        while let Some(len) = frame_len(&self.inbound)? {
            let Some(frame) = self.inbound.get(..len) else { break };
            let answer = exchange_frame(&self.agent, frame)?;
            self.outbound.extend_from_slice(&answer);
            self.inbound.drain(..len);
        }
        Ok(())
    }
}

/// Sends EOF and CLOSE on `channel`. Either may already have been sent
/// (the server closed first); a poisoned connection shows its error at
/// the caller's next step, so neither failure matters here.
fn end(connection: &mut Connection, channel: u32) {
    let _ = connection.send_eof(channel);
    let _ = connection.close(channel);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::AgentMessage;
    use crate::msg::{ChannelData, ChannelOpen, ChannelOpenKind, Message};
    use std::os::unix::net::UnixListener;

    /// An agent socket in a temporary directory that answers every frame
    /// with SUCCESS.
    fn fake_agent(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("puressh-relay-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("agent.sock");
        let listener = UnixListener::bind(&path).unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let mut stream = stream.unwrap();
                std::thread::spawn(move || {
                    let mut prefix = [0u8; 4];
                    while std::io::Read::read_exact(&mut stream, &mut prefix).is_ok() {
                        let mut body = vec![0u8; frame_len(&prefix).unwrap().unwrap() - 4];
                        std::io::Read::read_exact(&mut stream, &mut body).unwrap();
                        std::io::Write::write_all(&mut stream, &AgentMessage::Success.to_frame()).unwrap();
                    }
                });
            }
        });
        path
    }

    fn feed(connection: &mut Connection, relay: &mut AgentRelay, message: impl Into<Message>) {
        connection.handle(&message.into().to_bytes()).unwrap();
        while let Some(event) = connection.poll_agent_event() {
            relay.handle(connection, event).unwrap();
        }
    }

    fn sent(connection: &mut Connection) -> Vec<Message> {
        std::iter::from_fn(|| connection.poll_output()).map(|p| Message::decode(&p).unwrap()).collect()
    }

    fn open(connection: &mut Connection, relay: &mut AgentRelay) {
        let kind = ChannelOpenKind::Other { name: crate::connection::AGENT_CHANNEL.into(), data: vec![] };
        feed(connection, relay, ChannelOpen { sender_channel: 5, initial_window: 1 << 20, max_packet: 1 << 15, kind });
        assert!(matches!(&sent(connection)[..], [Message::ChannelOpenConfirmation(_)]));
    }

    #[test]
    fn whole_frames_reach_the_agent_however_they_are_split() {
        let mut connection = Connection::default();
        connection.accept_agent_channels(true);
        let mut relay = AgentRelay::new(fake_agent("split"));
        open(&mut connection, &mut relay);
        assert_eq!(relay.open_channels(), 1);
        // Two requests, cut across three data messages.
        let mut bytes = AgentMessage::RequestIdentities.to_frame();
        bytes.extend(AgentMessage::SignRequest { key: vec![1], data: vec![2; 40], flags: 0 }.to_frame());
        for piece in [&bytes[..2], &bytes[2..7], &bytes[7..]] {
            feed(&mut connection, &mut relay, ChannelData { recipient_channel: 0, data: piece.to_vec() });
        }
        let answers: Vec<u8> = sent(&mut connection)
            .into_iter()
            .flat_map(|m| match m {
                Message::ChannelData(d) if d.recipient_channel == 5 => d.data,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(answers, [AgentMessage::Success.to_frame(), AgentMessage::Success.to_frame()].concat());
    }

    #[test]
    fn an_oversized_frame_or_a_missing_agent_closes_the_channel() {
        let mut connection = Connection::default();
        connection.accept_agent_channels(true);
        let mut relay = AgentRelay::new(fake_agent("big"));
        open(&mut connection, &mut relay);
        feed(&mut connection, &mut relay, ChannelData { recipient_channel: 0, data: vec![0xff; 8] });
        assert!(matches!(&sent(&mut connection)[..], [Message::ChannelEof(_), Message::ChannelClose(_)]));
        assert_eq!(relay.open_channels(), 0);
        let mut relay = AgentRelay::new(PathBuf::from("/nonexistent/agent.sock"));
        let kind = ChannelOpenKind::Other { name: crate::connection::AGENT_CHANNEL.into(), data: vec![] };
        feed(
            &mut connection,
            &mut relay,
            ChannelOpen { sender_channel: 6, initial_window: 100, max_packet: 100, kind },
        );
        assert!(matches!(
            &sent(&mut connection)[..],
            [Message::ChannelOpenConfirmation(_), Message::ChannelEof(_), Message::ChannelClose(_)]
        ));
    }
}
