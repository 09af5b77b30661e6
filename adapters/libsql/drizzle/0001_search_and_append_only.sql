-- Full-text search over message bodies and client names. External-content FTS5 tables point at the
-- explicit INTEGER PRIMARY KEY (`seq`) of their table, which VACUUM never renumbers, and are kept in
-- sync by the triggers below. The index lives in the database file, so it is encrypted with it.
CREATE VIRTUAL TABLE `messages_fts` USING fts5(body, content='messages', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `messages_fts`(`messages_fts`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `messages_fts_after_insert` AFTER INSERT ON `messages` BEGIN
  INSERT INTO `messages_fts`(rowid, body) VALUES (new.seq, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_after_delete` AFTER DELETE ON `messages` BEGIN
  INSERT INTO `messages_fts`(`messages_fts`, rowid, body) VALUES ('delete', old.seq, old.body);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_after_update` AFTER UPDATE OF body ON `messages` BEGIN
  INSERT INTO `messages_fts`(`messages_fts`, rowid, body) VALUES ('delete', old.seq, old.body);
  INSERT INTO `messages_fts`(rowid, body) VALUES (new.seq, new.body);
END;
--> statement-breakpoint
CREATE VIRTUAL TABLE `clients_fts` USING fts5(name, content='clients', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `clients_fts`(`clients_fts`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `clients_fts_after_insert` AFTER INSERT ON `clients` BEGIN
  INSERT INTO `clients_fts`(rowid, name) VALUES (new.seq, new.name);
END;
--> statement-breakpoint
CREATE TRIGGER `clients_fts_after_delete` AFTER DELETE ON `clients` BEGIN
  INSERT INTO `clients_fts`(`clients_fts`, rowid, name) VALUES ('delete', old.seq, old.name);
END;
--> statement-breakpoint
CREATE TRIGGER `clients_fts_after_update` AFTER UPDATE OF name ON `clients` BEGIN
  INSERT INTO `clients_fts`(`clients_fts`, rowid, name) VALUES ('delete', old.seq, old.name);
  INSERT INTO `clients_fts`(rowid, name) VALUES (new.seq, new.name);
END;
--> statement-breakpoint
-- The consent ledger and the audit log are append-only: the database itself refuses to rewrite them.
CREATE TRIGGER `consent_ledger_no_update` BEFORE UPDATE ON `consent_ledger` BEGIN
  SELECT RAISE(ABORT, 'consent_ledger is append-only: rows cannot be updated');
END;
--> statement-breakpoint
CREATE TRIGGER `consent_ledger_no_delete` BEFORE DELETE ON `consent_ledger` BEGIN
  SELECT RAISE(ABORT, 'consent_ledger is append-only: rows cannot be deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log` BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be updated');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log` BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted');
END;
