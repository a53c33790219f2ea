// Package useragent turns a browser's User-Agent header into words a member
// recognizes ("Chrome on Linux"): the Sessions page and the notices about
// security changes name the browser the same way, and neither shows the raw
// header.
package useragent
