package web

import (
	"net/http"
	"strings"
	"testing"
)

// Deleting the method that carries the default says, before the member
// confirms, which method will become the default.
func TestDeleteConfirmNamesTheNextDefault(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/my/security-info/methods/m1/delete", nil, member)
	if strings.Contains(w.Body.String(), "default sign-in method") {
		t.Errorf("the page talks of the default when the delete leaves it alone")
	}
	e.info.deleteNotes = map[string]string{"m1": "Your default sign-in method will become Phone – call +1 4255551234."}
	w = e.do("GET", "/my/security-info/methods/m1/delete", nil, member)
	wantBody(t, w, http.StatusOK, "Delete this authenticator app?",
		"<p>Your default sign-in method will become Phone – call &#43;1 4255551234.</p>")
}
