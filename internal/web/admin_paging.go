package web

import "net/url"

// pageLinks makes a console list's paging links from its filters and the
// page's cursors: next continues after the page, prev goes back to the one
// before it, and first starts again, on any page but the first (also on an
// empty page reached from a stale link, which has no cursors to go back by).
func pageLinks(path string, filters url.Values, askedAfter, prev, next string) (firstLink, prevLink, nextLink string) {
	link := func(key, cursor string) string {
		v := url.Values{}
		for k, vals := range filters {
			v[k] = vals
		}
		if key != "" {
			v.Set(key, cursor)
		}
		if len(v) == 0 {
			return path
		}
		return path + "?" + v.Encode()
	}
	if next != "" {
		nextLink = link("after", next)
	}
	if prev != "" {
		prevLink = link("before", prev)
	}
	if prev != "" || askedAfter != "" {
		firstLink = link("", "")
	}
	return firstLink, prevLink, nextLink
}
