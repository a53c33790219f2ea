package api

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes keeps docs/openapi.yaml and the route table in step:
// every route is documented and every documented operation is served. It reads
// the YAML by indentation (paths at two spaces, operations at four), which is
// how the file is written, so it needs no YAML parser.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	f, err := os.Open("../../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	documented := map[string][]string{}
	inPaths, path := false, ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "paths:":
			inPaths = true
		case inPaths && line != "" && !strings.HasPrefix(line, " "):
			inPaths = false
		case inPaths && strings.HasPrefix(line, "  /") && strings.HasSuffix(line, ":"):
			path = strings.TrimSuffix(strings.TrimSpace(line), ":")
			documented[path] = nil
		case inPaths && path != "" && len(line) > 4 && line[:4] == "    " && line[4] != ' ':
			word := strings.TrimSuffix(strings.TrimSpace(line), ":")
			switch word {
			case "get", "post", "put", "patch", "delete":
				documented[path] = append(documented[path], strings.ToUpper(word))
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}

	served := map[string][]string{}
	for path, methods := range (&handler{}).table().allow {
		for _, m := range methods {
			if m != "HEAD" {
				served[path] = append(served[path], m)
			}
		}
	}
	for path, methods := range served {
		got := documented[path]
		slices.Sort(got)
		if !slices.Equal(got, methods) {
			t.Errorf("%s: served %v, documented %v", path, methods, got)
		}
	}
	for path := range documented {
		if _, ok := served[path]; !ok {
			t.Errorf("%s is documented but not served", path)
		}
	}
	if len(served) == 0 {
		t.Fatal("no routes found")
	}
}
