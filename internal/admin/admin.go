package admin

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/audit"
	"github.com/twofold-id/twofold/internal/password"
)

// Store is what administration needs from the database.
type Store interface {
	twofold.OrgStore
	CreateUser(ctx context.Context, u *twofold.User) error
	ListUsers(ctx context.Context, orgID string) ([]*twofold.User, error)
	UserByUsername(ctx context.Context, username string) (*twofold.User, error)
	BlockMFA(ctx context.Context, userID string, until time.Time) error
	RecordMFASuccess(ctx context.Context, userID string) error
	ClearResetBlock(ctx context.Context, userID string) error
	// Member administration (members.go).
	twofold.AdminStore
	UserByID(ctx context.Context, id string) (*twofold.User, error)
	ListMethods(ctx context.Context, userID string, state twofold.MethodState) ([]*twofold.Method, error)
	MethodByID(ctx context.Context, userID, methodID string) (*twofold.Method, error)
	DeleteMethod(ctx context.Context, userID, methodID string) error
	LockMember(ctx context.Context, userID string) error
	LockOrg(ctx context.Context, orgID string) error
	SetPreferredMethod(ctx context.Context, userID string, pref twofold.SignInPreference) error
	RevokeUserSessions(ctx context.Context, userID string, at time.Time) (int, error)
	FailMemberFlows(ctx context.Context, userID string) (int, error)
	ResetBlockedUntil(ctx context.Context, userID string) (time.Time, error)
	// InTx runs fn in one transaction (see twofold.Store).
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Hasher makes password hashes.
type Hasher interface {
	Hash(ctx context.Context, password string) (string, error)
}

// Service runs administrative use cases. Actor names who acts ("cli" for the
// command line) in the audit log.
type Service struct {
	Store  Store
	Hasher Hasher
	Audit  *audit.Recorder
	Now    func() time.Time
	// FreshMFA is how recently a console member must have proven a second
	// factor to change anything (the admin window); zero means 5 minutes.
	FreshMFA time.Duration
}

var domainRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$|^localhost$`)

// CreateOrg creates an organization with the default policy.
func (s *Service) CreateOrg(ctx context.Context, actor, name string, domains []string) (*twofold.Organization, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 100 || !utf8.ValidString(name) {
		return nil, twofold.FieldError("name", "Give the organization a name of 1 to 100 characters.")
	}
	if len(domains) == 0 {
		return nil, twofold.FieldError("domain", "Give the organization at least one domain, such as contoso.com.")
	}
	org := &twofold.Organization{ID: twofold.NewID(), Name: name, Policy: twofold.DefaultPolicy(), CreatedAt: s.Now().UTC()}
	for _, d := range domains {
		d = strings.ToLower(strings.TrimSpace(d))
		if !domainRE.MatchString(d) {
			return nil, twofold.FieldError("domain", fmt.Sprintf("%q is not a domain name such as contoso.com.", d))
		}
		org.Domains = append(org.Domains, d)
	}
	if err := s.Store.CreateOrg(ctx, org); err != nil {
		if twofold.ErrorCode(err) == twofold.ECONFLICT {
			return nil, twofold.FieldError("domain", "One of these domains already belongs to an organization.")
		}
		return nil, err
	}
	return org, s.Audit.Record(ctx, &twofold.AuditEvent{OrgID: org.ID, ActorName: actor, TargetID: org.ID,
		TargetName: org.Name, Activity: "Admin created organization", Reason: strings.Join(org.Domains, ", ")})
}

// NewUser is what CreateUser needs.
type NewUser struct {
	Username    string
	DisplayName string
	Role        twofold.Role
	Password    string
}

// CreateUser adds a member to the organization that owns the user name's domain.
func (s *Service) CreateUser(ctx context.Context, actor string, n NewUser) (*twofold.User, error) {
	username := strings.ToLower(strings.TrimSpace(n.Username))
	local, domain, ok := strings.Cut(username, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") || len(username) > 254 || !utf8.ValidString(username) || !twofold.PrintableName(username) {
		return nil, twofold.FieldError("username", "Give a user name in the form name@domain.")
	}
	display := strings.TrimSpace(n.DisplayName)
	if display == "" || utf8.RuneCountInString(display) > 100 || !utf8.ValidString(display) {
		return nil, twofold.FieldError("display-name", "Give a display name of 1 to 100 characters.")
	}
	if n.Role == "" {
		n.Role = twofold.RoleMember
	}
	if !n.Role.Valid() {
		return nil, twofold.FieldError("role", "The role must be member, helpdesk or admin.")
	}
	org, err := s.Store.OrgByDomain(ctx, domain)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return nil, twofold.FieldError("username", fmt.Sprintf("No organization owns the domain %q. Create one first with: twofold org create.", domain))
	} else if err != nil {
		return nil, err
	}
	if err := password.ValidateFor(n.Password, org.Policy.PasswordMinimum(), local, display, org.Name); err != nil {
		return nil, err
	}
	hash, err := s.Hasher.Hash(ctx, n.Password)
	if err != nil {
		return nil, err
	}
	u := &twofold.User{ID: twofold.NewID(), OrgID: org.ID, Username: username, DisplayName: display,
		Role: n.Role, PasswordHash: hash, PreferredMethod: twofold.PreferenceNone, CreatedAt: s.Now().UTC()}
	if err := s.Store.CreateUser(ctx, u); err != nil {
		if twofold.ErrorCode(err) == twofold.ECONFLICT {
			return nil, twofold.FieldError("username", "That user name is already taken.")
		}
		return nil, err
	}
	return u, s.Audit.Record(ctx, &twofold.AuditEvent{OrgID: org.ID, ActorName: actor, TargetID: u.ID,
		TargetName: u.Username, Activity: twofold.ActivityUserCreated, Reason: "role " + string(u.Role)})
}

// Org finds an organization by one of its domains.
func (s *Service) Org(ctx context.Context, domain string) (*twofold.Organization, error) {
	org, err := s.Store.OrgByDomain(ctx, strings.ToLower(strings.TrimSpace(domain)))
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return nil, twofold.FieldError("org", fmt.Sprintf("No organization owns the domain %q.", domain))
	}
	return org, err
}

// Orgs lists every organization.
func (s *Service) Orgs(ctx context.Context) ([]*twofold.Organization, error) {
	return s.Store.ListOrgs(ctx)
}

// Users lists an organization's members.
func (s *Service) Users(ctx context.Context, orgID string) ([]*twofold.User, error) {
	return s.Store.ListUsers(ctx, orgID)
}

// UpdatePolicy validates and stores p for org, auditing the change. It runs
// the console's checks, so every problem comes back at once as a
// *PolicyProblemsError.
func (s *Service) UpdatePolicy(ctx context.Context, actor string, org *twofold.Organization, p twofold.Policy) error {
	if err := checkPolicy(p); err != nil {
		return err
	}
	if err := s.Store.UpdatePolicy(ctx, org.ID, p); err != nil {
		return err
	}
	reason := changeSummary(PolicyDiff(org.Policy, p))
	org.Policy = p
	return s.Audit.Record(ctx, &twofold.AuditEvent{OrgID: org.ID, ActorName: actor, TargetID: org.ID,
		TargetName: org.Name, Activity: twofold.ActivityPolicyUpdate, Result: twofold.ResultSuccess, Reason: reason})
}

// UnblockMFA lifts a block of a member's second factor (after a fraud report or
// too many wrong codes) and clears the wrong-code count. Returns ENOTFOUND.
func (s *Service) UnblockMFA(ctx context.Context, actor, username string) (*twofold.User, error) {
	u, err := s.Store.UserByUsername(ctx, strings.ToLower(strings.TrimSpace(username)))
	if err != nil {
		return nil, err
	}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.BlockMFA(ctx, u.ID, time.Time{}); err != nil {
			return fmt.Errorf("admin: unblock: %w", err)
		}
		if err := s.Store.RecordMFASuccess(ctx, u.ID); err != nil {
			return fmt.Errorf("admin: clear count: %w", err)
		}
		return s.Audit.Record(ctx, &twofold.AuditEvent{OrgID: u.OrgID, ActorName: actor, TargetID: u.ID,
			TargetName: u.Username, Activity: twofold.ActivityMFAUnblocked, Result: twofold.ResultSuccess})
	})
	if err != nil {
		return nil, err
	}
	u.MFABlockedUntil = time.Time{}
	return u, nil
}

// UnblockReset lifts username's block from self-service password reset (five
// failed verifications block it for a day) and forgets their failed
// verifications, audited with actor. Returns ENOTFOUND for an unknown name.
func (s *Service) UnblockReset(ctx context.Context, actor, username string) (*twofold.User, error) {
	u, err := s.Store.UserByUsername(ctx, strings.ToLower(strings.TrimSpace(username)))
	if err != nil {
		return nil, err
	}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.ClearResetBlock(ctx, u.ID); err != nil {
			return fmt.Errorf("admin: unblock reset: %w", err)
		}
		return s.Audit.Record(ctx, &twofold.AuditEvent{OrgID: u.OrgID, ActorName: actor, TargetID: u.ID,
			TargetName: u.Username, Activity: twofold.ActivityResetUnblocked, Result: twofold.ResultSuccess})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
