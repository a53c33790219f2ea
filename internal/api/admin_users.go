package api

import (
	"net/http"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/httpx"
)

// listUsers is a page of the token's organization's members in user-name
// order; $search matches user and display names.
func (h *handler) listUsers(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	top, skip, err := pageQuery(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.Console.Members.SearchUsers(r.Context(), a, admin.UserQuery{
		Text: searchText(r.URL.Query().Get("$search")), Limit: top, After: skip,
	})
	if err != nil {
		h.fail(w, r, renameField(pageFields(err), "text", "$search"))
		return
	}
	out := page[userView]{Value: make([]userView, 0, len(p.Users)), NextLink: nextLink(r, p.Next)}
	for _, row := range p.Users {
		out.Value = append(out.Value, newUserRowView(row))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// searchText reads $search as plain text, or as Graph writes it: quoted,
// with a property ("displayName:ada"); either property matches both names.
func searchText(v string) string {
	if len(v) >= 2 && strings.HasPrefix(v, `"`) && strings.HasSuffix(v, `"`) {
		v = v[1 : len(v)-1]
		for _, p := range []string{"displayName:", "userPrincipalName:"} {
			v = strings.TrimPrefix(v, p)
		}
	}
	return v
}

// createdUserView is a new member with the temporary password, shown once,
// in Graph's passwordProfile.
type createdUserView struct {
	userView
	PasswordProfile passwordProfile `json:"passwordProfile"`
}

type passwordProfile struct {
	Password                      string `json:"password"`
	ForceChangePasswordNextSignIn bool   `json:"forceChangePasswordNextSignIn"`
}

// createUser makes a member with a generated temporary password they must
// change at their first sign-in.
func (h *handler) createUser(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	var in struct {
		UserPrincipalName string       `json:"userPrincipalName"`
		DisplayName       string       `json:"displayName"`
		Role              twofold.Role `json:"role"`
	}
	if err := httpx.ReadJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := firstErr(required("userPrincipalName", in.UserPrincipalName), required("displayName", in.DisplayName)); err != nil {
		h.fail(w, r, err)
		return
	}
	u, temp, err := h.Console.Members.CreateMember(r.Context(), a, admin.NewMember{
		Username: in.UserPrincipalName, DisplayName: in.DisplayName, Role: in.Role,
	})
	if err != nil {
		h.fail(w, r, renameField(err, "username", "userPrincipalName", "display-name", "displayName"))
		return
	}
	w.Header().Set("Location", prefix+"/users/"+u.ID)
	httpx.WriteJSON(w, http.StatusCreated, createdUserView{
		userView:        newUserView(u),
		PasswordProfile: passwordProfile{Password: temp, ForceChangePasswordNextSignIn: true},
	})
}

// getUser shows one member, their blocks and what they registered.
func (h *handler) getUser(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.Console.Members.Member(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newMemberView(m))
}

// patchUser enables or disables the member and/or changes their role; like
// Graph it answers 204.
func (h *handler) patchUser(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		AccountEnabled *bool         `json:"accountEnabled"`
		Role           *twofold.Role `json:"role"`
	}
	if err := httpx.ReadJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.AccountEnabled == nil && in.Role == nil {
		h.fail(w, r, twofold.Errorf(twofold.EINVALID, "Send \"accountEnabled\" (true or false) and/or \"role\" (member, helpdesk or admin)."))
		return
	}
	// The role first, so a member made admin and disabled in one call is not
	// left disabled when the role change is refused.
	if in.Role != nil {
		if err := h.Console.Members.SetRole(r.Context(), a, id, *in.Role); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if in.AccountEnabled != nil {
		if err := h.Console.Members.SetEnabled(r.Context(), a, id, *in.AccountEnabled); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// userAction reads the member ID of a POST users/{id}/… action, whose body
// may be left out or be an empty object.
func userAction(w http.ResponseWriter, r *http.Request) (string, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return "", err
	}
	var none struct{}
	return id, readOptionalJSON(w, r, &none)
}

// resetUserPassword gives the member a temporary password, shown once, that
// they must change at their next sign-in; they are signed out everywhere.
func (h *handler) resetUserPassword(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	id, err := userAction(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	temp, err := h.Console.Members.ResetPassword(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		NewPassword                   string `json:"newPassword"`
		ForceChangePasswordNextSignIn bool   `json:"forceChangePasswordNextSignIn"`
	}{temp, true})
}

// revokeUserSessions signs the member out everywhere; Graph answers
// {"value": true}, and the count of sessions ended is added.
func (h *handler) revokeUserSessions(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	id, err := userAction(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n, err := h.Console.Members.RevokeSessions(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		Value           bool `json:"value"`
		RevokedSessions int  `json:"revokedSessions"`
	}{true, n})
}

// unblockUser lifts a second-factor block, a reset block and a password
// lockout, and says which were there.
func (h *handler) unblockUser(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	id, err := userAction(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	done, err := h.Console.Members.Unblock(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		MFAUnblocked   bool `json:"mfaUnblocked"`
		ResetUnblocked bool `json:"resetUnblocked"`
		LockoutCleared bool `json:"lockoutCleared"`
	}{done.MFA, done.Reset, done.Lockout})
}

// requireRegistration deletes the member's second factors and passes and
// signs them out, so their next sign-in asks them to register again.
func (h *handler) requireRegistration(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	id, err := userAction(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n, err := h.Console.Members.RequireReregistration(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		DeletedMethods int `json:"deletedMethods"`
	}{n})
}
