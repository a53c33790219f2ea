package softkey

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
)

// Authenticator data flags.
const (
	flagUP = 0x01 // user present
	flagUV = 0x04 // user verified
	flagAT = 0x40 // attested credential data included
)

// coseAlgES256 is ECDSA w/ SHA-256 in the COSE algorithm registry.
const coseAlgES256 = -7

// authData builds authenticator data: rpIdHash, flags, signCount big-endian
// and, when attested is set, aaguid, credential ID length, credential ID and
// the COSE public key. BE and BS stay zero: a soft key is never backed up.
func (a *Authenticator) authData(t tamper, rpID string, count uint32, attested *credential) ([]byte, error) {
	hashOf := rpID
	if t.rpIDHashOf != nil {
		hashOf = *t.rpIDHashOf
	}
	rpIDHash := sha256.Sum256([]byte(hashOf))
	flags := byte(flagUP)
	if !a.noUV && !t.noUV {
		flags |= flagUV
	}
	if attested != nil {
		flags |= flagAT
	}
	b := append(rpIDHash[:], flags)
	b = binary.BigEndian.AppendUint32(b, count)
	if attested == nil {
		return b, nil
	}
	key, err := coseKey(&attested.key.PublicKey)
	if err != nil {
		return nil, err
	}
	b = append(b, a.aaguid[:]...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(attested.id)))
	b = append(b, attested.id...)
	return append(b, key...), nil
}

// coseKey encodes an EC2 P-256 ES256 public key:
// {1 (kty): 2 (EC2), 3 (alg): -7, -1 (crv): 1 (P-256), -2: x, -3: y}.
func coseKey(pub *ecdsa.PublicKey) ([]byte, error) {
	ecdhKey, err := pub.ECDH()
	if err != nil {
		return nil, fmt.Errorf("softkey: public key: %w", err)
	}
	point := ecdhKey.Bytes() // 0x04 || x || y, each 32 bytes
	return appendCBOR(nil, cborMap{
		{1, 2},
		{3, coseAlgES256},
		{-1, 1},
		{-2, point[1:33]},
		{-3, point[33:65]},
	}), nil
}

// sign returns the ES256 signature (ASN.1 DER) over authData ||
// SHA-256(clientDataJSON), the message both assertions and packed
// attestation sign; a forged one has its last byte flipped, which keeps the
// DER well formed but the signature wrong.
func sign(key *ecdsa.PrivateKey, authData, clientData []byte, forge bool) ([]byte, error) {
	clientDataHash := sha256.Sum256(clientData)
	digest := sha256.Sum256(append(append([]byte(nil), authData...), clientDataHash[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		return nil, fmt.Errorf("softkey: sign: %w", err)
	}
	if forge {
		sig[len(sig)-1] ^= 0x01
	}
	return sig, nil
}
