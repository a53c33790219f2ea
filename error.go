package twofold

import (
	"errors"
	"fmt"
)

// Error codes. Only internal/httpx turns them into HTTP statuses.
const (
	EINVALID      = "invalid_request"           // the caller sent something we cannot accept
	ENOTFOUND     = "not_found"                 // the thing does not exist, or is not the caller's
	ECONFLICT     = "conflict"                  // the request clashes with current state (limit reached, already active)
	EUNAUTHORIZED = "unauthorized"              // no valid credentials, or they failed
	EFORBIDDEN    = "forbidden"                 // authenticated, but not allowed (policy, role, stale MFA)
	EEXPIRED      = "expired"                   // a flow, code or pending item timed out
	ERATELIMIT    = "too_many_requests"         // a throttle or lockout is in force
	EUNAVAILABLE  = "unavailable"               // overloaded; retry later
	EREAUTH       = "reauthentication_required" // the second factor must be proven again first
	EINTERNAL     = "internal_error"            // our fault; details are only in the log
)

// Error is the one error type of twofold. Message is written for the person who
// will read it; Err carries the internal chain, which is logged and never shown.
type Error struct {
	Code    string
	Message string
	// Field names the input that caused an EINVALID error ("username", "code"), so
	// forms can show the message next to it. Empty when the error is not about one field.
	Field string
	Err   error
}

func (e *Error) Error() string {
	s := e.Code
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a human message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID *Error about one input field.
func FieldError(field, message string) *Error {
	return &Error{Code: EINVALID, Field: field, Message: message}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any
// other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of the first *Error in err's chain, or a
// generic sentence for internal errors, so callers never show internal text.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" && e.Code != EINTERNAL {
		return e.Message
	}
	return "Something went wrong on our side. Please try again."
}

// ErrorField returns the Field of the first *Error in err's chain, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
