package api

// adminRoutes registers the admin API: Graph-shaped users, methods, policy,
// audit and report resources, each behind a token scope (admin_auth.go).
func (h *handler) adminRoutes(t *table) {}
