ALTER TABLE `organisations` ADD `portal_shows_sms` integer;--> statement-breakpoint
ALTER TABLE `organisations` ADD `email_carries_content` integer;