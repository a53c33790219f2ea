package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

//go:embed icons
var iconFS embed.FS

// asset is one embedded file served under a content-hashed name.
type asset struct {
	body        []byte
	contentType string
}

// assets maps plain names ("style.css") to hashed URLs and serves them. A hashed
// name changes whenever the content does, so responses can be cached for a year.
type assets struct {
	urls   map[string]string // "style.css" → "/static/style.1a2b3c4d5e.css"
	byPath map[string]asset  // "style.1a2b3c4d5e.css" → file
	icons  map[string]template.HTML
}

func loadAssets() (*assets, error) {
	a := &assets{urls: map[string]string{}, byPath: map[string]asset{}, icons: map[string]template.HTML{}}
	files, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("web: read static: %w", err)
	}
	for _, f := range files {
		b, err := staticFS.ReadFile("static/" + f.Name())
		if err != nil {
			return nil, fmt.Errorf("web: read static %s: %w", f.Name(), err)
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(f.Name())
		hashed := strings.TrimSuffix(f.Name(), ext) + "." + hex.EncodeToString(sum[:5]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		a.urls[f.Name()] = "/static/" + hashed
		a.byPath[hashed] = asset{body: b, contentType: ct}
	}
	icons, err := fs.ReadDir(iconFS, "icons")
	if err != nil {
		return nil, fmt.Errorf("web: read icons: %w", err)
	}
	for _, f := range icons {
		b, err := iconFS.ReadFile("icons/" + f.Name())
		if err != nil {
			return nil, fmt.Errorf("web: read icon %s: %w", f.Name(), err)
		}
		// The icons are our own embedded files, written to be inlined.
		a.icons[strings.TrimSuffix(f.Name(), ".svg")] = template.HTML(strings.TrimSpace(string(b)))
	}
	return a, nil
}

// url returns the hashed URL of a static file. Unknown names are a programming
// error caught when templates are first executed in tests.
func (a *assets) url(name string) (string, error) {
	u, ok := a.urls[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	return u, nil
}

// icon returns the inline SVG for name (a method kind or a page icon), falling
// back to the shield so a new kind never breaks a page.
func (a *assets) icon(name string) template.HTML {
	if svg, ok := a.icons[name]; ok {
		return svg
	}
	return a.icons["shield"]
}

// serve answers GET /static/{file}.
func (a *assets) serve(w http.ResponseWriter, r *http.Request) {
	f, ok := a.byPath[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("Content-Length", fmt.Sprint(len(f.body)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(f.body)
	}
}
