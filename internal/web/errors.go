package web

import (
	"bytes"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

// errorView is the page for a request that cannot go on: not found, overloaded,
// refused, or our own failure. Ref is shown only for internal errors.
type errorView struct {
	Page
	Message string
	Ref     string
	Back    string // where the "go back" link leads
	// BackLabel names that link; "" is "Go to my account".
	BackLabel string
}

func (errorView) template() string { return "error" }

// fail answers a use-case error that the page cannot turn into a form message. The
// error's own sentence is shown for expected codes; internal errors show a
// reference and are logged with their chain.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch twofold.ErrorCode(err) {
	case twofold.EINTERNAL:
		h.internalError(w, r, err)
		return
	case twofold.ENOTFOUND:
		h.notFound(w, r)
		return
	}
	httpx.LogError(r.Context(), h.log, err)
	httpx.SetRetryAfter(w, err)
	v := errorView{Page: Page{Title: "We can't do that right now"}, Message: twofold.ErrorMessage(err), Back: "/my"}
	if twofold.ErrorCode(err) == twofold.EUNAVAILABLE {
		v.Title = "twofold is busy"
		v.Message = "We're handling a lot of requests right now. Wait a moment, then try again."
	}
	h.render(w, r, httpx.Status(err), v)
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusNotFound, errorView{
		Page:    Page{Title: "Page not found"},
		Message: "We couldn't find that page. Check the address, or go back to your account.",
		Back:    "/my",
	})
}

// internalError logs err with the request's reference and shows only the reference.
// It renders directly, not through render, so a broken error template cannot loop.
func (h *handler) internalError(w http.ResponseWriter, r *http.Request, err error) {
	ref := httpx.RequestID(r.Context())
	h.log.ErrorContext(r.Context(), "page failed", "ref", ref, "method", r.Method, "path", r.URL.Path, "err", err)
	v := errorView{
		Page:    Page{Title: "Something went wrong"},
		Message: "Something went wrong on our side. Please try again in a moment.",
		Ref:     ref,
		Back:    "/my",
	}
	var buf bytes.Buffer
	w.Header().Set("Cache-Control", "no-store")
	if err := h.pages.byName[v.template()].Execute(&buf, v); err != nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("Something went wrong (ref " + ref + ").\n"))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = buf.WriteTo(w)
}
