package web

import "net/http"

// memberConsoleRoutes registers the console's member pages.
func (h *handler) memberConsoleRoutes(mux *http.ServeMux) {}
