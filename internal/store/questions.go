package store

import (
	"context"
	"strconv"

	"github.com/twofold-id/twofold"
)

var _ twofold.QuestionStore = (*Store)(nil)

// Questions and answer hashes never go into error messages or ops: a question
// can be personal, and a hash is a secret's stand-in.

// SaveSecurityAnswers upserts the member's one securityQuestions method on the
// methods_one_question_set index and replaces its answers, all in one
// transaction. On PostgreSQL the upsert locks the row, so a racing save waits
// and then replaces this one's answers whole; on SQLite writers take turns.
func (s *Store) SaveSecurityAnswers(ctx context.Context, m *twofold.Method, answers []twofold.SecurityAnswer) error {
	op := "save security questions of user " + m.UserID
	return s.InTx(ctx, func(ctx context.Context) error {
		saved, err := scanMethod(s.writeRow(ctx, `INSERT INTO methods (id, user_id, kind, state, name, created_at, activated_at)
VALUES ($1, $2, 'securityQuestions', 'active', $3, $4, $5)
ON CONFLICT (user_id) WHERE kind = 'securityQuestions'
DO UPDATE SET name = excluded.name, state = 'active', activated_at = excluded.activated_at
RETURNING `+methodColumns, m.ID, m.UserID, m.Name, s.d.time(m.CreatedAt), s.d.time(m.ActivatedAt)))
		if err != nil {
			return fail(err, "user", op, "")
		}
		if _, err := s.exec(ctx, `DELETE FROM security_answers WHERE method_id = $1`, saved.ID); err != nil {
			return fail(err, "security questions", op, "")
		}
		for i, a := range answers {
			if _, err := s.exec(ctx, `INSERT INTO security_answers (method_id, position, question, answer_hash)
VALUES ($1, $2, $3, $4)`, saved.ID, i, a.Question, a.AnswerHash); err != nil {
				return fail(err, "security questions", op+": answer "+strconv.Itoa(i), "")
			}
		}
		*m = *saved
		return nil
	})
}

// SecurityAnswers reads the set in the order it was registered.
func (s *Store) SecurityAnswers(ctx context.Context, methodID string) ([]twofold.SecurityAnswer, error) {
	op := "list security questions of method " + methodID
	var n int
	if err := s.readRow(ctx, `SELECT COUNT(*) FROM methods WHERE id = $1 AND kind = 'securityQuestions'`, methodID).Scan(&n); err != nil {
		return nil, fail(err, "security questions", op, "")
	}
	if n == 0 {
		return nil, notFound("security questions", op, nil)
	}
	rows, err := s.read(ctx, `SELECT question, answer_hash FROM security_answers
WHERE method_id = $1 ORDER BY position`, methodID)
	if err != nil {
		return nil, fail(err, "security questions", op, "")
	}
	defer rows.Close()
	var out []twofold.SecurityAnswer
	for rows.Next() {
		var a twofold.SecurityAnswer
		if err := rows.Scan(&a.Question, &a.AnswerHash); err != nil {
			return nil, fail(err, "security questions", op, "")
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fail(err, "security questions", op, "")
	}
	return out, nil
}
