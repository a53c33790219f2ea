package api

// tapSigninRoutes registers sign-in with a Temporary Access Pass.
func (h *handler) tapSigninRoutes(t *table) {}
