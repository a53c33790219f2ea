package web

import (
	"context"
	"log/slog"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/auditlog"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/registrations"
)

// fakePolicies keeps one organization's policy and plays the use case's
// refusals: the help desk, a stale second factor, a policy with problems.
type fakePolicies struct {
	*recorder
	policy twofold.Policy
}

func (f *fakePolicies) Policy(_ context.Context, a *twofold.Actor, _ string) (*twofold.Organization, error) {
	if !a.MayManagePolicy() {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "Only admins can see and change the authentication methods policy.")
	}
	return &twofold.Organization{ID: "o1", Name: "Contoso", Policy: f.policy}, nil
}

func (f *fakePolicies) SetPolicy(ctx context.Context, a *twofold.Actor, _ string, p twofold.Policy) ([]admin.PolicyChange, error) {
	if _, err := f.Policy(ctx, a, ""); err != nil {
		return nil, err
	}
	if !a.Fresh(testNow, 5*time.Minute) {
		return nil, twofold.Errorf(twofold.EREAUTH, "Verify your identity again to make changes.")
	}
	if list := admin.PolicyProblems(p); list != nil {
		return nil, &admin.PolicyProblemsError{List: list}
	}
	changes := admin.PolicyDiff(f.policy, p)
	for _, c := range changes {
		f.record("policy %s %s", c.Field, c.After)
	}
	f.policy = p
	return changes, nil
}

// fakeAuditLog serves events in pages of two and remembers the last query.
type fakeAuditLog struct {
	events []*twofold.AuditEvent
	last   auditlog.Query
}

func (f *fakeAuditLog) Search(_ context.Context, a *twofold.Actor, q auditlog.Query) (*auditlog.Page, error) {
	f.last = q
	if !a.Role.Staff() {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "Only admins and the help desk can read the audit log.")
	}
	if q.After == "bad" {
		return nil, twofold.FieldError("after", "This page link isn't valid. Start again from the first page.")
	}
	var match []*twofold.AuditEvent
	for _, e := range f.events {
		if q.Activity == "" || e.Activity == q.Activity {
			match = append(match, e)
		}
	}
	at := func(cursor string) int {
		return slices.IndexFunc(match, func(e *twofold.AuditEvent) bool { return "c"+e.Activity == cursor })
	}
	size := 2
	if q.Limit > 0 {
		size = min(q.Limit, 2) // pages stay small, so exports must follow Next
	}
	start := 0
	if q.After != "" {
		start = at(q.After) + 1
	}
	if q.Before != "" {
		start = max(at(q.Before)-size, 0)
	}
	end := min(start+size, len(match))
	p := &auditlog.Page{Events: match[start:end]}
	if end < len(match) {
		p.Next = "c" + match[end-1].Activity
	}
	if start > 0 {
		p.Prev = "c" + match[start].Activity
	}
	return p, nil
}

// fakeRegistrations reports fixed figures and members in pages of one.
type fakeRegistrations struct {
	sum     registrations.Summary
	details []registrations.Detail
}

func (f *fakeRegistrations) Summary(context.Context, *twofold.Actor, string) (*registrations.Summary, error) {
	s := f.sum
	return &s, nil
}

func (f *fakeRegistrations) Details(_ context.Context, _ *twofold.Actor, q registrations.DetailsQuery) (*registrations.DetailsPage, error) {
	i := 0
	if q.After != "" {
		i = slices.IndexFunc(f.details, func(d registrations.Detail) bool { return d.Username == q.After }) + 1
	}
	if i >= len(f.details) {
		return &registrations.DetailsPage{}, nil
	}
	p := &registrations.DetailsPage{Rows: f.details[i : i+1]}
	if i+1 < len(f.details) {
		p.Next = f.details[i].Username
	}
	return p, nil
}

type policyConsoleEnv struct {
	*env
	policies *fakePolicies
	audit    *fakeAuditLog
	report   *fakeRegistrations
}

func newPolicyConsoleEnv(t *testing.T) *policyConsoleEnv {
	t.Helper()
	rec := &recorder{}
	c := &policyConsoleEnv{env: &env{t: t, rec: rec}, policies: &fakePolicies{recorder: rec, policy: twofold.DefaultPolicy()},
		audit: &fakeAuditLog{}, report: &fakeRegistrations{}}
	h, err := New(Deps{
		Signin: newFakeSignin(rec), Sessions: staffSessions{fakeSessions{rec}}, SecurityInfo: &fakeSecurityInfo{recorder: rec},
		Console: Console{Policies: c.policies, AuditLog: c.audit, Registrations: c.report},
		Logger:  slog.New(slog.DiscardHandler), Now: func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c.h = httpx.RequestContext(nil, h)
	return c
}

// policyForm is the form as the policy page fills it for p.
func policyForm(p twofold.Policy) url.Values {
	v := url.Values{"base": {policyFingerprint(p)}}
	for _, s := range policySections(p) {
		for _, f := range s.Fields {
			switch f.Kind {
			case "checkbox":
				if f.Checked {
					v.Set(f.Name, "on")
				}
			case "checks":
				for _, o := range f.Options {
					if o.Checked {
						v.Add(f.Name, o.Value)
					}
				}
			default:
				v.Set(f.Name, f.Value)
			}
		}
	}
	return v
}
