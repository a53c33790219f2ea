package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/twofold-id/twofold"
)

// MaxJSONBody bounds request bodies; no API call needs more.
const MaxJSONBody = 64 << 10

// ReadJSON decodes r's body into v and returns an EINVALID error a person can act on
// for a missing, oversized, non-UTF-8, malformed or wrongly typed body.
func ReadJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxJSONBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return twofold.Errorf(twofold.EINVALID, "The request body is too large (at most %d KiB).", MaxJSONBody>>10)
	case err != nil:
		return twofold.Errorf(twofold.EINVALID, "The request body could not be read.")
	case len(bytes.TrimSpace(body)) == 0:
		return twofold.Errorf(twofold.EINVALID, "The request body is empty; send a JSON object.")
	case !utf8.Valid(body):
		return twofold.Errorf(twofold.EINVALID, "The request body must be UTF-8 encoded JSON.")
	case bytes.TrimSpace(body)[0] != '{':
		// null, [], "x" and 5 would decode into a struct without error (null) or with a
		// confusing one; every API body is an object.
		return twofold.Errorf(twofold.EINVALID, "The request body must be a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return twofold.Errorf(twofold.EINVALID, "The request body must be a JSON object.")
		}
		return &twofold.Error{Code: twofold.EINVALID, Field: field, Message: "The field \"" + field + "\" must be a " + jsonType(typeErr.Type.Kind().String()) + "."}
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return twofold.Errorf(twofold.EINVALID, "The request body isn't valid JSON.")
	case err != nil && strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &twofold.Error{Code: twofold.EINVALID, Field: name, Message: "The field \"" + name + "\" is not part of this request."}
	case err != nil:
		return twofold.Errorf(twofold.EINVALID, "The request body isn't valid JSON.")
	}
	if dec.More() {
		return twofold.Errorf(twofold.EINVALID, "The request body must hold one JSON object.")
	}
	return nil
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean (true or false)"
	case "struct", "map":
		return "JSON object"
	case "slice", "array":
		return "list"
	default:
		return "number"
	}
}

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// ErrorBody is the JSON shape of every API error.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail carries a stable code, a human message and, for field errors, the field.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Target  string `json:"target,omitempty"`
}

// WriteJSONError logs err as needed and writes it as {"error":{"code","message"}}.
func WriteJSONError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	LogError(r.Context(), log, err)
	SetRetryAfter(w, err)
	WriteJSON(w, Status(err), ErrorBody{Error: ErrorDetail{
		Code:    twofold.ErrorCode(err),
		Message: Message(r, err),
		Target:  twofold.ErrorField(err),
	}})
}
