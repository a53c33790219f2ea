package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// phoneFormView is the "Phone" card: the number of a new phone, or the new
// number of a phone being changed, and how to verify it.
type phoneFormView struct {
	Page
	Form   *securityinfo.PhoneForm
	Action string // where the form posts
	Back   string // the step before
	phoneInput
}

func (phoneFormView) template() string { return "phone" }

// phoneInput is what the member chose and typed, kept when the form comes back.
type phoneInput struct {
	Type    twofold.PhoneType
	Country string // the picker's region; "" for the international form
	Number  string
	Channel string
}

// defaultCountry is preselected in the picker until the member chooses.
const defaultCountry = "US"

func phoneInputFrom(r *http.Request) phoneInput {
	return phoneInput{
		Type:    twofold.PhoneType(r.PostFormValue("phoneType")),
		Country: r.PostFormValue("country"),
		Number:  r.PostFormValue("phoneNumber"),
		Channel: r.PostFormValue("method"),
	}
}

// typeLabel names a phone type in the form's words.
func typeLabel(t twofold.PhoneType) string {
	switch t {
	case twofold.PhoneAlternateMobile:
		return "Alternate mobile phone"
	case twofold.PhoneOffice:
		return "Office phone"
	}
	return "Mobile phone"
}

// phoneChannel is one way to verify a number, as the form offers it.
type phoneChannel struct {
	Channel string // twofold.ChannelSMS or twofold.ChannelVoice
	Label   string // "Text me a code", "Call me"
	ID      string // the radio's id; the first is "method", so the summary links to it
}

// TypeLabel is typeLabel for the template.
func (phoneFormView) TypeLabel(t twofold.PhoneType) string { return typeLabel(t) }

// ChannelsOf returns the channels type t allows, space separated, for the
// script that hides "Text me a code" for phones that can only be called.
func (v phoneFormView) ChannelsOf(t twofold.PhoneType) string {
	for _, c := range v.Form.Types {
		if c.Type == t {
			return strings.Join(c.Channels, " ")
		}
	}
	return ""
}

// Channels lists every channel some offered type allows, texts first. The server
// checks the pair on Next, so the form works without script.
func (v phoneFormView) Channels() []phoneChannel {
	var out []phoneChannel
	for _, ch := range []string{twofold.ChannelSMS, twofold.ChannelVoice} {
		for _, t := range v.Form.Types {
			if slices.Contains(t.Channels, ch) {
				c := phoneChannel{Channel: ch, Label: "Call me", ID: "method-" + ch}
				if ch == twofold.ChannelSMS {
					c.Label = "Text me a code"
				}
				if len(out) == 0 {
					c.ID = "method"
				}
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// Countries returns the picker's entries.
func (v phoneFormView) Countries() []phone.Country { return v.Form.Countries }

// ChangingNumber is the number being replaced, as members read it.
func (v phoneFormView) ChangingNumber() string {
	if v.Form.Changing == nil {
		return ""
	}
	return phone.DisplayE164(v.Form.Changing.PhoneNumber)
}

// ChangingLabel names the phone being changed inside a sentence ("office phone").
func (v phoneFormView) ChangingLabel() string {
	if v.Form.Changing == nil {
		return ""
	}
	return strings.ToLower(typeLabel(v.Form.Changing.PhoneType))
}

// withDefaults fills what the member has not chosen yet: the first phone type,
// the default country, and the first way that type may be verified.
func (in phoneInput) withDefaults(f *securityinfo.PhoneForm, fresh bool) phoneInput {
	if len(f.Types) == 0 {
		return in
	}
	known := false
	for _, t := range f.Types {
		known = known || t.Type == in.Type
	}
	if !known {
		in.Type = f.Types[0].Type
	}
	if fresh {
		in.Country = defaultCountry
		for _, t := range f.Types {
			if t.Type == in.Type && len(t.Channels) > 0 {
				in.Channel = t.Channels[0]
			}
		}
	}
	return in
}

func (h *handler) phonePage(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	h.renderPhoneForm(w, r, p, http.StatusOK, phoneInput{}, true, nil)
}

// phoneSubmit is Next on the phone form, for a new phone (POST
// /my/security-info/phone) and a changed number (POST …/methods/{id}/change).
func (h *handler) phoneSubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	in := phoneInputFrom(r)
	started, err := h.SecurityInfo.BeginPhone(r.Context(), p, securityinfo.PhoneRequest{
		Type: in.Type, Region: in.Country, Number: in.Number, Channel: in.Channel, MethodID: r.PathValue("id"),
	})
	switch {
	case err == nil:
		target := "/my/security-info/phone/" + url.PathEscape(started.Challenge.ID)
		if ext := started.Number.Extension; ext != "" && digitsOnly(ext) {
			target += "?ext=" + ext
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
	case pageFailure(err) || twofold.ErrorCode(err) == twofold.EREAUTH:
		h.securityFail(w, r, err)
	default:
		h.renderPhoneForm(w, r, p, formStatus(w, err), in, false,
			errorsFrom(err, "", "phoneType", "country", "phoneNumber", "method"))
	}
}

// renderPhoneForm shows the phone form for the phone named in the path (a
// change) or a new one, keeping what was typed and the problem.
func (h *handler) renderPhoneForm(w http.ResponseWriter, r *http.Request, p *twofold.Principal, status int, in phoneInput, fresh bool, errs formErrors) {
	id := r.PathValue("id")
	f, err := h.SecurityInfo.PhoneForm(r.Context(), p, id)
	if err != nil {
		h.phoneFail(w, r, err)
		return
	}
	v := phoneFormView{Page: accountPage(p, "Phone", "security-info"), Form: f,
		Action: "/my/security-info/phone", Back: "/my/security-info/add", phoneInput: in.withDefaults(f, fresh)}
	if f.Changing != nil {
		v.Title = "Change phone number"
		v.Action = "/my/security-info/methods/" + url.PathEscape(f.Changing.ID) + "/change"
		v.Back = "/my/security-info"
	}
	v.Errors = errs
	h.render(w, r, status, v)
}

// phoneFail answers an error of the phone pages. A phone or verification that is
// not there (changed elsewhere, replaced by a newer text) gets its own sentence
// rather than a bare "Page not found"; a refusal (phones off, every type taken)
// is said on the error page with a way back to Security info.
func (h *handler) phoneFail(w http.ResponseWriter, r *http.Request, err error) {
	switch twofold.ErrorCode(err) {
	case twofold.ENOTFOUND, twofold.EFORBIDDEN, twofold.ECONFLICT:
		h.render(w, r, formStatus(w, err), errorView{
			Page:      Page{Title: "We can't do that right now"},
			Message:   twofold.ErrorMessage(err),
			Back:      "/my/security-info",
			BackLabel: "Back to security info",
		})
		return
	}
	h.securityFail(w, r, err)
}

// digitsOnly reports whether s is 1 to 10 ASCII digits: what a removed extension
// may be when it comes back in a link.
func digitsOnly(s string) bool {
	if s == "" || len(s) > 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
