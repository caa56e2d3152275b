-- 014_exam_import: an exam file import says what it kept, also after a crash (issue 13).
-- A file is checked whole before anything is stored; its rows are then stored in chunks,
-- and the import row is written with the first chunk and brought up to date in every
-- chunk's transaction: `stored_to_row` is the file row (the header being 1) up to which
-- every row is kept or was rejected, `status` is 'running' until the last chunk commits
-- ('complete'), or 'partial' when a chunk failed and the rows after stored_to_row were not
-- stored. A crash leaves 'running' with the rows kept so far. A row sent again with the
-- same results is not written again: rows_unchanged counts those.
-- Depends on 004.
ALTER TABLE exam_imports ADD COLUMN status TEXT NOT NULL DEFAULT 'complete'
    CHECK (status IN ('running', 'complete', 'partial'));
ALTER TABLE exam_imports ADD COLUMN stored_to_row INTEGER;
ALTER TABLE exam_imports ADD COLUMN rows_unchanged INTEGER NOT NULL DEFAULT 0;
