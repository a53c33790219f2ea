package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed templates
var templateFS embed.FS

// view is the typed data of one page. template names the file in
// templates/pages without ".html"; New checks every view's name exists.
type view interface {
	template() string
}

// allViews lists one value of every view type, so New can check at start that
// each names a template that exists.
func allViews() []view {
	return []view{
		signinView{}, verifyView{}, otherView{}, registerView{}, registerAppView{}, registerDoneView{},
		overviewView{}, securityInfoView{}, defaultView{}, addView{}, appSetupView{}, appDoneView{},
		deleteView{}, reverifyView{}, sessionsView{}, errorView{},
		phoneFormView{}, phoneVerifyView{}, phoneDoneView{}, outboxView{},
		registerPhoneView{}, registerPhoneVerifyView{},
		keyView{}, keyDoneView{}, renameView{}, keyVerifyView{}, reverifyKeyView{},
		questionsView{}, questionsDoneView{},
		campaignView{},
		emailFormView{}, emailCodeView{}, emailDoneView{},
		resetStartView{}, resetContactView{}, resetChooseView{}, resetTargetView{}, resetStepView{},
		resetPasswordView{}, resetDoneView{},
		reportView{}, reportDoneView{},
		passwordView{},
		newPasswordView{},
		membersView{}, memberView{}, confirmView{}, methodDeleteView{}, memberNewView{}, shownView{}, tapView{},
		signinTapView{},
		policyView{}, policyConfirmView{}, auditView{}, registrationReportView{},
	}
}

// pages holds one parsed template set per page: the shared layouts and partials
// plus that page's own file.
type pages struct {
	byName map[string]*template.Template
}

func parsePages(a *assets) (*pages, error) {
	funcs := template.FuncMap{
		"asset":       a.url,
		"icon":        a.icon,
		"keepNumbers": keepNumbers,
	}
	base, err := template.New("base").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layouts: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: list pages: %w", err)
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, f := range files {
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("web: clone layouts: %w", err)
		}
		if t, err = t.ParseFS(templateFS, f); err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", f, err)
		}
		name := strings.TrimSuffix(f[len("templates/pages/"):], ".html")
		p.byName[name] = t.Lookup(name + ".html")
	}
	for _, v := range allViews() {
		if p.byName[v.template()] == nil {
			return nil, fmt.Errorf("web: view %T names template %q, which does not exist", v, v.template())
		}
	}
	return p, nil
}

// render executes v's template into a buffer, so a failing template never sends
// half a page, then writes it with status. Pages are never cached: they can show
// secrets (a setup key) or personal data.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, v view) {
	var buf bytes.Buffer
	if err := h.pages.byName[v.template()].Execute(&buf, v); err != nil {
		h.internalError(w, r, fmt.Errorf("web: render %s: %w", v.template(), err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}
