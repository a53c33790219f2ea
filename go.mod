module github.com/twofold-id/twofold

go 1.26
