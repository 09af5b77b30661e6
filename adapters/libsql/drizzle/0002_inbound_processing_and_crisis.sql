ALTER TABLE `channels` ADD `urgent_since` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `processed_at` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `claimed_until` integer;--> statement-breakpoint
CREATE INDEX `messages_unprocessed_idx` ON `messages` (`at`) WHERE direction = 'inbound' AND processed_at IS NULL;--> statement-breakpoint
ALTER TABLE `organisations` ADD `crisis_words` text;--> statement-breakpoint
-- Inbound messages stored before this version were processed when they were received.
UPDATE `messages` SET `processed_at` = `at` WHERE `direction` = 'inbound';
