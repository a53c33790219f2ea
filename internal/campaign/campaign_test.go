package campaign_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/campaign"
	"github.com/twofold-id/twofold/internal/testkit"
)

// setup is a member with one authenticator app, signed in, in an organization
// whose reset needs two methods.
type setup struct {
	k   *testkit.Kit
	svc *campaign.Service
	org *twofold.Organization
	m   *testkit.Member
}

func newSetup(t *testing.T, backend string) *setup {
	k := testkit.NewWith(t, testkit.Options{Backend: backend})
	org := k.NewOrg("contoso.test")
	k.SetPolicy(org, func(p *twofold.Policy) { p.Reset.MethodsRequired = 2 })
	m := k.NewMember(org, "alex")
	k.Enrol(m, testkit.Client("192.0.2.1"))
	return &setup{k: k, svc: campaign.New(k.Store, k.Audit, k.Clock.Now), org: org, m: m}
}

// principal is the member with the organization as stored now; the campaign
// reads nothing of the session, and days pass in these tests.
func (s *setup) principal(t *testing.T) *twofold.Principal {
	org, err := s.k.Store.OrgByID(s.k.Ctx, s.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	return &twofold.Principal{User: s.k.User(s.m.User.ID), Org: org, Client: testkit.Client("192.0.2.1")}
}

func (s *setup) status(t *testing.T) *campaign.Status {
	t.Helper()
	st, err := s.svc.Status(s.k.Ctx, s.principal(t))
	if err != nil {
		t.Fatalf("Status: %v", err)
	}
	return st
}

// events counts the campaign's audit events of activity (the interrupt records
// "started" too, with its own reason).
func (s *setup) events(activity string) int {
	n := 0
	for _, e := range s.k.Events(s.m.User.ID, activity) {
		if strings.HasPrefix(e.Reason, "registration campaign") {
			n++
		}
	}
	return n
}

func TestSnoozesThenForced(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			s := newSetup(t, backend)
			s.k.SetPolicy(s.org, func(p *twofold.Policy) { p.Campaign.SnoozeDays = 3 })
			st := s.status(t)
			if !st.Due || !slices.Equal(st.Required, []string{campaign.ResetMethods}) || st.ResetMissing != 1 ||
				st.SnoozesLeft != 3 || !st.CanSnooze() {
				t.Fatalf("first status = %+v", st)
			}
			for _, k := range []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone, twofold.KindFido2} {
				if !slices.Contains(st.CanAdd, k) {
					t.Errorf("CanAdd %v lacks %s", st.CanAdd, k)
				}
			}
			s.status(t)
			if n := s.events(twofold.ActivityStartedRegister); n != 1 {
				t.Errorf("%d 'started' events after two looks, want 1", n)
			}

			for i := 1; i <= twofold.MaxSnoozes; i++ {
				now := s.k.Clock.Now()
				st, err := s.svc.Snooze(s.k.Ctx, s.principal(t))
				if err != nil {
					t.Fatalf("snooze %d: %v", i, err)
				}
				if st.Due || !st.SnoozedUntil.Equal(now.Add(72*time.Hour)) || st.SnoozesLeft != twofold.MaxSnoozes-i {
					t.Fatalf("after snooze %d: %+v", i, st)
				}
				// Not now again, within the snooze: the same snooze, not counted.
				s.k.Clock.Advance(time.Hour)
				if again, err := s.svc.Snooze(s.k.Ctx, s.principal(t)); err != nil || again.SnoozesLeft != twofold.MaxSnoozes-i ||
					!again.SnoozedUntil.Equal(st.SnoozedUntil) {
					t.Fatalf("second click of snooze %d: %+v, %v", i, again, err)
				}
				if s.status(t).Due {
					t.Fatalf("due during snooze %d", i)
				}
				s.k.Clock.Advance(71*time.Hour - time.Second)
				if s.status(t).Due {
					t.Fatalf("due a second before snooze %d ends", i)
				}
				s.k.Clock.Advance(time.Second)
				if !s.status(t).Due {
					t.Fatalf("not due once snooze %d ended", i)
				}
			}
			if n := s.events(twofold.ActivityCanceledRegister); n != twofold.MaxSnoozes {
				t.Errorf("%d snoozes audited, want %d", n, twofold.MaxSnoozes)
			}
			ev := s.k.Events(s.m.User.ID, twofold.ActivityCanceledRegister)[0]
			if !strings.Contains(ev.Reason, "snooze 3 of 3") {
				t.Errorf("snooze audited as %q", ev.Reason)
			}
			st = s.status(t)
			if !st.Due || st.SnoozesLeft != 0 || st.CanSnooze() {
				t.Fatalf("after the last snooze: %+v", st)
			}
			if _, err := s.svc.Snooze(s.k.Ctx, s.principal(t)); !errors.Is(err, campaign.ErrSnoozesUsed) {
				t.Fatalf("fourth snooze: %v", err)
			}

			// Once the member has enough (here: the policy asks for one), the
			// campaign is done, audited once, and its snoozes start over.
			s.k.SetPolicy(s.org, func(p *twofold.Policy) { p.Reset.MethodsRequired = 1 })
			if st := s.status(t); st.Due || len(st.Required) != 0 || st.ResetMissing != 0 {
				t.Fatalf("with enough methods: %+v", st)
			}
			s.status(t)
			if n := s.events(twofold.ActivityRegisteredAll); n != 1 {
				t.Errorf("%d 'registered all' events, want 1", n)
			}
			if _, err := s.svc.Snooze(s.k.Ctx, s.principal(t)); !errors.Is(err, campaign.ErrNothingToSnooze) {
				t.Errorf("snooze with nothing asked: %v", err)
			}
			s.k.SetPolicy(s.org, func(p *twofold.Policy) { p.Reset.MethodsRequired = 2 })
			if st := s.status(t); !st.Due || st.SnoozesLeft != twofold.MaxSnoozes {
				t.Errorf("a new campaign: %+v", st)
			}
		})
	}
}

func TestNoSnoozeWhenPolicySaysZero(t *testing.T) {
	s := newSetup(t, testkit.SQLite)
	s.k.SetPolicy(s.org, func(p *twofold.Policy) { p.Campaign.SnoozeDays = 0 })
	st := s.status(t)
	if !st.Due || st.CanSnooze() {
		t.Fatalf("status = %+v", st)
	}
	if _, err := s.svc.Snooze(s.k.Ctx, s.principal(t)); !errors.Is(err, campaign.ErrNoSnooze) {
		t.Fatalf("snooze: %v", err)
	}
}

func TestNothingAskedWhenResetIsOffOrNothingHelps(t *testing.T) {
	s := newSetup(t, testkit.SQLite)
	s.k.SetPolicy(s.org, func(p *twofold.Policy) { p.Reset.Enabled = false })
	if st := s.status(t); st.Due || len(st.Required) != 0 {
		t.Errorf("reset off: %+v", st)
	}
	// Only apps count, and the member may hold just one: nothing to add helps,
	// so the campaign does not stand in the member's way.
	s.k.SetPolicy(s.org, func(p *twofold.Policy) {
		p.Reset.Enabled, p.MaxAuthenticatorApps = true, 1
		p.Reset.Methods = []twofold.MethodKind{twofold.KindSoftwareOath}
	})
	if st := s.status(t); st.Due || len(st.Required) != 0 || st.ResetMissing != 1 {
		t.Errorf("nothing addable: %+v", st)
	}
	if s.events(twofold.ActivityStartedRegister) != 0 || s.events(twofold.ActivityRegisteredAll) != 0 {
		t.Errorf("a campaign was started with nothing to ask")
	}
}

func TestAdminNeedsTwoWithoutQuestions(t *testing.T) {
	k := testkit.New(t)
	org := k.NewOrg("contoso.test")
	k.SetPolicy(org, func(p *twofold.Policy) {
		p.EnabledMethods = append(p.EnabledMethods, twofold.KindSecurityQuestions)
	})
	admin := k.NewAdmin(org, "megan")
	_, r := k.Enrol(admin, testkit.Client("192.0.2.9"))
	svc := campaign.New(k.Store, k.Audit, k.Clock.Now)
	st, err := svc.Status(k.Ctx, k.Principal(r.SessionToken, testkit.Client("192.0.2.9")))
	if err != nil {
		t.Fatal(err)
	}
	if !st.Due || st.ResetMissing != 1 || slices.Contains(st.CanAdd, twofold.KindSecurityQuestions) {
		t.Errorf("admin with one app, policy asking one: %+v", st)
	}
}

func TestRacingSnoozesCountOnce(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			s := newSetup(t, backend)
			p := s.principal(t)
			errs := testkit.Simultaneously(100, func(int) error {
				_, err := s.svc.Snooze(s.k.Ctx, p)
				return err
			})
			for _, err := range errs {
				if err != nil {
					t.Fatalf("a racing snooze failed: %v", err)
				}
			}
			if n := s.events(twofold.ActivityCanceledRegister); n != 1 {
				t.Errorf("%d snoozes audited for 100 racing clicks, want 1", n)
			}
			if st := s.status(t); st.SnoozesLeft != twofold.MaxSnoozes-1 {
				t.Errorf("snoozes left %d", st.SnoozesLeft)
			}
		})
	}
}
