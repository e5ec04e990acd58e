#!/usr/bin/env python3
"""The Python half of the live PQC key interop test (tests/all/pkey.rs).

Usage: interop.py DIR. For each NAME in ML-KEM-768, ML-KEM-1024, ML-DSA-44,
ML-DSA-65, ML-DSA-87, purecrypto has written into DIR:
  NAME.seed.der / NAME.both.der / NAME.expanded.der  PKCS #8 in the 3 forms
  NAME.pub.der                                       SPKI
  NAME.ct.bin + NAME.ss.bin (ML-KEM)                 a ciphertext and secret
  NAME.sig.bin (ML-DSA)                              a signature of MESSAGE
This script checks them with `cryptography` (OpenSSL 4), failing loudly on
any mismatch, and writes for purecrypto to check back:
  NAME.py.priv.der / NAME.py.pub.der                 a fresh Python key
  NAME.py.ct.bin + NAME.py.ss.bin (ML-KEM)           encapsulation to our key
  NAME.py.sig.bin (ML-DSA)                           Python's signature
  NAME.forms.txt                                     which of our forms loaded
"""
import pathlib
import sys

from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import mldsa, mlkem

MESSAGE = b"purecrypto live interop message"
CONTEXT = b"live-ctx"
KEMS = {"ML-KEM-768": mlkem.MLKEM768PrivateKey, "ML-KEM-1024": mlkem.MLKEM1024PrivateKey}
SIGS = {"ML-DSA-44": mldsa.MLDSA44PrivateKey, "ML-DSA-65": mldsa.MLDSA65PrivateKey, "ML-DSA-87": mldsa.MLDSA87PrivateKey}

d = pathlib.Path(sys.argv[1])


def pkcs8(key):
    return key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption())


def spki(key):
    return key.public_bytes(ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo)


def check(ok, what):
    if not ok:
        sys.exit(f"MISMATCH: {what}")


for name, cls in {**KEMS, **SIGS}.items():
    ours = (d / f"{name}.seed.der").read_bytes()
    key = ser.load_der_private_key(ours, password=None)
    check(isinstance(key, cls), f"{name}: loaded as {type(key)}")
    check(pkcs8(key) == ours, f"{name}: Python re-encodes our seed-form PKCS#8 differently")
    our_pub = (d / f"{name}.pub.der").read_bytes()
    check(spki(key.public_key()) == our_pub, f"{name}: public key derived by Python differs from our SPKI")
    pub = ser.load_der_public_key(our_pub)
    check(spki(pub) == our_pub, f"{name}: Python re-encodes our SPKI differently")

    # Which of the other forms this OpenSSL / cryptography build accepts.
    forms = []
    for form in ("both", "expanded"):
        try:
            other = ser.load_der_private_key((d / f"{name}.{form}.der").read_bytes(), password=None)
            check(spki(other.public_key()) == our_pub, f"{name}: {form} form loads as another key")
            forms.append(f"{form}=accepted")
        except Exception as e:  # noqa: BLE001 - cryptography reads the seed form only
            forms.append(f"{form}=rejected({type(e).__name__})")
    (d / f"{name}.forms.txt").write_text(" ".join(forms) + "\n")

    fresh = cls.generate()
    (d / f"{name}.py.priv.der").write_bytes(pkcs8(fresh))
    (d / f"{name}.py.pub.der").write_bytes(spki(fresh.public_key()))

    if name in KEMS:
        secret = key.decapsulate((d / f"{name}.ct.bin").read_bytes())
        check(secret == (d / f"{name}.ss.bin").read_bytes(), f"{name}: Python decapsulated another secret")
        secret, ct = pub.encapsulate()
        (d / f"{name}.py.ct.bin").write_bytes(ct)
        (d / f"{name}.py.ss.bin").write_bytes(secret)
    else:
        pub.verify((d / f"{name}.sig.bin").read_bytes(), MESSAGE, CONTEXT)  # raises on failure
        (d / f"{name}.py.sig.bin").write_bytes(key.sign(MESSAGE, CONTEXT))

print("interop.py: all checks passed")
