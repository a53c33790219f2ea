package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"

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
