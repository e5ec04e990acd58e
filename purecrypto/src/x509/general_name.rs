//! `GeneralName` (RFC 5280 section 4.2.1.6), the CHOICE used by
//! subjectAltName, name constraints, CRL distribution points and AIA.
//!
//! Entry points: [`GeneralName::read`], [`read_general_names`],
//! [`GeneralName::write`].

use alloc::vec::Vec;
use core::fmt;

use super::name::Name;
use crate::Error;
use crate::asn1::der::{Reader, Writer};

/// One general name; the string forms are checked to be ASCII (IA5).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GeneralName<'a> {
    /// `[0] otherName`: the raw contents (type-id and value).
    OtherName(&'a [u8]),
    /// `[1] rfc822Name`: an email address (or a constraint on one).
    Email(&'a str),
    /// `[2] dNSName`.
    Dns(&'a str),
    /// `[4] directoryName`.
    DirectoryName(Name<'a>),
    /// `[6] uniformResourceIdentifier`.
    Uri(&'a str),
    /// `[7] iPAddress`: 4 or 16 bytes in a SAN, 8 or 32 (address and mask)
    /// in a name constraint.
    Ip(&'a [u8]),
    /// `[8] registeredID`: OID contents.
    RegisteredId(&'a [u8]),
    /// `[3] x400Address` or `[5] ediPartyName`: the tag number and raw
    /// contents, kept so they can be reported as unsupported.
    Other(u8, &'a [u8]),
}

fn ia5(bytes: &[u8]) -> Result<&str, Error> {
    if bytes.is_ascii() {
        core::str::from_utf8(bytes).map_err(|_| Error::Malformed { what: "GeneralName", reason: "not IA5" })
    } else {
        Err(Error::Malformed { what: "GeneralName", reason: "IA5String with bytes above 0x7f" })
    }
}

impl<'a> GeneralName<'a> {
    /// Reads one general name.
    ///
    /// # Errors
    /// [`Error::Malformed`] on bad DER, a wrong primitive/constructed form,
    /// or non-ASCII text in an IA5 form.
    pub fn read(r: &mut Reader<'a>) -> Result<Self, Error> {
        let (tag, contents) = r.any()?;
        let bad = |reason| Error::Malformed { what: "GeneralName", reason };
        Ok(match tag {
            0xa0 => Self::OtherName(contents),
            0x81 => Self::Email(ia5(contents)?),
            0x82 => Self::Dns(ia5(contents)?),
            0xa4 => Self::DirectoryName(Name::from_der(contents)?),
            0x86 => Self::Uri(ia5(contents)?),
            0x87 => Self::Ip(contents),
            0x88 => {
                crate::asn1::oid::validate(contents)?;
                Self::RegisteredId(contents)
            }
            0xa3 | 0xa5 => Self::Other(tag & 0x1f, contents),
            _ => return Err(bad("unknown or mis-formed CHOICE tag")),
        })
    }

    /// Writes the name.
    pub fn write(&self, w: &mut Writer) {
        match self {
            Self::OtherName(c) => w.tlv(0xa0, c),
            Self::Email(s) => w.tlv(0x81, s.as_bytes()),
            Self::Dns(s) => w.tlv(0x82, s.as_bytes()),
            Self::DirectoryName(n) => w.tlv(0xa4, n.der),
            Self::Uri(s) => w.tlv(0x86, s.as_bytes()),
            Self::Ip(b) => w.tlv(0x87, b),
            Self::RegisteredId(o) => w.tlv(0x88, o),
            Self::Other(n, c) => w.tlv(0xa0 | (n & 0x1f), c),
        }
    }
}

/// Reads a `GeneralNames` (SEQUENCE OF, at least one) from `r`.
///
/// # Errors
/// [`Error::Malformed`] on bad DER or an empty sequence.
pub fn read_general_names<'a>(r: &mut Reader<'a>) -> Result<Vec<GeneralName<'a>>, Error> {
    let mut seq = r.sequence()?;
    let mut names = Vec::new();
    while !seq.is_empty() {
        names.push(GeneralName::read(&mut seq)?);
    }
    if names.is_empty() {
        return Err(Error::Malformed { what: "GeneralNames", reason: "empty" });
    }
    Ok(names)
}

/// Prints an IP address (with its mask for a constraint) as OpenSSL does.
pub(crate) fn write_ip(f: &mut dyn fmt::Write, bytes: &[u8]) -> fmt::Result {
    let write_one = |f: &mut dyn fmt::Write, a: &[u8]| -> fmt::Result {
        if a.len() == 4 {
            let parts: Vec<alloc::string::String> = a.iter().map(|b| alloc::format!("{b}")).collect();
            f.write_str(&parts.join("."))
        } else {
            let parts: Vec<alloc::string::String> = a
                .chunks(2)
                .map(|c| alloc::format!("{:X}", c.iter().fold(0u16, |acc, &b| acc << 8 | u16::from(b))))
                .collect();
            f.write_str(&parts.join(":"))
        }
    };
    match bytes.len() {
        4 | 16 => write_one(f, bytes),
        8 | 32 => {
            let (addr, mask) = bytes.split_at(bytes.len() / 2);
            write_one(f, addr)?;
            f.write_str("/")?;
            write_one(f, mask)
        }
        _ => f.write_str("<invalid>"),
    }
}

impl fmt::Display for GeneralName<'_> {
    /// OpenSSL's `-text` spelling (`DNS:host`, `IP Address:1.2.3.4`...).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OtherName(_) => f.write_str("othername:<unsupported>"),
            Self::Email(s) => write!(f, "email:{s}"),
            Self::Dns(s) => write!(f, "DNS:{s}"),
            Self::DirectoryName(n) => write!(f, "DirName:{}", n.to_openssl_slash()),
            Self::Uri(s) => write!(f, "URI:{s}"),
            Self::Ip(b) => {
                f.write_str("IP Address:")?;
                write_ip(f, b)
            }
            Self::RegisteredId(o) => write!(f, "Registered ID:{}", crate::asn1::oid::to_dotted(o)),
            Self::Other(3, _) => f.write_str("X400Name:<unsupported>"),
            Self::Other(_, _) => f.write_str("EdiPartyName:<unsupported>"),
        }
    }
}

impl Name<'_> {
    /// The `/C=US/O=Org` form OpenSSL uses for directory names in `-text`.
    #[must_use]
    pub fn to_openssl_slash(&self) -> alloc::string::String {
        let mut out = alloc::string::String::new();
        for attribute in self.attributes() {
            out.push('/');
            match super::oids::attribute_short_name(attribute.oid) {
                Some(s) => out.push_str(s),
                None => out.push_str(&crate::asn1::oid::to_dotted(attribute.oid)),
            }
            out.push('=');
            out.push_str(&attribute.text().unwrap_or_default());
        }
        out
    }
}
