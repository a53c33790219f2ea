package totp

import (
	"context"
	"crypto/rand"
	"sync"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/secretbox"
)

// memStore is an in-memory MethodStore with the same atomicity as the SQL one:
// every call holds one mutex.
type memStore struct {
	mu sync.Mutex
	m  map[string]*twofold.Method
}

func newMemStore() *memStore { return &memStore{m: map[string]*twofold.Method{}} }

func (s *memStore) CreateMethod(ctx context.Context, m *twofold.Method) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := *m
	s.m[m.ID] = &c
	return nil
}

func (s *memStore) MethodByID(ctx context.Context, userID, methodID string) (*twofold.Method, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.m[methodID]
	if !ok || m.UserID != userID {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "not found")
	}
	c := *m
	return &c, nil
}

func (s *memStore) ActivateMethodWithin(ctx context.Context, userID, methodID string, kind twofold.MethodKind, limit int, name string, step int64, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.m[methodID]
	if !ok || m.UserID != userID || m.State != twofold.MethodPending || m.Kind != kind {
		return twofold.Errorf(twofold.ENOTFOUND, "not found")
	}
	active := 0
	for _, o := range s.m {
		if o.UserID == userID && o.Kind == kind && o.State == twofold.MethodActive {
			active++
		}
	}
	if active >= limit {
		return twofold.Errorf(twofold.ECONFLICT, "limit reached")
	}
	m.State, m.Name, m.LastStep, m.ActivatedAt = twofold.MethodActive, name, step, at
	return nil
}

func (s *memStore) ConsumeStep(ctx context.Context, methodID string, step int64, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.m[methodID]
	if !ok || step <= m.LastStep {
		return false, nil
	}
	m.LastStep, m.LastUsedAt = step, at
	return true, nil
}

var _ MethodStore = (*memStore)(nil)
var _ MethodStore = twofold.MethodStore(nil) // the subset has identical signatures

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	svc   *Service
	store *memStore
	clock *clock
	box   *secretbox.Box
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	key := make([]byte, secretbox.KeySize)
	_, _ = rand.Read(key)
	box, err := secretbox.New(key)
	if err != nil {
		t.Fatal(err)
	}
	// Mid-step, so ±1 step is unambiguous.
	c := &clock{t: time.Unix(1_750_000_000-1_750_000_000%period+10, 0)}
	st := newMemStore()
	return &fixture{svc: New(box, st, c.Now), store: st, clock: c, box: box}
}
