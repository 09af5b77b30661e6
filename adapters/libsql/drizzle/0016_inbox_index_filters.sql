DROP INDEX `channels_inbox_idx`;--> statement-breakpoint
CREATE INDEX `channels_inbox_idx` ON `channels` (`line_id`,last_activity_at DESC,`id`,`archived`,`status`,`client_id`);