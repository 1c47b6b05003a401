-- A signed-off round keeps the version file it was answered on, so that wording imported
-- later does not rewrite what the director signed; an answer carried into a new round says
-- which round it came from (NULL: given in its own round).
ALTER TABLE checklist_round ADD COLUMN locked_version TEXT;
ALTER TABLE checklist_answer ADD COLUMN carried_from BIGINT;
