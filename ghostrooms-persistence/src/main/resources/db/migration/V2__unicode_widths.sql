-- Widths for Unicode. Our length rules count code points (nickname 2-20, room name <= 100, file
-- display name <= 255), but H2 counts a VARCHAR's length in UTF-16 units: a code point outside the
-- BMP takes two, so V1's widths refused valid input there (20 Deseret letters = 40 units). PostgreSQL
-- counts characters, so the wider columns change nothing it accepted before.
-- nickname_key holds a case fold of the nickname, which can be longer than the nickname itself
-- ('İ' lower-cases to two chars; upper-casing can triple one): 255 holds any fold of 20 code points.
-- Widening a VARCHAR rewrites no rows or indexes on PostgreSQL. One dialect for H2 (PostgreSQL mode)
-- and PostgreSQL 15+: ALTER COLUMN ... SET DATA TYPE is the form both accept.
ALTER TABLE sessions ALTER COLUMN nickname SET DATA TYPE VARCHAR(40);
ALTER TABLE sessions ALTER COLUMN nickname_key SET DATA TYPE VARCHAR(255);
ALTER TABLE messages ALTER COLUMN nickname SET DATA TYPE VARCHAR(40);
ALTER TABLE rooms ALTER COLUMN name SET DATA TYPE VARCHAR(400);
ALTER TABLE attachments ALTER COLUMN file_name SET DATA TYPE VARCHAR(1020);
