package admin

import (
	"context"

	"github.com/twofold-id/twofold"
)

// pageOfMembers reads one page of at most limit members matching f, in
// user-name order: the first page, the page after the user name after, or,
// paging back, the page before the user name before. It returns the cursors
// of the pages on either side ("" where there is none). Each read asks for one
// member more than the page holds, to tell whether the list goes on.
func (s *Service) pageOfMembers(ctx context.Context, orgID string, f twofold.UserFilter, after, before string, limit int) (
	rows []*twofold.UserListing, prev, next string, err error,
) {
	f.Limit = limit + 1
	if before != "" {
		f.Before = before
		if rows, err = s.Store.SearchUsers(ctx, orgID, f); err != nil {
			return nil, "", "", err
		}
		if len(rows) > limit {
			rows = rows[1:]
			prev = encodeCursor(rows[0].User.Username)
			return rows, prev, encodeCursor(rows[len(rows)-1].User.Username), nil
		}
		// Back at the start: the first page, full, rather than only what was
		// left before the cursor (members may have left the filter since).
		f.Before = ""
	}
	f.After = after
	if rows, err = s.Store.SearchUsers(ctx, orgID, f); err != nil {
		return nil, "", "", err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		next = encodeCursor(rows[len(rows)-1].User.Username)
	}
	if after != "" && len(rows) > 0 {
		prev = encodeCursor(rows[0].User.Username)
	}
	return rows, prev, next, nil
}
