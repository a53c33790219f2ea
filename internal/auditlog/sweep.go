package auditlog

import (
	"context"
	"fmt"
	"time"

	"github.com/twofold-id/twofold"
)

// SweepBatch is how many events one delete statement removes, small enough
// that appending events never waits long behind a sweep.
const SweepBatch = 5000

// Sweep deletes the events older than retention before now, in batches, and
// records how many it deleted (nothing when none were due). Replicas may
// sweep at once; between them each old event is deleted once. A retention of
// zero or less keeps everything.
func (s *Service) Sweep(ctx context.Context, now time.Time, retention time.Duration) (int64, error) {
	if retention <= 0 {
		return 0, nil
	}
	before := now.Add(-retention)
	n, err := s.Store.DeleteAuditBefore(ctx, before, SweepBatch)
	if err != nil {
		return n, fmt.Errorf("auditlog: sweep: %w", err)
	}
	if n > 0 && s.Audit != nil {
		err := s.Audit.Record(ctx, &twofold.AuditEvent{
			Time: now, ActorName: "retention", Activity: twofold.ActivityAuditRetentionSwept,
			Result: twofold.ResultSuccess,
			Reason: fmt.Sprintf("Deleted %d events older than %s (retention %s).", n, before.UTC().Format(time.RFC3339), retention),
		})
		if err != nil {
			return n, fmt.Errorf("auditlog: record sweep: %w", err)
		}
	}
	return n, nil
}
