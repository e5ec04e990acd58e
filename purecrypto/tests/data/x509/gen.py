#!/usr/bin/env python3
"""Generates the X.509 chain fixtures in this folder with the `openssl` CLI
(OpenSSL 3.0), and records in cases.txt what `openssl verify` says about
each (its error number, 0 for OK). The Rust test `x509_openssl` checks that
purecrypto reaches the same verdict, and re-runs openssl live when present.

Usage: python3 gen.py   (from any directory; rewrites *.pem and cases.txt)

Every certificate is issued by `openssl ca` with fixed dates, so the
verdicts at the recorded -attime do not depend on when this ran.
"""
import os, shutil, subprocess, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = tempfile.mkdtemp(prefix="x509gen-")
ATTIME = 1798761600  # 2027-01-01T00:00:00Z
GOOD = ("20260101000000Z", "20360101000000Z")

CONFIG = """
[ca]
default_ca = CA_default
[CA_default]
dir = {work}
database = {work}/index.txt
new_certs_dir = {work}/newcerts
serial = {work}/serial
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = yes
[policy_any]
commonName = optional
organizationName = optional
countryName = optional
[req]
distinguished_name = dn
[dn]
"""


def run(*args, stdin=None):
    return subprocess.run(args, check=True, capture_output=True, input=stdin)


def setup():
    os.makedirs(f"{WORK}/newcerts")
    open(f"{WORK}/index.txt", "w").close()
    with open(f"{WORK}/serial", "w") as f:
        f.write("1000\n")
    with open(f"{WORK}/ca.cnf", "w") as f:
        f.write(CONFIG.format(work=WORK))


def key(name, kind="rsa"):
    path = f"{WORK}/{name}.key"
    if kind == "rsa":
        run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path)
    elif kind == "p256":
        run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path)
    elif kind == "p384":
        run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", path)
    else:
        run("openssl", "genpkey", "-algorithm", kind, "-out", path)
    return path


def issue(name, subject, exts, issuer=None, kind="rsa", dates=GOOD, md="sha256", sigopts=(), keypath=None):
    """Issues `name`.pem for a new key; issuer None means self-signed."""
    k = keypath or key(name, kind)
    csr = f"{WORK}/{name}.csr"
    run("openssl", "req", "-new", "-config", f"{WORK}/ca.cnf", "-key", k, "-subj", subject, "-out", csr)
    ext = f"{WORK}/{name}.ext"
    with open(ext, "w") as f:
        f.write("[v3]\n" + "\n".join(exts) + "\n")
    out = f"{HERE}/{name}.pem"
    args = ["openssl", "ca", "-batch", "-notext", "-preserveDN", "-config", f"{WORK}/ca.cnf", "-in", csr,
            "-out", out, "-startdate", dates[0], "-enddate", dates[1], "-extfile", ext, "-extensions", "v3"]
    if md:
        args += ["-md", md]
    for s in sigopts:
        args += ["-sigopt", s]
    if issuer is None:
        args += ["-selfsign", "-keyfile", k]
    else:
        args += ["-cert", f"{HERE}/{issuer}.pem", "-keyfile", f"{WORK}/{issuer}.key"]
    run(*args)
    return out


CA_EXT = ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign",
          "subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid"]


def leaf_ext(sans="DNS:www.example.com", eku="serverAuth", extra=()):
    out = ["basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment",
           "subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid"]
    if eku:
        out.append(f"extendedKeyUsage={eku}")
    if sans:
        out.append(f"subjectAltName={sans}")
    return out + list(extra)


def cat(name, *parts):
    with open(f"{HERE}/{name}.pem", "w") as f:
        for p in parts:
            with open(f"{HERE}/{p}.pem") as g:
                f.write(g.read())


def main():
    for f in os.listdir(HERE):
        if f.endswith(".pem") or f == "cases.txt":
            os.remove(os.path.join(HERE, f))
    setup()
    issue("root", "/C=US/O=Purecrypto Test/CN=Test Root", CA_EXT)
    issue("int", "/C=US/O=Purecrypto Test/CN=Test Intermediate", CA_EXT, "root")
    issue("leaf", "/CN=www.example.com", leaf_ext(), "int")
    issue("leaf-expired", "/CN=www.example.com", leaf_ext(), "int", dates=("20250101000000Z", "20260601000000Z"))
    issue("leaf-future", "/CN=www.example.com", leaf_ext(), "int", dates=("20280101000000Z", "20300101000000Z"))
    issue("leaf-clientauth", "/CN=www.example.com", leaf_ext(eku="clientAuth"), "int")
    issue("leaf-nonrepudiation", "/CN=www.example.com",
          leaf_ext()[:1] + ["keyUsage=critical,nonRepudiation"] + leaf_ext()[2:], "int")
    issue("leaf-critical-unknown", "/CN=www.example.com", leaf_ext(extra=["1.2.3.4.5=critical,ASN1:NULL"]), "int")
    issue("leaf-wildcard", "/CN=wildcard", leaf_ext(sans="DNS:*.example.com"), "int")
    issue("leaf-multi", "/CN=multi", leaf_ext(sans="DNS:a.example.org,DNS:B.Example.Net,IP:192.0.2.7"), "int")
    issue("leaf-pss", "/CN=www.example.com", leaf_ext(), "int", sigopts=("rsa_padding_mode:pss", "rsa_pss_saltlen:32"))
    issue("leaf-sha1", "/CN=www.example.com", leaf_ext(), "int", md="sha1")
    # Tampered signature: flip one bit in the last byte of the signature.
    der = run("openssl", "x509", "-in", f"{HERE}/leaf.pem", "-outform", "DER").stdout
    bad = der[:-1] + bytes([der[-1] ^ 1])
    pem = run("openssl", "x509", "-inform", "DER", "-outform", "PEM", stdin=bad).stdout
    with open(f"{HERE}/leaf-badsig.pem", "wb") as f:
        f.write(pem)

    issue("int-notca", "/CN=Not A CA", ["basicConstraints=critical,CA:FALSE", "subjectKeyIdentifier=hash",
                                        "authorityKeyIdentifier=keyid"], "root")
    issue("leaf-under-notca", "/CN=www.example.com", leaf_ext(), "int-notca")
    issue("int-nocertsign", "/CN=No CertSign CA", ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,cRLSign",
                                                   "subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid"], "root")
    issue("leaf-under-nocertsign", "/CN=www.example.com", leaf_ext(), "int-nocertsign")
    issue("int-eku-client", "/CN=ClientAuth Only CA", CA_EXT + ["extendedKeyUsage=clientAuth"], "root")
    issue("leaf-under-eku-client", "/CN=www.example.com", leaf_ext(), "int-eku-client")

    issue("int-pathlen0", "/CN=Pathlen 0 CA", CA_EXT[:0] + ["basicConstraints=critical,CA:TRUE,pathlen:0"] + CA_EXT[1:], "root")
    issue("int-below-pathlen0", "/CN=Below Pathlen 0", CA_EXT, "int-pathlen0")
    issue("leaf-pathlen", "/CN=www.example.com", leaf_ext(), "int-below-pathlen0")
    cat("chain-pathlen", "int-below-pathlen0", "int-pathlen0")
    issue("leaf-pathlen-ok", "/CN=www.example.com", leaf_ext(), "int-pathlen0")

    nc = CA_EXT + ["nameConstraints=critical,permitted;DNS:example.com,permitted;IP:10.0.0.0/255.0.0.0,"
                   "excluded;DNS:bad.example.com,permitted;email:example.com,"
                   "permitted;dirName:nc_dir", "[nc_dir]", "CN=www.example.com"]
    # dirName constraint on the leaf CN form; the DN of the leaves is /CN=...
    issue("int-nc", "/CN=Constrained CA", nc, "root")
    issue("leaf-nc-ok", "/CN=www.example.com", leaf_ext(sans="DNS:www.example.com,IP:10.1.2.3"), "int-nc")
    issue("leaf-nc-dns", "/CN=www.example.com", leaf_ext(sans="DNS:www.example.com,DNS:www.other.org"), "int-nc")
    issue("leaf-nc-excluded", "/CN=www.example.com", leaf_ext(sans="DNS:www.example.com,DNS:x.bad.example.com"), "int-nc")
    issue("leaf-nc-ip", "/CN=www.example.com", leaf_ext(sans="DNS:www.example.com,IP:192.168.1.1"), "int-nc")
    issue("leaf-nc-dirname", "/CN=other.example.com", leaf_ext(sans="DNS:other.example.com"), "int-nc")

    issue("ec-root", "/CN=EC Root", CA_EXT, kind="p384", md="sha384")
    issue("ec-int", "/CN=EC Intermediate", CA_EXT, "ec-root", kind="p256", md="sha384")
    issue("ec-leaf", "/CN=www.example.com", leaf_ext(), "ec-int", kind="p256")
    issue("ed-int", "/CN=Ed25519 Intermediate", CA_EXT, "root", kind="ED25519")
    issue("ed-leaf", "/CN=www.example.com", leaf_ext(), "ed-int", kind="ED448", md=None)

    issue("root-expired", "/CN=Expired Root", CA_EXT, dates=("20150101000000Z", "20250101000000Z"))
    issue("int-under-expired", "/CN=Under Expired", CA_EXT, "root-expired", dates=("20150101000000Z", "20250101000000Z"))
    issue("leaf-under-expired", "/CN=www.example.com", leaf_ext(), "int-under-expired",
          dates=("20150101000000Z", "20360101000000Z"))
    issue("selfsigned", "/CN=www.example.com", leaf_ext(extra=()), None)

    # A CRL from the intermediate revoking leaf-revoked.
    issue("leaf-revoked", "/CN=www.example.com", leaf_ext(), "int")
    run("openssl", "ca", "-batch", "-config", f"{WORK}/ca.cnf", "-cert", f"{HERE}/int.pem", "-keyfile",
        f"{WORK}/int.key", "-revoke", f"{HERE}/leaf-revoked.pem", "-crl_reason", "keyCompromise")
    # openssl ca keeps one database; the CRL lists every revoked serial it
    # knows, all issued by `int` here.
    run("openssl", "ca", "-batch", "-config", f"{WORK}/ca.cnf", "-cert", f"{HERE}/int.pem", "-keyfile",
        f"{WORK}/int.key", "-gencrl", "-crldays", "3650", "-out", f"{HERE}/int-crl.pem")
    shutil.copy(f"{WORK}/leaf.key", f"{HERE}/leaf-key.pem")

    roots = "root"
    cases = [
        # name, leaf, untrusted, cafile, hostname, crl
        ("good", "leaf", "int", roots, "www.example.com", "-"),
        ("good-uppercase-host", "leaf", "int", roots, "WWW.EXAMPLE.COM", "-"),
        ("expired", "leaf-expired", "int", roots, "www.example.com", "-"),
        ("not-yet-valid", "leaf-future", "int", roots, "www.example.com", "-"),
        ("wrong-eku", "leaf-clientauth", "int", roots, "www.example.com", "-"),
        ("leaf-keyusage", "leaf-nonrepudiation", "int", roots, "www.example.com", "-"),
        ("unknown-critical", "leaf-critical-unknown", "int", roots, "www.example.com", "-"),
        ("bad-signature", "leaf-badsig", "int", roots, "www.example.com", "-"),
        ("hostname-mismatch", "leaf", "int", roots, "mail.example.com", "-"),
        ("wildcard", "leaf-wildcard", "int", roots, "foo.example.com", "-"),
        ("wildcard-two-labels", "leaf-wildcard", "int", roots, "a.b.example.com", "-"),
        ("wildcard-apex", "leaf-wildcard", "int", roots, "example.com", "-"),
        ("multi-san", "leaf-multi", "int", roots, "b.example.net", "-"),
        ("ip-san", "leaf-multi", "int", roots, "192.0.2.7", "-"),
        ("ip-san-mismatch", "leaf-multi", "int", roots, "192.0.2.8", "-"),
        ("rsa-pss", "leaf-pss", "int", roots, "www.example.com", "-"),
        ("sha1-leaf", "leaf-sha1", "int", roots, "www.example.com", "-"),
        ("ca-false-intermediate", "leaf-under-notca", "int-notca", roots, "www.example.com", "-"),
        ("ca-without-certsign", "leaf-under-nocertsign", "int-nocertsign", roots, "www.example.com", "-"),
        ("ca-eku-clientauth", "leaf-under-eku-client", "int-eku-client", roots, "www.example.com", "-"),
        ("pathlen-exceeded", "leaf-pathlen", "chain-pathlen", roots, "www.example.com", "-"),
        ("pathlen-ok", "leaf-pathlen-ok", "int-pathlen0", roots, "www.example.com", "-"),
        ("nc-ok", "leaf-nc-ok", "int-nc", roots, "www.example.com", "-"),
        ("nc-dns-violation", "leaf-nc-dns", "int-nc", roots, "www.example.com", "-"),
        ("nc-dns-excluded", "leaf-nc-excluded", "int-nc", roots, "www.example.com", "-"),
        ("nc-ip-violation", "leaf-nc-ip", "int-nc", roots, "www.example.com", "-"),
        ("nc-dirname-violation", "leaf-nc-dirname", "int-nc", roots, "other.example.com", "-"),
        ("ecdsa-chain", "ec-leaf", "ec-int", "ec-root", "www.example.com", "-"),
        ("eddsa-chain", "ed-leaf", "ed-int", roots, "www.example.com", "-"),
        ("missing-intermediate", "leaf", "-", roots, "www.example.com", "-"),
        ("untrusted-root", "leaf", "int", "ec-root", "www.example.com", "-"),
        ("self-signed-leaf", "selfsigned", "-", roots, "www.example.com", "-"),
        ("expired-root", "leaf-under-expired", "int-under-expired", "root-expired", "www.example.com", "-"),
        ("revoked", "leaf-revoked", "int", roots, "www.example.com", "int-crl"),
        ("not-revoked", "leaf", "int", roots, "www.example.com", "int-crl"),
    ]
    with open(f"{HERE}/cases.txt", "w") as f:
        f.write("# name leaf untrusted cafile hostname crl attime openssl_error (0 = OK); generated by gen.py\n")
        for name, leaf, untrusted, cafile, host, crl in cases:
            code = openssl_verdict(leaf, untrusted, cafile, host, crl)
            f.write(f"{name} {leaf} {untrusted} {cafile} {host} {crl} {ATTIME} {code}\n")
    shutil.rmtree(WORK)


def openssl_args(leaf, untrusted, cafile, host, crl, attime, here):
    args = ["openssl", "verify", "-attime", str(attime), "-purpose", "sslserver", "-CAfile", f"{here}/{cafile}.pem"]
    if untrusted != "-":
        args += ["-untrusted", f"{here}/{untrusted}.pem"]
    if any(c == ":" for c in host) or host.replace(".", "").isdigit():
        args += ["-verify_ip", host]
    else:
        args += ["-verify_hostname", host]
    if crl != "-":
        args += ["-CRLfile", f"{here}/{crl}.pem", "-crl_check"]
    return args + [f"{here}/{leaf}.pem"]


def openssl_verdict(leaf, untrusted, cafile, host, crl):
    p = subprocess.run(openssl_args(leaf, untrusted, cafile, host, crl, ATTIME, HERE), capture_output=True, text=True)
    if p.returncode == 0:
        return 0
    for line in (p.stdout + p.stderr).splitlines():
        if line.startswith("error ") and " at " in line:
            return int(line.split()[1])
    raise SystemExit(f"unexpected openssl output: {p.stdout} {p.stderr}")


if __name__ == "__main__":
    main()
