package methodkind

import "github.com/twofold-id/twofold"

// Names lists the kinds methodkind knows, in the Add page's order, so callers
// that serve every kind (the admin API's per-kind collections) follow the list
// instead of keeping their own.
func Names() []twofold.MethodKind {
	out := make([]twofold.MethodKind, len(kinds))
	for i, k := range kinds {
		out[i] = k.Name()
	}
	return out
}
