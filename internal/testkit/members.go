package testkit

import (
	"crypto/rand"
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
)

// Client returns where a test request comes from: ip and a fixed browser name.
func Client(ip string) twofold.Client {
	return twofold.Client{IP: ip, UserAgent: "testkit-browser/1.0"}
}

// Member is a member created through the admin use case, with the password it
// was given.
type Member struct {
	User     *twofold.User
	Org      *twofold.Organization
	Password string
}

// Username returns the member's user name.
func (m *Member) Username() string { return m.User.Username }

// NewOrg creates an organization owning domain, with the default policy.
func (k *Kit) NewOrg(domain string) *twofold.Organization {
	k.TB.Helper()
	name := "Org " + strings.ToUpper(strings.SplitN(domain, ".", 2)[0])
	org, err := k.Admin.CreateOrg(k.Ctx, "testkit", name, []string{domain})
	if err != nil {
		k.TB.Fatalf("testkit: create org %s: %v", domain, err)
	}
	return org
}

// NewMember creates local@(org's first domain) with a random valid password.
func (k *Kit) NewMember(org *twofold.Organization, local string) *Member {
	k.TB.Helper()
	return k.newUser(org, local, twofold.RoleMember)
}

// NewAdmin creates local@(org's first domain) as an admin of org.
func (k *Kit) NewAdmin(org *twofold.Organization, local string) *Member {
	k.TB.Helper()
	return k.newUser(org, local, twofold.RoleAdmin)
}

func (k *Kit) newUser(org *twofold.Organization, local string, role twofold.Role) *Member {
	k.TB.Helper()
	// Random digits only, so the password can never contain a context word (the
	// member's or the organization's name), which Validate would refuse.
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	pw := "Zq-" + strconv.FormatUint(binary.BigEndian.Uint64(b), 10) + "-kit"
	u, err := k.Admin.CreateUser(k.Ctx, "testkit", admin.NewUser{
		Username: local + "@" + org.Domains[0], DisplayName: "Member " + local, Role: role, Password: pw,
	})
	if err != nil {
		k.TB.Fatalf("testkit: create member %s: %v", local, err)
	}
	return &Member{User: u, Org: org, Password: pw}
}

// SetPolicy changes org's policy through the admin use case and returns the
// organization as stored afterwards.
func (k *Kit) SetPolicy(org *twofold.Organization, change func(p *twofold.Policy)) *twofold.Organization {
	k.TB.Helper()
	cur, err := k.Store.OrgByID(k.Ctx, org.ID)
	if err != nil {
		k.TB.Fatalf("testkit: load org: %v", err)
	}
	p := cur.Policy
	p.EnabledMethods = append([]twofold.MethodKind(nil), p.EnabledMethods...)
	change(&p)
	if err := k.Admin.UpdatePolicy(k.Ctx, "testkit", cur, p); err != nil {
		k.TB.Fatalf("testkit: update policy: %v", err)
	}
	return cur
}

// User reloads a user from the store.
func (k *Kit) User(id string) *twofold.User {
	k.TB.Helper()
	u, err := k.Store.UserByID(k.Ctx, id)
	if err != nil {
		k.TB.Fatalf("testkit: load user %s: %v", id, err)
	}
	return u
}

// DisableUser marks the member disabled with raw SQL: no use case does it yet.
func (k *Kit) DisableUser(id string) {
	k.TB.Helper()
	k.Exec(`UPDATE users SET disabled = $1 WHERE id = $2`, true, id)
}

// Events returns the audit events about user id with the activity ("" for all),
// newest first.
func (k *Kit) Events(id, activity string) []*twofold.AuditEvent {
	k.TB.Helper()
	es, err := k.Store.ListAudit(k.Ctx, twofold.AuditFilter{TargetID: id, Activity: activity, Limit: 1000})
	if err != nil {
		k.TB.Fatalf("testkit: list audit: %v", err)
	}
	return es
}

// Messages returns the outbox messages sent to the member, newest first.
func (k *Kit) Messages(m *Member) []*twofold.Message {
	k.TB.Helper()
	ms, err := k.Store.ListMessages(k.Ctx, m.Username(), 1000)
	if err != nil {
		k.TB.Fatalf("testkit: list messages: %v", err)
	}
	return ms
}
