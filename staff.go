package twofold

import (
	"slices"
	"time"
)

// Scope is what an admin API token may do. The names follow the Microsoft
// Graph permission style ("resource.action").
type Scope string

// The scopes a token can hold.
const (
	ScopeUsersRead     Scope = "users.read"     // read members and their methods (never secrets)
	ScopeUsersManage   Scope = "users.manage"   // create, disable, enable, reset passwords, revoke sessions, unblock
	ScopeMethodsManage Scope = "methods.manage" // delete methods, require re-registration, issue Temporary Access Passes
	ScopePolicyManage  Scope = "policy.manage"  // read and change the authentication methods policy
	ScopeAuditRead     Scope = "audit.read"     // read the audit log and the registration report
)

// AllScopes lists every scope, in the order help and listings show them.
func AllScopes() []Scope {
	return []Scope{ScopeUsersRead, ScopeUsersManage, ScopeMethodsManage, ScopePolicyManage, ScopeAuditRead}
}

// Valid reports whether s is one of the known scopes.
func (s Scope) Valid() bool { return slices.Contains(AllScopes(), s) }

// APIToken is an admin API credential of one organization, created from the
// command line. The bearer secret itself is shown once and never stored:
// TokenHash is its HashToken.
type APIToken struct {
	ID         string // public identifier, shown by "token list"; not a credential
	OrgID      string
	Name       string // what the operator calls it ("hr-sync"), unique in the organization
	Scopes     []Scope
	TokenHash  string
	CreatedAt  time.Time
	ExpiresAt  time.Time // every token expires
	LastUsedAt time.Time // zero until first used
	RevokedAt  time.Time // zero while live
	CreatedBy  string    // who made it, as audited ("cli")
}

// Has reports whether the token holds scope s.
func (t *APIToken) Has(s Scope) bool { return slices.Contains(t.Scopes, s) }

// Actor is who performs an administrative action: an admin or help-desk member
// signed in to the console, an API token, or the operator at the command line.
// Use cases take an Actor and decide with its methods what it may do; every
// change they make is audited with it as the actor.
type Actor struct {
	// OrgID is the organization the actor may act in; "" only for the operator
	// at the command line, who may act in any.
	OrgID string
	// UserID is the admin or help-desk member acting; "" for a token or the CLI.
	UserID string
	// Name is how the audit log names the actor: the member's user name,
	// "token:<name>" for a token, "cli" for the command line.
	Name string
	// Role is RoleAdmin or RoleHelpdesk for a member, RoleAdmin for a token
	// (its scopes narrow it) and for the CLI.
	Role Role
	// Scopes is a token's scopes; nil for a member or the CLI, whom Role alone
	// limits.
	Scopes []Scope
	Client Client
	// MFAAt is when a member acting in the console last proved a second factor
	// in their session; zero for a token or the CLI, which never step up.
	MFAAt time.Time
}

// Fresh reports whether the actor may make a change now: a member only
// within window of proving a second factor; a token or the CLI always.
func (a *Actor) Fresh(now time.Time, window time.Duration) bool {
	if a.UserID == "" {
		return true
	}
	return !a.MFAAt.IsZero() && now.Sub(a.MFAAt) < window
}

// StaffActor returns the actor of a signed-in admin or help-desk member, and
// false for anyone else.
func StaffActor(p *Principal) (*Actor, bool) {
	if p == nil || p.User == nil || (p.User.Role != RoleAdmin && p.User.Role != RoleHelpdesk) {
		return nil, false
	}
	a := &Actor{OrgID: p.User.OrgID, UserID: p.User.ID, Name: p.User.Username, Role: p.User.Role, Client: p.Client}
	if p.Session.ProvedPassword() {
		a.MFAAt = p.Session.MFAAt
	}
	return a, true
}

// ProvedPassword reports whether the session's sign-in proved the password (or
// a passkey, which stands for it). A Temporary Access Pass proves neither: it
// is good for registering security info only, so such a session never counts
// as a fresh second factor for administration.
func (s *Session) ProvedPassword() bool { return s != nil && !s.PasswordAt.IsZero() }

// CLIActor is the operator at the command line, who may act in any organization.
func CLIActor() *Actor { return &Actor{Name: "cli", Role: RoleAdmin} }

// TokenActor is the actor of a request made with token t.
func TokenActor(t *APIToken, c Client) *Actor {
	return &Actor{OrgID: t.OrgID, Name: "token:" + t.Name, Role: RoleAdmin, Scopes: t.Scopes, Client: c}
}

// Allows reports whether the actor's scopes include s; a member or the CLI,
// who hold no scopes, are limited by role alone.
func (a *Actor) Allows(s Scope) bool { return a.Scopes == nil || slices.Contains(a.Scopes, s) }

// InOrg reports whether the actor may act in organization orgID.
func (a *Actor) InOrg(orgID string) bool { return a.OrgID == "" || a.OrgID == orgID }

// MayActOn reports whether the actor may manage member u: u belongs to the
// actor's organization, a help-desk member never acts on an admin, and an API
// token acts on plain members only. A token's scopes must bound what its
// holder can reach: a pass, a password reset or removed second factors on an
// admin's or the help desk's account would hand the holder that account, and
// with it the console beyond the token's scopes.
func (a *Actor) MayActOn(u *User) bool {
	if u == nil || !a.InOrg(u.OrgID) {
		return false
	}
	if a.Scopes != nil {
		return u.Role == RoleMember
	}
	return a.Role == RoleAdmin || (a.Role == RoleHelpdesk && u.Role != RoleAdmin)
}

// MayManagePolicy reports whether the actor may read and change the
// authentication methods policy (admins only, not the help desk).
func (a *Actor) MayManagePolicy() bool { return a.Role == RoleAdmin }

// MayAssignRoles reports whether the actor may make members admins or help
// desk, or take that away: admins only, never an API token, whose holder could
// otherwise make an account with more than the token's scopes.
func (a *Actor) MayAssignRoles() bool { return a.Role == RoleAdmin && a.Scopes == nil }

// Staff reports whether the role may use the admin console at all.
func (r Role) Staff() bool { return r == RoleAdmin || r == RoleHelpdesk }
