package api

import (
	"net/http"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// adminRoutes registers the admin API: Graph-shaped users, methods, policy,
// audit and report resources, each behind a token scope (admin_auth.go).
// A use case the server was built without answers its routes 404.
func (h *handler) adminRoutes(t *table) {
	c := h.Console
	members := c.Members != nil
	passes := c.AccessPasses != nil

	t.handle("GET", "/users", h.adminOn(members, twofold.ScopeUsersRead, h.listUsers)) // admin_users.go
	t.handle("POST", "/users", h.adminOn(members, twofold.ScopeUsersManage, h.createUser))
	t.handle("GET", "/users/{id}", h.adminOn(members, twofold.ScopeUsersRead, h.getUser))
	t.handle("PATCH", "/users/{id}", h.adminOn(members, twofold.ScopeUsersManage, h.patchUser))
	t.handle("POST", "/users/{id}/resetPassword", h.adminOn(members, twofold.ScopeUsersManage, h.resetUserPassword))
	t.handle("POST", "/users/{id}/revokeSignInSessions", h.adminOn(members, twofold.ScopeUsersManage, h.revokeUserSessions))
	t.handle("POST", "/users/{id}/unblock", h.adminOn(members, twofold.ScopeUsersManage, h.unblockUser))
	t.handle("POST", "/users/{id}/requireMfaRegistration", h.adminOn(members, twofold.ScopeMethodsManage, h.requireRegistration))

	// Methods (admin_methods.go): passes have their own use case; every
	// other kind methodkind knows gets a read-only collection whose members
	// an admin may delete.
	t.handle("GET", "/users/{id}/authentication/methods", h.adminOn(members, twofold.ScopeUsersRead, h.listUserMethods))
	t.handle("GET", tapPath, h.adminOn(passes, twofold.ScopeUsersRead, h.listPasses))
	t.handle("POST", tapPath, h.adminOn(passes, twofold.ScopeMethodsManage, h.issuePass))
	t.handle("DELETE", tapPath+"/{methodId}", h.adminOn(passes, twofold.ScopeMethodsManage, h.deletePass))
	for _, k := range methodkind.Names() {
		path := methodsPath(k)
		if _, taken := t.allow[path]; taken {
			continue
		}
		t.handle("GET", path, h.adminOn(members, twofold.ScopeUsersRead, h.listKindMethods(k)))
		t.handle("DELETE", path+"/{methodId}", h.adminOn(members, twofold.ScopeMethodsManage, h.deleteKindMethod(k)))
	}

	t.handle("GET", "/policies/authenticationMethodsPolicy", h.adminOn(c.Policies != nil, twofold.ScopePolicyManage, h.getPolicy)) // admin_policy.go
	t.handle("PATCH", "/policies/authenticationMethodsPolicy", h.adminOn(c.Policies != nil, twofold.ScopePolicyManage, h.patchPolicy))

	t.handle("GET", "/auditLogs/directoryAudits", h.adminOn(c.AuditLog != nil, twofold.ScopeAuditRead, h.listAudits)) // admin_audit.go

	reports := c.Registrations != nil // admin_report.go
	t.handle("GET", "/reports/authenticationMethods/userRegistrationDetails", h.adminOn(reports, twofold.ScopeAuditRead, h.registrationDetails))
	t.handle("GET", "/reports/authenticationMethods/usersRegisteredByFeature", h.adminOn(reports, twofold.ScopeAuditRead, h.registeredByFeature))
	t.handle("GET", "/reports/authenticationMethods/usersRegisteredByMethod", h.adminOn(reports, twofold.ScopeAuditRead, h.registeredByMethod))
}

// tapPath is the collection of a member's Temporary Access Passes.
var tapPath = methodsPath(twofold.KindTemporaryAccessPass)

// methodsPath is Graph's collection of one kind of a member's methods, named
// in the singular: "phone" is phoneMethods, "securityQuestions"
// securityQuestionMethods, "temporaryAccessPass" temporaryAccessPassMethods.
func methodsPath(k twofold.MethodKind) string {
	name := string(k)
	if !strings.HasSuffix(name, "ss") {
		name = strings.TrimSuffix(name, "s")
	}
	return "/users/{id}/authentication/" + name + "Methods"
}

// adminOn is admin(scope, next) for a use case the server has; without it
// (present false) the route answers 404 before looking at the token, like
// every optional part of the API.
func (h *handler) adminOn(present bool, scope twofold.Scope, next adminHandler) http.HandlerFunc {
	if !present {
		return func(w http.ResponseWriter, r *http.Request) { h.fail(w, r, errNoRoute) }
	}
	return h.admin(scope, next)
}
