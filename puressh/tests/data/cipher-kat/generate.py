from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives import hmac, hashes, poly1305
key64 = bytes(range(64)); key32=bytes(range(100,132)); key16=bytes(range(200,216))
iv16 = bytes(range(50,66)); iv12=bytes(range(70,82))
mk32=bytes(range(1,33)); mk64=bytes(range(1,65))
def packet(payload, block, count_len):
    unp = (5 if count_len else 1) + len(payload)
    pad = block - unp % block
    if pad < 4: pad += block
    length = 1+len(payload)+pad
    return length.to_bytes(4,'big') + bytes([pad]) + payload + bytes([0xAA]*pad)
payloads=[b"\x05\x00\x00\x00\x0cssh-userauth", bytes(range(256))*3]
def chacha(key, seq, counter, data):
    c=Cipher(algorithms.ChaCha20(key, counter.to_bytes(8,'little')+seq.to_bytes(8,'big')), None).encryptor(); return c.update(data)
out=[]
# chacha
for seq,pl in [(0,payloads[0]),(7,payloads[1])]:
    p=packet(pl,8,False); k2,k1=key64[:32],key64[32:]
    enc=chacha(k1,seq,0,p[:4])+chacha(k2,seq,1,p[4:])
    pk=chacha(k2,seq,0,bytes(32))
    tag=poly1305.Poly1305.generate_tag(pk,enc)
    out.append(("chacha",seq,p.hex(),(enc+tag).hex()))
# gcm: invocation counter per packet starting at iv
for name,key in [("gcm128",key16),("gcm256",key32)]:
    ctr=int.from_bytes(iv12[4:],'big')
    for i,pl in enumerate(payloads):
        p=packet(pl,16,False)
        nonce=iv12[:4]+((ctr+i)%(1<<64)).to_bytes(8,'big')
        ct=AESGCM(key).encrypt(nonce,p[4:],p[:4])
        out.append((name,i,p.hex(),(p[:4]+ct).hex()))
def hm(h,k,seq,data):
    m=hmac.HMAC(k,h); m.update(seq.to_bytes(4,'big')+data); return m.finalize()
for name,key,h,mk,etm in [("ctr128-sha256",key16,hashes.SHA256(),mk32,False),("ctr256-sha512-etm",key32,hashes.SHA512(),mk64,True),("ctr192-sha256-etm",bytes(range(24)),hashes.SHA256(),mk32,True)]:
    enc=Cipher(algorithms.AES(key),modes.CTR(iv16)).encryptor()
    for seq,pl in [(3,payloads[0]),(4,payloads[1])]:
        p=packet(pl,16,not etm)
        if etm:
            c=p[:4]+enc.update(p[4:]); tag=hm(h,mk,seq,c)
        else:
            tag=hm(h,mk,seq,p); c=enc.update(p)
        out.append((name,seq,p.hex(),(c+tag).hex()))
for o in out: print(o[0],o[1],o[2],o[3])
