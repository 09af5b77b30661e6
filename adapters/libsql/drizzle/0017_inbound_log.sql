CREATE TABLE `inbound_log` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`to_number` text NOT NULL,
	`from_number` text NOT NULL,
	`body` text NOT NULL,
	`at` integer NOT NULL,
	`provider_message_id` text NOT NULL,
	`media` text
);
