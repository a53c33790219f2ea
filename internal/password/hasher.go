package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"

	"golang.org/x/crypto/argon2"

	"github.com/twofold-id/twofold"
)

// Hasher hashes and verifies passwords with argon2id under a concurrency limit.
// It is safe for concurrent use; make one per process and share it, because the
// limit only holds if every hash goes through the same Hasher.
type Hasher struct {
	params Params
	limit  *limiter
	// dummy is a well-formed hash of nothing in particular, for VerifyDummy.
	dummy string
	// kdf derives the key; tests swap it to observe concurrency without paying
	// for real hashes.
	kdf func(password, salt []byte, p Params) []byte
}

// NewHasher returns a Hasher that makes new hashes with p (zero fields take
// DefaultParams values) and bounds work as opts says.
func NewHasher(p Params, opts LimitOptions) *Hasher {
	p = p.withDefaults()
	h := &Hasher{params: p, limit: newLimiter(opts.withDefaults()), kdf: idKey}
	// The dummy needs no real password behind it: Verify against random salt
	// and random hash bytes costs exactly one argon2id run with h's params and
	// never matches. Building it here costs nothing, so the first unknown user
	// name is not slower than later ones (as a lazily made real hash would be).
	h.dummy = encode(p, randomBytes(p.SaltLen), randomBytes(p.KeyLen))
	return h
}

func idKey(password, salt []byte, p Params) []byte {
	return argon2.IDKey(password, salt, p.Time, p.Memory, p.Threads, p.KeyLen)
}

func randomBytes(n uint32) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥1.24)
	return b
}

// Params returns the parameters new hashes are made with.
func (h *Hasher) Params() Params { return h.params }

// Hash returns the PHC string of password with a fresh salt. It returns
// EUNAVAILABLE when the hashing limit is reached or ctx ends while waiting.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := h.limit.acquire(ctx); err != nil {
		return "", err
	}
	defer h.limit.release()
	salt := randomBytes(h.params.SaltLen)
	return encode(h.params, salt, h.kdf([]byte(password), salt, h.params)), nil
}

// Verify reports whether password matches encoded, comparing in constant time
// with the parameters stored in encoded, and whether encoded should be replaced
// by a new Hash because its parameters differ from h's. It returns EUNAVAILABLE
// when the hashing limit is reached or ctx ends while waiting, and an EINTERNAL
// error when encoded is not an argon2id PHC string this package can check.
func (h *Hasher) Verify(ctx context.Context, encoded, password string) (ok bool, needsRehash bool, err error) {
	d, err := decode(encoded)
	if err != nil {
		return false, false, &twofold.Error{Code: twofold.EINTERNAL, Err: fmt.Errorf("password: verify: %w", err)}
	}
	if err := h.limit.acquire(ctx); err != nil {
		return false, false, err
	}
	defer h.limit.release()
	key := h.kdf([]byte(password), d.salt, d.params)
	ok = subtle.ConstantTimeCompare(key, d.key) == 1
	return ok, d.params != h.params, nil
}

// VerifyDummy does the work of a Verify that fails, with h's parameters, so a
// sign-in for a user name that does not exist takes as long as one for a user
// that does. It waits for a slot like Verify and gives up in the same cases,
// returning the same EUNAVAILABLE error: a saturated hasher must refuse unknown
// and known names alike, or its refusals would tell which names exist.
func (h *Hasher) VerifyDummy(ctx context.Context, password string) error {
	_, _, err := h.Verify(ctx, h.dummy, password)
	return err
}
