CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`staff_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_staff_idx` ON `api_tokens` (`staff_id`);--> statement-breakpoint
CREATE TABLE `assignments` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`staff_id` text NOT NULL,
	`client_id` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assignments_client_idx` ON `assignments` (`client_id`,`seq`);--> statement-breakpoint
CREATE INDEX `assignments_staff_idx` ON `assignments` (`staff_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`at` integer NOT NULL,
	`actor_kind` text NOT NULL,
	`actor_staff_id` text,
	`action` text NOT NULL,
	`client_id` text,
	`channel_id` text,
	`detail` text,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "audit_log_actor_check" CHECK((actor_kind = 'Staff' AND actor_staff_id IS NOT NULL)
        OR (actor_kind IN ('Client', 'System') AND actor_staff_id IS NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_log_id_unique` ON `audit_log` (`id`);--> statement-breakpoint
CREATE INDEX `audit_log_organisation_idx` ON `audit_log` (`organisation_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_log_client_idx` ON `audit_log` (`client_id`,`seq`);--> statement-breakpoint
CREATE TABLE `channel_preferences` (
	`channel_id` text NOT NULL,
	`staff_id` text NOT NULL,
	`muted` integer NOT NULL,
	`hidden` integer NOT NULL,
	PRIMARY KEY(`channel_id`, `staff_id`),
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `channel_preferences_staff_idx` ON `channel_preferences` (`staff_id`);--> statement-breakpoint
CREATE TABLE `channels` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`line_id` text NOT NULL,
	`phone` text NOT NULL,
	`client_id` text,
	`status` text NOT NULL,
	`archived` integer NOT NULL,
	`replies_allowed` integer NOT NULL,
	`reply_token` text,
	`unread_count` integer NOT NULL,
	`created_at` integer NOT NULL,
	`last_activity_at` integer NOT NULL,
	`after_hours_replied_for` integer,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`line_id`) REFERENCES `lines`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "channels_status_check" CHECK(status IN ('unread', 'open', 'done'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `channels_line_phone_unique` ON `channels` (`line_id`,`phone`);--> statement-breakpoint
CREATE INDEX `channels_inbox_idx` ON `channels` (`line_id`,last_activity_at DESC);--> statement-breakpoint
CREATE INDEX `channels_client_idx` ON `channels` (`client_id`);--> statement-breakpoint
CREATE TABLE `client_phones` (
	`client_id` text NOT NULL,
	`position` integer NOT NULL,
	`phone` text NOT NULL,
	`label` text NOT NULL,
	`is_primary` integer NOT NULL,
	`okay_to_text` integer NOT NULL,
	PRIMARY KEY(`client_id`, `position`),
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "client_phones_label_check" CHECK(label IN ('mobile', 'home', 'work'))
);
--> statement-breakpoint
CREATE INDEX `client_phones_phone_idx` ON `client_phones` (`phone`);--> statement-breakpoint
CREATE TABLE `clients` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`name` text NOT NULL,
	`active` integer NOT NULL,
	`blocked` integer NOT NULL,
	`email` text,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `clients_id_unique` ON `clients` (`id`);--> statement-breakpoint
CREATE INDEX `clients_organisation_idx` ON `clients` (`organisation_id`,`id`);--> statement-breakpoint
CREATE TABLE `consent_ledger` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` text NOT NULL,
	`phone` text NOT NULL,
	`at` integer NOT NULL,
	`state` text NOT NULL,
	`source` text NOT NULL,
	`evidence` text NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "consent_ledger_state_check" CHECK(state IN ('unknown', 'pending', 'opted_in', 'opted_out')),
	CONSTRAINT "consent_ledger_source_check" CHECK(source IN ('keyword', 'staff_attestation', 'provider_error', 'import', 'opt_in_request'))
);
--> statement-breakpoint
CREATE INDEX `consent_ledger_phone_idx` ON `consent_ledger` (`organisation_id`,`phone`,`seq`);--> statement-breakpoint
CREATE TABLE `lines` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`number` text NOT NULL,
	`owner_kind` text NOT NULL,
	`owner_staff_id` text,
	`owner_queue_id` text,
	`rate_per_second` real NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_queue_id`) REFERENCES `queues`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "lines_owner_check" CHECK((owner_kind = 'Staff' AND owner_staff_id IS NOT NULL AND owner_queue_id IS NULL)
        OR (owner_kind = 'Queue' AND owner_queue_id IS NOT NULL AND owner_staff_id IS NULL)
        OR (owner_kind = 'Organisation' AND owner_staff_id IS NULL AND owner_queue_id IS NULL)),
	CONSTRAINT "lines_rate_check" CHECK(rate_per_second > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lines_number_unique` ON `lines` (`number`);--> statement-breakpoint
CREATE INDEX `lines_organisation_idx` ON `lines` (`organisation_id`,`id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`direction` text NOT NULL,
	`author_kind` text NOT NULL,
	`author_staff_id` text,
	`author_purpose` text,
	`body` text NOT NULL,
	`at` integer NOT NULL,
	`status` text NOT NULL,
	`error_code` text,
	`provider_message_id` text,
	`received_while_replies_off` integer,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "messages_direction_check" CHECK(direction IN ('inbound', 'outbound')),
	CONSTRAINT "messages_author_check" CHECK((author_kind = 'Staff' AND author_staff_id IS NOT NULL AND author_purpose IS NULL)
        OR (author_kind = 'Client' AND author_staff_id IS NULL AND author_purpose IS NULL)
        OR (author_kind = 'System' AND author_staff_id IS NULL AND author_purpose IS NOT NULL)),
	CONSTRAINT "messages_status_check" CHECK(status IN ('queued', 'sending', 'unknown', 'sent', 'failed', 'undelivered', 'delivered', 'received'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_id_unique` ON `messages` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `messages_provider_message_id_unique` ON `messages` (`provider_message_id`);--> statement-breakpoint
CREATE INDEX `messages_channel_idx` ON `messages` (`channel_id`,at DESC,id DESC);--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`business_hours` text NOT NULL,
	`templates` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`message_id` text NOT NULL,
	`line_id` text NOT NULL,
	`from_phone` text NOT NULL,
	`to_phone` text NOT NULL,
	`body` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer NOT NULL,
	`not_before` integer NOT NULL,
	`created_at` integer NOT NULL,
	`provider_message_id` text,
	`last_error` text,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`line_id`) REFERENCES `lines`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "outbox_state_check" CHECK(state IN ('pending', 'sending', 'sent', 'failed', 'unknown'))
);
--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`state`,`not_before`,`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_message_idx` ON `outbox` (`message_id`);--> statement-breakpoint
CREATE TABLE `queue_members` (
	`queue_id` text NOT NULL,
	`position` integer NOT NULL,
	`staff_id` text NOT NULL,
	PRIMARY KEY(`queue_id`, `position`),
	FOREIGN KEY (`queue_id`) REFERENCES `queues`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `queue_members_staff_idx` ON `queue_members` (`staff_id`);--> statement-breakpoint
CREATE TABLE `queues` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`name` text NOT NULL,
	`business_hours` text,
	`after_hours_reply` text,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `queues_organisation_idx` ON `queues` (`organisation_id`,`id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`staff_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_token_hash_unique` ON `sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `sessions_staff_idx` ON `sessions` (`staff_id`);--> statement-breakpoint
CREATE TABLE `staff` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`name` text NOT NULL,
	`email` text,
	`role` text NOT NULL,
	`active` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "staff_role_check" CHECK(role IN ('specialist', 'coordinator', 'supervisor', 'admin', 'front_office'))
);
--> statement-breakpoint
CREATE INDEX `staff_organisation_idx` ON `staff` (`organisation_id`,`id`);