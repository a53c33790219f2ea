package api

import (
	"context"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/auditlog"
	"github.com/twofold-id/twofold/internal/registrations"
	"github.com/twofold-id/twofold/internal/tap"
)

// Members is member administration for the admin API (internal/admin).
type Members interface {
	SearchUsers(ctx context.Context, a *twofold.Actor, q admin.UserQuery) (*admin.UserPage, error)
	Member(ctx context.Context, a *twofold.Actor, userID string) (*admin.MemberView, error)
	CreateMember(ctx context.Context, a *twofold.Actor, n admin.NewMember) (*twofold.User, string, error)
	SetEnabled(ctx context.Context, a *twofold.Actor, userID string, enabled bool) error
	ResetPassword(ctx context.Context, a *twofold.Actor, userID string) (string, error)
	RequireReregistration(ctx context.Context, a *twofold.Actor, userID string) (int, error)
	RevokeSessions(ctx context.Context, a *twofold.Actor, userID string) (int, error)
	Unblock(ctx context.Context, a *twofold.Actor, userID string) (admin.Unblocked, error)
	DeleteMethodOfKind(ctx context.Context, a *twofold.Actor, userID, methodID string, k twofold.MethodKind) error
	SetRole(ctx context.Context, a *twofold.Actor, userID string, role twofold.Role) error
}

// Policies reads and changes the authentication methods policy (internal/admin).
type Policies interface {
	Policy(ctx context.Context, a *twofold.Actor, orgID string) (*twofold.Organization, error)
	SetPolicy(ctx context.Context, a *twofold.Actor, orgID string, p twofold.Policy) ([]admin.PolicyChange, error)
}

// AuditLog searches the audit log (internal/auditlog).
type AuditLog interface {
	Search(ctx context.Context, a *twofold.Actor, q auditlog.Query) (*auditlog.Page, error)
}

// Registrations is the registration report (internal/registrations).
type Registrations interface {
	Summary(ctx context.Context, a *twofold.Actor, orgID string) (*registrations.Summary, error)
	Details(ctx context.Context, a *twofold.Actor, q registrations.DetailsQuery) (*registrations.DetailsPage, error)
}

// AccessPasses issues Temporary Access Passes (internal/tap).
type AccessPasses interface {
	Issue(ctx context.Context, a *twofold.Actor, userID string, r tap.Request) (*tap.Issued, error)
	List(ctx context.Context, a *twofold.Actor, userID string) ([]*twofold.Method, error)
	Delete(ctx context.Context, a *twofold.Actor, userID, methodID string) error
}

// Console is what the admin API needs; a nil field answers its routes 404.
type Console struct {
	Members       Members
	Policies      Policies
	AuditLog      AuditLog
	Registrations Registrations
	AccessPasses  AccessPasses
}
