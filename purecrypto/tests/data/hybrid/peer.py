"""The other side of the hybrid key exchanges, built from the
`cryptography` package's components (OpenSSL's ML-KEM, X25519 and ECDH),
for purecrypto's interoperability test (tests/all/hybrid.rs).

Usage (all byte strings in hex):
  peer.py server GROUP CLIENT_SHARE          -> prints SERVER_SHARE SECRET
  peer.py client-share GROUP SEED            -> prints CLIENT_SHARE
  peer.py client-finish GROUP SEED REPLY     -> prints SECRET
SEED is the 64-byte ML-KEM seed d || z followed by the ECDH private key.
GROUP is a TLS group name, or "ssh" for mlkem768x25519-sha256 (the
X25519MLKEM768 layout with K = SHA-256(K_PQ || K_CL)).
"""
import hashlib
import sys

from cryptography.hazmat.primitives.asymmetric import ec, mlkem, x25519
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

# name: (curve or None for X25519, ML-KEM private/public classes, ek length,
#        ECDH private length, point length, ML-KEM first)
GROUPS = {
    "X25519MLKEM768": (None, mlkem.MLKEM768PrivateKey, mlkem.MLKEM768PublicKey, 1184, 32, 32, True),
    "ssh": (None, mlkem.MLKEM768PrivateKey, mlkem.MLKEM768PublicKey, 1184, 32, 32, True),
    "SecP256r1MLKEM768": (ec.SECP256R1(), mlkem.MLKEM768PrivateKey, mlkem.MLKEM768PublicKey, 1184, 32, 65, False),
    "SecP384r1MLKEM1024": (ec.SECP384R1(), mlkem.MLKEM1024PrivateKey, mlkem.MLKEM1024PublicKey, 1568, 48, 97, False),
}


def ecdh_private(curve, raw):
    if curve is None:
        return x25519.X25519PrivateKey.from_private_bytes(raw)
    return ec.derive_private_key(int.from_bytes(raw, "big"), curve)


def ecdh_public_bytes(curve, key):
    if curve is None:
        return key.public_key().public_bytes_raw()
    return key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


def ecdh_agree(curve, key, peer):
    if curve is None:
        shared = key.exchange(x25519.X25519PublicKey.from_public_bytes(peer))
        assert shared != bytes(32), "all-zero X25519 secret"
        return shared
    return key.exchange(ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(curve, peer))


def split(group, share, kem_len):
    curve, _, _, _, _, point_len, kem_first = GROUPS[group]
    assert len(share) == kem_len + point_len, f"share length {len(share)}"
    if kem_first:
        return share[:kem_len], share[kem_len:]
    return share[point_len:], share[:point_len]


def join(group, kem, point):
    return kem + point if GROUPS[group][6] else point + kem


def combine(group, kem_secret, ecdh_secret):
    if group == "ssh":
        return hashlib.sha256(kem_secret + ecdh_secret).digest()
    return kem_secret + ecdh_secret if GROUPS[group][6] else ecdh_secret + kem_secret


def main():
    mode, group = sys.argv[1], sys.argv[2]
    curve, priv_cls, pub_cls, ek_len, ecdh_len, _, _ = GROUPS[group]
    if mode == "server":
        ek, point = split(group, bytes.fromhex(sys.argv[3]), ek_len)
        kem_secret, ct = pub_cls.from_public_bytes(ek).encapsulate()
        if curve is None:
            key = x25519.X25519PrivateKey.generate()
        else:
            key = ec.generate_private_key(curve)
        secret = combine(group, kem_secret, ecdh_agree(curve, key, point))
        print(join(group, ct, ecdh_public_bytes(curve, key)).hex(), secret.hex())
        return
    seed = bytes.fromhex(sys.argv[3])
    assert len(seed) == 64 + ecdh_len, "seed length"
    dk = priv_cls.from_seed_bytes(seed[:64])
    key = ecdh_private(curve, seed[64:])
    if mode == "client-share":
        print(join(group, dk.public_key().public_bytes_raw(), ecdh_public_bytes(curve, key)).hex())
    elif mode == "client-finish":
        ct_len = 1088 if ek_len == 1184 else 1568
        ct, point = split(group, bytes.fromhex(sys.argv[4]), ct_len)
        print(combine(group, dk.decapsulate(ct), ecdh_agree(curve, key, point)).hex())
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
