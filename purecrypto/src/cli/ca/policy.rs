//! The subject a CA issues to: the request's name filtered through an
//! OpenSSL `policy` section, where each field is `match` (present and equal
//! to the CA's own), `supplied` (present) or `optional`. Fields the policy
//! does not name are dropped and the rest come in policy order, unless the
//! CA preserves the request's name; `emailAddress` is dropped when the CA
//! keeps e-mail out of names.

use std::format;
use std::string::String;
use std::vec::Vec;

use super::super::CliError;
use crate::asn1::der::Writer;
use crate::x509::name::{Attribute, Name};
use crate::x509::oids;

/// OpenSSL's long attribute names, for policies written with them.
const LONG_NAMES: [(&str, &str); 10] = [
    ("countryName", "C"),
    ("stateOrProvinceName", "ST"),
    ("localityName", "L"),
    ("organizationName", "O"),
    ("organizationalUnitName", "OU"),
    ("commonName", "CN"),
    ("surname", "SN"),
    ("givenName", "GN"),
    ("domainComponent", "DC"),
    ("userId", "UID"),
];

/// The attribute OID for a short or long name.
pub(crate) fn attribute_oid(name: &str) -> Option<&'static [u8]> {
    let short = LONG_NAMES.iter().find(|(long, _)| long.eq_ignore_ascii_case(name)).map_or(name, |(_, s)| *s);
    oids::attribute_oid(short)
}

/// The name as `index.txt` and OpenSSL's one-line form write it:
/// `/C=US/O=Org/CN=host` (`+` joins a multi-valued RDN).
pub(crate) fn oneline(name: &Name<'_>) -> String {
    let mut out = String::new();
    for rdn in &name.rdns {
        for (i, a) in rdn.iter().enumerate() {
            out.push(if i == 0 { '/' } else { '+' });
            match oids::attribute_short_name(a.oid) {
                Some(short) => out.push_str(short),
                None => out.push_str(&crate::asn1::oid::to_dotted(a.oid)),
            }
            out.push('=');
            match a.text() {
                Some(text) => {
                    for c in text.chars() {
                        if c.is_ascii_graphic() || c == ' ' {
                            out.push(c);
                        } else {
                            let mut buf = [0u8; 4];
                            c.encode_utf8(&mut buf).bytes().for_each(|b| out.push_str(&format!("\\x{b:02X}")));
                        }
                    }
                }
                None => a.raw_value.iter().for_each(|b| out.push_str(&format!("{b:02X}"))),
            }
        }
    }
    out
}

fn field_label(oid: &[u8]) -> String {
    oids::attribute_short_name(oid).map_or_else(|| crate::asn1::oid::to_dotted(oid), String::from)
}

/// Encodes single-attribute RDNs with each value's original encoding.
fn encode(attributes: &[&Attribute<'_>]) -> Vec<u8> {
    let mut w = Writer::new();
    w.sequence(|w| {
        for a in attributes {
            w.set(|w| {
                w.sequence(|w| {
                    w.oid(a.oid);
                    w.raw(a.raw_value);
                });
            });
        }
    });
    w.finish()
}

/// The issued subject's DER.
pub(crate) fn apply(
    policy: &[(&str, &str)],
    request: &Name<'_>,
    ca_subject: &Name<'_>,
    preserve: bool,
    email_in_dn: bool,
) -> Result<Vec<u8>, CliError> {
    let mut ordered: Vec<&Attribute<'_>> = Vec::new();
    for &(field, rule) in policy {
        let oid = attribute_oid(field).ok_or_else(|| CliError::usage(format!("policy: unknown field {field}")))?;
        let found: Vec<&Attribute<'_>> = request.attributes().filter(|a| a.oid == oid).collect();
        let label = field_label(oid);
        match rule.trim() {
            "optional" => {}
            "supplied" if found.is_empty() => {
                return Err(CliError::usage(format!("The {label} field needed to be supplied and was missing")));
            }
            "supplied" => {}
            "match" => {
                let ours = ca_subject.attributes().find(|a| a.oid == oid).and_then(Attribute::text);
                let theirs = found.first().and_then(|a| a.text());
                match (ours, theirs) {
                    (_, None) => {
                        return Err(CliError::usage(format!("The mandatory {label} field was missing")));
                    }
                    (Some(o), Some(t)) if o == t => {}
                    (o, Some(t)) => {
                        return Err(CliError::usage(format!(
                            "The {label} field is different between\nCA certificate ({}) and the request ({t})",
                            o.unwrap_or_default()
                        )));
                    }
                }
            }
            other => {
                return Err(CliError::usage(format!("policy: {field} = {other}: use match, supplied or optional")));
            }
        }
        ordered.extend(found);
    }
    let keep = |a: &&Attribute<'_>| email_in_dn || a.oid != oids::EMAIL_ADDRESS;
    let chosen: Vec<&Attribute<'_>> =
        if preserve { request.attributes().filter(keep).collect() } else { ordered.into_iter().filter(keep).collect() };
    if chosen.is_empty() {
        return Err(CliError::usage("the issued subject would be empty"));
    }
    Ok(encode(&chosen))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x509::name::encode_name;

    #[test]
    fn filters_orders_and_checks() {
        let ca = encode_name(&[("C", "US"), ("O", "Org"), ("CN", "CA")]).unwrap();
        let ca = Name::from_der(&ca).unwrap();
        let req = encode_name(&[("CN", "leaf"), ("O", "Org"), ("L", "Town"), ("emailAddress", "a@b")]).unwrap();
        let req = Name::from_der(&req).unwrap();
        let policy = [("organizationName", "match"), ("commonName", "supplied"), ("emailAddress", "optional")];
        let out = apply(&policy, &req, &ca, false, true).unwrap();
        assert_eq!(oneline(&Name::from_der(&out).unwrap()), "/O=Org/CN=leaf/emailAddress=a@b");
        let out = apply(&policy, &req, &ca, false, false).unwrap();
        assert_eq!(oneline(&Name::from_der(&out).unwrap()), "/O=Org/CN=leaf");
        let out = apply(&policy, &req, &ca, true, true).unwrap();
        assert_eq!(out, req.der);
        assert!(apply(&[("countryName", "match")], &req, &ca, false, true).is_err());
        assert!(apply(&[("ST", "supplied")], &req, &ca, false, true).is_err());
        assert!(apply(&[("CN", "sometimes")], &req, &ca, false, true).is_err());
        let other = encode_name(&[("O", "Else"), ("CN", "x")]).unwrap();
        let err = apply(&policy, &Name::from_der(&other).unwrap(), &ca, false, true).unwrap_err();
        assert!(format!("{err}").contains("different"), "{err}");
    }
}
