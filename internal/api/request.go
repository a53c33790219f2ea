package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

// maxID is the longest path ID we pass on. Flow IDs are 43 characters and method
// IDs 32; anything far longer cannot exist, so it is not found without a lookup.
const maxID = 128

// errNotFound answers a path ID that cannot name anything.
var errNotFound = twofold.Errorf(twofold.ENOTFOUND, "We couldn't find that. Check the address and try again.")

// pathID returns the path value name, or ENOTFOUND when it is empty or too long.
func pathID(r *http.Request, name string) (string, error) {
	v := r.PathValue(name)
	if v == "" || len(v) > maxID {
		return "", errNotFound
	}
	return v, nil
}

// readOptionalJSON is httpx.ReadJSON for calls whose body may be left out: an empty
// body is fine, anything else must be a JSON object that decodes into v (so an
// unknown field is still refused).
func readOptionalJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, httpx.MaxJSONBody+1))
	if err != nil && !errors.As(err, new(*http.MaxBytesError)) {
		return twofold.Errorf(twofold.EINVALID, "The request body could not be read.")
	}
	if len(bytes.TrimSpace(body)) == 0 && err == nil {
		return nil
	}
	r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
	return httpx.ReadJSON(w, r, v)
}

// required returns an EINVALID error naming field when value is empty.
func required(field, value string) error {
	if value == "" {
		return twofold.FieldError(field, "The field \""+field+"\" is required.")
	}
	return nil
}

// renameField gives a use-case field error the name the API's request uses
// ("code" becomes "verificationCode"), so "target" points at what the client sent.
// pairs lists use-case names and API names alternately.
func renameField(err error, pairs ...string) error {
	var e *twofold.Error
	if !errors.As(err, &e) || e.Field == "" {
		return err
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i] == e.Field {
			return &twofold.Error{Code: e.Code, Message: e.Message, Field: pairs[i+1], Err: err}
		}
	}
	return err
}

// readRequired is httpx.ReadJSON followed by required(field, *value).
func readRequired(w http.ResponseWriter, r *http.Request, v any, field string, value *string) error {
	if err := httpx.ReadJSON(w, r, v); err != nil {
		return err
	}
	return required(field, *value)
}

// oneOf returns an EINVALID error naming field when value is not one of allowed
// (an empty value is left to required).
func oneOf(field, value string, allowed ...string) error {
	if value == "" || slices.Contains(allowed, value) {
		return nil
	}
	quoted := make([]string, len(allowed))
	for i, a := range allowed {
		quoted[i] = strconv.Quote(a)
	}
	list := quoted[0]
	if n := len(quoted); n > 1 {
		list = strings.Join(quoted[:n-1], ", ") + " or " + quoted[n-1]
	}
	return twofold.FieldError(field, "The field \""+field+"\" must be "+list+".")
}

// bodyID returns an EINVALID error naming field when an ID sent in a body is too
// long to name anything (see maxID); an empty one is left to required.
func bodyID(field, value string) error {
	if len(value) > maxID {
		return twofold.FieldError(field, fmt.Sprintf("The field \"%s\" is too long to be an ID (at most %d characters).", field, maxID))
	}
	return nil
}
