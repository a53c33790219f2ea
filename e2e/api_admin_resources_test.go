package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// createdUser is the answer to POST /users.
type createdUser struct {
	adminUser
	CreatedDateTime    string `json:"createdDateTime"`
	MustChangePassword bool   `json:"mustChangePassword"`
	PasswordProfile    struct {
		Password                      string `json:"password"`
		ForceChangePasswordNextSignIn bool   `json:"forceChangePasswordNextSignIn"`
	} `json:"passwordProfile"`
}

// adminMember is GET /users/{id}.
type adminMember struct {
	adminUser
	CreatedDateTime    string   `json:"createdDateTime"`
	MustChangePassword bool     `json:"mustChangePassword"`
	MethodsRegistered  []string `json:"methodsRegistered"`
	SignInSessionCount int      `json:"signInSessionCount"`
	IsLockedOut        bool     `json:"isLockedOut"`
	IsMfaBlocked       bool     `json:"isMfaBlocked"`
	ResetBlockedUntil  string   `json:"resetBlockedUntilDateTime"`
	Preferred          string   `json:"userPreferredMethodForSecondaryAuthentication"`
}

// adminPass is a Temporary Access Pass method as the admin API shows it.
type adminPass struct {
	ID                  string `json:"id"`
	ODataType           string `json:"@odata.type"`
	DisplayName         string `json:"displayName"`
	CreatedDateTime     string `json:"createdDateTime"`
	StartDateTime       string `json:"startDateTime"`
	LifetimeInMinutes   int    `json:"lifetimeInMinutes"`
	IsUsableOnce        bool   `json:"isUsableOnce"`
	TemporaryAccessPass string `json:"temporaryAccessPass"`
}

// TestAPIAdminResources is an HR tool's day with one token on the real
// binary, both databases: it adds a member (whose temporary password signs
// in), resets their password (the old one stops working), gives them a
// Temporary Access Pass (shown once, never listed, and it signs them in),
// disables them (sign-in refused), pages through the audit log by its next
// links, reads the report, and has an invalid policy refused with every
// problem while nothing changes.
func TestAPIAdminResources(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		tok := bearerToken(adminToken(t, s, apiOrg.Domain, "hr-sync", adminScopes...))
		c := newAPIClient(t, s)
		c.do("PATCH", "/policies/authenticationMethodsPolicy",
			map[string]any{"enabledMethods": []string{"softwareOath", "temporaryAccessPass"}}, tok).want(t, http.StatusOK)

		// Add a member: the temporary password is in this answer only.
		var made createdUser
		r := c.do("POST", "/users", map[string]string{"userPrincipalName": "Casey@" + apiOrg.Domain, "displayName": "Casey Jensen"}, tok).
			want(t, http.StatusCreated)
		r.decode(t, &made)
		if made.UserPrincipalName != "casey@"+apiOrg.Domain || !made.AccountEnabled || made.Role != "member" || !made.MustChangePassword ||
			made.PasswordProfile.Password == "" || !made.PasswordProfile.ForceChangePasswordNextSignIn {
			t.Fatalf("created %+v", made)
		}
		if loc := r.Header.Get("Location"); loc != apiPrefix+"/users/"+made.ID {
			t.Errorf("Location %q", loc)
		}
		casey := &apiMember{Username: made.UserPrincipalName, Password: made.PasswordProfile.Password}
		if a := c.signIn(t, casey); a.Status == "signed_in" || a.FlowID == "" {
			t.Errorf("the temporary password's sign-in: %+v, want a flow (a new password or registration first)", a)
		}
		c.do("POST", "/users", map[string]string{"userPrincipalName": "casey@" + apiOrg.Domain, "displayName": "Again"}, tok).
			apiErr(t, http.StatusBadRequest, "invalid_request", "userPrincipalName")
		c.do("POST", "/users", map[string]string{"userPrincipalName": "x@fabrikam.test", "displayName": "X"}, tok).
			apiErr(t, http.StatusBadRequest, "invalid_request", "userPrincipalName")

		var m adminMember
		c.do("GET", "/users/"+made.ID, nil, tok).want(t, http.StatusOK).decode(t, &m)
		if m.ID != made.ID || m.DisplayName != "Casey Jensen" || len(m.MethodsRegistered) != 0 {
			t.Errorf("member %+v", m)
		}

		// Reset: a new temporary password; the old one no longer works.
		var reset struct {
			NewPassword                   string `json:"newPassword"`
			ForceChangePasswordNextSignIn bool   `json:"forceChangePasswordNextSignIn"`
		}
		c.do("POST", "/users/"+made.ID+"/resetPassword", nil, tok).want(t, http.StatusOK).decode(t, &reset)
		if reset.NewPassword == "" || reset.NewPassword == casey.Password {
			t.Fatalf("reset %+v", reset)
		}
		c.do("POST", "/signin", map[string]string{"username": casey.Username, "password": casey.Password}).
			apiErr(t, http.StatusUnauthorized, "unauthorized", "")
		casey.Password = reset.NewPassword
		if a := c.signIn(t, casey); a.FlowID == "" {
			t.Errorf("the new temporary password's sign-in: %+v", a)
		}

		// A pass: shown once, never listed, and it signs the member in.
		var issued adminPass
		c.do("POST", "/users/"+made.ID+"/authentication/temporaryAccessPassMethods", map[string]any{"lifetimeInMinutes": 60}, tok).
			want(t, http.StatusCreated).decode(t, &issued)
		if issued.TemporaryAccessPass == "" || issued.ODataType != "#microsoft.graph.temporaryAccessPassAuthenticationMethod" || issued.LifetimeInMinutes != 60 {
			t.Fatalf("issued %+v", issued)
		}
		var passes struct {
			Value []adminPass `json:"value"`
		}
		r = c.do("GET", "/users/"+made.ID+"/authentication/temporaryAccessPassMethods", nil, tok).want(t, http.StatusOK)
		r.decode(t, &passes)
		if len(passes.Value) != 1 || passes.Value[0].ID != issued.ID || passes.Value[0].TemporaryAccessPass != "" ||
			strings.Contains(string(r.Body), issued.TemporaryAccessPass) {
			t.Errorf("passes listed as %s", r)
		}
		if all := c.do("GET", "/users/"+made.ID+"/authentication/methods", nil, tok).want(t, http.StatusOK); strings.Contains(string(all.Body), issued.TemporaryAccessPass) {
			t.Errorf("the pass is in the methods list: %s", all)
		}
		// A per-kind collection reaches only its kind: the pass isn't a phone.
		c.do("DELETE", "/users/"+made.ID+"/authentication/phoneMethods/"+issued.ID, nil, tok).apiErr(t, http.StatusNotFound, "not_found", "")
		c.do("DELETE", "/users/"+made.ID+"/authentication/temporaryAccessPassMethods/"+issued.ID, nil, tok).want(t, http.StatusNoContent)
		passes.Value = nil
		c.do("GET", "/users/"+made.ID+"/authentication/temporaryAccessPassMethods", nil, tok).want(t, http.StatusOK).decode(t, &passes)
		if len(passes.Value) != 0 {
			t.Errorf("the deleted pass is listed: %+v", passes.Value)
		}
		c.do("POST", "/signin/temporaryAccessPass", map[string]string{"username": casey.Username, "temporaryAccessPass": issued.TemporaryAccessPass}).
			apiErr(t, http.StatusUnauthorized, "unauthorized", "")
		issued = adminPass{}
		c.do("POST", "/users/"+made.ID+"/authentication/temporaryAccessPassMethods", rawBody(""), tok).
			want(t, http.StatusCreated).decode(t, &issued)
		var viaPass signInAnswer
		c.do("POST", "/signin/temporaryAccessPass", map[string]string{"username": casey.Username, "temporaryAccessPass": issued.TemporaryAccessPass}).
			want(t, http.StatusOK).decode(t, &viaPass)
		if viaPass.Status == "" {
			t.Errorf("pass sign-in %+v", viaPass)
		}

		// Disabled: the password no longer signs in.
		c.do("PATCH", "/users/"+made.ID, map[string]bool{"accountEnabled": false}, tok).want(t, http.StatusNoContent)
		m = adminMember{}
		c.do("GET", "/users/"+made.ID, nil, tok).want(t, http.StatusOK).decode(t, &m)
		if m.AccountEnabled {
			t.Errorf("still enabled: %+v", m)
		}
		c.do("POST", "/signin", map[string]string{"username": casey.Username, "password": casey.Password}).
			apiErr(t, http.StatusUnauthorized, "unauthorized", "")

		// The audit log, page by page through its next links.
		seen := map[string]bool{}
		next := "/auditLogs/directoryAudits?$top=2"
		for pages := 0; next != ""; pages++ {
			if pages > 50 {
				t.Fatal("the next links never end")
			}
			var page directoryAudits
			c.do("GET", next, nil, tok).want(t, http.StatusOK).decode(t, &page)
			if len(page.Value) > 2 {
				t.Fatalf("$top=2 gave %d events", len(page.Value))
			}
			for _, ev := range page.Value {
				if seen[ev.ID] {
					t.Errorf("event %s on two pages", ev.ID)
				}
				seen[ev.ID] = true
			}
			next = page.NextLink
		}
		if len(seen) < 5 {
			t.Errorf("paging saw %d events, want the whole log", len(seen))
		}

		// The report shows the member.
		var details struct {
			Value []struct {
				ID                  string   `json:"id"`
				UserPrincipalName   string   `json:"userPrincipalName"`
				UserDisplayName     string   `json:"userDisplayName"`
				IsAdmin             bool     `json:"isAdmin"`
				IsMfaRegistered     bool     `json:"isMfaRegistered"`
				IsMfaCapable        bool     `json:"isMfaCapable"`
				IsSsprRegistered    bool     `json:"isSsprRegistered"`
				IsSsprEnabled       bool     `json:"isSsprEnabled"`
				IsSsprCapable       bool     `json:"isSsprCapable"`
				MethodsRegistered   []string `json:"methodsRegistered"`
				DefaultMfaMethod    string   `json:"defaultMfaMethod"`
				LastUpdatedDateTime string   `json:"lastUpdatedDateTime"`
			} `json:"value"`
			NextLink string `json:"@odata.nextLink"`
		}
		c.do("GET", "/reports/authenticationMethods/userRegistrationDetails", nil, tok).want(t, http.StatusOK).decode(t, &details)
		found := false
		for _, d := range details.Value {
			found = found || (d.ID == made.ID && d.UserPrincipalName == casey.Username && !d.IsAdmin && !d.IsMfaRegistered)
		}
		if !found {
			t.Errorf("the report doesn't show the new member: %+v", details.Value)
		}

		// An invalid policy: every problem at once, nothing changed.
		before := c.do("GET", "/policies/authenticationMethodsPolicy", nil, tok).want(t, http.StatusOK).Body
		r = c.do("PATCH", "/policies/authenticationMethodsPolicy", map[string]any{"lockoutThreshold": 0, "minPasswordLength": 2}, tok).
			want(t, http.StatusBadRequest)
		var problems struct {
			Error struct {
				Code    string `json:"code"`
				Message string `json:"message"`
				Details []struct {
					Code    string `json:"code"`
					Message string `json:"message"`
					Target  string `json:"target"`
				} `json:"details"`
			} `json:"error"`
		}
		r.decode(t, &problems)
		targets := map[string]bool{}
		for _, d := range problems.Error.Details {
			targets[d.Target] = d.Message != ""
		}
		if problems.Error.Code != "invalid_request" || !targets["lockoutThreshold"] || !targets["minPasswordLength"] {
			t.Errorf("invalid policy answer %s", r)
		}
		after := c.do("GET", "/policies/authenticationMethodsPolicy", nil, tok).want(t, http.StatusOK).Body
		var b, a map[string]any
		if json.Unmarshal(before, &b) != nil || json.Unmarshal(after, &a) != nil || string(before) != string(after) {
			t.Errorf("the refused PATCH changed the policy:\n%s\n%s", before, after)
		}
	})
}

// TestAPIAdminStaffOffLimits: even a token with every scope can't take over
// an admin's or the help desk's account (no password reset, pass, removed
// second factor or disable) nor make anyone admin or help desk, on the real
// binary and both databases, so no scope grows into the console's powers.
func TestAPIAdminStaffOffLimits(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		boss := &apiMember{Username: "boss@" + apiOrg.Domain, Password: "Quiet-Lantern-Harbor-0001"}
		cli(t, s, boss.Password+"\n", "user", "create", "--username", boss.Username, "--display-name", "Boss", "--role", "admin", "--password-stdin")
		desk := &apiMember{Username: "desk@" + apiOrg.Domain, Password: "Quiet-Lantern-Meadow-0002"}
		cli(t, s, desk.Password+"\n", "user", "create", "--username", desk.Username, "--display-name", "Desk", "--role", "helpdesk", "--password-stdin")
		member := seedMember(t, s, "plain", "Plain Member")
		tok := bearerToken(adminToken(t, s, apiOrg.Domain, "all", adminScopes...))
		c := newAPIClient(t, s)
		c.do("PATCH", "/policies/authenticationMethodsPolicy",
			map[string]any{"enabledMethods": []string{"softwareOath", "temporaryAccessPass"}}, tok).want(t, http.StatusOK)

		for _, staff := range []*apiMember{boss, desk} {
			id := adminUserID(t, c, adminToken(t, s, apiOrg.Domain, "reader-"+strings.Split(staff.Username, "@")[0], "users.read"), staff.Username)
			for _, call := range []adminCall{
				{"POST", "/users/" + id + "/resetPassword", nil, "", 0},
				{"POST", "/users/" + id + "/authentication/temporaryAccessPassMethods", nil, "", 0},
				{"POST", "/users/" + id + "/requireMfaRegistration", nil, "", 0},
				{"PATCH", "/users/" + id, map[string]bool{"accountEnabled": false}, "", 0},
				{"DELETE", "/users/" + id + "/authentication/softwareOathMethods/any", nil, "", 0},
			} {
				c.do(call.method, call.path, call.body, tok).apiErr(t, http.StatusForbidden, "forbidden", "")
			}
			// Their password still works: nothing was reset or disabled.
			if a := c.signIn(t, staff); a.Status == "" {
				t.Errorf("%s can't sign in after the refusals: %+v", staff.Username, a)
			}
		}
		memberID := adminUserID(t, c, adminToken(t, s, apiOrg.Domain, "reader", "users.read"), member.Username)
		c.do("PATCH", "/users/"+memberID, map[string]string{"role": "admin"}, tok).apiErr(t, http.StatusForbidden, "forbidden", "")
		c.do("POST", "/users", map[string]string{"userPrincipalName": "new@" + apiOrg.Domain, "displayName": "New", "role": "helpdesk"}, tok).
			apiErr(t, http.StatusForbidden, "forbidden", "")
		c.do("POST", "/users/"+memberID+"/resetPassword", nil, tok).want(t, http.StatusOK)
	})
}
