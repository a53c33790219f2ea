package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"log/slog"

	"github.com/twofold-id/twofold"
)

// KeySize is the key length in bytes: AES-256.
const KeySize = 32

// version1 marks AES-256-GCM with a 12-byte random nonce.
const version1 byte = 1

const nonceSize = 12

// Box seals and opens messages under one key. It is safe for concurrent use.
type Box struct {
	aead cipher.AEAD
}

// New returns a Box for a 32-byte key. It returns EINVALID for any other length,
// because a short key is a configuration mistake worth stopping for.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, twofold.Errorf(twofold.EINVALID, "The encryption key must be %d bytes.", KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, &twofold.Error{Code: twofold.EINTERNAL, Err: errors.New("secretbox: cannot make AES cipher")}
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, &twofold.Error{Code: twofold.EINTERNAL, Err: errors.New("secretbox: cannot make GCM")}
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext bound to aad and returns version, nonce and
// ciphertext in one slice. Random nonces are safe here: 2^32 messages per key
// would be needed before a collision matters, far beyond a secret per method.
func (b *Box) Seal(plaintext, aad []byte) []byte {
	out := make([]byte, 1+nonceSize, 1+nonceSize+len(plaintext)+b.aead.Overhead())
	out[0] = version1
	_, _ = rand.Read(out[1 : 1+nonceSize]) // crypto/rand.Read never fails (Go ≥1.24)
	return b.aead.Seal(out, out[1:1+nonceSize], plaintext, aad)
}

// Open decrypts a message made by Seal with the same aad. It fails when the
// message was changed, made under another key or bound to other data; the
// error says which shape check failed but never holds message bytes.
func (b *Box) Open(sealed, aad []byte) ([]byte, error) {
	if len(sealed) < 1+nonceSize+b.aead.Overhead() {
		return nil, errors.New("secretbox: sealed message too short")
	}
	if sealed[0] != version1 {
		return nil, errors.New("secretbox: unknown sealed message version")
	}
	pt, err := b.aead.Open(nil, sealed[1:1+nonceSize], sealed[1+nonceSize:], aad)
	if err != nil {
		return nil, errors.New("secretbox: message authentication failed (wrong key, wrong data or tampered)")
	}
	return pt, nil
}

// LogValue keeps the key schedule out of logs.
func (b *Box) LogValue() slog.Value { return slog.StringValue("REDACTED") }

// String keeps the key schedule out of fmt output such as %v and %+v.
func (b *Box) String() string { return "secretbox.Box(REDACTED)" }

// GoString keeps the key schedule out of %#v.
func (b *Box) GoString() string { return b.String() }
