//! Distinguished names: the `RDNSequence` of RFC 5280 section 4.1.2.4,
//! borrowed from the certificate, compared by encoding, and printed the
//! way OpenSSL's default `-nameopt oneline` does (`C = US, O = Org, CN =
//! host`).
//!
//! Entry points: [`Name::from_der`], [`Name::attributes`],
//! [`Name::common_names`], and `Display`.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::oids;
use crate::Error;
use crate::asn1::der::{Reader, Writer};

/// `UTF8String`.
pub const TAG_UTF8_STRING: u8 = 0x0c;
/// `PrintableString`.
pub const TAG_PRINTABLE_STRING: u8 = 0x13;
/// `TeletexString` (T61String).
pub const TAG_TELETEX_STRING: u8 = 0x14;
/// `IA5String`.
pub const TAG_IA5_STRING: u8 = 0x16;
/// `UniversalString` (UCS-4).
pub const TAG_UNIVERSAL_STRING: u8 = 0x1c;
/// `BMPString` (UCS-2).
pub const TAG_BMP_STRING: u8 = 0x1e;
/// `VisibleString`.
pub const TAG_VISIBLE_STRING: u8 = 0x1a;

/// One `AttributeTypeAndValue`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute<'a> {
    /// The attribute type OID's contents.
    pub oid: &'a [u8],
    /// The value's tag (a string type for every standard attribute).
    pub tag: u8,
    /// The value's contents.
    pub value: &'a [u8],
    /// The value's whole encoding (dumped as hex for non-string values).
    pub raw_value: &'a [u8],
}

impl Attribute<'_> {
    /// The value as text when it is a string type: UTF-8 strings as they
    /// are, BMP / Universal strings decoded, single-byte strings as
    /// Latin-1. `None` for non-string values or invalid encodings.
    #[must_use]
    pub fn text(&self) -> Option<String> {
        match self.tag {
            TAG_UTF8_STRING => core::str::from_utf8(self.value).ok().map(String::from),
            TAG_PRINTABLE_STRING | TAG_IA5_STRING | TAG_VISIBLE_STRING | TAG_TELETEX_STRING => {
                Some(self.value.iter().map(|&b| char::from(b)).collect())
            }
            TAG_BMP_STRING if self.value.len().is_multiple_of(2) => self
                .value
                .chunks_exact(2)
                .map(|c| c.first().zip(c.get(1)).and_then(|(&a, &b)| char::from_u32(u32::from(a) << 8 | u32::from(b))))
                .collect(),
            TAG_UNIVERSAL_STRING if self.value.len().is_multiple_of(4) => self
                .value
                .chunks_exact(4)
                .map(|c| char::from_u32(c.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b))))
                .collect(),
            _ => None,
        }
    }
}

/// A distinguished name, borrowed from its encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name<'a> {
    /// The whole `Name` encoding (tag and length included). Issuer /
    /// subject chaining compares these bytes.
    pub der: &'a [u8],
    /// The relative distinguished names, outermost (usually `C`) first;
    /// each is a set of one or more attributes.
    pub rdns: Vec<Vec<Attribute<'a>>>,
}

fn malformed(reason: &'static str) -> Error {
    Error::Malformed { what: "X.509 Name", reason }
}

impl<'a> Name<'a> {
    /// Reads a `Name` from `r`.
    ///
    /// # Errors
    /// [`Error::Malformed`] on bad DER, an empty RDN, or an attribute that
    /// is not `SEQUENCE { OID, value }`.
    pub fn read(r: &mut Reader<'a>) -> Result<Self, Error> {
        let der = r.clone().any_raw()?;
        let mut seq = r.sequence()?;
        let mut rdns = Vec::new();
        while !seq.is_empty() {
            let mut set = seq.set()?;
            let mut rdn = Vec::new();
            while !set.is_empty() {
                let mut atv = set.sequence()?;
                let oid = atv.oid()?;
                let raw_value = atv.clone().any_raw()?;
                let (tag, value) = atv.any()?;
                atv.finish()?;
                rdn.push(Attribute { oid, tag, value, raw_value });
            }
            if rdn.is_empty() {
                return Err(malformed("empty relative distinguished name"));
            }
            rdns.push(rdn);
        }
        Ok(Self { der, rdns })
    }

    /// Decodes a DER `Name`; nothing may follow it.
    ///
    /// # Errors
    /// As [`read`](Self::read), plus trailing bytes.
    pub fn from_der(der: &'a [u8]) -> Result<Self, Error> {
        let mut r = Reader::new(der);
        let name = Self::read(&mut r)?;
        r.finish()?;
        Ok(name)
    }

    /// Every attribute in order.
    pub fn attributes(&self) -> impl Iterator<Item = &Attribute<'a>> {
        self.rdns.iter().flatten()
    }

    /// The texts of every `commonName` attribute.
    #[must_use]
    pub fn common_names(&self) -> Vec<String> {
        self.attributes().filter(|a| a.oid == oids::COMMON_NAME).filter_map(Attribute::text).collect()
    }

    /// Whether the name has no attributes at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rdns.is_empty()
    }
}

/// Encodes a name from `(short name or dotted-free OID, value)` pairs, one
/// attribute per RDN. `C`, `serialNumber` and `dnQualifier` become
/// `PrintableString`, `emailAddress` and `DC` `IA5String`, the rest
/// `UTF8String` (what OpenSSL's `req -subj` writes with its default
/// `utf8only` mask, apart from the `C` choice which RFC 5280 mandates).
///
/// # Errors
/// [`Error::InvalidParameter`] for an unknown attribute short name.
pub fn encode_name(attributes: &[(&str, &str)]) -> Result<Vec<u8>, Error> {
    let mut oids_values = Vec::with_capacity(attributes.len());
    for (short, value) in attributes {
        let oid = oids::attribute_oid(short)
            .ok_or(Error::InvalidParameter { what: "distinguished name", reason: "unknown attribute short name" })?;
        oids_values.push((oid, *short, *value));
    }
    let mut w = Writer::new();
    w.sequence(|w| {
        for (oid, short, value) in &oids_values {
            let tag = match *short {
                s if s.eq_ignore_ascii_case("C")
                    || s.eq_ignore_ascii_case("serialNumber")
                    || s.eq_ignore_ascii_case("dnQualifier") =>
                {
                    TAG_PRINTABLE_STRING
                }
                s if s.eq_ignore_ascii_case("emailAddress") || s.eq_ignore_ascii_case("DC") => TAG_IA5_STRING,
                _ => TAG_UTF8_STRING,
            };
            w.set(|w| {
                w.sequence(|w| {
                    w.oid(oid);
                    w.tlv(tag, value.as_bytes());
                });
            });
        }
    });
    Ok(w.finish())
}

/// Parses OpenSSL's `-subj` syntax, `/C=US/O=Org/CN=host`, into
/// `(type, value)` pairs (`\/` escapes a slash).
///
/// # Errors
/// [`Error::InvalidParameter`] when the text does not start with `/` or a
/// component lacks `=`.
pub fn parse_slash_subject(text: &str) -> Result<Vec<(String, String)>, Error> {
    let bad = |reason| Error::InvalidParameter { what: "subject", reason };
    let body = text.strip_prefix('/').ok_or(bad("must start with '/'"))?;
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.extend(chars.next()),
            '/' => parts.push(core::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
        .into_iter()
        .map(|p| {
            let (k, v) = p.split_once('=').ok_or(bad("component without '='"))?;
            Ok((String::from(k), String::from(v)))
        })
        .collect()
}

/// Writes one value with OpenSSL's `oneline` escaping: bytes above 0x7e
/// and control characters as `\XX`, and the whole value in double quotes
/// when it contains one of `,+"\<>;` (`ASN1_STRFLGS_ESC_QUOTE`).
fn write_value(f: &mut fmt::Formatter<'_>, attribute: &Attribute<'_>) -> fmt::Result {
    let Some(text) = attribute.text() else {
        f.write_str("#")?;
        return attribute.raw_value.iter().try_for_each(|b| write!(f, "{b:02X}"));
    };
    let quote = text.contains([',', '+', '"', '\\', '<', '>', ';']);
    if quote {
        f.write_str("\"")?;
    }
    let mut utf8 = [0u8; 4];
    for (i, c) in text.chars().enumerate() {
        if c.is_ascii_control() || !c.is_ascii() {
            for b in c.encode_utf8(&mut utf8).bytes() {
                write!(f, "\\{b:02X}")?;
            }
        } else if quote && c == '"' {
            f.write_str("\\\"")?;
        } else if !quote && (i == 0 && (c == '#' || c == ' ')) {
            write!(f, "\\{c}")?;
        } else {
            write!(f, "{c}")?;
        }
    }
    if quote {
        f.write_str("\"")?;
    }
    Ok(())
}

impl fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, rdn) in self.rdns.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            for (j, attribute) in rdn.iter().enumerate() {
                if j > 0 {
                    f.write_str(" + ")?;
                }
                match oids::attribute_short_name(attribute.oid) {
                    Some(short) => f.write_str(short)?,
                    None => f.write_str(&crate::asn1::oid::to_dotted(attribute.oid))?,
                }
                f.write_str(" = ")?;
                write_value(f, attribute)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn encodes_parses_and_prints() {
        let der = encode_name(&[("C", "US"), ("O", "Example, Inc."), ("CN", "host.example")]).unwrap();
        let name = Name::from_der(&der).unwrap();
        assert_eq!(name.to_string(), "C = US, O = \"Example, Inc.\", CN = host.example");
        assert_eq!(name.common_names(), ["host.example"]);
        assert!(encode_name(&[("XX", "y")]).is_err());
        let parsed = parse_slash_subject("/C=DE/CN=a\\/b").unwrap();
        assert_eq!(parsed, [("C".to_string(), "DE".to_string()), ("CN".to_string(), "a/b".to_string())]);
    }

    #[test]
    fn rejects_empty_rdn_and_trailing_bytes() {
        assert!(Name::from_der(&[0x30, 0x02, 0x31, 0x00]).is_err());
        assert!(Name::from_der(&[0x30, 0x00, 0x00]).is_err());
        assert!(Name::from_der(&[0x30, 0x00]).unwrap().is_empty());
    }
}
