package twofold

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// NewToken returns a random 256-bit bearer secret, URL-safe. It is for session
// tokens and flow IDs: things that grant access and are stored only as HashToken.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewID returns a random 128-bit identifier for rows that are not secrets.
func NewID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// HashToken returns the hex SHA-256 of a bearer token. A fast hash is right here:
// tokens carry 256 bits of entropy, so there is nothing to brute-force.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
