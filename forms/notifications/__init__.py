"""Notifications: texts, the in-site inbox, the outbox and its deliveries by e-mail and SMS, the staff digest."""
