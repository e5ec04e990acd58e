#!/usr/bin/env python3
"""Writes the PQC key fixtures in this folder with the Python
`cryptography` package (50.x, which bundles OpenSSL 4), so the purecrypto
tests can check that they read what OpenSSL writes.

Run: /opt/stack-py/bin/python tests/data/pqc-keys/generate.py
(the venv comes from ci-templates/install-deps).

Keys come from fixed seeds (SHAKE-256 of the algorithm name), so the key
files are reproducible; the signatures and ciphertexts are randomized by
OpenSSL and differ on every run (the tests only verify / decapsulate them).
"""
import hashlib
import pathlib

from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import mldsa, mlkem

HERE = pathlib.Path(__file__).resolve().parent
MESSAGE = b"purecrypto pqc-keys fixture message"
CONTEXT = b"fixture-ctx"
PASSWORD = b"fixture-pass"

KEMS = {"ML-KEM-768": mlkem.MLKEM768PrivateKey, "ML-KEM-1024": mlkem.MLKEM1024PrivateKey}
SIGS = {
    "ML-DSA-44": mldsa.MLDSA44PrivateKey,
    "ML-DSA-65": mldsa.MLDSA65PrivateKey,
    "ML-DSA-87": mldsa.MLDSA87PrivateKey,
}


def write(name, data):
    (HERE / name).write_bytes(data)


def save_key(name, key):
    write(f"{name}.priv.der", key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption()))
    write(f"{name}.priv.pem", key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption()))
    write(
        f"{name}.priv.enc.pem",
        key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.BestAvailableEncryption(PASSWORD)),
    )
    pub = key.public_key()
    write(f"{name}.pub.der", pub.public_bytes(ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo))
    write(f"{name}.pub.pem", pub.public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo))


for name, cls in KEMS.items():
    key = cls.from_seed_bytes(hashlib.shake_256(name.encode()).digest(64))
    save_key(name, key)
    secret, ciphertext = key.public_key().encapsulate()
    write(f"{name}.ct.bin", ciphertext)
    write(f"{name}.ss.bin", secret)

for name, cls in SIGS.items():
    key = cls.from_seed_bytes(hashlib.shake_256(name.encode()).digest(32))
    save_key(name, key)
    write(f"{name}.sig.bin", key.sign(MESSAGE, CONTEXT))
