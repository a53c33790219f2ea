package web

import "net/http"

// tapSigninRoutes registers sign-in with a Temporary Access Pass.
func (h *handler) tapSigninRoutes(mux *http.ServeMux) {}
