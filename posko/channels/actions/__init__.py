"""Channel actions: inbound events → aduan/moderation, outbound deliveries, moderation."""
