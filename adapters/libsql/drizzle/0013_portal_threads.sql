CREATE TABLE `portal_thread_drafts` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`author_key` text NOT NULL,
	`author_staff_id` text,
	`author_client_id` text,
	`recipients` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`reply_to` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reply_to`) REFERENCES `portal_threads`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "portal_thread_drafts_author_check" CHECK((author_staff_id IS NULL) <> (author_client_id IS NULL))
);
--> statement-breakpoint
CREATE INDEX `portal_thread_drafts_author_idx` ON `portal_thread_drafts` (`author_key`);--> statement-breakpoint
CREATE INDEX `portal_thread_drafts_reply_idx` ON `portal_thread_drafts` (`reply_to`);--> statement-breakpoint
CREATE TABLE `portal_thread_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`thread_id` text NOT NULL,
	`author_key` text NOT NULL,
	`author_staff_id` text,
	`author_client_id` text,
	`body` text NOT NULL,
	`at` integer NOT NULL,
	`attachments` text NOT NULL,
	`charted_at` integer,
	FOREIGN KEY (`thread_id`) REFERENCES `portal_threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "portal_thread_messages_author_check" CHECK((author_staff_id IS NULL) <> (author_client_id IS NULL))
);
--> statement-breakpoint
CREATE INDEX `portal_thread_messages_thread_idx` ON `portal_thread_messages` (`thread_id`,`at`);--> statement-breakpoint
CREATE TABLE `portal_thread_participants` (
	`thread_id` text NOT NULL,
	`participant_key` text NOT NULL,
	`staff_id` text,
	`client_id` text,
	`position` integer NOT NULL,
	`unread` integer NOT NULL,
	`archived` integer NOT NULL,
	PRIMARY KEY(`thread_id`, `participant_key`),
	FOREIGN KEY (`thread_id`) REFERENCES `portal_threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "portal_thread_participants_one_check" CHECK((staff_id IS NULL) <> (client_id IS NULL))
);
--> statement-breakpoint
CREATE INDEX `portal_thread_participants_key_idx` ON `portal_thread_participants` (`participant_key`);--> statement-breakpoint
CREATE TABLE `portal_threads` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`subject` text NOT NULL,
	`starter_kind` text NOT NULL,
	`starter_staff_id` text,
	`starter_client_id` text,
	`created_at` integer NOT NULL,
	`last_activity_at` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`starter_staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`starter_client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "portal_threads_starter_check" CHECK((starter_kind = 'Staff' AND starter_staff_id IS NOT NULL AND starter_client_id IS NULL)
      OR (starter_kind = 'Client' AND starter_client_id IS NOT NULL AND starter_staff_id IS NULL))
);
