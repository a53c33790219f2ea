package testkit

import (
	"github.com/twofold-id/twofold/internal/store"
)

// ReplicaStore opens a second store on the kit's PostgreSQL database, with a
// connection pool of its own, as another replica of the service would; it is
// closed when the test ends. It skips the test on SQLite, whose embedded store
// is one process's.
func (k *Kit) ReplicaStore() *store.Store {
	k.TB.Helper()
	if k.Backend != Postgres {
		k.TB.Skip("replicas share a PostgreSQL database; this kit is on " + k.Backend)
	}
	s, err := store.Open(k.TB.Context(), k.dsn)
	if err != nil {
		k.TB.Fatalf("testkit: open a replica store: %v", err)
	}
	k.TB.Cleanup(func() {
		if err := s.Close(); err != nil {
			k.TB.Errorf("testkit: close the replica store: %v", err)
		}
	})
	return s
}
