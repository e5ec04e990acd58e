import hashlib, struct
from cryptography.hazmat.primitives.asymmetric import x25519, ec
from cryptography.hazmat.primitives import serialization as s
def string(b): return struct.pack('>I', len(b)) + b
def mpint(n):
    if n == 0: return string(b'')
    b = n.to_bytes((n.bit_length()+7)//8, 'big')
    if b[0] & 0x80: b = b'\0' + b
    return string(b)
VC=b"SSH-2.0-puressh_test"; VS=b"SSH-2.0-OpenSSH_9.2p1 Debian-2"
IC=bytes([20])+bytes(range(16))+b"client kexinit"; IS=bytes([20])+bytes(range(16,32))+b"server kexinit"
KS=string(b"ssh-ed25519")+string(bytes(range(32)))
def H(hashf, qc, qs, k): return hashf(string(VC)+string(VS)+string(IC)+string(IS)+string(KS)+string(qc)+string(qs)+k).hexdigest()
# curve25519
c=bytes([0x11]*32); sv=bytes([0x22]*32)
cp=x25519.X25519PrivateKey.from_private_bytes(c); sp=x25519.X25519PrivateKey.from_private_bytes(sv)
qc=cp.public_key().public_bytes(s.Encoding.Raw,s.PublicFormat.Raw); qs=sp.public_key().public_bytes(s.Encoding.Raw,s.PublicFormat.Raw)
k=cp.exchange(x25519.X25519PublicKey.from_public_bytes(qs))
print("X25519_QS", qs.hex()); print("X25519_K", mpint(int.from_bytes(k,'big')).hex()); print("X25519_H", H(hashlib.sha256, qc, qs, mpint(int.from_bytes(k,'big'))))
# P-256
for name,curve,hf,ln in [("P256",ec.SECP256R1(),hashlib.sha256,32),("P384",ec.SECP384R1(),hashlib.sha384,48)]:
    d=int.from_bytes(bytes([0x33]*ln),'big'); e=int.from_bytes(bytes([0x44]*ln),'big')
    cp=ec.derive_private_key(d,curve); sp=ec.derive_private_key(e,curve)
    qc=cp.public_key().public_bytes(s.Encoding.X962,s.PublicFormat.UncompressedPoint); qs=sp.public_key().public_bytes(s.Encoding.X962,s.PublicFormat.UncompressedPoint)
    k=cp.exchange(ec.ECDH(), sp.public_key())
    print(name+"_QS", qs.hex()); print(name+"_H", H(hf,qc,qs,mpint(int.from_bytes(k,'big'))))
# group14 sha256
p=int("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF",16)
x=int.from_bytes(bytes([0x55]*32),'big'); y=int.from_bytes(bytes([0x66]*32),'big')
e=pow(2,x,p); f=pow(2,y,p); k=pow(f,x,p)
eb=mpint(e)[4:]; fb=mpint(f)[4:]
print("DH14_F", fb.hex()); print("DH14_H", H(hashlib.sha256, eb, fb, mpint(k)))
# Key derivation (RFC 4253 §7.2) with session_id = H: 64 bytes of key 'C'.
def kdf(hashf, k, h, letter, n):
    out = hashf(k + h + letter + h).digest()
    while len(out) < n:
        out += hashf(k + h + out).digest()
    return out[:n]
# mlkem768x25519-sha256: client ML-KEM seed d||z = 0x77*64, X25519 0x11*32;
# the server's encapsulation is random (pyca has no derandomized form),
# its X25519 key 0x22*32. K = SHA-256(K_PQ || K_CL) as a string.
from cryptography.hazmat.primitives.asymmetric import mlkem
dk = mlkem.MLKEM768PrivateKey.from_seed_bytes(bytes([0x77]*64))
ek = dk.public_key().public_bytes_raw()
cx = x25519.X25519PrivateKey.from_private_bytes(bytes([0x11]*32)); sx = x25519.X25519PrivateKey.from_private_bytes(bytes([0x22]*32))
cxp = cx.public_key().public_bytes(s.Encoding.Raw,s.PublicFormat.Raw); sxp = sx.public_key().public_bytes(s.Encoding.Raw,s.PublicFormat.Raw)
kpq, ct = mlkem.MLKEM768PublicKey.from_public_bytes(ek).encapsulate()
kcl = sx.exchange(x25519.X25519PublicKey.from_public_bytes(cxp))
k = string(hashlib.sha256(kpq + kcl).digest())
qc = ek + cxp; qs = ct + sxp
h = bytes.fromhex(H(hashlib.sha256, qc, qs, k))
print("MLKEM_QS", qs.hex()); print("MLKEM_K", k.hex()); print("MLKEM_H", h.hex()); print("MLKEM_KEY_C", kdf(hashlib.sha256, k, h, b"C", 64).hex())
# diffie-hellman-group-exchange-sha256 with the first 2048-bit group of
# Debian's /etc/ssh/moduli; request 2048/3072/8192; x = 0x55*28, y = 0x66*28.
g_hex, p_hex = open("/tmp/gexgroup").read().split()
p = int(p_hex, 16); g = int(g_hex, 16)
x = int.from_bytes(bytes([0x55]*28),'big'); y = int.from_bytes(bytes([0x66]*28),'big')
e = pow(g,x,p); f = pow(g,y,p); kk = mpint(pow(f,x,p))
fields = struct.pack('>III', 2048, 3072, 8192) + mpint(p) + mpint(g)
h = hashlib.sha256(string(VC)+string(VS)+string(IC)+string(IS)+string(KS)+fields+mpint(e)+mpint(f)+kk).digest()
print("GEX_P", p_hex); print("GEX_G", "%02x" % g); print("GEX_F", mpint(f)[4:].hex()); print("GEX_H", h.hex()); print("GEX_KEY_C", kdf(hashlib.sha256, kk, h, b"C", 64).hex())
# sntrup761x25519-sha512: the sntrup761 values (Q_C, Q_S, K_PQ) come from
# sntrup761x25519_inputs.txt (made by puressh's fixed_sntrup761x25519 in
# src/transport/kex/tests.rs: HMAC-DRBG seeds 0x01 / 0x02); the X25519
# keys are 0x11 (client) / 0x22 (server). K = SHA-512(K_PQ || K_CL) as a
# string, H with SHA-512.
import os
inp = dict(l.split() for l in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "sntrup761x25519_inputs.txt")))
qc = bytes.fromhex(inp["SNTRUP_QC"]); qs = bytes.fromhex(inp["SNTRUP_QS"]); kpq = bytes.fromhex(inp["SNTRUP_KPQ"])
sx = x25519.X25519PrivateKey.from_private_bytes(bytes([0x22]*32))
assert qs[1039:] == sx.public_key().public_bytes(s.Encoding.Raw,s.PublicFormat.Raw)
kcl = sx.exchange(x25519.X25519PublicKey.from_public_bytes(qc[1158:]))
k = string(hashlib.sha512(kpq + kcl).digest())
h = bytes.fromhex(H(hashlib.sha512, qc, qs, k))
for key in ("SNTRUP_QC", "SNTRUP_QS", "SNTRUP_KPQ"): print(key, inp[key])
print("SNTRUP_K", k.hex()); print("SNTRUP_H", h.hex()); print("SNTRUP_KEY_C", kdf(hashlib.sha512, k, h, b"C", 64).hex())
