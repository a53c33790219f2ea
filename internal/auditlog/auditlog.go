package auditlog

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
)

// Page sizes: a zero Limit means DefaultLimit; more than MaxLimit is refused.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Store is the audit log as searching and sweeping it needs.
type Store interface {
	twofold.AuditStore
	twofold.AuditRetention
}

// Recorder records what the sweep did (*audit.Recorder).
type Recorder interface {
	Record(ctx context.Context, e *twofold.AuditEvent) error
}

// Service searches and sweeps the audit log.
type Service struct {
	Store Store
	Audit Recorder // nil records nothing
	Now   func() time.Time
}

// Query is what Search looks for. Zero fields do not filter.
type Query struct {
	// OrgID is used only when the actor is the command line (Actor.OrgID "");
	// everyone else reads their own organization.
	OrgID    string
	Activity string // exact activity name
	Actor    string // the actor's user ID or name, exactly
	Target   string // the target's user ID or name, exactly
	Result   string // "", twofold.ResultSuccess or twofold.ResultFailure
	Since    time.Time
	Until    time.Time // inclusive, like Since
	After    string    // Page.Next of the previous page; "" for the first
	Before   string    // Page.Prev of a page: the newer page before it; at most one of After and Before
	Limit    int       // 1–MaxLimit; 0 means DefaultLimit
}

// Page is one page of events, newest first.
type Page struct {
	Events []*twofold.AuditEvent
	// Next continues after the last event of this page; "" on the last page.
	Next string
	// Prev is the newer page before this one; "" on the first page.
	Prev string
}

// Search returns a page of the audit events matching q, newest first. Admins
// and the help desk may read their organization's log, an API token only with
// the audit.read scope, the command line any organization's. Returns
// EFORBIDDEN for anyone else, EINVALID (with Field) for a bad limit, result,
// time range or cursor.
func (s *Service) Search(ctx context.Context, a *twofold.Actor, q Query) (*Page, error) {
	if a == nil || !a.Role.Staff() || !a.Allows(twofold.ScopeAuditRead) {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "Only admins and the help desk can read the audit log.")
	}
	f, err := filterOf(q)
	if err != nil {
		return nil, err
	}
	f.OrgID = a.OrgID
	if a.OrgID == "" {
		f.OrgID = q.OrgID
	}
	limit := f.Limit
	// One more than the page shows tells whether another page follows.
	f.Limit = limit + 1
	p := &Page{}
	if !f.AfterTime.IsZero() {
		if p.Events, err = s.Store.ListAudit(ctx, f); err != nil {
			return nil, fmt.Errorf("auditlog: search: %w", err)
		}
		if len(p.Events) <= limit {
			// Back at the newest events: the first page, full, rather than
			// what was left above the cursor.
			f.AfterTime, f.AfterID = time.Time{}, 0
		} else {
			p.Events = p.Events[1:]
			p.Prev = cursor(p.Events[0].Time, p.Events[0].ID)
			last := p.Events[len(p.Events)-1]
			p.Next = cursor(last.Time, last.ID)
			return p, nil
		}
	}
	if p.Events, err = s.Store.ListAudit(ctx, f); err != nil {
		return nil, fmt.Errorf("auditlog: search: %w", err)
	}
	if len(p.Events) > limit {
		p.Events = p.Events[:limit]
		last := p.Events[limit-1]
		p.Next = cursor(last.Time, last.ID)
	}
	if !f.BeforeTime.IsZero() && len(p.Events) > 0 {
		p.Prev = cursor(p.Events[0].Time, p.Events[0].ID)
	}
	return p, nil
}

// filterOf checks q and turns it into the store's filter, without the organization.
func filterOf(q Query) (twofold.AuditFilter, error) {
	f := twofold.AuditFilter{
		Activity: strings.TrimSpace(q.Activity), Actor: strings.TrimSpace(q.Actor),
		Target: strings.TrimSpace(q.Target), Result: q.Result, Since: q.Since, Until: q.Until, Limit: q.Limit,
	}
	switch {
	case f.Limit == 0:
		f.Limit = DefaultLimit
	case f.Limit < 1 || f.Limit > MaxLimit:
		return f, twofold.FieldError("limit", fmt.Sprintf("Ask for between 1 and %d events at a time.", MaxLimit))
	}
	if f.Result != "" && f.Result != twofold.ResultSuccess && f.Result != twofold.ResultFailure {
		return f, twofold.FieldError("result", "The result is either success or failure.")
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && f.Until.Before(f.Since) {
		return f, twofold.FieldError("until", "The end of the time range is before its start.")
	}
	if q.After != "" && q.Before != "" {
		return f, twofold.FieldError("before", "Ask for the page after an event or the page before one, not both.")
	}
	if q.After != "" {
		t, id, ok := parseCursor(q.After)
		if !ok {
			return f, twofold.FieldError("after", "This page link isn't valid. Start again from the first page.")
		}
		f.BeforeTime, f.BeforeID = t, id
	}
	if q.Before != "" {
		t, id, ok := parseCursor(q.Before)
		if !ok {
			return f, twofold.FieldError("before", "This page link isn't valid. Start again from the first page.")
		}
		f.AfterTime, f.AfterID = t, id
	}
	return f, nil
}

// cursorPrefix versions the cursor, so a later format can tell old ones apart.
const cursorPrefix = "a1."

// cursor is the position after an event: its time and ID. It is opaque to
// callers but not secret: it only says where a listing stopped, and Search
// still applies the caller's organization and filters.
func cursor(t time.Time, id int64) string {
	raw := strconv.FormatInt(t.UnixNano(), 10) + "." + strconv.FormatInt(id, 10)
	return cursorPrefix + base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func parseCursor(c string) (time.Time, int64, bool) {
	rest, ok := strings.CutPrefix(c, cursorPrefix)
	if !ok || len(rest) > 64 {
		return time.Time{}, 0, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return time.Time{}, 0, false
	}
	ns, id, ok := strings.Cut(string(raw), ".")
	if !ok {
		return time.Time{}, 0, false
	}
	n, err1 := strconv.ParseInt(ns, 10, 64)
	i, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil || n <= 0 || i <= 0 {
		return time.Time{}, 0, false
	}
	return time.Unix(0, n).UTC(), i, true
}
