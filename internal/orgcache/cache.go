package orgcache

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/twofold-id/twofold"
)

// Store is a twofold.Store whose organization reads go through a cache.
type Store struct {
	twofold.Store
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[string]entry
}

type entry struct {
	org     *twofold.Organization
	expires time.Time
}

// Wrap returns s with OrgByID served from memory for up to ttl after each read.
func Wrap(s twofold.Store, ttl time.Duration, now func() time.Time) *Store {
	return &Store{Store: s, ttl: ttl, now: now, entries: map[string]entry{}}
}

// OrgByID returns the organization, from memory when it was read less than TTL
// ago. Callers get their own copy, so changing it changes nothing here.
func (s *Store) OrgByID(ctx context.Context, id string) (*twofold.Organization, error) {
	now := s.now()
	s.mu.Lock()
	e, ok := s.entries[id]
	s.mu.Unlock()
	if ok && now.Before(e.expires) {
		return clone(e.org), nil
	}
	org, err := s.Store.OrgByID(ctx, id)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.entries[id] = entry{org: clone(org), expires: now.Add(s.ttl)}
	s.mu.Unlock()
	return org, nil
}

// UpdatePolicy stores the policy and forgets the cached organization, so this
// process sees the change at once.
func (s *Store) UpdatePolicy(ctx context.Context, orgID string, p twofold.Policy) error {
	err := s.Store.UpdatePolicy(ctx, orgID, p)
	s.mu.Lock()
	delete(s.entries, orgID)
	s.mu.Unlock()
	return err
}

func clone(o *twofold.Organization) *twofold.Organization {
	c := *o
	c.Domains = slices.Clone(o.Domains)
	c.Policy.EnabledMethods = slices.Clone(o.Policy.EnabledMethods)
	return &c
}
