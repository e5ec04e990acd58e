//! Certificate extensions (RFC 5280 section 4.2): every standard one is
//! decoded into [`Extensions`]; unknown ones are kept raw, and an unknown
//! *critical* one is remembered so path validation can refuse the
//! certificate.
//!
//! Entry points: [`Extension`], [`Extensions::from_list`], [`KeyUsage`],
//! [`BasicConstraints`], [`NameConstraints`].

use alloc::vec::Vec;

use super::general_name::{GeneralName, read_general_names};
use super::oids;
use crate::Error;
use crate::asn1::der::{Reader, Writer};

fn malformed(what: &'static str, reason: &'static str) -> Error {
    Error::Malformed { what, reason }
}

/// One `Extension`: its OID, criticality and `extnValue` contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extension<'a> {
    /// The extension OID's contents.
    pub oid: &'a [u8],
    /// The `critical` flag.
    pub critical: bool,
    /// The contents of the `extnValue` OCTET STRING (a DER value).
    pub value: &'a [u8],
}

impl<'a> Extension<'a> {
    /// Reads a `SEQUENCE OF Extension` (contents of the `[3]` field, or an
    /// `extensionRequest` attribute value), rejecting duplicates.
    ///
    /// # Errors
    /// [`Error::Malformed`] on bad DER or a repeated OID.
    pub fn read_list(r: &mut Reader<'a>) -> Result<Vec<Self>, Error> {
        let mut seq = r.sequence()?;
        let mut list: Vec<Self> = Vec::new();
        while !seq.is_empty() {
            let mut ext = seq.sequence()?;
            let oid = ext.oid()?;
            // An explicit `critical FALSE` breaks DER's DEFAULT rule but is
            // common in issued certificates (RFC 8410's own example); it
            // is accepted, as OpenSSL does.
            let critical = if ext.peek_tag() == Some(0x01) { ext.boolean()? } else { false };
            let value = ext.octet_string()?;
            ext.finish()?;
            if list.iter().any(|e| e.oid == oid) {
                return Err(malformed("Extension", "duplicate extension"));
            }
            list.push(Self { oid, critical, value });
        }
        Ok(list)
    }

    /// Writes one extension.
    pub fn write(&self, w: &mut Writer) {
        w.sequence(|w| {
            w.oid(self.oid);
            if self.critical {
                w.boolean(true);
            }
            w.octet_string(self.value);
        });
    }
}

/// `basicConstraints`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasicConstraints {
    /// Whether the subject is a CA.
    pub ca: bool,
    /// `pathLenConstraint`: how many non-self-issued intermediates may
    /// follow.
    pub path_len: Option<u64>,
}

/// `keyUsage` bits, numbered as in RFC 5280 (bit 0 = digitalSignature).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeyUsage(pub u16);

impl KeyUsage {
    /// digitalSignature.
    pub const DIGITAL_SIGNATURE: u16 = 1 << 0;
    /// nonRepudiation / contentCommitment.
    pub const NON_REPUDIATION: u16 = 1 << 1;
    /// keyEncipherment.
    pub const KEY_ENCIPHERMENT: u16 = 1 << 2;
    /// dataEncipherment.
    pub const DATA_ENCIPHERMENT: u16 = 1 << 3;
    /// keyAgreement.
    pub const KEY_AGREEMENT: u16 = 1 << 4;
    /// keyCertSign.
    pub const KEY_CERT_SIGN: u16 = 1 << 5;
    /// cRLSign.
    pub const CRL_SIGN: u16 = 1 << 6;
    /// encipherOnly.
    pub const ENCIPHER_ONLY: u16 = 1 << 7;
    /// decipherOnly.
    pub const DECIPHER_ONLY: u16 = 1 << 8;
    /// OpenSSL's `-text` names, by bit.
    pub const NAMES: [&'static str; 9] = [
        "Digital Signature",
        "Non Repudiation",
        "Key Encipherment",
        "Data Encipherment",
        "Key Agreement",
        "Certificate Sign",
        "CRL Sign",
        "Encipher Only",
        "Decipher Only",
    ];

    /// Whether `bit` (one of the constants) is set.
    #[must_use]
    pub const fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }

    /// The DER `BIT STRING` encoding (named-bit list: trailing zero bits
    /// dropped).
    #[must_use]
    pub fn to_der(self) -> Vec<u8> {
        let bits = self.0 & 0x1ff;
        let mut bytes: Vec<u8> = Vec::new();
        let reversed = (0..9).fold(0u16, |acc, i| if bits & (1 << i) != 0 { acc | (0x8000 >> i) } else { acc });
        let [hi, lo] = reversed.to_be_bytes();
        let used = if lo != 0 {
            2
        } else if hi != 0 {
            1
        } else {
            0
        };
        let last_bit = (0..9).rev().find(|&i| bits & (1 << i) != 0).map_or(0, |i| i + 1);
        let unused = if used == 0 { 0 } else { (used * 8 - last_bit) as u8 };
        bytes.push(unused);
        bytes.extend_from_slice([hi, lo].get(..used).unwrap_or_default());
        let mut w = Writer::new();
        w.tlv(0x03, &bytes);
        w.finish()
    }
}

/// One `GeneralSubtree` of a name constraint (minimum 0, no maximum; other
/// values are recorded so validation can refuse them as OpenSSL does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneralSubtree<'a> {
    /// The subtree's base name.
    pub base: GeneralName<'a>,
    /// Whether `minimum`/`maximum` differ from their defaults.
    pub has_min_max: bool,
}

/// `nameConstraints`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameConstraints<'a> {
    /// `permittedSubtrees` (empty when absent).
    pub permitted: Vec<GeneralSubtree<'a>>,
    /// `excludedSubtrees` (empty when absent).
    pub excluded: Vec<GeneralSubtree<'a>>,
}

/// `authorityKeyIdentifier`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthorityKeyId<'a> {
    /// `keyIdentifier`.
    pub key_id: Option<&'a [u8]>,
    /// `authorityCertIssuer`.
    pub issuer: Vec<GeneralName<'a>>,
    /// `authorityCertSerialNumber`'s contents.
    pub serial: Option<&'a [u8]>,
}

/// Every extension of a certificate, decoded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Extensions<'a> {
    /// All extensions, raw, in order.
    pub list: Vec<Extension<'a>>,
    /// `basicConstraints`.
    pub basic_constraints: Option<BasicConstraints>,
    /// `keyUsage`.
    pub key_usage: Option<KeyUsage>,
    /// `extKeyUsage`: purpose OIDs.
    pub ext_key_usage: Option<Vec<&'a [u8]>>,
    /// `subjectAltName`.
    pub subject_alt_names: Option<Vec<GeneralName<'a>>>,
    /// `issuerAltName`.
    pub issuer_alt_names: Option<Vec<GeneralName<'a>>>,
    /// `nameConstraints`.
    pub name_constraints: Option<NameConstraints<'a>>,
    /// `subjectKeyIdentifier`.
    pub subject_key_id: Option<&'a [u8]>,
    /// `authorityKeyIdentifier`.
    pub authority_key_id: Option<AuthorityKeyId<'a>>,
    /// `certificatePolicies`: the policy OIDs (qualifiers are checked for
    /// well-formedness only).
    pub policies: Option<Vec<&'a [u8]>>,
    /// `cRLDistributionPoints`: the full names of every point.
    pub crl_distribution_points: Option<Vec<GeneralName<'a>>>,
    /// `authorityInfoAccess`: `(accessMethod OID, location)`.
    pub authority_info_access: Option<Vec<(&'a [u8], GeneralName<'a>)>>,
    /// The first critical extension this crate does not process.
    pub unknown_critical: Option<&'a [u8]>,
}

fn read_basic_constraints(value: &[u8]) -> Result<BasicConstraints, Error> {
    let mut r = Reader::new(value);
    let mut seq = r.sequence()?;
    // `cA FALSE` spelled out is tolerated like `critical FALSE`.
    let ca = if seq.peek_tag() == Some(0x01) { seq.boolean()? } else { false };
    let path_len = if seq.is_empty() { None } else { Some(seq.small_unsigned()?) };
    seq.finish()?;
    r.finish()?;
    Ok(BasicConstraints { ca, path_len })
}

fn read_key_usage(value: &[u8]) -> Result<KeyUsage, Error> {
    let mut r = Reader::new(value);
    let (_, bytes) = r.bit_string_with_unused()?;
    r.finish()?;
    if bytes.len() > 2 {
        return Err(malformed("keyUsage", "more than nine bits"));
    }
    let mut bits = 0u16;
    for (i, &byte) in bytes.iter().enumerate() {
        for bit in 0..8 {
            if byte & (0x80 >> bit) != 0 {
                bits |= 1 << (i * 8 + bit);
            }
        }
    }
    Ok(KeyUsage(bits))
}

fn read_oid_list(value: &[u8]) -> Result<Vec<&[u8]>, Error> {
    let mut r = Reader::new(value);
    let mut seq = r.sequence()?;
    let mut out = Vec::new();
    while !seq.is_empty() {
        out.push(seq.oid()?);
    }
    r.finish()?;
    if out.is_empty() {
        return Err(malformed("extKeyUsage", "empty"));
    }
    Ok(out)
}

fn read_names(value: &[u8]) -> Result<Vec<GeneralName<'_>>, Error> {
    let mut r = Reader::new(value);
    let names = read_general_names(&mut r)?;
    r.finish()?;
    Ok(names)
}

fn read_subtrees(contents: &[u8]) -> Result<Vec<GeneralSubtree<'_>>, Error> {
    let mut r = Reader::new(contents);
    let mut out = Vec::new();
    while !r.is_empty() {
        let mut subtree = r.sequence()?;
        let base = GeneralName::read(&mut subtree)?;
        let has_min_max = !subtree.is_empty();
        // minimum [0] and maximum [1] are INTEGERs; only their presence
        // matters (anything but the defaults is refused at validation).
        while !subtree.is_empty() {
            subtree.any()?;
        }
        out.push(GeneralSubtree { base, has_min_max });
    }
    if out.is_empty() {
        return Err(malformed("nameConstraints", "empty subtree list"));
    }
    Ok(out)
}

fn read_name_constraints(value: &[u8]) -> Result<NameConstraints<'_>, Error> {
    let mut r = Reader::new(value);
    let mut seq = r.sequence()?;
    let permitted = seq.optional_implicit(0)?.map(read_subtrees).transpose()?.unwrap_or_default();
    let excluded = seq.optional_implicit(1)?.map(read_subtrees).transpose()?.unwrap_or_default();
    seq.finish()?;
    r.finish()?;
    if permitted.is_empty() && excluded.is_empty() {
        return Err(malformed("nameConstraints", "neither permitted nor excluded subtrees"));
    }
    Ok(NameConstraints { permitted, excluded })
}

fn read_octet_string(value: &[u8]) -> Result<&[u8], Error> {
    let mut r = Reader::new(value);
    let id = r.octet_string()?;
    r.finish()?;
    Ok(id)
}

fn read_authority_key_id(value: &[u8]) -> Result<AuthorityKeyId<'_>, Error> {
    let mut r = Reader::new(value);
    let mut seq = r.sequence()?;
    let key_id = seq.optional_implicit(0)?;
    let issuer = match seq.optional_implicit(1)? {
        Some(contents) => {
            let mut names = Reader::new(contents);
            let mut out = Vec::new();
            while !names.is_empty() {
                out.push(GeneralName::read(&mut names)?);
            }
            out
        }
        None => Vec::new(),
    };
    let serial = seq.optional_implicit(2)?;
    seq.finish()?;
    r.finish()?;
    Ok(AuthorityKeyId { key_id, issuer, serial })
}

fn read_policies(value: &[u8]) -> Result<Vec<&[u8]>, Error> {
    let mut r = Reader::new(value);
    let mut seq = r.sequence()?;
    let mut out = Vec::new();
    while !seq.is_empty() {
        let mut info = seq.sequence()?;
        out.push(info.oid()?);
        if !info.is_empty() {
            let mut qualifiers = info.sequence()?;
            while !qualifiers.is_empty() {
                let mut q = qualifiers.sequence()?;
                q.oid()?;
                q.any()?;
                q.finish()?;
            }
        }
        info.finish()?;
    }
    r.finish()?;
    if out.is_empty() {
        return Err(malformed("certificatePolicies", "empty"));
    }
    Ok(out)
}

fn read_crl_distribution_points(value: &[u8]) -> Result<Vec<GeneralName<'_>>, Error> {
    let mut r = Reader::new(value);
    let mut seq = r.sequence()?;
    let mut out = Vec::new();
    while !seq.is_empty() {
        let mut point = seq.sequence()?;
        if let Some(mut dp_name) = point.optional_explicit(0)? {
            // fullName [0] IMPLICIT GeneralNames; nameRelativeToCRLIssuer [1].
            if let Some(full) = dp_name.optional_implicit(0)? {
                let mut names = Reader::new(full);
                while !names.is_empty() {
                    out.push(GeneralName::read(&mut names)?);
                }
            } else {
                dp_name.any()?;
            }
            dp_name.finish()?;
        }
        // reasons [1] and cRLIssuer [2] are read for well-formedness.
        while !point.is_empty() {
            point.any()?;
        }
    }
    r.finish()?;
    Ok(out)
}

fn read_access_descriptions(value: &[u8]) -> Result<Vec<(&[u8], GeneralName<'_>)>, Error> {
    let mut r = Reader::new(value);
    let mut seq = r.sequence()?;
    let mut out = Vec::new();
    while !seq.is_empty() {
        let mut desc = seq.sequence()?;
        let method = desc.oid()?;
        let location = GeneralName::read(&mut desc)?;
        desc.finish()?;
        out.push((method, location));
    }
    r.finish()?;
    Ok(out)
}

impl<'a> Extensions<'a> {
    /// Decodes every known extension of `list`.
    ///
    /// # Errors
    /// [`Error::Malformed`] when a known extension's value is malformed.
    pub fn from_list(list: Vec<Extension<'a>>) -> Result<Self, Error> {
        let mut out = Self::default();
        for ext in &list {
            let v = ext.value;
            match ext.oid {
                oids::BASIC_CONSTRAINTS => out.basic_constraints = Some(read_basic_constraints(v)?),
                oids::KEY_USAGE => out.key_usage = Some(read_key_usage(v)?),
                oids::EXT_KEY_USAGE => out.ext_key_usage = Some(read_oid_list(v)?),
                oids::SUBJECT_ALT_NAME => out.subject_alt_names = Some(read_names(v)?),
                oids::ISSUER_ALT_NAME => out.issuer_alt_names = Some(read_names(v)?),
                oids::NAME_CONSTRAINTS => out.name_constraints = Some(read_name_constraints(v)?),
                oids::SUBJECT_KEY_ID => out.subject_key_id = Some(read_octet_string(v)?),
                oids::AUTHORITY_KEY_ID => out.authority_key_id = Some(read_authority_key_id(v)?),
                oids::CERTIFICATE_POLICIES => out.policies = Some(read_policies(v)?),
                oids::CRL_DISTRIBUTION_POINTS => out.crl_distribution_points = Some(read_crl_distribution_points(v)?),
                oids::AUTHORITY_INFO_ACCESS => out.authority_info_access = Some(read_access_descriptions(v)?),
                // Policy processing is not implemented; these are only
                // harmless when not critical (RFC 5280 allows ignoring a
                // non-critical extension).
                _ if ext.critical && out.unknown_critical.is_none() => out.unknown_critical = Some(ext.oid),
                _ => {}
            }
        }
        out.list = list;
        Ok(out)
    }

    /// Whether the certificate may act as a CA (basicConstraints cA).
    #[must_use]
    pub fn is_ca(&self) -> bool {
        self.basic_constraints.is_some_and(|bc| bc.ca)
    }

    /// The dNSName entries of the subjectAltName.
    pub fn dns_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.subject_alt_names.iter().flatten().filter_map(|n| match n {
            GeneralName::Dns(d) => Some(*d),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_usage_round_trip() {
        for bits in [0u16, 1, 0x21, 0x60, 0x100, 0x1ff, 0x05] {
            let der = KeyUsage(bits).to_der();
            let mut r = Reader::new(&der);
            let raw = r.any_raw().unwrap();
            assert_eq!(read_key_usage(raw).unwrap(), KeyUsage(bits), "{bits:#x}");
        }
    }

    #[test]
    fn basic_constraints_tolerates_explicit_false() {
        assert!(!read_basic_constraints(&[0x30, 0x03, 0x01, 0x01, 0x00]).unwrap().ca);
        assert_eq!(read_basic_constraints(&[0x30, 0x00]).unwrap(), BasicConstraints { ca: false, path_len: None });
        let bc = read_basic_constraints(&[0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x02]).unwrap();
        assert_eq!(bc, BasicConstraints { ca: true, path_len: Some(2) });
    }
}
