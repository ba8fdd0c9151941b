"""What runs beside the handlers: the notifier, the engine workers, persistence, housekeeping."""
