#!/bin/sh
# Regenerates the PKCS #8 / PKCS #12 fixtures with the openssl CLI (see
# README.md). Every run makes new keys and salts, so the expected values
# in tests/all/pkcs.rs are never hard-coded: each encrypted file is checked
# against the plain DER made from the same key here.
set -eu
cd "$(dirname "$0")"
PASS=fixture

openssl genpkey -algorithm ed25519 -out ed25519.pem
openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:P-256 -out ec-p256.pem
openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:2048 -out rsa2048.pem
for k in ed25519 ec-p256 rsa2048; do
    openssl pkcs8 -topk8 -nocrypt -in $k.pem -outform DER -out $k.der
done
openssl pkcs8 -topk8 -in ed25519.pem -v2 aes-256-cbc -passout pass:$PASS -out ed25519-aes256.pem
openssl pkcs8 -topk8 -in ec-p256.pem -scrypt -passout pass:$PASS -outform DER -out ec-p256-scrypt.der
openssl pkcs8 -topk8 -in rsa2048.pem -v2 aes-128-cbc -v2prf hmacWithSHA512 -iter 1000 -passout pass:$PASS -out rsa2048-aes128-sha512.pem

openssl req -x509 -key ec-p256.pem -subj /CN=fixture -days 3650 -outform DER -out ec-p256-cert.der
openssl x509 -inform DER -in ec-p256-cert.der -out ec-p256-cert.pem
openssl pkcs12 -export -inkey ec-p256.pem -in ec-p256-cert.pem -name fixture -passout pass:$PASS -out ec-p256.p12
openssl pkcs12 -export -legacy -inkey ec-p256.pem -in ec-p256-cert.pem -passout pass:$PASS -out ec-p256-legacy.p12
rm ec-p256-cert.pem
