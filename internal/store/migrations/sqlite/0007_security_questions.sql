-- Security questions: a member's one set of questions, each with the hash of its answer.

-- A member has at most one set of security questions. Saving a set upserts on this
-- index, so racing registrations replace one set rather than add a second.
CREATE UNIQUE INDEX methods_one_question_set ON methods (user_id)
	WHERE kind = 'securityQuestions';

-- The questions of a set in the order they were registered; the answers are
-- argon2id hashes of the normalized answer and are never read back as text.
CREATE TABLE security_answers (
	method_id TEXT NOT NULL REFERENCES methods (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	question TEXT NOT NULL,
	answer_hash TEXT NOT NULL,
	PRIMARY KEY (method_id, position)
) STRICT;
