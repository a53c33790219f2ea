package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// Run runs the contract suite. open must return a new, migrated, empty store and
// arrange (with t.Cleanup) to close and discard it; Run calls it once per group
// of subtests, so groups never see each other's rows.
func Run(t *testing.T, open func(t *testing.T) twofold.Store) {
	groups := []struct {
		name string
		test func(t *testing.T, f *fixture)
	}{
		{"Orgs", testOrgs},
		{"Users", testUsers},
		{"UserCounters", testUserCounters},
		{"Lockout", testLockout},
		{"Take", testTake},
		{"Methods", testMethods},
		{"ConsumeStep", testConsumeStep},
		{"Limits", testLimits},
		{"Phones", testPhones},
		{"Emails", testEmails},
		{"Sessions", testSessions},
		{"RotateSession", testRotateSession},
		{"RevokeOtherSessions", testRevokeOtherSessions},
		{"ReplacePasswordHash", testReplacePasswordHash},
		{"UsersAdmin", testUsersAdmin},
		{"Tokens", testTokens},
		{"Flows", testFlows},
		{"FailMemberFlows", testFailMemberFlows},
		{"Audit", testAudit},
		{"AuditQuery", testAuditQuery},
		{"Counters", testCounters},
		{"HitAll", testHitAll},
		{"Cooldowns", testCooldowns},
		{"Messages", testMessages},
		{"MailQueue", testMailQueue},
		{"MailQueueRace", testMailQueueRace},
		{"Challenges", testChallenges},
		{"FIDO2", testFIDO2},
		{"Questions", testQuestions},
		{"Reset", testReset},
		{"Campaign", testCampaign},
		{"Once", testOnce},
		{"Ping", testPing},
		{"Races", testRaces},
		{"Tx", testTx},
		{"Report", testReport},
		{"TAP", testTAP},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			g.test(t, newFixture(t, open(t)))
		})
	}
}

// fixture is a store holding one organization with one member.
type fixture struct {
	s    twofold.Store
	org  *twofold.Organization
	user *twofold.User
	seq  int
}

func newFixture(t *testing.T, s twofold.Store) *fixture {
	t.Helper()
	f := &fixture{s: s}
	f.org = f.newOrg(t, "example.com")
	f.user = f.newUser(t, f.org.ID, "ada@example.com")
	return f
}

// at returns a fixed instant plus d, in whole microseconds, so that tests do not
// depend on the wall clock and every backend can store it exactly.
func at(d time.Duration) time.Time {
	return time.Date(2025, 3, 1, 12, 0, 0, 123456000, time.UTC).Add(d)
}

func (f *fixture) id(prefix string) string {
	f.seq++
	return fmt.Sprintf("%s-%04d", prefix, f.seq)
}

func (f *fixture) newOrg(t *testing.T, domains ...string) *twofold.Organization {
	t.Helper()
	o := &twofold.Organization{
		ID:        f.id("org"),
		Name:      "Org " + domains[0],
		Domains:   domains,
		Policy:    twofold.DefaultPolicy(),
		CreatedAt: at(time.Duration(f.seq) * time.Second),
	}
	if err := f.s.CreateOrg(t.Context(), o); err != nil {
		t.Fatalf("CreateOrg: %v", err)
	}
	return o
}

func (f *fixture) newUser(t *testing.T, orgID, username string) *twofold.User {
	t.Helper()
	u := &twofold.User{
		ID:              f.id("user"),
		OrgID:           orgID,
		Username:        username,
		DisplayName:     "Member " + username,
		Role:            twofold.RoleMember,
		PasswordHash:    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
		PreferredMethod: twofold.PreferenceNone,
		CreatedAt:       at(time.Duration(f.seq) * time.Second),
	}
	if err := f.s.CreateUser(t.Context(), u); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	return u
}

func (f *fixture) newMethod(t *testing.T, userID string, state twofold.MethodState, created time.Time) *twofold.Method {
	t.Helper()
	m := &twofold.Method{
		ID:           f.id("method"),
		UserID:       userID,
		Kind:         twofold.KindSoftwareOath,
		State:        state,
		Name:         "Authenticator app",
		SecretSealed: []byte{0, 1, 2, 0xfe, 0xff},
		CreatedAt:    created,
	}
	if state == twofold.MethodActive {
		m.LastStep = 100
		m.ActivatedAt = created
	}
	if err := f.s.CreateMethod(t.Context(), m); err != nil {
		t.Fatalf("CreateMethod: %v", err)
	}
	return m
}

func (f *fixture) newFlow(t *testing.T, userID string, state twofold.FlowState, expires time.Time) *twofold.SignInFlow {
	t.Helper()
	fl := &twofold.SignInFlow{
		IDHash:     twofold.HashToken(f.id("flow")),
		UserID:     userID,
		OrgID:      f.org.ID,
		State:      state,
		CreatedAt:  expires.Add(-10 * time.Minute),
		ExpiresAt:  expires,
		PasswordAt: expires.Add(-10 * time.Minute),
		IP:         "192.0.2.1",
		UserAgent:  "test",
	}
	if err := f.s.CreateFlow(t.Context(), fl); err != nil {
		t.Fatalf("CreateFlow: %v", err)
	}
	return fl
}

// wantCode fails the test unless err carries the twofold error code want
// ("" for no error).
func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := twofold.ErrorCode(err); got != want {
		t.Errorf("%s: error code %q (%v), want %q", what, got, err, want)
	}
}

// must fails the test at once on an error.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// same fails the test unless got and want are deeply equal.
func same[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}
