package password

import (
	"context"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

// BenchmarkArgon2idRaw is the bare cost of one default-parameter hash; compare
// it with BenchmarkVerify to see what the limiter and parsing add.
func BenchmarkArgon2idRaw(b *testing.B) {
	p := DefaultParams()
	salt := make([]byte, p.SaltLen)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			argon2.IDKey([]byte("benchmark password"), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
		}
	})
}

// BenchmarkVerify runs Hasher.Verify from GOMAXPROCS goroutines through the
// default limiter.
func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	h := NewHasher(DefaultParams(), LimitOptions{Wait: time.Minute})
	enc, err := h.Hash(ctx, "benchmark password")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if ok, _, err := h.Verify(ctx, enc, "benchmark password"); !ok || err != nil {
				b.Errorf("Verify = %v, %v", ok, err)
				return
			}
		}
	})
}
